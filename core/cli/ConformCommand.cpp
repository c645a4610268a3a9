#include "core/checks/ConformanceRun.h"
#include "core/cli/BrowserOpener.h"
#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/cli/EnvironmentContext.h"
#include "core/cli/NetworkOptions.h"

#include <QCoreApplication>
#include <QEventLoop>

namespace keyway::cli {

namespace {

// keyway-cli conform NAME [--no-browser] [--sign-in-timeout SECONDS] [--max-time SECONDS] [--json]: the Seam-provider
// checks.
class ConformCommand : public CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::ConformCommand)

public:
    QString name() const override { return QStringLiteral("conform"); }
    QString synopsis() const override
    {
        return QStringLiteral("NAME [--no-browser] [--sign-in-timeout SECONDS] [--max-time SECONDS] [--json]");
    }
    QString summary() const override
    {
        return tr("Runs the seven provider conformance checks against an authorization-code environment.");
    }
    QList<CliOption> options() const override
    {
        return {
            {{QStringLiteral("no-browser")},
             {},
             tr("Print the sign-in URLs instead of opening a browser, then wait for the redirects.")},
            NetworkOptions::signInTimeout(),
            NetworkOptions::maxTime(),
            NetworkOptions::verbose(),
            {{QStringLiteral("json")}, {}, tr("JSON Lines: the events, one check object per check, then the result.")},
        };
    }
    int run(const CliArguments& arguments, CliIo& io) override;
};

int ConformCommand::run(const CliArguments& arguments, CliIo& io)
{
    const bool noBrowser = arguments.isSet(QStringLiteral("no-browser"));
    const bool json = arguments.isSet(QStringLiteral("json"));
    const bool verbose = arguments.isSet(QStringLiteral("verbose"));
    if (arguments.positional().size() > 1) {
        return usageError(io, tr("unexpected argument '%1'").arg(arguments.positional().at(1)));
    }
    if (arguments.positional().isEmpty()) {
        return usageError(io, tr("missing the environment NAME"));
    }
    const QString name = arguments.positional().first();
    if (auto code = NetworkOptions::applyMaxTime(*this, arguments, io)) {
        return *code;
    }
    int browserTimeoutMs = FlowOptions().browserTimeoutMs;
    if (auto code = NetworkOptions::readSignInTimeout(*this, arguments, io, &browserTimeoutMs)) {
        return *code;
    }

    EnvironmentContext context;
    EnvironmentContext::Request request;
    request.name = name;
    request.secretKeys = &EnvironmentContext::secretFieldsSentByFlow; // public clients have no client_secret
    request.requireValues = true;
    if (auto code = EnvironmentContext::open(request, io, &context)) {
        return *code;
    }
    if (auto code = context.requireUsableConnection(io)) {
        return *code;
    }
    const ProviderProfile& profile = context.profile();
    if (!ConformanceRun::appliesTo(profile)) {
        io.err(tr("keyway-cli conform: %1").arg(ConformanceRun::notApplicableReason(profile, name)));
        return ExitUsage;
    }

    ConformanceRun::Options options;
    options.flow.baseUrl = context.baseUrl();
    options.flow.credentials = context.credentials();
    options.flow.connection = context.connection();
    options.flow.openUrl = makeBrowserOpener(io, noBrowser, json, browserTimeoutMs);
    options.flow.browserTimeoutMs = browserTimeoutMs;

    ConformanceRun run(context.profile(), options);
    int passed = 0;
    int failed = 0;
    int notRun = 0;
    QString unreachable; // the first "could not reach the server": the checks then say nothing about the server
    QObject::connect(&run, &ConformanceRun::event, &run, [&](const FlowEvent& e) {
        if (e.type == FlowEvent::Type::StepFailed && !e.failure.isEmpty() && unreachable.isEmpty()) {
            unreachable = e.detail;
        }
        if (json) {
            io.jsonLine(e.toJson());
        }
        if (verbose) {
            NetworkOptions::printExchange(io, e);
        }
    });
    QObject::connect(&run, &ConformanceRun::warning, &run, [&](const QString& text) {
        io.err(tr("keyway-cli: warning: %1").arg(text));
    });
    QObject::connect(&run, &ConformanceRun::checkFinished, &run, [&](const ConformanceRun::Check& check) {
        (check.notRun ? notRun : check.pass ? passed : failed)++;
        if (json) {
            nlohmann::ordered_json j;
            j["event"] = "check";
            j["name"] = check.name.toStdString();
            j["result"] = check.notRun ? "not_run" : check.pass ? "pass" : "fail";
            j["detail"] = check.detail.toStdString();
            io.jsonLine(j);
        } else {
            const QString verdict = check.notRun ? QStringLiteral("NOT RUN")
                : check.pass                     ? QStringLiteral("PASS")
                                                 : QStringLiteral("FAIL");
            io.outLine(QStringLiteral("%1 %2: %3").arg(verdict, check.name, check.detail));
        }
    });
    QEventLoop loop;
    bool allPassed = false;
    QObject::connect(&run, &ConformanceRun::finished, &loop, [&](bool all) {
        allPassed = all;
        loop.quit();
    });
    run.start();
    loop.exec();
    if (json) {
        nlohmann::ordered_json j;
        j["event"] = "result";
        j["ok"] = allPassed;
        j["passed"] = passed;
        j["failed"] = failed;
        j["not_run"] = notRun;
        io.jsonLine(j);
    } else {
        io.outLine(tr("%1 of %2 checks passed").arg(passed).arg(passed + failed + notRun));
    }
    if (!allPassed && !unreachable.isEmpty()) {
        io.err(tr("keyway-cli: the server could not be reached: %1").arg(unreachable));
        return ExitUnreachable;
    }
    if (allPassed) {
        return ExitOk;
    }
    if (run.signInTimedOut()) {
        NetworkOptions::adviseOnSignInTimeout(io); // the same advice auth and call give
    }
    // A check the provider failed outweighs one a local problem (a sign-in that never finished) kept from
    // running; only the latter is an auth flow failure (exit 3), like a browser timeout in auth.
    return failed > 0 || notRun == 0 ? ExitProviderRefused : ExitAuthFailed;
}

} // namespace

std::unique_ptr<CliCommand> makeConformCommand()
{
    return std::make_unique<ConformCommand>();
}

} // namespace keyway::cli
