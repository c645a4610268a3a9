#include "core/json/JsonIndex.h"
#include "core/json/JsonSearch.h"
#include "core/json/JsonText.h"
#include "core/json/ReplyEnvelope.h"

#include <QJsonDocument>
#include <QTest>

using namespace keyway::json;
using keyway::SuccessRule;

Q_DECLARE_METATYPE(keyway::SuccessRule)

namespace {
QByteArray slice(const QByteArray& doc, const JsonEntry& e)
{
    return doc.mid(static_cast<qsizetype>(e.valueOffset), e.valueLength);
}
QString key(const QByteArray& doc, const JsonEntry& e)
{
    return unescapeString(doc.constData() + e.keyOffset, e.keyLength);
}
} // namespace

class TestJsonIndex : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void indexesTopLevelMembersWithExactRanges()
    {
        // Not a raw string: moc misreads an escaped quote inside one.
        const QByteArray doc = "  {\"code\": \"000000\", \"data\": [ {\"bin\":\"411111\"}, {\"bin\":\"522222\"} ], "
                               "\"w\\\"e\\u00e9ird\": null, \"n\": -1.5e3 }  ";
        const JsonIndexResult root = indexValue(doc);
        QVERIFY2(root.ok, qPrintable(root.error));
        QCOMPARE(root.value.type, JsonType::Object);
        QCOMPARE(root.value.childCount, 4u);
        QCOMPARE(root.children.size(), size_t(4));
        QCOMPARE(key(doc, root.children[0]), "code");
        QCOMPARE(slice(doc, root.children[0]), QByteArray(R"("000000")"));
        QCOMPARE(root.children[1].type, JsonType::Array);
        QCOMPARE(root.children[1].childCount, 2u);
        QCOMPARE(slice(doc, root.children[1]), QByteArray(R"([ {"bin":"411111"}, {"bin":"522222"} ])"));
        QCOMPARE(key(doc, root.children[2]), QString::fromUtf8("w\"e\xc3\xa9ird"));
        QCOMPARE(root.children[2].type, JsonType::Null);
        QCOMPARE(slice(doc, root.children[3]), QByteArray("-1.5e3"));

        // Expanding a child indexes just its range, with offsets still relative to the whole document.
        const JsonIndexResult data = indexValue(doc, root.children[1].valueOffset, root.children[1].valueLength);
        QVERIFY2(data.ok, qPrintable(data.error));
        QCOMPARE(data.children.size(), size_t(2));
        QCOMPARE(slice(doc, data.children[1]), QByteArray(R"({"bin":"522222"})"));
        const JsonIndexResult second = indexValue(doc, data.children[1].valueOffset, data.children[1].valueLength);
        QCOMPARE(slice(doc, second.children[0]), QByteArray(R"("522222")"));
    }

    // Containers are walked once (counted, then ended where the walk stopped): ranges and counts stay exact
    // with whitespace before the next comma or bracket, for empty and nested containers alike.
    void containerRangesEndAtTheirClosingBracket()
    {
        const QByteArray doc = "[ {\"a\" : [ 1 , [2] ]\n , \"b\": { \"c\" : {} } }\t, [] , {} ,[[[]]] ]";
        const JsonIndexResult root = indexValue(doc);
        QVERIFY2(root.ok, qPrintable(root.error));
        QCOMPARE(root.children.size(), size_t(4));
        QCOMPARE(slice(doc, root.children[0]), QByteArray("{\"a\" : [ 1 , [2] ]\n , \"b\": { \"c\" : {} } }"));
        QCOMPARE(root.children[0].childCount, 2u);
        QCOMPARE(slice(doc, root.children[1]), QByteArray("[]"));
        QCOMPARE(root.children[1].childCount, 0u);
        QCOMPARE(slice(doc, root.children[2]), QByteArray("{}"));
        QCOMPARE(slice(doc, root.children[3]), QByteArray("[[[]]]"));
        QCOMPARE(root.children[3].childCount, 1u);
        const JsonIndexResult first = indexValue(doc, root.children[0].valueOffset, root.children[0].valueLength);
        QVERIFY2(first.ok, qPrintable(first.error));
        QCOMPARE(slice(doc, first.children[0]), QByteArray("[ 1 , [2] ]"));
        QCOMPARE(first.children[0].childCount, 2u);
        QCOMPARE(slice(doc, first.children[1]), QByteArray("{ \"c\" : {} }"));
        QVERIFY(!indexValue(QByteArray("[ {\"a\": 1,}, 2 ]")).ok); // a broken child is still an error
        QVERIFY(!indexValue(QByteArray("[ [1 2], 3 ]")).ok);
    }

    void searchesAWholeBodyInSlicesAndNamesTheMatch()
    {
        QByteArray doc = R"({"items":[)";
        int n = 0;
        while (doc.size() < 9 * 1024 * 1024) { // three slices, so matches fall across the borders
            doc += (n ? "," : "") + QByteArray(R"({"id":)") + QByteArray::number(n) + R"(,"tag":"Needle"})";
            ++n;
        }
        doc += R"(],"needle key":true})";
        QList<int> reports;
        const BodySearchResult all = searchBody(doc, "NEEDLE", 0, [&](int percent) {
            reports << percent;
            return true;
        });
        QVERIFY(!all.cancelled);
        QCOMPARE(all.matches, qint64(n + 1));
        QCOMPARE(reports.size(), 3);
        QCOMPARE(reports.last(), 100);
        QCOMPARE(pointerAt(doc, quint64(all.firstOffset)), QStringLiteral("/items/0/tag"));
        const qint64 late = doc.indexOf(R"("Needle")", doc.size() / 2);
        const BodySearchResult from = searchBody(doc, "needle", late);
        QCOMPARE(pointerAt(doc, quint64(from.firstOffset)),
                 QStringLiteral("/items/%1/tag").arg(doc.left(late).count(R"("tag")") - 1));
        QCOMPARE(pointerAt(doc, quint64(doc.lastIndexOf("needle key"))), QStringLiteral("/needle key"));
        QCOMPARE(pointerAt(doc, quint64(doc.lastIndexOf(R"("needle key")"))), QStringLiteral("/needle key"));

        int calls = 0;
        const BodySearchResult stopped = searchBody(doc, "needle", 0, [&](int) { return ++calls < 1; });
        QVERIFY(stopped.cancelled);
        QCOMPARE(calls, 1);
        QCOMPARE(searchBody(doc, "absent").matches, qint64(0));
        QCOMPARE(searchBody(doc, "absent").firstOffset, qint64(-1));
    }

    void rejectsNonJsonWithAReason_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("html") << QByteArray("<html><body>502 Bad Gateway</body></html>");
        QTest::newRow("truncated") << QByteArray(R"({"data": [1, 2, )");
        QTest::newRow("bad literal") << QByteArray(R"({"a": tru})");
        QTest::newRow("trailing") << QByteArray(R"({"a": 1} {"b": 2})");
        QTest::newRow("empty") << QByteArray("   ");
    }
    void rejectsNonJsonWithAReason()
    {
        QFETCH(QByteArray, body);
        const JsonIndexResult result = indexValue(body);
        QVERIFY(!result.ok);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(result.children.empty());
    }

    void scalarDocument()
    {
        const QByteArray doc = R"( "just a string" )";
        const JsonIndexResult result = indexValue(doc);
        QVERIFY(result.ok);
        QCOMPARE(result.value.type, JsonType::String);
        QCOMPARE(slice(doc, result.value), QByteArray(R"("just a string")"));
    }

    void unescapesAndCapsStrings()
    {
        const QByteArray raw = "a\\nb\\\"c\\u00e9\\ud83d\\ude00";
        QCOMPARE(unescapeString(raw.constData(), raw.size()), QString::fromUtf8("a\nb\"c\xc3\xa9\xf0\x9f\x98\x80"));
        bool truncated = false;
        QCOMPARE(unescapeString(raw.constData(), raw.size(), 3, &truncated), "a\nb");
        QVERIFY(truncated);
        QCOMPARE(pointerToken("a/b~c"), "a~1b~0c");
    }

    void prettyPrintsEquivalentJsonAndCaps()
    {
        const QByteArray doc = R"({"a":[1,2,{"b":"x, y: {z}"}],"e":{},"f":[]})";
        const QByteArray pretty = prettyPrint(doc, 1 << 20);
        QCOMPARE(QJsonDocument::fromJson(pretty), QJsonDocument::fromJson(doc));
        QVERIFY(pretty.contains("\n    1,\n"));
        QVERIFY(pretty.contains(R"("x, y: {z}")"));
        QVERIFY(pretty.contains(R"("e": {})"));
        bool truncated = false;
        QByteArray big = "[";
        for (int i = 0; i < 10000; ++i) {
            big += "12345,";
        }
        big += "0]";
        const QByteArray capped = prettyPrint(big, 1000, &truncated);
        QVERIFY(truncated);
        QVERIFY(capped.size() < 1100);
    }

    void readsEnvelopes_data()
    {
        // Envelope rules as profiles declare them (apiSuccess).
        SuccessRule codeEnvelope;
        codeEnvelope.statuses = {200};
        codeEnvelope.codePointer = QStringLiteral("/code");
        codeEnvelope.codeEquals = QStringLiteral("000000");
        codeEnvelope.messagePointer = QStringLiteral("/msg");
        SuccessRule nestedEnvelope;
        nestedEnvelope.codePointer = QStringLiteral("/status/ok");
        nestedEnvelope.codeEquals = QStringLiteral("true");
        nestedEnvelope.messagePointer = QStringLiteral("/status/err");
        SuccessRule jsonApi;
        jsonApi.messagePointer = QStringLiteral("/errors/0/detail");

        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<SuccessRule>("rule");
        QTest::addColumn<bool>("present");
        QTest::addColumn<bool>("isError");
        QTest::addColumn<QString>("summaryPart");
        QTest::newRow("code ok") << QByteArray(R"({"code":"000000","msg":"success","data":[]})") << 200 << codeEnvelope
                                 << true << false << "000000";
        QTest::newRow("code error") << QByteArray(R"({"code":"40399","msg":"Token invalid"})") << 200 << codeEnvelope
                                    << true << true << "40399: Token invalid";
        QTest::newRow("code members without the rule")
            << QByteArray(R"({"code":"40399","msg":"Token invalid"})") << 200 << SuccessRule() << false << false << "";
        QTest::newRow("nested error") << QByteArray(R"({"status":{"ok":false,"err":"bad token"},"result":null})") << 200
                                      << nestedEnvelope << true << true << "false: bad token";
        QTest::newRow("nested ok") << QByteArray(R"({"result":[1],"status":{"ok":true,"err":""}})") << 200
                                   << nestedEnvelope << true << false << "true";
        QTest::newRow("jsonapi") << QByteArray(
            R"({"errors":[{"status":"422","title":"Invalid BIN","detail":"BIN too short"}]})")
                                 << 422 << jsonApi << true << true << "BIN too short";
        QTest::newRow("oauth") << QByteArray(R"({"error":"invalid_grant","error_description":"code already used"})")
                               << 400 << SuccessRule() << true << true << "invalid_grant: code already used";
        QTest::newRow("plain") << QByteArray(R"({"bins":[1]})") << 200 << codeEnvelope << false << true << "";
    }
    void readsEnvelopes()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(SuccessRule, rule);
        QFETCH(bool, present);
        QFETCH(bool, isError);
        QFETCH(QString, summaryPart);
        const ReplyEnvelope envelope = readEnvelope(rule, status, body, indexValue(body));
        QCOMPARE(envelope.present, present);
        if (present) {
            QCOMPARE(envelope.isError, isError);
        }
        QVERIFY2(envelope.summary().contains(summaryPart), qPrintable(envelope.summary()));
    }
    // A reply too big to parse whole is judged through its top-level envelope members only.
    void readsTheEnvelopeOfAHugeReply()
    {
        SuccessRule rule;
        rule.codePointer = QStringLiteral("/status/ok");
        rule.codeEquals = QStringLiteral("true");
        rule.messagePointer = QStringLiteral("/status/err");
        QByteArray body = R"({"result":[)";
        for (int i = 0; i < 200000; ++i) {
            body += i ? ",12345678" : "12345678";
        }
        body += R"(],"status":{"ok":false,"err":"quota exceeded"}})";
        QVERIFY(body.size() > 1024 * 1024);
        const ReplyEnvelope envelope = readEnvelope(rule, 200, body, indexValue(body));
        QVERIFY(envelope.present);
        QVERIFY(envelope.isError);
        QCOMPARE(envelope.message, QStringLiteral("quota exceeded"));
    }
};

QTEST_GUILESS_MAIN(TestJsonIndex)
#include "tst_jsonindex.moc"
