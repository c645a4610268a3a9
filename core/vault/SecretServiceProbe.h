#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace keyway {

// Asks the freedesktop Secret Service (read-only, asynchronously) how many entries exist for a
// QtKeychain key, and how many of them are locked. QtKeychain's libsecret backend reports a read
// of a locked entry, after a dismissed unlock prompt, as "entry not found", and a delete of one as
// success; this probe is how KeychainSecretStore tells "locked" from "gone". It never unlocks,
// locks, reads or changes anything.
class SecretServiceProbe
{
public:
    struct Matches
    {
        bool answered = false; // false: no Secret Service to ask (or not on this platform)
        int unlocked = 0;
        int locked = 0;
    };
    using Done = std::function<void(const Matches&)>;

    // Calls `done` later from the event loop, unless `context` was destroyed first.
    static void find(QObject* context, const QString& service, const QString& key, Done done);
};

} // namespace keyway
