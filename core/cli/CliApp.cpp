#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/http/RequestExecutor.h"

#include <QCoreApplication>

namespace keyway::cli {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::CliApp)
};

bool isHelpFlag(const QString& arg)
{
    return arg == QLatin1String("--help") || arg == QLatin1String("-h");
}

// The words a command answers to: its name, and its name with the last word replaced by an alias.
bool answersTo(const CliCommand& command, const QStringList& words)
{
    const QStringList name = command.name().split(QLatin1Char(' '));
    if (name.size() != words.size()) {
        return false;
    }
    for (qsizetype i = 0; i + 1 < name.size(); ++i) {
        if (name[i] != words[i]) {
            return false;
        }
    }
    return name.last() == words.last() || command.aliases().contains(words.last());
}

// The command named by the first words of `args`; `consumed` is how many words its name took.
CliCommand* findCommand(const QStringList& args, qsizetype* consumed)
{
    for (qsizetype words = qMin<qsizetype>(2, args.size()); words > 0; --words) {
        for (const auto& command : allCliCommands()) {
            if (answersTo(*command, args.mid(0, words))) {
                *consumed = words;
                return command.get();
            }
        }
    }
    return nullptr;
}

// Commands of a group such as "env" ("env add", "env list", ...), empty when `word` is no group.
QList<const CliCommand*> groupOf(const QString& word)
{
    QList<const CliCommand*> members;
    for (const auto& command : allCliCommands()) {
        if (command->name().startsWith(word + QLatin1Char(' '))) {
            members.append(command.get());
        }
    }
    return members;
}

QString usageOf(const QList<const CliCommand*>& commands)
{
    QString text = Text::tr("Usage:");
    for (const CliCommand* command : commands) {
        text += QStringLiteral("\n  keyway-cli ")
            + QString(command->name() + QLatin1Char(' ') + command->synopsis()).trimmed();
    }
    return text;
}

QString fullUsage()
{
    QList<const CliCommand*> commands;
    for (const auto& command : allCliCommands()) {
        commands.append(command.get());
    }
    return usageOf(commands) + QLatin1Char('\n')
        + Text::tr("  keyway-cli COMMAND --help | keyway-cli help COMMAND   (a command's options)\n"
                   "  keyway-cli --version\n"
                   "\n"
                   "Exit codes: 0 ok, 1 the provider refused the call, 2 usage or bad input (also: standard\n"
                   "output could not be written), 3 the auth flow failed, 4 keychain unavailable or locked,\n"
                   "5 the server could not be reached (connection, TLS, timeout, --max-time deadline).");
}

int helpFor(const QStringList& words, CliIo& io)
{
    if (words.isEmpty()) {
        io.outLine(fullUsage());
        return ExitOk;
    }
    qsizetype consumed = 0;
    if (const CliCommand* command = findCommand(words, &consumed); command && consumed == words.size()) {
        io.outLine(command->helpText());
        return ExitOk;
    }
    if (const auto group = groupOf(words.first()); words.size() == 1 && !group.isEmpty()) {
        io.outLine(usageOf(group));
        return ExitOk;
    }
    io.err(Text::tr("keyway-cli: no command '%1'.").arg(words.join(QLatin1Char(' '))));
    io.err(fullUsage());
    return ExitUsage;
}

int dispatch(const QStringList& args, CliIo& io)
{
    if (args.isEmpty()) {
        io.err(fullUsage());
        return ExitUsage;
    }
    const QString& first = args.first();
    if (isHelpFlag(first)) {
        return helpFor({}, io);
    }
    if (first == QLatin1String("help")) {
        return helpFor(args.mid(1), io);
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-V")) {
        io.outLine(QStringLiteral("keyway-cli ") + QCoreApplication::applicationVersion());
        return ExitOk;
    }
    qsizetype consumed = 0;
    if (CliCommand* command = findCommand(args, &consumed)) {
        return command->execute(args.mid(consumed), io);
    }
    if (const auto group = groupOf(first); !group.isEmpty()) {
        if (args.size() > 1 && isHelpFlag(args.at(1))) {
            io.outLine(usageOf(group));
            return ExitOk;
        }
        const QString problem = args.size() < 2
            ? Text::tr("keyway-cli %1: missing sub-command.").arg(first)
            : Text::tr("keyway-cli %1: unknown sub-command '%2'.").arg(first, args.at(1));
        io.err(problem);
        io.err(usageOf(group));
        return ExitUsage;
    }
    io.err(Text::tr("keyway-cli: unknown command '%1'.").arg(first));
    io.err(fullUsage());
    return ExitUsage;
}

} // namespace

const CliCommandList& allCliCommands()
{
    static const CliCommandList commands = [] {
        CliCommandList list;
        list.push_back(makeProvidersCommand());
        for (auto& command : makeEnvCommands()) {
            list.push_back(std::move(command));
        }
        for (auto& command : makeBundleCommands()) {
            list.push_back(std::move(command));
        }
        list.push_back(makeAuthCommand());
        list.push_back(makeCallCommand());
        list.push_back(makeCheckCommand());
        list.push_back(makeIntrospectCommand());
        list.push_back(makeRevokeCommand());
        list.push_back(makeConformCommand());
        list.push_back(makeWebhookVerifyCommand());
        list.push_back(makeSandboxCommand());
        list.push_back(makeCompletionCommand());
        return list;
    }();
    return commands;
}

int runCli(const QStringList& args, CliIo& io)
{
    const int code = dispatch(args, io);
    RequestExecutor::releaseForCurrentThread();
    if (io.outputFailed()) {
        // Like curl's "failed writing body": a script must not take a truncated reply for a whole one.
        io.err(Text::tr("keyway-cli: could not write to standard output (%1).").arg(io.outputError()));
        return code == ExitOk ? ExitUsage : code;
    }
    return code;
}

} // namespace keyway::cli
