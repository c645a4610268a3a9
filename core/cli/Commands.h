#pragma once

#include "core/cli/CliCommand.h"

#include <QStringList>

namespace keyway::cli {

class CliIo;

// Entry point of keyway-cli: dispatches `args` (without the program name) to one command.
int runCli(const QStringList& args, CliIo& io);

// The commands, each family in its own file. A new command is one CliCommand subclass plus one line
// in allCliCommands() (CliApp.cpp).
std::unique_ptr<CliCommand> makeProvidersCommand(); // ProvidersCommand.cpp
CliCommandList makeEnvCommands(); // EnvCommand.cpp: env add, env list, env show, env rm
std::unique_ptr<CliCommand> makeAuthCommand(); // FlowCommands.cpp
std::unique_ptr<CliCommand> makeCallCommand(); // FlowCommands.cpp
std::unique_ptr<CliCommand> makeCheckCommand(); // FlowCommands.cpp
std::unique_ptr<CliCommand> makeIntrospectCommand(); // FlowCommands.cpp (core/session/TokenLifecycle)
std::unique_ptr<CliCommand> makeRevokeCommand(); // FlowCommands.cpp (core/session/TokenLifecycle)
// check --all (CheckAllCommand.cpp): the check command hands over when --all is given.
int runCheckAll(const CliCommand& command, const CliArguments& arguments, CliIo& io);
CliCommandList makeBundleCommands(); // BundleCommands.cpp: env export, env import
std::unique_ptr<CliCommand> makeConformCommand(); // ConformCommand.cpp
std::unique_ptr<CliCommand> makeWebhookVerifyCommand(); // WebhookCommand.cpp
std::unique_ptr<CliCommand> makeSandboxCommand(); // SandboxCommand.cpp
std::unique_ptr<CliCommand> makeCompletionCommand(); // CompletionCommand.cpp

} // namespace keyway::cli
