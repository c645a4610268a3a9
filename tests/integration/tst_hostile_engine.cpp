// The engine against a hostile server (tests/support/HostileServer): every misbehaviour ends the flow or
// the call in bounded time, with a message that names what was wrong, the outcome the CLI turns into
// its exit code, and no secret or cut-short token anywhere in the events. Real loopback TCP and TLS.
#include "core/flow/FlowEngine.h"
#include "core/http/RequestExecutor.h"
#include "core/profile/ProfileLoader.h"
#include "core/session/Session.h"
#include "core/util/Preferences.h"
#include "tests/support/Await.h"
#include "tests/support/ExpiresInShapes.h"
#include "tests/support/HostileServer.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace keyway;
using keyway::test::HostileServer;
using keyway::test::waitFor;

namespace {

const QString kClientSecret = QStringLiteral("canary-hostile-client-secret-77d1");

} // namespace

class TestHostileEngine : public QObject
{
    Q_OBJECT

private:
    ProfileRegistry m_registry;
    HostileServer m_server;
    HostileServer m_peer; // another origin
    HostileServer m_tls;
    QTemporaryDir m_dir;
    QList<FlowEvent> m_events;
    std::unique_ptr<RequestExecutor> m_executor;
    std::unique_ptr<Session> m_session;

    // The drip cases pass 1 s (a drip must end at the deadline, not after the 30 s default); the others get
    // room for a loaded machine (a 1 MiB flood on two busy cores can take longer than a second).
    Session&
    session(const QUrl& base, const QString& tokenPath, qint64 capBytes = 256LL * 1024 * 1024, int deadlineMs = 4000)
    {
        RequestExecutor::Options o;
        o.deadlineMs = deadlineMs;
        o.maxResponseBytes = capBytes;
        m_session.reset();
        m_executor = std::make_unique<RequestExecutor>(o);
        SessionOptions options;
        options.environmentId = QStringLiteral("hostile-") + tokenPath.section(QLatin1Char('/'), -1);
        options.lockDirectory = m_dir.path();
        options.flow.baseUrl = base.toString();
        options.flow.credentials = {{QStringLiteral("token_url"), tokenPath},
                                    {QStringLiteral("client_id"), QStringLiteral("hostile-client")},
                                    {QStringLiteral("client_secret"), kClientSecret},
                                    {QStringLiteral("client_auth"), QStringLiteral("body")}};
        m_session = std::make_unique<Session>(*m_registry.find(QStringLiteral("oauth2-client")), options);
        m_session->setExecutor(m_executor.get());
        m_events.clear();
        connect(m_session.get(), &Session::event, this, [this](const FlowEvent& e) { m_events.append(e); });
        return *m_session;
    }

    FlowResult ensure(Session& s)
    {
        return waitFor<FlowResult>([&](auto done) { s.ensureToken(done); });
    }

    ApiResult call(Session& s, const QString& path)
    {
        ApiRequest r;
        r.path = path;
        return waitFor<ApiResult>([&](auto done) { s.call(r, done); });
    }

    // Nothing secret and nothing of a cut-short reply in any event.
    void verifyEventsClean()
    {
        for (const FlowEvent& e : std::as_const(m_events)) {
            const QString line = QString::fromStdString(e.toJson().dump());
            QVERIFY2(!line.contains(kClientSecret), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String(HostileServer::GoodToken)), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("hostile-cut-short-token")), qPrintable(line));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_registry.loadShipped();
        QVERIFY(m_registry.find(QStringLiteral("oauth2-client")));
        QVERIFY(m_server.listen());
        QVERIFY(m_peer.listen());
        m_server.setPeer(&m_peer);
        QVERIFY(m_tls.listenTls(m_dir.path()));
        m_tls.setPeer(&m_peer);
        // Trust the test's own certificate, the way tls.ca_file does for one environment.
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.addCaCertificate(m_tls.certificate());
        QSslConfiguration::setDefaultConfiguration(config);
    }

    // Every request has an overall deadline of 30 s unless the user sets another (a drip cannot hold a
    // command for minutes); the drip cases below use 1 s.
    void defaultDeadlineIsThirtySeconds()
    {
        QCOMPARE(RequestExecutor::Options().deadlineMs, 30'000);
        QCOMPARE(Preferences::DefaultRequestTimeoutSeconds, 30);
    }

    void tokenEndpointMisbehaves_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("cap");
        using O = FlowResult::Outcome;
        const qint64 big = 256LL * 1024 * 1024;
        QTest::newRow("token is a number") << "number" << int(O::Invalid) << "access_token is not a string" << big;
        QTest::newRow("token is an object") << "object" << int(O::Invalid) << "access_token is not a string" << big;
        QTest::newRow("token is null") << "null" << int(O::Invalid) << "access_token is not a string" << big;
        QTest::newRow("token is empty") << "empty" << int(O::Invalid) << "access_token is not a string" << big;
        QTest::newRow("token is a boolean") << "bool" << int(O::Invalid) << "access_token is not a string" << big;
        QTest::newRow("token is missing") << "missing" << int(O::Refused) << "/access_token is empty or missing" << big;
        QTest::newRow("HTML with 200") << "html-200" << int(O::Invalid) << "a web page (text/html), not JSON" << big;
        QTest::newRow("HTML with 502") << "html-502" << int(O::Refused) << "HTTP 502 Bad Gateway" << big;
        QTest::newRow("malformed JSON") << "malformed" << int(O::Invalid) << "not valid JSON" << big;
        QTest::newRow("wrong shape") << "array" << int(O::Invalid) << "an array, not a JSON object" << big;
        QTest::newRow("error with HTTP 200") << "envelope-200" << int(O::Refused) << "invalid_client" << big;
        QTest::newRow("slow drip") << "drip" << int(O::Network) << "no complete reply within 1 s" << big;
        QTest::newRow("declares 10 GB") << "huge" << int(O::Invalid) << "larger than the limit" << big;
        QTest::newRow("floods past the cap")
            << "flood" << int(O::Invalid) << "larger than the limit of 1.00 MiB" << qint64(1024 * 1024);
        QTest::newRow("gzip bomb") << "gzip-bomb" << int(O::Invalid) << "decompression bomb" << big;
        QTest::newRow("reset mid-body") << "reset" << int(O::Network) << "the reply is incomplete" << big;
        QTest::newRow("redirect loop") << "redirect-loop" << int(O::Invalid) << "too many redirects" << big;
        QTest::newRow("redirect to another origin")
            << "redirect-away" << int(O::Invalid) << "refused to resend the request body to another origin" << big;
    }

    void tokenEndpointMisbehaves()
    {
        QFETCH(QString, kind);
        QFETCH(int, outcome);
        QFETCH(QString, message);
        QFETCH(qint64, cap);
        m_peer.clear();
        // A flood must be cut by the size cap, never by the deadline: give it time on a loaded machine.
        const int deadlineMs = kind == QLatin1String("drip") ? 1000 : kind == QLatin1String("flood") ? 15000 : 4000;
        Session& s = session(m_server.url(), QStringLiteral("/token/") + kind, cap, deadlineMs);
        QElapsedTimer timer;
        timer.start();
        const FlowResult r = ensure(s);
        QVERIFY2(timer.elapsed() < deadlineMs + 1000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(int(r.outcome) == outcome, qPrintable(r.oneLine()));
        QVERIFY2(r.oneLine().contains(message), qPrintable(r.oneLine()));
        QVERIFY(!r.hint.isEmpty());
        QVERIFY(!r.value(QStringLiteral("access_token")));
        QCOMPARE(m_peer.requests().size(), 0); // the client secret never went anywhere else
        verifyEventsClean();
    }

    // The rule of docs/hardening.md: a number or a numeric string, cut to whole seconds; zero, negative,
    // below one second or unreadable is no lifetime (the profile's documented 3600 s is assumed); more
    // than ten years is ten years. Whatever the shape, the token then works.
    void expiresInShapes_data() { test::addExpiresInShapeRows(); }

    void expiresInShapes()
    {
        QFETCH(QString, shape);
        QFETCH(qint64, seconds);
        QFETCH(bool, assumed);
        Session& s = session(m_server.url(), QStringLiteral("/token/expires/") + shape);
        const FlowResult r = ensure(s);
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        const auto token = r.value(QStringLiteral("access_token"));
        QVERIFY(token);
        QCOMPARE(token->lifetimeMs() / 1000, seconds);
        QCOMPARE(token->lifetimeAssumed, assumed);
        const ApiResult called = call(s, QStringLiteral("/api/ok"));
        QVERIFY2(called.ok(), qPrintable(called.oneLine()));
        verifyEventsClean();
    }

    void apiMisbehaves_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("message");
        using O = ApiResult::Outcome;
        QTest::newRow("HTML with 502") << "html-502" << int(O::Refused) << "HTTP 502 Bad Gateway";
        QTest::newRow("slow drip") << "drip" << int(O::Network) << "no complete reply within 1 s";
        QTest::newRow("declares 10 GB") << "huge" << int(O::Refused) << "larger than the limit";
        QTest::newRow("gzip bomb") << "gzip-bomb" << int(O::Refused) << "decompression bomb";
        QTest::newRow("reset mid-body") << "reset" << int(O::Network) << "the reply is incomplete";
        QTest::newRow("redirect loop") << "redirect-loop" << int(O::Refused) << "too many redirects";
    }

    void apiMisbehaves()
    {
        QFETCH(QString, kind);
        QFETCH(int, outcome);
        QFETCH(QString, message);
        Session& s = session(m_server.url(),
                             QStringLiteral("/token/ok"),
                             256LL * 1024 * 1024,
                             kind == QLatin1String("drip") ? 1000 : 4000);
        QElapsedTimer timer;
        timer.start();
        const ApiResult r = call(s, QStringLiteral("/api/") + kind);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(int(r.outcome) == outcome,
                 qPrintable(r.oneLine()
                            + QStringLiteral(" status %1 body %2").arg(r.response.status).arg(r.response.body.size())));
        QVERIFY2(r.oneLine().contains(message), qPrintable(r.oneLine()));
        if (outcome != int(ApiResult::Outcome::Refused) || kind != QLatin1String("html-502")) {
            QVERIFY(r.response.body.isEmpty()); // nothing of a refused or cut-short reply is shown as the body
        }
        verifyEventsClean();
    }

    // 401 on every attempt: one renewal, one retry, then the refusal; never a loop.
    void unauthorizedEveryTimeRenewsOnce()
    {
        m_server.clear();
        Session& s = session(m_server.url(), QStringLiteral("/token/ok"));
        const ApiResult r = call(s, QStringLiteral("/api/unauthorized"));
        QCOMPARE(r.outcome, ApiResult::Outcome::Refused);
        QVERIFY(r.renewed);
        QCOMPARE(r.response.status, 401);
        QCOMPARE(m_server.hits(QStringLiteral("/token/ok")), 2);
        QCOMPARE(m_server.hits(QStringLiteral("/api/unauthorized")), 2);
        verifyEventsClean();
    }

    // The API redirects to another origin: the request follows, the token does not.
    void redirectToAnotherOriginDropsCredentials()
    {
        m_peer.clear();
        Session& s = session(m_server.url(), QStringLiteral("/token/ok"));
        const ApiResult r = call(s, QStringLiteral("/api/redirect-away"));
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        QCOMPARE(r.response.body, QByteArray("{\"peer\":true}"));
        QCOMPARE(m_peer.requests().size(), 1);
        const QByteArray head = m_peer.requests().first();
        QVERIFY2(!head.toLower().contains("authorization"), head.constData());
        QVERIFY(!head.contains(HostileServer::GoodToken));
    }

    // HTTPS that redirects to plain HTTP is refused, for the token endpoint and for the API.
    void httpsToHttpDowngradeIsRefused()
    {
        m_peer.clear();
        Session& ok = session(m_tls.url(), QStringLiteral("/token/ok"));
        const ApiResult fine = call(ok, QStringLiteral("/api/ok"));
        QVERIFY2(fine.ok(), qPrintable(fine.oneLine())); // TLS itself works: the refusal below is the redirect

        const ApiResult r = call(ok, QStringLiteral("/api/redirect-downgrade"));
        QCOMPARE(r.outcome, ApiResult::Outcome::Refused);
        QVERIFY2(r.oneLine().contains(QLatin1String("refused a redirect from HTTPS to http")), qPrintable(r.oneLine()));

        Session& token = session(m_tls.url(), QStringLiteral("/token/redirect-downgrade"));
        const FlowResult t = ensure(token);
        QCOMPARE(t.outcome, FlowResult::Outcome::Invalid);
        QVERIFY2(t.oneLine().contains(QLatin1String("refused a redirect from HTTPS to http")), qPrintable(t.oneLine()));
        QCOMPARE(m_peer.requests().size(), 0);
        verifyEventsClean();
    }

    void cleanupTestCase()
    {
        m_session.reset();
        m_executor.reset();
    }
};

QTEST_GUILESS_MAIN(TestHostileEngine)
#include "tst_hostile_engine.moc"
