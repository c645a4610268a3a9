#include "ui/common/WrappedLabel.h"

#include <QEvent>
#include <QResizeEvent>
#include <QTextDocument>
#include <QtMath>

namespace keyway::ui {

WrappedLabel::WrappedLabel(QWidget* parent) : QLabel(parent)
{
    setWordWrap(true);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    // The height follows the text; the width is whatever the layout gives.
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void WrappedLabel::setMinimumLines(int lines)
{
    m_minimumLines = lines;
    updateGeometry();
}

int WrappedLabel::neededHeight(int width) const
{
    const QMargins margins = contentsMargins();
    const int textWidth = width - margins.left() - margins.right() - 2 * margin();
    if (textWidth <= 0) {
        return QLabel::heightForWidth(width);
    }
    // Laid out as QLabel lays it out: plain text with the font's metrics, rich text as a text document.
    int height = 0;
    if (textFormat() == Qt::RichText || (textFormat() == Qt::AutoText && Qt::mightBeRichText(text()))) {
        QTextDocument document;
        document.setDocumentMargin(0);
        document.setDefaultFont(font());
        document.setHtml(text());
        document.setTextWidth(textWidth);
        height = qCeil(document.size().height());
    } else if (!text().isEmpty()) {
        height = fontMetrics().boundingRect(QRect(0, 0, textWidth, QWIDGETSIZE_MAX), Qt::TextWordWrap, text()).height();
    }
    height = qMax(height, m_minimumLines * fontMetrics().lineSpacing());
    return height + margins.top() + margins.bottom() + 2 * margin();
}

int WrappedLabel::heightForWidth(int width) const
{
    return neededHeight(width);
}

QSize WrappedLabel::sizeHint() const
{
    const QSize hint = QLabel::sizeHint();
    return m_layoutWidth > 0 ? QSize(hint.width(), neededHeight(m_layoutWidth)) : hint;
}

QSize WrappedLabel::minimumSizeHint() const
{
    const QSize hint = QLabel::minimumSizeHint();
    return m_layoutWidth > 0 ? QSize(hint.width(), neededHeight(m_layoutWidth)) : hint;
}

void WrappedLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    // The first width a layout gives is the first one worth measuring at (before it, a widget is 100 px wide and
    // the text would count as twenty lines); a new width wraps differently, so the layout must ask again.
    if (event->size().width() != m_layoutWidth) {
        m_layoutWidth = event->size().width();
        if (neededHeight(m_layoutWidth) != height()) {
            updateGeometry();
        }
    }
}

void WrappedLabel::changeEvent(QEvent* event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        updateGeometry();
    }
}

} // namespace keyway::ui
