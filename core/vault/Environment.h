#pragma once

#include <QDateTime>
#include <QMap>
#include <QString>

namespace keyway {

// A user-made pair of (provider, base URL) with a name and its NON-secret credential values.
// Secret values live only in the keychain, under SecretStore::keyFor(id, field).
struct Environment
{
    QString id; // QUuid without braces; stable for the environment's life (keychain keys use it)
    QString name; // unique; what the CLI takes
    QString providerId;
    QString baseUrl; // may carry a path prefix
    QMap<QString, QString> values; // non-secret field values only
    QDateTime created;

    // A new environment with a fresh id, created now (Clock).
    static Environment create(const QString& name, const QString& providerId, const QString& baseUrl);
};

} // namespace keyway
