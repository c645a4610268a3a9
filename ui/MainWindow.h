#pragma once

#include "core/flow/FlowEvent.h"
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvironmentService.h"

#include <QList>
#include <QMainWindow>
#include <QPointer>

class QAction;
class QComboBox;
class QLabel;
class QSplitter;
class QTabWidget;
class QTextBrowser;

namespace keyway {
class SecretStore;
class SessionRegistry;
namespace sandbox {
class SandboxServer;
}
} // namespace keyway

namespace keyway::ui {

class ConformancePage;
class CredentialEditor;
class EnvironmentList;
class EnvironmentListModel;
class FlowWalkthrough;
class HealthBoard;
class RequestWorkspace;
class TimelineModel;
class TimelineWidget;
class WebhookPage;

struct MainWindowOptions
{
    SecretStore* secretStore = nullptr; // not owned; nullptr = the system keychain (owned by the window)
    QString environmentsFile; // empty = <XDG config>/keyway/environments.json
};

// The desktop app's window: environments grouped by provider on the left; the selected
// environment's flow walkthrough and credentials on the right; the timeline of codes and tokens
// below. Every tab reaches environments through one EnvironmentService and tokens through one
// SessionRegistry, so the Flow, Requests and Check provider tabs and the timeline see the same session
// of an environment and credential set. Object names: mainWindow, mainSplitter, rightSplitter, mainTabs,
// credentialsPanel, timelineArea, and those of the parts.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(MainWindowOptions options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // First run: creates the sandbox's demo environments; later runs re-point them at its port.
    void useSandbox(sandbox::SandboxServer& server);
    // "Sandbox…": the embedded sandbox's address, time scale and faults.
    void showSandboxDialog();

    const EnvironmentStore& environmentStore() const { return m_service->store(); }
    EnvironmentService* environmentService() const { return m_service; }
    SessionRegistry* sessions() const { return m_sessions; }
    // The credential set the tabs use ("" for providers without sets).
    QString currentCredentialSet() const;
    void setCurrentCredentialSet(const QString& setId);
    const ProfileRegistry& profiles() const { return m_profiles; }
    SecretStore* secretStore() const { return m_secrets; }
    EnvironmentListModel* environmentModel() const { return m_model; }
    FlowWalkthrough* walkthrough() const { return m_walkthrough; }
    HealthBoard* healthBoard() const { return m_healthBoard; }
    QString currentEnvironmentId() const;
    void selectEnvironment(const QString& environmentId);
    TimelineModel* timelineModel() const { return m_timelineModel; }
    TimelineWidget* timelineWidget() const { return m_timeline; }
    // Timeline events of the current environment since the walkthrough's last run started, in order,
    // whichever tab caused them.
    const QList<FlowEvent>& timelineEvents() const { return m_timelineEvents; }
    // The timeline lane id of a captured value of an environment and set ("<envId>/access_token",
    // "<envId>/sdk/access_token").
    static QString laneId(const QString& environmentId, const QString& credentialSet, const QString& valueName);

public Q_SLOTS:
    void newEnvironment();
    void editEnvironment();
    void duplicateEnvironment();
    void deleteEnvironment();
    void reloadEnvironments();
    void run();
    // Environment ▸ Export environments… / Import environments…: secret-free bundles (and Postman files).
    void exportEnvironments();
    void importEnvironments();

Q_SIGNALS:
    void environmentsReloaded();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildActions();
    void buildUi();
    void restoreLayout();
    void fitToScreen();
    void saveLayout();
    void onCurrentEnvironmentChanged(const QString& environmentId);
    void onTimelineEvent(const QString& environmentId, const QString& credentialSet, const FlowEvent& event);
    // Right click on a token lane: Introspect / Revoke through the environment's shared session.
    void showLaneMenu(const QString& laneId, const QPoint& globalPos);
    void
    runTokenLifecycle(const QString& environmentId, const QString& credentialSet, const QString& name, bool revoke);
    void showEnvironment(const Environment& environment, const ProviderProfile* profile);
    void saveCredentials();
    void updateActions();
    const Environment* currentEnvironment() const;
    // After a failed TLS handshake: pick a CA file and keep it as the environment's tls.ca_file.
    void useCaFileForCurrentEnvironment();
    void openDialog(int mode);

    ProfileRegistry m_profiles;
    SecretStore* m_secrets = nullptr;
    EnvironmentService* m_service = nullptr;
    SessionRegistry* m_sessions = nullptr;

    EnvironmentListModel* m_model = nullptr;
    EnvironmentList* m_list = nullptr;
    QTabWidget* m_tabs = nullptr;
    QWidget* m_setRow = nullptr;
    QComboBox* m_setCombo = nullptr;
    FlowWalkthrough* m_walkthrough = nullptr;
    RequestWorkspace* m_requests = nullptr; // composer, history, response inspector
    ConformancePage* m_conformance = nullptr; // "Check provider"
    WebhookPage* m_webhook = nullptr; // webhook signatures
    HealthBoard* m_healthBoard = nullptr; // every environment's last check
    QWidget* m_credentialsPanel = nullptr;
    QTextBrowser* m_providerSummary = nullptr;
    CredentialEditor* m_credentialEditor = nullptr;
    QWidget* m_timelineArea = nullptr;
    TimelineModel* m_timelineModel = nullptr;
    TimelineWidget* m_timeline = nullptr;
    QString m_runningEnvironmentId;
    QString m_runningCredentialSet;
    QSplitter* m_mainSplitter = nullptr;
    QSplitter* m_rightSplitter = nullptr;
    QList<FlowEvent> m_timelineEvents;
    QString m_lastEnvironmentShown;
    QString m_nameShown; // the current environment's name as the tabs show it
    bool m_fittedOnShow = false;

    QAction* m_newAction = nullptr;
    QAction* m_editAction = nullptr;
    QAction* m_duplicateAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_runAction = nullptr;
    QAction* m_stepAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_sandboxAction = nullptr;
    QPointer<sandbox::SandboxServer> m_sandbox;
};

} // namespace keyway::ui
