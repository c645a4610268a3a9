#include "tests/support/AcmeLedgerServer.h"

#include "core/profile/ProfileLoader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QMessageAuthenticationCode>

#include <nlohmann/json.hpp>

namespace keyway::test {

namespace {

using Json = nlohmann::ordered_json;

void reply(QHttpServerResponder& responder, const Json& body, int status = 200)
{
    const QByteArray bytes = QByteArray::fromStdString(body.dump());
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    responder.writeHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(bytes.size()));
    responder.writeBody(bytes);
}

Json envelope(bool ok, const std::string& err, const Json& result)
{
    return Json {{"status", {{"ok", ok}, {"err", err}}}, {"result", result}};
}

QByteArray header(const QHttpServerRequest& request, const QByteArray& name)
{
    for (const auto& [key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

} // namespace

AcmeLedgerServer::AcmeLedgerServer()
{
    m_http.setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        const QString path = request.url().path();
        if (path == QLatin1String("/acme/session") && request.method() == QHttpServerRequest::Method::Post) {
            const Json body = Json::parse(request.body().toStdString(), nullptr, false);
            if (!body.is_object() || body.value("account", "") != Account || body.value("key", "") != ApiKey) {
                reply(responder, envelope(false, "unknown account or key", nullptr));
                return;
            }
            const QString session = QStringLiteral("acme-session-%1").arg(m_sessions.size() + 1);
            m_sessions.append(session);
            reply(responder, envelope(true, "", {{"session", session.toStdString()}, {"ttl", 900}}));
            return;
        }
        const QString token = QString::fromUtf8(header(request, "X-Acme-Token"));
        m_tokens.append(token);
        m_authorization.append(QString::fromUtf8(header(request, "Authorization")));
        if (!m_sessions.contains(token)) {
            reply(responder, envelope(false, "no such session", nullptr), 401);
            return;
        }
        if (path == QLatin1String("/acme/whoami")) {
            reply(responder, envelope(true, "", {{"account", Account}}));
        } else if (path == QLatin1String("/acme/balance")) {
            // HTTP 200 with an error envelope: only the profile's apiSuccess tells it failed.
            reply(responder, envelope(false, "ledger frozen for audit", {{"balance", nullptr}}));
        } else {
            reply(responder, envelope(false, "no such endpoint", nullptr), 404);
        }
    });
}

bool AcmeLedgerServer::listen()
{
    m_port = m_http.listen(QHostAddress::LocalHost, 0);
    return m_port != 0;
}

QUrl AcmeLedgerServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QString AcmeLedgerServer::profilePath()
{
    return QStringLiteral(KEYWAY_SOURCE_DIR "/tests/data/providers/acme-ledger.json");
}

bool AcmeLedgerServer::installProfile()
{
    const QString directory = ProfileRegistry::userProfileDirectory();
    const QString target = directory + QStringLiteral("/acme-ledger.json");
    QFile::remove(target);
    return QDir().mkpath(directory) && QFile::copy(profilePath(), target);
}

QByteArray AcmeLedgerServer::signatureHeader(const QByteArray& body)
{
    return "X-Acme-Signature: acme1:"
        + QMessageAuthenticationCode::hash(body, SigningKey, QCryptographicHash::Sha256).toBase64();
}

} // namespace keyway::test
