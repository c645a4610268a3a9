#include "core/sandbox/SandboxServer.h"
#include "core/util/Translations.h"
#include "ui/MainWindow.h"
#include "ui/StartupProbe.h"

#include <QApplication>
#include <QTimer>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("keyway"));
    QApplication::setApplicationName(QStringLiteral("keyway"));
    QApplication::setApplicationDisplayName(QStringLiteral("Keyway"));
    QApplication::setDesktopFileName(QStringLiteral("keyway"));
    keyway::installTranslations(app);

    keyway::ui::MainWindow window;
    keyway::ui::StartupProbe::installIfRequested(&window);
    window.show();
    window.activateWindow(); // keyboard focus even without a window manager (kiosk, Xvfb demos)

    // The embedded sandbox, so a fresh install has working demo environments. Started after the
    // window is up: it is not needed for the first paint.
    keyway::sandbox::SandboxServer sandbox;
    QTimer::singleShot(0, &window, [&window, &sandbox] {
        if (sandbox.listen(0)) {
            window.useSandbox(sandbox);
        }
    });
    return QApplication::exec();
}
