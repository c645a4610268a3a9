#include "tests/support/MemorySecretStore.h"

#include "core/history/HistoryStore.h"
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvironmentService.h"

#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;

// The rules every change to an environment follows, whichever face (GUI or CLI) asks for it.
class TestEnvironmentService : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ProfileRegistry m_profiles;
    const QString kSecret = QStringLiteral("canary-secret-8d1f");

    QString path() const { return m_dir.filePath(QStringLiteral("keyway/environments.json")); }
    static QByteArray readAll(const QString& file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static Environment seismic(const QString& name)
    {
        Environment e
            = Environment::create(name, QStringLiteral("seismic"), QStringLiteral("https://h.example/prefix"));
        e.values.insert(QStringLiteral("clientId"), QStringLiteral("client-7"));
        return e;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_profiles.loadShipped();
        QVERIFY(m_profiles.find(QStringLiteral("seismic")));
        QVERIFY(m_profiles.find(QStringLiteral("astrada")));
    }
    void init() { QFile::remove(path()); }

    void createStoresSecretsInTheKeychainAndValuesInTheFile()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, path());
        QSignalSpy changed(&service, &EnvironmentService::environmentsChanged);
        const Environment env = seismic(QStringLiteral("staging"));
        const EnvironmentChange change = service.createAndWait(env, {{QStringLiteral("clientSecret"), kSecret}});
        QVERIFY2(change.ok(), qPrintable(change.error));
        QCOMPARE(secrets.entries().value(SecretStore::keyFor(env.id, QStringLiteral("clientSecret"))), kSecret);
        const QByteArray file = readAll(path());
        QVERIFY(file.contains("client-7"));
        QVERIFY(!file.contains(kSecret.toUtf8()));
        QCOMPARE(changed.size(), 1);
        QVERIFY(service.find(QStringLiteral("staging")));
    }

    void aFailedKeychainWriteChangesNothingOnDisk()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, path());
        const Environment existing = seismic(QStringLiteral("kept"));
        QVERIFY(service.createAndWait(existing, {{QStringLiteral("clientSecret"), kSecret}}).ok());
        const QByteArray before = readAll(path());

        secrets.setFailure(SecretStatus::Locked);
        const Environment env = seismic(QStringLiteral("never"));
        EnvironmentChange change = service.createAndWait(env, {{QStringLiteral("clientSecret"), kSecret}});
        QCOMPARE(change.status, EnvironmentChange::Status::Keychain);
        QCOMPARE(change.keychain.status, SecretStatus::Locked);
        QVERIFY(change.error.contains(QStringLiteral("never")));
        QCOMPARE(readAll(path()), before);

        // An update whose second secret fails takes back the first and leaves the file as it was.
        secrets.setFailure(SecretStatus::Ok);
        Environment astrada = Environment::create(
            QStringLiteral("astrada"), QStringLiteral("astrada"), QStringLiteral("https://a.example"));
        QVERIFY(service.createAndWait(astrada, {{QStringLiteral("api.client_secret"), QStringLiteral("old")}}).ok());
        const QByteArray withAstrada = readAll(path());
        secrets.setFailingKeys({SecretStore::keyFor(astrada.id, QStringLiteral("sdk.client_secret"))},
                               SecretStatus::Denied);
        Environment renamed = astrada;
        renamed.name = QStringLiteral("astrada renamed");
        change = service.updateAndWait(renamed,
                                       {{QStringLiteral("sdk.client_secret"), QStringLiteral("new-sdk")},
                                        {QStringLiteral("api.client_secret"), QStringLiteral("new-api")}},
                                       {});
        QCOMPARE(change.status, EnvironmentChange::Status::Keychain);
        QCOMPARE(readAll(path()), withAstrada);
        QVERIFY(service.find(QStringLiteral("astrada")));
        QVERIFY(!secrets.entries().contains(SecretStore::keyFor(astrada.id, QStringLiteral("sdk.client_secret"))));
    }

    void nameClashesAndUnknownProvidersAreRefusedBeforeTheKeychain()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, path());
        QVERIFY(service.createAndWait(seismic(QStringLiteral("one")), {}).ok());
        const int started = secrets.started();
        EnvironmentChange change
            = service.createAndWait(seismic(QStringLiteral("one")), {{QStringLiteral("clientSecret"), kSecret}});
        QCOMPARE(change.status, EnvironmentChange::Status::Invalid);
        QVERIFY(change.error.contains(QStringLiteral("one")));
        Environment unknown = Environment::create(QStringLiteral("x"), QStringLiteral("nope"), QString());
        change = service.createAndWait(unknown, {});
        QCOMPARE(change.status, EnvironmentChange::Status::Invalid);
        QVERIFY(change.error.contains(QStringLiteral("nope")));
        QCOMPARE(secrets.started(), started); // nothing reached the keychain
    }

    void aFileLockedByAnotherProcessIsReportedNotIgnored()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, path());
        QVERIFY(service.createAndWait(seismic(QStringLiteral("first")), {}).ok());
        QLockFile other(path() + QStringLiteral(".lock"));
        QVERIFY(other.tryLock(0));
        // The store waits for the lock before giving up; a held lock must end in a clear File error and
        // take back the secrets the change wrote.
        Environment env = seismic(QStringLiteral("second"));
        EnvironmentChange change = service.createAndWait(env, {{QStringLiteral("clientSecret"), kSecret}});
        QCOMPARE(change.status, EnvironmentChange::Status::File);
        QVERIFY(!change.error.isEmpty());
        QVERIFY(!secrets.entries().contains(SecretStore::keyFor(env.id, QStringLiteral("clientSecret"))));
        other.unlock();
        QVERIFY(!service.find(QStringLiteral("second")));
    }

    void removeDeletesEveryOwnedEntryAndKeepsTheEnvironmentWhenTheKeychainIsLocked()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, path());
        Environment astrada = Environment::create(
            QStringLiteral("astrada"), QStringLiteral("astrada"), QStringLiteral("https://a.example"));
        QVERIFY(service
                    .createAndWait(astrada,
                                   {{QStringLiteral("api.client_secret"), QStringLiteral("a")},
                                    {QStringLiteral("sdk.client_secret"), QStringLiteral("b")}})
                    .ok());
        secrets.setEntry(SecretStore::refreshTokenKey(astrada.id, QStringLiteral("sdk")), QStringLiteral("rt"));
        // 2 secrets + refresh tokens of "", api, sdk + the connection secrets tls.client_key and proxy_password
        QCOMPARE(service.ownedKeychainEntries(astrada).size(), 7);
        QVERIFY(service.ownedKeychainEntries(astrada).contains(
            SecretStore::keyFor(astrada.id, QStringLiteral("tls.client_key"))));

        secrets.setFailure(SecretStatus::Locked);
        EnvironmentChange change = service.removeAndWait(astrada.id);
        QCOMPARE(change.status, EnvironmentChange::Status::Keychain);
        QVERIFY(service.findById(astrada.id));
        QVERIFY(readAll(path()).contains("astrada"));

        // The history of a kept environment is kept too.
        QTemporaryDir historyDir;
        HistoryStore history(historyDir.path());
        service.setHistoryStore(&history);
        HistoryEntry entry;
        entry.method = QStringLiteral("GET");
        entry.path = QStringLiteral("/v1/card/bins");
        QVERIFY(history.append(astrada.id, entry));
        QVERIFY(QFile::exists(history.filePath(astrada.id)));

        secrets.setFailure(SecretStatus::Ok);
        QSignalSpy removed(&service, &EnvironmentService::environmentRemoved);
        change = service.removeAndWait(astrada.id);
        QVERIFY2(change.ok(), qPrintable(change.error));
        QCOMPARE(removed.size(), 1);
        QVERIFY(secrets.entries().isEmpty());
        QVERIFY(!service.findById(astrada.id));
        // History names the environment's endpoints: it goes with the environment, in both faces.
        QVERIFY(!QFile::exists(history.filePath(astrada.id)));
    }

    void duplicateCopiesSecretsButNotTheSignIn()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, path());
        const Environment source = seismic(QStringLiteral("source"));
        QVERIFY(service.createAndWait(source, {{QStringLiteral("clientSecret"), kSecret}}).ok());
        secrets.setEntry(SecretStore::refreshTokenKey(source.id, QString()), QStringLiteral("rt"));
        bool finished = false;
        EnvironmentChange copy;
        service.duplicate(source.id, QStringLiteral("copy"), [&](const EnvironmentChange& c) {
            copy = c;
            finished = true;
        });
        QTRY_VERIFY(finished);
        QVERIFY2(copy.ok(), qPrintable(copy.error));
        QVERIFY(copy.environment.id != source.id);
        QCOMPARE(copy.environment.values.value(QStringLiteral("clientId")), QStringLiteral("client-7"));
        QCOMPARE(secrets.entries().value(SecretStore::keyFor(copy.environment.id, QStringLiteral("clientSecret"))),
                 kSecret);
        QVERIFY(!secrets.entries().contains(SecretStore::refreshTokenKey(copy.environment.id, QString())));
    }

    void credentialStatesNeverReadASecretValue()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, path());
        const Environment env = seismic(QStringLiteral("states"));
        QVERIFY(service.createAndWait(env, {{QStringLiteral("clientSecret"), kSecret}}).ok());
        const int readsBefore = secrets.reads();
        QMap<QString, CredentialState> states = service.credentialStatesAndWait(env.id);
        QCOMPARE(secrets.reads(), readsBefore);
        QCOMPARE(states.value(QStringLiteral("clientSecret")), CredentialState::Set);
        QCOMPARE(states.value(QStringLiteral("clientId")), CredentialState::Set);
        QCOMPARE(states.value(QStringLiteral("webhookSecret")), CredentialState::Missing);

        secrets.setFailure(SecretStatus::Locked);
        states = service.credentialStatesAndWait(env.id);
        QCOMPARE(states.value(QStringLiteral("clientSecret")), CredentialState::Locked); // never "missing"
        secrets.setFailure(SecretStatus::Unavailable);
        states = service.credentialStatesAndWait(env.id);
        QCOMPARE(states.value(QStringLiteral("clientSecret")), CredentialState::Unavailable);
    }

    void readCredentialsGivesTheSetsValuesAndNamesWhatIsMissing()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, path());
        Environment astrada = Environment::create(
            QStringLiteral("astrada"), QStringLiteral("astrada"), QStringLiteral("https://a.example"));
        astrada.values.insert(QStringLiteral("api.client_id"), QStringLiteral("api-id"));
        astrada.values.insert(QStringLiteral("sdk.client_id"), QStringLiteral("sdk-id"));
        QVERIFY(service.createAndWait(astrada, {{QStringLiteral("sdk.client_secret"), QStringLiteral("s")}}).ok());
        const ProviderProfile* profile = service.profileOf(astrada);
        const QStringList sdkSecrets = EnvironmentService::secretFieldsSentByFlow(*profile, QStringLiteral("sdk"));
        QCOMPARE(sdkSecrets, QStringList {QStringLiteral("sdk.client_secret")});
        CredentialBundle bundle = service.readCredentialsAndWait(astrada, QStringLiteral("sdk"), sdkSecrets);
        QVERIFY(bundle.ok());
        QCOMPARE(bundle.values.value(QStringLiteral("sdk.client_id")), QStringLiteral("sdk-id"));
        QCOMPARE(bundle.values.value(QStringLiteral("sdk.client_secret")), QStringLiteral("s"));
        QVERIFY(!bundle.values.contains(QStringLiteral("api.client_id"))); // another set's value stays out

        bundle = service.readCredentialsAndWait(
            astrada,
            QStringLiteral("api"),
            EnvironmentService::secretFieldsSentByFlow(*profile, QStringLiteral("api")));
        QVERIFY(bundle.ok());
        QCOMPARE(bundle.missingSecrets, QStringList {QStringLiteral("api.client_secret")});
    }
};

QTEST_MAIN(TestEnvironmentService)
#include "tst_environmentservice.moc"
