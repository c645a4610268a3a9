#include "ui/timeline/DurationFormat.h"

#include <QCoreApplication>

namespace keyway::ui {

QString compactDuration(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    const qint64 days = seconds / 86400;
    const qint64 hours = (seconds % 86400) / 3600;
    const qint64 minutes = (seconds % 3600) / 60;
    const qint64 secs = seconds % 60;
    if (days > 0) {
        return QCoreApplication::translate("keyway::ui::Duration", "%1 d %2 h").arg(days).arg(hours);
    }
    if (hours > 0) {
        return QCoreApplication::translate("keyway::ui::Duration", "%1 h %2 min")
            .arg(hours)
            .arg(minutes, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1:%2").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
}

QString expiryPhrase(qint64 secondsLeft)
{
    if (secondsLeft > 0) {
        return QCoreApplication::translate("keyway::ui::Duration", "expires in %1").arg(compactDuration(secondsLeft));
    }
    const qint64 ago = -secondsLeft;
    if (ago < 60) {
        return QCoreApplication::translate("keyway::ui::Duration", "expired %1 s ago").arg(ago);
    }
    if (ago < 3600) {
        return QCoreApplication::translate("keyway::ui::Duration", "expired %1 min ago").arg(ago / 60);
    }
    return QCoreApplication::translate("keyway::ui::Duration", "expired %1 ago").arg(compactDuration(ago));
}

QString momentText(const QDateTime& when)
{
    return when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString clockText(const QDateTime& when)
{
    const QDateTime local = when.toLocalTime();
    return local.date() == QDate::currentDate() ? local.toString(QStringLiteral("HH:mm:ss")) : momentText(when);
}

} // namespace keyway::ui
