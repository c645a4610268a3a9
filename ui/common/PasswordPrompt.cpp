#include "ui/common/PasswordPrompt.h"

#include <QInputDialog>
#include <QLineEdit>

#include <optional>

namespace keyway::ui {

namespace {
std::optional<QString>& nextAnswer()
{
    static std::optional<QString> answer;
    return answer;
}
} // namespace

void PasswordPrompt::setNextAnswer(const QString& password)
{
    nextAnswer() = password;
}

QString PasswordPrompt::ask(QWidget* parent, const QString& title, const QString& label, bool* ok)
{
    if (auto answer = nextAnswer()) {
        nextAnswer().reset();
        *ok = true;
        return *answer;
    }
    return QInputDialog::getText(parent, title, label, QLineEdit::Password, QString(), ok);
}

} // namespace keyway::ui
