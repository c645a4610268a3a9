// "Copy as curl" with canary secrets, for every shipped provider the sandbox emulates (each credential set):
// after a real call, every sample of the composer copied as curl names none of the environment's secrets,
// none of the tokens and codes the session captured, and no access token, unless the user asks for the
// reveal, which carries the live token and still no client secret. (The CLI's paths are tst_canaries'.)
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/session/Session.h"
#include "core/session/SessionRegistry.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/InProcessLog.h"
#include "tests/support/MemorySecretStore.h"
#include "tests/support/SandboxBrowser.h"
#include "ui/composer/RequestComposer.h"
#include "ui/composer/RequestWorkspace.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;
using namespace keyway::ui;

class TestCanariesCurl : public QObject
{
    Q_OBJECT
private:
    sandbox::SandboxServer m_sandbox;
    ProfileRegistry m_registry;
    test::MemorySecretStore m_secrets;
    QTemporaryDir m_dir;
    std::unique_ptr<EnvironmentService> m_environments;
    std::unique_ptr<SessionRegistry> m_sessions;
    test::SandboxBrowser m_browser;
    QMap<QString, Environment> m_byProvider;
    QMap<QString, QStringList> m_secretValues; // provider -> its demo secrets

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Everything Keyway logs in this process (the GUI's widgets, its session, the sandbox).
        test::InProcessLog::install();
        QVERIFY(m_sandbox.listen());
        m_registry.loadShipped();
        m_environments = std::make_unique<EnvironmentService>(
            &m_registry, &m_secrets, m_dir.filePath(QStringLiteral("environments.json")));
        m_sessions = std::make_unique<SessionRegistry>(m_environments.get());
        m_browser.setCredentials(sandbox::SandboxServer::demoUsername(), sandbox::SandboxServer::demoPassword());
        const auto open = m_browser.opener(true);
        m_sessions->setUrlOpener([open](const QUrl& url) {
            open(url);
            return true;
        });
        for (const sandbox::DemoProvider& demo : m_sandbox.demoProviders()) {
            const ProviderProfile* profile = m_registry.find(demo.providerId);
            QVERIFY(profile);
            Environment environment = Environment::create(
                QStringLiteral("Canary %1").arg(demo.providerId), demo.providerId, demo.baseUrl.toString());
            QMap<QString, QString> secrets;
            for (const auto& [key, value] : demo.credentials) {
                const CredentialField* field = profile->field(key);
                if (field && field->secret) {
                    secrets.insert(key, value);
                    m_secretValues[demo.providerId].append(value);
                } else {
                    environment.values.insert(key, value);
                }
            }
            QVERIFY(m_environments->createAndWait(environment, secrets).ok());
            m_byProvider.insert(demo.providerId, environment);
        }
    }

    void everySampleCopiedAsCurlStaysRedacted_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("credentialSet");
        QTest::newRow("seismic") << "seismic" << QString();
        QTest::newRow("banking") << "banking" << QString();
        QTest::newRow("ecard") << "ecard" << QString();
        QTest::newRow("astrada api") << "astrada"
                                     << "api";
        QTest::newRow("oauth2-client") << "oauth2-client" << QString();
        QTest::newRow("oauth2-code") << "oauth2-code" << QString();
    }

    void everySampleCopiedAsCurlStaysRedacted()
    {
        QFETCH(QString, provider);
        QFETCH(QString, credentialSet);
        const ProviderProfile* profile = m_registry.find(provider);
        QVERIFY(!profile->samples.isEmpty());
        RequestWorkspace workspace(m_dir.filePath(QStringLiteral("history")));
        workspace.setEnvironment(profile, m_byProvider.value(provider), credentialSet, m_sessions.get());
        workspace.resize(1024, 700);
        workspace.show();
        RequestComposer* composer = workspace.composer();

        // A real call first, so the session holds a token (and a refresh token, codes) to leak.
        composer->applySample(0);
        QSignalSpy finished(composer, &RequestComposer::finished);
        composer->send();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QVERIFY(composer->session());
        const auto token = composer->session()->accessToken();
        QVERIFY2(token && token->value.size() >= 8, qPrintable(composer->statusText()));

        QStringList canaries = m_secretValues.value(provider);
        for (const CapturedValue& value : composer->session()->values()) {
            if (value.secret && value.value.size() >= 8) {
                canaries.append(value.value);
            }
        }
        QVERIFY(canaries.contains(token->value));
        QVERIFY(canaries.size() >= 2);

        for (int i = 0; i < profile->samples.size(); ++i) {
            composer->applySample(i);
            const QString command = composer->curlCommand(false);
            QVERIFY2(command.startsWith(QStringLiteral("curl ")), qPrintable(command));
            for (const QString& canary : std::as_const(canaries)) {
                QVERIFY2(!command.contains(canary),
                         qPrintable(QStringLiteral("sample %1 leaks a secret: %2").arg(i).arg(command.left(200))));
            }
        }
        // Revealed only on request: the live token, and still none of the environment's own secrets.
        composer->applySample(0);
        const QString revealed = composer->curlCommand(true);
        QVERIFY2(revealed.contains(token->value), qPrintable(revealed.left(200)));
        for (const QString& secret : m_secretValues.value(provider)) {
            QVERIFY(!revealed.contains(secret));
        }
        // Nor in anything logged meanwhile (the session, the executor, the widgets at debug level).
        QVERIFY(test::InProcessLog::text().contains("keyway.core.http: "));
        for (const QString& canary : std::as_const(canaries)) {
            QVERIFY2(!test::InProcessLog::text().contains(canary.toUtf8()), "a secret reached the log");
        }
    }
};

QTEST_MAIN(TestCanariesCurl)
#include "tst_canaries_curl.moc"
