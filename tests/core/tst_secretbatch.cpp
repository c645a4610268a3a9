#include "tests/support/MemorySecretStore.h"

#include "core/vault/SecretBatch.h"

#include <QSignalSpy>
#include <QTest>

using namespace keyway;
using keyway::test::MemorySecretStore;

class TestSecretBatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysNameEnvironmentAndField()
    {
        QCOMPARE(SecretStore::keyFor(QStringLiteral("e1"), QStringLiteral("clientSecret")),
                 QStringLiteral("e1/clientSecret"));
        QCOMPARE(SecretStore::keyFor(QStringLiteral("e1"), QStringLiteral("api.client_secret")),
                 QStringLiteral("e1/api.client_secret"));
        QCOMPARE(SecretStore::refreshTokenKey(QStringLiteral("e1"), QString()), QStringLiteral("e1/@refresh_token"));
        QCOMPARE(SecretStore::refreshTokenKey(QStringLiteral("e1"), QStringLiteral("sdk")),
                 QStringLiteral("e1/sdk.@refresh_token"));
        QCOMPARE(SecretStore::statusName(SecretStatus::Locked), QStringLiteral("locked"));
        QCOMPARE(SecretStore::statusName(SecretStatus::Missing), QStringLiteral("missing"));
    }

    void readAllStartsEveryReadAtOnceAndReportsOnce()
    {
        MemorySecretStore store;
        store.setEntry(QStringLiteral("e/a"), QStringLiteral("alpha"));
        store.setEntry(QStringLiteral("e/b"), QStringLiteral("beta"));
        store.setFailingKeys({QStringLiteral("e/c")}, SecretStatus::Locked);
        int reports = 0;
        SecretBatch::Results results;
        SecretBatch::readAll(
            store,
            {QStringLiteral("e/a"), QStringLiteral("e/b"), QStringLiteral("e/c"), QStringLiteral("e/d")},
            [&](const SecretBatch::Results& r) {
                ++reports;
                results = r;
            });
        QCOMPARE(reports, 0); // never synchronous
        QCOMPARE(store.maxInFlight(), 4);
        QTRY_COMPARE(reports, 1);
        QCOMPARE(results.size(), 4);
        QCOMPARE(results[QStringLiteral("e/a")].value, QStringLiteral("alpha"));
        QCOMPARE(results[QStringLiteral("e/b")].status, SecretStatus::Ok);
        QCOMPARE(results[QStringLiteral("e/c")].status, SecretStatus::Locked);
        QVERIFY(results[QStringLiteral("e/c")].keychainInaccessible());
        QVERIFY(results[QStringLiteral("e/c")].value.isEmpty());
        QCOMPARE(results[QStringLiteral("e/d")].status, SecretStatus::Missing);
        QVERIFY(!results[QStringLiteral("e/d")].keychainInaccessible());
        QCOMPARE(SecretBatch::firstFailure(results)->status, SecretStatus::Locked);
        QTest::qWait(20);
        QCOMPARE(reports, 1);
    }

    void emptyBatchStillAnswersLater()
    {
        MemorySecretStore store;
        int reports = 0;
        SecretBatch::readAll(store, {}, [&](const SecretBatch::Results& r) {
            QVERIFY(r.isEmpty());
            ++reports;
        });
        QCOMPARE(reports, 0);
        QTRY_COMPARE(reports, 1);
    }

    void writeAndRemoveAllAndWait()
    {
        MemorySecretStore store;
        const auto written = SecretBatch::writeAllAndWait(
            store, {{QStringLiteral("e/a"), QStringLiteral("1")}, {QStringLiteral("e/b"), QStringLiteral("2")}});
        QVERIFY(!SecretBatch::firstFailure(written));
        QCOMPARE(store.entries().size(), 2);
        QCOMPARE(store.maxInFlight(), 2);
        const auto removed = SecretBatch::removeAllAndWait(
            store, {QStringLiteral("e/a"), QStringLiteral("e/b"), QStringLiteral("e/x")});
        QVERIFY(!SecretBatch::firstFailure(removed));
        QVERIFY(store.entries().isEmpty());
    }

    void lockedStoreKeepsItsEntries()
    {
        MemorySecretStore store;
        store.setEntry(QStringLiteral("e/a"), QStringLiteral("alpha"));
        store.setFailure(SecretStatus::Locked);
        QCOMPARE(SecretBatch::readAllAndWait(store, {QStringLiteral("e/a")}).value(QStringLiteral("e/a")).status,
                 SecretStatus::Locked);
        QCOMPARE(SecretBatch::removeAllAndWait(store, {QStringLiteral("e/a")}).value(QStringLiteral("e/a")).status,
                 SecretStatus::Locked);
        QCOMPARE(store.entries().value(QStringLiteral("e/a")), QStringLiteral("alpha"));
        store.setFailure(SecretStatus::Ok);
        QCOMPARE(SecretBatch::readAllAndWait(store, {QStringLiteral("e/a")}).value(QStringLiteral("e/a")).value,
                 QStringLiteral("alpha"));
    }
};

QTEST_GUILESS_MAIN(TestSecretBatch)
#include "tst_secretbatch.moc"
