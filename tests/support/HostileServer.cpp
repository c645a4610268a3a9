#include "tests/support/HostileServer.h"

#include <QFile>
#include <QPointer>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace keyway::test {

namespace {

QByteArray reasonOf(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 401:
        return "Unauthorized";
    case 502:
        return "Bad Gateway";
    default:
        return "Status";
    }
}

QByteArray tokenBody(const QByteArray& accessToken, const QByteArray& expiresIn = "3600")
{
    QByteArray body = "{\"token_type\":\"Bearer\"";
    if (!accessToken.isNull()) {
        body += ",\"access_token\":" + accessToken;
    }
    if (!expiresIn.isNull()) {
        body += ",\"expires_in\":" + expiresIn;
    }
    return body + '}';
}

const QByteArray kHtmlPage = "<!DOCTYPE html><html><head><title>Service unavailable</title></head>"
                             "<body><h1>Something went wrong</h1><p>Please try again later.</p></body></html>";

// 64 MB of zeros in about 64 kB of gzip; made once per process (at the first listen, so no request waits).
const QByteArray& gzipBomb()
{
    static const QByteArray bomb = [] {
        QProcess gzip;
        gzip.start(QStringLiteral("sh"),
                   {QStringLiteral("-c"), QStringLiteral("head -c 67108864 /dev/zero | gzip -1")});
        gzip.waitForFinished(30000);
        return gzip.readAllStandardOutput();
    }();
    return bomb;
}

} // namespace

HostileServer::HostileServer() = default;

HostileServer::~HostileServer() = default;

bool HostileServer::listen()
{
    if (gzipBomb().isEmpty()) {
        return false;
    }
    m_server = std::make_unique<QTcpServer>();
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket* socket = m_server->nextPendingConnection()) {
            onConnection(socket);
        }
    });
    return m_server->listen(QHostAddress::LocalHost, 0);
}

bool HostileServer::listenTls(const QString& workDir)
{
    const QString certPath = workDir + QStringLiteral("/hostile-cert.pem");
    const QString keyPath = workDir + QStringLiteral("/hostile-key.pem");
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"),
                   QStringLiteral("-x509"),
                   QStringLiteral("-newkey"),
                   QStringLiteral("ec"),
                   QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:prime256v1"),
                   QStringLiteral("-nodes"),
                   QStringLiteral("-days"),
                   QStringLiteral("2"),
                   QStringLiteral("-subj"),
                   QStringLiteral("/CN=127.0.0.1"),
                   QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=IP:127.0.0.1"),
                   QStringLiteral("-keyout"),
                   keyPath,
                   QStringLiteral("-out"),
                   certPath});
    if (!openssl.waitForFinished(20000) || openssl.exitCode() != 0) {
        return false;
    }
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        return false;
    }
    m_certificate = QSslCertificate(certFile.readAll(), QSsl::Pem);
    m_key = QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem);
    if (m_certificate.isNull() || m_key.isNull()) {
        return false;
    }
    auto server = std::make_unique<QSslServer>();
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(m_certificate);
    config.setPrivateKey(m_key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server->setSslConfiguration(config);
    m_server = std::move(server);
    m_tls = true;
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket* socket = m_server->nextPendingConnection()) {
            onConnection(socket);
        }
    });
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QUrl HostileServer::url(const QString& path) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(m_server ? m_server->serverPort() : 0)
                    .arg(path));
}

void HostileServer::clear()
{
    m_requests.clear();
    m_hits.clear();
}

void HostileServer::onConnection(QTcpSocket* socket)
{
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    auto buffer = std::make_shared<QByteArray>();
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
        buffer->append(socket->readAll());
        const qsizetype end = buffer->indexOf("\r\n\r\n");
        if (end < 0) {
            return;
        }
        const QByteArray head = buffer->left(end);
        qsizetype length = 0;
        for (const QByteArray& line : head.split('\n')) {
            if (line.toLower().startsWith("content-length:")) {
                length = line.mid(15).trimmed().toLongLong();
            }
        }
        if (buffer->size() < end + 4 + length) {
            return; // the body is still on its way
        }
        const QByteArray requestLine = head.left(head.indexOf('\r'));
        const QByteArray target = requestLine.split(' ').value(1);
        const QByteArray path = target.left(target.indexOf('?') >= 0 ? target.indexOf('?') : target.size());
        buffer->clear();
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        m_requests.append(head);
        m_hits[QString::fromLatin1(path)] += 1;
        handle(socket, head, path);
    });
}

void HostileServer::send(QTcpSocket* socket,
                         int status,
                         const QByteArray& body,
                         const QByteArray& type,
                         const QList<QPair<QByteArray, QByteArray>>& extra)
{
    QByteArray reply = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonOf(status) + "\r\n";
    if (!type.isEmpty()) {
        reply += "Content-Type: " + type + "\r\n";
    }
    for (const auto& [name, value] : extra) {
        reply += name + ": " + value + "\r\n";
    }
    reply += "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    socket->write(reply);
    socket->disconnectFromHost();
}

void HostileServer::drip(QTcpSocket* socket, qint64 declaredLength)
{
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + QByteArray::number(declaredLength) + "\r\nConnection: close\r\n\r\n{\"access_token\":\"");
    auto* timer = new QTimer(socket);
    connect(timer, &QTimer::timeout, socket, [socket] { socket->write("a"); });
    timer->start(100);
}

void HostileServer::flood(QTcpSocket* socket)
{
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                  "Connection: close\r\n\r\n");
    const QByteArray chunk = QByteArray::number(64 * 1024, 16) + "\r\n" + QByteArray(64 * 1024, ' ') + "\r\n";
    auto sent = std::make_shared<int>(0);
    auto more = [socket, chunk, sent] {
        // Keep a little in the socket's buffer: the client decides how much it takes.
        while (socket->bytesToWrite() < 4 * chunk.size() && *sent < 1024) {
            socket->write(chunk);
            ++*sent;
        }
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, more);
    more();
}

void HostileServer::resetMidBody(QTcpSocket* socket)
{
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"
                  "{\"access_token\":\"hostile-cut-short-token");
    socket->flush();
    QPointer<QTcpSocket> guard(socket);
    QTimer::singleShot(100, socket, [guard] {
        if (!guard) {
            return;
        }
        // SO_LINGER 0: close() sends a TCP reset instead of an orderly FIN.
        struct linger off = {1, 0};
        ::setsockopt(static_cast<int>(guard->socketDescriptor()), SOL_SOCKET, SO_LINGER, &off, sizeof off);
        guard->abort();
    });
}

void HostileServer::tokenReply(QTcpSocket* socket, const QByteArray& kind)
{
    const QByteArray good = '"' + QByteArray(GoodToken) + '"';
    if (kind == "ok") {
        send(socket, 200, tokenBody(good));
    } else if (kind == "number") {
        send(socket, 200, tokenBody("12345"));
    } else if (kind == "object") {
        send(socket, 200, tokenBody("{\"value\":\"x\"}"));
    } else if (kind == "null") {
        send(socket, 200, tokenBody("null"));
    } else if (kind == "empty") {
        send(socket, 200, tokenBody("\"\""));
    } else if (kind == "bool") {
        send(socket, 200, tokenBody("true"));
    } else if (kind == "missing") {
        send(socket, 200, tokenBody(QByteArray()));
    } else if (kind.startsWith("expires/")) {
        static const QHash<QByteArray, QByteArray> shapes = {
            {"missing", QByteArray()},
            {"zero", "0"},
            {"negative", "-3600"},
            {"string", "\"1800\""},
            {"word", "\"soon\""},
            {"fraction", "59.9"},
            {"tiny", "0.4"},
            {"huge", "1e300"},
            {"bigint", "99999999999999999999999"},
        };
        const QByteArray shape = kind.mid(8);
        send(socket, 200, tokenBody(good, shapes.value(shape, QByteArray())));
    } else {
        send(socket, 404, "{\"error\":\"no such hostile path\"}");
    }
}

void HostileServer::handle(QTcpSocket* socket, const QByteArray& head, const QByteArray& path)
{
    const QList<QByteArray> parts = path.split('/'); // "", "token"|"api"|"peer", kind...
    const QByteArray area = parts.value(1);
    const QByteArray kind = path.mid(area.size() + 2);
    if (area == "peer") {
        send(socket, 200, "{\"peer\":true}");
        return;
    }
    if (area != "token" && area != "api") {
        send(socket, 404, "{\"error\":\"no such hostile path\"}");
        return;
    }
    const QUrl peer = m_peer ? m_peer->url(QStringLiteral("/peer/") + QString::fromLatin1(area)) : QUrl();
    if (kind == "html-200") {
        send(socket, 200, kHtmlPage, "text/html; charset=utf-8");
    } else if (kind == "html-502") {
        send(socket, 502, kHtmlPage, "text/html; charset=utf-8");
    } else if (kind == "malformed") {
        send(socket, 200, "{\"access_token\":\"hostile-broken-token\",\"expires_in\":36");
    } else if (kind == "array") {
        send(socket, 200, "[{\"access_token\":\"hostile-array-token\"}]");
    } else if (kind == "envelope-200") {
        send(socket, 200, "{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}");
    } else if (kind == "drip") {
        drip(socket, 4096);
    } else if (kind == "huge") {
        drip(socket, 10LL * 1024 * 1024 * 1024);
    } else if (kind == "flood") {
        flood(socket);
    } else if (kind == "gzip-bomb") {
        send(socket, 200, gzipBomb(), "application/json", {{"Content-Encoding", "gzip"}});
    } else if (kind == "reset") {
        resetMidBody(socket);
    } else if (kind == "redirect-loop") {
        send(socket, 302, {}, {}, {{"Location", path}});
    } else if (kind == "redirect-away") {
        send(socket, area == "token" ? 307 : 302, {}, {}, {{"Location", peer.toEncoded()}});
    } else if (kind == "redirect-downgrade") {
        QUrl plain = m_peer ? m_peer->url(QString::fromLatin1("/" + area + "/ok")) : url(QString::fromLatin1(path));
        plain.setScheme(QStringLiteral("http"));
        send(socket, 302, {}, {}, {{"Location", plain.toEncoded()}});
    } else if (area == "api" && kind == "unauthorized") {
        send(socket,
             401,
             "{\"error\":\"invalid_token\"}",
             "application/json",
             {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}});
    } else if (area == "api" && kind == "ok") {
        const QByteArray expected = QByteArray("Authorization: Bearer ") + GoodToken;
        const bool good = QByteArray(head + "\r\n").contains(QByteArray(expected + "\r\n"));
        if (good) {
            send(socket, 200, "{\"ok\":true}");
        } else {
            send(socket, 401, "{\"error\":\"invalid_token\"}");
        }
    } else if (area == "token") {
        tokenReply(socket, kind);
    } else {
        send(socket, 404, "{\"error\":\"no such hostile path\"}");
    }
}

} // namespace keyway::test
