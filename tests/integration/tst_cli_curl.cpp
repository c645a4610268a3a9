// keyway-cli's command framework and its curl conventions, as a user or a script sees them: --help of
// every command, `help COMMAND`, unknown options, --version; `call` writing the reply body byte for
// byte, `-d @-`, a failed stdout write, `-v` redacted, --max-time against a server that never answers,
// and the terminal's echo restored when the secret prompt is interrupted. Real subprocesses against
// the sandbox and small servers of this test process, environments in a throwaway config directory.
#include "core/sandbox/SandboxServer.h"
#include "tests/support/CliProcess.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <csignal>
#include <memory>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

using keyway::sandbox::SandboxServer;

using keyway::test::CliRun;

// A reply body bigger than the executor's size cap, made up as it is sent: numbered 100-byte lines.
class BigBody
{
public:
    explicit BigBody(qint64 lines) : m_total(lines * 100) { }
    qint64 total() const { return m_total; }
    bool atEnd() const { return m_produced >= m_total; }
    QByteArray next(qint64 maxBytes)
    {
        QByteArray out;
        while (!atEnd() && out.size() + 100 <= maxBytes) {
            out += "line " + QByteArray::number(m_produced / 100).rightJustified(10, '0') + ' ' + QByteArray(83, 'x')
                + '\n';
            m_produced += 100;
        }
        return out;
    }

private:
    qint64 m_total;
    qint64 m_produced = 0;
};

class TestCliCurl : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_root;
    std::unique_ptr<SandboxServer> m_sandbox;
    QHttpServer m_api; // the API an oauth2-client environment calls: binary, Latin-1 and echo routes
    quint16 m_apiPort = 0;
    QTcpServer m_silent; // accepts and never answers
    QList<QTcpSocket*> m_silentSockets;
    QByteArray m_binary;
    QTcpServer m_big; // answers with a BigBody of m_bigLines, after a 401 first when m_bigRefuseFirst
    qint64 m_bigLines = 0;
    bool m_bigRefuseFirst = false;
    int m_bigRequests = 0;
    QByteArray m_lastAuthorization; // what the API received: the access token, to prove -v hides it
    QString m_clientSecret;
    QString m_clientId;
    QString m_tokenUrl;
    bool m_leaked = false;

    QProcessEnvironment environment() const { return keyway::test::isolatedMachine(m_root.path()); }

    // Runs keyway-cli while this process's event loop keeps the servers answering.
    CliRun
    run(const QStringList& args, const QByteArray& input = {}, const QString& stdoutFile = {}, int killAfterMs = 20000)
    {
        keyway::test::CliInvocation invocation(args, input, environment());
        invocation.stdoutFile = stdoutFile;
        invocation.timeoutMs = killAfterMs;
        CliRun result = keyway::test::runCli(invocation);
        if (!keyway::test::leakedSecret(result.text() + result.err, {m_clientSecret}).isEmpty()) {
            m_leaked = true; // failed in cleanup(): QVERIFY cannot return from here
        }
        return result;
    }

    QString addApiEnvironment(const QString& name, const QString& baseUrl)
    {
        const CliRun added = run({QStringLiteral("env"),
                                  QStringLiteral("add"),
                                  name,
                                  QStringLiteral("--provider"),
                                  QStringLiteral("oauth2-client"),
                                  QStringLiteral("--base-url"),
                                  baseUrl,
                                  QStringLiteral("--set"),
                                  QStringLiteral("token_url=") + m_tokenUrl,
                                  QStringLiteral("--set"),
                                  QStringLiteral("client_id=") + m_clientId,
                                  QStringLiteral("--set"),
                                  QStringLiteral("client_auth=basic"), // the secret rides in a header
                                  QStringLiteral("--secret"),
                                  QStringLiteral("client_secret")},
                                 m_clientSecret.toUtf8() + '\n');
        return added.exitCode == 0 ? name : added.err;
    }

    QString apiUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_apiPort); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        m_sandbox = std::make_unique<SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-client"));
        QVERIFY(demo);
        m_clientId = demo->credential(QStringLiteral("client_id"));
        m_clientSecret = demo->credential(QStringLiteral("client_secret"));
        // The sandbox gives the token URL relative to its base URL (it follows the port across restarts).
        m_tokenUrl = demo->credential(QStringLiteral("token_url"));
        if (!m_tokenUrl.startsWith(QLatin1String("http"))) {
            m_tokenUrl = demo->baseUrl.toString() + m_tokenUrl;
        }
        QVERIFY(m_tokenUrl.startsWith(QLatin1String("http://127.0.0.1:")));
        QVERIFY(m_clientSecret.size() >= 8);

        m_binary.resize(1024);
        for (char& byte : m_binary) {
            byte = static_cast<char>(QRandomGenerator::global()->bounded(256));
        }
        m_binary[0] = '\xff'; // never valid UTF-8, whatever the random bytes are
        m_binary[1] = '\0';
        m_api.route(QStringLiteral("/binary"), [this](const QHttpServerRequest& request) {
            m_lastAuthorization = request.value("Authorization");
            return QHttpServerResponse(QByteArrayLiteral("application/octet-stream"), m_binary);
        });
        m_api.route(QStringLiteral("/latin1"), [] {
            return QHttpServerResponse(QByteArrayLiteral("text/plain; charset=iso-8859-1"),
                                       QByteArrayLiteral("Gr\xfc\xdf"
                                                         "e aus K\xf6ln"));
        });
        m_api.route(QStringLiteral("/echo"), [](const QHttpServerRequest& request) {
            return QHttpServerResponse(QByteArrayLiteral("application/octet-stream"), request.body());
        });
        m_api.route(QStringLiteral("/json"), [] {
            return QHttpServerResponse(QByteArrayLiteral("application/json"), QByteArrayLiteral(R"({"n":[1,2]})"));
        });
        m_apiPort = m_api.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_apiPort != 0);

        QVERIFY(m_big.listen(QHostAddress::LocalHost, 0));
        connect(&m_big, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_big.nextPendingConnection()) {
                auto request = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request] {
                    *request += socket->readAll();
                    if (!request->contains("\r\n\r\n")) {
                        return;
                    }
                    request->clear();
                    if (m_bigRefuseFirst && m_bigRequests++ == 0) {
                        // A refusal with a body bigger than the point where streaming starts: never printed.
                        const QByteArray denied = QByteArray(2 * 1024 * 1024, 'd');
                        socket->write("HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: "
                                      + QByteArray::number(denied.size()) + "\r\n\r\n" + denied);
                        return;
                    }
                    auto body = std::make_shared<BigBody>(m_bigLines);
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                                  + QByteArray::number(body->total()) + "\r\n\r\n");
                    const auto pump = [socket, body] {
                        while (!body->atEnd() && socket->bytesToWrite() < 4 * 1024 * 1024) {
                            socket->write(body->next(1024 * 1024));
                        }
                    };
                    connect(socket, &QTcpSocket::bytesWritten, socket, pump);
                    pump();
                });
            }
        });

        QVERIFY(m_silent.listen(QHostAddress::LocalHost, 0));
        connect(&m_silent, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_silent.nextPendingConnection()) {
                m_silentSockets.append(socket); // kept open, never answered
            }
        });

        QCOMPARE(addApiEnvironment(QStringLiteral("api"), apiUrl()), QStringLiteral("api"));
        QCOMPARE(
            addApiEnvironment(QStringLiteral("big"), QStringLiteral("http://127.0.0.1:%1").arg(m_big.serverPort())),
            QStringLiteral("big"));
        QCOMPARE(addApiEnvironment(QStringLiteral("silent"),
                                   QStringLiteral("http://127.0.0.1:%1").arg(m_silent.serverPort())),
                 QStringLiteral("silent"));
    }

    void cleanup() { QVERIFY2(!m_leaked, "the client secret reached stdout or stderr"); }

    // --- the command framework ------------------------------------------------------------------

    void helpOfEveryCommand_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<QStringList>("options");
        const QStringList network = {"--credentials SET",
                                     "--no-browser",
                                     "--sign-in-timeout SECONDS",
                                     "--max-time SECONDS",
                                     "-v, --verbose",
                                     "--json",
                                     "-h, --help"};
        QTest::newRow("providers") << QStringList {"providers"} << QStringList {"--json"};
        QTest::newRow("env add") << QStringList {"env", "add"}
                                 << QStringList {"--provider ID", "--base-url URL", "--set KEY=VALUE", "--secret KEY"};
        QTest::newRow("env list") << QStringList {"env", "list"} << QStringList {"--json"};
        QTest::newRow("env show") << QStringList {"env", "show"} << QStringList {"--json"};
        QTest::newRow("env rm") << QStringList {"env", "rm"} << QStringList {"-h, --help"};
        QTest::newRow("auth") << QStringList {"auth"} << network;
        QTest::newRow("call") << QStringList {"call"}
                              << network + QStringList {"-d, --data BODY|@FILE|@-", "-H, --header", "-i, --include"};
        QTest::newRow("check") << QStringList {"check"} << network;
        QTest::newRow("conform") << QStringList {
            "conform"} << QStringList {"--no-browser", "--sign-in-timeout SECONDS", "--max-time SECONDS", "--json"};
        QTest::newRow("webhook verify") << QStringList {"webhook", "verify"}
                                        << QStringList {"--signature SIG", "--body BODY|@FILE", "--json"};
        QTest::newRow("sandbox") << QStringList {"sandbox"} << QStringList {"--port N", "--time-scale X", "--json"};
    }
    void helpOfEveryCommand()
    {
        QFETCH(QStringList, command);
        QFETCH(QStringList, options);
        const CliRun help = run(command + QStringList {"--help"});
        QCOMPARE(help.exitCode, 0);
        const QString text = QString::fromUtf8(help.out);
        QVERIFY2(text.startsWith(QStringLiteral("Usage: keyway-cli ") + command.join(QLatin1Char(' '))),
                 qPrintable(text));
        for (const QString& option : options) {
            // One line per option: the option, then its description on the same line.
            const QRegularExpression line(QStringLiteral("\n  ") + QRegularExpression::escape(option)
                                          + QStringLiteral("[^\n]*  \\S[^\n]+"));
            QVERIFY2(line.match(text).hasMatch(), qPrintable(option + QStringLiteral(" not listed in:\n") + text));
        }
        // `help COMMAND` prints exactly the same, and so does -h.
        QCOMPARE(run(QStringList {"help"} + command).out, help.out);
        QCOMPARE(run(command + QStringList {"-h"}).out, help.out);
    }

    void globalHelpAndVersion()
    {
        const CliRun help = run({"--help"});
        QCOMPARE(help.exitCode, 0);
        for (const char* line : {"keyway-cli call NAME METHOD PATH",
                                 "keyway-cli env add NAME",
                                 "keyway-cli webhook verify",
                                 "5 the server could not be reached"}) {
            QVERIFY2(help.out.contains(line), line);
        }
        QCOMPARE(run({"help"}).out, help.out);
        const CliRun version = run({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(QRegularExpression(QStringLiteral("^keyway-cli \\d+\\.\\d+\\.\\d+\n$"))
                     .match(QString::fromUtf8(version.out))
                     .hasMatch(),
                 version.out.constData());
        const CliRun none = run({});
        QCOMPARE(none.exitCode, 2);
        QVERIFY(none.err.contains(QStringLiteral("Usage:")));
        QCOMPARE(run({"help", "frobnicate"}).exitCode, 2);
    }

    void unknownOptionNamesTheValidOnes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("call") << QStringList {"call", "api", "GET", "/binary", "--bogus"}
                              << QStringList {
                                     "keyway-cli call:", "'--bogus'", "-d/--data", "-H/--header", "--max-time"};
        QTest::newRow("call short") << QStringList {"call", "api", "GET", "/binary", "-x"}
                                    << QStringList {"'-x'", "-i/--include"};
        QTest::newRow("env list") << QStringList {"env", "list", "--verbose"}
                                  << QStringList {"keyway-cli env list:", "'--verbose'", "--json"};
        QTest::newRow("sandbox") << QStringList {"sandbox", "--prot", "1"} << QStringList {"'--prot'", "--port"};
        QTest::newRow("missing value") << QStringList {"call", "api", "GET", "/binary", "-H"}
                                       << QStringList {"-H", "-H/--header"};
        QTest::newRow("bad max-time") << QStringList {"check", "api", "--max-time", "soon"}
                                      << QStringList {"--max-time", "'soon'"};
        QTest::newRow("bad sign-in-timeout") << QStringList {"call", "api", "GET", "/binary", "--sign-in-timeout", "0"}
                                             << QStringList {"--sign-in-timeout", "'0'"};
    }
    void unknownOptionNamesTheValidOnes()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        const CliRun r = run(args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QByteArray());
        QVERIFY2(r.err.startsWith(QLatin1String("keyway-cli")), qPrintable(r.err));
        for (const QString& mention : mentions) {
            QVERIFY2(r.err.contains(mention), qPrintable(mention + QStringLiteral(" not in: ") + r.err));
        }
    }

    // --- curl conventions -------------------------------------------------------------------------

    void binaryBodyArrivesByteForByte()
    {
        const CliRun r = run({"call", "api", "GET", "/binary"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.size(), m_binary.size());
        QCOMPARE(r.out, m_binary);

        const CliRun latin1 = run({"call", "api", "GET", "/latin1"});
        QCOMPARE(latin1.exitCode, 0);
        QCOMPARE(latin1.out,
                 QByteArrayLiteral("Gr\xfc\xdf"
                                   "e aus K\xf6ln")); // no re-encoding, no newline added
    }

    // A reply bigger than the size cap (256 MB) streams to stdout as it arrives, byte for byte; the 401
    // before it renews the token and its own body is never printed.
    void replyLargerThanTheCapStreamsToStdout()
    {
        m_bigLines = 2'700'000; // 270 MB
        m_bigRefuseFirst = true;
        m_bigRequests = 0;
        QVERIFY(BigBody(m_bigLines).total() > 256LL * 1024 * 1024);
        QProcess process;
        process.setProcessEnvironment(environment());
        QCryptographicHash received(QCryptographicHash::Sha256);
        qint64 receivedBytes = 0;
        QByteArray start;
        connect(&process, &QProcess::readyReadStandardOutput, this, [&] {
            const QByteArray bytes = process.readAllStandardOutput();
            if (start.size() < 64) {
                start += bytes.left(64);
            }
            receivedBytes += bytes.size();
            received.addData(bytes);
        });
        QEventLoop loop;
        connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        process.start(QStringLiteral(KEYWAY_CLI_PATH), {"call", "big", "GET", "/huge"});
        QVERIFY(process.waitForStarted(10000));
        process.closeWriteChannel();
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(process.state(), QProcess::NotRunning);
        const QByteArray rest = process.readAllStandardOutput();
        receivedBytes += rest.size();
        received.addData(rest);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(process.exitCode() == 0, qPrintable(err));
        QVERIFY2(!err.contains(m_clientSecret), "the client secret reached stderr");
        QCOMPARE(m_bigRequests, 2); // refused once, renewed, retried once

        BigBody expected(m_bigLines);
        QCryptographicHash sent(QCryptographicHash::Sha256);
        while (!expected.atEnd()) {
            sent.addData(expected.next(4 * 1024 * 1024));
        }
        QVERIFY2(start.startsWith("line 0000000000 x"), start.constData()); // no 401 body before it
        QCOMPARE(receivedBytes, expected.total());
        QCOMPARE(received.result(), sent.result());
        m_bigRefuseFirst = false;
    }

    void jsonResultCarriesTheBodyAsJsonTextOrBase64()
    {
        const auto resultOf = [this](const char* path) {
            const CliRun r = run({"call", "api", "GET", QString::fromLatin1(path), "--json"});
            const QList<QByteArray> lines = r.out.trimmed().split('\n');
            return nlohmann::json::parse(lines.last().toStdString(), nullptr, false);
        };
        const auto json = resultOf("/json");
        QCOMPARE(json.value("event", ""), std::string("result"));
        QVERIFY(json.at("body").is_object());
        QCOMPARE(json.at("body").at("n").size(), size_t(2));

        const auto binary = resultOf("/binary");
        QVERIFY(!binary.contains("body"));
        QCOMPARE(QByteArray::fromBase64(QByteArray::fromStdString(binary.at("body_base64").get<std::string>())),
                 m_binary);
    }

    void dataFromStandardInput()
    {
        QByteArray payload = m_binary.left(300) + "\n line two\r\n";
        const CliRun r = run({"call", "api", "POST", "/echo", "-d", "@-"}, payload);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, payload);

        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("body.bin")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(m_binary);
        file.close();
        const CliRun fromFile = run({"call", "api", "POST", "/echo", QStringLiteral("--data=@") + file.fileName()});
        QCOMPARE(fromFile.out, m_binary);
        const CliRun inlineBody = run({"call", "api", "POST", "/echo", "-dplain-text"}); // compact short option
        QCOMPARE(inlineBody.out, QByteArrayLiteral("plain-text"));
    }

    void failedStdoutWriteIsAnError()
    {
        const CliRun r = run({"call", "api", "GET", "/binary"}, {}, QStringLiteral("/dev/full"));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("keyway-cli: could not write to standard output")), qPrintable(r.err));
        const CliRun list = run({"providers", "--json"}, {}, QStringLiteral("/dev/full"));
        QCOMPARE(list.exitCode, 2);
    }

    void verboseShowsTheExchangeRedacted()
    {
        m_lastAuthorization.clear();
        const CliRun r = run({"call", "api", "GET", "/binary", "-v", "-H", "X-Trace: t-42"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, m_binary); // -v never touches stdout
        QVERIFY(m_lastAuthorization.startsWith("Bearer "));
        const QString token = QString::fromLatin1(m_lastAuthorization.mid(7));
        QVERIFY(token.size() >= 8);
        // Token request (client secret in a Basic header) and the call, each with its status.
        QVERIFY2(r.err.contains(QStringLiteral("> POST ") + m_tokenUrl), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("> GET ") + apiUrl() + QStringLiteral("/binary")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("> X-Trace: t-42")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("> Authorization: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QRegularExpression(QStringLiteral("\n< HTTP 200 "))), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("< content-type: application/octet-stream"), Qt::CaseInsensitive),
                 qPrintable(r.err));
        // Nothing secret: neither the client secret (raw or in the Basic header) nor the access token.
        const QString basic = QString::fromLatin1((m_clientId + QLatin1Char(':') + m_clientSecret).toUtf8().toBase64());
        for (const QString& secret : {m_clientSecret, basic, token}) {
            QVERIFY2(!r.err.contains(secret), "a secret reached the -v output");
        }
    }

    void maxTimeAgainstASilentServerIsUnreachable()
    {
        // The default deadline is 30 s; this run is killed after 20 s, so only --max-time can end it.
        const CliRun r = run({"call", "silent", "GET", "/anything", "--max-time", "1"}, {}, {}, 20000);
        QVERIFY2(!m_silentSockets.isEmpty(), "the request never reached the silent server");
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.startsWith(QLatin1String("keyway-cli: the server could not be reached")), qPrintable(r.err));
        QCOMPARE(r.out, QByteArray());

        // The same for a token endpoint that never answers: unreachable (5), not "credentials wrong" (3).
        const QString name = QStringLiteral("silent-token");
        const CliRun added = run({"env",
                                  "add",
                                  name,
                                  "--provider",
                                  "oauth2-client",
                                  "--base-url",
                                  apiUrl(),
                                  "--set",
                                  QStringLiteral("token_url=http://127.0.0.1:%1/token").arg(m_silent.serverPort()),
                                  "--set",
                                  "client_id=c",
                                  "--secret",
                                  "client_secret"},
                                 m_clientSecret.toUtf8() + '\n');
        QCOMPARE(added.exitCode, 0);
        const CliRun check = run({"check", name, "--max-time", "0.5", "--json"}, {}, {}, 20000);
        QCOMPARE(check.exitCode, 5);
        const auto last = nlohmann::json::parse(check.out.trimmed().split('\n').last().toStdString(), nullptr, false);
        QCOMPARE(last.value("event", ""), std::string("result"));
        QCOMPARE(last.value("ok", true), false);

        // A closed port is unreachable too.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        const QString gone = addApiEnvironment(QStringLiteral("gone"), QStringLiteral("http://127.0.0.1:%1").arg(port));
        QCOMPARE(gone, QStringLiteral("gone"));
        QCOMPARE(run({"call", "gone", "GET", "/x"}).exitCode, 5);
    }

    // --- the secret prompt gives the terminal back ----------------------------------------------

    void interruptedSecretPromptRestoresEcho_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGTERM") << int(SIGTERM);
    }
    void interruptedSecretPromptRestoresEcho()
    {
        QFETCH(int, signal);
        int master = -1;
        int slave = -1;
        QVERIFY(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
        termios before {};
        QVERIFY(tcgetattr(slave, &before) == 0);
        QVERIFY(before.c_lflag & ECHO);

        QProcess process;
        process.setProcessEnvironment(environment());
        process.setChildProcessModifier([slave] {
            ::dup2(slave, STDIN_FILENO); // the secret prompt sees a terminal
        });
        process.start(QStringLiteral(KEYWAY_CLI_PATH),
                      {"env",
                       "add",
                       "prompted",
                       "--provider",
                       "banking",
                       "--base-url",
                       "https://b.example",
                       "--set",
                       "client_id=c",
                       "--secret",
                       "client_secret"});
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += process.readAllStandardError();
                return err.contains("client_secret");
            },
            20000));
        QVERIFY(QTest::qWaitFor(
            [&] {
                termios now {};
                return tcgetattr(slave, &now) == 0 && !(now.c_lflag & ECHO);
            },
            10000)); // echo is off while the prompt waits
        ::kill(static_cast<pid_t>(process.processId()), signal);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::CrashExit); // the signal's default action, re-raised
        termios after {};
        QVERIFY(tcgetattr(slave, &after) == 0);
        QVERIFY2(after.c_lflag & ECHO, "the terminal was left without echo");
        ::close(slave);
        ::close(master);
        QVERIFY(!run({"env", "list"}).out.contains("prompted"));
    }
};

QTEST_GUILESS_MAIN(TestCliCurl)
#include "tst_cli_curl.moc"
