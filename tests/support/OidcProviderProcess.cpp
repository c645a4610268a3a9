#include "tests/support/OidcProviderProcess.h"

#include "tests/support/SandboxBrowser.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>
#include <QUrlQuery>

namespace keyway::test {

namespace {

QString scriptPath()
{
    return QStringLiteral(KEYWAY_OIDC_PROVIDER_SCRIPT);
}

QString attribute(const QString& tag, const QString& name)
{
    const QRegularExpression pattern(QStringLiteral("\\b") + name + QStringLiteral("\\s*=\\s*\"([^\"]*)\""));
    const auto match = pattern.match(tag);
    return match.hasMatch() ? match.captured(1) : QString();
}

QString htmlUnescape(QString text)
{
    text.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    text.replace(QStringLiteral("&#39;"), QStringLiteral("'"));
    text.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    text.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    text.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return text;
}

} // namespace

OidcProviderProcess::OidcProviderProcess(QObject* parent) : QObject(parent)
{
    connect(
        &m_process, &QProcess::readyReadStandardError, this, [this] { m_stderr += m_process.readAllStandardError(); });
}

OidcProviderProcess::~OidcProviderProcess()
{
    stop();
}

QString OidcProviderProcess::nodeProgram()
{
    QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        node = QStandardPaths::findExecutable(QStringLiteral("nodejs"));
    }
    return node;
}

QString OidcProviderProcess::unavailableReason()
{
    if (nodeProgram().isEmpty()) {
        return QStringLiteral("Node.js is not installed (Debian package nodejs; `make deps` installs it)");
    }
    return {};
}

PemKeyPair OidcProviderProcess::generateKey(const QString& type)
{
    static const QString script = QStringLiteral(
        "const c = require('crypto');"
        "const t = process.argv[1];"
        "const k = t === 'ec' ? c.generateKeyPairSync('ec', {namedCurve: 'P-256'})"
        "                     : c.generateKeyPairSync('rsa', {modulusLength: 2048});"
        "process.stdout.write(JSON.stringify({priv: k.privateKey.export({type: 'pkcs8', format: 'pem'}),"
        "                                     pub: k.publicKey.export({type: 'spki', format: 'pem'})}));");
    QProcess node;
    node.start(nodeProgram(), {QStringLiteral("-e"), script, type});
    if (!node.waitForFinished(30000) || node.exitCode() != 0) {
        return {};
    }
    const auto json = nlohmann::json::parse(node.readAllStandardOutput().toStdString(), nullptr, false);
    if (!json.is_object()) {
        return {};
    }
    return {QByteArray::fromStdString(json.value("priv", "")), QByteArray::fromStdString(json.value("pub", ""))};
}

bool OidcProviderProcess::start(const nlohmann::json& config, QString* error)
{
    const auto fail = [&](const QString& why) {
        if (error) {
            *error = why;
        }
        stop();
        return false;
    };
    if (nodeProgram().isEmpty()) {
        return fail(unavailableReason());
    }
    if (!QFileInfo::exists(scriptPath())
        || !QFileInfo::exists(QFileInfo(scriptPath()).absolutePath()
                              + QStringLiteral("/node_modules/oidc-provider/package.json"))) {
        return fail(QStringLiteral("the provider is not installed at %1: build the target keyway_oidc_provider "
                                   "(it runs `npm ci` in tests/oidc; needs npm and the npm registry)")
                        .arg(QFileInfo(scriptPath()).absolutePath()));
    }
    if (!m_dir.isValid()) {
        return fail(QStringLiteral("no temporary directory for the provider's config"));
    }
    // The config holds the clients' secrets and private keys: owner-only, outside the tests' HOME.
    const QString configPath = m_dir.filePath(QStringLiteral("provider.json"));
    QFile file(configPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return fail(QStringLiteral("cannot write %1").arg(configPath));
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QByteArray::fromStdString(config.dump()));
    file.close();

    m_stdout.clear();
    m_stderr.clear();
    m_issuer.clear();
    m_process.setProgram(nodeProgram());
    m_process.setArguments({scriptPath(), QStringLiteral("--config"), configPath});
    m_process.setWorkingDirectory(QFileInfo(scriptPath()).absolutePath());
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        return fail(QStringLiteral("node did not start: %1").arg(m_process.errorString()));
    }
    // "listening <issuer>" once the socket is bound and the provider built.
    QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(200) && m_process.state() == QProcess::NotRunning) {
            break;
        }
        m_stdout += m_process.readAllStandardOutput();
        const QRegularExpression listening(QStringLiteral("^listening (http://127\\.0\\.0\\.1:\\d+)$"),
                                           QRegularExpression::MultilineOption);
        const auto match = listening.match(QString::fromUtf8(m_stdout));
        if (match.hasMatch()) {
            m_issuer = QUrl(match.captured(1));
            break;
        }
    }
    if (!m_issuer.isValid()) {
        m_stderr += m_process.readAllStandardError();
        return fail(QStringLiteral("the provider did not start listening: %1").arg(log()));
    }
    // Discovery answering is what "ready" means to a client.
    while (!deadline.hasExpired()) {
        const HttpExchange discovery
            = httpExchange(m_nam, "GET", endpoint(QStringLiteral("/.well-known/openid-configuration")));
        if (discovery.status == 200) {
            const auto document = nlohmann::json::parse(discovery.body.toStdString(), nullptr, false);
            if (document.is_object() && document.value("issuer", "") == m_issuer.toString().toStdString()) {
                return true;
            }
            return fail(QStringLiteral("the discovery document names another issuer"));
        }
        QThread::msleep(100);
    }
    return fail(QStringLiteral("discovery did not answer: %1").arg(log()));
}

void OidcProviderProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning) {
        return;
    }
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

bool OidcProviderProcess::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

QUrl OidcProviderProcess::endpoint(const QString& path) const
{
    QUrl url = m_issuer;
    url.setPath(path);
    return url;
}

QString OidcProviderProcess::log() const
{
    return QString::fromUtf8(m_stderr);
}

nlohmann::json OidcProviderProcess::testRequest(const QByteArray& verb, const QString& path, const nlohmann::json& body)
{
    const HttpExchange exchange = httpExchange(m_nam,
                                               verb,
                                               endpoint(path),
                                               body.is_null() ? QByteArray() : QByteArray::fromStdString(body.dump()),
                                               {{"Content-Type", "application/json"}});
    if (exchange.status != 200) {
        return nullptr;
    }
    return nlohmann::json::parse(exchange.body.toStdString(), nullptr, false);
}

nlohmann::json OidcProviderProcess::stats()
{
    return testRequest("GET", QStringLiteral("/test/stats"), nullptr);
}

bool OidcProviderProcess::rotateKeys(const nlohmann::json& keys)
{
    return testRequest("POST", QStringLiteral("/test/rotate-keys"), {{"keys", keys}}).is_object();
}

bool OidcProviderProcess::tamperNextIdToken(const QString& what)
{
    const nlohmann::json body
        = what.isEmpty() ? nlohmann::json {{"id_token", nullptr}} : nlohmann::json {{"id_token", what.toStdString()}};
    return testRequest("POST", QStringLiteral("/test/tamper"), body).is_object();
}

bool OidcProviderProcess::revokeNextAccessToken()
{
    return testRequest("POST", QStringLiteral("/test/revoke-next-access-token"), nlohmann::json::object()).is_object();
}

bool OidcProviderProcess::slowDownNextPoll()
{
    return testRequest("POST", QStringLiteral("/test/slow-down-next"), nlohmann::json::object()).is_object();
}

HttpExchange OidcProviderProcess::refreshByHand(const QString& clientId, const QString& refreshToken)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
    form.addQueryItem(QStringLiteral("client_id"), clientId);
    form.addQueryItem(QStringLiteral("refresh_token"), refreshToken);
    return httpExchange(m_nam,
                        "POST",
                        endpoint(QStringLiteral("/token")),
                        form.query(QUrl::FullyEncoded).toUtf8(),
                        {{"Content-Type", "application/x-www-form-urlencoded"}});
}

QString OidcProviderProcess::submitDeviceForms(const QUrl& verificationUrl, bool approve, QString* error)
{
    const auto fail = [&](const QString& why) {
        if (error) {
            *error = why;
        }
        return QString();
    };
    QNetworkAccessManager browser; // its own cookies, like a phone's browser
    QByteArray verb = "GET";
    QUrl url = verificationUrl;
    QByteArray body;
    for (int hop = 0; hop < 16; ++hop) {
        QList<QPair<QByteArray, QByteArray>> headers {{"Accept", "text/html"}};
        if (verb == "POST") {
            headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")));
        }
        const HttpExchange page = httpExchange(browser, verb, url, body, headers);
        if (page.status >= 300 && page.status < 400) {
            url = url.resolved(QUrl::fromEncoded(page.header("Location")));
            verb = "GET";
            body.clear();
            continue;
        }
        const QString html = QString::fromUtf8(page.body);
        if (page.status != 200) {
            return fail(QStringLiteral("HTTP %1 at %2: %3").arg(page.status).arg(url.path(), html.left(300)));
        }
        const QRegularExpression formPattern(QStringLiteral("<form[^>]*method=\"post\"[^>]*>(.*?)</form>"),
                                             QRegularExpression::DotMatchesEverythingOption
                                                 | QRegularExpression::CaseInsensitiveOption);
        const auto form = formPattern.match(html);
        if (!form.hasMatch() || form.captured(1).contains(QLatin1String("type=\"text\""))) {
            return html; // the provider's last word (success, an error), or a page asking the user to type a code
        }
        const QString formTag = form.captured(0).section(QLatin1Char('>'), 0, 0);
        QUrlQuery fields;
        const QRegularExpression hidden(QStringLiteral("<input[^>]*type=\"hidden\"[^>]*>"));
        auto it = hidden.globalMatch(form.captured(1));
        bool confirmPage = false;
        while (it.hasNext()) {
            const QString tag = it.next().captured(0);
            const QString name = htmlUnescape(attribute(tag, QStringLiteral("name")));
            confirmPage = confirmPage || name == QLatin1String("confirm");
            if (name == QLatin1String("confirm") && !approve) {
                continue;
            }
            fields.addQueryItem(name, htmlUnescape(attribute(tag, QStringLiteral("value"))));
        }
        if (confirmPage && !approve) {
            fields.addQueryItem(QStringLiteral("abort"), QStringLiteral("yes"));
        }
        url = url.resolved(QUrl(htmlUnescape(attribute(formTag, QStringLiteral("action")))));
        verb = "POST";
        body = fields.query(QUrl::FullyEncoded).toUtf8();
    }
    return fail(QStringLiteral("too many pages"));
}

QString randomCanary(const char* prefix)
{
    return QString::fromLatin1(prefix) + QString::number(QRandomGenerator::system()->generate64(), 36)
        + QString::number(QRandomGenerator::system()->generate64(), 36);
}

QString pemCanary(const QByteArray& pem)
{
    const QList<QByteArray> lines = pem.split('\n');
    return lines.size() > 4 ? QString::fromLatin1(lines.at(lines.size() / 2)) : QString();
}

bool OidcTestRealm::generate()
{
    signing = OidcProviderProcess::generateKey(QStringLiteral("rsa"));
    signing2 = OidcProviderProcess::generateKey(QStringLiteral("rsa"));
    clientRsa = OidcProviderProcess::generateKey(QStringLiteral("rsa"));
    clientEc = OidcProviderProcess::generateKey(QStringLiteral("ec"));
    stranger = OidcProviderProcess::generateKey(QStringLiteral("rsa"));
    confidentialSecret = randomCanary("canary-oidc-confidential-");
    jwtSecret = randomCanary("canary-oidc-client-secret-jwt-") + randomCanary("-");
    for (const PemKeyPair* key : {&signing, &signing2, &clientRsa, &clientEc, &stranger}) {
        if (!key->privatePem.startsWith("-----BEGIN PRIVATE KEY-----")) {
            return false;
        }
    }
    return true;
}

QStringList OidcTestRealm::canaries() const
{
    QStringList all {confidentialSecret, jwtSecret};
    for (const PemKeyPair* key : {&signing, &signing2, &clientRsa, &clientEc, &stranger}) {
        all.append(pemCanary(key->privatePem));
    }
    return all;
}

nlohmann::json OidcTestRealm::config() const
{
    const auto pem = [](const QByteArray& text) { return text.toStdString(); };
    const nlohmann::json loopback = {"http://127.0.0.1/callback"};
    return {
        {"keys", {{{"kid", "sig-1"}, {"pem", pem(signing.privatePem)}}}},
        {"clients",
         {
             {{"client_id", "keyway-confidential"},
              {"client_secret", confidentialSecret.toStdString()},
              {"token_endpoint_auth_method", "client_secret_basic"},
              {"application_type", "native"},
              {"grant_types", {"authorization_code", "refresh_token", "client_credentials"}},
              {"redirect_uris", loopback},
              {"scope", "openid offline_access email profile api:read"}},
             {{"client_id", "keyway-public"},
              {"token_endpoint_auth_method", "none"},
              {"application_type", "native"},
              {"grant_types", {"authorization_code", "refresh_token"}},
              {"redirect_uris", loopback}},
             {{"client_id", "keyway-pkjwt"},
              {"token_endpoint_auth_method", "private_key_jwt"},
              {"grant_types", {"client_credentials"}},
              {"response_types", nlohmann::json::array()},
              {"redirect_uris", nlohmann::json::array()},
              {"scope", "api:read"},
              {"jwks_pem",
               {{{"kid", "client-rs"}, {"pem", pem(clientRsa.publicPem)}},
                {{"kid", "client-es"}, {"pem", pem(clientEc.publicPem)}}}}},
             {{"client_id", "keyway-secret-jwt"},
              {"client_secret", jwtSecret.toStdString()},
              {"token_endpoint_auth_method", "client_secret_jwt"},
              {"grant_types", {"client_credentials"}},
              {"response_types", nlohmann::json::array()},
              {"redirect_uris", nlohmann::json::array()},
              {"scope", "api:read"}},
             {{"client_id", "keyway-device"},
              {"token_endpoint_auth_method", "none"},
              {"grant_types", {"urn:ietf:params:oauth:grant-type:device_code", "refresh_token"}},
              {"response_types", nlohmann::json::array()},
              {"redirect_uris", nlohmann::json::array()}},
         }},
    };
}

} // namespace keyway::test
