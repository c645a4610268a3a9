// SessionRegistry: one session per environment and credential set, built from the EnvironmentService the
// way keyway-cli builds it, over real loopback HTTP against the sandbox.
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/session/SessionRegistry.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/MemorySecretStore.h"
#include "tests/support/SandboxBrowser.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace keyway;

class TestSessionRegistry : public QObject
{
    Q_OBJECT

private:
    sandbox::SandboxServer m_sandbox;
    ProfileRegistry m_profiles;
    QTemporaryDir m_dir;
    test::SandboxBrowser m_browser;
    int m_browserOpened = 0;

    Environment sandboxEnvironment(EnvironmentService& service, const QString& providerId, const QString& name)
    {
        const auto demo = m_sandbox.demoProvider(providerId);
        const ProviderProfile* profile = m_profiles.find(providerId);
        Environment environment = Environment::create(name, providerId, demo->baseUrl.toString());
        QMap<QString, QString> secrets;
        for (const auto& [key, value] : demo->credentials) {
            const CredentialField* field = profile->field(key);
            if (field && field->secret) {
                secrets.insert(key, value);
            } else {
                environment.values.insert(key, value);
            }
        }
        const EnvironmentChange change = service.createAndWait(environment, secrets);
        return change.ok() ? environment : Environment();
    }

    std::unique_ptr<SessionRegistry> registry(EnvironmentService& service)
    {
        auto sessions = std::make_unique<SessionRegistry>(&service);
        sessions->setUrlOpener([this](const QUrl& url) {
            ++m_browserOpened;
            m_browser.opener(true)(url);
            return true;
        });
        return sessions;
    }

    static Session* acquireAndWait(SessionRegistry& sessions, const QString& id, const QString& set, QString* error)
    {
        Session* out = nullptr;
        bool done = false;
        QObject context;
        sessions.acquire(id, set, &context, [&](Session* session, const QString& e) {
            out = session;
            *error = e;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000)) {
            *error = QStringLiteral("no answer");
        }
        return out;
    }

    static FlowResult tokenOf(Session& session)
    {
        FlowResult result;
        bool done = false;
        session.ensureToken([&](const FlowResult& r) {
            result = r;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 15000)) {
            result.outcome = FlowResult::Outcome::Timeout;
            result.detail = QStringLiteral("no answer");
        }
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_sandbox.listen());
        m_profiles.loadShipped();
    }
    void init() { m_browserOpened = 0; }

    void everyCallerGetsTheSameSessionAndItsEvents()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, m_dir.filePath(QStringLiteral("same.json")));
        const Environment env = sandboxEnvironment(service, QStringLiteral("seismic"), QStringLiteral("seismic"));
        QVERIFY(!env.id.isEmpty());
        auto sessions = registry(service);
        QSignalSpy events(sessions.get(), &SessionRegistry::event);
        QString error;
        Session* first = acquireAndWait(*sessions, env.id, QString(), &error);
        Session* second = acquireAndWait(*sessions, env.id, QString(), &error);
        QVERIFY2(first, qPrintable(error));
        QCOMPARE(first, second);
        QVERIFY(tokenOf(*first).ok());
        bool captured = false;
        for (const QList<QVariant>& args : std::as_const(events)) {
            QCOMPARE(args.at(0).toString(), env.id);
            const auto e = args.at(2).value<FlowEvent>();
            captured = captured || (e.type == FlowEvent::Type::Captured && e.name == QLatin1String("access_token"));
        }
        QVERIFY(captured);
        // Only the secrets the flow sends were read (not the webhook secret).
        QVERIFY(secrets.reads() <= 1);
    }

    void aStoredRefreshTokenSignsInWithoutTheBrowserAfterARestart()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, m_dir.filePath(QStringLiteral("refresh.json")));
        const Environment env = sandboxEnvironment(service, QStringLiteral("oauth2-code"), QStringLiteral("code"));
        QVERIFY(!env.id.isEmpty());
        {
            auto sessions = registry(service);
            QString error;
            Session* session = acquireAndWait(*sessions, env.id, QString(), &error);
            QVERIFY2(session, qPrintable(error));
            const FlowResult result = tokenOf(*session);
            QVERIFY2(result.ok(), qPrintable(result.oneLine()));
            QCOMPARE(m_browserOpened, 1);
        }
        const QString refreshKey = SecretStore::refreshTokenKey(env.id, QString());
        QTRY_VERIFY(!secrets.entries().value(refreshKey).isEmpty()); // kept in the keychain, nowhere else

        // A new start of the app: no token in memory, but the refresh token signs in without a browser.
        auto restarted = registry(service);
        QString error;
        Session* session = acquireAndWait(*restarted, env.id, QString(), &error);
        QVERIFY(session);
        const FlowResult result = tokenOf(*session);
        QVERIFY2(result.ok(), qPrintable(result.oneLine()));
        QCOMPARE(m_browserOpened, 1);
    }

    void changedCredentialsRetireTheSession()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, m_dir.filePath(QStringLiteral("retire.json")));
        const Environment env = sandboxEnvironment(service, QStringLiteral("banking"), QStringLiteral("bank"));
        auto sessions = registry(service);
        QString error;
        QVERIFY(acquireAndWait(*sessions, env.id, QString(), &error));
        QVERIFY(sessions->find(env.id, QString()));

        Environment renamed = env;
        renamed.name = QStringLiteral("bank renamed");
        QVERIFY(service.updateAndWait(renamed, {}, {}).ok());
        QVERIFY(sessions->find(env.id, QString())); // a rename keeps the sign-in

        QVERIFY(service.updateAndWait(renamed, {{QStringLiteral("client_secret"), QStringLiteral("other")}}, {}).ok());
        QVERIFY(!sessions->find(env.id, QString())); // new credentials, new session
    }

    void aLockedKeychainIsSaidAndNothingIsCreated()
    {
        test::MemorySecretStore secrets;
        EnvironmentService service(&m_profiles, &secrets, m_dir.filePath(QStringLiteral("locked.json")));
        const Environment env = sandboxEnvironment(service, QStringLiteral("banking"), QStringLiteral("bank"));
        auto sessions = registry(service);
        secrets.setFailure(SecretStatus::Locked);
        QString error;
        QVERIFY(!acquireAndWait(*sessions, env.id, QString(), &error));
        QVERIFY2(error.contains(QStringLiteral("locked")), qPrintable(error));
        QVERIFY(!sessions->find(env.id, QString()));
        secrets.setFailure(SecretStatus::Ok); // unlocked: the next use works
        QVERIFY(acquireAndWait(*sessions, env.id, QString(), &error));
    }
};

QTEST_MAIN(TestSessionRegistry)
#include "tst_session_registry.moc"
