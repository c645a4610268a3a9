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

class TestEnvironmentKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void creatingAnEnvironmentWritesTheKeychainNotTheConfig();

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

    // Clean the shared throwaway keyring.
    bool done = false;
    secrets.remove(SecretStore::keyFor(saved.id, QStringLiteral("clientSecret")),
                   [&done](const SecretResult&) { done = true; });
    QTRY_VERIFY(done);
}

QTEST_MAIN(TestEnvironmentKeychain)
#include "tst_environment_keychain.moc"
