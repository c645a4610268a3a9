// The "Check provider" and "Webhooks" tabs, offscreen, against the in-process sandbox through the
// main window's own wiring (demo environments, secrets in a MemorySecretStore): a well-behaved
// authorization-code provider shows seven passing checks; revoke_on_refresh shows
// refresh_keeps_old_token failed with its evidence; the Seismic webhook sample verifies, a tampered
// body does not; no secret ever appears in a widget of either page.
#include "core/checks/ConformanceRun.h"
#include "core/sandbox/SandboxServer.h"
#include "tests/support/SandboxBrowser.h"
#include "tests/support/ui/FormDriver.h"
#include "tests/support/ui/SandboxApp.h"
#include "ui/MainWindow.h"
#include "ui/checks/CheckColors.h"
#include "ui/checks/ConformancePage.h"
#include "ui/checks/WebhookPage.h"
#include "ui/common/MessageBox.h"

#include <QAbstractButton>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <memory>

using namespace keyway;
using keyway::ui::ConformancePage;
using keyway::ui::MainWindow;
using keyway::ui::MessageBox;
using keyway::ui::WebhookPage;

class TestChecks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void tabsReachBothPages();
    void wellBehavedProviderPassesAllSevenChecks();
    void revokeOnRefreshFailsRefreshKeepsOldToken();
    void declinedConfirmationStartsNothing();
    void cancelWhileWaitingForTheBrowser();
    void webhookSampleIsValidAndTamperedBodyMismatches();
    void webhookNeedsAProviderWithAWebhookSecret();
    void lockedKeychainIsSaidAndNothingIsSent();

private:
    QString environmentOf(const QString& providerId) const;
    ConformancePage* conformancePage() const;
    WebhookPage* webhookPage() const;
    QTreeWidgetItem* checkRow(const QString& name) const;
    void runConformance(bool expectAllPassed);
    void assertNoSecretIn(const QWidget* root) const;

    QTemporaryDir m_config;
    test::SandboxApp m_app;
    std::unique_ptr<test::SandboxBrowser> m_browser;
    QStringList m_browserWaitShown; // the waiting banner's text each time the browser was opened
};

void TestChecks::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateApplication(m_config.path(), QStringLiteral("keyway-test-checks"));
}

void TestChecks::init()
{
    m_browser = std::make_unique<test::SandboxBrowser>();
    m_browserWaitShown.clear();
    QVERIFY(m_app.start(QSize(1280, 800)));
    QTRY_VERIFY(!environmentOf(QStringLiteral("oauth2-code")).isEmpty());

    // The user's browser: signs in with the demo user and follows the redirect to Keyway's
    // loopback listener. It starts a moment later, as a real one would, so the page's
    // "waiting for the browser" state can be seen first.
    ConformancePage* page = conformancePage();
    QVERIFY(page);
    page->setBrowserTimeoutMs(10000);
    page->setUrlOpener([this, page](const QUrl& url) {
        QTimer::singleShot(0, m_browser.get(), [this, page, url] {
            auto* frame = page->findChild<QFrame*>(QStringLiteral("conformBrowserWait"));
            auto* label = page->findChild<QLabel*>(QStringLiteral("conformBrowserWaitLabel"));
            m_browserWaitShown.append(frame->isVisible() ? label->text() : QString());
            m_browser->opener(true)(url);
        });
        return true;
    });
}

void TestChecks::cleanup()
{
    m_app.window.reset();
    m_browser.reset();
    m_app.stop();
}

QString TestChecks::environmentOf(const QString& providerId) const
{
    for (const Environment& environment : m_app.window->environmentStore().environments()) {
        if (environment.providerId == providerId) {
            return environment.id;
        }
    }
    return {};
}

ConformancePage* TestChecks::conformancePage() const
{
    return m_app.window->findChild<ConformancePage*>(QStringLiteral("conformancePage"));
}

WebhookPage* TestChecks::webhookPage() const
{
    return m_app.window->findChild<WebhookPage*>(QStringLiteral("webhookPage"));
}

QTreeWidgetItem* TestChecks::checkRow(const QString& name) const
{
    auto* tree = conformancePage()->findChild<QTreeWidget*>(QStringLiteral("conformChecks"));
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        if (tree->topLevelItem(i)->data(0, Qt::UserRole).toString() == name) {
            return tree->topLevelItem(i);
        }
    }
    return nullptr;
}

// Selects the oauth2-code environment, opens the tab, presses Run, confirms, and waits for the end.
void TestChecks::runConformance(bool expectAllPassed)
{
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("oauth2-code")));
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    ConformancePage* page = conformancePage();
    tabs->setCurrentWidget(page);
    auto* run = page->findChild<QPushButton*>(QStringLiteral("conformRunButton"));
    QVERIFY(run->isEnabled());
    QSignalSpy finished(page, &ConformancePage::finished);
    MessageBox::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(run, Qt::LeftButton);
    // The confirmation named the risk before anything was sent.
    QVERIFY2(MessageBox::lastText().contains(QStringLiteral("revoke the whole grant")),
             qPrintable(MessageBox::lastText()));
    QVERIFY(page->isRunning());
    QVERIFY(!run->isEnabled());
    QVERIFY(page->findChild<QPushButton*>(QStringLiteral("conformCancelButton"))->isEnabled());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toBool(), expectAllPassed);
    QVERIFY(!page->isRunning());
    QVERIFY(run->isEnabled());
}

void TestChecks::assertNoSecretIn(const QWidget* root) const
{
    const QStringList texts = test::visibleTexts(root);
    for (const sandbox::DemoProvider& demo : m_app.sandbox->demoProviders()) {
        for (const auto& [key, value] : demo.credentials) {
            if (!key.contains(QLatin1String("secret"), Qt::CaseInsensitive) || value.isEmpty()) {
                continue;
            }
            for (const QString& text : texts) {
                QVERIFY2(!text.contains(value),
                         qPrintable(QStringLiteral("%1 shown in %2").arg(key, root->objectName())));
            }
        }
    }
}

void TestChecks::tabsReachBothPages()
{
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    QVERIFY(tabs->indexOf(conformancePage()) >= 0);
    QVERIFY(tabs->indexOf(webhookPage()) >= 0);
    QCOMPARE(tabs->tabText(tabs->indexOf(conformancePage())), QStringLiteral("Check pro&vider"));
    // The seven checks are listed before any run, under their contract names, none run yet.
    for (const QString& name : ConformanceRun::checkNames()) {
        QVERIFY2(checkRow(name), qPrintable(name));
        QCOMPARE(conformancePage()->checkState(name), ConformancePage::CheckState::Pending);
    }
}

void TestChecks::wellBehavedProviderPassesAllSevenChecks()
{
    runConformance(true);
    ConformancePage* page = conformancePage();
    for (const QString& name : ConformanceRun::checkNames()) {
        QTreeWidgetItem* row = checkRow(name);
        QCOMPARE(page->checkState(name), ConformancePage::CheckState::Passed);
        QCOMPARE(row->text(1), QStringLiteral("pass"));
        QVERIFY2(!row->text(2).isEmpty(), qPrintable(name)); // the evidence is shown
        QCOMPARE(row->foreground(1).color(), ui::checkToneColor(page->palette(), ui::CheckTone::Pass));
    }
    QCOMPARE(page->statusText(), QStringLiteral("All 7 checks passed."));
    QVERIFY(page->checkDetail(QStringLiteral("user_id_stable")).contains(QStringLiteral("same user_id")));

    // Two sign-ins, each time with the banner up while the browser had the page.
    QCOMPARE(m_browserWaitShown.size(), 2);
    QVERIFY2(m_browserWaitShown.at(0).startsWith(QStringLiteral("Waiting for the browser")),
             qPrintable(m_browserWaitShown.at(0)));
    QVERIFY(m_browserWaitShown.at(1).contains(QStringLiteral("sign-in 2 of 2")));
    QVERIFY(!page->findChild<QFrame*>(QStringLiteral("conformBrowserWait"))->isVisible());

    // The warning before concurrent_refresh stays on screen.
    auto* warning = page->findChild<QFrame*>(QStringLiteral("conformWarning"));
    QVERIFY(warning->isVisible());
    QVERIFY2(page->warningText().contains(QStringLiteral("revoke the whole grant")), qPrintable(page->warningText()));

    // The event log shows the exchanges, redacted.
    const QString log = page->logText();
    QVERIFY(log.contains(QStringLiteral("→ POST ")));
    QVERIFY(log.contains(QStringLiteral("← HTTP 200")));
    QVERIFY(log.contains(QStringLiteral("PASS refresh_reusable")));
    QVERIFY(log.contains(QStringLiteral("«")));
    assertNoSecretIn(page);

    if (qEnvironmentVariableIsSet("KEYWAY_SCREENSHOT_DIR")) { // docs/screenshots/conform.png
        auto* tree = page->findChild<QTreeWidget*>(QStringLiteral("conformChecks"));
        tree->setCurrentItem(checkRow(QStringLiteral("refresh_keeps_old_token")));
        QTest::qWait(300);
        QVERIFY(
            m_app.window->grab().save(qEnvironmentVariable("KEYWAY_SCREENSHOT_DIR") + QStringLiteral("/conform.png")));
    }
}

void TestChecks::revokeOnRefreshFailsRefreshKeepsOldToken()
{
    QVERIFY(m_app.sandbox->setFault(QStringLiteral("oauth2-code"), QStringLiteral("revoke_on_refresh"), true));
    runConformance(false);
    ConformancePage* page = conformancePage();
    for (const QString& name : ConformanceRun::checkNames()) {
        const bool shouldFail = name == QLatin1String("refresh_keeps_old_token");
        QCOMPARE(page->checkState(name),
                 shouldFail ? ConformancePage::CheckState::Failed : ConformancePage::CheckState::Passed);
    }
    QTreeWidgetItem* row = checkRow(QStringLiteral("refresh_keeps_old_token"));
    QCOMPARE(row->text(1), QStringLiteral("FAIL"));
    QCOMPARE(row->foreground(1).color(), ui::checkToneColor(page->palette(), ui::CheckTone::Fail));
    QVERIFY2(row->text(2).contains(QStringLiteral("previous, unexpired access token was refused")),
             qPrintable(row->text(2)));
    // The failed check is selected and its evidence spelled out below the list.
    auto* detail = page->findChild<QLabel*>(QStringLiteral("conformCheckDetail"));
    QVERIFY2(detail->text().contains(QStringLiteral("refresh_keeps_old_token")), qPrintable(detail->text()));
    QVERIFY(detail->text().contains(QStringLiteral("FAIL")));
    QVERIFY(detail->text().contains(QStringLiteral("previous, unexpired access token was refused")));
    QVERIFY2(page->statusText().startsWith(QStringLiteral("6 of 7 checks passed; 1 failed")),
             qPrintable(page->statusText()));
    QVERIFY(page->logText().contains(QStringLiteral("FAIL refresh_keeps_old_token")));
    assertNoSecretIn(page);
}

void TestChecks::declinedConfirmationStartsNothing()
{
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("oauth2-code")));
    ConformancePage* page = conformancePage();
    MessageBox::setNextAnswer(QMessageBox::Cancel);
    QTest::mouseClick(page->findChild<QPushButton*>(QStringLiteral("conformRunButton")), Qt::LeftButton);
    QVERIFY(!page->isRunning());
    QCOMPARE(page->statusText(), QStringLiteral("Not started."));
    QTest::qWait(200);
    QVERIFY(m_browserWaitShown.isEmpty());
    QCOMPARE(m_app.sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 0);
}

void TestChecks::cancelWhileWaitingForTheBrowser()
{
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("oauth2-code")));
    ConformancePage* page = conformancePage();
    m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"))->setCurrentWidget(page);
    int opened = 0;
    page->setUrlOpener([&opened](const QUrl&) {
        ++opened; // a browser the user never finishes signing in with
        return true;
    });
    QSignalSpy finished(page, &ConformancePage::finished);
    MessageBox::setNextAnswer(QMessageBox::Yes);
    page->run();
    auto* banner = page->findChild<QFrame*>(QStringLiteral("conformBrowserWait"));
    QTRY_VERIFY_WITH_TIMEOUT(opened == 1 && banner->isVisible(), 10000);
    QCOMPARE(page->checkState(QStringLiteral("state")), ConformancePage::CheckState::Running);

    QTest::mouseClick(page->findChild<QPushButton*>(QStringLiteral("conformBrowserCancelButton")), Qt::LeftButton);
    QVERIFY(!page->isRunning());
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(page->statusText(), QStringLiteral("Cancelled."));
    QVERIFY(!banner->isVisible());
    QCOMPARE(page->checkState(QStringLiteral("state")), ConformancePage::CheckState::Pending);
    QVERIFY(page->findChild<QPushButton*>(QStringLiteral("conformRunButton"))->isEnabled());
    // Nothing more happens after a cancel: no second sign-in, no token request.
    QTest::qWait(300);
    QCOMPARE(opened, 1);
    QCOMPARE(m_app.sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 0);
}

void TestChecks::webhookSampleIsValidAndTamperedBodyMismatches()
{
    // The sandbox signs a sample event with the Seismic demo environment's webhook secret.
    QNetworkAccessManager nam;
    const auto sample = test::httpExchange(
        nam, "GET", m_app.sandbox->rootUrl().resolved(QUrl(QStringLiteral("/_sandbox/seismic/webhook-sample"))));
    QCOMPARE(sample.status, 200);
    const QByteArray signature = sample.header("x-seismic-signature");
    QVERIFY(!signature.isEmpty());

    m_app.window->selectEnvironment(environmentOf(QStringLiteral("seismic")));
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    WebhookPage* page = webhookPage();
    tabs->setCurrentWidget(page);
    auto* body = page->findChild<QPlainTextEdit*>(QStringLiteral("webhookBody"));
    auto* signatureEdit = page->findChild<QLineEdit*>(QStringLiteral("webhookSignature"));
    auto* verdict = page->findChild<QLabel*>(QStringLiteral("webhookVerdictLabel"));
    QVERIFY(page->findChild<QPushButton*>(QStringLiteral("webhookVerifyButton"))->isEnabled());
    QCoreApplication::processEvents(); // laid out
    const QPoint verifyAt = page->findChild<QPushButton*>(QStringLiteral("webhookVerifyButton"))->pos();

    body->setPlainText(QString::fromUtf8(sample.body));
    signatureEdit->setText(QString::fromUtf8(signature));
    body->setFocus();
    QSignalSpy verified(page, &WebhookPage::verified);
    QTest::keyClick(body, Qt::Key_Return, Qt::ControlModifier); // Ctrl+Enter verifies
    QVERIFY(verified.wait(5000));
    QCOMPARE(verified.first().first().toBool(), true);
    QVERIFY2(page->verdictText().startsWith(QStringLiteral("Valid")), qPrintable(page->verdictText()));
    QVERIFY(verdict->isVisible());
    // The verdict's place was kept: the Verify button stays where the user clicked it.
    QCOMPARE(page->findChild<QPushButton*>(QStringLiteral("webhookVerifyButton"))->pos(), verifyAt);
    QCOMPARE(verdict->palette().color(QPalette::WindowText), ui::checkToneColor(page->palette(), ui::CheckTone::Pass));
    QCOMPARE(body->toPlainText().toUtf8(), sample.body); // Ctrl+Enter did not add a line break
    assertNoSecretIn(page);

    // One changed amount: the verdict says mismatch, in the fail colour.
    QString tampered = QString::fromUtf8(sample.body);
    QVERIFY(tampered.contains(QStringLiteral("12.50")));
    tampered.replace(QStringLiteral("12.50"), QStringLiteral("99.50"));
    body->setPlainText(tampered);
    QVERIFY(page->verdictText().isEmpty()); // an edit clears the stale verdict
    QVERIFY2(page->statusText().isEmpty(), qPrintable(page->statusText())); // and its status line
    verified.clear();
    QTest::mouseClick(page->findChild<QPushButton*>(QStringLiteral("webhookVerifyButton")), Qt::LeftButton);
    QVERIFY(verified.wait(5000));
    QCOMPARE(verified.first().first().toBool(), false);
    QVERIFY2(page->verdictText().startsWith(QStringLiteral("Mismatch")), qPrintable(page->verdictText()));
    QCOMPARE(verdict->palette().color(QPalette::WindowText), ui::checkToneColor(page->palette(), ui::CheckTone::Fail));
    QVERIFY(page->statusText().contains(QStringLiteral("Do not trust")));

    // The same event re-indented after receipt: the verdict names the whitespace, not the secret.
    QString pretty = QString::fromUtf8(sample.body);
    pretty.replace(QStringLiteral(","), QStringLiteral(",\n  "));
    body->setPlainText(pretty);
    verified.clear();
    QTest::mouseClick(page->findChild<QPushButton*>(QStringLiteral("webhookVerifyButton")), Qt::LeftButton);
    QVERIFY(verified.wait(5000));
    QVERIFY2(page->verdictText().contains(QStringLiteral("whitespace")), qPrintable(page->verdictText()));
    QCOMPARE(verdict->palette().color(QPalette::WindowText), ui::checkToneColor(page->palette(), ui::CheckTone::Warn));
    assertNoSecretIn(page);
}

void TestChecks::webhookNeedsAProviderWithAWebhookSecret()
{
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("banking")));
    WebhookPage* page = webhookPage();
    QVERIFY(!page->findChild<QPushButton*>(QStringLiteral("webhookVerifyButton"))->isEnabled());
    QVERIFY(
        page->findChild<QLabel*>(QStringLiteral("webhookIntro"))->text().contains(QStringLiteral("no webhook secret")));
    // And the conformance page explains that it checks authorization-code providers only.
    QVERIFY(!conformancePage()->findChild<QPushButton*>(QStringLiteral("conformRunButton"))->isEnabled());
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    tabs->setCurrentWidget(conformancePage());
    // No table of seven "not run" checks that can never run here: one sentence says what they apply to.
    QVERIFY(!conformancePage()->findChild<QTreeWidget*>(QStringLiteral("conformChecks"))->isVisible());
    const QString intro = conformancePage()->findChild<QLabel*>(QStringLiteral("conformIntro"))->text();
    QVERIFY2(intro.contains(QStringLiteral("apply to authorization-code providers")), qPrintable(intro));
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("oauth2-code")));
    QVERIFY(conformancePage()->findChild<QTreeWidget*>(QStringLiteral("conformChecks"))->isVisible());
}

void TestChecks::lockedKeychainIsSaidAndNothingIsSent()
{
    m_app.secrets->setFailure(SecretStatus::Locked);

    m_app.window->selectEnvironment(environmentOf(QStringLiteral("oauth2-code")));
    ConformancePage* conformance = conformancePage();
    QSignalSpy finished(conformance, &ConformancePage::finished);
    MessageBox::setNextAnswer(QMessageBox::Yes);
    conformance->run();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY2(conformance->statusText().contains(QStringLiteral("locked")), qPrintable(conformance->statusText()));
    QVERIFY(!conformance->isRunning());
    QVERIFY(m_browserWaitShown.isEmpty());
    QCOMPARE(conformance->checkState(QStringLiteral("prompt_login")), ConformancePage::CheckState::Pending);

    m_app.window->selectEnvironment(environmentOf(QStringLiteral("seismic")));
    WebhookPage* webhook = webhookPage();
    webhook->findChild<QPlainTextEdit*>(QStringLiteral("webhookBody"))->setPlainText(QStringLiteral("{}"));
    webhook->findChild<QLineEdit*>(QStringLiteral("webhookSignature"))->setText(QString(64, QLatin1Char('a')));
    webhook->verify();
    QTRY_VERIFY(!webhook->isVerifying());
    QVERIFY(webhook->verdictText().isEmpty()); // no verdict without the secret
    QVERIFY2(webhook->statusText().contains(QStringLiteral("locked")), qPrintable(webhook->statusText()));
    QVERIFY(webhook->findChild<QPushButton*>(QStringLiteral("webhookVerifyButton"))->isEnabled()); // can retry
}

QTEST_MAIN(TestChecks)
#include "tst_checks.moc"
