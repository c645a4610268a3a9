#pragma once

#include "core/vault/SecretStore.h"

#include <chrono>

namespace QKeychain {
class Job;
}

namespace keyway {

// SecretStore over QtKeychain (libsecret / Secret Service on Linux): the only code in Keyway
// that talks to the keychain. No insecure fallback: without a keychain, operations report
// Unavailable instead of writing secrets to a file.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds DefaultTimeout {20000};

    explicit KeychainSecretStore(QObject* parent = nullptr, const QString& service = QStringLiteral("keyway"));

    QString service() const { return m_service; }
    // A keychain that does not answer (a hung unlock prompt, a stuck daemon) is reported as
    // Locked after this long rather than waiting for ever.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    void read(const QString& key, Callback done) override;
    void write(const QString& key, const QString& value, Callback done) override;
    void remove(const QString& key, Callback done) override;
    // Asks the Secret Service which entries exist (and which are locked) without reading any value or
    // raising an unlock prompt; falls back to a read where there is no Secret Service to ask.
    void probe(const QString& key, Callback done) override;
    // Labels through the Secret Service (QtKeychain 0.13 has no label API); see SecretServiceLabel.
    void relabel(const QString& key) override;

private:
    enum class Operation { Read, Write, Remove };
    void run(QKeychain::Job* job, Operation operation, const QString& key, Callback done);
    SecretResult resultOf(QKeychain::Job* job, Operation operation) const;

    QString m_service;
    std::chrono::milliseconds m_timeout = DefaultTimeout;
};

} // namespace keyway
