#pragma once

#include "core/vault/SecretStore.h"

#include <QMap>
#include <QStringList>

namespace keyway::test {

// In-memory SecretStore for fast unit tests of the code above the vault. Answers asynchronously
// (queued), like the real keychain, and can play a locked or unreachable keychain.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QObject* parent = nullptr);

    void read(const QString& key, Callback done) override;
    void write(const QString& key, const QString& value, Callback done) override;
    void remove(const QString& key, Callback done) override;
    // Answers existence without touching the value (and without counting as a read).
    void probe(const QString& key, Callback done) override;

    // Every operation answers with this status (Locked, Unavailable, ...) until reset to Ok.
    // The stored entries are untouched while the store plays a failure.
    void setFailure(SecretStatus status) { m_failure = status; }
    // Only operations on these keys fail (with `status`); others behave normally.
    void setFailingKeys(const QStringList& keys, SecretStatus status);

    // Every answer comes this much later: a keychain waiting for its unlock prompt.
    void setDelayMs(int delayMs) { m_delayMs = delayMs; }

    QMap<QString, QString> entries() const { return m_entries; }
    void setEntry(const QString& key, const QString& value) { m_entries.insert(key, value); }

    // Operations started, and the most that were in flight at once (proves parallel batches).
    int started() const { return m_started; }
    // Reads only: how often a secret value left the store.
    int reads() const { return m_reads; }
    int maxInFlight() const { return m_maxInFlight; }

private:
    void answer(const QString& key, Callback done, const std::function<SecretResult()>& operation);
    SecretStatus failureFor(const QString& key) const;

    QMap<QString, QString> m_entries;
    SecretStatus m_failure = SecretStatus::Ok;
    QStringList m_failingKeys;
    SecretStatus m_failingKeysStatus = SecretStatus::Ok;
    int m_delayMs = 0;
    int m_started = 0;
    int m_reads = 0;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
};

} // namespace keyway::test
