#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/http/ConnectionSettings.h"
#include "core/sandbox/SandboxServer.h"
#include "core/util/AppPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace keyway::cli {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::SandboxCommand)
};

// SIGINT / SIGTERM end the event loop through a self-pipe: the handler only writes one byte,
// the event loop reads it and quits, so the command returns 0 like any clean exit.
int g_signalFd[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFd[0], &byte, 1);
}

// The demo client key as a file for `env add --secret-file`, beside the certificates in the sandbox's
// private state directory (0600), removed when the sandbox stops. Empty when it cannot be written.
QString writeDemoClientKey(const sandbox::SandboxServer& server)
{
    const QString path = QFileInfo(server.caFile()).absolutePath() + QStringLiteral("/client-key.pem");
    QSaveFile file(path);
    const QByteArray pem = server.demoClientKey();
    if (!file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size() || !file.commit()) {
        return {};
    }
    AppPaths::makePrivateFile(path);
    return path;
}

void printHuman(CliIo& io, const sandbox::SandboxServer& server, const QString& clientKeyFile)
{
    io.outLine(Text::tr("Keyway sandbox listening on %1 (time scale %2x). Press Ctrl+C to stop.")
                   .arg(server.rootUrl().toString())
                   .arg(server.timeScale()));
    io.outLine(Text::tr("Demo credentials are throwaway values, public by design."));
    const auto providers = server.demoProviders();
    for (const sandbox::DemoProvider& demo : providers) {
        io.outLine(QString());
        io.outLine(demo.providerId + QStringLiteral("  ") + demo.baseUrl.toString());
        for (const auto& credential : demo.credentials) {
            if (credential.first == ConnectionSettings::clientKeyKey()) {
                // A PEM key spans lines: name the file that holds it, and how to store it.
                io.outLine(QStringLiteral("  ") + credential.first + QStringLiteral(": ")
                           + Text::tr("in %1 (store it with --secret-file %2=%1)")
                                 .arg(clientKeyFile, ConnectionSettings::clientKeyKey()));
                continue;
            }
            // Another PEM key (a demo client_key) spans lines: each one indented under its key.
            const QString value = credential.second.trimmed();
            io.outLine(QStringLiteral("  ") + credential.first + QStringLiteral(": ")
                       + (value.contains(QLatin1Char('\n'))
                              ? QStringLiteral("\n    ") + value.split(QLatin1Char('\n')).join(QStringLiteral("\n    "))
                              : value));
        }
    }
    io.outLine(QString());
    if (server.isTls()) {
        io.outLine(Text::tr("HTTPS with a CA made at start; trust it with tls.ca_file: %1").arg(server.caFile()));
        if (server.mutualTlsPort() != 0) {
            io.outLine(Text::tr("Port %1 demands the demo client certificate (tls.client_cert and tls.client_key).")
                           .arg(server.mutualTlsPort()));
        }
    }
    io.outLine(Text::tr("Sign-in page user (oauth2-code): %1 / %2")
                   .arg(sandbox::SandboxServer::demoUsername(), sandbox::SandboxServer::demoPassword()));
    io.outLine(
        Text::tr("Faults: GET %1/_sandbox/faults lists them; POST {\"provider\": ID, \"fault\": NAME, \"on\": true} "
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

// keyway-cli sandbox [--port N] [--time-scale X] [--tls [--client-cert PROVIDER]] [--json]
class SandboxCommand : public CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::SandboxCommand)

public:
    QString name() const override { return QStringLiteral("sandbox"); }
    QString synopsis() const override
    {
        return QStringLiteral("[--port N] [--time-scale X] [--tls [--client-cert PROVIDER]] [--json]");
    }
    QString summary() const override
    {
        return tr("Serves the provider emulators on 127.0.0.1 with throwaway demo credentials until Ctrl+C.");
    }
    QList<CliOption> options() const override
    {
        return {
            {{QStringLiteral("port")}, QStringLiteral("N"), tr("The port to listen on (default 0: a free one).")},
            {{QStringLiteral("time-scale")},
             QStringLiteral("X"),
             tr("Run the emulators' clocks X times faster (60: a 10-minute code lives 10 seconds).")},
            {{QStringLiteral("tls")},
             {},
             tr("Serve HTTPS with a CA made at start; its file is printed and set as tls.ca_file in the demo "
                "values.")},
            {{QStringLiteral("client-cert")},
             QStringLiteral("PROVIDER"),
             tr("With --tls: serve this provider on a second port that demands the demo client certificate.")},
            {{QStringLiteral("json")}, {}, tr("One JSON object per emulated provider and line.")},
        };
    }
    int run(const CliArguments& arguments, CliIo& io) override;
};

int SandboxCommand::run(const CliArguments& arguments, CliIo& io)
{
    if (!arguments.positional().isEmpty()) {
        return usageError(io, tr("unexpected argument '%1'.").arg(arguments.positional().first()));
    }
    quint16 port = 0;
    double timeScale = 1.0;
    if (arguments.isSet(QStringLiteral("port"))) {
        const QString value = arguments.value(QStringLiteral("port"));
        bool ok = false;
        const uint number = value.toUInt(&ok);
        if (!ok || number > 65535) {
            return usageError(
                io, tr("--port must be a number from 0 to 65535 (0 picks a free port), not '%1'.").arg(value));
        }
        port = static_cast<quint16>(number);
    }
    if (arguments.isSet(QStringLiteral("time-scale"))) {
        const QString value = arguments.value(QStringLiteral("time-scale"));
        bool ok = false;
        const double scale = value.toDouble(&ok);
        if (!ok || !(scale > 0) || scale > 1e6) {
            return usageError(io,
                              tr("--time-scale must be a positive number (60 makes a 10-minute code live 10 "
                                 "seconds), not '%1'.")
                                  .arg(value));
        }
        timeScale = scale;
    }
    const bool json = arguments.isSet(QStringLiteral("json"));
    const bool tls = arguments.isSet(QStringLiteral("tls"));
    const QString clientCertProvider = arguments.value(QStringLiteral("client-cert"));
    if (arguments.isSet(QStringLiteral("client-cert")) && !tls) {
        return usageError(io, tr("--client-cert needs --tls: a client certificate is part of the TLS handshake."));
    }

    sandbox::SandboxServer server;
    server.setTimeScale(timeScale);
    // One directory per process, so two sandboxes never overwrite each other's CA; removed at exit.
    const QString tlsDirectory
        = AppPaths::stateDirectory() + QStringLiteral("/sandbox-tls/cli-%1").arg(QCoreApplication::applicationPid());
    if (tls) {
        server.setTls(tlsDirectory);
        server.setClientCertificateProvider(clientCertProvider);
    }
    const auto removeTlsFiles = [&] {
        if (tls) {
            QDir(tlsDirectory).removeRecursively();
        }
    };
    if (!server.listen(port)) {
        io.err(Text::tr("keyway-cli sandbox: %1").arg(server.errorString()));
        removeTlsFiles();
        return ExitUsage;
    }
    QString clientKeyFile;
    if (!server.demoClientKey().isEmpty()) {
        clientKeyFile = writeDemoClientKey(server);
        if (clientKeyFile.isEmpty()) {
            io.err(Text::tr("keyway-cli sandbox: cannot write the demo client key to %1; check its permissions.")
                       .arg(tlsDirectory));
            removeTlsFiles();
            return ExitUsage;
        }
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0) {
        io.err(Text::tr("keyway-cli sandbox: cannot set up signal handling."));
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

    if (json) {
        printJson(io, server);
    } else {
        printHuman(io, server, clientKeyFile);
    }

    QCoreApplication::exec();

    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    ::close(g_signalFd[0]);
    ::close(g_signalFd[1]);
    g_signalFd[0] = g_signalFd[1] = -1;
    removeTlsFiles();
    return ExitOk;
}

} // namespace

std::unique_ptr<CliCommand> makeSandboxCommand()
{
    return std::make_unique<SandboxCommand>();
}

} // namespace keyway::cli
