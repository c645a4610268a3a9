#include "core/checks/WebhookVerifier.h"
#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/cli/EnvironmentContext.h"

#include <QCoreApplication>
#include <QFile>

#include <optional>

namespace keyway::cli {

namespace {

// keyway-cli webhook verify NAME --signature SIG [--body BODY|@FILE] [--json]
class WebhookVerifyCommand : public CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::WebhookCommand)

public:
    QString name() const override { return QStringLiteral("webhook verify"); }
    QString synopsis() const override { return QStringLiteral("NAME --signature SIG [--body BODY|@FILE] [--json]"); }
    QString summary() const override
    {
        return tr("Checks a webhook's signature with the environment's webhook secret; the body is read from "
                  "standard input when --body is not given.");
    }
    QList<CliOption> options() const override
    {
        return {
            {{QStringLiteral("signature")}, QStringLiteral("SIG"), tr("The signature header's value, as received.")},
            {{QStringLiteral("body")},
             QStringLiteral("BODY|@FILE"),
             tr("The raw request body, or @FILE for a file's bytes (default: standard input).")},
            {{QStringLiteral("json")}, {}, tr("One result object on one line.")},
        };
    }
    int run(const CliArguments& arguments, CliIo& io) override;
};

int WebhookVerifyCommand::run(const CliArguments& arguments, CliIo& io)
{
    const QByteArray signature = arguments.value(QStringLiteral("signature")).toUtf8();
    const bool json = arguments.isSet(QStringLiteral("json"));
    std::optional<QByteArray> body;
    if (arguments.isSet(QStringLiteral("body"))) {
        const QString value = arguments.value(QStringLiteral("body"));
        if (value.startsWith(QLatin1Char('@'))) {
            QFile file(value.mid(1));
            if (!file.open(QIODevice::ReadOnly)) {
                return usageError(io, tr("cannot read %1: %2").arg(value.mid(1), file.errorString()));
            }
            body = file.readAll();
        } else {
            body = value.toUtf8();
        }
    }
    if (arguments.positional().size() > 1) {
        return usageError(io, tr("unexpected argument '%1'").arg(arguments.positional().at(1)));
    }
    const QString name = arguments.positional().value(0);
    if (name.isEmpty() || signature.isEmpty()) {
        return usageError(io, tr("NAME and --signature are required"));
    }

    EnvironmentContext context;
    EnvironmentContext::Request request;
    request.name = name;
    request.requireSecrets = true;
    request.secretKeys = [](const ProviderProfile& profile, const QString&) {
        const CredentialField* field = profile.webhookSecretField();
        return field ? QStringList {field->key} : QStringList();
    };
    if (auto code = EnvironmentContext::open(request, io, &context)) {
        return *code;
    }
    const CredentialField* field = context.profile().webhookSecretField();
    if (!field) {
        io.err(tr("keyway-cli webhook: provider '%1' declares no webhook rule (a \"webhook\" block in its profile)")
                   .arg(context.profile().id));
        return ExitUsage;
    }
    if (!body) {
        body = io.readAll();
    }
    const auto result = WebhookVerifier::verify(
        *context.profile().webhook, *body, signature, context.credentials().value(field->key).toUtf8());
    if (json) {
        nlohmann::ordered_json j;
        j["event"] = "result";
        j["valid"] = result.valid();
        j["encoding"] = result.signatureEncoding.toStdString();
        j["detail"] = result.detail.toStdString();
        io.jsonLine(j);
    } else {
        io.outLine(result.detail);
    }
    return result.valid() ? ExitOk : ExitProviderRefused;
}

} // namespace

std::unique_ptr<CliCommand> makeWebhookVerifyCommand()
{
    return std::make_unique<WebhookVerifyCommand>();
}

} // namespace keyway::cli
