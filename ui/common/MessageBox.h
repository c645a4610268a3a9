#pragma once

#include <QMessageBox>
#include <QString>

#include <optional>

class QWidget;

namespace keyway::ui {

// Every message box in ui/ goes through here, so tests can pre-answer the next one instead of
// blocking on a modal dialog (the KeePassXC pattern). No raw QMessageBox statics elsewhere.
class MessageBox
{
public:
    using Button = QMessageBox::StandardButton;
    using Buttons = QMessageBox::StandardButtons;

    static Button question(QWidget* parent,
                           const QString& title,
                           const QString& text,
                           Buttons buttons = Buttons(QMessageBox::Yes | QMessageBox::No),
                           Button defaultButton = QMessageBox::No);
    static Button warning(QWidget* parent,
                          const QString& title,
                          const QString& text,
                          Buttons buttons = QMessageBox::Ok,
                          Button defaultButton = QMessageBox::Ok);
    static Button information(QWidget* parent, const QString& title, const QString& text);

    // Tests: the next box is not shown and returns `answer`. Cleared once used.
    static void setNextAnswer(Button answer);
    // Tests: the text of the last box asked (shown or pre-answered).
    static QString lastText();

private:
    static Button ask(QWidget* parent,
                      QMessageBox::Icon icon,
                      const QString& title,
                      const QString& text,
                      Buttons buttons,
                      Button defaultButton);
};

} // namespace keyway::ui
