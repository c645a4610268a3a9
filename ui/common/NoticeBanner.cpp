#include "ui/common/NoticeBanner.h"

#include "ui/common/WrappedLabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace keyway::ui {

NoticeBanner::NoticeBanner(Kind kind, const QString& objectName, const QString& labelObjectName, QWidget* parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_label(new WrappedLabel(this)), m_layout(new QHBoxLayout(this))
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
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
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

} // namespace keyway::ui
