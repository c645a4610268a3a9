#include "ui/common/SignInWait.h"

#include "core/util/Clock.h"
#include "ui/common/Clipboard.h"
#include "ui/common/DeviceCodeView.h"
#include "ui/common/WrappedLabel.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace keyway::ui {

namespace {

QString remainingText(qint64 ms)
{
    const qint64 seconds = std::max<qint64>(0, (ms + 999) / 1000);
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

SignInWait::SignInWait(const QString& prefix, QWidget* parent)
    : QFrame(parent)
    , m_label(new WrappedLabel(this))
    , m_urlField(new QLineEdit(this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_copyButton(new QPushButton(tr("Copy URL"), this))
    , m_openButton(new QPushButton(tr("Open again"), this))
    , m_showPasteButton(new QPushButton(tr("Browser did not open?"), this))
    , m_pasteRow(new QWidget(this))
    , m_redirectEdit(new QLineEdit(m_pasteRow))
    , m_redirectButton(new QPushButton(tr("Continue"), m_pasteRow))
    , m_redirectMessage(new QLabel(this))
    , m_device(new DeviceCodeView(prefix, this))
{
    setObjectName(prefix + QStringLiteral("Wait"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    m_openUrl = [](const QUrl& url) { return QDesktopServices::openUrl(url); };

    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_BrowserReload).pixmap(24, 24));
    icon->setAlignment(Qt::AlignTop);
    m_label->setObjectName(prefix + QStringLiteral("WaitLabel"));
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The banner takes the height its rows need and gives the rest to the steps below (1024x700 screens).
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    m_urlField->setObjectName(prefix + QStringLiteral("UrlField"));
    m_urlField->setReadOnly(true);
    m_urlField->setAccessibleName(tr("Sign-in address"));
    m_urlField->setToolTip(tr("The address where you sign in; open it in a browser"));
    m_cancelButton->setObjectName(prefix + QStringLiteral("CancelButton"));
    m_cancelButton->setToolTip(tr("Stop waiting for this sign-in"));
    m_copyButton->setObjectName(prefix + QStringLiteral("CopyUrlButton"));
    m_copyButton->setToolTip(tr("Copy the sign-in address, to open it in a browser yourself"));
    m_openButton->setObjectName(prefix + QStringLiteral("OpenAgainButton"));
    m_openButton->setToolTip(tr("Open the sign-in address in the browser again"));

    m_showPasteButton->setObjectName(prefix + QStringLiteral("ShowPasteButton"));
    m_showPasteButton->setFlat(true);
    m_showPasteButton->setToolTip(tr("Sign in with the address copied from the browser instead"));

    auto* pasteLabel = new QLabel(tr("Or paste the address the browser shows after signing in:"), m_pasteRow);
    pasteLabel->setWordWrap(true);
    pasteLabel->setBuddy(m_redirectEdit);
    m_redirectEdit->setObjectName(prefix + QStringLiteral("RedirectEdit"));
    m_redirectEdit->setPlaceholderText(tr("http://127.0.0.1:…/callback?code=…&state=…"));
    m_redirectEdit->setAccessibleName(tr("Redirect address from the browser"));
    m_redirectButton->setObjectName(prefix + QStringLiteral("RedirectButton"));
    m_redirectButton->setToolTip(tr("Finish the sign-in with the pasted address"));
    m_redirectButton->setEnabled(false);
    m_redirectMessage->setObjectName(prefix + QStringLiteral("RedirectMessage"));
    m_redirectMessage->setWordWrap(true);
    m_redirectMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_redirectMessage->hide();

    auto* top = new QHBoxLayout;
    top->addWidget(icon);
    top->addWidget(m_label, 1);
    top->addWidget(m_cancelButton, 0, Qt::AlignTop);
    auto* urlRow = new QHBoxLayout;
    urlRow->addWidget(m_urlField, 1);
    urlRow->addWidget(m_copyButton);
    urlRow->addWidget(m_openButton);
    urlRow->addWidget(m_showPasteButton);
    auto* pasteLayout = new QHBoxLayout(m_pasteRow);
    pasteLayout->setContentsMargins(0, 0, 0, 0);
    pasteLayout->addWidget(pasteLabel);
    pasteLayout->addWidget(m_redirectEdit, 1);
    pasteLayout->addWidget(m_redirectButton);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(urlRow);
    layout->addWidget(m_pasteRow);
    layout->addWidget(m_redirectMessage);
    layout->addWidget(m_device);
    m_device->hide();
    m_device->setOpener([this](const QUrl& url) { return m_openUrl && m_openUrl(url); });

    setTabOrder(m_cancelButton, m_urlField);
    setTabOrder(m_urlField, m_copyButton);
    setTabOrder(m_copyButton, m_openButton);
    setTabOrder(m_openButton, m_showPasteButton);
    setTabOrder(m_showPasteButton, m_redirectEdit);
    setTabOrder(m_redirectEdit, m_redirectButton);

    connect(m_cancelButton, &QPushButton::clicked, this, &SignInWait::cancelRequested);
    connect(m_copyButton, &QPushButton::clicked, this, [this] {
        // The sign-in address carries state and the PKCE challenge, neither of them secret.
        Clipboard::instance()->copyText(QString::fromUtf8(m_url.toEncoded()));
        m_redirectMessage->setText(tr("The sign-in address is on the clipboard."));
        m_redirectMessage->show();
    });
    connect(m_openButton, &QPushButton::clicked, this, &SignInWait::openAgain);
    connect(m_showPasteButton, &QPushButton::clicked, this, [this] {
        m_showPasteButton->hide();
        m_pasteRow->show();
        m_redirectEdit->setFocus();
    });
    connect(m_redirectEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_redirectButton->setEnabled(!text.trimmed().isEmpty());
    });
    connect(m_redirectEdit, &QLineEdit::returnPressed, this, &SignInWait::submitRedirect);
    connect(m_redirectButton, &QPushButton::clicked, this, &SignInWait::submitRedirect);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &SignInWait::updateText);
    hide();
}

void SignInWait::showWaiting(const FlowEvent& waiting, const QString& context)
{
    const QUrl url(waiting.url);
    if (url != m_url) {
        m_redirectEdit->clear();
        m_redirectMessage->hide();
    }
    m_url = url;
    m_context = context;
    m_deviceMode = false;
    m_device->hide();
    for (QWidget* w : {static_cast<QWidget*>(m_urlField),
                       static_cast<QWidget*>(m_copyButton),
                       static_cast<QWidget*>(m_openButton)}) {
        w->show();
    }
    m_browserOpened = waiting.browserOpened;
    m_deadlineMs = waiting.deadlineMs;
    m_urlField->setText(QString::fromUtf8(m_url.toEncoded()));
    m_urlField->setCursorPosition(0);
    m_pasteRow->setVisible(!m_browserOpened);
    m_showPasteButton->setVisible(m_browserOpened);
    updateText();
    m_tick.start();
    show();
}

void SignInWait::showDeviceCode(const FlowEvent& deviceCode)
{
    m_deviceMode = true;
    m_url = QUrl(deviceCode.url);
    m_deadlineMs = deviceCode.deadlineMs;
    for (QWidget* w : {static_cast<QWidget*>(m_urlField),
                       static_cast<QWidget*>(m_copyButton),
                       static_cast<QWidget*>(m_openButton),
                       static_cast<QWidget*>(m_showPasteButton),
                       m_pasteRow,
                       static_cast<QWidget*>(m_redirectMessage)}) {
        w->hide();
    }
    m_device->showCode(deviceCode);
    updateText();
    m_tick.start();
    show();
}

void SignInWait::showRedirectProblem(const QString& text)
{
    m_redirectMessage->setText(text);
    m_redirectMessage->setVisible(!text.isEmpty());
}

void SignInWait::finish()
{
    m_tick.stop();
    m_redirectEdit->clear(); // it carried a one-time code
    m_redirectMessage->hide();
    m_url = QUrl();
    m_deviceMode = false;
    hide();
}

QString SignInWait::text() const
{
    return m_label->text();
}

void SignInWait::updateText()
{
    const QString left = remainingText(m_deadlineMs - Clock::currentMSecsSinceEpoch());
    if (m_deviceMode) {
        m_label->setText(m_deadlineMs > 0
                             ? tr("Waiting for someone to approve the code; Keyway continues on its own. "
                                  "The code expires in %1.")
                                   .arg(left)
                             : tr("Waiting for someone to approve the code; Keyway continues on its own."));
        m_label->setAccessibleName(m_label->text());
        return;
    }
    const QString waiting
        = m_context.isEmpty() ? tr("Waiting for the browser") : tr("Waiting for the browser (%1)").arg(m_context);
    if (m_browserOpened) {
        m_label->setText(tr("%1: sign in there and Keyway continues on its own. %2 left.").arg(waiting, left));
    } else {
        m_label->setText(
            tr("%1, but it did not open. Open the address below in a browser and sign in; Keyway keeps listening "
               "for %2.")
                .arg(waiting, left));
    }
    m_label->setAccessibleName(m_label->text());
}

void SignInWait::openAgain()
{
    if (!m_url.isValid()) {
        return;
    }
    const bool opened = m_openUrl && m_openUrl(m_url);
    if (!opened) {
        m_browserOpened = false;
        m_pasteRow->show();
        m_showPasteButton->hide();
        updateText();
    }
    m_redirectMessage->setText(opened ? tr("The sign-in address was opened in the browser again.")
                                      : tr("The browser did not open: copy the address and open it yourself."));
    m_redirectMessage->show();
}

void SignInWait::submitRedirect()
{
    const QString text = m_redirectEdit->text().trimmed();
    if (text.isEmpty()) {
        return;
    }
    const QUrl url = QUrl::fromUserInput(text);
    if (!url.isValid()) {
        showRedirectProblem(tr("That is not an address: paste the whole address from the browser's address bar."));
        return;
    }
    m_redirectMessage->hide();
    Q_EMIT redirectSubmitted(url);
}

} // namespace keyway::ui
