#pragma once

#include "core/vault/SecretStore.h"

#include <QPointer>

namespace keyway::test {

// A keychain that answers slowly (an unlock prompt the user has not seen yet, a Secret Service that is
// busy): every operation reaches the wrapped store `delayMs` later. With setFailure() it answers that
// status instead, without touching the wrapped store (a keychain that is locked this time).
class DelayingSecretStore : public SecretStore
{
    Q_OBJECT
public:
    DelayingSecretStore(SecretStore* inner, int delayMs, QObject* parent = nullptr);

    void setDelayMs(int delayMs) { m_delayMs = delayMs; }
    void setFailure(SecretStatus status) { m_failure = status; }
    int pending() const { return m_pending; }

    void read(const QString& key, Callback done) override;
    void write(const QString& key, const QString& value, Callback done) override;
    void remove(const QString& key, Callback done) override;

private:
    void later(const QString& key, Callback done, std::function<void(Callback)> operation);

    QPointer<SecretStore> m_inner;
    int m_delayMs;
    SecretStatus m_failure = SecretStatus::Ok;
    int m_pending = 0;
};

} // namespace keyway::test
