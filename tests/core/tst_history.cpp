// HistoryStore and HistoryRecorder: JSON Lines round trip across store instances (a restart), the
// size bounds, body truncation, search, clearing, and canary secrets and tokens sent through a real
// sandbox call that never reach the history file.
#include "core/history/HistoryRecorder.h"
#include "core/history/HistoryStore.h"
#include "core/http/Redactor.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/session/Session.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;

namespace {

HistoryEntry entry(int n, const QString& body = {})
{
    HistoryEntry e;
    e.id = QStringLiteral("id-%1").arg(n);
    e.timeMs = 1'700'000'000'000 + n;
    e.method = n % 2 ? QStringLiteral("POST") : QStringLiteral("GET");
    e.path = QStringLiteral("/v1/items/%1").arg(n);
    e.url = QStringLiteral("http://127.0.0.1/v1/items/%1").arg(n);
    e.requestHeaders = {{QStringLiteral("Accept"), QStringLiteral("application/json")}};
    e.resendHeaders = {{QStringLiteral("X-Trace"), QStringLiteral("t%1").arg(n)}};
    e.requestBody = body;
    e.status = n % 3 ? 200 : 404;
    e.reason = QStringLiteral("OK");
    e.elapsedMs = n;
    e.responseHeaders = {{QStringLiteral("Content-Type"), QStringLiteral("application/json")}};
    e.responseBody = QStringLiteral("{\"item\":%1,\"name\":\"widget-%1\"}").arg(n);
    e.responseBodyBytes = e.responseBody.size();
    e.outcome = QStringLiteral("success");
    return e;
}

} // namespace

class TestHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripSurvivesANewStore()
    {
        QTemporaryDir dir;
        const QString env = QStringLiteral("3f6d2a1e-roundtrip");
        {
            HistoryStore store(dir.path());
            for (int i = 1; i <= 3; ++i) {
                QString error;
                QVERIFY2(store.append(env, entry(i, QStringLiteral("{\"n\":%1}").arg(i)), &error), qPrintable(error));
            }
            QCOMPARE(store.filePath(env), dir.path() + QStringLiteral("/3f6d2a1e-roundtrip.jsonl"));
        }
        HistoryStore reopened(dir.path()); // as after a restart
        const QList<HistoryEntry> loaded = reopened.load(env);
        QCOMPARE(loaded.size(), 3);
        const HistoryEntry& second = loaded.at(1);
        QCOMPARE(second.id, QStringLiteral("id-2"));
        QCOMPARE(second.method, QStringLiteral("GET"));
        QCOMPARE(second.path, QStringLiteral("/v1/items/2"));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.elapsedMs, qint64(2));
        QCOMPARE(second.requestBody, QStringLiteral("{\"n\":2}"));
        QCOMPARE(second.responseBody, QStringLiteral("{\"item\":2,\"name\":\"widget-2\"}"));
        QCOMPARE(second.resendHeaders.value(0).second, QStringLiteral("t2"));

        const ApiRequest again = second.toRequest();
        QCOMPARE(again.method, QStringLiteral("GET"));
        QCOMPARE(again.path, QStringLiteral("/v1/items/2"));
        QCOMPARE(again.body, QByteArray("{\"n\":2}"));
        QCOMPARE(headerValue(again.headers, "X-Trace"), QByteArray("t2"));

        // One JSON object per line.
        QFile file(reopened.filePath(env));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count('\n'), 3);
        // Another environment's history is separate.
        QVERIFY(reopened.load(QStringLiteral("other-env")).isEmpty());
    }

    void searchFindsMethodPathStatusAndBody()
    {
        QTemporaryDir dir;
        HistoryStore store(dir.path());
        const QString env = QStringLiteral("search-env");
        for (int i = 1; i <= 6; ++i) {
            QVERIFY(store.append(env, entry(i)));
        }
        QCOMPARE(store.search(env, QString()).size(), 6);
        QCOMPARE(store.search(env, QString()).first().id, QStringLiteral("id-6")); // newest first
        QCOMPARE(store.search(env, QStringLiteral("post")).size(), 3);
        QCOMPARE(store.search(env, QStringLiteral("404")).size(), 2); // 3 and 6
        QCOMPARE(store.search(env, QStringLiteral("widget-5")).size(), 1);
        QCOMPARE(store.search(env, QStringLiteral("items/4 GET")).size(), 1);
        QCOMPARE(store.search(env, QStringLiteral("nothing-like-this")).size(), 0);
    }

    void boundedByEntriesAndBytes()
    {
        QTemporaryDir dir;
        HistoryStore::Limits limits;
        limits.maxEntries = 20;
        HistoryStore store(dir.path(), limits);
        const QString env = QStringLiteral("bounded-entries");
        for (int i = 1; i <= 50; ++i) {
            QVERIFY(store.append(env, entry(i)));
        }
        const QList<HistoryEntry> kept = store.load(env);
        QVERIFY2(kept.size() <= 20 && kept.size() >= 18, qPrintable(QString::number(kept.size())));
        QCOMPARE(kept.last().id, QStringLiteral("id-50")); // the oldest are dropped
        QCOMPARE(kept.first().id, QStringLiteral("id-%1").arg(50 - kept.size() + 1));

        HistoryStore::Limits byteLimits;
        byteLimits.maxFileBytes = 8 * 1024;
        byteLimits.maxBodyBytes = 1000;
        HistoryStore small(dir.path(), byteLimits);
        const QString env2 = QStringLiteral("bounded-bytes");
        for (int i = 1; i <= 40; ++i) {
            QVERIFY(small.append(env2, entry(i, QString(900, QLatin1Char('x')))));
        }
        QVERIFY(QFile(small.filePath(env2)).size() <= 8 * 1024);
        QCOMPARE(small.load(env2).last().id, QStringLiteral("id-40"));
    }

    void bodiesAboveTheCapAreTruncatedWithANote()
    {
        Redactor redactor;
        redactor.addSecret(QStringLiteral("canary-secret-value"), QStringLiteral("clientSecret"));
        ApiRequest request;
        request.method = QStringLiteral("post");
        request.path = QStringLiteral("/v1/upload");
        request.body = QByteArray(5000, 'a') + "canary-secret-value";
        ApiResult result;
        result.response.status = 200;
        result.response.body = QByteArray(3000, 'b');
        ProviderProfile profile;
        const HistoryEntry e
            = HistoryRecorder::makeEntry(request, result, {}, redactor, profile, QStringLiteral("http://h/p"), 0, 1000);
        QVERIFY(e.requestBodyTruncated);
        QCOMPARE(e.requestBody.size(), 1000);
        QVERIFY(e.responseBodyTruncated);
        QCOMPARE(e.responseBodyBytes, qint64(3000));
        QCOMPARE(e.method, QStringLiteral("POST"));
        QCOMPARE(e.url, QStringLiteral("http://h/p/v1/upload"));
    }

    void userCredentialHeadersAreNeverStored()
    {
        ProviderProfile profile;
        profile.token.header = QStringLiteral("x-access-token");
        Redactor redactor;
        ApiRequest request;
        request.path = QStringLiteral("/v1/x");
        request.headers = {{"Authorization", "Basic dXNlcjpjYW5hcnlwYXNz"},
                           {"X-Access-Token", "canary-token-typed-by-hand"},
                           {"X-Trace", "keep-me"}};
        const HistoryEntry e = HistoryRecorder::makeEntry(
            request, ApiResult(), {}, redactor, profile, QStringLiteral("http://h"), 0, 1000);
        const QString all = QString::fromStdString(e.toJson().dump());
        QVERIFY(!all.contains(QStringLiteral("dXNlcjpjYW5hcnlwYXNz")));
        QVERIFY(!all.contains(QStringLiteral("canary-token-typed-by-hand")));
        QCOMPARE(e.resendHeaders.size(), 1);
        QCOMPARE(e.resendHeaders.first().second, QStringLiteral("keep-me"));
    }

    void unreadableLinesAreSkippedAndClearForgets()
    {
        QTemporaryDir dir;
        HistoryStore store(dir.path());
        const QString env = QStringLiteral("torn-env");
        QVERIFY(store.append(env, entry(1)));
        {
            QFile file(store.filePath(env));
            QVERIFY(file.open(QIODevice::Append));
            file.write("{\"method\": \"GET\", \"pa"); // a crash mid-write
        }
        QVERIFY(store.append(env, entry(2)));
        const QList<HistoryEntry> loaded = store.load(env);
        QCOMPARE(loaded.size(), 2); // the torn line is skipped, the entry after it is kept
        QCOMPARE(loaded.first().id, QStringLiteral("id-1"));
        QCOMPARE(loaded.last().id, QStringLiteral("id-2"));
        QVERIFY(store.clear(env));
        QVERIFY(!QFile::exists(store.filePath(env)));
        QVERIFY(store.load(env).isEmpty());
        QVERIFY(store.clear(env)); // nothing to clear is fine
    }

    void canariesFromARealSandboxCallNeverReachTheFile()
    {
        sandbox::SandboxServer server;
        QVERIFY(server.listen());
        ProfileRegistry registry;
        registry.loadShipped();
        const ProviderProfile* profile = registry.find(QStringLiteral("seismic"));
        QVERIFY(profile);
        const auto demo = server.demoProvider(QStringLiteral("seismic"));
        QVERIFY(demo);

        QTemporaryDir dir;
        SessionOptions options;
        options.environmentId = QStringLiteral("canary-%1").arg(QRandomGenerator::global()->generate());
        options.flow.baseUrl = demo->baseUrl.toString();
        for (const auto& [key, value] : demo->credentials) {
            options.flow.credentials.insert(key, value);
        }
        options.lockDirectory = dir.path();
        const QString clientSecret = options.flow.credentials.value(QStringLiteral("clientSecret"));
        QVERIFY(clientSecret.size() >= 8);
        Session session(*profile, options);
        HistoryStore store(dir.path() + QStringLiteral("/history"));
        HistoryRecorder recorder(&session, &store, options.environmentId, options.flow.baseUrl);

        ApiRequest request;
        request.method = QStringLiteral("GET");
        request.path = QStringLiteral("/v1/card/bins?echo=") + clientSecret;
        request.headers = {{"X-Debug", clientSecret.toUtf8()}};
        request.body = QStringLiteral("{\"clientSecret\":\"%1\"}").arg(clientSecret).toUtf8();
        bool finished = false;
        ApiResult result;
        recorder.call(request, [&](const ApiResult& r, const HistoryEntry&) {
            result = r;
            finished = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(finished, 10000);
        QVERIFY2(result.ok(), qPrintable(result.oneLine()));
        const auto token = session.accessToken();
        QVERIFY(token && token->value.size() >= 8);

        // A second call with the token now cached, and a refused one.
        finished = false;
        ApiRequest second;
        second.path = QStringLiteral("/v1/card/bins");
        recorder.call(second, [&](const ApiResult&, const HistoryEntry&) { finished = true; });
        QTRY_VERIFY_WITH_TIMEOUT(finished, 10000);

        QFile file(store.filePath(options.environmentId));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(!written.contains(clientSecret.toUtf8()));
        QVERIFY(!written.contains(token->value.toUtf8()));
        QVERIFY(!written.contains(QUrl::toPercentEncoding(clientSecret)));
        for (const auto& [name, value] : session.values().toStdMap()) {
            if (value.value.size() >= 8 && name != QLatin1String("user_id")) {
                QVERIFY2(!written.contains(value.value.toUtf8()), qPrintable(name));
            }
        }
        // What the user needs is there: the call, its status and the BINs.
        const QList<HistoryEntry> entries = store.load(options.environmentId);
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.last().path, QStringLiteral("/v1/card/bins"));
        QCOMPARE(entries.last().status, 200);
        QVERIFY(entries.last().responseBody.contains(QStringLiteral("3f2e1d0c-9b8a-4765-b432-10fedcba9876")));
        QVERIFY(entries.first().path.contains(Redactor::placeholder(QStringLiteral("clientSecret"))));
        bool tokenHeaderMasked = false;
        for (const auto& [name, value] : entries.last().requestHeaders) {
            if (name.compare(QStringLiteral("x-access-token"), Qt::CaseInsensitive) == 0) {
                tokenHeaderMasked = value.startsWith(QChar(0x00AB));
            }
        }
        QVERIFY(tokenHeaderMasked);
    }
};

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
