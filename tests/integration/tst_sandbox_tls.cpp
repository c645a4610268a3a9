// The sandbox over HTTPS, as the engine and as `keyway-cli` see it: a CA made at start, trusted through
// tls.ca_file (without it: exit 5 and the certificate explained), and a provider whose port demands the
// demo client certificate (without tls.client_cert and tls.client_key: exit 5 saying so; with them: works).
#include "core/http/ConnectionSettings.h"
#include "core/http/RequestExecutor.h"
#include "core/sandbox/SandboxServer.h"
#include "tests/support/CliProcess.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace keyway;

class TestSandboxTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_root;

    QString path(const QString& name) const { return m_root.filePath(name); }

    static HttpResponse send(const QUrl& url, const QByteArray& body, ConnectionPtr connection)
    {
        RequestExecutor executor(RequestExecutor::Options {});
        executor.setDeadlineMs(10000);
        HttpRequest request;
        request.method = "POST";
        request.url = url;
        request.body = body;
        request.headers.append({QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")});
        request.connection = std::move(connection);
        HttpResponse response;
        QEventLoop loop;
        executor.send(request, [&](const HttpResponse& r) {
            response = r;
            loop.quit();
        });
        loop.exec();
        return response;
    }

    static QByteArray tokenForm(const sandbox::DemoProvider& demo)
    {
        return "grant_type=client_credentials&client_id=" + QUrl::toPercentEncoding(demo.credential("client_id"))
            + "&client_secret=" + QUrl::toPercentEncoding(demo.credential("client_secret"));
    }

    QProcessEnvironment environment() const { return test::isolatedMachine(m_root.path()); }

    test::CliRun run(const QStringList& args, const QByteArray& input = {})
    {
        return test::runCli(test::CliInvocation(args, input, environment()));
    }
    static QByteArray describe(const test::CliRun& r) { return r.describe().toUtf8(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_root.isValid()); }

    void engineTrustsTheSandboxOnlyWithItsCa()
    {
        sandbox::SandboxServer server;
        server.setTls(path("engine-tls"));
        server.setClientCertificateProvider("banking");
        QVERIFY2(server.listen(), qPrintable(server.errorString()));
        QCOMPARE(server.rootUrl().scheme(), QString("https"));

        // Only the CA certificate is on disk, in a private directory; no private key anywhere.
        QCOMPARE(QFileInfo(server.caFile()).permissions() & (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());
        QDirIterator files(path("engine-tls"), QDir::Files);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains("PRIVATE KEY"), qPrintable(file.fileName()));
        }
        const QList<QSslCertificate> ca = QSslCertificate::fromPath(server.caFile());
        QCOMPARE(ca.size(), 1);
        QVERIFY(ca.first().subjectInfo(QSslCertificate::CommonName).join(QString()).contains("Keyway sandbox CA"));

        const auto banking = server.demoProvider("banking");
        QVERIFY(banking);
        QCOMPARE(banking->credential("tls.ca_file"), server.caFile());
        QCOMPARE(server.demoProvider("ecard")->credential("tls.ca_file"), server.caFile());
        // The main port serves every provider's routes without a client certificate.
        const QUrl mainToken(server.rootUrl().toString() + "/banking/token");

        // The system's CAs alone: refused, with the certificate and the key to set.
        HttpResponse r = send(mainToken, tokenForm(*banking), ConnectionSettings::systemDefault());
        QCOMPARE(r.failure, HttpResponse::Failure::Tls);
        QVERIFY2(r.errorText.contains("unknown authority") && r.errorText.contains("Keyway sandbox CA")
                     && r.errorText.contains("tls.ca_file"),
                 qPrintable(r.errorText));

        // The demo values as an environment would hold them: works at once.
        const ConnectionPtr trusted = ConnectionSettings::build({{"tls.ca_file", server.caFile()}}, {});
        QVERIFY2(trusted->error().isEmpty(), qPrintable(trusted->error()));
        r = send(mainToken, tokenForm(*banking), trusted);
        QVERIFY2(r.status == 200, qPrintable(r.errorText));

        // The client-certificate provider: its own port, which ends the handshake without the certificate.
        QCOMPARE(banking->baseUrl.port(), int(server.mutualTlsPort()));
        QVERIFY(banking->baseUrl.port() != server.port());
        const QUrl bankingToken(banking->baseUrl.toString() + "/token");
        r = send(bankingToken, tokenForm(*banking), trusted);
        QCOMPARE(r.failure, HttpResponse::Failure::Tls);
        QVERIFY2(r.errorText.contains("requires a client certificate") && r.errorText.contains("tls.client_cert")
                     && r.errorText.contains("tls.client_key"),
                 qPrintable(r.errorText));

        const ConnectionPtr mutual = ConnectionSettings::build(
            {{"tls.ca_file", server.caFile()}, {"tls.client_cert", banking->credential("tls.client_cert")}},
            {{"tls.client_key", banking->credential("tls.client_key")}});
        QVERIFY2(mutual->error().isEmpty(), qPrintable(mutual->error()));
        r = send(bankingToken, tokenForm(*banking), mutual);
        QVERIFY2(r.status == 200, qPrintable(r.errorText));
        QVERIFY(!QJsonDocument::fromJson(r.body).object()["access_token"].toString().isEmpty());
    }

    void clientCertificateNeedsTlsAndAKnownProvider()
    {
        sandbox::SandboxServer plain;
        plain.setClientCertificateProvider("banking");
        QVERIFY(!plain.listen());
        QVERIFY(plain.errorString().contains("HTTPS"));

        sandbox::SandboxServer unknown;
        unknown.setTls(path("unknown-tls"));
        unknown.setClientCertificateProvider("no-such-bank");
        QVERIFY(!unknown.listen());
        QVERIFY2(unknown.errorString().contains("no-such-bank") && unknown.errorString().contains("banking"),
                 qPrintable(unknown.errorString()));

        const test::CliRun r = run({"sandbox", "--client-cert", "banking"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--tls"), qPrintable(r.err));
    }

    void cliDemoShowsMutualTlsWorkingAndFailing()
    {
        QProcess sandboxCli;
        sandboxCli.setProcessEnvironment(environment());
        sandboxCli.start(KEYWAY_CLI_PATH, {"sandbox", "--tls", "--client-cert", "banking", "--json"});
        QVERIFY(sandboxCli.waitForStarted());
        QHash<QString, QJsonObject> demos;
        QElapsedTimer timer;
        timer.start();
        while (demos.size() < 6 && timer.elapsed() < 20000) {
            if (!sandboxCli.canReadLine()) {
                sandboxCli.waitForReadyRead(500);
                continue;
            }
            const QJsonObject line = QJsonDocument::fromJson(sandboxCli.readLine()).object();
            demos.insert(line["provider"].toString(), line);
        }
        QCOMPARE(demos.size(), 6);
        const QJsonObject ecard = demos["ecard"];
        const QJsonObject banking = demos["banking"];
        QVERIFY(ecard["base_url"].toString().startsWith("https://127.0.0.1:"));
        const QString caFile = ecard["credentials"].toObject()["tls.ca_file"].toString();
        QVERIFY2(QFile::exists(caFile), qPrintable(caFile));
        QVERIFY(caFile.startsWith(path("state")));

        // Without the CA: exit 5, the certificate in words and the key to set.
        const QJsonObject ec = ecard["credentials"].toObject();
        test::CliRun r = run({"env",
                              "add",
                              "tls-ecard",
                              "--provider",
                              "ecard",
                              "--base-url",
                              ecard["base_url"].toString(),
                              "--set",
                              "client_id=" + ec["client_id"].toString(),
                              "--secret",
                              "client_secret"},
                             ec["client_secret"].toString().toUtf8() + '\n');
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        r = run({"check", "tls-ecard", "--max-time", "10"});
        QVERIFY2(r.exitCode == 5, describe(r).constData());
        QVERIFY2(r.err.contains("unknown authority") && r.err.contains("tls.ca_file"), describe(r).constData());
        QVERIFY(r.out.isEmpty());
        // With the printed CA file: passes.
        QCOMPARE(run({"env", "set", "tls-ecard", "--set", "tls.ca_file=" + caFile}).exitCode, 0);
        r = run({"check", "tls-ecard", "--max-time", "10"});
        QVERIFY2(r.exitCode == 0, describe(r).constData());

        // Mutual TLS: the CA alone is not enough on the client-certificate port.
        const QJsonObject bk = banking["credentials"].toObject();
        r = run({"env",
                 "add",
                 "tls-bank",
                 "--provider",
                 "banking",
                 "--base-url",
                 banking["base_url"].toString(),
                 "--set",
                 "client_id=" + bk["client_id"].toString(),
                 "--set",
                 "tls.ca_file=" + bk["tls.ca_file"].toString(),
                 "--secret",
                 "client_secret"},
                bk["client_secret"].toString().toUtf8() + '\n');
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        r = run({"check", "tls-bank", "--max-time", "10"});
        QVERIFY2(r.exitCode == 5, describe(r).constData());
        QVERIFY2(r.err.contains("requires a client certificate") && r.err.contains("tls.client_key"),
                 describe(r).constData());

        // With the demo certificate and its key (the key from stdin into the keychain): passes.
        const QByteArray key = bk["tls.client_key"].toString().toUtf8();
        QVERIFY(key.startsWith("-----BEGIN PRIVATE KEY-----"));
        r = run({"env",
                 "set",
                 "tls-bank",
                 "--set",
                 "tls.client_cert=" + bk["tls.client_cert"].toString(),
                 "--secret-file",
                 "tls.client_key=-"},
                key);
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        r = run({"check", "tls-bank", "--max-time", "10"});
        QVERIFY2(r.exitCode == 0, describe(r).constData());

        // check --all goes through the same connection settings.
        r = run({"check", "--all", "--json", "--max-time", "10"});
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        QCOMPARE(r.out.count("\"result\":\"pass\""), 2);

        ::kill(static_cast<pid_t>(sandboxCli.processId()), SIGTERM);
        QVERIFY(sandboxCli.waitForFinished(10000));
        QCOMPARE(sandboxCli.exitCode(), 0);
        // The sandbox takes its files with it; the key stayed out of every file Keyway keeps.
        QVERIFY(!QFile::exists(caFile));
        const QByteArray keyLine = key.split('\n').value(1);
        QVERIFY(keyLine.size() > 20);
        for (const char* dir : {"config", "data", "state"}) {
            QDirIterator it(path(QString::fromLatin1(dir)), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                QVERIFY2(!file.readAll().contains(keyLine), qPrintable(file.fileName()));
            }
        }
    }

    void humanOutputPrintsTheCaFile()
    {
        QProcess sandboxCli;
        sandboxCli.setProcessEnvironment(environment());
        sandboxCli.start(KEYWAY_CLI_PATH, {"sandbox", "--tls", "--client-cert", "seismic"});
        QVERIFY(sandboxCli.waitForStarted());
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains("Faults:") && timer.elapsed() < 20000) {
            sandboxCli.waitForReadyRead(500);
            out += sandboxCli.readAllStandardOutput();
        }
        QVERIFY2(out.contains("Keyway sandbox listening on https://127.0.0.1:"), out.constData());
        QVERIFY2(out.contains(QByteArray(QByteArray("trust it with tls.ca_file: ") + path("state").toUtf8())),
                 out.constData());
        QVERIFY2(out.contains("tls.client_key: in ") && out.contains("--secret-file tls.client_key="), out.constData());
        // The TLS client key stays in its file (the demo assertion key, public by design, is printed).
        const qsizetype at = out.indexOf("tls.client_key: in ") + qsizetype(sizeof("tls.client_key: in ") - 1);
        QFile keyFile(QString::fromUtf8(out.mid(at, out.indexOf(" (", at) - at)));
        QVERIFY2(keyFile.open(QIODevice::ReadOnly), qPrintable(keyFile.fileName()));
        const QList<QByteArray> keyLines = keyFile.readAll().split('\n');
        QVERIFY(keyLines.size() > 2);
        QVERIFY2(!out.contains(keyLines.at(1)), out.constData());
        ::kill(static_cast<pid_t>(sandboxCli.processId()), SIGINT);
        QVERIFY(sandboxCli.waitForFinished(10000));
        QCOMPARE(sandboxCli.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSandboxTls)
#include "tst_sandbox_tls.moc"
