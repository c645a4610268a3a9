#include "core/vault/KeychainSecretStore.h"

#include "core/util/Logging.h"
#include "core/vault/SecretServiceLabel.h"
#include "core/vault/SecretServiceProbe.h"

#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace keyway {

namespace {

// libsecret reports D-Bus and Secret Service failures as generic errors; their messages are
// the only way to tell "there is no keychain to ask" from other failures.
bool looksUnreachable(const QString& message)
{
    static const char* const markers[] = {"D-Bus",
                                          "DBus",
                                          "dbus",
                                          "Could not connect",
                                          "autolaunch",
                                          "org.freedesktop.secrets",
                                          "Secret Service",
                                          "secret service",
                                          "No such file",
                                          "Connection refused",
                                          "was not provided",
                                          "ServiceUnknown",
                                          "NoReply",
                                          "Timeout",
                                          "timed out"};
    for (const char* marker : markers) {
        if (message.contains(QLatin1String(marker))) {
            return true;
        }
    }
    return false;
}

// A D-Bus policy (the bus's own, AppArmor's or SELinux's mediation of a confined app) that forbids talking
// to the Secret Service: the keychain is there and refuses, which is neither "missing" nor "unreachable".
bool looksDenied(const QString& message)
{
    static const char* const markers[] = {"AccessDenied", "Rejected send message", "policy prevents"};
    for (const char* marker : markers) {
        if (message.contains(QLatin1String(marker))) {
            return true;
        }
    }
    return false;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QObject* parent, const QString& service)
    : SecretStore(parent), m_service(service)
{
}

void KeychainSecretStore::read(const QString& key, Callback done)
{
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    run(job, Operation::Read, key, std::move(done));
}

void KeychainSecretStore::write(const QString& key, const QString& value, Callback done)
{
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setTextData(value);
    run(job, Operation::Write, key, [this, key, done = std::move(done)](const SecretResult& result) {
        const QString label = result.ok() ? labelFor(key) : QString();
        if (label.isEmpty()) {
            done(result);
            return;
        }
        // Labelled before the write is reported, so whoever stored it finds it under its name at once.
        SecretServiceLabel::apply(this, m_service, key, label, [done, result](bool) { done(result); });
    });
}

void KeychainSecretStore::relabel(const QString& key)
{
    SecretServiceLabel::apply(this, m_service, key, labelFor(key), [](bool) {});
}

void KeychainSecretStore::remove(const QString& key, Callback done)
{
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    run(job, Operation::Remove, key, std::move(done));
}

void KeychainSecretStore::probe(const QString& key, Callback done)
{
    SecretServiceProbe::find(this, m_service, key, [this, key, done](const SecretServiceProbe::Matches& m) {
        if (!m.answered) {
            SecretStore::probe(key, done);
        } else if (m.locked > 0) {
            done({SecretStatus::Locked, QString(), tr("The keychain is locked; unlock it and try again.")});
        } else if (m.unlocked > 0) {
            done({SecretStatus::Ok, QString(), QString()});
        } else {
            done({SecretStatus::Missing, QString(), tr("No such secret in the keychain.")});
        }
    });
}

void KeychainSecretStore::run(QKeychain::Job* job, Operation operation, const QString& key, Callback done)
{
    // The job deletes itself when it finishes; it has no parent, because libsecret still holds a
    // pointer to it until then. The connections use `this` as context, so a destroyed store is
    // never called back.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    auto answered = std::make_shared<bool>(false);
    auto callback = std::make_shared<Callback>(std::move(done));
    const auto finish = [this, key, answered, callback](const SecretResult& result) {
        if (*answered) {
            qCDebug(lcSecrets) << "keychain answered for" << key << "after the timeout";
            return;
        }
        *answered = true;
        if (!result.ok()) {
            qCDebug(lcSecrets) << "keychain" << statusName(result.status) << "for" << key;
        }
        (*callback)(result);
    };

    connect(job, &QKeychain::Job::finished, this, [this, operation, key, finish](QKeychain::Job* j) {
        const SecretResult result = resultOf(j, operation);
        // "Not found" after a read and "done" after a delete are also what a locked keychain
        // answers once its unlock prompt is dismissed. Ask the Secret Service which it was.
        const bool mayBeLocked = (operation == Operation::Read && result.status == SecretStatus::Missing)
            || (operation == Operation::Remove && result.ok());
        if (!mayBeLocked) {
            finish(result);
            return;
        }
        SecretServiceProbe::find(
            this, m_service, key, [this, operation, result, finish](const SecretServiceProbe::Matches& m) {
                if (m.locked > 0) {
                    finish({SecretStatus::Locked,
                            QString(),
                            operation == Operation::Remove
                                ? tr("The keychain is locked; the entry was not removed. Unlock it and try again.")
                                : tr("The keychain is locked; unlock it and try again.")});
                } else if (operation == Operation::Remove && m.unlocked > 0) {
                    finish(
                        {SecretStatus::Failed, QString(), tr("The keychain entry is still there after removing it.")});
                } else {
                    finish(result);
                }
            });
    });
    QTimer::singleShot(m_timeout, this, [this, key, answered, finish] {
        if (*answered) {
            return;
        }
        qCInfo(lcSecrets) << "keychain did not answer for" << key << "within" << m_timeout.count() << "ms";
        // Silence this long is, on a desktop, an unlock prompt nobody answered: a locked keychain, not a
        // missing one (a keyring that is not running answers at once with an error).
        finish({SecretStatus::Locked,
                QString(),
                tr("The keychain did not answer within %1 seconds; it may be waiting to be unlocked.")
                    .arg(m_timeout.count() / 1000)});
    });
    job->start();
}

SecretResult KeychainSecretStore::resultOf(QKeychain::Job* job, Operation operation) const
{
    const QString detail = job->errorString();
    switch (job->error()) {
    case QKeychain::NoError:
        if (operation == Operation::Read) {
            return {SecretStatus::Ok, static_cast<QKeychain::ReadPasswordJob*>(job)->textData(), QString()};
        }
        return {SecretStatus::Ok, QString(), QString()};
    case QKeychain::EntryNotFound:
        if (operation == Operation::Remove) {
            return {SecretStatus::Ok, QString(), QString()};
        }
        return {SecretStatus::Missing, QString(), tr("No such secret in the keychain.")};
    case QKeychain::AccessDeniedByUser:
        return {SecretStatus::Denied, QString(), tr("Access to the keychain was denied.")};
    case QKeychain::AccessDenied:
        // The libsecret backend reports a locked collection this way.
        return {SecretStatus::Locked, QString(), tr("The keychain is locked; unlock it and try again.")};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return {SecretStatus::Unavailable,
                QString(),
                tr("No keychain is available (a Secret Service such as gnome-keyring or KWallet is needed): %1")
                    .arg(detail)};
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    if (looksDenied(detail)) {
        return {SecretStatus::Denied,
                QString(),
                tr("The system's D-Bus policy does not let Keyway talk to the keychain (the Secret Service).")};
    }
    if (looksUnreachable(detail)) {
        return {SecretStatus::Unavailable,
                QString(),
                tr("The keychain cannot be reached (no D-Bus session or no Secret Service): %1").arg(detail)};
    }
    return {SecretStatus::Failed, QString(), tr("The keychain reported an error: %1").arg(detail)};
}

} // namespace keyway
