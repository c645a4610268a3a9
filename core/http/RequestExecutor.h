#pragma once

#include "core/http/HttpMessage.h"

#include <QHash>
#include <QObject>

#include <functional>

class QNetworkAccessManager;
class QNetworkProxy;

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
    // Deletes it now (a command line calls this before its application object goes), so its connections
    // close while Qt can still close them cleanly; the next forCurrentThread() makes a new one.
    static void releaseForCurrentThread();

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
    // One manager (and so one connection pool) per connection identity and proxy: a TLS connection
    // opened with one environment's client certificate never serves another environment.
    QNetworkAccessManager* manager(const QString& key, const QNetworkProxy& proxy);

    Options m_options;
    QHash<QString, QNetworkAccessManager*> m_managers;
};

} // namespace keyway
