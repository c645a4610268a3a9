#include "core/profile/ProviderProfile.h"

namespace keyway {

const CredentialField* ProviderProfile::field(const QString& key) const
{
    for (const auto& f : fields) {
        if (f.key == key) {
            return &f;
        }
    }
    return nullptr;
}

QStringList ProviderProfile::fieldKeys() const
{
    QStringList keys;
    keys.reserve(fields.size());
    for (const auto& f : fields) {
        keys.append(f.key);
    }
    return keys;
}

const CredentialField* ProviderProfile::webhookSecretField() const
{
    return webhook ? field(webhook->secretKey) : nullptr;
}

QString ProviderProfile::defaultCredentialSet() const
{
    for (const auto& set : credentialSets) {
        if (set.isDefault) {
            return set.id;
        }
    }
    return credentialSets.isEmpty() ? QString() : credentialSets.first().id;
}

bool ProviderProfile::hasCredentialSet(const QString& setId) const
{
    for (const auto& set : credentialSets) {
        if (set.id == setId) {
            return true;
        }
    }
    return false;
}

QList<CredentialField> ProviderProfile::fieldsOfSet(const QString& setId) const
{
    QList<CredentialField> result;
    for (const auto& f : fields) {
        if (f.setId == setId || credentialSets.isEmpty()) {
            result.append(f);
        }
    }
    return result;
}

} // namespace keyway
