#include "tests/support/FakeClock.h"

#include "core/vault/EnvironmentStore.h"

#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;

class TestEnvironmentStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path() const { return m_dir.filePath(QStringLiteral("keyway/environments.json")); }

    static QByteArray readAll(const QString& file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    void writeRaw(const QByteArray& bytes)
    {
        QDir().mkpath(QFileInfo(path()).absolutePath());
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
    }
    QStringList asideFiles() const
    {
        return QDir(QFileInfo(path()).absolutePath())
            .entryList({QStringLiteral("environments.json.corrupt-*")}, QDir::Files, QDir::Name);
    }

    static Environment sample(const QString& name)
    {
        Environment e
            = Environment::create(name, QStringLiteral("seismic"), QStringLiteral("https://h.example/prefix"));
        e.values.insert(QStringLiteral("clientId"), QStringLiteral("client-") + name);
        e.values.insert(QStringLiteral("merchantId"), QStringLiteral("m-42"));
        return e;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).removeRecursively();
        QDir().mkpath(m_dir.path());
        test::FakeClock::install(QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7), Qt::UTC));
    }
    void cleanup() { Clock::resetInstance(); }

    void missingFileIsAnEmptyList()
    {
        EnvironmentStore store(path());
        QString error;
        QVERIFY(store.load(&error));
        QVERIFY(store.environments().isEmpty());
        QVERIFY(!QFile::exists(path())); // loading never creates the file
    }

    void saveThenLoadKeepsEverything()
    {
        EnvironmentStore store(path());
        QString error;
        const Environment prod = sample(QStringLiteral("prod"));
        const Environment staging = sample(QStringLiteral("staging"));
        QVERIFY(store.add(prod, &error));
        QVERIFY(store.add(staging, &error));
        QVERIFY2(store.save(&error), qPrintable(error));

        EnvironmentStore reloaded(path());
        QVERIFY2(reloaded.load(&error), qPrintable(error));
        QCOMPARE(reloaded.names(), QStringList({QStringLiteral("prod"), QStringLiteral("staging")}));
        const Environment* loaded = reloaded.find(QStringLiteral("prod"));
        QVERIFY(loaded);
        QCOMPARE(loaded->id, prod.id);
        QVERIFY(!loaded->id.contains(QLatin1Char('{')));
        QCOMPARE(loaded->providerId, QStringLiteral("seismic"));
        QCOMPARE(loaded->baseUrl, QStringLiteral("https://h.example/prefix"));
        QCOMPARE(loaded->values, prod.values);
        QCOMPARE(loaded->created, QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7), Qt::UTC));
        QCOMPARE(reloaded.findById(staging.id)->name, QStringLiteral("staging"));
        // Only the owner can read it, and no temporary file of the atomic write is left behind.
        QCOMPARE(QFile::permissions(path()) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        QCOMPARE(QDir(QFileInfo(path()).absolutePath()).entryList(QDir::Files),
                 QStringList({QStringLiteral("environments.json")}));
    }

    void saveReplacesTheWholeFile()
    {
        EnvironmentStore store(path());
        QString error;
        for (int i = 0; i < 20; ++i) {
            QVERIFY(store.add(sample(QStringLiteral("env-%1").arg(i)), &error));
        }
        QVERIFY(store.save(&error));
        const qint64 bigSize = QFileInfo(path()).size();
        for (int i = 1; i < 20; ++i) {
            QVERIFY(store.remove(store.find(QStringLiteral("env-%1").arg(i))->id));
        }
        QVERIFY(store.save(&error));
        QVERIFY(QFileInfo(path()).size() < bigSize / 4); // no stale tail of the longer version
        EnvironmentStore reloaded(path());
        QVERIFY2(reloaded.load(&error), qPrintable(error));
        QCOMPARE(reloaded.names(), QStringList({QStringLiteral("env-0")}));
    }

    void namesAreUnique()
    {
        EnvironmentStore store(path());
        QString error;
        QVERIFY(store.add(sample(QStringLiteral("prod")), &error));
        QVERIFY(!store.add(sample(QStringLiteral("prod")), &error));
        QVERIFY2(error.contains(QLatin1String("'prod' already exists")), qPrintable(error));
        Environment staging = sample(QStringLiteral("staging"));
        QVERIFY(store.add(staging, &error));
        staging.name = QStringLiteral("prod");
        QVERIFY(!store.update(staging, &error));
        staging.name = QStringLiteral("stage");
        staging.baseUrl = QStringLiteral("https://other.example");
        QVERIFY(store.update(staging, &error));
        QCOMPARE(store.find(QStringLiteral("stage"))->baseUrl, QStringLiteral("https://other.example"));
        QVERIFY(!store.find(QStringLiteral("staging")));
        QVERIFY(!store.remove(QStringLiteral("no-such-id")));
        QVERIFY(!store.add(Environment(), &error));
    }

    void corruptFileIsMovedAsideAndReported_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("problem");
        QTest::newRow("cut off") << QByteArray(
            "{\"version\":1,\"environments\":[{\"id\":\"a\",\"name\":\"prod\",\"prov")
                                 << QStringLiteral("not valid JSON");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not valid JSON");
        QTest::newRow("not an object") << QByteArray("[1,2]") << QStringLiteral("/environments");
        QTest::newRow("list not an array")
            << QByteArray("{\"version\":1,\"environments\":{}}") << QStringLiteral("/environments: expected an array");
        QTest::newRow("newer format") << QByteArray("{\"version\":99,\"environments\":[]}")
                                      << QStringLiteral("/version");
        QTest::newRow("name missing") << QByteArray(
            "{\"version\":1,\"environments\":[{\"id\":\"a\",\"provider\":\"seismic\"}]}")
                                      << QStringLiteral("/environments/0/name");
        QTest::newRow("value not a string") << QByteArray(
            "{\"version\":1,\"environments\":[{\"id\":\"a\",\"name\":\"p\",\"provider\":\"x\",\"values\":{\"k\":1}}]}")
                                            << QStringLiteral("/environments/0/values/k");
        QTest::newRow("duplicate name") << QByteArray(
            "{\"version\":1,\"environments\":[{\"id\":\"a\",\"name\":\"p\",\"provider\":\"x\"},"
            "{\"id\":\"b\",\"name\":\"p\",\"provider\":\"x\"}]}")
                                        << QStringLiteral("duplicate environment 'p'");
    }
    void corruptFileIsMovedAsideAndReported()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, problem);
        writeRaw(content);

        EnvironmentStore store(path());
        QString error;
        QVERIFY(!store.load(&error));
        QVERIFY2(error.contains(problem), qPrintable(error));
        QVERIFY(store.environments().isEmpty());
        const QString aside = path() + QStringLiteral(".corrupt-20260304T050607Z");
        QCOMPARE(store.movedAsidePath(), aside);
        QVERIFY2(error.contains(aside), qPrintable(error));
        QVERIFY(!QFile::exists(path()));
        QCOMPARE(readAll(aside), content); // kept byte for byte for the user to inspect

        // The next start is clean, and saving never touches the damaged copy.
        QVERIFY(store.load(&error));
        QVERIFY(store.add(sample(QStringLiteral("fresh")), &error));
        QVERIFY(store.save(&error));
        QCOMPARE(readAll(aside), content);
    }

    void secondCorruptionInTheSameSecondGetsItsOwnName()
    {
        writeRaw("garbage one");
        EnvironmentStore store(path());
        QString error;
        QVERIFY(!store.load(&error));
        writeRaw("garbage two");
        QVERIFY(!store.load(&error));
        QCOMPARE(asideFiles(),
                 QStringList({QStringLiteral("environments.json.corrupt-20260304T050607Z"),
                              QStringLiteral("environments.json.corrupt-20260304T050607Z-2")}));
        QCOMPARE(readAll(store.movedAsidePath()), QByteArray("garbage two"));
    }

    void lockSerialisesWriters()
    {
        EnvironmentStore store(path());
        auto first = store.lock(0);
        QVERIFY(first);
        EnvironmentStore other(path());
        QVERIFY(!other.lock(50)); // a second writer waits, then gives up
        first.reset();
        QVERIFY(other.lock(0));
    }
};

QTEST_GUILESS_MAIN(TestEnvironmentStore)
#include "tst_environmentstore.moc"
