#pragma once

#include <QMainWindow>

namespace keyway::ui {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace keyway::ui
