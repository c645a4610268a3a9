#include "core/profile/ProfileLoader.h"
#include "core/util/Jwt.h"
#include "tests/support/FakeClock.h"
#include "ui/inspector/JsonTreeModel.h"
#include "ui/inspector/ResponseInspector.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

using namespace keyway;
using keyway::ui::JsonTreeModel;
using keyway::ui::ReplyView;
using keyway::ui::ResponseInspector;

namespace {
const QDateTime Start(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);

// The envelope rule of the shipped Seismic profile: the inspector reads envelopes only through a profile.
SuccessRule seismicEnvelope()
{
    static const ProfileRegistry registry = ProfileRegistry::loadDefault();
    return registry.find(QStringLiteral("seismic"))->apiSuccess;
}

ReplyView jsonReply(const QByteArray& body, int status = 200)
{
    ReplyView reply;
    reply.success = seismicEnvelope();
    reply.status = status;
    reply.reason = status == 200 ? QStringLiteral("OK") : QStringLiteral("Bad Request");
    reply.elapsedMs = 84;
    reply.headers = {{"Content-Type", "application/json"}, {"x-request-id", "req-1"}};
    reply.body = body;
    return reply;
}

QByteArray base64Url(const QByteArray& data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray makeJwt(qint64 exp)
{
    return base64Url(R"({"alg":"HS256","typ":"JWT"})") + '.'
        + base64Url(QByteArray(R"({"sub":"user-4242","iss":"https://sandbox.test","exp":)") + QByteArray::number(exp)
                    + '}')
        + '.' + base64Url("not-a-real-signature");
}

// Bins like Seismic's GET /v1/card/bins, `count` of them.
QByteArray binsBody(int count)
{
    QByteArray body = R"({"code":"000000","msg":"success","data":{"bins":[)";
    for (int i = 0; i < count; ++i) {
        body += (i ? "," : "") + QByteArray(R"({"binId":")") + QByteArray::number(400000 + i)
            + R"(","brand":"VISA","status":"active","limits":{"daily":1000,"monthly":20000}})";
    }
    return body + "]}}";
}
} // namespace

class TestInspector : public QObject
{
    Q_OBJECT
private:
    ResponseInspector* m_inspector = nullptr;

    bool showAndWait(const ReplyView& reply, int timeoutMs = 5000)
    {
        QSignalSpy shown(m_inspector, &ResponseInspector::replyShown);
        m_inspector->showReply(reply);
        return shown.wait(timeoutMs) || shown.count() > 0;
    }
    QTabWidget* tabs() const { return m_inspector->findChild<QTabWidget*>(QStringLiteral("bodyTabs")); }

private Q_SLOTS:
    void init()
    {
        test::FakeClock::install(Start);
        m_inspector = new ResponseInspector;
        m_inspector->resize(900, 600);
        m_inspector->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_inspector));
    }
    void cleanup()
    {
        delete m_inspector;
        Clock::resetInstance();
    }

    void showsTopLevelKeysStatusAndEnvelope()
    {
        QVERIFY(showAndWait(jsonReply(binsBody(3))));
        JsonTreeModel* model = m_inspector->treeModel();
        QCOMPARE(model->rowCount(), 3);
        QVERIFY(model->findKey(QStringLiteral("code")).isValid());
        QVERIFY(model->findKey(QStringLiteral("msg")).isValid());
        QVERIFY(model->findKey(QStringLiteral("data")).isValid());
        QCOMPARE(model->findKey(QStringLiteral("code")).siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(),
                 QStringLiteral("000000"));
        QVERIFY(m_inspector->statusText().startsWith(QStringLiteral("200 OK · 84 ms")));
        QVERIFY(m_inspector->envelopeText().contains(QStringLiteral("000000")));
        QVERIFY(!m_inspector->envelopeText().contains(QStringLiteral("⚠")));
        QCOMPARE(tabs()->currentIndex(), int(ResponseInspector::TreeTab));
        auto* headers = m_inspector->findChild<QWidget*>(QStringLiteral("headersTable"));
        QVERIFY(headers);
    }

    void envelopeErrorIsFlaggedWithTheCallersHint()
    {
        ReplyView reply = jsonReply(R"({"code":"40399","msg":"Token invalid"})");
        reply.hint = QStringLiteral("Token expired or belongs to another environment.");
        QVERIFY(showAndWait(reply));
        QVERIFY(m_inspector->envelopeText().contains(QStringLiteral("⚠")));
        QVERIFY(m_inspector->envelopeText().contains(QStringLiteral("40399")));
        QVERIFY(m_inspector->envelopeText().contains(QStringLiteral("Token invalid")));
        auto* hint = m_inspector->findChild<QLabel*>(QStringLiteral("hintLabel"));
        QVERIFY(hint->isVisible());
        QCOMPARE(hint->text(), reply.hint);
    }

    void expandingFetchesChildren()
    {
        QVERIFY(showAndWait(jsonReply(binsBody(3))));
        JsonTreeModel* model = m_inspector->treeModel();
        QTreeView* tree = m_inspector->treeView();
        const QModelIndex data = model->findKey(QStringLiteral("data"));
        QCOMPARE(model->rowCount(data), 0); // nothing below the top level is read before it is opened
        tree->expand(data);
        QTRY_COMPARE(model->rowCount(data), 1);
        const QModelIndex bins = model->findKey(QStringLiteral("bins"), data);
        tree->expand(bins);
        QTRY_COMPARE(model->rowCount(bins), 3);
        const QModelIndex second = model->index(1, 0, bins);
        QCOMPARE(second.data().toString(), QStringLiteral("[1]"));
        tree->expand(second);
        QModelIndex binId;
        QTRY_VERIFY((binId = model->findKey(QStringLiteral("binId"), second)).isValid());
        QCOMPARE(binId.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("400001"));
        QCOMPARE(model->jsonPointer(binId), QStringLiteral("/data/bins/1/binId"));
        QCOMPARE(model->valueText(binId), QStringLiteral("400001"));
    }

    void bigArraysArriveInGroupsFromTheWorker()
    {
        QVERIFY(showAndWait(jsonReply(binsBody(4500))));
        JsonTreeModel* model = m_inspector->treeModel();
        QTreeView* tree = m_inspector->treeView();
        const QModelIndex data = model->findKey(QStringLiteral("data"));
        QSignalSpy fetched(model, &JsonTreeModel::childrenFetched);
        tree->doItemsLayout(); // no layout pending, which would postpone the fetch that expand() starts
        tree->expand(data); // bigger than the synchronous limit: indexed on a worker thread
        QVERIFY(model->isFetching(data));
        QTRY_VERIFY(!model->isFetching(data) && model->rowCount(data) == 1);
        const QModelIndex bins = model->findKey(QStringLiteral("bins"), data);
        tree->expand(bins);
        QTRY_COMPARE(model->rowCount(bins), 5); // [0 … 999] … [4000 … 4499]
        const QModelIndex group = model->index(4, 0, bins);
        QCOMPARE(group.data().toString(), QStringLiteral("[4000 … 4499]"));
        QCOMPARE(model->rowCount(group), 500);
        tree->expand(group);
        const QModelIndex element = model->index(10, 0, group);
        QCOMPARE(element.data().toString(), QStringLiteral("[4010]"));
        // The view fetches an expanded row's children when it lays itself out, which a loaded machine may
        // do after expand() returns.
        tree->expand(element);
        QModelIndex binId;
        QTRY_VERIFY((binId = model->findKey(QStringLiteral("binId"), element)).isValid());
        QCOMPARE(model->valueText(binId), QStringLiteral("404010"));
        QCOMPARE(model->jsonPointer(binId), QStringLiteral("/data/bins/4010/binId"));
    }

    void hugeReplyKeepsTheEventLoopRunning()
    {
        QByteArray body = binsBody(350000); // ~31 MB
        QVERIFY(body.size() > 30 * 1000 * 1000);
        QElapsedTimer clock;
        qint64 last = 0;
        qint64 maxGap = 0;
        QTimer probe;
        probe.setInterval(5);
        connect(&probe, &QTimer::timeout, this, [&] {
            const qint64 t = clock.elapsed();
            maxGap = std::max(maxGap, t - last);
            last = t;
        });
        clock.start();
        probe.start();
        QVERIFY(showAndWait(jsonReply(body), 30000));
        tabs()->setCurrentIndex(ResponseInspector::PrettyTab); // the capped text view fills in slices
        auto* pretty = m_inspector->findChild<QPlainTextEdit*>(QStringLiteral("prettyText"));
        QTRY_VERIFY_WITH_TIMEOUT(pretty->document()->characterCount() > 1000000, 20000);
        QTest::qWait(200);
        probe.stop();
        QCOMPARE(m_inspector->treeModel()->rowCount(), 3);
        QVERIFY(m_inspector->bodyNote().contains(QStringLiteral("first 4")));
        QVERIFY2(maxGap < 500, qPrintable(QStringLiteral("UI thread stalled %1 ms").arg(maxGap)));
    }

    void htmlErrorPageShowsRawTextAndANote()
    {
        ReplyView reply
            = jsonReply("<html><head><title>502 Bad Gateway</title></head><body>upstream down</body></html>", 502);
        reply.headers = {{"Content-Type", "text/html"}};
        QVERIFY(showAndWait(reply));
        QVERIFY(m_inspector->bodyNote().contains(QStringLiteral("not JSON")));
        QCOMPARE(tabs()->currentIndex(), int(ResponseInspector::RawTab));
        QVERIFY(!tabs()->isTabEnabled(ResponseInspector::TreeTab));
        auto* raw = m_inspector->findChild<QPlainTextEdit*>(QStringLiteral("rawText"));
        QTRY_VERIFY(raw->toPlainText().contains(QStringLiteral("upstream down")));
        QCOMPARE(m_inspector->treeModel()->rowCount(), 0);
    }

    void truncatedJsonIsNotATree()
    {
        QVERIFY(showAndWait(jsonReply(R"({"data": [1, 2, )")));
        QVERIFY(m_inspector->bodyNote().contains(QStringLiteral("not JSON")));
        QCOMPARE(tabs()->currentIndex(), int(ResponseInspector::RawTab));
    }

    void decodesATokenSelectedInTheTree()
    {
        const qint64 exp = Start.toSecsSinceEpoch() + 299;
        const QByteArray jwt = makeJwt(exp);
        QVERIFY(Jwt::looksLikeJwt(QString::fromLatin1(jwt)));
        QVERIFY(showAndWait(jsonReply(R"({"token_type":"Bearer","access_token":")" + jwt + R"(","expires_in":299})")));
        JsonTreeModel* model = m_inspector->treeModel();
        const QModelIndex token = model->findKey(QStringLiteral("access_token"));
        QVERIFY(token.data(JsonTreeModel::IsJwtRole).toBool());
        QVERIFY(!model->findKey(QStringLiteral("token_type")).data(JsonTreeModel::IsJwtRole).toBool());
        auto* decode = m_inspector->findChild<QToolButton*>(QStringLiteral("decodeJwtButton"));
        QVERIFY(!decode->isEnabled());
        m_inspector->treeView()->setCurrentIndex(token);
        QVERIFY(decode->isEnabled());
        decode->click();
        QCOMPARE(tabs()->currentIndex(), int(ResponseInspector::JwtTab));
        auto* claims = m_inspector->findChild<QPlainTextEdit*>(QStringLiteral("jwtClaims"));
        QVERIFY(claims->toPlainText().contains(QStringLiteral("\"sub\": \"user-4242\"")));
        auto* header = m_inspector->findChild<QPlainTextEdit*>(QStringLiteral("jwtHeader"));
        QVERIFY(header->toPlainText().contains(QStringLiteral("HS256")));
        auto* summary = m_inspector->findChild<QLabel*>(QStringLiteral("jwtSummary"));
        QVERIFY2(summary->text().contains(QStringLiteral("expires in 4:59")), qPrintable(summary->text()));
        QVERIFY(summary->text().contains(
            QDateTime::fromSecsSinceEpoch(exp).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
        QVERIFY(!m_inspector->decodeJwt(QStringLiteral("not.a.jwt")));
    }

    void searchesTheBody()
    {
        QVERIFY(showAndWait(jsonReply(binsBody(5))));
        m_inspector->showSearch();
        QVERIFY(m_inspector->findChild<QWidget*>(QStringLiteral("searchBar"))->isVisible());
        QTRY_VERIFY(m_inspector->findNext(QStringLiteral("400003")));
        QCOMPARE(tabs()->currentIndex(), int(ResponseInspector::PrettyTab));
        auto* pretty = m_inspector->findChild<QPlainTextEdit*>(QStringLiteral("prettyText"));
        QCOMPARE(pretty->textCursor().selectedText(), QStringLiteral("400003"));
        QVERIFY(m_inspector->findNext(QStringLiteral("VISA")));
        const int first = pretty->textCursor().position();
        QVERIFY(m_inspector->findNext());
        QVERIFY(pretty->textCursor().position() > first);
        QVERIFY(m_inspector->findPrevious());
        QCOMPARE(pretty->textCursor().position(), first);
        QVERIFY(!m_inspector->findNext(QStringLiteral("no-such-text")));
        QCOMPARE(m_inspector->findChild<QLabel*>(QStringLiteral("searchStatus"))->text(), QStringLiteral("No match"));
    }

    // A reply bigger than the text views hold is searched whole on a worker: the find bar shows progress,
    // then the count and where the first match is, and the tree selects the row that holds it.
    void searchesTheWholeOfABigReplyWithProgress()
    {
        const int count = 150000;
        QByteArray body = binsBody(count);
        // Not raw strings: moc misreads an escaped quote inside one.
        const QByteArray marker
            = QByteArrayLiteral("\"binId\":\"") + QByteArray::number(400000 + count - 7) + "\",\"brand\":\"VISA\"";
        const qsizetype at = body.indexOf(marker);
        QVERIFY(at > 0);
        body.replace(at + marker.size() - 5, 4, "Zeta"); // one bin near the end has another brand
        QVERIFY(body.size() > 3 * ResponseInspector::TextViewCapBytes);
        QVERIFY(showAndWait(jsonReply(body)));
        QTRY_VERIFY(!m_inspector->isLoading());

        QSignalSpy progress(m_inspector, &ResponseInspector::searchProgress);
        QSignalSpy finished(m_inspector, &ResponseInspector::searchFinished);
        QVERIFY(!m_inspector->findNext(QStringLiteral("zeta"))); // not in the text views' first 4 MB
        QVERIFY(m_inspector->isSearching());
        auto* stop = m_inspector->findChild<QToolButton*>(QStringLiteral("searchCancel"));
        QVERIFY(stop->isVisible());
        QVERIFY(finished.wait(20000));
        QVERIFY(progress.count() >= 3);
        QCOMPARE(progress.last().at(0).toInt(), 100);
        QVERIFY(!stop->isVisible());
        const QString status = m_inspector->searchStatusText();
        QVERIFY2(status.startsWith(QStringLiteral("1 match")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("/data/bins/%1/brand").arg(count - 7)), qPrintable(status));
        QCOMPARE(m_inspector->treeView()->currentIndex().data().toString(), QStringLiteral("data"));

        // Every other bin says VISA: the count is exact however the slices fall.
        QVERIFY(m_inspector->findNext(QStringLiteral("visa")));
        QVERIFY(m_inspector->isSearching());
        QVERIFY(finished.wait(20000));
        QVERIFY2(m_inspector->searchStatusText().startsWith(QStringLiteral("%1 match").arg(count - 1)),
                 qPrintable(m_inspector->searchStatusText()));
    }

    void stopsAWholeReplySearch()
    {
        QVERIFY(showAndWait(jsonReply(binsBody(150000))));
        QTRY_VERIFY(!m_inspector->isLoading());
        QSignalSpy finished(m_inspector, &ResponseInspector::searchFinished);
        m_inspector->searchWholeReply(QStringLiteral("no-such-text"));
        QVERIFY(m_inspector->isSearching());
        m_inspector->findChild<QToolButton*>(QStringLiteral("searchCancel"))->click();
        QVERIFY(!m_inspector->isSearching());
        QCOMPARE(finished.count(), 1);
        QCOMPARE(m_inspector->searchStatusText(), QStringLiteral("Search stopped"));
        QTest::qWait(300); // the worker's last reports arrive and are dropped
        QCOMPARE(m_inspector->searchStatusText(), QStringLiteral("Search stopped"));
        QCOMPARE(finished.count(), 1);
    }

    void emptyBody()
    {
        QVERIFY(showAndWait(jsonReply(QByteArray(), 200)));
        QVERIFY(m_inspector->bodyNote().contains(QStringLiteral("no body")));
        QCOMPARE(tabs()->currentIndex(), int(ResponseInspector::HeadersTab));
    }
};

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
