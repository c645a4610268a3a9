#pragma once

#include <QTcpServer>

namespace keyway::sandbox {

// A QTcpServer whose accepted sockets have TCP_NODELAY set. QHttpServer writes a reply's status
// line, headers and body as separate writes; on a keep-alive connection without TCP_NODELAY the
// body then waits ~40 ms for the client's delayed ACK (Nagle), which would dwarf a loopback
// exchange and distort every benchmark that talks to the sandbox.
class LowDelayTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit LowDelayTcpServer(QObject* parent = nullptr);

protected:
    void incomingConnection(qintptr socketDescriptor) override;
};

} // namespace keyway::sandbox
