// conform against the sandbox's Seam-style provider: with each misbehaviour switched on, exactly the
// check that names it fails (plus the ones that cannot run without what it broke).
#include "core/checks/ConformanceRun.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "tests/support/SandboxBrowser.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace keyway;

class TestConform : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_registry.loadShipped();
        QVERIFY(m_registry.find(QStringLiteral("oauth2-code")));
    }

    void faults_data()
    {
        QTest::addColumn<QStringList>("faults");
        QTest::addColumn<QStringList>("failing");
        QTest::newRow("well-behaved provider") << QStringList {} << QStringList {};
        QTest::newRow("state altered") << QStringList {"alter_state"}
                                       << QStringList {"state",
                                                       "exchange",
                                                       "user_id_stable",
                                                       "refresh_keeps_old_token",
                                                       "concurrent_refresh",
                                                       "refresh_reusable"};
        QTest::newRow("refresh revokes old tokens")
            << QStringList {"revoke_on_refresh"} << QStringList {"refresh_keeps_old_token"};
        QTest::newRow("strict rotation") << QStringList {"rotate_strict"} << QStringList {"concurrent_refresh"};
        QTest::newRow("single-use refresh tokens")
            << QStringList {"refresh_single_use"} << QStringList {"concurrent_refresh", "refresh_reusable"};
        QTest::newRow("unstable user_id") << QStringList {"unstable_user_id"} << QStringList {"user_id_stable"};
        QTest::newRow("missing user_id") << QStringList {"missing_user_id"}
                                         << QStringList {"exchange", "user_id_stable"};
        QTest::newRow("prompt=login ignored") << QStringList {"ignore_prompt_login"} << QStringList {"prompt_login"};
    }

    void faults()
    {
        QFETCH(QStringList, faults);
        QFETCH(QStringList, failing);

        sandbox::SandboxServer server;
        QVERIFY(server.listen());
        for (const QString& fault : faults) {
            QVERIFY2(server.setFault(QStringLiteral("oauth2-code"), fault, true), qPrintable(fault));
        }
        const auto demo = server.demoProvider(QStringLiteral("oauth2-code"));
        QVERIFY(demo.has_value());

        test::SandboxBrowser browser;
        ConformanceRun::Options options;
        options.flow.baseUrl = demo->baseUrl.toString();
        for (const auto& [key, value] : demo->credentials) {
            options.flow.credentials.insert(key, value);
        }
        // The probe is the profile's check request, resolved with the environment's own keys.
        const auto probe = ConformanceRun::probeFor(*m_registry.find(QStringLiteral("oauth2-code")), options.flow);
        QCOMPARE(probe.path, QStringLiteral("/api/me"));
        options.flow.browserTimeoutMs = 5000;
        options.flow.openUrl = [&browser](const QUrl& url) {
            browser.opener(true)(url);
            return true;
        };

        if (faults.contains(QLatin1String("ignore_prompt_login"))) {
            // The user signed in to the provider earlier; a conforming server still asks again.
            QUrl authorize(options.flow.baseUrl + options.flow.credentials.value(QStringLiteral("authorize_url")));
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
            query.addQueryItem(QStringLiteral("client_id"),
                               options.flow.credentials.value(QStringLiteral("client_id")));
            query.addQueryItem(QStringLiteral("redirect_uri"), QStringLiteral("http://127.0.0.1:9/callback"));
            query.addQueryItem(QStringLiteral("state"), QStringLiteral("earlier-sign-in"));
            authorize.setQuery(query);
            test::SandboxBrowser earlier;
            QVERIFY(earlier.run(authorize, false).sawLoginPage);
        }

        ConformanceRun run(*m_registry.find(QStringLiteral("oauth2-code")), options);
        QSignalSpy finished(&run, &ConformanceRun::finished);
        QSignalSpy warnings(&run, &ConformanceRun::warning);
        QList<ConformanceRun::Check> checks;
        connect(&run, &ConformanceRun::checkFinished, this, [&checks](const ConformanceRun::Check& c) {
            checks.append(c);
        });
        QStringList eventText;
        connect(&run, &ConformanceRun::event, this, [&eventText](const FlowEvent& e) {
            eventText.append(QString::fromStdString(e.toJson().dump()));
        });
        run.start();
        QVERIFY(finished.wait(60000));

        QStringList names;
        QStringList failed;
        QString report;
        for (const auto& c : std::as_const(checks)) {
            names.append(c.name);
            if (!c.pass) {
                failed.append(c.name);
            }
            report += QStringLiteral("%1 %2: %3\n")
                          .arg(c.pass ? QStringLiteral("PASS") : QStringLiteral("FAIL"), c.name, c.detail);
            QVERIFY2(!c.detail.isEmpty(), qPrintable(c.name));
        }
        QCOMPARE(names, ConformanceRun::checkNames());
        failed.sort();
        failing.sort();
        QVERIFY2(failed == failing, qPrintable(report));
        QCOMPARE(finished.first().first().toBool(), failing.isEmpty());
        if (!faults.contains(QLatin1String("alter_state"))) {
            QCOMPARE(warnings.size(), 1); // warned before concurrent_refresh
        }

        // Nothing secret in the events: the client secret never appears.
        const QString secret = options.flow.credentials.value(QStringLiteral("client_secret"));
        QVERIFY(!secret.isEmpty());
        QVERIFY(!eventText.join(QLatin1Char('\n')).contains(secret));
        QVERIFY(!report.contains(secret));
    }

    // With a revocation endpoint, conform adds the "revocation" check under its own name after the seven: the
    // revoked refresh token must no longer refresh.
    void revocationCheckWhenTheEnvironmentHasAnEndpoint()
    {
        sandbox::SandboxServer server;
        QVERIFY(server.listen());
        const auto demo = server.demoProvider(QStringLiteral("oauth2-code"));
        test::SandboxBrowser browser;
        ConformanceRun::Options options;
        options.flow.baseUrl = demo->baseUrl.toString();
        for (const auto& [key, value] : demo->credentials) {
            options.flow.credentials.insert(key, value);
        }
        options.flow.credentials.insert(QStringLiteral("revocation_url"), QStringLiteral("/revoke"));
        options.flow.browserTimeoutMs = 5000;
        options.flow.openUrl = [&browser](const QUrl& url) {
            browser.opener(true)(url);
            return true;
        };
        ConformanceRun run(*m_registry.find(QStringLiteral("oauth2-code")), options);
        QSignalSpy finished(&run, &ConformanceRun::finished);
        QList<ConformanceRun::Check> checks;
        connect(&run, &ConformanceRun::checkFinished, this, [&checks](const ConformanceRun::Check& c) {
            checks.append(c);
        });
        run.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(checks.size(), ConformanceRun::checkNames().size() + 1);
        QStringList names;
        for (const auto& c : std::as_const(checks)) {
            names.append(c.name);
        }
        QCOMPARE(names.mid(0, ConformanceRun::checkNames().size()), ConformanceRun::checkNames());
        QCOMPARE(checks.last().name, QStringLiteral("revocation"));
        QVERIFY2(checks.last().pass, qPrintable(checks.last().detail));
        QVERIFY2(checks.last().detail.contains(QStringLiteral("invalid_grant")), qPrintable(checks.last().detail));
        QVERIFY(finished.first().first().toBool());
    }

    // A sign-in that never finished because of this machine (no browser, nobody signed in before the
    // deadline) says nothing about the provider: its checks are "not run" with the reason, never FAIL. The
    // second sign-in failing that way leaves the first one's checks standing.
    void localProblemsAreNotRunNeverFail()
    {
        sandbox::SandboxServer server;
        QVERIFY(server.listen());
        const auto demo = server.demoProvider(QStringLiteral("oauth2-code"));
        test::SandboxBrowser browser;
        ConformanceRun::Options options;
        options.flow.baseUrl = demo->baseUrl.toString();
        for (const auto& [key, value] : demo->credentials) {
            options.flow.credentials.insert(key, value);
        }
        options.flow.browserTimeoutMs = 1500;
        int opened = 0;
        options.flow.openUrl = [&](const QUrl& url) {
            if (++opened == 1) {
                browser.opener(true)(url); // sign-in A works
                return true;
            }
            return false; // sign-in B: the browser does not open and nobody signs in
        };
        ConformanceRun run(*m_registry.find(QStringLiteral("oauth2-code")), options);
        QSignalSpy finished(&run, &ConformanceRun::finished);
        QList<ConformanceRun::Check> checks;
        connect(&run, &ConformanceRun::checkFinished, this, [&checks](const ConformanceRun::Check& c) {
            checks.append(c);
        });
        bool sawClosedBrowser = false;
        connect(&run, &ConformanceRun::event, this, [&](const FlowEvent& e) {
            sawClosedBrowser = sawClosedBrowser || (e.type == FlowEvent::Type::WaitingForBrowser && !e.browserOpened);
        });
        run.start();
        QVERIFY(finished.wait(60000));
        QVERIFY(sawClosedBrowser);
        QMap<QString, ConformanceRun::Check> byName;
        for (const auto& c : std::as_const(checks)) {
            byName.insert(c.name, c);
        }
        QCOMPARE(byName.size(), ConformanceRun::checkNames().size());
        QVERIFY(byName.value(QStringLiteral("user_id_stable")).notRun);
        QVERIFY2(byName.value(QStringLiteral("user_id_stable")).detail.startsWith(QStringLiteral("not run:")),
                 qPrintable(byName.value(QStringLiteral("user_id_stable")).detail));
        QVERIFY(byName.value(QStringLiteral("exchange")).pass);
        QVERIFY(byName.value(QStringLiteral("refresh_reusable")).pass);
        for (const auto& c : std::as_const(checks)) {
            QVERIFY2(c.pass || c.notRun, qPrintable(c.name + QStringLiteral(": ") + c.detail));
        }
        QCOMPARE(finished.first().first().toBool(), false);
    }

    void cancelledFirstSignInLeavesEveryCheckNotRun()
    {
        sandbox::SandboxServer server;
        QVERIFY(server.listen());
        const auto demo = server.demoProvider(QStringLiteral("oauth2-code"));
        ConformanceRun::Options options;
        options.flow.baseUrl = demo->baseUrl.toString();
        for (const auto& [key, value] : demo->credentials) {
            options.flow.credentials.insert(key, value);
        }
        options.flow.openUrl = [](const QUrl&) { return false; };
        ConformanceRun run(*m_registry.find(QStringLiteral("oauth2-code")), options);
        QSignalSpy finished(&run, &ConformanceRun::finished);
        QList<ConformanceRun::Check> checks;
        connect(&run, &ConformanceRun::checkFinished, this, [&checks](const ConformanceRun::Check& c) {
            checks.append(c);
        });
        run.start();
        QTRY_VERIFY_WITH_TIMEOUT(run.isWaitingForBrowser(), 10000);
        run.cancelSignIn();
        QTRY_COMPARE(finished.size(), 1);
        // prompt_login ran (it needs no sign-in); nothing else may claim a provider failure.
        for (const auto& c : std::as_const(checks)) {
            if (c.name != QLatin1String("prompt_login")) {
                QVERIFY2(c.notRun, qPrintable(c.name + QStringLiteral(": ") + c.detail));
                QVERIFY(c.detail.contains(QStringLiteral("cancelled")));
            }
        }
        QCOMPARE(checks.size(), ConformanceRun::checkNames().size());
        QCOMPARE(server.tokenRequestCount(QStringLiteral("oauth2-code")), 0);
    }

private:
    ProfileRegistry m_registry;
};

QTEST_GUILESS_MAIN(TestConform)
#include "tst_conform.moc"
