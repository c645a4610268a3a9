// RequestExecutor over real loopback TCP: credentials never follow a redirect to another origin,
// the response-size cap and the overall deadline end a request with a clear error.
#include "core/http/RequestExecutor.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace keyway;

namespace {

// A tiny HTTP server: records each request's head and answers with a canned reply (or nothing).
class TinyServer : public QObject
{
public:
    QByteArray reply; // empty = never answer
    std::function<QByteArray(const QByteArray& head)> respond; // overrides `reply`
    QList<QByteArray> requests;

    TinyServer()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    QByteArray data = s->property("buf").toByteArray() + s->readAll();
                    s->setProperty("buf", data);
                    if (!data.contains("\r\n\r\n")) {
                        return;
                    }
                    s->setProperty("buf", QByteArray()); // keep-alive: the next request starts afresh
                    requests.append(data);
                    const QByteArray answer = respond ? respond(data) : reply;
                    if (!answer.isEmpty()) {
                        s->write(answer);
                    }
                });
            }
        });
    }
    QString url(const QString& path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }

private:
    QTcpServer m_server;
};

QByteArray redirectTo(const QString& location)
{
    return "HTTP/1.1 302 Found\r\nLocation: " + location.toUtf8() + "\r\nContent-Length: 0\r\n\r\n";
}

HttpResponse send(RequestExecutor& executor, const HttpRequest& request)
{
    QEventLoop loop;
    HttpResponse out;
    executor.send(request, [&](const HttpResponse& r) {
        out = r;
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    return out;
}

HttpRequest withCredentials(const QString& url)
{
    HttpRequest request;
    request.url = QUrl(url);
    request.headers.append(qMakePair(QByteArray("Authorization"), QByteArray("Bearer canary-token-1234")));
    request.headers.append(qMakePair(QByteArray("x-access-token"), QByteArray("canary-token-5678")));
    request.headers.append(qMakePair(QByteArray("X-Trace"), QByteArray("kept")));
    request.credentialHeaders.append("x-access-token");
    return request;
}

const QByteArray okReply = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";

} // namespace

class TestFlowExecutor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void crossOriginRedirectDropsCredentials()
    {
        TinyServer target;
        target.reply = okReply;
        TinyServer origin;
        origin.reply = redirectTo(target.url(QStringLiteral("/landed")));
        RequestExecutor executor;
        const HttpResponse r = send(executor, withCredentials(origin.url(QStringLiteral("/start"))));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("ok"));
        QCOMPARE(target.requests.size(), 1);
        const QByteArray head = target.requests.first().toLower();
        QVERIFY(head.startsWith("get /landed"));
        QVERIFY(!head.contains("canary-token"));
        QVERIFY(!head.contains("authorization"));
        QVERIFY(head.contains("x-trace: kept"));
        QVERIFY(origin.requests.first().contains("canary-token-1234"));
    }

    void sameOriginRedirectKeepsCredentials()
    {
        TinyServer server;
        server.respond = [&server](const QByteArray& head) {
            return head.startsWith("GET /first") ? redirectTo(server.url(QStringLiteral("/second"))) : okReply;
        };
        RequestExecutor executor;
        const HttpResponse r = send(executor, withCredentials(server.url(QStringLiteral("/first"))));
        QCOMPARE(r.status, 200);
        QCOMPARE(server.requests.size(), 2);
        QVERIFY(server.requests.at(1).startsWith("GET /second"));
        QVERIFY(server.requests.at(1).contains("Bearer canary-token-1234"));
    }

    void sizeCapEndsTheRequest()
    {
        TinyServer server;
        server.reply = "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n" + QByteArray(4096, 'x');
        RequestExecutor::Options options;
        options.maxResponseBytes = 1024;
        RequestExecutor executor(options);
        const HttpResponse r = send(executor, withCredentials(server.url(QStringLiteral("/big"))));
        QCOMPARE(r.error, HttpResponse::Error::TooLarge);
        QVERIFY(r.errorText.contains(QStringLiteral("limit")));
    }

    void deadlineEndsASilentServer()
    {
        TinyServer server; // never answers
        RequestExecutor::Options options;
        options.deadlineMs = 300;
        RequestExecutor executor(options);
        const HttpResponse r = send(executor, withCredentials(server.url(QStringLiteral("/silent"))));
        QCOMPARE(r.error, HttpResponse::Error::Timeout);
        QCOMPARE(r.status, 0);
        QVERIFY(!r.transportOk());
    }

    // Cancel in the composer: the request is aborted at once, not left to finish in the background.
    void abortAllCancelsRequestsInFlight()
    {
        TinyServer server; // never answers
        RequestExecutor executor;
        QTimer::singleShot(50, &executor, &RequestExecutor::abortAll);
        QElapsedTimer timer;
        timer.start();
        const HttpResponse r = send(executor, withCredentials(server.url(QStringLiteral("/silent"))));
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(r.error, HttpResponse::Error::Network);
        QCOMPARE(r.errorText, QStringLiteral("cancelled"));
        QCOMPARE(r.status, 0);
    }
};

QTEST_GUILESS_MAIN(TestFlowExecutor)
#include "tst_flowexecutor.moc"
