// "Waiting for the browser" in every tab that signs in, with real widgets offscreen, the in-process sandbox
// and a test browser: when the browser does not open, the banner shows the URL, Copy URL puts it on the
// clipboard and a browser that visits it later still completes the flow (code and token on the timeline); a
// pasted redirect completes it too; Cancel stops it and closes the listener; the Requests tab shows the same
// banner while its send signs in; Check provider reports a sign-in that did not finish as "not run", not FAIL.
#include "core/checks/ConformanceRun.h"
#include "core/sandbox/SandboxServer.h"
#include "tests/support/SandboxBrowser.h"
#include "tests/support/ui/SandboxApp.h"
#include "ui/MainWindow.h"
#include "ui/checks/ConformancePage.h"
#include "ui/common/MessageBox.h"
#include "ui/composer/RequestComposer.h"
#include "ui/composer/RequestWorkspace.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/timeline/TimelineModel.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUrlQuery>

#include <memory>

using namespace keyway;
using keyway::ui::ConformancePage;
using keyway::ui::FlowWalkthrough;
using keyway::ui::MainWindow;

class TestSignInWait : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_config;
    test::SandboxApp m_app;
    std::unique_ptr<test::SandboxBrowser> m_browser;
    int m_opened = 0;

    QString oauthEnvironment() const
    {
        for (const Environment& environment : m_app.window->environmentStore().environments()) {
            if (environment.providerId == QLatin1String("oauth2-code")) {
                return environment.id;
            }
        }
        return {};
    }

    template <typename T>
    T* child(const QWidget* root, const QString& name) const
    {
        auto* w = root->findChild<T*>(name);
        if (!w) {
            qWarning("no widget %s", qPrintable(name));
        }
        return w;
    }

    // A browser that never opens.
    UrlOpener noBrowser()
    {
        return [this](const QUrl&) {
            ++m_opened;
            return false;
        };
    }

    static bool refused(const QUrl& url)
    {
        QTcpSocket socket;
        socket.connectToHost(url.host(), quint16(url.port()));
        if (socket.waitForConnected(2000)) {
            return false;
        }
        return socket.error() == QAbstractSocket::ConnectionRefusedError;
    }

    static QUrl redirectUriOf(const QString& authorizeUrl)
    {
        return QUrl(QUrlQuery(QUrl(authorizeUrl)).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        test::isolateApplication(m_config.path(), QStringLiteral("keyway-test-signin"));
    }

    void init()
    {
        m_browser = std::make_unique<test::SandboxBrowser>();
        m_opened = 0;
        QVERIFY(m_app.start(QSize(1024, 700)));
        QTRY_VERIFY(!oauthEnvironment().isEmpty());
        m_app.window->selectEnvironment(oauthEnvironment());
        QTRY_COMPARE(m_app.window->currentEnvironmentId(), oauthEnvironment());
    }

    void cleanup()
    {
        m_app.window.reset();
        m_browser.reset();
        m_app.stop();
    }

    void browserDoesNotOpenThenCopiedUrlCompletes()
    {
        FlowWalkthrough* walkthrough = m_app.window->walkthrough();
        walkthrough->setUrlOpener(noBrowser());
        QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
        m_app.window->run();
        auto* banner = child<QWidget>(walkthrough, QStringLiteral("browserWait"));
        QTRY_VERIFY2_WITH_TIMEOUT(banner->isVisible(), qPrintable(walkthrough->statusText()), 10000);
        QTRY_VERIFY(child<QLabel>(walkthrough, QStringLiteral("browserWaitLabel"))
                        ->text()
                        .contains(QStringLiteral("did not open")));
        QCOMPARE(m_opened, 1);
        const QString label = child<QLabel>(walkthrough, QStringLiteral("browserWaitLabel"))->text();
        QVERIFY2(label.startsWith(QStringLiteral("Waiting for the browser")), qPrintable(label));
        QVERIFY(label.contains(QStringLiteral("4:5")) || label.contains(QStringLiteral("5:00"))); // the countdown
        QVERIFY(!label.contains(QStringLiteral("--"))); // no CLI flag in the GUI
        // In a 1024x700 window the sentence is whole and the banner no taller than it: the address row
        // follows right below the wrapped text.
        auto* labelWidget = child<QLabel>(walkthrough, QStringLiteral("browserWaitLabel"));
        const int textHeight = labelWidget->fontMetrics()
                                   .boundingRect(QRect(0, 0, labelWidget->width(), 10000), Qt::TextWordWrap, label)
                                   .height();
        QVERIFY2(labelWidget->height() >= textHeight,
                 qPrintable(QStringLiteral("clipped: %1 < %2").arg(labelWidget->height()).arg(textHeight)));
        QVERIFY2(labelWidget->height() <= textHeight + labelWidget->fontMetrics().lineSpacing() / 2,
                 qPrintable(QStringLiteral("padded: %1 for %2").arg(labelWidget->height()).arg(textHeight)));
        auto* urlField = child<QLineEdit>(walkthrough, QStringLiteral("browserUrlField"));
        QVERIFY(urlField->isVisible());
        QVERIFY(urlField->isReadOnly());
        const QString url = urlField->text();
        QVERIFY2(url.contains(QStringLiteral("/authorize?")) && url.contains(QStringLiteral("state=")),
                 qPrintable(url));
        QVERIFY(child<QLineEdit>(walkthrough, QStringLiteral("browserRedirectEdit"))->isVisible());
        QVERIFY(walkthrough->isRunning()); // the step did not fail
        // The step's title is the profile's, nothing appended (step 1 is discovering the endpoints).
        const QString stepText = child<QListWidget>(walkthrough, QStringLiteral("flowSteps"))->item(1)->text();
        QCOMPARE(stepText, QStringLiteral("2. Sign in in the browser"));

        QTest::mouseClick(child<QPushButton>(walkthrough, QStringLiteral("browserCopyUrlButton")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), url);

        // The user pastes the URL into a browser by hand; the listener is still there.
        m_browser->start(QUrl(QApplication::clipboard()->text()), true, nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        QVERIFY2(finished.first().first().toBool(), qPrintable(walkthrough->statusText()));
        QVERIFY(!banner->isVisible());
        const QString env = oauthEnvironment();
        QTRY_VERIFY(m_app.window->timelineModel()->entry(MainWindow::laneId(env, QString(), QStringLiteral("code"))));
        QVERIFY(
            m_app.window->timelineModel()->entry(MainWindow::laneId(env, QString(), QStringLiteral("access_token"))));
    }

    void pastedRedirectCompletesTheWalkthrough()
    {
        FlowWalkthrough* walkthrough = m_app.window->walkthrough();
        walkthrough->setUrlOpener(noBrowser());
        QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
        m_app.window->run();
        auto* urlField = child<QLineEdit>(walkthrough, QStringLiteral("browserUrlField"));
        auto* edit = child<QLineEdit>(walkthrough, QStringLiteral("browserRedirectEdit"));
        QTRY_VERIFY_WITH_TIMEOUT(edit->isVisible(), 10000);
        auto* message = child<QLabel>(walkthrough, QStringLiteral("browserRedirectMessage"));
        auto* submit = child<QPushButton>(walkthrough, QStringLiteral("browserRedirectButton"));
        QVERIFY(!submit->isEnabled());

        // Something else pasted: said, and the sign-in keeps waiting.
        edit->setFocus();
        QTest::keyClicks(edit, QStringLiteral("https://example.org/welcome"));
        QVERIFY(submit->isEnabled());
        QTest::mouseClick(submit, Qt::LeftButton);
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(QStringLiteral("code=")), qPrintable(message->text()));
        QVERIFY(walkthrough->isRunning());

        // The browser signed in somewhere that cannot reach Keyway; its address bar holds the redirect.
        const test::SandboxBrowser::Result signedIn = m_browser->run(QUrl(urlField->text()), false);
        QVERIFY(signedIn.finalUrl.isValid());
        edit->clear();
        QTest::keyClicks(edit, QString::fromUtf8(signedIn.finalUrl.toEncoded()));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        QVERIFY2(finished.first().first().toBool(), qPrintable(walkthrough->statusText()));
        QVERIFY(edit->text().isEmpty()); // the one-time code does not stay in the field
        QCOMPARE(m_app.sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 1);
    }

    void cancelStopsTheSignInAndClosesTheListener()
    {
        FlowWalkthrough* walkthrough = m_app.window->walkthrough();
        walkthrough->setUrlOpener(noBrowser());
        m_app.window->run();
        auto* urlField = child<QLineEdit>(walkthrough, QStringLiteral("browserUrlField"));
        QTRY_VERIFY_WITH_TIMEOUT(urlField->isVisible(), 10000);
        const QUrl redirectUri = redirectUriOf(urlField->text());
        QVERIFY(!refused(redirectUri));
        auto* cancel = child<QPushButton>(walkthrough, QStringLiteral("browserCancelButton"));
        cancel->setFocus();
        QTest::keyClick(cancel, Qt::Key_Space); // keyboard reachable
        QVERIFY(!walkthrough->isRunning());
        QCOMPARE(walkthrough->statusText(), QStringLiteral("Cancelled."));
        QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Cancelled); // the sign-in step
        QVERIFY(!child<QWidget>(walkthrough, QStringLiteral("browserWait"))->isVisible());
        QTRY_VERIFY(refused(redirectUri));
    }

    // An opener may report success and show nothing (xdg-open started, no browser behind it): the paste field
    // is then one click away.
    void openedBrowserStillOffersThePasteField()
    {
        FlowWalkthrough* walkthrough = m_app.window->walkthrough();
        walkthrough->setUrlOpener([this](const QUrl&) {
            ++m_opened;
            return true;
        });
        m_app.window->run();
        auto* label = child<QLabel>(walkthrough, QStringLiteral("browserWaitLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(label->isVisible(), 10000);
        QVERIFY2(label->text().contains(QStringLiteral("sign in there")), qPrintable(label->text()));
        auto* edit = child<QLineEdit>(walkthrough, QStringLiteral("browserRedirectEdit"));
        QVERIFY(!edit->isVisible());
        QVERIFY(child<QLineEdit>(walkthrough, QStringLiteral("browserUrlField"))->isVisible());
        auto* show = child<QPushButton>(walkthrough, QStringLiteral("browserShowPasteButton"));
        QVERIFY(show->isVisible());
        QTest::mouseClick(show, Qt::LeftButton);
        QVERIFY(edit->isVisible());
        QVERIFY(edit->hasFocus());
        QVERIFY(!show->isVisible());
        walkthrough->cancel();
    }

    void requestsTabShowsTheBannerWhileItsSendSignsIn()
    {
        m_app.window->sessions()->setUrlOpener(noBrowser());
        auto* workspace = m_app.window->findChild<ui::RequestWorkspace*>();
        m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"))->setCurrentWidget(workspace);
        ui::RequestComposer* composer = workspace->composer();
        ApiRequest request;
        request.method = QStringLiteral("GET");
        request.path = QStringLiteral("/api/me");
        composer->loadRequest(request);
        QSignalSpy finished(composer, &ui::RequestComposer::finished);
        composer->send();
        auto* banner = child<QWidget>(composer, QStringLiteral("composerBrowserWait"));
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QTRY_VERIFY(child<QLabel>(composer, QStringLiteral("composerBrowserWaitLabel"))
                        ->text()
                        .contains(QStringLiteral("did not open")));
        QVERIFY(composer->statusText().contains(QStringLiteral("sign-in")));
        const QString url = child<QLineEdit>(composer, QStringLiteral("composerBrowserUrlField"))->text();
        m_browser->start(QUrl(url), true, nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        QVERIFY2(finished.first().first().toBool(), qPrintable(composer->statusText()));
        QVERIFY(!banner->isVisible());
        QVERIFY(composer->statusText().startsWith(QStringLiteral("HTTP 200")));
    }

    void requestsTabCancelEndsTheSignIn()
    {
        m_app.window->sessions()->setUrlOpener(noBrowser());
        auto* workspace = m_app.window->findChild<ui::RequestWorkspace*>();
        m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"))->setCurrentWidget(workspace);
        ui::RequestComposer* composer = workspace->composer();
        ApiRequest request;
        request.path = QStringLiteral("/api/me");
        composer->loadRequest(request);
        QSignalSpy finished(composer, &ui::RequestComposer::finished);
        composer->send();
        auto* urlField = child<QLineEdit>(composer, QStringLiteral("composerBrowserUrlField"));
        QTRY_VERIFY_WITH_TIMEOUT(urlField->isVisible(), 10000);
        const QUrl redirectUri = redirectUriOf(urlField->text());
        QTest::mouseClick(child<QPushButton>(composer, QStringLiteral("composerBrowserCancelButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY(!finished.first().first().toBool());
        QVERIFY2(composer->statusText().contains(QStringLiteral("cancelled")), qPrintable(composer->statusText()));
        QVERIFY(!child<QWidget>(composer, QStringLiteral("composerBrowserWait"))->isVisible());
        QTRY_VERIFY(refused(redirectUri));
    }

    void checkProviderSaysNotRunWhenTheSignInDoesNotFinish()
    {
        auto* page = m_app.window->findChild<ConformancePage*>(QStringLiteral("conformancePage"));
        m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"))->setCurrentWidget(page);
        page->setUrlOpener(noBrowser());
        page->setBrowserTimeoutMs(1500);
        QSignalSpy finished(page, &ConformancePage::finished);
        ui::MessageBox::setNextAnswer(QMessageBox::Yes);
        page->run();
        QTRY_VERIFY_WITH_TIMEOUT(child<QWidget>(page, QStringLiteral("conformBrowserWait"))->isVisible(), 10000);
        QTRY_VERIFY(child<QLineEdit>(page, QStringLiteral("conformBrowserRedirectEdit"))->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        for (const QString& name : {QStringLiteral("state"),
                                    QStringLiteral("exchange"),
                                    QStringLiteral("user_id_stable"),
                                    QStringLiteral("refresh_reusable")}) {
            QCOMPARE(page->checkState(name), ConformancePage::CheckState::NotRun);
            QVERIFY(page->checkDetail(name).startsWith(QStringLiteral("not run:")));
        }
        auto* tree = child<QTreeWidget>(page, QStringLiteral("conformChecks"));
        for (int i = 0; tree && i < tree->topLevelItemCount(); ++i) {
            for (int c = 0; c < tree->columnCount(); ++c) {
                QVERIFY2(tree->topLevelItem(i)->text(c) != QStringLiteral("FAIL"),
                         qPrintable(tree->topLevelItem(i)->text(0)));
            }
        }
        QVERIFY2(page->statusText().contains(QStringLiteral("not run")), qPrintable(page->statusText()));
        QVERIFY(!page->statusText().contains(QStringLiteral("failed")));
    }

    void checkProviderCancelLeavesChecksNotRun()
    {
        auto* page = m_app.window->findChild<ConformancePage*>(QStringLiteral("conformancePage"));
        m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"))->setCurrentWidget(page);
        page->setUrlOpener(noBrowser());
        ui::MessageBox::setNextAnswer(QMessageBox::Yes);
        page->run();
        QTRY_VERIFY_WITH_TIMEOUT(child<QLineEdit>(page, QStringLiteral("conformBrowserRedirectEdit"))->isVisible(),
                                 10000);
        QTest::mouseClick(child<QPushButton>(page, QStringLiteral("conformBrowserCancelButton")), Qt::LeftButton);
        QVERIFY(!page->isRunning());
        for (const QString& name : ConformanceRun::checkNames()) {
            QVERIFY2(page->checkState(name) != ConformancePage::CheckState::Failed, qPrintable(name));
        }
        QVERIFY(page->checkState(QStringLiteral("user_id_stable")) != ConformancePage::CheckState::Passed);
        QCOMPARE(m_app.sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 0);
    }
};

QTEST_MAIN(TestSignInWait)
#include "tst_signin_wait.moc"
