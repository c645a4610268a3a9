// The browser sign-in that always works: the loopback listener answers every request with a page
// (success, refusal, state mismatch, wrong path, already finished), stays open until the sign-in completes,
// is cancelled or times out, listens on 127.0.0.1 only, and a browser that does not open leaves the flow
// waiting, finished by a test browser or by a pasted redirect URL. Real loopback HTTP against the sandbox's
// oauth2-code provider; SandboxBrowser plays the user.
#include "core/flow/FlowEngine.h"
#include "core/flow/LoopbackReceiver.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/util/Translations.h"
#include "tests/support/SandboxBrowser.h"

#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace keyway;
using keyway::sandbox::SandboxServer;

class TestSignIn : public QObject
{
    Q_OBJECT
private:
    ProfileRegistry m_registry;
    std::unique_ptr<SandboxServer> m_sandbox;
    test::SandboxBrowser m_browser;
    QNetworkAccessManager m_nam;

    // One running flow of the sandbox oauth2-code provider, with its events and result.
    struct Run
    {
        std::unique_ptr<FlowEngine> engine;
        QList<FlowEvent> events;
        std::optional<FlowResult> result;
        QUrl authorizeUrl;

        QUrl redirectUri() const
        {
            return QUrl(QUrlQuery(authorizeUrl).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
        }
        QString state() const { return QUrlQuery(authorizeUrl).queryItemValue(QStringLiteral("state")); }
        QList<FlowEvent> waits() const
        {
            QList<FlowEvent> out;
            for (const FlowEvent& e : events) {
                if (e.type == FlowEvent::Type::WaitingForBrowser) {
                    out.append(e);
                }
            }
            return out;
        }
    };

    // Starts the flow; `opener` plays the system browser (true = it opened).
    std::unique_ptr<Run> start(std::function<bool(const QUrl&)> opener, int timeoutMs = 20000)
    {
        auto run = std::make_unique<Run>();
        FlowOptions options;
        const auto demo = m_sandbox->demoProvider(QStringLiteral("oauth2-code"));
        options.baseUrl = demo->baseUrl.toString();
        for (const auto& [key, value] : demo->credentials) {
            options.credentials.insert(key, value);
        }
        options.browserTimeoutMs = timeoutMs;
        Run* raw = run.get();
        options.openUrl = [raw, opener](const QUrl& url) {
            raw->authorizeUrl = url;
            return opener(url);
        };
        run->engine = std::make_unique<FlowEngine>(*m_registry.find(QStringLiteral("oauth2-code")), options);
        connect(run->engine.get(), &FlowEngine::event, this, [raw](const FlowEvent& e) { raw->events.append(e); });
        connect(run->engine.get(), &FlowEngine::finished, this, [raw](const FlowResult& r) { raw->result = r; });
        run->engine->runFullFlow();
        return run;
    }

    test::HttpExchange get(const QUrl& url) { return test::httpExchange(m_nam, "GET", url); }

    QUrl callback(const Run& run, const QString& query) const
    {
        QUrl url = run.redirectUri();
        url.setQuery(query);
        return url;
    }

    // The redirect the provider sends the browser to, without delivering it.
    QUrl signInWithoutDelivering(const QUrl& authorizeUrl)
    {
        const test::SandboxBrowser::Result r = m_browser.run(authorizeUrl, false);
        return r.finalUrl;
    }

    static bool refused(const QUrl& url)
    {
        QTcpSocket socket;
        socket.connectToHost(url.host(), quint16(url.port()));
        if (socket.waitForConnected(2000)) {
            return false;
        }
        return socket.error() == QAbstractSocket::ConnectionRefusedError;
    }

private Q_SLOTS:
    void initTestCase() { m_registry.loadShipped(); }

    void init()
    {
        m_sandbox = std::make_unique<SandboxServer>();
        QVERIFY(m_sandbox->listen(0));
        m_browser.setDecision(test::SandboxBrowser::Decision::Approve);
        m_browser.clearCookies();
    }

    void cleanup() { m_sandbox.reset(); }

    void accessDeniedGetsAPageAndEndsTheFlow()
    {
        auto run = start([](const QUrl&) { return true; });
        QTRY_COMPARE(run->waits().size(), 1);
        const test::HttpExchange page = get(callback(
            *run,
            QStringLiteral("error=access_denied&error_description=%1&state=%2")
                .arg(QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("<script>alert(1)</script> no"))),
                     run->state())));
        QCOMPARE(page.status, 200);
        QVERIFY2(page.body.contains("Sign-in refused"), page.body.constData());
        QVERIFY(page.body.contains("access_denied"));
        QVERIFY(page.body.contains("start the sign-in again"));
        // The provider's text is shown as text, never as markup.
        QVERIFY(page.body.contains("&lt;script&gt;"));
        QVERIFY(!page.body.contains("<script>"));
        QTRY_VERIFY(run->result.has_value());
        QCOMPARE(run->result->outcome, FlowResult::Outcome::Refused);
        QCOMPARE(run->result->oauthError, QStringLiteral("access_denied"));
        QVERIFY(run->result->hint.contains(QStringLiteral("denied")));
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 0);
    }

    void deniedInTheBrowserShowsThePage()
    {
        m_browser.setDecision(test::SandboxBrowser::Decision::Deny);
        auto run = start([this](const QUrl& url) {
            m_browser.opener(false)(url);
            return true;
        });
        QTRY_VERIFY(m_browser.lastResult().finalUrl.isValid());
        const test::HttpExchange page = get(m_browser.lastResult().finalUrl);
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("Sign-in refused"));
        QTRY_VERIFY(run->result.has_value());
        QCOMPARE(run->result->oauthError, QStringLiteral("access_denied"));
    }

    void mismatchedStateIsRejectedWithAPage()
    {
        auto run = start([](const QUrl&) { return true; });
        QTRY_COMPARE(run->waits().size(), 1);
        const test::HttpExchange page = get(callback(*run, QStringLiteral("code=forged-code-1&state=forged")));
        QCOMPARE(page.status, 400);
        QVERIFY(page.body.contains("does not belong to the sign-in"));
        QVERIFY(!page.body.contains("forged-code-1"));
        QTRY_VERIFY(run->result.has_value());
        QCOMPARE(run->result->outcome, FlowResult::Outcome::StateMismatch);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 0);
    }

    void wrongPathGets404AndTheFlowKeepsWaiting()
    {
        auto run = start([](const QUrl&) { return true; });
        QTRY_COMPARE(run->waits().size(), 1);
        QUrl favicon = run->redirectUri();
        favicon.setPath(QStringLiteral("/favicon.ico"));
        const test::HttpExchange page = get(favicon);
        QCOMPARE(page.status, 404);
        QVERIFY(page.body.contains("still waiting"));
        QUrl other = callback(*run, QStringLiteral("code=x&state=%1").arg(run->state()));
        other.setPath(QStringLiteral("/elsewhere"));
        QCOMPARE(get(other).status, 404);
        QTest::qWait(100);
        QVERIFY(!run->result.has_value());
        QVERIFY(run->engine->isWaitingForBrowser());
        // The real redirect still completes the sign-in.
        const QUrl redirect = signInWithoutDelivering(run->authorizeUrl);
        const test::HttpExchange ok = get(redirect);
        QCOMPARE(ok.status, 200);
        QVERIFY(ok.body.contains("You can close this tab and return to Keyway"));
        QVERIFY(!ok.body.contains(QUrlQuery(redirect).queryItemValue(QStringLiteral("code")).toUtf8()));
        QTRY_VERIFY(run->result.has_value());
        QVERIFY2(run->result->ok(), qPrintable(run->result->oneLine()));
    }

    void replayedCodeAndSecondCallbackAfterCompletion()
    {
        auto run = start([](const QUrl&) { return true; });
        QTRY_COMPARE(run->waits().size(), 1);
        const QUrl redirect = signInWithoutDelivering(run->authorizeUrl);
        QCOMPARE(get(redirect).status, 200);
        QTRY_VERIFY(run->result.has_value());
        QVERIFY(run->result->ok());
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 1);

        // A reloaded tab replays the code: answered, never exchanged again.
        const test::HttpExchange replay = get(redirect);
        QCOMPARE(replay.status, 409);
        QVERIFY(replay.body.contains("already"));
        const test::HttpExchange second
            = get(callback(*run, QStringLiteral("code=another&state=%1").arg(run->state())));
        QCOMPARE(second.status, 409);
        QTest::qWait(100);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 1);
    }

    void noCallbackTimesOutAndClosesTheListener()
    {
        auto run = start([](const QUrl&) { return true; }, 400);
        QTRY_COMPARE(run->waits().size(), 1);
        QVERIFY(!refused(run->redirectUri())); // listening while it waits
        QTRY_VERIFY(run->result.has_value());
        QCOMPARE(run->result->outcome, FlowResult::Outcome::Timeout);
        QVERIFY(run->result->detail.contains(QStringLiteral("stopped waiting")));
        QVERIFY(!run->result->hint.contains(QStringLiteral("--")));
        QTRY_VERIFY(refused(run->redirectUri()));
    }

    void cancelClosesTheListener()
    {
        auto run = start([](const QUrl&) { return true; });
        QTRY_COMPARE(run->waits().size(), 1);
        run->engine->cancel();
        QVERIFY(run->result.has_value());
        QCOMPARE(run->result->outcome, FlowResult::Outcome::Cancelled);
        QVERIFY(run->result->isLocalProblem());
        QTRY_VERIFY(refused(run->redirectUri()));
    }

    void listenerIsBoundToLoopbackOnly()
    {
        LoopbackReceiver receiver(QStringLiteral("/callback"));
        QVERIFY(receiver.listen());
        QVERIFY(receiver.redirectUri().startsWith(QStringLiteral("http://127.0.0.1:")));
        QTcpSocket loopback;
        loopback.connectToHost(QHostAddress::LocalHost, receiver.port());
        QVERIFY(loopback.waitForConnected(2000));
        int tried = 0;
        for (const QHostAddress& address : QNetworkInterface::allAddresses()) {
            if (address.isLoopback() || address.protocol() != QAbstractSocket::IPv4Protocol) {
                continue;
            }
            QTcpSocket outside;
            outside.connectToHost(address, receiver.port());
            QVERIFY2(!outside.waitForConnected(2000), qPrintable(address.toString()));
            ++tried;
        }
        QTcpSocket v6;
        v6.connectToHost(QHostAddress::LocalHostIPv6, receiver.port());
        QVERIFY(!v6.waitForConnected(2000));
        // Linux answers all of 127.0.0.0/8 on lo: a listener on every IPv4 address (0.0.0.0) takes 127.0.0.2
        // too, so this fails for it even on a machine with no other address (a CI container).
        QTcpSocket otherLoopback;
        otherLoopback.connectToHost(QHostAddress(QStringLiteral("127.0.0.2")), receiver.port());
        QVERIFY2(!otherLoopback.waitForConnected(2000), "the listener answers on more than 127.0.0.1");
        if (tried == 0) {
            qInfo("no non-loopback IPv4 address on this machine; checked ::1 and 127.0.0.2 only");
        }
    }

    void pastedRedirectCompletesTheFlow()
    {
        auto run = start([](const QUrl&) { return false; }); // the browser does not open
        QTRY_COMPARE(run->waits().size(), 2);
        QVERIFY(run->waits().last().browserOpened == false);
        QVERIFY(run->waits().last().deadlineMs > 0);
        QCOMPARE(QUrl(run->waits().last().url), run->authorizeUrl);
        QVERIFY(run->engine->isWaitingForBrowser()); // the step did not fail

        const QString notIt = run->engine->submitRedirectUrl(QUrl(QStringLiteral("https://example.org/home")));
        QVERIFY(notIt.contains(QStringLiteral("code=")));
        QVERIFY(run->engine->isWaitingForBrowser());

        // The user signs in in a browser that cannot reach Keyway and pastes the address it ends on.
        const QUrl redirect = signInWithoutDelivering(run->authorizeUrl);
        QVERIFY(redirect.isValid());
        QCOMPARE(run->engine->submitRedirectUrl(redirect), QString());
        QTRY_VERIFY(run->result.has_value());
        QVERIFY2(run->result->ok(), qPrintable(run->result->oneLine()));
        QVERIFY(run->result->value(QStringLiteral("access_token")));
        // Pasting it again (or opening it in the browser) changes nothing.
        QVERIFY(!run->engine->submitRedirectUrl(redirect).isEmpty());
        QCOMPARE(get(redirect).status, 409);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 1);
    }

    void pastedRedirectWithAnotherStateEndsTheFlow()
    {
        auto run = start([](const QUrl&) { return false; });
        QTRY_COMPARE(run->waits().size(), 2);
        QCOMPARE(run->engine->submitRedirectUrl(callback(*run, QStringLiteral("code=c&state=stale"))), QString());
        QVERIFY(run->result.has_value());
        QCOMPARE(run->result->outcome, FlowResult::Outcome::StateMismatch);
        QCOMPARE(m_sandbox->tokenRequestCount(QStringLiteral("oauth2-code")), 0);
    }

    // The page speaks the user's language, like the rest of Keyway.
    void pagesAreInTheUsersLanguage()
    {
        const QByteArray language = qgetenv("LANGUAGE");
        qputenv("LANGUAGE", "de");
        QCOMPARE(Translations::install(*QCoreApplication::instance()), QStringLiteral("de"));
        auto run = start([](const QUrl&) { return true; });
        QTRY_COMPARE(run->waits().size(), 1);
        QUrl favicon = run->redirectUri();
        favicon.setPath(QStringLiteral("/favicon.ico"));
        const test::HttpExchange page = get(favicon);
        // The success page, then a late second callback, in German too.
        const test::HttpExchange success = get(signInWithoutDelivering(run->authorizeUrl));
        const test::HttpExchange late = get(callback(*run, QStringLiteral("code=late&state=%1").arg(run->state())));
        // A refusal, on a second sign-in.
        auto refused = start([](const QUrl&) { return true; });
        QTRY_COMPARE(refused->waits().size(), 1);
        const test::HttpExchange denied
            = get(callback(*refused, QStringLiteral("error=access_denied&state=%1").arg(refused->state())));
        qputenv("LANGUAGE", language);
        Translations::install(*QCoreApplication::instance());
        QCOMPARE(page.status, 404);
        QVERIFY2(page.body.contains("Keyway wartet weiter"), page.body.constData());
        QVERIFY(page.header("Content-Type").startsWith("text/html; charset=utf-8"));
        QCOMPARE(page.header("Cache-Control"), QByteArray("no-store"));
        QCOMPARE(success.status, 200);
        QVERIFY2(success.body.contains("Sie k\xc3\xb6nnen diesen Tab schlie\xc3\x9f"
                                       "en und zu Keyway zur\xc3\xbc"
                                       "ckkehren"),
                 success.body.constData());
        QCOMPARE(late.status, 409);
        QVERIFY2(late.body.contains("Keyway hat die Antwort auf diese Anmeldung bereits erhalten"),
                 late.body.constData());
        QCOMPARE(denied.status, 200);
        QVERIFY2(denied.body.contains("Anmeldung abgelehnt"), denied.body.constData());
        QVERIFY(denied.body.contains("access_denied"));
        QVERIFY(!denied.body.contains("Sign-in refused"));
        QTRY_VERIFY(run->result.has_value());
        QVERIFY2(run->result->ok(), qPrintable(run->result->oneLine()));
        QTRY_VERIFY(refused->result.has_value());
    }

    void browserOpenedByHandAfterAFailedOpenCompletes()
    {
        auto run = start([](const QUrl&) { return false; });
        QTRY_COMPARE(run->waits().size(), 2);
        // The user copies the URL into a browser by hand: the listener is still there.
        m_browser.start(QUrl(run->waits().last().url), true, nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(run->result.has_value(), 15000);
        QVERIFY2(run->result->ok(), qPrintable(run->result->oneLine()));
        QVERIFY(m_browser.lastResult().delivered);
    }
};

QTEST_GUILESS_MAIN(TestSignIn)
#include "tst_signin.moc"
