#include "ui/environments/EnvironmentDialog.h"

#include "core/oidc/Discovery.h"
#include "core/vault/EnvironmentService.h"
#include "ui/common/UiLogging.h"
#include "ui/credentials/CredentialEditor.h"

#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace keyway::ui {

EnvironmentDialog::EnvironmentDialog(Mode mode, EnvironmentService* environments, QWidget* parent)
    : QDialog(parent), m_mode(mode), m_profiles(&environments->profiles()), m_environments(environments)
{
    setObjectName(QStringLiteral("environmentDialog"));
    switch (mode) {
    case Mode::Add:
        setWindowTitle(tr("New environment"));
        break;
    case Mode::Edit:
        setWindowTitle(tr("Edit environment"));
        break;
    case Mode::Duplicate:
        setWindowTitle(tr("Duplicate environment"));
        break;
    }

    m_providerCombo = new QComboBox(this);
    m_providerCombo->setObjectName(QStringLiteral("providerCombo"));
    for (const ProviderProfile* profile : m_profiles->profiles()) {
        m_providerCombo->addItem(profile->name, profile->id);
    }
    // Keychain entries are keyed by field, so an existing environment keeps its provider.
    m_providerCombo->setEnabled(mode == Mode::Add);

    m_nameEdit = new QLineEdit(this);
    m_nameEdit->setObjectName(QStringLiteral("nameEdit"));
    m_nameEdit->setPlaceholderText(tr("e.g. Seismic staging"));
    m_baseUrlEdit = new QLineEdit(this);
    m_baseUrlEdit->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrlEdit->setToolTip(tr("Request paths are appended to this URL, keeping its path prefix."));

    auto* top = new QFormLayout;
    top->addRow(tr("&Provider:"), m_providerCombo);
    top->addRow(tr("&Name:"), m_nameEdit);
    top->addRow(tr("&Base URL:"), m_baseUrlEdit);

    m_editor = new CredentialEditor(m_environments, this);

    auto* formPanel = new QWidget(this);
    auto* formLayout = new QVBoxLayout(formPanel);
    formLayout->addLayout(top);
    auto* credentialsTitle = new QLabel(tr("Credentials (secret fields are stored in the keychain only)"), formPanel);
    QFont bold = credentialsTitle->font();
    bold.setBold(true);
    credentialsTitle->setFont(bold);
    formLayout->addWidget(credentialsTitle);
    m_discoverButton = new QPushButton(tr("&Discover endpoints"), formPanel);
    m_discoverButton->setObjectName(QStringLiteral("discoverButton"));
    m_discoverButton->setToolTip(tr("Reads the issuer's OpenID configuration and fills the endpoint fields that are "
                                    "still empty."));
    connect(m_discoverButton, &QPushButton::clicked, this, &EnvironmentDialog::discover);
    m_discovery = new QLabel(formPanel);
    m_discovery->setObjectName(QStringLiteral("discoveryResult"));
    m_discovery->setWordWrap(true);
    m_discovery->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* discoverRow = new QHBoxLayout;
    discoverRow->addWidget(m_discoverButton, 0, Qt::AlignTop);
    discoverRow->addWidget(m_discovery, 1);
    formLayout->addLayout(discoverRow);
    formLayout->addWidget(m_editor, 1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(formPanel);

    m_summary = new QTextBrowser(this);
    m_summary->setObjectName(QStringLiteral("providerSummary"));
    m_summary->setAccessibleName(tr("Provider summary"));
    // Links open here, not through QTextBrowser, so that a link no browser opened is said, not silent.
    m_summary->setOpenLinks(false);
    connect(m_summary, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (QDesktopServices::openUrl(url)) {
            m_error->hide();
            return;
        }
        QGuiApplication::clipboard()->setText(url.toString());
        m_error->setText(tr("No browser opened for %1. The address is on the clipboard: paste it into a browser.")
                             .arg(url.toString()));
        m_error->show();
    });
    m_summary->setFocusPolicy(Qt::ClickFocus); // reading matter, not a stop in the tab order

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(scroll);
    splitter->addWidget(m_summary);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("dialogError"));
    m_error->setWordWrap(true);
    m_error->setBackgroundRole(QPalette::ToolTipBase);
    m_error->setForegroundRole(QPalette::ToolTipText);
    m_error->setAutoFillBackground(true);
    m_error->setMargin(6);
    m_error->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("dialogSaveButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &EnvironmentDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &EnvironmentDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_providerCombo, &QComboBox::currentIndexChanged, this, &EnvironmentDialog::onProviderChanged);
    connect(m_editor, &CredentialEditor::saved, this, [this](const Environment& saved) {
        m_saving = false;
        m_buttons->setEnabled(true);
        m_result = saved;
        qCInfo(lcUi) << "environment saved:" << m_result.id << m_result.providerId;
        QDialog::accept();
    });
    connect(m_editor, &CredentialEditor::saveFailed, this, [this] {
        m_saving = false;
        m_buttons->setEnabled(true);
    });

    setTabOrder(m_providerCombo, m_nameEdit);
    setTabOrder(m_nameEdit, m_baseUrlEdit);
    resize(900, 560);
    onProviderChanged();
    m_nameEdit->setFocus();
}

const ProviderProfile* EnvironmentDialog::currentProfile() const
{
    return m_profiles->find(m_providerCombo->currentData().toString());
}

void EnvironmentDialog::setProvider(const QString& providerId)
{
    const int index = m_providerCombo->findData(providerId);
    if (index >= 0) {
        m_providerCombo->setCurrentIndex(index);
    }
}

void EnvironmentDialog::setSource(const Environment& environment)
{
    m_source = environment;
    setProvider(environment.providerId);
    onProviderChanged();
    m_baseUrlEdit->setText(environment.baseUrl);
    if (m_mode == Mode::Duplicate) {
        m_nameEdit->setText(tr("%1 (copy)").arg(environment.name));
        m_nameEdit->selectAll();
    } else {
        m_nameEdit->setText(environment.name);
    }
    // Reading the source's secrets: an edit keeps them, a duplicate copies them to the new id.
    m_editor->loadEnvironment(environment.id, environment.values);
}

void EnvironmentDialog::onProviderChanged()
{
    const ProviderProfile* profile = currentProfile();
    m_editor->setProfile(profile);
    bool discoverable = false;
    for (const FlowStep& step : profile ? profile->steps : QList<FlowStep>()) {
        discoverable = discoverable || step.kind == StepKind::Discovery;
    }
    m_discoverButton->setVisible(discoverable);
    m_discovery->setText(tr("Fills the empty endpoint fields from the issuer's discovery document."));
    m_discovery->setVisible(discoverable);
    if (!profile) {
        m_summary->clear();
        return;
    }
    if (m_mode == Mode::Add) {
        m_baseUrlEdit->setText(profile->defaultBaseUrl);
    }
    m_baseUrlEdit->setPlaceholderText(profile->defaultBaseUrl.isEmpty() ? tr("https://api.example.com")
                                                                        : profile->defaultBaseUrl);
    m_summary->setHtml(describe(*profile));
}

void EnvironmentDialog::discover()
{
    const QString issuer = m_editor->value(QStringLiteral("issuer"));
    if (issuer.isEmpty()) {
        m_discovery->setText(tr("Enter the issuer first, for example https://login.example.com/realms/main."));
        return;
    }
    m_discoverButton->setEnabled(false);
    m_discovery->setText(tr("Reading the discovery document of %1…").arg(issuer));
    // The user asks now: a document cached by an earlier run may be out of date.
    oidc::Discovery::clearCache();
    // Over the connection settings in the form (a private CA, a client certificate, a proxy), saved or not.
    oidc::Discovery::fetch(issuer, m_editor->connection(), this, [this](const oidc::DiscoveryResult& result) {
        m_discoverButton->setEnabled(true);
        if (!result.ok()) {
            m_discovery->setText(result.detail);
            return;
        }
        const ProviderProfile* profile = currentProfile();
        QMap<QString, QString> fill;
        QStringList lines;
        for (const auto& [member, name] : oidc::Discovery::standardEndpoints()) {
            const QString url = result.endpoints.value(name);
            if (url.isEmpty()) {
                continue;
            }
            const CredentialField* field = profile ? profile->field(name) : nullptr;
            const bool filled = field && !field->secret && m_editor->value(name).isEmpty();
            if (filled) {
                fill.insert(name, url);
            }
            lines.append(QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                             .arg(name.toHtmlEscaped(),
                                  url.toHtmlEscaped(),
                                  filled      ? tr("filled")
                                      : field ? tr("kept as set")
                                              : tr("used when needed")));
        }
        m_editor->setValues(fill);
        m_discovery->setText(QStringLiteral("<p>%1</p><table>%2</table>")
                                 .arg(tr("Discovered from %1:").arg(result.documentUrl.toString()).toHtmlEscaped(),
                                      lines.join(QString())));
    });
}

QString EnvironmentDialog::describe(const ProviderProfile& profile) const
{
    QString html
        = QStringLiteral("<h3>%1</h3><p>%2</p>").arg(profile.name.toHtmlEscaped(), profile.summary.toHtmlEscaped());
    if (!profile.documentation.isEmpty()) {
        html += QStringLiteral("<p><a href=\"%1\">%2</a></p>")
                    .arg(profile.documentation.toHtmlEscaped(), tr("Provider documentation").toHtmlEscaped());
    }
    html += QStringLiteral("<h4>%1</h4><dl>").arg(tr("Fields").toHtmlEscaped());
    for (const CredentialField& field : profile.fields) {
        QString flags;
        if (field.required) {
            flags += tr("required");
        }
        if (field.secret) {
            flags += (flags.isEmpty() ? QString() : QStringLiteral(", ")) + tr("secret, kept in the keychain");
        }
        html += QStringLiteral("<dt><b>%1</b> <code>%2</code>%3</dt><dd>%4</dd>")
                    .arg(field.label.toHtmlEscaped(),
                         field.key.toHtmlEscaped(),
                         flags.isEmpty() ? QString() : QStringLiteral(" <i>(%1)</i>").arg(flags.toHtmlEscaped()),
                         field.description.toHtmlEscaped());
    }
    html += QStringLiteral("</dl>");
    return html;
}

void EnvironmentDialog::showError(const QString& text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void EnvironmentDialog::accept()
{
    if (m_saving) {
        return;
    }
    const ProviderProfile* profile = currentProfile();
    const QString name = m_nameEdit->text().trimmed();
    if (!profile) {
        showError(tr("Pick a provider."));
        return;
    }
    if (name.isEmpty()) {
        showError(tr("Give the environment a name."));
        m_nameEdit->setFocus();
        return;
    }
    const std::optional<Environment> sameName = m_environments->find(name);
    if (sameName && !(m_mode == Mode::Edit && sameName->id == m_source.id)) {
        showError(tr("An environment named “%1” already exists. Choose another name.").arg(name));
        m_nameEdit->setFocus();
        return;
    }
    QString baseUrl = m_baseUrlEdit->text().trimmed();
    if (baseUrl.isEmpty()) {
        baseUrl = profile->defaultBaseUrl;
    }
    const QUrl url(baseUrl);
    if (!baseUrl.isEmpty()
        && (!url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))
            || url.host().isEmpty())) {
        showError(tr("The base URL must be an http:// or https:// address, e.g. https://api.example.com/v2."));
        m_baseUrlEdit->setFocus();
        return;
    }
    const QStringList missing = m_editor->missingRequiredLabels();
    if (!missing.isEmpty()) {
        showError(tr("Fill in the required fields: %1.").arg(missing.join(QStringLiteral(", "))));
        return;
    }
    if (m_mode == Mode::Edit) {
        m_result = m_source;
        m_result.name = name;
        m_result.baseUrl = baseUrl;
        m_result.values = m_editor->nonSecretValues();
    } else if (m_result.id.isEmpty() || m_result.providerId != profile->id) {
        // Keep the id across a Retry so the keychain entries already written are reused.
        m_result = Environment::create(name, profile->id, baseUrl);
    }
    m_result.name = name;
    m_result.baseUrl = baseUrl;
    m_result.values = m_editor->nonSecretValues();
    showError({});
    m_saving = true;
    m_buttons->setEnabled(false);
    m_editor->save(m_result, m_mode != Mode::Edit);
}

} // namespace keyway::ui
