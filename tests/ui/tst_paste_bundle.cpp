// "Paste bundle" in the credential editor, driven as a user would: the button opens a dialog, the pasted
// onboarding text fills the matching fields (secrets masked), the editor says what matched and what was ignored
// without showing a value, and Save puts the secret in the keychain.
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/credentials/CredentialEditor.h"

#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace keyway;
using keyway::ui::CredentialEditor;

class TestPasteBundle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pastedBundleFillsTheFieldsAndIsSavedToTheKeychain()
    {
        QTemporaryDir dir;
        ProfileRegistry profiles = ProfileRegistry::loadDefault();
        test::MemorySecretStore secrets;
        EnvironmentService service(&profiles, &secrets, dir.filePath(QStringLiteral("environments.json")));
        CredentialEditor editor(&service);
        editor.setProfile(profiles.find(QStringLiteral("seismic")));
        editor.show();

        const QString secret = QStringLiteral("canary-paste-7c1d");
        bool typed = false;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            QCOMPARE(dialog->objectName(), QStringLiteral("pasteBundleDialog"));
            dialog->findChild<QPlainTextEdit*>(QStringLiteral("pasteBundleText"))
                ->setPlainText(
                    QStringLiteral("Client ID: sbx-client\nClient Secret: %1\nPortal URL: https://x\n").arg(secret));
            typed = true;
            dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        });
        QSignalSpy edited(&editor, &CredentialEditor::edited);
        QTest::mouseClick(editor.findChild<QPushButton*>(QStringLiteral("pasteBundleButton")), Qt::LeftButton);
        QVERIFY(typed);
        QCOMPARE(edited.count(), 1);

        auto* clientId = editor.findChild<QLineEdit*>(QStringLiteral("field_clientId"));
        auto* clientSecret = editor.findChild<QLineEdit*>(QStringLiteral("field_clientSecret"));
        QCOMPARE(clientId->text(), QStringLiteral("sbx-client"));
        QCOMPARE(clientSecret->text(), secret);
        QCOMPARE(clientSecret->echoMode(), QLineEdit::Password);
        const QString status = editor.statusText();
        QVERIFY2(status.contains(QStringLiteral("Client Secret → clientSecret")), qPrintable(status));
        QVERIFY(status.contains(QStringLiteral("Ignored: Portal URL.")));
        QVERIFY(!status.contains(secret));

        Environment environment = Environment::create(
            QStringLiteral("pasted"), QStringLiteral("seismic"), QStringLiteral("https://api.seismic.example"));
        QSignalSpy saved(&editor, &CredentialEditor::saved);
        editor.save(environment, true);
        QVERIFY(saved.wait(5000));
        QString stored;
        secrets.read(SecretStore::keyFor(environment.id, QStringLiteral("clientSecret")),
                     [&](const SecretResult& r) { stored = r.value; });
        QTRY_COMPARE(stored, secret);
        QFile file(dir.filePath(QStringLiteral("environments.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(secret.toUtf8()));
    }
};

QTEST_MAIN(TestPasteBundle)
#include "tst_paste_bundle.moc"
