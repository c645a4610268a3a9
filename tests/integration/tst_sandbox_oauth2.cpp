// The Seam-style authorization-code provider over real loopback HTTP, driven by SandboxBrowser:
// login page, prompt=login, state, loopback redirects, PKCE, code exchange, refresh, and each
// conformance fault breaking exactly its requirement; plus the client credentials grant.
#include "core/oidc/ClientAssertion.h"
#include "core/sandbox/SandboxServer.h"
#include "tests/support/FakeClock.h"
#include "tests/support/SandboxBrowser.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QTest>
#include <QUrlQuery>

using keyway::sandbox::SandboxServer;
using keyway::test::httpExchange;
using keyway::test::HttpExchange;
using keyway::test::SandboxBrowser;

namespace {
QJsonObject json(const HttpExchange& exchange)
{
    return QJsonDocument::fromJson(exchange.body).object();
}
QByteArray form(const QList<QPair<QString, QString>>& fields)
{
    QByteArray out;
    for (const auto& field : fields) {
        out += (out.isEmpty() ? "" : "&") + QUrl::toPercentEncoding(field.first) + '='
            + QUrl::toPercentEncoding(field.second);
    }
    return out;
}
const QString kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more-entropy";
} // namespace

class TestSandboxOAuth2 : public QObject
{
    Q_OBJECT

private:
    SandboxServer m_server;
    QNetworkAccessManager m_nam;
    QString m_redirect = "http://127.0.0.1:49152/callback";

    // The endpoint credentials are relative to the base URL; the tests call them absolute.
    QString cred(const QString& key, const QString& provider = "oauth2-code") const
    {
        const auto demo = m_server.demoProvider(provider);
        const QString value = demo->credential(key);
        return key.endsWith("_url") ? demo->baseUrl.toString() + value : value;
    }

    QUrl authorizeUrl(const QString& state, const QString& prompt = {}, const QString& redirect = {}) const
    {
        QUrl url(cred("authorize_url"));
        QUrlQuery query;
        query.addQueryItem("response_type", "code");
        query.addQueryItem("client_id", cred("client_id"));
        query.addQueryItem("redirect_uri", redirect.isEmpty() ? m_redirect : redirect);
        query.addQueryItem("state", state);
        query.addQueryItem("scope", cred("scope"));
        query.addQueryItem(
            "code_challenge",
            QString::fromLatin1(QCryptographicHash::hash(kVerifier.toLatin1(), QCryptographicHash::Sha256)
                                    .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
        query.addQueryItem("code_challenge_method", "S256");
        if (!prompt.isEmpty()) {
            query.addQueryItem("prompt", prompt);
        }
        url.setQuery(query);
        return url;
    }
    HttpExchange tokenRequest(const QList<QPair<QString, QString>>& fields, bool withSecret = true)
    {
        auto all = fields;
        all.append({"client_id", cred("client_id")});
        if (withSecret) {
            all.append({"client_secret", cred("client_secret")});
        }
        return httpExchange(
            m_nam, "POST", QUrl(cred("token_url")), form(all), {{"Content-Type", "application/x-www-form-urlencoded"}});
    }
    QString signIn(SandboxBrowser& browser, const QString& prompt = "login")
    {
        const auto result = browser.run(authorizeUrl("s-" + QString::number(qrand64()), prompt));
        return QUrlQuery(result.finalUrl).queryItemValue("code");
    }
    static quint64 qrand64() { return QRandomGenerator::global()->generate64(); }
    QJsonObject exchange(const QString& code, const QString& verifier = kVerifier)
    {
        return json(tokenRequest({{"grant_type", "authorization_code"},
                                  {"code", code},
                                  {"redirect_uri", m_redirect},
                                  {"code_verifier", verifier}}));
    }
    HttpExchange refresh(const QString& refreshToken)
    {
        return tokenRequest({{"grant_type", "refresh_token"}, {"refresh_token", refreshToken}});
    }
    int probe(const QString& accessToken)
    {
        return httpExchange(m_nam,
                            "GET",
                            QUrl(m_server.demoProvider("oauth2-code")->baseUrl.toString() + cred("probe_path")),
                            {},
                            {{"Authorization", "Bearer " + accessToken.toLatin1()}})
            .status;
    }
    QJsonObject fullLogin()
    {
        SandboxBrowser browser;
        return exchange(signIn(browser));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_server.listen(), qPrintable(m_server.errorString())); }
    void cleanup()
    {
        keyway::Clock::resetInstance();
        for (const QString& fault : m_server.availableFaults("oauth2-code")) {
            m_server.setFault("oauth2-code", fault, false);
        }
    }

    void demoCredentialsAreRelativeUrls()
    {
        const auto demo = m_server.demoProvider("oauth2-code");
        QVERIFY(demo);
        QCOMPARE(demo->credential("authorize_url"), QString("/authorize")); // relative: survives a new port
        QCOMPARE(demo->credential("token_url"), QString("/oauth/token"));
        QCOMPARE(demo->credential("probe_path"), QString("/api/me"));
        QCOMPARE(demo->credential("client_auth"), QString("body"));
        QVERIFY(m_server.demoProvider("oauth2-client"));
    }

    void loginPageThenRedirectWithCodeStateAndIss()
    {
        SandboxBrowser browser;
        const auto result = browser.run(authorizeUrl("state-123"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(result.sawLoginPage);
        const QUrlQuery query(result.finalUrl);
        QCOMPARE(result.finalUrl.port(), 49152); // loopback redirect on the port the client chose
        QCOMPARE(query.queryItemValue("state"), QString("state-123"));
        QCOMPARE(query.queryItemValue("iss", QUrl::FullyDecoded), m_server.rootUrl().toString() + "/oauth2");
        QVERIFY(!query.queryItemValue("code").isEmpty());
    }

    void sessionSkipsLoginUnlessPromptLogin()
    {
        SandboxBrowser browser;
        QVERIFY(!signIn(browser).isEmpty());
        const auto again = browser.run(authorizeUrl("s2"));
        QVERIFY(again.ok());
        QVERIFY(!again.sawLoginPage); // session cookie, no prompt
        const auto forced = browser.run(authorizeUrl("s3", "login"));
        QVERIFY(forced.ok());
        QVERIFY(forced.sawLoginPage);

        QVERIFY(m_server.setFault("oauth2-code", "ignore_prompt_login", true));
        const auto ignored = browser.run(authorizeUrl("s4", "login"));
        QVERIFY(ignored.ok());
        QVERIFY(!ignored.sawLoginPage);
    }

    void unregisteredRedirectGetsErrorPageNotRedirect()
    {
        for (const QString& redirect :
             {QString("https://evil.example/callback"), QString("http://127.0.0.1:5000/other")}) {
            const auto reply = httpExchange(m_nam, "GET", authorizeUrl("s", {}, redirect));
            QCOMPARE(reply.status, 400);
            QVERIFY(reply.header("Location").isEmpty());
            QVERIFY(reply.header("Content-Type").startsWith("text/html"));
        }
        // localhost is registered too, on any port.
        SandboxBrowser browser;
        QVERIFY(browser.run(authorizeUrl("s", {}, "http://localhost:1234/callback")).ok());
    }

    void denyAndWrongPassword()
    {
        SandboxBrowser denying;
        denying.setDecision(SandboxBrowser::Decision::Deny);
        const auto denied = denying.run(authorizeUrl("d1"));
        QVERIFY(denied.ok());
        QCOMPARE(QUrlQuery(denied.finalUrl).queryItemValue("error"), QString("access_denied"));
        QCOMPARE(QUrlQuery(denied.finalUrl).queryItemValue("state"), QString("d1"));

        SandboxBrowser wrong;
        wrong.setCredentials("demo", "not-the-password");
        const auto refused = wrong.run(authorizeUrl("d2"));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.loginPagesShown, 2);
    }

    void codeExchangeGivesAccessRefreshAndUserId()
    {
        const QJsonObject tokens = fullLogin();
        QVERIFY(!tokens["access_token"].toString().isEmpty());
        QVERIFY(!tokens["refresh_token"].toString().isEmpty());
        QCOMPARE(tokens["token_type"].toString(), QString("Bearer"));
        QCOMPARE(tokens["expires_in"].toInt(), 3600);
        QCOMPARE(tokens["scope"].toString(), QString("read"));
        const QString userId = tokens["user_id"].toString();
        QVERIFY(!userId.isEmpty());
        QCOMPARE(fullLogin()["user_id"].toString(), userId); // stable across logins
        QCOMPARE(probe(tokens["access_token"].toString()), 200);
        const auto me = httpExchange(m_nam,
                                     "GET",
                                     QUrl(m_server.demoProvider("oauth2-code")->baseUrl.toString() + "/api/me"),
                                     {},
                                     {{"Authorization", "Bearer " + tokens["access_token"].toString().toLatin1()}});
        QCOMPARE(json(me)["user_id"].toString(), userId);
    }

    void codeIsSingleUseAndChecksPkceRedirectAndClient()
    {
        SandboxBrowser browser;
        const QString code = signIn(browser);
        const auto badVerifier = tokenRequest({{"grant_type", "authorization_code"},
                                               {"code", code},
                                               {"redirect_uri", m_redirect},
                                               {"code_verifier", "wrong"}});
        QCOMPARE(badVerifier.status, 400);
        QCOMPARE(json(badVerifier)["error"].toString(), QString("invalid_grant"));
        // The failed attempt consumed the code.
        QCOMPARE(exchange(code)["error"].toString(), QString("invalid_grant"));

        const QString code2 = signIn(browser);
        const auto otherRedirect = tokenRequest({{"grant_type", "authorization_code"},
                                                 {"code", code2},
                                                 {"redirect_uri", "http://127.0.0.1:1/callback"},
                                                 {"code_verifier", kVerifier}});
        QCOMPARE(json(otherRedirect)["error"].toString(), QString("invalid_grant"));

        const QString code3 = signIn(browser);
        const QJsonObject first = exchange(code3);
        QVERIFY(!first["access_token"].toString().isEmpty());
        QCOMPARE(exchange(code3)["error"].toString(), QString("invalid_grant"));
        QCOMPARE(probe(first["access_token"].toString()), 401); // a replayed code revokes its grant

        const auto badClient = httpExchange(m_nam,
                                            "POST",
                                            QUrl(cred("token_url")),
                                            form({{"grant_type", "authorization_code"},
                                                  {"code", signIn(browser)},
                                                  {"client_id", cred("client_id")},
                                                  {"client_secret", "wrong"}}),
                                            {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(badClient.status, 401);
        QCOMPARE(json(badClient)["error"].toString(), QString("invalid_client"));
    }

    void basicClientAuthWorks()
    {
        SandboxBrowser browser;
        const QByteArray basic = QByteArray(QUrl::toPercentEncoding(cred("client_id")) + ':'
                                            + QUrl::toPercentEncoding(cred("client_secret")))
                                     .toBase64();
        const auto reply = httpExchange(
            m_nam,
            "POST",
            QUrl(cred("token_url")),
            form({{"grant_type", "authorization_code"},
                  {"code", signIn(browser)},
                  {"redirect_uri", m_redirect},
                  {"code_verifier", kVerifier}}),
            {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", "Basic " + basic}});
        QCOMPARE(reply.status, 200);
        QVERIFY(!json(reply)["access_token"].toString().isEmpty());
    }

    void refreshKeepsOldTokenAndRefreshToken()
    {
        const QJsonObject tokens = fullLogin();
        const QString refreshToken = tokens["refresh_token"].toString();
        const auto first = refresh(refreshToken);
        QCOMPARE(first.status, 200);
        const QString newAccess = json(first)["access_token"].toString();
        QVERIFY(!newAccess.isEmpty() && newAccess != tokens["access_token"].toString());
        QVERIFY(!json(first).contains("refresh_token")); // no rotation
        QCOMPARE(json(first)["user_id"].toString(), tokens["user_id"].toString());
        QCOMPARE(probe(tokens["access_token"].toString()), 200);
        QCOMPARE(probe(newAccess), 200);
        QCOMPARE(refresh(refreshToken).status, 200); // reusable
    }

    void accessTokenExpiresAfterAnHour()
    {
        auto* clock = keyway::test::FakeClock::install();
        const QJsonObject tokens = fullLogin();
        clock->advanceSeconds(3599);
        QCOMPARE(probe(tokens["access_token"].toString()), 200);
        clock->advanceSeconds(2);
        QCOMPARE(probe(tokens["access_token"].toString()), 401);
        QCOMPARE(refresh(tokens["refresh_token"].toString()).status, 200);
    }

    void refreshFaults_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("revoke_on_refresh") << "revoke_on_refresh";
        QTest::newRow("rotate_strict") << "rotate_strict";
        QTest::newRow("refresh_single_use") << "refresh_single_use";
    }
    void refreshFaults()
    {
        QFETCH(QString, fault);
        QVERIFY(m_server.setFault("oauth2-code", fault, true));
        const QJsonObject tokens = fullLogin();
        const QString refreshToken = tokens["refresh_token"].toString();
        const auto first = refresh(refreshToken);
        QCOMPARE(first.status, 200);
        const auto second = refresh(refreshToken);
        if (fault == "revoke_on_refresh") {
            QCOMPARE(probe(tokens["access_token"].toString()), 401); // old access token died
            QCOMPARE(second.status, 200);
        } else if (fault == "rotate_strict") {
            const QString rotated = json(first)["refresh_token"].toString();
            QVERIFY(!rotated.isEmpty() && rotated != refreshToken);
            QCOMPARE(second.status, 400); // the old one died at once
            QCOMPARE(json(second)["error"].toString(), QString("invalid_grant"));
            QCOMPARE(refresh(rotated).status, 200);
        } else {
            QVERIFY(!json(first).contains("refresh_token"));
            QCOMPARE(json(second)["error"].toString(), QString("invalid_grant"));
        }
    }

    // revoke_ignored: the revocation endpoint answers as always, but the refresh token keeps refreshing.
    void revokeIgnoredFault()
    {
        const auto revoke = [this](const QString& token) {
            return httpExchange(
                m_nam,
                "POST",
                QUrl(m_server.demoProvider("oauth2-code")->baseUrl.toString() + "/revoke"),
                form({{"token", token}, {"client_id", cred("client_id")}, {"client_secret", cred("client_secret")}}),
                {{"Content-Type", "application/x-www-form-urlencoded"}});
        };
        QVERIFY(m_server.setFault("oauth2-code", "revoke_ignored", true));
        const QString ignored = fullLogin()["refresh_token"].toString();
        QCOMPARE(revoke(ignored).status, 200);
        QCOMPARE(refresh(ignored).status, 200);
        QVERIFY(m_server.setFault("oauth2-code", "revoke_ignored", false));
        const QString honoured = fullLogin()["refresh_token"].toString();
        QCOMPARE(revoke(honoured).status, 200);
        const auto refused = refresh(honoured);
        QCOMPARE(refused.status, 400);
        QCOMPARE(json(refused)["error"].toString(), QString("invalid_grant"));
    }

    void stateAndUserIdFaults()
    {
        QVERIFY(m_server.setFault("oauth2-code", "alter_state", true));
        SandboxBrowser browser;
        const auto altered = browser.run(authorizeUrl("exact-state"));
        QVERIFY(QUrlQuery(altered.finalUrl).queryItemValue("state") != "exact-state");
        QVERIFY(m_server.setFault("oauth2-code", "alter_state", false));

        QVERIFY(m_server.setFault("oauth2-code", "unstable_user_id", true));
        const QString a = fullLogin()["user_id"].toString();
        const QString b = fullLogin()["user_id"].toString();
        QVERIFY(!a.isEmpty() && a != b);
        QVERIFY(m_server.setFault("oauth2-code", "unstable_user_id", false));

        QVERIFY(m_server.setFault("oauth2-code", "missing_user_id", true));
        const QJsonObject tokens = fullLogin();
        QVERIFY(!tokens["access_token"].toString().isEmpty());
        QVERIFY(!tokens.contains("user_id"));
    }

    // Token, introspection and revocation authenticate a client by one rule: a wrong secret is invalid_client
    // (with a Basic challenge when Basic was used), two methods at once are invalid_request, the right secret
    // in the body or as Basic is accepted.
    void everyRouteAuthenticatesClientsAlike_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("grant"); // the form field the route needs besides the client
        QTest::newRow("token") << "/oauth/token"
                               << "grant_type=client_credentials";
        QTest::newRow("introspect") << "/introspect"
                                    << "token=unknown";
        QTest::newRow("revoke") << "/revoke"
                                << "token=unknown";
    }

    void everyRouteAuthenticatesClientsAlike()
    {
        QFETCH(QString, path);
        QFETCH(QString, grant);
        const auto demo = m_server.demoProvider("oauth2-client");
        const QUrl url(demo->baseUrl.toString() + path);
        const QString id = demo->credential("client_id");
        const QString secret = demo->credential("client_secret");
        const auto post = [&](const QList<QPair<QString, QString>>& client, const QString& basicSecret = {}) {
            QList<QPair<QByteArray, QByteArray>> headers {{"Content-Type", "application/x-www-form-urlencoded"}};
            if (!basicSecret.isEmpty()) {
                headers.append(
                    {"Authorization",
                     "Basic "
                         + QByteArray(QUrl::toPercentEncoding(id) + ':' + QUrl::toPercentEncoding(basicSecret))
                               .toBase64()});
            }
            QList<QPair<QString, QString>> fields {{grant.section('=', 0, 0), grant.section('=', 1)}};
            return httpExchange(m_nam, "POST", url, form(fields + client), headers);
        };
        const auto wrongBody = post({{"client_id", id}, {"client_secret", "wrong"}});
        QCOMPARE(wrongBody.status, 401);
        QCOMPARE(json(wrongBody)["error"].toString(), QString("invalid_client"));
        QVERIFY(wrongBody.header("WWW-Authenticate").isEmpty());
        const auto wrongBasic = post({}, "wrong");
        QCOMPARE(wrongBasic.status, 401);
        QCOMPARE(wrongBasic.header("WWW-Authenticate"), QByteArray("Basic realm=\"sandbox\""));
        const auto both = post({{"client_secret", secret}}, secret);
        QCOMPARE(both.status, 400);
        QCOMPARE(json(both)["error"].toString(), QString("invalid_request"));
        QCOMPARE(post({{"client_id", id}, {"client_secret", secret}}).status, 200);
        QCOMPARE(post({}, secret).status, 200);

        // A client_secret_jwt assertion may name the token endpoint, the issuer or the endpoint it is sent to
        // (as certified providers accept); not another endpoint.
        const auto asserted = [&](const QString& audience) {
            QString error;
            const auto assertion = keyway::oidc::ClientAssertion::build(
                QStringLiteral("client_secret_jwt"), id, audience, secret, QString(), QString(), &error);
            if (!assertion) {
                qWarning("%s", qPrintable(error));
                return 0;
            }
            return post({{"client_id", id},
                         {"client_assertion_type", keyway::oidc::ClientAssertion::assertionType()},
                         {"client_assertion", assertion->token}})
                .status;
        };
        const QString issuer = demo->baseUrl.toString();
        QCOMPARE(asserted(url.toString()), 200);
        QCOMPARE(asserted(issuer + QStringLiteral("/oauth/token")), 200);
        QCOMPARE(asserted(issuer), 200);
        QCOMPARE(
            asserted(issuer
                     + (path == QLatin1String("/revoke") ? QStringLiteral("/introspect") : QStringLiteral("/revoke"))),
            401);
    }

    void clientCredentialsGrant()
    {
        const auto demo = m_server.demoProvider("oauth2-client");
        const int before = m_server.tokenRequestCount("oauth2-client");
        const auto reply = httpExchange(m_nam,
                                        "POST",
                                        QUrl(cred("token_url", "oauth2-client")),
                                        form({{"grant_type", "client_credentials"},
                                              {"client_id", demo->credential("client_id")},
                                              {"client_secret", demo->credential("client_secret")}}),
                                        {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(json(reply)["expires_in"].toInt(), 3600);
        QVERIFY(!json(reply).contains("refresh_token"));
        QCOMPARE(m_server.tokenRequestCount("oauth2-client"), before + 1);
        QCOMPARE(probe(json(reply)["access_token"].toString()), 200);

        const auto badScope = httpExchange(m_nam,
                                           "POST",
                                           QUrl(cred("token_url", "oauth2-client")),
                                           form({{"grant_type", "client_credentials"},
                                                 {"scope", "admin"},
                                                 {"client_id", demo->credential("client_id")},
                                                 {"client_secret", demo->credential("client_secret")}}),
                                           {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(json(badScope)["error"].toString(), QString("invalid_scope"));
        QVERIFY(m_server.setFault("oauth2-client", "deny", true));
        const auto denied = httpExchange(m_nam,
                                         "POST",
                                         QUrl(cred("token_url", "oauth2-client")),
                                         form({{"grant_type", "client_credentials"},
                                               {"client_id", demo->credential("client_id")},
                                               {"client_secret", demo->credential("client_secret")}}),
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(denied.status, 401);
        QVERIFY(m_server.setFault("oauth2-client", "deny", false));
    }
};

QTEST_GUILESS_MAIN(TestSandboxOAuth2)
#include "tst_sandbox_oauth2.moc"
