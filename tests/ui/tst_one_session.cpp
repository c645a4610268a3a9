// One truth in the desktop app: the Flow tab, the Requests tab and the timeline share one session per
// environment and credential set. Driven offscreen against the embedded sandbox as a user would.
#include "core/sandbox/SandboxServer.h"
#include "core/session/SessionRegistry.h"
#include "tests/support/ui/SandboxApp.h"
#include "ui/MainWindow.h"
#include "ui/composer/RequestComposer.h"
#include "ui/composer/RequestWorkspace.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace keyway;
using keyway::ui::FlowWalkthrough;
using keyway::ui::MainWindow;
using keyway::ui::RequestComposer;

class TestOneSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void requestsTabUsesTheTokenTheFlowTabFetched();
    void aTokenFetchedByTheRequestsTabAppearsOnTheTimeline();
    void aRefusedTokenIsRenewedOnceAndTheLaneShowsTheNewOne();
    void credentialSetSelectorDrivesEveryTabAndHasItsOwnLanes();

private:
    QString environmentOf(const QString& providerId) const;
    RequestComposer* composer() const;
    bool send(const QString& method, const QString& path);

    QTemporaryDir m_config;
    test::SandboxApp m_app;
};

void TestOneSession::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateApplication(m_config.path(), QStringLiteral("keyway-test-one-session"));
}

void TestOneSession::init()
{
    QVERIFY(m_app.start(QSize(1280, 800)));
}

void TestOneSession::cleanup()
{
    m_app.stop();
}

QString TestOneSession::environmentOf(const QString& providerId) const
{
    for (const Environment& environment : m_app.window->environmentStore().environments()) {
        if (environment.providerId == providerId) {
            return environment.id;
        }
    }
    return {};
}

RequestComposer* TestOneSession::composer() const
{
    return m_app.window->findChild<ui::RequestWorkspace*>()->composer();
}

bool TestOneSession::send(const QString& method, const QString& path)
{
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    tabs->setCurrentWidget(m_app.window->findChild<ui::RequestWorkspace*>());
    RequestComposer* c = composer();
    ApiRequest request;
    request.method = method;
    request.path = path;
    c->loadRequest(request);
    QSignalSpy finished(c, &RequestComposer::finished);
    c->send();
    if (!finished.wait(15000)) {
        return false;
    }
    return finished.first().first().toBool();
}

void TestOneSession::requestsTabUsesTheTokenTheFlowTabFetched()
{
    const QString seismic = environmentOf(QStringLiteral("seismic"));
    m_app.window->selectEnvironment(seismic);
    FlowWalkthrough* walkthrough = m_app.window->walkthrough();
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    m_app.window->run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY(finished.first().first().toBool());
    QCOMPARE(m_app.sandbox->tokenRequestCount(QStringLiteral("seismic")), 1);
    const QString flowToken = walkthrough->capturedValues().value(QStringLiteral("access_token")).value;
    QVERIFY(!flowToken.isEmpty());

    QVERIFY(send(QStringLiteral("GET"), QStringLiteral("/v1/card/bins")));
    // No second sign-in: the Requests tab sent the very token the Flow tab fetched.
    QCOMPARE(m_app.sandbox->tokenRequestCount(QStringLiteral("seismic")), 1);
    QVERIFY(composer()->session());
    QCOMPARE(composer()->session()->accessToken()->value, flowToken);
    QCOMPARE(m_app.window->sessions()->find(seismic, QString()), composer()->session());
}

void TestOneSession::aTokenFetchedByTheRequestsTabAppearsOnTheTimeline()
{
    const QString banking = environmentOf(QStringLiteral("banking"));
    QVERIFY(!banking.isEmpty());
    m_app.window->selectEnvironment(banking);
    const QString lane = MainWindow::laneId(banking, QString(), QStringLiteral("access_token"));
    QVERIFY(!m_app.window->timelineModel()->entry(lane)); // the flow never ran
    QVERIFY(send(QStringLiteral("GET"), QStringLiteral("/accounts")));
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->timelineModel()->entry(lane), 15000);
    auto* timeline = m_app.window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
    QCOMPARE(timeline->laneState(lane), ui::TimelineWidget::LaneState::Valid);
}

void TestOneSession::aRefusedTokenIsRenewedOnceAndTheLaneShowsTheNewOne()
{
    const QString seismic = environmentOf(QStringLiteral("seismic"));
    m_app.window->selectEnvironment(seismic);
    QVERIFY(send(QStringLiteral("GET"), QStringLiteral("/v1/card/bins")));
    QVERIFY2(composer()->statusText().contains(QStringLiteral("new access token")),
             qPrintable(composer()->statusText()));
    const QString lane = MainWindow::laneId(seismic, QString(), QStringLiteral("access_token"));
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->timelineModel()->entry(lane), 15000);
    const QDateTime firstIssued = m_app.window->timelineModel()->entry(lane)->issued;
    const QString first = composer()->session()->accessToken()->value;

    // The provider revokes every token: the next call is refused, renewed once, and sent again.
    QVERIFY(m_app.sandbox->setFault(QStringLiteral("seismic"), QStringLiteral("revoke"), true));
    QTest::qWait(5); // a later issue time for the renewed token
    QVERIFY(send(QStringLiteral("GET"), QStringLiteral("/v1/card/bins")));
    QCOMPARE(m_app.sandbox->tokenRequestCount(QStringLiteral("seismic")), 2);
    const QString second = composer()->session()->accessToken()->value;
    QVERIFY(second != first);
    // The status line says what happened on the way, not only the final status.
    QVERIFY2(composer()->statusText().contains(QStringLiteral("renewed it once")),
             qPrintable(composer()->statusText()));
    // The walkthrough's session is the same one: the timeline shows the renewed token, not the revoked one.
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->timelineModel()->entry(lane)->issued > firstIssued, 15000);
    QVERIFY(!m_app.window->timelineModel()->entry(lane)->failed);
    bool sawRefusal = false;
    for (const FlowEvent& event : m_app.window->timelineEvents()) {
        sawRefusal = sawRefusal || (event.type == FlowEvent::Type::Expired && event.stepId == QLatin1String("api"));
    }
    QVERIFY(sawRefusal);
}

void TestOneSession::credentialSetSelectorDrivesEveryTabAndHasItsOwnLanes()
{
    const QString astrada = environmentOf(QStringLiteral("astrada"));
    QVERIFY(!astrada.isEmpty());
    m_app.window->selectEnvironment(astrada);
    auto* sets = m_app.window->findChild<QComboBox*>(QStringLiteral("credentialSetCombo"));
    QVERIFY(sets);
    QTRY_VERIFY_WITH_TIMEOUT(sets->isVisible(), 15000);
    QCOMPARE(sets->count(), 2);
    QCOMPARE(m_app.window->currentCredentialSet(), QStringLiteral("api"));

    m_app.window->setCurrentCredentialSet(QStringLiteral("sdk"));
    QCOMPARE(m_app.window->currentCredentialSet(), QStringLiteral("sdk"));
    FlowWalkthrough* walkthrough = m_app.window->walkthrough();
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    m_app.window->run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY2(finished.first().first().toBool(), qPrintable(walkthrough->statusText()));
    const QString sdkLane = MainWindow::laneId(astrada, QStringLiteral("sdk"), QStringLiteral("access_token"));
    const QString apiLane = MainWindow::laneId(astrada, QStringLiteral("api"), QStringLiteral("access_token"));
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->timelineModel()->entry(sdkLane), 15000);
    QVERIFY(!m_app.window->timelineModel()->entry(apiLane));
    QVERIFY(m_app.window->timelineModel()->entry(sdkLane)->name.contains(QStringLiteral("sdk")));
    // The Requests tab uses the sdk set's session too (the walkthrough hands its token over once the
    // registry has read the set's credentials, which may be after the lane appeared).
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->sessions()->find(astrada, QStringLiteral("sdk")), 10000);
    QVERIFY(!m_app.window->sessions()->find(astrada, QStringLiteral("api")));
}

QTEST_MAIN(TestOneSession)
#include "tst_one_session.moc"
