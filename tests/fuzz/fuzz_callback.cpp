// Any bytes sent to the loopback listener of a browser sign-in, as a browser (or anything else on this
// machine) could send them: the listener answers or closes, reports at most one callback, and never
// crashes. Black box over a real socket, so it holds whatever parses the request inside.
#include "core/flow/LoopbackReceiver.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTcpSocket>
#include <QTimer>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static int argc = 1;
    static char name[] = "fuzz_callback";
    static char* argv[] = {name, nullptr};
    if (!QCoreApplication::instance()) {
        new QCoreApplication(argc, argv); // libFuzzer has no main of ours; the replay driver has one
    }
    keyway::LoopbackReceiver receiver(QStringLiteral("/callback"));
    if (!receiver.listen()) {
        return 0;
    }
    receiver.setExpectedState(QStringLiteral("fuzz-state"));
    int callbacks = 0;
    QObject::connect(&receiver, &keyway::LoopbackReceiver::received, &receiver, [&] { ++callbacks; });
    QObject::connect(&receiver, &keyway::LoopbackReceiver::stateMismatch, &receiver, [&] { ++callbacks; });

    QTcpSocket socket;
    QEventLoop loop;
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] {
        socket.write(reinterpret_cast<const char*>(data), qint64(size));
    });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(50, &loop, &QEventLoop::quit); // an incomplete request just waits: that is fine
    socket.connectToHost(QHostAddress::LocalHost, receiver.port());
    loop.exec();
    socket.abort();
    if (callbacks > 1) {
        __builtin_trap(); // one connection, at most one verdict
    }
    return 0;
}
