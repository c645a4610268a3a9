#pragma once

#include <QCoreApplication>
#include <QNetworkProxy>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <optional>

namespace keyway {

// The proxy one request goes through, and where that choice came from (so an error can say which
// setting to change).
struct ProxyChoice
{
    QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    QString source; // "proxy" (the environment's key), "https_proxy", "ALL_PROXY", ...; empty: direct
    QString display; // scheme://[user@]host:port, never a password
    QString error; // a proxy variable that cannot be used: the request fails with this rather than go direct

    bool direct() const { return proxy.type() == QNetworkProxy::NoProxy; }
};

// Chooses the proxy as curl does: the environment's own `proxy` key first (`none` = never a proxy);
// without it the variables http_proxy (for http://), https_proxy (for https://), then all_proxy, each
// in lower or upper case (lower wins), unless no_proxy / NO_PROXY names the host.
class ProxyResolver
{
    Q_DECLARE_TR_FUNCTIONS(keyway::ProxyResolver)

public:
    // `environmentProxy` is the `proxy` key's value (may be empty or `none`); `password` its secret.
    static ProxyChoice resolve(const QUrl& target,
                               const QString& environmentProxy,
                               const QString& password,
                               const QProcessEnvironment& variables = QProcessEnvironment::systemEnvironment());

    // Parses a proxy URL ("host:port" means http://host:port). Nullopt with a message for a scheme Qt
    // cannot speak (https:// or socks4 proxies) or a missing host.
    static std::optional<QNetworkProxy> parse(const QString& text, QString* error);

    // curl's no_proxy rules: "*" matches every host; otherwise a comma-separated list of host names
    // (matching the host and its subdomains; a leading dot is ignored), IP addresses and CIDR ranges.
    static bool bypasses(const QString& noProxy, const QUrl& target);

    // "http://user@host:port" for messages: the password never shows.
    static QString display(const QNetworkProxy& proxy);
};

} // namespace keyway
