#include "ui/MainWindow.h"

#include <QApplication>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("keyway"));
    QApplication::setApplicationDisplayName(QStringLiteral("Keyway"));
    keyway::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
