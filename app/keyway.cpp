#include "core/sandbox/SandboxServer.h"
#include "core/util/AppPaths.h"
#include "core/util/Preferences.h"
#include "core/util/ProcessHardening.h"
#include "core/util/SingleInstance.h"
#include "core/util/Translations.h"
#include "ui/MainWindow.h"
#include "ui/StartupProbe.h"
#include "ui/app/PreferencesDialog.h"
#include "ui/common/UiLogging.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::app)
};

// --help and --version print and exit without a window, so they work without a display (help2man,
// a terminal over ssh): they are answered by a QCoreApplication, before any QApplication exists.
bool wantsInformationOnly(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i) {
        for (const char* option : {"-h", "--help", "--help-all", "-v", "--version"}) {
            if (std::strcmp(argv[i], option) == 0) {
                return true;
            }
        }
    }
    return false;
}

struct Options
{
    QString environment;
};

// The same parser for the information-only pass, the window and a second launch's hand-over. On this
// process's own arguments (`ownArguments`) it exits on --help, --version or a bad option (usage on
// stderr, exit code 2); handed-over arguments were checked by the launch that sent them.
Options parseArguments(const QStringList& arguments, bool ownArguments = true)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Text::tr("Keyway: prove that a provider's credentials work, with the secrets kept in the keychain.\n"
                 "Starts the desktop app; a second launch raises the running window instead.\n"
                 "For scripts and terminals use keyway-cli."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption environment({QStringLiteral("e"), QStringLiteral("environment")},
                                         Text::tr("Select the environment NAME."),
                                         Text::tr("NAME"));
    parser.addOption(environment);
    const bool parsed = parser.parse(arguments);
    if (!ownArguments) {
        return Options {parser.value(environment)};
    }
    if (!parsed) {
        std::fprintf(stderr, "keyway: %s\n\n%s", qPrintable(parser.errorText()), qPrintable(parser.helpText()));
        std::exit(2);
    }
    if (parser.isSet(QStringLiteral("version"))) {
        parser.showVersion();
    }
    if (parser.isSet(QStringLiteral("help"))) {
        parser.showHelp(0);
    }
    return Options {parser.value(environment)};
}

void applyOptions(keyway::ui::MainWindow& window, const Options& options)
{
    if (options.environment.isEmpty()) {
        return;
    }
    if (const keyway::Environment* environment = window.environmentStore().find(options.environment)) {
        window.selectEnvironment(environment->id);
    }
}

QIcon applicationIcon()
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
        icon.addFile(QStringLiteral(":/appicons/%1x%1/io.keyway.Keyway.png").arg(size), QSize(size, size));
    }
    return icon;
}

// The embedded sandbox prefers a fixed port so the demo environments keep their base URL across
// restarts; when it is taken (another program), the next free one.
bool listenNearPreferredPort(keyway::sandbox::SandboxServer& sandbox)
{
    const int preferred = keyway::Preferences::sandboxPort();
    for (int port = preferred; port < preferred + 20 && port <= 65535; ++port) {
        if (sandbox.listen(static_cast<quint16>(port))) {
            return true;
        }
    }
    return sandbox.listen(0);
}

} // namespace

int main(int argc, char* argv[])
{
    keyway::AppPaths::restrictFileModes();
    keyway::ProcessHardening::disableCoreDumps();
    if (wantsInformationOnly(argc, argv)) {
        QCoreApplication app(argc, argv);
        keyway::AppPaths::setApplicationIdentity();
        keyway::installTranslations(app);
        parseArguments(QCoreApplication::arguments());
        return 0;
    }

    // X11 WM_CLASS instance name (the xcb plugin reads RESOURCE_NAME), so desktops match the window to
    // the desktop file's StartupWMClass; on Wayland the app id is the desktop file name below.
    if (!qEnvironmentVariableIsSet("RESOURCE_NAME")) {
        qputenv("RESOURCE_NAME", "io.keyway.Keyway");
    }
    QApplication app(argc, argv);
    keyway::AppPaths::setApplicationIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Keyway"));
    // The desktop file's name: the compositor matches the window to it (icon, name, pinning).
    QApplication::setDesktopFileName(QStringLiteral("io.keyway.Keyway"));
    QApplication::setWindowIcon(applicationIcon());
    keyway::installTranslations(app);
    const Options options = parseArguments(QCoreApplication::arguments());

    keyway::SingleInstance instance;
    if (instance.sendToRunning(QCoreApplication::arguments().mid(1))) {
        return 0; // the running window took over
    }
    QString error;
    if (!instance.listen(&error)) {
        qCWarning(lcUi) << "single instance: cannot listen:" << error;
    }

    keyway::ui::PreferencesDialog::applySaved();
    keyway::ui::MainWindow window;
    keyway::ui::StartupProbe::installIfRequested(&window);
    window.show();
    window.activateWindow(); // keyboard focus even without a window manager (kiosk, Xvfb demos)
    applyOptions(window, options);

    QObject::connect(
        &instance, &keyway::SingleInstance::argumentsReceived, &window, [&window](const QStringList& args) {
            const Options received = parseArguments(QStringList {QStringLiteral("keyway")} + args, false);
            qCInfo(lcUi) << "raised by another launch; environment:" << received.environment;
            window.setWindowState((window.windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
            window.show();
            window.raise();
            window.activateWindow();
            applyOptions(window, received);
        });

    // The embedded sandbox, so a fresh install has working demo environments. Built and started after
    // the window's first paint: setting up its emulators (keys, routes, TLS) is not needed for the first frame.
    std::unique_ptr<keyway::sandbox::SandboxServer> sandbox;
    if (keyway::Preferences::startSandbox()) {
        keyway::ui::StartupProbe::afterFirstPaint(&window, [&window, &sandbox] {
            sandbox = std::make_unique<keyway::sandbox::SandboxServer>();
            if (keyway::Preferences::sandboxHttps()) {
                // One fixed directory, so the sandbox environments' tls.ca_file stays valid across restarts.
                sandbox->setTls(keyway::AppPaths::stateDirectory() + QStringLiteral("/sandbox-tls/app"));
            }
            if (listenNearPreferredPort(*sandbox)) {
                window.useSandbox(*sandbox);
            }
        });
    }
    return QApplication::exec();
}
