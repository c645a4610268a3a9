#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

#include <optional>

namespace keyway::sandbox {

// The throwaway PKI of `keyway-cli sandbox --tls`: a CA, a server certificate for 127.0.0.1 and
// localhost, and a client certificate for the mutual-TLS demo, all made in memory with libcrypto when the
// sandbox starts (EC P-256, so in milliseconds) and valid for 30 days. Only certificates are ever written
// to disk; the CA's key is thrown away once the certificates are signed, so nothing it signed can be
// forged later.
struct SandboxPki
{
    QSslCertificate caCertificate;
    QSslCertificate serverCertificate;
    QSslKey serverKey;
    QSslCertificate clientCertificate;
    QByteArray clientKeyPem; // PKCS#8 PEM, a throwaway demo secret for the environment's tls.client_key

    // Empty with `error` set when libcrypto refuses (it should not).
    static std::optional<SandboxPki> generate(QString* error);
};

} // namespace keyway::sandbox
