#include "core/sandbox/BankingEmulator.h"

#include "core/sandbox/RouteTable.h"

namespace keyway::sandbox {

namespace {
using Method = QHttpServerRequest::Method;
using ojson = nlohmann::ordered_json;

const QString kClientId = QStringLiteral("sbx_bank_client_3c9e1a");
const QString kClientSecret = QStringLiteral("sbx_bank_secret_8d2f6b0e4a7c1e93");
constexpr qint64 kAccessTtl = 3600;

SandboxReply oauthError(int status, const char* error, const char* description)
{
    SandboxReply reply = SandboxReply::json(ojson {{"error", error}, {"error_description", description}}, status);
    reply.withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return reply;
}
} // namespace

BankingEmulator::BankingEmulator(SandboxContext& context) : m_context(context), m_tokens(context) { }

QList<DemoProvider> BankingEmulator::demoProviders(const QUrl& baseUrl) const
{
    return {
        DemoProvider {providerId(),
                      baseUrl,
                      {{QStringLiteral("client_id"), kClientId}, {QStringLiteral("client_secret"), kClientSecret}}}};
}

void BankingEmulator::registerFaults(SandboxContext& context) const
{
    context.registerProvider(providerId(), {});
}

void BankingEmulator::registerRoutes(RouteTable& routes)
{
    routes.add(Method::Post,
               pathPrefix() + QStringLiteral("/token"),
               RouteKind::Token,
               providerId(),
               [this](const SandboxRequest& r) { return token(r); });
    routes.add(Method::Get,
               pathPrefix() + QStringLiteral("/accounts"),
               RouteKind::Api,
               providerId(),
               [this](const SandboxRequest& r) { return accounts(r); });
}

SandboxReply BankingEmulator::token(const SandboxRequest& request)
{
    const QUrlQuery query = request.query();
    if (query.hasQueryItem(QStringLiteral("client_secret"))) {
        return oauthError(
            400, "invalid_request", "client_secret was sent in the URL; send it only in the form-encoded POST body");
    }
    if (!request.hasFormBody()) {
        return oauthError(400,
                          "invalid_request",
                          "the token request must be application/x-www-form-urlencoded with client_id, "
                          "client_secret and grant_type");
    }
    const QString grantType = request.formValue(QStringLiteral("grant_type"));
    const QString clientId = request.formValue(QStringLiteral("client_id"));
    const QString clientSecret = request.formValue(QStringLiteral("client_secret"));
    if (grantType.isEmpty() || clientId.isEmpty() || clientSecret.isEmpty()) {
        return oauthError(400, "invalid_request", "client_id, client_secret and grant_type are required");
    }
    if (grantType != QLatin1String("client_credentials")) {
        return oauthError(400, "unsupported_grant_type", "only client_credentials is supported");
    }
    if (clientId != kClientId || clientSecret != kClientSecret
        || m_context.faultOn(providerId(), QStringLiteral("deny"))) {
        return oauthError(401, "invalid_client", "client authentication failed");
    }
    const IssuedToken& access = m_tokens.issue(
        IssuedToken::Kind::Access, providerId(), SandboxContext::randomAlphanumeric(32), kAccessTtl, clientId);
    // As documented: no expires_in; the token lives one hour all the same.
    SandboxReply reply = SandboxReply::json(ojson {{"access_token", toStd(access.value)}, {"token_type", "Bearer"}});
    reply.withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return reply;
}

SandboxReply BankingEmulator::accounts(const SandboxRequest& request)
{
    const QString token = request.bearerToken();
    if (token.isEmpty()) {
        SandboxReply reply = oauthError(401, "invalid_request", "missing Authorization: Bearer header");
        reply.withHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"banking\""));
        return reply;
    }
    const TokenState state = m_tokens.check(token, IssuedToken::Kind::Access);
    if (state != TokenState::Valid) {
        const char* description = state == TokenState::Expired ? "the access token expired"
            : state == TokenState::Revoked                     ? "the access token was revoked"
                                                               : "unknown access token";
        SandboxReply reply = oauthError(401, "invalid_token", description);
        reply.withHeader(QByteArrayLiteral("WWW-Authenticate"),
                         QByteArrayLiteral("Bearer realm=\"banking\", error=\"invalid_token\", error_description=\"")
                             + description + '"');
        return reply;
    }
    return SandboxReply::json(ojson::array({
        ojson {{"id", "acc_001"},
               {"name", "Operating account"},
               {"iban", "DE89370400440532013000"},
               {"currency", "EUR"},
               {"balance", "15230.45"}},
        ojson {{"id", "acc_002"},
               {"name", "Reserve account"},
               {"iban", "DE02120300000000202051"},
               {"currency", "EUR"},
               {"balance", "98000.00"}},
    }));
}

} // namespace keyway::sandbox
