#include "core/cli/NetworkOptions.h"

#include "core/cli/CliIo.h"
#include "core/flow/FlowEvent.h"
#include "core/http/RequestExecutor.h"

namespace keyway::cli {

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

std::optional<int> NetworkOptions::applyMaxTime(const CliCommand& command, const CliArguments& arguments, CliIo& io)
{
    int deadlineMs = kDefaultMaxTimeMs;
    if (arguments.isSet(QStringLiteral("max-time"))) {
        const QString text = arguments.value(QStringLiteral("max-time"));
        bool ok = false;
        const double seconds = text.toDouble(&ok);
        if (!ok || !(seconds > 0) || seconds > 86'400) {
            return command.usageError(
                io, tr("--max-time must be a number of seconds above 0 (1.5 is allowed), not '%1'").arg(text));
        }
        deadlineMs = qMax(1, qRound(seconds * 1000));
    }
    RequestExecutor::forCurrentThread()->setDeadlineMs(deadlineMs);
    return std::nullopt;
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
