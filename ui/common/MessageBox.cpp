#include "ui/common/MessageBox.h"

namespace keyway::ui {

namespace {
std::optional<MessageBox::Button>& nextAnswer()
{
    static std::optional<MessageBox::Button> answer;
    return answer;
}

QString& lastAsked()
{
    static QString text;
    return text;
}
} // namespace

void MessageBox::setNextAnswer(Button answer)
{
    nextAnswer() = answer;
}

QString MessageBox::lastText()
{
    return lastAsked();
}

MessageBox::Button
MessageBox::question(QWidget* parent, const QString& title, const QString& text, Buttons buttons, Button defaultButton)
{
    return ask(parent, QMessageBox::Question, title, text, buttons, defaultButton);
}

MessageBox::Button
MessageBox::warning(QWidget* parent, const QString& title, const QString& text, Buttons buttons, Button defaultButton)
{
    return ask(parent, QMessageBox::Warning, title, text, buttons, defaultButton);
}

MessageBox::Button MessageBox::information(QWidget* parent, const QString& title, const QString& text)
{
    return ask(parent, QMessageBox::Information, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

MessageBox::Button MessageBox::ask(QWidget* parent,
                                   QMessageBox::Icon icon,
                                   const QString& title,
                                   const QString& text,
                                   Buttons buttons,
                                   Button defaultButton)
{
    lastAsked() = text;
    if (const auto answer = nextAnswer()) {
        nextAnswer().reset();
        return *answer;
    }
    QMessageBox box(icon, title, text, buttons, parent);
    box.setDefaultButton(defaultButton);
    return static_cast<Button>(box.exec());
}

} // namespace keyway::ui
