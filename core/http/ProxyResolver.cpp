#include "core/http/ProxyResolver.h"

#include <QHostAddress>

namespace keyway {

namespace {

// curl reads the lower-case variable first, then the upper-case one.
QString variable(const QProcessEnvironment& variables, const QString& lowerName, QString* usedName)
{
    for (const QString& name : {lowerName, lowerName.toUpper()}) {
        const QString value = variables.value(name).trimmed();
        if (!value.isEmpty()) {
            *usedName = name;
            return value;
        }
    }
    return {};
}

} // namespace

std::optional<QNetworkProxy> ProxyResolver::parse(const QString& text, QString* error)
{
    QString trimmed = text.trimmed();
    if (!trimmed.contains(QStringLiteral("://"))) {
        trimmed.prepend(QStringLiteral("http://"));
    }
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty()) {
        *error = tr("'%1' is not a proxy address; write it as http://host:port")
                     .arg(url.toDisplayString(QUrl::RemovePassword));
        return std::nullopt;
    }
    QNetworkProxy proxy;
    if (scheme == QLatin1String("http")) {
        proxy.setType(QNetworkProxy::HttpProxy);
        proxy.setPort(static_cast<quint16>(url.port(1080)));
    } else if (scheme == QLatin1String("socks5") || scheme == QLatin1String("socks5h")) {
        proxy.setType(QNetworkProxy::Socks5Proxy);
        proxy.setPort(static_cast<quint16>(url.port(1080)));
    } else {
        *error = tr("proxies of the kind %1:// are not supported; use an http:// or socks5:// proxy").arg(scheme);
        return std::nullopt;
    }
    proxy.setHostName(url.host());
    proxy.setUser(url.userName(QUrl::FullyDecoded));
    proxy.setPassword(url.password(QUrl::FullyDecoded));
    return proxy;
}

bool ProxyResolver::bypasses(const QString& noProxy, const QUrl& target)
{
    const QString host = target.host().toLower();
    const QHostAddress address(host);
    for (QString entry : noProxy.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        entry = entry.trimmed().toLower();
        if (entry.isEmpty()) {
            continue;
        }
        if (entry == QLatin1String("*")) {
            return true;
        }
        if (entry.startsWith(QLatin1Char('[')) && entry.endsWith(QLatin1Char(']'))) {
            entry = entry.mid(1, entry.size() - 2);
        }
        if (!address.isNull() && entry.contains(QLatin1Char('/'))) {
            const auto subnet = QHostAddress::parseSubnet(entry);
            if (!subnet.first.isNull() && address.isInSubnet(subnet)) {
                return true;
            }
            continue;
        }
        if (!address.isNull()) {
            if (QHostAddress(entry) == address) {
                return true;
            }
            continue;
        }
        while (entry.startsWith(QLatin1Char('.'))) {
            entry.remove(0, 1);
        }
        if (host == entry || host.endsWith(QLatin1Char('.') + entry)) {
            return true;
        }
    }
    return false;
}

QString ProxyResolver::display(const QNetworkProxy& proxy)
{
    const QString scheme
        = proxy.type() == QNetworkProxy::Socks5Proxy ? QStringLiteral("socks5") : QStringLiteral("http");
    const QString user = proxy.user().isEmpty() ? QString() : proxy.user() + QLatin1Char('@');
    return QStringLiteral("%1://%2%3:%4").arg(scheme, user, proxy.hostName()).arg(proxy.port());
}

ProxyChoice ProxyResolver::resolve(const QUrl& target,
                                   const QString& environmentProxy,
                                   const QString& password,
                                   const QProcessEnvironment& variables)
{
    ProxyChoice choice;
    const QString own = environmentProxy.trimmed();
    if (own.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
        return choice;
    }
    QString text = own;
    QString source = QStringLiteral("proxy");
    if (text.isEmpty()) {
        QString ignored;
        if (bypasses(variable(variables, QStringLiteral("no_proxy"), &ignored), target)) {
            return choice;
        }
        const bool https = target.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
        text = variable(variables, https ? QStringLiteral("https_proxy") : QStringLiteral("http_proxy"), &source);
        if (text.isEmpty()) {
            text = variable(variables, QStringLiteral("all_proxy"), &source);
        }
        if (text.isEmpty()) {
            return choice;
        }
    }
    QString error;
    const std::optional<QNetworkProxy> proxy = parse(text, &error);
    if (!proxy) {
        // An unusable variable is not silently skipped: going direct could go around a proxy the
        // network requires, so the request fails and the message names the variable.
        choice.source = source;
        choice.error = tr("the proxy in %1 cannot be used: %2").arg(source, error);
        return choice;
    }
    choice.proxy = *proxy;
    if (source == QLatin1String("proxy") && !password.isEmpty()) {
        choice.proxy.setPassword(password);
    }
    choice.source = source;
    choice.display = display(choice.proxy);
    return choice;
}

} // namespace keyway
