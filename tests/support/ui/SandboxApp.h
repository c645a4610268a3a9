#pragma once

#include "core/sandbox/SandboxServer.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/MainWindow.h"

#include <QSize>
#include <QString>

#include <memory>

namespace keyway::test {

// The desktop app as the UI suites drive it: the sandbox listening on loopback in this process, an
// in-memory keychain, and a main window shown over them with the sandbox's demo environments loaded.
struct SandboxApp
{
    std::unique_ptr<sandbox::SandboxServer> sandbox;
    std::unique_ptr<MemorySecretStore> secrets;
    std::unique_ptr<ui::MainWindow> window;

    // Clears the settings and the environments file of the running test, starts the sandbox and the
    // keychain, then opens the window (`size` empty: as the app sizes itself). False, with a test failure
    // recorded, when something did not come up.
    bool start(const QSize& size = {});
    // A new window over the same sandbox and keychain: what the user sees after restarting the app.
    bool openWindow(const QSize& size = {});
    // Window first, then the keychain and the sandbox it used.
    void stop();
};

// For initTestCase: the XDG configuration, data and state directories below `root`, and an application
// name of the suite's own, so its settings, environments and history never meet another suite's.
void isolateApplication(const QString& root, const QString& suiteName);

} // namespace keyway::test
