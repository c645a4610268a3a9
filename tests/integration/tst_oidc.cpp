// OpenID Connect against the sandbox over real loopback HTTP: discovery (and an explicit endpoint winning over
// it, and an issuer mismatch), RFC 7523 client assertions (private_key_jwt RS256 and ES256, client_secret_jwt),
// and ID token validation (nonce, aud, exp, signature, alg none, key rotation). Engine-level runs in this
// process; CLI runs as subprocesses against the sandbox served from here, with a canary check on every output
// and every file written.
#include "core/checks/ConformanceRun.h"
#include "core/crypto/Jws.h"
#include "core/flow/FlowEngine.h"
#include "core/oidc/Discovery.h"
#include "core/oidc/Jwks.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/util/Clock.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/SecretBatch.h"
#include "tests/support/CliProcess.h"
#include "tests/support/SandboxBrowser.h"

#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

#include <memory>

using namespace keyway;
using keyway::sandbox::SandboxServer;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// The middle of a PEM key: a line that appears nowhere else.
QString pemCanary(const QString& pem)
{
    const QStringList lines = pem.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return lines.size() > 2 ? lines.at(lines.size() / 2) : pem;
}

} // namespace

class TestOidc : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_config;
    QTemporaryDir m_state;
    std::unique_ptr<SandboxServer> m_sandbox;
    ProfileRegistry m_registry;
    KeychainSecretStore m_keychain;
    test::SandboxBrowser m_browser;
    QString m_suffix = QString::number(QCoreApplication::applicationPid());
    QStringList m_canaries; // never in any output or file
    QList<FlowEvent> m_events;
    QNetworkAccessManager m_nam;

    QString base() const { return m_sandbox->demoProvider(QStringLiteral("oauth2-code"))->baseUrl.toString(); }
    QString envName(const QString& name) const { return name + QLatin1Char('-') + m_suffix; }

    QMap<QString, QString> codeCredentials() const
    {
        const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-code"));
        return {{QStringLiteral("issuer"), base()},
                {QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id"))},
                {QStringLiteral("client_secret"), demo->credential(QStringLiteral("client_secret"))},
                {QStringLiteral("scope"), QStringLiteral("openid read")},
                {QStringLiteral("client_auth"), QStringLiteral("body")}};
    }

    // One step at a time, like the walkthrough's Step button: a new engine per step, given what the earlier
    // steps captured.
    FlowResult runStepwise(const QString& providerId, const QMap<QString, QString>& credentials)
    {
        m_events.clear();
        QMap<QString, CapturedValue> known;
        FlowResult result;
        for (int index = 0; index < m_registry.find(providerId)->steps.size(); ++index) {
            result = runEngine(providerId, credentials, [&](FlowEngine& engine) { engine.runStep(index, known); });
            if (!result.ok()) {
                return result;
            }
            for (auto it = result.values.cbegin(); it != result.values.cend(); ++it) {
                known.insert(it.key(), it.value());
            }
        }
        return result;
    }

    FlowResult runFlow(const QString& providerId, const QMap<QString, QString>& credentials)
    {
        m_events.clear();
        return runEngine(providerId, credentials, [](FlowEngine& engine) { engine.runFullFlow(); });
    }

    FlowResult runEngine(const QString& providerId,
                         const QMap<QString, QString>& credentials,
                         const std::function<void(FlowEngine&)>& start)
    {
        FlowOptions options;
        options.baseUrl = base();
        options.credentials = credentials;
        options.openUrl = [this](const QUrl& url) {
            m_browser.opener(true)(url);
            return true;
        };
        options.browserTimeoutMs = 15000;
        FlowEngine engine(*m_registry.find(providerId), options);
        connect(&engine, &FlowEngine::event, this, [this](const FlowEvent& e) { m_events.append(e); });
        FlowResult result;
        bool done = false;
        QEventLoop loop;
        connect(&engine, &FlowEngine::finished, &loop, [&](const FlowResult& r) {
            result = r;
            done = true;
            loop.quit();
        });
        start(engine);
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);
        loop.exec();
        if (!done) {
            qWarning("the flow did not finish");
        }
        return result;
    }

    QList<FlowEvent> eventsOf(FlowEvent::Type type, const QString& step = {}) const
    {
        QList<FlowEvent> out;
        for (const FlowEvent& e : m_events) {
            if (e.type == type && (step.isEmpty() || e.stepId == step)) {
                out.append(e);
            }
        }
        return out;
    }

    void addEnvironment(const QString& name,
                        const QString& providerId,
                        const QMap<QString, QString>& values,
                        const QMap<QString, QString>& secretValues)
    {
        EnvironmentStore store;
        QString error;
        QVERIFY2(store.load(&error), qPrintable(error));
        Environment env = Environment::create(name, providerId, base());
        env.values = values;
        QMap<QString, QString> secrets;
        for (auto it = secretValues.cbegin(); it != secretValues.cend(); ++it) {
            secrets.insert(SecretStore::keyFor(env.id, it.key()), it.value());
        }
        QVERIFY2(store.add(env, &error), qPrintable(error));
        QVERIFY2(store.save(&error), qPrintable(error));
        const auto results = SecretBatch::writeAllAndWait(m_keychain, secrets);
        QVERIFY(!SecretBatch::firstFailure(results));
    }

    // keyway-cli as a user runs it (the suite's shared runner), with every canary checked on its output.
    CliRun run(const QStringList& args, const std::function<void(const nlohmann::json&)>& onJsonLine = {})
    {
        test::CliInvocation invocation(args);
        invocation.onJsonLine = onJsonLine;
        invocation.timeoutMs = 30000;
        const test::CliRun r = test::runCli(invocation);
        const CliRun result {r.exitCode, r.text(), r.err};
        const QString leaked = test::leakedSecret(result.out + result.err, m_canaries);
        if (!leaked.isEmpty()) {
            QTest::qFail("a secret reached stdout or stderr", __FILE__, __LINE__);
        }
        // An assertion is a compact JWS: it never appears in clear in a request body.
        if (result.out.contains(QStringLiteral("client_assertion=ey"))) {
            QTest::qFail("a client assertion reached the output", __FILE__, __LINE__);
        }
        return result;
    }

    static QList<nlohmann::json> jsonLines(const QString& out)
    {
        QList<nlohmann::json> lines;
        for (const QString& line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            lines.append(nlohmann::json::parse(line.toStdString(), nullptr, false));
        }
        return lines;
    }

    static std::optional<nlohmann::json> firstEvent(const QList<nlohmann::json>& lines,
                                                    const std::string& event,
                                                    const std::string& step = {},
                                                    const std::string& name = {})
    {
        for (const auto& line : lines) {
            if (line.is_object() && line.value("event", "") == event && (step.empty() || line.value("step", "") == step)
                && (name.empty() || line.value("name", "") == name)) {
                return line;
            }
        }
        return std::nullopt;
    }

    void setFault(const QString& fault, bool on)
    {
        QVERIFY(m_sandbox->setFault(QStringLiteral("oauth2-code"), fault, on));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid() && m_state.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
        qputenv("XDG_DATA_HOME", m_state.path().toUtf8());
        m_registry.loadShipped();
        QVERIFY(m_registry.find(QStringLiteral("oauth2-code")));
        m_sandbox = std::make_unique<SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
    }

    void cleanup()
    {
        for (const QString& fault : m_sandbox->availableFaults(QStringLiteral("oauth2-code"))) {
            m_sandbox->setFault(QStringLiteral("oauth2-code"), fault, false);
        }
        oidc::Discovery::clearCache();
    }

    void discoveryFillsEndpointsAndTheIdTokenIsVerified()
    {
        const FlowResult result = runFlow(QStringLiteral("oauth2-code"), codeCredentials());
        QVERIFY2(result.ok(), qPrintable(result.oneLine()));
        // Discovery is its own step, with the document as its reply.
        const auto started = eventsOf(FlowEvent::Type::StepStarted);
        QCOMPARE(started.first().stepId, QStringLiteral("discovery"));
        const auto reply = eventsOf(FlowEvent::Type::Response, QStringLiteral("discovery"));
        QCOMPARE(reply.size(), 1);
        QVERIFY(reply.first().body.contains(QStringLiteral("\"token_endpoint\"")));
        QStringList discovered;
        for (const FlowEvent& e : eventsOf(FlowEvent::Type::Captured, QStringLiteral("discovery"))) {
            discovered.append(e.name);
            QVERIFY(e.value && e.value->startsWith(base())); // endpoints are shown: they are not secret
        }
        QVERIFY(discovered.contains(QStringLiteral("authorize_url")));
        QVERIFY(discovered.contains(QStringLiteral("token_url")));
        QVERIFY(discovered.contains(QStringLiteral("jwks_uri")));
        // The sign-in carried a nonce, and the ID token came back verified.
        const auto authorize = eventsOf(FlowEvent::Type::AuthorizeUrl);
        QCOMPARE(authorize.size(), 1);
        QVERIFY(QUrlQuery(QUrl(authorize.first().url)).hasQueryItem(QStringLiteral("nonce")));
        bool verified = false;
        for (const FlowEvent& e : eventsOf(FlowEvent::Type::Captured, QStringLiteral("token"))) {
            if (e.name == QLatin1String("id_token")) {
                verified = e.verified.value_or(false);
                QCOMPARE(QString::fromStdString(e.toJson().value("verified", false) ? "true" : "false"),
                         QStringLiteral("true"));
            }
        }
        QVERIFY(verified);
        QVERIFY(result.value(QStringLiteral("user_id")));
    }

    // Discovery answers after the call returns, from the cache too, and never to a caller that is gone (a dialog
    // closed while its Discover was in flight).
    void discoveryAnswersLaterAndOnlyToALiveCaller()
    {
        int answers = 0;
        auto fetch = [&](QObject* context) {
            oidc::Discovery::fetch(base(), nullptr, context, [&](const oidc::DiscoveryResult& r) {
                QVERIFY2(r.ok(), qPrintable(r.detail));
                ++answers;
            });
        };
        auto gone = std::make_unique<QObject>();
        fetch(gone.get());
        gone.reset(); // the network answer arrives after the caller is gone
        QObject alive;
        fetch(&alive);
        QCOMPARE(answers, 0);
        QTRY_COMPARE(answers, 1);

        fetch(&alive); // cached now: still not from inside the call
        QCOMPARE(answers, 1);
        QTRY_COMPARE(answers, 2);
        gone = std::make_unique<QObject>();
        fetch(gone.get());
        gone.reset();
        fetch(nullptr); // no context: always answered
        QTRY_COMPARE(answers, 3);
        QTest::qWait(50);
        QCOMPARE(answers, 3);
    }

    // The walkthrough's Step runs each step in its own engine: the PKCE verifier, the redirect URI and the
    // nonce of the sign-in step must reach the exchange, and the nonce must still be checked there.
    void stepByStepSignInKeepsPkceAndTheNonce()
    {
        const FlowResult result = runStepwise(QStringLiteral("oauth2-code"), codeCredentials());
        QVERIFY2(result.ok(), qPrintable(result.oneLine()));
        bool verified = false;
        for (const FlowEvent& e : eventsOf(FlowEvent::Type::Captured, QStringLiteral("token"))) {
            verified = verified || (e.name == QLatin1String("id_token") && e.verified.value_or(false));
        }
        QVERIFY(verified);

        setFault(QStringLiteral("id_token_bad_nonce"), true);
        const FlowResult wrongNonce = runStepwise(QStringLiteral("oauth2-code"), codeCredentials());
        QCOMPARE(wrongNonce.stepId, QStringLiteral("token"));
        QVERIFY2(wrongNonce.detail.contains(QStringLiteral("nonce")), qPrintable(wrongNonce.detail));
    }

    void explicitEndpointOverridesDiscovery()
    {
        auto credentials = codeCredentials();
        credentials.insert(QStringLiteral("token_url"), QStringLiteral("/not-the-token-endpoint"));
        const FlowResult result = runFlow(QStringLiteral("oauth2-code"), credentials);
        QVERIFY(!result.ok());
        QCOMPARE(result.stepId, QStringLiteral("token"));
        const auto sent = eventsOf(FlowEvent::Type::Request, QStringLiteral("token"));
        QCOMPARE(sent.size(), 1);
        QVERIFY2(sent.first().url.endsWith(QStringLiteral("/not-the-token-endpoint")), qPrintable(sent.first().url));
        for (const FlowEvent& e : eventsOf(FlowEvent::Type::Captured, QStringLiteral("discovery"))) {
            QVERIFY(e.name != QLatin1String("token_url"));
        }
    }

    void issuerMismatchEndsTheFlow()
    {
        setFault(QStringLiteral("issuer_mismatch"), true);
        const FlowResult result = runFlow(QStringLiteral("oauth2-code"), codeCredentials());
        QCOMPARE(result.outcome, FlowResult::Outcome::Invalid);
        QCOMPARE(result.stepId, QStringLiteral("discovery"));
        QVERIFY2(result.detail.contains(QStringLiteral("names issuer")), qPrintable(result.detail));
        QVERIFY(eventsOf(FlowEvent::Type::AuthorizeUrl).isEmpty()); // nothing sent to the named endpoints
    }

    void noIssuerAndNoEndpointSaysWhatToSet()
    {
        auto credentials = codeCredentials();
        credentials.remove(QStringLiteral("issuer"));
        const FlowResult result = runFlow(QStringLiteral("oauth2-client"), credentials);
        QCOMPARE(result.outcome, FlowResult::Outcome::Invalid);
        QVERIFY2(result.detail.contains(QStringLiteral("token_url"))
                     && result.detail.contains(QStringLiteral("issuer")),
                 qPrintable(result.detail));
        QVERIFY(eventsOf(FlowEvent::Type::Request).isEmpty());
    }

    void badIdTokensAreRefused_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("reason");
        QTest::newRow("nonce") << "id_token_bad_nonce"
                               << "nonce";
        QTest::newRow("aud") << "id_token_wrong_aud"
                             << "aud does not contain";
        QTest::newRow("expired") << "id_token_expired"
                                 << "expired";
        QTest::newRow("signature") << "id_token_bad_signature"
                                   << "signature does not match";
        QTest::newRow("alg none") << "id_token_alg_none"
                                  << "alg none";
    }

    void badIdTokensAreRefused()
    {
        QFETCH(QString, fault);
        QFETCH(QString, reason);
        setFault(fault, true);
        const FlowResult result = runFlow(QStringLiteral("oauth2-code"), codeCredentials());
        QCOMPARE(result.outcome, FlowResult::Outcome::Invalid);
        QCOMPARE(result.stepId, QStringLiteral("token"));
        QVERIFY2(result.detail.contains(QStringLiteral("ID token refused")) && result.detail.contains(reason),
                 qPrintable(result.detail));
        // Validated before anything else: nothing of that reply was kept.
        QVERIFY(!result.value(QStringLiteral("access_token")));
        QVERIFY(eventsOf(FlowEvent::Type::Captured, QStringLiteral("token")).isEmpty());
    }

    void rotatedKeyIsFetchedOnce()
    {
        oidc::Jwks::clearCache();
        QVERIFY2(runFlow(QStringLiteral("oauth2-code"), codeCredentials()).ok(), "first sign-in");
        setFault(QStringLiteral("rotate_keys"), true);
        // The cached set lacks the new key: the next sign-in fetches the set again and verifies.
        const FlowResult rotated = runFlow(QStringLiteral("oauth2-code"), codeCredentials());
        QVERIFY2(rotated.ok(), qPrintable(rotated.oneLine()));

        // The same at the API: an unknown kid refetches once, a kid the issuer never lists is refused.
        const QString jwksUri = base() + QStringLiteral("/jwks");
        auto lookup = [&](const QString& kid) {
            oidc::KeyLookup out;
            QEventLoop loop;
            oidc::Jwks::keyFor(jwksUri,
                               nlohmann::json {{"alg", "RS256"}, {"kid", kid.toStdString()}},
                               nullptr,
                               this,
                               [&](const oidc::KeyLookup& r) {
                                   out = r;
                                   loop.quit();
                               });
            QTimer::singleShot(10000, &loop, &QEventLoop::quit);
            loop.exec();
            return out;
        };
        const auto unknown = lookup(QStringLiteral("never-listed"));
        QVERIFY(!unknown.key);
        QVERIFY(unknown.refetched);
        QVERIFY2(unknown.detail.contains(QStringLiteral("never-listed")), qPrintable(unknown.detail));
        setFault(QStringLiteral("rotate_keys"), false); // back to the first key, which the cache no longer has
        const auto set = QJsonDocument::fromJson(test::httpExchange(m_nam, "GET", QUrl(jwksUri)).body).object();
        const QString kid
            = set.value(QStringLiteral("keys")).toArray().at(0).toObject().value(QStringLiteral("kid")).toString();
        oidc::Jwks::clearCache();
        QVERIFY(lookup(QStringLiteral("warm-the-cache")).refetched == false);
        setFault(QStringLiteral("rotate_keys"), true);
        const QString newKid = QJsonDocument::fromJson(test::httpExchange(m_nam, "GET", QUrl(jwksUri)).body)
                                   .object()
                                   .value(QStringLiteral("keys"))
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(QStringLiteral("kid"))
                                   .toString();
        QVERIFY(kid != newKid);
        const auto found = lookup(newKid);
        QVERIFY2(found.key, qPrintable(found.detail));
        QVERIFY(found.refetched);
    }

    void conformChecksTheAdvertisedIdToken_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("valid") << QString();
        QTest::newRow("wrong aud") << QStringLiteral("id_token_wrong_aud");
    }

    void conformChecksTheAdvertisedIdToken()
    {
        QFETCH(QString, fault);
        if (!fault.isEmpty()) {
            setFault(fault, true);
        }
        ConformanceRun::Options options;
        options.flow.baseUrl = base();
        options.flow.credentials = codeCredentials();
        options.flow.credentials.insert(QStringLiteral("probe_path"), QStringLiteral("/api/me"));
        options.flow.browserTimeoutMs = 10000;
        options.flow.openUrl = [this](const QUrl& url) {
            m_browser.opener(true)(url);
            return true;
        };
        ConformanceRun run(*m_registry.find(QStringLiteral("oauth2-code")), options);
        QSignalSpy finished(&run, &ConformanceRun::finished);
        QMap<QString, ConformanceRun::Check> checks;
        connect(&run, &ConformanceRun::checkFinished, this, [&checks](const ConformanceRun::Check& c) {
            checks.insert(c.name, c);
        });
        run.start();
        QVERIFY(finished.wait(60000));
        // The seven keep their names; the advertised capability is reported under its own.
        for (const QString& name : ConformanceRun::checkNames()) {
            QVERIFY2(checks.contains(name), qPrintable(name));
        }
        QVERIFY(checks.contains(QStringLiteral("id_token")));
        const auto idToken = checks.value(QStringLiteral("id_token"));
        if (fault.isEmpty()) {
            QVERIFY2(idToken.pass, qPrintable(idToken.detail));
            QCOMPARE(finished.first().first().toBool(), true);
        } else {
            QVERIFY(!idToken.pass);
            QVERIFY2(idToken.detail.contains(QStringLiteral("aud does not contain")), qPrintable(idToken.detail));
            QCOMPARE(finished.first().first().toBool(), false);
        }

        // A provider that does not advertise ID tokens (no issuer: nothing discovered) gets no such check.
        if (fault.isEmpty()) {
            const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-code"));
            ConformanceRun::Options plain = options;
            plain.flow.credentials.clear();
            for (const auto& [key, value] : demo->credentials) {
                plain.flow.credentials.insert(key, value);
            }
            ConformanceRun second(*m_registry.find(QStringLiteral("oauth2-code")), plain);
            QSignalSpy done(&second, &ConformanceRun::finished);
            QStringList names;
            connect(&second, &ConformanceRun::checkFinished, this, [&names](const ConformanceRun::Check& c) {
                names.append(c.name);
            });
            second.start();
            QVERIFY(done.wait(60000));
            QCOMPARE(names, ConformanceRun::checkNames());
        }
    }

    // --- the CLI ---

    void cliPrivateKeyJwtEs256WithDiscovery()
    {
        const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-client"));
        const QString key = demo->credential(QStringLiteral("client_key"));
        QVERIFY(key.startsWith(QStringLiteral("-----BEGIN PRIVATE KEY-----")));
        m_canaries.append(pemCanary(key));
        const QString name = envName(QStringLiteral("pk-es"));
        addEnvironment(name,
                       QStringLiteral("oauth2-client"),
                       {{QStringLiteral("issuer"), base()},
                        {QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id"))},
                        {QStringLiteral("client_auth"), QStringLiteral("private_key_jwt")},
                        {QStringLiteral("key_id"), demo->credential(QStringLiteral("key_id"))}},
                       {{QStringLiteral("client_key"), key}});
        const CliRun r = run({QStringLiteral("auth"), name, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const auto lines = jsonLines(r.out);
        QVERIFY(firstEvent(lines, "step_started", "discovery"));
        const auto tokenUrl = firstEvent(lines, "captured", "discovery", "token_url");
        QVERIFY(tokenUrl);
        const auto request = firstEvent(lines, "request", "token");
        QVERIFY(request && request->contains("client_assertion"));
        const auto& assertion = request->at("client_assertion");
        QCOMPARE(assertion.at("header").value("alg", ""), std::string("ES256"));
        QCOMPARE(assertion.at("header").value("kid", ""), std::string("sbx-client-ec"));
        const auto& claims = assertion.at("claims");
        QCOMPARE(claims.value("iss", ""), demo->credential(QStringLiteral("client_id")).toStdString());
        QCOMPARE(claims.value("sub", ""), claims.value("iss", ""));
        QCOMPARE(claims.value("aud", ""), tokenUrl->value("value", ""));
        QVERIFY(claims.value("exp", 0LL) - claims.value("iat", 0LL) <= 300);
        QVERIFY(!claims.value("jti", "").empty());
        QCOMPARE(assertion.value("signature", ""), std::string("[redacted]"));
        QVERIFY(request->value("body", "").find("client_assertion=«client_assertion»") != std::string::npos);
        QVERIFY(firstEvent(lines, "captured", "token", "access_token"));

        const CliRun call = run({QStringLiteral("call"), name, QStringLiteral("GET"), QStringLiteral("/api/me")});
        QVERIFY2(call.exitCode == 0, qPrintable(call.err));

        // Introspection and revocation authenticate the client the same way, with an assertion for the endpoint
        // they call (both discovered from the issuer).
        const CliRun introspect = run({QStringLiteral("introspect"), name, QStringLiteral("--json")});
        QVERIFY2(introspect.exitCode == 0, qPrintable(introspect.err + introspect.out));
        QVERIFY2(introspect.out.contains(QStringLiteral("\"active\":true")), qPrintable(introspect.out));
    }

    // A confidential code client with client_secret_jwt: after the sign-in, introspect and revoke each send an
    // HS256 assertion for the endpoint they call, and the sandbox accepts them.
    void cliIntrospectAndRevokeWithClientSecretJwt()
    {
        const auto credentials = codeCredentials();
        const QString name = envName(QStringLiteral("code-secret-jwt"));
        QMap<QString, QString> values = credentials;
        values.remove(QStringLiteral("client_secret"));
        values.insert(QStringLiteral("client_auth"), QStringLiteral("client_secret_jwt"));
        values.insert(QStringLiteral("scope"), QStringLiteral("openid offline_access"));
        m_canaries.append(credentials.value(QStringLiteral("client_secret")));
        addEnvironment(name,
                       QStringLiteral("oauth2-code"),
                       values,
                       {{QStringLiteral("client_secret"), credentials.value(QStringLiteral("client_secret"))}});
        const CliRun signIn = run(
            {QStringLiteral("auth"), name, QStringLiteral("--no-browser"), QStringLiteral("--json")},
            [this](const nlohmann::json& line) {
                if (line.is_object() && line.value("event", "") == "authorize_url") {
                    m_browser.start(QUrl(QString::fromStdString(line.at("url").get<std::string>())), true, nullptr);
                }
            });
        QVERIFY2(signIn.exitCode == 0, qPrintable(signIn.err));
        const auto request = firstEvent(jsonLines(signIn.out), "request", "token");
        QVERIFY(request && request->contains("client_assertion"));
        QCOMPARE(request->at("client_assertion").at("header").value("alg", ""), std::string("HS256"));

        const CliRun introspect = run({QStringLiteral("introspect"), name, QStringLiteral("--json")});
        QVERIFY2(introspect.exitCode == 0, qPrintable(introspect.err + introspect.out));
        QVERIFY2(introspect.out.contains(QStringLiteral("\"active\":true")), qPrintable(introspect.out));
        const CliRun revoke = run({QStringLiteral("revoke"), name});
        QVERIFY2(revoke.exitCode == 0, qPrintable(revoke.err + revoke.out));
        QVERIFY2(revoke.out.contains(QStringLiteral("Revoked the refresh_token")), qPrintable(revoke.out));
    }

    void cliPrivateKeyJwtRs256()
    {
        const QString key = m_sandbox->demoRsaClientKeyPem();
        QVERIFY(!key.isEmpty());
        m_canaries.append(pemCanary(key));
        const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-client"));
        const QString name = envName(QStringLiteral("pk-rs"));
        addEnvironment(name,
                       QStringLiteral("oauth2-client"),
                       {{QStringLiteral("token_url"), QStringLiteral("/oauth/token")},
                        {QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id"))},
                        {QStringLiteral("client_auth"), QStringLiteral("private_key_jwt")},
                        {QStringLiteral("key_id"), QStringLiteral("sbx-client-rsa")}},
                       {{QStringLiteral("client_key"), key}});
        const CliRun r = run({QStringLiteral("auth"), name, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const auto lines = jsonLines(r.out);
        QVERIFY(!firstEvent(lines, "step_started", "discovery")); // no issuer: nothing to discover
        const auto request = firstEvent(lines, "request", "token");
        QVERIFY(request);
        QCOMPARE(request->at("client_assertion").at("header").value("alg", ""), std::string("RS256"));

        // A key the provider does not know under that kid: the provider refuses, exit 3.
        const QString other = QString::fromLatin1(crypto::Key::generateEcP256().privatePem());
        m_canaries.append(pemCanary(other));
        const QString wrong = envName(QStringLiteral("pk-wrong"));
        addEnvironment(wrong,
                       QStringLiteral("oauth2-client"),
                       {{QStringLiteral("token_url"), QStringLiteral("/oauth/token")},
                        {QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id"))},
                        {QStringLiteral("client_auth"), QStringLiteral("private_key_jwt")},
                        {QStringLiteral("key_id"), QStringLiteral("sbx-client-ec")}},
                       {{QStringLiteral("client_key"), other}});
        const CliRun refused = run({QStringLiteral("auth"), wrong});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains(QStringLiteral("invalid_client")), qPrintable(refused.err));

        // A value that is not a key at all: said before anything is sent.
        const QString garbage = envName(QStringLiteral("pk-garbage"));
        addEnvironment(garbage,
                       QStringLiteral("oauth2-client"),
                       {{QStringLiteral("token_url"), QStringLiteral("/oauth/token")},
                        {QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id"))},
                        {QStringLiteral("client_auth"), QStringLiteral("private_key_jwt")}},
                       {{QStringLiteral("client_key"), QStringLiteral("not-a-pem-canary-7c1e")}});
        m_canaries.append(QStringLiteral("not-a-pem-canary-7c1e"));
        const CliRun bad = run({QStringLiteral("auth"), garbage});
        QCOMPARE(bad.exitCode, 3);
        QVERIFY2(bad.err.contains(QStringLiteral("not a PEM private key")), qPrintable(bad.err));
    }

    void cliClientSecretJwt()
    {
        const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-client"));
        const QString secret = demo->credential(QStringLiteral("client_secret"));
        m_canaries.append(secret);
        const QString name = envName(QStringLiteral("csj"));
        const QMap<QString, QString> values {
            {QStringLiteral("issuer"), base()},
            {QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id"))},
            {QStringLiteral("client_auth"), QStringLiteral("client_secret_jwt")}};
        addEnvironment(name, QStringLiteral("oauth2-client"), values, {{QStringLiteral("client_secret"), secret}});
        const CliRun r = run({QStringLiteral("auth"), name, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const auto request = firstEvent(jsonLines(r.out), "request", "token");
        QCOMPARE(request->at("client_assertion").at("header").value("alg", ""), std::string("HS256"));

        const QString wrong = envName(QStringLiteral("csj-wrong"));
        addEnvironment(wrong,
                       QStringLiteral("oauth2-client"),
                       values,
                       {{QStringLiteral("client_secret"), QStringLiteral("canary-wrong-csj-secret")}});
        m_canaries.append(QStringLiteral("canary-wrong-csj-secret"));
        const CliRun refused = run({QStringLiteral("auth"), wrong});
        QCOMPARE(refused.exitCode, 3);
    }

    void cliIssuerMismatchExits3()
    {
        const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-client"));
        const QString name = envName(QStringLiteral("mismatch"));
        addEnvironment(name,
                       QStringLiteral("oauth2-client"),
                       {{QStringLiteral("issuer"), base()},
                        {QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id"))}},
                       {{QStringLiteral("client_secret"), demo->credential(QStringLiteral("client_secret"))}});
        setFault(QStringLiteral("issuer_mismatch"), true);
        const CliRun r = run({QStringLiteral("auth"), name});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QStringLiteral("names issuer")) && r.err.contains(base()), qPrintable(r.err));
    }

    void cliSignInVerifiesTheIdToken_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("reason");
        QTest::newRow("valid") << QString() << 0 << QString();
        QTest::newRow("wrong aud") << "id_token_wrong_aud" << 3 << "aud does not contain";
        QTest::newRow("bad nonce") << "id_token_bad_nonce" << 3 << "nonce";
    }

    void cliSignInVerifiesTheIdToken()
    {
        QFETCH(QString, fault);
        QFETCH(int, exitCode);
        QFETCH(QString, reason);
        const auto credentials = codeCredentials();
        const QString name = envName(QStringLiteral("code-oidc-") + QString::number(qHash(fault)));
        QMap<QString, QString> values = credentials;
        values.remove(QStringLiteral("client_secret"));
        m_canaries.append(credentials.value(QStringLiteral("client_secret")));
        addEnvironment(name,
                       QStringLiteral("oauth2-code"),
                       values,
                       {{QStringLiteral("client_secret"), credentials.value(QStringLiteral("client_secret"))}});
        if (!fault.isEmpty()) {
            setFault(fault, true);
        }
        const CliRun r = run(
            {QStringLiteral("auth"), name, QStringLiteral("--no-browser"), QStringLiteral("--json")},
            [this](const nlohmann::json& line) {
                if (line.is_object() && line.value("event", "") == "authorize_url") {
                    m_browser.start(QUrl(QString::fromStdString(line.at("url").get<std::string>())), true, nullptr);
                }
            });
        QCOMPARE(r.exitCode, exitCode);
        const auto lines = jsonLines(r.out);
        if (exitCode == 0) {
            const auto idToken = firstEvent(lines, "captured", "token", "id_token");
            QVERIFY2(idToken, qPrintable(r.out));
            QCOMPARE(idToken->value("verified", false), true);
        } else {
            QVERIFY2(r.err.contains(reason), qPrintable(r.err));
            QVERIFY(!firstEvent(lines, "captured", "token", "access_token"));
        }
    }

    void noKeyOrAssertionInAnyFile()
    {
        QVERIFY(!m_canaries.isEmpty());
        for (const QString& root : {m_config.path(), m_state.path()}) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QByteArray content = file.readAll();
                for (const QString& canary : std::as_const(m_canaries)) {
                    QVERIFY2(!content.contains(canary.toUtf8()), qPrintable(file.fileName()));
                }
                QVERIFY2(!content.contains("client_assertion=ey"), qPrintable(file.fileName()));
            }
        }
    }
};

QTEST_MAIN(TestOidc)
#include "tst_oidc.moc"
