// The health board, offscreen against the embedded sandbox as a user would drive it: "Check all" checks every
// demo environment a few at once, each row says pass / fail / sign-in needed with the token's lifetime, a row's
// own Check re-checks it, Cancel stops a run, yesterday's results show when the window opens again, and a
// failed row opens that environment's walkthrough.
#include "core/sandbox/SandboxServer.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/health/HealthBoard.h"

#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
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

class TestHealthBoard : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    std::unique_ptr<test::MemorySecretStore> m_secrets;
    std::unique_ptr<MainWindow> m_window;

    void openWindow()
    {
        ui::MainWindowOptions options;
        options.secretStore = m_secrets.get();
        m_window = std::make_unique<MainWindow>(options);
        m_window->resize(1280, 800);
        m_window->show();
        m_window->useSandbox(*m_sandbox);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->currentEnvironmentId().isEmpty(), 15000);
    }

    HealthBoard* board() const { return m_window->findChild<HealthBoard*>(QStringLiteral("healthBoard")); }
    QTreeWidget* table() const { return m_window->findChild<QTreeWidget*>(QStringLiteral("healthTable")); }

    QString idOf(const QString& providerId) const
    {
        for (const Environment& environment : m_window->environmentService()->environments()) {
            if (environment.providerId == providerId) {
                return environment.id;
            }
        }
        return {};
    }

    QString rowText(const QString& providerId, int column) const
    {
        QTreeWidgetItem* row = board()->rowOf(idOf(providerId));
        return row ? row->text(column) : QString();
    }

    void showBoard()
    {
        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        tabs->setCurrentWidget(board());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("XDG_DATA_HOME", m_config.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_STATE_HOME", m_config.filePath(QStringLiteral("state")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-health-board"));
        QCoreApplication::setApplicationName(QStringLiteral("keyway-test-health-board"));
        QSettings().clear();
        m_sandbox = std::make_unique<sandbox::SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        m_secrets = std::make_unique<test::MemorySecretStore>();
        openWindow();
    }

    void checkAllShowsEveryEnvironmentGroupedByProvider()
    {
        showBoard();
        QVERIFY(board());
        // One group per provider, one row per environment; nothing checked yet.
        QCOMPARE(table()->topLevelItemCount(), 6);
        QCOMPARE(rowText(QStringLiteral("seismic"), 1), QStringLiteral("not checked yet"));

        auto* checkAll = m_window->findChild<QPushButton*>(QStringLiteral("healthCheckAll"));
        QSignalSpy done(board(), &HealthBoard::checksFinished);
        QTest::mouseClick(checkAll, Qt::LeftButton);
        QVERIFY(board()->isChecking());
        QVERIFY(m_window->findChild<QProgressBar*>(QStringLiteral("healthProgress"))->isVisible());
        QVERIFY(!checkAll->isEnabled());
        QVERIFY(done.wait(30000));

        QCOMPARE(rowText(QStringLiteral("seismic"), 1), QStringLiteral("pass"));
        QVERIFY(!rowText(QStringLiteral("seismic"), 2).isEmpty()); // last check time
        QVERIFY2(!rowText(QStringLiteral("seismic"), 3).isEmpty(), "the token's lifetime left");
        QCOMPARE(rowText(QStringLiteral("oauth2-client"), 1), QStringLiteral("pass"));
        // The sign-in provider needs a browser and has no stored sign-in: the board never opens one.
        QCOMPARE(rowText(QStringLiteral("oauth2-code"), 1), QStringLiteral("sign-in needed"));
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("healthStatus"))->text().contains(QStringLiteral("pass")));

        QWidget* shot = m_window.get();
        shot->grab().save(QStringLiteral("/tmp/team-health-board.png"));
    }

    void aRowsCheckRechecksItAndAFailureShowsTheStepAndHint()
    {
        // Break Seismic's secret: its own Check now fails at the token step with the profile's hint.
        const QString id = idOf(QStringLiteral("seismic"));
        bool stored = false;
        m_secrets->write(SecretStore::keyFor(id, QStringLiteral("clientSecret")),
                         QStringLiteral("wrong-secret"),
                         [&](const SecretResult& r) { stored = r.ok(); });
        QTRY_VERIFY(stored);
        auto* button = m_window->findChild<QPushButton*>(QStringLiteral("healthCheck-")
                                                         + m_window->environmentService()->findById(id)->name);
        QVERIFY(button);
        QSignalSpy done(board(), &HealthBoard::checksFinished);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(done.wait(30000));
        QCOMPARE(rowText(QStringLiteral("seismic"), 1), QStringLiteral("fail"));
        QVERIFY2(rowText(QStringLiteral("seismic"), 4).contains(QStringLiteral("step token")),
                 qPrintable(rowText(QStringLiteral("seismic"), 4)));
        QVERIFY(rowText(QStringLiteral("seismic"), 3).isEmpty());

        // The failed row opens the walkthrough at the failing step.
        table()->setCurrentItem(board()->rowOf(id));
        QTest::mouseClick(m_window->findChild<QPushButton*>(QStringLiteral("healthOpen")), Qt::LeftButton);
        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(m_window->walkthrough()));
        QCOMPARE(m_window->currentEnvironmentId(), id);
        auto* steps = m_window->walkthrough()->findChild<QListWidget*>();
        QVERIFY(steps);
        QVERIFY(steps->currentItem());
        QVERIFY2(steps->currentRow() == 1, "the token exchange, Seismic's second step");
    }

    void cancelStopsARun()
    {
        showBoard();
        QSignalSpy done(board(), &HealthBoard::checksFinished);
        board()->checkAll();
        QVERIFY(board()->isChecking());
        QTest::mouseClick(m_window->findChild<QPushButton*>(QStringLiteral("healthCancel")), Qt::LeftButton);
        QVERIFY(!board()->isChecking());
        QCOMPARE(done.count(), 1);
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("healthStatus"))
                    ->text()
                    .startsWith(QStringLiteral("Cancelled")));
        QVERIFY(m_window->findChild<QPushButton*>(QStringLiteral("healthCheckAll"))->isEnabled());
    }

    void yesterdaysResultsShowOnStart()
    {
        m_window.reset();
        openWindow();
        showBoard();
        QCOMPARE(rowText(QStringLiteral("oauth2-client"), 1), QStringLiteral("pass"));
        QCOMPARE(rowText(QStringLiteral("oauth2-code"), 1), QStringLiteral("sign-in needed"));
        // Kept without a secret in it.
        QFile file(m_config.filePath(QStringLiteral("state/keyway/health.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray kept = file.readAll();
        QVERIFY(kept.contains("sign-in needed"));
        QVERIFY(!kept.contains("wrong-secret"));
        for (const QString& provider : {QStringLiteral("seismic"), QStringLiteral("oauth2-client")}) {
            const auto demo = m_sandbox->demoProvider(provider);
            for (const auto& [key, value] : demo->credentials) {
                if (key.contains(QLatin1String("ecret"))) {
                    QVERIFY2(!kept.contains(value.toUtf8()), kept.constData());
                }
            }
        }
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_secrets.reset();
        m_sandbox.reset();
    }
};

QTEST_MAIN(TestHealthBoard)
#include "tst_health_board.moc"
