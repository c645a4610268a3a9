// The GUI's side of real partner networks, offscreen: the environment form's Connection group (a PKCS#12
// import keeps the certificate as a file and the key in the keychain only), and the Flow tab against a
// host signed by a private CA (nginx in front of the sandbox, certificates made with openssl): the step is
// shown as unreachable with the presented certificate chain, "Use a CA file for this environment…" keeps
// the CA file, and the next run passes.
#include "core/http/ConnectionSettings.h"
#include "core/http/TlsDiagnosis.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/MemorySecretStore.h"
#include "tests/support/TestPki.h"
#include "ui/MainWindow.h"
#include "ui/common/FileDialog.h"
#include "ui/common/PasswordPrompt.h"
#include "ui/credentials/CredentialEditor.h"
#include "ui/flow/FlowWalkthrough.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace keyway;
using keyway::ui::CredentialEditor;
using keyway::ui::FlowWalkthrough;
using keyway::ui::MainWindow;

namespace {
const char* const bundlePassword = "canary-p12-pass-3d7a";
}

class TestPartnerNetworksUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    test::TestPki m_ca;
    QString m_pki; // m_ca's directory
    QProcess m_nginx;
    quint16 m_nginxPort = 0;
    QByteArray m_keyCanary;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        qputenv("XDG_CONFIG_HOME", m_root.filePath(QStringLiteral("config")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-networks"));
        QCoreApplication::setApplicationName(QStringLiteral("keyway-test-networks"));
        QVERIFY(m_ca.create(m_root.filePath(QStringLiteral("pki"))));
        m_pki = m_ca.directory();
        QVERIFY(m_ca.issue(
            QStringLiteral("server"), QStringLiteral("/CN=localhost"), QStringLiteral("DNS:localhost,IP:127.0.0.1")));
        QVERIFY(m_ca.issue(QStringLiteral("client"), QStringLiteral("/CN=keyway-client")));
        QVERIFY(m_ca.openssl({"pkcs12",
                              "-export",
                              "-in",
                              "client.pem",
                              "-inkey",
                              "client.key",
                              "-out",
                              "client.p12",
                              "-passout",
                              QStringLiteral("pass:") + QString::fromLatin1(bundlePassword)}));
        m_keyCanary = m_ca.keyCanary(QStringLiteral("client"));
        QCOMPARE(m_keyCanary.size(), 64);

        m_sandbox = std::make_unique<sandbox::SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        m_nginxPort = probe.serverPort();
        probe.close();
        const QString nginxRoot = m_root.filePath(QStringLiteral("nginx"));
        QVERIFY(QDir().mkpath(nginxRoot + QStringLiteral("/logs")));
        QFile conf(nginxRoot + QStringLiteral("/nginx.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write(
            QStringLiteral("daemon off;\nmaster_process off;\npid %1/nginx.pid;\nerror_log stderr warn;\n"
                           "events { worker_connections 64; }\nhttp {\n  access_log off;\n"
                           "  client_body_temp_path %1/body;\n  proxy_temp_path %1/proxy;\n"
                           "  fastcgi_temp_path %1/fastcgi;\n  uwsgi_temp_path %1/uwsgi;\n  scgi_temp_path %1/scgi;\n"
                           "  server { listen 127.0.0.1:%2 ssl; ssl_certificate %3/server.pem; "
                           "ssl_certificate_key %3/server.key; location / { proxy_pass %4; } }\n}\n")
                .arg(nginxRoot)
                .arg(m_nginxPort)
                .arg(m_pki, m_sandbox->rootUrl().toString())
                .toUtf8());
        conf.close();
        const QString nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"), {"/usr/sbin", "/usr/bin"});
        QVERIFY2(!nginx.isEmpty(), "nginx is missing: make deps installs it");
        m_nginx.setStandardErrorFile(nginxRoot + QStringLiteral("/error.log"));
        m_nginx.start(nginx, {"-e", "stderr", "-p", nginxRoot, "-c", nginxRoot + "/nginx.conf"});
        QVERIFY(m_nginx.waitForStarted(10000));
        bool listening = false;
        for (int i = 0; i < 100 && !listening; ++i) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_nginxPort);
            listening = socket.waitForConnected(100);
            if (!listening) {
                QTest::qWait(50);
            }
        }
        QVERIFY(listening);
    }

    void cleanupTestCase()
    {
        m_nginx.terminate();
        if (!m_nginx.waitForFinished(3000)) {
            m_nginx.kill();
            m_nginx.waitForFinished(3000);
        }
    }

    void connectionGroupImportsPkcs12()
    {
        const ProfileRegistry registry = ProfileRegistry::loadDefault();
        test::MemorySecretStore secrets;
        EnvironmentService service(&registry, &secrets, m_root.filePath(QStringLiteral("config/keyway/env-a.json")));
        CredentialEditor editor(&service);
        editor.setProfile(registry.find(QStringLiteral("seismic")));
        editor.show();
        auto* group = editor.findChild<QGroupBox*>(QStringLiteral("connectionGroup"));
        QVERIFY(group);
        QCOMPARE(group->title(), QStringLiteral("Connection"));
        for (const CredentialField& field : ConnectionSettings::fields()) {
            auto* edit = editor.findChild<QLineEdit*>(QStringLiteral("field_") + field.key);
            QVERIFY2(edit, qPrintable(field.key));
            QCOMPARE(edit->echoMode() == QLineEdit::Password, field.secret);
        }

        ui::FileDialog::setNextAnswer(m_pki + QStringLiteral("/client.p12"));
        ui::PasswordPrompt::setNextAnswer(QString::fromLatin1(bundlePassword));
        auto* import = editor.findChild<QPushButton*>(QStringLiteral("importPkcs12Button"));
        QVERIFY(import);
        import->click();
        const QString certificate = editor.value(ConnectionSettings::clientCertKey());
        QVERIFY2(certificate.startsWith(m_root.filePath(QStringLiteral("config/keyway/certificates/"))),
                 qPrintable(certificate + QLatin1Char(' ') + editor.statusText()));
        QCOMPARE(QSslCertificate::fromPath(certificate).value(0).subjectDisplayName(), QStringLiteral("keyway-client"));
        QFile certificateFile(certificate);
        QVERIFY(certificateFile.open(QIODevice::ReadOnly));
        QVERIFY(!certificateFile.readAll().contains("PRIVATE KEY")); // the key never lands in a file
        QVERIFY(editor.value(ConnectionSettings::clientKeyKey()).contains(QStringLiteral("PRIVATE KEY")));

        editor.setValues({{QStringLiteral("clientId"), QStringLiteral("client-a")},
                          {QStringLiteral("clientSecret"), QStringLiteral("secret-a")}});
        QSignalSpy saved(&editor, &CredentialEditor::saved);
        editor.save(Environment::create(QStringLiteral("mtls"), QStringLiteral("seismic"), {}), true);
        QTRY_COMPARE(saved.size(), 1);
        const Environment environment = saved.first().first().value<Environment>();
        QCOMPARE(environment.values.value(ConnectionSettings::clientCertKey()), certificate);
        // The key went to the keychain; neither it nor the bundle's password is in a file.
        const QString stored
            = secrets.entries().value(SecretStore::keyFor(environment.id, ConnectionSettings::clientKeyKey()));
        QVERIFY(stored.contains(QStringLiteral("PRIVATE KEY")));
        QVERIFY(ConnectionSettings::checkClientKey(stored.toUtf8()).isEmpty());
        QDirIterator files(m_root.filePath(QStringLiteral("config")), QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            QVERIFY2(!content.contains(bundlePassword), qPrintable(file.fileName()));
            QVERIFY2(!content.contains(m_keyCanary), qPrintable(file.fileName()));
        }
    }

    void privateCaHostIsUnreachableUntilItsCaFileIsPicked()
    {
        QSettings().clear();
        test::MemorySecretStore secrets;
        ui::MainWindowOptions options;
        options.secretStore = &secrets;
        MainWindow window(options);
        window.show();
        window.useSandbox(*m_sandbox);
        QTRY_VERIFY(!window.currentEnvironmentId().isEmpty());
        const Environment* seismic = window.environmentStore().find(QStringLiteral("Sandbox Seismic"));
        QVERIFY(seismic);
        Environment behindTls = *seismic;
        behindTls.baseUrl = QStringLiteral("https://localhost:%1/seismic").arg(m_nginxPort);
        QSignalSpy reloaded(&window, &MainWindow::environmentsReloaded);
        bool updated = false;
        window.environmentService()->update(behindTls, {}, {}, [&](const EnvironmentChange& c) { updated = c.ok(); });
        QTRY_VERIFY(updated);
        window.reloadEnvironments();
        QTRY_VERIFY(!reloaded.isEmpty());
        for (const Environment& other : window.environmentStore().environments()) {
            if (other.id != behindTls.id) {
                window.selectEnvironment(other.id); // and back: the walkthrough takes the new base URL
                break;
            }
        }
        window.selectEnvironment(behindTls.id);

        FlowWalkthrough* walkthrough = window.walkthrough();
        QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
        walkthrough->runAll();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(walkthrough->statusText().contains(QStringLiteral("Unreachable: TLS handshake failed")),
                 qPrintable(walkthrough->statusText()));
        auto* hint = walkthrough->findChild<QLabel*>(QStringLiteral("hintLabel"));
        QVERIFY(hint);
        QVERIFY2(hint->text().contains(QStringLiteral("certificate signed by an unknown authority")),
                 qPrintable(hint->text()));
        auto* reply = walkthrough->findChild<QPlainTextEdit*>(QStringLiteral("replyView"));
        QVERIFY(reply);
        const QSslCertificate server = QSslCertificate::fromPath(m_pki + QStringLiteral("/server.pem")).value(0);
        QVERIFY2(reply->toPlainText().contains(QStringLiteral("Certificate chain the server presented")),
                 qPrintable(reply->toPlainText()));
        QVERIFY(reply->toPlainText().contains(TlsDiagnosis::fingerprint(server)));
        auto* useCa = walkthrough->findChild<QPushButton*>(QStringLiteral("useCaFileButton"));
        QVERIFY(useCa);
        QVERIFY(useCa->isVisible());

        ui::FileDialog::setNextAnswer(m_pki + QStringLiteral("/ca.pem"));
        useCa->click();
        QTRY_COMPARE(window.environmentStore().findById(behindTls.id)->values.value(ConnectionSettings::caFileKey()),
                     m_pki + QStringLiteral("/ca.pem"));

        walkthrough->runAll();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);
        QVERIFY2(finished.last().first().toBool(), qPrintable(walkthrough->statusText()));
        QVERIFY(!useCa->isVisible());
    }
};

QTEST_MAIN(TestPartnerNetworksUi)
#include "tst_partner_networks_ui.moc"
