// The desktop app against a real, OpenID-certified provider (panva's oidc-provider, tests/oidc/provider.mjs),
// offscreen, with the real keychain of the isolated session and this binary's own HOME and XDG directories:
// environments made in the environment dialog (Discover endpoints, a private key read from a file), the Flow
// tab's Run with the sign-in completed by the test's browser, the device grant approved at the provider's own
// pages, Introspect / Revoke from the timeline's lane menu, client_secret_jwt typed into the dialog, a key
// rotation (walkthrough and JWT view name the new key), and "Check provider" with the checks the provider's
// discovery adds (id_token, revocation). The provider's realm is tst_oidc_provider's
// (OidcTestRealm). At the end every file Keyway wrote and everything it logged is grepped for the secrets and
// tokens seen.
#include "core/checks/ConformanceRun.h"
#include "core/session/Session.h"
#include "core/session/SessionRegistry.h"
#include "core/util/Translations.h"
#include "tests/support/CliProcess.h"
#include "tests/support/InProcessLog.h"
#include "tests/support/OidcProviderProcess.h"
#include "tests/support/SandboxBrowser.h"
#include "tests/support/ui/FormDriver.h"
#include "ui/MainWindow.h"
#include "ui/checks/ConformancePage.h"
#include "ui/common/FileDialog.h"
#include "ui/common/MessageBox.h"
#include "ui/common/SignInWait.h"
#include "ui/environments/EnvironmentDialog.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/inspector/JwtView.h"
#include "ui/inspector/ResponseInspector.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUrlQuery>

#include <memory>

using namespace keyway;
using keyway::test::OidcProviderProcess;
using keyway::ui::FlowWalkthrough;
using keyway::ui::MainWindow;

class TestOidcProviderUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_xdg; // HOME and XDG directories of this binary: grepped for canaries at the end
    QTemporaryDir m_files; // the PEM file the user picks (outside HOME, like a download)
    OidcProviderProcess m_provider;
    test::OidcTestRealm m_realm;
    test::SandboxBrowser m_browser;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_canaries;
    QUrl m_deviceUrl; // what "Open in browser" of the device panel opened
    QString m_codeEnvironment;

    QString issuer() const { return m_provider.issuer().toString(); }

    // The provider's own discovery document, read by the test (what the dialog must show).
    nlohmann::json discoveryDocument()
    {
        QNetworkAccessManager nam;
        const auto reply
            = test::httpExchange(nam, "GET", m_provider.endpoint(QStringLiteral("/.well-known/openid-configuration")));
        return nlohmann::json::parse(reply.body.toStdString(), nullptr, false);
    }

    QString documentUrl(const char* member) { return QString::fromStdString(discoveryDocument().value(member, "")); }

    ui::EnvironmentDialog* openNewEnvironmentDialog()
    {
        auto* action = m_window->findChild<QAction*>(QStringLiteral("newEnvironmentAction"));
        if (!action || !action->isEnabled()) {
            return nullptr;
        }
        action->trigger();
        ui::EnvironmentDialog* dialog = nullptr;
        (void)QTest::qWaitFor(
            [&] { return (dialog = m_window->findChild<ui::EnvironmentDialog*>()) && dialog->isVisible(); }, 5000);
        return dialog;
    }

    // The environment dialog of a new environment at the provider: `provider`, `name`, the issuer as base URL
    // and issuer, and the client ID, typed as a user does. Null when a step did not take.
    ui::EnvironmentDialog*
    newEnvironmentAtTheIssuer(const QString& provider, const QString& name, const QString& clientId)
    {
        ui::EnvironmentDialog* dialog = openNewEnvironmentDialog();
        if (!dialog || !test::form::choose(dialog, QStringLiteral("providerCombo"), provider)) {
            return nullptr;
        }
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("nameEdit")), name);
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("baseUrlEdit")), issuer());
        const bool typed = test::form::type(dialog, QStringLiteral("issuer"), issuer())
            && test::form::type(dialog, QStringLiteral("client_id"), clientId);
        return typed ? dialog : nullptr;
    }

    // Saves the dialog with its Save button; the window then shows the new environment.
    bool save(ui::EnvironmentDialog* dialog, const QString& name)
    {
        auto* saveButton = dialog->findChild<QPushButton*>(QStringLiteral("dialogSaveButton"));
        if (!saveButton) {
            return false;
        }
        QPointer<ui::EnvironmentDialog> guard(dialog);
        QTest::mouseClick(saveButton, Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return !guard || !guard->isVisible(); }, 20000)) {
            const auto* error = dialog->findChild<QLabel*>(QStringLiteral("dialogError"));
            qWarning("the dialog stayed open: %s", error ? qPrintable(error->text()) : "");
            return false;
        }
        return QTest::qWaitFor(
            [&] {
                const auto* environment = m_window->environmentStore().findById(m_window->currentEnvironmentId());
                return environment && environment->name == name;
            },
            5000);
    }

    // The Flow tab's "Run all", as the user clicks it; true when the flow succeeded.
    bool runWalkthrough(int timeoutMs = 30000)
    {
        FlowWalkthrough* walkthrough = m_window->walkthrough();
        QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
        auto* run = walkthrough->findChild<QPushButton*>(QStringLiteral("runAllButton"));
        if (!run || !run->isEnabled()) {
            return false;
        }
        QTest::mouseClick(run, Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return finished.size() == 1; }, timeoutMs)) {
            qWarning("the walkthrough did not finish: %s", qPrintable(walkthrough->statusText()));
            return false;
        }
        rememberCapturedSecrets();
        if (!finished.first().first().toBool()) {
            qWarning("the walkthrough failed: %s", qPrintable(walkthrough->statusText()));
            return false;
        }
        return true;
    }

    void rememberCapturedSecrets()
    {
        for (const CapturedValue& value : m_window->walkthrough()->capturedValues()) {
            if (value.secret && value.value.size() >= 8 && !m_canaries.contains(value.value)) {
                m_canaries.append(value.value);
            }
        }
    }

    QString stepText(int row, const char* view)
    {
        auto* steps = m_window->walkthrough()->findChild<QListWidget*>(QStringLiteral("flowSteps"));
        steps->setCurrentRow(row);
        QCoreApplication::processEvents();
        return m_window->walkthrough()->findChild<QPlainTextEdit*>(QString::fromLatin1(view))->toPlainText();
    }

    // The token step's reply in the walkthrough after a Run: the ID token's verdict is written under it.
    QString tokenStepReply()
    {
        return stepText(m_window->walkthrough()->findChild<QListWidget*>(QStringLiteral("flowSteps"))->count() - 1,
                        "replyView");
    }

    // Run on a client-credentials environment with a signed client: the real token endpoint issues a token, and
    // the token request shows the assertion decoded (iss = sub = the client, aud = the token endpoint) with its
    // signature redacted. `request` gets the request view's text.
    bool runShowsTheAssertion(const QString& clientId, QString* request)
    {
        const int tokensBefore = m_provider.stats().value("token", 0);
        if (!runWalkthrough() || m_provider.stats().value("token", 0) <= tokensBefore
            || !m_window->walkthrough()->capturedValues().contains(QStringLiteral("access_token"))) {
            return false;
        }
        *request = stepText(1, "requestView");
        for (const QString& expected : {QStringLiteral("Client assertion (signature redacted)"),
                                        QStringLiteral("\"iss\": \"%1\"").arg(clientId),
                                        QStringLiteral("\"sub\": \"%1\"").arg(clientId),
                                        QStringLiteral("\"aud\": \"%1\"").arg(documentUrl("token_endpoint")),
                                        QStringLiteral("\"signature\": \"[redacted]\"")}) {
            if (!request->contains(expected)) {
                qWarning("the request lacks %s:\n%s", qPrintable(expected), qPrintable(*request));
                return false;
            }
        }
        return true;
    }

    // Right click on a lane of the timeline and pick `action` (introspectAction / revokeAction); returns the
    // provider's reply box.
    QMessageBox* laneAction(const QString& lane, const char* action)
    {
        auto* timeline = m_window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
        const QPoint at = timeline->laneBarRect(lane).center();
        QContextMenuEvent rightClick(QContextMenuEvent::Mouse, at, timeline->mapToGlobal(at));
        QApplication::sendEvent(timeline, &rightClick);
        QMenu* menu = nullptr;
        if (!QTest::qWaitFor([&] { return (menu = m_window->findChild<QMenu*>(QStringLiteral("timelineLaneMenu"))); },
                             5000)) {
            qWarning("no menu on lane %s", qPrintable(lane));
            return nullptr;
        }
        auto* chosen = menu->findChild<QAction*>(QString::fromLatin1(action));
        if (!chosen || !chosen->isEnabled()) {
            return nullptr;
        }
        chosen->trigger();
        menu->close();
        QMessageBox* box = nullptr;
        (void)QTest::qWaitFor(
            [&] { return (box = m_window->findChild<QMessageBox*>(QStringLiteral("tokenLifecycleReply"))); }, 15000);
        return box;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString unavailable = OidcProviderProcess::unavailableReason();
        if (!unavailable.isEmpty()) {
            QSKIP(qPrintable(unavailable));
        }
        QVERIFY(m_xdg.isValid() && m_files.isValid());
        const QProcessEnvironment machine = test::isolatedMachine(m_xdg.path());
        for (const char* variable : {"HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}) {
            const QString dir = machine.value(QString::fromLatin1(variable));
            QVERIFY(QDir().mkpath(dir));
            qputenv(variable, dir.toUtf8());
        }
        QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-oidc-provider-ui"));
        QCoreApplication::setApplicationName(QStringLiteral("keyway-test-oidc-provider-ui"));
        QSettings().clear();
        if (qEnvironmentVariableIsSet("KEYWAY_TEST_SCREENSHOT")) {
            Translations::install(*QCoreApplication::instance()); // the language of LANG, as the app does
        }
        // Everything logged in this process (the window, its sessions, the engine), every category at debug.
        test::InProcessLog::install();

        QVERIFY2(m_realm.generate(), "node could not make a key pair");
        m_canaries << m_realm.canaries();
        QString error;
        QVERIFY2(m_provider.start(m_realm.config(), &error), qPrintable(error));

        ui::MainWindowOptions options; // the system keychain: the isolated session's gnome-keyring
        m_window = std::make_unique<MainWindow>(options);
        m_window->resize(1024, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // The user's browser: follows the provider's redirects (it approves at once) back to Keyway's loopback
        // listener. The device panel's "Open" goes to the phone the test plays (submitDeviceForms).
        const auto browser = m_browser.opener(true);
        const auto opener = [this, browser](const QUrl& url) {
            if (url.path().startsWith(QLatin1String("/device"))) {
                m_deviceUrl = url;
            } else {
                browser(url);
            }
            return true;
        };
        m_window->walkthrough()->setUrlOpener(opener);
        m_window->sessions()->setUrlOpener(opener);
        m_window->findChild<ui::ConformancePage*>(QStringLiteral("conformancePage"))->setUrlOpener(opener);
    }

    void cleanupTestCase()
    {
        if (!m_provider.isRunning()) {
            return;
        }
        m_window.reset();
        test::InProcessLog::uninstall();
        // Nothing Keyway wrote (configuration, history, caches) or logged holds a secret or a token.
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
        QVERIFY(files > 0); // environments.json at least: the grep saw what the window wrote
        // Beside the realm's secrets, the tokens of the runs: a code, access, refresh and ID tokens, a device code.
        QVERIFY(m_canaries.size() >= m_realm.canaries().size() + 5);
        QVERIFY(test::InProcessLog::text().size() > 1000); // the engine and the window logged at debug level
        const QString leaked = test::leakedSecret(QString::fromUtf8(test::InProcessLog::text()), m_canaries);
        QVERIFY2(leaked.isEmpty(), "a secret or token reached the debug log");
        m_provider.stop();
    }

    // A check that failed half-way leaves no dialog over the next one.
    void cleanup()
    {
        for (auto* dialog : m_window->findChildren<ui::EnvironmentDialog*>()) {
            dialog->close();
            delete dialog;
        }
    }

    // A new environment with only the issuer (and what a public client says of itself): "Discover endpoints"
    // fills the endpoint fields from the provider's document and lists them; Save keeps them.
    void dialogDiscoversEndpointsAndSaves()
    {
        ui::EnvironmentDialog* dialog = newEnvironmentAtTheIssuer(
            QStringLiteral("oauth2-code"), QStringLiteral("Certified IdP"), QStringLiteral("keyway-public"));
        QVERIFY(dialog);
        QVERIFY(test::form::field(dialog, QStringLiteral("authorize_url"))->text().isEmpty());

        auto* discover = dialog->findChild<QPushButton*>(QStringLiteral("discoverButton"));
        auto* result = dialog->findChild<QLabel*>(QStringLiteral("discoveryResult"));
        QVERIFY(discover && discover->isVisible() && result);
        const int before = m_provider.stats().value("discovery", 0);
        QTest::mouseClick(discover, Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(
            result->text().contains(QStringLiteral("jwks_uri")), qPrintable(result->text()), 15000);
        QVERIFY(m_provider.stats().value("discovery", 0) > before); // the real provider's document, fetched now
        QVERIFY(result->isVisible());
        const QList<QPair<const char*, const char*>> endpoints {{"authorize_url", "authorization_endpoint"},
                                                                {"token_url", "token_endpoint"},
                                                                {"jwks_uri", "jwks_uri"},
                                                                {"introspection_url", "introspection_endpoint"},
                                                                {"revocation_url", "revocation_endpoint"}};
        for (const auto& [key, member] : endpoints) {
            const QString url = documentUrl(member);
            QVERIFY2(url.startsWith(issuer()), member);
            QCOMPARE(test::form::field(dialog, QString::fromLatin1(key))->text(), url);
            QVERIFY2(result->text().contains(url.toHtmlEscaped()), qPrintable(result->text()));
        }
        QVERIFY(result->text().contains(QStringLiteral("/.well-known/openid-configuration")));
        QVERIFY(test::form::field(dialog, QStringLiteral("client_secret"))->text().isEmpty());
        QVERIFY(test::form::field(dialog, QStringLiteral("client_key"))->text().isEmpty());

        // A public client signing in for an ID token and a refresh token.
        QVERIFY(test::form::choose(dialog, QStringLiteral("field_client_auth"), QStringLiteral("none")));
        QVERIFY(test::form::type(dialog, QStringLiteral("scope"), QStringLiteral("openid email offline_access")));
        QVERIFY(save(dialog, QStringLiteral("Certified IdP")));
        m_codeEnvironment = m_window->currentEnvironmentId();
        const Environment* saved = m_window->environmentStore().findById(m_codeEnvironment);
        QVERIFY(saved);
        QCOMPARE(saved->providerId, QStringLiteral("oauth2-code"));
        QCOMPARE(saved->values.value(QStringLiteral("issuer")), issuer());
        QCOMPARE(saved->values.value(QStringLiteral("token_url")), documentUrl("token_endpoint"));
        QCOMPARE(saved->values.value(QStringLiteral("jwks_uri")), documentUrl("jwks_uri"));
    }

    // Run: discovery as its own step with the document, the sign-in completed at the real provider, the ID token
    // verified (walkthrough and timeline say so), and the Requests tab's JWT view verifies it with kid sig-1.
    void walkthroughSignsInWithAVerifiedIdToken()
    {
        QVERIFY(!m_codeEnvironment.isEmpty());
        m_window->selectEnvironment(m_codeEnvironment);
        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        tabs->setCurrentWidget(m_window->walkthrough());
        FlowWalkthrough* walkthrough = m_window->walkthrough();
        auto* steps = walkthrough->findChild<QListWidget*>(QStringLiteral("flowSteps"));
        QVERIFY(steps && steps->count() == 3);

        const int tokensBefore = m_provider.stats().value("token", 0);
        QVERIFY(runWalkthrough());
        const QString screenshot = qEnvironmentVariable("KEYWAY_TEST_SCREENSHOT");
        if (!screenshot.isEmpty()) {
            // The token step, with the ID token's verdict under the reply (docs/testing.md: screenshots).
            stepText(2, "replyView");
            QTest::qWait(300);
            QVERIFY(m_window->grab().save(screenshot));
        }
        QVERIFY2(steps->item(0)->text().contains(QStringLiteral("Discover")), qPrintable(steps->item(0)->text()));
        QVERIFY2(m_browser.lastResult().ok(), qPrintable(m_browser.lastResult().error));
        QVERIFY(QUrlQuery(m_browser.lastResult().finalUrl).hasQueryItem(QStringLiteral("code")));
        QVERIFY(m_provider.stats().value("token", 0) > tokensBefore);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(walkthrough->stepState(i), FlowWalkthrough::StepState::Succeeded);
        }

        const QString discoveryRequest = stepText(0, "requestView");
        QVERIFY2(discoveryRequest.contains(issuer() + QStringLiteral("/.well-known/openid-configuration")),
                 qPrintable(discoveryRequest));
        const QString document = stepText(0, "replyView");
        QVERIFY2(document.contains(QStringLiteral("\"issuer\": \"%1\"").arg(issuer())), qPrintable(document));
        QVERIFY(document.contains(QStringLiteral("\"authorization_endpoint\"")));

        const QString signIn = stepText(1, "requestView");
        QVERIFY2(signIn.contains(QStringLiteral("code_challenge_method=S256")), qPrintable(signIn));
        QVERIFY(signIn.contains(QStringLiteral("nonce=")));

        const QString tokenReply = stepText(2, "replyView");
        QVERIFY2(tokenReply.contains(QStringLiteral("ID token verified with key sig-1: signature against the "
                                                    "issuer's key set; iss, aud, exp, iat and nonce checked.")),
                 qPrintable(tokenReply));
        const QString idToken = walkthrough->capturedValues().value(QStringLiteral("id_token")).value;
        QVERIFY(idToken.count(QLatin1Char('.')) == 2);
        QVERIFY2(!tokenReply.contains(idToken), "the walkthrough shows the ID token unredacted");

        const QString idLane = MainWindow::laneId(m_codeEnvironment, QString(), QStringLiteral("id_token"));
        QTRY_VERIFY(m_window->timelineModel()->entry(idLane));
        QCOMPARE(m_window->timelineModel()->entry(idLane)->name, QStringLiteral("ID token (verified)"));
        auto* timeline = m_window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
        QVERIFY2(timeline->summaryText().contains(QStringLiteral("ID token (verified)")),
                 qPrintable(timeline->summaryText()));

        // The Requests tab's inspector knows the environment's key set, so its JWT view checks the signature.
        auto* requests = m_window->findChild<ui::ResponseInspector*>();
        QVERIFY(requests);
        for (int i = 0; i < tabs->count(); ++i) {
            if (tabs->widget(i)->isAncestorOf(requests)) {
                tabs->setCurrentIndex(i); // the user opens the Requests tab
            }
        }
        QVERIFY(requests->isVisible());
        auto* jwt = m_window->findChild<ui::JwtView*>();
        QVERIFY(requests->decodeJwt(idToken));
        QTRY_VERIFY2_WITH_TIMEOUT(
            jwt->signatureText().contains(QStringLiteral("verified with key sig-1 of %1").arg(issuer())),
            qPrintable(jwt->signatureText()),
            15000);
        QVERIFY(!jwt->signatureText().contains(QStringLiteral("not verified")));
        QVERIFY(jwt->claimsText().contains(QStringLiteral("\"aud\": \"keyway-public\"")));
        tabs->setCurrentWidget(walkthrough);
    }

    // Client credentials with private_key_jwt: the key read from a PEM file into the keychain, the walkthrough
    // shows the assertion's header and claims, its signature redacted.
    void privateKeyJwtClientCredentials()
    {
        const QString keyPath = m_files.filePath(QStringLiteral("client-es.pem"));
        QFile keyFile(keyPath);
        QVERIFY(keyFile.open(QIODevice::WriteOnly));
        keyFile.write(m_realm.clientEc.privatePem);
        keyFile.close();

        ui::EnvironmentDialog* dialog = newEnvironmentAtTheIssuer(
            QStringLiteral("oauth2-client"), QStringLiteral("Signed client"), QStringLiteral("keyway-pkjwt"));
        QVERIFY(dialog);
        QVERIFY(test::form::choose(dialog, QStringLiteral("field_client_auth"), QStringLiteral("private_key_jwt")));
        QVERIFY(test::form::type(dialog, QStringLiteral("key_id"), QStringLiteral("client-es")));
        QVERIFY(test::form::type(dialog, QStringLiteral("scope"), QStringLiteral("api:read")));
        QVERIFY(test::form::field(dialog, QStringLiteral("client_key")));
        auto* browse = test::form::field(dialog, QStringLiteral("client_key"))
                           ->findChild<QAction*>(QStringLiteral("browse_client_key"));
        QVERIFY(browse);
        // A file that is not a key is refused in words, and the field stays empty.
        const QString wrongPath = m_files.filePath(QStringLiteral("notes.pem"));
        QFile wrong(wrongPath);
        QVERIFY(wrong.open(QIODevice::WriteOnly));
        wrong.write("-----BEGIN CERTIFICATE-----\nnot a key\n-----END CERTIFICATE-----\n");
        wrong.close();
        ui::FileDialog::setNextAnswer(wrongPath);
        browse->trigger();
        QVERIFY(test::form::field(dialog, QStringLiteral("client_key"))->text().isEmpty());
        auto* status = dialog->findChild<QLabel*>(QStringLiteral("credentialStatus"));
        QVERIFY(status);
        QVERIFY2(status->isVisible() && status->text().contains(wrongPath), qPrintable(status->text()));

        ui::FileDialog::setNextAnswer(keyPath);
        browse->trigger();
        QVERIFY(
            test::form::field(dialog, QStringLiteral("client_key"))->text().startsWith(QStringLiteral("-----BEGIN")));
        QVERIFY(save(dialog, QStringLiteral("Signed client")));
        QFile::remove(keyPath); // the key lives in the keychain now

        QString request;
        QVERIFY(runShowsTheAssertion(QStringLiteral("keyway-pkjwt"), &request));
        QVERIFY(request.contains(QStringLiteral("\"alg\": \"ES256\"")));
        QVERIFY(request.contains(QStringLiteral("\"kid\": \"client-es\"")));
        QVERIFY(!request.contains(QStringLiteral("client_assertion=ey")));
        QVERIFY(!request.contains(test::pemCanary(m_realm.clientEc.privatePem)));
    }

    // The device grant with only the issuer: the user code panel, approved at the provider's own pages.
    void deviceGrantApprovedAtTheProvider()
    {
        ui::EnvironmentDialog* dialog = newEnvironmentAtTheIssuer(
            QStringLiteral("oauth2-device"), QStringLiteral("TV sign-in"), QStringLiteral("keyway-device"));
        QVERIFY(dialog);
        QVERIFY(test::form::choose(dialog, QStringLiteral("field_client_auth"), QStringLiteral("none")));
        QVERIFY(test::form::type(dialog, QStringLiteral("scope"), QStringLiteral("openid email")));
        QVERIFY(save(dialog, QStringLiteral("TV sign-in")));
        const QString device = m_window->currentEnvironmentId();

        FlowWalkthrough* walkthrough = m_window->walkthrough();
        QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
        QTest::mouseClick(walkthrough->findChild<QPushButton*>(QStringLiteral("runAllButton")), Qt::LeftButton);
        auto* wait = walkthrough->findChild<ui::SignInWait*>(QStringLiteral("browserWait"));
        QVERIFY(wait);
        QTRY_VERIFY_WITH_TIMEOUT(wait->isShowingDeviceCode(), 15000);
        auto* code = wait->findChild<QLabel*>(QStringLiteral("browserUserCode"));
        QVERIFY(code && code->isVisible() && code->text().size() >= 8);
        auto* address = wait->findChild<QLineEdit*>(QStringLiteral("browserVerificationField"));
        QVERIFY(address);
        QVERIFY2(address->text().startsWith(issuer() + QStringLiteral("/device")), qPrintable(address->text()));
        QVERIFY(wait->findChild<QLabel*>(QStringLiteral("browserQrCode"))->isVisible());

        // "Open in browser": the test's phone opens the complete URL and confirms the code.
        m_deviceUrl.clear();
        QTest::mouseClick(wait->findChild<QPushButton*>(QStringLiteral("browserOpenAddressButton")), Qt::LeftButton);
        QVERIFY(m_deviceUrl.isValid());
        QVERIFY2(QUrlQuery(m_deviceUrl).queryItemValue(QStringLiteral("user_code")) == code->text()
                     || m_deviceUrl.toString().contains(code->text()),
                 qPrintable(m_deviceUrl.toString()));
        QString error;
        const QString page = m_provider.submitDeviceForms(m_deviceUrl, true, &error);
        QVERIFY2(page.contains(QStringLiteral("Device approved")), qPrintable(error + page.left(300)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        rememberCapturedSecrets();
        QVERIFY2(finished.first().first().toBool(), qPrintable(walkthrough->statusText()));
        QVERIFY(!wait->isVisible());
        QVERIFY(walkthrough->capturedValues().contains(QStringLiteral("access_token")));
        auto* timeline = m_window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
        QTRY_COMPARE(timeline->laneState(MainWindow::laneId(device, QString(), QStringLiteral("device_code"))),
                     ui::TimelineWidget::LaneState::Consumed);
    }

    // Right click on the code environment's lanes: Introspect shows the provider's reply, Revoke draws the lane
    // revoked and the provider refuses the refresh token afterwards.
    void timelineIntrospectsAndRevokes()
    {
        QVERIFY(!m_codeEnvironment.isEmpty());
        m_window->selectEnvironment(m_codeEnvironment);
        Session* session = nullptr;
        QTRY_VERIFY((session = m_window->sessions()->find(m_codeEnvironment, QString())));
        const QString refreshToken = session->values().value(QStringLiteral("refresh_token")).value;
        QVERIFY2(refreshToken.size() >= 8, "the sign-in left no refresh token");
        const int introspections = m_provider.stats().value("introspection", 0);

        const QString accessLane = MainWindow::laneId(m_codeEnvironment, QString(), QStringLiteral("access_token"));
        QVERIFY(m_window->timelineModel()->entry(accessLane));
        QMessageBox* box = laneAction(accessLane, "introspectAction");
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("is active")), qPrintable(box->text()));
        QVERIFY2(box->detailedText().contains(QStringLiteral("\"active\": true")), qPrintable(box->detailedText()));
        QVERIFY(box->detailedText().contains(QStringLiteral("\"client_id\": \"keyway-public\"")));
        QVERIFY(m_provider.stats().value("introspection", 0) > introspections);
        box->close();
        QTRY_VERIFY(!m_window->findChild<QMessageBox*>(QStringLiteral("tokenLifecycleReply")));

        const QString refreshLane = MainWindow::laneId(m_codeEnvironment, QString(), QStringLiteral("refresh_token"));
        QVERIFY(m_window->timelineModel()->entry(refreshLane));
        const int revocations = m_provider.stats().value("revocation", 0);
        box = laneAction(refreshLane, "revokeAction");
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("revoked at the provider")), qPrintable(box->text()));
        QVERIFY(m_provider.stats().value("revocation", 0) > revocations);
        auto* timeline = m_window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
        QCOMPARE(timeline->laneState(refreshLane), ui::TimelineWidget::LaneState::Failed);
        QCOMPARE(timeline->countdownText(refreshLane), QStringLiteral("revoked"));
        box->close();

        // The provider itself now refuses the refresh token Keyway held.
        const auto refused = m_provider.refreshByHand(QStringLiteral("keyway-public"), refreshToken);
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.body.contains("invalid_grant"));
    }

    void tamperedIdTokenRefused_data()
    {
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<QStringList>("reason"); // what the status line must name
        QTest::newRow("wrong signature") << "signature" << QStringList {QStringLiteral("signature")};
        QTest::newRow("wrong aud") << "aud" << QStringList {QStringLiteral("aud"), QStringLiteral("keyway-public")};
        QTest::newRow("expired") << "exp" << QStringList {QStringLiteral("expired")};
        QTest::newRow("wrong nonce") << "nonce" << QStringList {QStringLiteral("nonce")};
    }

    // An ID token the provider tampered with (its signature, another audience, expired, another sign-in's nonce):
    // the walkthrough refuses the reply, marks the token step failed and says why.
    void tamperedIdTokenRefused()
    {
        QFETCH(QString, tamper);
        QFETCH(QStringList, reason);
        QVERIFY(!m_codeEnvironment.isEmpty());
        m_window->selectEnvironment(m_codeEnvironment);
        QVERIFY(m_provider.tamperNextIdToken(tamper));
        FlowWalkthrough* walkthrough = m_window->walkthrough();
        QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
        QTest::mouseClick(walkthrough->findChild<QPushButton*>(QStringLiteral("runAllButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QVERIFY(m_provider.tamperNextIdToken(QString()));
        rememberCapturedSecrets();
        QVERIFY(!finished.first().first().toBool());
        QCOMPARE(walkthrough->stepState(2), FlowWalkthrough::StepState::Failed);
        for (const QString& word : std::as_const(reason)) {
            QVERIFY2(walkthrough->statusText().contains(word), qPrintable(walkthrough->statusText()));
        }
        QVERIFY2(walkthrough->statusText().contains(QStringLiteral("ID token refused")),
                 qPrintable(walkthrough->statusText()));
    }

    // Client credentials with client_secret_jwt: the secret typed into the dialog signs an HS256 assertion; the
    // walkthrough shows it decoded, the signature redacted, and no widget shows the secret.
    void clientSecretJwtClientCredentials()
    {
        ui::EnvironmentDialog* dialog = newEnvironmentAtTheIssuer(
            QStringLiteral("oauth2-client"), QStringLiteral("Shared secret"), QStringLiteral("keyway-secret-jwt"));
        QVERIFY(dialog);
        QVERIFY(test::form::choose(dialog, QStringLiteral("field_client_auth"), QStringLiteral("client_secret_jwt")));
        QVERIFY(test::form::type(dialog, QStringLiteral("client_secret"), m_realm.jwtSecret));
        QCOMPARE(test::form::field(dialog, QStringLiteral("client_secret"))->echoMode(), QLineEdit::Password);
        QVERIFY(test::form::type(dialog, QStringLiteral("scope"), QStringLiteral("api:read")));
        QVERIFY(save(dialog, QStringLiteral("Shared secret")));

        QString request;
        QVERIFY(runShowsTheAssertion(QStringLiteral("keyway-secret-jwt"), &request));
        QVERIFY(request.contains(QStringLiteral("\"alg\": \"HS256\"")));
        for (const auto* view : m_window->walkthrough()->findChildren<QPlainTextEdit*>()) {
            QVERIFY2(!view->toPlainText().contains(m_realm.jwtSecret), qPrintable(view->objectName()));
        }
        // The Credentials tab may hold it for editing, masked; nothing shows it in clear.
        for (const auto* edit : m_window->findChildren<QLineEdit*>()) {
            QVERIFY2(edit->echoMode() != QLineEdit::Normal || !edit->text().contains(m_realm.jwtSecret),
                     qPrintable(edit->objectName()));
        }
    }

    // The provider rotates its signing key. The next sign-in's ID token names a kid the cached key set lacks:
    // Keyway fetches the key set again once and says which key verified it; the JWT view agrees. A kid nobody
    // publishes is refused after one refetch, in words.
    void keyRotationVerifiesWithTheNewKey()
    {
        QVERIFY(!m_codeEnvironment.isEmpty());
        m_window->selectEnvironment(m_codeEnvironment);
        QVERIFY(m_provider.rotateKeys({{{"kid", "sig-2"}, {"pem", m_realm.signing2.privatePem.toStdString()}},
                                       {{"kid", "sig-1"}, {"pem", m_realm.signing.privatePem.toStdString()}}}));
        int jwks = m_provider.stats().value("jwks", 0);
        const bool signedIn = runWalkthrough();
        const QString reply = tokenStepReply();
        QVERIFY2(signedIn, qPrintable(reply));
        QVERIFY2(reply.contains(QStringLiteral("ID token verified with key sig-2")), qPrintable(reply));
        const int refetched = m_provider.stats().value("jwks", 0) - jwks;
        QVERIFY2(refetched >= 1 && refetched <= 2, qPrintable(QString::number(refetched)));

        // The Requests tab's JWT view knows the new key from the same per-issuer cache.
        const QString idToken = m_window->walkthrough()->capturedValues().value(QStringLiteral("id_token")).value;
        auto* requests = m_window->findChild<ui::ResponseInspector*>();
        auto* jwt = m_window->findChild<ui::JwtView*>();
        QVERIFY(requests && jwt && requests->decodeJwt(idToken));
        QTRY_VERIFY2_WITH_TIMEOUT(
            jwt->signatureText().contains(QStringLiteral("verified with key sig-2 of %1").arg(issuer())),
            qPrintable(jwt->signatureText()),
            15000);

        jwks = m_provider.stats().value("jwks", 0);
        QVERIFY(m_provider.tamperNextIdToken(QStringLiteral("unknown_kid")));
        const bool refused = !runWalkthrough();
        QVERIFY(m_provider.tamperNextIdToken(QString()));
        QVERIFY(m_provider.rotateKeys({{{"kid", "sig-1"}, {"pem", m_realm.signing.privatePem.toStdString()}}}));
        QVERIFY(refused);
        const QString status = m_window->walkthrough()->statusText();
        QVERIFY2(status.contains(QStringLiteral("signed with key kid-nobody-published, which the issuer's JWKS does "
                                                "not list")),
                 qPrintable(status));
        QVERIFY2(m_provider.stats().value("jwks", 0) - jwks <= 2, "one unknown kid made more than one refetch");
    }

    // "Check provider" against the certified provider: the seven contract checks pass, and the checks its
    // discovery document adds (ID tokens, revocation) appear under their own names and pass.
    void checkProviderPassesEveryCheck()
    {
        ui::EnvironmentDialog* dialog = newEnvironmentAtTheIssuer(
            QStringLiteral("oauth2-code"), QStringLiteral("Checked IdP"), QStringLiteral("keyway-public"));
        QVERIFY(dialog);
        QVERIFY(test::form::choose(dialog, QStringLiteral("field_client_auth"), QStringLiteral("none")));
        QVERIFY(test::form::type(dialog, QStringLiteral("scope"), QStringLiteral("openid offline_access")));
        QVERIFY(test::form::type(dialog, QStringLiteral("probe_path"), QStringLiteral("/api/whoami")));
        QVERIFY(save(dialog, QStringLiteral("Checked IdP")));

        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        auto* page = m_window->findChild<ui::ConformancePage*>(QStringLiteral("conformancePage"));
        QVERIFY(tabs && page);
        tabs->setCurrentWidget(page);
        auto* run = page->findChild<QPushButton*>(QStringLiteral("conformRunButton"));
        QVERIFY(run && run->isEnabled());
        QSignalSpy finished(page, &ui::ConformancePage::finished);
        const int revocations = m_provider.stats().value("revocation", 0);
        ui::MessageBox::setNextAnswer(QMessageBox::Yes);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(page->isRunning());
        QVERIFY(finished.wait(90000));
        const QString screenshot = qEnvironmentVariable("KEYWAY_TEST_SCREENSHOT");
        if (!screenshot.isEmpty()) { // beside the walkthrough's: the nine rows (docs/testing.md: screenshots)
            QTest::qWait(300);
            QVERIFY(m_window->grab().save(
                QString(screenshot).replace(QStringLiteral(".png"), QStringLiteral("-checks.png"))));
        }
        auto* tree = page->findChild<QTreeWidget*>(QStringLiteral("conformChecks"));
        QStringList rows;
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            rows << tree->topLevelItem(i)->data(0, Qt::UserRole).toString() + QLatin1Char(' ')
                    + tree->topLevelItem(i)->text(1) + QLatin1Char(' ') + tree->topLevelItem(i)->text(2);
        }
        QVERIFY2(finished.first().first().toBool(), qPrintable(rows.join(QLatin1Char('\n'))));
        QStringList expected = ConformanceRun::checkNames();
        expected << QStringLiteral("id_token") << QStringLiteral("revocation");
        for (const QString& name : std::as_const(expected)) {
            QVERIFY2(page->checkState(name) == ui::ConformancePage::CheckState::Passed,
                     qPrintable(name + QLatin1Char('\n') + rows.join(QLatin1Char('\n'))));
        }
        // The capability rows come after the seven contract rows, under their own names, with a title that says
        // what they prove.
        QCOMPARE(tree->topLevelItemCount(), expected.size());
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem* row = tree->topLevelItem(i);
            QVERIFY2(row->text(0) != row->data(0, Qt::UserRole).toString(), qPrintable(row->text(0)));
            QCOMPARE(row->toolTip(0), row->data(0, Qt::UserRole).toString());
        }
        for (int i = 0; i < ConformanceRun::checkNames().size(); ++i) {
            QCOMPARE(tree->topLevelItem(i)->data(0, Qt::UserRole).toString(), ConformanceRun::checkNames().at(i));
        }
        QVERIFY2(page->statusText().startsWith(QStringLiteral("All 9 checks passed")), qPrintable(page->statusText()));
        QVERIFY2(page->checkDetail(QStringLiteral("id_token")).contains(QStringLiteral("key sig-1")),
                 qPrintable(page->checkDetail(QStringLiteral("id_token"))));
        QVERIFY(m_provider.stats().value("revocation", 0) > revocations); // the revocation check revoked for real
        QVERIFY(m_browser.lastResult().sawLoginPage); // prompt=login reached the provider's login page
        tabs->setCurrentWidget(m_window->walkthrough());
    }
};

QTEST_MAIN(TestOidcProviderUi)
#include "tst_oidc_provider_ui.moc"
