#include "ui/timeline/TimelineWidget.h"

#include "core/util/Clock.h"
#include "ui/timeline/DurationFormat.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>

#include <array>
#include <cmath>

namespace keyway::ui {

namespace {

constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;
constexpr qint64 MinSpan = 10 * Second;
constexpr qint64 MaxSpan = 400 * Day;
constexpr int MinTickSpacingPx = 90;
constexpr int MinRepaintMs = 16;

qint64 nowMs()
{
    return Clock::currentMSecsSinceEpoch();
}

// How often a countdown label of this magnitude changes its text.
qint64 labelGranularity(qint64 msecs)
{
    if (msecs < Hour) {
        return Second;
    }
    return msecs < Day ? Minute : Hour;
}

qint64 untilNextMultiple(qint64 msecs, qint64 granularity)
{
    const qint64 rest = msecs % granularity;
    return rest == 0 ? granularity : rest;
}

TimelineWidget::LaneState stateOf(const TimelineEntry& e, qint64 now)
{
    using S = TimelineWidget::LaneState;
    if (e.failed) {
        return S::Failed;
    }
    if (e.consumed.isValid()) {
        return S::Consumed;
    }
    if (!e.expires.isValid()) {
        return S::NoExpiry;
    }
    const qint64 expires = e.expires.toMSecsSinceEpoch();
    if (now >= expires) {
        return S::Expired;
    }
    const qint64 left = expires - now;
    const qint64 life = e.issued.isValid() ? std::max<qint64>(0, expires - e.issued.toMSecsSinceEpoch()) : 0;
    const auto amberAt
        = std::max<qint64>(TimelineWidget::warningThresholdMs(),
                           static_cast<qint64>(static_cast<double>(life) * TimelineWidget::AmberLastFraction));
    return left <= amberAt ? S::ExpiringSoon : S::Valid;
}

} // namespace

namespace {
qint64 g_warningThresholdMs = TimelineWidget::AmberLastMs;
} // namespace

void TimelineWidget::setWarningThresholdMs(qint64 ms)
{
    g_warningThresholdMs = std::max<qint64>(0, ms);
}

qint64 TimelineWidget::warningThresholdMs()
{
    return g_warningThresholdMs;
}

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("timelineWidget"));
    setAccessibleName(tr("Token timeline"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_ticker.setSingleShot(true);
    m_ticker.setObjectName(QStringLiteral("timelineRepaintTimer"));
    connect(&m_ticker, &QTimer::timeout, this, [this] {
        setAccessibleDescription(summaryText());
        update();
        reschedule();
    });
}

void TimelineWidget::setModel(TimelineModel* model)
{
    if (m_model) {
        disconnect(m_model, nullptr, this, nullptr);
    }
    m_model = model;
    if (m_model) {
        connect(m_model, &TimelineModel::changed, this, &TimelineWidget::onModelChanged);
    }
    onModelChanged();
}

void TimelineWidget::onModelChanged()
{
    setAccessibleDescription(summaryText());
    updateGeometry();
    update();
    reschedule();
}

TimelineWidget::LaneState TimelineWidget::laneState(const QString& id) const
{
    const auto e = m_model ? m_model->entry(id) : std::nullopt;
    return e ? stateOf(*e, nowMs()) : LaneState::Failed;
}

QString TimelineWidget::countdownText(const QString& id) const
{
    const auto e = m_model ? m_model->entry(id) : std::nullopt;
    if (!e) {
        return {};
    }
    switch (stateOf(*e, nowMs())) {
    case LaneState::Failed:
        return e->revoked ? tr("revoked") : tr("revoked or failed");
    case LaneState::Consumed:
        return tr("✓ used at %1").arg(momentText(e->consumed));
    case LaneState::NoExpiry:
        return tr("no expiry given");
    case LaneState::Expired: {
        const qint64 agoMs = nowMs() - e->expires.toMSecsSinceEpoch();
        return expiryPhrase(-(agoMs / Second));
    }
    case LaneState::Valid:
    case LaneState::ExpiringSoon: {
        const qint64 leftMs = e->expires.toMSecsSinceEpoch() - nowMs();
        return expiryPhrase((leftMs + Second - 1) / Second); // 4:59.2 left reads "4:60" → "5:00"
    }
    }
    return {};
}

QString TimelineWidget::toolTipText(const QString& id) const
{
    const auto e = m_model ? m_model->entry(id) : std::nullopt;
    if (!e) {
        return {};
    }
    QStringList lines;
    const QString environment = m_model->environmentName(*e);
    lines << (environment.isEmpty() ? e->name : tr("%1 — %2").arg(e->name, environment));
    lines << tr("Issued: %1").arg(e->issued.isValid() ? momentText(e->issued) : tr("unknown"));
    if (!e->expires.isValid()) {
        lines << tr("Expires: not given by the provider");
    } else if (e->lifetimeAssumed) {
        lines << tr("Expires: %1 (assumed: the provider gave no lifetime, this is the profile's default)")
                     .arg(momentText(e->expires));
    } else {
        lines << tr("Expires: %1").arg(momentText(e->expires));
    }
    if (e->singleUse) {
        lines << (e->consumed.isValid() ? tr("Consumed: %1 (single use)").arg(momentText(e->consumed))
                                        : tr("Single use, not consumed yet"));
    }
    if (e->revoked) {
        lines << tr("Revoked at the provider");
    } else if (e->failed) {
        lines << tr("Revoked or refused");
    }
    lines << countdownText(id);
    return lines.join(QLatin1Char('\n'));
}

QString TimelineWidget::summaryText() const
{
    if (!m_model || m_model->visibleEntries().isEmpty()) {
        return tr("No codes or tokens yet.");
    }
    QStringList parts;
    for (const TimelineEntry& e : m_model->visibleEntries()) {
        const QString environment = m_model->environmentName(e);
        const QString who = environment.isEmpty() ? e.name : tr("%1 (%2)").arg(e.name, environment);
        parts << tr("%1: %2").arg(who, countdownText(e.id));
    }
    return parts.join(QStringLiteral("; ")) + QLatin1Char('.');
}

TimelineWidget::Range TimelineWidget::fittedRange() const
{
    const qint64 now = nowMs();
    Range r {now, now};
    if (m_model) {
        for (const TimelineEntry& e : m_model->visibleEntries()) {
            if (e.issued.isValid()) {
                r.start = std::min(r.start, e.issued.toMSecsSinceEpoch());
            }
            if (e.expires.isValid()) {
                r.end = std::max(r.end, e.expires.toMSecsSinceEpoch());
            }
            if (e.consumed.isValid()) {
                r.end = std::max(r.end, e.consumed.toMSecsSinceEpoch());
            }
        }
    }
    qint64 span = std::max(r.end - r.start, Minute);
    span = std::min(span, MaxSpan);
    r.start = std::max(r.start, r.end - span);
    // Room on the left for the first bar's start and on the right for the last expiry and the now label.
    return Range {r.start - span / 20, r.start + span + span / 8};
}

TimelineWidget::Range TimelineWidget::currentRange() const
{
    return m_fitting ? fittedRange() : m_manual;
}

QDateTime TimelineWidget::viewStart() const
{
    return QDateTime::fromMSecsSinceEpoch(currentRange().start, Qt::UTC);
}

QDateTime TimelineWidget::viewEnd() const
{
    return QDateTime::fromMSecsSinceEpoch(currentRange().end, Qt::UTC);
}

void TimelineWidget::zoom(double factor)
{
    if (factor <= 0) {
        return;
    }
    const Range r = currentRange();
    const qint64 now = nowMs();
    const qint64 anchor = (now >= r.start && now <= r.end) ? now : (r.start + r.end) / 2;
    const double span = static_cast<double>(r.end - r.start);
    const double newSpan = std::clamp(span / factor, static_cast<double>(MinSpan), static_cast<double>(MaxSpan));
    const double anchorFraction = static_cast<double>(anchor - r.start) / span;
    m_manual.start = anchor - static_cast<qint64>(anchorFraction * newSpan);
    m_manual.end = m_manual.start + static_cast<qint64>(newSpan);
    m_fitting = false;
    update();
    reschedule();
}

void TimelineWidget::setVisibleRange(const QDateTime& start, const QDateTime& end)
{
    const qint64 from = start.toMSecsSinceEpoch();
    const qint64 span = std::clamp(end.toMSecsSinceEpoch() - from, MinSpan, MaxSpan);
    m_manual = Range {from, from + span};
    m_fitting = false;
    update();
    reschedule();
}

void TimelineWidget::fit()
{
    m_fitting = true;
    update();
    reschedule();
}

QRect TimelineWidget::plotRect() const
{
    return QRect(Margin, 0, std::max(1, width() - 2 * Margin), height());
}

double TimelineWidget::xFor(qint64 msecs, const Range& range) const
{
    const QRect plot = plotRect();
    const double span = static_cast<double>(std::max<qint64>(1, range.end - range.start));
    return plot.left() + static_cast<double>(msecs - range.start) / span * plot.width();
}

QRect TimelineWidget::laneBarRect(const QString& id) const
{
    const auto e = m_model ? m_model->entry(id) : std::nullopt;
    if (!e) {
        return {};
    }
    const Range range = currentRange();
    const QRect plot = plotRect();
    const int lane = m_model->visibleIndexOf(id);
    if (lane < 0) {
        return {}; // filtered out
    }
    const int top = AxisHeight + lane * LaneHeight + LaneHeight - BarHeight - 6;
    const qint64 now = nowMs();
    const qint64 start = e->issued.isValid() ? e->issued.toMSecsSinceEpoch() : now;
    const qint64 end = e->expires.isValid() ? e->expires.toMSecsSinceEpoch() : std::max(now, range.end);
    const double x0 = std::max<double>(plot.left(), xFor(start, range));
    const double x1 = std::min<double>(plot.right(), xFor(end, range));
    return QRect(QPoint(static_cast<int>(std::floor(x0)), top),
                 QPoint(static_cast<int>(std::ceil(std::max(x0 + 2, x1))), top + BarHeight - 1));
}

QString TimelineWidget::laneAt(const QPoint& pos) const
{
    if (!m_model || pos.y() < AxisHeight) {
        return {};
    }
    const int lane = (pos.y() - AxisHeight) / LaneHeight;
    const QList<TimelineEntry> shown = m_model->visibleEntries();
    return lane < shown.size() ? shown.at(lane).id : QString();
}

QColor TimelineWidget::stateColor(LaneState state) const
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    switch (state) {
    case LaneState::Valid:
    case LaneState::NoExpiry:
        return dark ? QColor(0x66, 0xbb, 0x6a) : QColor(0x2e, 0x7d, 0x32);
    case LaneState::ExpiringSoon:
        return dark ? QColor(0xff, 0xca, 0x28) : QColor(0xf5, 0x9e, 0x00);
    case LaneState::Expired:
    case LaneState::Failed:
        return dark ? QColor(0xef, 0x53, 0x50) : QColor(0xc6, 0x28, 0x28);
    case LaneState::Consumed:
        return palette().color(QPalette::Disabled, QPalette::Text);
    }
    return palette().color(QPalette::Text);
}

QSize TimelineWidget::sizeHint() const
{
    const int lanes = m_model ? static_cast<int>(m_model->visibleEntries().size()) : 0;
    return QSize(640, AxisHeight + std::max(3, lanes) * LaneHeight + Margin);
}

QSize TimelineWidget::minimumSizeHint() const
{
    // Every lane fits: in a scroll area the lanes scroll instead of falling off the bottom.
    const int lanes = m_model ? static_cast<int>(m_model->visibleEntries().size()) : 0;
    return QSize(240, AxisHeight + std::max(1, lanes) * LaneHeight + Margin);
}

void TimelineWidget::drawAxis(QPainter& painter, const Range& range) const
{
    static constexpr std::array<qint64, 22> steps {
        Second,     2 * Second,  5 * Second,  10 * Second, 15 * Second, 30 * Second, Minute,   2 * Minute,
        5 * Minute, 10 * Minute, 15 * Minute, 30 * Minute, Hour,        2 * Hour,    3 * Hour, 6 * Hour,
        12 * Hour,  Day,         2 * Day,     7 * Day,     14 * Day,    30 * Day};
    const QRect plot = plotRect();
    const double span = static_cast<double>(range.end - range.start);
    qint64 step = steps.back();
    for (const qint64 candidate : steps) {
        if (static_cast<double>(candidate) / span * plot.width() >= MinTickSpacingPx) {
            step = candidate;
            break;
        }
    }
    const QString format = step < Minute ? QStringLiteral("HH:mm:ss")
        : step < Day                     ? QStringLiteral("HH:mm")
                                         : QStringLiteral("d MMM");
    // Ticks sit on local-time boundaries (whole minutes, local midnight), not UTC ones.
    const QDateTime startLocal = QDateTime::fromMSecsSinceEpoch(range.start).toLocalTime();
    const qint64 offsetMs = static_cast<qint64>(startLocal.offsetFromUtc()) * Second;
    qint64 tick = ((range.start + offsetMs) / step + 1) * step - offsetMs;

    const QColor grid = palette().color(QPalette::Mid);
    const QColor text = palette().color(QPalette::Text);
    painter.setPen(grid);
    painter.drawLine(plot.left(), AxisHeight - 1, plot.right(), AxisHeight - 1);
    for (; tick <= range.end; tick += step) {
        const int x = static_cast<int>(xFor(tick, range));
        painter.setPen(QPen(grid, 1, Qt::DotLine));
        painter.drawLine(x, AxisHeight, x, height());
        const QString label = QDateTime::fromMSecsSinceEpoch(tick).toLocalTime().toString(format);
        const int half = painter.fontMetrics().horizontalAdvance(label) / 2 + 1;
        if (x - half < 0 || x + half > width()) {
            continue; // a label cut by the edge reads as another time ("1:36:30"); the grid line is enough
        }
        painter.setPen(text);
        painter.drawText(QRect(x - 60, 4, 120, AxisHeight - 8), Qt::AlignCenter, label);
    }
}

void TimelineWidget::drawLane(QPainter& painter, const TimelineEntry& e, int lane, const Range& range) const
{
    const QRect plot = plotRect();
    const int top = AxisHeight + lane * LaneHeight;
    if (lane % 2 == 1) {
        painter.fillRect(QRect(0, top, width(), LaneHeight), palette().color(QPalette::AlternateBase));
    }
    const LaneState state = stateOf(e, nowMs());
    const QColor color = stateColor(state);

    // Label row: what and where on the left, the countdown on the right.
    const QRect labelRect(plot.left(), top + 2, plot.width(), LaneHeight - BarHeight - 8);
    painter.setPen(palette().color(QPalette::Text));
    const QString environment = m_model->environmentName(e);
    const QString title = environment.isEmpty() ? e.name : tr("%1 · %2").arg(e.name, environment);
    painter.drawText(labelRect, Qt::AlignLeft | Qt::AlignVCenter, title);
    QFont bold = painter.font();
    bold.setBold(true);
    painter.save();
    painter.setFont(bold);
    painter.setPen(state == LaneState::Consumed ? palette().color(QPalette::Text) : color);
    painter.drawText(labelRect, Qt::AlignRight | Qt::AlignVCenter, countdownText(e.id));
    painter.restore();

    const QRect bar = laneBarRect(e.id);
    painter.setPen(Qt::NoPen);
    if (state == LaneState::Consumed) {
        // The part of its life the code actually lived, then an outline of what it would have had.
        const double cut = std::clamp(xFor(e.consumed.toMSecsSinceEpoch(), range),
                                      static_cast<double>(bar.left()),
                                      static_cast<double>(bar.right()));
        painter.setBrush(color);
        painter.drawRect(QRectF(bar.left(), bar.top(), cut - bar.left(), bar.height()));
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(color, 1, Qt::DashLine));
        painter.drawRect(QRectF(cut, bar.top(), bar.right() - cut, bar.height() - 1));
        // The tick mark at the moment of use.
        const QColor tickColor = stateColor(LaneState::Valid);
        painter.setPen(QPen(tickColor, 2.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        QPainterPath check;
        const double cy = bar.center().y();
        check.moveTo(cut - 5, cy);
        check.lineTo(cut - 1, cy + 4);
        check.lineTo(cut + 7, cy - 6);
        painter.drawPath(check);
        return;
    }
    if (e.lifetimeAssumed && state != LaneState::Failed) {
        // An expiry the provider never stated: a pale bar in a dashed outline says it is a guess.
        QColor pale = color;
        pale.setAlpha(70);
        painter.setBrush(pale);
        painter.drawRect(bar);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(color, 2, Qt::DashLine, Qt::FlatCap));
        painter.drawRect(QRectF(bar).adjusted(1, 1, -1, -1));
        return;
    }
    painter.setBrush(color);
    painter.drawRoundedRect(bar, 3, 3);
    if (state == LaneState::Failed) {
        painter.setBrush(QBrush(palette().color(QPalette::Base), Qt::BDiagPattern));
        painter.drawRoundedRect(bar, 3, 3);
    } else if (state == LaneState::NoExpiry) {
        // Unknown end: fade the bar out past now instead of inventing an expiry.
        QLinearGradient fade(xFor(nowMs(), range), 0, bar.right(), 0);
        fade.setColorAt(0, Qt::transparent);
        fade.setColorAt(1, palette().color(QPalette::Base));
        painter.setBrush(fade);
        painter.drawRect(bar);
    }
}

void TimelineWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    painter.setRenderHint(QPainter::Antialiasing);
    const Range range = currentRange();
    drawAxis(painter, range);
    const QList<TimelineEntry> entries = m_model ? m_model->visibleEntries() : QList<TimelineEntry>();
    if (entries.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(0, AxisHeight, 0, 0),
                         Qt::AlignCenter | Qt::TextWordWrap,
                         tr("No codes or tokens yet. Run a flow step to see them here."));
    } else {
        for (int lane = 0; lane < entries.size(); ++lane) {
            drawLane(painter, entries.at(lane), lane, range);
        }
    }
    const qint64 now = nowMs();
    if (now >= range.start && now <= range.end) {
        const double x = xFor(now, range);
        const QColor nowColor = palette().color(QPalette::Highlight);
        painter.setPen(QPen(nowColor, 2));
        painter.drawLine(QPointF(x, AxisHeight - 6), QPointF(x, height()));
        painter.setPen(nowColor);
        QFont small = painter.font();
        small.setPointSizeF(small.pointSizeF() * 0.85);
        painter.setFont(small);
        painter.drawText(QRectF(x + 3, AxisHeight - 14, 40, 12), Qt::AlignLeft | Qt::AlignVCenter, tr("now"));
    }
}

qint64 TimelineWidget::nextChangeMs() const
{
    const qint64 now = nowMs();
    const QList<TimelineEntry> entries = m_model ? m_model->visibleEntries() : QList<TimelineEntry>();
    if (entries.isEmpty()) {
        // Nothing to count down, but the axis is a clock: it moves on once a second.
        return Second - now % Second;
    }
    const Range range = currentRange();
    qint64 next = -1;
    auto consider = [&next](qint64 ms) {
        if (ms > 0 && (next < 0 || ms < next)) {
            next = ms;
        }
    };
    // The now line moves one pixel every span / width milliseconds (and a fitted view grows with it).
    if (now >= range.start && now <= range.end) {
        consider((range.end - range.start) / std::max(1, plotRect().width()));
    }
    const int visibleLanes = std::max(0, (height() - AxisHeight + LaneHeight - 1) / LaneHeight);
    for (int lane = 0; lane < entries.size() && lane < visibleLanes; ++lane) {
        const TimelineEntry& e = entries.at(lane);
        const LaneState state = stateOf(e, now);
        if (state == LaneState::Failed || state == LaneState::Consumed || state == LaneState::NoExpiry) {
            continue; // their labels and colours no longer change
        }
        const qint64 expires = e.expires.toMSecsSinceEpoch();
        if (state == LaneState::Expired) {
            // "expired 12 s ago" ticks each second for a minute, then each minute, then each hour.
            const qint64 ago = now - expires;
            const qint64 step = ago < Minute ? Second : (ago < Day ? Minute : Hour);
            consider(step - ago % step);
            continue;
        }
        const qint64 left = expires - now;
        consider(untilNextMultiple(left, labelGranularity(left))); // the countdown text ticks
        consider(left); // turns red
        if (state == LaneState::Valid) { // turns amber
            const qint64 life = e.issued.isValid() ? expires - e.issued.toMSecsSinceEpoch() : 0;
            const auto amberAt = std::max<qint64>(warningThresholdMs(),
                                                  static_cast<qint64>(static_cast<double>(life) * AmberLastFraction));
            consider(left - amberAt);
        }
    }
    return next;
}

void TimelineWidget::reschedule()
{
    const qint64 next = isVisible() ? nextChangeMs() : -1;
    if (next < 0) {
        m_ticker.stop();
        return;
    }
    m_ticker.start(static_cast<int>(std::clamp<qint64>(next, MinRepaintMs, Day)));
}

void TimelineWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    reschedule();
}

void TimelineWidget::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reschedule();
}

void TimelineWidget::hideEvent(QHideEvent* event)
{
    m_ticker.stop();
    QWidget::hideEvent(event);
}

void TimelineWidget::wheelEvent(QWheelEvent* event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QWidget::wheelEvent(event);
        return;
    }
    const int delta = event->angleDelta().y();
    if (delta != 0) {
        zoom(delta > 0 ? 1.25 : 0.8);
    }
    event->accept();
}

void TimelineWidget::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoom(1.5);
        break;
    case Qt::Key_Minus:
        zoom(1 / 1.5);
        break;
    case Qt::Key_F:
    case Qt::Key_0:
        fit();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

bool TimelineWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString id = laneAt(help->pos());
        if (id.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), toolTipText(id), this);
        }
        return true;
    }
    return QWidget::event(event);
}

void TimelineWidget::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        update();
    }
    QWidget::changeEvent(event);
}

void TimelineWidget::contextMenuEvent(QContextMenuEvent* event)
{
    const QString id = laneAt(event->pos());
    if (id.isEmpty()) {
        QWidget::contextMenuEvent(event);
        return;
    }
    event->accept();
    Q_EMIT laneMenuRequested(id, event->globalPos());
}

} // namespace keyway::ui
