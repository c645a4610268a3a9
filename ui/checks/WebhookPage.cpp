#include "ui/checks/WebhookPage.h"

#include "ui/checks/CheckColors.h"
#include "ui/common/UiLogging.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QStyle>
#include <QVBoxLayout>

namespace keyway::ui {

namespace {

struct VerdictLook
{
    CheckTone tone;
    QStyle::StandardPixmap icon;
    QString headline;
};

VerdictLook lookOf(WebhookVerifier::Verdict verdict)
{
    using V = WebhookVerifier::Verdict;
    switch (verdict) {
    case V::Valid:
        return {CheckTone::Pass,
                QStyle::SP_DialogApplyButton,
                WebhookPage::tr("Valid: the signature matches this body and the environment's webhook secret.")};
    case V::MalformedSignature:
        return {CheckTone::Fail,
                QStyle::SP_MessageBoxCritical,
                WebhookPage::tr("Not a signature: expected the hex or base64 form of an HMAC-SHA256 (32 bytes).")};
    case V::BodyWhitespace:
        return {CheckTone::Warn,
                QStyle::SP_MessageBoxWarning,
                WebhookPage::tr("Body whitespace mismatch: the signature fits this body only once whitespace or "
                                "line endings are normalised.")};
    case V::SecretEncoding:
        return {CheckTone::Warn,
                QStyle::SP_MessageBoxWarning,
                WebhookPage::tr("Secret encoding mismatch: the signature fits when the secret is decoded first.")};
    case V::Mismatch:
        break;
    }
    return {CheckTone::Fail,
            QStyle::SP_MessageBoxCritical,
            WebhookPage::tr("Mismatch: the signature does not match this body with the environment's webhook "
                            "secret.")};
}

} // namespace

WebhookPage::WebhookPage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("webhookPage"));
    buildUi();
    setEnvironment(nullptr, {}, {});
}

void WebhookPage::buildUi()
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("webhookTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true); // a long environment name wraps instead of narrowing the environment list

    m_intro = new QLabel(this);
    m_intro->setObjectName(QStringLiteral("webhookIntro"));
    m_intro->setWordWrap(true);
    m_intro->setForegroundRole(QPalette::PlaceholderText);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_body = new QPlainTextEdit(this);
    m_body->setObjectName(QStringLiteral("webhookBody"));
    m_body->setFont(mono);
    m_body->setTabChangesFocus(true);
    m_body->setPlaceholderText(tr("Paste the webhook body exactly as it was received (raw bytes, not re-formatted)."));
    m_body->setLineWrapMode(QPlainTextEdit::WidgetWidth);

    m_signature = new QLineEdit(this);
    m_signature->setObjectName(QStringLiteral("webhookSignature"));
    m_signature->setFont(mono);
    m_signature->setPlaceholderText(tr("The signature header's value, hex or base64"));
    m_signature->setClearButtonEnabled(true);

    m_verifyButton = new QPushButton(tr("Ver&ify"), this);
    m_verifyButton->setObjectName(QStringLiteral("webhookVerifyButton"));
    m_verifyButton->setIcon(style()->standardIcon(QStyle::SP_DialogApplyButton));
    m_verifyButton->setToolTip(tr("Verify the signature (Ctrl+Enter)"));
    connect(m_verifyButton, &QPushButton::clicked, this, &WebhookPage::verify);
    connect(m_signature, &QLineEdit::returnPressed, this, &WebhookPage::verify);
    for (const QKeySequence& keys : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto* shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &WebhookPage::verify);
    }
    // A new body or signature makes the previous verdict stale.
    connect(m_body, &QPlainTextEdit::textChanged, this, &WebhookPage::clearVerdict);
    connect(m_signature, &QLineEdit::textChanged, this, &WebhookPage::clearVerdict);

    m_verdictFrame = new QFrame(this);
    m_verdictFrame->setObjectName(QStringLiteral("webhookVerdict"));
    m_verdictFrame->setFrameShape(QFrame::StyledPanel);
    m_verdictFrame->setBackgroundRole(QPalette::AlternateBase);
    m_verdictFrame->setAutoFillBackground(true);
    m_verdictIcon = new QLabel(m_verdictFrame);
    m_verdictIcon->setObjectName(QStringLiteral("webhookVerdictIcon"));
    m_verdictIcon->setAlignment(Qt::AlignTop);
    m_verdictLabel = new QLabel(m_verdictFrame);
    m_verdictLabel->setObjectName(QStringLiteral("webhookVerdictLabel"));
    m_verdictLabel->setWordWrap(true);
    m_verdictLabel->setTextFormat(Qt::PlainText);
    m_verdictLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* verdictLayout = new QHBoxLayout(m_verdictFrame);
    verdictLayout->addWidget(m_verdictIcon);
    verdictLayout->addWidget(m_verdictLabel, 1);
    // Its place is kept while hidden, so the Verify button does not move when a verdict appears.
    QSizePolicy verdictPolicy = m_verdictFrame->sizePolicy();
    verdictPolicy.setRetainSizeWhenHidden(true);
    m_verdictFrame->setSizePolicy(verdictPolicy);
    m_verdictIcon->setMinimumHeight(32);
    // Room for a verdict of three wrapped lines, so on a narrow window the longer verdicts do not push the
    // Verify button up either.
    const QMargins margins = verdictLayout->contentsMargins();
    m_verdictFrame->setMinimumHeight(margins.top() + margins.bottom() + 2 * m_verdictFrame->frameWidth()
                                     + 3 * m_verdictLabel->fontMetrics().lineSpacing());
    m_verdictFrame->hide();

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("webhookStatus"));
    m_status->setWordWrap(true);

    auto* form = new QFormLayout;
    auto* bodyLabel = new QLabel(tr("&Body"), this);
    bodyLabel->setBuddy(m_body);
    auto* signatureLabel = new QLabel(tr("&Signature"), this);
    signatureLabel->setBuddy(m_signature);
    auto* signatureRow = new QHBoxLayout;
    signatureRow->addWidget(m_signature, 1);
    signatureRow->addWidget(m_verifyButton);
    form->addRow(bodyLabel, m_body);
    form->addRow(signatureLabel, signatureRow);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_intro);
    layout->addLayout(form, 1);
    layout->addWidget(m_verdictFrame);
    layout->addWidget(m_status);

    setTabOrder(m_body, m_signature);
    setTabOrder(m_signature, m_verifyButton);
}

void WebhookPage::setEnvironment(const ProviderProfile* profile,
                                 const QString& environmentName,
                                 CredentialLoader loader)
{
    ++m_generation;
    m_verifying = false;
    m_profile = profile;
    m_secretField = profile ? profile->webhookSecretField() : nullptr;
    m_environmentName = environmentName;
    m_loader = std::move(loader);
    clearVerdict();
    m_status->clear();
    m_signature->setPlaceholderText(
        m_secretField ? tr("The %1 header's value (%2)")
                            .arg(profile->webhook->header, profile->webhook->encodings.join(QStringLiteral(" / ")))
                      : tr("The signature header's value, hex or base64"));
    if (m_secretField) {
        m_title->setText(tr("Webhook signature — %1").arg(environmentName));
        m_intro->setText(tr("Paste a webhook body and its signature; Keyway checks the HMAC-SHA256 with this "
                            "environment's “%1” from the keychain, without showing it.")
                             .arg(m_secretField->label.isEmpty() ? m_secretField->key : m_secretField->label));
    } else if (profile) {
        m_title->setText(tr("Webhook signature"));
        m_intro->setText(tr("“%1” uses %2, which declares no webhook secret.").arg(environmentName, profile->name));
    } else {
        m_title->setText(tr("Webhook signature"));
        m_intro->setText(tr("Select an environment whose provider signs webhooks (for example Seismic)."));
    }
    updateControls();
}

void WebhookPage::verify()
{
    if (!m_secretField || m_verifying || !m_verifyButton->isEnabled()) {
        return;
    }
    if (m_signature->text().trimmed().isEmpty()) {
        showError(tr("Paste the signature first."));
        m_signature->setFocus(Qt::OtherFocusReason);
        return;
    }
    // Captured now: what the user verifies is what was on screen when they pressed Verify.
    const QByteArray body = m_body->toPlainText().toUtf8();
    const QByteArray signature = m_signature->text().trimmed().toUtf8();
    const QString key = m_secretField->key;
    const QString label = m_secretField->label.isEmpty() ? key : m_secretField->label;
    const WebhookRule rule = *m_profile->webhook;
    m_verifying = true;
    const int generation = ++m_generation;
    updateControls();
    m_status->setText(tr("Reading the webhook secret from the keychain…"));
    if (!m_loader) {
        m_verifying = false;
        showError(tr("No keychain."));
        updateControls();
        return;
    }
    const QPointer<WebhookPage> self(this);
    m_loader([self, generation, body, signature, key, label, rule](
                 const QMap<QString, QString>& values, const QString& error, const auto&) {
        if (!self || generation != self->m_generation) {
            return;
        }
        self->m_verifying = false;
        self->updateControls();
        if (!error.isEmpty()) {
            self->showError(error);
            return;
        }
        const QString secret = values.value(key);
        if (secret.isEmpty()) {
            self->showError(tr("This environment has no %1: set it on the Credentials tab.").arg(label));
            return;
        }
        const auto result = WebhookVerifier::verify(rule, body, signature, secret.toUtf8());
        qCInfo(lcUi) << "webhook signature verified:" << result.valid();
        self->showResult(result);
    });
}

void WebhookPage::showResult(const WebhookVerifier::Result& result)
{
    m_result = result;
    const VerdictLook look = lookOf(result.verdict);
    QString text = look.headline;
    if (!result.valid() && !result.detail.isEmpty()) { // the headline already says what a valid one means
        text += QLatin1Char('\n') + result.detail;
    }
    if (!result.signatureEncoding.isEmpty()) {
        text += QLatin1Char('\n') + tr("The signature was read as %1.").arg(result.signatureEncoding);
    }
    m_verdictLabel->setText(text);
    QPalette labelPalette = m_verdictLabel->palette();
    labelPalette.setColor(QPalette::WindowText, checkToneColor(palette(), look.tone));
    m_verdictLabel->setPalette(labelPalette);
    QFont font = m_verdictLabel->font();
    font.setBold(true);
    m_verdictLabel->setFont(font);
    m_verdictIcon->setPixmap(style()->standardIcon(look.icon).pixmap(32, 32));
    m_verdictFrame->show();
    m_status->setText(result.valid() ? tr("The webhook is authentic.")
                                     : tr("Do not trust this webhook until the signature matches."));
    Q_EMIT verified(result.valid());
}

void WebhookPage::showError(const QString& text)
{
    clearVerdict();
    m_status->setText(text);
}

void WebhookPage::clearVerdict()
{
    // A verdict is about the body and signature it was given: any edit makes it, and its status, stale.
    if (!m_verifying && m_status) {
        m_status->clear();
    }
    m_result.reset();
    m_verdictLabel->clear();
    m_verdictIcon->clear();
    m_verdictFrame->hide();
}

void WebhookPage::updateControls()
{
    m_verifyButton->setEnabled(m_secretField != nullptr && !m_verifying);
    m_body->setEnabled(m_secretField != nullptr);
    m_signature->setEnabled(m_secretField != nullptr);
}

QString WebhookPage::verdictText() const
{
    return m_verdictFrame->isHidden() ? QString() : m_verdictLabel->text();
}

QString WebhookPage::statusText() const
{
    return m_status->text();
}

} // namespace keyway::ui
