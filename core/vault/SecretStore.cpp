#include "core/vault/SecretStore.h"

namespace keyway {

bool SecretResult::keychainInaccessible() const
{
    return status == SecretStatus::Locked || status == SecretStatus::Denied || status == SecretStatus::Unavailable;
}

SecretStore::SecretStore(QObject* parent) : QObject(parent) { }

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
