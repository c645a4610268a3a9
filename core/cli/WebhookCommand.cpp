#include "core/checks/WebhookVerifier.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/cli/EnvironmentContext.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

namespace keyway::cli {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("keyway::cli", text);
}

int usage(CliIo& io, const QString& message)
{
    io.err(QStringLiteral("keyway-cli webhook: ") + message);
    io.err(tr("Usage: keyway-cli webhook verify NAME --signature SIG [--body BODY|@FILE]  (the body is read "
              "from standard input when --body is not given)"));
    return ExitUsage;
}

} // namespace

// keyway-cli webhook verify NAME --signature SIG [--body BODY|@FILE]
int runWebhookCommand(const QStringList& args, CliIo& io)
{
    if (args.isEmpty() || args.first() != QLatin1String("verify")) {
        return usage(io, tr("expected the subcommand 'verify'"));
    }
    QString name;
    QByteArray signature;
    std::optional<QByteArray> body;
    bool json = false;
    for (int i = 1; i < args.size(); ++i) {
        const QString& arg = args[i];
        if ((arg == QLatin1String("--signature") || arg == QLatin1String("--body")) && i + 1 >= args.size()) {
            return usage(io, tr("%1 needs a value").arg(arg));
        }
        if (arg == QLatin1String("--signature")) {
            signature = args[++i].toUtf8();
        } else if (arg == QLatin1String("--body")) {
            const QString value = args[++i];
            if (value.startsWith(QLatin1Char('@'))) {
                QFile file(value.mid(1));
                if (!file.open(QIODevice::ReadOnly)) {
                    return usage(io, tr("cannot read %1: %2").arg(value.mid(1), file.errorString()));
                }
                body = file.readAll();
            } else {
                body = value.toUtf8();
            }
        } else if (arg == QLatin1String("--json")) {
            json = true;
        } else if (arg.startsWith(QLatin1Char('-')) || !name.isEmpty()) {
            return usage(io, tr("unexpected argument '%1'").arg(arg));
        } else {
            name = arg;
        }
    }
    if (name.isEmpty() || signature.isEmpty()) {
        return usage(io, tr("NAME and --signature are required"));
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
        QByteArray input;
        char buffer[65536];
        size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
            input.append(buffer, qsizetype(n));
        }
        body = input;
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

} // namespace keyway::cli
