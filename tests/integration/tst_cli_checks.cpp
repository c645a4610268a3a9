// keyway-cli conform and webhook verify, end to end as subprocesses against the in-process sandbox,
// with the real keyring of the test session and a throwaway configuration directory.
#include "core/sandbox/SandboxServer.h"
#include "tests/support/CliProcess.h"
#include "tests/support/SandboxBrowser.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;

using keyway::test::CliRun;

class TestCliChecks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
        QVERIFY(m_server.isListening() || m_server.listen());
    }

    void webhookVerifyTellsValidFromTampered()
    {
        const auto demo = m_server.demoProvider(QStringLiteral("seismic"));
        QVERIFY(demo);
        QMap<QString, QString> values;
        for (const auto& [key, value] : demo->credentials) {
            values.insert(key, value);
        }
        const QString env = QStringLiteral("hooks-%1").arg(QCoreApplication::applicationPid());
        const CliRun added = cli({QStringLiteral("env"),
                                  QStringLiteral("add"),
                                  env,
                                  QStringLiteral("--provider"),
                                  QStringLiteral("seismic"),
                                  QStringLiteral("--base-url"),
                                  demo->baseUrl.toString(),
                                  QStringLiteral("--set"),
                                  QStringLiteral("clientId=") + values.value(QStringLiteral("clientId")),
                                  QStringLiteral("--secret"),
                                  QStringLiteral("clientSecret"),
                                  QStringLiteral("--secret"),
                                  QStringLiteral("webhookSecret")},
                                 (values.value(QStringLiteral("clientSecret")) + QLatin1Char('\n')
                                  + values.value(QStringLiteral("webhookSecret")) + QLatin1Char('\n'))
                                     .toUtf8());
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));

        // The sandbox signs a sample webhook with the demo webhookSecret.
        test::SandboxBrowser browser;
        QUrl sampleUrl = demo->baseUrl;
        sampleUrl.setPath(QStringLiteral("/_sandbox/seismic/webhook-sample"));
        const auto sample = test::httpExchange(browser.network(), "GET", sampleUrl);
        QCOMPARE(sample.status, 200);
        const QByteArray signature = sample.header("x-seismic-signature");
        QVERIFY(!signature.isEmpty());

        QTemporaryDir files;
        const QString bodyFile = files.filePath(QStringLiteral("body.json"));
        QFile f(bodyFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(sample.body);
        f.close();

        const CliRun valid = cli({QStringLiteral("webhook"),
                                  QStringLiteral("verify"),
                                  env,
                                  QStringLiteral("--signature"),
                                  QString::fromLatin1(signature),
                                  QStringLiteral("--body"),
                                  QStringLiteral("@") + bodyFile});
        QCOMPARE(valid.exitCode, 0);
        QVERIFY2(valid.out.contains("Valid"), valid.out.constData());

        // A newline added on the way (e.g. by `echo`): the verdict names the raw body, not the secret.
        const CliRun reindented = cli({QStringLiteral("webhook"),
                                       QStringLiteral("verify"),
                                       env,
                                       QStringLiteral("--signature"),
                                       QString::fromLatin1(signature)},
                                      sample.body + "\n");
        QCOMPARE(reindented.exitCode, 1);
        QVERIFY2(reindented.out.contains("raw request body"), reindented.out.constData());

        QByteArray tampered = sample.body;
        tampered.replace("12.50", "99.00");
        const CliRun bad = cli({QStringLiteral("webhook"),
                                QStringLiteral("verify"),
                                env,
                                QStringLiteral("--signature"),
                                QString::fromLatin1(signature),
                                QStringLiteral("--json")},
                               tampered);
        QCOMPARE(bad.exitCode, 1);
        const QJsonObject verdict = QJsonDocument::fromJson(bad.out.trimmed()).object();
        QCOMPARE(verdict.value(QStringLiteral("event")).toString(), QStringLiteral("result"));
        QCOMPARE(verdict.value(QStringLiteral("valid")).toBool(true), false);

        assertNoSecretLeaked(values.value(QStringLiteral("webhookSecret")), {added, valid, reindented, bad});
    }

    void webhookVerifyNeedsASignature()
    {
        const CliRun run = cli({QStringLiteral("webhook"), QStringLiteral("verify"), QStringLiteral("nowhere")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--signature"));
    }

    void conformPassesAgainstAWellBehavedProvider()
    {
        const QString env = addOAuthEnvironment(QStringLiteral("seam-good"));
        const CliRun run = conform(env, true);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QStringList checks;
        QJsonObject last;
        for (const QByteArray& line : run.out.split('\n')) {
            if (line.trimmed().isEmpty()) {
                continue;
            }
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QVERIFY2(!o.isEmpty(), line.constData());
            // "event" comes first on every line.
            QVERIFY2(line.startsWith("{\"event\":"), line.constData());
            if (o.value(QStringLiteral("event")).toString() == QLatin1String("check")) {
                checks.append(o.value(QStringLiteral("name")).toString());
                QCOMPARE(o.value(QStringLiteral("result")).toString(), QStringLiteral("pass"));
            }
            last = o;
        }
        QCOMPARE(checks,
                 QStringList({"prompt_login",
                              "state",
                              "exchange",
                              "user_id_stable",
                              "refresh_keeps_old_token",
                              "concurrent_refresh",
                              "refresh_reusable"}));
        QCOMPARE(last.value(QStringLiteral("event")).toString(), QStringLiteral("result"));
        QVERIFY(run.err.contains("test account")); // warned before concurrent_refresh
    }

    void conformFailsTheRightCheck()
    {
        const QString env = addOAuthEnvironment(QStringLiteral("seam-revoking"));
        QVERIFY(m_server.setFault(QStringLiteral("oauth2-code"), QStringLiteral("revoke_on_refresh"), true));
        const CliRun run = conform(env, false);
        QVERIFY(m_server.setFault(QStringLiteral("oauth2-code"), QStringLiteral("revoke_on_refresh"), false));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("FAIL refresh_keeps_old_token:"), run.out.constData());
        QVERIFY2(run.out.contains("PASS concurrent_refresh:"), run.out.constData());
        QCOMPARE(run.out.count("FAIL "), 1);
    }

    // Nobody signs in: conform ends at --sign-in-timeout with every check "not run" (exit 3) and gives the same
    // advice auth and call give.
    void conformWithoutASignInSaysHowToGiveItLonger()
    {
        const QString env = addOAuthEnvironment(QStringLiteral("seam-nobody"));
        const CliRun run = cli({QStringLiteral("conform"),
                                env,
                                QStringLiteral("--no-browser"),
                                QStringLiteral("--sign-in-timeout"),
                                QStringLiteral("1")});
        QVERIFY2(run.exitCode == 3, qPrintable(run.err));
        QVERIFY2(run.out.contains("NOT RUN "), run.out.constData());
        QVERIFY2(!run.out.contains("FAIL "), run.out.constData());
        QVERIFY2(run.err.contains("--sign-in-timeout SECONDS gives it longer"), qPrintable(run.err));
        QCOMPARE(run.err.count(QStringLiteral("gives it longer")), 1);
        assertNoSecretLeaked(m_clientSecret, {run});
    }

    void conformRefusesAClientCredentialsEnvironment()
    {
        const QString env = addOAuthEnvironment(QStringLiteral("not-a-code-flow"), QStringLiteral("oauth2-client"));
        const CliRun run = cli({QStringLiteral("conform"), env});
        QCOMPARE(run.exitCode, 2);
        // The same sentence as the GUI's Check provider page (one rule, one text in core).
        QVERIFY2(run.err.contains("apply to authorization-code providers that issue refresh tokens"),
                 qPrintable(run.err));
        QVERIFY(run.err.startsWith("keyway-cli conform: "));
    }

private:
    QProcessEnvironment processEnvironment() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("HOME"), m_home->path());
        e.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home->filePath(QStringLiteral("config")));
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
        e.insert(QStringLiteral("XDG_CACHE_HOME"), m_home->filePath(QStringLiteral("cache")));
        return e;
    }

    CliRun cli(const QStringList& args, const QByteArray& input = {})
    {
        return test::runCli(test::CliInvocation(args, input, processEnvironment()));
    }

    QString addOAuthEnvironment(const QString& prefix, const QString& provider = QStringLiteral("oauth2-code"))
    {
        const auto demo = m_server.demoProvider(provider);
        if (!demo) {
            return {};
        }
        const QString name = prefix + QLatin1Char('-') + QString::number(QCoreApplication::applicationPid());
        QStringList args = {QStringLiteral("env"),
                            QStringLiteral("add"),
                            name,
                            QStringLiteral("--provider"),
                            provider,
                            QStringLiteral("--base-url"),
                            demo->baseUrl.toString()};
        QByteArray input;
        for (const auto& [key, value] : demo->credentials) {
            if (key == QLatin1String("client_secret")) {
                args << QStringLiteral("--secret") << key;
                input += value.toUtf8() + '\n';
            } else if (key == QLatin1String("client_key")) {
                continue; // a PEM key spans lines: --secret-file; no check here signs an assertion
            } else {
                args << QStringLiteral("--set") << key + QLatin1Char('=') + value;
            }
        }
        const CliRun added = cli(args, input);
        if (added.exitCode != 0) {
            qWarning("env add failed: %s", qPrintable(added.err));
        }
        for (const auto& [key, value] : demo->credentials) {
            if (key == QLatin1String("client_secret")) {
                m_clientSecret = value;
            }
        }
        return name;
    }

    // Runs conform --no-browser and plays the browser for every sign-in it prints.
    CliRun conform(const QString& env, bool json)
    {
        QProcess p;
        p.setProcessEnvironment(processEnvironment());
        QStringList args = {QStringLiteral("conform"), env, QStringLiteral("--no-browser")};
        if (json) {
            args << QStringLiteral("--json");
        }
        test::SandboxBrowser browser;
        QByteArray out;
        QByteArray err;
        QByteArray pending;
        auto follow = [&browser](const QByteArray& url) { browser.opener(true)(QUrl::fromEncoded(url)); };
        connect(&p, &QProcess::readyReadStandardOutput, this, [&] {
            const QByteArray chunk = p.readAllStandardOutput();
            out += chunk;
            if (!json) {
                return;
            }
            pending += chunk;
            qsizetype nl = 0;
            while ((nl = pending.indexOf('\n')) >= 0) {
                const QJsonObject o = QJsonDocument::fromJson(pending.left(nl)).object();
                pending.remove(0, nl + 1);
                if (o.value(QStringLiteral("event")).toString() == QLatin1String("authorize_url")) {
                    follow(o.value(QStringLiteral("url")).toString().toUtf8());
                }
            }
        });
        connect(&p, &QProcess::readyReadStandardError, this, [&] {
            const QByteArray chunk = p.readAllStandardError();
            err += chunk;
            if (json) {
                return;
            }
            for (const QByteArray& line : chunk.split('\n')) {
                if (line.startsWith("http://") || line.startsWith("https://")) {
                    follow(line.trimmed());
                }
            }
        });
        p.start(QStringLiteral(KEYWAY_CLI_PATH), args);
        p.closeWriteChannel();
        [&] { QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 90000); }();
        CliRun run;
        run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        run.out = out;
        run.err = QString::fromUtf8(err);
        assertNoSecretLeaked(m_clientSecret, {run});
        return run;
    }

    void assertNoSecretLeaked(const QString& secret, const QList<CliRun>& runs)
    {
        QVERIFY(!secret.isEmpty());
        for (const CliRun& run : runs) {
            QVERIFY(!run.out.contains(secret.toUtf8()));
            QVERIFY(!run.err.contains(secret));
        }
        QDirIterator it(m_home->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(secret.toUtf8()), qPrintable(file.fileName()));
        }
    }

    sandbox::SandboxServer m_server;
    std::unique_ptr<QTemporaryDir> m_home;
    QString m_clientSecret;
};

QTEST_GUILESS_MAIN(TestCliChecks)
#include "tst_cli_checks.moc"
