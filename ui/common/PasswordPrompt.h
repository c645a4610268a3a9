#pragma once

#include <QString>

class QWidget;

namespace keyway::ui {

// A no-echo password question (a PKCS#12 file's password). Tests pre-answer it like FileDialog.
class PasswordPrompt
{
public:
    // `ok` false when the user cancelled.
    static QString ask(QWidget* parent, const QString& title, const QString& label, bool* ok);

    // Tests: the next prompt is not shown and returns `password` (accepted). Cleared once used.
    static void setNextAnswer(const QString& password);
};

} // namespace keyway::ui
