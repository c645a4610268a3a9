#pragma once

#include "core/http/ProxyResolver.h"
#include "core/profile/ProviderProfile.h"

#include <QCoreApplication>
#include <QMap>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>

#include <memory>

namespace keyway {

class ConnectionSettings;
using ConnectionPtr = std::shared_ptr<const ConnectionSettings>;

// How one environment reaches its servers: extra CAs it trusts, its client certificate and key for
// mutual TLS, and its proxy. Every provider accepts these keys beside its profile's, so no profile
// declares them: tls.ca_file, tls.client_cert and proxy are stored with the environment's values,
// tls.client_key and proxy_password in the keychain only. Built once per run from those values and
// secrets and attached to every request of the environment (flow steps, calls, checks, probes).
class ConnectionSettings
{
    Q_DECLARE_TR_FUNCTIONS(keyway::ConnectionSettings)

public:
    static QString caFileKey() { return QStringLiteral("tls.ca_file"); }
    static QString clientCertKey() { return QStringLiteral("tls.client_cert"); }
    static QString clientKeyKey() { return QStringLiteral("tls.client_key"); }
    static QString proxyKey() { return QStringLiteral("proxy"); }
    static QString proxyPasswordKey() { return QStringLiteral("proxy_password"); }

    // The five keys as credential fields (labels and descriptions for the CLI and the dialog).
    static const QList<CredentialField>& fields();
    static const CredentialField* field(const QString& key);
    static bool isKey(const QString& key) { return field(key) != nullptr; }
    // The secrets the environment's values call for: tls.client_key with a client certificate,
    // proxy_password with a proxy.
    static QStringList secretKeysFor(const QMap<QString, QString>& values);

    // What is wrong with a value for `key` (a file that cannot be read or holds no certificate, a proxy
    // address that cannot be used or carries a password), empty when it is fine.
    static QString checkValue(const QString& key, const QString& value);
    // What is wrong with a PEM private key, empty when Qt can use it.
    static QString checkClientKey(const QByteArray& pem);

    // A PKCS#12 bundle (.p12 / .pfx) split into its certificate chain (PEM) and private key (PEM), or
    // false with a message (wrong password, not PKCS#12, no key inside).
    static bool splitPkcs12(const QByteArray& bundle,
                            const QString& password,
                            QByteArray* certificatePem,
                            QByteArray* keyPem,
                            QString* error);

    // `values` are the environment's non-secret values (other keys are ignored), `secrets` the
    // connection secrets read from the keychain. A setting that cannot be used (unreadable CA file, key
    // missing) makes error() non-empty: every request of the environment then fails with that message.
    static ConnectionPtr build(const QMap<QString, QString>& values, const QMap<QString, QString>& secrets);
    // No setting of its own: the system's CAs, no client certificate, the proxy variables.
    static ConnectionPtr systemDefault();

    const QString& error() const { return m_error; }
    bool hasTls() const { return m_hasTls; }
    const QSslConfiguration& tls() const { return m_tls; }
    bool hasClientCertificate() const { return !m_clientCertFile.isEmpty(); }
    bool hasCaFile() const { return !m_caFile.isEmpty(); }
    const QString& caFile() const { return m_caFile; }
    const QString& proxySetting() const { return m_proxy; }
    bool hasProxyPassword() const { return !m_proxyPassword.isEmpty(); }
    ProxyChoice proxyFor(const QUrl& target) const;
    // Equal for equal settings; a connection pool is never shared between two different ones, so a
    // connection opened with one environment's client certificate never serves another environment.
    const QString& identity() const { return m_identity; }

private:
    QString m_caFile;
    QString m_clientCertFile;
    QString m_proxy;
    QString m_proxyPassword;
    QString m_error;
    QString m_identity;
    bool m_hasTls = false;
    QSslConfiguration m_tls;
};

} // namespace keyway
