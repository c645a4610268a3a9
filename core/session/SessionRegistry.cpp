#include "core/session/SessionRegistry.h"

#include "core/profile/ProfileLoader.h"
#include "core/util/Logging.h"
#include "core/vault/EnvironmentService.h"

#include <QTimer>

namespace keyway {

struct SessionRegistry::Entry
{
    QString environmentId;
    QString credentialSet;
    std::unique_ptr<Session> session;
    bool loading = false;
    // Callers waiting while the credentials are read, each guarded by its context object.
    QList<QPair<QPointer<QObject>, Ready>> waiters;
    // Ignores a credential read that finished after forget().
    int generation = 0;
};

SessionRegistry::SessionRegistry(EnvironmentService* environments, QObject* parent)
    : QObject(parent), m_environments(environments)
{
    connect(m_environments, &EnvironmentService::credentialsChanged, this, &SessionRegistry::forget);
    connect(m_environments, &EnvironmentService::environmentRemoved, this, &SessionRegistry::forget);
}

SessionRegistry::~SessionRegistry() = default;

QString SessionRegistry::keyOf(const QString& environmentId, const QString& credentialSet)
{
    return environmentId + QLatin1Char('\n') + credentialSet;
}

QString SessionRegistry::resolvedSet(const QString& environmentId, const QString& credentialSet) const
{
    if (!credentialSet.isEmpty()) {
        return credentialSet;
    }
    const std::optional<Environment> environment = m_environments->findById(environmentId);
    const ProviderProfile* profile = environment ? m_environments->profileOf(*environment) : nullptr;
    return profile ? profile->defaultCredentialSet() : QString();
}

Session* SessionRegistry::find(const QString& environmentId, const QString& credentialSet) const
{
    const auto it = m_entries.find(keyOf(environmentId, resolvedSet(environmentId, credentialSet)));
    return it == m_entries.end() ? nullptr : it->second->session.get();
}

QMap<QString, Session*> SessionRegistry::sessionsOf(const QString& environmentId) const
{
    QMap<QString, Session*> sessions;
    for (const auto& [key, entry] : m_entries) {
        if (entry->environmentId == environmentId && entry->session) {
            sessions.insert(entry->credentialSet, entry->session.get());
        }
    }
    return sessions;
}

void SessionRegistry::acquire(const QString& environmentId, const QString& credentialSet, QObject* context, Ready ready)
{
    const QString set = resolvedSet(environmentId, credentialSet);
    const QString key = keyOf(environmentId, set);
    auto& slot = m_entries[key];
    if (!slot) {
        slot = std::make_unique<Entry>();
        slot->environmentId = environmentId;
        slot->credentialSet = set;
    }
    Entry& entry = *slot;
    entry.waiters.append({QPointer<QObject>(context), std::move(ready)});
    if (entry.session) {
        // Still asynchronous, like a first acquisition, so callers have one code path.
        QTimer::singleShot(0, this, [this, key] {
            const auto it = m_entries.find(key);
            if (it != m_entries.end()) {
                settle(key, it->second->session.get(), QString());
            }
        });
        return;
    }
    if (!entry.loading) {
        create(key, environmentId, set);
    }
}

void SessionRegistry::create(const QString& key, const QString& environmentId, const QString& credentialSet)
{
    Entry& entry = *m_entries.at(key);
    const std::optional<Environment> environment = m_environments->findById(environmentId);
    const ProviderProfile* profile = environment ? m_environments->profileOf(*environment) : nullptr;
    if (!profile) {
        QTimer::singleShot(0, this, [this, key] {
            settle(key, nullptr, tr("This environment or its provider profile no longer exists."));
        });
        return;
    }
    entry.loading = true;
    const int generation = ++entry.generation;
    const QStringList secrets = EnvironmentService::secretFieldsSentByFlow(*profile, credentialSet);
    m_environments->readCredentials(
        *environment,
        credentialSet,
        secrets,
        [this, key, generation, environment = *environment, profile, credentialSet](const CredentialBundle& bundle) {
            const auto it = m_entries.find(key);
            if (it == m_entries.end() || it->second->generation != generation) {
                return; // forgotten meanwhile
            }
            Entry& current = *it->second;
            current.loading = false;
            if (bundle.failure) {
                // Said as every window says it: a locked keychain is "locked" in the Requests tab too.
                settle(key, nullptr, SecretStore::userMessage(*bundle.failure));
                return;
            }
            SessionOptions options;
            options.environmentId = environment.id;
            options.flow.baseUrl = m_environments->baseUrlOf(environment);
            options.flow.credentials = bundle.values;
            options.flow.connection = bundle.connection;
            options.flow.credentialSet = credentialSet;
            options.flow.openUrl = m_openUrl;
            options.refreshStore = RefreshTokenStore::inKeychain(
                &m_environments->secrets(), SecretStore::refreshTokenKey(environment.id, credentialSet));
            options.refreshAgesKey = SecretStore::refreshTokenKey(environment.id, credentialSet);
            current.session = std::make_unique<Session>(*profile, options);
            if (m_executor) {
                current.session->setExecutor(m_executor);
            }
            const QString id = environment.id;
            connect(current.session.get(), &Session::event, this, [this, id, credentialSet](const FlowEvent& e) {
                Q_EMIT event(id, credentialSet, e);
            });
            qCDebug(lcAuth) << "session created for" << id << credentialSet;
            settle(key, current.session.get(), QString());
        });
}

void SessionRegistry::settle(const QString& key, Session* session, const QString& error)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end()) {
        return;
    }
    const auto waiters = std::exchange(it->second->waiters, {});
    if (!session) {
        m_entries.erase(it); // the next acquisition tries again (an unlocked keychain, a fixed secret)
    }
    for (const auto& [context, ready] : waiters) {
        if (context) {
            ready(session, error);
        }
    }
}

void SessionRegistry::forget(const QString& environmentId)
{
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->second->environmentId != environmentId) {
            ++it;
            continue;
        }
        if (it->second->loading || !it->second->waiters.isEmpty()) {
            // Callers are waiting for this one: let them have a session built from the new values.
            it->second->session.reset();
            it->second->loading = false;
            create(it->first, it->second->environmentId, it->second->credentialSet);
            ++it;
            continue;
        }
        // Sessions are owned here; one in the middle of a call finishes on its own once nothing uses it.
        if (it->second->session) {
            it->second->session.release()->deleteLater();
        }
        it = m_entries.erase(it);
    }
}

void SessionRegistry::publish(const QString& environmentId, const QString& credentialSet, const FlowEvent& e)
{
    Q_EMIT event(environmentId, resolvedSet(environmentId, credentialSet), e);
}

void SessionRegistry::adopt(const QString& environmentId,
                            const QString& credentialSet,
                            const QMap<QString, CapturedValue>& values)
{
    const QString set = resolvedSet(environmentId, credentialSet);
    acquire(environmentId, set, this, [values](Session* session, const QString&) {
        if (session) {
            session->adopt(values);
        }
    });
}

} // namespace keyway
