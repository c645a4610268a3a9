#pragma once

#include <QByteArray>
#include <QHttpServer>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace keyway::test {

// The small HTTP server behind tests/data/providers/acme-ledger.json, a provider profile no shipped
// code knows: sessions sent raw in X-Acme-Token, replies in a {"status": {"ok", "err"}, "result"}
// envelope whose HTTP status is always 200, and webhooks signed with base64 HMAC-SHA256 after "acme1:".
class AcmeLedgerServer
{
public:
    static constexpr const char* Account = "acct-7781";
    static constexpr const char* ApiKey = "canary-acme-api-key-5521";
    static constexpr const char* SigningKey = "canary-acme-signing-key-9034";

    AcmeLedgerServer();
    bool listen(); // 127.0.0.1, ephemeral port
    QUrl baseUrl() const;

    // Every X-Acme-Token / Authorization value the API endpoints received, in order.
    QStringList receivedTokens() const { return m_tokens; }
    QStringList receivedAuthorization() const { return m_authorization; }
    QStringList issuedSessions() const { return m_sessions; }

    static QString profilePath(); // tests/data/providers/acme-ledger.json in the source tree
    // Copies the profile into $XDG_CONFIG_HOME/keyway/providers/, where users add their own.
    static bool installProfile();
    // The header line Acme would send for `body`.
    static QByteArray signatureHeader(const QByteArray& body);

private:
    QHttpServer m_http;
    quint16 m_port = 0;
    QStringList m_tokens;
    QStringList m_authorization;
    QStringList m_sessions;
};

} // namespace keyway::test
