#pragma once

#include "core/flow/FlowEngine.h"
#include "core/flow/FlowEvent.h"

#include <QFrame>
#include <QTimer>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPushButton;

namespace keyway::ui {

class DeviceCodeView;

// "Waiting for the browser" for every browser sign-in in the window (the Flow walkthrough, the Requests tab,
// Check provider): a countdown to the listener's deadline and Cancel; the sign-in URL (selectable), Copy URL
// and Open again; and, when the browser did not open, a field to paste the redirect URL from the browser's
// address bar as a last resort. It only shows and asks: whoever runs the sign-in answers cancelRequested()
// and redirectSubmitted() (FlowEngine / Session / ConformanceRun).
//
// Object names, with the prefix given (e.g. "browser"): <p>Wait (the frame), <p>WaitLabel, <p>CancelButton,
// <p>UrlField, <p>CopyUrlButton, <p>OpenAgainButton, <p>ShowPasteButton, <p>RedirectEdit, <p>RedirectButton,
// <p>RedirectMessage. An opener that reports success may still have shown nothing (xdg-open started, no
// browser behind it), so the paste field is one click away even then.
class SignInWait : public QFrame
{
    Q_OBJECT
public:
    SignInWait(const QString& prefix, QWidget* parent);

    void setUrlOpener(UrlOpener opener) { m_openUrl = std::move(opener); }

    // Shows the waiting state of a WaitingForBrowser event. `context` names which sign-in this is, if more
    // than one ("sign-in 2 of 2").
    void showWaiting(const FlowEvent& waiting, const QString& context = {});
    // Shows the waiting state of a device sign-in (a DeviceCode event): the user code and verification address
    // big and copyable with a QR code (DeviceCodeView, object names <p>UserCode, <p>CopyCodeButton, <p>QrCode...),
    // the countdown to the code's expiry and Cancel. Replies to the polls do not end it; finish() does.
    void showDeviceCode(const FlowEvent& deviceCode);
    bool isShowingDeviceCode() const { return m_deviceMode && isVisible(); }
    DeviceCodeView* deviceCodeView() const { return m_device; }
    // A pasted redirect was not taken: says why (the sign-in keeps waiting).
    void showRedirectProblem(const QString& text);
    // The sign-in ended (any way): hides the banner and stops the countdown.
    void finish();

    QUrl url() const { return m_url; }
    bool browserOpened() const { return m_browserOpened; }
    QString text() const; // the main sentence, countdown included

Q_SIGNALS:
    void cancelRequested();
    void redirectSubmitted(const QUrl& url);

private:
    void updateText();
    void openAgain();
    void submitRedirect();

    UrlOpener m_openUrl;
    QUrl m_url;
    QString m_context;
    bool m_browserOpened = false;
    qint64 m_deadlineMs = 0;
    QTimer m_tick;

    QLabel* m_label;
    QLineEdit* m_urlField;
    QPushButton* m_cancelButton;
    QPushButton* m_copyButton;
    QPushButton* m_openButton;
    QPushButton* m_showPasteButton;
    QWidget* m_pasteRow;
    QLineEdit* m_redirectEdit;
    QPushButton* m_redirectButton;
    QLabel* m_redirectMessage;
    DeviceCodeView* m_device;
    bool m_deviceMode = false;
};

} // namespace keyway::ui
