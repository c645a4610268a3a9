#include "core/cli/EnvironmentContext.h"

#include "core/cli/CliIo.h"
#include "core/http/ConnectionSettings.h"
#include "core/vault/EnvSecretStore.h"
#include "core/vault/EnvironmentService.h"

#include <QCoreApplication>

namespace keyway::cli {

QStringList EnvironmentContext::secretFieldsSentByFlow(const ProviderProfile& profile, const QString& credentialSet)
{
    return EnvironmentService::secretFieldsSentByFlow(profile, credentialSet);
}

QString EnvironmentContext::baseUrl() const
{
    return m_environment.baseUrl.isEmpty() ? m_profile->defaultBaseUrl : m_environment.baseUrl;
}

std::optional<int> EnvironmentContext::open(const Request& request, CliIo& io, EnvironmentContext* context)
{
    context->m_registry = ProfileRegistry::loadDefault();
    context->m_secrets = EnvSecretStore::createDefault();
    EnvironmentService environments(&context->m_registry, context->m_secrets.get());
    QString error;
    if (!environments.reload(&error)) {
        io.err(tr("keyway-cli: cannot read the environments: %1").arg(error));
        return ExitUsage;
    }
    const std::optional<Environment> env = environments.find(request.name);
    if (!env) {
        const QStringList names = environments.names();
        io.err(tr("keyway-cli: unknown environment '%1'; known: %2")
                   .arg(request.name,
                        names.isEmpty() ? tr("none (create one with keyway-cli env add)")
                                        : names.join(QStringLiteral(", "))));
        return ExitUsage;
    }
    context->m_environment = *env;
    context->m_profile = context->m_registry.find(env->providerId);
    if (!context->m_profile) {
        io.err(tr("keyway-cli: environment '%1' uses provider '%2', which has no profile")
                   .arg(env->name, env->providerId));
        return ExitUsage;
    }
    const ProviderProfile& profile = *context->m_profile;
    context->m_credentialSet = request.credentialSet;
    if (profile.credentialSets.isEmpty() && !request.credentialSet.isEmpty()) {
        io.err(tr("keyway-cli: provider '%1' has no credential sets; drop --credentials").arg(profile.id));
        return ExitUsage;
    }
    if (!profile.credentialSets.isEmpty()) {
        if (context->m_credentialSet.isEmpty()) {
            context->m_credentialSet = profile.defaultCredentialSet();
        }
        if (!profile.hasCredentialSet(context->m_credentialSet)) {
            QStringList sets;
            for (const CredentialSet& s : profile.credentialSets) {
                sets.append(s.id);
            }
            io.err(tr("keyway-cli: unknown credential set '%1' for %2; valid: %3")
                       .arg(context->m_credentialSet, profile.id, sets.join(QStringLiteral(", "))));
            return ExitUsage;
        }
    }

    const QStringList secretKeys
        = request.secretKeys ? request.secretKeys(profile, context->m_credentialSet) : QStringList();
    const CredentialBundle bundle = environments.readCredentialsAndWait(*env, context->m_credentialSet, secretKeys);
    if (bundle.failure) {
        io.err(tr("keyway-cli: the keychain could not give the secrets of '%1' (%2): %3. Unlock the keychain and "
                  "try again; nothing was changed.")
                   .arg(env->name, SecretStore::statusName(bundle.failure->status), bundle.failure->error));
        return ExitKeychain;
    }
    context->m_credentials = bundle.values;
    context->m_connection = bundle.connection;
    for (const CredentialField& f : profile.fieldsOfSet(context->m_credentialSet)) {
        if (f.secret || !context->m_credentials.value(f.key).isEmpty()) {
            continue;
        }
        context->m_credentials.remove(f.key);
        if (request.requireValues && f.required && f.defaultValue.isEmpty()) {
            io.err(tr("keyway-cli: environment '%1' has no value for the required key %2; set it with "
                      "keyway-cli env add %1 --set %2=VALUE")
                       .arg(env->name, f.key));
            return ExitUsage;
        }
    }
    const QStringList needed = EnvironmentService::secretsNeeded(profile, *env, context->m_credentialSet);
    for (const QString& key : bundle.missingSecrets) {
        if (request.requireSecrets || needed.contains(key)) {
            io.err(missingSecretMessage(env->name, key));
            return ExitUsage;
        }
    }
    return std::nullopt;
}

QString EnvironmentContext::missingSecretMessage(const QString& environment, const QString& key)
{
    return tr("keyway-cli: the secret %1 of environment '%2' is not in the keychain; store it with "
              "keyway-cli env set %2 --secret %1")
        .arg(key, environment);
}

std::optional<int> EnvironmentContext::requireUsableConnection(CliIo& io) const
{
    if (!m_connection || m_connection->error().isEmpty()) {
        return std::nullopt;
    }
    io.err(tr("keyway-cli: environment '%1': %2 Change it with keyway-cli env set %1.")
               .arg(m_environment.name, m_connection->error()));
    return ExitUsage;
}

} // namespace keyway::cli
