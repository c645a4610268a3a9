#include "core/http/RequestExecutor.h"

#include "core/util/Logging.h"
#include "core/util/Preferences.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslError>
#include <QThreadStorage>
#include <QTimer>

#include <memory>

namespace keyway {

namespace {

qint64 monotonicMs()
{
    static QElapsedTimer timer;
    if (!timer.isValid()) {
        timer.start();
    }
    return timer.elapsed();
}

bool isCredentialHeader(const QByteArray& name, const QList<QByteArray>& extra)
{
    const QByteArray lower = name.toLower();
    if (lower == "authorization" || lower == "proxy-authorization" || lower == "cookie") {
        return true;
    }
    for (const auto& e : extra) {
        if (e.toLower() == lower) {
            return true;
        }
    }
    return false;
}

} // namespace

RequestExecutor::RequestExecutor(QObject* parent) : QObject(parent)
{
    m_options.deadlineMs = Preferences::requestTimeoutSeconds() * 1000;
}

RequestExecutor::RequestExecutor(const Options& options, QObject* parent) : QObject(parent), m_options(options) { }

RequestExecutor* RequestExecutor::forCurrentThread()
{
    static QThreadStorage<RequestExecutor*> storage;
    if (!storage.hasLocalData()) {
        storage.setLocalData(new RequestExecutor());
    }
    return storage.localData();
}

QNetworkAccessManager* RequestExecutor::manager()
{
    if (!m_manager) {
        m_manager = new QNetworkAccessManager(this);
        // Redirects are followed by hand (sendHop) so credential headers can be stripped per hop.
        m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        m_manager->setAutoDeleteReplies(false);
    }
    return m_manager;
}

void RequestExecutor::send(const HttpRequest& request, Callback done)
{
    sendHop(request, std::move(done), m_options.maxRedirects, monotonicMs());
}

void RequestExecutor::abortAll()
{
    Q_EMIT abortRequested();
}

void RequestExecutor::sendHop(HttpRequest request, Callback done, int redirectsLeft, qint64 startedMs)
{
    QNetworkRequest qreq(request.url);
    for (const auto& [name, value] : std::as_const(request.headers)) {
        qreq.setRawHeader(name, value);
    }
    qreq.setTransferTimeout(m_options.transferTimeoutMs);
    qreq.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    qreq.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    qreq.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    qreq.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);

    QNetworkReply* reply = nullptr;
    if (request.method == "GET" && request.body.isEmpty()) {
        reply = manager()->get(qreq);
    } else {
        reply = manager()->sendCustomRequest(qreq, request.method, request.body);
    }

    struct State
    {
        HttpResponse::Error error = HttpResponse::Error::None;
        QString errorText;
        bool finished = false;
    };
    auto state = std::make_shared<State>();
    const qint64 remaining = m_options.deadlineMs - (monotonicMs() - startedMs);
    auto* deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, [reply, state, this] {
        state->error = HttpResponse::Error::Timeout;
        state->errorText = tr("no complete reply within %1 s").arg(m_options.deadlineMs / 1000.0);
        reply->abort();
    });
    deadline->start(static_cast<int>(std::max<qint64>(1, remaining)));

    const qint64 cap = m_options.maxResponseBytes;
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply, state, cap](qint64 received, qint64 total) {
        if (received > cap || total > cap) {
            state->error = HttpResponse::Error::TooLarge;
            state->errorText = tr("the reply is larger than the %1 MB limit").arg(cap / (1024 * 1024));
            reply->abort();
        }
    });
    connect(this, &RequestExecutor::abortRequested, reply, [reply, state] {
        state->error = HttpResponse::Error::Network;
        state->errorText = tr("cancelled");
        reply->abort();
    });
    connect(reply, &QNetworkReply::sslErrors, reply, [state](const QList<QSslError>& errors) {
        // Reported, never ignored: the request fails and the user sees why.
        QStringList texts;
        for (const auto& e : errors) {
            texts.append(e.errorString());
        }
        state->error = HttpResponse::Error::Tls;
        state->errorText = tr("TLS error: %1").arg(texts.join(QStringLiteral("; ")));
    });

    connect(
        reply,
        &QNetworkReply::finished,
        this,
        [this, reply, state, request = std::move(request), done = std::move(done), redirectsLeft, startedMs]() mutable {
            reply->deleteLater();
            HttpResponse response;
            response.finalUrl = request.url;
            response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            response.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
            for (const auto& pair : reply->rawHeaderPairs()) {
                response.headers.append(pair);
            }
            response.body = reply->isOpen() ? reply->readAll() : QByteArray(); // closed after abort()
            response.elapsedMs = monotonicMs() - startedMs;
            if (state->error != HttpResponse::Error::None) {
                response.error = state->error;
                response.errorText = state->errorText;
                response.status = state->error == HttpResponse::Error::Tls ? 0 : response.status;
            } else if (reply->error() != QNetworkReply::NoError && response.status == 0) {
                response.error = reply->error() == QNetworkReply::OperationCanceledError
                        || reply->error() == QNetworkReply::TimeoutError
                    ? HttpResponse::Error::Timeout
                    : HttpResponse::Error::Network;
                response.errorText = reply->errorString();
            } else if (response.body.size() > m_options.maxResponseBytes) {
                response.error = HttpResponse::Error::TooLarge;
                response.errorText
                    = tr("the reply is larger than the %1 MB limit").arg(m_options.maxResponseBytes / (1024 * 1024));
            }
            const QByteArray location = response.header("Location");
            const bool isRedirect = response.error == HttpResponse::Error::None
                && (response.status == 301 || response.status == 302 || response.status == 303 || response.status == 307
                    || response.status == 308)
                && !location.isEmpty();
            if (!isRedirect) {
                qCDebug(lcHttp) << request.method << "status" << response.status << "in" << response.elapsedMs << "ms";
                done(response);
                return;
            }
            if (redirectsLeft <= 0) {
                response.error = HttpResponse::Error::Redirect;
                response.errorText = tr("too many redirects");
                done(response);
                return;
            }
            const QUrl target = request.url.resolved(QUrl::fromEncoded(location));
            if (request.url.scheme() == QLatin1String("https") && target.scheme() != QLatin1String("https")) {
                response.error = HttpResponse::Error::Redirect;
                response.errorText = tr("refused a redirect from HTTPS to %1").arg(target.scheme());
                done(response);
                return;
            }
            HttpRequest next = request;
            next.url = target;
            if (originOf(target) != originOf(request.url)) {
                if (!request.body.isEmpty() && (response.status == 307 || response.status == 308)) {
                    // The body may hold a client secret or a code: it never goes to another origin.
                    response.error = HttpResponse::Error::Redirect;
                    response.errorText
                        = tr("refused to resend the request body to another origin (%1)").arg(originOf(target));
                    done(response);
                    return;
                }
                // Never carry credentials to another origin.
                next.headers.removeIf(
                    [&](const auto& h) { return isCredentialHeader(h.first, request.credentialHeaders); });
            }
            if (response.status == 303
                || ((response.status == 301 || response.status == 302) && request.method == "POST")) {
                next.method = QByteArrayLiteral("GET");
                next.body.clear();
                removeHeader(next.headers, QByteArrayLiteral("Content-Type"));
            }
            sendHop(std::move(next), std::move(done), redirectsLeft - 1, startedMs);
        });
}

} // namespace keyway
