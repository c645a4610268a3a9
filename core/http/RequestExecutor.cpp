#include "core/http/RequestExecutor.h"

#include "core/http/ConnectionSettings.h"
#include "core/http/NetworkDiagnosis.h"
#include "core/util/Logging.h"
#include "core/util/Preferences.h"

#include <QAuthenticator>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslCipher>
#include <QSslError>
#include <QThread>
#include <QThreadStorage>
#include <QTimer>

#include <memory>
#include <utility>

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

// Errors of the connection itself (refused, reset, timeout, TLS, proxy, a broken HTTP stream) as opposed
// to an HTTP status Qt also reports as an error (4xx is 201-299, 5xx is 401-499). A reset after the
// headers still leaves a status: such a reply is cut short and must never be taken as complete.
bool isTransportError(QNetworkReply::NetworkError error)
{
    const int code = static_cast<int>(error);
    // Qt files an HTTP 400 reply under ProtocolInvalidOperationError: that is the server answering, not a break.
    return (code > 0 && code < 200)
        || (code >= 300 && code < 400 && error != QNetworkReply::ProtocolInvalidOperationError);
}

// How much of the body arrived: kept whole, or streamed to the request's sink.
qint64 receivedBytes(const HttpResponse& response)
{
    return response.streamedBytes >= 0 ? response.streamedBytes : response.body.size();
}

// The Content-Length of an uncompressed reply, or -1 when the length is not known up front.
qint64 declaredLength(const HttpResponse& response)
{
    const QByteArray encoding = response.header("Content-Encoding").trimmed().toLower();
    const QByteArray length = response.header("Content-Length").trimmed();
    if (length.isEmpty() || (!encoding.isEmpty() && encoding != "identity") || response.status == 204
        || response.status == 304) {
        return -1;
    }
    bool ok = false;
    const qint64 value = length.toLongLong(&ok);
    return ok ? value : -1;
}

constexpr const char* proxyAskedProperty = "keywayProxyAskedForCredentials";

struct ExecutorHolder
{
    QPointer<RequestExecutor> executor;
    ~ExecutorHolder() { delete executor.data(); }
};

QThreadStorage<ExecutorHolder*>& executorStorage()
{
    static QThreadStorage<ExecutorHolder*> storage;
    return storage;
}

} // namespace

RequestExecutor::RequestExecutor(QObject* parent) : QObject(parent)
{
    m_options.deadlineMs = Preferences::requestTimeoutSeconds() * 1000;
}

RequestExecutor::RequestExecutor(const Options& options, QObject* parent) : QObject(parent), m_options(options) { }

RequestExecutor* RequestExecutor::forCurrentThread()
{
    if (!executorStorage().hasLocalData() || !executorStorage().localData()->executor) {
        auto* holder = new ExecutorHolder;
        holder->executor = new RequestExecutor();
        QCoreApplication* app = QCoreApplication::instance();
        if (app && app->thread() == QThread::currentThread()) {
            // Its TLS connections must close while Qt's TLS backend still exists: closing them while the
            // application object is being destroyed logs a warning on every HTTPS command.
            connect(app, &QCoreApplication::aboutToQuit, holder->executor.data(), &QObject::deleteLater);
        }
        executorStorage().setLocalData(holder);
    }
    return executorStorage().localData()->executor.data();
}

void RequestExecutor::releaseForCurrentThread()
{
    if (executorStorage().hasLocalData()) {
        delete executorStorage().localData()->executor.data();
    }
}

QNetworkAccessManager* RequestExecutor::manager(const QString& key, const QNetworkProxy& proxy)
{
    QNetworkAccessManager*& manager = m_managers[key];
    if (!manager) {
        manager = new QNetworkAccessManager(this);
        // Redirects are followed by hand (sendHop) so credential headers can be stripped per hop.
        manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        manager->setAutoDeleteReplies(false);
        // Always explicit (NoProxy included): the proxy was chosen by ProxyResolver, never by Qt's own
        // application-wide or system settings.
        manager->setProxy(proxy);
        // Qt gives a refused CONNECT the same error as a broken proxy; this tells the two apart. The
        // credentials are never filled in here: they were in the proxy already, so a second ask means wrong.
        connect(manager,
                &QNetworkAccessManager::proxyAuthenticationRequired,
                manager,
                [manager](const QNetworkProxy&, QAuthenticator*) { manager->setProperty(proxyAskedProperty, true); });
    }
    return manager;
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
    static const ConnectionPtr systemDefault = ConnectionSettings::systemDefault();
    const ConnectionPtr connection = request.connection ? request.connection : systemDefault;
    const ProxyChoice proxy = connection->proxyFor(request.url);
    const QString settingsError = !connection->error().isEmpty() ? connection->error() : proxy.error;
    if (!settingsError.isEmpty()) {
        // The environment's connection settings cannot be used: no request goes out without them.
        HttpResponse response;
        response.finalUrl = request.url;
        response.error = HttpResponse::Error::Network;
        response.failure = HttpResponse::Failure::Settings;
        response.errorText = settingsError;
        QTimer::singleShot(0, this, [done = std::move(done), response] { done(response); });
        return;
    }

    QNetworkRequest qreq(request.url);
    if (connection->hasTls() && request.url.scheme() == QLatin1String("https")) {
        qreq.setSslConfiguration(connection->tls());
    }
    for (const auto& [name, value] : std::as_const(request.headers)) {
        qreq.setRawHeader(name, value);
    }
    qreq.setTransferTimeout(m_options.transferTimeoutMs);
    qreq.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    qreq.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    qreq.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    qreq.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    // A compressed reply counts against the cap by what it unpacks to: a 10 kB gzip bomb is refused
    // before it fills memory (Qt checks the ratio once the output passes this threshold).
    qreq.setDecompressedSafetyCheckThreshold(std::min<qint64>(m_options.maxResponseBytes, 10LL * 1024 * 1024));

    const QString managerKey = connection->identity() + QLatin1Char('|') + QString::number(proxy.proxy.type())
        + QLatin1Char('|') + proxy.proxy.hostName() + QLatin1Char(':') + QString::number(proxy.proxy.port())
        + QLatin1Char('|') + proxy.proxy.user() + QLatin1Char('|') + proxy.proxy.password();
    QNetworkAccessManager* nam = manager(managerKey, proxy.proxy);
    QNetworkReply* reply = nullptr;
    if (request.method == "GET" && request.body.isEmpty()) {
        reply = nam->get(qreq);
    } else {
        reply = nam->sendCustomRequest(qreq, request.method, request.body);
    }

    struct State
    {
        HttpResponse::Error error = HttpResponse::Error::None;
        QString errorText;
        bool finished = false;
        bool deadline = false;
        QList<QSslError> sslErrors;
        QList<QSslCertificate> chain;
        QByteArray body; // what arrived so far, taken from the reply as it comes
        // Streaming to request.bodySink: undecided until StreamAfterBytes have arrived, then on or off.
        enum class Stream { Undecided, On, Off } stream = Stream::Undecided;
        QByteArray head; // a streamed body's first StreamAfterBytes, kept for the verdict and history
        qint64 streamed = 0;
    };
    auto state = std::make_shared<State>();
    const qint64 remaining = m_options.deadlineMs - (monotonicMs() - startedMs);
    auto* deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    // The first verdict wins: a progress report or a timer that is already queued when the request is
    // aborted must not turn "too large" into "deadline" or back.
    connect(deadline, &QTimer::timeout, reply, [reply, state, this] {
        if (state->error != HttpResponse::Error::None) {
            return;
        }
        state->error = HttpResponse::Error::Timeout;
        state->errorText = tr("no complete reply within %1 s").arg(m_options.deadlineMs / 1000.0);
        state->deadline = true;
        reply->abort();
    });
    deadline->start(static_cast<int>(std::max<qint64>(1, remaining)));

    const qint64 cap = m_options.maxResponseBytes;
    const std::shared_ptr<ReplyBodySink> sink = request.bodySink;
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply, state, cap, sink](qint64 received, qint64 total) {
        // A reply that may still be streamed has no cap: it never sits in memory whole.
        if (sink && state->stream != State::Stream::Off) {
            return;
        }
        if ((received > cap || total > cap) && state->error == HttpResponse::Error::None) {
            state->error = HttpResponse::Error::TooLarge;
            state->errorText = tr("the reply is larger than the limit of %1").arg(QLocale::c().formattedDataSize(cap));
            reply->abort();
        }
    });
    // The body is taken as it arrives and counted here: downloadProgress is throttled by Qt (one signal per
    // 100 ms at most) and, for a chunked reply without a length that the peer writes in megabytes at once,
    // may not come again before the deadline, so it alone cannot enforce the cap. With a sink, a body that
    // passes StreamAfterBytes goes to the sink from then on instead (no cap: it never sits here whole).
    connect(reply, &QNetworkReply::readyRead, reply, [reply, state, cap, sink] {
        if (state->error != HttpResponse::Error::None) {
            return;
        }
        QByteArray bytes = reply->readAll(); // a buffered chunk is handed over whole, without a copy
        if (state->stream != State::Stream::On) {
            appendReplyBytes(state->body, bytes);
            if (sink && state->stream == State::Stream::Undecided
                && state->body.size() > ReplyBodySink::StreamAfterBytes) {
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                HeaderList headers;
                for (const auto& pair : reply->rawHeaderPairs()) {
                    headers.append(pair);
                }
                const QByteArray reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
                const bool redirect = status >= 300 && status < 400;
                state->stream
                    = !redirect && sink->begin(status, reason, headers) ? State::Stream::On : State::Stream::Off;
                if (state->stream == State::Stream::On) {
                    bytes = std::exchange(state->body, QByteArray());
                }
            }
            if (state->stream != State::Stream::On) {
                if (state->body.size() > cap) {
                    state->error = HttpResponse::Error::TooLarge;
                    state->errorText
                        = tr("the reply is larger than the limit of %1").arg(QLocale::c().formattedDataSize(cap));
                    state->body.clear();
                    reply->abort();
                }
                return;
            }
        }
        state->streamed += bytes.size();
        if (state->head.size() < ReplyBodySink::StreamAfterBytes) {
            state->head += bytes.left(ReplyBodySink::StreamAfterBytes - state->head.size());
        }
        if (!sink->write(bytes)) {
            state->error = HttpResponse::Error::Network;
            state->errorText = tr("the reply could not be written out");
            reply->abort();
        }
    });
    connect(this, &RequestExecutor::abortRequested, reply, [reply, state] {
        state->error = HttpResponse::Error::Network;
        state->errorText = tr("cancelled");
        reply->abort();
    });
    connect(reply, &QNetworkReply::sslErrors, reply, [reply, state](const QList<QSslError>& errors) {
        // Reported, never ignored: the request fails and the user sees why (NetworkDiagnosis).
        state->error = HttpResponse::Error::Tls;
        state->sslErrors = errors;
        state->chain = reply->sslConfiguration().peerCertificateChain();
    });

    connect(
        reply,
        &QNetworkReply::finished,
        this,
        [this,
         reply,
         state,
         connection,
         proxy,
         nam = QPointer<QNetworkAccessManager>(nam),
         request = std::move(request),
         done = std::move(done),
         redirectsLeft,
         startedMs]() mutable {
            reply->deleteLater();
            HttpResponse response;
            response.finalUrl = request.url;
            response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            response.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
            for (const auto& pair : reply->rawHeaderPairs()) {
                response.headers.append(pair);
            }
            if (state->stream == State::Stream::On) {
                const QByteArray rest = reply->isOpen() ? reply->readAll() : QByteArray();
                state->streamed += rest.size();
                if (!rest.isEmpty() && !request.bodySink->write(rest) && state->error == HttpResponse::Error::None) {
                    state->error = HttpResponse::Error::Network;
                    state->errorText = tr("the reply could not be written out");
                }
                request.bodySink->finish();
                response.body = state->head;
                response.streamedBytes = state->streamed;
            } else {
                response.body = std::move(state->body);
                if (reply->isOpen()) { // closed after abort()
                    appendReplyBytes(response.body, reply->readAll());
                }
            }
            response.elapsedMs = monotonicMs() - startedMs;
            const auto makeInput = [&] {
                NetworkDiagnosis::Input input;
                input.target = request.url;
                input.error = reply->error();
                input.errorString = reply->errorString();
                input.proxy = proxy;
                input.settings = connection.get();
                input.sslErrors = state->sslErrors;
                input.chain = state->chain;
                input.tlsHandshakeUnfinished = request.url.scheme() == QLatin1String("https")
                    && reply->sslConfiguration().sessionCipher().isNull();
                input.proxyAskedForCredentials = nam && nam->property(proxyAskedProperty).toBool();
                qCDebug(lcHttp) << "no reply, network error" << reply->error();
                return input;
            };
            const auto diagnose = [&] {
                NetworkDiagnosis::classify(makeInput(), &response);
                response.peerChain = state->chain;
            };
            if (state->error == HttpResponse::Error::Tls) {
                response.error = state->error;
                response.status = 0;
                diagnose();
            } else if (state->error != HttpResponse::Error::None) {
                response.error = state->error;
                response.errorText = state->errorText;
                if (state->deadline) {
                    response.failure = HttpResponse::Failure::Deadline;
                    response.errorText = tr("no complete reply within %1 s from %2 (the deadline)")
                                             .arg(m_options.deadlineMs / 1000.0)
                                             .arg(originOf(request.url));
                }
            } else if (reply->error() == QNetworkReply::UnknownContentError
                       && !response.header("Content-Encoding").isEmpty() && response.status >= 200
                       && response.status < 300) {
                // Qt's decompression safety check (or a corrupt stream): the body unpacks to far more than
                // was sent. Qt's own text for it is empty, so Keyway says what happened.
                response.error = HttpResponse::Error::TooLarge;
                response.errorText = tr("the compressed reply could not be unpacked safely (it unpacks to far more "
                                        "than was sent, a decompression bomb, or it is corrupt); it was refused");
            } else if (reply->error() != QNetworkReply::NoError
                       && (response.status == 0 || reply->error() == QNetworkReply::ProxyAuthenticationRequiredError)) {
                // No reply from the server (a 407 is the proxy's, not the server's): say which failure it was.
                response.error = reply->error() == QNetworkReply::OperationCanceledError
                        || reply->error() == QNetworkReply::TimeoutError
                    ? HttpResponse::Error::Timeout
                    : reply->error() == QNetworkReply::SslHandshakeFailedError ? HttpResponse::Error::Tls
                                                                               : HttpResponse::Error::Network;
                response.status = 0;
                if (NetworkDiagnosis::tunnelMayHaveBeenRefused(makeInput())) {
                    // Qt reports a tunnel the proxy refused (407, 403) like a broken proxy: ask it what it said.
                    NetworkDiagnosis::probeTunnel(
                        proxy.proxy,
                        request.url,
                        this,
                        [input = makeInput(), response, done = std::move(done)](int status) mutable {
                            input.tunnelStatus = status;
                            NetworkDiagnosis::classify(input, &response);
                            done(response);
                        });
                    return;
                }
                diagnose();
            } else if (reply->error() != QNetworkReply::NoError && isTransportError(reply->error())) {
                response.error = HttpResponse::Error::Network;
                response.errorText
                    = tr("the connection broke after %1 bytes of the reply (%2); the reply is incomplete")
                          .arg(receivedBytes(response))
                          .arg(reply->errorString());
            } else if (const qint64 declared = request.method == "HEAD" ? -1 : declaredLength(response);
                       declared >= 0 && receivedBytes(response) < declared) {
                // Qt can report a connection reset after the headers as a complete reply: the length the
                // server announced is the only proof the body is all there.
                response.error = HttpResponse::Error::Network;
                response.errorText
                    = tr("the connection broke after %1 of %2 bytes of the reply; the reply is incomplete")
                          .arg(receivedBytes(response))
                          .arg(declared);
            } else if (response.streamedBytes < 0 && response.body.size() > m_options.maxResponseBytes) {
                response.error = HttpResponse::Error::TooLarge;
                response.errorText = tr("the reply is larger than the limit of %1")
                                         .arg(QLocale::c().formattedDataSize(m_options.maxResponseBytes));
            }
            if (response.error != HttpResponse::Error::None) {
                response.body.clear(); // a reply cut short is never judged or shown as if it were complete
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
