#pragma once

#include <QCoreApplication>
#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

namespace keyway {

class ConnectionSettings;

// Explains a failed TLS handshake in words a person can act on: the host, what is wrong ("certificate
// signed by an unknown authority", "expired on …", "name mismatch: the certificate is for …"), the
// presented certificate (subject, issuer, validity, SHA-256 fingerprint) and which key to set.
class TlsDiagnosis
{
    Q_DECLARE_TR_FUNCTIONS(keyway::TlsDiagnosis)

public:
    // The certificate errors Qt reported for `host` (host:port), with the chain the server presented.
    static QString describeErrors(const QString& host,
                                  const QList<QSslError>& errors,
                                  const QList<QSslCertificate>& chain,
                                  const ConnectionSettings* settings);
    // A handshake the server broke off (no certificate error of ours): usually a client certificate it
    // wants or refuses. `detail` is the TLS library's text.
    static QString
    describeHandshakeFailure(const QString& host, const QString& detail, const ConnectionSettings* settings);
    // The server closed the connection before the TLS session came up, without an alert.
    static QString describeClosedHandshake(const QString& host, const ConnectionSettings* settings);

    // "subject CN=…; issuer CN=…; valid 2026-01-01 00:00:00 UTC to …; SHA-256 AB:CD:…"
    static QString summary(const QSslCertificate& certificate);
    static QString fingerprint(const QSslCertificate& certificate); // SHA-256, colon-separated hex
    static QString names(const QSslCertificate& certificate); // subject alternative names, else the CN
    static QString utc(const QDateTime& time); // 2026-01-02 14:03:27 UTC
};

} // namespace keyway
