// The device sign-in and the token lifecycle in the desktop app, offscreen against the embedded sandbox: the
// walkthrough shows the user code big and copyable with a QR code and a countdown, the test approves it on the
// sandbox's verification page like a person would, and a right click on the refresh token's lane revokes it.
#include "core/session/SessionRegistry.h"
#include "tests/support/SandboxBrowser.h"
#include "tests/support/ui/SandboxApp.h"
#include "ui/MainWindow.h"
#include "ui/common/SignInWait.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace keyway;
using keyway::ui::FlowWalkthrough;
using keyway::ui::MainWindow;

class TestDeviceUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        test::isolateApplication(m_config.path(), QStringLiteral("keyway-test-device-ui"));
        QVERIFY(m_app.start(QSize(1280, 800)));
        m_app.sandbox->setTimeScale(5); // polls every second
    }

    void cleanupTestCase() { m_app.stop(); }

    void userCodeShownCopyableThenApprovedThenRevoked()
    {
        QString device;
        for (const Environment& environment : m_app.window->environmentStore().environments()) {
            if (environment.providerId == QLatin1String("oauth2-device")) {
                device = environment.id;
            }
        }
        QVERIFY2(!device.isEmpty(), "the sandbox made no oauth2-device demo environment");
        m_app.window->selectEnvironment(device);
        FlowWalkthrough* walkthrough = m_app.window->walkthrough();
        QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
        m_app.window->run();

        auto* wait = walkthrough->findChild<ui::SignInWait*>(QStringLiteral("browserWait"));
        QVERIFY(wait);
        QTRY_VERIFY_WITH_TIMEOUT(wait->isShowingDeviceCode(), 10000);
        auto* code = wait->findChild<QLabel*>(QStringLiteral("browserUserCode"));
        QVERIFY(code && code->isVisible());
        QVERIFY2(QRegularExpression(QStringLiteral("^[A-Z]{4}-[A-Z]{4}$")).match(code->text()).hasMatch(),
                 qPrintable(code->text()));
        QVERIFY(code->font().pointSizeF() > 2 * QApplication::font().pointSizeF());
        QVERIFY(code->textInteractionFlags() & Qt::TextSelectableByMouse);
        auto* qr = wait->findChild<QLabel*>(QStringLiteral("browserQrCode"));
        QVERIFY(qr && qr->isVisible());
        QVERIFY(qr->pixmap().width() >= 100);
        QVERIFY2(wait->text().contains(QStringLiteral("The code expires in ")), qPrintable(wait->text()));
        // The browser sign-in's address row is not what a device sign-in needs.
        QVERIFY(!wait->findChild<QWidget*>(QStringLiteral("browserUrlField"))->isVisible());

        m_app.window->grab().save(QStringLiteral("/tmp/device-signin.png"));
        QTest::mouseClick(wait->findChild<QPushButton*>(QStringLiteral("browserCopyCodeButton")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), code->text());

        // The person approves on the verification page; the walkthrough notices on its next poll.
        QNetworkAccessManager nam;
        const auto approved = test::httpExchange(
            nam,
            "POST",
            QUrl(m_app.sandbox->rootUrl().toString() + QStringLiteral("/oauth2/device")),
            "user_code=" + code->text().toLatin1() + "&username=demo&password=keyway-demo&decision=approve",
            {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(approved.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        QVERIFY(finished.first().first().toBool());
        QVERIFY(!wait->isVisible());

        auto* timeline = m_app.window->findChild<ui::TimelineWidget*>(QStringLiteral("timeline"));
        const QString deviceLane = MainWindow::laneId(device, QString(), QStringLiteral("device_code"));
        QVERIFY(m_app.window->timelineModel()->entry(deviceLane));
        QCOMPARE(timeline->laneState(deviceLane), ui::TimelineWidget::LaneState::Consumed);
        QVERIFY(
            !m_app.window->timelineModel()->entry(MainWindow::laneId(device, QString(), QStringLiteral("user_code"))));
        // The user id the token reply names gets the profile's readable lane name, never a snake_case key.
        const auto userIdLane
            = m_app.window->timelineModel()->entry(MainWindow::laneId(device, QString(), QStringLiteral("user_id")));
        QVERIFY(userIdLane);
        QCOMPARE(userIdLane->name, QStringLiteral("user ID"));
        QVERIFY2(!timeline->summaryText().contains(QStringLiteral("user_id")), qPrintable(timeline->summaryText()));

        // Right click on the refresh token's lane → Revoke.
        const QString refreshLane = MainWindow::laneId(device, QString(), QStringLiteral("refresh_token"));
        QTRY_VERIFY(m_app.window->timelineModel()->entry(refreshLane));
        QTRY_VERIFY(m_app.window->sessions()->find(device, QString()));
        QVERIFY(m_app.window->sessions()->find(device, QString())->values().contains(QStringLiteral("refresh_token")));
        const QPoint at = timeline->laneBarRect(refreshLane).center();
        QContextMenuEvent rightClick(QContextMenuEvent::Mouse, at, timeline->mapToGlobal(at));
        QApplication::sendEvent(timeline, &rightClick);
        QMenu* menu = nullptr;
        QTRY_VERIFY((menu = m_app.window->findChild<QMenu*>(QStringLiteral("timelineLaneMenu"))));
        auto* revoke = menu->findChild<QAction*>(QStringLiteral("revokeAction"));
        QVERIFY(revoke && revoke->isEnabled());
        QVERIFY(menu->findChild<QAction*>(QStringLiteral("introspectAction")));
        revoke->trigger();
        menu->close();

        QTRY_COMPARE_WITH_TIMEOUT(timeline->laneState(refreshLane), ui::TimelineWidget::LaneState::Failed, 10000);
        QCOMPARE(timeline->countdownText(refreshLane), QStringLiteral("revoked"));
        QVERIFY(timeline->summaryText().contains(QStringLiteral("refresh token")));
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = m_app.window->findChild<QMessageBox*>(QStringLiteral("tokenLifecycleReply"))));
        QVERIFY2(box->text().contains(QStringLiteral("revoked at the provider")), qPrintable(box->text()));
        QVERIFY(!m_app.window->sessions()->find(device, QString())->values().contains(QStringLiteral("refresh_token")));
        box->close();
    }

private:
    QTemporaryDir m_config;
    test::SandboxApp m_app;
};

QTEST_MAIN(TestDeviceUi)
#include "tst_device_ui.moc"
