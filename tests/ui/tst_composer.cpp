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
#include <QPlainTextEdit>
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

    // A token the user fetches by hand is as secret as one a flow captured: the history file keeps the
    // exchange but never the token, neither in the reply nor anywhere else.
    void tokenFetchedInTheComposerNeverReachesHistory()
    {
        const ProviderProfile* profile = m_registry.find(QStringLiteral("oauth2-client"));
        QVERIFY(profile);
        const auto demo = m_sandbox.demoProvider(QStringLiteral("oauth2-client"));
        QVERIFY(demo);
        Environment env = Environment::create(
            QStringLiteral("OAuth client (history test)"), QStringLiteral("oauth2-client"), demo->baseUrl.toString());
        QString clientSecret;
        for (const auto& [key, value] : demo->credentials) {
            if (key == QLatin1String("client_secret")) {
                clientSecret = value;
            } else {
                env.values.insert(key, value);
            }
        }
        QVERIFY(!clientSecret.isEmpty());
        QVERIFY(m_environments->createAndWait(env, {{QStringLiteral("client_secret"), clientSecret}}).ok());
        RequestWorkspace w(m_dir.path() + QStringLiteral("/history-oauth"));
        w.setEnvironment(profile, env, QString(), m_sessions.get());
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        ApiRequest request;
        request.method = QStringLiteral("POST");
        request.path = env.values.value(QStringLiteral("token_url"));
        request.headers.append(
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/x-www-form-urlencoded")});
        request.body = "grant_type=client_credentials&client_id="
            + env.values.value(QStringLiteral("client_id")).toUtf8() + "&client_secret=" + clientSecret.toUtf8();
        w.composer()->loadRequest(request);
        QSignalSpy finished(w.composer(), &RequestComposer::finished);
        w.composer()->send();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(w.inspector()->treeModel()->isLoaded(), 5000);
        const QModelIndex tokenIndex = w.inspector()->treeModel()->findKey(QStringLiteral("access_token"));
        QVERIFY(tokenIndex.isValid());
        const QString token = w.inspector()->treeModel()->valueText(tokenIndex);
        QVERIFY2(token.size() >= 16, qPrintable(token)); // the user sees the token they asked for
        const auto sessionToken = w.composer()->session()->accessToken();
        QVERIFY(!sessionToken || sessionToken->value != token); // not a value the session already knew

        QTRY_COMPARE(w.history()->rowCount(), 1);
        QFile file(w.historyStore()->filePath(env.id));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(written.contains("oauth/token"));
        QVERIFY2(!written.contains(token.toUtf8()), written.constData());
        QVERIFY(!sessionToken || !written.contains(sessionToken->value.toUtf8()));
        QVERIFY(!written.contains(clientSecret.toUtf8()));
        QVERIFY(written.contains(Redactor::placeholder(QStringLiteral("access_token")).toUtf8()));
        // The history view shows the redacted reply too.
        w.history()->selectRow(0);
        QTRY_VERIFY(w.inspector()->statusText().startsWith(QStringLiteral("200")));
    }

    // Each environment keeps its own draft; a body on a GET is flagged; an unfilled {{placeholder}} stops
    // the send; a replayed idempotent request says so and offers a new key.
    void draftsPerEnvironmentAndSendingChecks()
    {
        auto w = workspace();
        RequestComposer* composer = w->composer();
        auto* method = composer->findChild<QComboBox*>(QStringLiteral("composerMethod"));
        auto* path = composer->findChild<QLineEdit*>(QStringLiteral("composerPath"));
        auto* body = composer->findChild<QPlainTextEdit*>(QStringLiteral("composerBody"));
        QVERIFY(method && path && body);

        path->setText(QStringLiteral("/v1/card/bins/draft-of-seismic"));
        body->setPlainText(QStringLiteral("{\"q\":1}"));
        // A GET with a body: warned, and curl reproduces exactly that (curl alone would POST it).
        QVERIFY2(composer->bodyWarningText().contains(QStringLiteral("GET")), qPrintable(composer->bodyWarningText()));
        QVERIFY(composer->curlCommand(false).startsWith(QStringLiteral("curl -X GET ")));
        method->setCurrentText(QStringLiteral("POST"));
        QVERIFY(composer->bodyWarningText().isEmpty());
        method->setCurrentText(QStringLiteral("GET"));

        // Another environment of the same provider: its own draft, starting from the check request.
        const ProviderProfile* profile = m_registry.find(QStringLiteral("seismic"));
        Environment other = m_environment;
        other.id = QStringLiteral("other-environment-id");
        other.name = QStringLiteral("Seismic other");
        w->setEnvironment(profile, other, QString(), m_sessions.get());
        QCOMPARE(composer->currentRequest().path, profile->check->path);
        QCOMPARE(composer->currentRequest().method, profile->check->method);
        QVERIFY(composer->currentRequest().body.isEmpty());
        path->setText(QStringLiteral("/v1/other"));
        // Back: the first environment's draft, exactly as left.
        w->setEnvironment(profile, m_environment, QString(), m_sessions.get());
        QCOMPARE(composer->currentRequest().path, QStringLiteral("/v1/card/bins/draft-of-seismic"));
        QCOMPARE(composer->currentRequest().body, QByteArray("{\"q\":1}"));
        w->setEnvironment(profile, other, QString(), m_sessions.get());
        QCOMPARE(composer->currentRequest().path, QStringLiteral("/v1/other"));
        w->setEnvironment(profile, m_environment, QString(), m_sessions.get());

        // An empty placeholder is caught before anything is sent.
        path->setText(QStringLiteral("/v1/cardholders/{{cardholderId}}"));
        body->clear();
        QSignalSpy sending(composer, &RequestComposer::sendingChanged);
        composer->send();
        QCOMPARE(sending.count(), 0);
        QVERIFY2(composer->statusText().contains(QStringLiteral("{{cardholderId}}")),
                 qPrintable(composer->statusText()));

        // The same idempotent request twice: the second reply is the provider's replay, and the composer says so.
        const int create = static_cast<int>(composer->sampleNames().indexOf(QStringLiteral("Create a cardholder")));
        QVERIFY(create >= 0);
        composer->applySample(create);
        const QString key = composer->idempotencyKey();
        QSignalSpy finished(composer, &RequestComposer::finished);
        composer->send();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QVERIFY(!composer->lastReplyWasReplayed());
        auto* newKey = composer->findChild<QPushButton*>(QStringLiteral("composerNewKey"));
        QVERIFY(newKey && !newKey->isVisibleTo(composer));
        composer->send();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
        QVERIFY(composer->lastReplyWasReplayed());
        QVERIFY2(composer->statusText().contains(QStringLiteral("replay")), qPrintable(composer->statusText()));
        QVERIFY(composer->statusText().contains(key));
        QVERIFY(newKey->isVisibleTo(composer));
        QTest::mouseClick(newKey, Qt::LeftButton);
        QVERIFY(composer->idempotencyKey() != key);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 10000);
        QVERIFY(!composer->lastReplyWasReplayed());
        QVERIFY(!newKey->isVisibleTo(composer));
    }

    // When getting the token fails, the inspector shows the token endpoint's reply, not an empty one.
    void failedRenewalShowsTheTokenReply()
    {
        auto w = workspace();
        RequestComposer* composer = w->composer();
        composer->applySample(0);
        m_sessions->forget(m_environment.id); // the shared session's token would spare the token request
        QVERIFY(m_sandbox.setFault(QStringLiteral("seismic"), QStringLiteral("deny"), true));
        QSignalSpy finished(composer, &RequestComposer::finished);
        composer->send();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QVERIFY(m_sandbox.setFault(QStringLiteral("seismic"), QStringLiteral("deny"), false));
        QCOMPARE(finished.first().first().toBool(), false);
        const QString status = w->inspector()->statusText();
        QVERIFY2(status.startsWith(QStringLiteral("200")), qPrintable(status)); // Seismic refuses with HTTP 200
        QTRY_VERIFY2(w->inspector()->envelopeText().contains(QStringLiteral("40399")),
                     qPrintable(w->inspector()->envelopeText()));
        // At the token step 40399 means wrong credentials, and the status line says so.
        QVERIFY2(composer->statusText().contains(QStringLiteral("clientSecret")), qPrintable(composer->statusText()));
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
        QTest::keyClicks(w->history()->searchField(), QStringLiteral("bins 200"));
        w->history()->selectRow(0);
        QTRY_VERIFY(w->inspector()->statusText().startsWith(QStringLiteral("200"))); // the recorded reply
        // Filtered out by the search, the recorded reply leaves the inspector too.
        QTest::keyClicks(w->history()->searchField(), QStringLiteral("zzz-no-match"));
        QCOMPARE(w->history()->rowCount(), 0);
        QCOMPARE(w->inspector()->statusText(), QStringLiteral("No reply yet"));
        w->history()->searchField()->clear();
        QTest::keyClicks(w->history()->searchField(), QStringLiteral("bins 200"));
        w->history()->selectRow(0);
        QTRY_VERIFY(w->inspector()->statusText().startsWith(QStringLiteral("200")));
        auto* open = w->history()->findChild<QPushButton*>(QStringLiteral("historyOpen"));
        QTest::mouseClick(open, Qt::LeftButton);
        QCOMPARE(w->composer()->currentRequest().path, QStringLiteral("/v1/card/bins"));

        w->history()->selectRow(0);
        auto* resend = w->history()->findChild<QPushButton*>(QStringLiteral("historyResend"));
        QTest::mouseClick(resend, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w->composer()->isSending(), 10000);
        w->history()->searchField()->clear();
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
        // The same request the session sent (Session::apiHttpRequest builds both): its Accept header too.
        QVERIFY2(redacted.contains(QStringLiteral("-H 'Accept: application/json'")), qPrintable(redacted));

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
