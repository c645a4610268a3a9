// The health board, offscreen against the embedded sandbox as a user would drive it: "Check all" checks every
// demo environment a few at once, each row says pass / fail / sign-in needed with the token's lifetime, a row's
// own Check re-checks it, Cancel stops a run, yesterday's results show when the window opens again, and a
// failed row opens that environment's walkthrough.
#include "core/sandbox/SandboxServer.h"
#include "core/session/RefreshTokenAges.h"
#include "core/util/Clock.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/SandboxBrowser.h"
#include "tests/support/ui/SandboxApp.h"
#include "ui/MainWindow.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/health/HealthBoard.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTime>
#include <QTreeWidget>
#include <QUrlQuery>

#include <memory>

using namespace keyway;
using keyway::ui::HealthBoard;
using keyway::ui::MainWindow;

class TestHealthBoard : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;
    test::SandboxApp m_app;

    HealthBoard* board() const { return m_app.window->findChild<HealthBoard*>(QStringLiteral("healthBoard")); }
    QTreeWidget* table() const { return m_app.window->findChild<QTreeWidget*>(QStringLiteral("healthTable")); }

    QString idOf(const QString& providerId) const
    {
        for (const Environment& environment : m_app.window->environmentService()->environments()) {
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
        auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        tabs->setCurrentWidget(board());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        test::isolateApplication(m_config.path(), QStringLiteral("keyway-test-health-board"));
        QVERIFY(m_app.start(QSize(1280, 800)));
    }

    void checkAllShowsEveryEnvironmentGroupedByProvider()
    {
        showBoard();
        QVERIFY(board());
        // One group per provider, one row per environment; nothing checked yet.
        QCOMPARE(table()->topLevelItemCount(), 7);
        QCOMPARE(rowText(QStringLiteral("seismic"), 1), QStringLiteral("not checked yet"));

        auto* checkAll = m_app.window->findChild<QPushButton*>(QStringLiteral("healthCheckAll"));
        QSignalSpy done(board(), &HealthBoard::checksFinished);
        QTest::mouseClick(checkAll, Qt::LeftButton);
        QVERIFY(board()->isChecking());
        QVERIFY(m_app.window->findChild<QProgressBar*>(QStringLiteral("healthProgress"))->isVisible());
        QVERIFY(!checkAll->isEnabled());
        QVERIFY(done.wait(30000));

        QCOMPARE(rowText(QStringLiteral("seismic"), 1), QStringLiteral("pass"));
        QVERIFY(!rowText(QStringLiteral("seismic"), 2).isEmpty()); // last check time
        QVERIFY2(!rowText(QStringLiteral("seismic"), 3).isEmpty(), "the token's lifetime left");
        QCOMPARE(rowText(QStringLiteral("oauth2-client"), 1), QStringLiteral("pass"));
        // The sign-in provider needs a browser and has no stored sign-in: the board never opens one.
        QCOMPARE(rowText(QStringLiteral("oauth2-code"), 1), QStringLiteral("sign-in needed"));
        // A device sign-in waits for a person just the same: never started by the board.
        QCOMPARE(rowText(QStringLiteral("oauth2-device"), 1), QStringLiteral("sign-in needed"));
        QVERIFY(
            m_app.window->findChild<QLabel*>(QStringLiteral("healthStatus"))->text().contains(QStringLiteral("pass")));

        QWidget* shot = m_app.window.get();
        shot->grab().save(QStringLiteral("/tmp/team-health-board.png"));
    }

    void fitsA1024WindowWithoutScrollingSideways()
    {
        showBoard();
        m_app.window->resize(1024, 700);
        QTest::qWait(50);
        QHeaderView* header = table()->header();
        const int lastColumn = table()->columnCount() - 1;
        // Every column, the row's Check button included, is inside the table: nothing scrolls out of view.
        QTRY_VERIFY2(header->sectionViewportPosition(lastColumn) + header->sectionSize(lastColumn)
                         <= table()->viewport()->width(),
                     "the Check buttons scrolled out of a 1024 px window");
        QCOMPARE(table()->horizontalScrollBar()->maximum(), 0);
        // A name the column elides is whole in its tooltip; the time of a check made today is the clock only.
        QTreeWidgetItem* row = board()->rowOf(idOf(QStringLiteral("oauth2-device")));
        QVERIFY(row);
        QCOMPARE(row->toolTip(0), row->text(0));
        QVERIFY2(QTime::fromString(row->text(2), QStringLiteral("HH:mm:ss")).isValid(), qPrintable(row->text(2)));
        m_app.window->resize(1280, 800);
    }

    void aRowsCheckRechecksItAndAFailureShowsTheStepAndHint()
    {
        // Break Seismic's secret: its own Check now fails at the token step with the profile's hint.
        const QString id = idOf(QStringLiteral("seismic"));
        bool stored = false;
        m_app.secrets->write(SecretStore::keyFor(id, QStringLiteral("clientSecret")),
                             QStringLiteral("wrong-secret"),
                             [&](const SecretResult& r) { stored = r.ok(); });
        QTRY_VERIFY(stored);
        auto* button = m_app.window->findChild<QPushButton*>(QStringLiteral("healthCheck-")
                                                             + m_app.window->environmentService()->findById(id)->name);
        QVERIFY(button);
        QSignalSpy done(board(), &HealthBoard::checksFinished);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(done.wait(30000));
        QCOMPARE(rowText(QStringLiteral("seismic"), 1), QStringLiteral("fail"));
        QVERIFY2(rowText(QStringLiteral("seismic"), 5).contains(QStringLiteral("step token")),
                 qPrintable(rowText(QStringLiteral("seismic"), 5)));
        QVERIFY(rowText(QStringLiteral("seismic"), 3).isEmpty());

        // The failed row opens the walkthrough at the failing step.
        table()->setCurrentItem(board()->rowOf(id));
        QTest::mouseClick(m_app.window->findChild<QPushButton*>(QStringLiteral("healthOpen")), Qt::LeftButton);
        auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(m_app.window->walkthrough()));
        QCOMPARE(m_app.window->currentEnvironmentId(), id);
        auto* steps = m_app.window->walkthrough()->findChild<QListWidget*>();
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
        QTest::mouseClick(m_app.window->findChild<QPushButton*>(QStringLiteral("healthCancel")), Qt::LeftButton);
        QVERIFY(!board()->isChecking());
        QCOMPARE(done.count(), 1);
        QVERIFY(m_app.window->findChild<QLabel*>(QStringLiteral("healthStatus"))
                    ->text()
                    .startsWith(QStringLiteral("Cancelled")));
        QVERIFY(m_app.window->findChild<QPushButton*>(QStringLiteral("healthCheckAll"))->isEnabled());
    }

    void yesterdaysResultsShowOnStart()
    {
        QVERIFY(m_app.openWindow(QSize(1280, 800)));
        showBoard();
        QCOMPARE(rowText(QStringLiteral("oauth2-client"), 1), QStringLiteral("pass"));
        QCOMPARE(rowText(QStringLiteral("oauth2-code"), 1), QStringLiteral("sign-in needed"));
        // A device sign-in waits for a person just the same: never started by the board.
        QCOMPARE(rowText(QStringLiteral("oauth2-device"), 1), QStringLiteral("sign-in needed"));
        // Kept without a secret in it.
        QFile file(m_config.filePath(QStringLiteral("state/keyway/health.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray kept = file.readAll();
        QVERIFY(kept.contains("sign-in needed"));
        QVERIFY(!kept.contains("wrong-secret"));
        for (const QString& provider : {QStringLiteral("seismic"), QStringLiteral("oauth2-client")}) {
            const auto demo = m_app.sandbox->demoProvider(provider);
            for (const auto& [key, value] : demo->credentials) {
                if (key.contains(QLatin1String("ecret"))) {
                    QVERIFY2(!kept.contains(value.toUtf8()), kept.constData());
                }
            }
        }
    }

    // A browser sign-in's refresh token, stored three days ago: the board shows its age beside the token's
    // lifetime; a provider that rotates it on use makes the age start again.
    void refreshTokenAgeShowsForAStoredSignIn()
    {
        showBoard();
        const QString id = idOf(QStringLiteral("oauth2-code"));
        const auto demo = m_app.sandbox->demoProvider(QStringLiteral("oauth2-code"));
        const QString base = demo->baseUrl.toString();
        const QString verifier = QString(QLatin1Char('v')).repeated(50);
        const QString redirect = QStringLiteral("http://127.0.0.1:49152/callback");
        QUrl authorize(base + demo->credential(QStringLiteral("authorize_url")));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
        query.addQueryItem(QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id")));
        query.addQueryItem(QStringLiteral("redirect_uri"), redirect);
        query.addQueryItem(QStringLiteral("state"), QStringLiteral("age-test"));
        query.addQueryItem(QStringLiteral("scope"), demo->credential(QStringLiteral("scope")));
        query.addQueryItem(
            QStringLiteral("code_challenge"),
            QString::fromLatin1(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                                    .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
        query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
        authorize.setQuery(query);
        test::SandboxBrowser browser;
        const auto signedIn = browser.run(authorize);
        QVERIFY2(signedIn.ok(), qPrintable(signedIn.error));
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
        form.addQueryItem(QStringLiteral("code"), QUrlQuery(signedIn.finalUrl).queryItemValue(QStringLiteral("code")));
        form.addQueryItem(QStringLiteral("redirect_uri"), redirect);
        form.addQueryItem(QStringLiteral("code_verifier"), verifier);
        form.addQueryItem(QStringLiteral("client_id"), demo->credential(QStringLiteral("client_id")));
        form.addQueryItem(QStringLiteral("client_secret"), demo->credential(QStringLiteral("client_secret")));
        const auto token = test::httpExchange(browser.network(),
                                              "POST",
                                              QUrl(base + demo->credential(QStringLiteral("token_url"))),
                                              form.query(QUrl::FullyEncoded).toLatin1(),
                                              {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(token.status, 200);
        const QString refreshToken
            = QJsonDocument::fromJson(token.body).object().value(QStringLiteral("refresh_token")).toString();
        QVERIFY(!refreshToken.isEmpty());
        const QString key = SecretStore::refreshTokenKey(id, QString());
        m_app.secrets->setEntry(key, refreshToken);
        const qint64 threeDays = 3 * 86400 + 2 * 3600;
        QVERIFY(RefreshTokenAges().recordIssued(key, Clock::currentMSecsSinceEpoch() - threeDays * 1000));

        QSignalSpy done(board(), &HealthBoard::checksFinished);
        board()->check(id);
        QVERIFY(done.wait(30000));
        QCOMPARE(rowText(QStringLiteral("oauth2-code"), 1), QStringLiteral("pass"));
        QCOMPARE(table()->headerItem()->text(4), QStringLiteral("Refresh token age"));
        QCOMPARE(rowText(QStringLiteral("oauth2-code"), 4), QStringLiteral("3 d 2 h"));
        // Providers without a refresh token leave the column empty.
        QCOMPARE(rowText(QStringLiteral("oauth2-client"), 4), QString());
        QFile kept(m_config.filePath(QStringLiteral("state/keyway/health.json")));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QVERIFY(kept.readAll().contains("refresh_issued_at_ms"));
        // The ages file holds times, never the token.
        QFile ages(RefreshTokenAges::defaultFilePath());
        QVERIFY(ages.open(QIODevice::ReadOnly));
        QVERIFY(!ages.readAll().contains(refreshToken.toUtf8()));

        // A provider that rotates the refresh token on use: the new one was just issued.
        QVERIFY(m_app.sandbox->setFault(QStringLiteral("oauth2-code"), QStringLiteral("rotate_strict"), true));
        board()->check(id);
        QVERIFY(done.wait(30000));
        QVERIFY(m_app.sandbox->setFault(QStringLiteral("oauth2-code"), QStringLiteral("rotate_strict"), false));
        QCOMPARE(rowText(QStringLiteral("oauth2-code"), 1), QStringLiteral("pass"));
        QCOMPARE(rowText(QStringLiteral("oauth2-code"), 4), QStringLiteral("just issued"));
        QVERIFY(RefreshTokenAges().issuedAt(key) > Clock::currentMSecsSinceEpoch() - 60'000);
    }

    void cleanupTestCase() { m_app.stop(); }
};

QTEST_MAIN(TestHealthBoard)
#include "tst_health_board.moc"
