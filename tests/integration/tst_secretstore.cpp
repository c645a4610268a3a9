// SecretStore against the real keychain: the throwaway gnome-keyring of tests/run-isolated.sh,
// plus child processes of this same executable for an unreachable, a locked, a stopped (slow) and a fenced-off
// (D-Bus policy) keychain; keyway-cli meets the locked and the fenced-off one too (exit 4, nothing written).
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/SecretBatch.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>
#include <cstdio>
#include <memory>

using namespace keyway;

namespace {

SecretResult readNow(SecretStore& store, const QString& key)
{
    return SecretBatch::readAllAndWait(store, {key}).value(key);
}
SecretResult writeNow(SecretStore& store, const QString& key, const QString& value)
{
    return SecretBatch::writeAllAndWait(store, {{key, value}}).value(key);
}
SecretResult removeNow(SecretStore& store, const QString& key)
{
    return SecretBatch::removeAllAndWait(store, {key}).value(key);
}

QString uniqueKey(const QString& field)
{
    return SecretStore::keyFor(QStringLiteral("tst-secretstore-") + QUuid::createUuid().toString(QUuid::WithoutBraces),
                               field);
}

// Runs a program and returns its stdout (trimmed); `exitCode` receives its exit status.
QString runTool(const QString& program, const QStringList& args, int* exitCode = nullptr)
{
    QProcess process;
    process.start(program, args);
    process.waitForFinished(15000);
    if (exitCode) {
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

QString gdbusSecrets(const QString& method, const QStringList& args)
{
    return runTool(QStringLiteral("gdbus"),
                   QStringList {QStringLiteral("call"),
                                QStringLiteral("--session"),
                                QStringLiteral("--dest"),
                                QStringLiteral("org.freedesktop.secrets"),
                                QStringLiteral("--object-path"),
                                QStringLiteral("/org/freedesktop/secrets"),
                                QStringLiteral("--method"),
                                QStringLiteral("org.freedesktop.Secret.Service.") + method}
                       + args);
}

void report(const char* name, const SecretResult& result)
{
    std::printf("%s=%s\n", name, qPrintable(SecretStore::statusName(result.status)));
    std::fflush(stdout);
}

// keyway-cli on the same bus: a new environment is refused with exit 4, its secret nowhere, no file written.
void reportCli()
{
    QProcess cli;
    cli.start(QStringLiteral(KEYWAY_CLI_PATH),
              {QStringLiteral("env"),
               QStringLiteral("add"),
               QStringLiteral("fenced"),
               QStringLiteral("--provider"),
               QStringLiteral("banking"),
               QStringLiteral("--base-url"),
               QStringLiteral("http://127.0.0.1:9"),
               QStringLiteral("--set"),
               QStringLiteral("client_id=fenced"),
               QStringLiteral("--secret"),
               QStringLiteral("client_secret")});
    cli.write("canary-fenced-secret-61fa\n");
    cli.closeWriteChannel();
    cli.waitForFinished(30000);
    std::printf(
        "cli-exit=%d\ncli-err=%s\nfile=%s\n",
        cli.exitCode(),
        cli.readAllStandardError().trimmed().constData(),
        QFile::exists(QString::fromLocal8Bit(qgetenv("XDG_CONFIG_HOME")) + QStringLiteral("/keyway/environments.json"))
            ? "written"
            : "none");
}

// Child: the session bus is a dead socket. Every operation must say "unavailable", promptly.
int probeUnavailable()
{
    KeychainSecretStore store;
    store.setTimeout(std::chrono::milliseconds(15000));
    const QString key = uniqueKey(QStringLiteral("clientSecret"));
    report("read", readNow(store, key));
    report("write", writeNow(store, key, QStringLiteral("never-stored")));
    report("remove", removeNow(store, key));
    return 0;
}

// Child, inside its own D-Bus session and gnome-keyring: store, lock the collection, then check
// that nothing reads as "missing" and nothing is deleted.
int probeLocked()
{
    KeychainSecretStore store;
    store.setTimeout(std::chrono::milliseconds(15000));
    const QString key = uniqueKey(QStringLiteral("clientSecret"));
    report("write", writeNow(store, key, QStringLiteral("locked-canary")));
    report("read-unlocked", readNow(store, key));

    const QString alias = gdbusSecrets(QStringLiteral("ReadAlias"), {QStringLiteral("default")});
    const QString collection = QRegularExpression(QStringLiteral("'([^']+)'")).match(alias).captured(1);
    gdbusSecrets(QStringLiteral("Lock"), {QStringLiteral("['%1']").arg(collection)});
    std::printf("collection=%s\n", qPrintable(collection));

    report("read", readNow(store, key));
    report("remove", removeNow(store, key));
    report("write-other", writeNow(store, uniqueKey(QStringLiteral("other")), QStringLiteral("x")));
    report("read-other-missing", readNow(store, uniqueKey(QStringLiteral("absent"))));
    // The entry is still there, locked: SearchItems answers (unlocked, locked).
    const QString search
        = gdbusSecrets(QStringLiteral("SearchItems"), {QStringLiteral("{'server': 'keyway', 'user': '%1'}").arg(key)});
    std::printf("search=%s\n", qPrintable(search));
    reportCli();
    return 0;
}

// Child, inside its own D-Bus session and gnome-keyring: the keyring daemon is stopped (SIGSTOP) in the middle,
// so it neither answers nor fails. The read ends at the store's own timeout as "locked" (an unlock prompt nobody
// answered looks the same), and once the daemon runs again the entry is there, unchanged.
int probeSlow()
{
    KeychainSecretStore store;
    store.setTimeout(std::chrono::milliseconds(2000));
    const QString key = uniqueKey(QStringLiteral("clientSecret"));
    report("write", writeNow(store, key, QStringLiteral("slow-canary")));
    const QString owner = runTool(QStringLiteral("gdbus"),
                                  {QStringLiteral("call"),
                                   QStringLiteral("--session"),
                                   QStringLiteral("--dest"),
                                   QStringLiteral("org.freedesktop.DBus"),
                                   QStringLiteral("--object-path"),
                                   QStringLiteral("/org/freedesktop/DBus"),
                                   QStringLiteral("--method"),
                                   QStringLiteral("org.freedesktop.DBus.GetConnectionUnixProcessID"),
                                   QStringLiteral("org.freedesktop.secrets")});
    const pid_t daemon = pid_t(QRegularExpression(QStringLiteral("uint32 (\\d+)")).match(owner).captured(1).toInt());
    QFile comm(QStringLiteral("/proc/%1/comm").arg(daemon));
    const bool isKeyring = daemon > 0 && comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("gnome-keyring");
    if (!isKeyring || ::kill(daemon, SIGSTOP) != 0) {
        std::printf("daemon=%s\n", qPrintable(owner));
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    const SecretResult stopped = readNow(store, key);
    const qint64 elapsed = timer.elapsed();
    ::kill(daemon, SIGCONT);
    report("read-stopped", stopped);
    std::printf("bounded=%s\nmessage=%s\n",
                elapsed >= 1500 && elapsed < 8000 ? "yes" : qPrintable(QString::number(elapsed)),
                qPrintable(stopped.error));
    const SecretResult after = readNow(store, key);
    report("read-after", after);
    std::printf("kept=%s\n", after.value == QLatin1String("slow-canary") ? "yes" : "no");
    removeNow(store, key);
    return 0;
}

// Child, on a bus whose policy forbids talking to the Secret Service (what a confined app meets under
// AppArmor or SELinux D-Bus mediation): every operation says "denied", never "missing" or "unavailable".
int probeDenied()
{
    KeychainSecretStore store;
    store.setTimeout(std::chrono::milliseconds(15000));
    const QString key = uniqueKey(QStringLiteral("clientSecret"));
    const SecretResult read = readNow(store, key);
    report("read", read);
    report("write", writeNow(store, key, QStringLiteral("never-stored")));
    report("remove", removeNow(store, key));
    std::printf("message=%s\n", qPrintable(SecretStore::userMessage(read)));
    reportCli();
    return 0;
}

} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT

private:
    KeychainSecretStore m_store;
    QStringList m_written;

    SecretResult write(const QString& key, const QString& value)
    {
        m_written.append(key);
        return writeNow(m_store, key, value);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            QSKIP("needs a D-Bus session with a keyring: run through tests/run-isolated.sh");
        }
    }
    void cleanupTestCase() { SecretBatch::removeAllAndWait(m_store, m_written); }

    void roundTrip()
    {
        const QString key = uniqueKey(QStringLiteral("clientSecret"));
        const QString value = QStringLiteral("s3cr\u00e9t with spaces = and \"quotes\"");
        const SecretResult written = write(key, value);
        QVERIFY2(written.ok(), qPrintable(written.error));
        const SecretResult read = readNow(m_store, key);
        QCOMPARE(read.status, SecretStatus::Ok);
        QCOMPARE(read.value, value);
        QVERIFY(read.error.isEmpty());
    }

    void entryIsWhereSecretToolLooks()
    {
        const QString key = uniqueKey(QStringLiteral("webhookSecret"));
        QVERIFY(write(key, QStringLiteral("visible-to-secret-tool")).ok());
        int exitCode = -1;
        const QString found = runTool(
            QStringLiteral("secret-tool"),
            {QStringLiteral("lookup"), QStringLiteral("server"), QStringLiteral("keyway"), QStringLiteral("user"), key},
            &exitCode);
        QCOMPARE(exitCode, 0);
        QCOMPARE(found, QStringLiteral("visible-to-secret-tool"));
    }

    void overwriteReplacesTheValue()
    {
        const QString key = uniqueKey(QStringLiteral("clientSecret"));
        QVERIFY(write(key, QStringLiteral("first")).ok());
        QVERIFY(write(key, QStringLiteral("second")).ok());
        QCOMPARE(readNow(m_store, key).value, QStringLiteral("second"));
    }

    void removeThenMissing()
    {
        const QString key = uniqueKey(QStringLiteral("clientSecret"));
        QVERIFY(write(key, QStringLiteral("to-be-removed")).ok());
        QCOMPARE(removeNow(m_store, key).status, SecretStatus::Ok);
        const SecretResult read = readNow(m_store, key);
        QCOMPARE(read.status, SecretStatus::Missing);
        QVERIFY(read.value.isEmpty());
        QVERIFY(!read.error.isEmpty());
        QCOMPARE(removeNow(m_store, key).status, SecretStatus::Ok); // removing what is gone is fine
    }

    void missingEntryIsMissing()
    {
        const SecretResult read = readNow(m_store, uniqueKey(QStringLiteral("never-written")));
        QCOMPARE(read.status, SecretStatus::Missing);
        QVERIFY(!read.keychainInaccessible());
    }

    void batchReadsEveryKey()
    {
        QMap<QString, QString> values;
        for (int i = 0; i < 5; ++i) {
            values.insert(uniqueKey(QStringLiteral("field%1").arg(i)), QStringLiteral("value-%1").arg(i));
        }
        m_written.append(values.keys());
        QVERIFY(!SecretBatch::firstFailure(SecretBatch::writeAllAndWait(m_store, values)));
        QStringList keys = values.keys();
        keys.append(uniqueKey(QStringLiteral("absent")));
        const SecretBatch::Results results = SecretBatch::readAllAndWait(m_store, keys);
        QCOMPARE(results.size(), 6);
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            QCOMPARE(results.value(it.key()).value, it.value());
        }
        QCOMPARE(results.value(keys.last()).status, SecretStatus::Missing);
    }

    void answersAreAsynchronousAndStopWithTheStore()
    {
        auto store = std::make_unique<KeychainSecretStore>();
        bool called = false;
        store->read(uniqueKey(QStringLiteral("x")), [&called](const SecretResult&) { called = true; });
        QVERIFY(!called);
        store.reset(); // a destroyed store never calls back, and nothing crashes
        QTest::qWait(300);
        QVERIFY(!called);
    }

    void unreachableKeychainIsUnavailable()
    {
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=") + dir.filePath(QStringLiteral("no-bus")));
        env.remove(QStringLiteral("DISPLAY"));
        QProcess child;
        child.setProcessEnvironment(env);
        QElapsedTimer timer;
        timer.start();
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--probe"), QStringLiteral("unavailable")});
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.exitCode(), 0);
        QVERIFY2(timer.elapsed() < 10000, "an unreachable keychain must be reported promptly");
        const QString out = QString::fromUtf8(child.readAllStandardOutput());
        QCOMPARE(out, QStringLiteral("read=unavailable\nwrite=unavailable\nremove=unavailable\n"));
    }

private:
    // Runs `--probe NAME` of this executable inside a private D-Bus session (with `busConfig`) and a private,
    // unlocked gnome-keyring: locking or fencing off the shared one would break tests running beside us.
    QString probeInOwnKeyring(const QString& probe, const QString& busConfig = {})
    {
        const QString dbusRunSession = QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
        const QString keyringDaemon = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (dbusRunSession.isEmpty() || keyringDaemon.isEmpty()) {
            return QStringLiteral("SKIP");
        }
        QTemporaryDir root;
        for (const char* sub : {"home", "config", "data", "cache", "runtime"}) {
            if (!QDir(root.path()).mkpath(QLatin1String(sub))) {
                return QStringLiteral("cannot create ") + root.filePath(QLatin1String(sub));
            }
        }
        QFile::setPermissions(root.filePath(QStringLiteral("runtime")),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), root.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), root.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), root.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), root.filePath(QStringLiteral("cache")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), root.filePath(QStringLiteral("runtime")));
        for (const char* name : {"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"}) {
            env.remove(QLatin1String(name)); // no display: an unlock prompt fails instead of waiting
        }
        const QString script = QStringLiteral(
            "eval \"$(printf %s locked-test | gnome-keyring-daemon --unlock --components=secrets)\"\n"
            "\"$0\" --probe \"$1\"; status=$?\n"
            "pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus "
            "--method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets "
            "| sed 's/[^ ]* \\([0-9]*\\).*/\\1/')\n"
            "[ -n \"$pid\" ] && kill \"$pid\"\n"
            "exit $status\n");
        QString config = QStringLiteral("/usr/share/dbus-1/session.conf");
        if (!busConfig.isEmpty()) {
            config = root.filePath(QStringLiteral("bus.conf"));
            QFile file(config);
            if (!file.open(QIODevice::WriteOnly) || file.write(busConfig.toUtf8()) != busConfig.toUtf8().size()) {
                return QStringLiteral("cannot write ") + config;
            }
        }
        QProcess child;
        child.setProcessEnvironment(env);
        child.start(dbusRunSession,
                    {QStringLiteral("--config-file=") + config,
                     QStringLiteral("--"),
                     QStringLiteral("sh"),
                     QStringLiteral("-c"),
                     script,
                     QCoreApplication::applicationFilePath(),
                     probe});
        if (!child.waitForFinished(60000) || child.exitCode() != 0) {
            return QStringLiteral("probe failed: ") + QString::fromUtf8(child.readAllStandardOutput())
                + QString::fromUtf8(child.readAllStandardError());
        }
        return QString::fromUtf8(child.readAllStandardOutput());
    }

private Q_SLOTS:
    void lockedKeychainIsLockedAndKeepsItsEntries()
    {
        const QString out = probeInOwnKeyring(QStringLiteral("locked"));
        if (out == QLatin1String("SKIP")) {
            QSKIP("needs dbus-run-session and gnome-keyring-daemon");
        }
        QVERIFY2(out.contains(QLatin1String("write=ok\nread-unlocked=ok\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("collection=/org/freedesktop/secrets/collection/")), qPrintable(out));
        // Locked is reported as locked: never as "missing", and the remove did not go through.
        QVERIFY2(out.contains(QLatin1String("\nread=locked\nremove=locked\nwrite-other=locked\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("\ncli-exit=4\n")), qPrintable(out));
        QVERIFY2(QRegularExpression(QStringLiteral("cli-err=[^\\n]*locked")).match(out).hasMatch(), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("\nfile=none\n")), qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String("canary-fenced-secret")), qPrintable(out));
        // An entry that never existed is still plainly missing.
        QVERIFY2(out.contains(QLatin1String("read-other-missing=missing\n")), qPrintable(out));
        // The item survives in the locked list of (unlocked, locked).
        QVERIFY2(QRegularExpression(QStringLiteral("search=\\(@ao \\[\\], \\[objectpath '[^']+'\\]\\)"))
                     .match(out)
                     .hasMatch(),
                 qPrintable(out));
    }

    // A keychain that answers slowly (its daemon stopped): the read says so in bounded time, nothing is lost.
    void slowKeychainIsReportedAndKeepsItsEntries()
    {
        const QString out = probeInOwnKeyring(QStringLiteral("slow"));
        if (out == QLatin1String("SKIP")) {
            QSKIP("needs dbus-run-session and gnome-keyring-daemon");
        }
        QVERIFY2(out.startsWith(QLatin1String("write=ok\nread-stopped=locked\nbounded=yes\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("message=The keychain did not answer within 2 seconds")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("read-after=ok\nkept=yes\n")), qPrintable(out));
    }

    // Fenced off by the system's D-Bus policy: reported as denied, with what to do, never as missing.
    void deniedKeychainIsDenied()
    {
        const QString out
            = probeInOwnKeyring(QStringLiteral("denied"),
                                QStringLiteral("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                                               "Configuration 1.0//EN\" "
                                               "\"http://www.freedesktop.org/standards/dbus/1.0/"
                                               "busconfig.dtd\">\n"
                                               "<busconfig><include>/usr/share/dbus-1/session.conf</include>"
                                               "<policy context=\"mandatory\"><deny "
                                               "send_destination=\"org.freedesktop.secrets\"/></policy>"
                                               "</busconfig>\n"));
        if (out == QLatin1String("SKIP")) {
            QSKIP("needs dbus-run-session and gnome-keyring-daemon");
        }
        QVERIFY2(out.startsWith(QLatin1String("read=denied\nwrite=denied\nremove=denied\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("message=The keychain refused access: allow Keyway, then try again.")),
                 qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("\ncli-exit=4\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("D-Bus policy does not let Keyway talk to the keychain")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("\nfile=none\n")), qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String("canary-fenced-secret")), qPrintable(out));
    }
};

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--probe") == 0) {
        if (qstrcmp(argv[2], "locked") == 0) {
            return probeLocked();
        }
        if (qstrcmp(argv[2], "slow") == 0) {
            return probeSlow();
        }
        return qstrcmp(argv[2], "denied") == 0 ? probeDenied() : probeUnavailable();
    }
    TestSecretStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secretstore.moc"
