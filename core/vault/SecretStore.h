#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace keyway {

// What a keychain operation came to. Missing is the only state that means "no such secret":
// Locked, Denied, Unavailable and Failed say nothing about whether the secret exists.
enum class SecretStatus { Ok, Missing, Locked, Denied, Unavailable, Failed };

struct SecretResult
{
    SecretStatus status = SecretStatus::Failed;
    QString value; // only for a successful read
    QString error; // human text for a non-Ok status; never contains the value

    bool ok() const { return status == SecretStatus::Ok; }
    // Locked, Denied or Unavailable: the keychain could not be asked (CLI exit code 4).
    bool keychainInaccessible() const;
};

// The one door to secret storage. Asynchronous: every operation reports through its callback
// later, from the event loop, never from inside the call. One entry per (environment id, field).
// A failed or locked read never leads to deleting or overwriting anything.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const SecretResult&)>;

    explicit SecretStore(QObject* parent = nullptr);

    virtual void read(const QString& key, Callback done) = 0;
    virtual void write(const QString& key, const QString& value, Callback done) = 0;
    // Removing an entry that does not exist is Ok.
    virtual void remove(const QString& key, Callback done) = 0;
    // Whether an entry exists (Ok), is Missing, or cannot be told (Locked, Unavailable...), without
    // bringing its value into this process where the backend allows it. The result never carries a
    // value. The default reads the entry and drops the value.
    virtual void probe(const QString& key, Callback done);

    // What the keychain's own window (Seahorse) shows for an entry, such as "Keyway: Sandbox Seismic —
    // clientSecret" rather than one name for all. The labeler is asked on every successful write; an empty
    // answer leaves the backend's label. relabel() gives an existing entry the labeler's current answer
    // (after a rename). Stores without labels ignore both.
    using Labeler = std::function<QString(const QString& key)>;
    void setLabeler(Labeler labeler) { m_labeler = std::move(labeler); }
    QString labelFor(const QString& key) const { return m_labeler ? m_labeler(key) : QString(); }
    virtual void relabel(const QString& key);

    // "<envId>/<field>", e.g. "0b6c…/clientSecret" or "0b6c…/api.client_secret".
    static QString keyFor(const QString& environmentId, const QString& field);
    // "<envId>/@refresh_token" without a credential set, "<envId>/<set>.@refresh_token" with one.
    static QString refreshTokenKey(const QString& environmentId, const QString& credentialSet);

    // Stable lower-case name of a status for output: ok, missing, locked, denied, unavailable, failed.
    static QString statusName(SecretStatus status);
    // The one sentence every window says for a keychain that could not be used, with what to do next, so a
    // locked keychain is called locked everywhere and never "unavailable" in one tab and "all set" in another.
    static QString userMessage(const SecretResult& result);

private:
    Labeler m_labeler;
};

} // namespace keyway
