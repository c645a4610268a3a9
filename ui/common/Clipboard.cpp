#include "ui/common/Clipboard.h"

#include "ui/common/UiLogging.h"

#include "core/util/Preferences.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QGuiApplication>
#include <QMimeData>

namespace keyway::ui {

Clipboard::Clipboard(QObject* parent) : QObject(parent)
{
    m_clearTimer.setSingleShot(true);
    m_clearTimer.setInterval(Preferences::clipboardClearSeconds() * 1000); // the user's preference
    connect(&m_clearTimer, &QTimer::timeout, this, &Clipboard::clearIfOurs);
    // A secret must not outlive the application on the clipboard.
    connect(qApp, &QCoreApplication::aboutToQuit, this, &Clipboard::clearIfOurs);
}

Clipboard* Clipboard::instance()
{
    static Clipboard* clipboard = new Clipboard(qApp);
    return clipboard;
}

QByteArray Clipboard::passwordManagerHintFormat()
{
    return QByteArrayLiteral("x-kde-passwordManagerHint");
}

QByteArray Clipboard::fingerprint(const QString& text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}

void Clipboard::copySecret(const QString& text)
{
    auto* mime = new QMimeData;
    mime->setText(text);
    mime->setData(QString::fromLatin1(passwordManagerHintFormat()), QByteArrayLiteral("secret"));
    QGuiApplication::clipboard()->setMimeData(mime, QClipboard::Clipboard);
    m_fingerprint = fingerprint(text);
    m_clearTimer.start();
    qCDebug(lcUi) << "secret copied to the clipboard; clears in" << m_clearTimer.interval() << "ms";
}

void Clipboard::copyText(const QString& text)
{
    QGuiApplication::clipboard()->setText(text, QClipboard::Clipboard);
    m_fingerprint.clear();
    m_clearTimer.stop();
}

bool Clipboard::clearIfOurs()
{
    m_clearTimer.stop();
    if (m_fingerprint.isEmpty()) {
        return false;
    }
    QClipboard* clipboard = QGuiApplication::clipboard();
    const bool stillOurs = fingerprint(clipboard->text(QClipboard::Clipboard)) == m_fingerprint;
    m_fingerprint.clear();
    if (!stillOurs) {
        return false;
    }
    clipboard->clear(QClipboard::Clipboard);
    qCDebug(lcUi) << "secret cleared from the clipboard";
    Q_EMIT secretCleared();
    return true;
}

} // namespace keyway::ui
