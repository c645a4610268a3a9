// The presenter's path, offscreen: first run creates the sandbox environments, the Seismic one is
// selected, Run (Ctrl+R) fills the timeline with a consumed code and a valid token; the "deny" fault
// shows the profile's hint; Step runs one step at a time.
#include "core/sandbox/SandboxServer.h"
#include "core/util/Clock.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/ui/SandboxApp.h"
#include "ui/MainWindow.h"
#include "ui/common/MessageBox.h"
#include "ui/environments/EnvironmentListModel.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QLabel>
#include <QLockFile>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <memory>

using namespace keyway;
using keyway::ui::FlowWalkthrough;
using keyway::ui::MainWindow;

class TestWalkthroughSeismic : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void firstRunCreatesSandboxEnvironmentsOnce();
    void runFillsTimelineWithConsumedCodeAndValidToken();
    void deniedTokenStepShowsHint();
    void stepByStepConsumesTheCode();
    void windowKeepsItsStateHonest();
    void hintBannerNeverClipsItsText();

private:
    const FlowEvent* lastEvent(FlowEvent::Type type, const QString& name) const;

    QTemporaryDir m_config;
    test::SandboxApp m_app;
};

void TestWalkthroughSeismic::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateApplication(m_config.path(), QStringLiteral("keyway-test-walkthrough"));
}

void TestWalkthroughSeismic::init()
{
    QVERIFY(m_app.start());
}

void TestWalkthroughSeismic::cleanup()
{
    m_app.stop();
}

const FlowEvent* TestWalkthroughSeismic::lastEvent(FlowEvent::Type type, const QString& name) const
{
    const auto& events = m_app.window->timelineEvents();
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        if (it->type == type && it->name == name) {
            return &*it;
        }
    }
    return nullptr;
}

void TestWalkthroughSeismic::firstRunCreatesSandboxEnvironmentsOnce()
{
    const auto& environments = m_app.window->environmentStore().environments();
    QCOMPARE(environments.size(), m_app.sandbox->demoProviders().size());
    const Environment* seismic = m_app.window->environmentStore().find(QStringLiteral("Sandbox Seismic"));
    QVERIFY(seismic);
    QCOMPARE(m_app.window->currentEnvironmentId(), seismic->id);
    QVERIFY(seismic->baseUrl.startsWith(m_app.sandbox->rootUrl().toString()));
    // The demo secret went to the keychain, not into the file.
    const QString secret
        = m_app.sandbox->demoProvider(QStringLiteral("seismic"))->credential(QStringLiteral("clientSecret"));
    QCOMPARE(m_app.secrets->entries().value(SecretStore::keyFor(seismic->id, QStringLiteral("clientSecret"))), secret);
    QFile file(m_app.window->environmentStore().filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(secret.toUtf8()));
    // Keychain state shown beside the name.
    auto* model = m_app.window->environmentModel();
    QTRY_COMPARE(model->state(seismic->id), ui::EnvironmentListModel::KeychainState::AllSet);
    auto* tree = m_app.window->findChild<QTreeView*>(QStringLiteral("environmentTree"));
    QVERIFY(tree);
    QCOMPARE(model->indexOfEnvironment(seismic->id).siblingAtColumn(1).data().toString(), QStringLiteral("all set"));

    // The user deletes one; a second start (new sandbox port) re-points the rest and re-creates nothing.
    Environment banking;
    for (const Environment& environment : environments) {
        if (environment.providerId == QLatin1String("banking")) {
            banking = environment;
        }
    }
    QVERIFY(banking.name.startsWith(QStringLiteral("Sandbox ")));
    QVERIFY(m_app.secrets->entries().contains(SecretStore::keyFor(banking.id, QStringLiteral("client_secret"))));
    m_app.window->selectEnvironment(banking.id);
    ui::MessageBox::setNextAnswer(QMessageBox::Yes);
    m_app.window->deleteEnvironment();
    QTRY_VERIFY(!m_app.window->environmentStore().findById(banking.id));
    QVERIFY(!m_app.secrets->entries().contains(SecretStore::keyFor(banking.id, QStringLiteral("client_secret"))));

    // An environment made by an older version holds an absolute endpoint with the old port.
    Environment oauthClient;
    for (const Environment& environment : m_app.window->environmentStore().environments()) {
        if (environment.providerId == QLatin1String("oauth2-client")) {
            oauthClient = environment;
        }
    }
    QCOMPARE(oauthClient.values.value(QStringLiteral("token_url")), QStringLiteral("/oauth/token"));
    {
        Environment old = oauthClient;
        old.values.insert(QStringLiteral("token_url"), old.baseUrl + QStringLiteral("/oauth/token"));
        bool done = false;
        m_app.window->environmentService()->update(old, {}, {}, [&done](const EnvironmentChange& change) {
            QVERIFY(change.ok());
            done = true;
        });
        QTRY_VERIFY(done);
    }

    m_app.window.reset();
    m_app.sandbox = std::make_unique<sandbox::SandboxServer>();
    QVERIFY(m_app.sandbox->listen(0));
    QVERIFY(m_app.openWindow());
    QCOMPARE(m_app.window->environmentStore().environments().size(), m_app.sandbox->demoProviders().size() - 1);
    // After the restart the endpoint follows the base URL again: stored relative, not with the old port.
    QTRY_COMPARE(m_app.window->environmentStore().findById(oauthClient.id)->values.value(QStringLiteral("token_url")),
                 QStringLiteral("/oauth/token"));
    QTRY_VERIFY(m_app.window->environmentStore()
                    .find(QStringLiteral("Sandbox Seismic"))
                    ->baseUrl.startsWith(m_app.sandbox->rootUrl().toString()));
}

void TestWalkthroughSeismic::runFillsTimelineWithConsumedCodeAndValidToken()
{
    auto* walkthrough = m_app.window->walkthrough();
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    QTest::keyClick(m_app.window.get(), Qt::Key_R, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.first().first().toBool(), true);

    QCOMPARE(walkthrough->stepState(0), FlowWalkthrough::StepState::Succeeded);
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Succeeded);
    const FlowEvent* code = lastEvent(FlowEvent::Type::Captured, QStringLiteral("code"));
    QVERIFY(code);
    QVERIFY(code->singleUse);
    QVERIFY(lastEvent(FlowEvent::Type::Consumed, QStringLiteral("code")));
    const FlowEvent* token = lastEvent(FlowEvent::Type::Captured, QStringLiteral("access_token"));
    QVERIFY(token);
    QVERIFY(token->expiresMs > Clock::currentMSecsSinceEpoch());
    QVERIFY(!lastEvent(FlowEvent::Type::Expired, QStringLiteral("access_token")));

    // What the user sees: the timeline, the requests (redacted) and the status line.
    const QString environmentId = m_app.window->currentEnvironmentId();
    auto* timeline = m_app.window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
    QVERIFY(timeline);
    QVERIFY(timeline->isVisible());
    const QString codeLane = MainWindow::laneId(environmentId, QString(), QStringLiteral("code"));
    const QString tokenLane = MainWindow::laneId(environmentId, QString(), QStringLiteral("access_token"));
    QCOMPARE(timeline->laneState(codeLane), ui::TimelineWidget::LaneState::Consumed);
    QCOMPARE(timeline->laneState(tokenLane), ui::TimelineWidget::LaneState::Valid);
    QVERIFY2(timeline->countdownText(tokenLane).startsWith(QStringLiteral("expires in")),
             qPrintable(timeline->countdownText(tokenLane)));
    QVERIFY(m_app.window->timelineModel()->entry(codeLane)->consumed.isValid());
    auto* status = walkthrough->findChild<QLabel*>(QStringLiteral("flowStatus"));
    QVERIFY(status->text().startsWith(QStringLiteral("Done: the access token is valid until")));
    auto* request = walkthrough->findChild<QPlainTextEdit*>(QStringLiteral("requestView"));
    const QString secret
        = m_app.sandbox->demoProvider(QStringLiteral("seismic"))->credential(QStringLiteral("clientSecret"));
    QVERIFY(request->toPlainText().contains(QStringLiteral("/v1/oauth/access-token")));
    QVERIFY(!request->toPlainText().contains(secret));
    QVERIFY(request->toPlainText().contains(QStringLiteral("«clientSecret»")));
    // Reveal on demand puts the value back, on screen only.
    auto* reveal = walkthrough->findChild<QToolButton*>(QStringLiteral("revealButton"));
    QCOMPARE(reveal->text(), QStringLiteral("Reveal secrets"));
    reveal->click();
    QVERIFY(request->toPlainText().contains(secret));
    QCOMPARE(reveal->text(), QStringLiteral("Hide secrets")); // says what the next click does
    reveal->click();
    QVERIFY(!request->toPlainText().contains(secret));
    QCOMPARE(reveal->text(), QStringLiteral("Reveal secrets"));
}

void TestWalkthroughSeismic::deniedTokenStepShowsHint()
{
    QVERIFY(m_app.sandbox->setFault(QStringLiteral("seismic"), QStringLiteral("deny"), true));
    auto* walkthrough = m_app.window->walkthrough();
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    walkthrough->findChild<QPushButton*>(QStringLiteral("runAllButton"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(walkthrough->stepState(0), FlowWalkthrough::StepState::Succeeded);
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Failed);
    auto* hint = walkthrough->findChild<QLabel*>(QStringLiteral("hintLabel"));
    QVERIFY(hint->isVisible());
    QVERIFY2(hint->text().contains(QStringLiteral("40399")), qPrintable(hint->text()));
    // Refused at the token step, 40399 means the client secret is wrong, not that a token expired.
    QVERIFY2(hint->text().contains(QStringLiteral("clientSecret")), qPrintable(hint->text()));
    QVERIFY(!hint->text().contains(QStringLiteral("expired")));
    QVERIFY(!hint->text().contains(QStringLiteral("run the flow again")));
    QVERIFY(!lastEvent(FlowEvent::Type::Captured, QStringLiteral("access_token")));
}

void TestWalkthroughSeismic::stepByStepConsumesTheCode()
{
    auto* walkthrough = m_app.window->walkthrough();
    auto* step = walkthrough->findChild<QPushButton*>(QStringLiteral("stepButton"));
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    step->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(walkthrough->stepState(0), FlowWalkthrough::StepState::Succeeded);
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Pending);
    QVERIFY(lastEvent(FlowEvent::Type::Captured, QStringLiteral("code")));
    QVERIFY(!lastEvent(FlowEvent::Type::Consumed, QStringLiteral("code")));

    step->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
    QCOMPARE(finished.last().first().toBool(), true);
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Succeeded);
    QVERIFY(lastEvent(FlowEvent::Type::Consumed, QStringLiteral("code")));
    QVERIFY(lastEvent(FlowEvent::Type::Captured, QStringLiteral("access_token")));
    auto* request = walkthrough->findChild<QPlainTextEdit*>(QStringLiteral("requestView"));
    QVERIFY2(request->toPlainText().contains(QStringLiteral("«code»")), qPrintable(request->toPlainText()));
}

void TestWalkthroughSeismic::windowKeepsItsStateHonest()
{
    // The sandbox's address is a permanent part of the status bar: the next message does not erase it.
    auto* sandboxStatus = m_app.window->findChild<QLabel*>(QStringLiteral("sandboxStatus"));
    QVERIFY(sandboxStatus);
    QVERIFY(sandboxStatus->text().contains(QString::number(m_app.sandbox->port())));
    m_app.window->statusBar()->showMessage(QStringLiteral("something else"));
    QVERIFY(sandboxStatus->isVisible());
    QVERIFY(sandboxStatus->text().contains(QString::number(m_app.sandbox->port())));

    auto* walkthrough = m_app.window->walkthrough();
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    QTest::keyClick(m_app.window.get(), Qt::Key_R, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Succeeded);
    // The reply pane indents JSON as the inspector does.
    auto* reply = walkthrough->findChild<QPlainTextEdit*>(QStringLiteral("replyView"));
    QVERIFY2(reply->toPlainText().contains(QStringLiteral("\n  \"")), qPrintable(reply->toPlainText()));

    // Step after Run all starts at step 1, and step 2 no longer shows the old pass's tick.
    walkthrough->findChild<QPushButton*>(QStringLiteral("stepButton"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
    QCOMPARE(walkthrough->stepState(0), FlowWalkthrough::StepState::Succeeded);
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Pending);

    // Another environment, and back: the Flow tab still shows this environment's last run.
    const QString seismicId = m_app.window->currentEnvironmentId();
    QString bankingId;
    for (const Environment& environment : m_app.window->environmentStore().environments()) {
        if (environment.providerId == QLatin1String("banking")) {
            bankingId = environment.id;
        }
    }
    QVERIFY(!bankingId.isEmpty());
    m_app.window->selectEnvironment(bankingId);
    QCOMPARE(walkthrough->stepState(0), FlowWalkthrough::StepState::Pending);
    // The timeline: this environment first; filtered to it, Seismic's lanes go away.
    auto* timeline = m_app.window->timelineWidget();
    QVERIFY(timeline->summaryText().contains(QStringLiteral("Sandbox Seismic")));
    auto* filter = m_app.window->findChild<QComboBox*>(QStringLiteral("timelineFilter"));
    QVERIFY(filter);
    filter->setCurrentIndex(1);
    QCOMPARE(timeline->summaryText(), QStringLiteral("No codes or tokens yet."));
    filter->setCurrentIndex(0);
    m_app.window->selectEnvironment(seismicId);
    QCOMPARE(walkthrough->stepState(0), FlowWalkthrough::StepState::Succeeded);

    // A rename shows on the lanes at once.
    {
        Environment renamed = *m_app.window->environmentStore().findById(seismicId);
        renamed.name = QStringLiteral("Seismic renamed");
        bool done = false;
        m_app.window->environmentService()->update(renamed, {}, {}, [&done](const EnvironmentChange& change) {
            QVERIFY(change.ok());
            done = true;
        });
        QTRY_VERIFY(done);
    }
    m_app.window->reloadEnvironments();
    QVERIFY2(timeline->summaryText().contains(QStringLiteral("Seismic renamed")), qPrintable(timeline->summaryText()));

    // Clear empties the timeline.
    QTest::mouseClick(m_app.window->findChild<QPushButton*>(QStringLiteral("timelineClear")), Qt::LeftButton);
    QVERIFY(m_app.window->timelineModel()->isEmpty());

    // F2 in the composer's header table edits the cell; it does not open Edit environment.
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    tabs->setCurrentIndex(1);
    auto* headers = m_app.window->findChild<QTableWidget*>(QStringLiteral("composerHeaders"));
    QVERIFY(headers);
    headers->setFocus();
    QTest::keyClick(headers, Qt::Key_F2);
    QVERIFY(!m_app.window->findChild<QDialog*>());
}

void TestWalkthroughSeismic::hintBannerNeverClipsItsText()
{
    QVERIFY(m_app.sandbox->setFault(QStringLiteral("seismic"), QStringLiteral("deny"), true));
    m_app.window->resize(1024, 700);
    QFont big = m_app.window->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    m_app.window->setFont(big);
    auto* walkthrough = m_app.window->walkthrough();
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    walkthrough->runAll();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    auto* hint = walkthrough->findChild<QLabel*>(QStringLiteral("hintLabel"));
    QVERIFY(hint->isVisible());
    // Laid out, the label is as tall as its wrapped text needs.
    QTRY_VERIFY2(hint->height() >= hint->heightForWidth(hint->width()),
                 qPrintable(QStringLiteral("%1 < %2").arg(hint->height()).arg(hint->heightForWidth(hint->width()))));
}

QTEST_MAIN(TestWalkthroughSeismic)
#include "tst_walkthrough_seismic.moc"
