#pragma once

#include "core/http/HttpMessage.h"
#include "core/http/ProxyResolver.h"

#include <QCoreApplication>
#include <QNetworkReply>
#include <QSslError>

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
    };

    // Fills response.failure and response.errorText.
    static void classify(const Input& input, HttpResponse* response);

    // A stable name for scripts (--json): dns, connection_refused, tls, proxy_refused, proxy_auth,
    // timeout, deadline, settings, other; empty for None.
    static QString name(HttpResponse::Failure failure);
    // A few words for a heading: "DNS failure", "TLS handshake failed", ...
    static QString title(HttpResponse::Failure failure);
};

} // namespace keyway
