#include "ui/credentials/CredentialEditor.h"

#include "core/crypto/Jws.h"
#include "core/http/ConnectionSettings.h"
#include "core/util/AppPaths.h"
#include "core/vault/CredentialPaste.h"
#include "core/vault/SecretBatch.h"
#include "ui/common/Clipboard.h"
#include "ui/common/FileDialog.h"
#include "ui/common/PasswordPrompt.h"
#include "ui/common/UiLogging.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <optional>
#include <utility>

namespace keyway::ui {

CredentialEditor::CredentialEditor(EnvironmentService* environments, QWidget* parent)
    : QWidget(parent), m_environments(environments), m_store(environments ? &environments->secrets() : nullptr)
{
    setObjectName(QStringLiteral("credentialEditor"));

    m_statusFrame = new QFrame(this);
    m_statusFrame->setObjectName(QStringLiteral("credentialStatusFrame"));
    m_statusFrame->setFrameShape(QFrame::StyledPanel);
    m_statusFrame->setBackgroundRole(QPalette::ToolTipBase);
    m_statusFrame->setAutoFillBackground(true);
    m_statusLabel = new QLabel(m_statusFrame);
    m_statusLabel->setObjectName(QStringLiteral("credentialStatus"));
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setForegroundRole(QPalette::ToolTipText);
    m_retryButton = new QPushButton(tr("Retr&y"), m_statusFrame);
    m_retryButton->setObjectName(QStringLiteral("retryButton"));
    connect(m_retryButton, &QPushButton::clicked, this, [this] {
        if (m_retry) {
            auto retry = m_retry;
            retry();
        }
    });
    auto* statusLayout = new QHBoxLayout(m_statusFrame);
    statusLayout->addWidget(m_statusLabel, 1);
    statusLayout->addWidget(m_retryButton);
    m_statusFrame->hide();

    m_saveButton = new QPushButton(tr("&Save to keychain"), this);
    m_saveButton->setObjectName(QStringLiteral("saveButton"));
    m_saveButton->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    m_saveButton->hide();
    connect(m_saveButton, &QPushButton::clicked, this, &CredentialEditor::saveRequested);

    m_pasteButton = new QPushButton(tr("Paste b&undle…"), this);
    m_pasteButton->setObjectName(QStringLiteral("pasteBundleButton"));
    m_pasteButton->setToolTip(tr("Fill the fields from what the provider sent: JSON, \"key: value\" or KEY=value "
                                 "lines, or a two-column table."));
    m_pasteButton->setEnabled(false);
    connect(m_pasteButton, &QPushButton::clicked, this, [this] {
        QDialog dialog(this);
        dialog.setObjectName(QStringLiteral("pasteBundleDialog"));
        dialog.setWindowTitle(tr("Paste a credential bundle"));
        auto* hint = new QLabel(tr("Paste the credentials as the provider sent them. Fields are matched by name; "
                                   "secrets go to the keychain when you save."),
                                &dialog);
        hint->setWordWrap(true);
        auto* text = new QPlainTextEdit(&dialog);
        text->setObjectName(QStringLiteral("pasteBundleText"));
        text->setAccessibleName(tr("Credential bundle"));
        text->setPlaceholderText(QStringLiteral("client_id: …\nclient_secret: …"));
        auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
        box->button(QDialogButtonBox::Ok)->setText(tr("&Fill fields"));
        connect(box, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
        connect(box, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        auto* layout = new QVBoxLayout(&dialog);
        layout->addWidget(hint);
        layout->addWidget(text, 1);
        layout->addWidget(box);
        dialog.resize(520, 320);
        if (dialog.exec() == QDialog::Accepted) {
            pasteBundle(text->toPlainText());
        }
        text->clear(); // the pasted secrets do not outlive the dialog
    });

    m_formHost = new QVBoxLayout;
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_pasteButton);
    buttons->addStretch(1);
    buttons->addWidget(m_saveButton);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_formHost);
    layout->addWidget(m_statusFrame);
    layout->addLayout(buttons);
    layout->addStretch(1);
}

void CredentialEditor::setProfile(const ProviderProfile* profile)
{
    m_profile = profile;
    m_pasteButton->setEnabled(profile != nullptr);
    m_environmentId.clear();
    ++m_generation;
    setBusy(false);
    hideStatus();
    buildForm();
}

void CredentialEditor::buildForm()
{
    if (m_form) {
        m_form->hide();
        m_form->deleteLater();
        m_form = nullptr;
    }
    m_fields.clear();
    if (!m_profile) {
        return;
    }
    m_form = new QWidget(this);
    auto* formLayout = new QVBoxLayout(m_form);
    formLayout->setContentsMargins(0, 0, 0, 0);

    // Providers with credential sets (Astrada api / sdk) get one group per set.
    QList<QPair<QString, QList<CredentialField>>> groups;
    if (m_profile->credentialSets.isEmpty()) {
        groups.append({QString(), m_profile->fields});
    } else {
        for (const CredentialSet& set : m_profile->credentialSets) {
            groups.append({set.label.isEmpty() ? set.id : set.label, m_profile->fieldsOfSet(set.id)});
        }
    }
    // Every provider's environments also say how they reach their servers (CA file, client certificate,
    // proxy); the keys and their rules come from ConnectionSettings, the same as for keyway-cli env set.
    groups.append({tr("Connection"), ConnectionSettings::fields()});
    for (const auto& group : groups) {
        QWidget* container = m_form;
        if (!group.first.isEmpty()) {
            container = new QGroupBox(group.first, m_form);
            if (ConnectionSettings::isKey(group.second.value(0).key)) {
                container->setObjectName(QStringLiteral("connectionGroup"));
            }
        }
        auto* form = new QFormLayout;
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        if (container == m_form) {
            formLayout->addLayout(form);
        } else {
            container->setLayout(form);
            formLayout->addWidget(container);
        }
        for (const CredentialField& field : group.second) {
            FieldEditor entry;
            entry.field = field;
            m_fields.append(entry);
            FieldEditor& stored = m_fields.last();
            QWidget* editor = makeEditor(stored);
            QString label = field.label.isEmpty() ? field.key : field.label;
            if (field.required) {
                label += QLatin1Char('*');
            }
            auto* labelWidget = new QLabel(label, container);
            labelWidget->setBuddy(editor);
            labelWidget->setToolTip(field.description);
            form->addRow(labelWidget, editor);
        }
        if (container->objectName() == QLatin1String("connectionGroup")) {
            auto* importBundle = new QPushButton(tr("Import PKCS#12 (.p12, .pfx)…"), container);
            importBundle->setObjectName(QStringLiteral("importPkcs12Button"));
            importBundle->setToolTip(tr("Takes the client certificate and its key from a PKCS#12 file: the certificate "
                                        "is kept as a file in Keyway's configuration directory, the key in the "
                                        "keychain."));
            connect(importBundle, &QPushButton::clicked, this, &CredentialEditor::importPkcs12);
            form->addRow(QString(), importBundle);
        }
    }
    m_formHost->addWidget(m_form);
}

QWidget* CredentialEditor::makeEditor(FieldEditor& entry)
{
    const CredentialField& field = entry.field;
    const QString name = QStringLiteral("field_") + field.key;
    if (!field.choices.isEmpty()) {
        auto* combo = new QComboBox(m_form);
        combo->setObjectName(name);
        combo->addItem(
            tr("(default: %1)").arg(field.defaultValue.isEmpty() ? field.choices.first() : field.defaultValue),
            QString());
        for (const QString& choice : field.choices) {
            combo->addItem(choice, choice);
        }
        combo->setToolTip(field.description);
        connect(combo, &QComboBox::currentIndexChanged, this, &CredentialEditor::edited);
        entry.editor = combo;
        return combo;
    }
    auto* edit = new QLineEdit(m_form);
    edit->setObjectName(name);
    edit->setToolTip(field.description);
    edit->setWhatsThis(field.description);
    edit->setClearButtonEnabled(!field.secret);
    if (!field.defaultValue.isEmpty()) {
        edit->setPlaceholderText(tr("default: %1").arg(field.defaultValue));
    }
    connect(edit, &QLineEdit::textEdited, this, &CredentialEditor::edited);
    entry.editor = edit;
    // The private_key_jwt signing key (client_key, docs/oidc.md) is a PEM like the TLS key: it needs the same picker,
    // since a multi-line PEM cannot be typed into a line edit.
    const bool signingKey = field.secret && field.bareKey == QLatin1String("client_key");
    if (field.key == ConnectionSettings::caFileKey() || field.key == ConnectionSettings::clientCertKey()
        || field.key == ConnectionSettings::clientKeyKey() || signingKey) {
        // A file picker beside the path (for the key: its content goes to the keychain, the file is not kept).
        QAction* browse = edit->addAction(style()->standardIcon(QStyle::SP_DirOpenIcon), QLineEdit::TrailingPosition);
        browse->setObjectName(QStringLiteral("browse_") + field.key);
        browse->setToolTip(field.secret ? tr("Read the private key from a PEM file") : tr("Choose a PEM file"));
        connect(browse, &QAction::triggered, this, [this, edit, signingKey, secret = field.secret] {
            const QString path
                = FileDialog::getOpenFileName(this,
                                              secret ? tr("Private key (PEM)") : tr("Certificate file (PEM)"),
                                              tr("PEM files (*.pem *.crt *.key *.cer);;All files (*)"));
            if (path.isEmpty()) {
                return;
            }
            if (!secret) {
                edit->setText(path);
                Q_EMIT edited();
                return;
            }
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                showStatus(tr("Cannot read %1: %2").arg(path, file.errorString()), true);
                return;
            }
            const QByteArray pem = file.readAll();
            QString problem;
            if (!signingKey) {
                problem = ConnectionSettings::checkClientKey(pem);
            } else if (!crypto::Key::fromPrivatePem(pem, &problem)) {
                problem = problem.isEmpty() ? tr("not a PEM private key Keyway can sign with") : problem;
            }
            if (!problem.isEmpty()) {
                showStatus(tr("%1: %2").arg(path, problem), true);
                return;
            }
            hideStatus();
            edit->setText(QString::fromUtf8(pem));
            Q_EMIT edited();
        });
    }
    if (field.secret) {
        edit->setEchoMode(QLineEdit::Password);
        // No completion, no drag: a secret should leave only through the explicit copy action.
        edit->setDragEnabled(false);
        edit->setPlaceholderText(tr("not set"));
        entry.reveal
            = edit->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView), QLineEdit::TrailingPosition);
        entry.reveal->setObjectName(QStringLiteral("reveal_") + field.key);
        entry.reveal->setCheckable(true);
        entry.reveal->setToolTip(tr("Show or hide %1").arg(field.label));
        connect(entry.reveal, &QAction::toggled, edit, [edit](bool shown) {
            edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        });
        entry.copy = edit->addAction(
            QIcon::fromTheme(QStringLiteral("edit-copy"), style()->standardIcon(QStyle::SP_FileLinkIcon)),
            QLineEdit::TrailingPosition);
        entry.copy->setObjectName(QStringLiteral("copy_") + field.key);
        entry.copy->setToolTip(tr("Copy %1; the clipboard clears itself in %2 seconds")
                                   .arg(field.label)
                                   .arg(Clipboard::instance()->clearDelay() / 1000));
        connect(entry.copy, &QAction::triggered, edit, [edit] {
            if (!edit->text().isEmpty()) {
                Clipboard::instance()->copySecret(edit->text());
            }
        });
    }
    return edit;
}

void CredentialEditor::loadEnvironment(const QString& environmentId, const QMap<QString, QString>& nonSecretValues)
{
    ++m_generation;
    m_environmentId = environmentId;
    hideStatus();
    for (FieldEditor& entry : m_fields) {
        entry.loaded = false;
        entry.storedValue.clear();
        if (auto* edit = qobject_cast<QLineEdit*>(entry.editor)) {
            edit->setText(entry.field.secret ? QString() : nonSecretValues.value(entry.field.key));
            if (entry.field.secret) {
                edit->setPlaceholderText(tr("reading from the keychain…"));
            }
        } else if (auto* combo = qobject_cast<QComboBox*>(entry.editor)) {
            const int index = combo->findData(nonSecretValues.value(entry.field.key));
            combo->setCurrentIndex(index < 0 ? 0 : index);
        }
    }
    readSecrets();
}

void CredentialEditor::readSecrets()
{
    if (!m_store || m_environmentId.isEmpty()) {
        return;
    }
    QStringList keys;
    for (const FieldEditor& entry : m_fields) {
        if (entry.field.secret) {
            keys.append(SecretStore::keyFor(m_environmentId, entry.field.key));
        }
    }
    if (keys.isEmpty()) {
        Q_EMIT secretsLoaded(true);
        return;
    }
    setBusy(true);
    // Until the keychain answers, the secret fields say so (an empty field would read as "not set"), and
    // Save stays disabled so nothing typed meanwhile can overwrite a secret not yet read.
    for (FieldEditor& entry : m_fields) {
        if (auto* edit = qobject_cast<QLineEdit*>(entry.editor); edit && entry.field.secret) {
            edit->setPlaceholderText(tr("waiting for the keychain…"));
        }
    }
    const int generation = m_generation;
    QPointer<CredentialEditor> self(this);
    // A keychain that takes this long is usually showing an unlock prompt, maybe behind this window.
    QTimer::singleShot(KeychainPatienceMs, this, [self, generation] {
        if (self && self->m_generation == generation && self->m_busy) {
            self->m_waitingShown = true;
            self->showStatus(tr("Still waiting for the keychain: if your desktop asks to unlock it, unlock it; the "
                                "secrets appear here when it answers. Nothing is saved until then."),
                             false);
        }
    });
    SecretBatch::readAll(*m_store, keys, [self, generation](const SecretBatch::Results& results) {
        if (!self || self->m_generation != generation) {
            return;
        }
        self->setBusy(false);
        if (std::exchange(self->m_waitingShown, false)) {
            self->hideStatus();
        }
        std::optional<SecretResult> failure;
        for (FieldEditor& entry : self->m_fields) {
            if (!entry.field.secret) {
                continue;
            }
            const SecretResult result = results.value(SecretStore::keyFor(self->m_environmentId, entry.field.key));
            auto* edit = qobject_cast<QLineEdit*>(entry.editor);
            if (result.ok() || result.status == SecretStatus::Missing) {
                entry.loaded = true;
                entry.storedValue = result.ok() ? result.value : QString();
                // Never replace what the user typed while the keychain was answering.
                if (edit && edit->text().isEmpty()) {
                    edit->setText(entry.storedValue);
                }
                if (edit) {
                    edit->setPlaceholderText(tr("not set"));
                }
            } else {
                if (edit) {
                    edit->setPlaceholderText(tr("unknown: the keychain could not be read"));
                }
                if (!failure) {
                    failure = result;
                }
            }
        }
        if (failure) {
            self->showStatus(errorText(*failure), true, [self] {
                if (self) {
                    self->hideStatus();
                    self->readSecrets();
                }
            });
        }
        Q_EMIT self->secretsLoaded(!failure.has_value());
    });
}

QString CredentialEditor::pasteBundle(const QString& text)
{
    if (!m_profile) {
        return {};
    }
    const CredentialPaste::Result result = CredentialPaste::match(text, *m_profile);
    setValues(result.values);
    const QString summary = CredentialPaste::summary(result);
    showStatus(summary, result.values.isEmpty());
    if (!result.values.isEmpty()) {
        Q_EMIT edited();
    }
    return summary;
}

void CredentialEditor::setValues(const QMap<QString, QString>& values)
{
    for (FieldEditor& entry : m_fields) {
        if (!values.contains(entry.field.key)) {
            continue;
        }
        if (auto* edit = qobject_cast<QLineEdit*>(entry.editor)) {
            edit->setText(values.value(entry.field.key));
        } else if (auto* combo = qobject_cast<QComboBox*>(entry.editor)) {
            const int index = combo->findData(values.value(entry.field.key));
            combo->setCurrentIndex(index < 0 ? 0 : index);
        }
    }
}

QString CredentialEditor::value(const QString& key) const
{
    for (const FieldEditor& entry : m_fields) {
        if (entry.field.key != key) {
            continue;
        }
        if (auto* edit = qobject_cast<QLineEdit*>(entry.editor)) {
            return entry.field.secret ? edit->text() : edit->text().trimmed();
        }
        if (auto* combo = qobject_cast<QComboBox*>(entry.editor)) {
            return combo->currentData().toString();
        }
    }
    return {};
}

ConnectionPtr CredentialEditor::connection() const
{
    QMap<QString, QString> secrets;
    for (const QString& key : ConnectionSettings::secretKeysFor(nonSecretValues())) {
        secrets.insert(key, value(key));
    }
    return ConnectionSettings::build(nonSecretValues(), secrets);
}

QMap<QString, QString> CredentialEditor::nonSecretValues() const
{
    QMap<QString, QString> values;
    for (const FieldEditor& entry : m_fields) {
        const QString text = value(entry.field.key);
        if (!entry.field.secret && !text.isEmpty()) {
            values.insert(entry.field.key, text);
        }
    }
    return values;
}

QStringList CredentialEditor::missingRequiredLabels() const
{
    QStringList missing;
    for (const FieldEditor& entry : m_fields) {
        if (!entry.field.required || !value(entry.field.key).isEmpty()) {
            continue;
        }
        // A secret whose keychain state is unknown (locked) may well be set: do not claim it is missing.
        if (entry.field.secret && !entry.loaded && !m_environmentId.isEmpty()) {
            continue;
        }
        missing.append(entry.field.label.isEmpty() ? entry.field.key : entry.field.label);
    }
    return missing;
}

void CredentialEditor::save(const Environment& target, bool isNew)
{
    if (!m_environments || m_busy) {
        return;
    }
    if (target.id != m_environmentId) {
        // A new or duplicated environment: nothing of it is in the keychain yet.
        m_environmentId = target.id;
        for (FieldEditor& entry : m_fields) {
            entry.loaded = true;
            entry.storedValue.clear();
        }
    }
    QMap<QString, QString> writes; // field key -> value
    QStringList removals;
    for (const FieldEditor& entry : m_fields) {
        if (!entry.field.secret) {
            continue;
        }
        const QString typed = value(entry.field.key);
        if (!typed.isEmpty() && (!entry.loaded || typed != entry.storedValue)) {
            writes.insert(entry.field.key, typed);
        } else if (typed.isEmpty() && entry.loaded && !entry.storedValue.isEmpty()) {
            removals.append(entry.field.key); // the user cleared it on purpose
        }
    }
    Environment environment = target;
    environment.values = nonSecretValues();
    hideStatus();
    setBusy(true);
    const int generation = m_generation;
    QPointer<CredentialEditor> self(this);
    auto finish = [self, generation, writes, removals, environment, isNew](const EnvironmentChange& change) {
        if (!self || self->m_generation != generation) {
            return;
        }
        self->setBusy(false);
        if (!change.ok()) {
            const QString error
                = change.status == EnvironmentChange::Status::Keychain ? errorText(change.keychain) : change.error;
            qCWarning(lcUi) << "saving the environment failed:" << SecretStore::statusName(change.keychain.status);
            self->showStatus(error, true, [self, environment, isNew] {
                if (self) {
                    self->save(environment, isNew);
                }
            });
            Q_EMIT self->saveFailed(error);
            return;
        }
        for (FieldEditor& entry : self->m_fields) {
            if (writes.contains(entry.field.key) || removals.contains(entry.field.key)) {
                entry.loaded = true;
                entry.storedValue = writes.value(entry.field.key);
            }
        }
        self->showStatus(writes.isEmpty() && removals.isEmpty() ? tr("Saved. No secret changed.")
                                                                : tr("Saved to the keychain."),
                         false);
        Q_EMIT self->saved(change.environment);
    };
    if (isNew) {
        m_environments->create(environment, writes, finish);
    } else {
        m_environments->update(environment, writes, removals, finish);
    }
}

void CredentialEditor::importPkcs12()
{
    const QString path = FileDialog::getOpenFileName(
        this, tr("Client certificate bundle (PKCS#12)"), tr("PKCS#12 files (*.p12 *.pfx);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showStatus(tr("Cannot read %1: %2").arg(path, file.errorString()), true);
        return;
    }
    const QByteArray bundle = file.readAll();
    bool ok = false;
    const QString password = PasswordPrompt::ask(
        this, tr("PKCS#12 password"), tr("The password of %1 (empty if it has none):").arg(path), &ok);
    if (!ok) {
        return;
    }
    QByteArray certificatePem;
    QByteArray keyPem;
    QString error;
    if (!ConnectionSettings::splitPkcs12(bundle, password, &certificatePem, &keyPem, &error)) {
        showStatus(tr("%1: %2.").arg(path, error), true);
        return;
    }
    // The certificate is public: a file in the configuration directory; the key goes to the keychain on Save.
    const QString directory = AppPaths::configDirectory() + QStringLiteral("/certificates");
    AppPaths::makePrivateDirectory(directory);
    const QString target = directory + QLatin1Char('/') + QFileInfo(path).completeBaseName() + QStringLiteral(".pem");
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly) || out.write(certificatePem) != certificatePem.size() || !out.commit()) {
        showStatus(tr("Cannot write %1: %2").arg(target, out.errorString()), true);
        return;
    }
    setValues({{ConnectionSettings::clientCertKey(), target},
               {ConnectionSettings::clientKeyKey(), QString::fromUtf8(keyPem)}});
    showStatus(tr("Imported: the certificate is kept as %1; the key goes to the keychain when you save.").arg(target),
               false);
    Q_EMIT edited();
}

void CredentialEditor::setSaveButtonVisible(bool visible)
{
    m_saveButton->setVisible(visible);
}

QString CredentialEditor::statusText() const
{
    return m_statusFrame->isVisible() || !m_statusFrame->isHidden() ? m_statusLabel->text() : QString();
}

void CredentialEditor::showStatus(const QString& text, bool isError, std::function<void()> retry)
{
    m_statusLabel->setText(text);
    m_retry = std::move(retry);
    m_retryButton->setVisible(isError && m_retry);
    m_statusFrame->setBackgroundRole(isError ? QPalette::ToolTipBase : QPalette::AlternateBase);
    m_statusLabel->setForegroundRole(isError ? QPalette::ToolTipText : QPalette::Text);
    m_statusFrame->show();
    if (isError && m_retry) {
        m_retryButton->setFocus(Qt::OtherFocusReason);
    }
}

void CredentialEditor::hideStatus()
{
    m_statusFrame->hide();
    m_statusLabel->clear();
    m_retry = {};
}

void CredentialEditor::setBusy(bool busy)
{
    m_busy = busy;
    m_saveButton->setEnabled(!busy);
}

QString CredentialEditor::errorText(const SecretResult& result)
{
    switch (result.status) {
    case SecretStatus::Locked:
        return tr("The keychain is locked. Unlock it (your desktop asks for your login password), then press "
                  "Retry. Nothing you typed is lost.");
    case SecretStatus::Unavailable:
        return tr("No keychain is available: the Secret Service (GNOME Keyring, KWallet) is not running or "
                  "does not answer. Start it, then press Retry. Nothing you typed is lost.");
    case SecretStatus::Denied:
        return tr("The keychain refused access. Allow Keyway when it asks, then press Retry. Nothing you typed "
                  "is lost.");
    case SecretStatus::Missing:
        return tr("The secret is not in the keychain.");
    case SecretStatus::Ok:
        return {};
    case SecretStatus::Failed:
        break;
    }
    return tr("The keychain reported an error: %1. Press Retry to try again; nothing you typed is lost.")
        .arg(result.error.isEmpty() ? tr("unknown error") : result.error);
}

} // namespace keyway::ui
