#pragma once

#include "core/vault/SecretStore.h"

#include <QMap>
#include <QStringList>

#include <functional>

namespace keyway {

// Runs one operation over several keys at once and reports once, when every key has answered.
// All jobs are started before the first answer arrives: `keyway-cli call` has a tight start-up
// budget and a keychain round trip over D-Bus costs ~10 ms each.
class SecretBatch
{
public:
    using Results = QMap<QString, SecretResult>;
    using Done = std::function<void(const Results&)>;

    static void readAll(SecretStore& store, const QStringList& keys, Done done);
    static void removeAll(SecretStore& store, const QStringList& keys, Done done);
    // Whether each entry exists, without its value (SecretStore::probe).
    static void probeAll(SecretStore& store, const QStringList& keys, Done done);
    // `values` maps key -> secret value.
    static void writeAll(SecretStore& store, const QMap<QString, QString>& values, Done done);

    // For command-line code only (never the GUI thread): runs a local event loop until the batch
    // has answered.
    static Results readAllAndWait(SecretStore& store, const QStringList& keys);
    static Results removeAllAndWait(SecretStore& store, const QStringList& keys);
    static Results writeAllAndWait(SecretStore& store, const QMap<QString, QString>& values);

    // The first result that is not Ok in key order, or nullptr when all are Ok.
    static const SecretResult* firstFailure(const Results& results);

private:
    using Start = std::function<void(const QString& key, SecretStore::Callback)>;
    static void run(const QStringList& keys, const Start& start, Done done);
    // One operation (read, remove, probe) on each distinct key.
    using KeyOperation = void (SecretStore::*)(const QString&, SecretStore::Callback);
    static void runOnEach(SecretStore& store, const QStringList& keys, KeyOperation operation, Done done);
    static Results wait(const std::function<void(Done)>& begin);
};

} // namespace keyway
