#pragma once

#include <QColor>
#include <QPalette>

namespace keyway::ui {

// Pass / warn / fail colours for check results, readable on the palette's base colour in light and
// dark mode (the same hues as the timeline's valid / near expiry / expired).
enum class CheckTone { Pass, Warn, Fail };

QColor checkToneColor(const QPalette& palette, CheckTone tone);

} // namespace keyway::ui
