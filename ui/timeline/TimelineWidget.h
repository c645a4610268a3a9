#pragma once

#include "ui/timeline/TimelineModel.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

namespace keyway::ui {

// Draws each captured value as a bar from issue to expiry against a moving "now" line, with a countdown,
// green → amber (last 20 % of its life or last minute) → red once expired; consumed single-use codes are
// cut at the moment of use and ticked. Ctrl+wheel and +/- zoom around "now", F (or 0) fits everything.
// It repaints only when something on screen would change: the timer is armed for the next second a
// countdown ticks, the next pixel the now line moves, or the next colour change, and is off when the
// widget is hidden or empty. All times come from keyway::Clock.
class TimelineWidget : public QWidget
{
    Q_OBJECT
public:
    enum class LaneState { Valid, ExpiringSoon, Expired, Consumed, Failed, NoExpiry };
    Q_ENUM(LaneState)

    static constexpr int AxisHeight = 28;
    static constexpr int LaneHeight = 40;
    static constexpr int BarHeight = 12;
    static constexpr int Margin = 12;
    static constexpr qint64 AmberLastMs = 60 * 1000; // default of the warning threshold
    static constexpr double AmberLastFraction = 0.2;
    // A bar turns amber in its last fifth or its last `ms`, whichever is longer (the user's timeline
    // warning preference; applies to every timeline).
    static void setWarningThresholdMs(qint64 ms);
    static qint64 warningThresholdMs();

    explicit TimelineWidget(QWidget* parent = nullptr);

    void setModel(TimelineModel* model);
    TimelineModel* model() const { return m_model; }

    LaneState laneState(const QString& id) const;
    QString countdownText(const QString& id) const; // "expires in 4:59", "expired 12 s ago", "used at 12:00:05"
    QString toolTipText(const QString& id) const; // exact issue / expiry / consumed times
    QRect laneBarRect(const QString& id) const; // where the bar is drawn (full planned life), widget coords
    QString laneAt(const QPoint& pos) const;
    QString summaryText() const; // one sentence per lane, for screen readers and tests

    // Visible time range; zoom factors > 1 zoom in. Zooming leaves "fit" mode until fit() is called.
    QDateTime viewStart() const;
    QDateTime viewEnd() const;
    void zoom(double factor);
    void fit();
    void setVisibleRange(const QDateTime& start, const QDateTime& end); // leaves fit mode
    bool isFitting() const { return m_fitting; }

    bool isRepaintScheduled() const { return m_ticker.isActive(); }
    qint64 scheduledRepaintMs() const { return m_ticker.isActive() ? m_ticker.interval() : -1; }
    // When the picture would next change, from now, or -1 for never (nothing moves at this zoom).
    qint64 nextChangeMs() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // A right click (or the menu key) on lane `id`: whoever wires the window offers what can be done with it.
    void laneMenuRequested(const QString& id, const QPoint& globalPos);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    struct Range
    {
        qint64 start = 0;
        qint64 end = 0;
    };
    Range fittedRange() const;
    Range currentRange() const;
    QRect plotRect() const;
    double xFor(qint64 msecs, const Range& range) const;
    QColor stateColor(LaneState state) const;
    void drawAxis(QPainter& painter, const Range& range) const;
    void drawLane(QPainter& painter, const TimelineEntry& entry, int lane, const Range& range) const;
    void onModelChanged();
    void reschedule();

    QPointer<TimelineModel> m_model;
    bool m_fitting = true;
    Range m_manual; // the range while not fitting
    QTimer m_ticker;
};

} // namespace keyway::ui
