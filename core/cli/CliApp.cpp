#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"

#include <QCoreApplication>

#include <functional>
#include <map>

namespace keyway::cli {

namespace {

QString usageText()
{
    return QCoreApplication::translate("keyway::cli",
                                       "Usage:\n"
                                       "  keyway-cli providers [--json]\n"
                                       "  keyway-cli env add NAME --provider ID [--base-url URL] [--set KEY=VALUE]... "
                                       "[--secret KEY]...\n"
                                       "  keyway-cli env list [--json] | env show NAME [--json] | env rm NAME\n"
                                       "  keyway-cli auth NAME [--credentials SET] [--no-browser] [--json]\n"
                                       "  keyway-cli call NAME METHOD PATH [-d BODY|@FILE] [-H \"Name: value\"]... "
                                       "[--credentials SET] [--no-browser] [-i] [--json]\n"
                                       "  keyway-cli check NAME [--credentials SET] [--no-browser] [--json]\n"
                                       "  keyway-cli conform NAME [--no-browser] [--json]\n"
                                       "  keyway-cli webhook verify NAME --signature SIG [--body BODY|@FILE]\n"
                                       "  keyway-cli sandbox [--port N] [--time-scale X] [--json]\n"
                                       "\n"
                                       "Exit codes: 0 ok, 1 the provider refused the call, 2 usage or bad input,\n"
                                       "3 the auth flow failed, 4 keychain unavailable or locked.");
}

} // namespace

int runCli(const QStringList& args, CliIo& io)
{
    using Command = std::function<int(const QStringList&, CliIo&)>;
    static const std::map<QString, Command> commands = {
        {QStringLiteral("providers"), runProvidersCommand},
        {QStringLiteral("env"), runEnvCommand},
        {QStringLiteral("auth"), runAuthCommand},
        {QStringLiteral("call"), runCallCommand},
        {QStringLiteral("check"), runCheckCommand},
        {QStringLiteral("conform"), runConformCommand},
        {QStringLiteral("webhook"), runWebhookCommand},
        {QStringLiteral("sandbox"), runSandboxCommand},
    };

    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")
        || args.first() == QLatin1String("help")) {
        (args.isEmpty() ? io.err(usageText()) : io.outLine(usageText()));
        return args.isEmpty() ? ExitUsage : ExitOk;
    }
    if (args.first() == QLatin1String("--version")) {
        io.outLine(QStringLiteral("keyway-cli ") + QCoreApplication::applicationVersion());
        return ExitOk;
    }
    const auto it = commands.find(args.first());
    if (it == commands.end()) {
        io.err(QCoreApplication::translate("keyway::cli", "keyway-cli: unknown command '%1'.").arg(args.first()));
        io.err(usageText());
        return ExitUsage;
    }
    return it->second(args.mid(1), io);
}

} // namespace keyway::cli
