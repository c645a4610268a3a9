// Credentials at team scale, end to end through keyway-cli as a subprocess: bundles exported and imported on a
// fresh configuration (secrets typed once), bundles that carry a secret refused, Postman exports imported,
// `check --all` over a mixed team of environments (pass, refused, unreachable, sign-in needed, a stored refresh
// token) with its lines, JSON Lines and JUnit report, and CI mode (KEYWAY_SECRETS=env) in a process that has no
// D-Bus at all. Canary secrets are grepped in every output and every file written.
#include "core/sandbox/SandboxServer.h"
#include "tests/support/CliProcess.h"
#include "tests/support/SandboxBrowser.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <QXmlStreamReader>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>

using keyway::sandbox::SandboxServer;

using keyway::test::CliRun;

class TestCliTeam : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    std::unique_ptr<SandboxServer> m_sandbox;
    keyway::test::SandboxBrowser m_browser;
    QStringList m_secrets; // every secret value the tests use: none may ever be printed or written to a file
    QString m_allOutput;
    QString m_suffix = QUuid::createUuid().toString(QUuid::Id128).left(6);

    // A machine of its own: HOME and XDG directories under `home`, the suite's keyring and D-Bus.
    QProcessEnvironment machine(const QString& home) const
    {
        return keyway::test::isolatedMachine(m_root.filePath(home));
    }

    // Runs keyway-cli while this process's event loop keeps serving the sandbox.
    CliRun run(const QProcessEnvironment& env,
               const QStringList& args,
               const QByteArray& input = {},
               const std::function<void(const nlohmann::json&)>& onJsonLine = {})
    {
        keyway::test::CliInvocation invocation(args, input, env);
        invocation.onJsonLine = onJsonLine;
        CliRun result = keyway::test::runCli(invocation);
        m_allOutput += result.text() + result.err;
        if (!keyway::test::leakedSecret(result.text() + result.err, m_secrets).isEmpty()) {
            qWarning() << "keyway-cli" << args << "printed a secret";
            return {-2, {}, QStringLiteral("a secret reached the output")};
        }
        return result;
    }

    QString canary()
    {
        m_secrets.append(QStringLiteral("canary-") + QUuid::createUuid().toString(QUuid::Id128));
        return m_secrets.last();
    }

    QString demo(const QString& provider, const QString& key)
    {
        const QString value = m_sandbox->demoProvider(provider)->credential(key);
        return value;
    }

    QString baseUrl(const QString& provider) const { return m_sandbox->demoProvider(provider)->baseUrl.toString(); }

    // `env add` on `home`; `secrets` are KEY -> value, typed on standard input.
    void add(const QString& home,
             const QString& name,
             const QString& provider,
             const QString& base,
             const QMap<QString, QString>& values,
             const QMap<QString, QString>& secrets)
    {
        QStringList args = {QStringLiteral("env"),
                            QStringLiteral("add"),
                            name,
                            QStringLiteral("--provider"),
                            provider,
                            QStringLiteral("--base-url"),
                            base};
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            args << QStringLiteral("--set") << it.key() + QLatin1Char('=') + it.value();
        }
        QByteArray input;
        for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
            args << QStringLiteral("--secret") << it.key();
            input += it.value().toUtf8() + '\n';
        }
        const CliRun r = run(machine(home), args, input);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    static QList<nlohmann::json> jsonLines(const QString& out)
    {
        QList<nlohmann::json> lines;
        for (const QString& line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            lines.append(nlohmann::json::parse(line.toStdString(), nullptr, false));
        }
        return lines;
    }

    QByteArray writeFile(const QString& name, const QByteArray& content)
    {
        QFile file(m_root.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
            return {};
        }
        return content;
    }

    // A hand-written Postman fixture, pointed at this run's sandbox instead of the quick start's port 8700.
    QString postmanFixture(const QString& name)
    {
        QFile file(QStringLiteral(KEYWAY_SOURCE_DIR "/tests/data/postman/") + name);
        if (!file.open(QIODevice::ReadOnly)) {
            return {};
        }
        QByteArray content = file.readAll();
        const QUrl sandbox = m_sandbox->demoProvider(QStringLiteral("oauth2-client"))->baseUrl;
        const QByteArray origin = QStringLiteral("http://127.0.0.1:%1").arg(sandbox.port()).toUtf8();
        content.replace("http://127.0.0.1:8700", origin);
        writeFile(name, content);
        return m_root.filePath(name);
    }

    QMap<QString, nlohmann::json> checksByName(const QString& out)
    {
        QMap<QString, nlohmann::json> checks;
        for (const auto& line : jsonLines(out)) {
            if (line.is_object() && line.value("event", "") == "check") {
                checks.insert(QString::fromStdString(line.at("environment").get<std::string>()), line);
            }
        }
        return checks;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        m_sandbox = std::make_unique<SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        for (const QString& provider : {QStringLiteral("seismic"),
                                        QStringLiteral("banking"),
                                        QStringLiteral("oauth2-client"),
                                        QStringLiteral("oauth2-code")}) {
            const auto demoProvider = m_sandbox->demoProvider(provider);
            for (const auto& [key, value] : demoProvider->credentials) {
                if (key.contains(QLatin1String("ecret"))) {
                    m_secrets.append(value);
                }
            }
        }
    }

    void bundleRoundTripOnAFreshMachine()
    {
        const QString webhook = canary();
        const QString seismic = QStringLiteral("team-seismic-") + m_suffix;
        const QString bank = QStringLiteral("team.bank-") + m_suffix; // a dot in the name: NAME.KEY still parses
        add(QStringLiteral("a"),
            seismic,
            QStringLiteral("seismic"),
            baseUrl(QStringLiteral("seismic")),
            {{QStringLiteral("clientId"), demo(QStringLiteral("seismic"), QStringLiteral("clientId"))},
             {QStringLiteral("merchantId"), QStringLiteral("m-1")},
             {QStringLiteral("proxy"), QStringLiteral("none")}}, // a connection key travels like the profile's
            {{QStringLiteral("clientSecret"), demo(QStringLiteral("seismic"), QStringLiteral("clientSecret"))},
             {QStringLiteral("webhookSecret"), webhook}});
        add(QStringLiteral("a"),
            bank,
            QStringLiteral("banking"),
            baseUrl(QStringLiteral("banking")),
            {{QStringLiteral("client_id"), demo(QStringLiteral("banking"), QStringLiteral("client_id"))}},
            {{QStringLiteral("client_secret"), demo(QStringLiteral("banking"), QStringLiteral("client_secret"))}});

        const QString bundlePath = m_root.filePath(QStringLiteral("team.json"));
        const CliRun exported
            = run(machine(QStringLiteral("a")),
                  {QStringLiteral("env"), QStringLiteral("export"), QStringLiteral("--output"), bundlePath});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QFile file(bundlePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bundle = file.readAll();
        const auto json = nlohmann::json::parse(bundle.toStdString());
        QCOMPARE(json.at("keyway_bundle").get<int>(), 1);
        QCOMPARE(json.at("environments").size(), std::size_t(2));
        QVERIFY(json.at("environments")[0].at("secrets") == nlohmann::json({"clientSecret", "webhookSecret"}));
        QCOMPARE(json.at("environments")[0].at("values").at("merchantId").get<std::string>(), std::string("m-1"));
        QCOMPARE(json.at("environments")[0].at("values").at("proxy").get<std::string>(), std::string("none"));

        // Another machine: the environments come from the bundle, the secrets are typed once.
        const CliRun imported
            = run(machine(QStringLiteral("b")),
                  {QStringLiteral("env"),
                   QStringLiteral("import"),
                   bundlePath,
                   QStringLiteral("--secret"),
                   seismic + QStringLiteral(".clientSecret"),
                   QStringLiteral("--secret"),
                   bank + QStringLiteral(".client_secret")},
                  demo(QStringLiteral("seismic"), QStringLiteral("clientSecret")).toUtf8() + '\n'
                      + demo(QStringLiteral("banking"), QStringLiteral("client_secret")).toUtf8() + '\n');
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY(imported.text().contains(QStringLiteral("Imported 2 environments")));
        // The webhook secret was not given: the import says so and how to give it.
        QVERIFY2(
            imported.text().contains(QStringLiteral("Missing secret %1.webhookSecret: keyway-cli env set %1 --secret "
                                                    "webhookSecret")
                                         .arg(seismic)),
            qPrintable(imported.text()));
        const CliRun list = run(machine(QStringLiteral("b")),
                                {QStringLiteral("check"), QStringLiteral("--all"), QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(checksByName(list.text()).size(), 2);

        // Giving the last secret makes the round trip exact, byte for byte.
        const CliRun set = run(machine(QStringLiteral("b")),
                               {QStringLiteral("env"),
                                QStringLiteral("set"),
                                seismic,
                                QStringLiteral("--secret"),
                                QStringLiteral("webhookSecret")},
                               webhook.toUtf8() + '\n');
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        const CliRun again = run(machine(QStringLiteral("b")), {QStringLiteral("env"), QStringLiteral("export")});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.text().toUtf8(), bundle);

        // An existing name is refused unless --replace, and nothing is half-imported.
        const CliRun twice
            = run(machine(QStringLiteral("b")), {QStringLiteral("env"), QStringLiteral("import"), bundlePath});
        QCOMPARE(twice.exitCode, 2);
        QVERIFY(twice.err.contains(QStringLiteral("already exist")));
        QVERIFY(twice.err.contains(QStringLiteral("--replace")));
        const CliRun replaced
            = run(machine(QStringLiteral("b")),
                  {QStringLiteral("env"), QStringLiteral("import"), bundlePath, QStringLiteral("--replace")});
        QVERIFY2(replaced.exitCode == 0, qPrintable(replaced.err));
        // Replacing kept the secrets the keychain holds: nothing is reported missing.
        QVERIFY2(!replaced.text().contains(QStringLiteral("Missing secret")), qPrintable(replaced.text()));
    }

    void bundleWithASecretValueIsRefused_data()
    {
        QTest::addColumn<QByteArray>("bundle");
        QTest::addColumn<QString>("key");
        const QByteArray value = canary().toUtf8();
        const std::string secret = value.toStdString();
        const auto bundleOf = [](const nlohmann::json& environment) {
            return QByteArray::fromStdString(
                nlohmann::json({{"keyway_bundle", 1}, {"environments", nlohmann::json::array({environment})}}).dump());
        };
        QTest::newRow("value of a secret field")
            << bundleOf({{"name", "leak"},
                         {"provider", "banking"},
                         {"base_url", "https://bank.example"},
                         {"values", {{"client_id", "c"}, {"client_secret", secret}}},
                         {"secrets", nlohmann::json::array()}})
            << QStringLiteral("client_secret");
        QTest::newRow("secrets as an object of values") << bundleOf({{"name", "leak"},
                                                                     {"provider", "seismic"},
                                                                     {"base_url", "https://seismic.example"},
                                                                     {"values", {{"clientId", "c"}}},
                                                                     {"secrets", {{"clientSecret", secret}}}})
                                                        << QStringLiteral("clientSecret");
    }

    void bundleWithASecretValueIsRefused()
    {
        QFETCH(QByteArray, bundle);
        QFETCH(QString, key);
        writeFile(QStringLiteral("leak.json"), bundle);
        const CliRun r
            = run(machine(QStringLiteral("c")),
                  {QStringLiteral("env"), QStringLiteral("import"), m_root.filePath(QStringLiteral("leak.json"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("secret '%1'").arg(key)), qPrintable(r.err));
        const CliRun list = run(machine(QStringLiteral("c")), {QStringLiteral("env"), QStringLiteral("list")});
        QVERIFY(!list.text().contains(QStringLiteral("leak")));
    }

    void checkAllReportsEveryEnvironment()
    {
        const QString home = QStringLiteral("d");
        const auto seismicValues = QMap<QString, QString> {
            {QStringLiteral("clientId"), demo(QStringLiteral("seismic"), QStringLiteral("clientId"))}};
        add(home,
            QStringLiteral("good"),
            QStringLiteral("seismic"),
            baseUrl(QStringLiteral("seismic")),
            seismicValues,
            {{QStringLiteral("clientSecret"), demo(QStringLiteral("seismic"), QStringLiteral("clientSecret"))}});
        add(home,
            QStringLiteral("refused"),
            QStringLiteral("seismic"),
            baseUrl(QStringLiteral("seismic")),
            seismicValues,
            {{QStringLiteral("clientSecret"), canary()}});
        add(home,
            QStringLiteral("down"),
            QStringLiteral("banking"),
            QStringLiteral("http://127.0.0.1:1/bank"),
            {{QStringLiteral("client_id"), QStringLiteral("x")}},
            {{QStringLiteral("client_secret"), canary()}});
        QMap<QString, QString> code;
        const auto codeDemo = m_sandbox->demoProvider(QStringLiteral("oauth2-code"));
        for (const auto& [key, value] : codeDemo->credentials) {
            if (key != QLatin1String("client_secret")) {
                code.insert(key, value);
            }
        }
        const QMap<QString, QString> codeSecret {
            {QStringLiteral("client_secret"), demo(QStringLiteral("oauth2-code"), QStringLiteral("client_secret"))}};
        add(home,
            QStringLiteral("browser"),
            QStringLiteral("oauth2-code"),
            baseUrl(QStringLiteral("oauth2-code")),
            code,
            codeSecret);
        add(home,
            QStringLiteral("signed"),
            QStringLiteral("oauth2-code"),
            baseUrl(QStringLiteral("oauth2-code")),
            code,
            codeSecret);
        // One sign-in, as a person would do once: its refresh token is what check --all may use.
        const CliRun auth = run(
            machine(home),
            {QStringLiteral("auth"),
             QStringLiteral("signed"),
             QStringLiteral("--no-browser"),
             QStringLiteral("--json")},
            {},
            [&](const nlohmann::json& line) {
                if (line.is_object() && line.value("event", "") == "authorize_url") {
                    m_browser.start(QUrl(QString::fromStdString(line.at("url").get<std::string>())), true, nullptr);
                }
            });
        QVERIFY2(auth.exitCode == 0, qPrintable(auth.err));

        const int signInsBefore = m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code"));
        const QString junit = m_root.filePath(QStringLiteral("report.xml"));
        const CliRun json = run(machine(home),
                                {QStringLiteral("check"),
                                 QStringLiteral("--all"),
                                 QStringLiteral("--jobs"),
                                 QStringLiteral("2"),
                                 QStringLiteral("--json"),
                                 QStringLiteral("--junit"),
                                 junit});
        QCOMPARE(json.exitCode, 1);
        const auto checks = checksByName(json.text());
        QCOMPARE(checks.size(), 5);
        QCOMPARE(checks.value(QStringLiteral("good")).at("result").get<std::string>(), std::string("pass"));
        QVERIFY(checks.value(QStringLiteral("good")).at("expires_in").get<int>() > 3600);
        QCOMPARE(checks.value(QStringLiteral("refused")).at("result").get<std::string>(), std::string("fail"));
        QCOMPARE(checks.value(QStringLiteral("refused")).at("exit").get<int>(), 3);
        QVERIFY(QString::fromStdString(checks.value(QStringLiteral("refused")).at("detail").get<std::string>())
                    .contains(QStringLiteral("40399")));
        QCOMPARE(checks.value(QStringLiteral("down")).at("result").get<std::string>(), std::string("unreachable"));
        QCOMPARE(checks.value(QStringLiteral("down")).at("exit").get<int>(), 5);
        QCOMPARE(checks.value(QStringLiteral("browser")).at("result").get<std::string>(), std::string("fail"));
        QCOMPARE(checks.value(QStringLiteral("browser")).at("outcome").get<std::string>(),
                 std::string("sign-in needed"));
        QCOMPARE(checks.value(QStringLiteral("signed")).at("result").get<std::string>(), std::string("pass"));
        // The stored refresh token did the work: one refresh, no sign-in, no browser.
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), signInsBefore + 1);

        // The JUnit report: one test case per environment, grouped by provider, the failures typed.
        QFile report(junit);
        QVERIFY(report.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&report);
        QMap<QString, QString> verdicts; // name -> "" / failure type / error type
        QString current;
        int suites = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) {
                continue;
            }
            if (xml.name() == QLatin1String("testsuite")) {
                ++suites;
            } else if (xml.name() == QLatin1String("testcase")) {
                current = xml.attributes().value(QStringLiteral("name")).toString();
                verdicts.insert(current, QString());
            } else if (xml.name() == QLatin1String("failure") || xml.name() == QLatin1String("error")) {
                verdicts.insert(current,
                                xml.name().toString() + QLatin1Char(':')
                                    + xml.attributes().value(QStringLiteral("type")).toString());
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(suites, 3);
        QCOMPARE(verdicts.value(QStringLiteral("good")), QString());
        QCOMPARE(verdicts.value(QStringLiteral("signed")), QString());
        QCOMPARE(verdicts.value(QStringLiteral("refused")), QStringLiteral("failure:fail"));
        QCOMPARE(verdicts.value(QStringLiteral("down")), QStringLiteral("error:unreachable"));
        QCOMPARE(verdicts.value(QStringLiteral("browser")), QStringLiteral("failure:sign-in needed"));

        // The lines a person reads, and --provider.
        const CliRun lines = run(machine(home),
                                 {QStringLiteral("check"),
                                  QStringLiteral("--all"),
                                  QStringLiteral("--provider"),
                                  QStringLiteral("seismic")});
        QCOMPARE(lines.exitCode, 1);
        QVERIFY2(
            lines.text().contains(QStringLiteral("PASS good (seismic): GET /v1/card/bins answered 200; token valid "
                                                 "for")),
            qPrintable(lines.text()));
        QVERIFY(lines.text().contains(QStringLiteral("FAIL refused (seismic): ")));
        QVERIFY(!lines.text().contains(QStringLiteral("down")));
        const CliRun one = run(machine(home),
                               {QStringLiteral("check"),
                                QStringLiteral("--all"),
                                QStringLiteral("--provider"),
                                QStringLiteral("oauth2-code")});
        QCOMPARE(one.exitCode, 1);
        QVERIFY(one.text().contains(QStringLiteral("FAIL browser (oauth2-code): sign-in needed")));
        const CliRun bad
            = run(machine(home),
                  {QStringLiteral("check"), QStringLiteral("--all"), QStringLiteral("--jobs"), QStringLiteral("0")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(QStringLiteral("--jobs")));
        const CliRun lone = run(machine(home),
                                {QStringLiteral("check"),
                                 QStringLiteral("good"),
                                 QStringLiteral("--junit"),
                                 m_root.filePath(QStringLiteral("x.xml"))});
        QCOMPARE(lone.exitCode, 2);
        QVERIFY2(lone.err.contains(QStringLiteral("--junit goes with --all")), qPrintable(lone.err));
    }

    void ciModeReadsVariablesWithoutDbus()
    {
        const QString bundle = m_root.filePath(QStringLiteral("ci.json"));
        const auto entry = [&](const char* name, const QString& provider, const char* idKey, const char* secretKey) {
            return nlohmann::json({{"name", name},
                                   {"provider", provider.toStdString()},
                                   {"base_url", baseUrl(provider).toStdString()},
                                   {"values", {{idKey, demo(provider, QString::fromLatin1(idKey)).toStdString()}}},
                                   {"secrets", {secretKey}}});
        };
        const nlohmann::json ciBundle
            = {{"keyway_bundle", 1},
               {"environments",
                {entry("ci-bank", QStringLiteral("banking"), "client_id", "client_secret"),
                 entry("ci-seismic", QStringLiteral("seismic"), "clientId", "clientSecret")}}};
        writeFile(QStringLiteral("ci.json"), QByteArray::fromStdString(ciBundle.dump(2)));
        QProcessEnvironment ci = machine(QStringLiteral("ci"));
        ci.insert(QStringLiteral("KEYWAY_SECRETS"), QStringLiteral("env"));
        ci.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                  QStringLiteral("unix:path=") + m_root.filePath(QStringLiteral("no-such-bus")));
        ci.insert(QStringLiteral("KEYWAY_CI_BANK_CLIENT_SECRET"),
                  demo(QStringLiteral("banking"), QStringLiteral("client_secret")));

        const CliRun imported = run(ci, {QStringLiteral("env"), QStringLiteral("import"), bundle});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY2(imported.text().contains(QStringLiteral("Missing secret ci-seismic.clientSecret: set the variable "
                                                         "KEYWAY_CI_SEISMIC_CLIENTSECRET")),
                 qPrintable(imported.text()));
        // Never written: a secret typed in CI mode is refused rather than stored anywhere.
        const CliRun typed = run(ci,
                                 {QStringLiteral("env"),
                                  QStringLiteral("import"),
                                  bundle,
                                  QStringLiteral("--replace"),
                                  QStringLiteral("--secret"),
                                  QStringLiteral("ci-bank.client_secret")},
                                 canary().toUtf8() + '\n');
        QCOMPARE(typed.exitCode, 4);
        QVERIFY2(typed.err.contains(QStringLiteral("KEYWAY_CI_BANK_CLIENT_SECRET")), qPrintable(typed.err));

        const QString junit = m_root.filePath(QStringLiteral("ci-report.xml"));
        const CliRun partial
            = run(ci, {QStringLiteral("check"), QStringLiteral("--all"), QStringLiteral("--junit"), junit});
        QCOMPARE(partial.exitCode, 1);
        QVERIFY2(partial.text().contains(QStringLiteral("PASS ci-bank (banking)")),
                 qPrintable(partial.text() + partial.err));
        QVERIFY(
            partial.text().contains(QStringLiteral("FAIL ci-seismic (seismic): the secret clientSecret is missing")));

        ci.insert(QStringLiteral("KEYWAY_CI_SEISMIC_CLIENTSECRET"),
                  demo(QStringLiteral("seismic"), QStringLiteral("clientSecret")));
        const CliRun all
            = run(ci, {QStringLiteral("check"), QStringLiteral("--all"), QStringLiteral("--junit"), junit});
        QVERIFY2(all.exitCode == 0, qPrintable(all.text() + all.err));
        QFile report(junit);
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QByteArray xml = report.readAll();
        QVERIFY(xml.contains("tests=\"2\" failures=\"0\" errors=\"0\""));
        const CliRun show = run(
            ci, {QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("ci-bank"), QStringLiteral("--json")});
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.text().contains(QStringLiteral("\"client_secret\":\"env\"")), qPrintable(show.text()));
    }

    void ciModeSignInEnvironmentsUseARefreshTokenVariable()
    {
        // The refresh token of `signed` (machine d, signed in once above), as a CI secret store would hold it.
        const CliRun shown
            = run(machine(QStringLiteral("d")),
                  {QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("signed"), QStringLiteral("--json")});
        QCOMPARE(shown.exitCode, 0);
        const QString id = QString::fromStdString(nlohmann::json::parse(shown.text().toStdString()).at("id"));
        QProcess lookup;
        lookup.start(QStringLiteral("secret-tool"),
                     {QStringLiteral("lookup"),
                      QStringLiteral("server"),
                      QStringLiteral("keyway"),
                      QStringLiteral("user"),
                      id + QStringLiteral("/@refresh_token")});
        QVERIFY(lookup.waitForFinished(15000));
        const QString refreshToken = QString::fromUtf8(lookup.readAllStandardOutput()).trimmed();
        QVERIFY(!refreshToken.isEmpty());
        m_secrets.append(refreshToken);

        const auto codeDemo = m_sandbox->demoProvider(QStringLiteral("oauth2-code"));
        nlohmann::json values = nlohmann::json::object();
        for (const auto& [key, value] : codeDemo->credentials) {
            if (key != QLatin1String("client_secret")) {
                values[key.toStdString()] = value.toStdString();
            }
        }
        const auto entry = [&](const char* name) {
            return nlohmann::json({{"name", name},
                                   {"provider", "oauth2-code"},
                                   {"base_url", baseUrl(QStringLiteral("oauth2-code")).toStdString()},
                                   {"values", values},
                                   {"secrets", {"client_secret"}}});
        };
        writeFile(QStringLiteral("ci-idp.json"),
                  QByteArray::fromStdString(
                      nlohmann::json({{"keyway_bundle", 1}, {"environments", {entry("idp-ok"), entry("idp-revoked")}}})
                          .dump()));
        QProcessEnvironment ci = machine(QStringLiteral("ci-idp"));
        ci.insert(QStringLiteral("KEYWAY_SECRETS"), QStringLiteral("env"));
        ci.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                  QStringLiteral("unix:path=") + m_root.filePath(QStringLiteral("no-such-bus")));
        const QString secret = demo(QStringLiteral("oauth2-code"), QStringLiteral("client_secret"));
        ci.insert(QStringLiteral("KEYWAY_IDP_OK_CLIENT_SECRET"), secret);
        ci.insert(QStringLiteral("KEYWAY_IDP_REVOKED_CLIENT_SECRET"), secret);
        ci.insert(QStringLiteral("KEYWAY_IDP_OK__REFRESH_TOKEN"), refreshToken);
        ci.insert(QStringLiteral("KEYWAY_IDP_REVOKED__REFRESH_TOKEN"), canary());
        QCOMPARE(
            run(ci, {QStringLiteral("env"), QStringLiteral("import"), m_root.filePath(QStringLiteral("ci-idp.json"))})
                .exitCode,
            0);

        QElapsedTimer timer;
        timer.start();
        const CliRun checked = run(ci, {QStringLiteral("check"), QStringLiteral("--all"), QStringLiteral("--json")});
        QCOMPARE(checked.exitCode, 1);
        QVERIFY2(timer.elapsed() < 20000, "a refused sign-in never waits for a browser");
        const auto checks = checksByName(checked.text());
        QCOMPARE(checks.value(QStringLiteral("idp-ok")).at("result").get<std::string>(), std::string("pass"));
        QVERIFY2(checks.value(QStringLiteral("idp-revoked")).at("outcome") == "sign-in needed",
                 checks.value(QStringLiteral("idp-revoked")).dump().c_str());
    }

    void postmanCollectionWithClientCredentials()
    {
        const QString path = postmanFixture(QStringLiteral("partner-client-credentials.postman_collection.json"));
        const CliRun r = run(machine(QStringLiteral("p")), {QStringLiteral("env"), QStringLiteral("import"), path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString name = QStringLiteral("Partner API (client credentials)");
        const CliRun show = run(machine(QStringLiteral("p")),
                                {QStringLiteral("env"), QStringLiteral("show"), name, QStringLiteral("--json")});
        const auto j = nlohmann::json::parse(show.text().toStdString());
        QCOMPARE(j.at("provider").get<std::string>(), std::string("oauth2-client"));
        // Variables resolved; the disabled baseUrl skipped; the secret in the keychain, never the file.
        QCOMPARE(QString::fromStdString(j.at("base_url").get<std::string>()), baseUrl(QStringLiteral("oauth2-client")));
        QCOMPARE(QString::fromStdString(j.at("values").at("token_url").get<std::string>()),
                 baseUrl(QStringLiteral("oauth2-client")) + QStringLiteral("/oauth/token"));
        QCOMPARE(j.at("values").at("client_secret").get<std::string>(), std::string("set"));
        const CliRun check = run(machine(QStringLiteral("p")), {QStringLiteral("check"), QStringLiteral("--all")});
        QVERIFY2(check.exitCode == 0, qPrintable(check.text() + check.err));

        // The collection's requests became the environment's samples (folders flattened, variables resolved), and
        // travel with it in a bundle; the secret a request carried is a placeholder, never the value.
        const CliRun exported = run(machine(QStringLiteral("p")), {QStringLiteral("env"), QStringLiteral("export")});
        QCOMPARE(exported.exitCode, 0);
        const auto samples = nlohmann::json::parse(exported.text().toStdString()).at("environments")[0].at("samples");
        QCOMPARE(samples.size(), std::size_t(4));
        QCOMPARE(samples[0].at("name").get<std::string>(), std::string("Who am I"));
        QCOMPARE(samples[0].at("path").get<std::string>(), std::string("/api/me"));
        QCOMPARE(samples[1].at("path").get<std::string>(), std::string("/api/users/42"));
        QCOMPARE(samples[2].at("body").get<std::string>(),
                 std::string("client_id=sbx_oauth2_client_1f7e3c&client_secret={{client_secret}}&token=abc"));
        QCOMPARE(samples[3].at("method").get<std::string>(), std::string("POST"));
        QCOMPARE(samples[3].at("body").get<std::string>(), std::string("{\"user\": \"42\", \"text\": \"hello\"}"));
    }

    void postmanCollectionWithPkceInheritedFromAFolder()
    {
        const QString path = postmanFixture(QStringLiteral("partner-pkce.postman_collection.json"));
        const CliRun r = run(machine(QStringLiteral("q")), {QStringLiteral("env"), QStringLiteral("import"), path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const CliRun show = run(machine(QStringLiteral("q")),
                                {QStringLiteral("env"),
                                 QStringLiteral("show"),
                                 QStringLiteral("Partner sign-in (PKCE)"),
                                 QStringLiteral("--json")});
        const auto j = nlohmann::json::parse(show.text().toStdString());
        QCOMPARE(j.at("provider").get<std::string>(), std::string("oauth2-code"));
        QCOMPARE(j.at("values").at("client_auth").get<std::string>(), std::string("basic"));
        QCOMPARE(j.at("values").at("scope").get<std::string>(), std::string("read"));
        QCOMPARE(QString::fromStdString(j.at("values").at("authorize_url").get<std::string>()),
                 baseUrl(QStringLiteral("oauth2-code")) + QStringLiteral("/authorize"));
        QCOMPARE(j.at("values").at("client_secret").get<std::string>(), std::string("set"));
    }

    void postmanEnvironmentFile()
    {
        const QString path = postmanFixture(QStringLiteral("partner-sandbox.postman_environment.json"));
        const CliRun r = run(machine(QStringLiteral("r")), {QStringLiteral("env"), QStringLiteral("import"), path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("tenant")), qPrintable(r.err)); // said to be ignored
        const CliRun show = run(machine(QStringLiteral("r")),
                                {QStringLiteral("env"),
                                 QStringLiteral("show"),
                                 QStringLiteral("Partner sandbox"),
                                 QStringLiteral("--json")});
        const auto j = nlohmann::json::parse(show.text().toStdString());
        QCOMPARE(j.at("provider").get<std::string>(), std::string("oauth2-client"));
        QVERIFY(!j.at("values").contains("scope")); // disabled in the file
        const CliRun check = run(machine(QStringLiteral("r")), {QStringLiteral("check"), QStringLiteral("--all")});
        QVERIFY2(check.exitCode == 0, qPrintable(check.text() + check.err));
    }

    void cleanupTestCase()
    {
        // No secret in any output, nor in any file a run wrote (bundles, reports, environments, history).
        for (const QString& secret : std::as_const(m_secrets)) {
            QVERIFY(!m_allOutput.contains(secret));
        }
        QDirIterator it(m_root.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.contains(QLatin1String(".postman_")) || path.endsWith(QLatin1String("/leak.json"))) {
                continue; // inputs that carry secrets on purpose: what import takes them from, or must refuse
            }
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            for (const QString& secret : std::as_const(m_secrets)) {
                QVERIFY2(!content.contains(secret.toUtf8()), qPrintable(path));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCliTeam)
#include "tst_cli_team.moc"
