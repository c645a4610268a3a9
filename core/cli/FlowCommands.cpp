// keyway-cli auth / call / check: run a provider's flow and send authenticated requests.
// The exact contract (arguments, JSON Lines, exit codes) is DESIGN.md's "CLI" section.

#include "core/cli/BrowserOpener.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/cli/EnvironmentContext.h"
#include "core/flow/TemplateResolver.h"
#include "core/history/HistoryRecorder.h"
#include "core/history/HistoryStore.h"
#include "core/profile/ProfileLoader.h"
#include "core/session/Session.h"
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

#include <memory>
#include <optional>

namespace keyway::cli {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("keyway::cli", text);
}

enum class Command { Auth, Call, Check };

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
    bool include = false;
    bool json = false;
};

QString usageFor(Command command)
{
    switch (command) {
    case Command::Auth:
        return tr("Usage: keyway-cli auth NAME [--credentials SET] [--no-browser] [--json]");
    case Command::Call:
        return tr("Usage: keyway-cli call NAME METHOD PATH [-d BODY|@FILE] [-H \"Name: value\"]... "
                  "[--credentials SET] [--no-browser] [-i] [--json]");
    case Command::Check:
        return tr("Usage: keyway-cli check NAME [--credentials SET] [--no-browser] [--json]");
    }
    return {};
}

int usageError(CliIo& io, Command command, const QString& message)
{
    io.err(QStringLiteral("keyway-cli: ") + message);
    io.err(usageFor(command));
    return ExitUsage;
}

// Parses the arguments; returns an exit code on error.
std::optional<int> parse(const QStringList& args, Command command, CliIo& io, Options* o)
{
    o->command = command;
    QStringList positional;
    for (int i = 0; i < args.size(); ++i) {
        QString arg = args[i];
        QString inlineValue;
        bool hasInline = false;
        if (arg.startsWith(QLatin1String("--")) && arg.contains(QLatin1Char('='))) {
            inlineValue = arg.mid(arg.indexOf(QLatin1Char('=')) + 1);
            arg = arg.left(arg.indexOf(QLatin1Char('=')));
            hasInline = true;
        }
        auto value = [&](QString* out) -> bool {
            if (hasInline) {
                *out = inlineValue;
                return true;
            }
            if (i + 1 >= args.size()) {
                return false;
            }
            *out = args[++i];
            return true;
        };
        const bool callOnly = command == Command::Call;
        if (arg == QLatin1String("--json")) {
            o->json = true;
        } else if (arg == QLatin1String("--no-browser")) {
            o->noBrowser = true;
        } else if (arg == QLatin1String("--credentials")) {
            if (!value(&o->credentialSet) || o->credentialSet.isEmpty()) {
                return usageError(io, command, tr("--credentials needs a credential set name"));
            }
        } else if (callOnly && (arg == QLatin1String("-i") || arg == QLatin1String("--include"))) {
            o->include = true;
        } else if (callOnly && (arg == QLatin1String("-d") || arg == QLatin1String("--data"))) {
            QString data;
            if (!value(&data)) {
                return usageError(io, command, tr("-d needs a body or @FILE"));
            }
            if (data.startsWith(QLatin1Char('@'))) {
                QFile file(data.mid(1));
                if (!file.open(QIODevice::ReadOnly)) {
                    io.err(tr("keyway-cli: cannot read %1: %2").arg(data.mid(1), file.errorString()));
                    return ExitUsage;
                }
                o->body = file.readAll();
            } else {
                o->body = data.toUtf8();
            }
        } else if (callOnly && (arg == QLatin1String("-H") || arg == QLatin1String("--header"))) {
            QString header;
            if (!value(&header)) {
                return usageError(io, command, tr("-H needs \"Name: value\""));
            }
            const int colon = header.indexOf(QLatin1Char(':'));
            const QString name = colon > 0 ? header.left(colon).trimmed() : QString();
            if (name.isEmpty() || name.contains(QLatin1Char(' '))) {
                return usageError(io, command, tr("expected a header as \"Name: value\", got \"%1\"").arg(header));
            }
            o->headers.append({name.toLatin1(), header.mid(colon + 1).trimmed().toUtf8()});
        } else if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1) {
            return usageError(io, command, tr("unknown option %1").arg(arg));
        } else {
            positional.append(args[i]);
        }
    }
    const int wanted = command == Command::Call ? 3 : 1;
    if (positional.size() != wanted) {
        return usageError(io, command, positional.size() < wanted ? tr("missing arguments") : tr("too many arguments"));
    }
    o->name = positional[0];
    if (command == Command::Call) {
        o->method = positional[1].toUpper();
        static const QSet<QString> methods = {QStringLiteral("GET"),
                                              QStringLiteral("POST"),
                                              QStringLiteral("PUT"),
                                              QStringLiteral("PATCH"),
                                              QStringLiteral("DELETE"),
                                              QStringLiteral("HEAD"),
                                              QStringLiteral("OPTIONS")};
        if (!methods.contains(o->method)) {
            return usageError(io, command, tr("unknown HTTP method %1").arg(positional[1]));
        }
        o->path = positional[2];
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
        m_profile = &m_context.profile();
        m_env = m_context.environment();
        m_o.credentialSet = m_context.credentialSet();
        const QMap<QString, QString> credentials = m_context.credentials();

        SessionOptions options;
        options.environmentId
            = m_env.id + (m_o.credentialSet.isEmpty() ? QString() : QLatin1Char('.') + m_o.credentialSet);
        options.flow.baseUrl = m_context.baseUrl();
        options.flow.credentials = credentials;
        options.flow.credentialSet = m_o.credentialSet;
        options.flow.openUrl = makeBrowserOpener(m_io, m_o.noBrowser, m_o.json);
        if (m_profile->refresh) {
            const QString key = SecretStore::refreshTokenKey(m_env.id, m_o.credentialSet);
            SecretStore* store = &m_context.secrets();
            const bool useStored = m_o.command != Command::Auth;
            options.refreshStore.load = [store, key, useStored](std::function<void(const QString&)> done) {
                if (!useStored) {
                    done(QString());
                    return;
                }
                store->read(key, [done](const SecretResult& r) { done(r.ok() ? r.value : QString()); });
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
        if (e.type == FlowEvent::Type::Response) {
            m_lastStatus = e.status;
            m_lastBody = e.body;
        }
        if (m_o.json) {
            m_io.jsonLine(e.toJson());
        }
    }

    // Runs the event loop until `done` was called.
    template <typename Start>
    void wait(Start start)
    {
        QEventLoop loop;
        bool finished = false;
        start([&] {
            finished = true;
            loop.quit();
        });
        if (!finished) {
            loop.exec();
        }
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
        m_io.err(tr("keyway-cli: authentication failed: %1").arg(r.oneLine()));
        return ExitAuthFailed;
    }

    int runAuth()
    {
        FlowResult result;
        wait([&](auto done) {
            m_session->authenticate([&, done](const FlowResult& r) {
                result = r;
                done();
            });
        });
        flushWrites();
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
        ApiResult result;
        // Recorded (redacted) in the environment's history, like the GUI's composer does.
        HistoryStore history;
        HistoryRecorder recorder(
            m_session.get(), &history, m_env.id, m_env.baseUrl.isEmpty() ? m_profile->defaultBaseUrl : m_env.baseUrl);
        wait([&](auto done) {
            recorder.call(request, [&, done](const ApiResult& r, const HistoryEntry&) {
                result = r;
                done();
            });
        });
        flushWrites();
        return report(result);
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
            j["body"] = redactor.redact(response.body).toStdString();
            if (!result.ok()) {
                j["hint"] = result.oneLine().toStdString();
            }
            m_io.jsonLine(j);
        } else if (m_o.command == Command::Call) {
            if (m_o.include && response.status > 0) {
                QString head
                    = QStringLiteral("HTTP/1.1 %1 %2\n").arg(response.status).arg(QString::fromLatin1(response.reason));
                for (const auto& [name, value] : response.headers) {
                    head += QString::fromLatin1(name) + QStringLiteral(": ") + redactor.redactHeader(name, value)
                        + QLatin1Char('\n');
                }
                m_io.out(head + QLatin1Char('\n'));
            }
            const QString shown = redactor.redact(response.body);
            m_io.out(shown);
            if (!shown.isEmpty() && !shown.endsWith(QLatin1Char('\n')) && !m_o.include) {
                m_io.out(QStringLiteral("\n"));
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
            FlowResult result;
            wait([&](auto done) {
                m_session->ensureToken([&, done](const FlowResult& r) {
                    result = r;
                    done();
                });
            });
            flushWrites();
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
        ApiResult result;
        wait([&](auto done) {
            m_session->call(request, [&, done](const ApiResult& r) {
                result = r;
                done();
            });
        });
        flushWrites();
        const int code = report(result);
        if (code == ExitOk && !m_o.json) {
            m_io.outLine(tr("ok: %1 %2 answered %3").arg(method, path).arg(result.response.status));
        }
        return code;
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
};

int runFlowCommand(Command command, const QStringList& args, CliIo& io)
{
    Options options;
    if (auto code = parse(args, command, io, &options)) {
        return *code;
    }
    FlowCommand run(options, io);
    return run.run();
}

} // namespace

int runAuthCommand(const QStringList& args, CliIo& io)
{
    return runFlowCommand(Command::Auth, args, io);
}

int runCallCommand(const QStringList& args, CliIo& io)
{
    return runFlowCommand(Command::Call, args, io);
}

int runCheckCommand(const QStringList& args, CliIo& io)
{
    return runFlowCommand(Command::Check, args, io);
}

} // namespace keyway::cli
