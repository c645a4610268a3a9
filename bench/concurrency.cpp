// concurrent_token_requests and request_overhead_ms (docs/performance.md).
//
// The sandbox runs on its own thread (its own event loop, as a real provider would be another
// process), the Session and the bare QNetworkAccessManager share the main thread. Prints
// `name: value` lines; a figure that cannot be measured prints `n/a (reason)`. Always exits 0.
//
//   concurrent_token_requests            200 concurrent calls after the token expired on the client's
//                                        clock (Astrada, sandbox time scale): token requests seen
//   concurrent_token_requests_after_401  200 concurrent calls with a token the server dropped
//                                        (Banking, fault expire_now): every call gets 401 first
//   request_overhead_ms                  Session::call minus a bare QNetworkAccessManager GET with
//                                        the Authorization header set by hand, per sequential request
//   request_overhead_concurrent_ms       the same per request of a 200-call concurrent batch
//
// Environment: BENCH_ROUNDS (default 7), BENCH_SEQUENTIAL (100), BENCH_CONCURRENT (200).
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/session/Session.h"
#include "core/util/Clock.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

using keyway::ApiRequest;
using keyway::ApiResult;
using keyway::FlowResult;
using keyway::ProfileRegistry;
using keyway::ProviderProfile;
using keyway::Session;
using keyway::SessionOptions;
using keyway::sandbox::SandboxServer;

namespace {

void print(const char* name, const QString& value)
{
    std::printf("%s: %s\n", name, qPrintable(value));
    std::fflush(stdout);
}

void printMs(const char* name, double ms)
{
    print(name, QString::number(ms, 'f', 3));
}

void printNa(const char* name, const QString& reason)
{
    print(name, QStringLiteral("n/a (") + reason + QLatin1Char(')'));
}

int envInt(const char* name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

double median(std::vector<double> values)
{
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// Spins the event loop until `done()` or the timeout; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return done();
}

// The sandbox on its own thread; every access goes through that thread's event loop.
class SandboxThread
{
public:
    SandboxThread()
    {
        m_thread.start();
        m_anchor.moveToThread(&m_thread);
    }

    ~SandboxThread()
    {
        QThread* home = QCoreApplication::instance()->thread();
        QMetaObject::invokeMethod(
            &m_anchor,
            [this, home] {
                m_server.reset();
                m_anchor.moveToThread(home); // so it is destroyed in the thread it lives in
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    bool start(QString* error)
    {
        bool ok = false;
        QMetaObject::invokeMethod(
            &m_anchor,
            [&] {
                m_server = std::make_unique<SandboxServer>();
                ok = m_server->listen(0);
                *error = m_server->errorString();
            },
            Qt::BlockingQueuedConnection);
        return ok;
    }

    template <typename F>
    auto run(F f) -> decltype(f(std::declval<SandboxServer&>()))
    {
        decltype(f(std::declval<SandboxServer&>())) result {};
        QMetaObject::invokeMethod(
            &m_anchor, [&] { result = f(*m_server); }, Qt::BlockingQueuedConnection);
        return result;
    }

private:
    QThread m_thread;
    QObject m_anchor;
    std::unique_ptr<SandboxServer> m_server;
};

class Bench
{
public:
    Bench(SandboxThread& sandbox, ProfileRegistry& registry, const QString& lockDir)
        : m_sandbox(sandbox), m_registry(registry), m_lockDir(lockDir)
    {
    }

    std::unique_ptr<Session> session(const QString& providerId, const QString& credentialSet = {})
    {
        const ProviderProfile* profile = m_registry.find(providerId);
        const auto demo = m_sandbox.run([&](SandboxServer& s) { return s.demoProvider(providerId); });
        if (!profile || !demo) {
            return nullptr;
        }
        SessionOptions o;
        o.environmentId
            = QStringLiteral("bench-") + providerId + QString::number(QRandomGenerator::global()->generate());
        o.flow.baseUrl = demo->baseUrl.toString();
        for (const auto& [key, value] : demo->credentials) {
            o.flow.credentials.insert(key, value);
        }
        o.flow.credentialSet = credentialSet;
        o.lockDirectory = m_lockDir;
        return std::make_unique<Session>(*profile, o);
    }

    static std::optional<FlowResult> ensure(Session& s)
    {
        std::optional<FlowResult> result;
        s.ensureToken([&](const FlowResult& r) { result = r; });
        waitUntil([&] { return result.has_value(); }, 20'000);
        return result;
    }

    // Fires `count` calls at once; returns how many succeeded (-1 when not all answered in time).
    static int fireConcurrently(Session& s, const QString& path, int count)
    {
        ApiRequest request;
        request.path = path;
        int finished = 0;
        int succeeded = 0;
        for (int i = 0; i < count; ++i) {
            s.call(request, [&](const ApiResult& r) {
                ++finished;
                succeeded += r.ok() ? 1 : 0;
            });
        }
        return waitUntil([&] { return finished == count; }, 60'000) ? succeeded : -1;
    }

    int tokenRequests(const QString& providerId)
    {
        return m_sandbox.run([&](SandboxServer& s) { return s.tokenRequestCount(providerId); });
    }

    // The token expires on the client's clock: Astrada's 5-minute JWT, time-scaled to a few seconds.
    void tokenRequestsAfterClockExpiry(int concurrent)
    {
        const char* name = "concurrent_token_requests";
        constexpr double kScale = 100; // 300 s => 3 s
        m_sandbox.run([&](SandboxServer& s) {
            s.setTimeScale(kScale);
            return true;
        });
        auto s = session(QStringLiteral("astrada"), QStringLiteral("api"));
        const auto first = s ? ensure(*s) : std::nullopt;
        m_sandbox.run([&](SandboxServer& server) {
            server.setTimeScale(1);
            return true;
        });
        if (!first || !first->ok() || !s->accessToken() || s->accessToken()->expiresMs <= 0) {
            printNa(name, QStringLiteral("no time-scaled Astrada token"));
            return;
        }
        const qint64 expires = s->accessToken()->expiresMs;
        if (!waitUntil([&] { return keyway::Clock::currentMSecsSinceEpoch() > expires + 50; }, 10'000)) {
            printNa(name, QStringLiteral("token did not expire in time"));
            return;
        }
        const int before = tokenRequests(QStringLiteral("astrada"));
        const int ok = fireConcurrently(*s, QStringLiteral("/transactions"), concurrent);
        if (ok < 0) {
            printNa(name, QStringLiteral("calls did not finish"));
            return;
        }
        print(name, QString::number(tokenRequests(QStringLiteral("astrada")) - before));
        print("concurrent_calls_ok", QStringLiteral("%1/%2").arg(ok).arg(concurrent));
    }

    // The server drops the token (expire_now): every call is refused with 401 and waits for one renewal.
    void tokenRequestsAfterServerExpiry(int concurrent)
    {
        const char* name = "concurrent_token_requests_after_401";
        auto s = session(QStringLiteral("banking"));
        const auto first = s ? ensure(*s) : std::nullopt;
        if (!first || !first->ok()) {
            printNa(name, QStringLiteral("no Banking token"));
            return;
        }
        m_sandbox.run([](SandboxServer& server) {
            return server.setFault(QStringLiteral("banking"), QStringLiteral("expire_now"), true);
        });
        const int before = tokenRequests(QStringLiteral("banking"));
        const int ok = fireConcurrently(*s, QStringLiteral("/accounts"), concurrent);
        if (ok < 0) {
            printNa(name, QStringLiteral("calls did not finish"));
            return;
        }
        print(name, QString::number(tokenRequests(QStringLiteral("banking")) - before));
        print("concurrent_calls_after_401_ok", QStringLiteral("%1/%2").arg(ok).arg(concurrent));
    }

    void requestOverhead(int rounds, int sequential, int concurrent)
    {
        auto s = session(QStringLiteral("banking"));
        const auto first = s ? ensure(*s) : std::nullopt;
        if (!first || !first->ok() || !s->accessToken()) {
            printNa("request_overhead_ms", QStringLiteral("no Banking token"));
            return;
        }
        const auto demo
            = m_sandbox.run([](SandboxServer& server) { return server.demoProvider(QStringLiteral("banking")); });
        const QUrl url(demo->baseUrl.toString() + QStringLiteral("/accounts"));
        // The same headers Keyway sends, set by hand; the token stays in this process.
        QNetworkRequest bareRequest(url);
        bareRequest.setRawHeader("Authorization", QByteArrayLiteral("Bearer ") + s->accessToken()->value.toUtf8());
        bareRequest.setRawHeader("Accept", "application/json");
        QNetworkAccessManager nam;

        ApiRequest apiRequest;
        apiRequest.path = QStringLiteral("/accounts");
        bool failed = false;

        // Runs `n` requests, `inFlight` at a time; returns ms per request.
        auto keywayBatch = [&](int n, int inFlight) {
            QElapsedTimer t;
            t.start();
            int started = 0;
            int finished = 0;
            std::function<void()> next = [&] {
                ++started;
                s->call(apiRequest, [&](const ApiResult& r) {
                    failed |= !r.ok();
                    ++finished;
                    if (started < n) {
                        QTimer::singleShot(0, next); // queued: the reply has released its connection
                    }
                });
            };
            for (int i = 0; i < std::min(n, inFlight); ++i) {
                next();
            }
            waitUntil([&] { return finished == n; }, 60'000);
            failed |= finished != n;
            return t.nsecsElapsed() / 1e6 / n;
        };
        auto bareBatch = [&](int n, int inFlight) {
            QElapsedTimer t;
            t.start();
            int started = 0;
            int finished = 0;
            std::function<void()> next = [&] {
                ++started;
                QNetworkReply* reply = nam.get(bareRequest);
                QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply] {
                    reply->readAll();
                    failed |= reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200;
                    reply->deleteLater();
                    ++finished;
                    if (started < n) {
                        QTimer::singleShot(0, next); // queued, like the Keyway side
                    }
                });
            };
            for (int i = 0; i < std::min(n, inFlight); ++i) {
                next();
            }
            waitUntil([&] { return finished == n; }, 60'000);
            failed |= finished != n;
            return t.nsecsElapsed() / 1e6 / n;
        };

        // Warm-up: open the keep-alive connections of both clients.
        keywayBatch(concurrent, concurrent);
        bareBatch(concurrent, concurrent);

        std::vector<double> bareSeq, keywaySeq, diffSeq, bareConc, keywayConc, diffConc;
        for (int round = 0; round < rounds && !failed; ++round) {
            // Interleaved, and the order flips each round, so machine load hits both alike.
            double k1, b1, k2, b2;
            if (round % 2 == 0) {
                k1 = keywayBatch(sequential, 1);
                b1 = bareBatch(sequential, 1);
                k2 = keywayBatch(concurrent, concurrent);
                b2 = bareBatch(concurrent, concurrent);
            } else {
                b1 = bareBatch(sequential, 1);
                k1 = keywayBatch(sequential, 1);
                b2 = bareBatch(concurrent, concurrent);
                k2 = keywayBatch(concurrent, concurrent);
            }
            keywaySeq.push_back(k1);
            bareSeq.push_back(b1);
            diffSeq.push_back(k1 - b1);
            keywayConc.push_back(k2);
            bareConc.push_back(b2);
            diffConc.push_back(k2 - b2);
        }
        if (failed) {
            printNa("request_overhead_ms", QStringLiteral("a request failed"));
            return;
        }
        printMs("request_bare_ms", median(bareSeq));
        printMs("request_keyway_ms", median(keywaySeq));
        printMs("request_overhead_ms", median(diffSeq));
        printMs("request_bare_concurrent_ms", median(bareConc));
        printMs("request_keyway_concurrent_ms", median(keywayConc));
        printMs("request_overhead_concurrent_ms", median(diffConc));
    }

private:
    SandboxThread& m_sandbox;
    ProfileRegistry& m_registry;
    QString m_lockDir;
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // Warnings still reach stderr; debug chatter would cost time inside the measured loops.
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\n*.info=false"));
    const int rounds = envInt("BENCH_ROUNDS", 7);
    const int sequential = envInt("BENCH_SEQUENTIAL", 100);
    const int concurrent = envInt("BENCH_CONCURRENT", 200);

    ProfileRegistry registry;
    registry.loadShipped();
    QTemporaryDir lockDir;
    SandboxThread sandbox;
    QString error;
    if (!sandbox.start(&error) || !lockDir.isValid()) {
        const QString reason = QStringLiteral("sandbox did not start: ") + error;
        printNa("concurrent_token_requests", reason);
        printNa("request_overhead_ms", reason);
        return 0;
    }
    Bench bench(sandbox, registry, lockDir.path());
    bench.tokenRequestsAfterClockExpiry(concurrent);
    bench.tokenRequestsAfterServerExpiry(concurrent);
    bench.requestOverhead(rounds, sequential, concurrent);
    return 0;
}
