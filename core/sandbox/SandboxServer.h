#pragma once

#include "core/sandbox/DemoProvider.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace keyway::sandbox {

// The embedded provider sandbox: one HTTP server on 127.0.0.1 that behaves like each seed
// provider under its own path prefix (/seismic, /banking, /ecard, /astrada, /oauth2), with demo
// credentials, fault switches and a time scale. See docs/sandbox.md.
//
// Lives in the thread that creates it; replies are served from that thread's event loop.
class SandboxServer : public QObject
{
    Q_OBJECT
public:
    explicit SandboxServer(QObject* parent = nullptr);
    ~SandboxServer() override;

    // Before listen(): serve HTTPS instead of HTTP, with a CA made at start (SandboxPki). Its certificate
    // is written to `directory`/ca.pem (0600 in a 0700 directory) and every demo provider gets
    // tls.ca_file pointing at it, so an environment made from the demo values trusts the sandbox at once.
    // No private key is written.
    void setTls(const QString& directory);
    // Before listen(), with setTls(): this provider's base URL is a second port on 127.0.0.1 that ends
    // the handshake without a client certificate signed by the sandbox CA. Its demo values carry
    // tls.client_cert (`directory`/client.pem) and tls.client_key (the key's PEM, a throwaway demo secret).
    void setClientCertificateProvider(const QString& providerId);

    // Listens on 127.0.0.1 only; 0 picks an ephemeral port. False (see errorString()) on failure.
    bool listen(quint16 port = 0);
    bool isListening() const;
    quint16 port() const;
    QString errorString() const;
    QUrl rootUrl() const; // http://127.0.0.1:PORT, or https:// with setTls()

    bool isTls() const;
    QString caFile() const; // empty without TLS
    QString clientCertificateFile() const; // empty without a client-certificate provider
    QByteArray demoClientKey() const; // PEM; empty without a client-certificate provider
    quint16 mutualTlsPort() const; // 0 without a client-certificate provider

    // 60 => a 10-minute code lives 10 s, and the replies' expires_in say so. Applies to what is
    // issued from now on. Values <= 0 are ignored.
    void setTimeScale(double scale);
    double timeScale() const;

    QList<DemoProvider> demoProviders() const;
    std::optional<DemoProvider> demoProvider(const QString& providerId) const;
    // An RSA private key (PEM) the /oauth2 token endpoint accepts for private_key_jwt under kid sbx-client-rsa
    // (RS256); made on first ask. The demo environments carry the P-256 one (ES256, kid sbx-client-ec).
    QString demoRsaClientKeyPem() const;

    // Fault switches (also over HTTP: POST /_sandbox/faults {"provider","fault","on"}).
    // expire_now and revoke act once on everything issued so far and never stay on.
    // Returns false for an unknown provider or fault.
    bool setFault(const QString& providerId, const QString& fault, bool on);
    QStringList availableFaults(const QString& providerId) const;
    QStringList activeFaults(const QString& providerId) const;

    int tokenRequestCount(const QString& providerId) const; // token endpoint hits, for single-flight tests
    int jwksRequestCount(const QString& providerId) const; // JWKS fetches, for key-rotation tests

    // The authorization-code provider's demo user (fixed, documented in docs/sandbox.md).
    static QString demoUsername();
    static QString demoPassword();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace keyway::sandbox
