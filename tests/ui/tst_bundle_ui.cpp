// Environment ▸ Export / Import environments, driven as a user would: the export writes every environment without a
// secret value; the import on a fresh configuration lists the secrets the bundle names, takes the one typed, says
// which are still missing, and the imported environment then passes its check on the health board.
#include "core/sandbox/SandboxServer.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/common/FileDialog.h"
#include "ui/health/HealthBoard.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <memory>

using namespace keyway;
using keyway::ui::MainWindow;

class TestBundleUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportThenImportOnAFreshConfiguration()
    {
        QTemporaryDir dir;
        qputenv("XDG_CONFIG_HOME", dir.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_STATE_HOME", dir.filePath(QStringLiteral("state")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-bundle-ui"));
        QCoreApplication::setApplicationName(QStringLiteral("keyway-test-bundle-ui"));
        QSettings().clear();
        sandbox::SandboxServer sandbox;
        QVERIFY(sandbox.listen(0));
        QStringList secrets;
        for (const QString& provider : {QStringLiteral("seismic"), QStringLiteral("banking")}) {
            const auto demo = sandbox.demoProvider(provider);
            for (const auto& [key, value] : demo->credentials) {
                if (key.contains(QLatin1String("ecret"))) {
                    secrets.append(value);
                }
            }
        }

        // Machine A: the sandbox's environments, exported.
        const QString bundlePath = dir.filePath(QStringLiteral("team.keyway.json"));
        {
            test::MemorySecretStore store;
            ui::MainWindowOptions options;
            options.secretStore = &store;
            options.environmentsFile = dir.filePath(QStringLiteral("a/environments.json"));
            MainWindow window(options);
            window.show();
            window.useSandbox(sandbox);
            QTRY_VERIFY_WITH_TIMEOUT(window.environmentService()->environments().size() == 7, 15000);
            ui::FileDialog::setNextAnswer(bundlePath);
            window.findChild<QAction*>(QStringLiteral("exportEnvironmentsAction"))->trigger();
            QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(bundlePath), 10000);
            QTRY_VERIFY2(window.statusBar()->currentMessage().startsWith(QStringLiteral("Exported 7 environment")),
                         qPrintable(window.statusBar()->currentMessage()));
        }
        QFile file(bundlePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bundle = file.readAll();
        QVERIFY(bundle.contains("\"keyway_bundle\": 1"));
        QVERIFY(bundle.contains("\"clientSecret\""));
        for (const QString& secret : std::as_const(secrets)) {
            QVERIFY(!bundle.contains(secret.toUtf8()));
        }

        // Machine B: nothing yet; the import asks for the secrets and takes the one typed.
        test::MemorySecretStore store;
        ui::MainWindowOptions options;
        options.secretStore = &store;
        options.environmentsFile = dir.filePath(QStringLiteral("b/environments.json"));
        MainWindow window(options);
        window.show();
        QCOMPARE(window.environmentService()->environments().size(), 0);
        bool answered = false;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            QCOMPARE(dialog->objectName(), QStringLiteral("bundleImportDialog"));
            auto* field = dialog->findChild<QLineEdit*>(QStringLiteral("bundleSecret_Sandbox Seismic.clientSecret"));
            QVERIFY(field);
            QCOMPARE(field->echoMode(), QLineEdit::Password);
            field->setText(sandbox.demoProvider(QStringLiteral("seismic"))->credential(QStringLiteral("clientSecret")));
            answered = true;
            dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        });
        ui::FileDialog::setNextAnswer(bundlePath);
        window.findChild<QAction*>(QStringLiteral("importEnvironmentsAction"))->trigger();
        QVERIFY(answered);
        QTRY_VERIFY_WITH_TIMEOUT(window.environmentService()->environments().size() == 7, 10000);
        QTRY_VERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("Imported 7 environment")));
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("Sandbox Banking API.client_secret")));
        QVERIFY(!window.statusBar()->currentMessage().contains(QStringLiteral("Sandbox Seismic.clientSecret")));

        // The imported environment works: its row on the health board passes.
        auto* board = window.healthBoard();
        QSignalSpy done(board, &ui::HealthBoard::checksFinished);
        const std::optional<Environment> seismic = window.environmentService()->find(QStringLiteral("Sandbox Seismic"));
        QVERIFY(seismic);
        board->check(seismic->id);
        QVERIFY(done.wait(20000));
        QCOMPARE(board->rowOf(seismic->id)->text(1), QStringLiteral("pass"));
        const std::optional<Environment> bank
            = window.environmentService()->find(QStringLiteral("Sandbox Banking API"));
        board->check(bank->id);
        QVERIFY(done.wait(20000));
        QCOMPARE(board->rowOf(bank->id)->text(1), QStringLiteral("fail"));
        QVERIFY(board->rowOf(bank->id)->text(5).contains(QStringLiteral("client_secret")));
        QFile b(dir.filePath(QStringLiteral("b/environments.json")));
        QVERIFY(b.open(QIODevice::ReadOnly));
        const QByteArray written = b.readAll();
        for (const QString& secret : std::as_const(secrets)) {
            QVERIFY(!written.contains(secret.toUtf8()));
        }
    }
};

QTEST_MAIN(TestBundleUi)
#include "tst_bundle_ui.moc"
