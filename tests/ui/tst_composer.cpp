// The request composer offscreen against the in-process sandbox: pick Seismic's "List BINs" sample,
// press Ctrl+Enter, and the inspector shows the BIN ids; Esc cancels a running request; the token
// header is shown masked; Idempotency-Key appears for endpoints that need one; copy-as-curl is
// redacted unless the user confirms the reveal; the history lists the call, survives a new workspace
// (a restart) and re-sends it.
#include "core/history/HistoryStore.h"
#include "core/http/Redactor.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/session/SessionRegistry.h"
#include "core/vault/Environment.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/common/Clipboard.h"
#include "ui/common/MessageBox.h"
#include "ui/composer/KeyValueTable.h"
#include "ui/composer/RequestComposer.h"
#include "ui/composer/RequestWorkspace.h"
#include "ui/history/HistoryView.h"
#include "ui/inspector/JsonTreeModel.h"
#include "ui/inspector/ResponseInspector.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace keyway;
using namespace keyway::ui;

namespace {

const QString kBin1 = QStringLiteral("3f2e1d0c-9b8a-4765-b432-10fedcba9876");
const QString kBin2 = QStringLiteral("8c7b6a59-4837-4261-9f5e-4d3c2b1a0f9e");

} // namespace

class TestComposer : public QObject
{
    Q_OBJECT
private:
    sandbox::SandboxServer m_sandbox;
    ProfileRegistry m_registry;
    test::MemorySecretStore m_secrets;
    QTemporaryDir m_dir;
    Environment m_environment;
    QString m_clientSecret;
    std::unique_ptr<EnvironmentService> m_environments;
    std::unique_ptr<SessionRegistry> m_sessions;

    std::unique_ptr<RequestWorkspace> workspace()
    {
        auto w = std::make_unique<RequestWorkspace>(m_dir.path() + QStringLiteral("/history"));
        w->setEnvironment(m_registry.find(QStringLiteral("seismic")), m_environment, QString(), m_sessions.get());
        w->resize(1280, 800);
        w->show();
        w->activateWindow();
        return w;
    }

    static QStringList binIdsShown(ResponseInspector* inspector)
    {
        JsonTreeModel* model = inspector->treeModel();
        QStringList ids;
        const QModelIndex data = model->findKey(QStringLiteral("data"));
        if (!data.isValid()) {
            return ids;
        }
        if (model->canFetchMore(data)) {
            model->fetchMore(data);
        }
        for (int row = 0; row < model->rowCount(data); ++row) {
            const QModelIndex bin = model->index(row, 0, data);
            if (model->canFetchMore(bin)) {
                model->fetchMore(bin);
            }
            const QModelIndex id = model->findKey(QStringLiteral("id"), bin);
            if (id.isValid()) {
                ids.append(model->valueText(id));
            }
        }
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sandbox.listen());
        m_registry.loadShipped();
        QVERIFY(m_registry.find(QStringLiteral("seismic")));
        const auto demo = m_sandbox.demoProvider(QStringLiteral("seismic"));
        QVERIFY(demo);
        m_environment = Environment::create(
            QStringLiteral("Seismic sandbox (composer test)"), QStringLiteral("seismic"), demo->baseUrl.toString());
        for (const auto& [key, value] : demo->credentials) {
            if (key == QLatin1String("clientSecret") || key == QLatin1String("webhookSecret")) {
                m_secrets.setEntry(SecretStore::keyFor(m_environment.id, key), value);
                if (key == QLatin1String("clientSecret")) {
                    m_clientSecret = value;
                }
            } else {
                m_environment.values.insert(key, value);
            }
        }
        QVERIFY(!m_clientSecret.isEmpty());
        m_environments = std::make_unique<EnvironmentService>(
            &m_registry, &m_secrets, m_dir.filePath(QStringLiteral("environments.json")));
        QVERIFY(m_environments->createAndWait(m_environment, {}).ok());
        m_sessions = std::make_unique<SessionRegistry>(m_environments.get());
    }

    void sampleSentWithCtrlEnterShowsTheBins()
    {
        auto w = workspace();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        RequestComposer* composer = w->composer();
        auto* samples = composer->findChild<QComboBox*>(QStringLiteral("composerSamples"));
        QVERIFY(samples);
        const int listBins = static_cast<int>(composer->sampleNames().indexOf(QStringLiteral("List BINs")));
        QVERIFY(listBins >= 0);
        samples->setCurrentIndex(listBins + 1);
        Q_EMIT samples->activated(listBins + 1);
        QCOMPARE(composer->currentRequest().method, QStringLiteral("GET"));
        QCOMPARE(composer->currentRequest().path, QStringLiteral("/v1/card/bins"));
        QCOMPARE(composer->resolvedUrl(), m_environment.baseUrl + QStringLiteral("/v1/card/bins"));
        QVERIFY(composer->idempotencyKey().isEmpty()); // a GET needs none

        // The token header: shown, masked, read-only.
        auto* headers = composer->findChild<KeyValueTable*>(QStringLiteral("composerHeaders"));
        QVERIFY(headers);
        QCOMPARE(headers->lockedRowCount(), 1);
        QCOMPARE(headers->item(0, 0)->text(), QStringLiteral("x-access-token"));
        QVERIFY(headers->item(0, 1)->text().contains(QStringLiteral("added at send")));
        QVERIFY(!(headers->item(0, 1)->flags() & Qt::ItemIsEditable));
        QVERIFY(headers->rows().isEmpty()); // the locked row is not sent as a user header

        auto* path = composer->findChild<QLineEdit*>(QStringLiteral("composerPath"));
        path->setFocus();
        QTest::keyClick(path, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(composer->isSending());
        QTRY_VERIFY_WITH_TIMEOUT(!composer->isSending(), 10000);
        QVERIFY2(composer->statusText().contains(QStringLiteral("200")), qPrintable(composer->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(w->inspector()->treeModel()->isLoaded(), 5000);
        QVERIFY(w->inspector()->statusText().startsWith(QStringLiteral("200")));
        const QStringList ids = binIdsShown(w->inspector());
        QVERIFY2(ids.contains(kBin1) && ids.contains(kBin2), qPrintable(ids.join(QLatin1Char(','))));

        // Recorded in history, which a new workspace (a restart) still shows.
        QTRY_COMPARE(w->history()->rowCount(), 1);
        if (qEnvironmentVariableIsSet("KEYWAY_SCREENSHOT_DIR")) { // docs/screenshots/composer.png
            w->inspector()->treeView()->expandToDepth(1);
            QTest::qWait(300);
            QVERIFY(w->grab().save(qEnvironmentVariable("KEYWAY_SCREENSHOT_DIR") + QStringLiteral("/composer.png")));
        }
        w.reset();
        auto again = workspace();
        QCOMPARE(again->history()->rowCount(), 1);
        const HistoryEntry entry = again->history()->entryAt(0);
        QCOMPARE(entry.method, QStringLiteral("GET"));
        QCOMPARE(entry.path, QStringLiteral("/v1/card/bins"));
        QCOMPARE(entry.status, 200);

        // The history file holds neither the client secret nor a token value.
        QFile file(again->historyStore()->filePath(m_environment.id));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(!written.contains(m_clientSecret.toUtf8()));
        QVERIFY(written.contains(Redactor::placeholder(QStringLiteral("access_token")).toUtf8()));
    }

    void historyOpensAndResends()
    {
        auto w = workspace();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        const int before = w->history()->rowCount();
        QVERIFY(before >= 1);
        QTest::keyClicks(w->history()->searchField(), QStringLiteral("bins 200"));
        QVERIFY(w->history()->rowCount() >= 1);
        QTest::keyClicks(w->history()->searchField(), QStringLiteral("-no-such-thing"));
        QCOMPARE(w->history()->rowCount(), 0);
        w->history()->searchField()->clear();

        w->composer()->loadRequest(ApiRequest()); // start from an empty composer
        w->history()->selectRow(0);
        QTRY_VERIFY(w->inspector()->statusText().startsWith(QStringLiteral("200"))); // the recorded reply
        auto* open = w->history()->findChild<QPushButton*>(QStringLiteral("historyOpen"));
        QTest::mouseClick(open, Qt::LeftButton);
        QCOMPARE(w->composer()->currentRequest().path, QStringLiteral("/v1/card/bins"));

        w->history()->selectRow(0);
        auto* resend = w->history()->findChild<QPushButton*>(QStringLiteral("historyResend"));
        QTest::mouseClick(resend, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w->composer()->isSending(), 10000);
        QTRY_COMPARE(w->history()->rowCount(), before + 1);
    }

    void escapeCancelsARunningRequest()
    {
        auto w = workspace();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        w->inspector()->clear();
        RequestComposer* composer = w->composer();
        composer->applySample(0);
        auto* path = composer->findChild<QLineEdit*>(QStringLiteral("composerPath"));
        path->setFocus();
        QSignalSpy finished(composer, &RequestComposer::finished);
        QTest::keyClick(path, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(composer->isSending());
        auto* cancel = composer->findChild<QPushButton*>(QStringLiteral("composerCancel"));
        QVERIFY(cancel->isEnabled());
        QTest::keyClick(path, Qt::Key_Escape);
        QVERIFY(!composer->isSending());
        QCOMPARE(composer->statusText(), QStringLiteral("Cancelled."));
        QTest::qWait(500); // the sandbox's reply comes and must not be shown
        QCOMPARE(finished.count(), 0);
        QVERIFY(w->inspector()->statusText().isEmpty()
                || !w->inspector()->statusText().startsWith(QStringLiteral("200")));
        // The composer is usable again.
        QTest::keyClick(path, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(finished.first().first().toBool(), true);
    }

    void idempotencyKeyForEndpointsThatNeedOne()
    {
        auto w = workspace();
        RequestComposer* composer = w->composer();
        const int create = static_cast<int>(composer->sampleNames().indexOf(QStringLiteral("Create a cardholder")));
        QVERIFY(create >= 0);
        composer->applySample(create);
        const ApiRequest request = composer->currentRequest();
        QCOMPARE(request.method, QStringLiteral("POST"));
        // {{defaultBinId}} filled from the environment's non-secret values.
        QVERIFY(request.body.contains(m_environment.values.value(QStringLiteral("defaultBinId")).toUtf8()));
        const QString key = composer->idempotencyKey();
        QCOMPARE(key.size(), 36);
        QCOMPARE(QString::fromLatin1(headerValue(request.headers, "Idempotency-Key")), key);
        auto* field = composer->findChild<QLineEdit*>(QStringLiteral("composerIdempotencyKey"));
        QVERIFY(field->isVisibleTo(composer));
        QCOMPARE(field->text(), key);
        auto* regenerate = composer->findChild<QWidget*>(QStringLiteral("composerRegenerateKey"));
        QTest::mouseClick(regenerate, Qt::LeftButton);
        QVERIFY(composer->idempotencyKey() != key);
        QCOMPARE(field->text(), composer->idempotencyKey());

        auto* method = composer->findChild<QComboBox*>(QStringLiteral("composerMethod"));
        method->setCurrentText(QStringLiteral("GET"));
        QVERIFY(composer->idempotencyKey().isEmpty());
        QVERIFY(!field->isVisibleTo(composer));
    }

    void copyAsCurlRedactsUnlessConfirmed()
    {
        auto w = workspace();
        RequestComposer* composer = w->composer();
        composer->applySample(0);
        QSignalSpy finished(composer, &RequestComposer::finished);
        composer->send();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const auto token = composer->session()->accessToken();
        QVERIFY(token && token->value.size() >= 8);

        const QString redacted = composer->curlCommand(false);
        QVERIFY(redacted.startsWith(QStringLiteral("curl ")));
        QVERIFY(redacted.contains(m_environment.baseUrl + QStringLiteral("/v1/card/bins")));
        QVERIFY(!redacted.contains(token->value));
        QVERIFY(!redacted.contains(m_clientSecret));
        QVERIFY(redacted.contains(QStringLiteral("x-access-token: ")
                                  + Redactor::placeholder(QStringLiteral("access_token"))));

        QApplication::clipboard()->setText(QStringLiteral("before"));
        auto* curl = composer->findChild<QWidget*>(QStringLiteral("composerCurl"));
        QTest::mouseClick(curl, Qt::LeftButton, {}, QPoint(8, curl->height() / 2));
        QCOMPARE(QApplication::clipboard()->text(), redacted);

        // "with secrets" asks first; refusing copies nothing.
        QApplication::clipboard()->setText(QStringLiteral("before"));
        MessageBox::setNextAnswer(QMessageBox::Cancel);
        composer->copyAsCurlWithSecrets();
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("access token")));
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("before"));

        MessageBox::setNextAnswer(QMessageBox::Yes);
        composer->copyAsCurlWithSecrets();
        const QString revealed = QApplication::clipboard()->text();
        QVERIFY(revealed.contains(QStringLiteral("x-access-token: ") + token->value));
        QVERIFY(Clipboard::instance()->clearPending()); // the secret copy clears itself
        QVERIFY(Clipboard::instance()->clearIfOurs());
    }
};

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
