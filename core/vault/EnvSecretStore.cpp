#include "core/vault/EnvSecretStore.h"

#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"

#include <QTimer>

namespace keyway {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::EnvSecretStore)
};

} // namespace

EnvSecretStore::EnvSecretStore(QMap<QString, QString> names, QObject* parent)
    : SecretStore(parent), m_names(std::move(names))
{
}

bool EnvSecretStore::enabled()
{
    return qEnvironmentVariable("KEYWAY_SECRETS").trimmed().compare(QLatin1String("env"), Qt::CaseInsensitive) == 0;
}

QString EnvSecretStore::variableFor(const QString& environmentName, const QString& field)
{
    QString name = QStringLiteral("KEYWAY_") + environmentName + QLatin1Char('_') + field;
    name = name.toUpper();
    for (QChar& c : name) {
        const bool plain
            = (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
        if (!plain) {
            c = QLatin1Char('_');
        }
    }
    return name;
}

std::unique_ptr<SecretStore> EnvSecretStore::createDefault(QObject* parent)
{
    if (enabled()) {
        return std::make_unique<EnvSecretStore>(QMap<QString, QString>(), parent);
    }
    return std::make_unique<KeychainSecretStore>(parent);
}

QString EnvSecretStore::variableOfKey(const QString& key)
{
    const qsizetype slash = key.indexOf(QLatin1Char('/'));
    if (slash <= 0) {
        return {};
    }
    const QString id = key.left(slash);
    if (!m_names.contains(id)) {
        // Environments come from `env import` in the same job, so the file is read when first needed.
        EnvironmentStore store;
        QString error;
        if (store.load(&error)) {
            for (const Environment& environment : store.environments()) {
                m_names.insert(environment.id, environment.name);
            }
        }
    }
    const QString name = m_names.value(id);
    return name.isEmpty() ? QString() : variableFor(name, key.mid(slash + 1));
}

void EnvSecretStore::answerLater(const SecretResult& result, Callback done)
{
    // Like the keychain, answer from the event loop and never from inside the call.
    QTimer::singleShot(0, this, [result, done = std::move(done)] { done(result); });
}

void EnvSecretStore::read(const QString& key, Callback done)
{
    SecretResult result;
    const QString variable = variableOfKey(key);
    if (!variable.isEmpty() && qEnvironmentVariableIsSet(variable.toLocal8Bit().constData())) {
        result.status = SecretStatus::Ok;
        result.value = qEnvironmentVariable(variable.toLocal8Bit().constData());
        if (result.value.isEmpty()) {
            result.status = SecretStatus::Missing;
            result.value.clear();
        }
    } else {
        result.status = SecretStatus::Missing;
    }
    if (result.status == SecretStatus::Missing) {
        result.error = variable.isEmpty() ? Text::tr("no environment owns this secret")
                                          : Text::tr("the variable %1 is not set").arg(variable);
    }
    answerLater(result, std::move(done));
}

void EnvSecretStore::write(const QString& key, const QString& value, Callback done)
{
    Q_UNUSED(value)
    SecretResult result;
    result.status = SecretStatus::Denied;
    const QString variable = variableOfKey(key);
    result.error = variable.isEmpty()
        ? Text::tr("KEYWAY_SECRETS=env reads secrets from environment variables and never stores them.")
        : Text::tr("KEYWAY_SECRETS=env reads secrets from environment variables and never stores them: set %1 "
                   "instead.")
              .arg(variable);
    answerLater(result, std::move(done));
}

void EnvSecretStore::remove(const QString& key, Callback done)
{
    Q_UNUSED(key)
    SecretResult result;
    result.status = SecretStatus::Ok; // nothing was ever stored
    answerLater(result, std::move(done));
}

} // namespace keyway
