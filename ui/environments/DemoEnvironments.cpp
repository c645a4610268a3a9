#include "ui/environments/DemoEnvironments.h"

#include "core/http/ConnectionSettings.h"
#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/util/AppPaths.h"
#include "core/vault/EnvironmentService.h"
#include "ui/common/UiLogging.h"

#include <QPointer>
#include <QSettings>

namespace keyway::ui {

namespace {
QString idsSettingsKey()
{
    return QStringLiteral("sandbox/environmentIds");
}

// "http://127.0.0.1:4711/oauth2/oauth/token" under the base "http://127.0.0.1:4711/oauth2" → "/oauth/token".
QString relativeTo(const QString& value, const QString& baseUrl)
{
    const bool absolute = value.startsWith(QLatin1String("http://")) || value.startsWith(QLatin1String("https://"));
    if (!absolute || baseUrl.isEmpty() || !value.startsWith(baseUrl)) {
        return value;
    }
    const QString rest = value.mid(baseUrl.size());
    return rest.startsWith(QLatin1Char('/')) ? rest : value;
}

// The CA file an HTTPS sandbox of this app wrote (AppPaths: <state>/sandbox-tls/...), not one the user chose.
bool isSandboxCaFile(const QString& path)
{
    return !path.isEmpty() && path.startsWith(AppPaths::stateDirectory() + QStringLiteral("/sandbox-tls/"));
}
} // namespace

DemoEnvironments::DemoEnvironments(EnvironmentService* environments, QObject* parent)
    : QObject(parent), m_environments(environments)
{
}

QString DemoEnvironments::seededSettingsKey()
{
    return QStringLiteral("sandbox/demoEnvironmentsCreated");
}

void DemoEnvironments::apply(const sandbox::SandboxServer& server)
{
    QSettings settings;
    const QList<sandbox::DemoProvider> demos = server.demoProviders();
    QString error;
    m_environments->reload(&error);

    if (settings.value(seededSettingsKey(), false).toBool()) {
        // Later runs: the sandbox may have a new port; follow it, keeping any path prefix.
        QList<QPair<Environment, QMap<QString, QString>>> moved;
        for (const QString& id : settings.value(idsSettingsKey()).toStringList()) {
            const std::optional<Environment> existing = m_environments->findById(id);
            if (!existing) {
                continue; // the user deleted it, and that is final
            }
            for (const sandbox::DemoProvider& demo : demos) {
                if (demo.providerId != existing->providerId) {
                    continue;
                }
                Environment updated = *existing;
                updated.baseUrl = demo.baseUrl.toString();
                // Endpoints stored absolute by earlier versions kept the old port: make them relative.
                for (auto it = updated.values.begin(); it != updated.values.end(); ++it) {
                    it.value() = relativeTo(it.value(), existing->baseUrl);
                }
                // HTTPS switched on or off since the last run: trust the sandbox's CA, or stop naming it.
                const QString caKey = ConnectionSettings::caFileKey();
                const QString caFile = demo.credential(caKey);
                if (!caFile.isEmpty()) {
                    updated.values.insert(caKey, caFile);
                } else if (isSandboxCaFile(updated.values.value(caKey))) {
                    updated.values.remove(caKey);
                }
                // A key the sandbox made anew at this start (its demo key pair) replaces the stored one.
                QMap<QString, QString> renewed;
                for (const QString& key : demo.regenerated) {
                    renewed.insert(key, demo.credential(key));
                }
                if (updated.baseUrl != existing->baseUrl || updated.values != existing->values || !renewed.isEmpty()) {
                    moved.append({updated, renewed});
                }
            }
        }
        updateNext(moved, false);
        return;
    }

    QList<QPair<Environment, QMap<QString, QString>>> pending;
    for (const sandbox::DemoProvider& demo : demos) {
        const ProviderProfile* profile = m_environments->profiles().find(demo.providerId);
        if (!profile) {
            continue;
        }
        QString name = tr("Sandbox %1").arg(profile->name);
        for (int n = 2; m_environments->find(name); ++n) {
            name = tr("Sandbox %1 %2").arg(profile->name).arg(n);
        }
        Environment environment = Environment::create(name, demo.providerId, demo.baseUrl.toString());
        QMap<QString, QString> secrets;
        for (const auto& credential : demo.credentials) {
            const CredentialField* field = profile->field(credential.first);
            if (!field) {
                field = ConnectionSettings::field(credential.first); // tls.ca_file of an HTTPS sandbox
            }
            if (field && field->secret) {
                secrets.insert(credential.first, credential.second);
            } else {
                environment.values.insert(credential.first, credential.second);
            }
        }
        pending.append({environment, secrets});
    }
    createNext(pending, {});
}

void DemoEnvironments::createNext(QList<QPair<Environment, QMap<QString, QString>>> pending, QStringList created)
{
    if (pending.isEmpty()) {
        QSettings seeded;
        seeded.setValue(seededSettingsKey(), true);
        seeded.setValue(idsSettingsKey(), created);
        qCInfo(lcUi) << "created" << created.size() << "sandbox environments";
        Q_EMIT finished(true, QString());
        return;
    }
    const auto [environment, secrets] = pending.takeFirst();
    QPointer<DemoEnvironments> self(this);
    m_environments->create(environment, secrets, [self, pending, created](const EnvironmentChange& change) mutable {
        if (!self) {
            return;
        }
        if (!change.ok()) {
            // Try again next start rather than leaving a half-made set; the ones made so far are remembered.
            QSettings().setValue(idsSettingsKey(), created);
            Q_EMIT self->finished(!created.isEmpty(),
                                  tr("The sandbox environments could not be created: %1").arg(change.error));
            return;
        }
        created.append(change.environment.id);
        // Remembered as each one is made, so a window closed halfway never makes them twice.
        QSettings().setValue(idsSettingsKey(), created);
        self->createNext(pending, created);
    });
}

void DemoEnvironments::updateNext(QList<QPair<Environment, QMap<QString, QString>>> pending, bool changed)
{
    if (pending.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this, changed] { Q_EMIT finished(changed, QString()); }, Qt::QueuedConnection);
        return;
    }
    const auto [environment, secrets] = pending.takeFirst();
    QPointer<DemoEnvironments> self(this);
    m_environments->update(environment, secrets, {}, [self, pending](const EnvironmentChange& change) {
        if (!self) {
            return;
        }
        if (!change.ok()) {
            qCWarning(lcUi) << "could not re-point a sandbox environment:" << change.error;
            Q_EMIT self->finished(true, change.error);
            return;
        }
        self->updateNext(pending, true);
    });
}

} // namespace keyway::ui
