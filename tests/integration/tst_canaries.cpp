// Canary secrets through every path a user can see or Keyway writes: for every secret field of every
// shipped provider (each credential set), a successful flow, a refused one (a wrong secret), the call
// and its history, `-v`, `--json`, and every logging category at debug level. A recording proxy between
// keyway-cli and the sandbox learns every token, code and secret that crossed the wire; none of them may
// appear on stdout, stderr, or in any file under the temporary HOME/XDG directories, also when keyway-cli
// crashes in the middle of a step (no core file). "Copy as curl" is the GUI's path: tests/ui/tst_canaries_curl.
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "tests/support/CliProcess.h"
#include "tests/support/InProcessLog.h"
#include "tests/support/SandboxBrowser.h"

#include <QDirIterator>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <csignal>
#include <functional>
#include <memory>

using keyway::ProfileRegistry;
using keyway::ProviderProfile;
using keyway::sandbox::SandboxServer;

namespace {

// Forwards every connection to the sandbox and keeps a copy of all bytes, both ways.
class RecordingProxy : public QObject
{
public:
    bool listen(quint16 target)
    {
        m_target = target;
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket* client = m_server.nextPendingConnection()) {
                auto* upstream = new QTcpSocket(client);
                connect(client, &QTcpSocket::readyRead, upstream, [this, client, upstream] {
                    const QByteArray bytes = client->readAll();
                    m_wire += bytes;
                    upstream->write(bytes);
                });
                connect(upstream, &QTcpSocket::readyRead, client, [this, client, upstream] {
                    QByteArray bytes = upstream->readAll();
                    m_wire += bytes;
                    // The sandbox names its own origin (redirects, the RFC 9207 iss): make that the proxy's,
                    // as a real reverse proxy would. Ports are five digits on both sides, so lengths hold.
                    bytes.replace(m_targetOrigin, m_ownOrigin);
                    bytes.replace(QByteArray(m_targetOrigin).replace(":", "%3A"),
                                  QByteArray(m_ownOrigin).replace(":", "%3A"));
                    client->write(bytes);
                });
                connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
                connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
                    upstream->disconnectFromHost();
                    client->deleteLater();
                });
                upstream->connectToHost(QHostAddress::LocalHost, m_target);
            }
        });
        if (!m_server.listen(QHostAddress::LocalHost, 0)) {
            return false;
        }
        m_targetOrigin = "127.0.0.1:" + QByteArray::number(target);
        m_ownOrigin = "127.0.0.1:" + QByteArray::number(m_server.serverPort());
        return m_targetOrigin.size() == m_ownOrigin.size();
    }
    quint16 port() const { return m_server.serverPort(); }
    const QByteArray& wire() const { return m_wire; }

private:
    QTcpServer m_server;
    quint16 m_target = 0;
    QByteArray m_targetOrigin;
    QByteArray m_ownOrigin;
    QByteArray m_wire;
};

} // namespace

using keyway::test::CliRun;

class TestCanaries : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    std::unique_ptr<SandboxServer> m_sandbox;
    RecordingProxy m_proxy;
    keyway::test::SandboxBrowser m_browser;
    QNetworkAccessManager m_nam;
    ProfileRegistry m_registry;
    QSet<QString> m_secrets; // what was typed into the keychain
    QByteArray m_allOutput;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_root.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_root.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_root.filePath(QStringLiteral("cache")));
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_root.filePath(QStringLiteral("state")));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("keyway.*.debug=true"));
        // The category on every line, so the test can tell that each one did print.
        env.insert(QStringLiteral("QT_MESSAGE_PATTERN"), QStringLiteral("%{category}: %{message}"));
        env.remove(QStringLiteral("DISPLAY"));
        return env;
    }

    // keyway-cli with the sandbox answering; an authorize_url event (--json) is signed in by the browser.
    CliRun run(const QStringList& args, const QByteArray& input = {})
    {
        const auto signIn = [this](const nlohmann::json& line) {
            if (line.is_object() && line.value("event", "") == "authorize_url") {
                m_browser.start(QUrl(QString::fromStdString(line.value("url", ""))), true, nullptr);
            }
            if (line.is_object() && line.value("event", "") == "device_code") {
                // The person at the verification page signs in and allows the device.
                const QByteArray form
                    = "user_code=" + QUrl::toPercentEncoding(QString::fromStdString(line.value("user_code", "")))
                    + "&username=" + QUrl::toPercentEncoding(SandboxServer::demoUsername())
                    + "&password=" + QUrl::toPercentEncoding(SandboxServer::demoPassword()) + "&decision=approve";
                keyway::test::httpExchange(m_nam,
                                           "POST",
                                           QUrl(m_sandbox->rootUrl().toString() + QStringLiteral("/oauth2/device")),
                                           form,
                                           {{"Content-Type", "application/x-www-form-urlencoded"}});
            }
        };
        keyway::test::CliInvocation invocation(args, input, environment());
        invocation.onJsonLine = signIn;
        invocation.timeoutMs = 30000;
        CliRun r = keyway::test::runCli(invocation);
        m_allOutput += r.out + '\n' + r.err.toUtf8() + '\n';
        return r;
    }

    QUrl proxied(const QUrl& url) const
    {
        QUrl u = url;
        u.setPort(m_proxy.port());
        return u;
    }

    // `env add` with the sandbox's demo credentials: secrets on stdin, the rest with --set.
    void addEnvironment(const QString& providerId)
    {
        const auto demo = m_sandbox->demoProvider(providerId);
        QVERIFY(demo);
        const ProviderProfile* profile = m_registry.find(providerId);
        QVERIFY(profile);
        QStringList args {QStringLiteral("env"),
                          QStringLiteral("add"),
                          providerId,
                          QStringLiteral("--provider"),
                          providerId,
                          QStringLiteral("--base-url"),
                          proxied(demo->baseUrl).toString()};
        QByteArray input;
        for (const auto& [key, value] : demo->credentials) {
            const auto* field = profile->field(key);
            if (field && field->secret) {
                args << QStringLiteral("--secret") << key;
                input += value.toUtf8() + '\n';
                m_secrets.insert(value);
            } else {
                args << QStringLiteral("--set") << key + QLatin1Char('=') + value;
            }
        }
        const CliRun r = run(args, input);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    // Every token, code and credential the proxy saw, in JSON members, headers, queries and forms.
    QSet<QString> wireSecrets() const
    {
        QSet<QString> found;
        const QString wire = QString::fromUtf8(m_proxy.wire());
        // (moc cannot read raw string literals, hence the escapes.)
        static const QRegularExpression json(QStringLiteral(
            "\"(access_token|refresh_token|id_token|accessToken|refreshToken|idToken|code|device_code|client_secret|"
            "clientSecret)"
            "\"\\s*:\\s*\"([^\"\\\\]{12,})\""));
        static const QRegularExpression header(
            QStringLiteral("(?im)^(authorization|x-access-token):\\s*(?:bearer |basic )?(\\S{12,})"));
        static const QRegularExpression param(QStringLiteral(
            "(?:[?&\\s]|^)(code|device_code|client_secret|refresh_token|code_verifier|clientSecret)=([^&\\s\"]{12,})"));
        for (const auto* re : {&json, &header, &param}) {
            auto it = re->globalMatch(wire);
            while (it.hasNext()) {
                const QString value = QUrl::fromPercentEncoding(it.next().captured(2).toUtf8());
                found.insert(value);
            }
        }
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        keyway::test::InProcessLog::install(); // what the sandbox in this process logs, every category at debug
        // A broken user profile: its warning (keyway.core.profile) is one more path to check.
        QVERIFY(QDir().mkpath(m_root.filePath(QStringLiteral("config/keyway/providers"))));
        QFile broken(m_root.filePath(QStringLiteral("config/keyway/providers/broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{ \"id\": \"broken\", ");
        broken.close();
        m_registry.loadShipped();
        m_sandbox = std::make_unique<SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        QVERIFY(m_proxy.listen(m_sandbox->port()));
        for (const auto& demo : m_sandbox->demoProviders()) {
            addEnvironment(demo.providerId);
        }
    }

    void successfulFlowsAndCalls_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("credentials");
        QTest::newRow("seismic") << "seismic"
                                 << "/v1/card/bins" << QString();
        QTest::newRow("banking") << "banking"
                                 << "/accounts" << QString();
        QTest::newRow("ecard") << "ecard"
                               << "/api/transaction/v1/transactions" << QString();
        QTest::newRow("astrada api") << "astrada"
                                     << "/transactions"
                                     << "api";
        QTest::newRow("astrada sdk") << "astrada"
                                     << "/transactions"
                                     << "sdk"; // refused: a failure path too
        QTest::newRow("oauth2-client") << "oauth2-client"
                                       << "/api/me" << QString();
        QTest::newRow("oauth2-code") << "oauth2-code"
                                     << "/api/me" << QString();
        QTest::newRow("oauth2-device") << "oauth2-device"
                                       << "/api/me" << QString();
    }

    void successfulFlowsAndCalls()
    {
        QFETCH(QString, name);
        QFETCH(QString, path);
        QFETCH(QString, credentials);
        QStringList set;
        if (!credentials.isEmpty()) {
            set << QStringLiteral("--credentials") << credentials;
        }
        const CliRun auth = run(QStringList {"auth", name, "--json", "--no-browser"} + set);
        QVERIFY2(auth.exitCode == 0, qPrintable(auth.err));
        const CliRun call = run(QStringList {"call", name, "GET", path, "-v", "--json", "--no-browser"} + set);
        QVERIFY2(call.exitCode == 0 || credentials == QLatin1String("sdk"), qPrintable(call.err));
        const CliRun plain = run(QStringList {"call", name, "GET", path, "-i", "-v", "--no-browser"} + set);
        QCOMPARE(plain.exitCode, call.exitCode);
        const CliRun check = run(QStringList {"check", name, "-v", "--no-browser"} + set);
        QVERIFY(check.exitCode == 0 || credentials == QLatin1String("sdk"));
    }

    // A wrong secret: the token endpoint refuses it, and the refusal's messages, events and history
    // still never show it.
    void refusedSecrets_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("path");
        QTest::newRow("seismic") << "seismic"
                                 << "clientSecret"
                                 << "/v1/card/bins";
        QTest::newRow("banking") << "banking"
                                 << "client_secret"
                                 << "/accounts";
        QTest::newRow("ecard") << "ecard"
                               << "client_secret"
                               << "/api/transaction/v1/transactions";
        QTest::newRow("astrada") << "astrada"
                                 << "api.client_secret"
                                 << "/transactions";
        QTest::newRow("oauth2-client") << "oauth2-client"
                                       << "client_secret"
                                       << "/api/me";
        QTest::newRow("oauth2-code") << "oauth2-code"
                                     << "client_secret"
                                     << "/api/me";
        // A public client given a secret: refused by the token endpoint at the first poll.
        QTest::newRow("oauth2-device") << "oauth2-device"
                                       << "client_secret"
                                       << "/api/me";
    }

    void refusedSecrets()
    {
        QFETCH(QString, name);
        QFETCH(QString, key);
        QFETCH(QString, path);
        const QString wrong = QStringLiteral("canary-wrong-%1-7c1d93ab5e").arg(name);
        m_secrets.insert(wrong);
        const CliRun set = run({"env", "set", name, "--secret", key}, wrong.toUtf8() + '\n');
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        // auth always runs the whole flow, so the wrong secret is sent even where a refresh token is kept.
        const CliRun auth = run({"auth", name, "--json", "--no-browser", "-v"});
        QCOMPARE(auth.exitCode, 3);
        const CliRun call = run({"call", name, "GET", path, "-v", "--json", "--no-browser"});
        QVERIFY(call.exitCode != 0);
    }

    // A step that crashes: keyway-cli aborts while its token request (client secret inside) waits for an
    // answer, with core files allowed by the shell (`ulimit -c unlimited`) in a directory of its own. Keyway
    // sets its own core limit to zero, so the secret it held in memory is not written to disk.
    void crashedStepLeavesNoSecret()
    {
        const QString secret = QStringLiteral("canary-crash-secret-0d5e2a77");
        m_secrets.insert(secret);
        const QString crashDir = m_root.filePath(QStringLiteral("crash"));
        QVERIFY(QDir().mkpath(crashDir));
        QTcpServer silent; // takes the token request and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QByteArray request;
        QString limits;
        bool aborted = false;
        connect(&silent, &QTcpServer::pendingConnectionAvailable, this, [&] {
            while (QTcpSocket* socket = silent.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [&, socket] {
                    request += socket->readAll();
                    const qsizetype headEnd = request.indexOf("\r\n\r\n");
                    if (aborted || headEnd < 0 || !request.contains(QUrl::toPercentEncoding(secret))) {
                        return; // the secret is in the body or a header: wait until it has been sent
                    }
                    QFile pidFile(crashDir + QStringLiteral("/pid"));
                    QVERIFY(pidFile.open(QIODevice::ReadOnly));
                    const pid_t pid = pid_t(pidFile.readAll().trimmed().toInt());
                    QVERIFY(pid > 0);
                    QFile limitsFile(QStringLiteral("/proc/%1/limits").arg(pid));
                    QVERIFY(limitsFile.open(QIODevice::ReadOnly));
                    limits = QString::fromLatin1(limitsFile.readAll());
                    aborted = ::kill(pid, SIGABRT) == 0;
                });
            }
        });
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort());
        const CliRun added = run({"env",
                                  "add",
                                  "crash",
                                  "--provider",
                                  "oauth2-client",
                                  "--base-url",
                                  base,
                                  "--set",
                                  "token_url=/token",
                                  "--set",
                                  "client_id=crash-client",
                                  "--secret",
                                  "client_secret"},
                                 secret.toUtf8() + '\n');
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));

        keyway::test::CliInvocation invocation(
            {"call", "crash", "GET", "/api/me", "-v", "--max-time", "20"}, {}, environment());
        invocation.timeoutMs = 30000;
        invocation.program = QStringLiteral("/bin/sh");
        invocation.args = QStringList {QStringLiteral("-c"),
                                       QStringLiteral("ulimit -c unlimited; cd \"$0\" && echo $$ > pid && exec \"$@\""),
                                       crashDir,
                                       QStringLiteral(KEYWAY_CLI_PATH)}
            + invocation.args;
        const CliRun r = keyway::test::runCli(invocation);
        m_allOutput += r.out + '\n' + r.err.toUtf8() + '\n';
        QVERIFY2(aborted, qPrintable(r.describe()));
        QCOMPARE(r.exitCode, -1); // it died of the signal
        static const QRegularExpression noCore(QStringLiteral("(?m)^Max core file size\\s+0\\s+0\\s"));
        QVERIFY2(noCore.match(limits).hasMatch(), qPrintable(limits));
        // Whatever the system does with a crash, no file next to it holds the secret (UTF-8 or UTF-16).
        QByteArray utf16(reinterpret_cast<const char*>(secret.utf16()), secret.size() * 2);
        QDirIterator files(crashDir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            QVERIFY2(!content.contains(secret.toUtf8()) && !content.contains(utf16), qPrintable(file.fileName()));
            QVERIFY2(!file.fileName().contains(QLatin1String("core")), qPrintable(file.fileName()));
        }
    }

    // Last: every canary, and everything the proxy saw, against every output and every file.
    void noCanaryOutsideTheKeychain()
    {
        const QSet<QString> fromWire = wireSecrets();
        QVERIFY2(fromWire.size() >= 10, qPrintable(QString::number(fromWire.size()))); // tokens and codes were seen
        QSet<QString> canaries = m_secrets;
        canaries.unite(fromWire);
        m_allOutput += keyway::test::InProcessLog::text();
        // Every category that keyway-cli and the sandbox use did print, so each was searched.
        for (const char* category : {"keyway.core.profile",
                                     "keyway.core.secrets",
                                     "keyway.core.auth",
                                     "keyway.core.http",
                                     "keyway.core.sandbox"}) {
            QVERIFY2(m_allOutput.contains(QByteArray(QByteArray(category) + ": ")), category);
        }
        for (const QString& canary : std::as_const(canaries)) {
            QVERIFY2(!m_allOutput.contains(canary.toUtf8()), "a secret reached stdout or stderr");
        }
        QDirIterator files(m_root.path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        int scanned = 0;
        bool history = false;
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            ++scanned;
            history = history || file.fileName().contains(QLatin1String("history"));
            for (const QString& canary : std::as_const(canaries)) {
                QVERIFY2(!content.contains(canary.toUtf8()), qPrintable(file.fileName()));
            }
        }
        QVERIFY(scanned >= 2);
        QVERIFY(history); // the calls were recorded, so the history was searched too
    }
};

QTEST_GUILESS_MAIN(TestCanaries)
#include "tst_canaries.moc"
