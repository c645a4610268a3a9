#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace keyway::test {

// A partner network's PKI as the suites make it with the openssl command, in a directory of the test's own: a
// private CA (ca.pem, ca.key) and the certificates it signs, each a pair NAME.pem / NAME.key.
class TestPki
{
public:
    // Makes `directory` and the CA "Partner Test CA" in it. False (openssl's complaint in a warning) on failure.
    bool create(const QString& directory);
    const QString& directory() const { return m_directory; }
    QString path(const QString& file) const { return m_directory + QLatin1Char('/') + file; }

    // An RSA key and a certificate signed by the CA; `san` (e.g. "DNS:localhost,IP:127.0.0.1") makes it a server
    // certificate, empty a client certificate.
    bool issue(const QString& name, const QString& subject, const QString& san = {});
    // An RSA key and a self-signed certificate for `days`: one no partner issued.
    bool selfSigned(const QString& name, const QString& subject, int days);
    // Runs openssl in the directory; its standard output in `out`.
    bool openssl(const QStringList& args, QByteArray* out = nullptr) const;
    // A line from the middle of NAME.key (64 base64 characters found nowhere else): a canary for that key.
    QByteArray keyCanary(const QString& name) const;

private:
    QString m_directory;
};

} // namespace keyway::test
