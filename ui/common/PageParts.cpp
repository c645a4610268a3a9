#include "ui/common/PageParts.h"

#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace keyway::ui::page {

QLabel* title(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.15);
    label->setFont(font);
    return label;
}

QPushButton* button(const QString& text, const QString& objectName, QStyle::StandardPixmap icon, QWidget* parent)
{
    auto* button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    button->setIcon(parent->style()->standardIcon(icon));
    return button;
}

void addLabelled(QBoxLayout* layout, const QString& text, QWidget* field)
{
    auto* label = new QLabel(text, field->parentWidget());
    label->setBuddy(field);
    layout->addWidget(label);
    layout->addWidget(field, 1);
}

QWidget* pane(QWidget* parent, QBoxLayout** layout)
{
    auto* widget = new QWidget(parent);
    auto* column = new QVBoxLayout(widget);
    column->setContentsMargins(0, 0, 0, 0);
    *layout = column;
    return widget;
}

QSplitter* split(Qt::Orientation orientation,
                 const QString& objectName,
                 QWidget* first,
                 int firstStretch,
                 QWidget* second,
                 int secondStretch,
                 QWidget* parent)
{
    auto* splitter = new QSplitter(orientation, parent);
    splitter->setObjectName(objectName);
    splitter->addWidget(first);
    splitter->addWidget(second);
    splitter->setStretchFactor(0, firstStretch);
    splitter->setStretchFactor(1, secondStretch);
    splitter->setChildrenCollapsible(false);
    return splitter;
}

QLabel* status(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    return label;
}

} // namespace keyway::ui::page
