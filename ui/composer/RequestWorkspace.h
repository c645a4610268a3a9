#pragma once

#include "ui/composer/RequestComposer.h"

#include <QWidget>

#include <memory>

class QSplitter;
class QTabWidget;

namespace keyway {
class HistoryStore;
}

namespace keyway::ui {

class HistoryView;
class ResponseInspector;

// The "Requests" page: the composer and the history on the left, the response inspector on the right.
// Owns the HistoryStore. Object names: requestWorkspace, requestSplitter, requestTabs.
class RequestWorkspace : public QWidget
{
    Q_OBJECT
public:
    // `historyDirectory` empty = <XDG data>/keyway/history.
    explicit RequestWorkspace(const QString& historyDirectory = {}, QWidget* parent = nullptr);
    ~RequestWorkspace() override;

    void setEnvironment(const ProviderProfile* profile,
                        const Environment& environment,
                        const QString& credentialSet,
                        SessionRegistry* sessions);
    // Forgets an environment's history (when the environment is deleted).
    // The history of `environmentId` was deleted with its environment (EnvironmentService::remove).
    void historyRemoved(const QString& environmentId);

    RequestComposer* composer() const { return m_composer; }
    HistoryView* history() const { return m_history; }
    ResponseInspector* inspector() const { return m_inspector; }
    HistoryStore* historyStore() const { return m_store.get(); }
    void showComposer();
    void showHistory();

private:
    // Tells the inspector the environment's JWKS and how to reach it; again after each reply, when the
    // environment's session (its connection settings with their keychain secrets) exists.
    void resolveJwks();

    std::unique_ptr<HistoryStore> m_store;
    RequestComposer* m_composer = nullptr;
    HistoryView* m_history = nullptr;
    ResponseInspector* m_inspector = nullptr;
    QTabWidget* m_tabs = nullptr;
    QSplitter* m_splitter = nullptr;
};

} // namespace keyway::ui
