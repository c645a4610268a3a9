#pragma once

#include "core/flow/FlowEvent.h"

#include <QUrl>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace keyway::ui {

// What a person needs to approve a device sign-in (RFC 8628) on another screen: the user code, big and
// copyable, the verification address (copy, open), and a QR code of the address that carries the code. Part of
// SignInWait, which owns the countdown and Cancel.
//
// Object names, with the prefix given: <p>UserCode, <p>CopyCodeButton, <p>VerificationField,
// <p>CopyAddressButton, <p>OpenAddressButton, <p>QrCode, <p>DeviceMessage.
class DeviceCodeView : public QWidget
{
    Q_OBJECT
public:
    DeviceCodeView(const QString& prefix, QWidget* parent);

    void setOpener(std::function<bool(const QUrl&)> opener) { m_open = std::move(opener); }
    void showCode(const FlowEvent& deviceCode);

    QString userCode() const { return m_userCode; }
    QUrl verificationUrl() const { return m_url; }
    QUrl qrUrl() const { return m_qrUrl; } // what the QR code encodes

private:
    std::function<bool(const QUrl&)> m_open;
    QString m_userCode;
    QUrl m_url;
    QUrl m_qrUrl;
    QLabel* m_code;
    QPushButton* m_copyCode;
    QLineEdit* m_address;
    QPushButton* m_copyAddress;
    QPushButton* m_openAddress;
    QLabel* m_qr;
    QLabel* m_message;
};

} // namespace keyway::ui
