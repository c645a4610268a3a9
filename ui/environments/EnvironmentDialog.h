#pragma once

#include "core/profile/ProfileLoader.h"
#include "core/vault/Environment.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTextBrowser;

namespace keyway {
class EnvironmentService;
} // namespace keyway

namespace keyway::ui {

class CredentialEditor;

// Adds, edits or duplicates an environment: provider picker, name, base URL and the provider's
// credential fields, with the provider's summary and field descriptions beside the form. Secrets
// go to the keychain first; only when that worked is environments.json written, so a locked
// keychain leaves nothing half-saved and the dialog open with everything still typed.
//
// Object names: environmentDialog, nameEdit, providerCombo, baseUrlEdit, providerSummary,
// dialogError, dialogSaveButton, discoverButton, discoveryResult (+ the CredentialEditor's).
class EnvironmentDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { Add, Edit, Duplicate };

    EnvironmentDialog(Mode mode, EnvironmentService* environments, QWidget* parent = nullptr);

    // Edit / Duplicate: the environment to start from (its secrets are read asynchronously).
    void setSource(const Environment& environment);
    // Add: preselects a provider.
    void setProvider(const QString& providerId);

    // After accept(): what was saved.
    const Environment& environment() const { return m_result; }
    CredentialEditor* credentialEditor() const { return m_editor; }

public Q_SLOTS:
    void accept() override;

private:
    void onProviderChanged();
    void showError(const QString& text);
    // Fetches the issuer's discovery document, shows the endpoints it names and fills the empty endpoint
    // fields (never a secret one) with them.
    void discover();
    QString describe(const ProviderProfile& profile) const;
    const ProviderProfile* currentProfile() const;

    Mode m_mode;
    const ProfileRegistry* m_profiles;
    EnvironmentService* m_environments;
    Environment m_source;
    Environment m_result;
    bool m_saving = false;

    QLineEdit* m_nameEdit = nullptr;
    QComboBox* m_providerCombo = nullptr;
    QLineEdit* m_baseUrlEdit = nullptr;
    CredentialEditor* m_editor = nullptr;
    QTextBrowser* m_summary = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_discoverButton = nullptr;
    QLabel* m_discovery = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace keyway::ui
