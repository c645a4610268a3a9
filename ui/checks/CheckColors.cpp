#include "ui/checks/CheckColors.h"

namespace keyway::ui {

QColor checkToneColor(const QPalette& palette, CheckTone tone)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    switch (tone) {
    case CheckTone::Pass:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x1b, 0x5e, 0x20);
    case CheckTone::Warn:
        return dark ? QColor(0xff, 0xca, 0x28) : QColor(0x8a, 0x5a, 0x00);
    case CheckTone::Fail:
        break;
    }
    return dark ? QColor(0xef, 0x9a, 0x9a) : QColor(0xb7, 0x1c, 0x1c);
}

} // namespace keyway::ui
