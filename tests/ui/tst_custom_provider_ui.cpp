// The GUI face of a provider nobody has seen (tests/data/providers/acme-ledger.json, copied into the
// user's config directory, served by a QHttpServer in this process): the environment list shows it, the
// walkthrough runs its flow, the inspector's envelope summary reads its envelope, and the webhook page
// verifies its signature. No line of shipped code names it.
#include "core/vault/EnvironmentStore.h"
#include "tests/support/AcmeLedgerServer.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/checks/WebhookPage.h"
#include "ui/environments/EnvironmentListModel.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/inspector/ResponseInspector.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace keyway;
using keyway::test::AcmeLedgerServer;
using keyway::ui::MainWindow;

class TestCustomProviderUi : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_config;
    AcmeLedgerServer m_server;
    test::MemorySecretStore m_secrets;
    std::unique_ptr<MainWindow> m_window;
    QString m_environmentId;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-custom-provider"));
        QCoreApplication::setApplicationName(QStringLiteral("keyway-test-custom-provider"));
        QSettings().clear();
        QVERIFY(AcmeLedgerServer::installProfile());
        QVERIFY(m_server.listen());

        EnvironmentStore store;
        QString error;
        QVERIFY2(store.load(&error), qPrintable(error));
        Environment environment = Environment::create(
            QStringLiteral("Acme staging"), QStringLiteral("acme-ledger"), m_server.baseUrl().toString());
        environment.values.insert(QStringLiteral("account"), QLatin1String(AcmeLedgerServer::Account));
        QVERIFY2(store.add(environment, &error), qPrintable(error));
        QVERIFY2(store.save(&error), qPrintable(error));
        m_environmentId = environment.id;
        m_secrets.setEntry(SecretStore::keyFor(environment.id, QStringLiteral("api_key")),
                           QLatin1String(AcmeLedgerServer::ApiKey));
        m_secrets.setEntry(SecretStore::keyFor(environment.id, QStringLiteral("signing_key")),
                           QLatin1String(AcmeLedgerServer::SigningKey));

        ui::MainWindowOptions options;
        options.secretStore = &m_secrets;
        m_window = std::make_unique<MainWindow>(options);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() { m_window.reset(); }

    void environmentListShowsTheProvider()
    {
        QVERIFY(m_window->profiles().find(QStringLiteral("acme-ledger")));
        auto* model = m_window->environmentModel();
        const QModelIndex index = model->indexOfEnvironment(m_environmentId);
        QVERIFY(index.isValid());
        QCOMPARE(index.data().toString(), QStringLiteral("Acme staging"));
        QCOMPARE(index.parent().data().toString(), QStringLiteral("Acme Ledger")); // grouped under its name
        QTRY_COMPARE(model->state(m_environmentId), ui::EnvironmentListModel::KeychainState::AllSet);
        m_window->selectEnvironment(m_environmentId);
        QCOMPARE(m_window->currentEnvironmentId(), m_environmentId);
    }

    void walkthroughRunsItsFlow()
    {
        auto* walkthrough = m_window->walkthrough();
        QSignalSpy finished(walkthrough, &ui::FlowWalkthrough::finished);
        walkthrough->findChild<QPushButton*>(QStringLiteral("runAllButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(walkthrough->stepState(0), ui::FlowWalkthrough::StepState::Succeeded);
        QCOMPARE(m_server.issuedSessions().size(), 1);
        auto* request = walkthrough->findChild<QPlainTextEdit*>(QStringLiteral("requestView"));
        QVERIFY2(request->toPlainText().contains(QStringLiteral("/acme/session")), qPrintable(request->toPlainText()));
        QVERIFY(!request->toPlainText().contains(QLatin1String(AcmeLedgerServer::ApiKey)));
        bool captured = false;
        for (const FlowEvent& event : m_window->timelineEvents()) {
            captured = captured || (event.type == FlowEvent::Type::Captured && event.name == QLatin1String("session"));
        }
        QVERIFY(captured);
    }

    void inspectorReadsItsEnvelope()
    {
        auto* path = m_window->findChild<QLineEdit*>(QStringLiteral("composerPath"));
        auto* send = m_window->findChild<QPushButton*>(QStringLiteral("composerSend"));
        auto* inspector = m_window->findChild<ui::ResponseInspector*>();
        QVERIFY(path && send && inspector);

        QSignalSpy shown(inspector, &ui::ResponseInspector::replyShown);
        path->setText(QStringLiteral("/acme/balance"));
        send->click();
        QTRY_VERIFY_WITH_TIMEOUT(shown.size() >= 1, 10000);
        // HTTP 200, yet the envelope says the ledger refused: flagged, in the provider's words.
        const QString envelope = inspector->envelopeText();
        QVERIFY2(envelope.contains(QStringLiteral("⚠")), qPrintable(envelope));
        QVERIFY2(envelope.contains(QStringLiteral("ledger frozen for audit")), qPrintable(envelope));
        // The token went in the profile's header, raw.
        QVERIFY(m_server.issuedSessions().contains(m_server.receivedTokens().last()));
        QVERIFY(m_server.receivedAuthorization().last().isEmpty());

        shown.clear();
        path->setText(QStringLiteral("/acme/whoami"));
        send->click();
        QTRY_VERIFY_WITH_TIMEOUT(shown.size() >= 1, 10000);
        QVERIFY2(!inspector->envelopeText().contains(QStringLiteral("⚠")), qPrintable(inspector->envelopeText()));
        QVERIFY2(inspector->envelopeText().contains(QStringLiteral("true")), qPrintable(inspector->envelopeText()));
    }

    void webhookPageVerifiesItsSignature()
    {
        auto* page = m_window->findChild<ui::WebhookPage*>();
        QVERIFY(page);
        auto* body = page->findChild<QPlainTextEdit*>(QStringLiteral("webhookBody"));
        auto* signature = page->findChild<QLineEdit*>(QStringLiteral("webhookSignature"));
        auto* verify = page->findChild<QPushButton*>(QStringLiteral("webhookVerifyButton"));
        auto* verdict = page->findChild<QLabel*>(QStringLiteral("webhookVerdictLabel"));
        QVERIFY(body && signature && verify && verdict);
        QVERIFY(signature->placeholderText().contains(QStringLiteral("X-Acme-Signature")));

        const QByteArray payload = R"({"event":"ledger.posted","amount":"12.00"})";
        body->setPlainText(QString::fromUtf8(payload));
        signature->setText(QString::fromLatin1(AcmeLedgerServer::signatureHeader(payload)));
        QSignalSpy verified(page, &ui::WebhookPage::verified);
        QTRY_VERIFY(verify->isEnabled());
        verify->click();
        QTRY_COMPARE(verified.size(), 1);
        QVERIFY2(verified.first().first().toBool(), qPrintable(verdict->text()));
        QVERIFY(verdict->text().startsWith(QStringLiteral("Valid")));

        body->setPlainText(QStringLiteral(R"({"event":"ledger.posted","amount":"99.00"})"));
        verify->click();
        QTRY_COMPARE(verified.size(), 2);
        QVERIFY(!verified.last().first().toBool());
        QVERIFY(!verdict->text().contains(QLatin1String(AcmeLedgerServer::SigningKey)));
    }
};

QTEST_MAIN(TestCustomProviderUi)
#include "tst_custom_provider_ui.moc"
