#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/cli/EnvironmentContext.h"
#include "core/http/ConnectionSettings.h"
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvSecretStore.h"
#include "core/vault/EnvironmentService.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/SecretBatch.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QSet>
#include <QUrl>

#include <optional>

namespace keyway::cli {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::EnvCommand)
};

std::string utf8(const QString& text)
{
    return text.toStdString();
}

int usageError(CliIo& io, const QString& message)
{
    io.err(QStringLiteral("keyway-cli env: ") + message);
    return ExitUsage;
}

// A key of the profile, or one of the connection keys every provider accepts (tls.*, proxy).
const CredentialField* keyField(const ProviderProfile& profile, const QString& key)
{
    const CredentialField* field = profile.field(key);
    return field ? field : ConnectionSettings::field(key);
}

// "clientId, clientSecret (secret), ..." for messages that list what is valid.
QString describeKeys(const ProviderProfile& profile)
{
    QStringList keys;
    for (const CredentialField& field : profile.fields + ConnectionSettings::fields()) {
        QStringList traits;
        if (field.required) {
            traits.append(Text::tr("required"));
        }
        if (field.secret) {
            traits.append(Text::tr("secret"));
        }
        keys.append(traits.isEmpty()
                        ? field.key
                        : field.key + QStringLiteral(" (") + traits.join(QStringLiteral(", ")) + QLatin1Char(')'));
    }
    return keys.join(QStringLiteral(", "));
}

// Loads the environment file; a damaged one is reported (it has been moved aside by the store).
bool loadStore(EnvironmentStore& store, CliIo& io)
{
    QString error;
    if (!store.load(&error)) {
        io.err(QStringLiteral("keyway-cli env: ") + error);
        return false;
    }
    return true;
}

QString normalizedBaseUrl(QString url)
{
    while (url.endsWith(QLatin1Char('/')) && !url.endsWith(QLatin1String("://"))) {
        url.chop(1);
    }
    return url;
}

bool isHttpUrl(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
        && !url.host().isEmpty();
}

QStringList secretKeysOf(const ProviderProfile& profile)
{
    QStringList keys;
    for (const CredentialField& field : profile.fields) {
        if (field.secret) {
            keys.append(field.key);
        }
    }
    return keys;
}

int keychainError(CliIo& io, const SecretResult& failure)
{
    io.err(QStringLiteral("keyway-cli env: ") + failure.error);
    return ExitKeychain;
}

// --- env add ----------------------------------------------------------------------------------

// Reads --set KEY=VALUE (non-secret keys of the profile only) and --secret KEY (secret keys only) of env add
// and env set. Returns an exit code when the command line is wrong.
std::optional<int> parseKeys(const CliCommand& command,
                             const CliArguments& arguments,
                             CliIo& io,
                             const ProviderProfile* profile,
                             QMap<QString, QString>* values,
                             QStringList* secretKeys,
                             QMap<QString, QString>* secretFiles)
{
    const QString providerId = profile->id;
    const auto usage = [&](const QString& message) { return command.usageError(io, message); };
    QSet<QString> given;
    for (const QString& assignment : arguments.values(QStringLiteral("set"))) {
        const qsizetype equals = assignment.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            // Not echoed: what was typed might be a secret without its key.
            return usage(Text::tr("--set expects KEY=VALUE."));
        }
        const QString key = assignment.left(equals);
        const CredentialField* field = keyField(*profile, key);
        if (!field) {
            return usage(Text::tr("unknown key '%1' for provider '%2'. Valid keys: %3")
                             .arg(key, providerId, describeKeys(*profile)));
        }
        if (field->secret) {
            // The value is deliberately not echoed: it is a secret typed where it should not be.
            return usage(Text::tr("'%1' is a secret and is never accepted on the command line: "
                                  "use --secret %1 and give the value on standard input.")
                             .arg(key));
        }
        if (given.contains(key)) {
            return usage(Text::tr("'%1' is set twice.").arg(key));
        }
        QString value = assignment.mid(equals + 1);
        if ((key == ConnectionSettings::caFileKey() || key == ConnectionSettings::clientCertKey())
            && !value.isEmpty()) {
            // Kept absolute, so the environment works from any directory.
            value = QFileInfo(value).absoluteFilePath();
        }
        if (!field->choices.isEmpty() && !field->choices.contains(value)) {
            return usage(Text::tr("'%1' must be one of: %2").arg(key, field->choices.join(QStringLiteral(", "))));
        }
        given.insert(key);
        values->insert(key, value);
    }

    *secretKeys = arguments.values(QStringLiteral("secret"));
    for (const QString& assignment : arguments.values(QStringLiteral("secret-file"))) {
        const qsizetype equals = assignment.indexOf(QLatin1Char('='));
        if (equals <= 0 || equals == assignment.size() - 1) {
            return usage(Text::tr("--secret-file expects KEY=FILE (- for standard input)."));
        }
        const QString key = assignment.left(equals);
        secretKeys->append(key);
        secretFiles->insert(key, assignment.mid(equals + 1));
    }
    for (qsizetype i = 0; i < secretKeys->size(); ++i) {
        const QString& key = secretKeys->at(i);
        const CredentialField* field = keyField(*profile, key);
        if (!field) {
            return usage(Text::tr("unknown key '%1' for provider '%2'. Valid keys: %3")
                             .arg(key, providerId, describeKeys(*profile)));
        }
        if (!field->secret) {
            return usage(Text::tr("'%1' is not a secret: use --set %1=VALUE. Secret keys: %2")
                             .arg(key, secretKeysOf(*profile).join(QStringLiteral(", "))));
        }
        if (secretKeys->indexOf(key) != i) {
            return usage(Text::tr("'%1' is given twice.").arg(key));
        }
    }

    return std::nullopt;
}

// Secrets: one line each from a pipe, or a no-echo prompt on a terminal.
std::optional<int> readSecrets(const CliCommand& command,
                               CliIo& io,
                               const ProviderProfile* profile,
                               const QStringList& secretKeys,
                               const QMap<QString, QString>& secretFiles,
                               QMap<QString, QString>* secrets)
{
    for (const QString& key : secretKeys) {
        QString value;
        if (secretFiles.contains(key)) {
            // The whole file is the secret (a PEM key spans lines); the file itself is never referenced again.
            const QString path = secretFiles.value(key);
            QByteArray bytes;
            if (path == QLatin1String("-")) {
                bytes = io.readAll();
            } else {
                QFile file(path);
                if (!file.open(QIODevice::ReadOnly)) {
                    return command.usageError(io, Text::tr("cannot read %1: %2").arg(path, file.errorString()));
                }
                bytes = file.readAll();
            }
            if (bytes.trimmed().isEmpty()) {
                return command.usageError(io, Text::tr("the file for '%1' is empty.").arg(key));
            }
            secrets->insert(key, QString::fromUtf8(bytes));
            continue;
        }
        const bool read = io.stdinIsTerminal()
            ? io.readSecret(Text::tr("%1 (%2): ").arg(key, keyField(*profile, key)->label), &value)
            : io.readLine(&value);
        if (!read) {
            return command.usageError(io,
                                      Text::tr("expected the value of '%1' on standard input (one line per --secret, "
                                               "in order), but the input ended.")
                                          .arg(key));
        }
        if (value.isEmpty()) {
            return command.usageError(io, Text::tr("the value of '%1' is empty.").arg(key));
        }
        secrets->insert(key, value);
    }
    return std::nullopt;
}

// The exit code and message of a change the EnvironmentService refused.
int changeFailed(CliIo& io, const EnvironmentChange& change)
{
    if (change.status == EnvironmentChange::Status::Keychain) {
        io.err(QStringLiteral("keyway-cli env: ") + change.error);
        return change.keychain.keychainInaccessible() ? ExitKeychain : ExitUsage;
    }
    io.err(QStringLiteral("keyway-cli env: ") + change.error);
    return ExitUsage;
}

int addEnvironment(const CliCommand& command, const CliArguments& arguments, CliIo& io)
{
    QString error;
    const auto usage = [&](const QString& message) { return command.usageError(io, message); };
    if (arguments.positional().size() != 1 || arguments.positional().first().trimmed().isEmpty()) {
        return usage(Text::tr("env add takes exactly one NAME."));
    }
    const QString name = arguments.positional().first();

    const ProfileRegistry registry = ProfileRegistry::loadDefault();
    const QString validProviders = registry.ids().join(QStringLiteral(", "));
    if (!arguments.isSet(QStringLiteral("provider"))) {
        return usage(Text::tr("--provider ID is required. Valid providers: %1").arg(validProviders));
    }
    const QString providerId = arguments.value(QStringLiteral("provider"));
    const ProviderProfile* profile = registry.find(providerId);
    if (!profile) {
        return usage(Text::tr("unknown provider '%1'. Valid providers: %2").arg(providerId, validProviders));
    }

    QString baseUrl = arguments.isSet(QStringLiteral("base-url")) ? arguments.value(QStringLiteral("base-url"))
                                                                  : profile->defaultBaseUrl;
    if (baseUrl.isEmpty()) {
        return usage(Text::tr("provider '%1' has no default base URL: pass --base-url URL.").arg(providerId));
    }
    if (!isHttpUrl(baseUrl)) {
        return usage(Text::tr("'%1' is not an http:// or https:// URL.").arg(baseUrl));
    }
    baseUrl = normalizedBaseUrl(baseUrl);

    QMap<QString, QString> values;
    QStringList secretKeys;
    QMap<QString, QString> secretFiles;
    if (auto code = parseKeys(command, arguments, io, profile, &values, &secretKeys, &secretFiles)) {
        return *code;
    }

    for (const CredentialField& field : profile->fields) {
        if (!field.secret && !field.defaultValue.isEmpty() && !values.contains(field.key)) {
            values.insert(field.key, field.defaultValue);
        }
    }
    QStringList missing;
    for (const CredentialField& field : profile->fields) {
        if (field.required && !values.contains(field.key) && !secretKeys.contains(field.key)) {
            missing.append(field.secret ? QStringLiteral("--secret ") + field.key : field.key);
        }
    }
    if (!missing.isEmpty()) {
        return usage(Text::tr("missing required key(s) for provider '%1': %2. Valid keys: %3")
                         .arg(providerId, missing.join(QStringLiteral(", ")), describeKeys(*profile)));
    }

    EnvironmentStore store;
    if (!loadStore(store, io)) {
        return ExitUsage;
    }
    if (store.find(name)) {
        return usage(Text::tr("an environment named '%1' already exists (existing: %2). "
                              "Remove it first with: keyway-cli env rm %1")
                         .arg(name, store.names().join(QStringLiteral(", "))));
    }

    QMap<QString, QString> secrets; // field key -> value
    if (auto code = readSecrets(command, io, profile, secretKeys, secretFiles, &secrets)) {
        return *code;
    }
    Environment environment = Environment::create(name, providerId, baseUrl);
    environment.values = values;
    const std::unique_ptr<SecretStore> keychain = EnvSecretStore::createDefault();
    EnvironmentService environments(&registry, keychain.get());
    environments.reload(&error);
    // Secrets first, then the file: a failure on either side leaves nothing half-saved.
    const EnvironmentChange change = environments.createAndWait(environment, secrets);
    if (!change.ok()) {
        return changeFailed(io, change);
    }

    io.outLine(Text::tr("Added environment '%1' (%2, %3); %n secret(s) stored in the keychain.",
                        nullptr,
                        static_cast<int>(secrets.size()))
                   .arg(name, providerId, baseUrl));
    return ExitOk;
}

// --- env list / show / rm -------------------------------------------------------------------

nlohmann::ordered_json summaryJson(const Environment& environment)
{
    return {{"name", utf8(environment.name)},
            {"id", utf8(environment.id)},
            {"provider", utf8(environment.providerId)},
            {"base_url", utf8(environment.baseUrl)},
            {"created", utf8(environment.created.toUTC().toString(Qt::ISODate))}};
}

int listEnvironments(const CliCommand& command, const CliArguments& arguments, CliIo& io)
{
    if (!arguments.positional().isEmpty()) {
        return command.usageError(io, Text::tr("env list takes no NAME."));
    }
    EnvironmentStore store;
    if (!loadStore(store, io)) {
        return ExitUsage;
    }
    const bool json = arguments.isSet(QStringLiteral("json"));

    // The secrets each environment cannot work without (the one rule env show and auth use), read in one batch;
    // only their state is kept, never a value.
    const ProfileRegistry registry = ProfileRegistry::loadDefault();
    QMap<QString, QStringList> needed; // environment id -> secret keys
    QStringList entryKeys;
    for (const Environment& environment : store.environments()) {
        if (const ProviderProfile* profile = registry.find(environment.providerId)) {
            const QStringList keys = EnvironmentService::secretsNeeded(*profile, environment, QStringLiteral("*"));
            needed.insert(environment.id, keys);
            for (const QString& key : keys) {
                entryKeys.append(SecretStore::keyFor(environment.id, key));
            }
        }
    }
    SecretBatch::Results states;
    if (!entryKeys.isEmpty()) {
        const std::unique_ptr<SecretStore> keychain = EnvSecretStore::createDefault();
        states = SecretBatch::readAllAndWait(*keychain, entryKeys);
    }
    std::optional<SecretResult> inaccessible;
    // nullopt: not known (an unknown provider, or a keychain that did not answer).
    const auto missingOf = [&](const Environment& environment) -> std::optional<QStringList> {
        if (!needed.contains(environment.id)) {
            return std::nullopt;
        }
        QStringList missing;
        for (const QString& key : needed.value(environment.id)) {
            const SecretResult state = states.value(SecretStore::keyFor(environment.id, key));
            if (state.keychainInaccessible()) {
                if (!inaccessible) {
                    inaccessible = state;
                }
                return std::nullopt;
            }
            if (state.status == SecretStatus::Missing) {
                missing.append(key);
            }
        }
        return missing;
    };

    qsizetype nameWidth = 4;
    qsizetype providerWidth = 8;
    qsizetype urlWidth = 0;
    for (const Environment& environment : store.environments()) {
        nameWidth = qMax(nameWidth, environment.name.size());
        providerWidth = qMax(providerWidth, environment.providerId.size());
        urlWidth = qMax(urlWidth, environment.baseUrl.size());
    }
    for (const Environment& environment : store.environments()) {
        const std::optional<QStringList> missing = missingOf(environment);
        if (json) {
            nlohmann::ordered_json object = {{"event", "environment"}};
            object.update(summaryJson(environment));
            if (missing) {
                nlohmann::ordered_json keys = nlohmann::ordered_json::array();
                for (const QString& key : *missing) {
                    keys.push_back(utf8(key));
                }
                object["missing"] = keys;
            }
            io.jsonLine(object);
        } else {
            QString line = environment.name.leftJustified(nameWidth + 2)
                + environment.providerId.leftJustified(providerWidth + 2) + environment.baseUrl;
            if (missing && !missing->isEmpty()) {
                // A column only where something is missing, so a complete environment's line ends at its URL.
                line = line.leftJustified(nameWidth + providerWidth + urlWidth + 6)
                    + Text::tr("missing: %1").arg(missing->join(QStringLiteral(", ")));
            }
            io.outLine(line);
        }
    }
    if (!json && store.environments().isEmpty()) {
        io.err(Text::tr("keyway-cli: no environments yet. Add one with: keyway-cli env add NAME --provider ID"));
    }
    if (inaccessible) {
        // Listing the environments needs no secret: say why the missing ones are not known, and still succeed.
        io.err(Text::tr("keyway-cli: warning: missing secrets are not shown: %1").arg(inaccessible->error));
    }
    return ExitOk;
}

int showEnvironment(const CliCommand& command, const CliArguments& arguments, CliIo& io)
{
    if (arguments.positional().size() != 1) {
        return command.usageError(io, Text::tr("env show takes exactly one NAME."));
    }
    EnvironmentStore store;
    if (!loadStore(store, io)) {
        return ExitUsage;
    }
    const QString name = arguments.positional().first();
    const Environment* environment = store.find(name);
    if (!environment) {
        return usageError(io,
                          Text::tr("no environment named '%1'. Environments: %2")
                              .arg(name, store.names().join(QStringLiteral(", "))));
    }
    const ProfileRegistry registry = ProfileRegistry::loadDefault();
    const ProviderProfile* profile = registry.find(environment->providerId);
    if (!profile) {
        io.err(Text::tr("keyway-cli: warning: provider '%1' is not known any more; secret fields cannot be listed.")
                   .arg(environment->providerId));
    }

    // Every secret field's state, read in parallel.
    QStringList entryKeys;
    QStringList secretKeys = profile ? secretKeysOf(*profile) : QStringList();
    const QStringList connectionSecrets = ConnectionSettings::secretKeysFor(environment->values);
    secretKeys += connectionSecrets;
    for (const QString& key : secretKeys) {
        entryKeys.append(SecretStore::keyFor(environment->id, key));
    }
    const std::unique_ptr<SecretStore> keychain = EnvSecretStore::createDefault();
    const SecretBatch::Results states = SecretBatch::readAllAndWait(*keychain, entryKeys);
    // In CI mode a secret that is there comes from a variable, and says so.
    const QString present = EnvSecretStore::enabled() ? QStringLiteral("env") : QStringLiteral("set");

    QList<QPair<QString, QString>> shown; // key -> value or secret state, in profile order
    std::optional<SecretResult> inaccessible;
    QStringList listed;
    QStringList missing; // secrets it cannot work without that the keychain does not hold
    if (profile) {
        for (const QString& key : EnvironmentService::secretsNeeded(*profile, *environment, QStringLiteral("*"))) {
            if (states.value(SecretStore::keyFor(environment->id, key)).status == SecretStatus::Missing) {
                missing.append(key);
            }
        }
        for (const CredentialField& field : profile->fields) {
            listed.append(field.key);
            if (field.secret) {
                const SecretResult state = states.value(SecretStore::keyFor(environment->id, field.key));
                if (state.keychainInaccessible() && !inaccessible) {
                    inaccessible = state;
                }
                // Only the state, never the value.
                shown.append({field.key, state.ok() ? present : SecretStore::statusName(state.status)});
            } else if (environment->values.contains(field.key)) {
                shown.append({field.key, environment->values.value(field.key)});
            }
        }
    }
    for (auto it = environment->values.cbegin(); it != environment->values.cend(); ++it) {
        if (!listed.contains(it.key())) {
            shown.append({it.key(), it.value()});
        }
    }
    for (const QString& key : connectionSecrets) {
        const SecretResult state = states.value(SecretStore::keyFor(environment->id, key));
        if (state.keychainInaccessible() && !inaccessible) {
            inaccessible = state;
        }
        shown.append({key, state.ok() ? QStringLiteral("set") : SecretStore::statusName(state.status)});
    }

    if (arguments.isSet(QStringLiteral("json"))) {
        nlohmann::ordered_json object = {{"event", "environment"}};
        object.update(summaryJson(*environment));
        nlohmann::ordered_json values = nlohmann::ordered_json::object();
        for (const auto& [key, value] : shown) {
            values[utf8(key)] = utf8(value);
        }
        object["values"] = values;
        nlohmann::ordered_json missingKeys = nlohmann::ordered_json::array();
        for (const QString& key : std::as_const(missing)) {
            missingKeys.push_back(utf8(key));
        }
        object["missing"] = missingKeys;
        io.jsonLine(object);
    } else {
        qsizetype width = 8;
        for (const auto& entry : shown) {
            width = qMax(width, entry.first.size());
        }
        const auto line = [&io, width](const QString& label, const QString& value) {
            io.outLine(QString(label + QLatin1Char(':')).leftJustified(width + 3) + value);
        };
        line(Text::tr("name"), environment->name);
        line(Text::tr("id"), environment->id);
        line(Text::tr("provider"), environment->providerId);
        line(Text::tr("base URL"), environment->baseUrl);
        line(Text::tr("created"), environment->created.toUTC().toString(Qt::ISODate));
        for (const auto& [key, value] : shown) {
            line(key, value);
        }
    }
    for (const QString& key : std::as_const(missing)) {
        io.err(EnvironmentContext::missingSecretMessage(environment->name, key));
    }
    if (inaccessible) {
        return keychainError(io, *inaccessible);
    }
    return ExitOk;
}

// The environment a command names, opened through the one EnvironmentService with the real keychain.
struct NamedEnvironment
{
    ProfileRegistry registry = ProfileRegistry::loadDefault();
    std::unique_ptr<SecretStore> keychain = EnvSecretStore::createDefault();
    EnvironmentService environments {&registry, keychain.get()};
    std::optional<Environment> environment;

    // Prints why and returns the exit code when the file cannot be read or no environment has that name.
    std::optional<int> open(const QString& name, CliIo& io)
    {
        QString error;
        if (!environments.reload(&error)) {
            io.err(QStringLiteral("keyway-cli env: ") + error);
            return ExitUsage;
        }
        environment = environments.find(name);
        if (!environment) {
            return usageError(io,
                              Text::tr("no environment named '%1'. Environments: %2")
                                  .arg(name, environments.names().join(QStringLiteral(", "))));
        }
        return std::nullopt;
    }

    // The one NAME a command takes (`env rm NAME`, `env set NAME`), opened as above; `wrongCount` is the
    // usage error when there is not exactly one.
    std::optional<int>
    openPositional(const CliCommand& command, const CliArguments& arguments, CliIo& io, const QString& wrongCount)
    {
        if (arguments.positional().size() != 1) {
            return command.usageError(io, wrongCount);
        }
        return open(arguments.positional().first(), io);
    }
};

int removeEnvironment(const CliCommand& command, const CliArguments& arguments, CliIo& io)
{
    NamedEnvironment named;
    if (auto code = named.openPositional(command, arguments, io, Text::tr("env rm takes exactly one NAME."))) {
        return *code;
    }
    const QString name = arguments.positional().first();
    EnvironmentService& environments = named.environments;
    const std::optional<Environment>& found = named.environment;
    // Keychain entries first: if the keychain cannot be reached the environment stays listed,
    // so its secrets are never orphaned where no command can find them again.
    const EnvironmentChange change = environments.removeAndWait(found->id);
    if (!change.ok()) {
        return changeFailed(io, change);
    }
    io.outLine(Text::tr("Removed environment '%1' and its keychain entries.").arg(name));
    return ExitOk;
}

// env set NAME [--base-url URL] [--set KEY=VALUE]... [--secret KEY]... [--unset KEY]...
int setEnvironment(const CliCommand& command, const CliArguments& arguments, CliIo& io)
{
    NamedEnvironment named;
    if (auto code = named.openPositional(command, arguments, io, Text::tr("env set takes exactly one NAME."))) {
        return *code;
    }
    const QString name = arguments.positional().first();
    EnvironmentService& environments = named.environments;
    const std::optional<Environment>& found = named.environment;
    const ProviderProfile* profile = environments.profileOf(*found);
    if (!profile) {
        return usageError(
            io, Text::tr("environment '%1' uses provider '%2', which has no profile").arg(name, found->providerId));
    }
    Environment updated = *found;
    if (arguments.isSet(QStringLiteral("base-url"))) {
        const QString baseUrl = arguments.value(QStringLiteral("base-url"));
        if (!isHttpUrl(baseUrl)) {
            return command.usageError(io, Text::tr("'%1' is not an http:// or https:// URL.").arg(baseUrl));
        }
        updated.baseUrl = normalizedBaseUrl(baseUrl);
    }
    QMap<QString, QString> values;
    QStringList secretKeys;
    QMap<QString, QString> secretFiles;
    if (auto code = parseKeys(command, arguments, io, profile, &values, &secretKeys, &secretFiles)) {
        return *code;
    }
    QStringList removeSecrets;
    for (const QString& key : arguments.values(QStringLiteral("unset"))) {
        const CredentialField* field = keyField(*profile, key);
        if (!field) {
            return command.usageError(io,
                                      Text::tr("unknown key '%1' for provider '%2'. Valid keys: %3")
                                          .arg(key, profile->id, describeKeys(*profile)));
        }
        if (values.contains(key) || secretKeys.contains(key)) {
            return command.usageError(io, Text::tr("'%1' is both set and unset.").arg(key));
        }
        if (field->required) {
            return command.usageError(io, Text::tr("'%1' is required and cannot be unset.").arg(key));
        }
        if (field->secret) {
            removeSecrets.append(key);
        } else {
            updated.values.remove(key);
        }
    }
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        updated.values.insert(it.key(), it.value());
    }
    QMap<QString, QString> secrets;
    if (auto code = readSecrets(command, io, profile, secretKeys, secretFiles, &secrets)) {
        return *code;
    }
    // A failed keychain write changes nothing: the service writes the file only after the keychain.
    const EnvironmentChange change = environments.updateAndWait(updated, secrets, removeSecrets);
    if (!change.ok()) {
        return changeFailed(io, change);
    }
    io.outLine(Text::tr("Updated environment '%1'; %n secret(s) changed in the keychain.",
                        nullptr,
                        static_cast<int>(secrets.size() + removeSecrets.size()))
                   .arg(name));
    return ExitOk;
}

// The env commands share one shape: a name, a synopsis, options and the function above that runs them.
class EnvCommand : public CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::EnvCommand)

public:
    using Runner = int (*)(const CliCommand&, const CliArguments&, CliIo&);
    EnvCommand(
        QString name, QStringList aliases, QString synopsis, QString summary, QList<CliOption> options, Runner runner)
        : m_name(std::move(name))
        , m_aliases(std::move(aliases))
        , m_synopsis(std::move(synopsis))
        , m_summary(std::move(summary))
        , m_options(std::move(options))
        , m_runner(runner)
    {
    }

    QString name() const override { return m_name; }
    QStringList aliases() const override { return m_aliases; }
    QString synopsis() const override { return m_synopsis; }
    QString summary() const override { return m_summary; }
    QList<CliOption> options() const override { return m_options; }
    // env add names a new environment: nothing to complete.
    QList<CliValue> positionalValues() const override
    {
        return m_name == QLatin1String("env add") ? QList<CliValue> {CliValue::Text} : CliCommand::positionalValues();
    }
    int run(const CliArguments& arguments, CliIo& io) override { return m_runner(*this, arguments, io); }

private:
    QString m_name;
    QStringList m_aliases;
    QString m_synopsis;
    QString m_summary;
    QList<CliOption> m_options;
    Runner m_runner;
};

} // namespace

CliCommandList makeEnvCommands()
{
    const CliOption json {{QStringLiteral("json")}, {}, Text::tr("One JSON object per environment and line.")};
    // How env add and env set take values: the same three options.
    const QList<CliOption> valueOptions {
        {{QStringLiteral("set")}, QStringLiteral("KEY=VALUE"), Text::tr("A non-secret value; repeat for each key.")},
        {{QStringLiteral("secret")},
         QStringLiteral("KEY"),
         Text::tr("A secret read from standard input (one line each, in order) or a no-echo prompt.")},
        {{QStringLiteral("secret-file")},
         QStringLiteral("KEY=FILE"),
         Text::tr("A secret that is a whole file's content, e.g. tls.client_key (- for standard input).")},
    };
    CliCommandList commands;
    commands.push_back(std::make_unique<EnvCommand>(
        QStringLiteral("env add"),
        QStringList(),
        QStringLiteral("NAME --provider ID [--base-url URL] [--set KEY=VALUE]... [--secret KEY]... "
                       "[--secret-file KEY=FILE]..."),
        Text::tr("Adds an environment: non-secret values on the command line, secrets into the keychain."),
        QList<CliOption> {
            {{QStringLiteral("provider")},
             QStringLiteral("ID"),
             Text::tr("The provider (keyway-cli providers lists them).")},
            {{QStringLiteral("base-url")},
             QStringLiteral("URL"),
             Text::tr("The API's base URL (default: the provider's).")},
        } + valueOptions,
        &addEnvironment));
    commands.push_back(std::make_unique<EnvCommand>(
        QStringLiteral("env set"),
        QStringList(),
        QStringLiteral("NAME [--base-url URL] [--set KEY=VALUE]... [--secret KEY]... [--secret-file KEY=FILE]... "
                       "[--unset KEY]..."),
        Text::tr("Changes an environment in place; a failed keychain write changes nothing."),
        QList<CliOption> {{{QStringLiteral("base-url")}, QStringLiteral("URL"), Text::tr("A new base URL.")}}
            + valueOptions
            + QList<CliOption> {{{QStringLiteral("unset")},
                                 QStringLiteral("KEY"),
                                 Text::tr("Removes a value (a secret is deleted from the keychain).")}},
        &setEnvironment));
    commands.push_back(std::make_unique<EnvCommand>(QStringLiteral("env list"),
                                                    QStringList {QStringLiteral("ls")},
                                                    QStringLiteral("[--json]"),
                                                    Text::tr("Lists the environments: name, provider, base URL."),
                                                    QList<CliOption> {json},
                                                    &listEnvironments));
    commands.push_back(std::make_unique<EnvCommand>(
        QStringLiteral("env show"),
        QStringList(),
        QStringLiteral("NAME [--json]"),
        Text::tr("Shows one environment; secrets only as set or missing, never their values."),
        QList<CliOption> {json},
        &showEnvironment));
    commands.push_back(std::make_unique<EnvCommand>(QStringLiteral("env rm"),
                                                    QStringList {QStringLiteral("remove")},
                                                    QStringLiteral("NAME"),
                                                    Text::tr("Removes an environment and its keychain entries."),
                                                    QList<CliOption>(),
                                                    &removeEnvironment));
    return commands;
}

} // namespace keyway::cli
