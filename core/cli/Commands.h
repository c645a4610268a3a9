#pragma once

#include <QStringList>

namespace keyway::cli {

class CliIo;

// Entry point of keyway-cli: dispatches `args` (without the program name) to one command.
int runCli(const QStringList& args, CliIo& io);

// One function per command family, each in its own file. `args` starts after the command name
// (for `env add NAME ...` the env command receives `add NAME ...`).
int runProvidersCommand(const QStringList& args, CliIo& io); // ProvidersCommand.cpp
int runEnvCommand(const QStringList& args, CliIo& io); // EnvCommand.cpp
int runAuthCommand(const QStringList& args, CliIo& io); // FlowCommands.cpp
int runCallCommand(const QStringList& args, CliIo& io); // FlowCommands.cpp
int runCheckCommand(const QStringList& args, CliIo& io); // FlowCommands.cpp
int runConformCommand(const QStringList& args, CliIo& io); // ConformCommand.cpp
int runWebhookCommand(const QStringList& args, CliIo& io); // WebhookCommand.cpp
int runSandboxCommand(const QStringList& args, CliIo& io); // SandboxCommand.cpp

} // namespace keyway::cli
