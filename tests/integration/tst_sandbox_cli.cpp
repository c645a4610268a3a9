// `keyway-cli sandbox` as a script sees it: JSON Lines with each provider's id, base URL and demo
// credentials, flushed while the sandbox keeps serving, exit 0 on SIGTERM, exit 2 on bad options.
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTest>

#include "tests/support/SandboxBrowser.h"

#include <csignal>

class TestSandboxCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonLinesDescribeEveryProviderAndServe()
    {
        QProcess cli;
        cli.start(KEYWAY_CLI_PATH, {"sandbox", "--json", "--time-scale", "60"});
        QVERIFY(cli.waitForStarted());
        QList<QJsonObject> lines;
        QElapsedTimer timer;
        timer.start();
        while (lines.size() < 7 && timer.elapsed() < 20000) {
            if (!cli.canReadLine()) {
                cli.waitForReadyRead(500);
                continue;
            }
            const QByteArray line = cli.readLine().trimmed();
            QJsonParseError error {};
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(), line.constData());
            lines.append(doc.object());
        }
        QCOMPARE(lines.size(), 7);

        QStringList ids;
        QJsonObject banking;
        for (const QJsonObject& line : lines) {
            QCOMPARE(line.keys(), (QStringList {"base_url", "credentials", "provider"}));
            ids.append(line["provider"].toString());
            QVERIFY(line["base_url"].toString().startsWith("http://127.0.0.1:"));
            if (line["provider"].toString() == "banking") {
                banking = line;
            }
        }
        QCOMPARE(
            ids,
            (QStringList {"seismic", "banking", "ecard", "astrada", "oauth2-code", "oauth2-client", "oauth2-device"}));
        const QJsonObject seismic = lines.first()["credentials"].toObject();
        QCOMPARE(seismic.keys(),
                 (QStringList {
                     "clientId", "clientSecret", "defaultBinId", "merchantId", "parentAccountId", "webhookSecret"}));
        QVERIFY(lines.at(3)["credentials"].toObject().contains("sdk.client_secret"));
        QCOMPARE(lines.at(4)["credentials"].toObject()["authorize_url"].toString(), QString("/authorize"));

        // The printed credentials work against the printed URL while the command runs.
        QNetworkAccessManager nam;
        const QJsonObject credentials = banking["credentials"].toObject();
        const auto reply = keyway::test::httpExchange(
            nam,
            "POST",
            QUrl(banking["base_url"].toString() + "/token"),
            "grant_type=client_credentials&client_id=" + QUrl::toPercentEncoding(credentials["client_id"].toString())
                + "&client_secret=" + QUrl::toPercentEncoding(credentials["client_secret"].toString()),
            {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(reply.status, 200);
        QVERIFY(!QJsonDocument::fromJson(reply.body).object()["access_token"].toString().isEmpty());

        ::kill(static_cast<pid_t>(cli.processId()), SIGTERM);
        QVERIFY(cli.waitForFinished(10000));
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QCOMPARE(cli.exitCode(), 0);
    }

    void humanOutputNamesProvidersAndDemoUser()
    {
        QProcess cli;
        cli.start(KEYWAY_CLI_PATH, {"sandbox"});
        QVERIFY(cli.waitForStarted());
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains("Faults:") && timer.elapsed() < 20000) {
            cli.waitForReadyRead(500);
            out += cli.readAllStandardOutput();
        }
        QVERIFY2(out.contains("Keyway sandbox listening on http://127.0.0.1:"), out.constData());
        QVERIFY(out.contains("oauth2-code  http://127.0.0.1:"));
        QVERIFY(out.contains("demo / keyway-demo"));
        ::kill(static_cast<pid_t>(cli.processId()), SIGINT);
        QVERIFY(cli.waitForFinished(10000));
        QCOMPARE(cli.exitCode(), 0);
    }

    void badOptionsExitWithUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("port not a number") << QStringList {"sandbox", "--port", "abc"};
        QTest::newRow("port too large") << QStringList {"sandbox", "--port", "70000"};
        QTest::newRow("port missing") << QStringList {"sandbox", "--port"};
        QTest::newRow("zero time scale") << QStringList {"sandbox", "--time-scale", "0"};
        QTest::newRow("negative time scale") << QStringList {"sandbox", "--time-scale", "-5"};
        QTest::newRow("unknown option") << QStringList {"sandbox", "--bogus"};
    }
    void badOptionsExitWithUsage()
    {
        QFETCH(QStringList, args);
        QProcess cli;
        cli.start(KEYWAY_CLI_PATH, args);
        QVERIFY(cli.waitForFinished(10000));
        QCOMPARE(cli.exitCode(), 2);
        QVERIFY(!cli.readAllStandardError().trimmed().isEmpty());
        QVERIFY(cli.readAllStandardOutput().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSandboxCli)
#include "tst_sandbox_cli.moc"
