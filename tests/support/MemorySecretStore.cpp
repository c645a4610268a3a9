#include "tests/support/MemorySecretStore.h"

#include <QMetaObject>
#include <QTimer>

namespace keyway::test {

MemorySecretStore::MemorySecretStore(QObject* parent) : SecretStore(parent) { }

void MemorySecretStore::setFailingKeys(const QStringList& keys, SecretStatus status)
{
    m_failingKeys = keys;
    m_failingKeysStatus = status;
}

SecretStatus MemorySecretStore::failureFor(const QString& key) const
{
    if (m_failure != SecretStatus::Ok) {
        return m_failure;
    }
    return m_failingKeys.contains(key) ? m_failingKeysStatus : SecretStatus::Ok;
}

void MemorySecretStore::answer(const QString& key, Callback done, const std::function<SecretResult()>& operation)
{
    ++m_started;
    m_maxInFlight = qMax(m_maxInFlight, ++m_inFlight);
    const SecretStatus failure = failureFor(key);
    auto reply = [this, failure, done = std::move(done), operation] {
        --m_inFlight;
        if (failure != SecretStatus::Ok) {
            done({failure, QString(), QStringLiteral("simulated %1 keychain").arg(statusName(failure))});
            return;
        }
        done(operation());
    };
    if (m_delayMs > 0) {
        QTimer::singleShot(m_delayMs, this, std::move(reply));
    } else {
        QMetaObject::invokeMethod(this, std::move(reply), Qt::QueuedConnection);
    }
}

void MemorySecretStore::read(const QString& key, Callback done)
{
    ++m_reads;
    answer(key, std::move(done), [this, key]() -> SecretResult {
        if (!m_entries.contains(key)) {
            return {SecretStatus::Missing, QString(), QStringLiteral("no such entry")};
        }
        return {SecretStatus::Ok, m_entries.value(key), QString()};
    });
}

void MemorySecretStore::write(const QString& key, const QString& value, Callback done)
{
    answer(key, std::move(done), [this, key, value]() -> SecretResult {
        m_entries.insert(key, value);
        return {SecretStatus::Ok, QString(), QString()};
    });
}

void MemorySecretStore::probe(const QString& key, Callback done)
{
    answer(key, std::move(done), [this, key]() -> SecretResult {
        if (!m_entries.contains(key)) {
            return {SecretStatus::Missing, QString(), QStringLiteral("no such entry")};
        }
        return {SecretStatus::Ok, QString(), QString()};
    });
}

void MemorySecretStore::remove(const QString& key, Callback done)
{
    answer(key, std::move(done), [this, key]() -> SecretResult {
        m_entries.remove(key);
        return {SecretStatus::Ok, QString(), QString()};
    });
}

} // namespace keyway::test
