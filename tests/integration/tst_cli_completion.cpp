// keyway-cli completion bash|zsh|fish: the scripts are run by the real shells, as a user's shell runs
// them when Tab is pressed, and must offer what the commands really accept.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestCliCompletion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const char* shell : {"bash", "zsh", "fish"}) {
            QVERIFY2(!QStandardPaths::findExecutable(QLatin1String(shell)).isEmpty(),
                     qPrintable(QStringLiteral("%1 is missing: `make deps` installs it").arg(QLatin1String(shell))));
            const QByteArray script = cli({QStringLiteral("completion"), QLatin1String(shell)});
            QVERIFY2(!script.isEmpty(), shell);
            QFile file(m_dir.filePath(QLatin1String(shell)));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(script);
        }
    }

    void bashOffersEachCommandsOwnWords_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("offered");
        QTest::addColumn<QStringList>("notOffered");
        QTest::newRow("commands") << "keyway-cli co" << QStringList {"conform", "completion"} << QStringList {"call"};
        QTest::newRow("env words") << "keyway-cli env " << QStringList {"add", "set", "list", "show", "rm"}
                                   << QStringList {"call"};
        QTest::newRow("conform options")
            << "keyway-cli conform sandbox-x -"
            << QStringList {"--max-time", "--sign-in-timeout", "-v", "--verbose", "--no-browser", "--json"}
            << QStringList {"-d", "--credentials"};
        QTest::newRow("env set options") << "keyway-cli env set x --" << QStringList {"--unset", "--secret"}
                                         << QStringList {"--provider"};
        QTest::newRow("methods") << "keyway-cli call x P" << QStringList {"POST", "PUT", "PATCH"}
                                 << QStringList {"GET"};
        QTest::newRow("providers") << "keyway-cli env add new --provider " << QStringList {"seismic", "astrada"}
                                   << QStringList {};
        QTest::newRow("after an option's value")
            << "keyway-cli call x GET /v1 -H 'A: b' --j" << QStringList {"--json"} << QStringList {};
        QTest::newRow("shells") << "keyway-cli completion " << QStringList {"bash", "zsh", "fish"} << QStringList {};
        QTest::newRow("help") << "keyway-cli help env " << QStringList {"add", "rm"} << QStringList {};
    }

    void bashOffersEachCommandsOwnWords()
    {
        QFETCH(QString, line);
        QFETCH(QStringList, offered);
        QFETCH(QStringList, notOffered);
        // bash-completion's _init_completion, reduced to what the script reads.
        const QString program
            = QStringLiteral("_init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; "
                             "words=(\"${COMP_WORDS[@]}\"); cword=$COMP_CWORD; }\n"
                             "source %1\n"
                             "eval \"COMP_WORDS=($1)\"\n"
                             "[[ $1 == *' ' ]] && COMP_WORDS+=('')\n"
                             "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                             "_keyway_cli\n"
                             "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
                  .arg(m_dir.filePath(QStringLiteral("bash")));
        const QStringList words
            = run(QStringLiteral("bash"), {QStringLiteral("-c"), program, QStringLiteral("bash"), line});
        for (const QString& word : offered) {
            QVERIFY2(words.contains(word), qPrintable(line + QStringLiteral(" -> ") + words.join(QLatin1Char(' '))));
        }
        for (const QString& word : notOffered) {
            QVERIFY2(!words.contains(word), qPrintable(line + QStringLiteral(" -> ") + words.join(QLatin1Char(' '))));
        }
    }

    void fishOffersOptionsWithTheirDescriptions()
    {
        const QString program = QStringLiteral("source %1; complete -C 'keyway-cli conform x --m'; "
                                               "complete -C 'keyway-cli env '")
                                    .arg(m_dir.filePath(QStringLiteral("fish")));
        const QStringList lines
            = run(QStringLiteral("fish"), {QStringLiteral("--no-config"), QStringLiteral("-c"), program});
        QVERIFY2(lines.filter(QRegularExpression(QStringLiteral("^--max-time\\tOverall deadline"))).size() == 1,
                 qPrintable(lines.join(QLatin1Char('\n'))));
        for (const char* word : {"add", "set", "list", "show", "rm"}) {
            QVERIFY2(lines.contains(QLatin1String(word)), qPrintable(lines.join(QLatin1Char('\n'))));
        }
    }

    void zshScriptParses()
    {
        QProcess zsh;
        zsh.start(QStringLiteral("zsh"), {QStringLiteral("-n"), m_dir.filePath(QStringLiteral("zsh"))});
        QVERIFY(zsh.waitForFinished(10000));
        QVERIFY2(zsh.exitCode() == 0, zsh.readAllStandardError().constData());
        QFile file(m_dir.filePath(QStringLiteral("zsh")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray script = file.readAll();
        QVERIFY(script.startsWith("#compdef keyway-cli\n"));
        QVERIFY(script.contains("'*--max-time[Overall deadline"));
        QVERIFY(script.contains("'1:environment:_keyway_cli_environments'"));
    }

    void unknownShellIsAUsageError()
    {
        QProcess process;
        process.start(QStringLiteral(KEYWAY_CLI_PATH), {QStringLiteral("completion"), QStringLiteral("tcsh")});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("choose bash, zsh or fish"));
    }

private:
    QByteArray cli(const QStringList& args)
    {
        QProcess process;
        process.start(QStringLiteral(KEYWAY_CLI_PATH), args);
        if (!process.waitForFinished(10000) || process.exitCode() != 0) {
            return {};
        }
        return process.readAllStandardOutput();
    }

    // Runs a shell with keyway-cli first on PATH (the scripts ask it for environments and providers).
    QStringList run(const QString& shell, const QStringList& args)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"),
                   QFileInfo(QStringLiteral(KEYWAY_CLI_PATH)).absolutePath() + QLatin1Char(':')
                       + env.value(QStringLiteral("PATH")));
        env.insert(QStringLiteral("HOME"), m_dir.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        process.setProcessEnvironment(env);
        process.start(shell, args);
        if (!process.waitForFinished(20000)) {
            return {};
        }
        return QString::fromUtf8(process.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestCliCompletion)
#include "tst_cli_completion.moc"
