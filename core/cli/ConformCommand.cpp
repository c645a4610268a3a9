#include "core/checks/ConformanceRun.h"
#include "core/cli/BrowserOpener.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/cli/EnvironmentContext.h"

#include <QCoreApplication>
#include <QEventLoop>

namespace keyway::cli {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("keyway::cli", text);
}

int usage(CliIo& io, const QString& message)
{
    io.err(QStringLiteral("keyway-cli conform: ") + message);
    io.err(tr("Usage: keyway-cli conform NAME [--no-browser] [--json]"));
    return ExitUsage;
}

} // namespace

// keyway-cli conform NAME [--no-browser] [--json]: the Seam-provider checks (DESIGN.md, "conform").
int runConformCommand(const QStringList& args, CliIo& io)
{
    QString name;
    bool noBrowser = false;
    bool json = false;
    for (const QString& arg : args) {
        if (arg == QLatin1String("--no-browser")) {
            noBrowser = true;
        } else if (arg == QLatin1String("--json")) {
            json = true;
        } else if (arg.startsWith(QLatin1Char('-')) || !name.isEmpty()) {
            return usage(io, tr("unexpected argument '%1'").arg(arg));
        } else {
            name = arg;
        }
    }
    if (name.isEmpty()) {
        return usage(io, tr("missing the environment NAME"));
    }

    EnvironmentContext context;
    EnvironmentContext::Request request;
    request.name = name;
    request.secretKeys = &EnvironmentContext::secretFieldsSentByFlow; // public clients have no client_secret
    request.requireValues = true;
    if (auto code = EnvironmentContext::open(request, io, &context)) {
        return *code;
    }
    const ProviderProfile& profile = context.profile();
    if (profile.steps.isEmpty() || profile.steps.first().kind != StepKind::Browser || !profile.refresh) {
        io.err(tr("keyway-cli conform: '%1' uses provider '%2'; conform checks authorization-code providers with "
                  "refresh tokens (provider oauth2-code)")
                   .arg(name, profile.id));
        return ExitUsage;
    }

    ConformanceRun::Options options;
    options.flow.baseUrl = context.baseUrl();
    options.flow.credentials = context.credentials();
    options.flow.openUrl = makeBrowserOpener(io, noBrowser, json);

    ConformanceRun run(context.profile(), options);
    int passed = 0;
    int failed = 0;
    QObject::connect(&run, &ConformanceRun::event, &run, [&](const FlowEvent& e) {
        if (json) {
            io.jsonLine(e.toJson());
        }
    });
    QObject::connect(
        &run, &ConformanceRun::warning, &run, [&](const QString& text) { io.err(tr("warning: %1").arg(text)); });
    QObject::connect(&run, &ConformanceRun::checkFinished, &run, [&](const ConformanceRun::Check& check) {
        (check.pass ? passed : failed)++;
        if (json) {
            nlohmann::ordered_json j;
            j["event"] = "check";
            j["name"] = check.name.toStdString();
            j["result"] = check.pass ? "pass" : "fail";
            j["detail"] = check.detail.toStdString();
            io.jsonLine(j);
        } else {
            io.outLine(
                QStringLiteral("%1 %2: %3")
                    .arg(check.pass ? QStringLiteral("PASS") : QStringLiteral("FAIL"), check.name, check.detail));
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
        io.jsonLine(j);
    } else {
        io.outLine(tr("%1 of %2 checks passed").arg(passed).arg(passed + failed));
    }
    return allPassed ? ExitOk : ExitProviderRefused;
}

} // namespace keyway::cli
