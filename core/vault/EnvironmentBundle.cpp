#include "core/vault/EnvironmentBundle.h"

#include "core/http/ConnectionSettings.h"
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvironmentService.h"
#include "core/vault/EnvironmentStore.h"

#include <QEventLoop>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <memory>

#include <nlohmann/json.hpp>

namespace keyway {

namespace {

std::string utf8(const QString& text)
{
    return text.toStdString();
}

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

bool isHttpUrl(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
        && !url.host().isEmpty();
}

} // namespace

QByteArray EnvironmentBundle::serialize(const QList<BundleEnvironment>& environments)
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const BundleEnvironment& environment : environments) {
        nlohmann::ordered_json values = nlohmann::ordered_json::object();
        for (auto it = environment.values.cbegin(); it != environment.values.cend(); ++it) {
            values[utf8(it.key())] = utf8(it.value());
        }
        nlohmann::ordered_json secrets = nlohmann::ordered_json::array();
        for (const QString& key : environment.secrets) {
            secrets.push_back(utf8(key));
        }
        nlohmann::ordered_json entry = {{"name", utf8(environment.name)},
                                        {"provider", utf8(environment.provider)},
                                        {"base_url", utf8(environment.baseUrl)},
                                        {"values", values},
                                        {"secrets", secrets}};
        if (!environment.samples.isEmpty()) {
            entry["samples"] = samplesToJson(environment.samples);
        }
        list.push_back(entry);
    }
    const nlohmann::ordered_json bundle = {{"keyway_bundle", FormatVersion}, {"environments", list}};
    return QByteArray::fromStdString(bundle.dump(2)) + '\n';
}

bool EnvironmentBundle::looksLikeBundle(const QByteArray& data)
{
    const auto json = nlohmann::json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
    return json.is_object() && json.contains("keyway_bundle");
}

std::optional<QList<BundleEnvironment>>
EnvironmentBundle::parse(const QByteArray& data, const ProfileRegistry& profiles, QString* error)
{
    const auto fail = [error](const QString& message) {
        *error = message;
        return std::nullopt;
    };
    const auto json = nlohmann::json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return fail(tr("the file is not JSON: a bundle starts with {\"keyway_bundle\": 1, ...}."));
    }
    const auto version = json.find("keyway_bundle");
    if (version == json.end() || !version->is_number_integer() || version->get<int>() != FormatVersion) {
        return fail(tr("/keyway_bundle: expected 1 (this Keyway reads bundles of format 1)."));
    }
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (it.key() != "keyway_bundle" && it.key() != "environments") {
            return fail(tr("/%1: unknown key; a bundle holds only keyway_bundle and environments.").arg(qs(it.key())));
        }
    }
    const auto list = json.find("environments");
    if (list == json.end() || !list->is_array()) {
        return fail(tr("/environments: expected a list of environments."));
    }
    QList<BundleEnvironment> result;
    QStringList names;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const nlohmann::json& entry = (*list)[i];
        const QString where = QStringLiteral("/environments/%1").arg(i);
        if (!entry.is_object()) {
            return fail(tr("%1: expected an object.").arg(where));
        }
        static const QStringList known = {QStringLiteral("name"),
                                          QStringLiteral("provider"),
                                          QStringLiteral("base_url"),
                                          QStringLiteral("values"),
                                          QStringLiteral("secrets"),
                                          QStringLiteral("samples")};
        for (auto it = entry.begin(); it != entry.end(); ++it) {
            if (!known.contains(qs(it.key()))) {
                // The value is never echoed: an unknown key may well be a secret in the wrong place.
                return fail(tr("%1/%2: unknown key; an environment holds only %3.")
                                .arg(where, qs(it.key()), known.join(QStringLiteral(", "))));
            }
        }
        BundleEnvironment environment;
        const auto text = [&](const char* key, QString* out) {
            const auto value = entry.find(key);
            if (value == entry.end() || !value->is_string()) {
                return false;
            }
            *out = qs(value->get<std::string>());
            return true;
        };
        if (!text("name", &environment.name) || environment.name.trimmed().isEmpty()) {
            return fail(tr("%1/name: expected the environment's name.").arg(where));
        }
        if (names.contains(environment.name)) {
            return fail(tr("%1/name: '%2' appears twice in the bundle.").arg(where, environment.name));
        }
        names.append(environment.name);
        if (!text("provider", &environment.provider)) {
            return fail(tr("%1/provider: expected a provider id.").arg(where));
        }
        const ProviderProfile* profile = profiles.find(environment.provider);
        if (!profile) {
            return fail(tr("%1/provider: unknown provider '%2'. Known providers: %3")
                            .arg(where, environment.provider, profiles.ids().join(QStringLiteral(", "))));
        }
        if (entry.contains("base_url") && !text("base_url", &environment.baseUrl)) {
            return fail(tr("%1/base_url: expected a URL.").arg(where));
        }
        if (!environment.baseUrl.isEmpty() && !isHttpUrl(environment.baseUrl)) {
            return fail(tr("%1/base_url: '%2' is not an http:// or https:// URL.").arg(where, environment.baseUrl));
        }
        if (const auto values = entry.find("values"); values != entry.end()) {
            if (!values->is_object()) {
                return fail(tr("%1/values: expected an object of KEY: value.").arg(where));
            }
            for (auto it = values->begin(); it != values->end(); ++it) {
                const QString key = qs(it.key());
                // Connection keys (tls.*, proxy) belong to every environment beside its profile's keys.
                const CredentialField* field
                    = profile->field(key) ? profile->field(key) : ConnectionSettings::field(key);
                if (!field) {
                    return fail(tr("%1/values/%2: provider '%3' has no key '%2'. Valid keys: %4")
                                    .arg(where, key, profile->id, profile->fieldKeys().join(QStringLiteral(", "))));
                }
                if (field->secret) {
                    return fail(tr("%1/values/%2: the bundle carries the value of the secret '%2' of environment "
                                   "'%3'. Bundles never hold secrets: remove the value from the file and give it "
                                   "when importing.")
                                    .arg(where, key, environment.name));
                }
                if (!it.value().is_string()) {
                    return fail(tr("%1/values/%2: expected a text value.").arg(where, key));
                }
                environment.values.insert(key, qs(it.value().get<std::string>()));
            }
        }
        if (const auto secrets = entry.find("secrets"); secrets != entry.end()) {
            if (secrets->is_object()) {
                for (auto it = secrets->begin(); it != secrets->end(); ++it) {
                    if (!it.value().is_null() && !(it.value().is_string() && it.value().get<std::string>().empty())) {
                        return fail(tr("%1/secrets/%2: the bundle carries the value of the secret '%2' of "
                                       "environment '%3'. Bundles never hold secrets: list only the key's name "
                                       "(\"secrets\": [\"%2\"]) and give the value when importing.")
                                        .arg(where, qs(it.key()), environment.name));
                    }
                }
                return fail(tr("%1/secrets: expected a list of secret key names.").arg(where));
            }
            if (!secrets->is_array()) {
                return fail(tr("%1/secrets: expected a list of secret key names.").arg(where));
            }
            for (std::size_t s = 0; s < secrets->size(); ++s) {
                const nlohmann::json& name = (*secrets)[s];
                if (!name.is_string()) {
                    return fail(tr("%1/secrets/%2: expected the name of a secret key.").arg(where).arg(s));
                }
                const QString key = qs(name.get<std::string>());
                const CredentialField* field
                    = profile->field(key) ? profile->field(key) : ConnectionSettings::field(key);
                if (!field || !field->secret) {
                    QStringList secretKeys;
                    for (const CredentialField& f : profile->fields) {
                        if (f.secret) {
                            secretKeys.append(f.key);
                        }
                    }
                    return fail(tr("%1/secrets/%2: '%3' is not a secret key of provider '%4'. Secret keys: %5")
                                    .arg(where)
                                    .arg(s)
                                    .arg(key, profile->id, secretKeys.join(QStringLiteral(", "))));
                }
                if (!environment.secrets.contains(key)) {
                    environment.secrets.append(key);
                }
            }
        }
        if (const auto samples = entry.find("samples"); samples != entry.end()) {
            if (!samplesFromJson(*samples, &environment.samples)) {
                return fail(tr("%1/samples: expected a list of {name, method, path, body} objects.").arg(where));
            }
        }
        result.append(environment);
    }
    return result;
}

namespace {

// One environment after the other, each step answered by the keychain from the event loop.
struct ExportRun
{
    QPointer<EnvironmentService> service;
    QPointer<QObject> context;
    QList<Environment> chosen;
    QList<BundleEnvironment> result;
    EnvironmentBundle::ExportDone done;

    static void next(std::shared_ptr<ExportRun> run)
    {
        if (!run->context || !run->service) {
            return;
        }
        if (run->result.size() == run->chosen.size()) {
            run->done(run->result, QString());
            return;
        }
        const Environment environment = run->chosen.at(run->result.size());
        BundleEnvironment entry;
        entry.name = environment.name;
        entry.provider = environment.providerId;
        entry.baseUrl = environment.baseUrl;
        entry.values = environment.values;
        entry.samples = environment.samples;
        const ProviderProfile* profile = run->service->profileOf(environment);
        if (!profile) {
            run->result.append(entry);
            QTimer::singleShot(0, run->context, [run] { next(run); });
            return;
        }
        const QStringList stored = environment.storedSecrets;
        run->service->credentialStates(
            environment.id, [run, entry, profile, stored](const QMap<QString, CredentialState>& states) mutable {
                for (const CredentialField& field : profile->fields) {
                    if (!field.secret) {
                        continue;
                    }
                    // A value the keychain cannot tell about is listed: the bundle should not lose a secret because
                    // the keychain was locked during the export, nor one deleted behind Keyway's back.
                    if (field.required || stored.contains(field.key)
                        || states.value(field.key, CredentialState::Missing) != CredentialState::Missing) {
                        entry.secrets.append(field.key);
                    }
                    entry.values.remove(field.key); // never, even if an old file held one
                }
                run->result.append(entry);
                next(run);
            });
    }
};

struct ImportRun
{
    QPointer<EnvironmentService> service;
    QPointer<QObject> context;
    QList<BundleEnvironment> environments;
    QMap<QString, QMap<QString, QString>> secrets;
    BundleImportResult result;
    int index = 0;
    EnvironmentBundle::ImportDone done;

    void fail(const EnvironmentChange& change, const QString& name)
    {
        result.error = EnvironmentBundle::tr("environment '%1': %2").arg(name, change.error);
        result.keychainInaccessible = change.status == EnvironmentChange::Status::Keychain;
        done(result);
    }

    static void next(std::shared_ptr<ImportRun> run)
    {
        if (!run->context || !run->service) {
            return;
        }
        if (run->index == run->environments.size()) {
            run->result.ok = true;
            run->done(run->result);
            return;
        }
        const BundleEnvironment entry = run->environments.at(run->index);
        const QMap<QString, QString> given = run->secrets.value(entry.name);
        const std::optional<Environment> existing = run->service->find(entry.name);
        const auto created = [run, entry](const EnvironmentChange& change) {
            if (!run->context || !run->service) {
                return;
            }
            if (!change.ok()) {
                run->fail(change, entry.name);
                return;
            }
            run->result.imported.append(entry.name);
            run->service->credentialStates(
                change.environment.id, [run, entry](const QMap<QString, CredentialState>& states) {
                    for (const QString& key : entry.secrets) {
                        if (states.value(key, CredentialState::Missing) == CredentialState::Missing) {
                            run->result.missingSecrets[entry.name].append(key);
                        }
                    }
                    ++run->index;
                    next(run);
                });
        };
        const auto create = [run, entry, given, created] {
            Environment environment = Environment::create(entry.name, entry.provider, entry.baseUrl);
            environment.values = entry.values;
            environment.samples = entry.samples;
            // The bundle says which secrets the environment has: one not given yet is missing, not absent.
            environment.storedSecrets = entry.secrets;
            run->service->create(environment, given, created);
        };
        if (existing && existing->providerId == entry.provider) {
            Environment updated = *existing;
            updated.baseUrl = entry.baseUrl;
            updated.values = entry.values;
            updated.samples = entry.samples;
            run->service->update(updated, given, {}, created);
        } else if (existing) {
            run->service->remove(existing->id, [run, entry, create](const EnvironmentChange& change) {
                if (!run->context || !run->service) {
                    return;
                }
                if (!change.ok()) {
                    run->fail(change, entry.name);
                    return;
                }
                create();
            });
        } else {
            create();
        }
    }
};

} // namespace

void EnvironmentBundle::exportEnvironments(EnvironmentService& service,
                                           const QStringList& names,
                                           QObject* context,
                                           ExportDone done)
{
    auto run = std::make_shared<ExportRun>();
    run->service = &service;
    run->context = context;
    run->done = std::move(done);
    if (names.isEmpty()) {
        run->chosen = service.environments();
    } else {
        for (const QString& name : names) {
            const std::optional<Environment> environment = service.find(name);
            if (!environment) {
                const QString error = tr("no environment named '%1'. Environments: %2")
                                          .arg(name, service.names().join(QStringLiteral(", ")));
                QTimer::singleShot(0, context, [run, error] { run->done(std::nullopt, error); });
                return;
            }
            run->chosen.append(*environment);
        }
    }
    QTimer::singleShot(0, context, [run] { ExportRun::next(run); });
}

void EnvironmentBundle::importEnvironments(EnvironmentService& service,
                                           const QList<BundleEnvironment>& environments,
                                           const QMap<QString, QMap<QString, QString>>& secrets,
                                           bool replace,
                                           QObject* context,
                                           ImportDone done)
{
    auto run = std::make_shared<ImportRun>();
    run->service = &service;
    run->context = context;
    run->environments = environments;
    run->secrets = secrets;
    run->done = std::move(done);
    QString error;
    if (!service.reload(&error)) {
        run->result.error = error;
        QTimer::singleShot(0, context, [run] { run->done(run->result); });
        return;
    }
    QStringList taken;
    for (const BundleEnvironment& entry : environments) {
        if (service.find(entry.name)) {
            taken.append(entry.name);
        }
    }
    if (!taken.isEmpty() && !replace) {
        run->result.error = tr("the environment(s) %1 already exist; nothing was imported. Import with --replace to "
                               "update them, or remove them first.")
                                .arg(taken.join(QStringLiteral(", ")));
        QTimer::singleShot(0, context, [run] { run->done(run->result); });
        return;
    }
    QTimer::singleShot(0, context, [run] { ImportRun::next(run); });
}

std::optional<QList<BundleEnvironment>>
EnvironmentBundle::exportAndWait(EnvironmentService& service, const QStringList& names, QString* error)
{
    QObject context;
    QEventLoop loop;
    std::optional<QList<BundleEnvironment>> result;
    bool finished = false;
    exportEnvironments(
        service, names, &context, [&](const std::optional<QList<BundleEnvironment>>& bundle, const QString& e) {
            result = bundle;
            *error = e;
            finished = true;
            loop.quit();
        });
    if (!finished) {
        loop.exec();
    }
    return result;
}

BundleImportResult EnvironmentBundle::importAndWait(EnvironmentService& service,
                                                    const QList<BundleEnvironment>& environments,
                                                    const QMap<QString, QMap<QString, QString>>& secrets,
                                                    bool replace)
{
    QObject context;
    QEventLoop loop;
    BundleImportResult result;
    bool finished = false;
    importEnvironments(service, environments, secrets, replace, &context, [&](const BundleImportResult& r) {
        result = r;
        finished = true;
        loop.quit();
    });
    if (!finished) {
        loop.exec();
    }
    return result;
}

} // namespace keyway
