// The flow engine and sessions against the embedded sandbox over real loopback HTTP, for each of the
// five seed providers: happy paths, documented failures and their hints, expiry with a fake clock,
// renew-once-and-retry-once, single flight, Idempotency-Key reuse, authorization code with PKCE where
// this test plays the browser, state mismatch, and canary secrets that never leak into events.
#include "core/flow/FlowEngine.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/session/Session.h"
#include "core/util/Clock.h"
#include "tests/support/Await.h"
#include "tests/support/FakeClock.h"
#include "tests/support/SandboxBrowser.h"

#include <QEventLoop>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

using namespace keyway;
using keyway::sandbox::SandboxServer;
using keyway::test::waitFor;

class TestFlowSandbox : public QObject
{
    Q_OBJECT
private:
    ProfileRegistry m_registry;
    std::unique_ptr<SandboxServer> m_sandbox;
    QList<FlowEvent> m_events;
    test::SandboxBrowser m_browser; // plays the system browser: signs in (or denies) and follows the redirect
    int m_browserOpened = 0;
    QTemporaryDir m_lockDir;

    const ProviderProfile& profile(const QString& id) { return *m_registry.find(id); }

    QMap<QString, QString> credentials(const QString& id)
    {
        QMap<QString, QString> map;
        const auto demo = m_sandbox->demoProvider(id);
        for (const auto& [k, v] : demo->credentials) {
            map.insert(k, v);
        }
        return map;
    }

    QString secretsOf(const QString& id)
    {
        QStringList secrets;
        const auto demo = m_sandbox->demoProvider(id);
        for (const auto& [k, v] : demo->credentials) {
            const CredentialField* f = profile(id).field(k);
            if (f && f->secret) {
                secrets.append(v);
            }
        }
        return secrets.join(QLatin1Char('\n'));
    }

    SessionOptions options(const QString& id, const QString& set = {})
    {
        SessionOptions o;
        o.environmentId = QStringLiteral("env-") + id + QString::number(QRandomGenerator::global()->generate());
        o.flow.baseUrl = m_sandbox->demoProvider(id)->baseUrl.toString();
        o.flow.credentials = credentials(id);
        o.flow.credentialSet = set;
        o.flow.openUrl = [this](const QUrl& url) {
            ++m_browserOpened;
            m_browser.opener(true)(url);
            return true;
        };
        o.flow.browserTimeoutMs = 10000;
        o.lockDirectory = m_lockDir.path();
        return o;
    }

    std::unique_ptr<Session> session(const ProviderProfile& p, SessionOptions o)
    {
        auto s = std::make_unique<Session>(p, std::move(o));
        connect(s.get(), &Session::event, this, [this](const FlowEvent& e) { m_events.append(e); });
        return s;
    }

    ApiResult call(Session& s, const QString& method, const QString& path, const QByteArray& body = {})
    {
        ApiRequest r;
        r.method = method;
        r.path = path;
        r.body = body;
        return waitFor<ApiResult>([&](auto done) { s.call(r, done); });
    }

    FlowResult ensure(Session& s)
    {
        return waitFor<FlowResult>([&](auto done) { s.ensureToken(done); });
    }

    QString allEventsJson() const
    {
        QString all;
        for (const FlowEvent& e : m_events) {
            all += QString::fromStdString(e.toJson().dump()) + QLatin1Char('\n');
        }
        return all;
    }

    // No secret, token or code in any event.
    void verifyNoLeak(const QStringList& values)
    {
        const QString json = allEventsJson();
        for (const QString& v : values) {
            if (v.size() >= 4) {
                QVERIFY2(!json.contains(v), qPrintable(QStringLiteral("leaked into events: ") + v.left(6)));
            }
        }
    }

    QList<FlowEvent> eventsOf(FlowEvent::Type type, const QString& step = {}) const
    {
        QList<FlowEvent> out;
        for (const FlowEvent& e : m_events) {
            if (e.type == type && (step.isEmpty() || e.stepId == step)) {
                out.append(e);
            }
        }
        return out;
    }

    static QString header(const FlowEvent& e, const QString& name)
    {
        for (const auto& [k, v] : e.headers) {
            if (k.compare(name, Qt::CaseInsensitive) == 0) {
                return v;
            }
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_lockDir.isValid());
        m_registry.loadShipped();
        QVERIFY(m_registry.find(QStringLiteral("oauth2-code")));
    }

    void init()
    {
        // A fresh sandbox per test: faults and counters start clean.
        m_sandbox = std::make_unique<SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        m_events.clear();
        m_browser.setDecision(test::SandboxBrowser::Decision::Approve);
        m_browserOpened = 0;
    }

    void cleanup()
    {
        m_sandbox.reset();
        Clock::resetInstance();
    }

    void seismicHappyPathWithSingleUseCode()
    {
        auto s = session(profile(QStringLiteral("seismic")), options(QStringLiteral("seismic")));
        const ApiResult r = call(*s, QStringLiteral("GET"), QStringLiteral("/v1/card/bins"));
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        QCOMPARE(r.response.status, 200);
        QVERIFY(r.response.body.contains("485932"));
        const auto captured = eventsOf(FlowEvent::Type::Captured);
        QCOMPARE(captured.size(), 3); // code, access_token, refresh_token
        QCOMPARE(captured[0].name, QStringLiteral("code"));
        QVERIFY(captured[0].singleUse);
        QVERIFY(captured[0].expiresMs - captured[0].issuedMs == 600'000);
        QCOMPARE(captured[1].name, QStringLiteral("access_token"));
        QCOMPARE(captured[1].expiresMs - captured[1].issuedMs, 86'400'000);
        QVERIFY(!captured[1].value.has_value());
        const auto consumed = eventsOf(FlowEvent::Type::Consumed);
        QCOMPARE(consumed.size(), 1);
        QCOMPARE(consumed[0].name, QStringLiteral("code"));
        // The token travels raw in x-access-token, shown redacted.
        const auto apiRequest = eventsOf(FlowEvent::Type::Request, QStringLiteral("api")).value(0);
        QCOMPARE(header(apiRequest, QStringLiteral("x-access-token")), QStringLiteral("«access_token»"));
        QVERIFY(header(apiRequest, QStringLiteral("Authorization")).isEmpty());
        const auto tokenRequest = eventsOf(FlowEvent::Type::Request, QStringLiteral("token")).value(0);
        QVERIFY(tokenRequest.body.contains(QStringLiteral("«clientSecret»")));
        QVERIFY(tokenRequest.body.contains(QStringLiteral("«code»")));
        verifyNoLeak({secretsOf(QStringLiteral("seismic")),
                      s->accessToken()->value,
                      s->values().value(QStringLiteral("code")).value,
                      s->values().value(QStringLiteral("refresh_token")).value});
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("seismic")), 1);
        // A second call reuses the cached token.
        QVERIFY(call(*s, QStringLiteral("GET"), QStringLiteral("/v1/card/bins")).ok());
        QCOMPARE(s->flowsStarted(), 1);
    }

    void seismicReusedCodeGivesTheCodeReusedHint()
    {
        FlowEngine engine(profile(QStringLiteral("seismic")), options(QStringLiteral("seismic")).flow);
        connect(&engine, &FlowEngine::event, this, [this](const FlowEvent& e) {
            if (e.type == FlowEvent::Type::Captured && e.name == QLatin1String("code")) {
                // The code dies before it is exchanged: the reply is "000000" with an empty accessToken.
                m_sandbox->setFault(QStringLiteral("seismic"), QStringLiteral("expire_now"), true);
            }
            m_events.append(e);
        });
        const FlowResult r = waitFor<FlowResult>([&](auto done) {
            connect(&engine, &FlowEngine::finished, this, done);
            engine.runFullFlow();
        });
        QCOMPARE(r.outcome, FlowResult::Outcome::Refused);
        QCOMPARE(r.stepId, QStringLiteral("token"));
        QVERIFY2(r.hint.contains(QStringLiteral("already used")), qPrintable(r.hint));
        const auto failed = eventsOf(FlowEvent::Type::StepFailed);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed[0].hint, r.hint);
    }

    void seismicWrongClientIdIs40001()
    {
        SessionOptions o = options(QStringLiteral("seismic"));
        o.flow.credentials.insert(QStringLiteral("clientId"), QStringLiteral("not-a-client"));
        auto s = session(profile(QStringLiteral("seismic")), o);
        const ApiResult r = call(*s, QStringLiteral("GET"), QStringLiteral("/v1/card/bins"));
        QCOMPARE(r.outcome, ApiResult::Outcome::AuthFailed);
        QCOMPARE(r.auth.stepId, QStringLiteral("authorize"));
        QVERIFY(r.auth.detail.contains(QStringLiteral("40001")));
        QVERIFY(r.auth.hint.contains(QStringLiteral("clientId")));
    }

    void seismic40399RenewsOnceAndRetriesOnceWithTheSameIdempotencyKey()
    {
        auto s = session(profile(QStringLiteral("seismic")), options(QStringLiteral("seismic")));
        QVERIFY(ensure(*s).ok());
        // The provider drops every token issued so far: the next call answers 40399 with HTTP 200.
        QVERIFY(m_sandbox->setFault(QStringLiteral("seismic"), QStringLiteral("expire_now"), true));
        m_events.clear();
        const ApiResult r = call(*s,
                                 QStringLiteral("POST"),
                                 QStringLiteral("/v1/cardholders"),
                                 R"({"binId":"b","firstName":"Ada","lastName":"L","email":"a@example.com"})");
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        QVERIFY(r.renewed);
        QCOMPARE(s->flowsStarted(), 2);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("seismic")), 2);
        const auto apiRequests = eventsOf(FlowEvent::Type::Request, QStringLiteral("api"));
        QCOMPARE(apiRequests.size(), 2);
        const QString key = header(apiRequests[0], QStringLiteral("Idempotency-Key"));
        QVERIFY(
            QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                .match(key)
                .hasMatch());
        QCOMPARE(header(apiRequests[1], QStringLiteral("Idempotency-Key")), key);
        QCOMPARE(eventsOf(FlowEvent::Type::Expired).size(), 1);
        // GET requests carry no Idempotency-Key.
        m_events.clear();
        QVERIFY(call(*s, QStringLiteral("GET"), QStringLiteral("/v1/card/bins")).ok());
        QVERIFY(header(eventsOf(FlowEvent::Type::Request, QStringLiteral("api")).value(0),
                       QStringLiteral("Idempotency-Key"))
                    .isEmpty());
    }

    void secondRefusalEndsTheCall()
    {
        // A token the API never accepts (sent in a header it does not read): 401, renew once, 401 again.
        ProviderProfile broken = profile(QStringLiteral("banking"));
        broken.token.header = QStringLiteral("X-Not-Read");
        auto s = session(broken, options(QStringLiteral("banking")));
        const ApiResult r = call(*s, QStringLiteral("GET"), QStringLiteral("/accounts"));
        QCOMPARE(r.outcome, ApiResult::Outcome::Refused);
        QCOMPARE(r.response.status, 401);
        QVERIFY(r.renewed);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("banking")), 2);
        QVERIFY(r.oneLine().contains(QStringLiteral("401")));
    }

    void bankingRenewsAfterExpiryWithFakeClock()
    {
        auto* clock = test::FakeClock::install();
        auto s = session(profile(QStringLiteral("banking")), options(QStringLiteral("banking")));
        QVERIFY(call(*s, QStringLiteral("GET"), QStringLiteral("/accounts")).ok());
        const qint64 expires = s->accessToken()->expiresMs;
        QCOMPARE(expires - s->accessToken()->issuedMs, 3'600'000);
        clock->advanceSeconds(3000);
        QVERIFY(call(*s, QStringLiteral("GET"), QStringLiteral("/accounts")).ok());
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("banking")), 1);
        clock->advanceSeconds(601); // past expiry: renewed before the call
        QVERIFY(call(*s, QStringLiteral("GET"), QStringLiteral("/accounts")).ok());
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("banking")), 2);
        QCOMPARE(eventsOf(FlowEvent::Type::Expired).size(), 1);
        QVERIFY(s->accessToken()->expiresMs > expires);
        // The form body carried the secret, never the URL.
        const auto tokenRequest = eventsOf(FlowEvent::Type::Request, QStringLiteral("token")).value(0);
        QVERIFY(!tokenRequest.url.contains(QStringLiteral("client_secret")));
        QVERIFY(tokenRequest.body.contains(QStringLiteral("client_secret=«client_secret»")));
        verifyNoLeak({secretsOf(QStringLiteral("banking")), s->accessToken()->value});
    }

    void banking401AfterServerSideExpiryRenewsOnce()
    {
        auto s = session(profile(QStringLiteral("banking")), options(QStringLiteral("banking")));
        QVERIFY(ensure(*s).ok());
        QVERIFY(m_sandbox->setFault(QStringLiteral("banking"), QStringLiteral("expire_now"), true));
        const ApiResult r = call(*s, QStringLiteral("GET"), QStringLiteral("/accounts"));
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        QVERIFY(r.renewed);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("banking")), 2);
    }

    void bankingWrongSecretIsAnAuthFailureWithHint()
    {
        SessionOptions o = options(QStringLiteral("banking"));
        o.flow.credentials.insert(QStringLiteral("client_secret"), QStringLiteral("canary-wrong-secret-123"));
        auto s = session(profile(QStringLiteral("banking")), o);
        const ApiResult r = call(*s, QStringLiteral("GET"), QStringLiteral("/accounts"));
        QCOMPARE(r.outcome, ApiResult::Outcome::AuthFailed);
        QVERIFY2(r.auth.hint.contains(QStringLiteral("client_secret")), qPrintable(r.auth.hint));
        verifyNoLeak({QStringLiteral("canary-wrong-secret-123")});
    }

    void twentyConcurrentCallsMakeOneTokenRequest()
    {
        auto* clock = test::FakeClock::install();
        auto s = session(profile(QStringLiteral("ecard")), options(QStringLiteral("ecard")));
        QVERIFY(ensure(*s).ok());
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("ecard")), 1);
        clock->advanceSeconds(2 * 86400); // every call finds the token expired
        int finished = 0;
        int succeeded = 0;
        QEventLoop loop;
        ApiRequest request;
        request.path = QStringLiteral("/api/transaction/v1/transactions");
        for (int i = 0; i < 20; ++i) {
            s->call(request, [&](const ApiResult& r) {
                succeeded += r.ok() ? 1 : 0;
                if (++finished == 20) {
                    loop.quit();
                }
            });
        }
        QTimer::singleShot(15000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(finished, 20);
        QCOMPARE(succeeded, 20);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("ecard")), 2);
        QCOMPARE(s->flowsStarted(), 2);
    }

    void ecardScopeRefusalIs403WithHint()
    {
        auto s = session(profile(QStringLiteral("ecard")), options(QStringLiteral("ecard")));
        QVERIFY(call(*s, QStringLiteral("GET"), QStringLiteral("/api/transaction/v1/transactions")).ok());
        const auto scope = s->values().value(QStringLiteral("scope"));
        QVERIFY(!scope.secret);
        QVERIFY(scope.value.contains(QStringLiteral("read:transactions")));
        const ApiResult r = call(*s, QStringLiteral("GET"), QStringLiteral("/api/transaction/v1/settlements"));
        QCOMPARE(r.outcome, ApiResult::Outcome::Refused);
        QCOMPARE(r.response.status, 403);
        QVERIFY(!r.renewed); // 403 is not a reauth status
        QVERIFY(r.oneLine().contains(QStringLiteral("403")));
        QVERIFY(r.hint.contains(QStringLiteral("scope")));
    }

    void astradaSdkTokenIsRefusedOnBackendEndpoints()
    {
        auto sdk
            = session(profile(QStringLiteral("astrada")), options(QStringLiteral("astrada"), QStringLiteral("sdk")));
        const ApiResult refused = call(*sdk, QStringLiteral("GET"), QStringLiteral("/subaccounts"));
        QCOMPARE(refused.outcome, ApiResult::Outcome::Refused);
        QCOMPARE(refused.response.status, 403);
        QVERIFY(refused.hint.contains(QStringLiteral("API credential set (api)")));
        auto api
            = session(profile(QStringLiteral("astrada")), options(QStringLiteral("astrada"), QStringLiteral("api")));
        const ApiResult ok = call(*api, QStringLiteral("GET"), QStringLiteral("/subaccounts"));
        QVERIFY2(ok.ok(), qPrintable(ok.oneLine()));
        // Each set has its own token: the API token's lifetime comes from expires_in (5 minutes).
        QCOMPARE(api->accessToken()->expiresMs - api->accessToken()->issuedMs, 300'000);
        QVERIFY(api->accessToken()->value != sdk->accessToken()->value);
        verifyNoLeak({secretsOf(QStringLiteral("astrada")), api->accessToken()->value, sdk->accessToken()->value});
    }

    void oauth2ClientWithHttpBasic()
    {
        SessionOptions o = options(QStringLiteral("oauth2-client"));
        o.flow.credentials.insert(QStringLiteral("client_auth"), QStringLiteral("basic"));
        auto s = session(profile(QStringLiteral("oauth2-client")), o);
        const FlowResult r = ensure(*s);
        QVERIFY2(r.ok(), qPrintable(r.oneLine()));
        const auto tokenRequest = eventsOf(FlowEvent::Type::Request, QStringLiteral("token")).value(0);
        QCOMPARE(header(tokenRequest, QStringLiteral("Authorization")), QStringLiteral("Basic «authorization»"));
        QVERIFY(!tokenRequest.body.contains(QStringLiteral("client_secret")));
    }

    void authorizationCodeWithPkceAndRefresh()
    {
        QString stored;
        int saves = 0;
        SessionOptions o = options(QStringLiteral("oauth2-code"));
        o.refreshStore.load = [&](std::function<void(const QString&)> done) { done(stored); };
        o.refreshStore.save = [&](const QString& token) {
            stored = token;
            ++saves;
        };
        auto s = session(profile(QStringLiteral("oauth2-code")), o);
        const ApiResult me = call(*s, QStringLiteral("GET"), QStringLiteral("/api/me"));
        QVERIFY2(me.ok(), qPrintable(me.oneLine()));
        QCOMPARE(m_browserOpened, 1);
        const auto authorize = eventsOf(FlowEvent::Type::AuthorizeUrl).value(0);
        const QUrlQuery query(QUrl(authorize.url));
        QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QVERIFY(query.queryItemValue(QStringLiteral("code_challenge")).size() >= 43);
        QVERIFY(query.queryItemValue(QStringLiteral("state")).size() >= 22);
        QVERIFY(QRegularExpression(QStringLiteral("^http://127\\.0\\.0\\.1:\\d+/callback$"))
                    .match(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded))
                    .hasMatch());
        const QString userId = s->values().value(QStringLiteral("user_id")).value;
        QVERIFY(!userId.isEmpty());
        QVERIFY(!stored.isEmpty());
        QCOMPARE(saves, 1);
        const QString firstAccess = s->accessToken()->value;
        const QString firstRefresh = stored;
        const auto tokenRequest = eventsOf(FlowEvent::Type::Request, QStringLiteral("token")).value(0);
        QVERIFY(tokenRequest.body.contains(QStringLiteral("code_verifier=«code_verifier»")));

        // A new process: the stored refresh token renews without a browser.
        m_browserOpened = 0;
        auto later = session(profile(QStringLiteral("oauth2-code")), o);
        const FlowResult refreshed = ensure(*later);
        QVERIFY2(refreshed.ok(), qPrintable(refreshed.oneLine()));
        QCOMPARE(m_browserOpened, 0);
        QVERIFY(later->accessToken()->value != firstAccess);
        QVERIFY(call(*later, QStringLiteral("GET"), QStringLiteral("/api/me")).ok());
        verifyNoLeak(
            {secretsOf(QStringLiteral("oauth2-code")), firstAccess, firstRefresh, stored, later->accessToken()->value});
    }

    void stateMismatchIsRejectedWithoutTokenRequest()
    {
        QVERIFY(m_sandbox->setFault(QStringLiteral("oauth2-code"), QStringLiteral("alter_state"), true));
        auto s = session(profile(QStringLiteral("oauth2-code")), options(QStringLiteral("oauth2-code")));
        const FlowResult r = ensure(*s);
        QCOMPARE(r.outcome, FlowResult::Outcome::StateMismatch);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 0);
        QVERIFY(eventsOf(FlowEvent::Type::Request, QStringLiteral("token")).isEmpty());
    }

    void deniedSignInFailsWithTheProvidersError()
    {
        m_browser.setDecision(test::SandboxBrowser::Decision::Deny);
        auto s = session(profile(QStringLiteral("oauth2-code")), options(QStringLiteral("oauth2-code")));
        const FlowResult r = ensure(*s);
        QCOMPARE(r.outcome, FlowResult::Outcome::Refused);
        QCOMPARE(r.oauthError, QStringLiteral("access_denied"));
        QVERIFY(r.hint.contains(QStringLiteral("denied")));
    }

    void browserTimeout()
    {
        SessionOptions o = options(QStringLiteral("oauth2-code"));
        o.flow.browserTimeoutMs = 300;
        o.flow.openUrl = [](const QUrl&) { return true; }; // nobody signs in
        auto s = session(profile(QStringLiteral("oauth2-code")), o);
        QCOMPARE(ensure(*s).outcome, FlowResult::Outcome::Timeout);
    }

    void tokensNeverGoToAnotherOrigin()
    {
        auto s = session(profile(QStringLiteral("banking")), options(QStringLiteral("banking")));
        const ApiResult r = call(*s, QStringLiteral("GET"), QStringLiteral("https://elsewhere.example/accounts"));
        QCOMPARE(r.outcome, ApiResult::Outcome::Invalid);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("banking")), 0);
    }
};

QTEST_GUILESS_MAIN(TestFlowSandbox)
#include "tst_flow_sandbox.moc"
