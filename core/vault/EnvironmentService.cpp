#include "core/vault/EnvironmentService.h"

#include "core/flow/TemplateResolver.h"
#include "core/history/HistoryStore.h"
#include "core/http/ConnectionSettings.h"
#include "core/profile/ProfileLoader.h"
#include "core/util/Logging.h"
#include "core/vault/SecretBatch.h"

#include <QEventLoop>
#include <QLockFile>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace keyway {

namespace {

// The record of an environment's stored secrets after a change wrote `written` and deleted `removed`.
QStringList withStoredSecrets(QStringList stored, const QMap<QString, QString>& written, const QStringList& removed)
{
    for (auto it = written.cbegin(); it != written.cend(); ++it) {
        if (!stored.contains(it.key())) {
            stored.append(it.key());
        }
    }
    for (const QString& key : removed) {
        stored.removeAll(key);
    }
    return stored;
}

EnvironmentChange keychainFailure(const Environment& environment, const SecretResult& failure, const QString& what)
{
    EnvironmentChange change;
    change.status = EnvironmentChange::Status::Keychain;
    change.keychain = failure;
    change.environment = environment;
    change.error = what + QLatin1Char(' ') + failure.error;
    return change;
}

EnvironmentChange invalid(const Environment& environment, const QString& error)
{
    EnvironmentChange change;
    change.status = EnvironmentChange::Status::Invalid;
    change.environment = environment;
    change.error = error;
    return change;
}

CredentialState stateOf(const SecretResult& result)
{
    switch (result.status) {
    case SecretStatus::Ok:
        return CredentialState::Set;
    case SecretStatus::Missing:
        return CredentialState::Missing;
    case SecretStatus::Locked:
    case SecretStatus::Denied:
        return CredentialState::Locked;
    case SecretStatus::Unavailable:
    case SecretStatus::Failed:
        break;
    }
    return CredentialState::Unavailable;
}

} // namespace

EnvironmentService::EnvironmentService(const ProfileRegistry* profiles,
                                       SecretStore* secrets,
                                       const QString& filePath,
                                       QObject* parent)
    : QObject(parent)
    , m_profiles(profiles)
    , m_secrets(secrets)
    , m_store(filePath.isEmpty() ? EnvironmentStore::defaultFilePath() : filePath)
{
    // Entries are named after the environment and field in the keychain's own window, whoever writes them
    // (a form, the command line, a session storing a refresh token).
    const QPointer<EnvironmentService> self(this);
    m_secrets->setLabeler([self](const QString& key) { return self ? self->keychainLabel(key) : QString(); });
}

QString EnvironmentService::keychainLabel(const QString& key) const
{
    const qsizetype slash = key.indexOf(QLatin1Char('/'));
    const Environment* environment = slash > 0 ? m_store.findById(key.left(slash)) : nullptr;
    if (!environment) {
        return {};
    }
    QString field = key.mid(slash + 1);
    const QString refreshSuffix = QStringLiteral("@refresh_token");
    if (field.endsWith(refreshSuffix)) {
        QString set = field.chopped(refreshSuffix.size()); // "" or "<set>."
        set.chop(set.endsWith(QLatin1Char('.')) ? 1 : 0);
        return set.isEmpty() ? tr("Keyway: %1 — refresh token").arg(environment->name)
                             : tr("Keyway: %1 — refresh token (%2)").arg(environment->name, set);
    }
    return tr("Keyway: %1 — %2").arg(environment->name, field);
}

void EnvironmentService::relabel(const Environment& environment)
{
    for (const QString& key : ownedKeychainEntries(environment)) {
        m_secrets->relabel(key);
    }
}

bool EnvironmentService::reload(QString* error)
{
    return m_store.load(error);
}

std::optional<Environment> EnvironmentService::find(const QString& name) const
{
    const Environment* found = m_store.find(name);
    return found ? std::optional<Environment>(*found) : std::nullopt;
}

std::optional<Environment> EnvironmentService::findById(const QString& id) const
{
    const Environment* found = m_store.findById(id);
    return found ? std::optional<Environment>(*found) : std::nullopt;
}

const ProviderProfile* EnvironmentService::profileOf(const Environment& environment) const
{
    return m_profiles->find(environment.providerId);
}

QString EnvironmentService::baseUrlOf(const Environment& environment) const
{
    if (!environment.baseUrl.isEmpty()) {
        return environment.baseUrl;
    }
    const ProviderProfile* profile = profileOf(environment);
    return profile ? profile->defaultBaseUrl : QString();
}

QStringList EnvironmentService::ownedKeychainEntries(const Environment& environment) const
{
    QStringList entries {SecretStore::refreshTokenKey(environment.id, QString())};
    if (const ProviderProfile* profile = profileOf(environment)) {
        for (const CredentialField& field : profile->fields) {
            if (field.secret) {
                entries.append(SecretStore::keyFor(environment.id, field.key));
            }
        }
        for (const CredentialSet& set : profile->credentialSets) {
            entries.append(SecretStore::refreshTokenKey(environment.id, set.id));
        }
    }
    for (const CredentialField& field : ConnectionSettings::fields()) {
        if (field.secret) {
            entries.append(SecretStore::keyFor(environment.id, field.key));
        }
    }
    return entries;
}

QStringList EnvironmentService::secretFieldsSentByFlow(const ProviderProfile& profile, const QString& credentialSet)
{
    QSet<QString> names;
    QList<FlowStep> steps = profile.steps;
    if (profile.refresh) {
        steps.append(*profile.refresh);
    }
    for (const FlowStep& step : std::as_const(steps)) {
        for (const QString* text :
             {&step.url, &step.clientIdParam, &step.clientSecretParam, &step.clientAuth, &step.clientKeyParam}) {
            names.unite(TemplateResolver::names(*text));
        }
        for (const QList<StepParam>* params : {&step.params, &step.headers, &step.authorizeParams}) {
            for (const StepParam& p : *params) {
                names.unite(TemplateResolver::names(p.value));
            }
        }
    }
    QStringList keys;
    for (const CredentialField& f : profile.fieldsOfSet(credentialSet)) {
        if (f.secret && (names.contains(f.bareKey) || names.contains(f.key))) {
            keys.append(f.key);
        }
    }
    return keys;
}

QStringList EnvironmentService::secretsNeeded(const ProviderProfile& profile,
                                              const Environment& environment,
                                              const QString& credentialSet)
{
    QStringList sets {credentialSet};
    if (credentialSet == QLatin1String("*") && !profile.credentialSets.isEmpty()) {
        sets.clear();
        for (const CredentialSet& set : profile.credentialSets) {
            sets.append(set.id);
        }
    } else if (credentialSet == QLatin1String("*")) {
        sets = {QString()};
    }
    QList<FlowStep> steps = profile.steps;
    if (profile.refresh) {
        steps.append(*profile.refresh);
    }
    QStringList needed;
    for (const QString& set : std::as_const(sets)) {
        const QList<CredentialField> fields = profile.fieldsOfSet(set);
        const auto need = [&needed](const CredentialField& field) {
            if (!needed.contains(field.key)) {
                needed.append(field.key);
            }
        };
        for (const CredentialField& field : fields) {
            if (field.secret && field.required) {
                need(field);
            }
        }
        const TemplateResolver resolver(profile, environment.values, set);
        for (const FlowStep& step : std::as_const(steps)) {
            if (step.clientIdParam.isEmpty()) {
                continue; // no client authentication in this step
            }
            // Read as the engine reads it: an unknown method authenticates like body.
            const QString method = resolver.resolve(step.clientAuth).trimmed().toLower();
            if (method == QLatin1String("none")) {
                continue;
            }
            const bool withKey = method == QLatin1String("private_key_jwt");
            const bool secretAlways = method == QLatin1String("basic") || method == QLatin1String("client_secret_jwt");
            const QSet<QString> names = TemplateResolver::names(withKey ? step.clientKeyParam : step.clientSecretParam);
            for (const CredentialField& field : fields) {
                if (field.secret && (names.contains(field.bareKey) || names.contains(field.key))
                    && (withKey || secretAlways || environment.storedSecrets.contains(field.key))) {
                    need(field);
                }
            }
        }
    }
    return needed;
}

EnvironmentChange EnvironmentService::modifyFile(const Mutation& mutation)
{
    EnvironmentChange change;
    QString lockError;
    const auto lock = m_store.lock(10000, &lockError);
    if (!lock) {
        change.status = EnvironmentChange::Status::File;
        change.error = !lockError.isEmpty()
            ? lockError
            : tr("Another Keyway process is changing %1; try again in a moment.").arg(m_store.filePath());
        return change;
    }
    QString error;
    if (!m_store.load(&error)) {
        change.status = EnvironmentChange::Status::File;
        change.error = error;
        return change;
    }
    if (!mutation(m_store, &error)) {
        change.status = EnvironmentChange::Status::Invalid;
        change.error = error;
        m_store.load(&error); // drop the half-made change from memory
        return change;
    }
    if (!m_store.save(&error)) {
        change.status = EnvironmentChange::Status::File;
        change.error = error;
        QString ignored;
        m_store.load(&ignored); // memory follows the file, which still holds the previous state
        return change;
    }
    return change;
}

EnvironmentChange
EnvironmentService::validate(const Environment& environment, bool isNew, const QMap<QString, QString>& secrets) const
{
    // Connection settings are checked when they change, so a CA file that moved later never blocks a rename.
    const std::optional<Environment> before = isNew ? std::nullopt : findById(environment.id);
    for (const CredentialField& field : ConnectionSettings::fields()) {
        const QString value = environment.values.value(field.key);
        if (field.secret || value.isEmpty() || (before && before->values.value(field.key) == value)) {
            continue;
        }
        const QString problem = ConnectionSettings::checkValue(field.key, value);
        if (!problem.isEmpty()) {
            return invalid(environment, tr("%1 (%2): %3").arg(field.label, field.key, problem));
        }
    }
    if (secrets.contains(ConnectionSettings::clientKeyKey())) {
        const QString problem
            = ConnectionSettings::checkClientKey(secrets.value(ConnectionSettings::clientKeyKey()).toUtf8());
        if (!problem.isEmpty()) {
            return invalid(environment, tr("tls.client_key: %1").arg(problem));
        }
    }
    if (environment.name.trimmed().isEmpty()) {
        return invalid(environment, tr("An environment needs a name."));
    }
    if (!profileOf(environment)) {
        return invalid(environment,
                       tr("There is no provider profile '%1'; known: %2")
                           .arg(environment.providerId, m_profiles->ids().join(QStringLiteral(", "))));
    }
    if (isNew && environment.id.isEmpty()) {
        return invalid(environment, tr("An environment needs an id."));
    }
    return {};
}

void EnvironmentService::writeSecretsThen(const QString& environmentId,
                                          const QMap<QString, QString>& secrets,
                                          std::function<void(std::optional<SecretResult>)> next)
{
    QMap<QString, QString> entries;
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
        entries.insert(SecretStore::keyFor(environmentId, it.key()), it.value());
    }
    QPointer<EnvironmentService> self(this);
    SecretBatch::writeAll(*m_secrets, entries, [self, entries, next](const SecretBatch::Results& results) {
        if (!self) {
            return;
        }
        const SecretResult* failure = SecretBatch::firstFailure(results);
        if (!failure) {
            next(std::nullopt);
            return;
        }
        const SecretResult copy = *failure;
        // Take back what this change did write, so a failure leaves nothing half-stored.
        QStringList written;
        for (auto it = results.cbegin(); it != results.cend(); ++it) {
            if (it->ok()) {
                written.append(it.key());
            }
        }
        SecretBatch::removeAll(*self->m_secrets, written, [next, copy](const SecretBatch::Results&) { next(copy); });
    });
}

void EnvironmentService::finishLater(ChangeDone done, EnvironmentChange change)
{
    QTimer::singleShot(0, this, [done = std::move(done), change = std::move(change)] { done(change); });
}

void EnvironmentService::create(const Environment& environment, const QMap<QString, QString>& secrets, ChangeDone done)
{
    EnvironmentChange check = validate(environment, true, secrets);
    if (check.ok() && (m_store.find(environment.name) || m_store.findById(environment.id))) {
        check = invalid(environment, tr("An environment named '%1' already exists.").arg(environment.name));
    }
    if (!check.ok()) {
        finishLater(std::move(done), check);
        return;
    }
    QPointer<EnvironmentService> self(this);
    writeSecretsThen(environment.id, secrets, [self, environment, secrets, done](std::optional<SecretResult> failure) {
        if (!self) {
            return;
        }
        if (failure) {
            done(
                keychainFailure(environment,
                                *failure,
                                tr("The secrets could not be stored, so '%1' was not created.").arg(environment.name)));
            return;
        }
        Environment recorded = environment;
        recorded.storedSecrets = withStoredSecrets(environment.storedSecrets, secrets, {});
        EnvironmentChange change = self->modifyFile(
            [&recorded](EnvironmentStore& store, QString* error) { return store.add(recorded, error); });
        change.environment = recorded;
        if (!change.ok()) {
            QStringList written;
            for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
                written.append(SecretStore::keyFor(environment.id, it.key()));
            }
            SecretBatch::removeAll(
                *self->m_secrets, written, [done, change](const SecretBatch::Results&) { done(change); });
            return;
        }
        qCInfo(lcSecrets) << "created environment" << environment.id << "with" << secrets.size() << "secrets";
        self->relabel(environment); // written before the file knew its name
        Q_EMIT self->environmentsChanged();
        done(change);
    });
}

void EnvironmentService::update(const Environment& environment,
                                const QMap<QString, QString>& secrets,
                                const QStringList& removeSecrets,
                                ChangeDone done)
{
    EnvironmentChange check = validate(environment, false, secrets);
    const std::optional<Environment> before = findById(environment.id);
    if (check.ok() && !before) {
        check = invalid(environment, tr("The environment '%1' does not exist any more.").arg(environment.name));
    }
    if (check.ok()) {
        const Environment* named = m_store.find(environment.name);
        if (named && named->id != environment.id) {
            check = invalid(environment, tr("An environment named '%1' already exists.").arg(environment.name));
        }
    }
    if (!check.ok()) {
        finishLater(std::move(done), check);
        return;
    }
    const bool credentialsChanged = !secrets.isEmpty() || !removeSecrets.isEmpty()
        || before->baseUrl != environment.baseUrl || before->values != environment.values;
    const bool renamed = before->name != environment.name;
    QPointer<EnvironmentService> self(this);
    writeSecretsThen(
        environment.id,
        secrets,
        [self, environment, secrets, removeSecrets, credentialsChanged, renamed, done](
            std::optional<SecretResult> failure) {
            if (!self) {
                return;
            }
            if (failure) {
                done(keychainFailure(
                    environment, *failure, tr("The secrets could not be stored, so nothing was changed.")));
                return;
            }
            QStringList doomed;
            for (const QString& key : removeSecrets) {
                doomed.append(SecretStore::keyFor(environment.id, key));
            }
            SecretBatch::removeAll(
                *self->m_secrets,
                doomed,
                [self, environment, secrets, removeSecrets, credentialsChanged, renamed, done](
                    const SecretBatch::Results& removed) {
                    if (!self) {
                        return;
                    }
                    if (const SecretResult* refused = SecretBatch::firstFailure(removed)) {
                        done(keychainFailure(environment,
                                             *refused,
                                             tr("A secret could not be removed from the keychain; the "
                                                "environment file was not changed.")));
                        return;
                    }
                    Environment recorded = environment;
                    EnvironmentChange change = self->modifyFile([&](EnvironmentStore& store, QString* error) {
                        // What the file holds now (another process may have stored a secret meanwhile).
                        const Environment* current = store.findById(environment.id);
                        recorded.storedSecrets = withStoredSecrets(
                            current ? current->storedSecrets : environment.storedSecrets, secrets, removeSecrets);
                        return store.update(recorded, error);
                    });
                    change.environment = recorded;
                    if (change.ok()) {
                        if (renamed) {
                            self->relabel(environment);
                        }
                        Q_EMIT self->environmentsChanged();
                        if (credentialsChanged) {
                            Q_EMIT self->credentialsChanged(environment.id);
                        }
                    }
                    done(change);
                });
        });
}

void EnvironmentService::duplicate(const QString& sourceId, const QString& name, ChangeDone done)
{
    const std::optional<Environment> source = findById(sourceId);
    if (!source) {
        finishLater(std::move(done), invalid({}, tr("The environment to duplicate does not exist any more.")));
        return;
    }
    Environment copy = Environment::create(name, source->providerId, source->baseUrl);
    copy.values = source->values;
    copy.samples = source->samples;
    copy.storedSecrets = source->storedSecrets; // a secret the source lost is missing in the copy too
    const ProviderProfile* profile = profileOf(*source);
    QStringList secretFields = ConnectionSettings::secretKeysFor(source->values);
    if (profile) {
        for (const CredentialField& field : profile->fields) {
            if (field.secret) {
                secretFields.append(field.key);
            }
        }
    }
    QPointer<EnvironmentService> self(this);
    readCredentials(
        *source, QStringLiteral("*"), secretFields, [self, copy, secretFields, done](const CredentialBundle& b) {
            if (!self) {
                return;
            }
            if (b.failure) {
                done(keychainFailure(
                    copy, *b.failure, tr("The secrets to copy could not be read, so no copy was made.")));
                return;
            }
            QMap<QString, QString> secrets;
            for (const QString& key : secretFields) {
                if (b.values.contains(key)) {
                    secrets.insert(key, b.values.value(key));
                }
            }
            self->create(copy, secrets, done);
        });
}

void EnvironmentService::remove(const QString& id, ChangeDone done)
{
    const std::optional<Environment> doomed = findById(id);
    if (!doomed) {
        finishLater(std::move(done), invalid({}, tr("The environment does not exist any more.")));
        return;
    }
    QPointer<EnvironmentService> self(this);
    const Environment environment = *doomed;
    SecretBatch::removeAll(
        *m_secrets, ownedKeychainEntries(environment), [self, environment, done](const SecretBatch::Results& results) {
            if (!self) {
                return;
            }
            if (const SecretResult* failure = SecretBatch::firstFailure(results)) {
                done(keychainFailure(environment,
                                     *failure,
                                     tr("The keychain entries of '%1' could not be removed, so the environment is "
                                        "kept.")
                                         .arg(environment.name)));
                return;
            }
            EnvironmentChange change = self->modifyFile([&environment](EnvironmentStore& store, QString* error) {
                if (!store.remove(environment.id)) {
                    *error = tr("The environment '%1' does not exist any more.").arg(environment.name);
                    return false;
                }
                return true;
            });
            change.environment = environment;
            if (change.ok()) {
                if (self->m_history) {
                    self->m_history->clear(environment.id);
                } else {
                    HistoryStore().clear(environment.id);
                }
                Q_EMIT self->environmentRemoved(environment.id);
                Q_EMIT self->environmentsChanged();
            }
            done(change);
        });
}

void EnvironmentService::credentialStates(const QString& id, StatesDone done)
{
    const std::optional<Environment> environment = findById(id);
    const ProviderProfile* profile = environment ? profileOf(*environment) : nullptr;
    if (!profile) {
        QTimer::singleShot(0, this, [done = std::move(done)] { done({}); });
        return;
    }
    QMap<QString, CredentialState> states;
    QStringList entries;
    for (const CredentialField& field : profile->fields) {
        if (field.secret) {
            entries.append(SecretStore::keyFor(id, field.key));
        } else {
            const bool set = !environment->values.value(field.key).isEmpty() || !field.defaultValue.isEmpty();
            states.insert(field.key, set ? CredentialState::Set : CredentialState::Missing);
        }
    }
    // Connection settings count once they are used: a client certificate needs its key, a proxy its password
    // only when a user is named, so a proxy without one is not "missing" anything.
    QStringList connectionSecrets;
    for (const CredentialField& field : ConnectionSettings::fields()) {
        if (!field.secret && !environment->values.value(field.key).isEmpty()) {
            states.insert(field.key, CredentialState::Set);
        }
    }
    for (const QString& key : ConnectionSettings::secretKeysFor(environment->values)) {
        connectionSecrets.append(key);
        entries.append(SecretStore::keyFor(id, key));
    }
    QPointer<EnvironmentService> self(this);
    SecretBatch::probeAll(
        *m_secrets,
        entries,
        [self,
         id,
         profile,
         states,
         connectionSecrets,
         proxyUser = environment->values.value(ConnectionSettings::proxyKey()).contains(QLatin1Char('@')),
         done](const SecretBatch::Results& results) mutable {
            if (!self) {
                return;
            }
            for (const CredentialField& field : profile->fields) {
                if (field.secret) {
                    states.insert(field.key, stateOf(results.value(SecretStore::keyFor(id, field.key))));
                }
            }
            for (const QString& key : connectionSecrets) {
                const CredentialState state = stateOf(results.value(SecretStore::keyFor(id, key)));
                if (key == ConnectionSettings::proxyPasswordKey() && state == CredentialState::Missing && !proxyUser) {
                    continue;
                }
                states.insert(key, state);
            }
            done(states);
        });
}

void EnvironmentService::readCredentials(const Environment& environment,
                                         const QString& credentialSet,
                                         const QStringList& secretFields,
                                         BundleDone done)
{
    CredentialBundle bundle;
    const ProviderProfile* profile = profileOf(environment);
    // "*" reads every field regardless of set (duplicating an environment copies all of them).
    const QList<CredentialField> fields = !profile ? QList<CredentialField>()
        : credentialSet == QLatin1String("*")      ? profile->fields
                                                   : profile->fieldsOfSet(credentialSet);
    for (const CredentialField& field : fields) {
        if (!field.secret && environment.values.contains(field.key)) {
            bundle.values.insert(field.key, environment.values.value(field.key));
        }
    }
    QStringList entries;
    for (const QString& key : secretFields) {
        entries.append(SecretStore::keyFor(environment.id, key));
    }
    QStringList connectionSecrets;
    for (const QString& key : ConnectionSettings::secretKeysFor(environment.values)) {
        if (!secretFields.contains(key)) {
            connectionSecrets.append(key);
            entries.append(SecretStore::keyFor(environment.id, key));
        }
    }
    QPointer<EnvironmentService> self(this);
    const QString id = environment.id;
    const QMap<QString, QString> values = environment.values;
    SecretBatch::readAll(
        *m_secrets,
        entries,
        [self, id, secretFields, connectionSecrets, values, bundle, done](const SecretBatch::Results& r) {
            if (!self) {
                return;
            }
            CredentialBundle out = bundle;
            QMap<QString, QString> connection;
            for (const QString& key : connectionSecrets) {
                const SecretResult result = r.value(SecretStore::keyFor(id, key));
                if (result.ok()) {
                    connection.insert(key, result.value);
                } else if (result.status != SecretStatus::Missing && !out.failure) {
                    out.failure = result;
                }
            }
            out.connection = ConnectionSettings::build(values, connection);
            for (const QString& key : secretFields) {
                const SecretResult result = r.value(SecretStore::keyFor(id, key));
                if (result.ok()) {
                    out.values.insert(key, result.value);
                } else if (result.status == SecretStatus::Missing) {
                    out.missingSecrets.append(key);
                } else if (!out.failure) {
                    out.failure = result;
                }
            }
            done(out);
        });
}

template <typename Result, typename Start>
Result EnvironmentService::wait(Start start)
{
    QEventLoop loop;
    std::optional<Result> out;
    start([&](const Result& result) {
        out = result;
        loop.quit();
    });
    if (!out) {
        loop.exec();
    }
    return *out;
}

EnvironmentChange EnvironmentService::createAndWait(const Environment& environment,
                                                    const QMap<QString, QString>& secrets)
{
    return wait<EnvironmentChange>([&](ChangeDone done) { create(environment, secrets, std::move(done)); });
}

EnvironmentChange EnvironmentService::updateAndWait(const Environment& environment,
                                                    const QMap<QString, QString>& secrets,
                                                    const QStringList& removeSecrets)
{
    return wait<EnvironmentChange>(
        [&](ChangeDone done) { update(environment, secrets, removeSecrets, std::move(done)); });
}

EnvironmentChange EnvironmentService::removeAndWait(const QString& id)
{
    return wait<EnvironmentChange>([&](ChangeDone done) { remove(id, std::move(done)); });
}

QMap<QString, CredentialState> EnvironmentService::credentialStatesAndWait(const QString& id)
{
    return wait<QMap<QString, CredentialState>>([&](StatesDone done) { credentialStates(id, std::move(done)); });
}

CredentialBundle EnvironmentService::readCredentialsAndWait(const Environment& environment,
                                                            const QString& credentialSet,
                                                            const QStringList& secretFields)
{
    return wait<CredentialBundle>(
        [&](BundleDone done) { readCredentials(environment, credentialSet, secretFields, std::move(done)); });
}

QString EnvironmentService::stateName(CredentialState state)
{
    switch (state) {
    case CredentialState::Set:
        return QStringLiteral("set");
    case CredentialState::Missing:
        return QStringLiteral("missing");
    case CredentialState::Locked:
        return QStringLiteral("locked");
    case CredentialState::Unavailable:
        break;
    }
    return QStringLiteral("unavailable");
}

} // namespace keyway
