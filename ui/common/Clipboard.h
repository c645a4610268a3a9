#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace keyway::ui {

// Copies secrets to the system clipboard the careful way: the copy is marked
// (x-kde-passwordManagerHint=secret) so clipboard managers skip it, and it is cleared after a delay
// and when the application quits, but only while the clipboard still holds what we put there, so a
// later copy by the user is never wiped. Only a hash of the copied text is kept for that comparison.
class Clipboard : public QObject
{
    Q_OBJECT
public:
    static Clipboard* instance();

    static constexpr int DefaultClearDelayMs = 30000;

    void copySecret(const QString& text);
    void copyText(const QString& text); // plain, never cleared
    // Clears the clipboard if it still holds our last secret copy. Returns true if it cleared.
    bool clearIfOurs();

    void setClearDelay(int ms) { m_clearTimer.setInterval(ms); }
    int clearDelay() const { return m_clearTimer.interval(); }
    bool clearPending() const { return m_clearTimer.isActive(); }

    static QByteArray passwordManagerHintFormat(); // "x-kde-passwordManagerHint"

Q_SIGNALS:
    void secretCleared();

private:
    explicit Clipboard(QObject* parent);
    static QByteArray fingerprint(const QString& text);

    QTimer m_clearTimer;
    QByteArray m_fingerprint; // SHA-256 of the secret we put there; empty when none
};

} // namespace keyway::ui
