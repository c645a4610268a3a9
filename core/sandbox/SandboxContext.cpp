#include "core/sandbox/SandboxContext.h"

#include "core/util/Clock.h"
#include "core/util/Logging.h"

#include <QRandomGenerator>
#include <QUuid>

#include <cmath>

namespace keyway::sandbox {

namespace {
const QString kExpireNow = QStringLiteral("expire_now");
const QString kRevoke = QStringLiteral("revoke");
} // namespace

SandboxContext::SandboxContext()
{
    m_jwtKey = randomToken(32).toLatin1();
}

QStringList SandboxContext::genericFaults()
{
    return {kExpireNow, kRevoke, QStringLiteral("deny"), QStringLiteral("slow"), QStringLiteral("error_page")};
}

bool SandboxContext::isAction(const QString& fault)
{
    return fault == kExpireNow || fault == kRevoke;
}

void SandboxContext::registerProvider(const QString& providerId, const QStringList& extraFaults)
{
    if (!m_providerIds.contains(providerId)) {
        m_providerIds.append(providerId);
    }
    m_availableFaults.insert(providerId, genericFaults() + extraFaults);
}

bool SandboxContext::hasProvider(const QString& providerId) const
{
    return m_availableFaults.contains(providerId);
}

QStringList SandboxContext::providerIds() const
{
    return m_providerIds;
}

QStringList SandboxContext::availableFaults(const QString& providerId) const
{
    return m_availableFaults.value(providerId);
}

QStringList SandboxContext::activeFaults(const QString& providerId) const
{
    QStringList active;
    const QSet<QString> on = m_activeFaults.value(providerId);
    for (const QString& fault : m_availableFaults.value(providerId)) {
        if (on.contains(fault)) {
            active.append(fault);
        }
    }
    return active;
}

bool SandboxContext::faultOn(const QString& providerId, const QString& fault) const
{
    const auto it = m_activeFaults.constFind(providerId);
    return it != m_activeFaults.constEnd() && it->contains(fault);
}

bool SandboxContext::setFault(const QString& providerId, const QString& fault, bool on)
{
    if (!m_availableFaults.value(providerId).contains(fault)) {
        return false;
    }
    qCInfo(lcSandbox) << "fault" << fault << (on ? "on" : "off") << "for" << providerId;
    if (isAction(fault)) {
        // Acts on everything issued so far; whatever is issued afterwards is unaffected.
        if (on) {
            (fault == kExpireNow ? m_expiredThrough : m_revokedThrough).insert(providerId, m_serial);
        }
        return true;
    }
    if (on) {
        m_activeFaults[providerId].insert(fault);
    } else {
        m_activeFaults[providerId].remove(fault);
    }
    return true;
}

qint64 SandboxContext::lifetimeMs(qint64 documentedSeconds) const
{
    return std::max<qint64>(1, std::llround(static_cast<double>(documentedSeconds) * 1000.0 / m_timeScale));
}

qint64 SandboxContext::advertisedSeconds(qint64 documentedSeconds) const
{
    return std::max<qint64>(1, std::llround(static_cast<double>(documentedSeconds) / m_timeScale));
}

qint64 SandboxContext::nowMs()
{
    return Clock::currentMSecsSinceEpoch();
}

QString SandboxContext::randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (int i = 0; i < bytes; ++i) {
        raw[i] = static_cast<char>(QRandomGenerator::system()->bounded(256));
    }
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString SandboxContext::randomAlphanumeric(int length)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i) {
        out.append(QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]));
    }
    return out;
}

QString SandboxContext::randomUuid()
{
    // QUuid::createUuid() draws from the system generator on Linux; we spell it out anyway.
    quint8 b[16];
    for (quint8& byte : b) {
        byte = static_cast<quint8>(QRandomGenerator::system()->bounded(256));
    }
    b[6] = static_cast<quint8>((b[6] & 0x0F) | 0x40);
    b[8] = static_cast<quint8>((b[8] & 0x3F) | 0x80);
    const QUuid uuid = QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char*>(b), 16));
    return uuid.toString(QUuid::WithoutBraces);
}

} // namespace keyway::sandbox
