// keyway-cli providers / env add|list|show|rm end to end, as a subprocess, against the throwaway
// keyring of tests/run-isolated.sh, with its own HOME and XDG directories.
#include "tests/support/CliProcess.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

namespace {

QList<QJsonObject> jsonLines(const QString& text)
{
    QList<QJsonObject> objects;
    for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            qWarning() << "not a JSON object line:" << line;
            return {};
        }
        objects.append(document.object());
    }
    return objects;
}

} // namespace

using keyway::test::CliRun;

class TestCliEnv : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    QStringList m_canaries;
    QString m_allOutput;

    QProcessEnvironment environment() const { return keyway::test::isolatedMachine(m_root.path()); }

    CliRun cli(const QStringList& args,
               const QByteArray& input = QByteArray(),
               const QProcessEnvironment& env = QProcessEnvironment())
    {
        keyway::test::CliInvocation invocation(args, input, env.isEmpty() ? environment() : env);
        invocation.timeoutMs = 30000;
        CliRun run = keyway::test::runCli(invocation); // stdin is a pipe, never a terminal
        m_allOutput += run.text() + run.err;
        return run;
    }

    QString canary()
    {
        m_canaries.append(QStringLiteral("canary-") + QUuid::createUuid().toString(QUuid::Id128));
        return m_canaries.last();
    }

    static QString uniqueName(const QString& prefix)
    {
        return prefix + QLatin1Char('-') + QUuid::createUuid().toString(QUuid::Id128).left(8);
    }

    // The environment as `env show NAME --json` prints it.
    QJsonObject show(const QString& name)
    {
        const CliRun run = cli({QStringLiteral("env"), QStringLiteral("show"), name, QStringLiteral("--json")});
        const QList<QJsonObject> objects = jsonLines(run.text());
        return run.exitCode == 0 && objects.size() == 1 ? objects.first() : QJsonObject();
    }

    static QString lookup(const QString& entry, int* exitCode = nullptr)
    {
        QProcess process;
        process.start(QStringLiteral("secret-tool"),
                      {QStringLiteral("lookup"),
                       QStringLiteral("server"),
                       QStringLiteral("keyway"),
                       QStringLiteral("user"),
                       entry});
        process.waitForFinished(15000);
        if (exitCode) {
            *exitCode = process.exitCode();
        }
        return QString::fromUtf8(process.readAllStandardOutput());
    }

    QStringList listedNames()
    {
        QStringList names;
        const CliRun run = cli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
        for (const QJsonObject& object : jsonLines(run.text())) {
            names.append(object.value(QStringLiteral("name")).toString());
        }
        return names;
    }

    // The "missing" array env list --json prints for NAME (absent: null).
    QJsonValue listedMissing(const QString& name)
    {
        const CliRun run = cli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
        for (const QJsonObject& object : jsonLines(run.text())) {
            if (object.value(QStringLiteral("name")).toString() == name) {
                return object.value(QStringLiteral("missing"));
            }
        }
        return QJsonValue::Undefined;
    }

    QProcessEnvironment deadBus() const
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=") + m_root.filePath(QStringLiteral("no-such-bus")));
        return env;
    }

    QString addSeismic(const QString& name, const QString& secret)
    {
        const CliRun run = cli({QStringLiteral("env"),
                                QStringLiteral("add"),
                                name,
                                QStringLiteral("--provider"),
                                QStringLiteral("seismic"),
                                QStringLiteral("--base-url"),
                                QStringLiteral("https://seismic.example/v"),
                                QStringLiteral("--set"),
                                QStringLiteral("clientId=cid-1"),
                                QStringLiteral("--secret"),
                                QStringLiteral("clientSecret")},
                               secret.toUtf8() + '\n');
        return run.exitCode == 0 ? show(name).value(QStringLiteral("id")).toString() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            QSKIP("needs a D-Bus session with a keyring: run through tests/run-isolated.sh");
        }
        QVERIFY(m_root.isValid());
        for (const char* sub : {"home", "config", "data", "cache", "state"}) {
            QVERIFY(QDir(m_root.path()).mkpath(QLatin1String(sub)));
        }
    }

    void providersListsEveryProfile()
    {
        const CliRun run = cli({QStringLiteral("providers"), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QList<QJsonObject> providers = jsonLines(run.text());
        QMap<QString, QJsonObject> byId;
        for (const QJsonObject& provider : providers) {
            byId.insert(provider.value(QStringLiteral("id")).toString(), provider);
        }
        QCOMPARE(byId.keys(),
                 QStringList({QStringLiteral("astrada"),
                              QStringLiteral("banking"),
                              QStringLiteral("ecard"),
                              QStringLiteral("oauth2-client"),
                              QStringLiteral("oauth2-code"),
                              QStringLiteral("oauth2-device"),
                              QStringLiteral("seismic")}));
        QMap<QString, QJsonObject> seismicFields;
        for (const QJsonValue& field : byId[QStringLiteral("seismic")].value(QStringLiteral("fields")).toArray()) {
            seismicFields.insert(field[QStringLiteral("key")].toString(), field.toObject());
        }
        QCOMPARE(seismicFields.keys(),
                 QStringList({QStringLiteral("clientId"),
                              QStringLiteral("clientSecret"),
                              QStringLiteral("defaultBinId"),
                              QStringLiteral("merchantId"),
                              QStringLiteral("parentAccountId"),
                              QStringLiteral("webhookSecret")}));
        QCOMPARE(seismicFields[QStringLiteral("clientSecret")][QStringLiteral("secret")].toBool(), true);
        QCOMPARE(seismicFields[QStringLiteral("clientSecret")][QStringLiteral("required")].toBool(), true);
        QCOMPARE(seismicFields[QStringLiteral("webhookSecret")][QStringLiteral("required")].toBool(), false);
        QCOMPARE(seismicFields[QStringLiteral("clientId")][QStringLiteral("secret")].toBool(), false);
        const QJsonArray sets = byId[QStringLiteral("astrada")].value(QStringLiteral("credential_sets")).toArray();
        QCOMPARE(sets.size(), 2);
        QCOMPARE(sets[0][QStringLiteral("id")].toString(), QStringLiteral("api"));
        QCOMPARE(sets[0][QStringLiteral("default")].toBool(), true);
        QCOMPARE(sets[1][QStringLiteral("id")].toString(), QStringLiteral("sdk"));

        const CliRun text = cli({QStringLiteral("providers")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.text().contains(QLatin1String("seismic  Seismic")));
        QVERIFY(text.text().contains(QLatin1String("required, secret")));
    }

    void addPutsTheSecretInTheKeychainOnly()
    {
        const QString name = uniqueName(QStringLiteral("prod"));
        const QString clientSecret = canary();
        const QString webhookSecret = canary();
        const CliRun add = cli({QStringLiteral("env"),
                                QStringLiteral("add"),
                                name,
                                QStringLiteral("--provider"),
                                QStringLiteral("seismic"),
                                QStringLiteral("--base-url"),
                                QStringLiteral("https://seismic.example/prefix/"),
                                QStringLiteral("--set"),
                                QStringLiteral("clientId=client-42"),
                                QStringLiteral("--secret"),
                                QStringLiteral("clientSecret"),
                                QStringLiteral("--secret"),
                                QStringLiteral("webhookSecret")},
                               (clientSecret + QLatin1Char('\n') + webhookSecret + QLatin1Char('\n')).toUtf8());
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
        QVERIFY(add.text().contains(name));
        // The answer only: no info lines of the engine's logging categories in the terminal.
        QVERIFY2(!add.err.contains(QStringLiteral("keyway.core.")), qPrintable(add.err));

        const QJsonObject shown = show(name);
        QCOMPARE(shown.value(QStringLiteral("provider")).toString(), QStringLiteral("seismic"));
        QCOMPARE(shown.value(QStringLiteral("base_url")).toString(), QStringLiteral("https://seismic.example/prefix"));
        const QJsonObject values = shown.value(QStringLiteral("values")).toObject();
        QCOMPARE(values.value(QStringLiteral("clientId")).toString(), QStringLiteral("client-42"));
        QCOMPARE(values.value(QStringLiteral("clientSecret")).toString(), QStringLiteral("set"));
        QCOMPARE(values.value(QStringLiteral("webhookSecret")).toString(), QStringLiteral("set"));
        QVERIFY(!values.contains(QStringLiteral("merchantId"))); // unset optional non-secret fields are absent

        // Where QtKeychain's libsecret backend puts it: server=keyway, user=<env id>/<field>.
        const QString id = shown.value(QStringLiteral("id")).toString();
        QVERIFY(!QUuid::fromString(id).isNull());
        QCOMPARE(lookup(id + QStringLiteral("/clientSecret")), clientSecret);
        QCOMPARE(lookup(id + QStringLiteral("/webhookSecret")), webhookSecret);

        const CliRun text = cli({QStringLiteral("env"), QStringLiteral("show"), name});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.text().contains(QRegularExpression(QStringLiteral("clientSecret:\\s+set\\n"))));
        QVERIFY(listedNames().contains(name));
        const CliRun list = cli({QStringLiteral("env"), QStringLiteral("list")});
        QVERIFY(list.text().contains(
            QRegularExpression(name + QStringLiteral("\\s+seismic\\s+https://seismic.example/prefix\\n"))));

        // env rm takes the keychain entries with it.
        const CliRun rm = cli({QStringLiteral("env"), QStringLiteral("rm"), name});
        QVERIFY2(rm.exitCode == 0, qPrintable(rm.err));
        int found = 0;
        QCOMPARE(lookup(id + QStringLiteral("/clientSecret"), &found), QString());
        QVERIFY(found != 0);
        QCOMPARE(lookup(id + QStringLiteral("/webhookSecret")), QString());
        QVERIFY(!listedNames().contains(name));
        QCOMPARE(cli({QStringLiteral("env"), QStringLiteral("show"), name}).exitCode, 2);
    }

    void rmAlsoRemovesRefreshTokens()
    {
        const QString name = uniqueName(QStringLiteral("astrada"));
        const QString apiSecret = canary();
        const QString sdkSecret = canary();
        const CliRun add = cli({QStringLiteral("env"),
                                QStringLiteral("add"),
                                name,
                                QStringLiteral("--provider"),
                                QStringLiteral("astrada"),
                                QStringLiteral("--set"),
                                QStringLiteral("api.client_id=a"),
                                QStringLiteral("--secret"),
                                QStringLiteral("api.client_secret"),
                                QStringLiteral("--set"),
                                QStringLiteral("sdk.client_id=s"),
                                QStringLiteral("--secret"),
                                QStringLiteral("sdk.client_secret")},
                               (apiSecret + QLatin1Char('\n') + sdkSecret + QLatin1Char('\n')).toUtf8());
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
        const QJsonObject shown = show(name);
        QCOMPARE(shown.value(QStringLiteral("base_url")).toString(),
                 QStringLiteral("https://api.astrada.co")); // profile default
        const QString id = shown.value(QStringLiteral("id")).toString();
        // Secrets are read from stdin in the order of the --secret options.
        QCOMPARE(lookup(id + QStringLiteral("/api.client_secret")), apiSecret);
        QCOMPARE(lookup(id + QStringLiteral("/sdk.client_secret")), sdkSecret);

        // A refresh token kept by a later `call` (same service and key scheme).
        const QString refresh = canary();
        QProcess store;
        store.start(QStringLiteral("secret-tool"),
                    {QStringLiteral("store"),
                     QStringLiteral("--label=keyway"),
                     QStringLiteral("server"),
                     QStringLiteral("keyway"),
                     QStringLiteral("user"),
                     id + QStringLiteral("/sdk.@refresh_token")});
        store.write(refresh.toUtf8());
        store.closeWriteChannel();
        QVERIFY(store.waitForFinished(15000));
        QCOMPARE(lookup(id + QStringLiteral("/sdk.@refresh_token")), refresh);

        QCOMPARE(cli({QStringLiteral("env"), QStringLiteral("rm"), name}).exitCode, 0);
        QCOMPARE(lookup(id + QStringLiteral("/sdk.@refresh_token")), QString());
        QCOMPARE(lookup(id + QStringLiteral("/api.client_secret")), QString());
        QCOMPARE(lookup(id + QStringLiteral("/sdk.client_secret")), QString());
    }

    void setChangesAnEnvironmentInPlace()
    {
        const QString name = uniqueName(QStringLiteral("set"));
        const QString oldSecret = canary();
        const QString newSecret = canary();
        QCOMPARE(cli({"env",
                      "add",
                      name,
                      "--provider",
                      "seismic",
                      "--base-url",
                      "https://seismic.example",
                      "--set",
                      "clientId=client-1",
                      "--secret",
                      "clientSecret",
                      "--secret",
                      "webhookSecret"},
                     (oldSecret + QLatin1Char('\n') + canary() + QLatin1Char('\n')).toUtf8())
                     .exitCode,
                 0);
        const QString id = show(name).value(QStringLiteral("id")).toString();

        const CliRun set = cli({"env",
                                "set",
                                name,
                                "--base-url",
                                "https://other.example/v2/",
                                "--set",
                                "merchantId=m-7",
                                "--secret",
                                "clientSecret",
                                "--unset",
                                "webhookSecret"},
                               (newSecret + QLatin1Char('\n')).toUtf8());
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        const QJsonObject shown = show(name);
        QCOMPARE(shown.value(QStringLiteral("id")).toString(), id); // the same environment
        QCOMPARE(shown.value(QStringLiteral("base_url")).toString(), QStringLiteral("https://other.example/v2"));
        const QJsonObject values = shown.value(QStringLiteral("values")).toObject();
        QCOMPARE(values.value(QStringLiteral("clientId")).toString(), QStringLiteral("client-1"));
        QCOMPARE(values.value(QStringLiteral("merchantId")).toString(), QStringLiteral("m-7"));
        QCOMPARE(values.value(QStringLiteral("webhookSecret")).toString(), QStringLiteral("missing"));
        QCOMPARE(lookup(id + QStringLiteral("/clientSecret")), newSecret);
        QVERIFY(!set.text().contains(newSecret) && !set.err.contains(newSecret));

        // The same rules as env add: secrets never as values, unknown keys listed, required keys stay.
        CliRun bad = cli({"env", "set", name, "--set", "clientSecret=" + canary()});
        QCOMPARE(bad.exitCode, 2);
        bad = cli({"env", "set", name, "--set", "nope=1"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(QStringLiteral("clientId")));
        QCOMPARE(cli({"env", "set", name, "--unset", "clientId"}).exitCode, 2);
        QCOMPARE(cli({"env", "set", uniqueName(QStringLiteral("ghost")), "--set", "clientId=x"}).exitCode, 2);
        QCOMPARE(lookup(id + QStringLiteral("/clientSecret")), newSecret);
        QCOMPARE(cli({"env", "rm", name}).exitCode, 0);
    }

    void defaultsFillUnsetFields()
    {
        const QString name = uniqueName(QStringLiteral("generic"));
        const CliRun add = cli({QStringLiteral("env"),
                                QStringLiteral("add"),
                                name,
                                QStringLiteral("--provider"),
                                QStringLiteral("oauth2-client"),
                                QStringLiteral("--base-url"),
                                QStringLiteral("http://127.0.0.1:9/p"),
                                QStringLiteral("--set"),
                                QStringLiteral("token_url=/oauth/token"),
                                QStringLiteral("--set"),
                                QStringLiteral("client_id=c"),
                                QStringLiteral("--secret"),
                                QStringLiteral("client_secret")},
                               canary().toUtf8() + '\n');
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
        const QJsonObject values = show(name).value(QStringLiteral("values")).toObject();
        QCOMPARE(values.value(QStringLiteral("client_auth")).toString(), QStringLiteral("body"));
        QCOMPARE(values.value(QStringLiteral("token_url")).toString(), QStringLiteral("/oauth/token"));
        QCOMPARE(cli({QStringLiteral("env"), QStringLiteral("rm"), name}).exitCode, 0);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("mentions");
        const QString secret = QStringLiteral("canary-on-the-command-line");
        const QStringList seismic = {QStringLiteral("--provider"),
                                     QStringLiteral("seismic"),
                                     QStringLiteral("--base-url"),
                                     QStringLiteral("https://s.example")};
        const QStringList add = {QStringLiteral("env"), QStringLiteral("add"), QStringLiteral("usage-victim")};
        QTest::newRow("secret as --set") << add + seismic
                + QStringList {QStringLiteral("--set"),
                               QStringLiteral("clientId=c"),
                               QStringLiteral("--set"),
                               QStringLiteral("clientSecret=") + secret}
                                         << QByteArray() << QStringList {QStringLiteral("--secret clientSecret")};
        QTest::newRow("unknown key") << add + seismic
                + QStringList {QStringLiteral("--set"), QStringLiteral("clientID=c")}
                                     << QByteArray()
                                     << QStringList {QStringLiteral("clientID"),
                                                     QStringLiteral("clientId (required)"),
                                                     QStringLiteral("webhookSecret (secret)")};
        QTest::newRow("unknown secret key")
            << add + seismic + QStringList {QStringLiteral("--secret"), QStringLiteral("password")} << QByteArray("x\n")
            << QStringList {QStringLiteral("'password'"), QStringLiteral("clientSecret")};
        QTest::newRow("non-secret as --secret")
            << add + seismic + QStringList {QStringLiteral("--secret"), QStringLiteral("clientId")} << QByteArray("x\n")
            << QStringList {QStringLiteral("--set clientId=VALUE")};
        QTest::newRow("missing required")
            << add + seismic + QStringList {QStringLiteral("--set"), QStringLiteral("clientId=c")} << QByteArray()
            << QStringList {QStringLiteral("--secret clientSecret")};
        QTest::newRow("unknown provider")
            << add + QStringList {QStringLiteral("--provider"), QStringLiteral("stripe")} << QByteArray()
            << QStringList {QStringLiteral("'stripe'"), QStringLiteral("astrada, banking, ecard")};
        QTest::newRow("no provider") << add << QByteArray()
                                     << QStringList {QStringLiteral("--provider"), QStringLiteral("seismic")};
        QTest::newRow("base URL required") << add
                + QStringList {QStringLiteral("--provider"),
                               QStringLiteral("banking"),
                               QStringLiteral("--set"),
                               QStringLiteral("client_id=c"),
                               QStringLiteral("--secret"),
                               QStringLiteral("client_secret")}
                                           << QByteArray("x\n") << QStringList {QStringLiteral("--base-url")};
        QTest::newRow("bad base URL") << add
                + QStringList {QStringLiteral("--provider"),
                               QStringLiteral("ecard"),
                               QStringLiteral("--base-url"),
                               QStringLiteral("ftp://x")}
                                      << QByteArray() << QStringList {QStringLiteral("ftp://x")};
        QTest::newRow("bad choice") << add
                + QStringList {QStringLiteral("--provider"),
                               QStringLiteral("oauth2-client"),
                               QStringLiteral("--base-url"),
                               QStringLiteral("https://o.example"),
                               QStringLiteral("--set"),
                               QStringLiteral("client_auth=digest")}
                                    << QByteArray() << QStringList {QStringLiteral("body, basic")};
        QTest::newRow("stdin ends early")
            << add + seismic
                + QStringList {QStringLiteral("--set"),
                               QStringLiteral("clientId=c"),
                               QStringLiteral("--secret"),
                               QStringLiteral("clientSecret"),
                               QStringLiteral("--secret"),
                               QStringLiteral("webhookSecret")}
            << QByteArray("only-one-line\n") << QStringList {QStringLiteral("webhookSecret")};
        QTest::newRow("empty secret") << add + seismic
                + QStringList {QStringLiteral("--set"),
                               QStringLiteral("clientId=c"),
                               QStringLiteral("--secret"),
                               QStringLiteral("clientSecret")}
                                      << QByteArray("\n") << QStringList {QStringLiteral("empty")};
        QTest::newRow("two names") << add + QStringList {QStringLiteral("second-name")} + seismic << QByteArray()
                                   << QStringList {QStringLiteral("NAME")};
        QTest::newRow("unknown option") << add + seismic
                + QStringList {QStringLiteral("--secrets"), QStringLiteral("clientSecret")}
                                        << QByteArray() << QStringList {QStringLiteral("--secrets")};
        QTest::newRow("env without sub-command")
            << QStringList {QStringLiteral("env")} << QByteArray() << QStringList {QStringLiteral("Usage")};
        QTest::newRow("unknown sub-command") << QStringList {QStringLiteral("env"), QStringLiteral("edit")}
                                             << QByteArray() << QStringList {QStringLiteral("'edit'")};
        QTest::newRow("show unknown") << QStringList {QStringLiteral("env"),
                                                      QStringLiteral("show"),
                                                      QStringLiteral("nope-42")}
                                      << QByteArray() << QStringList {QStringLiteral("'nope-42'")};
        QTest::newRow("rm unknown") << QStringList {QStringLiteral("env"),
                                                    QStringLiteral("rm"),
                                                    QStringLiteral("nope-42")}
                                    << QByteArray() << QStringList {QStringLiteral("'nope-42'")};
        QTest::newRow("providers extra") << QStringList {QStringLiteral("providers"), QStringLiteral("seismic")}
                                         << QByteArray() << QStringList {QStringLiteral("'seismic'")};
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(QStringList, mentions);
        const CliRun run = cli(args, input);
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(run.text(), QString());
        for (const QString& mention : mentions) {
            QVERIFY2(run.err.contains(mention), qPrintable(QStringLiteral("'%1' not in: %2").arg(mention, run.err)));
        }
        QVERIFY2(!run.err.contains(QLatin1String("canary-on-the-command-line")), qPrintable(run.err));
        QVERIFY(!listedNames().contains(QStringLiteral("usage-victim")));
    }

    void duplicateNameIsRefused()
    {
        const QString name = uniqueName(QStringLiteral("dup"));
        const QString first = canary();
        const QString id = addSeismic(name, first);
        QVERIFY(!id.isEmpty());
        const CliRun again = cli({QStringLiteral("env"),
                                  QStringLiteral("add"),
                                  name,
                                  QStringLiteral("--provider"),
                                  QStringLiteral("ecard"),
                                  QStringLiteral("--set"),
                                  QStringLiteral("client_id=x"),
                                  QStringLiteral("--secret"),
                                  QStringLiteral("client_secret")},
                                 canary().toUtf8() + '\n');
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains(QStringLiteral("'%1' already exists").arg(name)), qPrintable(again.err));
        QCOMPARE(show(name).value(QStringLiteral("provider")).toString(), QStringLiteral("seismic"));
        QCOMPARE(lookup(id + QStringLiteral("/clientSecret")), first);
        QCOMPARE(cli({QStringLiteral("env"), QStringLiteral("rm"), name}).exitCode, 0);
    }

    void unreachableKeychainIsExitFourAndSavesNothing()
    {
        const QString name = uniqueName(QStringLiteral("nobus"));
        const CliRun add = cli({QStringLiteral("env"),
                                QStringLiteral("add"),
                                name,
                                QStringLiteral("--provider"),
                                QStringLiteral("ecard"),
                                QStringLiteral("--set"),
                                QStringLiteral("client_id=x"),
                                QStringLiteral("--secret"),
                                QStringLiteral("client_secret")},
                               canary().toUtf8() + '\n',
                               deadBus());
        QCOMPARE(add.exitCode, 4);
        QVERIFY2(add.err.contains(QLatin1String("keychain")), qPrintable(add.err));
        QVERIFY2(add.elapsedMs < 10000, "an unreachable keychain must be reported promptly");
        QVERIFY(!listedNames().contains(name));

        // An existing environment: show says "unavailable" (never "missing"), rm keeps everything.
        const QString kept = uniqueName(QStringLiteral("kept"));
        const QString secret = canary();
        const QString id = addSeismic(kept, secret);
        QVERIFY(!id.isEmpty());
        const CliRun shown
            = cli({QStringLiteral("env"), QStringLiteral("show"), kept, QStringLiteral("--json")}, {}, deadBus());
        QCOMPARE(shown.exitCode, 4);
        const QList<QJsonObject> objects = jsonLines(shown.text());
        QCOMPARE(objects.size(), 1);
        QCOMPARE(objects.first()[QStringLiteral("values")][QStringLiteral("clientSecret")].toString(),
                 QStringLiteral("unavailable"));
        const CliRun rm = cli({QStringLiteral("env"), QStringLiteral("rm"), kept}, {}, deadBus());
        QCOMPARE(rm.exitCode, 4);
        QVERIFY(listedNames().contains(kept));
        QCOMPARE(lookup(id + QStringLiteral("/clientSecret")), secret);
        QCOMPARE(cli({QStringLiteral("env"), QStringLiteral("rm"), kept}).exitCode, 0);
    }

    void damagedEnvironmentFileIsReportedAndKept()
    {
        // Its own config directory, so parallel tests above never see the damaged file.
        QTemporaryDir config;
        QVERIFY(QDir(config.path()).mkpath(QStringLiteral("keyway")));
        const QString file = config.filePath(QStringLiteral("keyway/environments.json"));
        QFile damaged(file);
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("{\"version\":1,\"environments\":[{\"id\":\"a\",\"na");
        damaged.close();
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());

        const CliRun list = cli({QStringLiteral("env"), QStringLiteral("list")}, {}, env);
        QCOMPARE(list.exitCode, 2);
        QVERIFY2(list.err.contains(file + QStringLiteral(".corrupt-")), qPrintable(list.err));
        const QStringList aside = QDir(config.filePath(QStringLiteral("keyway")))
                                      .entryList({QStringLiteral("environments.json.corrupt-*")}, QDir::Files);
        QCOMPARE(aside.size(), 1);
        QVERIFY(!QFile::exists(file));
        QCOMPARE(cli({QStringLiteral("env"), QStringLiteral("list")}, {}, env).exitCode, 0);
    }

    // The secrets an environment's client_auth needs are judged by one rule: a client_secret deleted from the
    // keychain behind Keyway's back stops the CLI with a message that names it and says how to store it, while a
    // public client (body without a secret) is complete; private_key_jwt needs client_key.
    void secretDeletedBehindKeywaysBackIsNamed()
    {
        const auto addClient = [this](const QString& name, const QStringList& extra, const QByteArray& input) {
            QStringList args {QStringLiteral("env"),
                              QStringLiteral("add"),
                              name,
                              QStringLiteral("--provider"),
                              QStringLiteral("oauth2-client"),
                              QStringLiteral("--base-url"),
                              QStringLiteral("http://127.0.0.1:9"),
                              QStringLiteral("--set"),
                              QStringLiteral("token_url=/token"),
                              QStringLiteral("--set"),
                              QStringLiteral("client_id=cid-7")};
            const CliRun run = cli(args + extra, input);
            return run.exitCode == 0 ? show(name).value(QStringLiteral("id")).toString() : QString();
        };
        const QString confidential = uniqueName(QStringLiteral("confidential"));
        const QString id
            = addClient(confidential, {QStringLiteral("--secret"), QStringLiteral("client_secret")}, canary().toUtf8());
        QVERIFY(!id.isEmpty());
        QCOMPARE(show(confidential).value(QStringLiteral("missing")).toArray(), QJsonArray());

        QProcess clear;
        clear.start(QStringLiteral("secret-tool"),
                    {QStringLiteral("clear"),
                     QStringLiteral("server"),
                     QStringLiteral("keyway"),
                     QStringLiteral("user"),
                     id + QStringLiteral("/client_secret")});
        QVERIFY(clear.waitForFinished(15000));
        int found = 0;
        QCOMPARE(lookup(id + QStringLiteral("/client_secret"), &found), QString());
        QVERIFY(found != 0);

        const QString storeIt = QStringLiteral("keyway-cli env set %1 --secret client_secret").arg(confidential);
        const CliRun auth = cli({QStringLiteral("auth"), confidential});
        QCOMPARE(auth.exitCode, 2);
        QVERIFY2(auth.err.contains(QStringLiteral("client_secret")) && auth.err.contains(storeIt),
                 qPrintable(auth.err));
        // The bundle still names the secret: an import asks for it.
        const CliRun exported = cli({QStringLiteral("env"), QStringLiteral("export"), confidential});
        QCOMPARE(exported.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(exported.out)
                     .object()
                     .value(QStringLiteral("environments"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("secrets"))
                     .toArray(),
                 QJsonArray {QStringLiteral("client_secret")});
        // check --all asks the health check, which judges by the same rule.
        const CliRun checkAll = cli({QStringLiteral("check"),
                                     QStringLiteral("--all"),
                                     QStringLiteral("--provider"),
                                     QStringLiteral("oauth2-client")});
        QCOMPARE(checkAll.exitCode, 1);
        QVERIFY2(checkAll.text().contains(
                     QStringLiteral("FAIL %1 (oauth2-client): the secret client_secret is missing").arg(confidential)),
                 qPrintable(checkAll.describe()));
        const CliRun shown = cli({QStringLiteral("env"), QStringLiteral("show"), confidential});
        QCOMPARE(shown.exitCode, 0);
        QVERIFY(shown.text().contains(QRegularExpression(QStringLiteral("client_secret:\\s+missing\\n"))));
        QVERIFY2(shown.err.contains(storeIt), qPrintable(shown.err));
        QCOMPARE(show(confidential).value(QStringLiteral("missing")).toArray(),
                 QJsonArray {QStringLiteral("client_secret")});
        // env list says so too, by the same rule: a column in text, the same "missing" array in JSON.
        const CliRun listed = cli({QStringLiteral("env"), QStringLiteral("list")});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(
            listed.text().contains(QRegularExpression(
                confidential + QStringLiteral("\\s+oauth2-client\\s+http://127.0.0.1:9\\s+missing: client_secret\\n"))),
            qPrintable(listed.describe()));
        QCOMPARE(listedMissing(confidential), QJsonArray {QStringLiteral("client_secret")});

        // Stored again, it is complete again; unset on purpose, it is a public client.
        QCOMPARE(cli({QStringLiteral("env"),
                      QStringLiteral("set"),
                      confidential,
                      QStringLiteral("--secret"),
                      QStringLiteral("client_secret")},
                     canary().toUtf8())
                     .exitCode,
                 0);
        QCOMPARE(show(confidential).value(QStringLiteral("missing")).toArray(), QJsonArray());
        QCOMPARE(cli({QStringLiteral("env"),
                      QStringLiteral("set"),
                      confidential,
                      QStringLiteral("--unset"),
                      QStringLiteral("client_secret")})
                     .exitCode,
                 0);
        QCOMPARE(show(confidential).value(QStringLiteral("missing")).toArray(), QJsonArray());

        // A public client never had a secret: nothing is missing, and auth goes on to the (closed) token endpoint.
        const QString publicClient = uniqueName(QStringLiteral("public"));
        QVERIFY(!addClient(publicClient, {}, {}).isEmpty());
        QCOMPARE(show(publicClient).value(QStringLiteral("missing")).toArray(), QJsonArray());
        QCOMPARE(listedMissing(publicClient), QJsonArray());
        QCOMPARE(listedMissing(confidential), QJsonArray());
        // A complete environment's line ends at its URL.
        QVERIFY(cli({QStringLiteral("env"), QStringLiteral("list")})
                    .text()
                    .contains(QRegularExpression(publicClient
                                                 + QStringLiteral("\\s+oauth2-client\\s+http://127.0.0.1:9\\n"))));
        const CliRun publicAuth = cli({QStringLiteral("auth"), publicClient});
        QCOMPARE(publicAuth.exitCode, 5);

        // basic and private_key_jwt cannot sign without their secret, stored or not.
        for (const auto& [method, key] :
             {std::pair {QStringLiteral("basic"), QStringLiteral("client_secret")},
              std::pair {QStringLiteral("private_key_jwt"), QStringLiteral("client_key")}}) {
            const QString name = uniqueName(method);
            QVERIFY(!addClient(name, {QStringLiteral("--set"), QStringLiteral("client_auth=") + method}, {}).isEmpty());
            const CliRun run = cli({QStringLiteral("auth"), name});
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains(QStringLiteral("env set %1 --secret %2").arg(name, key)), qPrintable(run.err));
            QCOMPARE(show(name).value(QStringLiteral("missing")).toArray(), QJsonArray {key});
        }
    }

    // Last: no canary ever reached a file under the temporary HOME / XDG directories or any output.
    void canariesNeverLeaveTheKeychain()
    {
        QVERIFY(m_canaries.size() >= 6);
        QDirIterator files(m_root.path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        int scanned = 0;
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            ++scanned;
            for (const QString& secret : std::as_const(m_canaries)) {
                QVERIFY2(!content.contains(secret.toUtf8()), qPrintable(file.fileName()));
            }
        }
        QVERIFY(scanned >= 1); // environments.json at least
        for (const QString& secret : std::as_const(m_canaries)) {
            QVERIFY2(!m_allOutput.contains(secret), "a secret reached the CLI's output");
        }
    }
};

QTEST_GUILESS_MAIN(TestCliEnv)
#include "tst_cli_env.moc"
