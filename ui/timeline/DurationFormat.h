#pragma once

#include <QDateTime>
#include <QString>

namespace keyway::ui {

// Short human durations for countdowns: "0:42", "4:59", "1 h 05 min", "29 d 23 h".
QString compactDuration(qint64 seconds);
// "expires in 4:59" / "expired 12 s ago" / "expired 3 min ago", relative to `secondsLeft` (negative = past).
QString expiryPhrase(qint64 secondsLeft);
// The one way the app writes a moment for tokens and codes (timeline labels, tooltips, status lines):
// local "2026-01-02 14:03:27" (a refresh token's lane spans weeks, so the date always comes along).
QString momentText(const QDateTime& when);
// A moment in a narrow column: only "14:03:27" when it is today (local time), else momentText.
QString clockText(const QDateTime& when);

} // namespace keyway::ui
