// keyway-cli auth / call / check: run a provider's flow and send authenticated requests.
// The contract (arguments, JSON Lines, exit codes) is the README's "The CLI" section.

#include "core/cli/BrowserOpener.h"
#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/cli/EnvironmentContext.h"
#include "core/cli/NetworkOptions.h"
#include "core/flow/TemplateResolver.h"
#include "core/history/HistoryRecorder.h"
#include "core/history/HistoryStore.h"
#include "core/http/RequestExecutor.h"
#include "core/http/StreamRedactor.h"
#include "core/profile/ProfileLoader.h"
#include "core/session/Session.h"
#include "core/session/TokenLifecycle.h"
#include "core/util/Clock.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/SecretBatch.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QSet>
#include <QStandardPaths>
#include <QStringDecoder>

#include <memory>
#include <optional>

namespace keyway::cli {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::FlowCommands)
};

enum class Command { Auth, Call, Check, Introspect, Revoke };

struct Options
{
    Command command = Command::Call;
    QString name;
    QString method;
    QString path;
    QByteArray body;
    HeaderList headers;
    QString credentialSet;
    bool noBrowser = false;
    int browserTimeoutMs = FlowOptions().browserTimeoutMs;
    bool include = false;
    bool json = false;
    bool verbose = false;
};

// `keyway-cli call -i`: the status line and the (redacted) headers before the body.
QString headText(int status, const QByteArray& reason, const HeaderList& headers, const Redactor& redactor)
{
    QString head = QStringLiteral("HTTP/1.1 %1 %2\n").arg(status).arg(QString::fromLatin1(reason));
    for (const auto& [name, value] : headers) {
        head += QString::fromLatin1(name) + QStringLiteral(": ") + redactor.redactHeader(name, value)
            + QLatin1Char('\n');
    }
    return head + QLatin1Char('\n');
}

// `keyway-cli call` without --json: a large body goes to stdout while it arrives, redacted by the same
// rules as a whole one, so memory stays flat whatever the reply's size and no size cap applies.
class StdoutBodySink : public ReplyBodySink
{
public:
    StdoutBodySink(CliIo& io, const Redactor& redactor, bool include)
        : m_io(io), m_redactor(redactor), m_include(include)
    {
    }
    bool begin(int status, const QByteArray& reason, const HeaderList& headers) override
    {
        if (m_include) {
            m_io.out(headText(status, reason, headers, m_redactor));
        }
        // Built now, not earlier: the token this run obtained is among the secrets by the time a reply comes.
        m_stream.emplace(m_redactor, [this](const QByteArray& bytes) {
            m_io.outBytes(bytes);
            return !m_io.outputFailed();
        });
        return !m_io.outputFailed();
    }
    bool write(const QByteArray& bytes) override { return m_stream && m_stream->write(bytes); }
    void finish() override
    {
        if (m_stream) {
            m_stream->finish();
        }
    }

private:
    CliIo& m_io;
    const Redactor& m_redactor;
    bool m_include;
    std::optional<StreamRedactor> m_stream;
};

// The options auth, call and check share; call adds its own.
QList<CliOption> networkOptions()
{
    return {
        {{QStringLiteral("credentials")},
         QStringLiteral("SET"),
         Text::tr("The credential set to use (a provider with several, e.g. astrada's sdk).")},
        {{QStringLiteral("no-browser")},
         {},
         Text::tr("Print the sign-in URL instead of opening a browser, then wait for the redirect.")},
        NetworkOptions::signInTimeout(),
        NetworkOptions::maxTime(),
        NetworkOptions::verbose(),
        {{QStringLiteral("json")}, {}, Text::tr("JSON Lines: the flow's events as they happen, then the result.")},
    };
}

// Reads the options common to auth, call and check; returns an exit code on bad input.
std::optional<int> readCommon(const CliCommand& command, const CliArguments& arguments, CliIo& io, Options* o)
{
    if (arguments.isSet(QStringLiteral("credentials"))) {
        o->credentialSet = arguments.value(QStringLiteral("credentials"));
        if (o->credentialSet.isEmpty()) {
            return command.usageError(io, Text::tr("--credentials needs a credential set name"));
        }
    }
    o->noBrowser = o->command != Command::Revoke && arguments.isSet(QStringLiteral("no-browser"));
    o->json = arguments.isSet(QStringLiteral("json"));
    o->verbose = arguments.isSet(QStringLiteral("verbose"));
    if (auto code = NetworkOptions::applyMaxTime(command, arguments, io)) {
        return code;
    }
    // revoke never signs in and has no --sign-in-timeout to read (asking the parser for it would print a warning).
    if (o->command == Command::Revoke) {
        return std::nullopt;
    }
    if (auto code = NetworkOptions::readSignInTimeout(command, arguments, io, &o->browserTimeoutMs)) {
        return code;
    }
    return std::nullopt;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

// One invocation of auth / call / check.
class FlowCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::FlowCommands)

public:
    FlowCommand(Options options, CliIo& io) : m_o(std::move(options)), m_io(io) { }

    int run()
    {
        if (auto code = prepare()) {
            return *code;
        }
        switch (m_o.command) {
        case Command::Auth:
            return runAuth();
        case Command::Call:
            return runCall(m_o.method, m_o.path, m_o.headers, m_o.body);
        case Command::Check:
            return runCheck();
        case Command::Introspect:
            return runIntrospect();
        case Command::Revoke:
            return runRevoke();
        }
        return ExitUsage;
    }

private:
    std::optional<int> prepare()
    {
        EnvironmentContext::Request request;
        request.name = m_o.name;
        request.credentialSet = m_o.credentialSet;
        request.secretKeys = &EnvironmentContext::secretFieldsSentByFlow;
        request.requireValues = true;
        if (auto code = EnvironmentContext::open(request, m_io, &m_context)) {
            return code;
        }
        if (auto code = m_context.requireUsableConnection(m_io)) {
            return code;
        }
        m_profile = &m_context.profile();
        m_env = m_context.environment();
        m_o.credentialSet = m_context.credentialSet();
        const QMap<QString, QString> credentials = m_context.credentials();

        SessionOptions options;
        options.environmentId
            = m_env.id + (m_o.credentialSet.isEmpty() ? QString() : QLatin1Char('.') + m_o.credentialSet);
        options.flow.baseUrl = m_context.baseUrl();
        options.flow.credentials = credentials;
        options.flow.connection = m_context.connection();
        options.flow.credentialSet = m_o.credentialSet;
        options.flow.openUrl = makeBrowserOpener(m_io, m_o.noBrowser, m_o.json, m_o.browserTimeoutMs);
        options.flow.browserTimeoutMs = m_o.browserTimeoutMs;
        if (m_profile->refresh) {
            const QString key = SecretStore::refreshTokenKey(m_env.id, m_o.credentialSet);
            options.refreshAgesKey = key;
            SecretStore* store = &m_context.secrets();
            const bool useStored = m_o.command != Command::Auth;
            options.refreshStore.load = [store, key, useStored](std::function<void(const QString&)> done) {
                if (!useStored) {
                    done(QString());
                    return;
                }
                store->read(key, [done](const SecretResult& r) { done(r.ok() ? r.value : QString()); });
            };
            options.refreshStore.remove = [this, store, key]() {
                ++m_pendingWrites;
                store->remove(key, [this](const SecretResult& r) {
                    --m_pendingWrites;
                    if (!r.ok() && r.status != SecretStatus::Missing) {
                        m_io.err(tr("keyway-cli: could not delete the revoked refresh token from the keychain (%1)")
                                     .arg(SecretStore::statusName(r.status)));
                    }
                    if (m_pendingWrites == 0 && m_writesLoop) {
                        m_writesLoop->quit();
                    }
                });
            };
            options.refreshStore.save = [this, store, key](const QString& token) {
                ++m_pendingWrites;
                store->write(key, token, [this](const SecretResult& r) {
                    --m_pendingWrites;
                    if (!r.ok()) {
                        m_io.err(tr("keyway-cli: could not keep the refresh token in the keychain (%1)")
                                     .arg(SecretStore::statusName(r.status)));
                    }
                    if (m_pendingWrites == 0 && m_writesLoop) {
                        m_writesLoop->quit();
                    }
                });
            };
        }
        m_session = std::make_unique<Session>(*m_profile, options);
        QObject::connect(m_session.get(), &Session::event, m_session.get(), [this](const FlowEvent& e) { onEvent(e); });
        return std::nullopt;
    }

    void onEvent(const FlowEvent& e)
    {
        if (e.type == FlowEvent::Type::WaitingForBrowser || e.type == FlowEvent::Type::DeviceCode) {
            m_lastWaitWasBrowser = e.type == FlowEvent::Type::WaitingForBrowser;
        }
        if (e.type == FlowEvent::Type::Response) {
            m_lastStatus = e.status;
            m_lastBody = e.body;
        }
        if (m_o.json) {
            m_io.jsonLine(e.toJson());
        } else {
            printDeviceCode(m_io, e);
        }
        if (m_o.verbose) {
            NetworkOptions::printExchange(m_io, e);
        }
    }

    // The one way a command waits for the engine: `start` hands `reply` to asynchronous work that answers once
    // (extra callback arguments are ignored); the event loop runs until it has, then until the keychain writes
    // the work queued (a new or revoked refresh token) are done. Returns that answer.
    template <typename Result, typename Start>
    Result await(Start start)
    {
        Result result;
        QEventLoop loop;
        bool finished = false;
        start([&](const Result& r, const auto&...) {
            result = r;
            finished = true;
            loop.quit();
        });
        if (!finished) {
            loop.exec();
        }
        flushWrites();
        return result;
    }

    void flushWrites()
    {
        if (m_pendingWrites > 0) {
            QEventLoop loop;
            m_writesLoop = &loop;
            loop.exec();
            m_writesLoop = nullptr;
        }
    }

    // The `result` record that ends every --json run of auth and check.
    void printResultLine(bool ok, int status, const QString& body, const QString& error = {})
    {
        nlohmann::ordered_json j;
        j["event"] = "result";
        j["ok"] = ok;
        j["status"] = status;
        j["body"] = body.toStdString();
        if (!error.isEmpty()) {
            j["error"] = error.toStdString();
        }
        m_io.jsonLine(j);
    }

    int authFailed(const FlowResult& r)
    {
        if (m_o.json) {
            printResultLine(false, r.status, QString(), r.oneLine());
        }
        if (r.outcome == FlowResult::Outcome::Network) {
            // Unreachable is not "credentials wrong": a script retries the one, fixes the other.
            m_io.err(tr("keyway-cli: the server could not be reached: %1").arg(r.oneLine()));
            return ExitUnreachable;
        }
        m_io.err(tr("keyway-cli: authentication failed: %1").arg(r.oneLine()));
        if (r.outcome == FlowResult::Outcome::Timeout && m_lastWaitWasBrowser) {
            NetworkOptions::adviseOnSignInTimeout(m_io);
        }
        return ExitAuthFailed;
    }

    int runAuth()
    {
        const auto result = await<FlowResult>([this](auto reply) { m_session->authenticate(reply); });
        if (!result.ok()) {
            return authFailed(result);
        }
        if (m_o.json) {
            printResultLine(true, m_lastStatus, m_lastBody);
            return ExitOk;
        }
        // A summary without a single secret: names, expiries, and the non-secret values.
        m_io.outLine(tr("Authenticated %1 (%2).").arg(m_env.name, m_profile->name));
        for (const CapturedValue& v : result.values) {
            if (v.internal) {
                continue;
            }
            QString line = QStringLiteral("  ") + v.name + QStringLiteral(": ");
            line += v.secret ? tr("received") : v.value;
            if (v.expiresMs > 0) {
                line += tr(", expires %1").arg(isoTime(v.expiresMs));
            }
            if (v.singleUse) {
                line += v.consumed ? tr(", single-use, consumed") : tr(", single-use");
            }
            m_io.outLine(line);
        }
        return ExitOk;
    }

    int runCall(const QString& method, const QString& path, const HeaderList& headers, const QByteArray& body)
    {
        ApiRequest request;
        request.method = method;
        request.path = path;
        request.headers = headers;
        request.body = body;
        if (!m_o.json) {
            request.bodySink = std::make_shared<StdoutBodySink>(m_io, m_session->redactor(), m_o.include);
        }
        // Recorded (redacted) in the environment's history, like the GUI's composer does.
        HistoryStore history;
        HistoryRecorder recorder(
            m_session.get(), &history, m_env.id, m_env.baseUrl.isEmpty() ? m_profile->defaultBaseUrl : m_env.baseUrl);
        return report(await<ApiResult>([&](auto reply) { recorder.call(request, reply); }));
    }

    int report(const ApiResult& result)
    {
        if (result.outcome == ApiResult::Outcome::AuthFailed) {
            return authFailed(result.auth);
        }
        if (result.outcome == ApiResult::Outcome::Invalid) {
            m_io.err(QStringLiteral("keyway-cli: ") + result.oneLine());
            return ExitUsage;
        }
        if (result.outcome == ApiResult::Outcome::Network) {
            if (m_o.json) {
                printResultLine(false, 0, QString(), result.oneLine());
            }
            m_io.err(tr("keyway-cli: the server could not be reached: %1").arg(result.oneLine()));
            return ExitUnreachable;
        }
        const Redactor& redactor = m_session->redactor();
        const HttpResponse& response = result.response;
        if (m_o.json) {
            nlohmann::ordered_json j;
            j["event"] = "result";
            j["ok"] = result.ok();
            j["status"] = response.status;
            nlohmann::ordered_json headers = nlohmann::ordered_json::object();
            for (const auto& [name, value] : response.headers) {
                headers[name.toStdString()] = redactor.redactHeader(name, value).toStdString();
            }
            j["headers"] = headers;
            addBody(j, response.body, redactor);
            if (!result.ok()) {
                j["hint"] = result.oneLine().toStdString();
            }
            m_io.jsonLine(j);
        } else if (m_o.command == Command::Call) {
            if (response.streamedBytes < 0) { // a streamed body (and its head) is on stdout already
                if (m_o.include && response.status > 0) {
                    m_io.out(headText(response.status, response.reason, response.headers, redactor));
                }
                // Byte for byte, like curl: a binary or Latin-1 body arrives unchanged. Only a body that
                // echoes one of this run's secrets is printed redacted (and so as UTF-8 text).
                const QString redacted = redactor.redact(response.body);
                m_io.outBytes(redacted == QString::fromUtf8(response.body) ? response.body : redacted.toUtf8());
            }
        }
        if (result.ok()) {
            return ExitOk;
        }
        QString line = result.oneLine();
        if (result.renewed) {
            line += tr(" (after renewing the token once)");
        }
        m_io.err(QStringLiteral("keyway-cli: ") + line);
        return ExitProviderRefused;
    }

    // The result's body: its JSON value when it parses, else its text, else (not UTF-8) base64.
    static void addBody(nlohmann::ordered_json& j, const QByteArray& body, const Redactor& redactor)
    {
        const QString redacted = redactor.redact(body);
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString text = decoder.decode(body);
        if (decoder.hasError() && redacted == text) {
            j["body_base64"] = body.toBase64().toStdString();
            return;
        }
        const std::string utf8 = redacted.toStdString();
        auto value = nlohmann::ordered_json::parse(utf8, nullptr, false);
        if (!utf8.empty() && !value.is_discarded()) {
            j["body"] = std::move(value);
        } else {
            j["body"] = utf8;
        }
    }

    int runCheck()
    {
        QString path;
        QString method = QStringLiteral("GET");
        if (m_profile->check) {
            TemplateResolver resolver(*m_profile, m_env.values, m_o.credentialSet);
            path = resolver.resolve(m_profile->check->path).trimmed();
            method = m_profile->check->method;
        }
        if (path.isEmpty()) {
            // No check request (or a key it names is unset): obtaining a token is the proof.
            const auto result = await<FlowResult>([this](auto reply) { m_session->ensureToken(reply); });
            if (!result.ok()) {
                return authFailed(result);
            }
            if (m_o.json) {
                printResultLine(true, m_lastStatus, QString());
            } else {
                m_io.outLine(tr("ok: %1 issued a token (the profile has no check request)").arg(m_env.name));
            }
            return ExitOk;
        }
        ApiRequest request;
        request.method = method;
        request.path = path;
        const auto result = await<ApiResult>([&](auto reply) { m_session->call(request, reply); });
        const int code = report(result);
        if (code == ExitOk && !m_o.json) {
            m_io.outLine(tr("ok: %1 %2 answered %3").arg(method, path).arg(result.response.status));
        }
        return code;
    }

    // introspect / revoke: what went wrong before or instead of a reply, as an exit code.
    std::optional<int> lifecycleFailed(const LifecycleResult& r)
    {
        switch (r.outcome) {
        case LifecycleResult::Outcome::Ok:
            return std::nullopt;
        case LifecycleResult::Outcome::AuthFailed:
            return authFailed(r.flow);
        case LifecycleResult::Outcome::NoEndpoint:
            m_io.err(QStringLiteral("keyway-cli: ") + r.detail);
            return ExitUsage;
        case LifecycleResult::Outcome::NoToken:
            return std::nullopt;
        case LifecycleResult::Outcome::Network:
            if (m_o.json) {
                printResultLine(false, 0, QString(), r.detail);
            }
            m_io.err(tr("keyway-cli: the server could not be reached: %1").arg(r.detail));
            return ExitUnreachable;
        case LifecycleResult::Outcome::Refused:
        case LifecycleResult::Outcome::Invalid:
            break;
        }
        if (m_o.json) {
            printResultLine(false, r.status, r.body, r.detail);
        }
        m_io.err(QStringLiteral("keyway-cli: ") + r.detail);
        return ExitProviderRefused;
    }

    int runIntrospect()
    {
        TokenLifecycle lifecycle(m_session.get());
        const auto result = await<LifecycleResult>(
            [&](auto reply) { lifecycle.introspect(TokenLifecycle::Which::AccessToken, reply); });
        if (auto code = lifecycleFailed(result)) {
            return *code;
        }
        if (m_o.json) {
            nlohmann::ordered_json j;
            j["event"] = "result";
            j["ok"] = result.active;
            j["status"] = result.status;
            j["active"] = result.active;
            addBody(j, result.body.toUtf8(), m_session->redactor());
            m_io.jsonLine(j);
        } else {
            m_io.outLine(result.body.trimmed());
            if (!result.active) {
                m_io.err(tr("keyway-cli: the provider says the token is not active"));
            }
        }
        return result.active ? ExitOk : ExitProviderRefused;
    }

    int runRevoke()
    {
        TokenLifecycle lifecycle(m_session.get());
        const auto result
            = await<LifecycleResult>([&](auto reply) { lifecycle.revoke(TokenLifecycle::Which::Both, reply); });
        if (auto code = lifecycleFailed(result)) {
            return *code;
        }
        if (m_o.json) {
            nlohmann::ordered_json j;
            j["event"] = "result";
            j["ok"] = true;
            j["status"] = result.status;
            nlohmann::ordered_json revoked = nlohmann::ordered_json::array();
            for (const QString& name : std::as_const(result.revoked)) {
                revoked.push_back(name.toStdString());
            }
            j["revoked"] = revoked;
            m_io.jsonLine(j);
        } else if (result.outcome == LifecycleResult::Outcome::NoToken) {
            m_io.err(QStringLiteral("keyway-cli: ") + result.detail);
        } else {
            for (const QString& name : std::as_const(result.revoked)) {
                m_io.outLine(tr("Revoked the %1 of %2 at the provider.").arg(name, m_env.name));
            }
            m_io.outLine(tr("The stored refresh token is deleted: the next call signs in again."));
        }
        return ExitOk;
    }

    Options m_o;
    CliIo& m_io;
    EnvironmentContext m_context;
    const ProviderProfile* m_profile = nullptr;
    Environment m_env;
    std::unique_ptr<Session> m_session;
    int m_pendingWrites = 0;
    QEventLoop* m_writesLoop = nullptr;
    int m_lastStatus = 0;
    QString m_lastBody;
    bool m_lastWaitWasBrowser = false; // a sign-in that timed out waited for a redirect, not a device approval
};

// keyway-cli auth | call | check: one class, the command decides the synopsis and the extra options.
class FlowCliCommand : public CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::FlowCommands)

public:
    explicit FlowCliCommand(Command command) : m_command(command) { }

    QString name() const override
    {
        switch (m_command) {
        case Command::Auth:
            return QStringLiteral("auth");
        case Command::Call:
            return QStringLiteral("call");
        case Command::Check:
            return QStringLiteral("check");
        case Command::Introspect:
            return QStringLiteral("introspect");
        case Command::Revoke:
            return QStringLiteral("revoke");
        }
        return {};
    }

    QString synopsis() const override
    {
        const QString common = QStringLiteral(
            "[--credentials SET] [--no-browser] [--sign-in-timeout SECONDS] [--max-time SECONDS] [-v] [--json]");
        if (m_command == Command::Call) {
            return QStringLiteral("NAME METHOD PATH [-d BODY|@FILE|@-] [-H \"Name: value\"]... [-i] ") + common;
        }
        if (m_command == Command::Revoke) {
            return QStringLiteral("NAME [--credentials SET] [--max-time SECONDS] [-v] [--json]");
        }
        if (m_command == Command::Check) {
            return QStringLiteral("NAME ") + common
                + QStringLiteral(" | --all [--provider ID] [--jobs N] [--junit FILE] [--json]");
        }
        return QStringLiteral("NAME ") + common;
    }

    QString summary() const override
    {
        switch (m_command) {
        case Command::Auth:
            return tr("Runs the provider's whole sign-in flow and shows what it received (never a secret).");
        case Command::Call:
            return tr("Sends one authenticated request and writes the reply body to standard output, byte for byte.");
        case Command::Check:
            return tr("Proves the credentials work: obtains a token and sends the profile's check request.");
        case Command::Introspect:
            return tr("Asks the provider whether the current access token is active (RFC 7662) and prints its reply; "
                      "exit 0 when active, 1 when not.");
        case Command::Revoke:
            return tr("Revokes the refresh token and the access token at the provider (RFC 7009) and deletes the "
                      "stored refresh token.");
        }
        return {};
    }

    QList<CliOption> options() const override
    {
        QList<CliOption> list;
        if (m_command == Command::Call) {
            list.append({{QStringLiteral("d"), QStringLiteral("data")},
                         QStringLiteral("BODY|@FILE|@-"),
                         tr("The request body: text, @FILE for a file's bytes, @- for standard input.")});
            list.append({{QStringLiteral("H"), QStringLiteral("header")},
                         QStringLiteral("\"Name: value\""),
                         tr("An extra request header; repeat for more.")});
            list.append({{QStringLiteral("i"), QStringLiteral("include")},
                         {},
                         tr("Print the status line and the response headers before the body.")});
        }
        if (m_command == Command::Check) {
            list.append({{QStringLiteral("all")},
                         {},
                         tr("Check every environment, several at once; browser sign-ins are never started.")});
            list.append({{QStringLiteral("provider")}, QStringLiteral("ID"), tr("With --all: only this provider's.")});
            list.append({{QStringLiteral("jobs")}, QStringLiteral("N"), tr("With --all: at most N at once (4).")});
            list.append({{QStringLiteral("junit")}, QStringLiteral("FILE"), tr("With --all: a JUnit XML report.")});
        }
        for (const CliOption& option : networkOptions()) {
            // revoke never signs in: it revokes what is stored.
            if (m_command != Command::Revoke
                || (!option.names.contains(QStringLiteral("no-browser"))
                    && !option.names.contains(QStringLiteral("sign-in-timeout")))) {
                list.append(option);
            }
        }
        return list;
    }

    int run(const CliArguments& arguments, CliIo& io) override
    {
        if (m_command == Command::Check && arguments.isSet(QStringLiteral("all"))) {
            return runCheckAll(*this, arguments, io);
        }
        for (const char* option : {"provider", "jobs", "junit"}) {
            if (m_command == Command::Check && arguments.isSet(QString::fromLatin1(option))) {
                return usageError(
                    io,
                    tr("--%1 goes with --all (check NAME checks one environment).").arg(QString::fromLatin1(option)));
            }
        }
        Options o;
        o.command = m_command;
        if (auto code = readCommon(*this, arguments, io, &o)) {
            return *code;
        }
        const QStringList positional = arguments.positional();
        const int wanted = m_command == Command::Call ? 3 : 1;
        if (positional.size() != wanted) {
            return usageError(io, positional.size() < wanted ? tr("missing arguments") : tr("too many arguments"));
        }
        o.name = positional[0];
        if (m_command == Command::Call) {
            if (auto code = readCallOptions(arguments, positional, io, &o)) {
                return *code;
            }
        }
        FlowCommand command(o, io);
        return command.run();
    }

private:
    std::optional<int>
    readCallOptions(const CliArguments& arguments, const QStringList& positional, CliIo& io, Options* o) const
    {
        o->include = arguments.isSet(QStringLiteral("include"));
        o->method = positional[1].toUpper();
        static const QSet<QString> methods = {QStringLiteral("GET"),
                                              QStringLiteral("POST"),
                                              QStringLiteral("PUT"),
                                              QStringLiteral("PATCH"),
                                              QStringLiteral("DELETE"),
                                              QStringLiteral("HEAD"),
                                              QStringLiteral("OPTIONS")};
        if (!methods.contains(o->method)) {
            return usageError(io, tr("unknown HTTP method %1").arg(positional[1]));
        }
        o->path = positional[2];
        for (const QString& header : arguments.values(QStringLiteral("header"))) {
            const qsizetype colon = header.indexOf(QLatin1Char(':'));
            const QString headerName = colon > 0 ? header.left(colon).trimmed() : QString();
            if (headerName.isEmpty() || headerName.contains(QLatin1Char(' '))) {
                return usageError(io, tr("expected a header as \"Name: value\", got \"%1\"").arg(header));
            }
            o->headers.append({headerName.toLatin1(), header.mid(colon + 1).trimmed().toUtf8()});
        }
        if (arguments.isSet(QStringLiteral("data"))) {
            const QString data = arguments.value(QStringLiteral("data"));
            if (data == QLatin1String("@-")) {
                o->body = io.readAll();
            } else if (data.startsWith(QLatin1Char('@'))) {
                QFile file(data.mid(1));
                if (!file.open(QIODevice::ReadOnly)) {
                    io.err(tr("keyway-cli: cannot read %1: %2").arg(data.mid(1), file.errorString()));
                    return ExitUsage;
                }
                o->body = file.readAll();
            } else {
                o->body = data.toUtf8();
            }
        }
        return std::nullopt;
    }

    Command m_command;
};

} // namespace

std::unique_ptr<CliCommand> makeAuthCommand()
{
    return std::make_unique<FlowCliCommand>(Command::Auth);
}

std::unique_ptr<CliCommand> makeCallCommand()
{
    return std::make_unique<FlowCliCommand>(Command::Call);
}

std::unique_ptr<CliCommand> makeCheckCommand()
{
    return std::make_unique<FlowCliCommand>(Command::Check);
}

std::unique_ptr<CliCommand> makeIntrospectCommand()
{
    return std::make_unique<FlowCliCommand>(Command::Introspect);
}

std::unique_ptr<CliCommand> makeRevokeCommand()
{
    return std::make_unique<FlowCliCommand>(Command::Revoke);
}

} // namespace keyway::cli
