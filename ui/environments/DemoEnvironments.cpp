#include "ui/environments/DemoEnvironments.h"

#include "core/profile/ProfileLoader.h"
#include "core/sandbox/SandboxServer.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/SecretBatch.h"
#include "ui/common/UiLogging.h"

#include <QLockFile>
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
} // namespace

DemoEnvironments::DemoEnvironments(const ProfileRegistry* profiles,
                                   EnvironmentStore* environments,
                                   SecretStore* secrets,
                                   QObject* parent)
    : QObject(parent), m_profiles(profiles), m_environments(environments), m_secrets(secrets)
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

    if (settings.value(seededSettingsKey(), false).toBool()) {
        // Later runs: the sandbox has a new port; follow it, keeping any path prefix.
        const QStringList ids = settings.value(idsSettingsKey()).toStringList();
        const auto lock = m_environments->lock();
        m_environments->load(&error);
        bool changed = false;
        for (const QString& id : ids) {
            const Environment* existing = m_environments->findById(id);
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
                if (updated.baseUrl != existing->baseUrl || updated.values != existing->values) {
                    changed = m_environments->update(updated, &error) || changed;
                }
            }
        }
        if (changed && !m_environments->save(&error)) {
            qCWarning(lcUi) << "could not re-point sandbox environments:" << error;
        }
        QMetaObject::invokeMethod(
            this, [this, changed, error] { Q_EMIT finished(changed, error); }, Qt::QueuedConnection);
        return;
    }

    QList<Environment> created;
    QMap<QString, QString> secrets;
    for (const sandbox::DemoProvider& demo : demos) {
        const ProviderProfile* profile = m_profiles->find(demo.providerId);
        if (!profile) {
            continue;
        }
        QString name = tr("Sandbox %1").arg(profile->name);
        for (int n = 2; m_environments->find(name); ++n) {
            name = tr("Sandbox %1 %2").arg(profile->name).arg(n);
        }
        Environment environment = Environment::create(name, demo.providerId, demo.baseUrl.toString());
        for (const auto& credential : demo.credentials) {
            const CredentialField* field = profile->field(credential.first);
            if (field && field->secret) {
                secrets.insert(SecretStore::keyFor(environment.id, credential.first), credential.second);
            } else {
                environment.values.insert(credential.first, credential.second);
            }
        }
        created.append(environment);
    }
    QPointer<DemoEnvironments> self(this);
    SecretBatch::writeAll(*m_secrets, secrets, [self, created](const SecretBatch::Results& results) {
        if (!self) {
            return;
        }
        if (const SecretResult* failure = SecretBatch::firstFailure(results)) {
            // Try again next start rather than creating environments without their secrets.
            Q_EMIT self->finished(
                false, tr("The sandbox environments could not be stored in the keychain: %1").arg(failure->error));
            return;
        }
        QString storeError;
        const auto lock = self->m_environments->lock();
        self->m_environments->load(&storeError);
        QStringList ids;
        for (const Environment& environment : created) {
            if (self->m_environments->add(environment, &storeError)) {
                ids.append(environment.id);
            }
        }
        if (!self->m_environments->save(&storeError)) {
            Q_EMIT self->finished(false, storeError);
            return;
        }
        QSettings seeded;
        seeded.setValue(seededSettingsKey(), true);
        seeded.setValue(idsSettingsKey(), ids);
        qCInfo(lcUi) << "created" << ids.size() << "sandbox environments";
        Q_EMIT self->finished(true, QString());
    });
}

} // namespace keyway::ui
