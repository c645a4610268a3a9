// A provider nobody has seen, added the way users add one: a single JSON file in the config
// directory. Its own envelope ({"status": {"ok", "err"}, "result"}), its own token header (X-Acme-Token,
// raw), its own webhook rule, served by a QHttpServer in this process. keyway-cli drives it end to
// end: env add, auth, call, check, webhook verify, with their exit codes and output.
#include "tests/support/AcmeLedgerServer.h"
#include "tests/support/CliProcess.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace keyway;
using keyway::test::AcmeLedgerServer;

using keyway::test::CliRun;

class TestCustomProvider : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_config;
    AcmeLedgerServer m_server;
    QString m_name = QStringLiteral("acme-%1").arg(QCoreApplication::applicationPid());

    // Runs keyway-cli while this process's event loop keeps serving the Acme server.
    CliRun cli(const QStringList& args, const QByteArray& input = {})
    {
        test::CliInvocation invocation(args, input);
        invocation.timeoutMs = 30000;
        CliRun run = test::runCli(invocation);
        const QStringList secrets {QLatin1String(AcmeLedgerServer::ApiKey),
                                   QLatin1String(AcmeLedgerServer::SigningKey)};
        if (!test::leakedSecret(run.text() + run.err, secrets).isEmpty()) {
            qWarning("%s", qPrintable(run.text() + run.err));
            QTest::qFail("a secret reached stdout or stderr", __FILE__, __LINE__);
        }
        return run;
    }

    static QList<nlohmann::json> jsonLines(const QString& out)
    {
        QList<nlohmann::json> lines;
        for (const QString& line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            lines.append(nlohmann::json::parse(line.toStdString(), nullptr, false));
        }
        return lines;
    }

    CliRun addEnvironment(const QString& name, const QByteArray& apiKey)
    {
        return cli({QStringLiteral("env"),
                    QStringLiteral("add"),
                    name,
                    QStringLiteral("--provider"),
                    QStringLiteral("acme-ledger"),
                    QStringLiteral("--base-url"),
                    m_server.baseUrl().toString(),
                    QStringLiteral("--set"),
                    QStringLiteral("account=%1").arg(QLatin1String(AcmeLedgerServer::Account)),
                    QStringLiteral("--secret"),
                    QStringLiteral("api_key"),
                    QStringLiteral("--secret"),
                    QStringLiteral("signing_key")},
                   apiKey + '\n' + AcmeLedgerServer::SigningKey + '\n');
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QVERIFY(AcmeLedgerServer::installProfile());
        QVERIFY(m_server.listen());
    }

    void providersListsTheUsersProfile()
    {
        const CliRun run = cli({QStringLiteral("providers"), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        bool found = false;
        for (const auto& line : jsonLines(run.text())) {
            found = found || line.value("id", "") == "acme-ledger";
        }
        QVERIFY2(found, qPrintable(run.text() + run.err));
    }

    void envAddKeepsTheProfilesSecretsInTheKeychain()
    {
        const CliRun added = addEnvironment(m_name, AcmeLedgerServer::ApiKey);
        QVERIFY2(added.exitCode == 0, qPrintable(added.text() + added.err));
        const CliRun shown = cli({QStringLiteral("env"), QStringLiteral("show"), m_name, QStringLiteral("--json")});
        QCOMPARE(shown.exitCode, 0);
        QVERIFY2(shown.text().contains(QStringLiteral("\"signing_key\":\"set\"")), qPrintable(shown.text()));
        QVERIFY(shown.text().contains(QLatin1String(AcmeLedgerServer::Account)));

        // The profile's keys are the valid ones: a Seismic key is a usage error listing them.
        const CliRun wrongKey = cli({QStringLiteral("env"),
                                     QStringLiteral("add"),
                                     m_name + QStringLiteral("-bad"),
                                     QStringLiteral("--provider"),
                                     QStringLiteral("acme-ledger"),
                                     QStringLiteral("--base-url"),
                                     m_server.baseUrl().toString(),
                                     QStringLiteral("--set"),
                                     QStringLiteral("clientId=x")});
        QCOMPARE(wrongKey.exitCode, 2);
        QVERIFY2(wrongKey.err.contains(QStringLiteral("account")), qPrintable(wrongKey.err));
    }

    void authRunsTheProfilesFlow()
    {
        const CliRun run = cli({QStringLiteral("auth"), m_name, QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.text() + run.err));
        bool captured = false;
        for (const auto& line : jsonLines(run.text())) {
            if (line.value("event", "") == "request") {
                QVERIFY(line.value("url", "").find("/acme/session") != std::string::npos);
            }
            captured = captured || (line.value("event", "") == "captured" && line.value("name", "") == "session");
        }
        QVERIFY2(captured, qPrintable(run.text()));
        QVERIFY(!m_server.issuedSessions().isEmpty());
        QVERIFY(!run.text().contains(m_server.issuedSessions().last())); // the session is a secret too
    }

    void authWithAWrongKeyNamesTheEnvelopeError()
    {
        const QString name = m_name + QStringLiteral("-wrong");
        QCOMPARE(addEnvironment(name, "canary-not-the-acme-key").exitCode, 0);
        const CliRun run = cli({QStringLiteral("auth"), name});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(QStringLiteral("unknown account or key")), qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("check the account and the API key")), qPrintable(run.err));
        QVERIFY(!run.err.contains(QStringLiteral("canary-not-the-acme-key")));
    }

    void callSendsTheTokenInTheProfilesHeader()
    {
        const CliRun run = cli({QStringLiteral("call"), m_name, QStringLiteral("GET"), QStringLiteral("/acme/whoami")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.text() + run.err));
        const auto body = nlohmann::json::parse(run.text().toStdString(), nullptr, false);
        QVERIFY2(body.contains("result") && body.at("result").value("account", "") == AcmeLedgerServer::Account,
                 qPrintable(run.text()));
        // Raw session id in X-Acme-Token, no "Bearer ", and no Authorization header at all.
        QVERIFY(!m_server.receivedTokens().isEmpty());
        QVERIFY(m_server.issuedSessions().contains(m_server.receivedTokens().last()));
        QVERIFY(m_server.receivedAuthorization().last().isEmpty());
    }

    void callReadsTheProfilesEnvelope()
    {
        // HTTP 200, but {"status": {"ok": false}}: the provider refused, so exit 1 with its words.
        const CliRun run
            = cli({QStringLiteral("call"), m_name, QStringLiteral("GET"), QStringLiteral("/acme/balance")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.text().contains(QStringLiteral("ledger frozen for audit")), qPrintable(run.text())); // the body
        QVERIFY2(run.err.contains(QStringLiteral("ledger frozen for audit")), qPrintable(run.err)); // the hint
    }

    void checkRunsTheProfilesCheckRequest()
    {
        const int before = m_server.receivedTokens().size();
        const CliRun run = cli({QStringLiteral("check"), m_name});
        QVERIFY2(run.exitCode == 0, qPrintable(run.text() + run.err));
        QCOMPARE(m_server.receivedTokens().size(), before + 1); // GET /acme/whoami, the check request
    }

    void webhookVerifyFollowsTheProfilesRule()
    {
        const QByteArray body = R"({"event":"ledger.posted","amount":"12.00"})";
        const QByteArray header = AcmeLedgerServer::signatureHeader(body);
        // The header line as pasted from a request log: name, prefix and base64 value.
        const CliRun valid = cli({QStringLiteral("webhook"),
                                  QStringLiteral("verify"),
                                  m_name,
                                  QStringLiteral("--signature"),
                                  QString::fromLatin1(header)},
                                 body);
        QVERIFY2(valid.exitCode == 0, qPrintable(valid.text() + valid.err));
        QVERIFY2(valid.text().startsWith(QStringLiteral("Valid")), qPrintable(valid.text()));

        const CliRun tampered = cli({QStringLiteral("webhook"),
                                     QStringLiteral("verify"),
                                     m_name,
                                     QStringLiteral("--signature"),
                                     QString::fromLatin1(header),
                                     QStringLiteral("--body"),
                                     QStringLiteral(R"({"event":"ledger.posted","amount":"99.00"})")});
        QCOMPARE(tampered.exitCode, 1);
        QVERIFY2(tampered.text().contains(QStringLiteral("signing_key")), qPrintable(tampered.text()));

        // Acme signs in base64 only: a hex value did not come from Acme's header.
        const QByteArray hex
            = QByteArray::fromBase64(header.mid(header.indexOf("acme1:") + int(qstrlen("acme1:")))).toHex();
        const CliRun wrongEncoding = cli({QStringLiteral("webhook"),
                                          QStringLiteral("verify"),
                                          m_name,
                                          QStringLiteral("--signature"),
                                          QString::fromLatin1(hex)},
                                         body);
        QCOMPARE(wrongEncoding.exitCode, 1);
        QVERIFY2(wrongEncoding.text().contains(QStringLiteral("sends base64 in the X-Acme-Signature header")),
                 qPrintable(wrongEncoding.text()));
    }
};

QTEST_GUILESS_MAIN(TestCustomProvider)
#include "tst_custom_provider.moc"
