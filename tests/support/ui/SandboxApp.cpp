#include "tests/support/ui/SandboxApp.h"

#include "core/util/AppPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QTest>

namespace keyway::test {

bool SandboxApp::start(const QSize& size)
{
    QSettings().clear();
    QFile::remove(QDir(AppPaths::configDirectory()).filePath(QStringLiteral("environments.json")));
    sandbox = std::make_unique<sandbox::SandboxServer>();
    if (!sandbox->listen(0)) {
        QTest::qFail("the sandbox did not listen on loopback", __FILE__, __LINE__);
        return false;
    }
    secrets = std::make_unique<MemorySecretStore>();
    return openWindow(size);
}

bool SandboxApp::openWindow(const QSize& size)
{
    window.reset();
    ui::MainWindowOptions options;
    options.secretStore = secrets.get();
    window = std::make_unique<ui::MainWindow>(options);
    if (size.isValid()) {
        window->resize(size);
    }
    window->show();
    window->useSandbox(*sandbox);
    if (!QTest::qWaitFor([this] { return !window->currentEnvironmentId().isEmpty(); }, 15000)) {
        QTest::qFail("the window shows no sandbox environment after 15 s", __FILE__, __LINE__);
        return false;
    }
    return true;
}

void SandboxApp::stop()
{
    window.reset();
    secrets.reset();
    sandbox.reset();
}

void isolateApplication(const QString& root, const QString& suiteName)
{
    const QDir dir(root);
    qputenv("XDG_CONFIG_HOME", root.toUtf8());
    qputenv("XDG_DATA_HOME", dir.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_STATE_HOME", dir.filePath(QStringLiteral("state")).toUtf8());
    QCoreApplication::setOrganizationName(suiteName);
    QCoreApplication::setApplicationName(suiteName);
}

} // namespace keyway::test
