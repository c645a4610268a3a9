#include "ui/common/FileDialog.h"

#include <QFileDialog>

#include <optional>

namespace keyway::ui {

namespace {
std::optional<QString>& nextAnswer()
{
    static std::optional<QString> answer;
    return answer;
}

std::optional<QString> takeNextAnswer()
{
    auto answer = nextAnswer();
    nextAnswer().reset();
    return answer;
}
} // namespace

void FileDialog::setNextAnswer(const QString& path)
{
    nextAnswer() = path;
}

QString FileDialog::getOpenFileName(QWidget* parent, const QString& caption, const QString& filter)
{
    if (auto answer = takeNextAnswer()) {
        return *answer;
    }
    return QFileDialog::getOpenFileName(parent, caption, QString(), filter);
}

QString FileDialog::getSaveFileName(QWidget* parent,
                                    const QString& caption,
                                    const QString& suggestedName,
                                    const QString& filter)
{
    if (auto answer = takeNextAnswer()) {
        return *answer;
    }
    return QFileDialog::getSaveFileName(parent, caption, suggestedName, filter);
}

} // namespace keyway::ui
