#pragma once

#include <QDialog>

class QDoubleSpinBox;
class QLabel;

namespace keyway::sandbox {
class SandboxServer;
}

namespace keyway::ui {

// "Sandbox…": where the embedded sandbox listens, its time scale (60 = a 10-minute code lives 10 s) and
// its fault switches, one checkbox per fault of each provider. Changes apply at once, to what the
// sandbox issues or answers from then on. Object names: sandboxAddress, sandboxTimeScale,
// "sandboxFault/<provider>/<fault>".
class SandboxDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SandboxDialog(sandbox::SandboxServer* server, QWidget* parent = nullptr);

Q_SIGNALS:
    void timeScaleChanged(double scale);

private:
    sandbox::SandboxServer* m_server;
    QLabel* m_address = nullptr;
    QDoubleSpinBox* m_scale = nullptr;
};

} // namespace keyway::ui
