// The GUI's switch "Serve the sandbox over HTTPS", offscreen: it is a preference that persists, and the
// sandbox environments made for an HTTPS sandbox trust its CA at once (the health board checks them and they
// pass); when the sandbox runs plain HTTP again they are pointed back and stop naming the CA.
#include "core/http/ConnectionSettings.h"
#include "core/sandbox/SandboxServer.h"
#include "core/util/AppPaths.h"
#include "core/util/Preferences.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/app/PreferencesDialog.h"
#include "ui/health/HealthBoard.h"

#include <QCheckBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace keyway;
using keyway::ui::HealthBoard;
using keyway::ui::MainWindow;

class TestSandboxHttps : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;
    std::unique_ptr<test::MemorySecretStore> m_secrets;

    std::unique_ptr<MainWindow> openWindow(sandbox::SandboxServer& server)
    {
        ui::MainWindowOptions options;
        options.secretStore = m_secrets.get();
        auto window = std::make_unique<MainWindow>(options);
        window->resize(1280, 800);
        window->show();
        window->useSandbox(server);
        return window;
    }

    static std::optional<Environment> environmentOf(MainWindow& window, const QString& providerId)
    {
        for (const Environment& environment : window.environmentService()->environments()) {
            if (environment.providerId == providerId) {
                return environment;
            }
        }
        return std::nullopt;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("XDG_DATA_HOME", m_config.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_STATE_HOME", m_config.filePath(QStringLiteral("state")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-sandbox-https"));
        QCoreApplication::setApplicationName(QStringLiteral("keyway-test-sandbox-https"));
        QSettings().clear();
        m_secrets = std::make_unique<test::MemorySecretStore>();
    }

    void theSwitchIsAPreferenceThatPersists()
    {
        QCOMPARE(Preferences::sandboxHttps(), false);
        {
            ui::PreferencesDialog dialog;
            dialog.show();
            auto* https = dialog.findChild<QCheckBox*>(QStringLiteral("sandboxHttps"));
            QVERIFY(https);
            QVERIFY(https->isVisible());
            QVERIFY(!https->isChecked());
            QVERIFY(https->text().contains(QStringLiteral("&HTTPS")));
            QTest::mouseClick(https, Qt::LeftButton);
            QVERIFY(https->isChecked());
            dialog.accept();
        }
        QCOMPARE(Preferences::sandboxHttps(), true);
        QCOMPARE(QSettings().value(QStringLiteral("sandbox/https")).toBool(), true);
        ui::PreferencesDialog again;
        QVERIFY(again.findChild<QCheckBox*>(QStringLiteral("sandboxHttps"))->isChecked());
        again.reject();
        QCOMPARE(Preferences::sandboxHttps(), true);
    }

    void httpsSandboxEnvironmentsTrustItsCaAtOnce()
    {
        const QString tlsDirectory = AppPaths::stateDirectory() + QStringLiteral("/sandbox-tls/app");
        sandbox::SandboxServer server;
        server.setTls(tlsDirectory);
        QVERIFY2(server.listen(0), qPrintable(server.errorString()));
        auto window = openWindow(server);
        QTRY_VERIFY_WITH_TIMEOUT(!window->currentEnvironmentId().isEmpty(), 15000);

        const auto seismic = environmentOf(*window, QStringLiteral("seismic"));
        QVERIFY(seismic);
        QVERIFY(seismic->baseUrl.startsWith(QStringLiteral("https://127.0.0.1:")));
        QCOMPARE(seismic->values.value(ConnectionSettings::caFileKey()), server.caFile());

        // Checked from the health board over HTTPS: they pass without the user setting anything.
        auto* board = window->findChild<HealthBoard*>(QStringLiteral("healthBoard"));
        window->findChild<QTabWidget*>(QStringLiteral("mainTabs"))->setCurrentWidget(board);
        QSignalSpy done(board, &HealthBoard::checksFinished);
        QTest::mouseClick(window->findChild<QPushButton*>(QStringLiteral("healthCheckAll")), Qt::LeftButton);
        QVERIFY(done.wait(30000));
        QTreeWidgetItem* row = board->rowOf(seismic->id);
        QVERIFY(row);
        QVERIFY2(row->text(1) == QStringLiteral("pass"), qPrintable(row->text(5)));
        const auto client = environmentOf(*window, QStringLiteral("oauth2-client"));
        QCOMPARE(board->rowOf(client->id)->text(1), QStringLiteral("pass"));
    }

    void plainSandboxAgainPointsThemBack()
    {
        sandbox::SandboxServer server;
        QVERIFY(server.listen(0));
        auto window = openWindow(server);
        QTRY_VERIFY_WITH_TIMEOUT(!window->currentEnvironmentId().isEmpty(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(
            environmentOf(*window, QStringLiteral("seismic"))->baseUrl.startsWith(QStringLiteral("http://127.0.0.1:")),
            10000);
        const auto seismic = environmentOf(*window, QStringLiteral("seismic"));
        QVERIFY(!seismic->values.contains(ConnectionSettings::caFileKey()));
    }
};

QTEST_MAIN(TestSandboxHttps)
#include "tst_sandbox_https.moc"
