#include "ui/MainWindow.h"

namespace keyway::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Keyway"));
    resize(1280, 800);
}

} // namespace keyway::ui
