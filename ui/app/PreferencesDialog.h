#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace keyway::ui {

// Settings ▸ Preferences (Ctrl+,): the settings of core/util/Preferences. OK saves them and applies what
// can change live (clipboard clear delay, timeline warning); the request timeout, the language, the
// history limits and the embedded sandbox apply at the next start.
// Object names: preferencesDialog, clipboardClearSeconds, historyMaxEntries, historyMaxFileMegabytes,
// requestTimeoutSeconds, startSandbox, language, timelineWarningSeconds.
class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget* parent = nullptr);

    void accept() override;

    // Pushes the saved preferences into the running widgets (also done once at startup).
    static void applySaved();

private:
    QSpinBox* m_clipboard = nullptr;
    QSpinBox* m_historyEntries = nullptr;
    QSpinBox* m_historyMegabytes = nullptr;
    QSpinBox* m_timeout = nullptr;
    QCheckBox* m_sandboxHttps = nullptr;
    QCheckBox* m_sandbox = nullptr;
    QComboBox* m_language = nullptr;
    QSpinBox* m_timelineWarning = nullptr;
};

} // namespace keyway::ui
