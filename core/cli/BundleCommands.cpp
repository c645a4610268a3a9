// keyway-cli env export / env import: secret-free environment bundles (and Postman files) for teams and CI.
// The bundle format is docs/bundles.md; the rules live in core/vault/EnvironmentBundle.

#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/http/ConnectionSettings.h"
#include "core/profile/ProfileLoader.h"
#include "core/vault/EnvSecretStore.h"
#include "core/vault/EnvironmentBundle.h"
#include "core/vault/EnvironmentService.h"
#include "core/vault/PostmanImport.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

namespace keyway::cli {

namespace {

class EnvExportCommand : public CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::BundleCommands)

public:
    QString name() const override { return QStringLiteral("env export"); }
    QString synopsis() const override { return QStringLiteral("[NAME...] [--output FILE]"); }
    QString summary() const override
    {
        return tr("Writes environments (all, or the named ones) as a bundle without a single secret value.");
    }
    QList<CliOption> options() const override
    {
        return {{{QStringLiteral("o"), QStringLiteral("output")},
                 QStringLiteral("FILE"),
                 tr("Write the bundle to FILE instead of standard output.")}};
    }

    int run(const CliArguments& arguments, CliIo& io) override
    {
        const ProfileRegistry registry = ProfileRegistry::loadDefault();
        const std::unique_ptr<SecretStore> secrets = EnvSecretStore::createDefault();
        EnvironmentService service(&registry, secrets.get());
        QString error;
        if (!service.reload(&error)) {
            io.err(QStringLiteral("keyway-cli env export: ") + error);
            return ExitUsage;
        }
        const auto bundle = EnvironmentBundle::exportAndWait(service, arguments.positional(), &error);
        if (!bundle) {
            return usageError(io, error);
        }
        const QByteArray data = EnvironmentBundle::serialize(*bundle);
        if (!arguments.isSet(QStringLiteral("output"))) {
            io.outBytes(data);
            return ExitOk;
        }
        const QString path = arguments.value(QStringLiteral("output"));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
            io.err(tr("keyway-cli env export: cannot write %1: %2").arg(path, file.errorString()));
            return ExitUsage;
        }
        io.err(tr("keyway-cli: wrote %n environment(s) to %1 (no secret values).", nullptr, int(bundle->size()))
                   .arg(path));
        return ExitOk;
    }
};

class EnvImportCommand : public CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::BundleCommands)

public:
    QString name() const override { return QStringLiteral("env import"); }
    QString synopsis() const override
    {
        return QStringLiteral("FILE [--secret NAME.KEY]... [--secret-file NAME.KEY=FILE]... [--replace]");
    }
    QString summary() const override
    {
        return tr("Creates the environments of a Keyway bundle, a Postman environment or a Postman collection.");
    }
    QList<CliOption> options() const override
    {
        return {
            {{QStringLiteral("secret")},
             QStringLiteral("NAME.KEY"),
             tr("A secret of an imported environment, read from standard input (one line each, in order).")},
            {{QStringLiteral("secret-file")},
             QStringLiteral("NAME.KEY=FILE"),
             tr("A secret whose value is the whole content of FILE (- for standard input).")},
            {{QStringLiteral("replace")}, {}, tr("Update environments that already exist instead of refusing.")},
        };
    }
    QList<CliValue> positionalValues() const override { return {CliValue::File}; }

    int run(const CliArguments& arguments, CliIo& io) override
    {
        if (arguments.positional().size() != 1) {
            return usageError(io, tr("env import takes exactly one FILE."));
        }
        const QString path = arguments.positional().first();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            return usageError(io, tr("cannot read %1: %2").arg(path, file.errorString()));
        }
        const QByteArray data = file.readAll();
        const ProfileRegistry registry = ProfileRegistry::loadDefault();

        QList<BundleEnvironment> environments;
        QMap<QString, QMap<QString, QString>> secrets; // name -> key -> value
        QStringList notes;
        QString error;
        if (EnvironmentBundle::looksLikeBundle(data)) {
            const auto parsed = EnvironmentBundle::parse(data, registry, &error);
            if (!parsed) {
                return usageError(io, QStringLiteral("%1: %2").arg(path, error));
            }
            environments = *parsed;
        } else if (PostmanImport::looksLikePostman(data)) {
            const auto imported = PostmanImport::parse(data, registry, &error);
            if (!imported) {
                return usageError(io, QStringLiteral("%1: %2").arg(path, error));
            }
            environments = imported->environments;
            secrets = imported->secrets;
            notes = imported->notes;
        } else {
            return usageError(io,
                              tr("%1 is neither a Keyway bundle ({\"keyway_bundle\": 1, ...}) nor a Postman "
                                 "environment or collection v2.1 file.")
                                  .arg(path));
        }

        if (auto code = readSecrets(arguments, io, environments, &secrets)) {
            return *code;
        }

        const std::unique_ptr<SecretStore> store = EnvSecretStore::createDefault();
        EnvironmentService service(&registry, store.get());
        const BundleImportResult result = EnvironmentBundle::importAndWait(
            service, environments, secrets, arguments.isSet(QStringLiteral("replace")));
        if (!result.ok) {
            io.err(QStringLiteral("keyway-cli env import: ") + result.error);
            return result.keychainInaccessible ? ExitKeychain : ExitUsage;
        }
        for (const QString& note : std::as_const(notes)) {
            io.err(QStringLiteral("keyway-cli: ") + note);
        }
        io.outLine(tr("Imported %n environment(s): %1", nullptr, int(result.imported.size()))
                       .arg(result.imported.join(QStringLiteral(", "))));
        const bool fromVariables = EnvSecretStore::enabled();
        for (auto it = result.missingSecrets.cbegin(); it != result.missingSecrets.cend(); ++it) {
            for (const QString& key : it.value()) {
                io.outLine(fromVariables
                               ? tr("Missing secret %1.%2: set the variable %3")
                                     .arg(it.key(), key, EnvSecretStore::variableFor(it.key(), key))
                               : tr("Missing secret %1.%2: keyway-cli env set %1 --secret %2").arg(it.key(), key));
            }
        }
        return ExitOk;
    }

private:
    // NAME.KEY of one of the imported environments: the longest environment name that fits wins, since both a
    // name and a key (api.client_secret) may hold dots.
    std::optional<QPair<QString, QString>> resolve(const QString& spec,
                                                   const QList<BundleEnvironment>& environments) const
    {
        std::optional<QPair<QString, QString>> best;
        for (const BundleEnvironment& environment : environments) {
            if (spec.startsWith(environment.name + QLatin1Char('.'))
                && (!best || environment.name.size() > best->first.size())) {
                best = QPair<QString, QString>(environment.name, spec.mid(environment.name.size() + 1));
            }
        }
        return best;
    }

    std::optional<int> checkSecretKey(CliIo& io,
                                      const QString& spec,
                                      const QList<BundleEnvironment>& environments,
                                      const ProfileRegistry& registry,
                                      QPair<QString, QString>* target) const
    {
        const auto found = resolve(spec, environments);
        QStringList names;
        for (const BundleEnvironment& environment : environments) {
            names.append(environment.name);
        }
        if (!found) {
            return usageError(io,
                              tr("'%1' names no environment of the file; expected NAME.KEY with NAME one of: %2")
                                  .arg(spec, names.join(QStringLiteral(", "))));
        }
        for (const BundleEnvironment& environment : environments) {
            if (environment.name != found->first) {
                continue;
            }
            const ProviderProfile* profile = registry.find(environment.provider);
            const CredentialField* field = profile && profile->field(found->second)
                ? profile->field(found->second)
                : ConnectionSettings::field(found->second);
            if (!field || !field->secret) {
                QStringList keys;
                for (const CredentialField& f : profile ? profile->fields : QList<CredentialField>()) {
                    if (f.secret) {
                        keys.append(f.key);
                    }
                }
                return usageError(io,
                                  tr("'%1' is not a secret key of environment '%2'. Secret keys: %3")
                                      .arg(found->second, found->first, keys.join(QStringLiteral(", "))));
            }
        }
        *target = *found;
        return std::nullopt;
    }

    std::optional<int> readSecrets(const CliArguments& arguments,
                                   CliIo& io,
                                   const QList<BundleEnvironment>& environments,
                                   QMap<QString, QMap<QString, QString>>* secrets) const
    {
        const ProfileRegistry registry = ProfileRegistry::loadDefault();
        QSet<QString> seen;
        for (const QString& spec : arguments.values(QStringLiteral("secret"))) {
            QPair<QString, QString> target;
            if (auto code = checkSecretKey(io, spec, environments, registry, &target)) {
                return code;
            }
            if (seen.contains(spec)) {
                return usageError(io, tr("'%1' is given twice.").arg(spec));
            }
            seen.insert(spec);
            QString value;
            const bool read
                = io.stdinIsTerminal() ? io.readSecret(spec + QStringLiteral(": "), &value) : io.readLine(&value);
            if (!read) {
                return usageError(io,
                                  tr("expected the value of '%1' on standard input (one line per --secret, in "
                                     "order), but the input ended.")
                                      .arg(spec));
            }
            if (value.isEmpty()) {
                return usageError(io, tr("the value of '%1' is empty.").arg(spec));
            }
            (*secrets)[target.first].insert(target.second, value);
        }
        for (const QString& assignment : arguments.values(QStringLiteral("secret-file"))) {
            const qsizetype equals = assignment.indexOf(QLatin1Char('='));
            if (equals <= 0) {
                return usageError(io, tr("--secret-file expects NAME.KEY=FILE."));
            }
            const QString spec = assignment.left(equals);
            const QString filePath = assignment.mid(equals + 1);
            QPair<QString, QString> target;
            if (auto code = checkSecretKey(io, spec, environments, registry, &target)) {
                return code;
            }
            if (seen.contains(spec)) {
                return usageError(io, tr("'%1' is given twice.").arg(spec));
            }
            seen.insert(spec);
            QByteArray content;
            if (filePath == QLatin1String("-")) {
                content = io.readAll();
            } else {
                QFile file(filePath);
                if (!file.open(QIODevice::ReadOnly)) {
                    return usageError(io, tr("cannot read %1: %2").arg(filePath, file.errorString()));
                }
                content = file.readAll();
            }
            if (content.isEmpty()) {
                return usageError(io, tr("the file for '%1' is empty.").arg(spec));
            }
            (*secrets)[target.first].insert(target.second, QString::fromUtf8(content));
        }
        return std::nullopt;
    }
};

} // namespace

CliCommandList makeBundleCommands()
{
    CliCommandList commands;
    commands.push_back(std::make_unique<EnvExportCommand>());
    commands.push_back(std::make_unique<EnvImportCommand>());
    return commands;
}

} // namespace keyway::cli
