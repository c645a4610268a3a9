#pragma once

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrlQuery>

class QTcpServer;
class QTcpSocket;

namespace keyway {

// The loopback redirect target of a browser sign-in (RFC 8252 §7.3): listens on 127.0.0.1 with an
// ephemeral port, accepts exactly one callback on `path` that carries `state` (and a code or an error),
// answers it with a small page, and ignores anything else with a 404. It judges the state itself so a
// mismatch ends the flow at once.
class LoopbackReceiver : public QObject
{
    Q_OBJECT
public:
    explicit LoopbackReceiver(QString path, QObject* parent = nullptr);
    ~LoopbackReceiver() override;

    bool listen(); // 127.0.0.1, port 0
    quint16 port() const;
    QString redirectUri() const; // http://127.0.0.1:<port><path>
    void setExpectedState(const QString& state) { m_expectedState = state; }
    void close();

Q_SIGNALS:
    // One callback whose state matched (params holds code, state, iss... as received).
    void received(const QMap<QString, QString>& params);
    // A callback on the right path whose state did not match (never carries the code further).
    void stateMismatch();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);
    void answer(QTcpSocket* socket, int status, const QByteArray& reason, const QString& html);

    QString m_path;
    QString m_expectedState;
    QTcpServer* m_server = nullptr;
    bool m_done = false;
};

} // namespace keyway
