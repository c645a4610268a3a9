#include "core/cli/NetworkOptions.h"

#include "core/cli/CliIo.h"
#include "core/flow/FlowEngine.h"
#include "core/flow/FlowEvent.h"
#include "core/http/RequestExecutor.h"

namespace keyway::cli {

namespace {

// The one rule for a duration on the command line: seconds, fractions allowed, above 0, at most a day.
std::optional<int> secondsOption(const CliArguments& arguments, const QString& name, bool* bad)
{
    *bad = false;
    if (!arguments.isSet(name)) {
        return std::nullopt;
    }
    bool ok = false;
    const double seconds = arguments.value(name).toDouble(&ok);
    if (!ok || !(seconds > 0) || seconds > 86'400) {
        *bad = true;
        return std::nullopt;
    }
    return qMax(1, qRound(seconds * 1000));
}

} // namespace

CliOption NetworkOptions::maxTime()
{
    return {{QStringLiteral("max-time")},
            QStringLiteral("SECONDS"),
            tr("Overall deadline of each request (default 30); past it the server counts as unreachable (exit 5).")};
}

CliOption NetworkOptions::verbose()
{
    return {{QStringLiteral("v"), QStringLiteral("verbose")},
            {},
            tr("Print each request and response line with headers on standard error, secrets redacted.")};
}

CliOption NetworkOptions::signInTimeout()
{
    return {{QStringLiteral("sign-in-timeout")},
            QStringLiteral("SECONDS"),
            tr("How long a browser sign-in waits for its redirect (default %1); past it the sign-in fails (exit 3).")
                .arg(FlowOptions().browserTimeoutMs / 1000)};
}

std::optional<int> NetworkOptions::applyMaxTime(const CliCommand& command, const CliArguments& arguments, CliIo& io)
{
    bool bad = false;
    const std::optional<int> deadlineMs = secondsOption(arguments, QStringLiteral("max-time"), &bad);
    if (bad) {
        return command.usageError(io,
                                  tr("--max-time must be a number of seconds above 0 (1.5 is allowed), not '%1'")
                                      .arg(arguments.value(QStringLiteral("max-time"))));
    }
    RequestExecutor::forCurrentThread()->setDeadlineMs(deadlineMs.value_or(kDefaultMaxTimeMs));
    return std::nullopt;
}

std::optional<int> NetworkOptions::readSignInTimeout(const CliCommand& command,
                                                     const CliArguments& arguments,
                                                     CliIo& io,
                                                     int* browserTimeoutMs)
{
    bool bad = false;
    const std::optional<int> timeoutMs = secondsOption(arguments, QStringLiteral("sign-in-timeout"), &bad);
    if (bad) {
        return command.usageError(
            io,
            tr("--sign-in-timeout must be a number of seconds above 0 and at most 86400, not '%1'")
                .arg(arguments.value(QStringLiteral("sign-in-timeout"))));
    }
    if (timeoutMs) {
        *browserTimeoutMs = *timeoutMs;
    }
    return std::nullopt;
}

void NetworkOptions::adviseOnSignInTimeout(CliIo& io)
{
    io.err(tr("keyway-cli: run the command again and finish the sign-in in the browser in time; "
              "--sign-in-timeout SECONDS gives it longer."));
}

void NetworkOptions::printExchange(CliIo& io, const FlowEvent& event)
{
    QString head;
    QChar arrow;
    if (event.type == FlowEvent::Type::Request) {
        head = QStringLiteral("> ") + event.method + QLatin1Char(' ') + event.url;
        arrow = QLatin1Char('>');
    } else if (event.type == FlowEvent::Type::Response) {
        head = QStringLiteral("< HTTP %1 (%2 ms)").arg(event.status).arg(event.elapsedMs);
        arrow = QLatin1Char('<');
    } else {
        return;
    }
    io.err(head);
    for (const auto& [name, value] : event.headers) {
        io.err(arrow + QLatin1Char(' ') + name + QStringLiteral(": ") + value);
    }
    io.err(arrow);
}

} // namespace keyway::cli
