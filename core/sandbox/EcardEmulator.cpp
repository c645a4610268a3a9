#include "core/sandbox/EcardEmulator.h"

#include "core/sandbox/RouteTable.h"

#include <QDateTime>

namespace keyway::sandbox {

namespace {
using Method = QHttpServerRequest::Method;
using ojson = nlohmann::ordered_json;

const QString kClientId = QStringLiteral("sbx_ecard_client_51b7d2");
const QString kClientSecret = QStringLiteral("sbx_ecard_secret_c4a90e7f2b6d8135");
const QString kScope = QStringLiteral("read:reports read:transactions export:reports");
constexpr qint64 kAccessTtl = 86400;

std::string isoNow()
{
    return toStd(QDateTime::fromMSecsSinceEpoch(SandboxContext::nowMs(), Qt::UTC).toString(Qt::ISODateWithMs));
}

ojson meta()
{
    return ojson {{"timestamp", isoNow()},
                  {"request_id",
                   "req-" + std::to_string(SandboxContext::nowMs()) + "-"
                       + toStd(SandboxContext::randomAlphanumeric(7).toLower())},
                  {"version", "1.0.0"}};
}

SandboxReply errors(int status, const char* title, const std::string& detail)
{
    return SandboxReply::jsonApi(
        ojson {{"errors",
                ojson::array({ojson {{"status", std::to_string(status)}, {"title", title}, {"detail", detail}}})},
               {"meta", meta()},
               {"jsonapi", {{"version", "1.0"}}}},
        status);
}
} // namespace

EcardEmulator::EcardEmulator(SandboxContext& context)
    : m_context(context), m_tokens(context), m_signer(context.jwtKey())
{
}

QList<DemoProvider> EcardEmulator::demoProviders(const QUrl& baseUrl) const
{
    return {
        DemoProvider {providerId(),
                      baseUrl,
                      {{QStringLiteral("client_id"), kClientId}, {QStringLiteral("client_secret"), kClientSecret}}}};
}

void EcardEmulator::registerFaults(SandboxContext& context) const
{
    context.registerProvider(providerId(), {});
}

void EcardEmulator::registerRoutes(RouteTable& routes)
{
    const QString p = pathPrefix();
    routes.add(Method::Post,
               p + QStringLiteral("/api/reporting/v1/auth/token"),
               RouteKind::Token,
               providerId(),
               [this](const SandboxRequest& r) { return token(r); });
    routes.add(Method::Get,
               p + QStringLiteral("/api/transaction/v1/transactions"),
               RouteKind::Api,
               providerId(),
               [this](const SandboxRequest& r) {
                   if (auto refused = refuse(r, QStringLiteral("read:transactions"))) {
                       return *refused;
                   }
                   return document(ojson::array({
                       ojson {{"type", "transaction"},
                              {"id", "txn_0001"},
                              {"attributes",
                               {{"amount", "42.00"},
                                {"currency", "USD"},
                                {"status", "settled"},
                                {"card_last4", "4242"},
                                {"created_at", "2025-10-20T09:15:00Z"}}}},
                       ojson {{"type", "transaction"},
                              {"id", "txn_0002"},
                              {"attributes",
                               {{"amount", "7.35"},
                                {"currency", "USD"},
                                {"status", "pending"},
                                {"card_last4", "4242"},
                                {"created_at", "2025-10-21T13:02:11Z"}}}},
                   }));
               });
    routes.add(Method::Get,
               p + QStringLiteral("/api/reporting/v1/reports"),
               RouteKind::Api,
               providerId(),
               [this](const SandboxRequest& r) {
                   if (auto refused = refuse(r, QStringLiteral("read:reports"))) {
                       return *refused;
                   }
                   return document(ojson::array({ojson {
                       {"type", "report"},
                       {"id", "rpt_2025_10"},
                       {"attributes", {{"name", "October 2025 activity"}, {"format", "csv"}, {"status", "ready"}}}}}));
               });
    // Needs a scope the demo client is never granted, to show the 403 path.
    routes.add(Method::Get,
               p + QStringLiteral("/api/transaction/v1/settlements"),
               RouteKind::Api,
               providerId(),
               [this](const SandboxRequest& r) {
                   if (auto refused = refuse(r, QStringLiteral("read:settlements"))) {
                       return *refused;
                   }
                   return document(ojson::array());
               });
}

SandboxReply EcardEmulator::document(const nlohmann::ordered_json& data, int status) const
{
    return SandboxReply::jsonApi(ojson {{"data", data}, {"meta", meta()}, {"jsonapi", {{"version", "1.0"}}}}, status);
}

SandboxReply EcardEmulator::token(const SandboxRequest& request)
{
    const nlohmann::json body = request.jsonBody();
    if (body.is_discarded() || !body.is_object()) {
        return errors(
            400, "Bad Request", "The request body must be a JSON object with client_id, client_secret and grant_type.");
    }
    const QString clientId = jsonString(body, "client_id");
    const QString clientSecret = jsonString(body, "client_secret");
    const QString grantType = jsonString(body, "grant_type");
    if (clientId.isEmpty() || clientSecret.isEmpty() || grantType.isEmpty()) {
        return errors(400, "Bad Request", "client_id, client_secret and grant_type are required.");
    }
    if (grantType != QLatin1String("client_credentials")) {
        return errors(400, "Bad Request", "grant_type must be client_credentials.");
    }
    if (clientId != kClientId || clientSecret != kClientSecret
        || m_context.faultOn(providerId(), QStringLiteral("deny"))) {
        return errors(401, "Unauthorized", "Invalid client credentials.");
    }
    const qint64 nowMs = SandboxContext::nowMs();
    const qint64 exp = (nowMs + m_context.lifetimeMs(kAccessTtl)) / 1000;
    const QString jwt = m_signer.sign(ojson {{"iss", "https://platform.ecardsystems.sandbox"},
                                             {"sub", toStd(clientId)},
                                             {"aud", "ecard-api"},
                                             {"iat", nowMs / 1000},
                                             {"exp", exp},
                                             {"scope", toStd(kScope)},
                                             {"jti", toStd(SandboxContext::randomUuid())}});
    IssuedToken& access = m_tokens.issue(IssuedToken::Kind::Access, providerId(), jwt, kAccessTtl, clientId);
    access.scopes = kScope.split(QLatin1Char(' '));
    return document(ojson {{"type", "oauth-token"},
                           {"attributes",
                            {{"access_token", toStd(jwt)},
                             {"token_type", "Bearer"},
                             {"expires_in", m_context.advertisedSeconds(kAccessTtl)},
                             {"scope", toStd(kScope)}}}});
}

std::optional<SandboxReply> EcardEmulator::refuse(const SandboxRequest& request, const QString& scope)
{
    const QString token = request.bearerToken();
    IssuedToken* issued = nullptr;
    const TokenState state = m_tokens.check(token, IssuedToken::Kind::Access, &issued);
    if (token.isEmpty() || state != TokenState::Valid || m_signer.verify(token).is_discarded()) {
        SandboxReply reply = errors(401,
                                    "Unauthorized",
                                    state == TokenState::Expired ? "The access token has expired."
                                                                 : "Invalid or missing access token.");
        reply.withHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer error=\"invalid_token\""));
        return reply;
    }
    if (!issued->scopes.contains(scope)) {
        return errors(403, "Forbidden", "The access token lacks the required scope: " + toStd(scope) + ".");
    }
    return std::nullopt;
}

} // namespace keyway::sandbox
