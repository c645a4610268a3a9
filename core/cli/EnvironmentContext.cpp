#include "core/cli/EnvironmentContext.h"

#include "core/cli/CliIo.h"
#include "core/flow/TemplateResolver.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/SecretBatch.h"

#include <QCoreApplication>
#include <QSet>

namespace keyway::cli {

QStringList EnvironmentContext::secretFieldsSentByFlow(const ProviderProfile& profile, const QString& credentialSet)
{
    QSet<QString> names;
    QList<FlowStep> steps = profile.steps;
    if (profile.refresh) {
        steps.append(*profile.refresh);
    }
    for (const FlowStep& step : std::as_const(steps)) {
        for (const QString* text : {&step.url, &step.clientIdParam, &step.clientSecretParam, &step.clientAuth}) {
            names.unite(TemplateResolver::names(*text));
        }
        for (const QList<StepParam>* params : {&step.params, &step.headers, &step.authorizeParams}) {
            for (const StepParam& p : *params) {
                names.unite(TemplateResolver::names(p.value));
            }
        }
    }
    QStringList keys;
    for (const CredentialField& f : profile.fieldsOfSet(credentialSet)) {
        if (f.secret && (names.contains(f.bareKey) || names.contains(f.key))) {
            keys.append(f.key);
        }
    }
    return keys;
}

QString EnvironmentContext::baseUrl() const
{
    return m_environment.baseUrl.isEmpty() ? m_profile->defaultBaseUrl : m_environment.baseUrl;
}

std::optional<int> EnvironmentContext::open(const Request& request, CliIo& io, EnvironmentContext* context)
{
    context->m_registry = ProfileRegistry::loadDefault();
    EnvironmentStore environments;
    QString error;
    if (!environments.load(&error)) {
        io.err(tr("keyway-cli: cannot read the environments: %1").arg(error));
        return ExitUsage;
    }
    const Environment* env = environments.find(request.name);
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

    for (const CredentialField& f : profile.fieldsOfSet(context->m_credentialSet)) {
        if (f.secret) {
            continue;
        }
        const QString value = env->values.value(f.key);
        if (!value.isEmpty()) {
            context->m_credentials.insert(f.key, value);
        } else if (request.requireValues && f.required && f.defaultValue.isEmpty()) {
            io.err(tr("keyway-cli: environment '%1' has no value for the required key %2; set it with "
                      "keyway-cli env add %1 --set %2=VALUE")
                       .arg(env->name, f.key));
            return ExitUsage;
        }
    }

    // Read the chosen secrets in one parallel batch.
    context->m_secrets = std::make_unique<KeychainSecretStore>();
    const QStringList secretKeys
        = request.secretKeys ? request.secretKeys(profile, context->m_credentialSet) : QStringList();
    QStringList keychainKeys;
    for (const QString& key : secretKeys) {
        keychainKeys.append(SecretStore::keyFor(env->id, key));
    }
    const SecretBatch::Results results = SecretBatch::readAllAndWait(*context->m_secrets, keychainKeys);
    for (const QString& key : secretKeys) {
        const SecretResult r = results.value(SecretStore::keyFor(env->id, key));
        if (r.ok()) {
            context->m_credentials.insert(key, r.value);
        } else if (r.status == SecretStatus::Missing) {
            const CredentialField* f = profile.field(key);
            if (request.requireSecrets || (f && f->required)) {
                io.err(tr("keyway-cli: the secret %1 of environment '%2' is not in the keychain; store it with "
                          "keyway-cli env add %2 --provider %3 --secret %1")
                           .arg(key, env->name, profile.id));
                return ExitUsage;
            }
        } else {
            io.err(tr("keyway-cli: the keychain could not give the secret %1 (%2): %3. Unlock the keychain and "
                      "try again; nothing was changed.")
                       .arg(key, SecretStore::statusName(r.status), r.error));
            return ExitKeychain;
        }
    }
    return std::nullopt;
}

} // namespace keyway::cli
