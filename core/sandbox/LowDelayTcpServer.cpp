#include "core/sandbox/LowDelayTcpServer.h"

#include <QTcpSocket>

namespace keyway::sandbox {

LowDelayTcpServer::LowDelayTcpServer(QObject* parent) : QTcpServer(parent) { }

void LowDelayTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    addPendingConnection(socket);
}

} // namespace keyway::sandbox
