// The installed-app behaviour of the real binaries, each in a throwaway HOME: a second `keyway` hands
// its arguments to the running one and exits; history moves to the XDG state directory and leaves
// with its environment; every file Keyway writes is 0600 in 0700 directories; the app allows itself no core file.
#include "core/history/HistoryStore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace keyway;

namespace {

int modeOf(const QString& path)
{
    struct stat info
    {
    };
    return ::lstat(QFile::encodeName(path).constData(), &info) == 0 ? static_cast<int>(info.st_mode & 0777) : -1;
}

} // namespace

class TestDesktopIntegration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void helpAndVersionNeedNoDisplay();
    void secondLaunchRaisesTheFirst();
    void theAppAllowsItselfNoCoreFile();
    void historyMovesToStateAndLeavesWithItsEnvironment();
    void everyFileIsPrivate();

private:
    QProcessEnvironment environment() const;
    QString path(const QString& relative) const { return m_root.filePath(relative); }
    QString environmentId(const QString& name) const;
    int runCli(const QStringList& arguments, QByteArray* out = nullptr);

    QTemporaryDir m_root;
    QProcess m_first;
};

QProcessEnvironment TestDesktopIntegration::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment(); // keeps the test's D-Bus keyring
    env.insert(QStringLiteral("HOME"), path(QStringLiteral("home")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), path(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), path(QStringLiteral("state")));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), path(QStringLiteral("runtime")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    return env;
}

void TestDesktopIntegration::initTestCase()
{
    QVERIFY(m_root.isValid());
    for (const char* dir : {"home", "config", "data", "state", "runtime"}) {
        QVERIFY(QDir().mkpath(path(QString::fromLatin1(dir))));
    }
    QFile::setPermissions(path(QStringLiteral("runtime")),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // History where Keyway kept it before, readable by all: the first start moves it and tightens it.
    QVERIFY(QDir().mkpath(path(QStringLiteral("data/keyway/history"))));
    QFile legacy(path(QStringLiteral("data/keyway/history/legacy-environment.jsonl")));
    QVERIFY(legacy.open(QIODevice::WriteOnly));
    legacy.write("{}\n");
    legacy.close();
    QFile::setPermissions(legacy.fileName(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
}

void TestDesktopIntegration::cleanupTestCase()
{
    if (m_first.state() != QProcess::NotRunning) {
        m_first.kill();
        m_first.waitForFinished(10000);
    }
}

int TestDesktopIntegration::runCli(const QStringList& arguments, QByteArray* out)
{
    QProcess cli;
    cli.setProcessEnvironment(environment());
    cli.start(QStringLiteral(KEYWAY_CLI_PATH), arguments);
    if (!cli.waitForFinished(60000)) {
        cli.kill();
        return -1;
    }
    if (out) {
        *out = cli.readAllStandardOutput();
    }
    return cli.exitCode();
}

QString TestDesktopIntegration::environmentId(const QString& name) const
{
    QFile file(path(QStringLiteral("config/keyway/environments.json")));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QJsonArray list
        = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("environments")).toArray();
    for (const QJsonValue& value : list) {
        if (value.toObject().value(QStringLiteral("name")).toString() == name) {
            return value.toObject().value(QStringLiteral("id")).toString();
        }
    }
    return {};
}

void TestDesktopIntegration::helpAndVersionNeedNoDisplay()
{
    QProcessEnvironment env = environment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb")); // would abort if a window were made
    for (const QString& option : {QStringLiteral("--version"), QStringLiteral("--help")}) {
        QProcess keyway;
        keyway.setProcessEnvironment(env);
        keyway.start(QStringLiteral(KEYWAY_GUI_PATH), {option});
        QVERIFY(keyway.waitForFinished(30000));
        QCOMPARE(keyway.exitStatus(), QProcess::NormalExit);
        QCOMPARE(keyway.exitCode(), 0);
        const QString out = QString::fromUtf8(keyway.readAllStandardOutput());
        QVERIFY2(option == QLatin1String("--help") ? out.contains(QStringLiteral("--environment"))
                                                   : out.startsWith(QStringLiteral("keyway ")),
                 qPrintable(out));
    }
    // In German, the description and the option's text are German (the app's own strings are in the catalogue).
    QProcessEnvironment german = env;
    german.insert(QStringLiteral("LANG"), QStringLiteral("de_DE.UTF-8"));
    german.remove(QStringLiteral("LANGUAGE"));
    german.remove(QStringLiteral("LC_ALL"));
    QProcess help;
    help.setProcessEnvironment(german);
    help.start(QStringLiteral(KEYWAY_GUI_PATH), {QStringLiteral("--help")});
    QVERIFY(help.waitForFinished(30000));
    const QString helpText = QString::fromUtf8(help.readAllStandardOutput());
    QVERIFY2(helpText.contains(QStringLiteral("Startet die Desktop-App")), qPrintable(helpText));
    QVERIFY2(helpText.contains(QStringLiteral("Die Umgebung NAME auswählen.")), qPrintable(helpText));
    // A mistyped option is refused with the usage (a display is needed to get that far, as for any
    // launch that would open the window).
    QProcess bad;
    bad.setProcessEnvironment(environment());
    bad.start(QStringLiteral(KEYWAY_GUI_PATH), {QStringLiteral("--no-such-option")});
    QVERIFY(bad.waitForFinished(30000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY(bad.readAllStandardError().contains("no-such-option"));
}

void TestDesktopIntegration::secondLaunchRaisesTheFirst()
{
    m_first.setProcessEnvironment(environment());
    m_first.start(QStringLiteral(KEYWAY_GUI_PATH), QStringList());
    QVERIFY(m_first.waitForStarted(30000));
    // Up once it listens and its embedded sandbox has created the demo environments.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(path(QStringLiteral("runtime/keyway/instance"))), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!environmentId(QStringLiteral("Sandbox Seismic")).isEmpty(), 60000);

    QProcess second;
    second.setProcessEnvironment(environment());
    second.start(QStringLiteral(KEYWAY_GUI_PATH),
                 {QStringLiteral("--environment"), QStringLiteral("Sandbox Banking API")});
    QVERIFY(second.waitForFinished(30000));
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 0);
    QCOMPARE(m_first.state(), QProcess::Running);
    QByteArray log;
    QTRY_VERIFY_WITH_TIMEOUT((log += m_first.readAllStandardError()).contains("raised by another launch"), 30000);
    QVERIFY2(log.contains("Sandbox Banking API"), log.constData());
    // Still one embedded sandbox: only the first process listens on the preferred port range.
}

// A crash of the desktop app must not write the secrets it holds in memory to a core file.
void TestDesktopIntegration::theAppAllowsItselfNoCoreFile()
{
    QCOMPARE(m_first.state(), QProcess::Running);
    QFile limits(QStringLiteral("/proc/%1/limits").arg(m_first.processId()));
    QVERIFY(limits.open(QIODevice::ReadOnly));
    const QString text = QString::fromLatin1(limits.readAll());
    static const QRegularExpression noCore(QStringLiteral("(?m)^Max core file size\\s+0\\s+0\\s"));
    QVERIFY2(noCore.match(text).hasMatch(), qPrintable(text));
}

void TestDesktopIntegration::historyMovesToStateAndLeavesWithItsEnvironment()
{
    // The first start moved the old history over.
    QVERIFY(QFileInfo::exists(path(QStringLiteral("state/keyway/history/legacy-environment.jsonl"))));
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("data/keyway/history"))));

    // The first window creates the sandbox environments in the background, keychain first: wait for them.
    QString id;
    QTRY_VERIFY_WITH_TIMEOUT(!(id = environmentId(QStringLiteral("Sandbox Banking API"))).isEmpty(), 15000);
    HistoryStore store(path(QStringLiteral("state/keyway/history")));
    HistoryEntry entry;
    entry.method = QStringLiteral("GET");
    entry.url = QStringLiteral("http://127.0.0.1/banking/accounts");
    QVERIFY(store.append(id, entry));
    QVERIFY(QFileInfo::exists(store.filePath(id)));

    QByteArray out;
    QCOMPARE(runCli({QStringLiteral("env"), QStringLiteral("rm"), QStringLiteral("Sandbox Banking API")}, &out), 0);
    QVERIFY2(!QFileInfo::exists(store.filePath(id)), "env rm left the environment's history behind");
}

void TestDesktopIntegration::everyFileIsPrivate()
{
    QCOMPARE(runCli({QStringLiteral("env"), QStringLiteral("list")}), 0);
    m_first.kill();
    m_first.waitForFinished(10000);

    QStringList wrong;
    int checked = 0;
    for (const char* base : {"config/keyway", "data/keyway", "state/keyway"}) {
        const QString root = path(QString::fromLatin1(base));
        if (!QFileInfo::exists(root)) {
            continue;
        }
        if (modeOf(root) != 0700) {
            wrong.append(QStringLiteral("%1 %2").arg(modeOf(root), 0, 8).arg(root));
        }
        QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            const int expected = QFileInfo(file).isDir() ? 0700 : 0600;
            ++checked;
            if (modeOf(file) != expected) {
                wrong.append(QStringLiteral("%1 %2").arg(modeOf(file), 0, 8).arg(file));
            }
        }
    }
    QVERIFY(QFileInfo::exists(path(QStringLiteral("config/keyway/environments.json"))));
    QVERIFY(QFileInfo::exists(path(QStringLiteral("config/keyway/keyway.conf"))));
    QVERIFY(checked >= 4);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestDesktopIntegration)
#include "tst_desktop_integration.moc"
