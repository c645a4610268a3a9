// Keyway against a real, OpenID-certified provider (panva's oidc-provider, tests/oidc/provider.mjs) started
// once for this binary on 127.0.0.1: the engine directly, and keyway-cli as a user runs it (environments made
// with `env add`, secrets in the throwaway keyring, its own XDG directories). Sign-ins approve at once as
// "alice"; SandboxBrowser follows the redirects, OidcProviderProcess submits the device flow's forms.
#include "core/flow/FlowEngine.h"
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/SecretBatch.h"
#include "tests/support/CliProcess.h"
#include "tests/support/OidcProviderProcess.h"
#include "tests/support/SandboxBrowser.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

#include <functional>

using namespace keyway;
using keyway::test::OidcProviderProcess;
using keyway::test::PemKeyPair;
using keyway::test::SandboxBrowser;

namespace {

using keyway::test::CliRun;

// The first JSON Lines event named `event` (and, if given, with "name" == name); null when none.
nlohmann::json eventOf(const CliRun& run, const char* event, const char* name = nullptr)
{
    for (const QByteArray& line : run.out.split('\n')) {
        const auto json = nlohmann::json::parse(line.toStdString(), nullptr, false);
        if (json.is_object() && json.value("event", "") == event
            && (!name || json.value("name", "") == std::string(name))) {
            return json;
        }
    }
    return nullptr;
}

} // namespace

class TestOidcProvider : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_xdg; // this binary's own HOME and XDG directories: grepped for canaries at the end
    QProcessEnvironment m_machine; // keyway-cli's environment: those directories, the suite's keyring
    QTemporaryDir m_files; // key files handed to --secret-file
    OidcProviderProcess m_provider;
    KeychainSecretStore m_keychain;
    SandboxBrowser m_browser;
    ProfileRegistry m_profiles;
    QString m_suffix = QString::number(QCoreApplication::applicationPid());
    QStringList m_canaries; // client secrets, private keys, tokens seen: never in an output or a file
    int m_cliRuns = 0;

    test::OidcTestRealm m_realm; // the provider's keys, clients and their secrets

    QString envName(const QString& base) const { return base + QLatin1Char('-') + m_suffix; }
    QString issuer() const { return m_provider.issuer().toString(); }

    // Runs keyway-cli with `input` on stdin while this process's event loop keeps the browser going.
    CliRun run(const QStringList& args,
               const QByteArray& input = {},
               const std::function<void(const nlohmann::json&)>& onJsonLine = {},
               int timeoutMs = 60000)
    {
        test::CliInvocation invocation(args, input, m_machine);
        invocation.onJsonLine = onJsonLine;
        invocation.timeoutMs = timeoutMs;
        CliRun result = test::runCli(invocation);
        ++m_cliRuns;
        const QString leaked = test::leakedSecret(result.text() + result.err, m_canaries);
        if (!leaked.isEmpty()) {
            qWarning("keyway-cli %s printed a secret", qPrintable(args.join(QLatin1Char(' '))));
            result.exitCode = 99;
        }
        return result;
    }

    // `env add` as a user types it: non-secret values with --set, secrets on stdin, PEM keys from a file.
    bool addEnvironment(const QString& name,
                        const QString& provider,
                        const QStringList& values,
                        const QList<QPair<QString, QString>>& secrets = {},
                        const QList<QPair<QString, QByteArray>>& secretFiles = {})
    {
        QStringList args {QStringLiteral("env"),
                          QStringLiteral("add"),
                          name,
                          QStringLiteral("--provider"),
                          provider,
                          QStringLiteral("--base-url"),
                          issuer()};
        for (const QString& value : values) {
            args << QStringLiteral("--set") << value;
        }
        QByteArray input;
        for (const auto& [key, value] : secrets) {
            args << QStringLiteral("--secret") << key;
            input += value.toUtf8() + '\n';
        }
        for (const auto& [key, pem] : secretFiles) {
            const QString path = m_files.filePath(name + QLatin1Char('-') + key + QStringLiteral(".pem"));
            QFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size()) {
                return false;
            }
            file.close();
            args << QStringLiteral("--secret-file") << key + QLatin1Char('=') + path;
        }
        const CliRun r = run(args, input);
        // The key went to the keychain: the file is never read again, so it may go (and does, here).
        for (const auto& [key, pem] : secretFiles) {
            QFile::remove(m_files.filePath(name + QLatin1Char('-') + key + QStringLiteral(".pem")));
        }
        if (r.exitCode != 0) {
            qWarning("env add %s: exit %d: %s", qPrintable(name), r.exitCode, qPrintable(r.err));
        }
        return r.exitCode == 0;
    }

    // A sign-in with --no-browser --json: the test's browser takes the printed URL and follows it.
    CliRun signIn(const QStringList& args, int* urlsOpened = nullptr)
    {
        return run(args + QStringList {QStringLiteral("--no-browser"), QStringLiteral("--json")},
                   {},
                   [this, urlsOpened](const nlohmann::json& line) {
                       if (line.is_object() && line.value("event", "") == "authorize_url") {
                           if (urlsOpened) {
                               ++*urlsOpened;
                           }
                           m_browser.start(QUrl(QString::fromStdString(line.value("url", ""))), true, nullptr);
                       }
                   });
    }

    // The provider's public PKCE client (client_auth none) with only an issuer: everything else is discovered.
    bool addPublicClient(const QString& name, const QString& scope, const QString& issuerUrl = {})
    {
        return addEnvironment(name,
                              QStringLiteral("oauth2-code"),
                              {QStringLiteral("issuer=") + (issuerUrl.isEmpty() ? issuer() : issuerUrl),
                               QStringLiteral("client_id=keyway-public"),
                               QStringLiteral("client_auth=none"),
                               QStringLiteral("scope=") + scope});
    }

    // `call NAME GET /api/whoami`: the provider's resource that echoes the token's client and scope.
    CliRun callWhoami(const QString& name, const QStringList& more = {})
    {
        return run(QStringList {QStringLiteral("call"), name, QStringLiteral("GET"), QStringLiteral("/api/whoami")}
                   + more);
    }

    // The shipped oauth2-code profile on this provider, signing in with the test's browser.
    FlowOptions codeOptions(const QMap<QString, QString>& credentials)
    {
        FlowOptions options;
        options.baseUrl = issuer();
        options.credentials = credentials;
        options.openUrl = [this](const QUrl& url) {
            m_browser.opener(true)(url);
            return true;
        };
        options.browserTimeoutMs = 20000;
        return options;
    }

    FlowResult runEngine(const FlowOptions& options, const std::function<void(FlowEngine&)>& start)
    {
        const ProviderProfile* profile = m_profiles.find(QStringLiteral("oauth2-code"));
        if (!profile) {
            FlowResult missing;
            missing.outcome = FlowResult::Outcome::Invalid;
            missing.detail = QStringLiteral("no oauth2-code profile");
            return missing;
        }
        FlowEngine engine(*profile, options);
        FlowResult result;
        result.outcome = FlowResult::Outcome::Timeout;
        result.detail = QStringLiteral("the engine did not finish in 30 s");
        QEventLoop loop;
        bool finished = false;
        connect(&engine, &FlowEngine::finished, &loop, [&](const FlowResult& r) {
            result = r;
            finished = true;
            loop.quit();
        });
        start(engine);
        if (!finished) {
            QTimer::singleShot(30000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return result;
    }

    int stat(const char* name)
    {
        const auto stats = m_provider.stats();
        return stats.is_object() ? stats.value(name, -1) : -1;
    }

    QString storedRefreshToken(const QString& name)
    {
        EnvironmentStore store;
        QString error;
        if (!store.load(&error) || !store.find(name)) {
            return {};
        }
        const QString key = SecretStore::refreshTokenKey(store.find(name)->id, QString());
        const auto results = SecretBatch::readAllAndWait(m_keychain, {key});
        return results.value(key).ok() ? results.value(key).value : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString unavailable = OidcProviderProcess::unavailableReason();
        if (!unavailable.isEmpty()) {
            QSKIP(qPrintable(unavailable));
        }
        QVERIFY(m_xdg.isValid() && m_files.isValid());
        // keyway-cli and this process (which reads the environments file and the stored refresh tokens) share
        // one machine of their own.
        m_machine = test::isolatedMachine(m_xdg.path());
        for (const char* variable : {"HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}) {
            const QString dir = m_machine.value(QString::fromLatin1(variable));
            QVERIFY(QDir().mkpath(dir));
            qputenv(variable, dir.toUtf8());
        }
        m_profiles.loadShipped();

        QVERIFY2(m_realm.generate(), "node could not make a key pair");
        m_canaries << m_realm.canaries();

        QString error;
        QVERIFY2(m_provider.start(m_realm.config(), &error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        // Nothing Keyway wrote (config, history, health results, caches) holds a secret or a token.
        QDirIterator it(m_xdg.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            ++files;
            for (const QString& canary : std::as_const(m_canaries)) {
                QVERIFY2(canary.isEmpty() || !content.contains(canary.toUtf8()),
                         qPrintable(QStringLiteral("a secret or token reached %1").arg(file.fileName())));
            }
        }
        QVERIFY(m_cliRuns == 0 || files > 0); // the grep above saw what the runs wrote
        m_provider.stop();
    }

    void harnessServesDiscoveryAndKeys()
    {
        QNetworkAccessManager nam;
        const auto discovery = test::httpExchange(nam, "GET", m_provider.endpoint("/.well-known/openid-configuration"));
        QCOMPARE(discovery.status, 200);
        const auto doc = nlohmann::json::parse(discovery.body.toStdString());
        QCOMPARE(QString::fromStdString(doc.at("issuer")), issuer());
        for (const char* key : {"authorization_endpoint",
                                "token_endpoint",
                                "jwks_uri",
                                "userinfo_endpoint",
                                "introspection_endpoint",
                                "revocation_endpoint",
                                "device_authorization_endpoint"}) {
            QVERIFY2(doc.contains(key), key);
        }
        const auto jwks = test::httpExchange(nam, "GET", QUrl(QString::fromStdString(doc.at("jwks_uri"))));
        QCOMPARE(jwks.status, 200);
        QVERIFY(jwks.body.contains("\"kid\":\"sig-1\""));
        QVERIFY(!jwks.body.contains("\"d\":")); // public halves only
    }

    // The harness's own levers, by hand (so the rows that use them fail for Keyway's reasons only): the
    // next ID token is tampered with exactly once, the key rotation publishes the new key first, the device
    // flow's pages are approved by submitting their forms, a token can be revoked behind the client's back.
    void harnessLevers()
    {
        QNetworkAccessManager nam;
        const QByteArray credentials
            = QByteArray("keyway-confidential:") + QUrl::toPercentEncoding(m_realm.confidentialSecret);
        const QList<QPair<QByteArray, QByteArray>> withBasic {
            {QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")},
            {QByteArray("Authorization"), QByteArray("Basic ") + credentials.toBase64()}};
        const auto codeFlowIdToken = [&]() -> nlohmann::json {
            QUrl authorize = m_provider.endpoint(QStringLiteral("/auth"));
            // A native client: the provider insists on PKCE even with a secret.
            const QByteArray verifier = "harness-verifier-0123456789-0123456789-0123456789";
            const QByteArray challenge = QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
                                             .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
            authorize.setQuery(QStringLiteral("client_id=keyway-confidential&response_type=code&scope=openid"
                                              "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&state=s&nonce=n1"
                                              "&code_challenge_method=S256&code_challenge=")
                               + QString::fromLatin1(challenge));
            SandboxBrowser browser;
            const auto result = browser.run(authorize, false);
            const QString code = QUrlQuery(result.finalUrl).queryItemValue(QStringLiteral("code"));
            if (code.isEmpty()) {
                return nullptr;
            }
            const auto token = test::httpExchange(
                nam,
                "POST",
                m_provider.endpoint(QStringLiteral("/token")),
                "grant_type=authorization_code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&code_verifier="
                    + verifier + "&code=" + code.toLatin1(),
                withBasic);
            const auto reply = nlohmann::json::parse(token.body.toStdString(), nullptr, false);
            const QList<QByteArray> parts = QByteArray::fromStdString(reply.value("id_token", "")).split('.');
            if (parts.size() != 3) {
                return nullptr;
            }
            const auto decode = [](const QByteArray& part) {
                return nlohmann::json::parse(
                    QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding).toStdString(), nullptr, false);
            };
            nlohmann::json claims = decode(parts[1]);
            claims["header"] = decode(parts[0]);
            claims["signature"] = parts[2].toStdString();
            return claims;
        };
        QVERIFY(m_provider.tamperNextIdToken(QStringLiteral("aud")));
        const auto tampered = codeFlowIdToken();
        QVERIFY(tampered.is_object());
        QCOMPARE(tampered.value("aud", ""), "someone-else");
        QCOMPARE(tampered.value("nonce", ""), "n1");
        const auto plain = codeFlowIdToken();
        QVERIFY(plain.is_object());
        QCOMPARE(plain.value("aud", ""), "keyway-confidential");
        QCOMPARE(plain.at("header").value("kid", ""), "sig-1");
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(m_provider.tamperNextIdToken(QStringLiteral("exp")));
        const auto expired = codeFlowIdToken();
        QVERIFY(expired.is_object() && expired.value("exp", now) < now);
        QVERIFY(m_provider.tamperNextIdToken(QStringLiteral("nonce")));
        QVERIFY(codeFlowIdToken().value("nonce", "n1") != "n1");
        QVERIFY(m_provider.tamperNextIdToken(QStringLiteral("iss")));
        QVERIFY(codeFlowIdToken().value("iss", "") != issuer().toStdString());
        QVERIFY(m_provider.tamperNextIdToken(QStringLiteral("signature")));
        const auto forged = codeFlowIdToken(); // same kid and claims, another key's signature
        QVERIFY(forged.is_object());
        QCOMPARE(forged.at("header").value("kid", ""), "sig-1");
        QCOMPARE(forged.value("aud", ""), "keyway-confidential");
        QVERIFY(m_provider.tamperNextIdToken(QStringLiteral("unknown_kid")));
        QCOMPARE(codeFlowIdToken().at("header").value("kid", ""), "kid-nobody-published");

        QVERIFY(m_provider.rotateKeys({{{"kid", "sig-2"}, {"pem", m_realm.signing2.privatePem.toStdString()}},
                                       {{"kid", "sig-1"}, {"pem", m_realm.signing.privatePem.toStdString()}}}));
        auto jwks = test::httpExchange(nam, "GET", m_provider.endpoint(QStringLiteral("/jwks")));
        QVERIFY(jwks.body.indexOf("sig-2") >= 0 && jwks.body.indexOf("sig-2") < jwks.body.indexOf("sig-1"));
        const auto rotated = codeFlowIdToken(); // sign-ins go on, signed with the new key
        QVERIFY(rotated.is_object());
        QCOMPARE(rotated.at("header").value("kid", ""), "sig-2");
        QVERIFY(m_provider.rotateKeys({{{"kid", "sig-1"}, {"pem", m_realm.signing.privatePem.toStdString()}}}));
        jwks = test::httpExchange(nam, "GET", m_provider.endpoint(QStringLiteral("/jwks")));
        QVERIFY(!jwks.body.contains("sig-2"));

        for (const bool approve : {true, false}) {
            const auto authorization = test::httpExchange(nam,
                                                          "POST",
                                                          m_provider.endpoint(QStringLiteral("/device/auth")),
                                                          "client_id=keyway-device&scope=openid",
                                                          {{"Content-Type", "application/x-www-form-urlencoded"}});
            QCOMPARE(authorization.status, 200);
            const auto device = nlohmann::json::parse(authorization.body.toStdString());
            QCOMPARE(device.value("interval", 0), 1);
            const auto poll = [&] {
                return test::httpExchange(nam,
                                          "POST",
                                          m_provider.endpoint(QStringLiteral("/token")),
                                          "client_id=keyway-device&grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%"
                                          "3Adevice_code&device_code="
                                              + QByteArray::fromStdString(device.at("device_code")),
                                          {{"Content-Type", "application/x-www-form-urlencoded"}});
            };
            QVERIFY(poll().body.contains("authorization_pending"));
            if (!approve) {
                QVERIFY(m_provider.slowDownNextPoll());
                QVERIFY(poll().body.contains("slow_down"));
                QVERIFY(poll().body.contains("authorization_pending"));
            }
            QString error;
            const QString page = m_provider.submitDeviceForms(
                QUrl(QString::fromStdString(device.at("verification_uri_complete"))), approve, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            const auto token = poll();
            if (approve) {
                QVERIFY2(page.contains(QStringLiteral("Device approved")), qPrintable(page.left(300)));
                QCOMPARE(token.status, 200);
                const auto reply = nlohmann::json::parse(token.body.toStdString());
                QVERIFY(reply.contains("access_token") && reply.contains("refresh_token")
                        && reply.contains("id_token"));
            } else {
                QVERIFY2(token.body.contains("access_denied"), token.body.constData());
            }
        }

        QVERIFY(m_provider.revokeNextAccessToken());
        const auto cc = test::httpExchange(nam,
                                           "POST",
                                           m_provider.endpoint(QStringLiteral("/token")),
                                           "grant_type=client_credentials&scope=api%3Aread",
                                           withBasic);
        QCOMPARE(cc.status, 200);
        const QByteArray accessToken
            = QByteArray::fromStdString(nlohmann::json::parse(cc.body.toStdString()).at("access_token"));
        const auto introspection = test::httpExchange(nam,
                                                      "POST",
                                                      m_provider.endpoint(QStringLiteral("/token/introspection")),
                                                      "token=" + accessToken,
                                                      withBasic);
        QCOMPARE(introspection.status, 200);
        QVERIFY2(introspection.body.contains("\"active\":false"), introspection.body.constData());
    }

    // The engine alone: authorization code with PKCE (the public client has no secret, so the provider
    // insists on it), the ID token captured, then the refresh grant.
    void engineCodeFlowWithPkceAndRefresh()
    {
        const FlowOptions options = codeOptions({{QStringLiteral("authorize_url"), QStringLiteral("/auth")},
                                                 {QStringLiteral("token_url"), QStringLiteral("/token")},
                                                 {QStringLiteral("client_id"), QStringLiteral("keyway-public")},
                                                 {QStringLiteral("scope"), QStringLiteral("openid email")}});
        const FlowResult signIn = runEngine(options, [](FlowEngine& e) { e.runFullFlow(); });
        QVERIFY2(signIn.ok(), qPrintable(signIn.oneLine()));
        QVERIFY(m_browser.lastResult().finalUrl.query().contains(QStringLiteral("iss="))); // RFC 9207 echoed
        QVERIFY(signIn.value(QStringLiteral("access_token")));
        QVERIFY(signIn.value(QStringLiteral("id_token")));
        const auto refreshToken = signIn.value(QStringLiteral("refresh_token"));
        QVERIFY(refreshToken);
        m_canaries << refreshToken->value << signIn.value(QStringLiteral("access_token"))->value;

        const FlowResult refreshed = runEngine(options, [&](FlowEngine& e) { e.runRefresh(refreshToken->value); });
        QVERIFY2(refreshed.ok(), qPrintable(refreshed.oneLine()));
        QVERIFY(refreshed.value(QStringLiteral("access_token"))->value
                != signIn.value(QStringLiteral("access_token"))->value);
    }

    // One process, several sign-ins: the JWKS is fetched once and cached per issuer; after the provider
    // rotates its key, the unknown kid makes it fetch again exactly once; a kid nobody publishes is refused
    // after one refetch, never a loop.
    void engineKeyRotationRefetchesJwksOnce()
    {
        const FlowOptions options = codeOptions({{QStringLiteral("issuer"), issuer()},
                                                 {QStringLiteral("client_id"), QStringLiteral("keyway-public")},
                                                 {QStringLiteral("client_auth"), QStringLiteral("none")},
                                                 {QStringLiteral("scope"), QStringLiteral("openid")}});
        const auto signIn = [&] { return runEngine(options, [](FlowEngine& e) { e.runFullFlow(); }); };
        const int jwks = stat("jwks");
        FlowResult r = signIn();
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        QCOMPARE(stat("jwks"), jwks + 1);
        r = signIn();
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        QCOMPARE(stat("jwks"), jwks + 1); // cached

        QVERIFY(m_provider.rotateKeys({{{"kid", "sig-2"}, {"pem", m_realm.signing2.privatePem.toStdString()}},
                                       {{"kid", "sig-1"}, {"pem", m_realm.signing.privatePem.toStdString()}}}));
        r = signIn();
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        QCOMPARE(stat("jwks"), jwks + 2); // sig-2 was unknown: one refetch

        QVERIFY(m_provider.tamperNextIdToken(QStringLiteral("unknown_kid")));
        r = signIn();
        QVERIFY(m_provider.tamperNextIdToken(QString()));
        QVERIFY(!r.ok());
        QVERIFY2(r.detail.contains(QStringLiteral("kid-nobody-published")), qPrintable(r.oneLine()));
        QCOMPARE(stat("jwks"), jwks + 3); // one refetch, then refused
        QVERIFY(!r.value(QStringLiteral("access_token")));

        QVERIFY(m_provider.rotateKeys({{{"kid", "sig-1"}, {"pem", m_realm.signing.privatePem.toStdString()}}}));
    }

    void cliClientCredentialsWithBasicAuth()
    {
        QVERIFY(addEnvironment(envName(QStringLiteral("cc")),
                               QStringLiteral("oauth2-client"),
                               {QStringLiteral("token_url=/token"),
                                QStringLiteral("client_id=keyway-confidential"),
                                QStringLiteral("client_auth=basic"),
                                QStringLiteral("scope=api:read")},
                               {{QStringLiteral("client_secret"), m_realm.confidentialSecret}}));
        const CliRun r = callWhoami(envName(QStringLiteral("cc")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const auto body = nlohmann::json::parse(r.out.toStdString(), nullptr, false);
        QCOMPARE(body.value("client_id", ""), "keyway-confidential");
        QCOMPARE(body.value("scope", ""), "api:read");

        // A wrong secret is the provider refusing the client: exit 3, named by its OAuth error.
        QVERIFY(addEnvironment(envName(QStringLiteral("cc-wrong")),
                               QStringLiteral("oauth2-client"),
                               {QStringLiteral("token_url=/token"),
                                QStringLiteral("client_id=keyway-confidential"),
                                QStringLiteral("client_auth=basic")},
                               {{QStringLiteral("client_secret"), test::randomCanary("canary-wrong-secret-")}}));
        const CliRun wrong = callWhoami(envName(QStringLiteral("cc-wrong")));
        QCOMPARE(wrong.exitCode, 3);
        QVERIFY2(wrong.err.contains(QStringLiteral("invalid_client")), qPrintable(wrong.err));
    }

    // auth signs in (PKCE, public client), keeps the refresh token in the keychain; a later call in a new
    // process renews with it and never opens a browser.
    void cliCodeWithPkceThenRefresh()
    {
        const QString name = envName(QStringLiteral("code"));
        QVERIFY(addEnvironment(name,
                               QStringLiteral("oauth2-code"),
                               {QStringLiteral("authorize_url=/auth"),
                                QStringLiteral("token_url=/token"),
                                QStringLiteral("client_id=keyway-public"),
                                QStringLiteral("scope=openid email offline_access"),
                                QStringLiteral("probe_path=/api/whoami")}));
        int opened = 0;
        const CliRun auth = signIn({QStringLiteral("auth"), name}, &opened);
        QVERIFY2(auth.exitCode == 0, qPrintable(auth.describe()));
        QCOMPARE(opened, 1);
        QVERIFY(!eventOf(auth, "captured", "access_token").is_null());
        QVERIFY(!eventOf(auth, "captured", "refresh_token").is_null());
        QVERIFY(!eventOf(auth, "captured", "id_token").is_null());
        const QString refreshToken = storedRefreshToken(name);
        QVERIFY(!refreshToken.isEmpty());
        m_canaries << refreshToken;

        const int tokenRequests = stat("token");
        opened = 0;
        const CliRun call
            = signIn({QStringLiteral("call"), name, QStringLiteral("GET"), QStringLiteral("/api/whoami")}, &opened);
        QVERIFY2(call.exitCode == 0, qPrintable(call.describe()));
        QCOMPARE(opened, 0);
        QCOMPARE(stat("token"), tokenRequests + 1); // one refresh grant
        const auto result = eventOf(call, "result");
        QVERIFY(result.is_object());
        QCOMPARE(result.at("body").value("sub", ""), "alice");

        const CliRun check = run({QStringLiteral("check"), name, QStringLiteral("--no-browser")});
        QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));
    }

    void cliConfidentialCodeWithBasicAuth()
    {
        const QString name = envName(QStringLiteral("code-conf"));
        QVERIFY(addEnvironment(name,
                               QStringLiteral("oauth2-code"),
                               {QStringLiteral("authorize_url=/auth"),
                                QStringLiteral("token_url=/token"),
                                QStringLiteral("client_id=keyway-confidential"),
                                QStringLiteral("client_auth=basic"),
                                QStringLiteral("scope=openid profile")},
                               {{QStringLiteral("client_secret"), m_realm.confidentialSecret}}));
        const CliRun call = signIn({QStringLiteral("call"), name, QStringLiteral("GET"), QStringLiteral("/me")});
        QVERIFY2(call.exitCode == 0, qPrintable(call.describe()));
        const auto body = eventOf(call, "result").at("body");
        QCOMPARE(body.value("sub", ""), "alice");
        QCOMPARE(body.value("name", ""), "Alice Example"); // the real userinfo endpoint
    }

    void cliConformPasses_data()
    {
        QTest::addColumn<QStringList>("values");
        QTest::addColumn<QString>("capabilityCheck"); // the check this provider's capabilities add, or ""
        const QStringList explicitEndpoints {QStringLiteral("authorize_url=/auth"), QStringLiteral("token_url=/token")};
        QTest::newRow("explicit endpoints") << explicitEndpoints << QString();
        QTest::newRow("discovered: id_token")
            << QStringList {QStringLiteral("issuer=") + issuer(), QStringLiteral("client_auth=none")}
            << QStringLiteral("id_token");
        QTest::newRow("revocation_url: revocation")
            << explicitEndpoints + QStringList {QStringLiteral("revocation_url=/token/revocation")}
            << QStringLiteral("revocation");
    }

    // The provider checks of `conform` against a certified provider: the sign-in page with prompt=login,
    // state, the exchange with a user_id (the ID token's sub), refresh and concurrent refresh; every check
    // passes, also the ones the provider's capabilities add (under their own names).
    void cliConformPasses()
    {
        QFETCH(QStringList, values);
        QFETCH(QString, capabilityCheck);
        static int row = 0;
        const QString name = envName(QStringLiteral("conform-") + QString::number(++row));
        QVERIFY(addEnvironment(name,
                               QStringLiteral("oauth2-code"),
                               values
                                   + QStringList {QStringLiteral("client_id=keyway-public"),
                                                  QStringLiteral("scope=openid offline_access"),
                                                  QStringLiteral("probe_path=/api/whoami")}));
        int opened = 0;
        const CliRun conform = signIn({QStringLiteral("conform"), name}, &opened);
        QStringList passed;
        QStringList failed;
        for (const QByteArray& line : conform.out.split('\n')) {
            const auto json = nlohmann::json::parse(line.toStdString(), nullptr, false);
            if (json.is_object() && json.value("event", "") == "check") {
                (json.value("result", "") == "pass" ? passed : failed)
                    .append(QString::fromStdString(json.value("name", "") + ": " + json.value("detail", "")));
            }
        }
        QVERIFY2(failed.isEmpty(), qPrintable(failed.join(QLatin1Char('\n'))));
        QVERIFY2(conform.exitCode == 0, qPrintable(conform.describe()));
        QVERIFY(opened >= 2); // it signs in twice (user_id_stable)
        for (const char* check : {"prompt_login",
                                  "state",
                                  "exchange",
                                  "user_id_stable",
                                  "refresh_keeps_old_token",
                                  "concurrent_refresh",
                                  "refresh_reusable"}) {
            QVERIFY2(passed.join(QLatin1Char('\n')).contains(QString::fromLatin1(check) + QLatin1Char(':')), check);
        }
        if (!capabilityCheck.isEmpty()) {
            QVERIFY2(passed.join(QLatin1Char('\n')).contains(capabilityCheck + QLatin1Char(':')),
                     qPrintable(passed.join(QLatin1Char('\n'))));
        }
        QVERIFY(m_browser.lastResult().sawLoginPage);
    }

    // Only the issuer: every endpoint comes from the discovery document.
    void cliDiscovery()
    {
        const QString name = envName(QStringLiteral("disc"));
        QVERIFY(addPublicClient(name, QStringLiteral("openid email")));
        const int discoveries = stat("discovery");
        const CliRun auth = signIn({QStringLiteral("auth"), name});
        QVERIFY2(auth.exitCode == 0, qPrintable(auth.describe()));
        QVERIFY(stat("discovery") > discoveries);

        // The same server named differently: its document names another issuer, so nothing is trusted.
        QUrl other = m_provider.issuer();
        other.setHost(QStringLiteral("localhost"));
        const QString mismatch = envName(QStringLiteral("disc-mismatch"));
        QVERIFY(addPublicClient(mismatch, QStringLiteral("openid"), other.toString()));
        int opened = 0;
        const CliRun refused = signIn({QStringLiteral("auth"), mismatch}, &opened);
        QCOMPARE(refused.exitCode, 3);
        QCOMPARE(opened, 0);
        QVERIFY2(refused.err.contains(QStringLiteral("issuer")), qPrintable(refused.err));
    }

    void cliClientAssertions_data()
    {
        QTest::addColumn<QString>("clientAuth");
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("keyId");
        QTest::addColumn<int>("key"); // 0 RSA, 1 EC, 2 a key the provider does not know, -1 secret
        QTest::addColumn<int>("exitCode");
        QTest::newRow("private_key_jwt RS256") << "private_key_jwt"
                                               << "keyway-pkjwt"
                                               << "client-rs" << 0 << 0;
        QTest::newRow("private_key_jwt ES256") << "private_key_jwt"
                                               << "keyway-pkjwt"
                                               << "client-es" << 1 << 0;
        QTest::newRow("private_key_jwt unknown key") << "private_key_jwt"
                                                     << "keyway-pkjwt"
                                                     << "client-rs" << 2 << 3;
        QTest::newRow("client_secret_jwt") << "client_secret_jwt"
                                           << "keyway-secret-jwt"
                                           << "" << -1 << 0;
    }

    // Client credentials with signed client assertions (RFC 7523), endpoints from discovery.
    void cliClientAssertions()
    {
        QFETCH(QString, clientAuth);
        QFETCH(QString, clientId);
        QFETCH(QString, keyId);
        QFETCH(int, key);
        QFETCH(int, exitCode);
        static int row = 0;
        const QString name = envName(QStringLiteral("assert-") + QString::number(++row));
        QStringList values {QStringLiteral("issuer=") + issuer(),
                            QStringLiteral("client_id=") + clientId,
                            QStringLiteral("client_auth=") + clientAuth,
                            QStringLiteral("scope=api:read")};
        QList<QPair<QString, QString>> secrets;
        QList<QPair<QString, QByteArray>> files;
        if (key < 0) {
            secrets.append({QStringLiteral("client_secret"), m_realm.jwtSecret});
        } else {
            values << QStringLiteral("key_id=") + keyId;
            const PemKeyPair& pair = key == 0 ? m_realm.clientRsa : key == 1 ? m_realm.clientEc : m_realm.stranger;
            files.append({QStringLiteral("client_key"), pair.privatePem});
        }
        QVERIFY(addEnvironment(name, QStringLiteral("oauth2-client"), values, secrets, files));
        const CliRun r = callWhoami(name, {QStringLiteral("--json")});
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));
        if (exitCode == 0) {
            QCOMPARE(eventOf(r, "result").at("body").value("client_id", ""), clientId.toStdString());
        } else {
            QVERIFY2(r.err.contains(QStringLiteral("invalid_client")), qPrintable(r.err));
        }
    }

    // Code + PKCE with a nonce: the ID token is checked against the provider's JWKS before anything else.
    void cliIdTokenVerified()
    {
        const QString name = envName(QStringLiteral("idt"));
        QVERIFY(addPublicClient(name, QStringLiteral("openid email")));
        const CliRun auth = signIn({QStringLiteral("auth"), name});
        QVERIFY2(auth.exitCode == 0, qPrintable(auth.describe()));
        QVERIFY(QUrlQuery(m_browser.lastResult().finalUrl).hasQueryItem(QStringLiteral("code")));
        const auto idToken = eventOf(auth, "captured", "id_token");
        QVERIFY2(idToken.is_object(), auth.out.constData());
        QVERIFY2(idToken.value("verified", false), qPrintable(QString::fromStdString(idToken.dump())));
    }

    void cliTamperedIdTokenRefused_data()
    {
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<QString>("reason"); // what stderr must name
        QTest::newRow("wrong signature") << "signature"
                                         << "signature";
        QTest::newRow("wrong aud") << "aud"
                                   << "aud";
        QTest::newRow("wrong iss") << "iss"
                                   << " iss ";
        QTest::newRow("expired") << "exp"
                                 << "expired";
        QTest::newRow("wrong nonce") << "nonce"
                                     << "nonce";
    }

    // The provider re-signs its next ID token after changing one thing; the sign-in ends with exit 3 and
    // says which check failed, and no token from that reply is kept.
    void cliTamperedIdTokenRefused()
    {
        QFETCH(QString, tamper);
        QFETCH(QString, reason);
        const QString name = envName(QStringLiteral("tamper-") + tamper);
        QVERIFY(addPublicClient(name, QStringLiteral("openid email")));
        QVERIFY(m_provider.tamperNextIdToken(tamper));
        const CliRun auth = signIn({QStringLiteral("auth"), name});
        QVERIFY(m_provider.tamperNextIdToken(QString())); // whatever happened, the next test starts clean
        QCOMPARE(auth.exitCode, 3);
        QVERIFY2(auth.err.contains(QStringLiteral("ID token")) && auth.err.contains(reason, Qt::CaseInsensitive),
                 qPrintable(auth.err));
        QVERIFY(eventOf(auth, "captured", "access_token").is_null());
        QVERIFY(storedRefreshToken(name).isEmpty());
    }

    // The provider rotates its signing key: a client that cached the old JWKS fetches it again once on the
    // unknown kid and verifies; a kid nobody publishes is refused after exactly one refetch.
    void cliKeyRotation()
    {
        const QString name = envName(QStringLiteral("rotate"));
        QVERIFY(addPublicClient(name, QStringLiteral("openid")));
        const CliRun before = signIn({QStringLiteral("auth"), name});
        QVERIFY2(before.exitCode == 0, qPrintable(before.describe()));

        QVERIFY(m_provider.rotateKeys({{{"kid", "sig-2"}, {"pem", m_realm.signing2.privatePem.toStdString()}},
                                       {{"kid", "sig-1"}, {"pem", m_realm.signing.privatePem.toStdString()}}}));
        int jwks = stat("jwks");
        const CliRun after = signIn({QStringLiteral("auth"), name});
        QVERIFY2(after.exitCode == 0, qPrintable(after.describe()));
        QVERIFY(eventOf(after, "captured", "id_token").value("verified", false));
        QVERIFY(stat("jwks") > jwks && stat("jwks") <= jwks + 2);

        jwks = stat("jwks");
        QVERIFY(m_provider.tamperNextIdToken(QStringLiteral("unknown_kid")));
        const CliRun unknown = signIn({QStringLiteral("auth"), name});
        QVERIFY(m_provider.tamperNextIdToken(QString()));
        QCOMPARE(unknown.exitCode, 3);
        QVERIFY2(unknown.err.contains(QStringLiteral("kid-nobody-published"))
                     || unknown.err.contains(QStringLiteral("key")),
                 qPrintable(unknown.err));
        QVERIFY2(stat("jwks") <= jwks + 2, "the JWKS was fetched again more than once for one unknown kid");
    }

    // RFC 8628: the CLI shows the user code, the user approves on another device, polling picks it up.
    void cliDeviceGrant_data()
    {
        QTest::addColumn<bool>("approve");
        QTest::addColumn<bool>("slowDown"); // the provider answers one poll with slow_down
        QTest::addColumn<bool>("discovered"); // only an issuer: both endpoints from its document
        QTest::newRow("approved") << true << false << false;
        QTest::newRow("denied") << false << false << false;
        QTest::newRow("slow_down honoured") << true << true << false;
        QTest::newRow("approved, endpoints discovered") << true << false << true;
    }

    void cliDeviceGrant()
    {
        QFETCH(bool, approve);
        QFETCH(bool, slowDown);
        QFETCH(bool, discovered);
        const QString name = envName(QStringLiteral("device-") + QString::number(approve) + QString::number(slowDown)
                                     + (discovered ? QStringLiteral("-discovered") : QString()));
        QStringList values {QStringLiteral("client_id=keyway-device"), QStringLiteral("scope=openid email")};
        if (discovered) {
            values << QStringLiteral("issuer=") + issuer() << QStringLiteral("client_auth=none");
        } else {
            values << QStringLiteral("device_authorization_url=/device/auth") << QStringLiteral("token_url=/token");
        }
        QVERIFY(addEnvironment(name, QStringLiteral("oauth2-device"), values));
        QString page;
        QString browserError;
        bool shown = false;
        int interval = 0;
        const auto polls = [this] { return m_provider.stats().value("device_polls", nlohmann::json::array()); };
        const std::size_t pollsBefore = polls().size();
        if (slowDown) {
            QVERIFY(m_provider.slowDownNextPoll());
        }
        const CliRun auth
            = run({QStringLiteral("auth"), name, QStringLiteral("--json")}, {}, [&](const nlohmann::json& line) {
                  if (line.is_object() && line.value("event", "") == "device_code") {
                      shown = true;
                      QVERIFY(!line.value("user_code", "").empty());
                      interval = line.value("interval", 0);
                      QCOMPARE(interval, 1); // the provider's, not the default 5
                      if (slowDown) {
                          // Approve only after the slow_down answer and the poll that follows it.
                          QTRY_VERIFY_WITH_TIMEOUT(polls().size() >= pollsBefore + 2, 30000);
                      }
                      const QUrl complete(QString::fromStdString(line.value("verification_uri_complete", "")));
                      page = m_provider.submitDeviceForms(complete, approve, &browserError);
                  }
              });
        QVERIFY2(shown, qPrintable(auth.describe()));
        QVERIFY2(browserError.isEmpty(), qPrintable(browserError));
        if (discovered) {
            QVERIFY(!eventOf(auth, "captured", "device_authorization_url").is_null());
        }
        const auto times = polls();
        QVERIFY(times.size() >= pollsBefore + 1);
        for (std::size_t i = pollsBefore + 1; i < times.size(); ++i) {
            // RFC 8628 §3.5: never faster than the interval; after a slow_down, 5 s more for every later poll.
            const qint64 gap = times[i].get<qint64>() - times[i - 1].get<qint64>();
            const qint64 floor = (slowDown ? interval + 5 : interval) * 1000;
            QVERIFY2(gap >= floor - 150,
                     qPrintable(QStringLiteral("poll %1 came %2 ms after the previous one").arg(i).arg(gap)));
        }
        if (approve) {
            QVERIFY2(page.contains(QStringLiteral("Device approved")), qPrintable(page.left(400)));
            QVERIFY2(auth.exitCode == 0, qPrintable(auth.describe()));
            QVERIFY(!eventOf(auth, "captured", "access_token").is_null());
            const CliRun call = callWhoami(name);
            QVERIFY2(call.exitCode == 0, qPrintable(call.describe()));
            QCOMPARE(nlohmann::json::parse(call.out.toStdString(), nullptr, false).value("sub", ""), "alice");
        } else {
            QCOMPARE(auth.exitCode, 3);
            QVERIFY2(auth.err.contains(QStringLiteral("access_denied")), qPrintable(auth.err));
        }
    }

    // RFC 7662 and RFC 7009 with explicit endpoints, and with only an issuer to discover them from.
    void cliIntrospectionAndRevocation_data()
    {
        QTest::addColumn<QString>("environment"); // explicit: signed in by an earlier row; discovered: signs in here
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<bool>("discovered"); // endpoints from the issuer's document, else named explicitly
        QTest::newRow("device grant, explicit endpoints") << "device-10"
                                                          << "keyway-device" << false;
        QTest::newRow("code + PKCE, discovered endpoints") << "code-discovered"
                                                           << "keyway-public" << true;
    }

    // The provider itself says active / inactive; after revoke it refuses the refresh token Keyway held.
    void cliIntrospectionAndRevocation()
    {
        QFETCH(QString, environment);
        QFETCH(QString, clientId);
        QFETCH(bool, discovered);
        const QString name = envName(environment);
        if (discovered) {
            // Only the issuer: the sign-in, the introspection and the revocation all find their endpoints in the
            // provider's document.
            QVERIFY(addEnvironment(name,
                                   QStringLiteral("oauth2-code"),
                                   {QStringLiteral("issuer=") + issuer(),
                                    QStringLiteral("client_id=") + clientId,
                                    QStringLiteral("client_auth=none"),
                                    QStringLiteral("scope=openid email offline_access")}));
            const CliRun auth = signIn({QStringLiteral("auth"), name});
            QVERIFY2(auth.exitCode == 0, qPrintable(auth.describe()));
        } else {
            const CliRun set = run({QStringLiteral("env"),
                                    QStringLiteral("set"),
                                    name,
                                    QStringLiteral("--set"),
                                    QStringLiteral("introspection_url=/token/introspection"),
                                    QStringLiteral("--set"),
                                    QStringLiteral("revocation_url=/token/revocation")});
            QVERIFY2(set.exitCode == 0, qPrintable(set.describe()));
        }
        const CliRun active = run({QStringLiteral("introspect"), name, QStringLiteral("--json")});
        QVERIFY2(active.exitCode == 0, qPrintable(active.describe()));
        QVERIFY2(active.text().contains(QStringLiteral("\"active\": true"))
                     || active.text().contains(QStringLiteral("\"active\":true")),
                 active.out.constData());
        QVERIFY2(active.text().contains(clientId), active.out.constData()); // the provider's own answer

        // An administrator revokes the token right after it was issued: the provider calls it inactive.
        QVERIFY(m_provider.revokeNextAccessToken());
        const CliRun inactive = run({QStringLiteral("introspect"), name});
        QVERIFY2(inactive.exitCode == 1, qPrintable(inactive.describe()));
        QVERIFY2(inactive.text().contains(QStringLiteral("false")), inactive.out.constData());

        const QString refreshToken = storedRefreshToken(name);
        QVERIFY(!refreshToken.isEmpty());
        m_canaries << refreshToken;
        QCOMPARE(m_provider.refreshByHand(clientId, refreshToken).status, 200);
        const int revocations = stat("revocation");
        const CliRun revoke = run({QStringLiteral("revoke"), name});
        QVERIFY2(revoke.exitCode == 0, qPrintable(revoke.describe()));
        QVERIFY(stat("revocation") > revocations);
        QVERIFY(storedRefreshToken(name).isEmpty());
        // The provider itself now refuses the refresh token Keyway held.
        const auto refused = m_provider.refreshByHand(clientId, refreshToken);
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.body.contains("invalid_grant"));
    }
};

QTEST_GUILESS_MAIN(TestOidcProvider)
#include "tst_oidc_provider.moc"
