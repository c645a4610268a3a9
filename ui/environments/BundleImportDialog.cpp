#include "ui/environments/BundleImportDialog.h"

#include "core/vault/EnvironmentService.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace keyway::ui {

BundleImportDialog::BundleImportDialog(EnvironmentService* service,
                                       QList<BundleEnvironment> environments,
                                       QMap<QString, QMap<QString, QString>> carriedSecrets,
                                       QWidget* parent)
    : QDialog(parent), m_environments(std::move(environments)), m_carried(std::move(carriedSecrets))
{
    setObjectName(QStringLiteral("bundleImportDialog"));
    setWindowTitle(tr("Import environments"));

    QStringList names;
    QStringList existing;
    for (const BundleEnvironment& environment : std::as_const(m_environments)) {
        names.append(tr("%1 (%2)").arg(environment.name, environment.provider));
        if (service && service->find(environment.name)) {
            existing.append(environment.name);
        }
    }
    auto* summary
        = new QLabel(tr("These environments will be created: %1.").arg(names.join(QStringLiteral(", "))), this);
    summary->setObjectName(QStringLiteral("bundleImportSummary"));
    summary->setWordWrap(true);

    auto* form = new QWidget(this);
    auto* formLayout = new QFormLayout(form);
    for (const BundleEnvironment& environment : std::as_const(m_environments)) {
        for (const QString& key : environment.secrets) {
            if (m_carried.value(environment.name).contains(key)) {
                continue; // the file brought it; it goes to the keychain, never into a file
            }
            auto* field = new QLineEdit(form);
            field->setObjectName(QStringLiteral("bundleSecret_%1.%2").arg(environment.name, key));
            field->setEchoMode(QLineEdit::Password);
            field->setPlaceholderText(tr("leave empty to add it later"));
            auto* label = new QLabel(tr("%1 · %2:").arg(environment.name, key), form);
            label->setBuddy(field);
            formLayout->addRow(label, field);
            m_fields.append({{environment.name, key}, field});
        }
    }
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(form);

    auto* secretsTitle = new QLabel(
        m_fields.isEmpty() ? tr("The file names no secret to type.")
                           : tr("The secrets the bundle names but never carries; they go to the keychain:"),
        this);
    secretsTitle->setWordWrap(true);

    m_replace = new QCheckBox(
        tr("&Replace the environments that already exist: %1").arg(existing.join(QStringLiteral(", "))), this);
    m_replace->setObjectName(QStringLiteral("bundleImportReplace"));
    m_replace->setVisible(!existing.isEmpty());

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Import"));
    if (!existing.isEmpty()) {
        // Nothing is replaced without saying so.
        buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
        connect(m_replace, &QCheckBox::toggled, buttons->button(QDialogButtonBox::Ok), &QPushButton::setEnabled);
    }
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary);
    layout->addWidget(secretsTitle);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_replace);
    layout->addWidget(buttons);
    resize(560, 360);
}

QMap<QString, QMap<QString, QString>> BundleImportDialog::secrets() const
{
    QMap<QString, QMap<QString, QString>> all = m_carried;
    for (const auto& [target, field] : m_fields) {
        if (!field->text().isEmpty()) {
            all[target.first].insert(target.second, field->text());
        }
    }
    return all;
}

bool BundleImportDialog::replace() const
{
    return m_replace->isChecked();
}

} // namespace keyway::ui
