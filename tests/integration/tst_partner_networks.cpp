// Real partner networks, as `keyway-cli check` meets them: a host signed by a private CA (nginx in front
// of the sandbox), a host that demands a client certificate (openssl s_server), an authenticating
// forwarding proxy and an open one (tinyproxy), the proxy variables with NO_PROXY and a per-environment
// `proxy none`, and hosts that do not answer. Every certificate is made with openssl by this test; every
// server is started and stopped by it. Each case fails with exit 5 and a precise message before the right
// key is set and passes after; the client key and the proxy password are canaries grepped for in every
// output and every file Keyway writes.
#include "core/sandbox/SandboxServer.h"
#include "tests/support/CliProcess.h"
#include "tests/support/TestPki.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using keyway::sandbox::SandboxServer;

namespace {

const char* const proxyPassword = "canary-proxy-pw-5f1e9c";

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

bool waitForPort(quint16 port)
{
    for (int i = 0; i < 100; ++i) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (socket.waitForConnected(100)) {
            return true;
        }
        QTest::qWait(50);
    }
    return false;
}

} // namespace

using keyway::test::CliRun;

class TestPartnerNetworks : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_root;
    std::unique_ptr<SandboxServer> m_sandbox;
    QList<QProcess*> m_servers;
    keyway::test::TestPki m_ca;
    QString m_pki; // m_ca's directory
    QString m_clientId;
    QString m_clientSecret;
    QByteArray m_clientKeyCanary; // one line of the client key's PEM body
    quint16 m_privateCaPort = 0; // nginx: certificate from the private CA, names localhost and 127.0.0.1
    quint16 m_mismatchPort = 0; // nginx: certificate from the private CA for partner.example only
    quint16 m_mutualTlsPort = 0; // openssl s_server demanding a client certificate
    quint16 m_authProxyPort = 0; // tinyproxy with Basic authentication
    quint16 m_openProxyPort = 0; // tinyproxy without
    quint16 m_deadPort = 0; // nothing listens
    QString m_openProxyLog;
    QString m_serverFingerprint;
    QStringList m_outputs; // every stdout and stderr, for the canary check

    QString path(const QString& name) const { return m_root.filePath(name); }

    QProcessEnvironment environment(const QMap<QString, QString>& extra) const
    {
        QProcessEnvironment env = keyway::test::isolatedMachine(m_root.path());
        for (auto it = extra.cbegin(); it != extra.cend(); ++it) {
            env.insert(it.key(), it.value());
        }
        return env;
    }

    CliRun run(const QStringList& args, const QByteArray& input = {}, const QMap<QString, QString>& env = {})
    {
        CliRun result = keyway::test::runCli(keyway::test::CliInvocation(args, input, environment(env)));
        m_outputs.append(result.text());
        m_outputs.append(result.err);
        return result;
    }

    static QString describe(const CliRun& r) { return r.describe(); }

    QProcess* start(const QString& program, const QStringList& args, const QString& workingDirectory, quint16 port)
    {
        auto* process = new QProcess(this);
        process->setWorkingDirectory(workingDirectory);
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->setStandardOutputFile(path(QStringLiteral("%1-%2.log").arg(QFileInfo(program).fileName()).arg(port)));
        process->start(program, args);
        m_servers.append(process);
        if (!process->waitForStarted(10000) || !waitForPort(port)) {
            qWarning() << program << "did not start listening on" << port;
            return nullptr;
        }
        return process;
    }

    static QString tool(const QString& name)
    {
        return QStandardPaths::findExecutable(name, {"/usr/sbin", "/usr/bin", "/sbin", "/bin"});
    }

    void writeFile(const QString& name, const QByteArray& content)
    {
        QFile file(name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }

    // An environment of the seismic sandbox provider behind `baseUrl`, with `extra` arguments.
    CliRun addSeismic(const QString& name, const QString& baseUrl, const QStringList& extra = {})
    {
        return run(QStringList {"env",
                                "add",
                                name,
                                "--provider",
                                "seismic",
                                "--base-url",
                                baseUrl,
                                "--set",
                                "clientId=" + m_clientId,
                                "--secret",
                                "clientSecret"}
                       + extra,
                   m_clientSecret.toUtf8() + '\n');
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        for (const char* name : {"openssl", "nginx", "tinyproxy"}) {
            QVERIFY2(!tool(QString::fromLatin1(name)).isEmpty(),
                     qPrintable(QStringLiteral("%1 is missing: make deps installs it").arg(QString::fromLatin1(name))));
        }
        m_sandbox = std::make_unique<SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        const auto demo = m_sandbox->demoProvider(QStringLiteral("seismic"));
        QVERIFY(demo);
        m_clientId = demo->credential(QStringLiteral("clientId"));
        m_clientSecret = demo->credential(QStringLiteral("clientSecret"));
        const quint16 sandboxPort = static_cast<quint16>(demo->baseUrl.port());

        // The private CA, a server certificate for localhost, one for another name, and the client's.
        QVERIFY(m_ca.create(path(QStringLiteral("pki"))));
        m_pki = m_ca.directory();
        QVERIFY(m_ca.issue(
            QStringLiteral("server"), QStringLiteral("/CN=localhost"), QStringLiteral("DNS:localhost,IP:127.0.0.1")));
        QVERIFY(m_ca.issue(
            QStringLiteral("other"), QStringLiteral("/CN=partner.example"), QStringLiteral("DNS:partner.example")));
        QVERIFY(m_ca.issue(QStringLiteral("client"), QStringLiteral("/CN=keyway-client"), QString()));
        QByteArray fingerprint;
        QVERIFY(m_ca.openssl({"x509", "-in", "server.pem", "-noout", "-fingerprint", "-sha256"}, &fingerprint));
        m_serverFingerprint = QString::fromLatin1(fingerprint.trimmed()).section(QLatin1Char('='), 1);
        QVERIFY(m_serverFingerprint.size() == 95);
        m_clientKeyCanary = m_ca.keyCanary(QStringLiteral("client"));
        QVERIFY(m_clientKeyCanary.size() == 64);

        // nginx: the private-CA host and the name-mismatch host, both in front of the sandbox.
        m_privateCaPort = freePort();
        m_mismatchPort = freePort();
        const QString nginxRoot = path(QStringLiteral("nginx"));
        QVERIFY(QDir().mkpath(nginxRoot + QStringLiteral("/logs")));
        const QString server
            = QStringLiteral("  server { listen 127.0.0.1:%1 ssl; ssl_certificate %2/%3.pem; "
                             "ssl_certificate_key %2/%3.key; location / { proxy_pass http://127.0.0.1:%4; } }\n");
        writeFile(nginxRoot + QStringLiteral("/nginx.conf"),
                  QStringLiteral("daemon off;\nmaster_process off;\npid %1/nginx.pid;\nerror_log stderr warn;\n"
                                 "events { worker_connections 64; }\n"
                                 "http {\n  access_log off;\n  client_body_temp_path %1/body;\n"
                                 "  proxy_temp_path %1/proxy;\n  fastcgi_temp_path %1/fastcgi;\n"
                                 "  uwsgi_temp_path %1/uwsgi;\n  scgi_temp_path %1/scgi;\n")
                          .arg(nginxRoot)
                          .toUtf8()
                      + server.arg(m_privateCaPort).arg(m_pki, QStringLiteral("server")).arg(sandboxPort).toUtf8()
                      + server.arg(m_mismatchPort).arg(m_pki, QStringLiteral("other")).arg(sandboxPort).toUtf8()
                      + "}\n");
        QVERIFY(start(tool(QStringLiteral("nginx")),
                      {"-e", "stderr", "-p", nginxRoot, "-c", nginxRoot + "/nginx.conf"},
                      nginxRoot,
                      m_privateCaPort));
        QVERIFY(waitForPort(m_mismatchPort));

        // openssl s_server: a partner gateway that ends the handshake without a client certificate from the
        // private CA. It serves files (whole HTTP replies), so its provider is one token step on GET.
        const QString www = path(QStringLiteral("www"));
        QVERIFY(QDir().mkpath(www));
        const QByteArray token = R"({"access_token":"tok-mtls-static-1","expires_in":600})";
        writeFile(www + QStringLiteral("/token.json"),
                  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(token.size()) + "\r\nConnection: close\r\n\r\n" + token);
        m_mutualTlsPort = freePort();
        QVERIFY(start(QStringLiteral("openssl"),
                      {"s_server",
                       "-quiet",
                       "-accept",
                       QStringLiteral("127.0.0.1:%1").arg(m_mutualTlsPort),
                       "-cert",
                       m_pki + "/server.pem",
                       "-key",
                       m_pki + "/server.key",
                       "-CAfile",
                       m_pki + "/ca.pem",
                       "-Verify",
                       "1",
                       "-verify_return_error",
                       "-HTTP"},
                      www,
                      m_mutualTlsPort));
        const QString providers = path(QStringLiteral("config/keyway/providers"));
        QVERIFY(QDir().mkpath(providers));
        writeFile(providers + QStringLiteral("/partner-gateway.json"), R"({
  "id": "partner-gateway",
  "name": "Partner gateway",
  "summary": "A partner API behind mutual TLS: one token request, no check request.",
  "fields": [ { "key": "api_key", "label": "API key", "required": true, "secret": true } ],
  "flow": [
    { "id": "token", "title": "Get a token", "method": "GET", "url": "/token.json",
      "headers": { "X-Api-Key": "{{api_key}}" },
      "success": { "statuses": [200], "nonEmpty": ["/access_token"] },
      "captures": [ { "name": "access_token", "pointer": "/access_token", "ttlFrom": ["/expires_in"] } ] }
  ],
  "token": { "header": "Authorization", "prefix": "Bearer ", "capture": "access_token" }
})");

        // tinyproxy: one asking for Basic authentication, one open (its log shows what went through it).
        m_authProxyPort = freePort();
        m_openProxyPort = freePort();
        const QString tinyproxyRoot = path(QStringLiteral("tinyproxy"));
        QVERIFY(QDir().mkpath(tinyproxyRoot));
        writeFile(tinyproxyRoot + QStringLiteral("/auth.conf"),
                  QStringLiteral("Port %1\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\nAllow 127.0.0.1\n"
                                 "LogLevel Info\nBasicAuth keyway %2\n")
                      .arg(m_authProxyPort)
                      .arg(QString::fromLatin1(proxyPassword))
                      .toUtf8());
        m_openProxyLog = tinyproxyRoot + QStringLiteral("/open.log");
        writeFile(tinyproxyRoot + QStringLiteral("/open.conf"),
                  QStringLiteral("Port %1\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\nAllow 127.0.0.1\n"
                                 "LogLevel Connect\nLogFile \"%2\"\n")
                      .arg(m_openProxyPort)
                      .arg(m_openProxyLog)
                      .toUtf8());
        QVERIFY(start(tool(QStringLiteral("tinyproxy")),
                      {"-d", "-c", tinyproxyRoot + "/auth.conf"},
                      tinyproxyRoot,
                      m_authProxyPort));
        QVERIFY(start(tool(QStringLiteral("tinyproxy")),
                      {"-d", "-c", tinyproxyRoot + "/open.conf"},
                      tinyproxyRoot,
                      m_openProxyPort));
        m_deadPort = freePort();
    }

    void cleanupTestCase()
    {
        for (QProcess* process : std::as_const(m_servers)) {
            process->terminate();
            if (!process->waitForFinished(3000)) {
                process->kill();
                process->waitForFinished(3000);
            }
        }
        // The canaries: never in an output, never in a file Keyway wrote.
        for (const QString& output : std::as_const(m_outputs)) {
            QVERIFY2(!output.contains(QString::fromLatin1(proxyPassword)), qPrintable(output));
            QVERIFY2(!output.toUtf8().contains(m_clientKeyCanary), qPrintable(output));
        }
        for (const char* dir : {"config", "data", "state"}) {
            QDirIterator it(path(QString::fromLatin1(dir)), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QByteArray content = file.readAll();
                QVERIFY2(!content.contains(proxyPassword), qPrintable(file.fileName()));
                QVERIFY2(!content.contains(m_clientKeyCanary), qPrintable(file.fileName()));
            }
        }
    }

    void privateCaFailsUntilTheCaFileIsSet()
    {
        const QString base = QStringLiteral("https://localhost:%1/seismic").arg(m_privateCaPort);
        QCOMPARE(addSeismic(QStringLiteral("private-ca"), base).exitCode, 0);

        const CliRun before = run({"check", "private-ca"});
        QVERIFY2(before.exitCode == 5, qPrintable(describe(before)));
        for (const QString& part :
             QStringList {QStringLiteral("TLS handshake with localhost:%1 failed").arg(m_privateCaPort),
                          QStringLiteral("certificate signed by an unknown authority"),
                          QStringLiteral("subject localhost"),
                          QStringLiteral("issuer Partner Test CA"),
                          QString(QStringLiteral("SHA-256 ") + m_serverFingerprint),
                          QStringLiteral("set tls.ca_file")}) {
            QVERIFY2(before.err.contains(part), qPrintable(part + QStringLiteral(" not in:\n") + before.err));
        }
        const CliRun json = run({"check", "private-ca", "--json"});
        QCOMPARE(json.exitCode, 5);
        QVERIFY2(json.out.contains(R"("unreachable":"tls")"), json.out.constData());

        QCOMPARE(run({"env", "set", "private-ca", "--set", "tls.ca_file=" + m_pki + "/ca.pem"}).exitCode, 0);
        const CliRun after = run({"check", "private-ca"});
        QVERIFY2(after.exitCode == 0, qPrintable(describe(after)));
        QVERIFY(after.out.contains("GET /v1/card/bins answered 200"));
    }

    void nameMismatchNamesTheCertificatesNames()
    {
        const QString base = QStringLiteral("https://localhost:%1/seismic").arg(m_mismatchPort);
        QCOMPARE(addSeismic(QStringLiteral("mismatch"), base, {"--set", "tls.ca_file=" + m_pki + "/ca.pem"}).exitCode,
                 0);
        const CliRun r = run({"check", "mismatch"});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(QStringLiteral("name mismatch: the certificate is for partner.example")),
                 qPrintable(r.err));
    }

    void badConnectionValuesAreRefused()
    {
        QCOMPARE(addSeismic(QStringLiteral("bad-values"), QStringLiteral("https://localhost:1/seismic")).exitCode, 0);
        CliRun r = run({"env", "set", "bad-values", "--set", "tls.ca_file=" + path(QStringLiteral("none.pem"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("cannot read")), qPrintable(r.err));
        // A password inside the proxy address would land in environments.json: refused, never echoed.
        r = run({"env",
                 "set",
                 "bad-values",
                 "--set",
                 "proxy=http://keyway:" + QString::fromLatin1(proxyPassword) + "@h:3128"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("proxy_password")), qPrintable(r.err));
        writeFile(path(QStringLiteral("garbage.key")), "not a key\n");
        r = run({"env", "set", "bad-values", "--secret-file", "tls.client_key=" + path(QStringLiteral("garbage.key"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("PEM private key")), qPrintable(r.err));
    }

    void clientCertificateFailsUntilCertificateAndKeyAreSet()
    {
        const QString base = QStringLiteral("https://localhost:%1").arg(m_mutualTlsPort);
        CliRun r = run({"env",
                        "add",
                        "mtls",
                        "--provider",
                        "partner-gateway",
                        "--base-url",
                        base,
                        "--set",
                        "tls.ca_file=" + m_pki + "/ca.pem",
                        "--secret",
                        "api_key"},
                       "canary-gateway-key\n");
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));

        r = run({"check", "mtls"});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(QStringLiteral("requires a client certificate")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("tls.client_cert")) && r.err.contains(QStringLiteral("tls.client_key")),
                 qPrintable(r.err));

        // A certificate the partner did not issue: refused, and said so.
        QVERIFY(m_ca.selfSigned(QStringLiteral("stranger"), QStringLiteral("/CN=stranger"), 3));
        r = run({"env",
                 "set",
                 "mtls",
                 "--set",
                 "tls.client_cert=" + m_pki + "/stranger.pem",
                 "--secret-file",
                 "tls.client_key=" + m_pki + "/stranger.key"});
        QCOMPARE(r.exitCode, 0);
        r = run({"check", "mtls"});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(QStringLiteral("refused the client certificate")), qPrintable(r.err));

        // The key goes in through standard input (--secret-file -) and lives in the keychain only.
        QFile key(m_pki + QStringLiteral("/client.key"));
        QVERIFY(key.open(QIODevice::ReadOnly));
        r = run({"env",
                 "set",
                 "mtls",
                 "--set",
                 "tls.client_cert=" + m_pki + "/client.pem",
                 "--secret-file",
                 "tls.client_key=-"},
                key.readAll());
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        r = run({"env", "show", "mtls"});
        QVERIFY2(r.out.contains("tls.client_key:") && r.out.contains("set"), r.out.constData());
        r = run({"check", "mtls"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(r.out.contains("issued a token"));
    }

    void authenticatingProxyFailsUntilThePasswordIsSet()
    {
        const QString base = QStringLiteral("https://localhost:%1/seismic").arg(m_privateCaPort);
        const QString proxy = QStringLiteral("http://keyway@127.0.0.1:%1").arg(m_authProxyPort);
        QCOMPARE(addSeismic(QStringLiteral("via-proxy"),
                            base,
                            {"--set", "tls.ca_file=" + m_pki + "/ca.pem", "--set", "proxy=" + proxy})
                     .exitCode,
                 0);
        CliRun r = run({"check", "via-proxy"});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(QStringLiteral("requires authentication")), qPrintable(r.err));
        QVERIFY2(r.err.contains(proxy) && r.err.contains(QStringLiteral("proxy_password")), qPrintable(r.err));

        QCOMPARE(run({"env", "set", "via-proxy", "--secret", "proxy_password"}, "wrong-password\n").exitCode, 0);
        r = run({"check", "via-proxy"});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(QStringLiteral("refused the user name or password")), qPrintable(r.err));

        QCOMPARE(
            run({"env", "set", "via-proxy", "--secret", "proxy_password"}, QByteArray(proxyPassword) + '\n').exitCode,
            0);
        r = run({"check", "via-proxy"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));

        // Plain HTTP goes through the proxy too (an absolute-URI request, not a tunnel).
        QCOMPARE(run({"env", "set", "via-proxy", "--base-url", m_sandbox->demoProvider("seismic")->baseUrl.toString()})
                     .exitCode,
                 0);
        r = run({"check", "via-proxy"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    }

    void proxyThatDoesNotAnswerIsNamed()
    {
        const QString base = QStringLiteral("https://localhost:%1/seismic").arg(m_privateCaPort);
        const QString proxy = QStringLiteral("http://127.0.0.1:%1").arg(m_deadPort);
        QCOMPARE(addSeismic(QStringLiteral("dead-proxy"),
                            base,
                            {"--set", "tls.ca_file=" + m_pki + "/ca.pem", "--set", "proxy=" + proxy})
                     .exitCode,
                 0);
        const CliRun r = run({"check", "dead-proxy"});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(
            r.err.contains(
                QStringLiteral("The proxy %1 (from the environment's proxy setting) could not be reached").arg(proxy)),
            qPrintable(r.err));
    }

    void proxyVariablesAsCurlHonoursThem()
    {
        const QString base = QStringLiteral("https://localhost:%1/seismic").arg(m_privateCaPort);
        QCOMPARE(addSeismic(QStringLiteral("variables"), base, {"--set", "tls.ca_file=" + m_pki + "/ca.pem"}).exitCode,
                 0);
        const QString open = QStringLiteral("http://127.0.0.1:%1").arg(m_openProxyPort);
        const QString dead = QStringLiteral("http://127.0.0.1:%1").arg(m_deadPort);

        // HTTPS_PROXY carries the request: the proxy's log shows the tunnel.
        CliRun r = run({"check", "variables"}, {}, {{"HTTPS_PROXY", open}});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QFile log(m_openProxyLog);
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY2(log.readAll().contains(QStringLiteral("CONNECT localhost:%1").arg(m_privateCaPort).toUtf8()),
                 "the request did not go through HTTPS_PROXY");

        // A dead proxy in the variable is named with the variable.
        r = run({"check", "variables"}, {}, {{"https_proxy", dead}});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(QStringLiteral("from the variable https_proxy")), qPrintable(r.err));
        r = run({"check", "variables"}, {}, {{"ALL_PROXY", dead}});
        QVERIFY2(r.exitCode == 5 && r.err.contains(QStringLiteral("ALL_PROXY")), qPrintable(describe(r)));

        // NO_PROXY names the host: no proxy.
        r = run({"check", "variables"}, {}, {{"HTTPS_PROXY", dead}, {"NO_PROXY", "example.com, .localhost"}});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        r = run({"check", "variables"}, {}, {{"HTTPS_PROXY", dead}, {"no_proxy", "*"}});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));

        // The environment's `proxy none` ignores the variables.
        QCOMPARE(run({"env", "set", "variables", "--set", "proxy=none"}).exitCode, 0);
        r = run({"check", "variables"}, {}, {{"HTTPS_PROXY", dead}, {"ALL_PROXY", dead}});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    }

    void unreachableHostsSayWhichFailure()
    {
        QCOMPARE(addSeismic(QStringLiteral("no-dns"), QStringLiteral("https://keyway-test.invalid/seismic")).exitCode,
                 0);
        CliRun r = run({"check", "no-dns"});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(QStringLiteral("could not be resolved (DNS)")), qPrintable(r.err));

        QCOMPARE(addSeismic(QStringLiteral("refused"), QStringLiteral("https://127.0.0.1:%1/seismic").arg(m_deadPort))
                     .exitCode,
                 0);
        r = run({"check", "refused", "--json"});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(R"("unreachable":"connection_refused")"), r.out.constData());
        r = run({"call", "refused", "GET", "/v1/card/bins"});
        QVERIFY2(r.exitCode == 5, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(QStringLiteral("refused the connection")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestPartnerNetworks)
#include "tst_partner_networks.moc"
