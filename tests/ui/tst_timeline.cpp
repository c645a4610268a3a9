#include "tests/support/FakeClock.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QHelpEvent>
#include <QImage>
#include <QScrollArea>
#include <QScrollBar>
#include <QTest>
#include <QToolTip>

using namespace keyway;
using keyway::ui::TimelineEntry;
using keyway::ui::TimelineModel;
using keyway::ui::TimelineWidget;
using State = TimelineWidget::LaneState;

namespace {
const QDateTime Start(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);

TimelineEntry token(const QString& id, qint64 lifeSecs, const QString& name = QStringLiteral("access token"))
{
    TimelineEntry e;
    e.id = id;
    e.name = name;
    e.environment = QStringLiteral("seismic sandbox");
    e.issued = Clock::currentDateTimeUtc();
    e.expires = lifeSecs > 0 ? e.issued.addSecs(lifeSecs) : QDateTime();
    return e;
}

// The colour in the middle of a lane's bar, as painted.
QColor barColour(TimelineWidget& widget, const QString& id, double at = 0.5)
{
    const QImage image = widget.grab().toImage();
    const QRect bar = widget.laneBarRect(id);
    const int x = bar.left() + static_cast<int>(bar.width() * at);
    return image.pixelColor(x, bar.center().y());
}

bool isGreen(const QColor& c)
{
    return c.green() > c.red() + 40 && c.green() > c.blue() + 40;
}
bool isAmber(const QColor& c)
{
    return c.red() > 200 && c.green() > 120 && c.blue() < 80 && c.red() > c.green();
}
bool isRed(const QColor& c)
{
    return c.red() > 150 && c.green() < 90 && c.blue() < 90;
}
} // namespace

class TestTimeline : public QObject
{
    Q_OBJECT
private:
    test::FakeClock* m_clock = nullptr;
    TimelineModel* m_model = nullptr;
    TimelineWidget* m_widget = nullptr;

private Q_SLOTS:
    void init()
    {
        m_clock = test::FakeClock::install(Start);
        m_model = new TimelineModel;
        m_widget = new TimelineWidget;
        m_widget->setModel(m_model);
        m_widget->resize(800, 260);
        m_widget->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_widget));
    }
    void cleanup()
    {
        delete m_widget;
        delete m_model;
        Clock::resetInstance();
    }

    void tokenGoesGreenAmberRed()
    {
        m_model->upsert(token(QStringLiteral("tok"), 300));
        QCOMPARE(m_widget->laneState(QStringLiteral("tok")), State::Valid);
        QCOMPARE(m_widget->countdownText(QStringLiteral("tok")), QStringLiteral("expires in 5:00"));
        QVERIFY2(isGreen(barColour(*m_widget, QStringLiteral("tok"))),
                 qPrintable(barColour(*m_widget, QStringLiteral("tok")).name()));

        m_clock->advanceSeconds(4 * 60 + 10); // 50 s left: the last minute and the last 20 %
        QCOMPARE(m_widget->laneState(QStringLiteral("tok")), State::ExpiringSoon);
        QCOMPARE(m_widget->countdownText(QStringLiteral("tok")), QStringLiteral("expires in 0:50"));
        QVERIFY2(isAmber(barColour(*m_widget, QStringLiteral("tok"))),
                 qPrintable(barColour(*m_widget, QStringLiteral("tok")).name()));

        m_clock->advanceSeconds(62);
        QCOMPARE(m_widget->laneState(QStringLiteral("tok")), State::Expired);
        QCOMPARE(m_widget->countdownText(QStringLiteral("tok")), QStringLiteral("expired 12 s ago"));
        QVERIFY2(isRed(barColour(*m_widget, QStringLiteral("tok"))),
                 qPrintable(barColour(*m_widget, QStringLiteral("tok")).name()));
        QVERIFY(m_widget->accessibleDescription().isEmpty() == false);
    }

    void longLivedTokenTurnsAmberInItsLastFifth()
    {
        m_model->upsert(token(QStringLiteral("refresh"), 30 * 86400, QStringLiteral("refresh token")));
        m_clock->advanceSeconds(23 * 86400);
        QCOMPARE(m_widget->laneState(QStringLiteral("refresh")), State::Valid);
        m_clock->advanceSeconds(2 * 86400);
        QCOMPARE(m_widget->laneState(QStringLiteral("refresh")), State::ExpiringSoon);
        QCOMPARE(m_widget->countdownText(QStringLiteral("refresh")), QStringLiteral("expires in 5 d 0 h"));
    }

    void consumedCodeIsCutAndTicked()
    {
        TimelineEntry code = token(QStringLiteral("code"), 600, QStringLiteral("authorization code"));
        code.singleUse = true;
        m_model->upsert(code);
        m_model->upsert(token(QStringLiteral("tok"), 300));
        m_clock->advanceSeconds(5);
        QVERIFY(m_model->markConsumed(QStringLiteral("code"), Clock::currentDateTimeUtc()));
        QCOMPARE(m_widget->laneState(QStringLiteral("code")), State::Consumed);
        QVERIFY(m_widget->countdownText(QStringLiteral("code")).contains(QStringLiteral("used at")));
        QVERIFY(m_widget->summaryText().contains(QStringLiteral("authorization code (seismic sandbox): ✓ used at")));
        // After the cut the planned life is only an outline: the middle of the bar shows the background.
        const QColor afterCut = barColour(*m_widget, QStringLiteral("code"), 0.6);
        const QPalette& palette = m_widget->palette();
        QVERIFY2(afterCut == palette.color(QPalette::Base) || afterCut == palette.color(QPalette::Mid),
                 qPrintable(afterCut.name()));
        // The tick mark is drawn in green at the moment of use.
        const QImage image = m_widget->grab().toImage();
        const QRect bar = m_widget->laneBarRect(QStringLiteral("code"));
        bool greenTick = false;
        for (int x = bar.left(); x < bar.left() + bar.width() / 3 + 12 && !greenTick; ++x) {
            for (int y = bar.top() - 6; y <= bar.bottom() + 6; ++y) {
                greenTick = greenTick || isGreen(image.pixelColor(x, y));
            }
        }
        QVERIFY(greenTick);
    }

    void hoverShowsExactTimes()
    {
        TimelineEntry code = token(QStringLiteral("code"), 600, QStringLiteral("authorization code"));
        code.singleUse = true;
        code.consumed = code.issued.addSecs(3);
        m_model->upsert(code);
        const QString tip = m_widget->toolTipText(QStringLiteral("code"));
        QVERIFY(tip.contains(QStringLiteral("Issued: ")
                             + code.issued.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
        QVERIFY(tip.contains(QStringLiteral("Expires: ")
                             + code.expires.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
        QVERIFY(tip.contains(QStringLiteral("Consumed: ")));

        const QPoint pos = m_widget->laneBarRect(QStringLiteral("code")).center();
        QCOMPARE(m_widget->laneAt(pos), QStringLiteral("code"));
        QHelpEvent help(QEvent::ToolTip, pos, m_widget->mapToGlobal(pos));
        QCoreApplication::sendEvent(m_widget, &help);
        QTRY_COMPARE(QToolTip::text(), tip);
    }

    void repaintsOnlyWhenSomethingMoves()
    {
        // Empty, the axis is still a clock: it moves on each second instead of freezing.
        QVERIFY(m_widget->isRepaintScheduled());
        QVERIFY(m_widget->scheduledRepaintMs() <= 1000);
        const QDateTime before = m_widget->viewEnd();
        m_clock->advanceSeconds(5);
        QCOMPARE(m_widget->viewEnd(), before.addSecs(5));

        m_model->upsert(token(QStringLiteral("tok"), 300));
        QVERIFY(m_widget->isRepaintScheduled()); // the countdown ticks every second
        QVERIFY(m_widget->scheduledRepaintMs() <= 1000);

        m_widget->hide();
        QVERIFY(!m_widget->isRepaintScheduled());
        m_widget->show();
        QVERIFY(m_widget->isRepaintScheduled());

        // Only finished lanes, and "now" outside the visible range: nothing on screen can change.
        m_model->markFailed(QStringLiteral("tok"));
        m_widget->setVisibleRange(Start.addSecs(-3600), Start.addSecs(-60));
        QVERIFY(!m_widget->isRepaintScheduled());
        QCOMPARE(m_widget->nextChangeMs(), -1);

        // A 30-day refresh token at fit zoom changes about once an hour, not every second.
        m_model->clear();
        m_widget->fit();
        m_model->upsert(token(QStringLiteral("refresh"), 30 * 86400, QStringLiteral("refresh token")));
        QVERIFY(m_widget->isRepaintScheduled());
        QVERIFY2(m_widget->scheduledRepaintMs() >= 60 * 1000,
                 qPrintable(QString::number(m_widget->scheduledRepaintMs())));
    }

    void currentEnvironmentFirstAndFilter()
    {
        TimelineEntry other = token(QStringLiteral("b/access_token"), 300);
        other.environmentId = QStringLiteral("b");
        other.environment = QStringLiteral("Bank");
        TimelineEntry mine = token(QStringLiteral("a/access_token"), 300);
        mine.environmentId = QStringLiteral("a");
        mine.environment = QStringLiteral("Seismic");
        m_model->upsert(other);
        m_model->upsert(mine);
        m_model->setCurrentEnvironment(QStringLiteral("a"));
        // The selected environment's lane is drawn first although it came second.
        QCOMPARE(m_widget->laneAt(QPoint(20, TimelineWidget::AxisHeight + 5)), QStringLiteral("a/access_token"));
        QCOMPARE(m_widget->laneAt(QPoint(20, TimelineWidget::AxisHeight + TimelineWidget::LaneHeight + 5)),
                 QStringLiteral("b/access_token"));
        QVERIFY(m_widget->summaryText().startsWith(QStringLiteral("access token (Seismic)")));

        m_model->setCurrentEnvironmentOnly(true);
        QVERIFY(!m_widget->summaryText().contains(QStringLiteral("Bank")));
        QVERIFY(m_widget->laneBarRect(QStringLiteral("b/access_token")).isNull());
        m_model->setCurrentEnvironmentOnly(false);
        QVERIFY(m_widget->summaryText().contains(QStringLiteral("(Bank)")));

        // A rename shows at once: the name comes from whoever knows the environments, by id.
        QString bankName = QStringLiteral("Bank");
        m_model->setEnvironmentNamer(
            [&bankName](const QString& id) { return id == QLatin1String("b") ? bankName : QString(); });
        bankName = QStringLiteral("Bank (renamed)");
        m_model->environmentsChanged();
        QVERIFY2(m_widget->summaryText().contains(QStringLiteral("(Bank (renamed))")),
                 qPrintable(m_widget->summaryText()));
        QVERIFY(m_widget->toolTipText(QStringLiteral("b/access_token")).contains(QStringLiteral("Bank (renamed)")));
        m_model->setEnvironmentNamer({});
    }

    void manyLanesScrollInsteadOfFallingOff()
    {
        QScrollArea area;
        area.setWidgetResizable(true);
        auto* widget = new TimelineWidget;
        widget->setModel(m_model);
        area.setWidget(widget);
        area.resize(600, 200);
        area.show();
        QVERIFY(QTest::qWaitForWindowExposed(&area));
        for (int i = 0; i < 12; ++i) {
            m_model->upsert(token(QStringLiteral("tok%1").arg(i), 300 + i));
        }
        QCoreApplication::processEvents();
        QTRY_VERIFY(widget->height() >= TimelineWidget::AxisHeight + 12 * TimelineWidget::LaneHeight);
        QVERIFY(area.verticalScrollBar()->maximum() > 0);
        // The last lane can be reached: scrolled to the bottom, its bar is inside the viewport.
        area.verticalScrollBar()->setValue(area.verticalScrollBar()->maximum());
        const QRect last = widget->laneBarRect(QStringLiteral("tok11"));
        const QPoint inViewport = widget->mapTo(area.viewport(), last.center());
        QVERIFY(area.viewport()->rect().contains(inViewport));
    }

    void assumedLifetimeIsDashedAndSaysSo()
    {
        TimelineEntry given = token(QStringLiteral("given"), 600);
        TimelineEntry assumed = token(QStringLiteral("assumed"), 600);
        assumed.lifetimeAssumed = true;
        m_model->upsert(given);
        m_model->upsert(assumed);
        QVERIFY(m_widget->toolTipText(QStringLiteral("assumed")).contains(QStringLiteral("assumed")));
        QVERIFY(!m_widget->toolTipText(QStringLiteral("given")).contains(QStringLiteral("assumed")));
        // A stated lifetime is a solid bar; an assumed one is pale inside a dashed outline.
        QVERIFY(isGreen(barColour(*m_widget, QStringLiteral("given"))));
        const QColor inside = barColour(*m_widget, QStringLiteral("assumed"));
        QVERIFY2(!isGreen(inside), qPrintable(inside.name()));
        const QImage image = m_widget->grab().toImage();
        const QRect bar = m_widget->laneBarRect(QStringLiteral("assumed"));
        int changes = 0;
        bool wasGreen = isGreen(image.pixelColor(bar.left() + 4, bar.top() + 1));
        for (int x = bar.left() + 4; x < bar.right() - 4; ++x) {
            const bool green = isGreen(image.pixelColor(x, bar.top() + 1));
            changes += green != wasGreen ? 1 : 0;
            wasGreen = green;
        }
        QVERIFY2(changes >= 6, qPrintable(QString::number(changes))); // dashes, not a line
    }

    void zoomAndFit()
    {
        m_model->upsert(token(QStringLiteral("refresh"), 30 * 86400, QStringLiteral("refresh token")));
        m_model->upsert(token(QStringLiteral("tok"), 300));
        QVERIFY(m_widget->isFitting());
        const qint64 fitted = m_widget->viewStart().msecsTo(m_widget->viewEnd());
        QVERIFY(fitted >= qint64(30) * 86400 * 1000);
        QTest::keyClick(m_widget, Qt::Key_Plus);
        QVERIFY(!m_widget->isFitting());
        QVERIFY(m_widget->viewStart().msecsTo(m_widget->viewEnd()) < fitted);
        const QDateTime now = Clock::currentDateTimeUtc();
        QVERIFY(m_widget->viewStart() <= now && now <= m_widget->viewEnd()); // zoom keeps "now" in view
        QTest::keyClick(m_widget, Qt::Key_F);
        QVERIFY(m_widget->isFitting());
        // Zoomed in to ten minutes, the 5-minute token is a wide bar.
        m_widget->setVisibleRange(now.addSecs(-60), now.addSecs(540));
        QVERIFY(m_widget->laneBarRect(QStringLiteral("tok")).width() > 300);
    }
};

QTEST_MAIN(TestTimeline)
#include "tst_timeline.moc"
