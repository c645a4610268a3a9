#pragma once

#include "core/vault/Environment.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

namespace keyway {
class EnvironmentService;
namespace sandbox {
class SandboxServer;
}
} // namespace keyway

namespace keyway::ui {

// First run: one "Sandbox <Provider>" environment per provider the embedded sandbox emulates, its
// demo credentials stored in the keychain like any other. Done once (remembered in QSettings; the
// user may delete them). On later runs the sandbox listens on a new port, so the base URLs of the
// sandbox environments that still exist are pointed at it again.
class DemoEnvironments : public QObject
{
    Q_OBJECT
public:
    explicit DemoEnvironments(EnvironmentService* environments, QObject* parent = nullptr);

    // Creates (first run) or re-points (later runs) the sandbox environments; emits finished().
    void apply(const sandbox::SandboxServer& server);

    static QString seededSettingsKey(); // "sandbox/demoEnvironmentsCreated"

Q_SIGNALS:
    void finished(bool changed, const QString& error);

private:
    void createNext(QList<QPair<Environment, QMap<QString, QString>>> pending, QStringList created);
    void updateNext(QList<QPair<Environment, QMap<QString, QString>>> pending, bool changed);

    EnvironmentService* m_environments;
};

} // namespace keyway::ui
