#include "ui/common/DeviceCodeView.h"

#include "ui/common/Clipboard.h"
#include "ui/common/QrCode.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

namespace keyway::ui {

DeviceCodeView::DeviceCodeView(const QString& prefix, QWidget* parent)
    : QWidget(parent)
    , m_code(new QLabel(this))
    , m_copyCode(new QPushButton(tr("Copy code"), this))
    , m_address(new QLineEdit(this))
    , m_copyAddress(new QPushButton(tr("Copy address"), this))
    , m_openAddress(new QPushButton(tr("Open in browser"), this))
    , m_qr(new QLabel(this))
    , m_message(new QLabel(this))
{
    setObjectName(prefix + QStringLiteral("DeviceCode"));
    m_code->setObjectName(prefix + QStringLiteral("UserCode"));
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QFont big = m_code->font();
    big.setPointSizeF(big.pointSizeF() * 2.4);
    big.setBold(true);
    big.setLetterSpacing(QFont::AbsoluteSpacing, 2);
    big.setStyleHint(QFont::Monospace);
    big.setFamily(QStringLiteral("monospace"));
    m_code->setFont(big);
    m_copyCode->setObjectName(prefix + QStringLiteral("CopyCodeButton"));
    m_copyCode->setToolTip(tr("Copy the code to type it on the verification page"));
    m_address->setObjectName(prefix + QStringLiteral("VerificationField"));
    m_address->setReadOnly(true);
    m_address->setAccessibleName(tr("Verification address"));
    m_copyAddress->setObjectName(prefix + QStringLiteral("CopyAddressButton"));
    m_copyAddress->setToolTip(tr("Copy the verification address, to open it on another device"));
    m_openAddress->setObjectName(prefix + QStringLiteral("OpenAddressButton"));
    m_openAddress->setToolTip(tr("Open the verification page in this computer's browser"));
    m_qr->setObjectName(prefix + QStringLiteral("QrCode"));
    m_qr->setToolTip(tr("Scan with a phone to open the verification page with the code filled in"));
    m_message->setObjectName(prefix + QStringLiteral("DeviceMessage"));
    m_message->setWordWrap(true);
    m_message->hide();

    auto* intro = new QLabel(tr("On any device, open the address below and enter this code:"), this);
    intro->setWordWrap(true);
    auto* codeRow = new QHBoxLayout;
    codeRow->addWidget(m_code);
    codeRow->addWidget(m_copyCode, 0, Qt::AlignVCenter);
    codeRow->addStretch(1);
    auto* addressRow = new QHBoxLayout;
    addressRow->addWidget(m_address, 1);
    addressRow->addWidget(m_copyAddress);
    addressRow->addWidget(m_openAddress);
    auto* texts = new QVBoxLayout;
    texts->addWidget(intro);
    texts->addLayout(codeRow);
    texts->addLayout(addressRow);
    texts->addWidget(m_message);
    texts->addStretch(1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(texts, 1);
    layout->addWidget(m_qr, 0, Qt::AlignTop);

    connect(m_copyCode, &QPushButton::clicked, this, [this] {
        // A user code is typed by a person on another screen: no secret.
        Clipboard::instance()->copyText(m_userCode);
        m_message->setText(tr("The code is on the clipboard."));
        m_message->show();
    });
    connect(m_copyAddress, &QPushButton::clicked, this, [this] {
        Clipboard::instance()->copyText(m_url.toString());
        m_message->setText(tr("The verification address is on the clipboard."));
        m_message->show();
    });
    connect(m_openAddress, &QPushButton::clicked, this, [this] {
        const bool opened = m_open && m_open(m_qrUrl);
        m_message->setText(opened ? tr("The verification page was opened in the browser.")
                                  : tr("The browser did not open: copy the address and open it yourself."));
        m_message->show();
    });
}

void DeviceCodeView::showCode(const FlowEvent& deviceCode)
{
    m_userCode = deviceCode.userCode;
    m_url = QUrl(deviceCode.url);
    m_qrUrl = deviceCode.completeUrl.isEmpty() ? m_url : QUrl(deviceCode.completeUrl);
    m_code->setText(m_userCode);
    m_code->setAccessibleName(tr("User code %1").arg(m_userCode));
    m_address->setText(m_url.toString());
    m_address->setCursorPosition(0);
    const QImage qr = qrCodeImage(m_qrUrl.toString(), 3);
    m_qr->setPixmap(QPixmap::fromImage(qr));
    m_qr->setVisible(!qr.isNull());
    m_message->hide();
    show();
}

} // namespace keyway::ui
