#include "core/http/ConnectionSettings.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace keyway {

namespace {

CredentialField makeField(const QString& key, const QString& label, const QString& description, bool secret)
{
    CredentialField field;
    field.key = key;
    field.bareKey = key;
    field.label = label;
    field.description = description;
    field.secret = secret;
    return field;
}

QList<QSslCertificate> readCertificates(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = ConnectionSettings::tr("cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    const QByteArray data = file.readAll();
    QList<QSslCertificate> certificates = QSslCertificate::fromData(data, QSsl::Pem);
    if (certificates.isEmpty()) {
        certificates = QSslCertificate::fromData(data, QSsl::Der);
    }
    if (certificates.isEmpty()) {
        *error
            = ConnectionSettings::tr("%1 holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)").arg(path);
    }
    return certificates;
}

QSslKey readKey(const QByteArray& pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) {
            return key;
        }
    }
    return {};
}

} // namespace

const QList<CredentialField>& ConnectionSettings::fields()
{
    static const QList<CredentialField> list {
        makeField(caFileKey(),
                  tr("CA file"),
                  tr("PEM file of CA certificates this environment trusts in addition to the system's."),
                  false),
        makeField(clientCertKey(),
                  tr("Client certificate"),
                  tr("PEM file with the client certificate (chain) for servers that require mutual TLS."),
                  false),
        makeField(clientKeyKey(),
                  tr("Client private key"),
                  tr("The PEM private key of the client certificate; kept in the keychain only."),
                  true),
        makeField(proxyKey(),
                  tr("Proxy"),
                  tr("http://[user@]host:port for this environment, or none to ignore the proxy variables."),
                  false),
        makeField(proxyPasswordKey(), tr("Proxy password"), tr("The proxy user's password; keychain only."), true),
    };
    return list;
}

const CredentialField* ConnectionSettings::field(const QString& key)
{
    for (const CredentialField& f : fields()) {
        if (f.key == key) {
            return &f;
        }
    }
    return nullptr;
}

QStringList ConnectionSettings::secretKeysFor(const QMap<QString, QString>& values)
{
    QStringList keys;
    if (!values.value(clientCertKey()).isEmpty()) {
        keys.append(clientKeyKey());
    }
    const QString proxy = values.value(proxyKey()).trimmed();
    if (!proxy.isEmpty() && proxy.compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
        keys.append(proxyPasswordKey());
    }
    return keys;
}

QString ConnectionSettings::checkValue(const QString& key, const QString& value)
{
    QString error;
    if (key == caFileKey() || key == clientCertKey()) {
        readCertificates(value, &error);
    } else if (key == proxyKey()) {
        if (value.trimmed().compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
            return {};
        }
        const std::optional<QNetworkProxy> proxy = ProxyResolver::parse(value, &error);
        if (proxy && !proxy->password().isEmpty()) {
            // Not echoed: the value holds a password.
            error = tr("the proxy address carries a password; give it as the secret proxy_password instead");
        }
    }
    return error;
}

QString ConnectionSettings::checkClientKey(const QByteArray& pem)
{
    if (pem.contains("ENCRYPTED")) {
        return tr("the private key is encrypted; store it decrypted (the keychain protects it), or import a "
                  "PKCS#12 file with its password");
    }
    if (readKey(pem).isNull()) {
        return tr("not a PEM private key Keyway can use (RSA, EC or DSA, -----BEGIN PRIVATE KEY-----)");
    }
    return {};
}

bool ConnectionSettings::splitPkcs12(
    const QByteArray& bundle, const QString& password, QByteArray* certificatePem, QByteArray* keyPem, QString* error)
{
    QByteArray copy = bundle;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    QSslKey key;
    QSslCertificate certificate;
    QList<QSslCertificate> chain;
    if (!QSslCertificate::importPkcs12(&buffer, &key, &certificate, &chain, password.toUtf8())) {
        *error = tr("the file is not a PKCS#12 bundle, or the password is wrong");
        return false;
    }
    if (key.isNull() || certificate.isNull()) {
        *error = tr("the PKCS#12 bundle holds no certificate with its private key");
        return false;
    }
    QByteArray pem = certificate.toPem();
    for (const QSslCertificate& c : std::as_const(chain)) {
        pem += c.toPem();
    }
    *certificatePem = pem;
    *keyPem = key.toPem();
    return true;
}

ConnectionPtr ConnectionSettings::build(const QMap<QString, QString>& values, const QMap<QString, QString>& secrets)
{
    auto settings = std::make_shared<ConnectionSettings>();
    settings->m_caFile = values.value(caFileKey()).trimmed();
    settings->m_clientCertFile = values.value(clientCertKey()).trimmed();
    settings->m_proxy = values.value(proxyKey()).trimmed();
    settings->m_proxyPassword = secrets.value(proxyPasswordKey());
    const QByteArray keyPem = secrets.value(clientKeyKey()).toUtf8();

    QCryptographicHash identity(QCryptographicHash::Sha256);
    for (const QByteArray& part : {settings->m_caFile.toUtf8(),
                                   settings->m_clientCertFile.toUtf8(),
                                   keyPem,
                                   settings->m_proxy.toUtf8(),
                                   settings->m_proxyPassword.toUtf8()}) {
        identity.addData(QByteArray(QByteArray::number(part.size()) + ':' + part));
    }
    settings->m_identity = QString::fromLatin1(identity.result().toHex());

    if (!settings->m_proxy.isEmpty()) {
        const QString problem = checkValue(proxyKey(), settings->m_proxy);
        if (!problem.isEmpty()) {
            settings->m_error = tr("The proxy setting cannot be used: %1.").arg(problem);
            return settings;
        }
    }
    if (settings->m_caFile.isEmpty() && settings->m_clientCertFile.isEmpty()) {
        return settings;
    }
    settings->m_hasTls = true;
    settings->m_tls = QSslConfiguration::defaultConfiguration();
    QString error;
    if (!settings->m_caFile.isEmpty()) {
        const QList<QSslCertificate> extra = readCertificates(settings->m_caFile, &error);
        if (extra.isEmpty()) {
            settings->m_error = tr("The CA file (tls.ca_file) cannot be used: %1.").arg(error);
            return settings;
        }
        // Replacing the list (not adding to it) keeps the system's CAs: Qt loads those on demand only
        // while no CA was added by hand.
        settings->m_tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + extra);
    }
    if (!settings->m_clientCertFile.isEmpty()) {
        const QList<QSslCertificate> chain = readCertificates(settings->m_clientCertFile, &error);
        if (chain.isEmpty()) {
            settings->m_error = tr("The client certificate (tls.client_cert) cannot be used: %1.").arg(error);
            return settings;
        }
        if (keyPem.isEmpty()) {
            settings->m_error = tr("The client certificate is set but its private key tls.client_key is not in the "
                                   "keychain; store it with the environment's Connection settings.");
            return settings;
        }
        const QSslKey key = readKey(keyPem);
        if (key.isNull()) {
            settings->m_error = tr("The private key tls.client_key cannot be used: %1.").arg(checkClientKey(keyPem));
            return settings;
        }
        settings->m_tls.setLocalCertificateChain(chain);
        settings->m_tls.setPrivateKey(key);
    }
    return settings;
}

ConnectionPtr ConnectionSettings::systemDefault()
{
    return build({}, {});
}

ProxyChoice ConnectionSettings::proxyFor(const QUrl& target) const
{
    return ProxyResolver::resolve(target, m_proxy, m_proxyPassword);
}

} // namespace keyway
