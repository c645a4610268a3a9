// keyway-cli call records its exchange, redacted, in the environment's history file: a subprocess
// against the sandbox served from this test process, with throwaway config and data directories.
#include "core/sandbox/SandboxServer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;

class TestHistoryCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    // Runs keyway-cli without blocking the event loop, so the in-process sandbox can answer.
    int run(const QStringList& args, const QByteArray& input = {}, QString* out = nullptr)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.path() + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.path() + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_dir.path() + QStringLiteral("/state"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(KEYWAY_CLI_PATH), args);
        if (!process.waitForStarted(5000)) {
            return -1;
        }
        process.write(input);
        process.closeWriteChannel();
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 20000)) {
            process.kill();
            process.waitForFinished(1000);
            return -1;
        }
        if (out) {
            *out = QString::fromUtf8(process.readAllStandardOutput());
        }
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

private Q_SLOTS:
    void callIsRecordedWithoutSecrets()
    {
        sandbox::SandboxServer server;
        QVERIFY(server.listen());
        const auto demo = server.demoProvider(QStringLiteral("seismic"));
        QVERIFY(demo);
        const QString name = QStringLiteral("hist-cli-%1").arg(QRandomGenerator::global()->generate());
        const QString secret = demo->credential(QStringLiteral("clientSecret"));
        QCOMPARE(run({QStringLiteral("env"),
                      QStringLiteral("add"),
                      name,
                      QStringLiteral("--provider"),
                      QStringLiteral("seismic"),
                      QStringLiteral("--base-url"),
                      demo->baseUrl.toString(),
                      QStringLiteral("--set"),
                      QStringLiteral("clientId=") + demo->credential(QStringLiteral("clientId")),
                      QStringLiteral("--secret"),
                      QStringLiteral("clientSecret")},
                     secret.toUtf8() + '\n'),
                 0);
        QString body;
        const int exit
            = run({QStringLiteral("call"), name, QStringLiteral("GET"), QStringLiteral("/v1/card/bins")}, {}, &body);
        QCOMPARE(exit, 0);
        QVERIFY(body.contains(QStringLiteral("485932")));

        const QDir history(m_dir.path() + QStringLiteral("/state/keyway/history")); // XDG state, not data
        const QStringList files = history.entryList({QStringLiteral("*.jsonl")}, QDir::Files);
        QCOMPARE(files.size(), 1);
        QFile file(history.filePath(files.first()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QCOMPARE(written.count('\n'), 1);
        QVERIFY(written.contains("\"path\":\"/v1/card/bins\""));
        QVERIFY(written.contains("\"status\":200"));
        QVERIFY(written.contains("485932"));
        QVERIFY(!written.contains(secret.toUtf8()));

        // The history leaves with its environment (and the keyring stays clean).
        QCOMPARE(run({QStringLiteral("env"), QStringLiteral("rm"), name}), 0);
        QVERIFY(!QFileInfo::exists(file.fileName()));
    }
};

QTEST_GUILESS_MAIN(TestHistoryCli)
#include "tst_history_cli.moc"
