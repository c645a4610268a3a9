#pragma once

#include "core/checks/ConformanceRun.h"
#include "core/flow/FlowEngine.h"
#include "core/flow/FlowEvent.h"
#include "core/profile/ProviderProfile.h"
#include "ui/flow/FlowWalkthrough.h"

#include <QPointer>
#include <QString>
#include <QWidget>

class QFrame;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace keyway::ui {

class SignInWait;

// "Check provider": runs the Seam-style conformance checks (core ConformanceRun, the same engine as
// `keyway-cli conform`) against an authorization-code environment and shows the seven checks with
// their pass / fail state and evidence, the "waiting for the browser" state, the warning before
// concurrent_refresh and the redacted event log. Run asks for a confirmation first, because a
// server that rotates refresh tokens may revoke the grant.
//
// Object names: conformancePage, conformTitle, conformRunButton, conformCancelButton,
// conformChecks (one row per check, UserRole = check name), conformCheckDetail, conformWarning,
// conformWarningLabel, conformBrowserWait, conformBrowserWaitLabel, conformLog, conformStatus.
class ConformancePage : public QWidget
{
    Q_OBJECT
public:
    using CredentialLoader = FlowWalkthrough::CredentialLoader;
    enum class CheckState { Pending, Running, Passed, Failed, NotRun }; // NotRun: kept from running by a local problem

    explicit ConformancePage(QWidget* parent = nullptr);
    ~ConformancePage() override;

    // True for profiles the checks apply to: a browser sign-in first and a refresh step.

    // The environment to check; nullptr profile clears the page. The profile must outlive the page's
    // use of it (the window's ProfileRegistry owns it).
    void setEnvironment(const ProviderProfile* profile,
                        const QString& environmentName,
                        const QString& baseUrl,
                        CredentialLoader loader);
    // How the sign-in URL reaches a browser (default: QDesktopServices); tests play the browser.
    void setUrlOpener(UrlOpener opener);
    void setBrowserTimeoutMs(int ms) { m_browserTimeoutMs = ms; }

    bool isRunning() const { return m_run != nullptr || m_loading; }
    CheckState checkState(const QString& name) const;
    QString checkDetail(const QString& name) const;
    QString statusText() const;
    QString warningText() const; // empty until the run warns
    QString logText() const;

public Q_SLOTS:
    void run(); // asks for confirmation, then reads the credentials and starts
    void cancel();

Q_SIGNALS:
    void runStarted();
    // Every event of the run (its sign-ins, exchanges and refreshes), already redacted: the timeline shows them.
    void flowEvent(const keyway::FlowEvent& event);
    void finished(bool allPassed);

private:
    void buildUi();
    void launch(const QMap<QString, QString>& credentials, const std::shared_ptr<const ConnectionSettings>& connection);
    void onEvent(const FlowEvent& event);
    void onWarning(const QString& text);
    void onCheck(const ConformanceRun::Check& check);
    void onFinished(bool allPassed);
    void resetChecks();
    void markNextRunning();
    void setCheckState(QTreeWidgetItem* item, CheckState state, const QString& detail);
    void showSelectedDetail();
    void appendLog(const QString& line);
    void setStatus(const QString& text);
    void updateControls();
    void dropRun();
    QTreeWidgetItem* itemFor(const QString& name) const;

    const ProviderProfile* m_profile = nullptr;
    QString m_environmentName;
    QString m_baseUrl;
    CredentialLoader m_loader;
    UrlOpener m_openUrl;
    int m_browserTimeoutMs = 5 * 60 * 1000;

    QPointer<ConformanceRun> m_run;
    bool m_loading = false;
    int m_generation = 0; // ignores credential callbacks of a cancelled or replaced run
    int m_signIns = 0; // browser sign-ins started in this run
    int m_passed = 0;
    int m_failed = 0;
    int m_notRun = 0;

    QLabel* m_title = nullptr;
    QLabel* m_intro = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QTreeWidget* m_checks = nullptr;
    QLabel* m_detail = nullptr;
    QFrame* m_warningFrame = nullptr;
    QLabel* m_warningLabel = nullptr;
    SignInWait* m_signInWait = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace keyway::ui
