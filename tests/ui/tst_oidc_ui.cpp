// The GUI face of OpenID Connect against the sandbox, offscreen: the environment dialog's "Discover endpoints"
// fills the empty endpoint fields (and no secret one) and shows what it found; the walkthrough shows discovery
// as its own step with the document, and a private_key_jwt assertion decoded with its signature redacted.
#include "core/crypto/Jws.h"
#include "core/flow/FlowEngine.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/vault/EnvironmentStore.h"
#include "tests/support/MemorySecretStore.h"
#include "tests/support/SandboxBrowser.h"
#include "ui/MainWindow.h"
#include "ui/environments/EnvironmentDialog.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/inspector/JwtView.h"
#include "ui/inspector/ResponseInspector.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace keyway;
using keyway::ui::MainWindow;

class TestOidcUi : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_config;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    test::MemorySecretStore m_secrets;
    std::unique_ptr<MainWindow> m_window;
    QString m_environmentId;
    QString m_key;

    QString base() const { return m_sandbox->demoProvider(QStringLiteral("oauth2-client"))->baseUrl.toString(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-oidc-ui"));
        QCoreApplication::setApplicationName(QStringLiteral("keyway-test-oidc-ui"));
        QSettings().clear();
        m_sandbox = std::make_unique<sandbox::SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-client"));
        m_key = demo->credential(QStringLiteral("client_key"));

        EnvironmentStore store;
        QString error;
        QVERIFY2(store.load(&error), qPrintable(error));
        Environment environment
            = Environment::create(QStringLiteral("Identity provider"), QStringLiteral("oauth2-client"), base());
        environment.values = {{QStringLiteral("issuer"), base()},
                              {QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id"))},
                              {QStringLiteral("client_auth"), QStringLiteral("private_key_jwt")},
                              {QStringLiteral("key_id"), demo->credential(QStringLiteral("key_id"))}};
        QVERIFY2(store.add(environment, &error), qPrintable(error));
        QVERIFY2(store.save(&error), qPrintable(error));
        m_environmentId = environment.id;
        m_secrets.setEntry(SecretStore::keyFor(environment.id, QStringLiteral("client_key")), m_key);

        ui::MainWindowOptions options;
        options.secretStore = &m_secrets;
        m_window = std::make_unique<MainWindow>(options);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() { m_window.reset(); }

    void discoverButtonFillsEndpoints()
    {
        ui::EnvironmentDialog dialog(ui::EnvironmentDialog::Mode::Add, m_window->environmentService());
        dialog.setProvider(QStringLiteral("oauth2-code"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* discover = dialog.findChild<QPushButton*>(QStringLiteral("discoverButton"));
        auto* result = dialog.findChild<QLabel*>(QStringLiteral("discoveryResult"));
        QVERIFY(discover && result);
        QVERIFY(discover->isVisible());
        auto field
            = [&dialog](const QString& key) { return dialog.findChild<QLineEdit*>(QStringLiteral("field_") + key); };
        // Without an issuer it says what to enter.
        discover->click();
        QVERIFY2(result->text().contains(QStringLiteral("issuer")), qPrintable(result->text()));

        field(QStringLiteral("issuer"))->setText(base());
        field(QStringLiteral("token_url"))->setText(QStringLiteral("/my/token")); // set by hand: kept
        discover->click();
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("jwks_uri")), 10000);
        QCOMPARE(field(QStringLiteral("authorize_url"))->text(), base() + QStringLiteral("/authorize"));
        QCOMPARE(field(QStringLiteral("jwks_uri"))->text(), base() + QStringLiteral("/jwks"));
        QCOMPARE(field(QStringLiteral("token_url"))->text(), QStringLiteral("/my/token"));
        QVERIFY(field(QStringLiteral("client_secret"))->text().isEmpty());
        QVERIFY(field(QStringLiteral("client_key"))->text().isEmpty());
        QVERIFY(result->text().contains(QStringLiteral("kept as set")));

        // An issuer whose document names another one is refused, in words.
        QVERIFY(m_sandbox->setFault(QStringLiteral("oauth2-code"), QStringLiteral("issuer_mismatch"), true));
        discover->click();
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("names issuer")), 10000);
        m_sandbox->setFault(QStringLiteral("oauth2-code"), QStringLiteral("issuer_mismatch"), false);

        // A provider without discovery has no such button.
        dialog.setProvider(QStringLiteral("banking"));
        QVERIFY(!discover->isVisible());
    }

    // Discover goes out like every request of the environment: over the CA file in the form, saved or not.
    void discoverTrustsThePrivateCaInTheForm()
    {
        QTemporaryDir pki;
        QVERIFY(pki.isValid());
        sandbox::SandboxServer https;
        https.setTls(pki.path());
        QVERIFY(https.listen(0));
        const QString issuer = https.demoProvider(QStringLiteral("oauth2-code"))->baseUrl.toString();
        QVERIFY(issuer.startsWith(QStringLiteral("https://")));

        ui::EnvironmentDialog dialog(ui::EnvironmentDialog::Mode::Add, m_window->environmentService());
        dialog.setProvider(QStringLiteral("oauth2-code"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* discover = dialog.findChild<QPushButton*>(QStringLiteral("discoverButton"));
        auto* result = dialog.findChild<QLabel*>(QStringLiteral("discoveryResult"));
        auto field
            = [&dialog](const QString& key) { return dialog.findChild<QLineEdit*>(QStringLiteral("field_") + key); };
        QVERIFY(discover && result && field(QStringLiteral("tls.ca_file")));
        field(QStringLiteral("issuer"))->setText(issuer);

        // Without the CA the handshake fails, and the message says which setting helps.
        discover->click();
        QTRY_VERIFY_WITH_TIMEOUT(discover->isEnabled() && !result->text().contains(QStringLiteral("Reading")), 10000);
        QVERIFY2(result->text().contains(QStringLiteral("tls.ca_file")), qPrintable(result->text()));
        QVERIFY(field(QStringLiteral("token_url"))->text().isEmpty());

        field(QStringLiteral("tls.ca_file"))->setText(https.caFile());
        discover->click();
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("jwks_uri")), 10000);
        QCOMPARE(field(QStringLiteral("token_url"))->text(), issuer + QStringLiteral("/oauth/token"));
    }

    void walkthroughShowsDiscoveryAndTheAssertion()
    {
        m_window->selectEnvironment(m_environmentId);
        auto* walkthrough = m_window->walkthrough();
        auto* steps = walkthrough->findChild<QListWidget*>(QStringLiteral("flowSteps"));
        QVERIFY(steps);
        QVERIFY2(steps->item(0)->text().contains(QStringLiteral("Discover")), qPrintable(steps->item(0)->text()));

        QSignalSpy finished(walkthrough, &ui::FlowWalkthrough::finished);
        walkthrough->findChild<QPushButton*>(QStringLiteral("runAllButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(walkthrough->stepState(0), ui::FlowWalkthrough::StepState::Succeeded);
        QCOMPARE(walkthrough->stepState(1), ui::FlowWalkthrough::StepState::Succeeded);

        auto* request = walkthrough->findChild<QPlainTextEdit*>(QStringLiteral("requestView"));
        auto* reply = walkthrough->findChild<QPlainTextEdit*>(QStringLiteral("replyView"));
        QVERIFY(request && reply);
        steps->setCurrentRow(0);
        QTRY_VERIFY2(request->toPlainText().contains(QStringLiteral("/.well-known/openid-configuration")),
                     qPrintable(request->toPlainText()));
        QVERIFY2(reply->toPlainText().contains(QStringLiteral("token_endpoint")), qPrintable(reply->toPlainText()));

        steps->setCurrentRow(1);
        QTRY_VERIFY2(request->toPlainText().contains(QStringLiteral("Client assertion (signature redacted)")),
                     qPrintable(request->toPlainText()));
        QVERIFY(request->toPlainText().contains(QStringLiteral("\"alg\": \"ES256\"")));
        QVERIFY(request->toPlainText().contains(QStringLiteral("\"signature\": \"[redacted]\"")));
        const QString keyLine = m_key.split(QLatin1Char('\n')).at(1);
        QVERIFY(!request->toPlainText().contains(keyLine));
        QVERIFY(!request->toPlainText().contains(QStringLiteral("client_assertion=ey")));
    }

    void inspectorVerifiesJwtSignatures()
    {
        // A real ID token from the sandbox's sign-in.
        ProfileRegistry registry;
        registry.loadShipped();
        const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-code"));
        FlowOptions options;
        options.baseUrl = base();
        options.credentials = {{QStringLiteral("issuer"), base()},
                               {QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id"))},
                               {QStringLiteral("client_secret"), demo->credential(QStringLiteral("client_secret"))},
                               {QStringLiteral("scope"), QStringLiteral("openid read")}};
        test::SandboxBrowser browser;
        options.openUrl = [&browser](const QUrl& url) {
            browser.opener(true)(url);
            return true;
        };
        FlowEngine engine(*registry.find(QStringLiteral("oauth2-code")), options);
        QSignalSpy done(&engine, &FlowEngine::finished);
        engine.runFullFlow();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 15000);
        const auto result = done.first().first().value<FlowResult>();
        QVERIFY2(result.ok(), qPrintable(result.oneLine()));
        const QString idToken = result.value(QStringLiteral("id_token"))->value;

        // The Requests tab's inspector knows the environment's issuer, so it checks the signature.
        m_window->selectEnvironment(m_environmentId);
        auto* inspector = m_window->findChild<ui::ResponseInspector*>();
        auto* view = m_window->findChild<ui::JwtView*>();
        QVERIFY(inspector && view);
        QVERIFY(inspector->decodeJwt(idToken));
        QTRY_VERIFY2_WITH_TIMEOUT(view->signatureText().startsWith(QStringLiteral("signature verified with key sbx-")),
                                  qPrintable(view->signatureText()),
                                  10000);
        QVERIFY(view->signatureText().contains(base()));

        // A token signed by a key the issuer does not publish: said exactly.
        QString error;
        const QString forged = *crypto::Jws::sign(QStringLiteral("RS256"),
                                                  crypto::Key::generateRsa(2048),
                                                  {{"kid", "forged-key"}},
                                                  {{"iss", base().toStdString()}, {"sub", "x"}},
                                                  &error);
        QVERIFY(inspector->decodeJwt(forged));
        QTRY_VERIFY2_WITH_TIMEOUT(
            view->signatureText().contains(QStringLiteral("forged-key")), qPrintable(view->signatureText()), 10000);
        QVERIFY(view->signatureText().startsWith(QStringLiteral("signature not verified")));
    }
};

QTEST_MAIN(TestOidcUi)
#include "tst_oidc_ui.moc"
