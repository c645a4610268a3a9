#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace keyway {

// Sets the label the freedesktop Secret Service shows for a QtKeychain entry (Seahorse lists it by that
// label). QtKeychain 0.13 has no label API: its libsecret backend labels every entry with the service name,
// so every Keyway secret reads "keyway". This changes only the label of unlocked entries found by the
// attributes QtKeychain stores (server = service, user = key); it never reads, unlocks or moves a secret.
class SecretServiceLabel
{
public:
    using Done = std::function<void(bool labelled)>;

    // Calls `done` later from the event loop (true when at least one entry took the label), unless
    // `context` was destroyed first. Without a Secret Service (or on another platform) `done(false)`.
    static void apply(QObject* context, const QString& service, const QString& key, const QString& label, Done done);
};

} // namespace keyway
