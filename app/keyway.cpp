#include "ui/MainWindow.h"
#include "ui/StartupProbe.h"

#include <QApplication>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("keyway"));
    QApplication::setApplicationDisplayName(QStringLiteral("Keyway"));
    keyway::ui::MainWindow window;
    keyway::ui::StartupProbe::installIfRequested(&window);
    window.show();
    return QApplication::exec();
}
