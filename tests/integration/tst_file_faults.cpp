// Files and keychain entries that fail under Keyway, as keyway-cli users meet them: a full disk while
// saving (a file-size limit, and a really full 64 KiB tmpfs; the previous environments file stays byte for
// byte), a configuration directory the user may not
// write in (keyway-cli run as nobody), and
// a keychain entry deleted behind Keyway's back (reported with what to do, nothing else removed). A
// truncated or corrupt environments file, a broken user profile and a locked or unreachable keychain
// are covered in tst_environmentstore, tst_profileloader, tst_secretstore and tst_cli_env.
#include "tests/support/CliProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

const QByteArray kSecret = "canary-file-faults-secret-31c9";
const QByteArray kSecondSecret = "canary-file-faults-second-8e02";
const QByteArray kThirdSecret = "canary-file-faults-third-5b7a";

} // namespace

using keyway::test::CliRun;

class TestFileFaults : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;

    QString configFile() const { return m_root.filePath(QStringLiteral("config/keyway/environments.json")); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_root.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_root.filePath(QStringLiteral("data")));
        env.remove(QStringLiteral("DISPLAY"));
        return env;
    }

    // keyway-cli, optionally under a file-size limit of `maxFileBlocks` 512-byte blocks: the shell's
    // ulimit is how a test makes "the disk is full" happen to one process (EFBIG on the write that
    // crosses it; SIGXFSZ ignored so the write fails instead of killing the process).
    CliRun cli(const QStringList& args, const QByteArray& input = {}, int maxFileBlocks = 0)
    {
        keyway::test::CliInvocation invocation(args, input, environment());
        invocation.timeoutMs = 30000;
        if (maxFileBlocks > 0) {
            invocation.program = QStringLiteral("/bin/sh");
            invocation.args
                = QStringList {QStringLiteral("-c"),
                               QStringLiteral("trap '' XFSZ; ulimit -f %1; exec \"$0\" \"$@\"").arg(maxFileBlocks),
                               QStringLiteral(KEYWAY_CLI_PATH)}
                + args;
        }
        return keyway::test::runCli(invocation);
    }

    CliRun addEnvironment(const QString& name,
                          int maxFileBlocks = 0,
                          const QString& scope = {},
                          const QByteArray& secret = kSecret)
    {
        return cli({QStringLiteral("env"),
                    QStringLiteral("add"),
                    name,
                    QStringLiteral("--provider"),
                    QStringLiteral("banking"), // its client_secret is required: a missing one is an error
                    QStringLiteral("--base-url"),
                    QStringLiteral("http://127.0.0.1:9"),
                    QStringLiteral("--set"),
                    QStringLiteral("client_id=file-faults-") + (scope.isEmpty() ? QStringLiteral("read") : scope),
                    QStringLiteral("--secret"),
                    QStringLiteral("client_secret")},
                   secret + '\n',
                   maxFileBlocks);
    }

    QByteArray fileBytes() const
    {
        QFile f(configFile());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    QString idOf(const QString& name) const
    {
        const QJsonArray list
            = QJsonDocument::fromJson(fileBytes()).object().value(QStringLiteral("environments")).toArray();
        for (const auto& value : list) {
            if (value.toObject().value(QStringLiteral("name")).toString() == name) {
                return value.toObject().value(QStringLiteral("id")).toString();
            }
        }
        return {};
    }

    // Whether any keychain entry of Keyway holds `value`. Other suites share this keyring and run at the
    // same time, so entries are told apart by value; the listing holds values and is never printed.
    static bool keychainHolds(const QByteArray& value)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(
            QStringLiteral("secret-tool"),
            {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), QStringLiteral("keyway")});
        process.waitForFinished(15000);
        return process.readAll().contains(QByteArray("secret = " + value + '\n'));
    }

    static int secretTool(const QStringList& args)
    {
        QProcess process;
        process.start(QStringLiteral("secret-tool"), args);
        process.waitForFinished(15000);
        return process.exitCode();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // Big enough (a long scope) that writing the file again crosses the limit used below.
        const CliRun first = addEnvironment(QStringLiteral("first"), 0, QString(3000, QLatin1Char('s')));
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QVERIFY(fileBytes().size() > 3000);
    }

    void fullDiskSaveFailsLoudlyAndKeepsThePreviousFile()
    {
        const QByteArray before = fileBytes();
        QVERIFY(keychainHolds(kSecret));
        const CliRun r = addEnvironment(
            QStringLiteral("second"), 1, {}, kSecondSecret); // 1 KiB at most: the new file does not fit
        QVERIFY2(r.exitCode != 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("Cannot write")) && r.err.contains(configFile()), qPrintable(r.err));
        QCOMPARE(fileBytes(), before); // the atomic save left the previous file alone
        const QStringList leftovers = QDir(QFileInfo(configFile()).absolutePath())
                                          .entryList({QStringLiteral("environments.json.*")}, QDir::Files);
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(QLatin1Char(' ')))); // no half-written temp file
        const CliRun list = cli({QStringLiteral("env"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("first"));
        QVERIFY(!list.out.contains("second"));
        QVERIFY(!r.err.contains(QString::fromLatin1(kSecret)));
        QVERIFY(!r.err.contains(QString::fromLatin1(kSecondSecret)));
        QVERIFY(!keychainHolds(kSecondSecret)); // the secret written first was taken back
    }

    // A really full file system (ENOSPC, not a file-size limit): the configuration directory is a 64 KiB tmpfs,
    // filled to the last byte before keyway-cli adds an environment. It lives in a mount namespace of its own
    // (unshare -m), so the script copies out what the directory held afterwards for the checks below.
    void fullConfigFileSystemSaveFailsLoudly_data()
    {
        QTest::addColumn<int>("freeKiB");
        QTest::newRow("not a byte free") << 0; // even the lock file does not fit
        QTest::newRow("room for the lock file only") << 4; // one page: the new file is what does not fit
    }

    void fullConfigFileSystemSaveFailsLoudly()
    {
        QFETCH(int, freeKiB);
        if (::geteuid() != 0) {
            QSKIP("mounting a tmpfs needs root (CI runs as root); fullDiskSaveFailsLoudlyAndKeepsThePreviousFile "
                  "covers a full disk with a file-size limit");
        }
        const QString unshare = QStandardPaths::findExecutable(QStringLiteral("unshare"));
        QVERIFY2(!unshare.isEmpty(), "unshare (util-linux) is missing");
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const QString config = scratch.filePath(QStringLiteral("config"));
        const QString out = scratch.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(config) && QDir().mkpath(out));
        const QByteArray before = fileBytes();
        QVERIFY(!before.isEmpty());
        const QString script = QStringLiteral(
            "config=$1; out=$2; previous=$3; shift 3\n"
            "mount -t tmpfs -o size=64k,mode=0700 keyway-full \"$config\" || exit 97\n"
            "mkdir \"$config/keyway\" && chmod 700 \"$config/keyway\" || exit 97\n"
            "cp \"$previous\" \"$config/keyway/environments.json\" || exit 97\n"
            "dd if=/dev/zero of=\"$config/filler\" bs=1k 2>/dev/null\n"
            "[ \"$KEYWAY_TEST_FREE_KIB\" -gt 0 ] && truncate -s -${KEYWAY_TEST_FREE_KIB}K \"$config/filler\"\n"
            "df -k \"$config\" | awk 'NR==2 {print $4}' > \"$out/available\"\n"
            "\"$@\"; status=$?\n"
            "cp \"$config/keyway/environments.json\" \"$out/environments.json\"\n"
            "ls -A \"$config/keyway\" > \"$out/listing\"\n"
            "exit $status\n");
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config);
        env.insert(QStringLiteral("KEYWAY_TEST_FREE_KIB"), QString::number(freeKiB));
        keyway::test::CliInvocation invocation({QStringLiteral("env"),
                                                QStringLiteral("add"),
                                                QStringLiteral("third"),
                                                QStringLiteral("--provider"),
                                                QStringLiteral("banking"),
                                                QStringLiteral("--base-url"),
                                                QStringLiteral("http://127.0.0.1:9"),
                                                QStringLiteral("--set"),
                                                QStringLiteral("client_id=file-faults-full"),
                                                QStringLiteral("--secret"),
                                                QStringLiteral("client_secret")},
                                               kThirdSecret + '\n',
                                               env);
        invocation.timeoutMs = 30000;
        invocation.program = unshare;
        invocation.args = QStringList {QStringLiteral("-m"),
                                       QStringLiteral("sh"),
                                       QStringLiteral("-c"),
                                       script,
                                       QStringLiteral("sh"),
                                       config,
                                       out,
                                       configFile(),
                                       QStringLiteral(KEYWAY_CLI_PATH)}
            + invocation.args;
        const CliRun r = keyway::test::runCli(invocation);
        if (r.exitCode == 97 || r.err.contains(QLatin1String("unshare: "))) {
            QSKIP(qPrintable(QStringLiteral("this machine does not let root mount a tmpfs in a new mount namespace: ")
                             + r.err));
        }
        const auto read = [&](const QString& name) {
            QFile f(out + QLatin1Char('/') + name);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        QCOMPARE(read(QStringLiteral("available")).trimmed(), QByteArray::number(freeKiB)); // really full
        QVERIFY2(r.exitCode != 0, qPrintable(r.describe()));
        const QString file = config + QStringLiteral("/keyway/environments.json");
        QVERIFY2(r.err.contains(QStringLiteral("Cannot write ") + file)
                     && r.err.contains(QLatin1String("free some space")),
                 qPrintable(r.err));
        // Not a byte free: the lock file already fails, and that is not mistaken for a permission problem.
        // Room for the lock file only: the short write of the new file is caught before the rename.
        QVERIFY2(
            r.err.contains(freeKiB == 0 ? QLatin1String("the disk is full") : QLatin1String("previous file was kept")),
            qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("permission denied")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QString::fromLatin1(kThirdSecret)), qPrintable(r.err));
        QCOMPARE(read(QStringLiteral("environments.json")), before); // the previous file, byte for byte
        const QList<QByteArray> listing = read(QStringLiteral("listing")).split('\n');
        for (const QByteArray& name : listing) {
            QVERIFY2(!name.startsWith("environments.json."), name.constData()); // no half-written temp file
        }
        QVERIFY(!keychainHolds(kThirdSecret)); // the secret written first was taken back
    }

    // A configuration directory the user may not write in (owned by another user, as after a `sudo` run, or
    // a read-only mount): the change fails at once saying so, and the file stays byte for byte. Root writes
    // anywhere and Keyway tightens a directory its own user owns back to 0700, so the CLI runs as the
    // unprivileged user nobody (setpriv) with the environments file its own and the directory root's.
    void readOnlyConfigDirectorySaveFailsLoudly()
    {
        if (::geteuid() != 0) {
            QSKIP("needs root to run keyway-cli as another user (CI runs as root)");
        }
        const passwd* nobody = ::getpwnam("nobody");
        QVERIFY(nobody);
        QTemporaryDir base;
        QVERIFY(base.isValid());
        QVERIFY(QFile::setPermissions(
            base.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther));
        const QString configDir = base.filePath(QStringLiteral("config/keyway"));
        QVERIFY(QDir().mkpath(configDir));
        QVERIFY(QDir().mkpath(base.filePath(QStringLiteral("home/run"))));
        for (const QString& dir : {base.filePath(QStringLiteral("config")), configDir}) {
            QVERIFY(QFile::setPermissions(
                dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther));
        }
        const QString file = configDir + QStringLiteral("/environments.json");
        QVERIFY(QFile::copy(configFile(), file));
        for (const QString& owned :
             {file, base.filePath(QStringLiteral("home")), base.filePath(QStringLiteral("home/run"))}) {
            QCOMPARE(::chown(QFile::encodeName(owned).constData(), nobody->pw_uid, nobody->pw_gid), 0);
        }
        QFile::setPermissions(base.filePath(QStringLiteral("home/run")),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

        const auto asNobody = [&](const QStringList& args) {
            QProcessEnvironment env;
            env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
            env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
            env.insert(QStringLiteral("HOME"), base.filePath(QStringLiteral("home")));
            env.insert(QStringLiteral("XDG_CONFIG_HOME"), base.filePath(QStringLiteral("config")));
            env.insert(QStringLiteral("XDG_DATA_HOME"), base.filePath(QStringLiteral("home/data")));
            env.insert(QStringLiteral("XDG_STATE_HOME"), base.filePath(QStringLiteral("home/state")));
            env.insert(QStringLiteral("XDG_RUNTIME_DIR"), base.filePath(QStringLiteral("home/run")));
            env.insert(QStringLiteral("KEYWAY_SECRETS"), QStringLiteral("env")); // root's keyring is not nobody's
            QProcess process;
            process.setProcessEnvironment(env);
            process.start(QStringLiteral("setpriv"),
                          QStringList {QStringLiteral("--reuid=nobody"),
                                       QStringLiteral("--regid=nogroup"),
                                       QStringLiteral("--clear-groups"),
                                       QStringLiteral(KEYWAY_CLI_PATH)}
                              + args);
            CliRun r;
            if (!process.waitForFinished(30000)) {
                process.kill();
                process.waitForFinished();
                r.err = QStringLiteral("still running after 30 s");
                return r;
            }
            r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
            r.out = process.readAllStandardOutput();
            r.err = QString::fromUtf8(process.readAllStandardError());
            return r;
        };
        // Readable: nobody lists the environments (so it really runs as nobody, with this file).
        const CliRun list = asNobody({QStringLiteral("env"), QStringLiteral("list")});
        QVERIFY2(list.exitCode == 0 && list.out.contains("first"), qPrintable(list.err));

        QFile original(file);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray before = original.readAll();
        original.close();
        QElapsedTimer timer;
        timer.start();
        const CliRun r = asNobody({QStringLiteral("env"),
                                   QStringLiteral("set"),
                                   QStringLiteral("first"),
                                   QStringLiteral("--set"),
                                   QStringLiteral("client_id=changed")});
        QVERIFY2(r.exitCode != 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("Cannot write in ") + configDir), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("Another Keyway process")), qPrintable(r.err));
        QVERIFY2(timer.elapsed() < 8000, "no waiting for a lock that can never be taken");
        QVERIFY(original.open(QIODevice::ReadOnly));
        QCOMPARE(original.readAll(), before);
        QCOMPARE(QDir(configDir).entryList(QDir::Files | QDir::Hidden),
                 QStringList {QStringLiteral("environments.json")});
    }

    // The secret is removed from the keychain by another tool: Keyway says which secret is missing and
    // how to store it again, and removes or overwrites nothing.
    void keychainEntryDeletedBehindKeywaysBack()
    {
        const QString id = idOf(QStringLiteral("first"));
        QVERIFY2(!id.isEmpty(), fileBytes().left(300).constData());
        const QString entry = id + QStringLiteral("/client_secret");
        QCOMPARE(secretTool({QStringLiteral("clear"),
                             QStringLiteral("server"),
                             QStringLiteral("keyway"),
                             QStringLiteral("user"),
                             entry}),
                 0);
        const QByteArray before = fileBytes();
        const CliRun r = cli({QStringLiteral("call"),
                              QStringLiteral("first"),
                              QStringLiteral("GET"),
                              QStringLiteral("/anything"),
                              QStringLiteral("--max-time"),
                              QStringLiteral("2")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("client_secret")) && r.err.contains(QLatin1String("not in the keychain")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("keyway-cli env set first --secret client_secret")), qPrintable(r.err));
        QCOMPARE(fileBytes(), before);

        // Following the advice works.
        const CliRun set = cli({QStringLiteral("env"),
                                QStringLiteral("set"),
                                QStringLiteral("first"),
                                QStringLiteral("--secret"),
                                QStringLiteral("client_secret")},
                               kSecret + '\n');
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        const CliRun show = cli({QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("first")});
        QVERIFY2(show.exitCode == 0, qPrintable(show.err));
        QVERIFY(!show.out.contains(kSecret));
    }
};

QTEST_GUILESS_MAIN(TestFileFaults)
#include "tst_file_faults.moc"
