#include "core/vault/SecretBatch.h"

#include <QEventLoop>
#include <QTimer>

#include <memory>

namespace keyway {

void SecretBatch::run(const QStringList& keys, const Start& start, Done done)
{
    if (keys.isEmpty()) {
        // Still asynchronous, like every SecretStore answer.
        QTimer::singleShot(0, [done = std::move(done)] { done({}); });
        return;
    }
    struct State
    {
        qsizetype pending = 0;
        Results results;
        Done done;
    };
    auto state = std::make_shared<State>();
    state->pending = keys.size();
    state->done = std::move(done);
    for (const QString& key : keys) {
        start(key, [state, key](const SecretResult& result) {
            state->results.insert(key, result);
            if (--state->pending == 0) {
                state->done(state->results);
            }
        });
    }
}

void SecretBatch::runOnEach(SecretStore& store, const QStringList& keys, KeyOperation operation, Done done)
{
    QStringList unique = keys;
    unique.removeDuplicates();
    run(
        unique,
        [&store, operation](const QString& key, SecretStore::Callback cb) { (store.*operation)(key, std::move(cb)); },
        std::move(done));
}

void SecretBatch::readAll(SecretStore& store, const QStringList& keys, Done done)
{
    runOnEach(store, keys, &SecretStore::read, std::move(done));
}

void SecretBatch::removeAll(SecretStore& store, const QStringList& keys, Done done)
{
    runOnEach(store, keys, &SecretStore::remove, std::move(done));
}

void SecretBatch::probeAll(SecretStore& store, const QStringList& keys, Done done)
{
    runOnEach(store, keys, &SecretStore::probe, std::move(done));
}

void SecretBatch::writeAll(SecretStore& store, const QMap<QString, QString>& values, Done done)
{
    run(
        values.keys(),
        [&store, values](const QString& key, SecretStore::Callback cb) {
            store.write(key, values.value(key), std::move(cb));
        },
        std::move(done));
}

SecretBatch::Results SecretBatch::wait(const std::function<void(Done)>& begin)
{
    QEventLoop loop;
    Results out;
    bool finished = false;
    begin([&](const Results& results) {
        out = results;
        finished = true;
        loop.quit();
    });
    if (!finished) {
        loop.exec();
    }
    return out;
}

SecretBatch::Results SecretBatch::readAllAndWait(SecretStore& store, const QStringList& keys)
{
    return wait([&](Done done) { readAll(store, keys, std::move(done)); });
}

SecretBatch::Results SecretBatch::removeAllAndWait(SecretStore& store, const QStringList& keys)
{
    return wait([&](Done done) { removeAll(store, keys, std::move(done)); });
}

SecretBatch::Results SecretBatch::writeAllAndWait(SecretStore& store, const QMap<QString, QString>& values)
{
    return wait([&](Done done) { writeAll(store, values, std::move(done)); });
}

const SecretResult* SecretBatch::firstFailure(const Results& results)
{
    for (auto it = results.cbegin(); it != results.cend(); ++it) {
        if (!it.value().ok()) {
            return &it.value();
        }
    }
    return nullptr;
}

} // namespace keyway
