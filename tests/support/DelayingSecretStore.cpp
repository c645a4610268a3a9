#include "tests/support/DelayingSecretStore.h"

#include <QTimer>

namespace keyway::test {

DelayingSecretStore::DelayingSecretStore(SecretStore* inner, int delayMs, QObject* parent)
    : SecretStore(parent), m_inner(inner), m_delayMs(delayMs)
{
}

void DelayingSecretStore::later(const QString& key, Callback done, std::function<void(Callback)> operation)
{
    ++m_pending;
    const SecretStatus failure = m_failure;
    QTimer::singleShot(m_delayMs, this, [this, key, done = std::move(done), operation = std::move(operation), failure] {
        const auto answer = [this, done](const SecretResult& result) {
            --m_pending;
            done(result);
        };
        if (failure != SecretStatus::Ok || !m_inner) {
            SecretResult result;
            result.status = m_inner ? failure : SecretStatus::Unavailable;
            result.error = QStringLiteral("simulated by DelayingSecretStore (%1)").arg(key);
            answer(result);
            return;
        }
        operation(answer);
    });
}

void DelayingSecretStore::read(const QString& key, Callback done)
{
    later(key, std::move(done), [this, key](Callback answer) { m_inner->read(key, std::move(answer)); });
}

void DelayingSecretStore::write(const QString& key, const QString& value, Callback done)
{
    later(key, std::move(done), [this, key, value](Callback answer) { m_inner->write(key, value, std::move(answer)); });
}

void DelayingSecretStore::remove(const QString& key, Callback done)
{
    later(key, std::move(done), [this, key](Callback answer) { m_inner->remove(key, std::move(answer)); });
}

} // namespace keyway::test
