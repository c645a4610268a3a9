// keyway-cli auth / call / check end to end, as subprocesses, against the sandbox served from this
// test process, with environments in a throwaway config directory and secrets in the (throwaway)
// keyring. Asserts what a user or a script sees: stdout, stderr, JSON Lines and exit codes.
#include "core/sandbox/SandboxServer.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/SecretBatch.h"
#include "tests/support/CliProcess.h"
#include "tests/support/SandboxBrowser.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

#include <memory>

using namespace keyway;
using keyway::sandbox::SandboxServer;

using keyway::test::CliRun;

class TestCliCall : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_config;
    std::unique_ptr<SandboxServer> m_sandbox;
    KeychainSecretStore m_keychain;
    test::SandboxBrowser m_browser; // plays the user signing in on the printed URL
    QString m_suffix = QString::number(QCoreApplication::applicationPid());
    QStringList m_allSecrets;

    QString envName(const QString& base) const { return base + QLatin1Char('-') + m_suffix; }

    // Creates an environment for a sandbox provider; secrets go to the keyring, the rest to the config.
    void addEnvironment(const QString& name,
                        const QString& providerId,
                        const QMap<QString, QString>& overrides = {},
                        const QStringList& skipSecrets = {})
    {
        const auto demo = m_sandbox->demoProvider(providerId);
        QVERIFY(demo);
        EnvironmentStore store;
        QString error;
        QVERIFY2(store.load(&error), qPrintable(error));
        Environment env = Environment::create(name, providerId, demo->baseUrl.toString());
        QMap<QString, QString> secrets;
        static const QStringList secretKeys = {QStringLiteral("clientSecret"),
                                               QStringLiteral("webhookSecret"),
                                               QStringLiteral("client_secret"),
                                               QStringLiteral("api.client_secret"),
                                               QStringLiteral("sdk.client_secret")};
        for (const auto& [key, demoValue] : demo->credentials) {
            const QString value = overrides.value(key, demoValue);
            if (secretKeys.contains(key)) {
                m_allSecrets.append(value);
                if (!skipSecrets.contains(key)) {
                    secrets.insert(SecretStore::keyFor(env.id, key), value);
                }
            } else {
                env.values.insert(key, value);
            }
        }
        QVERIFY2(store.add(env, &error), qPrintable(error));
        QVERIFY2(store.save(&error), qPrintable(error));
        const auto results = SecretBatch::writeAllAndWait(m_keychain, secrets);
        QVERIFY(!SecretBatch::firstFailure(results));
    }

    // Runs keyway-cli while this process's event loop keeps serving the sandbox.
    CliRun run(const QStringList& args,
               const std::function<void(const nlohmann::json&)>& onJsonLine = {},
               int timeoutMs = 30000)
    {
        test::CliInvocation invocation(args);
        invocation.onJsonLine = onJsonLine;
        invocation.timeoutMs = timeoutMs;
        const CliRun result = test::runCli(invocation);
        verifyNoSecret(result);
        return result;
    }

    void verifyNoSecret(const CliRun& r)
    {
        if (!test::leakedSecret(r.text() + r.err, m_allSecrets).isEmpty()) {
            QFAIL("a secret reached stdout or stderr");
        }
    }

    // Whether something listens on 127.0.0.1:port right now.
    static bool accepts(int port)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), static_cast<quint16>(port));
        const bool connected = socket.waitForConnected(2000);
        socket.abort();
        return connected;
    }

    static QList<nlohmann::json> jsonLines(const QString& out)
    {
        QList<nlohmann::json> lines;
        for (const QString& line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            lines.append(nlohmann::json::parse(line.toStdString(), nullptr, false));
        }
        return lines;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        // Our own config directory: the suite's tests run in parallel.
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        m_sandbox = std::make_unique<SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        addEnvironment(envName(QStringLiteral("seis")), QStringLiteral("seismic"));
        addEnvironment(envName(QStringLiteral("bank")), QStringLiteral("banking"));
        addEnvironment(envName(QStringLiteral("ecard")), QStringLiteral("ecard"));
        addEnvironment(envName(QStringLiteral("astrada")), QStringLiteral("astrada"));
        addEnvironment(envName(QStringLiteral("code")), QStringLiteral("oauth2-code"));
        // Never signed in, so it has no refresh token to fall back on: every run of it waits for a browser.
        addEnvironment(envName(QStringLiteral("code-wait")), QStringLiteral("oauth2-code"));
        addEnvironment(envName(QStringLiteral("bank-wrong")),
                       QStringLiteral("banking"),
                       {{QStringLiteral("client_secret"), QStringLiteral("canary-wrong-bank-secret-42")}});
        addEnvironment(
            envName(QStringLiteral("bank-nosecret")), QStringLiteral("banking"), {}, {QStringLiteral("client_secret")});
    }

    void callPrintsTheBody()
    {
        const CliRun r = run({QStringLiteral("call"),
                              envName(QStringLiteral("seis")),
                              QStringLiteral("GET"),
                              QStringLiteral("/v1/card/bins")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.text().contains(QStringLiteral("485932")), qPrintable(r.text() + r.err));
        const auto body = nlohmann::json::parse(r.text().toStdString(), nullptr, false);
        QVERIFY(body.value("code", "") == "000000");
    }

    void callWithIncludeAndJson()
    {
        const CliRun inc = run({QStringLiteral("call"),
                                envName(QStringLiteral("bank")),
                                QStringLiteral("GET"),
                                QStringLiteral("/accounts"),
                                QStringLiteral("-i")});
        QCOMPARE(inc.exitCode, 0);
        QVERIFY2(inc.text().startsWith(QStringLiteral("HTTP/1.1 200")), qPrintable(inc.text()));
        QVERIFY(inc.text().contains(QStringLiteral("\n\n")));

        const CliRun json = run({QStringLiteral("call"),
                                 envName(QStringLiteral("bank")),
                                 QStringLiteral("GET"),
                                 QStringLiteral("/accounts"),
                                 QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const auto lines = jsonLines(json.text());
        QVERIFY(lines.size() >= 5);
        QStringList names;
        for (const auto& line : lines) {
            QVERIFY(line.is_object());
            QVERIFY(line.contains("event"));
            names.append(QString::fromStdString(line.at("event").get<std::string>()));
        }
        for (const QString& text : json.text().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            QVERIFY2(text.startsWith(QStringLiteral("{\"event\":")), qPrintable(text)); // "event" first
        }
        QCOMPARE(names.first(), QStringLiteral("step_started"));
        QVERIFY(names.contains(QStringLiteral("request")));
        QVERIFY(names.contains(QStringLiteral("captured")));
        QCOMPARE(names.last(), QStringLiteral("result"));
        QVERIFY(lines.last().at("status").get<int>() == 200);
        QVERIFY(lines.last().at("body").is_structured()); // the reply's JSON value, not its text
        QVERIFY(!json.text().contains(QStringLiteral("Bearer ey")));
    }

    void callWithBodyFromFileAndHeaders()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("body.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"binId":"x","firstName":"Ada","lastName":"Lovelace","email":"ada@example.com"})");
        file.close();
        const CliRun r = run({QStringLiteral("call"),
                              envName(QStringLiteral("seis")),
                              QStringLiteral("POST"),
                              QStringLiteral("/v1/cardholders"),
                              QStringLiteral("-d"),
                              QLatin1Char('@') + file.fileName(),
                              QStringLiteral("-H"),
                              QStringLiteral("X-Trace: cli-test"),
                              QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        bool sawKey = false;
        for (const auto& line : jsonLines(r.text())) {
            if (line.at("event") == "request" && line.value("step", "") == "api") {
                QVERIFY(line.at("headers").value("X-Trace", "") == "cli-test");
                sawKey = QRegularExpression(QStringLiteral("^[0-9a-f-]{36}$"))
                             .match(QString::fromStdString(line.at("headers").value("Idempotency-Key", "")))
                             .hasMatch();
            }
        }
        QVERIFY(sawKey);
    }

    void refusalsExitOneWithAHint()
    {
        const CliRun scope = run({QStringLiteral("call"),
                                  envName(QStringLiteral("ecard")),
                                  QStringLiteral("GET"),
                                  QStringLiteral("/api/transaction/v1/settlements")});
        QCOMPARE(scope.exitCode, 1);
        QVERIFY(!scope.text().isEmpty()); // the body is printed whatever the status
        QVERIFY2(scope.err.contains(QStringLiteral("403")), qPrintable(scope.err));
        QVERIFY(scope.err.contains(QStringLiteral("scope")));
        QCOMPARE(scope.err.trimmed().count(QLatin1Char('\n')), 0); // one line

        const CliRun sdk = run({QStringLiteral("call"),
                                envName(QStringLiteral("astrada")),
                                QStringLiteral("GET"),
                                QStringLiteral("/subaccounts"),
                                QStringLiteral("--credentials"),
                                QStringLiteral("sdk")});
        QCOMPARE(sdk.exitCode, 1);
        QVERIFY(sdk.err.contains(QStringLiteral("403")));
        const CliRun api = run({QStringLiteral("call"),
                                envName(QStringLiteral("astrada")),
                                QStringLiteral("GET"),
                                QStringLiteral("/subaccounts"),
                                QStringLiteral("--credentials"),
                                QStringLiteral("api")});
        QCOMPARE(api.exitCode, 0);
    }

    // A keychain that cannot answer is exit 4 with what to do, and is never taken for "no secret":
    // the same call works again once the keychain is back.
    void unreachableKeychainExitsFourAndLosesNothing()
    {
        const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("DBUS_SESSION_BUS_ADDRESS", QByteArrayLiteral("unix:path=/nonexistent/keyway-no-bus"));
        const CliRun dead = run({QStringLiteral("call"),
                                 envName(QStringLiteral("bank")),
                                 QStringLiteral("GET"),
                                 QStringLiteral("/accounts")});
        qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
        QCOMPARE(dead.exitCode, 4);
        QVERIFY2(dead.err.contains(QStringLiteral("keychain")), qPrintable(dead.err));
        QVERIFY(dead.text().isEmpty());

        const CliRun back = run({QStringLiteral("call"),
                                 envName(QStringLiteral("bank")),
                                 QStringLiteral("GET"),
                                 QStringLiteral("/accounts")});
        QVERIFY2(back.exitCode == 0, qPrintable(back.err));
    }

    void checkPasses()
    {
        for (const QString& env : {envName(QStringLiteral("seis")),
                                   envName(QStringLiteral("ecard")),
                                   envName(QStringLiteral("bank")),
                                   envName(QStringLiteral("astrada"))}) {
            const CliRun r = run({QStringLiteral("check"), env});
            QVERIFY2(r.exitCode == 0, qPrintable(env + QStringLiteral(": ") + r.err));
        }
    }

    void usageAndInputErrorsExitTwo()
    {
        QCOMPARE(
            run({QStringLiteral("call"), QStringLiteral("no-such-env"), QStringLiteral("GET"), QStringLiteral("/x")})
                .exitCode,
            2);
        QCOMPARE(run({QStringLiteral("call"), envName(QStringLiteral("seis"))}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("call"),
                      envName(QStringLiteral("astrada")),
                      QStringLiteral("GET"),
                      QStringLiteral("/x"),
                      QStringLiteral("--credentials"),
                      QStringLiteral("nope")})
                     .exitCode,
                 2);
        const CliRun missing = run({QStringLiteral("check"), envName(QStringLiteral("bank-nosecret"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains(QStringLiteral("client_secret")));
        QCOMPARE(run({QStringLiteral("auth"), envName(QStringLiteral("bank")), QStringLiteral("--bogus")}).exitCode, 2);
    }

    void wrongCredentialsExitThree()
    {
        const CliRun r = run({QStringLiteral("call"),
                              envName(QStringLiteral("bank-wrong")),
                              QStringLiteral("GET"),
                              QStringLiteral("/accounts")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains(QStringLiteral("client_secret")));
    }

    void authNoBrowserJsonThenCallWithTheStoredRefreshToken()
    {
        bool opened = false;
        const CliRun auth = run(
            {QStringLiteral("auth"),
             envName(QStringLiteral("code")),
             QStringLiteral("--no-browser"),
             QStringLiteral("--json")},
            [&](const nlohmann::json& line) {
                if (line.is_object() && line.value("event", "") == "authorize_url") {
                    opened = true;
                    m_browser.start(QUrl(QString::fromStdString(line.at("url").get<std::string>())), true, nullptr);
                }
            });
        QVERIFY(opened);
        QVERIFY2(auth.exitCode == 0, qPrintable(auth.err));
        bool userId = false;
        for (const auto& line : jsonLines(auth.text())) {
            userId
                = userId || (line.at("event") == "captured" && line.at("name") == "user_id" && line.contains("value"));
        }
        QVERIFY(userId);
        QVERIFY(jsonLines(auth.text()).last().at("event") == "result");

        // The refresh token was kept in the keychain: no sign-in needed (none would arrive).
        const int before = m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code"));
        const CliRun call = run({QStringLiteral("call"),
                                 envName(QStringLiteral("code")),
                                 QStringLiteral("GET"),
                                 QStringLiteral("/api/me"),
                                 QStringLiteral("--no-browser")},
                                {},
                                15000);
        QVERIFY2(call.exitCode == 0, qPrintable(call.err));
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), before + 1);
    }

    // xdg-open that fails (no browser configured) is no dead end: the URL goes to stderr like --no-browser and
    // keyway-cli keeps waiting; a browser that visits it later completes the sign-in.
    void failingXdgOpenPrintsTheUrlAndKeepsWaiting()
    {
        QTemporaryDir bin;
        QVERIFY(bin.isValid());
        QFile opener(bin.filePath(QStringLiteral("xdg-open")));
        QVERIFY(opener.open(QIODevice::WriteOnly));
        opener.write("#!/bin/sh\necho 'xdg-open: no method available for opening' >&2\nexit 3\n");
        opener.close();
        QVERIFY(opener.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", bin.path().toUtf8() + ':' + path);
        bool waitingWithoutBrowser = false;
        const CliRun r = run(
            {QStringLiteral("auth"), envName(QStringLiteral("code")), QStringLiteral("--json")},
            [&](const nlohmann::json& line) {
                if (line.is_object() && line.value("event", "") == "waiting_for_browser"
                    && !line.value("browser_opened", true)) {
                    waitingWithoutBrowser = true;
                    // The user copies the printed URL into a browser.
                    m_browser.start(QUrl(QString::fromStdString(line.at("url").get<std::string>())), true, nullptr);
                }
            });
        qputenv("PATH", path);
        QVERIFY(waitingWithoutBrowser);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("could not open a browser")), qPrintable(r.err));
        QVERIFY(QRegularExpression(QStringLiteral("\\nhttp://127\\.0\\.0\\.1:\\d+/[^\\n]*authorize\\?[^\\n]*state="))
                    .match(r.err)
                    .hasMatch());
        QVERIFY(jsonLines(r.text()).last().at("event") == "result");
    }

    // The provider says no: keyway-cli exits 3, and the browser still got its page (not "connection reset").
    void deniedSignInAnswersTheBrowserBeforeExiting()
    {
        test::SandboxBrowser denying;
        denying.setDecision(test::SandboxBrowser::Decision::Deny);
        const CliRun r
            = run({QStringLiteral("auth"),
                   envName(QStringLiteral("code")),
                   QStringLiteral("--no-browser"),
                   QStringLiteral("--json")},
                  [&](const nlohmann::json& line) {
                      if (line.is_object() && line.value("event", "") == "authorize_url") {
                          denying.start(QUrl(QString::fromStdString(line.at("url").get<std::string>())), true, nullptr);
                      }
                  });
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains(QStringLiteral("access_denied")));
        QTRY_VERIFY(denying.lastResult().finalUrl.isValid());
        QTRY_VERIFY2(denying.lastResult().delivered, qPrintable(denying.lastResult().error));
    }

    // A request on another path of the listener while keyway-cli waits (a favicon, a mistyped URL): it gets
    // the "still waiting" page and the sign-in goes on; the real redirect then completes it.
    void wrongPathDuringSignInGetsAPageAndTheSignInGoesOn()
    {
        QNetworkAccessManager nam;
        test::HttpExchange wrongPath;
        const CliRun r = run({QStringLiteral("auth"),
                              envName(QStringLiteral("code")),
                              QStringLiteral("--no-browser"),
                              QStringLiteral("--json")},
                             [&](const nlohmann::json& line) {
                                 if (line.is_object() && line.value("event", "") == "authorize_url") {
                                     const QUrl authorize(QString::fromStdString(line.at("url").get<std::string>()));
                                     QUrl favicon(QUrlQuery(authorize).queryItemValue(QStringLiteral("redirect_uri"),
                                                                                      QUrl::FullyDecoded));
                                     favicon.setPath(QStringLiteral("/favicon.ico"));
                                     wrongPath = test::httpExchange(nam, "GET", favicon);
                                     m_browser.start(authorize, true, nullptr);
                                 }
                             });
        QCOMPARE(wrongPath.status, 404);
        QVERIFY2(wrongPath.body.contains("still waiting"), wrongPath.body.constData());
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY(jsonLines(r.text()).last().at("event") == "result");
    }

    void stateMismatchJsonExitsThree()
    {
        QVERIFY(m_sandbox->setFault(QStringLiteral("oauth2-code"), QStringLiteral("alter_state"), true));
        const int before = m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code"));
        const CliRun r = run(
            {QStringLiteral("auth"),
             envName(QStringLiteral("code")),
             QStringLiteral("--no-browser"),
             QStringLiteral("--json")},
            [&](const nlohmann::json& line) {
                if (line.is_object() && line.value("event", "") == "authorize_url") {
                    m_browser.start(QUrl(QString::fromStdString(line.at("url").get<std::string>())), true, nullptr);
                }
            });
        QVERIFY(m_sandbox->setFault(QStringLiteral("oauth2-code"), QStringLiteral("alter_state"), false));
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains(QStringLiteral("state")));
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), before);
        // The browser got the "does not belong to the sign-in" page, not a reset connection.
        QTRY_VERIFY2(m_browser.lastResult().delivered, qPrintable(m_browser.lastResult().error));
    }
    // Nobody signs in: the wait ends at --sign-in-timeout (the engine's own timer, not a second one in the CLI)
    // with exit 3, the reason and what to do next; the loopback listener is closed by then, not only once the
    // process has gone. Without the option the wait would be five minutes and this run is killed after 20 s.
    void noSignInEndsAtTheSignInTimeoutAndClosesTheListener_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("json");
        const QString name = envName(QStringLiteral("code-wait"));
        QTest::newRow("auth --json") << QStringList {QStringLiteral("auth"), name, QStringLiteral("--json")} << true;
        QTest::newRow("call")
            << QStringList {QStringLiteral("call"), name, QStringLiteral("GET"), QStringLiteral("/api/me")} << false;
    }

    void noSignInEndsAtTheSignInTimeoutAndClosesTheListener()
    {
        QFETCH(QStringList, args);
        QFETCH(bool, json);
        const int tokensBefore = m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code"));
        static const QRegularExpression loopback(
            QStringLiteral("redirect_uri=http%3A%2F%2F127\\.0\\.0\\.1%3A(\\d+)%2Fcallback"));
        int port = 0;
        bool listenedWhileWaiting = false;
        bool listeningWhenReported = true;
        QElapsedTimer sinceUrl;
        qint64 waitedMs = 0;
        test::CliInvocation invocation(
            args
            + QStringList {QStringLiteral("--no-browser"), QStringLiteral("--sign-in-timeout"), QStringLiteral("2")});
        invocation.timeoutMs = 20000;
        invocation.onLine = [&](const QString& line) {
            // The authorization URL (stderr, or the authorize_url event) carries the redirect URI and its port;
            // the sandbox's own host is 127.0.0.1 too, so the port is read from the redirect URI only.
            const auto match = loopback.match(line);
            if (port == 0 && match.hasMatch()) {
                port = match.captured(1).toInt();
                sinceUrl.start();
                listenedWhileWaiting = accepts(port);
            }
            // Reported as over (stderr, or the result line): the listener must be closed already.
            if (port != 0
                && (line.contains(QLatin1String("authentication failed"))
                    || line.contains(QLatin1String("\"event\":\"result\"")))
                && waitedMs == 0) {
                waitedMs = sinceUrl.elapsed();
                listeningWhenReported = accepts(port);
            }
        };
        const CliRun r = test::runCli(invocation);
        verifyNoSecret(r);
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe()));
        QVERIFY2(port > 0, qPrintable(r.describe()));
        QVERIFY(listenedWhileWaiting);
        QVERIFY2(!listeningWhenReported, "the loopback listener was still open when the timeout was reported");
        QVERIFY(!accepts(port));
        // Bounded by the option: it waited the two seconds, and not much more.
        QVERIFY2(waitedMs >= 1500, qPrintable(QString::number(waitedMs)));
        QVERIFY2(r.elapsedMs < 10000, qPrintable(QString::number(r.elapsedMs)));
        QVERIFY2(r.err.contains(QLatin1String("no sign-in arrived within 2 s")), qPrintable(r.err));
        // Told before the wait how long it lasts (with --json the waiting_for_browser event's deadline says it).
        QVERIFY2(json != r.err.contains(QLatin1String("Waiting up to 2 seconds for the sign-in;")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("Start the sign-in again")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("--sign-in-timeout SECONDS gives it longer")), qPrintable(r.err));
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), tokensBefore);
        if (json) {
            const auto last = jsonLines(r.text()).last();
            QVERIFY2(last.value("event", "") == "result" && !last.value("ok", true), r.out.constData());
        } else {
            QVERIFY2(r.out.isEmpty(), r.out.constData());
        }
    }

    void signInTimeoutMustBeAPositiveNumberOfSeconds_data()
    {
        QTest::addColumn<QString>("value");
        for (const char* value : {"0", "-5", "soon", "90000"}) {
            QTest::newRow(value) << QString::fromLatin1(value);
        }
    }

    void signInTimeoutMustBeAPositiveNumberOfSeconds()
    {
        QFETCH(QString, value);
        const CliRun r = run({QStringLiteral("auth"),
                              envName(QStringLiteral("code-wait")),
                              QStringLiteral("--no-browser"),
                              QStringLiteral("--sign-in-timeout"),
                              value});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--sign-in-timeout must be a number of seconds above 0")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1Char('\'') + value + QLatin1Char('\'')), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("127.0.0.1")), qPrintable(r.err)); // no sign-in was started
    }
};

QTEST_GUILESS_MAIN(TestCliCall)
#include "tst_cli_call.moc"
