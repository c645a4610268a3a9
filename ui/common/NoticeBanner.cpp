#include "ui/common/NoticeBanner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace keyway::ui {

NoticeBanner::NoticeBanner(Kind kind, const QString& objectName, const QString& labelObjectName, QWidget* parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_label(new QLabel(this)), m_layout(new QHBoxLayout(this))
{
    setObjectName(objectName);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    if (kind == Kind::Warning) {
        setBackgroundRole(QPalette::ToolTipBase);
        setForegroundRole(QPalette::ToolTipText);
        m_label->setForegroundRole(QPalette::ToolTipText);
    } else {
        setBackgroundRole(QPalette::AlternateBase);
    }
    m_icon->setAlignment(Qt::AlignTop);
    m_icon->hide();
    m_label->setObjectName(labelObjectName);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->installEventFilter(this);
    m_layout->addWidget(m_icon);
    m_layout->addWidget(m_label, 1);
    if (kind == Kind::Warning) {
        setIcon(QStyle::SP_MessageBoxWarning);
    }
    hide();
}

void NoticeBanner::setIcon(QStyle::StandardPixmap icon)
{
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(24, 24));
    m_icon->show();
}

QPushButton* NoticeBanner::addButton(const QString& text, const QString& objectName)
{
    auto* button = new QPushButton(text, this);
    button->setObjectName(objectName);
    m_layout->addWidget(button);
    return button;
}

bool NoticeBanner::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_label
        && (event->type() == QEvent::Resize || event->type() == QEvent::FontChange
            || event->type() == QEvent::LayoutRequest || event->type() == QEvent::Show)) {
        keepTextHeight();
    }
    return QFrame::eventFilter(watched, event);
}

void NoticeBanner::keepTextHeight()
{
    const int width = m_label->width();
    if (width <= 0) {
        return;
    }
    const int needed = m_label->heightForWidth(width);
    if (needed > 0 && needed != m_label->minimumHeight()) {
        m_label->setMinimumHeight(needed);
    }
}

} // namespace keyway::ui
