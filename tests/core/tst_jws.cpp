// The signature building blocks without a network: JWS sign/verify through libcrypto (RS256, PS256, ES256,
// HS256), JWK import/export, PEM key errors, the RFC 7523 client assertion, the ID token claim checks and the
// JWKS key choice.
#include "core/crypto/Jws.h"
#include "core/oidc/ClientAssertion.h"
#include "core/oidc/Discovery.h"
#include "core/oidc/IdTokenValidator.h"
#include "core/oidc/Jwks.h"
#include "core/util/Clock.h"
#include "tests/support/FakeClock.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;
using crypto::Jws;
using crypto::JwsParts;
using crypto::Key;

class TestJws : public QObject
{
    Q_OBJECT

private:
    static QString flip(const QString& token)
    {
        QString t = token;
        const int i = int(t.lastIndexOf(QLatin1Char('.'))) + 3;
        t[i] = t.at(i) == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        return t;
    }

private Q_SLOTS:
    void signAndVerifyEachAlgorithm_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::newRow("RS256") << "RS256";
        QTest::newRow("PS256") << "PS256";
        QTest::newRow("ES256") << "ES256";
    }

    void signAndVerifyEachAlgorithm()
    {
        QFETCH(QString, alg);
        const Key key = alg == QLatin1String("ES256") ? Key::generateEcP256() : Key::generateRsa(2048);
        QString error;
        const auto token = Jws::sign(alg, key, {{"kid", "k1"}}, {{"sub", "alice"}}, &error);
        QVERIFY2(token, qPrintable(error));
        const auto parts = JwsParts::parse(*token);
        QVERIFY(parts);
        QCOMPARE(parts->header.value("alg", ""), alg.toStdString());
        QCOMPARE(parts->header.value("kid", ""), std::string("k1"));
        if (alg == QLatin1String("ES256")) {
            QCOMPARE(parts->signature.size(), 64); // r || s, not DER
        }
        // The public half, through a JWK as a provider publishes it, verifies; an altered token does not.
        const auto pub = Key::fromJwk(key.publicJwk(QStringLiteral("k1")), &error);
        QVERIFY2(pub, qPrintable(error));
        QCOMPARE(Jws::verify(alg, *pub, parts->signingInput, parts->signature), QString());
        const auto altered = JwsParts::parse(flip(*token));
        QVERIFY(altered);
        QVERIFY(!Jws::verify(alg, *pub, altered->signingInput, altered->signature).isEmpty());
        // Another key of the same kind does not verify it.
        const Key other = alg == QLatin1String("ES256") ? Key::generateEcP256() : Key::generateRsa(2048);
        QVERIFY(!Jws::verify(alg, other, parts->signingInput, parts->signature).isEmpty());
    }

    void opensslVerifiesOurSignature()
    {
        // A third party reads what Keyway signs: openssl dgst over the signing input with the public PEM.
        QTemporaryDir dir;
        const Key key = Key::generateRsa(2048);
        QString error;
        const auto token = Jws::sign(QStringLiteral("RS256"), key, {}, {{"a", 1}}, &error);
        const auto parts = JwsParts::parse(*token);
        auto write = [&](const QString& name, const QByteArray& bytes) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        };
        write(QStringLiteral("pub.pem"), key.publicPem());
        write(QStringLiteral("input"), parts->signingInput);
        write(QStringLiteral("sig"), parts->signature);
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("dgst"),
                       QStringLiteral("-sha256"),
                       QStringLiteral("-verify"),
                       dir.filePath(QStringLiteral("pub.pem")),
                       QStringLiteral("-signature"),
                       dir.filePath(QStringLiteral("sig")),
                       dir.filePath(QStringLiteral("input"))});
        QVERIFY(openssl.waitForFinished(20000));
        QCOMPARE(openssl.exitCode(), 0);
    }

    void refusesNoneHmacAndMismatchedKeys()
    {
        const Key rsa = Key::generateRsa(2048);
        QVERIFY(Jws::verify(QStringLiteral("none"), rsa, "a.b", {}).contains(QStringLiteral("alg none")));
        QVERIFY(Jws::verify(QStringLiteral("HS256"), rsa, "a.b", "x").contains(QStringLiteral("shared-secret")));
        QVERIFY(Jws::verify(QStringLiteral("ES256"), rsa, "a.b", QByteArray(64, 'x'))
                    .contains(QStringLiteral("does not fit")));
        QVERIFY(Jws::verify(QStringLiteral("RS512"), rsa, "a.b", "x").contains(QStringLiteral("not supported")));
        QString error;
        QVERIFY(!Jws::sign(QStringLiteral("ES256"), rsa, {}, {}, &error));
        QVERIFY(!error.isEmpty());
    }

    void hs256()
    {
        const QString token = Jws::signHs256("secret-1", {{"typ", "JWT"}}, {{"sub", "x"}});
        const auto parts = JwsParts::parse(token);
        QVERIFY(Jws::verifyHs256("secret-1", parts->signingInput, parts->signature));
        QVERIFY(!Jws::verifyHs256("secret-2", parts->signingInput, parts->signature));
    }

    void pemErrorsSayWhatToDo()
    {
        QString error;
        QVERIFY(!Key::fromPrivatePem("not a key", &error));
        QVERIFY2(error.contains(QStringLiteral("not a PEM private key")), qPrintable(error));
        // An encrypted key is refused without a passphrase prompt.
        QTemporaryDir dir;
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("genpkey"),
                       QStringLiteral("-algorithm"),
                       QStringLiteral("EC"),
                       QStringLiteral("-pkeyopt"),
                       QStringLiteral("ec_paramgen_curve:P-256"),
                       QStringLiteral("-aes-128-cbc"),
                       QStringLiteral("-pass"),
                       QStringLiteral("pass:canary-pass"),
                       QStringLiteral("-out"),
                       dir.filePath(QStringLiteral("enc.pem"))});
        QVERIFY(openssl.waitForFinished(20000));
        QFile f(dir.filePath(QStringLiteral("enc.pem")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!Key::fromPrivatePem(f.readAll(), &error));
        QVERIFY2(error.contains(QStringLiteral("passphrase")), qPrintable(error));
        // A round trip through PEM keeps the key.
        const Key ec = Key::generateEcP256();
        const auto back = Key::fromPrivatePem(ec.privatePem(), &error);
        QVERIFY(back);
        QCOMPARE(back->type(), Key::Type::EcP256);
        QCOMPARE(back->defaultAlgorithm(), QStringLiteral("ES256"));
        // Pasted into a one-line field: line breaks became spaces, or vanished.
        const QByteArray pem = ec.privatePem();
        QVERIFY(Key::fromPrivatePem(QByteArray(pem).replace('\n', ' '), &error));
        QVERIFY(Key::fromPrivatePem(QByteArray(pem).replace('\n', QByteArray()), &error));
    }

    void clientAssertionClaims()
    {
        test::FakeClock::install(QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC));
        const Key key = Key::generateEcP256();
        QString error;
        const auto a = oidc::ClientAssertion::build(QStringLiteral("private_key_jwt"),
                                                    QStringLiteral("client-1"),
                                                    QStringLiteral("https://idp.example/token"),
                                                    QString(),
                                                    QString::fromLatin1(key.privatePem()),
                                                    QStringLiteral("kid-9"),
                                                    &error);
        QVERIFY2(a, qPrintable(error));
        const auto parts = JwsParts::parse(a->token);
        QCOMPARE(parts->header.value("alg", ""), std::string("ES256"));
        QCOMPARE(parts->header.value("kid", ""), std::string("kid-9"));
        QCOMPARE(parts->claims.value("iss", ""), std::string("client-1"));
        QCOMPARE(parts->claims.value("sub", ""), std::string("client-1"));
        QCOMPARE(parts->claims.value("aud", ""), std::string("https://idp.example/token"));
        const qint64 iat = parts->claims.value("iat", 0LL);
        QCOMPARE(iat, Clock::currentMSecsSinceEpoch() / 1000);
        QCOMPARE(parts->claims.value("exp", 0LL) - iat, 300LL);
        QVERIFY(Jws::verify(QStringLiteral("ES256"), key, parts->signingInput, parts->signature).isEmpty());
        // jti differs every time; the description never carries the signature.
        const auto b = oidc::ClientAssertion::build(QStringLiteral("client_secret_jwt"),
                                                    QStringLiteral("client-1"),
                                                    QStringLiteral("https://idp.example/token"),
                                                    QStringLiteral("s3cret"),
                                                    QString(),
                                                    QString(),
                                                    &error);
        QVERIFY(b);
        QVERIFY(b->claims.value("jti", "") != a->claims.value("jti", ""));
        QCOMPARE(b->header.value("alg", ""), std::string("HS256"));
        const std::string described = a->describe().dump();
        QVERIFY(described.find("[redacted]") != std::string::npos);
        QVERIFY(described.find(a->token.section(QLatin1Char('.'), 2).toStdString()) == std::string::npos);
        // Missing key or secret: a sentence naming the field.
        QVERIFY(!oidc::ClientAssertion::build(
            QStringLiteral("private_key_jwt"), QStringLiteral("c"), QStringLiteral("a"), {}, {}, {}, &error));
        QVERIFY(error.contains(QStringLiteral("client_key")));
        QVERIFY(!oidc::ClientAssertion::build(
            QStringLiteral("client_secret_jwt"), QStringLiteral("c"), QStringLiteral("a"), {}, {}, {}, &error));
        QVERIFY(error.contains(QStringLiteral("client_secret")));
        Clock::resetInstance();
    }

    void idTokenClaims()
    {
        const qint64 now = 1'800'000'000;
        oidc::IdTokenExpectations expect;
        expect.issuer = QStringLiteral("https://idp.example");
        expect.clientId = QStringLiteral("client-1");
        expect.nonce = QStringLiteral("n-1");
        nlohmann::json good = {{"iss", "https://idp.example/"},
                               {"aud", {"other", "client-1"}},
                               {"exp", now + 60},
                               {"iat", now},
                               {"nonce", "n-1"}};
        QCOMPARE(oidc::IdTokenValidator::checkClaims(good, expect, now), QString());
        auto with = [&](const char* claim, const nlohmann::json& value) {
            nlohmann::json c = good;
            if (value.is_null()) {
                c.erase(claim);
            } else {
                c[claim] = value;
            }
            return oidc::IdTokenValidator::checkClaims(c, expect, now);
        };
        QVERIFY(with("iss", "https://evil.example").contains(QStringLiteral("iss")));
        QVERIFY(with("aud", "other").contains(QStringLiteral("aud")));
        QVERIFY(with("exp", now - 120).contains(QStringLiteral("expired")));
        QCOMPARE(with("exp", now - 30), QString()); // within the clock skew
        QVERIFY(with("exp", nullptr).contains(QStringLiteral("exp")));
        QVERIFY(with("iat", now + 3600).contains(QStringLiteral("future")));
        QVERIFY(with("nonce", "n-2").contains(QStringLiteral("nonce")));
        QVERIFY(with("nonce", nullptr).contains(QStringLiteral("nonce")));
        expect.nonce.reset(); // refresh: no nonce asked
        QCOMPARE(with("nonce", nullptr), QString());
    }

    void jwksPicksTheKey()
    {
        const Key a = Key::generateRsa(2048);
        const Key b = Key::generateEcP256();
        const nlohmann::json set = {{"keys", {a.publicJwk(QStringLiteral("a")), b.publicJwk(QStringLiteral("b"))}}};
        auto found = oidc::Jwks::pick(set, {{"alg", "ES256"}, {"kid", "b"}});
        QVERIFY(found.key);
        QCOMPARE(found.kid, QStringLiteral("b"));
        found = oidc::Jwks::pick(set, {{"alg", "RS256"}, {"kid", "zz"}});
        QVERIFY(!found.key);
        QVERIFY(found.detail.contains(QStringLiteral("zz")));
        found = oidc::Jwks::pick(set, {{"alg", "RS256"}}); // no kid: the one RSA key
        QVERIFY(found.key);
        QCOMPARE(found.kid, QStringLiteral("a"));
        found = oidc::Jwks::pick(set, {{"alg", "RS256"}, {"kid", "b"}}); // kid of an EC key for RS256
        QVERIFY(!found.key);
    }

    void discoveryJudgesTheDocument()
    {
        const QUrl url(QStringLiteral("https://idp.example/.well-known/openid-configuration"));
        auto r = oidc::Discovery::judge(QStringLiteral("https://idp.example"),
                                        url,
                                        {{"issuer", "https://idp.example/"},
                                         {"token_endpoint", "https://idp.example/token"},
                                         {"jwks_uri", "https://idp.example/keys"},
                                         {"revocation_endpoint", "https://idp.example/revoke"},
                                         {"userinfo_endpoint", "javascript:alert(1)"}});
        QVERIFY(r.ok());
        QCOMPARE(r.endpoints.value(QStringLiteral("token_url")), QStringLiteral("https://idp.example/token"));
        QCOMPARE(r.endpoints.value(QStringLiteral("revocation_url")), QStringLiteral("https://idp.example/revoke"));
        QVERIFY(!r.endpoints.contains(QStringLiteral("userinfo_url")));
        r = oidc::Discovery::judge(QStringLiteral("https://idp.example"), url, {{"issuer", "https://other.example"}});
        QCOMPARE(r.outcome, oidc::DiscoveryResult::Outcome::IssuerMismatch);
        QVERIFY(r.detail.contains(QStringLiteral("https://other.example")));
        const auto urls = oidc::Discovery::documentUrls(QStringLiteral("https://idp.example/tenant/1"));
        QCOMPARE(urls.at(0).toString(),
                 QStringLiteral("https://idp.example/tenant/1/.well-known/openid-configuration"));
        QCOMPARE(urls.at(1).toString(),
                 QStringLiteral("https://idp.example/.well-known/oauth-authorization-server/tenant/1"));
    }
};

QTEST_MAIN(TestJws)
#include "tst_jws.moc"
