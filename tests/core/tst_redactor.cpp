#include "core/http/CurlExport.h"
#include "core/http/Redactor.h"
#include "core/http/StreamRedactor.h"

#include <QTest>

using namespace keyway;

class TestRedactor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A body streamed in pieces comes out as redact() gives it whole, whatever the piece sizes, with secrets
    // and tokens that straddle the pieces; a body with nothing to redact passes byte for byte.
    void streamsRedactLikeAWholeBody()
    {
        Redactor r;
        r.addSecret(QStringLiteral("s3cr3t-client-value"), QStringLiteral("clientSecret"));
        QByteArray body = "[";
        for (int i = 0; body.size() < 5 * 1024 * 1024; ++i) {
            body += (i ? "," : "") + QByteArray(R"({"n":)") + QByteArray::number(i) + "}";
            if (i % 20000 == 7) {
                body += R"(,{"echo":"s3cr3t-client-value","access_token":"opaque-token-abc"})";
            }
        }
        body += "]";
        const QByteArray expected = r.redact(body).toUtf8();
        QVERIFY(!expected.contains("s3cr3t-client-value"));
        QVERIFY(!expected.contains("opaque-token-abc"));
        for (const qsizetype piece : {qsizetype(1000), qsizetype(65536), qsizetype(777777)}) {
            QByteArray out;
            StreamRedactor stream(r, [&](const QByteArray& bytes) {
                out += bytes;
                return true;
            });
            for (qsizetype at = 0; at < body.size(); at += piece) {
                QVERIFY(stream.write(body.mid(at, piece)));
            }
            QVERIFY(stream.finish());
            QCOMPARE(out.size(), expected.size());
            QVERIFY(out == expected);
        }

        QByteArray binary(3 * 1024 * 1024, '\0');
        for (qsizetype i = 0; i < binary.size(); ++i) {
            binary[i] = static_cast<char>((i * 131) % 251);
        }
        QByteArray out;
        StreamRedactor stream(r, [&](const QByteArray& bytes) {
            out += bytes;
            return true;
        });
        QVERIFY(stream.write(binary));
        QVERIFY(stream.finish());
        QVERIFY(out == binary);
    }

    void replacesEveryEncodingOfASecret()
    {
        Redactor r;
        const QString secret = QStringLiteral("canary/secret+value with space");
        r.addSecret(secret, QStringLiteral("clientSecret"));
        const QString form = QStringLiteral("client_secret=") + QString::fromLatin1(QUrl::toPercentEncoding(secret))
            + QStringLiteral("&grant_type=x");
        QCOMPARE(r.redact(form), QStringLiteral("client_secret=«clientSecret»&grant_type=x"));
        QCOMPARE(r.redact(QStringLiteral("{\"clientSecret\":\"canary\\/secret+value with space\"}")),
                 QStringLiteral("{\"clientSecret\":\"«clientSecret»\"}"));
        QCOMPARE(r.redact(QStringLiteral("raw canary/secret+value with space!")),
                 QStringLiteral("raw «clientSecret»!"));
    }

    void longestSecretWins()
    {
        Redactor r;
        r.addSecret(QStringLiteral("abcd"), QStringLiteral("short"));
        r.addSecret(QStringLiteral("abcdefgh"), QStringLiteral("long"));
        QCOMPARE(r.redact(QStringLiteral("x abcdefgh y abcd")), QStringLiteral("x «long» y «short»"));
    }

    void credentialHeadersAreReplacedWhole()
    {
        Redactor r;
        r.addCredentialHeader("x-access-token", QStringLiteral("access_token"));
        QCOMPARE(r.redactHeader("X-Access-Token", "tok-123456"), QStringLiteral("«access_token»"));
        QCOMPARE(r.redactHeader("Authorization", "Bearer abc.def.ghi"), QStringLiteral("Bearer «authorization»"));
        QCOMPARE(r.redactHeader("Authorization", "Basic Zm9vOmJhcg=="), QStringLiteral("Basic «authorization»"));
        QCOMPARE(r.redactHeader("Content-Type", "application/json"), QStringLiteral("application/json"));
    }

    void tinyValuesAreNotRedacted()
    {
        Redactor r;
        r.addSecret(QStringLiteral("a"), QStringLiteral("x"));
        QCOMPARE(r.redact(QStringLiteral("banana")), QStringLiteral("banana"));
    }

    void curlExportIsRedactedUnlessRevealed()
    {
        Redactor r;
        r.addSecret(QStringLiteral("s3cr3t-canary"), QStringLiteral("client_secret"));
        HttpRequest req;
        req.method = "POST";
        req.url = QUrl(QStringLiteral("https://h/prov/token"));
        req.headers.append(qMakePair(QByteArray("Authorization"), QByteArray("Bearer tok-abcdef")));
        req.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")));
        req.body = "client_secret=s3cr3t-canary&grant_type=client_credentials";
        const QString redacted = toCurlCommand(req, &r);
        QVERIFY(!redacted.contains(QStringLiteral("s3cr3t-canary")));
        QVERIFY(!redacted.contains(QStringLiteral("tok-abcdef")));
        QVERIFY(redacted.contains(QStringLiteral("«client_secret»")));
        QVERIFY(redacted.startsWith(QStringLiteral("curl -X POST 'https://h/prov/token'")));
        const QString revealed = toCurlCommand(req, &r, true);
        QVERIFY(revealed.contains(QStringLiteral("s3cr3t-canary")));
        QVERIFY(revealed.contains(QStringLiteral("Bearer tok-abcdef")));
    }

    void tokenShapedValuesAreRedactedUnknown()
    {
        const Redactor r; // knows no secret at all
        const QString reply
            = QStringLiteral("{\"access_token\":\"at-canary-0001\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                             "\"refresh_token\":\"rt-canary-0002\",\"data\":{\"accessToken\" : \"at-canary-0003\","
                             "\"refreshToken\":\"rt-canary-0004\"}}");
        const QString redacted = r.redact(reply);
        for (const char* canary : {"at-canary-0001", "rt-canary-0002", "at-canary-0003", "rt-canary-0004"}) {
            QVERIFY2(!redacted.contains(QLatin1String(canary)), qPrintable(redacted));
        }
        QVERIFY(redacted.contains(QStringLiteral("\"access_token\":\"«access_token»\"")));
        QVERIFY(redacted.contains(QStringLiteral("\"accessToken\" : \"«accessToken»\"")));
        QVERIFY(redacted.contains(QStringLiteral("\"expires_in\":3600"))); // the rest stays readable

        // An id_token, and a JWT wherever it stands, even under an innocent name.
        const QString jwt = QStringLiteral("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl");
        const QString oidc = r.redact(QStringLiteral("{\"id_token\":\"%1\",\"note\":\"see %1\"}").arg(jwt));
        QVERIFY2(!oidc.contains(jwt) && !oidc.contains(QStringLiteral("c2lnbmF0dXJl")), qPrintable(oidc));
        // Form bodies and query strings.
        const QString form = r.redact(QStringLiteral("grant_type=refresh_token&refresh_token=rt-canary-0005&x=1"));
        QCOMPARE(form, QStringLiteral("grant_type=refresh_token&refresh_token=«refresh_token»&x=1"));
        QCOMPARE(r.redact(QStringLiteral("/cb#access_token=at-canary-0006&state=s")),
                 QStringLiteral("/cb#access_token=«access_token»&state=s"));
        // A value a flow already named keeps its name.
        Redactor known;
        known.addSecret(QStringLiteral("at-canary-0007"), QStringLiteral("token"));
        QCOMPARE(known.redact(QStringLiteral("{\"access_token\":\"at-canary-0007\"}")),
                 QStringLiteral("{\"access_token\":\"«token»\"}"));
    }

    void curlKeepsTheSchemeAndTheMethod()
    {
        Redactor r;
        r.addCredentialHeader("Authorization", QStringLiteral("access_token"));
        QCOMPARE(r.redactHeader("Authorization", "Bearer tok-abcdef"), QStringLiteral("Bearer «access_token»"));
        HttpRequest get;
        get.method = "GET";
        get.url = QUrl(QStringLiteral("http://h/x"));
        get.body = "{}";
        // curl would send a POST for --data-raw alone.
        QCOMPARE(toCurlCommand(get, nullptr), QStringLiteral("curl -X GET 'http://h/x' --data-raw '{}'"));
        get.body.clear();
        QCOMPARE(toCurlCommand(get, nullptr), QStringLiteral("curl 'http://h/x'"));
    }

    void curlQuotesSingleQuotes()
    {
        HttpRequest req;
        req.url = QUrl(QStringLiteral("http://h/x"));
        req.method = "POST";
        req.body = "it's";
        QCOMPARE(toCurlCommand(req, nullptr), QStringLiteral("curl -X POST 'http://h/x' --data-raw 'it'\\''s'"));
    }
};

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
