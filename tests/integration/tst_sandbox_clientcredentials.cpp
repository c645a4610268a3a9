// Banking, eCard and Astrada emulations over real loopback HTTP: each one's token endpoint,
// documented refusals, token lifetimes (FakeClock + time scale), scopes and credential sets.
#include "core/sandbox/SandboxServer.h"
#include "tests/support/FakeClock.h"
#include "tests/support/SandboxBrowser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTest>

using keyway::sandbox::SandboxServer;
using keyway::test::FakeClock;
using keyway::test::httpExchange;
using keyway::test::HttpExchange;

namespace {
QJsonObject json(const HttpExchange& exchange)
{
    return QJsonDocument::fromJson(exchange.body).object();
}
QJsonObject jwtClaims(const QString& jwt)
{
    const QStringList parts = jwt.split('.');
    if (parts.size() != 3) {
        return {};
    }
    return QJsonDocument::fromJson(QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding))
        .object();
}
const QList<QPair<QByteArray, QByteArray>> kJson {{"Content-Type", "application/json"}};
const QList<QPair<QByteArray, QByteArray>> kForm {{"Content-Type", "application/x-www-form-urlencoded"}};
} // namespace

class TestSandboxClientCredentials : public QObject
{
    Q_OBJECT

private:
    SandboxServer m_server;
    QNetworkAccessManager m_nam;
    FakeClock* m_clock = nullptr;

    QUrl url(const QString& provider, const QString& path) const
    {
        return QUrl(m_server.demoProvider(provider)->baseUrl.toString() + path);
    }
    QString cred(const QString& provider, const QString& key) const
    {
        return m_server.demoProvider(provider)->credential(key);
    }
    HttpExchange get(const QUrl& target, const QString& bearer)
    {
        return httpExchange(m_nam, "GET", target, {}, {{"Authorization", "Bearer " + bearer.toLatin1()}});
    }
    HttpExchange bankToken(const QByteArray& form, const QString& query = {})
    {
        QUrl target = url("banking", "/token");
        target.setQuery(query);
        return httpExchange(m_nam, "POST", target, form, kForm);
    }
    QByteArray bankForm() const
    {
        return "grant_type=client_credentials&client_id=" + QUrl::toPercentEncoding(cred("banking", "client_id"))
            + "&client_secret=" + QUrl::toPercentEncoding(cred("banking", "client_secret"));
    }
    HttpExchange jsonToken(const QString& provider, const QString& path, const QJsonObject& body)
    {
        return httpExchange(
            m_nam, "POST", url(provider, path), QJsonDocument(body).toJson(QJsonDocument::Compact), kJson);
    }
    QJsonObject ecardBody(const QString& secret) const
    {
        return {
            {"client_id", cred("ecard", "client_id")}, {"client_secret", secret}, {"grant_type", "client_credentials"}};
    }
    QJsonObject astradaBody(const QString& set) const
    {
        return {{"client_id", cred("astrada", set + ".client_id")},
                {"client_secret", cred("astrada", set + ".client_secret")},
                {"grant_type", "client_credentials"}};
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_server.listen(), qPrintable(m_server.errorString())); }
    void init()
    {
        m_server.setTimeScale(1);
        m_clock = FakeClock::install();
    }
    void cleanup() { keyway::Clock::resetInstance(); }

    // --- Banking ---
    void bankingFormTokenWithoutExpiresIn()
    {
        const auto reply = bankToken(bankForm());
        QCOMPARE(reply.status, 200);
        const QJsonObject body = json(reply);
        QCOMPARE(body["token_type"].toString(), QString("Bearer"));
        QVERIFY(!body.contains("expires_in"));
        const QString token = body["access_token"].toString();
        QCOMPARE(token.size(), 32);
        const auto accounts = get(url("banking", "/accounts"), token);
        QCOMPARE(accounts.status, 200);
        QVERIFY(!QJsonDocument::fromJson(accounts.body).array().isEmpty());
    }

    void bankingRefusesJsonQuerySecretAndBadCredentials()
    {
        const auto asJson = httpExchange(m_nam,
                                         "POST",
                                         url("banking", "/token"),
                                         R"({"grant_type":"client_credentials","client_id":"a","client_secret":"b"})",
                                         kJson);
        QCOMPARE(asJson.status, 400);
        QCOMPARE(json(asJson)["error"].toString(), QString("invalid_request"));
        const auto inQuery
            = bankToken("grant_type=client_credentials&client_id=" + cred("banking", "client_id").toLatin1(),
                        "client_secret=" + cred("banking", "client_secret"));
        QCOMPARE(inQuery.status, 400);
        QCOMPARE(json(inQuery)["error"].toString(), QString("invalid_request"));
        const auto wrong = bankToken("grant_type=client_credentials&client_id=x&client_secret=y");
        QCOMPARE(wrong.status, 401);
        QCOMPARE(json(wrong)["error"].toString(), QString("invalid_client"));
    }

    void bankingTokenDiesAfterOneHourWith401()
    {
        const QString token = json(bankToken(bankForm()))["access_token"].toString();
        m_clock->advanceSeconds(3599);
        QCOMPARE(get(url("banking", "/accounts"), token).status, 200);
        m_clock->advanceSeconds(2);
        const auto expired = get(url("banking", "/accounts"), token);
        QCOMPARE(expired.status, 401);
        QVERIFY(expired.header("WWW-Authenticate").contains("error=\"invalid_token\""));
        QCOMPARE(get(url("banking", "/accounts"), "unknown-token").status, 401);
    }

    void bankingFaults()
    {
        const QString token = json(bankToken(bankForm()))["access_token"].toString();
        QVERIFY(m_server.setFault("banking", "revoke", true));
        QCOMPARE(get(url("banking", "/accounts"), token).status, 401);
        QVERIFY(m_server.activeFaults("banking").isEmpty()); // revoke acts once
        QVERIFY(m_server.setFault("banking", "deny", true));
        QCOMPARE(bankToken(bankForm()).status, 401);
        QVERIFY(m_server.setFault("banking", "deny", false));
        QCOMPARE(bankToken(bankForm()).status, 200);
    }

    // --- eCard ---
    void ecardJsonApiTokenIsAJwtWithScope()
    {
        const auto reply
            = jsonToken("ecard", "/api/reporting/v1/auth/token", ecardBody(cred("ecard", "client_secret")));
        QCOMPARE(reply.status, 200);
        const QJsonObject body = json(reply);
        QCOMPARE(body["data"].toObject()["type"].toString(), QString("oauth-token"));
        const QJsonObject attributes = body["data"].toObject()["attributes"].toObject();
        QCOMPARE(attributes["token_type"].toString(), QString("Bearer"));
        QCOMPARE(attributes["expires_in"].toInt(), 86400);
        QCOMPARE(attributes["scope"].toString(), QString("read:reports read:transactions export:reports"));
        QVERIFY(body["meta"].toObject()["request_id"].toString().startsWith("req-"));
        QCOMPARE(body["jsonapi"].toObject()["version"].toString(), QString("1.0"));
        const QJsonObject claims = jwtClaims(attributes["access_token"].toString());
        QCOMPARE(qint64(claims["exp"].toDouble()), keyway::Clock::currentSecsSinceEpoch() + 86400);
        QCOMPARE(qint64(claims["iat"].toDouble()), keyway::Clock::currentSecsSinceEpoch());
        QCOMPARE(claims["sub"].toString(), cred("ecard", "client_id"));
        QVERIFY(claims["scope"].toString().contains("read:transactions"));

        const QString token = attributes["access_token"].toString();
        const auto list = get(url("ecard", "/api/transaction/v1/transactions"), token);
        QCOMPARE(list.status, 200);
        QCOMPARE(json(list)["data"].toArray().first().toObject()["type"].toString(), QString("transaction"));
        const auto forbidden = get(url("ecard", "/api/transaction/v1/settlements"), token);
        QCOMPARE(forbidden.status, 403);
        QCOMPARE(json(forbidden)["errors"].toArray().first().toObject()["status"].toString(), QString("403"));
        m_clock->advanceSeconds(86401);
        QCOMPARE(get(url("ecard", "/api/transaction/v1/transactions"), token).status, 401);
    }

    void ecardErrors()
    {
        const QString path = "/api/reporting/v1/auth/token";
        const auto notJson = httpExchange(m_nam, "POST", url("ecard", path), "client_id=a", kJson);
        QCOMPARE(notJson.status, 400);
        QVERIFY(json(notJson)["errors"].toArray().first().toObject().contains("detail"));
        QJsonObject badGrant = ecardBody(cred("ecard", "client_secret"));
        badGrant["grant_type"] = "password";
        QCOMPARE(jsonToken("ecard", path, badGrant).status, 400);
        QJsonObject missing = ecardBody(cred("ecard", "client_secret"));
        missing.remove("client_secret");
        QCOMPARE(jsonToken("ecard", path, missing).status, 400);
        const auto wrong = jsonToken("ecard", path, ecardBody("wrong"));
        QCOMPARE(wrong.status, 401);
        QCOMPARE(json(wrong)["errors"].toArray().first().toObject()["title"].toString(), QString("Unauthorized"));
        QCOMPARE(get(url("ecard", "/api/transaction/v1/transactions"), "eyJ.forged.token").status, 401);
    }

    void ecardErrorPageFaultAnd502()
    {
        QVERIFY(m_server.setFault("ecard", "error_page", true));
        const auto page = jsonToken("ecard", "/api/reporting/v1/auth/token", ecardBody(cred("ecard", "client_secret")));
        QCOMPARE(page.status, 502);
        QVERIFY(page.body.contains("<html>"));
        QVERIFY(m_server.setFault("ecard", "error_page", false));
    }

    // --- Astrada ---
    void astradaApiAndSdkCredentialSets()
    {
        const auto api = jsonToken("astrada", "/oauth/token", astradaBody("api"));
        QCOMPARE(api.status, 200);
        QCOMPARE(json(api)["expires_in"].toInt(), 300);
        QCOMPARE(json(api)["token_type"].toString(), QString("Bearer"));
        QVERIFY(!json(api).contains("refresh_token"));
        const QString apiToken = json(api)["access_token"].toString();
        QCOMPARE(qint64(jwtClaims(apiToken)["exp"].toDouble()), keyway::Clock::currentSecsSinceEpoch() + 300);

        const QString sdkToken
            = json(jsonToken("astrada", "/oauth/token", astradaBody("sdk")))["access_token"].toString();
        QVERIFY(!sdkToken.isEmpty());
        QVERIFY(cred("astrada", "sdk.client_id") != cred("astrada", "api.client_id"));

        QCOMPARE(get(url("astrada", "/transactions"), apiToken).status, 200);
        QCOMPARE(get(url("astrada", "/subaccounts"), apiToken).status, 200);
        QCOMPARE(get(url("astrada", "/transactions"), sdkToken).status, 403);
        QCOMPARE(get(url("astrada", "/subaccounts"), sdkToken).status, 403);
        for (const QString& token : {apiToken, sdkToken}) {
            const auto enrol
                = httpExchange(m_nam,
                               "POST",
                               url("astrada", "/card-enrollments"),
                               R"({"subaccountId":"67bc3887-4e25-49cf-bea7-326d808acb5f"})",
                               {{"Authorization", "Bearer " + token.toLatin1()}, {"Content-Type", "application/json"}});
            QCOMPARE(enrol.status, 201);
        }
    }

    void astradaRefusalsAndFiveMinuteExpiry()
    {
        QJsonObject wrong = astradaBody("api");
        wrong["client_secret"] = cred("astrada", "sdk.client_secret"); // secrets of the other set
        QCOMPARE(jsonToken("astrada", "/oauth/token", wrong).status, 401);
        QCOMPARE(httpExchange(m_nam, "POST", url("astrada", "/oauth/token"), "not json", kJson).status, 400);

        const QString token = json(jsonToken("astrada", "/oauth/token", astradaBody("api")))["access_token"].toString();
        m_clock->advanceSeconds(301);
        QCOMPARE(get(url("astrada", "/transactions"), token).status, 401);
    }

    void timeScaleShortensAstradaTokens()
    {
        m_server.setTimeScale(60);
        const auto reply = jsonToken("astrada", "/oauth/token", astradaBody("api"));
        QCOMPARE(json(reply)["expires_in"].toInt(), 5);
        const QString token = json(reply)["access_token"].toString();
        QCOMPARE(qint64(jwtClaims(token)["exp"].toDouble()), keyway::Clock::currentSecsSinceEpoch() + 5);
        m_clock->advanceSeconds(4);
        QCOMPARE(get(url("astrada", "/transactions"), token).status, 200);
        m_clock->advanceSeconds(2);
        QCOMPARE(get(url("astrada", "/transactions"), token).status, 401);
    }

    void tokenRequestsAreCounted()
    {
        const int before = m_server.tokenRequestCount("astrada");
        jsonToken("astrada", "/oauth/token", astradaBody("api"));
        jsonToken("astrada", "/oauth/token", astradaBody("sdk"));
        QCOMPARE(m_server.tokenRequestCount("astrada"), before + 2);
        get(url("astrada", "/transactions"), "x");
        QCOMPARE(m_server.tokenRequestCount("astrada"), before + 2);
    }
};

QTEST_GUILESS_MAIN(TestSandboxClientCredentials)
#include "tst_sandbox_clientcredentials.moc"
