// Issue 17 from the GUI against the embedded sandbox's OpenID side, offscreen, as a user does it: an
// environment made in the environment dialog (issuer, Discover endpoints, a client secret typed in, client
// authentication client_secret_jwt), the Flow tab's Run with the sign-in completed by the test's browser, a key
// rotation at the sandbox, Introspect / Revoke from the timeline's lane menu, and the Check provider tab with
// the capability checks the sandbox's discovery document advertises (id_token, revocation), also with the
// revocation endpoint broken by the sandbox's revoke_ignored fault.
#include "core/checks/ConformanceRun.h"
#include "core/crypto/Jws.h"
#include "core/sandbox/SandboxServer.h"
#include "core/session/Session.h"
#include "core/session/SessionRegistry.h"
#include "core/util/Translations.h"
#include "tests/support/SandboxBrowser.h"
#include "tests/support/ui/FormDriver.h"
#include "tests/support/ui/SandboxApp.h"
#include "ui/MainWindow.h"
#include "ui/checks/ConformancePage.h"
#include "ui/common/MessageBox.h"
#include "ui/environments/EnvironmentDialog.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/inspector/JwtView.h"
#include "ui/inspector/ResponseInspector.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUrlQuery>

#include <memory>

using namespace keyway;
using keyway::ui::ConformancePage;
using keyway::ui::FlowWalkthrough;
using keyway::ui::MainWindow;

namespace {

const QString kCodeProvider = QStringLiteral("oauth2-code");

} // namespace

class TestOidcSandboxUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;
    test::SandboxApp m_app;
    test::SandboxBrowser m_browser;
    QString m_environment; // made in the dialog by the first test
    QString m_clientId;
    QString m_clientSecret;
    QString m_firstKid; // the sandbox's signing key before the rotation

    QString issuer() const { return m_app.sandbox->demoProvider(kCodeProvider)->baseUrl.toString(); }

    // The sandbox's key set, read by the test (what the provider publishes now).
    QStringList publishedKids()
    {
        QNetworkAccessManager nam;
        const auto reply = test::httpExchange(nam, "GET", QUrl(issuer() + QStringLiteral("/jwks")));
        const auto doc = nlohmann::json::parse(reply.body.toStdString(), nullptr, false);
        QStringList kids;
        if (doc.is_object() && doc.contains("keys")) {
            for (const auto& key : doc.at("keys")) {
                kids.append(QString::fromStdString(key.value("kid", "")));
            }
        }
        return kids;
    }

    // The Flow tab's "Run all", as the user clicks it; true when the flow succeeded.
    bool runWalkthrough()
    {
        FlowWalkthrough* walkthrough = m_app.window->walkthrough();
        m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"))->setCurrentWidget(walkthrough);
        QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
        auto* run = walkthrough->findChild<QPushButton*>(QStringLiteral("runAllButton"));
        if (!run || !run->isEnabled()) {
            qWarning("Run all is not there or disabled");
            return false;
        }
        QTest::mouseClick(run, Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return finished.size() == 1; }, 20000)) {
            qWarning("the walkthrough did not finish: %s", qPrintable(walkthrough->statusText()));
            return false;
        }
        if (!finished.first().first().toBool()) {
            qWarning("the walkthrough failed: %s", qPrintable(walkthrough->statusText()));
            return false;
        }
        return true;
    }

    QString stepText(int row, const char* view)
    {
        auto* steps = m_app.window->walkthrough()->findChild<QListWidget*>(QStringLiteral("flowSteps"));
        steps->setCurrentRow(row);
        QCoreApplication::processEvents();
        return m_app.window->walkthrough()->findChild<QPlainTextEdit*>(QString::fromLatin1(view))->toPlainText();
    }

    QString kidOf(const QString& jwt)
    {
        const auto parts = crypto::JwsParts::parse(jwt);
        return parts ? QString::fromStdString(parts->header.value("kid", "")) : QString();
    }

    // Right click on a lane of the timeline and pick `action` (introspectAction / revokeAction); returns the
    // provider's reply box.
    QMessageBox* laneAction(const QString& lane, const char* action)
    {
        auto* timeline = m_app.window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
        const QPoint at = timeline->laneBarRect(lane).center();
        QContextMenuEvent rightClick(QContextMenuEvent::Mouse, at, timeline->mapToGlobal(at));
        QApplication::sendEvent(timeline, &rightClick);
        QMenu* menu = nullptr;
        if (!QTest::qWaitFor(
                [&] { return (menu = m_app.window->findChild<QMenu*>(QStringLiteral("timelineLaneMenu"))); }, 5000)) {
            qWarning("no menu on lane %s", qPrintable(lane));
            return nullptr;
        }
        auto* chosen = menu->findChild<QAction*>(QString::fromLatin1(action));
        if (!chosen || !chosen->isEnabled()) {
            qWarning("no enabled %s on lane %s", action, qPrintable(lane));
            return nullptr;
        }
        chosen->trigger();
        menu->close();
        QMessageBox* box = nullptr;
        (void)QTest::qWaitFor(
            [&] { return (box = m_app.window->findChild<QMessageBox*>(QStringLiteral("tokenLifecycleReply"))); },
            15000);
        return box;
    }

    // The token endpoint as the confidential client, by hand: what the sandbox now says about a refresh token.
    test::HttpExchange refreshByHand(const QString& refreshToken)
    {
        QNetworkAccessManager nam;
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("client_id"), m_clientId);
        form.addQueryItem(QStringLiteral("client_secret"), m_clientSecret);
        form.addQueryItem(QStringLiteral("refresh_token"), refreshToken);
        return test::httpExchange(nam,
                                  "POST",
                                  QUrl(issuer() + QStringLiteral("/oauth/token")),
                                  form.query(QUrl::FullyEncoded).toUtf8(),
                                  {{"Content-Type", "application/x-www-form-urlencoded"}});
    }

    ConformancePage* conformancePage() const
    {
        return m_app.window->findChild<ConformancePage*>(QStringLiteral("conformancePage"));
    }

    QTreeWidget* checkTree() const
    {
        return conformancePage()->findChild<QTreeWidget*>(QStringLiteral("conformChecks"));
    }

    // Check provider: the tab, Run, the confirmation answered Yes; the page's verdict.
    bool runChecks()
    {
        m_app.window->selectEnvironment(m_environment);
        ConformancePage* page = conformancePage();
        m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"))->setCurrentWidget(page);
        auto* run = page->findChild<QPushButton*>(QStringLiteral("conformRunButton"));
        if (!run->isEnabled()) {
            qWarning("Run is disabled: %s", qPrintable(page->statusText()));
            return false;
        }
        QSignalSpy finished(page, &ConformancePage::finished);
        ui::MessageBox::setNextAnswer(QMessageBox::Yes);
        QTest::mouseClick(run, Qt::LeftButton);
        if (!finished.wait(60000)) {
            qWarning("the checks did not finish: %s", qPrintable(page->statusText()));
            return false;
        }
        return finished.first().first().toBool();
    }

    void assertSecretInNoWidget()
    {
        QVERIFY(m_clientSecret.size() >= 8);
        for (const QString& text : test::visibleTexts(m_app.window.get())) {
            QVERIFY2(!text.contains(m_clientSecret), "the client secret is shown in a widget");
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        test::isolateApplication(m_config.path(), QStringLiteral("keyway-test-oidc-sandbox-ui"));
        if (qEnvironmentVariableIsSet("KEYWAY_TEST_SCREENSHOT")) {
            Translations::install(*QCoreApplication::instance()); // the language of LANG, as the app does
        }
        QVERIFY(m_app.start(QSize(1024, 700)));
        const auto demo = m_app.sandbox->demoProvider(kCodeProvider);
        QVERIFY(demo);
        m_clientId = demo->credential(QStringLiteral("client_id"));
        m_clientSecret = demo->credential(QStringLiteral("client_secret"));
        // The user's browser: signs in with the demo user and follows the redirect to Keyway's listener.
        const auto opener = [this](const QUrl& url) {
            m_browser.opener(true)(url);
            return true;
        };
        m_app.window->walkthrough()->setUrlOpener(opener);
        m_app.window->sessions()->setUrlOpener(opener);
        conformancePage()->setBrowserTimeoutMs(10000);
        conformancePage()->setUrlOpener(opener);
    }

    void cleanupTestCase() { m_app.stop(); }

    void cleanup()
    {
        for (const QString& fault : m_app.sandbox->activeFaults(kCodeProvider)) {
            m_app.sandbox->setFault(kCodeProvider, fault, false);
        }
        for (auto* dialog : m_app.window->findChildren<ui::EnvironmentDialog*>()) {
            dialog->close();
            delete dialog;
        }
    }

    // client_secret_jwt typed into the environment dialog: the walkthrough's token step shows the assertion
    // decoded (HS256, the sandbox's token endpoint as aud), its signature redacted; the secret is in no widget.
    void clientSecretJwtFromTheDialog()
    {
        auto* action = m_app.window->findChild<QAction*>(QStringLiteral("newEnvironmentAction"));
        QVERIFY(action && action->isEnabled());
        action->trigger();
        ui::EnvironmentDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_app.window->findChild<ui::EnvironmentDialog*>()) && dialog->isVisible());
        QVERIFY(test::form::choose(dialog, QStringLiteral("providerCombo"), kCodeProvider));
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("nameEdit")), QStringLiteral("Sandbox IdP"));
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("baseUrlEdit")), issuer());
        QVERIFY(test::form::type(dialog, QStringLiteral("issuer"), issuer()));
        auto* discover = dialog->findChild<QPushButton*>(QStringLiteral("discoverButton"));
        auto* result = dialog->findChild<QLabel*>(QStringLiteral("discoveryResult"));
        QVERIFY(discover && result);
        QTest::mouseClick(discover, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("revocation_url")), 10000);
        QCOMPARE(test::form::field(dialog, QStringLiteral("token_url"))->text(),
                 issuer() + QStringLiteral("/oauth/token"));
        QCOMPARE(test::form::field(dialog, QStringLiteral("revocation_url"))->text(),
                 issuer() + QStringLiteral("/revoke"));
        QCOMPARE(test::form::field(dialog, QStringLiteral("introspection_url"))->text(),
                 issuer() + QStringLiteral("/introspect"));
        QVERIFY(test::form::type(dialog, QStringLiteral("client_id"), m_clientId));
        QVERIFY(test::form::type(dialog, QStringLiteral("client_secret"), m_clientSecret));
        QVERIFY(test::form::field(dialog, QStringLiteral("client_secret"))->echoMode() != QLineEdit::Normal);
        QVERIFY(test::form::choose(dialog, QStringLiteral("field_client_auth"), QStringLiteral("client_secret_jwt")));
        QVERIFY(test::form::type(dialog, QStringLiteral("scope"), QStringLiteral("openid read")));
        QVERIFY(test::form::type(dialog, QStringLiteral("probe_path"), QStringLiteral("/api/me")));

        QPointer<ui::EnvironmentDialog> guard(dialog);
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("dialogSaveButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!guard || !guard->isVisible(), 10000);
        QTRY_VERIFY([&] {
            const auto* environment = m_app.window->environmentStore().findById(m_app.window->currentEnvironmentId());
            return environment && environment->name == QLatin1String("Sandbox IdP");
        }());
        m_environment = m_app.window->currentEnvironmentId();

        const int tokensBefore = m_app.sandbox->tokenRequestCount(kCodeProvider);
        QVERIFY(runWalkthrough());
        QVERIFY(m_app.sandbox->tokenRequestCount(kCodeProvider) > tokensBefore);
        FlowWalkthrough* walkthrough = m_app.window->walkthrough();
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(walkthrough->stepState(i), FlowWalkthrough::StepState::Succeeded);
        }
        const QString request = stepText(2, "requestView");
        QVERIFY2(request.contains(QStringLiteral("Client assertion (signature redacted)")), qPrintable(request));
        QVERIFY(request.contains(QStringLiteral("\"alg\": \"HS256\"")));
        QVERIFY(request.contains(QStringLiteral("\"iss\": \"%1\"").arg(m_clientId)));
        QVERIFY(request.contains(QStringLiteral("\"sub\": \"%1\"").arg(m_clientId)));
        QVERIFY(request.contains(QStringLiteral("\"aud\": \"%1/oauth/token\"").arg(issuer())));
        QVERIFY(request.contains(QStringLiteral("\"signature\": \"[redacted]\"")));
        QVERIFY(!request.contains(QStringLiteral("client_assertion=ey")));
        QVERIFY(!request.contains(QStringLiteral("client_secret=")));

        // The ID token was verified against the sandbox's one published key.
        const QStringList kids = publishedKids();
        QCOMPARE(kids.size(), 1);
        m_firstKid = kids.first();
        const QString reply = stepText(2, "replyView");
        QVERIFY2(reply.contains(QStringLiteral("ID token verified with key %1:").arg(m_firstKid)), qPrintable(reply));
        assertSecretInNoWidget();
    }

    // rotate_keys at the sandbox: the next sign-in's ID token names a key the cached set lacks, so the set is
    // fetched again, once; the Requests tab's JWT view verifies the new token from that set.
    void keyRotationRefetchesTheKeySetOnce()
    {
        QVERIFY(!m_environment.isEmpty() && !m_firstKid.isEmpty());
        m_app.window->selectEnvironment(m_environment);
        QVERIFY(m_app.sandbox->setFault(kCodeProvider, QStringLiteral("rotate_keys"), true));
        const int fetchesBefore = m_app.sandbox->jwksRequestCount(kCodeProvider);
        QVERIFY(runWalkthrough());
        QCOMPARE(m_app.sandbox->jwksRequestCount(kCodeProvider), fetchesBefore + 1);

        const QString idToken = m_app.window->walkthrough()->capturedValues().value(QStringLiteral("id_token")).value;
        const QString newKid = kidOf(idToken);
        QVERIFY(!newKid.isEmpty());
        QVERIFY(newKid != m_firstKid);
        const QString reply = stepText(2, "replyView");
        QVERIFY2(reply.contains(QStringLiteral("ID token verified with key %1:").arg(newKid)), qPrintable(reply));

        // The user opens the Requests tab and decodes the new token: verified with the new key, from the set
        // fetched at the rotation (no further fetch).
        auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        auto* requests = m_app.window->findChild<ui::ResponseInspector*>();
        QVERIFY(requests);
        for (int i = 0; i < tabs->count(); ++i) {
            if (tabs->widget(i)->isAncestorOf(requests)) {
                tabs->setCurrentIndex(i);
            }
        }
        QVERIFY(requests->isVisible());
        auto* jwt = m_app.window->findChild<ui::JwtView*>();
        QVERIFY(jwt);
        QVERIFY(requests->decodeJwt(idToken));
        QTRY_VERIFY2_WITH_TIMEOUT(jwt->signatureText()
                                      == QStringLiteral("signature verified with key %1 of %2").arg(newKid, issuer()),
                                  qPrintable(jwt->signatureText()),
                                  10000);
        QCOMPARE(m_app.sandbox->jwksRequestCount(kCodeProvider), fetchesBefore + 1);
        // What the sandbox publishes now is exactly the key the walkthrough and the view named.
        QCOMPARE(publishedKids(), QStringList {newKid});
        tabs->setCurrentWidget(m_app.window->walkthrough());
    }

    // Right click on the environment's lanes: Introspect shows the sandbox's "active", Revoke draws the lane
    // revoked and the sandbox refuses the refresh token afterwards.
    void timelineIntrospectsAndRevokes()
    {
        QVERIFY(!m_environment.isEmpty());
        m_app.window->selectEnvironment(m_environment);
        Session* session = nullptr;
        QTRY_VERIFY((session = m_app.window->sessions()->find(m_environment, QString())));
        const QString refreshToken = session->values().value(QStringLiteral("refresh_token")).value;
        QVERIFY2(refreshToken.size() >= 8, "the sign-in left no refresh token");

        const QString accessLane = MainWindow::laneId(m_environment, QString(), QStringLiteral("access_token"));
        QTRY_VERIFY(m_app.window->timelineModel()->entry(accessLane));
        QMessageBox* box = laneAction(accessLane, "introspectAction");
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("is active")), qPrintable(box->text()));
        QVERIFY2(box->detailedText().contains(QStringLiteral("\"active\": true")), qPrintable(box->detailedText()));
        QVERIFY(box->detailedText().contains(QStringLiteral("\"client_id\": \"%1\"").arg(m_clientId)));
        box->close();
        QTRY_VERIFY(!m_app.window->findChild<QMessageBox*>(QStringLiteral("tokenLifecycleReply")));

        const QString refreshLane = MainWindow::laneId(m_environment, QString(), QStringLiteral("refresh_token"));
        QVERIFY(m_app.window->timelineModel()->entry(refreshLane));
        box = laneAction(refreshLane, "revokeAction");
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("revoked at the provider")), qPrintable(box->text()));
        auto* timeline = m_app.window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
        QCOMPARE(timeline->laneState(refreshLane), ui::TimelineWidget::LaneState::Failed);
        QCOMPARE(timeline->countdownText(refreshLane), QStringLiteral("revoked"));
        box->close();

        // Revoking the refresh token ended the grant's access token too (RFC 7009 §2.1): Introspect says so.
        QTRY_VERIFY(!m_app.window->findChild<QMessageBox*>(QStringLiteral("tokenLifecycleReply")));
        box = laneAction(accessLane, "introspectAction");
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("is not active")), qPrintable(box->text()));
        QVERIFY2(box->detailedText().contains(QStringLiteral("\"active\": false")), qPrintable(box->detailedText()));
        // ... and the lane stops promising the hour it was issued for.
        QCOMPARE(timeline->laneState(accessLane), ui::TimelineWidget::LaneState::Failed);
        QCOMPARE(timeline->countdownText(accessLane), QStringLiteral("revoked or failed"));
        box->close();

        // The sandbox itself now refuses the refresh token Keyway held.
        const auto refused = refreshByHand(refreshToken);
        QCOMPARE(refused.status, 400);
        QVERIFY2(refused.body.contains("invalid_grant"), refused.body.constData());
        assertSecretInNoWidget();
    }

    // Check provider on the environment whose issuer is the sandbox: discovery advertises ID tokens and
    // revocation, so id_token and revocation follow the seven under their own names and pass.
    void checkProviderAddsCapabilityChecks()
    {
        QVERIFY(!m_environment.isEmpty());
        QVERIFY2(runChecks(), qPrintable(conformancePage()->statusText()));
        ConformancePage* page = conformancePage();
        QTreeWidget* tree = checkTree();
        const QStringList seven = ConformanceRun::checkNames();
        QCOMPARE(tree->topLevelItemCount(), seven.size() + 2);
        for (int i = 0; i < seven.size(); ++i) {
            QCOMPARE(tree->topLevelItem(i)->data(0, Qt::UserRole).toString(), seven.at(i));
            QCOMPARE(page->checkState(seven.at(i)), ConformancePage::CheckState::Passed);
        }
        // After the seven, in the order they ran: the ID token with the first sign-in, revocation last.
        QCOMPARE(tree->topLevelItem(seven.size())->data(0, Qt::UserRole).toString(), QStringLiteral("id_token"));
        QCOMPARE(tree->topLevelItem(seven.size() + 1)->data(0, Qt::UserRole).toString(), QStringLiteral("revocation"));
        for (const QString& name : ConformanceRun::capabilityCheckNames()) {
            QCOMPARE(page->checkState(name), ConformancePage::CheckState::Passed);
        }
        // Each under a title that says what was checked, its contract name in the tooltip.
        QCOMPARE(tree->topLevelItem(seven.size())->text(0),
                 QStringLiteral("ID token validates (the provider advertises ID tokens)"));
        QCOMPARE(tree->topLevelItem(seven.size() + 1)->text(0),
                 QStringLiteral("A revoked refresh token no longer refreshes (the provider revokes tokens)"));
        QCOMPARE(tree->topLevelItem(seven.size() + 1)->toolTip(0), QStringLiteral("revocation"));
        QVERIFY2(page->checkDetail(QStringLiteral("id_token")).contains(QStringLiteral("signature")),
                 qPrintable(page->checkDetail(QStringLiteral("id_token"))));
        QVERIFY2(page->checkDetail(QStringLiteral("revocation")).contains(QStringLiteral("was refused")),
                 qPrintable(page->checkDetail(QStringLiteral("revocation"))));
        QCOMPARE(page->statusText(), QStringLiteral("All 9 checks passed."));
        QVERIFY(page->logText().contains(QStringLiteral("PASS revocation")));
        assertSecretInNoWidget();
    }

    // revoke_ignored: the revocation endpoint says 200 and revokes nothing. Exactly the revocation row fails,
    // with its evidence; the seven and id_token stay as they were.
    void brokenRevocationFailsOnlyItsRow()
    {
        QVERIFY(!m_environment.isEmpty());
        QVERIFY(m_app.sandbox->setFault(kCodeProvider, QStringLiteral("revoke_ignored"), true));
        QVERIFY(!runChecks());
        const QString screenshot = qEnvironmentVariable("KEYWAY_TEST_SCREENSHOT");
        if (!screenshot.isEmpty()) {
            // The nine rows, the failed one selected with its evidence (docs/testing.md: screenshots).
            QTest::qWait(300);
            QVERIFY(m_app.window->grab().save(screenshot));
        }
        ConformancePage* page = conformancePage();
        QTreeWidget* tree = checkTree();
        const QStringList seven = ConformanceRun::checkNames();
        QCOMPARE(tree->topLevelItemCount(), seven.size() + 2);
        for (const QString& name : seven) {
            QCOMPARE(page->checkState(name), ConformancePage::CheckState::Passed);
        }
        QCOMPARE(page->checkState(QStringLiteral("id_token")), ConformancePage::CheckState::Passed);
        QCOMPARE(page->checkState(QStringLiteral("revocation")), ConformancePage::CheckState::Failed);
        QTreeWidgetItem* row = tree->topLevelItem(seven.size() + 1);
        QCOMPARE(row->data(0, Qt::UserRole).toString(), QStringLiteral("revocation"));
        QCOMPARE(row->text(1), QStringLiteral("FAIL"));
        QVERIFY2(row->text(2).contains(QStringLiteral("the revoked refresh token still refreshes")),
                 qPrintable(row->text(2)));
        // The failed row is selected and its evidence spelled out below the list.
        QCOMPARE(tree->currentItem(), row);
        auto* detail = page->findChild<QLabel*>(QStringLiteral("conformCheckDetail"));
        QVERIFY2(detail->text().contains(QStringLiteral("still refreshes")), qPrintable(detail->text()));
        // Below the list, not over its last rows, in a window of 1024 x 700.
        QVERIFY2(detail->geometry().top() > tree->geometry().bottom(),
                 qPrintable(QStringLiteral("detail at y %1, list down to y %2")
                                .arg(detail->geometry().top())
                                .arg(tree->geometry().bottom())));
        QCOMPARE(page->statusText(),
                 QStringLiteral("8 of 9 checks passed; 1 failed. Select a failed check to see why."));
        QVERIFY(page->logText().contains(QStringLiteral("FAIL revocation")));
        assertSecretInNoWidget();
    }
};

QTEST_MAIN(TestOidcSandboxUi)
#include "tst_oidc_sandbox_ui.moc"
