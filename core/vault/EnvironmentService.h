#pragma once

#include "core/vault/EnvironmentStore.h"
#include "core/vault/SecretStore.h"

#include <QCoreApplication>
#include <QMap>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace keyway {

class ConnectionSettings;
class HistoryStore;

class ProfileRegistry;
struct ProviderProfile;

// What a change to an environment came to. Nothing is half-done: when `ok()` is false, neither the
// keychain nor environments.json holds anything of the change.
struct EnvironmentChange
{
    enum class Status {
        Ok,
        Invalid, // the request itself is wrong (empty or taken name, unknown provider or environment)
        Keychain, // the keychain refused or could not be asked; see `keychain`
        File, // environments.json could not be read, locked or written
    };

    Status status = Status::Ok;
    QString error; // what went wrong and what to do next, for a person
    SecretResult keychain; // the keychain's answer when status is Keychain
    Environment environment; // the environment as saved (or as it was asked for)

    bool ok() const { return status == Status::Ok; }
};

// The state of one credential field of an environment, told without reading a secret's value.
enum class CredentialState {
    Set,
    Missing,
    Locked, // the keychain is locked (or refused access): the value may well be there
    Unavailable, // no keychain to ask, or it failed
};

// The values a flow sends for one environment and credential set: non-secret values from
// environments.json and the secrets read from the keychain, keyed by full field key (SET.key).
struct CredentialBundle
{
    QMap<QString, QString> values;
    std::optional<SecretResult> failure; // the first keychain answer that was neither Ok nor Missing
    QStringList missingSecrets; // secret fields asked for that the keychain does not hold
    // The environment's connection settings (CA file, client certificate and key, proxy and its
    // password), for every request made with these credentials. Its error() says what cannot be used.
    std::shared_ptr<const ConnectionSettings> connection;

    bool ok() const { return !failure.has_value(); }
};

// The one place that knows how environments are created, changed, duplicated and removed, which keychain
// entries an environment owns, and how its credentials are read. The GUI and the CLI both go through it,
// so the rules below hold for both faces:
// - keychain first: secrets are written before environments.json, and a failed keychain write leaves
//   environments.json untouched (and removes what that change had already written);
// - environments.json is changed only under its cross-process lock, re-read just before the change, and
//   every failure (lock, read, write) is reported, never ignored;
// - a keychain that is locked or unavailable is never read as "the secret is gone".
// Every asynchronous operation calls back later from the event loop, never from inside the call.
class EnvironmentService : public QObject
{
    Q_OBJECT
public:
    using ChangeDone = std::function<void(const EnvironmentChange&)>;
    using StatesDone = std::function<void(const QMap<QString, CredentialState>&)>;
    using BundleDone = std::function<void(const CredentialBundle&)>;

    // `profiles` and `secrets` must outlive the service. An empty `filePath` is the user's
    // environments.json.
    EnvironmentService(const ProfileRegistry* profiles,
                       SecretStore* secrets,
                       const QString& filePath = {},
                       QObject* parent = nullptr);

    // History names an environment's endpoints and bodies, so remove() deletes it with the environment.
    // Without a store set here the default history directory is used (the CLI).
    void setHistoryStore(HistoryStore* history) { m_history = history; }

    const ProfileRegistry& profiles() const { return *m_profiles; }
    SecretStore& secrets() const { return *m_secrets; }
    QString filePath() const { return m_store.filePath(); }

    // Re-reads environments.json. False (with a message) when it is unreadable or was corrupt (then it
    // has been moved aside and the list is empty).
    bool reload(QString* error);
    const QList<Environment>& environments() const { return m_store.environments(); }
    const EnvironmentStore& store() const { return m_store; }
    std::optional<Environment> find(const QString& name) const;
    std::optional<Environment> findById(const QString& id) const;
    QStringList names() const { return m_store.names(); }
    const ProviderProfile* profileOf(const Environment& environment) const;
    // The environment's base URL, or its provider's default when it has none.
    QString baseUrlOf(const Environment& environment) const;

    // Every keychain entry an environment may own: each secret field of each credential set, and the
    // refresh token of each set.
    QStringList ownedKeychainEntries(const Environment& environment) const;
    // "Keyway: <environment> — <field>": what the keychain's window shows for one of its entries.
    QString keychainLabel(const QString& key) const;
    // The secret fields of `credentialSet` that the profile's flow (and refresh step) actually send, so a
    // call reads only those from the keychain.
    static QStringList secretFieldsSentByFlow(const ProviderProfile& profile, const QString& credentialSet);
    // The secret fields of `credentialSet` ("*": of every set) the environment cannot work without: the profile's
    // required ones, and what its client authentication (client_auth) needs: client_secret for basic and
    // client_secret_jwt, client_key for private_key_jwt, nothing for none; for body, client_secret when the
    // environment stored one (body without a secret is a public client). The one rule behind the CLI's
    // missing-secret error, env show, the environment list's Keychain column and the health check.
    static QStringList
    secretsNeeded(const ProviderProfile& profile, const Environment& environment, const QString& credentialSet);

    // Creates `environment` (give it an id with Environment::create) with `secrets` (field key -> value).
    void create(const Environment& environment, const QMap<QString, QString>& secrets, ChangeDone done);
    // Replaces the environment with the same id (a rename is an update), writes `secrets` and removes the
    // keychain entries of `removeSecrets` (field keys).
    void update(const Environment& environment,
                const QMap<QString, QString>& secrets,
                const QStringList& removeSecrets,
                ChangeDone done);
    // A copy named `name` with the same values and secrets (refresh tokens are not copied: a sign-in
    // belongs to one environment).
    void duplicate(const QString& sourceId, const QString& name, ChangeDone done);
    // Removes the keychain entries first, then the environment: when the keychain cannot be reached the
    // environment stays, so its secrets are never orphaned where nothing can find them again.
    void remove(const QString& id, ChangeDone done);

    // The state of every field of the environment (all credential sets), by full key.
    void credentialStates(const QString& id, StatesDone done);
    // The non-secret values of `credentialSet` (or all fields without sets) and the secrets `secretFields`,
    // and the environment's connection settings with the connection secrets they need.
    void readCredentials(const Environment& environment,
                         const QString& credentialSet,
                         const QStringList& secretFields,
                         BundleDone done);

    // The same operations for command-line code (never the GUI thread): a local event loop runs until
    // the keychain has answered.
    EnvironmentChange createAndWait(const Environment& environment, const QMap<QString, QString>& secrets);
    EnvironmentChange updateAndWait(const Environment& environment,
                                    const QMap<QString, QString>& secrets,
                                    const QStringList& removeSecrets);
    EnvironmentChange removeAndWait(const QString& id);
    QMap<QString, CredentialState> credentialStatesAndWait(const QString& id);
    CredentialBundle readCredentialsAndWait(const Environment& environment,
                                            const QString& credentialSet,
                                            const QStringList& secretFields);

    static QString stateName(CredentialState state); // set, missing, locked, unavailable

Q_SIGNALS:
    // environments.json changed through this service (the list should be reloaded by views).
    void environmentsChanged();
    // The base URL, values or secrets of an environment changed: tokens obtained with the old ones are void.
    void credentialsChanged(const QString& environmentId);
    void environmentRemoved(const QString& environmentId);

private:
    void relabel(const Environment& environment);
    using Mutation = std::function<bool(EnvironmentStore& store, QString* error)>;
    // Lock, re-read, change and save environments.json: the one path every change takes.
    EnvironmentChange modifyFile(const Mutation& mutation);
    EnvironmentChange
    validate(const Environment& environment, bool isNew, const QMap<QString, QString>& secrets = {}) const;
    void writeSecretsThen(const QString& environmentId,
                          const QMap<QString, QString>& secrets,
                          std::function<void(std::optional<SecretResult> failure)> next);
    void finishLater(ChangeDone done, EnvironmentChange change);
    template <typename Result, typename Start>
    static Result wait(Start start);

    const ProfileRegistry* m_profiles;
    SecretStore* m_secrets;
    EnvironmentStore m_store;
    HistoryStore* m_history = nullptr;
};

} // namespace keyway
