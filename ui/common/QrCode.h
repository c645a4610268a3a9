#pragma once

#include <QImage>
#include <QString>

namespace keyway::ui {

// A QR code (libqrencode, error correction M) of `text` as a black-on-white image with a quiet zone of four
// modules, each module `moduleSize` pixels. A null image when the text cannot be encoded (too long).
QImage qrCodeImage(const QString& text, int moduleSize = 4);

} // namespace keyway::ui
