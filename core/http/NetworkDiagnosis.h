#pragma once

#include "core/http/HttpMessage.h"
#include "core/http/ProxyResolver.h"

#include <QCoreApplication>
#include <QNetworkReply>
#include <QSslError>

#include <functional>

namespace keyway {

class ConnectionSettings;

// Tells why a request got no reply, in words that say which of the usual causes it was (DNS,
// connection refused, TLS handshake, proxy refusal, proxy authentication, timeout) and what to change.
class NetworkDiagnosis
{
    Q_DECLARE_TR_FUNCTIONS(keyway::NetworkDiagnosis)

public:
    struct Input
    {
        QUrl target;
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QString errorString; // Qt's text
        ProxyChoice proxy;
        const ConnectionSettings* settings = nullptr;
        QList<QSslError> sslErrors;
        QList<QSslCertificate> chain;
        bool proxyAskedForCredentials = false; // the proxy answered 407 on this connection
        // An HTTPS request whose TLS session never came up (no cipher agreed) when the connection ended.
        bool tlsHandshakeUnfinished = false;
        int tunnelStatus = 0; // the proxy's answer to a CONNECT of our own (probeTunnel), 0 unknown, -1 unreachable
    };

    // True when an HTTPS request through an HTTP proxy failed in a way Qt does not explain (a refused
    // CONNECT looks like a broken proxy).
    static bool tunnelMayHaveBeenRefused(const Input& input);
    // Asks `proxy` for a tunnel to the target as Qt would (with the proxy's credentials, if any) and
    // calls `done` with the status it answers (407, 403, 200...), 0 when it does not answer in 5 s, -1 when
    // the proxy cannot be reached at all.
    static void
    probeTunnel(const QNetworkProxy& proxy, const QUrl& target, QObject* context, std::function<void(int status)> done);

    // Fills response.failure and response.errorText.
    static void classify(const Input& input, HttpResponse* response);

    // A stable name for scripts (--json): dns, connection_refused, tls, proxy_refused, proxy_auth,
    // timeout, deadline, settings, other; empty for None.
    static QString name(HttpResponse::Failure failure);
    // A few words for a heading: "DNS failure", "TLS handshake failed", ...
    static QString title(HttpResponse::Failure failure);
};

} // namespace keyway
