#include "core/checks/WebhookVerifier.h"

#include <QTest>

using namespace keyway;
using Verdict = WebhookVerifier::Verdict;

class TestWebhookVerifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Known answer from RFC 4231 test case 2 ("Jefe" / "what do ya want for nothing?").
    void signMatchesRfc4231()
    {
        QCOMPARE(WebhookVerifier::sign("what do ya want for nothing?", "Jefe"),
                 QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }

    void verdicts_data()
    {
        const QByteArray secret = "whsec_demo_secret";
        const QByteArray body = R"({"event":"card.created","data":{"id":"c_1","amount":1250}})";
        const QByteArray hex = WebhookVerifier::sign(body, secret);
        const QByteArray raw = QByteArray::fromHex(hex);

        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("signature");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("detail");

        QTest::newRow("valid hex") << body << hex << secret << int(Verdict::Valid) << "Valid";
        QTest::newRow("valid upper hex with prefix")
            << body << ("sha256=" + hex.toUpper()) << secret << int(Verdict::Valid) << "hex";
        QTest::newRow("valid base64") << body << raw.toBase64() << secret << int(Verdict::Valid) << "base64";
        QTest::newRow("reindented body") << QByteArray(R"({
    "event": "card.created",
    "data": { "id": "c_1", "amount": 1250 }
})") << hex << secret << int(Verdict::BodyWhitespace)
                                         << "compact JSON";
        QTest::newRow("trailing newline added")
            << (body + "\n") << hex << secret << int(Verdict::BodyWhitespace) << "without the trailing newline";
        QTest::newRow("secret pasted base64")
            << body << hex << secret.toBase64() << int(Verdict::SecretEncoding) << "base64-decoded";
        QTest::newRow("wrong secret") << body << hex << QByteArray("another") << int(Verdict::Mismatch)
                                      << "not the one that signed";
        QTest::newRow("body changed") << QByteArray(R"({"event":"card.created","data":{"id":"c_1","amount":9999}})")
                                      << hex << secret << int(Verdict::Mismatch) << "changed";
        QTest::newRow("truncated signature")
            << body << hex.left(40) << secret << int(Verdict::MalformedSignature) << "64 hex characters";
        QTest::newRow("garbage") << body << QByteArray("not a signature!") << secret << int(Verdict::MalformedSignature)
                                 << "HMAC-SHA256";
    }

    void verdicts()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, signature);
        QFETCH(QByteArray, secret);
        QFETCH(int, verdict);
        QFETCH(QString, detail);
        const auto result = WebhookVerifier::verify(body, signature, secret);
        QCOMPARE(int(result.verdict), verdict);
        QVERIFY2(result.detail.contains(detail), qPrintable(result.detail));
        QVERIFY(!result.detail.contains(QString::fromLatin1(secret)) || secret.isEmpty());
    }

    // A profile's webhook rule: its header line may be pasted whole, its prefix is stripped, and a
    // signature in an encoding the provider never sends is refused with the encoding it does send.
    void followsTheProfilesRule()
    {
        WebhookRule rule;
        rule.secretKey = QStringLiteral("signing_key");
        rule.header = QStringLiteral("X-Acme-Signature");
        rule.encodings = {QStringLiteral("base64")};
        rule.prefixes = {QStringLiteral("acme1:")};
        const QByteArray secret = "acme-webhook-secret";
        const QByteArray body = R"({"event":"ping"})";
        const QByteArray mac = QByteArray::fromHex(WebhookVerifier::sign(body, secret));

        auto result = WebhookVerifier::verify(rule, body, "x-acme-signature: acme1:" + mac.toBase64(), secret);
        QVERIFY2(result.valid(), qPrintable(result.detail));
        QCOMPARE(result.signatureEncoding, QStringLiteral("base64"));

        result = WebhookVerifier::verify(rule, body, mac.toHex(), secret);
        QCOMPARE(result.verdict, Verdict::MalformedSignature);
        QVERIFY2(result.detail.contains(QStringLiteral("sends base64 in the X-Acme-Signature header")),
                 qPrintable(result.detail));

        result = WebhookVerifier::verify(rule, body, "acme1:" + mac.toBase64(), "wrong");
        QCOMPARE(result.verdict, Verdict::Mismatch);
        QVERIFY2(result.detail.contains(QStringLiteral("signing_key")), qPrintable(result.detail));
    }
};

QTEST_GUILESS_MAIN(TestWebhookVerifier)
#include "tst_webhookverifier.moc"
