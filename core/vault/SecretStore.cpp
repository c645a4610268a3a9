#include "core/vault/SecretStore.h"

namespace keyway {

bool SecretResult::keychainInaccessible() const
{
    return status == SecretStatus::Locked || status == SecretStatus::Denied || status == SecretStatus::Unavailable;
}

SecretStore::SecretStore(QObject* parent) : QObject(parent) { }

void SecretStore::relabel(const QString& key)
{
    Q_UNUSED(key)
}

void SecretStore::probe(const QString& key, Callback done)
{
    read(key, [done = std::move(done)](SecretResult result) {
        result.value.clear();
        done(result);
    });
}

QString SecretStore::keyFor(const QString& environmentId, const QString& field)
{
    return environmentId + QLatin1Char('/') + field;
}

QString SecretStore::refreshTokenKey(const QString& environmentId, const QString& credentialSet)
{
    if (credentialSet.isEmpty()) {
        return keyFor(environmentId, QStringLiteral("@refresh_token"));
    }
    return keyFor(environmentId, credentialSet + QStringLiteral(".@refresh_token"));
}

QString SecretStore::userMessage(const SecretResult& result)
{
    switch (result.status) {
    case SecretStatus::Ok:
        return {};
    case SecretStatus::Missing:
        return tr("The secret is not in the keychain: set it in the Credentials tab.");
    case SecretStatus::Locked:
        return tr("The keychain is locked or waits to be unlocked: unlock it, then try again.");
    case SecretStatus::Unavailable:
        return tr("No keychain is available: start your desktop's keyring, then try again.");
    case SecretStatus::Denied:
        return tr("The keychain refused access: allow Keyway, then try again.");
    case SecretStatus::Failed:
        break;
    }
    // A store's own error is already a sentence ("The keychain reported an error: …"): never wrap it twice.
    return result.error.isEmpty() ? tr("The keychain reported an error: %1").arg(statusName(result.status))
                                  : result.error;
}

QString SecretStore::statusName(SecretStatus status)
{
    switch (status) {
    case SecretStatus::Ok:
        return QStringLiteral("ok");
    case SecretStatus::Missing:
        return QStringLiteral("missing");
    case SecretStatus::Locked:
        return QStringLiteral("locked");
    case SecretStatus::Denied:
        return QStringLiteral("denied");
    case SecretStatus::Unavailable:
        return QStringLiteral("unavailable");
    case SecretStatus::Failed:
        break;
    }
    return QStringLiteral("failed");
}

} // namespace keyway
