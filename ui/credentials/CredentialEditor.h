#pragma once

#include "core/http/ConnectionSettings.h"
#include "core/profile/ProviderProfile.h"
#include "core/vault/EnvironmentService.h"
#include "core/vault/SecretStore.h"

#include <QMap>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>

class QAction;
class QFormLayout;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace keyway::ui {

// The credential fields of one provider profile as a form. Secret fields are masked, with reveal
// and copy (the copy clears itself) on demand; their values are read from the keychain
// asynchronously and saved through the EnvironmentService, keychain first. When the keychain is locked or unavailable,
// nothing typed is lost: the form stays as it is and the error is shown with a Retry button. A failed read never makes
// a later save delete or overwrite the stored secret.
//
// Below the profile's fields, a "Connection" group holds the connection keys every environment has
// (ConnectionSettings: CA file, client certificate, private key, proxy, proxy password), with file pickers
// and a PKCS#12 import.
//
// Object names: field_<key> (the editor of a field), reveal_<key> / copy_<key> (actions of secret
// fields), browse_<key> (file pickers), connectionGroup, importPkcs12Button, credentialStatus,
// retryButton, saveButton, pasteBundleButton (its dialog: pasteBundleDialog, pasteBundleText).
class CredentialEditor : public QWidget
{
    Q_OBJECT
public:
    // After this long without an answer from the keychain, the editor says what it waits for.
    static constexpr int KeychainPatienceMs = 2000;
    explicit CredentialEditor(EnvironmentService* environments, QWidget* parent = nullptr);

    // Builds the form for a profile (nullptr empties it). Values are cleared.
    void setProfile(const ProviderProfile* profile);
    const ProviderProfile* profile() const { return m_profile; }

    // Shows an existing environment: its non-secret values at once, its secrets once read.
    void loadEnvironment(const QString& environmentId, const QMap<QString, QString>& nonSecretValues);
    // Pre-fills values (a duplicated environment, or demo credentials), secret ones included.
    void setValues(const QMap<QString, QString>& values);

    QString value(const QString& key) const;
    QMap<QString, QString> nonSecretValues() const; // what goes in environments.json
    // The connection settings (CA file, client certificate and key, proxy) as the form has them now, for a
    // request made before saving (the dialog's Discover).
    ConnectionPtr connection() const;
    QStringList missingRequiredLabels() const;
    bool isBusy() const { return m_busy; }

    // Saves `environment` with this form's values: the secret fields that changed go to the keychain,
    // then the non-secret ones to environments.json (`isNew`: create it, else update it). Emits saved()
    // or saveFailed(); on a failure nothing is half-saved and Retry repeats it.
    void save(const Environment& environment, bool isNew);

    // Fills the fields an onboarding text names (JSON, `key: value` or `KEY=value` lines, a two-column table) and
    // says what was matched and what was ignored (names only). Nothing is saved until Save.
    QString pasteBundle(const QString& text);

    void setSaveButtonVisible(bool visible);
    QString statusText() const;

Q_SIGNALS:
    void saveRequested(); // the Save button
    void saved(const keyway::Environment& environment);
    void saveFailed(const QString& error);
    void secretsLoaded(bool ok);
    void edited();

private:
    struct FieldEditor
    {
        CredentialField field;
        QWidget* editor = nullptr; // QLineEdit or QComboBox
        QAction* reveal = nullptr;
        QAction* copy = nullptr;
        bool loaded = false; // the keychain answered Ok or Missing for it
        QString storedValue; // what the keychain holds, as far as we know (memory only)
    };

    void buildForm();
    void importPkcs12();
    QWidget* makeEditor(FieldEditor& entry);
    void readSecrets();
    void showStatus(const QString& text, bool isError, std::function<void()> retry = {});
    void hideStatus();
    void setBusy(bool busy);
    static QString errorText(const SecretResult& result);

    QPointer<EnvironmentService> m_environments;
    QPointer<SecretStore> m_store;
    const ProviderProfile* m_profile = nullptr;
    QString m_environmentId;
    QList<FieldEditor> m_fields;
    std::function<void()> m_retry;
    bool m_busy = false;
    bool m_waitingShown = false; // the "still waiting for the keychain" status is up
    int m_generation = 0; // ignores keychain answers meant for a previous form

    QVBoxLayout* m_formHost = nullptr;
    QWidget* m_form = nullptr;
    QFrame* m_statusFrame = nullptr;
    QLabel* m_statusLabel = nullptr;
    QPushButton* m_retryButton = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPushButton* m_pasteButton = nullptr;
};

} // namespace keyway::ui
