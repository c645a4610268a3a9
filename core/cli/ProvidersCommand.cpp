#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/profile/ProfileLoader.h"

#include <QCoreApplication>

namespace keyway::cli {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::ProvidersCommand)
};

nlohmann::ordered_json providerJson(const ProviderProfile& profile)
{
    nlohmann::ordered_json fields = nlohmann::ordered_json::array();
    for (const CredentialField& field : profile.fields) {
        nlohmann::ordered_json item = {{"key", field.key.toStdString()},
                                       {"label", field.label.toStdString()},
                                       {"secret", field.secret},
                                       {"required", field.required}};
        if (!field.setId.isEmpty()) {
            item["set"] = field.setId.toStdString();
        }
        if (!field.defaultValue.isEmpty()) {
            item["default"] = field.defaultValue.toStdString();
        }
        if (!field.choices.isEmpty()) {
            nlohmann::ordered_json choices = nlohmann::ordered_json::array();
            for (const QString& choice : field.choices) {
                choices.push_back(choice.toStdString());
            }
            item["choices"] = choices;
        }
        fields.push_back(item);
    }
    nlohmann::ordered_json sets = nlohmann::ordered_json::array();
    for (const CredentialSet& set : profile.credentialSets) {
        sets.push_back({{"id", set.id.toStdString()}, {"label", set.label.toStdString()}, {"default", set.isDefault}});
    }
    nlohmann::ordered_json object
        = {{"event", "provider"}, {"id", profile.id.toStdString()}, {"name", profile.name.toStdString()}};
    object["base_url"] = profile.defaultBaseUrl.isEmpty()
        ? nlohmann::ordered_json(nullptr)
        : nlohmann::ordered_json(profile.defaultBaseUrl.toStdString());
    object["fields"] = fields;
    object["credential_sets"] = sets;
    return object;
}

void printProvider(const ProviderProfile& profile, CliIo& io)
{
    io.outLine(profile.id + QStringLiteral("  ") + profile.name);
    io.outLine(QStringLiteral("  ") + Text::tr("base URL:") + QLatin1Char(' ')
               + (profile.defaultBaseUrl.isEmpty() ? Text::tr("(none, --base-url required)") : profile.defaultBaseUrl));
    if (!profile.credentialSets.isEmpty()) {
        QStringList sets;
        for (const CredentialSet& set : profile.credentialSets) {
            sets.append(set.isDefault ? set.id + QLatin1Char(' ') + Text::tr("(default)") : set.id);
        }
        io.outLine(QStringLiteral("  ") + Text::tr("credential sets:") + QLatin1Char(' ')
                   + sets.join(QStringLiteral(", ")));
    }
    for (const CredentialField& field : profile.fields) {
        QStringList traits;
        traits.append(field.required ? Text::tr("required") : Text::tr("optional"));
        if (field.secret) {
            traits.append(Text::tr("secret"));
        }
        if (!field.defaultValue.isEmpty()) {
            traits.append(Text::tr("default %1").arg(field.defaultValue));
        }
        if (!field.choices.isEmpty()) {
            traits.append(Text::tr("one of %1").arg(field.choices.join(QLatin1Char('|'))));
        }
        io.outLine(QStringLiteral("  ") + field.key.leftJustified(22) + traits.join(QStringLiteral(", ")));
    }
}

// keyway-cli providers [--json]
class ProvidersCommand : public CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::ProvidersCommand)

public:
    QString name() const override { return QStringLiteral("providers"); }
    QString synopsis() const override { return QStringLiteral("[--json]"); }
    QString summary() const override
    {
        return tr("Lists the providers Keyway knows, with their credential keys (secret ones marked).");
    }
    QList<CliOption> options() const override
    {
        return {{{QStringLiteral("json")}, {}, tr("One JSON object per provider and line (\"event\": \"provider\").")}};
    }

    int run(const CliArguments& arguments, CliIo& io) override
    {
        if (!arguments.positional().isEmpty()) {
            return usageError(io, tr("unexpected argument '%1'.").arg(arguments.positional().first()));
        }
        const bool json = arguments.isSet(QStringLiteral("json"));
        const ProfileRegistry registry = ProfileRegistry::loadDefault();
        // A broken user profile is reported but never hides the others.
        for (const ProfileError& error : registry.errors()) {
            io.err(tr("keyway-cli: warning: %1").arg(error.toString()));
        }
        bool first = true;
        for (const ProviderProfile* profile : registry.profiles()) {
            if (json) {
                io.jsonLine(providerJson(*profile));
            } else {
                if (!first) {
                    io.outLine(QString());
                }
                printProvider(*profile, io);
            }
            first = false;
        }
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<CliCommand> makeProvidersCommand()
{
    return std::make_unique<ProvidersCommand>();
}

} // namespace keyway::cli
