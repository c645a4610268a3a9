#include "core/http/NetworkDiagnosis.h"

#include "core/http/ConnectionSettings.h"
#include "core/http/TlsDiagnosis.h"

#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace keyway {

namespace {

QString hostPort(const QUrl& url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return QStringLiteral("%1:%2").arg(url.host()).arg(port);
}

QString proxySource(const ProxyChoice& proxy)
{
    return proxy.source == QLatin1String("proxy") ? NetworkDiagnosis::tr("the environment's proxy setting")
                                                  : NetworkDiagnosis::tr("the variable %1").arg(proxy.source);
}

} // namespace

bool NetworkDiagnosis::tunnelMayHaveBeenRefused(const Input& input)
{
    return input.proxy.proxy.type() == QNetworkProxy::HttpProxy && input.target.scheme() == QLatin1String("https")
        && (input.error == QNetworkReply::UnknownNetworkError || input.error == QNetworkReply::UnknownProxyError
            || input.error == QNetworkReply::ProxyConnectionClosedError);
}

void NetworkDiagnosis::probeTunnel(const QNetworkProxy& proxy,
                                   const QUrl& target,
                                   QObject* context,
                                   std::function<void(int status)> done)
{
    auto* socket = new QTcpSocket(context);
    socket->setProxy(QNetworkProxy::NoProxy);
    auto finished = std::make_shared<bool>(false);
    auto finish = [socket, finished, done = std::move(done)](int status) {
        if (*finished) {
            return;
        }
        *finished = true;
        socket->abort();
        socket->deleteLater();
        done(status);
    };
    const QByteArray authority = QStringLiteral("%1:%2").arg(target.host()).arg(target.port(443)).toUtf8();
    QByteArray request = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
    if (!proxy.user().isEmpty()) {
        // The same credentials Qt sent, to the same proxy.
        const QByteArray pair = proxy.user().toUtf8() + ':' + proxy.password().toUtf8();
        request += "Proxy-Authorization: Basic " + pair.toBase64() + "\r\n";
    }
    request += "\r\n";
    QObject::connect(socket, &QTcpSocket::connected, socket, [socket, request] { socket->write(request); });
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, finish] {
        if (!socket->canReadLine()) {
            return;
        }
        // "HTTP/1.1 407 Proxy Authentication Required"
        const QList<QByteArray> parts = socket->readLine().simplified().split(' ');
        finish(parts.size() >= 2 ? parts.at(1).toInt() : 0);
    });
    // -1: the proxy itself cannot be reached.
    QObject::connect(socket, &QTcpSocket::errorOccurred, socket, [finish] { finish(-1); });
    QTimer::singleShot(5000, socket, [finish] { finish(0); });
    socket->connectToHost(proxy.hostName(), proxy.port());
}

QString NetworkDiagnosis::name(HttpResponse::Failure failure)
{
    switch (failure) {
    case HttpResponse::Failure::None:
        return {};
    case HttpResponse::Failure::Dns:
        return QStringLiteral("dns");
    case HttpResponse::Failure::ConnectionRefused:
        return QStringLiteral("connection_refused");
    case HttpResponse::Failure::Tls:
        return QStringLiteral("tls");
    case HttpResponse::Failure::ProxyRefused:
        return QStringLiteral("proxy_refused");
    case HttpResponse::Failure::ProxyAuth:
        return QStringLiteral("proxy_auth");
    case HttpResponse::Failure::Timeout:
        return QStringLiteral("timeout");
    case HttpResponse::Failure::Deadline:
        return QStringLiteral("deadline");
    case HttpResponse::Failure::Settings:
        return QStringLiteral("settings");
    case HttpResponse::Failure::Other:
        break;
    }
    return QStringLiteral("other");
}

QString NetworkDiagnosis::title(HttpResponse::Failure failure)
{
    switch (failure) {
    case HttpResponse::Failure::None:
        return {};
    case HttpResponse::Failure::Dns:
        return tr("Unreachable: host name not found (DNS)");
    case HttpResponse::Failure::ConnectionRefused:
        return tr("Unreachable: connection refused");
    case HttpResponse::Failure::Tls:
        return tr("Unreachable: TLS handshake failed");
    case HttpResponse::Failure::ProxyRefused:
        return tr("Unreachable: the proxy refused");
    case HttpResponse::Failure::ProxyAuth:
        return tr("Unreachable: the proxy requires authentication");
    case HttpResponse::Failure::Timeout:
        return tr("Unreachable: no reply in time");
    case HttpResponse::Failure::Deadline:
        return tr("Unreachable: the deadline passed");
    case HttpResponse::Failure::Settings:
        return tr("Unreachable: the connection settings cannot be used");
    case HttpResponse::Failure::Other:
        break;
    }
    return tr("Unreachable");
}

void NetworkDiagnosis::classify(const Input& in, HttpResponse* response)
{
    const QString where = hostPort(in.target);
    const QString proxy = in.proxy.display;
    using F = HttpResponse::Failure;
    if (!in.sslErrors.isEmpty()) {
        response->failure = F::Tls;
        response->errorText = TlsDiagnosis::describeErrors(where, in.sslErrors, in.chain, in.settings);
        return;
    }
    // Some proxies (tinyproxy) answer wrong credentials with 401 instead of 407.
    const bool tunnelNeedsCredentials = in.tunnelStatus == 407 || in.tunnelStatus == 401;
    if (in.tunnelStatus == -1) {
        response->failure = F::ProxyRefused;
        response->errorText = tr("The proxy %1 (from %2) could not be reached: %3. Check the proxy address, or set "
                                 "proxy to none for this environment if it needs no proxy.")
                                  .arg(proxy, proxySource(in.proxy), in.errorString);
        return;
    }
    if (in.tunnelStatus >= 400 && !tunnelNeedsCredentials) {
        response->failure = F::ProxyRefused;
        response->errorText = tr("The proxy %1 (from %2) refused the tunnel to %3 with HTTP %4. Ask its operator to "
                                 "allow that host and port, or set proxy to none for this environment if it needs no "
                                 "proxy.")
                                  .arg(proxy, proxySource(in.proxy), where)
                                  .arg(in.tunnelStatus);
        return;
    }
    const bool proxyError = in.error == QNetworkReply::ProxyAuthenticationRequiredError
        || in.error == QNetworkReply::UnknownProxyError || in.error == QNetworkReply::ProxyConnectionClosedError
        || in.error == QNetworkReply::ProxyConnectionRefusedError;
    const bool proxyAuth = (proxyError && in.proxyAskedForCredentials) || tunnelNeedsCredentials;
    switch (proxyAuth ? QNetworkReply::ProxyAuthenticationRequiredError : in.error) {
    case QNetworkReply::HostNotFoundError:
        response->failure = F::Dns;
        response->errorText = tr("the host name %1 could not be resolved (DNS)").arg(in.target.host());
        return;
    case QNetworkReply::ConnectionRefusedError:
        response->failure = F::ConnectionRefused;
        response->errorText = tr("%1 refused the connection (nothing listens there)").arg(where);
        return;
    case QNetworkReply::SslHandshakeFailedError:
        response->failure = F::Tls;
        response->errorText = TlsDiagnosis::describeHandshakeFailure(where, in.errorString, in.settings);
        return;
    case QNetworkReply::ProxyAuthenticationRequiredError: {
        response->failure = F::ProxyAuth;
        const bool hadPassword = in.proxy.source == QLatin1String("proxy")
            ? (in.settings && in.settings->hasProxyPassword())
            : !in.proxy.proxy.password().isEmpty();
        response->errorText = hadPassword
            ? tr("The proxy %1 (from %2) refused the user name or password (HTTP 407). Check the user in the proxy "
                 "address and the secret proxy_password.")
                  .arg(proxy, proxySource(in.proxy))
            : tr("The proxy %1 (from %2) requires authentication (HTTP 407). Set the proxy as http://user@host:port "
                 "and store the password as the secret proxy_password.")
                  .arg(proxy, proxySource(in.proxy));
        return;
    }
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::UnknownProxyError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
        response->failure = F::ProxyRefused;
        response->errorText = tr("The proxy %1 (from %2) could not be used: %3. Check the proxy address, or set "
                                 "proxy to none for this environment if it needs no proxy.")
                                  .arg(proxy, proxySource(in.proxy), in.errorString);
        return;
    case QNetworkReply::RemoteHostClosedError:
        if (in.tlsHandshakeUnfinished && in.proxy.direct()) {
            // Some servers (Qt's among them) drop a client without the certificate they demand and send no
            // alert; a close before the TLS session came up is a handshake failure all the same.
            response->failure = F::Tls;
            response->errorText = TlsDiagnosis::describeClosedHandshake(where, in.settings);
            return;
        }
        break;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        response->failure = F::Timeout;
        response->errorText = tr("%1 sent nothing for too long (%2)").arg(where, in.errorString);
        return;
    default:
        break;
    }
    if (in.target.scheme() == QLatin1String("https")
        && (in.errorString.contains(QLatin1String("SSL routines"))
            || in.errorString.contains(QLatin1String(" alert ")))) {
        // TLS 1.3 ends the handshake before the server checked the client certificate: its refusal arrives as
        // an alert on the first read.
        response->failure = F::Tls;
        response->errorText = TlsDiagnosis::describeHandshakeFailure(where, in.errorString, in.settings);
        return;
    }
    if (!in.proxy.direct() && in.error == QNetworkReply::UnknownProxyError) {
        response->failure = F::ProxyRefused;
        response->errorText
            = tr("The proxy %1 (from %2) could not be used: %3.").arg(proxy, proxySource(in.proxy), in.errorString);
        return;
    }
    response->failure = F::Other;
    response->errorText = in.errorString;
}

} // namespace keyway
