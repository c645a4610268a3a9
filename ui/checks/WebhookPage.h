#pragma once

#include "core/checks/WebhookVerifier.h"
#include "core/profile/ProviderProfile.h"
#include "ui/flow/FlowWalkthrough.h"

#include <QString>
#include <QWidget>

#include <optional>

class QFrame;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace keyway::ui {

// Verifies a pasted webhook body against its HMAC-SHA256 signature with the environment's webhook
// secret (the field the profile's "webhook" block names), under the profile's webhook rule, using the same verifier as
// `keyway-cli webhook verify`. The verdict is said in plain words with a pass / warn / fail colour and icon, and names
// the part that mismatched when it can be told (signature encoding, body whitespace, secret encoding). The secret is
// read from the keychain for each verification, used, and dropped: it is never shown.
//
// Object names: webhookPage, webhookTitle, webhookBody, webhookSignature, webhookVerifyButton
// (Ctrl+Enter), webhookVerdict (frame), webhookVerdictIcon, webhookVerdictLabel, webhookStatus.
class WebhookPage : public QWidget
{
    Q_OBJECT
public:
    using CredentialLoader = FlowWalkthrough::CredentialLoader;

    explicit WebhookPage(QWidget* parent = nullptr);

    // nullptr profile, or one without a webhook secret, shows an explanation and disables Verify.
    void setEnvironment(const ProviderProfile* profile, const QString& environmentName, CredentialLoader loader);

    bool isVerifying() const { return m_verifying; }
    std::optional<WebhookVerifier::Result> lastResult() const { return m_result; }
    QString verdictText() const;
    QString statusText() const;

public Q_SLOTS:
    void verify();

Q_SIGNALS:
    void verified(bool valid);

private:
    void buildUi();
    void showResult(const WebhookVerifier::Result& result);
    void showError(const QString& text);
    void clearVerdict();
    void updateControls();

    const ProviderProfile* m_profile = nullptr;
    const CredentialField* m_secretField = nullptr;
    QString m_environmentName;
    CredentialLoader m_loader;
    bool m_verifying = false;
    int m_generation = 0;
    std::optional<WebhookVerifier::Result> m_result;

    QLabel* m_title = nullptr;
    QLabel* m_intro = nullptr;
    QPlainTextEdit* m_body = nullptr;
    QLineEdit* m_signature = nullptr;
    QPushButton* m_verifyButton = nullptr;
    QFrame* m_verdictFrame = nullptr;
    QLabel* m_verdictIcon = nullptr;
    QLabel* m_verdictLabel = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace keyway::ui
