// The device authorization grant (RFC 8628), introspection (RFC 7662) and revocation (RFC 7009) against the
// embedded sandbox over real loopback HTTP: in the engine (Session + TokenLifecycle) and through keyway-cli as a
// subprocess. This test plays the person who approves or denies the code on the sandbox's verification page.
#include "core/flow/FlowEngine.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/session/Session.h"
#include "core/session/TokenLifecycle.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/SecretBatch.h"
#include "tests/support/Await.h"
#include "tests/support/CliProcess.h"
#include "tests/support/SandboxBrowser.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHttpServer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <memory>

using namespace keyway;
using keyway::sandbox::SandboxServer;
using keyway::test::waitFor;

namespace {

const QString kDevice = QStringLiteral("oauth2-device");

// Any run of 40 or more token characters: what a leaked device code, access or refresh token looks like here.
const QRegularExpression kTokenShaped(QStringLiteral("[A-Za-z0-9_-]{40,}"));

} // namespace

class TestDeviceGrant : public QObject
{
    Q_OBJECT
private:
    ProfileRegistry m_registry;
    std::unique_ptr<SandboxServer> m_sandbox;
    QNetworkAccessManager m_nam;
    QList<FlowEvent> m_events;
    QTemporaryDir m_lockDir;
    QTemporaryDir m_root;
    KeychainSecretStore m_keychain;
    QString m_suffix = QString::number(QCoreApplication::applicationPid());

    const ProviderProfile& profile() { return *m_registry.find(kDevice); }

    SessionOptions options(const QMap<QString, QString>& overrides = {})
    {
        SessionOptions o;
        o.environmentId = QStringLiteral("dev-") + QString::number(QRandomGenerator::global()->generate());
        const auto demo = m_sandbox->demoProvider(kDevice);
        o.flow.baseUrl = demo->baseUrl.toString();
        for (const auto& [k, v] : demo->credentials) {
            o.flow.credentials.insert(k, overrides.value(k, v));
        }
        o.lockDirectory = m_lockDir.path();
        return o;
    }

    std::unique_ptr<Session> session(SessionOptions o)
    {
        auto s = std::make_unique<Session>(profile(), std::move(o));
        connect(s.get(), &Session::event, this, [this](const FlowEvent& e) { m_events.append(e); });
        return s;
    }

    // The person at the verification page: signs in as the demo user and allows, or denies.
    int decide(const QString& userCode, bool approve)
    {
        const QUrl page(m_sandbox->rootUrl().toString() + QStringLiteral("/oauth2/device"));
        const QByteArray form = "user_code=" + QUrl::toPercentEncoding(userCode)
            + "&username=demo&password=keyway-demo&decision=" + (approve ? "approve" : "deny");
        return test::httpExchange(m_nam, "POST", page, form, {{"Content-Type", "application/x-www-form-urlencoded"}})
            .status;
    }

    // Decides as soon as the engine announces the code (from the event loop, not inside the signal).
    void decideOnDeviceCode(Session* s, bool approve)
    {
        connect(s, &Session::event, this, [this, approve](const FlowEvent& e) {
            if (e.type == FlowEvent::Type::DeviceCode) {
                const QString code = e.userCode;
                QTimer::singleShot(0, this, [this, code, approve] { QCOMPARE(decide(code, approve), 200); });
            }
        });
    }

    QString eventsJson() const
    {
        QString all;
        for (const FlowEvent& e : m_events) {
            all += QString::fromStdString(e.toJson().dump()) + QLatin1Char('\n');
        }
        return all;
    }

    void verifyNoTokenIn(const QString& text)
    {
        const auto match = kTokenShaped.match(text);
        QVERIFY2(!match.hasMatch(), qPrintable(QStringLiteral("token-shaped text leaked: ") + match.captured()));
    }

    QString envName(const QString& base) const { return base + QLatin1Char('-') + m_suffix; }

    QString addEnvironment(const QString& name, const QMap<QString, QString>& overrides = {})
    {
        const auto demo = m_sandbox->demoProvider(kDevice);
        EnvironmentStore store;
        QString error;
        if (!store.load(&error)) {
            return {};
        }
        Environment env = Environment::create(name, kDevice, demo->baseUrl.toString());
        for (const auto& [key, value] : demo->credentials) {
            env.values.insert(key, overrides.value(key, value));
        }
        for (auto it = overrides.cbegin(); it != overrides.cend(); ++it) {
            if (it.value().isEmpty()) {
                env.values.remove(it.key());
            }
        }
        if (!store.add(env, &error) || !store.save(&error)) {
            return {};
        }
        return env.id;
    }

    // keyway-cli on this test's machine while this process serves the sandbox; `onLine` sees each line of
    // stdout and stderr as it comes.
    test::CliRun run(const QStringList& args, const std::function<void(const QString&)>& onLine = {})
    {
        test::CliInvocation invocation(args, {}, test::isolatedMachine(m_root.path()));
        invocation.onLine = onLine;
        return test::runCli(invocation);
    }

    // A CLI approver: reads the user code from the device_code event (--json) or the stderr text.
    std::function<void(const QString&)> cliApprover(bool approve, bool* decided)
    {
        return [this, approve, decided](const QString& line) {
            static const QRegularExpression code(QStringLiteral("^\\s*([B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4})$"));
            QString userCode;
            const auto json = nlohmann::json::parse(line.toStdString(), nullptr, false);
            if (json.is_object() && json.value("event", "") == "device_code") {
                userCode = QString::fromStdString(json.value("user_code", ""));
            } else if (const auto m = code.match(line); m.hasMatch()) {
                userCode = m.captured(1);
            }
            if (!userCode.isEmpty() && !*decided) {
                *decided = true;
                // From the event loop, not inside the CLI's output handler.
                QTimer::singleShot(0, this, [this, userCode, approve] { QCOMPARE(decide(userCode, approve), 200); });
            }
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // The CLI runs on test::isolatedMachine(m_root): its environments are the ones addEnvironment writes.
        qputenv("XDG_CONFIG_HOME", QDir(m_root.path()).filePath(QStringLiteral("config")).toUtf8());
        m_registry.loadShipped();
        QVERIFY2(m_registry.errors().isEmpty(), qPrintable(m_registry.errors().value(0).message));
        QVERIFY(m_registry.find(kDevice));
        m_sandbox = std::make_unique<SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        // Interval 1 s, device codes live 2 min: fast enough for tests, slow_down still adds a real 5 s.
        m_sandbox->setTimeScale(5);
    }

    void init()
    {
        m_events.clear();
        for (const QString& fault : m_sandbox->activeFaults(kDevice)) {
            m_sandbox->setFault(kDevice, fault, false);
        }
    }

    void approvedCodeGivesTokens()
    {
        auto s = session(options());
        decideOnDeviceCode(s.get(), true);
        const FlowResult r = waitFor<FlowResult>([&](auto done) { s->ensureToken(done); });
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        QVERIFY(r.value(QStringLiteral("access_token")));
        QVERIFY(r.value(QStringLiteral("refresh_token")));
        QCOMPARE(r.value(QStringLiteral("user_id"))->value, QStringLiteral("usr_8f14e45fceea167a"));

        const auto deviceCode = std::find_if(m_events.cbegin(), m_events.cend(), [](const FlowEvent& e) {
            return e.type == FlowEvent::Type::DeviceCode;
        });
        QVERIFY(deviceCode != m_events.cend());
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Z]{4}-[A-Z]{4}$")).match(deviceCode->userCode).hasMatch());
        QCOMPARE(deviceCode->url, m_sandbox->rootUrl().toString() + QStringLiteral("/oauth2/device"));
        QCOMPARE(deviceCode->completeUrl, deviceCode->url + QStringLiteral("?user_code=") + deviceCode->userCode);
        QCOMPARE(deviceCode->intervalSeconds, 1);
        QVERIFY(deviceCode->deadlineMs - deviceCode->issuedMs > 100'000);
        const auto json = deviceCode->toJson();
        QCOMPARE(json.at("expires_in").get<int>(), 120);
        QCOMPARE(json.at("interval").get<int>(), 1);
        QCOMPARE(QString::fromStdString(json.at("user_code").get<std::string>()), deviceCode->userCode);
        // The device code is spent once it bought the token.
        QVERIFY(std::any_of(m_events.cbegin(), m_events.cend(), [](const FlowEvent& e) {
            return e.type == FlowEvent::Type::Consumed && e.name == QLatin1String("device_code");
        }));
        verifyNoTokenIn(eventsJson());
        QVERIFY(eventsJson().contains(QStringLiteral("«device_code»")));
    }

    void deniedCodeIsRefused()
    {
        auto s = session(options());
        decideOnDeviceCode(s.get(), false);
        const FlowResult r = waitFor<FlowResult>([&](auto done) { s->ensureToken(done); });
        QCOMPARE(r.outcome, FlowResult::Outcome::Refused);
        QCOMPARE(r.oauthError, QStringLiteral("access_denied"));
        QVERIFY2(r.hint.contains(QStringLiteral("denied on the verification page")), qPrintable(r.hint));
    }

    void expiredCodeIsRefused()
    {
        auto s = session(options());
        connect(s.get(), &Session::event, this, [this](const FlowEvent& e) {
            if (e.type == FlowEvent::Type::DeviceCode) {
                m_sandbox->setFault(kDevice, QStringLiteral("expire_now"), true);
            }
        });
        const FlowResult r = waitFor<FlowResult>([&](auto done) { s->ensureToken(done); });
        QCOMPARE(r.outcome, FlowResult::Outcome::Refused);
        QCOMPARE(r.oauthError, QStringLiteral("expired_token"));
    }

    void codeLifetimeBoundsTheWait()
    {
        m_sandbox->setTimeScale(600); // the code lives 1 s
        auto s = session(options());
        QElapsedTimer timer;
        timer.start();
        const FlowResult r = waitFor<FlowResult>([&](auto done) { s->ensureToken(done); });
        m_sandbox->setTimeScale(5);
        QCOMPARE(r.outcome, FlowResult::Outcome::Timeout);
        QVERIFY2(r.detail.contains(QStringLiteral("expired")), qPrintable(r.detail));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void slowDownAddsFiveSeconds()
    {
        QVERIFY(m_sandbox->setFault(kDevice, QStringLiteral("slow_down"), true));
        auto s = session(options());
        QList<qint64> polls;
        QElapsedTimer clock;
        clock.start();
        QString userCode;
        connect(s.get(), &Session::event, this, [&](const FlowEvent& e) {
            if (e.type == FlowEvent::Type::DeviceCode) {
                userCode = e.userCode;
            } else if (e.type == FlowEvent::Type::Request && e.stepId == QLatin1String("token")) {
                polls.append(clock.elapsed());
                // Approved only once the third poll is on its way: the second is then surely still pending (an
                // approval queued at the second could win the race with it under load), so two gaps are seen.
                if (polls.size() == 3) {
                    QTimer::singleShot(0, this, [&] { QCOMPARE(decide(userCode, true), 200); });
                }
            }
        });
        const FlowResult r = waitFor<FlowResult>([&](auto done) { s->ensureToken(done); });
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        QVERIFY2(polls.size() >= 3, qPrintable(QString::number(polls.size())));
        // interval 1 s, then slow_down: 1 + 5 s before every later request (the sandbox objects only once).
        QVERIFY2(polls.at(1) - polls.at(0) >= 5900, qPrintable(QString::number(polls.at(1) - polls.at(0))));
        QVERIFY2(polls.at(2) - polls.at(1) >= 5900, qPrintable(QString::number(polls.at(2) - polls.at(1))));
        QVERIFY(eventsJson().contains(QStringLiteral("slow_down")));
    }

    void cancelStopsPolling()
    {
        auto s = session(options());
        int polls = 0;
        connect(s.get(), &Session::event, this, [&](const FlowEvent& e) {
            if (e.type == FlowEvent::Type::Request && e.stepId == QLatin1String("token") && ++polls == 1) {
                QTimer::singleShot(0, s.get(), [&] { s->cancelSignIn(); });
            }
        });
        const FlowResult r = waitFor<FlowResult>([&](auto done) { s->ensureToken(done); });
        QCOMPARE(r.outcome, FlowResult::Outcome::Cancelled);
        QTest::qWait(2500);
        QCOMPARE(polls, 1);
    }

    void introspectThenRevokeThenRefreshRefused()
    {
        auto s = session(options());
        decideOnDeviceCode(s.get(), true);
        const FlowResult signedIn = waitFor<FlowResult>([&](auto done) { s->ensureToken(done); });
        QVERIFY2(signedIn.ok(), qPrintable(signedIn.oneLine()));
        const QString access = signedIn.value(QStringLiteral("access_token"))->value;
        const QString refresh = signedIn.value(QStringLiteral("refresh_token"))->value;

        TokenLifecycle lifecycle(s.get());
        const LifecycleResult active = waitFor<LifecycleResult>(
            [&](auto done) { lifecycle.introspect(TokenLifecycle::Which::AccessToken, done); });
        QVERIFY2(active.ok(), qPrintable(active.detail));
        QVERIFY(active.active);
        QVERIFY(active.body.contains(QStringLiteral("\"sub\":\"usr_8f14e45fceea167a\"")));
        const LifecycleResult refreshActive = waitFor<LifecycleResult>(
            [&](auto done) { lifecycle.introspect(TokenLifecycle::Which::RefreshToken, done); });
        QVERIFY(refreshActive.active);
        QVERIFY(refreshActive.body.contains(QStringLiteral("refresh_token")));

        m_events.clear();
        const LifecycleResult revoked
            = waitFor<LifecycleResult>([&](auto done) { lifecycle.revoke(TokenLifecycle::Which::Both, done); });
        QVERIFY2(revoked.ok(), qPrintable(revoked.detail));
        QCOMPARE(revoked.revoked, (QStringList {QStringLiteral("refresh_token"), QStringLiteral("access_token")}));
        QVERIFY(!s->accessToken());
        QVERIFY(!s->values().contains(QStringLiteral("refresh_token")));
        QCOMPARE(std::count_if(m_events.cbegin(),
                               m_events.cend(),
                               [](const FlowEvent& e) { return e.type == FlowEvent::Type::Revoked; }),
                 2);
        verifyNoTokenIn(eventsJson());

        // The revoked access token is no longer active...
        auto other = session(options());
        CapturedValue old;
        old.name = QStringLiteral("access_token");
        old.value = access;
        old.issuedMs = QDateTime::currentMSecsSinceEpoch();
        old.expiresMs = old.issuedMs + 600'000;
        other->adopt({{old.name, old}});
        TokenLifecycle otherLifecycle(other.get());
        const LifecycleResult inactive = waitFor<LifecycleResult>(
            [&](auto done) { otherLifecycle.introspect(TokenLifecycle::Which::AccessToken, done); });
        QVERIFY2(inactive.ok(), qPrintable(inactive.detail));
        QVERIFY(!inactive.active);
        QCOMPARE(inactive.body, QStringLiteral("{\"active\":false}"));

        // ...and the revoked refresh token no longer refreshes.
        FlowEngine engine(profile(), options().flow);
        const FlowResult refused = waitFor<FlowResult>([&](auto done) {
            connect(&engine, &FlowEngine::finished, this, done);
            engine.runRefresh(refresh);
        });
        QCOMPARE(refused.outcome, FlowResult::Outcome::Refused);
        QCOMPARE(refused.oauthError, QStringLiteral("invalid_grant"));
    }

    void cliDeviceCodeOnStderrAndJson()
    {
        const QString name = envName(QStringLiteral("dev-cli"));
        const QString id = addEnvironment(name);
        QVERIFY(!id.isEmpty());
        bool decided = false;
        const test::CliRun text = run({QStringLiteral("auth"), name}, cliApprover(true, &decided));
        QCOMPARE(text.exitCode, 0);
        QVERIFY(decided);
        const QString page = m_sandbox->rootUrl().toString() + QStringLiteral("/oauth2/device");
        QVERIFY2(text.err.contains(QStringLiteral("To sign in, open %1 in a browser").arg(page)), qPrintable(text.err));
        QVERIFY2(text.err.contains(QStringLiteral("?user_code=")), qPrintable(text.err));
        QVERIFY(text.err.contains(QStringLiteral("the code expires in 2 minute")));
        QVERIFY2(text.text().contains(QStringLiteral("Authenticated")), qPrintable(text.text()));
        verifyNoTokenIn(text.text() + text.err);

        decided = false;
        const test::CliRun json
            = run({QStringLiteral("auth"), name, QStringLiteral("--json")}, cliApprover(true, &decided));
        QCOMPARE(json.exitCode, 0);
        bool sawEvent = false;
        for (const QString& line : json.text().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const auto j = nlohmann::json::parse(line.toStdString(), nullptr, false);
            if (j.value("event", "") == "device_code") {
                sawEvent = true;
                for (const char* key :
                     {"verification_uri", "verification_uri_complete", "user_code", "expires_in", "interval"}) {
                    QVERIFY2(j.contains(key), key);
                }
                QCOMPARE(QString::fromStdString(j.at("verification_uri").get<std::string>()), page);
            }
        }
        QVERIFY(sawEvent);
        QVERIFY2(!json.err.contains(QStringLiteral("To sign in")), qPrintable(json.err));
        verifyNoTokenIn(json.text() + json.err);

        // With a stored refresh token: introspect (active, exit 0), revoke (exit 0, the keychain entry is gone).
        const test::CliRun introspect = run({QStringLiteral("introspect"), name});
        QCOMPARE(introspect.exitCode, 0);
        QVERIFY2(introspect.text().contains(QStringLiteral("\"active\":true")), qPrintable(introspect.text()));
        const test::CliRun introspectJson = run({QStringLiteral("introspect"), name, QStringLiteral("--json")});
        QCOMPARE(introspectJson.exitCode, 0);
        const auto last = nlohmann::json::parse(
            introspectJson.text().split(QLatin1Char('\n'), Qt::SkipEmptyParts).last().toStdString(), nullptr, false);
        QCOMPARE(last.value("event", ""), std::string("result"));
        QCOMPARE(last.value("active", false), true);
        QCOMPARE(last.at("body").value("client_id", ""), std::string("sbx_oauth2_device_7b3e"));

        const test::CliRun revoke = run({QStringLiteral("revoke"), name});
        QCOMPARE(revoke.exitCode, 0);
        QVERIFY2(revoke.text().contains(QStringLiteral("Revoked the refresh_token of %1").arg(name)),
                 qPrintable(revoke.text() + revoke.err));
        const SecretResult stored = waitFor<SecretResult>(
            [&](auto done) { m_keychain.read(SecretStore::refreshTokenKey(id, QString()), done); });
        QCOMPARE(stored.status, SecretStatus::Missing);
        const test::CliRun again = run({QStringLiteral("revoke"), name, QStringLiteral("--json")});
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.text().contains(QStringLiteral("\"revoked\":[]")));
    }

    void cliDeniedAndExpiredExitThree()
    {
        const QString name = envName(QStringLiteral("dev-deny"));
        QVERIFY(!addEnvironment(name).isEmpty());
        bool decided = false;
        const test::CliRun denied = run({QStringLiteral("auth"), name}, cliApprover(false, &decided));
        QCOMPARE(denied.exitCode, 3);
        QVERIFY2(denied.err.contains(QStringLiteral("access_denied")), qPrintable(denied.err));

        const test::CliRun expired
            = run({QStringLiteral("auth"), name, QStringLiteral("--json")}, [this](const QString& line) {
                  if (line.contains(QStringLiteral("\"event\":\"device_code\""))) {
                      m_sandbox->setFault(kDevice, QStringLiteral("expire_now"), true);
                  }
              });
        QCOMPARE(expired.exitCode, 3);
        QVERIFY2(expired.err.contains(QStringLiteral("expired_token")), qPrintable(expired.err));
    }

    void cliIntrospectInactiveExitsOne()
    {
        // An introspection endpoint that says what RFC 7662 §2.2 says of a revoked token.
        QHttpServer introspection;
        introspection.route(QStringLiteral("/introspect"), [] {
            return QHttpServerResponse(QByteArrayLiteral("application/json"), QByteArrayLiteral("{\"active\":false}"));
        });
        auto* tcp = new QTcpServer(&introspection);
        QVERIFY(tcp->listen(QHostAddress::LocalHost, 0));
        introspection.bind(tcp);
        const QString name = envName(QStringLiteral("dev-inactive"));
        QVERIFY(!addEnvironment(name,
                                {{QStringLiteral("introspection_url"),
                                  QStringLiteral("http://127.0.0.1:%1/introspect").arg(tcp->serverPort())}})
                     .isEmpty());
        bool decided = false;
        const test::CliRun r = run({QStringLiteral("introspect"), name}, cliApprover(true, &decided));
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.text().contains(QStringLiteral("{\"active\":false}")));
        QVERIFY2(r.err.contains(QStringLiteral("not active")), qPrintable(r.err));
    }

    void cliWithoutEndpointOrServer()
    {
        const QString name = envName(QStringLiteral("dev-noendpoint"));
        QVERIFY(!addEnvironment(name, {{QStringLiteral("introspection_url"), QString()}}).isEmpty());
        const test::CliRun none = run({QStringLiteral("introspect"), name});
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.err.contains(QStringLiteral("set its introspection_url")), qPrintable(none.err));

        // A stored refresh token and a revocation endpoint where nothing listens: unreachable, exit 5.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        const QString unreachable = envName(QStringLiteral("dev-unreachable"));
        const QString id = addEnvironment(
            unreachable, {{QStringLiteral("revocation_url"), QStringLiteral("http://127.0.0.1:%1/revoke").arg(port)}});
        QVERIFY(!id.isEmpty());
        const QString canary = QStringLiteral("canary-refresh-token-never-printed-7c1e");
        const SecretResult written = waitFor<SecretResult>(
            [&](auto done) { m_keychain.write(SecretStore::refreshTokenKey(id, QString()), canary, done); });
        QVERIFY(written.ok());
        const test::CliRun r = run({QStringLiteral("revoke"), unreachable, QStringLiteral("-v")});
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.contains(QStringLiteral("could not be reached")), qPrintable(r.err));
        QVERIFY(test::leakedSecret(r.text() + r.err, {canary}).isEmpty());
    }

    void cleanupTestCase() { m_sandbox.reset(); }
};

QTEST_GUILESS_MAIN(TestDeviceGrant)
#include "tst_device_grant.moc"
