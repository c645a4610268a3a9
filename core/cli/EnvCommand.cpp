#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/history/HistoryStore.h"
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvironmentStore.h"
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/SecretBatch.h"

#include <QCoreApplication>
#include <QLockFile>
#include <QMap>
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

QString usageLines()
{
    return Text::tr("Usage:\n"
                    "  keyway-cli env add NAME --provider ID [--base-url URL] [--set KEY=VALUE]... [--secret KEY]...\n"
                    "  keyway-cli env list [--json]\n"
                    "  keyway-cli env show NAME [--json]\n"
                    "  keyway-cli env rm NAME");
}

int usageError(CliIo& io, const QString& message)
{
    io.err(QStringLiteral("keyway-cli env: ") + message);
    return ExitUsage;
}

// Options of one sub-command, parsed from `--name value`, `--name=value` and `--flag`.
struct Arguments
{
    QStringList positional;
    QMap<QString, QStringList> values; // option -> values in order (repeatable options)
    QStringList flags;

    QString value(const QString& option) const { return values.value(option).value(0); }
    bool has(const QString& option) const { return values.contains(option) || flags.contains(option); }
};

std::optional<Arguments>
parseArguments(const QStringList& args, const QStringList& valueOptions, const QStringList& flagOptions, QString* error)
{
    Arguments parsed;
    bool optionsEnded = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString& arg = args.at(i);
        if (optionsEnded || !arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            parsed.positional.append(arg);
            continue;
        }
        if (arg == QLatin1String("--")) {
            optionsEnded = true;
            continue;
        }
        const qsizetype equals = arg.indexOf(QLatin1Char('='));
        const QString name = equals < 0 ? arg : arg.left(equals);
        if (flagOptions.contains(name) && equals < 0) {
            parsed.flags.append(name);
        } else if (valueOptions.contains(name)) {
            if (equals >= 0) {
                parsed.values[name].append(arg.mid(equals + 1));
            } else if (i + 1 < args.size()) {
                parsed.values[name].append(args.at(++i));
            } else {
                *error = Text::tr("option %1 needs a value.").arg(name);
                return std::nullopt;
            }
        } else {
            *error = Text::tr("unknown option '%1'.").arg(arg);
            return std::nullopt;
        }
    }
    return parsed;
}

// "clientId, clientSecret (secret), ..." for messages that list what is valid.
QString describeKeys(const ProviderProfile& profile)
{
    QStringList keys;
    for (const CredentialField& field : profile.fields) {
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

std::unique_ptr<QLockFile> lockStore(const EnvironmentStore& store, CliIo& io)
{
    auto lock = store.lock();
    if (!lock) {
        io.err(Text::tr("keyway-cli env: another Keyway process is changing %1; try again.").arg(store.filePath()));
    }
    return lock;
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

// Every keychain entry an environment may own: its secret fields and its refresh tokens.
QStringList keychainEntriesOf(const Environment& environment, const ProviderProfile* profile)
{
    QStringList entries;
    entries.append(SecretStore::refreshTokenKey(environment.id, QString()));
    if (profile) {
        for (const QString& key : secretKeysOf(*profile)) {
            entries.append(SecretStore::keyFor(environment.id, key));
        }
        for (const CredentialSet& set : profile->credentialSets) {
            entries.append(SecretStore::refreshTokenKey(environment.id, set.id));
        }
    }
    return entries;
}

int keychainError(CliIo& io, const SecretResult& failure)
{
    io.err(QStringLiteral("keyway-cli env: ") + failure.error);
    return ExitKeychain;
}

// --- env add ----------------------------------------------------------------------------------

int addEnvironment(const QStringList& args, CliIo& io)
{
    QString error;
    const auto parsed = parseArguments(args,
                                       {QStringLiteral("--provider"),
                                        QStringLiteral("--base-url"),
                                        QStringLiteral("--set"),
                                        QStringLiteral("--secret")},
                                       {},
                                       &error);
    if (!parsed) {
        return usageError(io, error + QLatin1Char('\n') + usageLines());
    }
    if (parsed->positional.size() != 1 || parsed->positional.first().trimmed().isEmpty()) {
        return usageError(io, Text::tr("env add takes exactly one NAME.") + QLatin1Char('\n') + usageLines());
    }
    const QString name = parsed->positional.first();

    const ProfileRegistry registry = ProfileRegistry::loadDefault();
    const QString validProviders = registry.ids().join(QStringLiteral(", "));
    if (!parsed->values.contains(QStringLiteral("--provider"))) {
        return usageError(io, Text::tr("--provider ID is required. Valid providers: %1").arg(validProviders));
    }
    const QString providerId = parsed->value(QStringLiteral("--provider"));
    const ProviderProfile* profile = registry.find(providerId);
    if (!profile) {
        return usageError(io, Text::tr("unknown provider '%1'. Valid providers: %2").arg(providerId, validProviders));
    }

    QString baseUrl = parsed->values.contains(QStringLiteral("--base-url"))
        ? parsed->value(QStringLiteral("--base-url"))
        : profile->defaultBaseUrl;
    if (baseUrl.isEmpty()) {
        return usageError(io, Text::tr("provider '%1' has no default base URL: pass --base-url URL.").arg(providerId));
    }
    if (!isHttpUrl(baseUrl)) {
        return usageError(io, Text::tr("'%1' is not an http:// or https:// URL.").arg(baseUrl));
    }
    baseUrl = normalizedBaseUrl(baseUrl);

    QMap<QString, QString> values;
    for (const QString& assignment : parsed->values.value(QStringLiteral("--set"))) {
        const qsizetype equals = assignment.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            // Not echoed: what was typed might be a secret without its key.
            return usageError(io, Text::tr("--set expects KEY=VALUE."));
        }
        const QString key = assignment.left(equals);
        const CredentialField* field = profile->field(key);
        if (!field) {
            return usageError(io,
                              Text::tr("unknown key '%1' for provider '%2'. Valid keys: %3")
                                  .arg(key, providerId, describeKeys(*profile)));
        }
        if (field->secret) {
            // The value is deliberately not echoed: it is a secret typed where it should not be.
            return usageError(io,
                              Text::tr("'%1' is a secret and is never accepted on the command line: "
                                       "use --secret %1 and give the value on standard input.")
                                  .arg(key));
        }
        if (values.contains(key)) {
            return usageError(io, Text::tr("'%1' is set twice.").arg(key));
        }
        const QString value = assignment.mid(equals + 1);
        if (!field->choices.isEmpty() && !field->choices.contains(value)) {
            return usageError(io,
                              Text::tr("'%1' must be one of: %2").arg(key, field->choices.join(QStringLiteral(", "))));
        }
        values.insert(key, value);
    }

    const QStringList secretKeys = parsed->values.value(QStringLiteral("--secret"));
    for (qsizetype i = 0; i < secretKeys.size(); ++i) {
        const QString& key = secretKeys.at(i);
        const CredentialField* field = profile->field(key);
        if (!field) {
            return usageError(io,
                              Text::tr("unknown key '%1' for provider '%2'. Valid keys: %3")
                                  .arg(key, providerId, describeKeys(*profile)));
        }
        if (!field->secret) {
            return usageError(io,
                              Text::tr("'%1' is not a secret: use --set %1=VALUE. Secret keys: %2")
                                  .arg(key, secretKeysOf(*profile).join(QStringLiteral(", "))));
        }
        if (secretKeys.indexOf(key) != i) {
            return usageError(io, Text::tr("'%1' is given twice.").arg(key));
        }
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
        return usageError(io,
                          Text::tr("missing required key(s) for provider '%1': %2. Valid keys: %3")
                              .arg(providerId, missing.join(QStringLiteral(", ")), describeKeys(*profile)));
    }

    EnvironmentStore store;
    if (!loadStore(store, io)) {
        return ExitUsage;
    }
    if (store.find(name)) {
        return usageError(io,
                          Text::tr("an environment named '%1' already exists (existing: %2). "
                                   "Remove it first with: keyway-cli env rm %1")
                              .arg(name, store.names().join(QStringLiteral(", "))));
    }

    // Secrets: one line each from a pipe, or a no-echo prompt on a terminal.
    QMap<QString, QString> secrets; // field key -> value
    for (const QString& key : secretKeys) {
        QString value;
        const bool read = io.stdinIsTerminal()
            ? io.readSecret(Text::tr("%1 (%2): ").arg(key, profile->field(key)->label), &value)
            : io.readLine(&value);
        if (!read) {
            return usageError(io,
                              Text::tr("expected the value of '%1' on standard input (one line per --secret, "
                                       "in order), but the input ended.")
                                  .arg(key));
        }
        if (value.isEmpty()) {
            return usageError(io, Text::tr("the value of '%1' is empty.").arg(key));
        }
        secrets.insert(key, value);
    }

    const auto lock = lockStore(store, io);
    if (!lock || !loadStore(store, io)) {
        return ExitUsage;
    }
    if (store.find(name)) {
        return usageError(io, Text::tr("an environment named '%1' already exists.").arg(name));
    }

    Environment environment = Environment::create(name, providerId, baseUrl);
    environment.values = values;

    // Secrets first, then the file: a failure on either side leaves nothing half-saved.
    KeychainSecretStore keychain;
    QMap<QString, QString> entries;
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
        entries.insert(SecretStore::keyFor(environment.id, it.key()), it.value());
    }
    const SecretBatch::Results written = SecretBatch::writeAllAndWait(keychain, entries);
    if (const SecretResult* failure = SecretBatch::firstFailure(written)) {
        const SecretResult copy = *failure;
        SecretBatch::removeAllAndWait(keychain, entries.keys());
        io.err(Text::tr("keyway-cli env: the secrets could not be stored; environment '%1' was not added.").arg(name));
        return keychainError(io, copy);
    }
    if (!store.add(environment, &error) || !store.save(&error)) {
        SecretBatch::removeAllAndWait(keychain, entries.keys());
        io.err(QStringLiteral("keyway-cli env: ") + error);
        return ExitUsage;
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

int listEnvironments(const QStringList& args, CliIo& io)
{
    QString error;
    const auto parsed = parseArguments(args, {}, {QStringLiteral("--json")}, &error);
    if (!parsed || !parsed->positional.isEmpty()) {
        return usageError(io,
                          (parsed ? Text::tr("env list takes no NAME.") : error) + QLatin1Char('\n') + usageLines());
    }
    EnvironmentStore store;
    if (!loadStore(store, io)) {
        return ExitUsage;
    }
    const bool json = parsed->has(QStringLiteral("--json"));
    qsizetype nameWidth = 4;
    qsizetype providerWidth = 8;
    for (const Environment& environment : store.environments()) {
        nameWidth = qMax(nameWidth, environment.name.size());
        providerWidth = qMax(providerWidth, environment.providerId.size());
    }
    for (const Environment& environment : store.environments()) {
        if (json) {
            io.jsonLine(summaryJson(environment));
        } else {
            io.outLine(environment.name.leftJustified(nameWidth + 2)
                       + environment.providerId.leftJustified(providerWidth + 2) + environment.baseUrl);
        }
    }
    if (!json && store.environments().isEmpty()) {
        io.err(Text::tr("No environments yet. Add one with: keyway-cli env add NAME --provider ID"));
    }
    return ExitOk;
}

int showEnvironment(const QStringList& args, CliIo& io)
{
    QString error;
    const auto parsed = parseArguments(args, {}, {QStringLiteral("--json")}, &error);
    if (!parsed || parsed->positional.size() != 1) {
        return usageError(
            io, (parsed ? Text::tr("env show takes exactly one NAME.") : error) + QLatin1Char('\n') + usageLines());
    }
    EnvironmentStore store;
    if (!loadStore(store, io)) {
        return ExitUsage;
    }
    const QString name = parsed->positional.first();
    const Environment* environment = store.find(name);
    if (!environment) {
        return usageError(io,
                          Text::tr("no environment named '%1'. Environments: %2")
                              .arg(name, store.names().join(QStringLiteral(", "))));
    }
    const ProfileRegistry registry = ProfileRegistry::loadDefault();
    const ProviderProfile* profile = registry.find(environment->providerId);
    if (!profile) {
        io.err(Text::tr("warning: provider '%1' is not known any more; secret fields cannot be listed.")
                   .arg(environment->providerId));
    }

    // Every secret field's state, read in parallel.
    QStringList entryKeys;
    const QStringList secretKeys = profile ? secretKeysOf(*profile) : QStringList();
    for (const QString& key : secretKeys) {
        entryKeys.append(SecretStore::keyFor(environment->id, key));
    }
    KeychainSecretStore keychain;
    const SecretBatch::Results states = SecretBatch::readAllAndWait(keychain, entryKeys);

    QList<QPair<QString, QString>> shown; // key -> value or secret state, in profile order
    std::optional<SecretResult> inaccessible;
    QStringList listed;
    if (profile) {
        for (const CredentialField& field : profile->fields) {
            listed.append(field.key);
            if (field.secret) {
                const SecretResult state = states.value(SecretStore::keyFor(environment->id, field.key));
                if (state.keychainInaccessible() && !inaccessible) {
                    inaccessible = state;
                }
                // Only the state, never the value.
                shown.append({field.key, state.ok() ? QStringLiteral("set") : SecretStore::statusName(state.status)});
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

    if (parsed->has(QStringLiteral("--json"))) {
        nlohmann::ordered_json object = summaryJson(*environment);
        nlohmann::ordered_json values = nlohmann::ordered_json::object();
        for (const auto& [key, value] : shown) {
            values[utf8(key)] = utf8(value);
        }
        object["values"] = values;
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
    if (inaccessible) {
        return keychainError(io, *inaccessible);
    }
    return ExitOk;
}

int removeEnvironment(const QStringList& args, CliIo& io)
{
    QString error;
    const auto parsed = parseArguments(args, {}, {}, &error);
    if (!parsed || parsed->positional.size() != 1) {
        return usageError(
            io, (parsed ? Text::tr("env rm takes exactly one NAME.") : error) + QLatin1Char('\n') + usageLines());
    }
    EnvironmentStore store;
    const auto lock = lockStore(store, io);
    if (!lock || !loadStore(store, io)) {
        return ExitUsage;
    }
    const QString name = parsed->positional.first();
    const Environment* found = store.find(name);
    if (!found) {
        return usageError(io,
                          Text::tr("no environment named '%1'. Environments: %2")
                              .arg(name, store.names().join(QStringLiteral(", "))));
    }
    const Environment environment = *found;
    const ProfileRegistry registry = ProfileRegistry::loadDefault();

    // Keychain entries first: if the keychain cannot be reached the environment stays listed,
    // so its secrets are never orphaned where no command can find them again.
    KeychainSecretStore keychain;
    const SecretBatch::Results removed = SecretBatch::removeAllAndWait(
        keychain, keychainEntriesOf(environment, registry.find(environment.providerId)));
    if (const SecretResult* failure = SecretBatch::firstFailure(removed)) {
        io.err(Text::tr("keyway-cli env: the keychain entries of '%1' could not be removed; the environment is kept.")
                   .arg(name));
        return keychainError(io, *failure);
    }
    store.remove(environment.id);
    if (!store.save(&error)) {
        io.err(QStringLiteral("keyway-cli env: ") + error);
        return ExitUsage;
    }
    HistoryStore().clear(environment.id); // history names the environment's endpoints: it goes too
    io.outLine(Text::tr("Removed environment '%1' and its keychain entries.").arg(name));
    return ExitOk;
}

} // namespace

int runEnvCommand(const QStringList& args, CliIo& io)
{
    if (args.isEmpty()) {
        return usageError(io, Text::tr("missing sub-command.") + QLatin1Char('\n') + usageLines());
    }
    const QString sub = args.first();
    const QStringList rest = args.mid(1);
    if (sub == QLatin1String("add")) {
        return addEnvironment(rest, io);
    }
    if (sub == QLatin1String("list") || sub == QLatin1String("ls")) {
        return listEnvironments(rest, io);
    }
    if (sub == QLatin1String("show")) {
        return showEnvironment(rest, io);
    }
    if (sub == QLatin1String("rm") || sub == QLatin1String("remove")) {
        return removeEnvironment(rest, io);
    }
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        io.outLine(usageLines());
        return ExitOk;
    }
    return usageError(io, Text::tr("unknown sub-command '%1'.").arg(sub) + QLatin1Char('\n') + usageLines());
}

} // namespace keyway::cli
