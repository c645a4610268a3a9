// Preferences (keys, defaults, bounds), the XDG state directory, history migration and the single
// instance socket: the desktop-citizen parts of core.
#include "core/history/HistoryStore.h"
#include "core/util/AppPaths.h"
#include "core/util/Preferences.h"
#include "core/util/SingleInstance.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

#include <sys/stat.h>

using namespace keyway;

namespace {
// The Unix mode bits of a path (0600, 0700…); -1 if it does not exist.
int modeOf(const QString& path)
{
    struct stat info
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? static_cast<int>(info.st_mode & 0777) : -1;
}
} // namespace

class TestPreferences : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void defaultsWithoutSettings();
    void savedValuesAreReadBackAndClamped();
    void settingsFileIsPrivate();
    void historyLimitsFollowPreferences();
    void stateDirectoryFollowsXdg();
    void historyMovesFromTheDataDirectory();
    void secondInstanceHandsItsArgumentsOver();
    void staleSocketIsReplaced();

private:
    QTemporaryDir m_root;
};

void TestPreferences::initTestCase()
{
    QVERIFY(m_root.isValid());
    qputenv("HOME", m_root.filePath(QStringLiteral("home")).toUtf8());
    qputenv("XDG_CONFIG_HOME", m_root.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_DATA_HOME", m_root.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_STATE_HOME", m_root.filePath(QStringLiteral("state")).toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-preferences"));
    QCoreApplication::setApplicationName(QStringLiteral("keyway-test-preferences"));
}

void TestPreferences::init()
{
    QSettings().clear();
}

void TestPreferences::defaultsWithoutSettings()
{
    QCOMPARE(Preferences::clipboardClearSeconds(), 30);
    QCOMPARE(Preferences::historyMaxEntries(), 500);
    QCOMPARE(Preferences::historyMaxFileMegabytes(), 20);
    QCOMPARE(Preferences::requestTimeoutSeconds(), 30);
    QCOMPARE(Preferences::startSandbox(), true);
    QCOMPARE(Preferences::sandboxPort(), 47800);
    QCOMPARE(Preferences::language(), QString());
    QCOMPARE(Preferences::timelineWarningSeconds(), 60);
}

void TestPreferences::savedValuesAreReadBackAndClamped()
{
    Preferences::setClipboardClearSeconds(45);
    Preferences::setRequestTimeoutSeconds(7);
    Preferences::setLanguage(QStringLiteral("de"));
    Preferences::setStartSandbox(false);
    QCOMPARE(Preferences::clipboardClearSeconds(), 45);
    QCOMPARE(Preferences::requestTimeoutSeconds(), 7);
    QCOMPARE(Preferences::language(), QStringLiteral("de"));
    QCOMPARE(Preferences::startSandbox(), false);
    // The keys other parts of Keyway (and the user's hand edits) rely on.
    QCOMPARE(QSettings().value(QStringLiteral("network/timeoutSeconds")).toInt(), 7);
    QCOMPARE(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("de"));

    // A hand-edited file with nonsense falls back or clamps; it never yields 0 s or a negative limit.
    QSettings().setValue(Preferences::requestTimeoutSecondsKey(), QStringLiteral("soon"));
    QSettings().setValue(Preferences::clipboardClearSecondsKey(), -4);
    QSettings().setValue(Preferences::historyMaxEntriesKey(), 10'000'000);
    QCOMPARE(Preferences::requestTimeoutSeconds(), Preferences::DefaultRequestTimeoutSeconds);
    QCOMPARE(Preferences::clipboardClearSeconds(), Preferences::MinClipboardClearSeconds);
    QCOMPARE(Preferences::historyMaxEntries(), Preferences::MaxHistoryMaxEntries);
}

void TestPreferences::settingsFileIsPrivate()
{
    Preferences::setTimelineWarningSeconds(90);
    const QString file = QSettings().fileName();
    QVERIFY2(QFileInfo::exists(file), qPrintable(file));
    QCOMPARE(modeOf(file), 0600);
}

void TestPreferences::historyLimitsFollowPreferences()
{
    Preferences::setHistoryMaxEntries(42);
    Preferences::setHistoryMaxFileMegabytes(3);
    const HistoryStore store(m_root.filePath(QStringLiteral("limits")));
    QCOMPARE(store.limits().maxEntries, 42);
    QCOMPARE(store.limits().maxFileBytes, 3LL * 1024 * 1024);
}

void TestPreferences::stateDirectoryFollowsXdg()
{
    QCOMPARE(AppPaths::stateDirectory(), m_root.filePath(QStringLiteral("state/keyway")));
    QCOMPARE(HistoryStore::defaultDirectory(), m_root.filePath(QStringLiteral("state/keyway/history")));
    const QByteArray saved = qgetenv("XDG_STATE_HOME");
    qputenv("XDG_STATE_HOME", "relative/is/ignored");
    QCOMPARE(AppPaths::stateDirectory(), QDir::homePath() + QStringLiteral("/.local/state/keyway"));
    qunsetenv("XDG_STATE_HOME");
    QCOMPARE(AppPaths::stateDirectory(), QDir::homePath() + QStringLiteral("/.local/state/keyway"));
    qputenv("XDG_STATE_HOME", saved);
}

void TestPreferences::historyMovesFromTheDataDirectory()
{
    const QString from = m_root.filePath(QStringLiteral("old/keyway/history"));
    const QString to = m_root.filePath(QStringLiteral("new/keyway/history"));
    QVERIFY(QDir().mkpath(from));
    QVERIFY(QDir().mkpath(to));
    auto write = [](const QString& path, const QByteArray& text) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    };
    write(from + QStringLiteral("/a.jsonl"), "old a\n");
    write(from + QStringLiteral("/b.jsonl"), "old b\n");
    write(to + QStringLiteral("/b.jsonl"), "new b\n");
    QVERIFY(HistoryStore::migrateDirectory(from, to));
    QVERIFY(!QFileInfo::exists(from));
    QFile a(to + QStringLiteral("/a.jsonl"));
    QVERIFY(a.open(QIODevice::ReadOnly));
    QCOMPARE(a.readAll(), QByteArray("old a\n"));
    QCOMPARE(modeOf(a.fileName()), 0600);
    QFile b(to + QStringLiteral("/b.jsonl"));
    QVERIFY(b.open(QIODevice::ReadOnly));
    QCOMPARE(b.readAll(), QByteArray("new b\n")); // what is already in the new place wins
    // Nothing to migrate is fine.
    QVERIFY(HistoryStore::migrateDirectory(from, to));
}

void TestPreferences::secondInstanceHandsItsArgumentsOver()
{
    const QString socket = m_root.filePath(QStringLiteral("runtime/keyway/instance"));
    SingleInstance first(socket);
    QVERIFY(!first.sendToRunning({}, 500)); // nobody there yet
    QVERIFY(first.listen());
    QSignalSpy received(&first, &SingleInstance::argumentsReceived);

    // The second launch blocks on its socket, so it runs on another thread while this one serves.
    std::atomic<int> handedOver {-1};
    std::thread second([&] {
        SingleInstance other(socket);
        handedOver = other.sendToRunning({QStringLiteral("--environment"), QStringLiteral("Démo one")}, 10000) ? 1 : 0;
    });
    QTRY_COMPARE(received.size(), 1);
    second.join();
    QCOMPARE(handedOver.load(), 1);
    QCOMPARE(received.first().first().toStringList(),
             QStringList({QStringLiteral("--environment"), QStringLiteral("Démo one")}));
    QCOMPARE(modeOf(QFileInfo(socket).absolutePath()), 0700);
}

void TestPreferences::staleSocketIsReplaced()
{
    const QString socket = m_root.filePath(QStringLiteral("runtime2/keyway/instance"));
    QVERIFY(QDir().mkpath(QFileInfo(socket).absolutePath()));
    {
        QFile stale(socket); // what a crashed instance leaves behind, as far as the path goes
        QVERIFY(stale.open(QIODevice::WriteOnly));
    }
    SingleInstance instance(socket);
    QVERIFY(!instance.sendToRunning({}, 500));
    QString error;
    QVERIFY2(instance.listen(&error), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestPreferences)
#include "tst_preferences.moc"
