#pragma once

#include <QObject>
#include <QStringList>

class QLocalServer;

namespace keyway {

// One Keyway window per user: the first process listens on a local socket in the runtime directory
// (<XDG runtime>/keyway/instance, user-only); a later one hands it its arguments and exits, so there is
// only one embedded sandbox and the demo environments keep pointing at it.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(const QString& socketPath = defaultSocketPath(), QObject* parent = nullptr);
    ~SingleInstance() override;

    static QString defaultSocketPath();
    QString socketPath() const { return m_socketPath; }

    // Hands `arguments` to a running instance. True once that instance has acknowledged them; false if
    // none is running (or it did not answer within `timeoutMs`).
    bool sendToRunning(const QStringList& arguments, int timeoutMs = 3000);
    // Becomes the running instance. A socket left behind by a crashed instance is replaced.
    bool listen(QString* error = nullptr);

Q_SIGNALS:
    // Another launch's arguments (without the program name).
    void argumentsReceived(const QStringList& arguments);

private:
    void onNewConnection();

    QString m_socketPath;
    QLocalServer* m_server = nullptr;
};

} // namespace keyway
