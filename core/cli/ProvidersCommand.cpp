#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"

namespace keyway::cli {

// Placeholder until this command lands.
int runProvidersCommand(const QStringList&, CliIo& io)
{
    io.err(QStringLiteral("keyway-cli: this command is not available yet."));
    return ExitUsage;
}

} // namespace keyway::cli
