// The presenter's path, offscreen: first run creates the sandbox environments, the Seismic one is
// selected, Run (Ctrl+R) fills the timeline with a consumed code and a valid token; the "deny" fault
// shows the profile's hint; Step runs one step at a time.
#include "core/sandbox/SandboxServer.h"
#include "core/util/Clock.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/common/MessageBox.h"
#include "ui/environments/EnvironmentListModel.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
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

private:
    const FlowEvent* lastEvent(FlowEvent::Type type, const QString& name) const;
    void startWindow();

    QTemporaryDir m_config;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    std::unique_ptr<test::MemorySecretStore> m_secrets;
    std::unique_ptr<MainWindow> m_window;
};

void TestWalkthroughSeismic::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-walkthrough"));
    QCoreApplication::setApplicationName(QStringLiteral("keyway-test-walkthrough"));
}

void TestWalkthroughSeismic::init()
{
    QSettings().clear();
    QFile::remove(m_config.filePath(QStringLiteral("keyway/environments.json")));
    m_sandbox = std::make_unique<sandbox::SandboxServer>();
    QVERIFY(m_sandbox->listen(0));
    m_secrets = std::make_unique<test::MemorySecretStore>();
    startWindow();
}

void TestWalkthroughSeismic::startWindow()
{
    ui::MainWindowOptions options;
    options.secretStore = m_secrets.get();
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
    QSignalSpy reloaded(m_window.get(), &MainWindow::environmentsReloaded);
    m_window->useSandbox(*m_sandbox);
    QTRY_VERIFY(!m_window->currentEnvironmentId().isEmpty());
}

void TestWalkthroughSeismic::cleanup()
{
    m_window.reset();
    m_secrets.reset();
    m_sandbox.reset();
}

const FlowEvent* TestWalkthroughSeismic::lastEvent(FlowEvent::Type type, const QString& name) const
{
    const auto& events = m_window->timelineEvents();
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        if (it->type == type && it->name == name) {
            return &*it;
        }
    }
    return nullptr;
}

void TestWalkthroughSeismic::firstRunCreatesSandboxEnvironmentsOnce()
{
    const auto& environments = m_window->environmentStore().environments();
    QCOMPARE(environments.size(), m_sandbox->demoProviders().size());
    const Environment* seismic = m_window->environmentStore().find(QStringLiteral("Sandbox Seismic"));
    QVERIFY(seismic);
    QCOMPARE(m_window->currentEnvironmentId(), seismic->id);
    QVERIFY(seismic->baseUrl.startsWith(m_sandbox->rootUrl().toString()));
    // The demo secret went to the keychain, not into the file.
    const QString secret
        = m_sandbox->demoProvider(QStringLiteral("seismic"))->credential(QStringLiteral("clientSecret"));
    QCOMPARE(m_secrets->entries().value(SecretStore::keyFor(seismic->id, QStringLiteral("clientSecret"))), secret);
    QFile file(m_window->environmentStore().filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(secret.toUtf8()));
    // Keychain state shown beside the name.
    auto* model = m_window->environmentModel();
    QTRY_COMPARE(model->state(seismic->id), ui::EnvironmentListModel::KeychainState::AllSet);
    auto* tree = m_window->findChild<QTreeView*>(QStringLiteral("environmentTree"));
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
    QVERIFY(m_secrets->entries().contains(SecretStore::keyFor(banking.id, QStringLiteral("client_secret"))));
    m_window->selectEnvironment(banking.id);
    ui::MessageBox::setNextAnswer(QMessageBox::Yes);
    m_window->deleteEnvironment();
    QTRY_VERIFY(!m_window->environmentStore().findById(banking.id));
    QVERIFY(!m_secrets->entries().contains(SecretStore::keyFor(banking.id, QStringLiteral("client_secret"))));

    m_window.reset();
    m_sandbox = std::make_unique<sandbox::SandboxServer>();
    QVERIFY(m_sandbox->listen(0));
    startWindow();
    QCOMPARE(m_window->environmentStore().environments().size(), m_sandbox->demoProviders().size() - 1);
    QTRY_VERIFY(m_window->environmentStore()
                    .find(QStringLiteral("Sandbox Seismic"))
                    ->baseUrl.startsWith(m_sandbox->rootUrl().toString()));
}

void TestWalkthroughSeismic::runFillsTimelineWithConsumedCodeAndValidToken()
{
    auto* walkthrough = m_window->walkthrough();
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
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
    const QString environmentId = m_window->currentEnvironmentId();
    auto* timeline = m_window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
    QVERIFY(timeline);
    QVERIFY(timeline->isVisible());
    const QString codeLane = MainWindow::laneId(environmentId, QString(), QStringLiteral("code"));
    const QString tokenLane = MainWindow::laneId(environmentId, QString(), QStringLiteral("access_token"));
    QCOMPARE(timeline->laneState(codeLane), ui::TimelineWidget::LaneState::Consumed);
    QCOMPARE(timeline->laneState(tokenLane), ui::TimelineWidget::LaneState::Valid);
    QVERIFY2(timeline->countdownText(tokenLane).startsWith(QStringLiteral("expires in")),
             qPrintable(timeline->countdownText(tokenLane)));
    QVERIFY(m_window->timelineModel()->entry(codeLane)->consumed.isValid());
    auto* status = walkthrough->findChild<QLabel*>(QStringLiteral("flowStatus"));
    QVERIFY(status->text().startsWith(QStringLiteral("Done: the access token is valid until")));
    auto* request = walkthrough->findChild<QPlainTextEdit*>(QStringLiteral("requestView"));
    const QString secret
        = m_sandbox->demoProvider(QStringLiteral("seismic"))->credential(QStringLiteral("clientSecret"));
    QVERIFY(request->toPlainText().contains(QStringLiteral("/v1/oauth/access-token")));
    QVERIFY(!request->toPlainText().contains(secret));
    QVERIFY(request->toPlainText().contains(QStringLiteral("«clientSecret»")));
    // Reveal on demand puts the value back, on screen only.
    walkthrough->findChild<QToolButton*>(QStringLiteral("revealButton"))->click();
    QVERIFY(request->toPlainText().contains(secret));
}

void TestWalkthroughSeismic::deniedTokenStepShowsHint()
{
    QVERIFY(m_sandbox->setFault(QStringLiteral("seismic"), QStringLiteral("deny"), true));
    auto* walkthrough = m_window->walkthrough();
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    walkthrough->findChild<QPushButton*>(QStringLiteral("runAllButton"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(walkthrough->stepState(0), FlowWalkthrough::StepState::Succeeded);
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Failed);
    auto* hint = walkthrough->findChild<QLabel*>(QStringLiteral("hintLabel"));
    QVERIFY(hint->isVisible());
    QVERIFY2(hint->text().contains(QStringLiteral("40399")), qPrintable(hint->text()));
    QVERIFY(hint->text().contains(QStringLiteral("Re-run the full flow")));
    QVERIFY(!lastEvent(FlowEvent::Type::Captured, QStringLiteral("access_token")));
}

void TestWalkthroughSeismic::stepByStepConsumesTheCode()
{
    auto* walkthrough = m_window->walkthrough();
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

QTEST_MAIN(TestWalkthroughSeismic)
#include "tst_walkthrough_seismic.moc"
