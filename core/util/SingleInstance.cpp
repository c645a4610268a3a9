#include "core/util/SingleInstance.h"

#include "core/util/AppPaths.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

namespace keyway {

namespace {
// One message per connection: a JSON array of strings and a newline; the answer is "ok\n".
constexpr qint64 MaxMessageBytes = 64 * 1024;
const char Ack[] = "ok\n";
} // namespace

SingleInstance::SingleInstance(const QString& socketPath, QObject* parent) : QObject(parent), m_socketPath(socketPath)
{
}

SingleInstance::~SingleInstance()
{
    if (m_server) {
        m_server->close(); // removes the socket file
    }
}

QString SingleInstance::defaultSocketPath()
{
    QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (runtime.isEmpty()) {
        runtime = AppPaths::stateDirectory();
    }
    return runtime + QStringLiteral("/keyway/instance");
}

bool SingleInstance::sendToRunning(const QStringList& arguments, int timeoutMs)
{
    if (!QFileInfo::exists(m_socketPath)) {
        return false;
    }
    const QDeadlineTimer deadline(timeoutMs);
    QLocalSocket socket;
    socket.connectToServer(m_socketPath);
    if (!socket.waitForConnected(static_cast<int>(deadline.remainingTime()))) {
        return false;
    }
    QByteArray message = QJsonDocument(QJsonArray::fromStringList(arguments)).toJson(QJsonDocument::Compact);
    message.append('\n');
    socket.write(message);
    if (!socket.waitForBytesWritten(static_cast<int>(deadline.remainingTime()))) {
        return false;
    }
    QByteArray answer;
    while (!answer.contains('\n')) {
        if (!socket.waitForReadyRead(static_cast<int>(deadline.remainingTime()))) {
            return false;
        }
        answer += socket.readAll();
    }
    return answer == Ack;
}

bool SingleInstance::listen(QString* error)
{
    if (!makePrivateDirectory(QFileInfo(m_socketPath).absolutePath())) {
        if (error) {
            *error = QCoreApplication::translate("keyway::SingleInstance", "Cannot create the directory of %1.")
                         .arg(m_socketPath);
        }
        return false;
    }
    delete m_server;
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_socketPath)) {
        // Nobody answered on it (sendToRunning came first), so the socket is a crashed instance's.
        QLocalServer::removeServer(m_socketPath);
        if (!m_server->listen(m_socketPath)) {
            if (error) {
                *error = m_server->errorString();
            }
            return false;
        }
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    return true;
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > MaxMessageBytes) {
                    socket->abort();
                }
                return;
            }
            const QJsonDocument document = QJsonDocument::fromJson(socket->readLine());
            socket->write(Ack);
            socket->flush();
            socket->disconnectFromServer();
            if (!document.isArray()) {
                return;
            }
            QStringList arguments;
            const QJsonArray array = document.array();
            for (const QJsonValue& value : array) {
                arguments.append(value.toString());
            }
            Q_EMIT argumentsReceived(arguments);
        });
    }
}

} // namespace keyway
