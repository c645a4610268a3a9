#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"

namespace keyway::cli {

// Placeholders until the flow engine lands.
int runAuthCommand(const QStringList&, CliIo& io)
{
    io.err(QStringLiteral("keyway-cli: this command is not available yet."));
    return ExitUsage;
}

int runCallCommand(const QStringList&, CliIo& io)
{
    io.err(QStringLiteral("keyway-cli: this command is not available yet."));
    return ExitUsage;
}

int runCheckCommand(const QStringList&, CliIo& io)
{
    io.err(QStringLiteral("keyway-cli: this command is not available yet."));
    return ExitUsage;
}

} // namespace keyway::cli
