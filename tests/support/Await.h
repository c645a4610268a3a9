#pragma once

#include <QEventLoop>
#include <QTimer>

namespace keyway::test {

// Runs the event loop until the asynchronous work `start` begins answers through the callback it is handed
// (`start([&](const Result&) {...})`, e.g. `session.ensureToken(done)`), or until `timeoutMs` passed; then the
// answer, or a default Result (a test then fails on what it expected of it).
template <typename Result, typename Start>
Result waitFor(Start start, int timeoutMs = 30000)
{
    QEventLoop loop;
    Result out {};
    bool done = false;
    start([&](const Result& r) {
        out = r;
        done = true;
        loop.quit();
    });
    if (!done) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!done) {
        qWarning("timed out waiting for a result");
    }
    return out;
}

} // namespace keyway::test
