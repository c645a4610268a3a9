#include "core/flow/LoopbackReceiver.h"

#include "core/util/Logging.h"

#include <QCoreApplication>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

namespace keyway {

namespace {

constexpr int kMaxRequestBytes = 16 * 1024;

QString page(const QString& title, const QString& text)
{
    return QStringLiteral("<!doctype html><html><head><meta charset=\"utf-8\"><title>%1</title></head>"
                          "<body style=\"font-family:sans-serif;margin:3em\"><h1>%1</h1><p>%2</p></body></html>")
        .arg(title.toHtmlEscaped(), text.toHtmlEscaped());
}

} // namespace

LoopbackReceiver::LoopbackReceiver(QString path, QObject* parent) : QObject(parent), m_path(std::move(path))
{
    if (!m_path.startsWith(QLatin1Char('/'))) {
        m_path.prepend(QLatin1Char('/'));
    }
}

LoopbackReceiver::~LoopbackReceiver() = default;

bool LoopbackReceiver::listen()
{
    m_server = new QTcpServer(this);
    connect(m_server, &QTcpServer::newConnection, this, &LoopbackReceiver::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 LoopbackReceiver::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QString LoopbackReceiver::redirectUri() const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(m_path);
}

void LoopbackReceiver::close()
{
    m_done = true;
    if (m_server) {
        m_server->close();
    }
}

void LoopbackReceiver::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        // A connection that never sends a request line is dropped after a while.
        QTimer::singleShot(10'000, socket, [socket] { socket->abort(); });
    }
}

void LoopbackReceiver::answer(QTcpSocket* socket, int status, const QByteArray& reason, const QString& html)
{
    const QByteArray body = html.toUtf8();
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
        + "\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n"
          "Content-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    socket->write(response);
    socket->disconnectFromHost();
}

void LoopbackReceiver::onReadyRead(QTcpSocket* socket)
{
    QByteArray buffer = socket->property("keywayBuffer").toByteArray() + socket->readAll();
    if (buffer.size() > kMaxRequestBytes) {
        socket->abort();
        return;
    }
    if (!buffer.contains("\r\n\r\n") && !buffer.contains("\n\n")) {
        socket->setProperty("keywayBuffer", buffer);
        return;
    }
    const QList<QByteArray> requestLine = buffer.left(buffer.indexOf('\n')).trimmed().split(' ');
    if (requestLine.size() < 2 || requestLine[0] != "GET") {
        answer(socket, 404, "Not Found", page(tr("Not found"), tr("Nothing here.")));
        return;
    }
    const QUrl target = QUrl::fromEncoded("http://127.0.0.1" + requestLine[1]);
    const QUrlQuery query(target);
    const bool isCallback = target.path() == m_path && query.hasQueryItem(QStringLiteral("state"))
        && (query.hasQueryItem(QStringLiteral("code")) || query.hasQueryItem(QStringLiteral("error")));
    if (!isCallback || m_done) {
        // Browsers probe /favicon.ico, scanners send garbage: ignored, the flow keeps waiting.
        answer(socket, 404, "Not Found", page(tr("Not found"), tr("Nothing here.")));
        return;
    }
    m_done = true;
    QMap<QString, QString> params;
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        params.insert(key, value);
    }
    if (params.value(QStringLiteral("state")) != m_expectedState || m_expectedState.isEmpty()) {
        qCWarning(lcAuth) << "loopback callback with a state that does not match: rejected";
        answer(socket,
               400,
               "Bad Request",
               page(tr("Sign-in rejected"),
                    tr("The reply did not carry the state Keyway sent, so it was rejected. Start the sign-in again "
                       "from Keyway.")));
        m_server->close();
        Q_EMIT stateMismatch();
        return;
    }
    const bool failed = params.contains(QStringLiteral("error"));
    answer(socket,
           200,
           "OK",
           failed ? page(tr("Sign-in failed"),
                         tr("The provider answered: %1. You can close this window and return to Keyway.")
                             .arg(params.value(QStringLiteral("error"))))
                  : page(tr("Signed in"), tr("You can close this window and return to Keyway.")));
    m_server->close();
    Q_EMIT received(params);
}

} // namespace keyway
