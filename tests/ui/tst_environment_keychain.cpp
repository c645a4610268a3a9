// Creating an environment in the GUI against the real (throwaway) keyring: the secret is in the
// keychain, where secret-tool finds it, and nowhere in the config directory; the list shows the
// environment under its provider with its keychain state.
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvironmentService.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"
#include "ui/environments/EnvironmentDialog.h"
#include "ui/environments/EnvironmentListModel.h"

#include <QDirIterator>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace keyway;
using keyway::ui::EnvironmentDialog;
using keyway::ui::EnvironmentListModel;

namespace {
// The label the keychain shows for an entry, asked as a user would: secret-tool search prints "label = …".
QString keychainLabel(const QString& service, const QString& key)
{
    QProcess search;
    search.start(QStringLiteral("secret-tool"),
                 {QStringLiteral("search"),
                  QStringLiteral("--all"),
                  QStringLiteral("server"),
                  service,
                  QStringLiteral("user"),
                  key});
    if (!search.waitForFinished(10000)) {
        return {};
    }
    // secret-tool prints the attributes and label on stderr and the secret on stdout.
    const QString out = QString::fromUtf8(search.readAllStandardError() + search.readAllStandardOutput());
    for (const QString& line : out.split(QLatin1Char('\n'))) {
        if (line.startsWith(QStringLiteral("label = "))) {
            return line.mid(8).trimmed();
        }
    }
    return {};
}
} // namespace

class TestEnvironmentKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void creatingAnEnvironmentWritesTheKeychainNotTheConfig();
    void keychainColumnJudgesWhatClientAuthNeeds();

private:
    QTemporaryDir m_config;
};

void TestEnvironmentKeychain::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    if (QStandardPaths::findExecutable(QStringLiteral("secret-tool")).isEmpty()) {
        QSKIP("secret-tool (libsecret-tools) is not installed");
    }
}

void TestEnvironmentKeychain::creatingAnEnvironmentWritesTheKeychainNotTheConfig()
{
    const QString canary = QStringLiteral("canary-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString name = QStringLiteral("Seismic keychain ") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    ProfileRegistry profiles = ProfileRegistry::loadDefault();
    KeychainSecretStore secrets;
    EnvironmentService environments(&profiles, &secrets); // <XDG_CONFIG_HOME>/keyway/environments.json

    EnvironmentDialog dialog(EnvironmentDialog::Mode::Add, &environments);
    dialog.setProvider(QStringLiteral("seismic"));
    dialog.show();
    dialog.findChild<QLineEdit*>(QStringLiteral("nameEdit"))->setText(name);
    dialog.findChild<QLineEdit*>(QStringLiteral("baseUrlEdit"))
        ->setText(QStringLiteral("https://sandbox.example.com/api"));
    dialog.findChild<QLineEdit*>(QStringLiteral("field_clientId"))->setText(QStringLiteral("client-7"));
    QTest::keyClicks(dialog.findChild<QLineEdit*>(QStringLiteral("field_clientSecret")), canary);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.findChild<QPushButton*>(QStringLiteral("dialogSaveButton"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, 20000);
    const Environment saved = dialog.environment();

    // The keychain holds it: ask it the way a user would, with secret-tool.
    QProcess lookup;
    lookup.start(QStringLiteral("secret-tool"),
                 {QStringLiteral("lookup"),
                  QStringLiteral("server"),
                  secrets.service(),
                  QStringLiteral("user"),
                  SecretStore::keyFor(saved.id, QStringLiteral("clientSecret"))});
    QVERIFY(lookup.waitForFinished(10000));
    QVERIFY2(lookup.readAllStandardOutput() == canary.toUtf8(), "secret-tool did not find the secret");

    // And nothing under the config directory does.
    QDirIterator it(m_config.path(), QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains(canary.toUtf8()), qPrintable(file.fileName()));
        ++files;
    }
    QVERIFY(files >= 1);
    EnvironmentStore reread;
    QString error;
    QVERIFY(reread.load(&error));
    QVERIFY(reread.find(name));

    // The list shows it under Seismic, all set.
    EnvironmentListModel model(&environments);
    model.setEnvironments(environments.environments());
    const QModelIndex index = model.indexOfEnvironment(saved.id);
    QVERIFY(index.isValid());
    QCOMPARE(index.parent().data().toString(), QStringLiteral("Seismic"));
    QTRY_COMPARE_WITH_TIMEOUT(model.state(saved.id), EnvironmentListModel::KeychainState::AllSet, 20000);
    QCOMPARE(index.siblingAtColumn(1).data().toString(), QStringLiteral("all set"));

    bool done = false;
    // Seahorse lists it by environment and field, not as one more "keyway".
    const QString key = SecretStore::keyFor(saved.id, QStringLiteral("clientSecret"));
    QVERIFY2(keychainLabel(secrets.service(), key)
                 == QStringLiteral("Keyway: ") + name + QStringLiteral(" — clientSecret"),
             qPrintable(keychainLabel(secrets.service(), key)));
    // A rename follows, in the keychain too.
    Environment renamed = saved;
    renamed.name = name + QStringLiteral(" renamed");
    QVERIFY(environments.updateAndWait(renamed, {}, {}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(keychainLabel(secrets.service(), key),
                              QStringLiteral("Keyway: ") + renamed.name + QStringLiteral(" — clientSecret"),
                              10000);
    // A refresh token a session stores later is labelled as what it is.
    const QString refreshKey = SecretStore::refreshTokenKey(saved.id, QString());
    bool stored = false;
    secrets.write(refreshKey, QStringLiteral("rt-") + canary, [&stored](const SecretResult& r) { stored = r.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(stored, 10000);
    QCOMPARE(keychainLabel(secrets.service(), refreshKey),
             QStringLiteral("Keyway: ") + renamed.name + QStringLiteral(" — refresh token"));
    done = false;
    secrets.remove(refreshKey, [&done](const SecretResult&) { done = true; });
    QTRY_VERIFY(done);

    // Clean the shared throwaway keyring.
    done = false;
    secrets.remove(SecretStore::keyFor(saved.id, QStringLiteral("clientSecret")),
                   [&done](const SecretResult&) { done = true; });
    QTRY_VERIFY(done);
}

// The Keychain column asks the engine's one rule: a client_secret deleted behind Keyway's back is missing, a
// public client (body without a secret) is all set, private_key_jwt needs its client_key.
void TestEnvironmentKeychain::keychainColumnJudgesWhatClientAuthNeeds()
{
    ProfileRegistry profiles = ProfileRegistry::loadDefault();
    KeychainSecretStore secrets;
    EnvironmentService environments(&profiles, &secrets);
    const auto make
        = [&environments](const QString& label, const QString& clientAuth, const QMap<QString, QString>& stored) {
              Environment environment = Environment::create(label + QUuid::createUuid().toString(QUuid::WithoutBraces),
                                                            QStringLiteral("oauth2-client"),
                                                            QStringLiteral("http://127.0.0.1:9"));
              environment.values = {{QStringLiteral("token_url"), QStringLiteral("/token")},
                                    {QStringLiteral("client_id"), QStringLiteral("cid-7")},
                                    {QStringLiteral("client_auth"), clientAuth}};
              const EnvironmentChange change = environments.createAndWait(environment, stored);
              return change.ok() ? change.environment.id : QString();
          };
    const QString canary = QStringLiteral("canary-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString confidential
        = make(QStringLiteral("confidential "), QStringLiteral("body"), {{QStringLiteral("client_secret"), canary}});
    const QString publicClient = make(QStringLiteral("public "), QStringLiteral("body"), {});
    const QString keyless = make(QStringLiteral("keyless "), QStringLiteral("private_key_jwt"), {});
    QVERIFY(!confidential.isEmpty() && !publicClient.isEmpty() && !keyless.isEmpty());

    EnvironmentListModel model(&environments);
    model.setEnvironments(environments.environments());
    QTRY_COMPARE_WITH_TIMEOUT(model.state(confidential), EnvironmentListModel::KeychainState::AllSet, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(model.state(publicClient), EnvironmentListModel::KeychainState::AllSet, 20000);
    QCOMPARE(model.indexOfEnvironment(publicClient).siblingAtColumn(1).data().toString(), QStringLiteral("all set"));
    QTRY_COMPARE_WITH_TIMEOUT(model.state(keyless), EnvironmentListModel::KeychainState::MissingFields, 20000);
    const QModelIndex keylessState = model.indexOfEnvironment(keyless).siblingAtColumn(1);
    QCOMPARE(keylessState.data().toString(), QStringLiteral("1 missing"));
    QVERIFY2(keylessState.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Assertion signing key")),
             qPrintable(keylessState.data(Qt::ToolTipRole).toString()));

    // Deleted with secret-tool, as a user cleaning the keyring would.
    QProcess clear;
    clear.start(QStringLiteral("secret-tool"),
                {QStringLiteral("clear"),
                 QStringLiteral("server"),
                 secrets.service(),
                 QStringLiteral("user"),
                 SecretStore::keyFor(confidential, QStringLiteral("client_secret"))});
    QVERIFY(clear.waitForFinished(10000));
    model.refreshState(confidential);
    QTRY_COMPARE_WITH_TIMEOUT(model.state(confidential), EnvironmentListModel::KeychainState::MissingFields, 20000);
    const QModelIndex confidentialState = model.indexOfEnvironment(confidential).siblingAtColumn(1);
    QCOMPARE(confidentialState.data().toString(), QStringLiteral("1 missing"));
    QCOMPARE(confidentialState.data(Qt::ToolTipRole).toString(), QStringLiteral("Missing: Client secret"));

    for (const QString& id : {confidential, publicClient, keyless}) {
        QVERIFY(environments.removeAndWait(id).ok());
    }
}

QTEST_MAIN(TestEnvironmentKeychain)
#include "tst_environment_keychain.moc"
