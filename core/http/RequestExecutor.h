#pragma once

#include "core/http/HttpMessage.h"

#include <QObject>

#include <functional>

class QNetworkAccessManager;

namespace keyway {

// Sends HTTP requests with the guarantees every Keyway exchange needs: a transfer timeout (no bytes
// for N ms) plus an overall deadline, a response-size cap, TLS errors reported (never ignored), and
// redirects followed by hand so credentials (Authorization, Cookie, the token header) never reach
// another origin. One QNetworkAccessManager per thread keeps connections alive between requests.
class RequestExecutor : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int transferTimeoutMs = 30'000;
        int deadlineMs = 30'000;
        qint64 maxResponseBytes = 256LL * 1024 * 1024;
        int maxRedirects = 5;
    };

    using Callback = std::function<void(const HttpResponse&)>;

    // Takes the overall deadline from the user's preferences (Preferences::requestTimeoutSeconds).
    explicit RequestExecutor(QObject* parent = nullptr);
    RequestExecutor(const Options& options, QObject* parent = nullptr);

    // The executor of the calling thread (created on first use, deleted when the thread ends).
    static RequestExecutor* forCurrentThread();

    void setOptions(const Options& options) { m_options = options; }
    const Options& options() const { return m_options; }
    // The overall deadline of each request from now on, redirects included (keyway-cli --max-time).
    void setDeadlineMs(int ms) { m_options.deadlineMs = ms; }

    // Calls `done` exactly once, on this thread, from the event loop.
    void send(const HttpRequest& request, Callback done);

    // Aborts every request of this executor still in flight; each `done` gets a Network error
    // "cancelled". A view that lets the user cancel owns its own executor, so nothing else is hit.
    void abortAll();

Q_SIGNALS:
    void abortRequested();

private:
    void sendHop(HttpRequest request, Callback done, int redirectsLeft, qint64 startedMs);
    QNetworkAccessManager* manager();

    Options m_options;
    QNetworkAccessManager* m_manager = nullptr;
};

} // namespace keyway
