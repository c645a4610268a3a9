// keyway-cli against a hostile server (tests/support/HostileServer), as a script sees it: every
// misbehaviour of the token endpoint or the API ends the command within --max-time with one clear line
// on stderr and the exit code of the README (1 refused, 3 auth flow failed, 5 unreachable), and neither
// the client secret, the token nor anything of a cut-short reply reaches stdout or stderr. The HTTPS -> HTTP
// downgrade runs against the hostile TLS server, trusted per environment through `tls.ca_file`, with a plain
// peer on the http side that records whether anything reached it.
#include "tests/support/CliProcess.h"
#include "tests/support/ExpiresInShapes.h"
#include "tests/support/HostileServer.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <optional>

using keyway::test::HostileServer;

namespace {

const QString kClientSecret = QStringLiteral("canary-hostile-cli-secret-90ab");

} // namespace

using keyway::test::CliRun;

class TestHostileCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    HostileServer m_server;
    HostileServer m_peer;
    HostileServer m_tls;
    QString m_leak;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_root.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_root.filePath(QStringLiteral("data")));
        env.remove(QStringLiteral("DISPLAY"));
        return env;
    }

    // Runs keyway-cli while this process's event loop keeps the hostile servers misbehaving.
    CliRun run(const QStringList& args, const QByteArray& input = {})
    {
        keyway::test::CliInvocation invocation(args, input, environment());
        invocation.timeoutMs = 20000;
        CliRun result = keyway::test::runCli(invocation);
        const QString leak = keyway::test::leakedSecret(
            result.text() + result.err,
            {kClientSecret, QStringLiteral("hostile-cut-short-token"), QString::fromLatin1(HostileServer::GoodToken)});
        if (!leak.isEmpty()) {
            m_leak = leak; // failed in cleanup(): QVERIFY cannot return from here
        }
        return result;
    }

    void addEnvironment(const QString& name, const QString& tokenPath, const QUrl& base = {})
    {
        const CliRun added = run({QStringLiteral("env"),
                                  QStringLiteral("add"),
                                  name,
                                  QStringLiteral("--provider"),
                                  QStringLiteral("oauth2-client"),
                                  QStringLiteral("--base-url"),
                                  (base.isEmpty() ? m_server.url() : base).toString(),
                                  QStringLiteral("--set"),
                                  QStringLiteral("token_url=") + tokenPath,
                                  QStringLiteral("--set"),
                                  QStringLiteral("client_id=hostile-client"),
                                  QStringLiteral("--secret"),
                                  QStringLiteral("client_secret")},
                                 kClientSecret.toUtf8() + '\n');
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    }

    void setTokenPath(const QString& tokenPath)
    {
        const CliRun set = run({QStringLiteral("env"),
                                QStringLiteral("set"),
                                QStringLiteral("tok"),
                                QStringLiteral("--set"),
                                QStringLiteral("token_url=") + tokenPath});
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        QVERIFY(m_server.listen());
        QVERIFY(m_peer.listen());
        m_server.setPeer(&m_peer);
        addEnvironment(QStringLiteral("api"), QStringLiteral("/token/ok"));
        addEnvironment(QStringLiteral("tok"), QStringLiteral("/token/ok"));
        // The TLS server writes its self-signed certificate here; the environments trust it as their CA.
        QVERIFY(m_tls.listenTls(m_root.path()));
        m_tls.setPeer(&m_peer);
        for (const auto& [name, tokenPath] :
             {std::pair {"tls-api", "/token/ok"}, std::pair {"tls-tok", "/token/redirect-downgrade"}}) {
            addEnvironment(QLatin1String(name), QLatin1String(tokenPath), m_tls.url());
            const CliRun set
                = run({QStringLiteral("env"),
                       QStringLiteral("set"),
                       QLatin1String(name),
                       QStringLiteral("--set"),
                       QStringLiteral("tls.ca_file=") + m_root.filePath(QStringLiteral("hostile-cert.pem"))});
            QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        }
    }

    void cleanup() { QVERIFY2(m_leak.isEmpty(), qPrintable(QStringLiteral("leaked: ") + m_leak)); }

    void tokenEndpointMisbehaves_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("token is a number") << "number" << 3 << "access_token is not a string";
        QTest::newRow("token is an object") << "object" << 3 << "access_token is not a string";
        QTest::newRow("token is null") << "null" << 3 << "access_token is not a string";
        QTest::newRow("token is a boolean") << "bool" << 3 << "access_token is not a string";
        QTest::newRow("token is empty") << "empty" << 3 << "access_token is not a string";
        QTest::newRow("token is missing") << "missing" << 3 << "/access_token is empty or missing";
        QTest::newRow("HTML with 200") << "html-200" << 3 << "a web page (text/html), not JSON";
        QTest::newRow("HTML with 502") << "html-502" << 3 << "HTTP 502 Bad Gateway";
        QTest::newRow("malformed JSON") << "malformed" << 3 << "not valid JSON";
        QTest::newRow("wrong shape") << "array" << 3 << "an array, not a JSON object";
        QTest::newRow("error with HTTP 200") << "envelope-200" << 3 << "invalid_client";
        QTest::newRow("slow drip") << "drip" << 5 << "no complete reply within 1 s";
        QTest::newRow("declares 10 GB") << "huge" << 3 << "larger than the limit";
        QTest::newRow("gzip bomb") << "gzip-bomb" << 3 << "decompression bomb";
        QTest::newRow("reset mid-body") << "reset" << 5 << "the reply is incomplete";
        QTest::newRow("redirect loop") << "redirect-loop" << 3 << "too many redirects";
        QTest::newRow("redirect to another origin") << "redirect-away" << 3 << "to another origin";
    }

    void tokenEndpointMisbehaves()
    {
        QFETCH(QString, kind);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        setTokenPath(QStringLiteral("/token/") + kind);
        m_server.clear();
        m_peer.clear();
        const CliRun r = run({"call", "tok", "GET", "/api/ok", "--max-time", "1"});
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.err.startsWith(QLatin1String("keyway-cli: ")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.elapsedMs < 8000, qPrintable(QString::number(r.elapsedMs)));
        QCOMPARE(m_server.hits(QStringLiteral("/api/ok")), 0); // nothing was sent as a token
        QCOMPARE(m_peer.requests().size(), 0); // the client secret went nowhere else
    }

    // --json: the same failure as the last JSON line, the token's shape named, still no secret.
    void tokenNotAStringInJson()
    {
        setTokenPath(QStringLiteral("/token/number"));
        const CliRun r = run({"call", "tok", "GET", "/api/ok", "--max-time", "1", "--json"});
        QCOMPARE(r.exitCode, 3);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QVERIFY(!lines.isEmpty());
        const auto last = nlohmann::json::parse(lines.last().toStdString(), nullptr, false);
        QVERIFY2(last.is_object(), lines.last().constData());
        QCOMPARE(QString::fromStdString(last.value("event", "")), QStringLiteral("result"));
        QCOMPARE(last.value("ok", true), false);
        QVERIFY(
            QString::fromStdString(last.value("error", "")).contains(QLatin1String("access_token is not a string")));
    }

    // Whatever shape expires_in has, the token works, the command succeeds, and the lifetime a script reads in
    // the `captured` event is the one rule's (docs/hardening.md, "expires_in"): an unusable value is no lifetime
    // at all, so the profile's documented 3600 s is assumed; a quoted number counts, a fraction is cut, anything
    // huge is ten years. The same table as tst_hostile_engine::expiresInShapes, seen from outside.
    void expiresInShapes_data() { keyway::test::addExpiresInShapeRows(); }

    void expiresInShapes()
    {
        QFETCH(QString, shape);
        QFETCH(qint64, seconds);
        QFETCH(bool, assumed);
        setTokenPath(QStringLiteral("/token/expires/") + shape);
        m_server.clear();
        const CliRun r = run({"call", "tok", "GET", "/api/ok", "--max-time", "2", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        // One token request: a lifetime read as zero (or as already over) would renew it before the call.
        QCOMPARE(m_server.hits(QStringLiteral("/token/expires/") + shape), 1);
        QCOMPARE(m_server.hits(QStringLiteral("/api/ok")), 1);
        std::optional<nlohmann::json> captured;
        nlohmann::json result;
        for (const QByteArray& line : r.out.trimmed().split('\n')) {
            const auto j = nlohmann::json::parse(line.toStdString(), nullptr, false);
            QVERIFY2(j.is_object(), line.constData());
            if (j.value("event", "") == "captured" && j.value("name", "") == "access_token") {
                captured = j;
            }
            result = j;
        }
        QCOMPARE(QString::fromStdString(result.value("event", "")), QStringLiteral("result"));
        QCOMPARE(result.value("ok", false), true);
        QVERIFY2(captured, r.out.constData());
        QVERIFY2(captured->at("expires").is_string(), captured->dump().c_str()); // never "no expiry"
        const QDateTime issued = QDateTime::fromString(
            QString::fromStdString(captured->at("issued").get<std::string>()), Qt::ISODateWithMs);
        const QDateTime expires = QDateTime::fromString(
            QString::fromStdString(captured->at("expires").get<std::string>()), Qt::ISODateWithMs);
        QVERIFY(issued.isValid() && expires.isValid());
        QCOMPARE(issued.msecsTo(expires), seconds * 1000);
        QCOMPARE(captured->value("lifetime_assumed", false), assumed);
    }

    void apiMisbehaves_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("HTML with 502") << "html-502" << 1 << "HTTP 502 Bad Gateway";
        QTest::newRow("slow drip") << "drip" << 5 << "no complete reply within 1 s";
        // Written to stdout, a reply is streamed and has no size limit: a declared 10 GB that only drips is a
        // slow download, stopped by the deadline (--json keeps the limit: declaredHugeReplyIsRefusedWithJson).
        QTest::newRow("declares 10 GB") << "huge" << 5 << "no complete reply within 1 s";
        QTest::newRow("gzip bomb") << "gzip-bomb" << 1 << "decompression bomb";
        QTest::newRow("reset mid-body") << "reset" << 5 << "the reply is incomplete";
        QTest::newRow("redirect loop") << "redirect-loop" << 1 << "too many redirects";
        QTest::newRow("401 on every attempt") << "unauthorized" << 1 << "(after renewing the token once)";
    }

    void apiMisbehaves()
    {
        QFETCH(QString, kind);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        m_server.clear();
        const CliRun r = run({"call", "api", "GET", "/api/" + kind, "--max-time", "1"});
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.elapsedMs < 8000, qPrintable(QString::number(r.elapsedMs)));
        if (kind != QLatin1String("html-502") && kind != QLatin1String("unauthorized")) {
            QVERIFY2(r.out.isEmpty(), r.out.constData()); // nothing of a refused or cut-short reply
        }
        if (kind == QLatin1String("unauthorized")) {
            // Renewed once, retried once, then stopped.
            QCOMPARE(m_server.hits(QStringLiteral("/token/ok")), 2);
            QCOMPARE(m_server.hits(QStringLiteral("/api/unauthorized")), 2);
        }
    }

    // With --json the body is kept whole for the result line, so the size limit still refuses it at once.
    void declaredHugeReplyIsRefusedWithJson()
    {
        m_server.clear();
        const CliRun r = run({"call", "api", "GET", "/api/huge", "--max-time", "5", "--json"});
        QVERIFY2(r.exitCode == 1, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("larger than the limit")), qPrintable(r.err));
        QVERIFY2(r.elapsedMs < 4000, qPrintable(QString::number(r.elapsedMs)));
    }

    // An https endpoint that redirects to http: refused before anything is sent in clear, for the token request
    // (the client secret) and for the API call (the token). The plain peer records every request it gets.
    void httpsToHttpDowngradeIsRefused_data()
    {
        QTest::addColumn<QString>("environment");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("token request") << "tls-tok"
                                       << "/api/ok" << 3;
        QTest::newRow("API call") << "tls-api"
                                  << "/api/redirect-downgrade" << 1;
    }

    void httpsToHttpDowngradeIsRefused()
    {
        QFETCH(QString, environment);
        QFETCH(QString, path);
        QFETCH(int, exitCode);
        // The certificate is trusted: a plain call over TLS works, so a refusal below is the downgrade's.
        const CliRun works = run({"call", "tls-api", "GET", "/api/ok", "--max-time", "2"});
        QVERIFY2(works.exitCode == 0, qPrintable(works.err));
        QCOMPARE(works.out, QByteArray("{\"ok\":true}"));

        m_tls.clear();
        m_peer.clear();
        const CliRun r = run({"call", environment, "GET", path, "--max-time", "2"});
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QLatin1String("refused a redirect from HTTPS to http")), qPrintable(r.err));
        QVERIFY2(r.err.startsWith(QLatin1String("keyway-cli: ")), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), r.out.constData());
        QVERIFY2(r.elapsedMs < 8000, qPrintable(QString::number(r.elapsedMs)));
        QCOMPARE(m_tls.hits(QStringLiteral("/token/redirect-downgrade")), exitCode == 3 ? 1 : 0);
        QCOMPARE(m_tls.hits(QStringLiteral("/api/ok")), 0); // no token was obtained through the downgrade
        // Nothing at all reached the http side: no client secret, no token, not even a request line.
        QVERIFY2(m_peer.requests().isEmpty(), m_peer.requests().value(0).constData());
    }

    // The API redirects to another origin: the reply arrives, the token stays home.
    void redirectToAnotherOriginDropsCredentials()
    {
        m_peer.clear();
        const CliRun r = run({"call", "api", "GET", "/api/redirect-away", "--max-time", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QByteArray("{\"peer\":true}"));
        QCOMPARE(m_peer.requests().size(), 1);
        QVERIFY(!m_peer.requests().first().toLower().contains("authorization"));
    }
};

QTEST_GUILESS_MAIN(TestHostileCli)
#include "tst_hostile_cli.moc"
