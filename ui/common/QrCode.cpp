#include "ui/common/QrCode.h"

#include <QPainter>

#include <qrencode.h>

#include <memory>

namespace keyway::ui {

QImage qrCodeImage(const QString& text, int moduleSize)
{
    const QByteArray utf8 = text.toUtf8();
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code || code->width <= 0) {
        return {};
    }
    constexpr int quiet = 4; // the quiet zone scanners need around the symbol
    const int modules = code->width + 2 * quiet;
    QImage image(modules * moduleSize, modules * moduleSize, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int y = 0; y < code->width; ++y) {
        for (int x = 0; x < code->width; ++x) {
            // Bit 0 of each byte is the module's colour (1 = dark).
            if (code->data[y * code->width + x] & 1) {
                painter.fillRect((x + quiet) * moduleSize, (y + quiet) * moduleSize, moduleSize, moduleSize, Qt::black);
            }
        }
    }
    return image;
}

} // namespace keyway::ui
