#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <functional>

namespace keyway::test {

// One finished HTTP exchange, for tests that talk to the sandbox.
struct HttpExchange
{
    int status = 0; // 0 when no HTTP reply arrived
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError; // empty unless the exchange failed below HTTP
    qint64 elapsedMs = 0;

    QByteArray header(const QByteArray& name) const; // case-insensitive
};

// Sends one request and waits for the reply (redirects are not followed). `verb` is GET, POST...
HttpExchange httpExchange(QNetworkAccessManager& nam,
                          const QByteArray& verb,
                          const QUrl& url,
                          const QByteArray& body = {},
                          const QList<QPair<QByteArray, QByteArray>>& headers = {},
                          int timeoutMs = 10000);

// Plays the user's browser for authorization-code tests: follows the authorization URL's
// redirects with cookies like a browser, submits the sandbox login form with the demo user
// (or refuses, or types a wrong password), and returns the final redirect URL
// (http://127.0.0.1:<port>/callback?code=..&state=..), optionally also delivering it with a GET
// to that loopback URL, as the real browser would.
class SandboxBrowser : public QObject
{
    Q_OBJECT
public:
    enum class Decision { Approve, Deny };

    struct Result
    {
        QUrl finalUrl; // the redirect to the callback; empty when the browser never got there
        bool sawLoginPage = false; // a form with a password field was shown
        int loginPagesShown = 0;
        bool delivered = false; // the callback URL answered the GET
        QString error; // why it stopped early
        bool ok() const { return error.isEmpty() && finalUrl.isValid(); }
    };

    explicit SandboxBrowser(QObject* parent = nullptr);

    void setCredentials(const QString& username, const QString& password);
    void setDecision(Decision decision) { m_decision = decision; }
    void clearCookies(); // a fresh browser profile: no session

    // Asynchronous: `done` runs when the browser reached the callback or gave up.
    void start(const QUrl& authorizationUrl, bool deliver, std::function<void(const Result&)> done);
    // Synchronous wrapper for tests (spins an event loop).
    Result run(const QUrl& authorizationUrl, bool deliver = false, int timeoutMs = 15000);
    // For the flow engine's injected "open this URL" function: plays the browser and delivers.
    std::function<void(const QUrl&)> opener(bool deliver = true);

    const Result& lastResult() const { return m_result; }
    QNetworkAccessManager& network() { return m_nam; }

private:
    void visit(const QByteArray& verb, const QUrl& url, const QByteArray& formBody, int hops);
    void finish();

    QNetworkAccessManager m_nam;
    QString m_username;
    QString m_password;
    Decision m_decision = Decision::Approve;
    bool m_deliver = false;
    Result m_result;
    std::function<void(const Result&)> m_done;
};

} // namespace keyway::test
