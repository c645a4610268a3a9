// The credential editor and the environment dialog on an in-memory keychain: a locked keychain keeps
// everything typed and offers Retry; secrets are masked until revealed; a copied secret is marked for
// clipboard managers and cleared after the delay, but only while the clipboard still holds it.
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvironmentService.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"
#include "tests/support/DelayingSecretStore.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/common/Clipboard.h"
#include "ui/credentials/CredentialEditor.h"
#include "ui/environments/EnvironmentDialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;
using keyway::ui::CredentialEditor;
using keyway::ui::EnvironmentDialog;

namespace {
const QString kCanary = QStringLiteral("canary-secret-3f9c1e77-do-not-leak");
}

class TestCredentialEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void lockedKeychainKeepsWhatWasTypedAndOffersRetry();
    void editReadsSecretsAndLockedReadNeverDeletes();
    void slowKeychainSaysItWaitsAndRetryReadsAgain();
    void secretFieldsAreMaskedUntilRevealed();
    void copiedSecretIsMarkedAndClearedOnlyIfStillOurs();

private:
    QLineEdit* field(QWidget* parent, const QString& key) const
    {
        return parent->findChild<QLineEdit*>(QStringLiteral("field_") + key);
    }

    QTemporaryDir m_config;
    ProfileRegistry m_profiles;
};

void TestCredentialEditor::initTestCase()
{
    QVERIFY(m_config.isValid());
    m_profiles = ProfileRegistry::loadDefault();
    QVERIFY(m_profiles.find(QStringLiteral("seismic")));
}

void TestCredentialEditor::lockedKeychainKeepsWhatWasTypedAndOffersRetry()
{
    const QString file = m_config.filePath(QStringLiteral("locked/environments.json"));
    test::MemorySecretStore secrets;
    secrets.setFailure(SecretStatus::Locked);
    EnvironmentService environments(&m_profiles, &secrets, file);

    EnvironmentDialog dialog(EnvironmentDialog::Mode::Add, &environments);
    dialog.setProvider(QStringLiteral("seismic"));
    dialog.show();
    QTest::keyClicks(dialog.findChild<QLineEdit*>(QStringLiteral("nameEdit")), QStringLiteral("Seismic staging"));
    QTest::keyClicks(field(&dialog, QStringLiteral("clientId")), QStringLiteral("client-42"));
    QTest::keyClicks(field(&dialog, QStringLiteral("clientSecret")), kCanary);

    QSignalSpy failed(dialog.credentialEditor(), &CredentialEditor::saveFailed);
    dialog.findChild<QPushButton*>(QStringLiteral("dialogSaveButton"))->click();
    QTRY_COMPARE(failed.size(), 1);

    // The dialog stays, with everything typed, the error in plain words and a Retry.
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), 0);
    QCOMPARE(field(&dialog, QStringLiteral("clientSecret"))->text(), kCanary);
    QCOMPARE(field(&dialog, QStringLiteral("clientId"))->text(), QStringLiteral("client-42"));
    auto* status = dialog.findChild<QLabel*>(QStringLiteral("credentialStatus"));
    QVERIFY(status->isVisible());
    QVERIFY2(status->text().contains(QStringLiteral("locked")), qPrintable(status->text()));
    QVERIFY(!status->text().contains(kCanary));
    auto* retry = dialog.findChild<QPushButton*>(QStringLiteral("retryButton"));
    QVERIFY(retry->isVisible());
    QVERIFY(secrets.entries().isEmpty());
    QVERIFY(!QFile::exists(file)); // nothing half-saved

    // The user unlocks the keychain and retries.
    secrets.setFailure(SecretStatus::Ok);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    retry->click();
    QTRY_COMPARE(accepted.size(), 1);
    const Environment saved = dialog.environment();
    QCOMPARE(secrets.entries().value(SecretStore::keyFor(saved.id, QStringLiteral("clientSecret"))), kCanary);
    QFile written(file);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QByteArray json = written.readAll();
    QVERIFY(json.contains("Seismic staging"));
    QVERIFY(json.contains("client-42"));
    QVERIFY(!json.contains(kCanary.toUtf8()));
}

void TestCredentialEditor::editReadsSecretsAndLockedReadNeverDeletes()
{
    test::MemorySecretStore secrets;
    EnvironmentService environments(&m_profiles, &secrets, m_config.filePath(QStringLiteral("edit/environments.json")));
    const ProviderProfile* seismic = m_profiles.find(QStringLiteral("seismic"));
    Environment environment = Environment::create(
        QStringLiteral("Seismic edit"), QStringLiteral("seismic"), QStringLiteral("https://sandbox.example.com"));
    environment.values.insert(QStringLiteral("clientId"), QStringLiteral("client-42"));
    QVERIFY(environments.createAndWait(environment, {{QStringLiteral("clientSecret"), kCanary}}).ok());
    const QString id = environment.id;

    CredentialEditor editor(&environments);
    editor.setProfile(seismic);
    editor.show();
    QSignalSpy loaded(&editor, &CredentialEditor::secretsLoaded);
    editor.loadEnvironment(id, {{QStringLiteral("clientId"), QStringLiteral("client-42")}});
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(loaded.first().first().toBool(), true);
    QCOMPARE(field(&editor, QStringLiteral("clientSecret"))->text(), kCanary);
    QCOMPARE(field(&editor, QStringLiteral("clientId"))->text(), QStringLiteral("client-42"));

    // Locked on read: the field stays empty, Retry is offered, and saving does not wipe the secret.
    secrets.setFailure(SecretStatus::Locked);
    editor.loadEnvironment(id, {});
    QTRY_COMPARE(loaded.size(), 2);
    QCOMPARE(loaded.last().first().toBool(), false);
    QVERIFY(field(&editor, QStringLiteral("clientSecret"))->text().isEmpty());
    QVERIFY(editor.findChild<QPushButton*>(QStringLiteral("retryButton"))->isVisible());
    QVERIFY(editor.missingRequiredLabels().contains(QStringLiteral("Client ID")));
    QVERIFY(!editor.missingRequiredLabels().contains(QStringLiteral("Client secret"))); // unknown, not missing
    secrets.setFailure(SecretStatus::Ok);
    QSignalSpy saved(&editor, &CredentialEditor::saved);
    editor.save(environment, false);
    QTRY_COMPARE(saved.size(), 1);
    QCOMPARE(secrets.entries().value(SecretStore::keyFor(id, QStringLiteral("clientSecret"))), kCanary);

    // Retry reads again once the keychain is unlocked.
    editor.loadEnvironment(id, {});
    QTRY_COMPARE(loaded.size(), 3);
    QCOMPARE(field(&editor, QStringLiteral("clientSecret"))->text(), kCanary);
}

// The real keychain behind a decorator that answers slowly (an unlock prompt the user has not found yet):
// the secret fields say they wait, Save cannot overwrite anything meanwhile, the editor says what it waits
// for, and the values appear when the keychain answers. A locked read then offers Retry, which reads again.
void TestCredentialEditor::slowKeychainSaysItWaitsAndRetryReadsAgain()
{
    KeychainSecretStore keychain;
    test::DelayingSecretStore secrets(&keychain, CredentialEditor::KeychainPatienceMs + 1500);
    EnvironmentService environments(
        &m_profiles, &keychain, m_config.filePath(QStringLiteral("slow/environments.json")));
    Environment environment = Environment::create(
        QStringLiteral("Seismic slow"), QStringLiteral("seismic"), QStringLiteral("https://sandbox.example.com"));
    environment.values.insert(QStringLiteral("clientId"), QStringLiteral("client-slow"));
    const QString canary
        = QStringLiteral("canary-slow-keychain-") + QString::number(QDateTime::currentMSecsSinceEpoch());
    const auto created = environments.createAndWait(environment, {{QStringLiteral("clientSecret"), canary}});
    QVERIFY2(created.ok(), qPrintable(created.error));

    EnvironmentService slow(&m_profiles, &secrets, m_config.filePath(QStringLiteral("slow/environments.json")));
    CredentialEditor editor(&slow);
    editor.setProfile(m_profiles.find(QStringLiteral("seismic")));
    editor.show();
    QSignalSpy loaded(&editor, &CredentialEditor::secretsLoaded);
    editor.loadEnvironment(environment.id, environment.values);
    QLineEdit* secret = field(&editor, QStringLiteral("clientSecret"));
    QCOMPARE(secret->placeholderText(), QStringLiteral("waiting for the keychain…"));
    QVERIFY(secret->text().isEmpty());
    QVERIFY(!editor.findChild<QPushButton*>(QStringLiteral("saveButton"))->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(editor.statusText().startsWith(QStringLiteral("Still waiting for the keychain")),
                             CredentialEditor::KeychainPatienceMs + 1000);
    QVERIFY(editor.statusText().contains(QStringLiteral("unlock")));
    QVERIFY(!editor.findChild<QPushButton*>(QStringLiteral("retryButton"))->isVisible()); // it is not an error
    QVERIFY(loaded.isEmpty());

    // Answered at last: the value is there, the waiting note is gone, Save works again.
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 5000);
    QCOMPARE(loaded.first().first().toBool(), true);
    QCOMPARE(secret->text(), canary);
    QVERIFY(editor.statusText().isEmpty());
    QVERIFY(editor.findChild<QPushButton*>(QStringLiteral("saveButton"))->isEnabled());

    // Locked this time: Retry is offered; once unlocked, Retry reads the secret again.
    secrets.setDelayMs(200);
    secrets.setFailure(SecretStatus::Locked);
    editor.loadEnvironment(environment.id, environment.values);
    QTRY_COMPARE(loaded.size(), 2);
    QCOMPARE(loaded.last().first().toBool(), false);
    QVERIFY(secret->text().isEmpty());
    QVERIFY(editor.statusText().contains(QStringLiteral("locked")));
    auto* retry = editor.findChild<QPushButton*>(QStringLiteral("retryButton"));
    QVERIFY(retry->isVisible());
    secrets.setFailure(SecretStatus::Ok);
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_COMPARE(loaded.size(), 3);
    QCOMPARE(loaded.last().first().toBool(), true);
    QCOMPARE(secret->text(), canary);
    QVERIFY(!retry->isVisible());

    // Nothing was overwritten or deleted along the way.
    SecretResult stored;
    bool answered = false;
    keychain.read(SecretStore::keyFor(environment.id, QStringLiteral("clientSecret")), [&](const SecretResult& r) {
        stored = r;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QCOMPARE(stored.value, canary);
    bool removed = false;
    environments.remove(environment.id, [&](const EnvironmentChange&) { removed = true; });
    QTRY_VERIFY(removed);
}

void TestCredentialEditor::secretFieldsAreMaskedUntilRevealed()
{
    test::MemorySecretStore secrets;
    EnvironmentService environments(&m_profiles, &secrets, m_config.filePath(QStringLiteral("unused.json")));
    CredentialEditor editor(&environments);
    editor.setProfile(m_profiles.find(QStringLiteral("seismic")));
    editor.show();
    QLineEdit* secret = field(&editor, QStringLiteral("clientSecret"));
    QLineEdit* plain = field(&editor, QStringLiteral("clientId"));
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    QCOMPARE(plain->echoMode(), QLineEdit::Normal);
    QVERIFY(!editor.findChild<QAction*>(QStringLiteral("reveal_clientId")));
    auto* reveal = editor.findChild<QAction*>(QStringLiteral("reveal_clientSecret"));
    QVERIFY(reveal);
    reveal->trigger();
    QCOMPARE(secret->echoMode(), QLineEdit::Normal);
    reveal->trigger();
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    // Secrets never reach environments.json through the editor's non-secret values.
    secret->setText(kCanary);
    plain->setText(QStringLiteral("client-42"));
    QVERIFY(!editor.nonSecretValues().contains(QStringLiteral("clientSecret")));
    QCOMPARE(editor.nonSecretValues().value(QStringLiteral("clientId")), QStringLiteral("client-42"));
}

void TestCredentialEditor::copiedSecretIsMarkedAndClearedOnlyIfStillOurs()
{
    test::MemorySecretStore secrets;
    EnvironmentService environments(&m_profiles, &secrets, m_config.filePath(QStringLiteral("unused.json")));
    CredentialEditor editor(&environments);
    editor.setProfile(m_profiles.find(QStringLiteral("seismic")));
    field(&editor, QStringLiteral("clientSecret"))->setText(kCanary);
    auto* clipboard = ui::Clipboard::instance();
    clipboard->setClearDelay(100);
    QSignalSpy cleared(clipboard, &ui::Clipboard::secretCleared);

    editor.findChild<QAction*>(QStringLiteral("copy_clientSecret"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), kCanary);
    const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
    QCOMPARE(mime->data(QStringLiteral("x-kde-passwordManagerHint")), QByteArray("secret"));
    QTRY_COMPARE(cleared.size(), 1);
    QVERIFY(QGuiApplication::clipboard()->text().isEmpty());

    // The user copied something else meanwhile: that is never wiped.
    editor.findChild<QAction*>(QStringLiteral("copy_clientSecret"))->trigger();
    QGuiApplication::clipboard()->setText(QStringLiteral("the user's own text"));
    QTest::qWait(250);
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("the user's own text"));
    QVERIFY(!clipboard->clearPending());
}

QTEST_MAIN(TestCredentialEditor)
#include "tst_credentialeditor.moc"
