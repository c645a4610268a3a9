#pragma once

#include "core/profile/ProfileLoader.h"
#include "core/vault/Environment.h"
#include "core/vault/SecretStore.h"

#include <QCoreApplication>
#include <QMap>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace keyway {
class ConnectionSettings;
}

namespace keyway::cli {

class CliIo;

// What a command needs to act on one environment: its profile, the credential set, the non-secret
// values and exactly the secrets asked for, read from the keychain in one parallel batch.
// open() prints a clear error and returns the exit code when anything is missing.
class EnvironmentContext
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::EnvironmentContext)

public:
    // Which secret fields to read, once the profile and credential set are known.
    using SecretChooser = std::function<QStringList(const ProviderProfile&, const QString& credentialSet)>;

    struct Request
    {
        QString name; // environment name as given on the command line
        QString credentialSet; // "" = the profile's default
        SecretChooser secretKeys; // full keys of the secret fields to read (SET.key)
        // true: any chosen secret that is missing is an error; false: only those the environment cannot work without
        // (EnvironmentService::secretsNeeded)
        bool requireSecrets = false;
        bool requireValues = false; // a required non-secret field without a value is an error
    };

    // Prints a clear error and returns the exit code when the environment cannot be used.
    static std::optional<int> open(const Request& request, CliIo& io, EnvironmentContext* context);

    // Secret fields of the set that the profile's flow (and refresh step) actually send, so a call reads
    // only those from the keychain (Seismic's webhookSecret is not read to make a call).
    static QStringList secretFieldsSentByFlow(const ProviderProfile& profile, const QString& credentialSet);

    const ProviderProfile& profile() const { return *m_profile; }
    const Environment& environment() const { return m_environment; }
    const QString& credentialSet() const { return m_credentialSet; }
    QString baseUrl() const;
    // Non-secret values of the set plus the secrets that were read, by full key.
    const QMap<QString, QString>& credentials() const { return m_credentials; }
    SecretStore& secrets() { return *m_secrets; }
    // The environment's CA file, client certificate and proxy, for every request of the run.
    const std::shared_ptr<const ConnectionSettings>& connection() const { return m_connection; }
    // Prints why the connection settings cannot be used and returns exit 2; nullopt when they can.
    std::optional<int> requireUsableConnection(CliIo& io) const;
    // The one sentence for a secret the environment cannot work without that the keychain does not hold.
    static QString missingSecretMessage(const QString& environment, const QString& key);

private:
    ProfileRegistry m_registry;
    const ProviderProfile* m_profile = nullptr;
    Environment m_environment;
    QString m_credentialSet;
    QMap<QString, QString> m_credentials;
    std::unique_ptr<SecretStore> m_secrets;
    std::shared_ptr<const ConnectionSettings> m_connection;
};

} // namespace keyway::cli
