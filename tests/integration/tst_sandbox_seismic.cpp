// Seismic emulation over real loopback HTTP: the two-step code grant, the {"code","msg","data"}
// envelope with HTTP 200 everywhere, BINs, Idempotency-Key replay, the webhook sample, faults.
#include "core/sandbox/SandboxServer.h"
#include "tests/support/FakeClock.h"
#include "tests/support/SandboxBrowser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

using keyway::sandbox::SandboxServer;
using keyway::test::FakeClock;
using keyway::test::httpExchange;
using keyway::test::HttpExchange;

class TestSandboxSeismic : public QObject
{
    Q_OBJECT

private:
    SandboxServer m_server;
    QNetworkAccessManager m_nam;
    FakeClock* m_clock = nullptr;
    QUrl m_base;
    QString m_clientId;
    QString m_clientSecret;

    QUrl url(const QString& path, const QUrlQuery& query = {}) const
    {
        QUrl u(m_base.toString() + path);
        u.setQuery(query);
        return u;
    }
    static QJsonObject json(const HttpExchange& exchange) { return QJsonDocument::fromJson(exchange.body).object(); }

    QString authorize()
    {
        QUrlQuery query;
        query.addQueryItem("clientId", m_clientId);
        const auto reply = httpExchange(m_nam, "GET", url("/v1/oauth/authorize", query));
        return json(reply)["data"].toObject()["code"].toString();
    }
    HttpExchange exchangeCode(const QString& code, const QString& secret)
    {
        const QJsonObject body {{"clientId", m_clientId}, {"clientSecret", secret}, {"code", code}};
        return httpExchange(m_nam,
                            "POST",
                            url("/v1/oauth/access-token"),
                            QJsonDocument(body).toJson(QJsonDocument::Compact),
                            {{"Content-Type", "application/json"}});
    }
    QString accessToken()
    {
        return json(exchangeCode(authorize(), m_clientSecret))["data"].toObject()["accessToken"].toString();
    }
    HttpExchange bins(const QString& token)
    {
        return httpExchange(m_nam, "GET", url("/v1/card/bins"), {}, {{"x-access-token", token.toLatin1()}});
    }
    HttpExchange post(const QString& path, const QString& token, const QByteArray& key, const QByteArray& body)
    {
        QList<QPair<QByteArray, QByteArray>> headers {{"x-access-token", token.toLatin1()},
                                                      {"Content-Type", "application/json"}};
        if (!key.isEmpty()) {
            headers.append({"Idempotency-Key", key});
        }
        return httpExchange(m_nam, "POST", url(path), body, headers);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.listen(), qPrintable(m_server.errorString()));
        const auto demo = m_server.demoProvider("seismic");
        QVERIFY(demo.has_value());
        m_base = demo->baseUrl;
        QCOMPARE(m_base.toString(), QString("http://127.0.0.1:%1/seismic").arg(m_server.port()));
        m_clientId = demo->credential("clientId");
        m_clientSecret = demo->credential("clientSecret");
        const QStringList keys {
            "clientId", "clientSecret", "parentAccountId", "merchantId", "defaultBinId", "webhookSecret"};
        for (const QString& key : keys) {
            QVERIFY2(!demo->credential(key).isEmpty(), qPrintable(key));
        }
    }
    void init()
    {
        m_server.setTimeScale(1);
        m_clock = FakeClock::install();
    }
    void cleanup() { keyway::Clock::resetInstance(); }

    void authorizeReturnsSingleUseCodeInEnvelope()
    {
        QUrlQuery query;
        query.addQueryItem("clientId", m_clientId);
        const auto reply = httpExchange(m_nam, "GET", url("/v1/oauth/authorize", query));
        QCOMPARE(reply.status, 200);
        const QJsonObject body = json(reply);
        QCOMPARE(body["code"].toString(), QString("000000"));
        QCOMPARE(body["msg"].toString(), QString("success"));
        QVERIFY(body["data"].toObject()["code"].toString().size() >= 16);
    }

    void authorizeRefusesMissingOrUnknownClientId()
    {
        const auto missing = httpExchange(m_nam, "GET", url("/v1/oauth/authorize"));
        QCOMPARE(missing.status, 200);
        QCOMPARE(json(missing)["code"].toString(), QString("40001"));
        QCOMPARE(json(missing)["msg"].toString(), QString("Invalid parameter"));
        QVERIFY(json(missing)["data"].isNull());
        QUrlQuery query;
        query.addQueryItem("clientId", "someone-else");
        QCOMPARE(json(httpExchange(m_nam, "GET", url("/v1/oauth/authorize", query)))["code"].toString(),
                 QString("40001"));
    }

    void codeExchangeGives24HourToken()
    {
        const auto reply = exchangeCode(authorize(), m_clientSecret);
        QCOMPARE(reply.status, 200);
        const QJsonObject body = json(reply);
        QCOMPARE(body["code"].toString(), QString("000000"));
        const QJsonObject data = body["data"].toObject();
        QVERIFY(!data["accessToken"].toString().isEmpty());
        QVERIFY(!data["refreshToken"].toString().isEmpty());
        QCOMPARE(data["expiresIn"].toInt(), 86400);
        QCOMPARE(qint64(data["timestamp"].toDouble()), keyway::Clock::currentSecsSinceEpoch());
    }

    void reusedOrExpiredCodeGivesEmptyAccessToken()
    {
        const QString code = authorize();
        QVERIFY(!json(exchangeCode(code, m_clientSecret))["data"].toObject()["accessToken"].toString().isEmpty());
        const auto reused = exchangeCode(code, m_clientSecret);
        QCOMPARE(reused.status, 200);
        QCOMPARE(json(reused)["code"].toString(), QString("000000"));
        QVERIFY(json(reused)["data"].toObject()["accessToken"].toString().isEmpty());

        const QString late = authorize();
        m_clock->advanceSeconds(601);
        const auto expired = exchangeCode(late, m_clientSecret);
        QCOMPARE(json(expired)["code"].toString(), QString("000000"));
        QVERIFY(json(expired)["data"].toObject()["accessToken"].toString().isEmpty());
    }

    void wrongSecretOrMalformedBodyIsRefused()
    {
        const auto wrong = exchangeCode(authorize(), "not-the-secret");
        QCOMPARE(wrong.status, 200);
        QCOMPARE(json(wrong)["code"].toString(), QString("40399"));
        QCOMPARE(json(wrong)["msg"].toString(), QString("permission denied"));
        const auto malformed = httpExchange(
            m_nam, "POST", url("/v1/oauth/access-token"), "clientId=x", {{"Content-Type", "application/json"}});
        QCOMPARE(malformed.status, 200);
        QCOMPARE(json(malformed)["code"].toString(), QString("40001"));
    }

    void binsListTheDefaultBin()
    {
        const auto reply = bins(accessToken());
        QCOMPARE(reply.status, 200);
        QCOMPARE(json(reply)["code"].toString(), QString("000000"));
        const QJsonArray list = json(reply)["data"].toArray();
        QVERIFY(!list.isEmpty());
        bool found = false;
        for (const auto& value : list) {
            const QJsonObject bin = value.toObject();
            QCOMPARE(bin["bin"].toString().size(), 6);
            QVERIFY(bin["type"].toInt() == 0 || bin["type"].toInt() == 1);
            QCOMPARE(bin["currencies"].toArray(), QJsonArray {"USD"});
            QVERIFY(bin["network"].toString() == "VISA" || bin["network"].toString() == "MASTERCARD");
            QVERIFY(bin["supportPhysicalCard"].isBool());
            found = found || bin["id"].toString() == m_server.demoProvider("seismic")->credential("defaultBinId");
        }
        QVERIFY(found);
    }

    void badOrExpiredTokenGets40399()
    {
        const QString token = accessToken();
        QCOMPARE(json(bins("bogus"))["code"].toString(), QString("40399"));
        m_clock->advanceSeconds(86400 - 5);
        QCOMPARE(json(bins(token))["code"].toString(), QString("000000"));
        m_clock->advanceSeconds(10);
        const auto expired = bins(token);
        QCOMPARE(expired.status, 200);
        QCOMPARE(json(expired)["code"].toString(), QString("40399"));
    }

    void idempotencyKeyIsRequiredAndReplays()
    {
        const QString token = accessToken();
        const QByteArray body = R"({"name":"Demo budget","currency":"USD"})";
        QCOMPARE(json(post("/v1/budgets", token, {}, body))["code"].toString(), QString("40001"));
        QCOMPARE(json(post("/v1/budgets", token, "not-a-uuid", body))["code"].toString(), QString("40001"));
        // A UUID, but version 1: refused too.
        QCOMPARE(json(post("/v1/budgets", token, "6ba7b810-9dad-11d1-80b4-00c04fd430c8", body))["code"].toString(),
                 QString("40001"));

        const QByteArray key = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        const auto first = post("/v1/budgets", token, key, body);
        QCOMPARE(json(first)["code"].toString(), QString("000000"));
        QVERIFY(!json(first)["data"].toObject()["budgetId"].toString().isEmpty());
        const auto replay = post("/v1/budgets", token, key, body);
        QCOMPARE(replay.body, first.body);
        QCOMPARE(replay.header("Idempotent-Replayed"), QByteArray("true"));
        const auto other = post("/v1/budgets", token, QUuid::createUuid().toByteArray(QUuid::WithoutBraces), body);
        QVERIFY(json(other)["data"].toObject()["budgetId"] != json(first)["data"].toObject()["budgetId"]);
        QCOMPARE(json(post("/v1/budgets", token, key, R"({"name":"Other"})"))["code"].toString(), QString("40001"));

        const auto transfer = post("/v1/budgets/b-123/transfer-in",
                                   token,
                                   QUuid::createUuid().toByteArray(QUuid::WithoutBraces),
                                   R"({"amount":"10.00"})");
        QCOMPARE(json(transfer)["data"].toObject()["budgetId"].toString(), QString("b-123"));
        QCOMPARE(json(post("/v1/cardholders", "expired-or-bogus", key, body))["code"].toString(), QString("40399"));
    }

    void webhookSampleIsSignedWithTheDemoSecret()
    {
        const auto reply
            = httpExchange(m_nam, "GET", QUrl(m_server.rootUrl().toString() + "/_sandbox/seismic/webhook-sample"));
        QCOMPARE(reply.status, 200);
        QVERIFY(QJsonDocument::fromJson(reply.body).isObject());
        const QByteArray expected
            = QMessageAuthenticationCode::hash(reply.body,
                                               m_server.demoProvider("seismic")->credential("webhookSecret").toUtf8(),
                                               QCryptographicHash::Sha256)
                  .toHex();
        QCOMPARE(reply.header("x-seismic-signature"), expected);
    }

    void timeScaleShortensCodeAndToken()
    {
        m_server.setTimeScale(60);
        const QString code = authorize();
        m_clock->advanceSeconds(11);
        QVERIFY(json(exchangeCode(code, m_clientSecret))["data"].toObject()["accessToken"].toString().isEmpty());
        const auto reply = exchangeCode(authorize(), m_clientSecret);
        QCOMPARE(json(reply)["data"].toObject()["expiresIn"].toInt(), 1440);
        const QString token = json(reply)["data"].toObject()["accessToken"].toString();
        m_clock->advanceSeconds(1441);
        QCOMPARE(json(bins(token))["code"].toString(), QString("40399"));
    }

    void faultsExpireDenyAndErrorPage()
    {
        const QString token = accessToken();
        QVERIFY(m_server.setFault("seismic", "expire_now", true));
        QCOMPARE(json(bins(token))["code"].toString(), QString("40399"));
        QCOMPARE(json(bins(accessToken()))["code"].toString(), QString("000000")); // a new flow works

        const int before = m_server.tokenRequestCount("seismic");
        QVERIFY(m_server.setFault("seismic", "deny", true));
        QCOMPARE(json(exchangeCode(authorize(), m_clientSecret))["code"].toString(), QString("40399"));
        QVERIFY(m_server.setFault("seismic", "deny", false));
        QCOMPARE(m_server.tokenRequestCount("seismic"), before + 1);

        QVERIFY(m_server.setFault("seismic", "error_page", true));
        const auto page = exchangeCode(authorize(), m_clientSecret);
        QCOMPARE(page.status, 502);
        QVERIFY(page.header("Content-Type").startsWith("text/html"));
        QVERIFY(m_server.setFault("seismic", "error_page", false));
        QVERIFY(!m_server.setFault("seismic", "no_such_fault", true));
        QVERIFY(!m_server.setFault("nobody", "deny", true));
    }

    void faultsOverHttp()
    {
        const QUrl faults(m_server.rootUrl().toString() + "/_sandbox/faults");
        const auto on = httpExchange(m_nam,
                                     "POST",
                                     faults,
                                     R"({"provider":"seismic","fault":"revoke","on":true})",
                                     {{"Content-Type", "application/json"}});
        QCOMPARE(on.status, 200);
        const auto listed = httpExchange(m_nam, "GET", faults);
        const QJsonObject seismic = json(listed)["providers"].toObject()["seismic"].toObject();
        QVERIFY(seismic["available"].toArray().contains("slow"));
        const auto unknown = httpExchange(m_nam,
                                          "POST",
                                          faults,
                                          R"({"provider":"seismic","fault":"nope","on":true})",
                                          {{"Content-Type", "application/json"}});
        QCOMPARE(unknown.status, 400);

        const auto slowOn = httpExchange(m_nam,
                                         "POST",
                                         faults,
                                         R"({"provider":"seismic","fault":"slow","on":true})",
                                         {{"Content-Type", "application/json"}});
        QCOMPARE(slowOn.status, 200);
        QVERIFY(m_server.activeFaults("seismic").contains("slow"));
        const auto slow = bins("bogus");
        QVERIFY2(slow.elapsedMs >= 1800, qPrintable(QString::number(slow.elapsedMs)));
        QCOMPARE(json(slow)["code"].toString(), QString("40399"));
        QVERIFY(m_server.setFault("seismic", "slow", false));
        QVERIFY(bins("bogus").elapsedMs < 1000);
    }
};

QTEST_GUILESS_MAIN(TestSandboxSeismic)
#include "tst_sandbox_seismic.moc"
