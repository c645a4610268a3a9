#include "core/http/TlsDiagnosis.h"

#include "core/http/ConnectionSettings.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QSet>

namespace keyway {

namespace {

bool isUnknownAuthority(QSslError::SslError e)
{
    switch (e) {
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
        return true;
    default:
        return false;
    }
}

} // namespace

QString TlsDiagnosis::utc(const QDateTime& time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

QString TlsDiagnosis::fingerprint(const QSslCertificate& certificate)
{
    const QByteArray digest = certificate.digest(QCryptographicHash::Sha256).toHex().toUpper();
    QStringList pairs;
    for (qsizetype i = 0; i < digest.size(); i += 2) {
        pairs.append(QString::fromLatin1(digest.mid(i, 2)));
    }
    return pairs.join(QLatin1Char(':'));
}

QString TlsDiagnosis::names(const QSslCertificate& certificate)
{
    QStringList list;
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it) {
        list.append(it.value());
    }
    if (list.isEmpty()) {
        list = certificate.subjectInfo(QSslCertificate::CommonName);
    }
    return list.isEmpty() ? tr("no name") : list.join(QStringLiteral(", "));
}

QString TlsDiagnosis::summary(const QSslCertificate& certificate)
{
    return tr("subject %1; issuer %2; valid %3 to %4; SHA-256 %5")
        .arg(certificate.subjectDisplayName(),
             certificate.issuerDisplayName(),
             utc(certificate.effectiveDate()),
             utc(certificate.expiryDate()),
             fingerprint(certificate));
}

QString TlsDiagnosis::describeErrors(const QString& host,
                                     const QList<QSslError>& errors,
                                     const QList<QSslCertificate>& chain,
                                     const ConnectionSettings* settings)
{
    QSslCertificate leaf = chain.isEmpty() ? QSslCertificate() : chain.first();
    QStringList what;
    QStringList todo;
    QSet<int> seen;
    for (const QSslError& e : errors) {
        if (leaf.isNull() && !e.certificate().isNull()) {
            leaf = e.certificate();
        }
        const bool unknown = isUnknownAuthority(e.error());
        const int kind = unknown ? -1 : static_cast<int>(e.error());
        if (seen.contains(kind)) {
            continue;
        }
        seen.insert(kind);
        if (unknown) {
            const bool selfSigned = e.error() == QSslError::SelfSignedCertificate;
            what.append(selfSigned ? tr("the certificate is self-signed (no authority this environment trusts vouches "
                                        "for it)")
                                   : tr("certificate signed by an unknown authority"));
            todo.append(settings && settings->hasCaFile()
                            ? tr("the CA file %1 (tls.ca_file) does not hold the CA that signed it: point tls.ca_file "
                                 "at the right PEM file")
                                  .arg(settings->caFile())
                            : tr("if you trust its issuer, set tls.ca_file to a PEM file with that CA certificate"));
        } else if (e.error() == QSslError::CertificateExpired) {
            const QSslCertificate c = e.certificate().isNull() ? leaf : e.certificate();
            what.append(tr("the certificate expired on %1").arg(utc(c.expiryDate())));
            todo.append(tr("the server's operator must renew it (check this computer's clock too)"));
        } else if (e.error() == QSslError::CertificateNotYetValid) {
            const QSslCertificate c = e.certificate().isNull() ? leaf : e.certificate();
            what.append(tr("the certificate is not valid before %1").arg(utc(c.effectiveDate())));
            todo.append(tr("check this computer's clock"));
        } else if (e.error() == QSslError::HostNameMismatch) {
            const QSslCertificate c = e.certificate().isNull() ? leaf : e.certificate();
            what.append(tr("name mismatch: the certificate is for %1").arg(names(c)));
            todo.append(tr("use a host name the certificate names in the environment's base URL"));
        } else {
            what.append(e.errorString());
        }
    }
    QString text = tr("TLS handshake with %1 failed: %2.").arg(host, what.join(QStringLiteral("; ")));
    if (!leaf.isNull()) {
        text += QLatin1Char(' ') + tr("Presented certificate: %1.").arg(summary(leaf));
    }
    if (!todo.isEmpty()) {
        QString first = todo.join(QStringLiteral("; "));
        first[0] = first[0].toUpper();
        text += QLatin1Char(' ') + first + QLatin1Char('.');
    }
    return text;
}

QString
TlsDiagnosis::describeHandshakeFailure(const QString& host, const QString& detail, const ConnectionSettings* settings)
{
    const QString lower = detail.toLower();
    const bool hasCertificate = settings && settings->hasClientCertificate();
    if (!hasCertificate
        && (lower.contains(QLatin1String("certificate required")) || lower.contains(QLatin1String("handshake failure"))
            || lower.contains(QLatin1String("peer did not return a certificate")))) {
        return tr("TLS handshake with %1 failed: the server requires a client certificate (mutual TLS). Set "
                  "tls.client_cert to its PEM file and store its private key as the secret tls.client_key.")
            .arg(host);
    }
    if (hasCertificate
        && (lower.contains(QLatin1String("unknown ca")) || lower.contains(QLatin1String("bad certificate"))
            || lower.contains(QLatin1String("certificate unknown")) || lower.contains(QLatin1String("decrypt error"))
            || lower.contains(QLatin1String("access denied")) || lower.contains(QLatin1String("handshake failure")))) {
        return tr("TLS handshake with %1 failed: the server refused the client certificate (%2). Check that "
                  "tls.client_cert is the certificate the partner issued for you and tls.client_key its key.")
            .arg(host, detail);
    }
    return tr("TLS handshake with %1 failed: %2.").arg(host, detail);
}

QString TlsDiagnosis::describeClosedHandshake(const QString& host, const ConnectionSettings* settings)
{
    if (settings && settings->hasClientCertificate()) {
        return tr("TLS handshake with %1 failed: the server closed the connection during the handshake, as a server "
                  "does that refuses the client certificate. Check that tls.client_cert is the certificate the partner "
                  "issued for you and tls.client_key its key.")
            .arg(host);
    }
    return tr("TLS handshake with %1 failed: the server closed the connection during the handshake, as a server "
              "does that requires a client certificate (mutual TLS). Set tls.client_cert to its PEM file and store "
              "its private key as the secret tls.client_key.")
        .arg(host);
}

} // namespace keyway
