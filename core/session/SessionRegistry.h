#pragma once

#include "core/flow/FlowEngine.h"
#include "core/flow/FlowEvent.h"
#include "core/session/Session.h"

#include <QMap>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace keyway {

class EnvironmentService;
class RequestExecutor;

// One Session per (environment, credential set) for a whole process, shared by everything that talks to
// that environment: in the desktop app the flow walkthrough, the request composer and the provider checks
// all use the same session, so a token fetched, renewed or refused in one is the token every other one sees,
// and every event reaches the timeline through event() whichever part caused it. The session is built the
// way keyway-cli builds it: the secrets its flow sends (read once from the keychain), the refresh token kept
// in the keychain, in-memory access tokens.
class SessionRegistry : public QObject
{
    Q_OBJECT
public:
    using Ready = std::function<void(Session* session, const QString& error)>;

    explicit SessionRegistry(EnvironmentService* environments, QObject* parent = nullptr);
    ~SessionRegistry() override;

    void setUrlOpener(UrlOpener opener) { m_openUrl = std::move(opener); }
    // Every new session sends through this executor (default: the thread's shared one).
    void setExecutor(RequestExecutor* executor) { m_executor = executor; }

    // The shared session of the environment and set ("" = the profile's default set), created on first use.
    // `ready` is called later from the event loop, unless `context` is destroyed first; `error` is a sentence
    // for a person when the environment is unknown or its credentials cannot be read (nothing is created).
    void acquire(const QString& environmentId, const QString& credentialSet, QObject* context, Ready ready);
    // The session if one exists already.
    Session* find(const QString& environmentId, const QString& credentialSet) const;
    // Sessions of an environment, by credential set.
    QMap<QString, Session*> sessionsOf(const QString& environmentId) const;
    // Forgets the environment's sessions (its credentials changed or it was removed): the next use signs in
    // again with the new values.
    void forget(const QString& environmentId);

    // Puts an engine's events on this registry's stream as if the session had emitted them (the walkthrough
    // runs steps one at a time with its own engine) and lets the session adopt what a successful run captured.
    void publish(const QString& environmentId, const QString& credentialSet, const FlowEvent& event);
    void adopt(const QString& environmentId, const QString& credentialSet, const QMap<QString, CapturedValue>& values);

    // The set a caller means: `credentialSet`, or the profile's default when empty.
    QString resolvedSet(const QString& environmentId, const QString& credentialSet) const;

Q_SIGNALS:
    // Every event of every session, already redacted.
    void event(const QString& environmentId, const QString& credentialSet, const keyway::FlowEvent& event);

private:
    struct Entry;
    static QString keyOf(const QString& environmentId, const QString& credentialSet);
    void create(const QString& key, const QString& environmentId, const QString& credentialSet);
    void settle(const QString& key, Session* session, const QString& error);

    EnvironmentService* m_environments;
    UrlOpener m_openUrl;
    RequestExecutor* m_executor = nullptr;
    std::map<QString, std::unique_ptr<Entry>> m_entries;
};

} // namespace keyway
