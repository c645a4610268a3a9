#pragma once

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace keyway::sandbox {

// State every emulated provider shares: the time scale, the fault switches, the serial number
// that orders everything issued, and the token-request counters. Owned by SandboxServer.
class SandboxContext
{
public:
    SandboxContext();

    // Generic faults every provider has (see docs/sandbox.md).
    static QStringList genericFaults();
    // Faults that act once when switched on instead of staying on.
    static bool isAction(const QString& fault);

    void registerProvider(const QString& providerId, const QStringList& extraFaults);
    bool hasProvider(const QString& providerId) const;
    QStringList providerIds() const; // registration order

    QStringList availableFaults(const QString& providerId) const;
    QStringList activeFaults(const QString& providerId) const;
    bool faultOn(const QString& providerId, const QString& fault) const;
    // False when the provider or the fault is unknown.
    bool setFault(const QString& providerId, const QString& fault, bool on);

    // Time: lifetimes are documented in seconds and shortened by the time scale.
    double timeScale() const { return m_timeScale; }
    void setTimeScale(double scale) { m_timeScale = scale > 0 ? scale : 1.0; }
    qint64 lifetimeMs(qint64 documentedSeconds) const;
    qint64 advertisedSeconds(qint64 documentedSeconds) const; // what expires_in says
    static qint64 nowMs();

    // Every issued code and token gets the next serial; expire_now / revoke cut off by serial,
    // so they are exact even when a FakeClock never moves.
    quint64 nextSerial() { return ++m_serial; }
    quint64 expiredThrough(const QString& providerId) const { return m_expiredThrough.value(providerId); }
    quint64 revokedThrough(const QString& providerId) const { return m_revokedThrough.value(providerId); }

    void countTokenRequest(const QString& providerId) { ++m_tokenRequests[providerId]; }
    int tokenRequestCount(const QString& providerId) const { return m_tokenRequests.value(providerId); }
    void countJwksRequest(const QString& providerId) { ++m_jwksRequests[providerId]; }
    int jwksRequestCount(const QString& providerId) const { return m_jwksRequests.value(providerId); }

    // Key of the sandbox's HS256 JWTs: random per server, so tokens never outlive it.
    const QByteArray& jwtKey() const { return m_jwtKey; }

    // Random values from QRandomGenerator::system().
    static QString randomToken(int bytes); // base64url, no padding
    static QString randomAlphanumeric(int length);
    static QString randomUuid(); // UUID v4

private:
    double m_timeScale = 1.0;
    quint64 m_serial = 0;
    QStringList m_providerIds;
    QHash<QString, QStringList> m_availableFaults;
    QHash<QString, QSet<QString>> m_activeFaults;
    QHash<QString, quint64> m_expiredThrough;
    QHash<QString, quint64> m_revokedThrough;
    QHash<QString, int> m_tokenRequests;
    QHash<QString, int> m_jwksRequests;
    QByteArray m_jwtKey;
};

} // namespace keyway::sandbox
