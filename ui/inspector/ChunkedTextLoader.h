#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

class QPlainTextEdit;

namespace keyway::ui {

// Fills a QPlainTextEdit with a long text a slice per event-loop turn, so megabytes of text never
// block the UI thread for more than a few milliseconds. Slices end at line breaks.
class ChunkedTextLoader : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype SliceChars = 32 * 1024;

    explicit ChunkedTextLoader(QPlainTextEdit* target);

    void load(const QString& text);
    void stop();
    bool isLoading() const { return m_timer.isActive(); }

Q_SIGNALS:
    void finished();

private:
    void appendSlice();

    QPlainTextEdit* m_target;
    QString m_text;
    qsizetype m_position = 0;
    QTimer m_timer;
};

} // namespace keyway::ui
