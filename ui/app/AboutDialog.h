#pragma once

#include <QDialog>

class QLabel;

namespace keyway::ui {

// Help ▸ About Keyway: the versions a bug report needs (Keyway, Qt at run time and build time,
// QtKeychain), the license and where to read more. Object names: aboutDialog, aboutText, aboutQtButton.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);

    // Plain text of the versions and license, also what "Copy" puts on the clipboard.
    static QString versionText();
    static QString homepage();
};

} // namespace keyway::ui
