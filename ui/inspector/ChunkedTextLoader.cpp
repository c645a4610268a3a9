#include "ui/inspector/ChunkedTextLoader.h"

#include <QPlainTextEdit>
#include <QTextCursor>

namespace keyway::ui {

ChunkedTextLoader::ChunkedTextLoader(QPlainTextEdit* target) : QObject(target), m_target(target)
{
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &ChunkedTextLoader::appendSlice);
}

void ChunkedTextLoader::load(const QString& text)
{
    stop();
    m_target->setUndoRedoEnabled(false);
    m_target->clear();
    m_text = text;
    m_position = 0;
    appendSlice(); // the first screenful appears at once
    if (m_position < m_text.size()) {
        m_timer.start();
    }
}

void ChunkedTextLoader::stop()
{
    m_timer.stop();
    m_text.clear();
    m_position = 0;
}

void ChunkedTextLoader::appendSlice()
{
    qsizetype end = std::min(m_text.size(), m_position + SliceChars);
    if (end < m_text.size()) {
        const qsizetype lineEnd = m_text.lastIndexOf(QLatin1Char('\n'), end - 1);
        if (lineEnd > m_position) {
            end = lineEnd + 1;
        }
    }
    // A cursor insert, not appendPlainText: the view stays where the user is reading.
    QTextCursor cursor(m_target->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(QStringView(m_text).mid(m_position, end - m_position).toString());
    m_position = end;
    if (m_position >= m_text.size()) {
        m_timer.stop();
        m_text.clear();
        m_position = 0;
        Q_EMIT finished();
    }
}

} // namespace keyway::ui
