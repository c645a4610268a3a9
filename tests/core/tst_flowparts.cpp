// Unit tests of the flow engine's parts: templates and URLs, success rules and hints from the shipped
// profiles, PKCE, JWT decoding, idempotency patterns and the loopback receiver (over real TCP).
#include "core/flow/LoopbackReceiver.h"
#include "core/flow/Pkce.h"
#include "core/flow/ReplyJudge.h"
#include "core/flow/TemplateResolver.h"
#include "core/http/Idempotency.h"
#include "core/profile/ProfileLoader.h"
#include "core/util/Jwt.h"

#include <QEventLoop>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace keyway;

namespace {

QString jwtWith(const QByteArray& claims)
{
    const auto part = [](const QByteArray& json) {
        return QString::fromLatin1(json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    return part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + QLatin1Char('.') + part(claims) + QStringLiteral(".c2ln");
}

QByteArray httpGet(quint16 port, const QByteArray& target)
{
    // Asynchronous on purpose: the receiver answers from this thread's event loop.
    QTcpSocket socket;
    QByteArray reply;
    QEventLoop loop;
    QObject::connect(&socket, &QTcpSocket::connected, &loop, [&] {
        socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] { reply += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(3000, &loop, &QEventLoop::quit);
    socket.connectToHost(QHostAddress::LocalHost, port);
    loop.exec();
    return reply;
}

} // namespace

class TestFlowParts : public QObject
{
    Q_OBJECT
private:
    ProfileRegistry m_registry;

private Q_SLOTS:
    void initTestCase()
    {
        m_registry.loadShipped();
        QVERIFY(m_registry.find(QStringLiteral("seismic")));
    }

    void urlsKeepTheBasePathPrefix_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("prefix") << "https://h/prov"
                                << "/oauth/token"
                                << "https://h/prov/oauth/token";
        QTest::newRow("prefix slash") << "https://h/prov/"
                                      << "/oauth/token"
                                      << "https://h/prov/oauth/token";
        QTest::newRow("no slash") << "https://h/prov"
                                  << "token"
                                  << "https://h/prov/token";
        QTest::newRow("absolute") << "https://h/prov"
                                  << "https://idp.example/t"
                                  << "https://idp.example/t";
        QTest::newRow("absolute http") << "https://h/prov"
                                       << "http://127.0.0.1:9/t"
                                       << "http://127.0.0.1:9/t";
        QTest::newRow("query kept") << "http://h:8080/a/b"
                                    << "/x?y=1"
                                    << "http://h:8080/a/b/x?y=1";
    }
    void urlsKeepTheBasePathPrefix()
    {
        QFETCH(QString, base);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QCOMPARE(TemplateResolver::resolveUrl(base, value).toString(), expected);
    }

    void templatesResolveCredentialSetsAndDefaults()
    {
        const ProviderProfile* astrada = m_registry.find(QStringLiteral("astrada"));
        QVERIFY(astrada);
        QMap<QString, QString> creds {{QStringLiteral("api.client_id"), QStringLiteral("api-id")},
                                      {QStringLiteral("sdk.client_id"), QStringLiteral("sdk-id")}};
        TemplateResolver sdk(*astrada, creds, QStringLiteral("sdk"));
        QCOMPARE(sdk.resolve(QStringLiteral("{{client_id}}")), QStringLiteral("sdk-id"));
        TemplateResolver api(*astrada, creds, QStringLiteral("api"));
        QCOMPARE(api.resolve(QStringLiteral("id={{ client_id }}&x={{nothing}}")), QStringLiteral("id=api-id&x="));

        const ProviderProfile* client = m_registry.find(QStringLiteral("oauth2-client"));
        TemplateResolver defaults(*client, {}, QString());
        QCOMPARE(defaults.resolve(QStringLiteral("{{client_auth}}")), QStringLiteral("body"));
        defaults.setCaptured(QStringLiteral("code"), QStringLiteral("c1"));
        defaults.setVariable(QStringLiteral("state"), QStringLiteral("s1"));
        QCOMPARE(defaults.resolve(QStringLiteral("{{code}}/{{state}}")), QStringLiteral("c1/s1"));
    }

    void seismicEnvelopeRulesAndHints()
    {
        const ProviderProfile* seismic = m_registry.find(QStringLiteral("seismic"));
        const FlowStep& token = seismic->steps.at(1);
        // "000000" with an empty accessToken: the code was reused or expired.
        Verdict reused
            = ReplyJudge::judge(token.success, 200, R"({"code":"000000","msg":"success","data":{"accessToken":""}})");
        QVERIFY(!reused.ok);
        QCOMPARE(reused.emptyPointer, QStringLiteral("/data/accessToken"));
        QVERIFY(
            ReplyJudge::hintFor(*seismic, QStringLiteral("token"), reused).contains(QStringLiteral("already used")));
        // Same when data is absent altogether (documents leave fields optional).
        Verdict noData = ReplyJudge::judge(token.success, 200, R"({"code":"000000","msg":"success"})");
        QVERIFY(
            ReplyJudge::hintFor(*seismic, QStringLiteral("token"), noData).contains(QStringLiteral("already used")));
        // 40001 on authorize: the step-specific hint, not the code-reused one.
        Verdict bad
            = ReplyJudge::judge(seismic->steps.at(0).success, 200, R"({"code":"40001","msg":"Invalid parameter"})");
        QVERIFY(!bad.ok);
        QCOMPARE(bad.envelopeCode, QStringLiteral("40001"));
        QVERIFY(bad.detail.contains(QStringLiteral("40001")));
        QVERIFY(ReplyJudge::hintFor(*seismic, QStringLiteral("authorize"), bad).contains(QStringLiteral("clientId")));
        // 40399 with HTTP 200 on an API call.
        Verdict denied = ReplyJudge::judge(seismic->apiSuccess, 200, R"({"code":"40399","msg":"permission denied"})");
        QVERIFY(!denied.ok);
        QVERIFY(ReplyJudge::hintFor(*seismic, QStringLiteral("api"), denied).contains(QStringLiteral("40399")));
        QVERIFY(ReplyJudge::judge(seismic->apiSuccess, 200, R"({"code":"000000","data":[]})").ok);
        // A code given as a number still compares.
        QVERIFY(!ReplyJudge::judge(seismic->apiSuccess, 200, R"({"code":40399})").ok);
    }

    // Every shipped provider tells "the token endpoint refused the credentials" from "an API call refused the
    // token": the first names a credential field and never says the token expired, the second is another hint.
    // The replies are the ones each provider (and its sandbox) sends for a wrong secret and a dead token.
    void hintsAreScopedToTheStepForEveryProvider_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<int>("tokenStatus");
        QTest::addColumn<QByteArray>("tokenBody");
        QTest::addColumn<int>("apiStatus");
        QTest::addColumn<QByteArray>("apiBody");
        const QByteArray invalidClient = R"({"error":"invalid_client"})";
        QTest::newRow("seismic") << "seismic" << 200 << QByteArray(R"({"code":"40399","msg":"permission denied"})")
                                 << 200 << QByteArray(R"({"code":"40399","msg":"permission denied"})");
        QTest::newRow("banking") << "banking" << 401 << invalidClient << 401 << QByteArray();
        QTest::newRow("ecard") << "ecard" << 401
                               << QByteArray(R"({"errors":[{"status":"401","title":"Unauthorized"}]})") << 401
                               << QByteArray(R"({"errors":[{"status":"401","title":"Unauthorized"}]})");
        QTest::newRow("astrada") << "astrada" << 401 << invalidClient << 401 << QByteArray();
        QTest::newRow("oauth2-client") << "oauth2-client" << 401 << invalidClient << 401 << QByteArray();
        QTest::newRow("oauth2-code") << "oauth2-code" << 401 << invalidClient << 401 << QByteArray();
    }

    void hintsAreScopedToTheStepForEveryProvider()
    {
        QFETCH(QString, provider);
        QFETCH(int, tokenStatus);
        QFETCH(QByteArray, tokenBody);
        QFETCH(int, apiStatus);
        QFETCH(QByteArray, apiBody);
        const ProviderProfile* profile = m_registry.find(provider);
        QVERIFY(profile);
        const FlowStep* tokenStep = nullptr;
        for (const FlowStep& step : profile->steps) {
            for (const Capture& capture : step.captures) {
                tokenStep = capture.name == profile->token.capture ? &step : tokenStep;
            }
        }
        QVERIFY(tokenStep);
        const Verdict refused = ReplyJudge::judge(tokenStep->success, tokenStatus, tokenBody);
        QVERIFY(!refused.ok);
        const QString atToken = ReplyJudge::hintFor(*profile, tokenStep->id, refused);
        QVERIFY2(!atToken.isEmpty(), qPrintable(provider));
        QVERIFY2(atToken.contains(QStringLiteral("secret"), Qt::CaseInsensitive), qPrintable(atToken));
        QVERIFY2(!atToken.contains(QStringLiteral("expired")), qPrintable(atToken));
        const Verdict dead = ReplyJudge::judge(profile->apiSuccess, apiStatus, apiBody);
        QVERIFY(!dead.ok);
        const QString onApi = ReplyJudge::hintFor(*profile, QStringLiteral("api"), dead);
        QVERIFY2(!onApi.isEmpty() && onApi != atToken, qPrintable(onApi));
        // The GUI shows these hints too: none names a command-line flag.
        for (const ErrorHint& hint : profile->hints) {
            QVERIFY2(!hint.text.contains(QStringLiteral("--")), qPrintable(hint.text));
        }
    }

    // The status is said once, by its right name, and the provider's own words come along.
    void statusesAreNamedOnceAndRight_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("meaning");
        QTest::newRow("401") << 401 << "401 Unauthorized"
                             << "refused the credentials";
        QTest::newRow("403") << 403 << "403 Forbidden"
                             << "permission or scope";
        QTest::newRow("500") << 500 << "500 Internal Server Error"
                             << "internal error";
        QTest::newRow("502") << 502 << "502 Bad Gateway"
                             << "gateway";
        QTest::newRow("503") << 503 << "503 Service Unavailable"
                             << "unavailable";
    }

    void statusesAreNamedOnceAndRight()
    {
        QFETCH(int, status);
        QFETCH(QString, reason);
        QFETCH(QString, meaning);
        const ProviderProfile* client = m_registry.find(QStringLiteral("oauth2-client"));
        const Verdict verdict = ReplyJudge::judge(client->apiSuccess, status, "<html>down</html>");
        QVERIFY(!verdict.ok);
        const QString line
            = verdict.detail + QStringLiteral(" — ") + ReplyJudge::hintFor(*client, QStringLiteral("token"), verdict);
        QCOMPARE(line.count(QString::number(status)), 1);
        QVERIFY2(line.contains(reason) && line.contains(meaning), qPrintable(line));
        if (status == 502) {
            QVERIFY2(!line.contains(QStringLiteral("internal")), qPrintable(line));
        }
    }

    void jsonApiErrorTextReachesTheDetail()
    {
        const ProviderProfile* ecard = m_registry.find(QStringLiteral("ecard"));
        const Verdict verdict
            = ReplyJudge::judge(ecard->apiSuccess,
                                401,
                                R"({"errors":[{"status":"401","title":"Unauthorized","detail":"Token has expired"}]})");
        QVERIFY2(verdict.detail.contains(QStringLiteral("Token has expired")), qPrintable(verdict.detail));
    }

    void oauthErrorsAndStatusHints()
    {
        const ProviderProfile* banking = m_registry.find(QStringLiteral("banking"));
        const FlowStep& token = banking->steps.at(0);
        Verdict v = ReplyJudge::judge(token.success, 401, R"({"error":"invalid_client"})");
        QCOMPARE(v.oauthError, QStringLiteral("invalid_client"));
        QVERIFY(ReplyJudge::hintFor(*banking, QStringLiteral("token"), v).contains(QStringLiteral("client_secret")));
        Verdict api = ReplyJudge::judge(banking->apiSuccess, 401, "");
        QVERIFY(ReplyJudge::hintFor(*banking, QStringLiteral("api"), api).contains(QStringLiteral("one hour")));
        const ProviderProfile* ecard = m_registry.find(QStringLiteral("ecard"));
        Verdict scope = ReplyJudge::judge(ecard->apiSuccess, 403, R"({"errors":[{"status":"403"}]})");
        QVERIFY(ReplyJudge::hintFor(*ecard, QStringLiteral("api"), scope).contains(QStringLiteral("scope")));
        // Non-JSON bodies are judged by status alone.
        QVERIFY(ReplyJudge::judge(ecard->apiSuccess, 200, "<html>").ok);
    }

    void pkceIsS256WithEnoughEntropy()
    {
        const Pkce a = Pkce::generate();
        const Pkce b = Pkce::generate();
        QCOMPARE(a.verifier.size(), 43); // 256 bits
        QVERIFY(a.verifier != b.verifier);
        // RFC 7636 appendix B test vector.
        QCOMPARE(Pkce::challengeFor(QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
                 QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{43}$")).match(Pkce::randomToken(32)).hasMatch());
    }

    void jwtDecoding()
    {
        const auto jwt = Jwt::decode(jwtWith(R"({"sub":"user-7","exp":1893456000,"iat":"1893452400"})"));
        QVERIFY(jwt);
        QCOMPARE(jwt->subject(), QStringLiteral("user-7"));
        QCOMPARE(*jwt->expiresAt(), 1893456000);
        QCOMPARE(*jwt->issuedAt(), 1893452400);
        QVERIFY(!Jwt::decode(QStringLiteral("FOEtUHwg0das9PhsasVmgMGbZn7nWSgK")));
        QVERIFY(!Jwt::decode(QStringLiteral("a.b.c")));
        QVERIFY(!Jwt::decode(jwtWith(R"({"sub":"x"})")).value().expiresAt());
    }

    void idempotencyPatterns()
    {
        const ProviderProfile* seismic = m_registry.find(QStringLiteral("seismic"));
        const auto& rules = seismic->idempotency;
        QCOMPARE(idempotencyHeaderFor(rules, QStringLiteral("POST"), QStringLiteral("/v1/cardholders")),
                 QByteArray("Idempotency-Key"));
        QCOMPARE(idempotencyHeaderFor(rules, QStringLiteral("post"), QStringLiteral("/v1/budgets/42/transfer-in?x=1")),
                 QByteArray("Idempotency-Key"));
        QVERIFY(idempotencyHeaderFor(rules, QStringLiteral("GET"), QStringLiteral("/v1/cardholders")).isEmpty());
        QVERIFY(idempotencyHeaderFor(rules, QStringLiteral("POST"), QStringLiteral("/v1/budgets/42/x/transfer-in"))
                    .isEmpty());
        const QByteArray key = newIdempotencyKey();
        QVERIFY(
            QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                .match(QString::fromLatin1(key))
                .hasMatch());
        QVERIFY(key != newIdempotencyKey());
    }

    void loopbackIgnoresNoiseAndAcceptsOneCallback()
    {
        LoopbackReceiver receiver(QStringLiteral("/callback"));
        QVERIFY(receiver.listen());
        receiver.setExpectedState(QStringLiteral("st-1"));
        QVERIFY(receiver.redirectUri().startsWith(QStringLiteral("http://127.0.0.1:")));
        QSignalSpy received(&receiver, &LoopbackReceiver::received);
        QSignalSpy mismatch(&receiver, &LoopbackReceiver::stateMismatch);
        QVERIFY(httpGet(receiver.port(), "/favicon.ico").startsWith("HTTP/1.1 404"));
        QVERIFY(httpGet(receiver.port(), "/callback").startsWith("HTTP/1.1 404"));
        QVERIFY(httpGet(receiver.port(), "/other?code=x&state=st-1").startsWith("HTTP/1.1 404"));
        QCOMPARE(received.count(), 0);
        const QByteArray ok = httpGet(receiver.port(), "/callback?code=abc&state=st-1");
        QVERIFY(ok.startsWith("HTTP/1.1 200"));
        QVERIFY(ok.contains("Signed in"));
        QCOMPARE(received.count(), 1);
        const auto params = received.at(0).at(0).value<QMap<QString, QString>>();
        QCOMPARE(params.value(QStringLiteral("code")), QStringLiteral("abc"));
        QCOMPARE(mismatch.count(), 0);
    }

    void loopbackRejectsAnotherState()
    {
        LoopbackReceiver receiver(QStringLiteral("/callback"));
        QVERIFY(receiver.listen());
        receiver.setExpectedState(QStringLiteral("expected"));
        QSignalSpy received(&receiver, &LoopbackReceiver::received);
        QSignalSpy mismatch(&receiver, &LoopbackReceiver::stateMismatch);
        QVERIFY(httpGet(receiver.port(), "/callback?code=abc&state=forged").startsWith("HTTP/1.1 400"));
        QCOMPARE(mismatch.count(), 1);
        QCOMPARE(received.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestFlowParts)
#include "tst_flowparts.moc"
