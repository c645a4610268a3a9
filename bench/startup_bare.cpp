// Baseline for startup_ratio: a bare Qt Widgets window that quits after its first paint,
// measured the same way as keyway (KEYWAY_EXIT_AFTER_FIRST_PAINT).
#include "ui/StartupProbe.h"

#include <QApplication>
#include <QWidget>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QWidget window;
    window.resize(1280, 800);
    keyway::ui::StartupProbe::installIfRequested(&window);
    window.show();
    return QApplication::exec();
}
