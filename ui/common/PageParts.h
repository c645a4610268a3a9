#pragma once

#include <QString>
#include <QStyle>

class QBoxLayout;
class QLabel;
class QPushButton;
class QSplitter;
class QWidget;

namespace keyway::ui::page {

// The parts every run page (Flow, Check provider) is built of, so the pages look alike and their layout
// rules live here once: a bold title, buttons with standard icons, a labelled pane, a splitter that never
// collapses a pane, and a wrapped status line.

QLabel* title(const QString& objectName, QWidget* parent);
QPushButton* button(const QString& text, const QString& objectName, QStyle::StandardPixmap icon, QWidget* parent);
// A label naming `field` (its buddy, so the label's access key focuses it) above it, added to `layout`.
void addLabelled(QBoxLayout* layout, const QString& text, QWidget* field);
// A widget whose column layout has no margins, for a splitter pane; `layout` receives it.
QWidget* pane(QWidget* parent, QBoxLayout** layout);
QSplitter* split(Qt::Orientation orientation,
                 const QString& objectName,
                 QWidget* first,
                 int firstStretch,
                 QWidget* second,
                 int secondStretch,
                 QWidget* parent);
QLabel* status(const QString& objectName, QWidget* parent);

} // namespace keyway::ui::page
