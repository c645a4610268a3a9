#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/sandbox/SandboxServer.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace keyway::cli {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("keyway::cli::sandbox", text);
}

// SIGINT / SIGTERM end the event loop through a self-pipe: the handler only writes one byte,
// the event loop reads it and quits, so the command returns 0 like any clean exit.
int g_signalFd[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFd[0], &byte, 1);
}

struct Options
{
    quint16 port = 0;
    double timeScale = 1.0;
    bool json = false;
};

bool parseOptions(const QStringList& args, Options* options, QString* error)
{
    for (int i = 0; i < args.size(); ++i) {
        const QString& arg = args.at(i);
        if (arg == QLatin1String("--json")) {
            options->json = true;
        } else if (arg == QLatin1String("--port") || arg == QLatin1String("--time-scale")) {
            if (i + 1 >= args.size()) {
                *error = tr("keyway-cli sandbox: %1 needs a value.").arg(arg);
                return false;
            }
            const QString value = args.at(++i);
            bool ok = false;
            if (arg == QLatin1String("--port")) {
                const uint port = value.toUInt(&ok);
                if (!ok || port > 65535) {
                    *error = tr("keyway-cli sandbox: --port must be a number from 0 to 65535 (0 picks a free "
                                "port), not '%1'.")
                                 .arg(value);
                    return false;
                }
                options->port = static_cast<quint16>(port);
            } else {
                const double scale = value.toDouble(&ok);
                if (!ok || !(scale > 0) || scale > 1e6) {
                    *error = tr("keyway-cli sandbox: --time-scale must be a positive number (60 makes a 10-minute "
                                "code live 10 seconds), not '%1'.")
                                 .arg(value);
                    return false;
                }
                options->timeScale = scale;
            }
        } else {
            *error = tr("keyway-cli sandbox: unknown argument '%1'.\n"
                        "Usage: keyway-cli sandbox [--port N] [--time-scale X] [--json]")
                         .arg(arg);
            return false;
        }
    }
    return true;
}

void printHuman(CliIo& io, const sandbox::SandboxServer& server)
{
    io.outLine(tr("Keyway sandbox listening on %1 (time scale %2x). Press Ctrl+C to stop.")
                   .arg(server.rootUrl().toString())
                   .arg(server.timeScale()));
    io.outLine(tr("Demo credentials are throwaway values, public by design."));
    const auto providers = server.demoProviders();
    for (const sandbox::DemoProvider& demo : providers) {
        io.outLine(QString());
        io.outLine(demo.providerId + QStringLiteral("  ") + demo.baseUrl.toString());
        for (const auto& credential : demo.credentials) {
            io.outLine(QStringLiteral("  ") + credential.first + QStringLiteral(": ") + credential.second);
        }
    }
    io.outLine(QString());
    io.outLine(tr("Sign-in page user (oauth2-code): %1 / %2")
                   .arg(sandbox::SandboxServer::demoUsername(), sandbox::SandboxServer::demoPassword()));
    io.outLine(tr("Faults: GET %1/_sandbox/faults lists them; POST {\"provider\": ID, \"fault\": NAME, \"on\": true} "
                  "switches one.")
                   .arg(server.rootUrl().toString()));
}

void printJson(CliIo& io, const sandbox::SandboxServer& server)
{
    const auto providers = server.demoProviders();
    for (const sandbox::DemoProvider& demo : providers) {
        nlohmann::ordered_json credentials = nlohmann::ordered_json::object();
        for (const auto& credential : demo.credentials) {
            credentials[credential.first.toStdString()] = credential.second.toStdString();
        }
        io.jsonLine(nlohmann::ordered_json {{"provider", demo.providerId.toStdString()},
                                            {"base_url", demo.baseUrl.toString().toStdString()},
                                            {"credentials", credentials}});
    }
}

} // namespace

int runSandboxCommand(const QStringList& args, CliIo& io)
{
    Options options;
    QString error;
    if (!parseOptions(args, &options, &error)) {
        io.err(error);
        return ExitUsage;
    }

    sandbox::SandboxServer server;
    server.setTimeScale(options.timeScale);
    if (!server.listen(options.port)) {
        io.err(tr("keyway-cli sandbox: %1").arg(server.errorString()));
        return ExitUsage;
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0) {
        io.err(tr("keyway-cli sandbox: cannot set up signal handling."));
        return ExitUsage;
    }
    QSocketNotifier notifier(g_signalFd[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [] {
        char byte = 0;
        [[maybe_unused]] const auto bytesRead = ::read(g_signalFd[1], &byte, 1);
        QCoreApplication::quit();
    });
    struct sigaction action
    {
    };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    if (options.json) {
        printJson(io, server);
    } else {
        printHuman(io, server);
    }

    QCoreApplication::exec();

    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    ::close(g_signalFd[0]);
    ::close(g_signalFd[1]);
    g_signalFd[0] = g_signalFd[1] = -1;
    return ExitOk;
}

} // namespace keyway::cli
