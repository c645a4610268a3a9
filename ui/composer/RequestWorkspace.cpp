#include "ui/composer/RequestWorkspace.h"

#include "core/history/HistoryStore.h"
#include "core/http/ConnectionSettings.h"
#include "core/oidc/Discovery.h"
#include "core/session/Session.h"
#include "core/session/SessionRegistry.h"
#include "ui/history/HistoryView.h"
#include "ui/inspector/ResponseInspector.h"

#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace keyway::ui {

RequestWorkspace::RequestWorkspace(const QString& historyDirectory, QWidget* parent)
    : QWidget(parent)
    , m_store(std::make_unique<HistoryStore>(historyDirectory.isEmpty() ? HistoryStore::defaultDirectory()
                                                                        : historyDirectory))
{
    setObjectName(QStringLiteral("requestWorkspace"));
    m_composer = new RequestComposer(this);
    m_composer->setHistoryStore(m_store.get());
    m_history = new HistoryView(this);
    m_history->setStore(m_store.get());
    m_inspector = new ResponseInspector(this);
    m_composer->setInspector(m_inspector);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("requestTabs"));
    m_tabs->addTab(m_composer, tr("Request"));
    m_tabs->addTab(m_history, tr("History"));

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("requestSplitter"));
    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_inspector);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    connect(m_composer, &RequestComposer::recorded, m_history, &HistoryView::reload);
    connect(m_composer, &RequestComposer::finished, this, &RequestWorkspace::resolveJwks);
    connect(m_history, &HistoryView::openRequested, this, [this](const HistoryEntry& entry) {
        m_composer->loadRequest(entry.toRequest());
        showComposer();
    });
    connect(m_history, &HistoryView::resendRequested, this, [this](const HistoryEntry& entry) {
        m_composer->loadRequest(entry.toRequest());
        m_composer->send();
    });
    // The inspector never shows a recorded reply the history no longer lists.
    connect(m_history, &HistoryView::selectedEntryHidden, m_inspector, &ResponseInspector::clear);
    connect(m_history, &HistoryView::entrySelected, this, [this](const HistoryEntry& entry) {
        ReplyView view;
        view.status = entry.status;
        view.reason = entry.reason;
        view.elapsedMs = entry.elapsedMs;
        for (const auto& [name, value] : entry.responseHeaders) {
            view.headers.append({name.toLatin1(), value.toUtf8()});
        }
        view.body = entry.responseBody.toUtf8();
        view.hint = entry.summary;
        if (const ProviderProfile* profile = m_composer->profile()) {
            view.success = profile->apiSuccess;
        }
        if (entry.responseBodyTruncated) {
            const QString note = tr("History kept only the first part of this %n-byte body.",
                                    nullptr,
                                    static_cast<int>(std::min<qint64>(entry.responseBodyBytes, INT_MAX)));
            view.hint = view.hint.isEmpty() ? note : view.hint + QLatin1Char('\n') + note;
        }
        m_inspector->showReply(view);
    });
}

RequestWorkspace::~RequestWorkspace() = default;

void RequestWorkspace::setEnvironment(const ProviderProfile* profile,
                                      const Environment& environment,
                                      const QString& credentialSet,
                                      SessionRegistry* sessions)
{
    if (environment.id != m_composer->environment().id) {
        m_inspector->clear();
    }
    m_composer->setEnvironment(profile, environment, credentialSet, sessions);
    m_history->setEnvironment(profile ? environment.id : QString());
    m_inspector->setJwks(QString(), nullptr);
    resolveJwks();
}

void RequestWorkspace::resolveJwks()
{
    // The JWT view verifies signatures against the environment's JWKS: its own, or its issuer's, fetched like
    // every request of the environment. Before the first request there is no session yet: the settings
    // without their keychain secrets are enough for a CA file or a proxy.
    const ProviderProfile* profile = m_composer->profile();
    if (!profile) {
        return;
    }
    const Environment& environment = m_composer->environment();
    const Session* session
        = m_composer->sessions() ? m_composer->sessions()->find(environment.id, m_composer->credentialSet()) : nullptr;
    const ConnectionPtr connection
        = session ? session->flowOptions().connection : ConnectionSettings::build(environment.values, {});
    oidc::Discovery::resolveEndpoint(*profile,
                                     environment.values,
                                     m_composer->credentialSet(),
                                     environment.baseUrl,
                                     QStringLiteral("jwks_uri"),
                                     connection,
                                     this,
                                     [this, id = environment.id, connection](const oidc::EndpointResult& r) {
                                         if (id == m_composer->environment().id) {
                                             m_inspector->setJwks(r.url.toString(), connection);
                                         }
                                     });
}

void RequestWorkspace::historyRemoved(const QString& environmentId)
{
    if (m_history->environmentId() == environmentId) {
        m_history->reload();
    }
}

void RequestWorkspace::showComposer()
{
    m_tabs->setCurrentWidget(m_composer);
}

void RequestWorkspace::showHistory()
{
    m_tabs->setCurrentWidget(m_history);
}

} // namespace keyway::ui
