#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace keyway {

// A request that came with the environment (a Postman collection's), offered in the composer beside the
// provider's samples. Its path is relative to the base URL; a secret appears only as a {{key}} placeholder.
struct EnvironmentSample
{
    QString name;
    QString method;
    QString path;
    QString body;

    bool operator==(const EnvironmentSample& other) const
    {
        return name == other.name && method == other.method && path == other.path && body == other.body;
    }
};

// A user-made pair of (provider, base URL) with a name and its NON-secret credential values.
// Secret values live only in the keychain, under SecretStore::keyFor(id, field).
struct Environment
{
    QString id; // QUuid without braces; stable for the environment's life (keychain keys use it)
    QString name; // unique; what the CLI takes
    QString providerId;
    QString baseUrl; // may carry a path prefix
    QMap<QString, QString> values; // non-secret field values only
    // The secret fields Keyway stored in the keychain for it (names only, never a value): how a secret deleted
    // behind Keyway's back is told from one the environment never had (a public client has no client_secret).
    // Kept by EnvironmentService; empty for an environment saved before Keyway recorded them.
    QStringList storedSecrets;
    QList<EnvironmentSample> samples; // requests imported with the environment
    QDateTime created;

    // A new environment with a fresh id, created now (Clock).
    static Environment create(const QString& name, const QString& providerId, const QString& baseUrl);
};

} // namespace keyway
