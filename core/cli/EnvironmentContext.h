#pragma once

#include "core/profile/ProfileLoader.h"
#include "core/vault/Environment.h"
#include "core/vault/SecretStore.h"

#include <QMap>
#include <QStringList>

#include <memory>
#include <optional>

namespace keyway::cli {

class CliIo;

// What a command needs to act on one environment: its profile, the credential set, the non-secret
// values and exactly the secrets asked for, read from the keychain in one parallel batch.
// open() prints a clear error and returns the exit code when anything is missing.
class EnvironmentContext
{
public:
    struct Request
    {
        QString name; // environment name as given on the command line
        QString credentialSet; // "" = the profile's default
        QStringList secretKeys; // full keys of the secret fields to read (SET.key)
        bool requireSecrets = true; // a missing secret among secretKeys is a usage error
    };

    static std::optional<int> open(const Request& request, CliIo& io, EnvironmentContext* context);

    const ProviderProfile& profile() const { return *m_profile; }
    const Environment& environment() const { return m_environment; }
    const QString& credentialSet() const { return m_credentialSet; }
    QString baseUrl() const;
    // Non-secret values of the set plus the secrets that were read, by full key.
    const QMap<QString, QString>& credentials() const { return m_credentials; }
    SecretStore& secrets() { return *m_secrets; }

private:
    ProfileRegistry m_registry;
    const ProviderProfile* m_profile = nullptr;
    Environment m_environment;
    QString m_credentialSet;
    QMap<QString, QString> m_credentials;
    std::unique_ptr<SecretStore> m_secrets;
};

} // namespace keyway::cli
