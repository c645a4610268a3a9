#include "core/sandbox/AstradaEmulator.h"

#include "core/sandbox/RouteTable.h"

namespace keyway::sandbox {

namespace {
using Method = QHttpServerRequest::Method;
using ojson = nlohmann::ordered_json;

const QString kApiClientId = QStringLiteral("sbx_astrada_api_2d8f4e");
const QString kApiClientSecret = QStringLiteral("sbx_astrada_api_secret_91c3b7e0d5a2f846");
const QString kSdkClientId = QStringLiteral("sbx_astrada_sdk_6b1c9a");
const QString kSdkClientSecret = QStringLiteral("sbx_astrada_sdk_secret_3e7a0f5c8d1b2946");
const QString kApiScope = QStringLiteral("api enrollment");
const QString kSdkScope = QStringLiteral("enrollment");
constexpr qint64 kAccessTtl = 300;

SandboxReply error(int status, const char* code, const char* message)
{
    return SandboxReply::json(ojson {{"error", code}, {"error_description", message}}, status);
}
} // namespace

AstradaEmulator::AstradaEmulator(SandboxContext& context)
    : m_context(context), m_tokens(context), m_signer(context.jwtKey())
{
}

QList<DemoProvider> AstradaEmulator::demoProviders(const QUrl& baseUrl) const
{
    return {DemoProvider {providerId(),
                          baseUrl,
                          {{QStringLiteral("api.client_id"), kApiClientId},
                           {QStringLiteral("api.client_secret"), kApiClientSecret},
                           {QStringLiteral("sdk.client_id"), kSdkClientId},
                           {QStringLiteral("sdk.client_secret"), kSdkClientSecret}}}};
}

void AstradaEmulator::registerFaults(SandboxContext& context) const
{
    context.registerProvider(providerId(), {});
}

void AstradaEmulator::registerRoutes(RouteTable& routes)
{
    const QString p = pathPrefix();
    routes.add(Method::Post,
               p + QStringLiteral("/oauth/token"),
               RouteKind::Token,
               providerId(),
               [this](const SandboxRequest& r) { return token(r); });
    routes.add(Method::Get,
               p + QStringLiteral("/transactions"),
               RouteKind::Api,
               providerId(),
               [this](const SandboxRequest& r) {
                   if (auto refused = refuse(r, QStringLiteral("api"))) {
                       return *refused;
                   }
                   return SandboxReply::json(
                       ojson {{"data",
                               ojson::array({ojson {{"id", "tx_8f2c"},
                                                    {"subaccountId", "67bc3887-4e25-49cf-bea7-326d808acb5f"},
                                                    {"amount", 1999},
                                                    {"currency", "USD"},
                                                    {"merchant", "Sandbox Books"},
                                                    {"status", "CLEARED"}}})},
                              {"pagination", {{"next", nullptr}}}});
               });
    routes.add(
        Method::Get, p + QStringLiteral("/subaccounts"), RouteKind::Api, providerId(), [this](const SandboxRequest& r) {
            if (auto refused = refuse(r, QStringLiteral("api"))) {
                return *refused;
            }
            return SandboxReply::json(ojson {
                {"data",
                 ojson::array({ojson {{"id", "67bc3887-4e25-49cf-bea7-326d808acb5f"}, {"name", "Demo subaccount"}}})}});
        });
    routes.add(Method::Post,
               p + QStringLiteral("/card-enrollments"),
               RouteKind::Api,
               providerId(),
               [this](const SandboxRequest& r) {
                   if (auto refused = refuse(r, QStringLiteral("enrollment"))) {
                       return *refused;
                   }
                   const nlohmann::json body = r.jsonBody();
                   return SandboxReply::json(ojson {{"id", toStd(SandboxContext::randomUuid())},
                                                    {"subaccountId", toStd(jsonString(body, "subaccountId"))},
                                                    {"status", "PENDING"}},
                                             201);
               });
}

SandboxReply AstradaEmulator::token(const SandboxRequest& request)
{
    const nlohmann::json body = request.jsonBody();
    if (body.is_discarded() || !body.is_object()) {
        return error(400, "invalid_request", "the body must be JSON with client_id, client_secret and grant_type");
    }
    const QString clientId = jsonString(body, "client_id");
    const QString clientSecret = jsonString(body, "client_secret");
    const QString grantType = jsonString(body, "grant_type");
    if (clientId.isEmpty() || clientSecret.isEmpty() || grantType.isEmpty()) {
        return error(400, "invalid_request", "client_id, client_secret and grant_type are required");
    }
    if (grantType != QLatin1String("client_credentials")) {
        return error(400, "unsupported_grant_type", "only client_credentials is supported");
    }
    QString scope;
    if (clientId == kApiClientId && clientSecret == kApiClientSecret) {
        scope = kApiScope;
    } else if (clientId == kSdkClientId && clientSecret == kSdkClientSecret) {
        scope = kSdkScope;
    }
    if (scope.isEmpty() || m_context.faultOn(providerId(), QStringLiteral("deny"))) {
        return error(401, "invalid_client", "client authentication failed");
    }
    const qint64 nowMs = SandboxContext::nowMs();
    const QString jwt = m_signer.sign(ojson {{"iss", "https://auth.astrada.sandbox/"},
                                             {"sub", toStd(clientId) + "@clients"},
                                             {"aud", "https://api.astrada.co"},
                                             {"iat", nowMs / 1000},
                                             {"exp", (nowMs + m_context.lifetimeMs(kAccessTtl)) / 1000},
                                             {"scope", toStd(scope)},
                                             {"gty", "client-credentials"}});
    IssuedToken& access = m_tokens.issue(IssuedToken::Kind::Access, providerId(), jwt, kAccessTtl, clientId);
    access.scopes = scope.split(QLatin1Char(' '));
    return SandboxReply::json(ojson {{"access_token", toStd(jwt)},
                                     {"expires_in", m_context.advertisedSeconds(kAccessTtl)},
                                     {"token_type", "Bearer"}});
}

std::optional<SandboxReply> AstradaEmulator::refuse(const SandboxRequest& request, const QString& scope)
{
    const QString token = request.bearerToken();
    IssuedToken* issued = nullptr;
    const TokenState state = m_tokens.check(token, IssuedToken::Kind::Access, &issued);
    if (token.isEmpty() || state != TokenState::Valid || m_signer.verify(token).is_discarded()) {
        SandboxReply reply = error(
            401, "invalid_token", state == TokenState::Expired ? "the access token expired" : "invalid access token");
        reply.withHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer error=\"invalid_token\""));
        return reply;
    }
    if (!issued->scopes.contains(scope)) {
        return error(403,
                     "insufficient_scope",
                     "SDK credentials are limited to card enrollment; use the API credentials for this endpoint");
    }
    return std::nullopt;
}

} // namespace keyway::sandbox
