#pragma once

#include "core/vault/SecretStore.h"

#include <QCoreApplication>
#include <QMap>

#include <memory>

namespace keyway {

// CI mode (KEYWAY_SECRETS=env): secrets come from environment variables instead of the keychain, so a
// container without D-Bus or a keyring can check its environments. A secret of environment `ci-bank`, key
// `client_secret` is KEYWAY_CI_BANK_CLIENT_SECRET (upper case, every character other than A-Z and 0-9
// becomes `_`). Nothing is ever written: a write is refused, a removal has nothing to remove.
class EnvSecretStore : public SecretStore
{
    Q_OBJECT
public:
    // `names` maps environment id -> name; empty means "look them up in environments.json".
    explicit EnvSecretStore(QMap<QString, QString> names = {}, QObject* parent = nullptr);

    // True when KEYWAY_SECRETS is `env`.
    static bool enabled();
    // The variable that holds `field` of environment `environmentName`.
    static QString variableFor(const QString& environmentName, const QString& field);
    // The store every face uses: this one in CI mode, else the keychain.
    static std::unique_ptr<SecretStore> createDefault(QObject* parent = nullptr);

    void read(const QString& key, Callback done) override;
    void write(const QString& key, const QString& value, Callback done) override;
    void remove(const QString& key, Callback done) override;

private:
    // The variable for a keychain key "<envId>/<field>", "" when the environment is not known.
    QString variableOfKey(const QString& key);
    void answerLater(const SecretResult& result, Callback done);

    QMap<QString, QString> m_names;
};

} // namespace keyway
