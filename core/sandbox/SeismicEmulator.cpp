#include "core/sandbox/SeismicEmulator.h"

#include "core/sandbox/RouteTable.h"

#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace keyway::sandbox {

namespace {
using Method = QHttpServerRequest::Method;
using ojson = nlohmann::ordered_json;

// Throwaway demo credentials, public by design (see docs/sandbox.md).
const QString kClientId = QStringLiteral("sbx_seismic_client_7f3a9c");
const QString kClientSecret = QStringLiteral("sbx_seismic_secret_5e1d0b8a4c2f4e6a");
const QString kParentAccountId = QStringLiteral("6a1f2c3d-4b5e-4f60-8a7b-9c0d1e2f3a4b");
const QString kMerchantId = QStringLiteral("0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e");
const QString kDefaultBinId = QStringLiteral("3f2e1d0c-9b8a-4765-b432-10fedcba9876");
const QString kWebhookSecret = QStringLiteral("sbx_seismic_whsec_9a8b7c6d5e4f3a2b");

constexpr qint64 kCodeTtl = 600;
constexpr qint64 kAccessTtl = 86400;
constexpr qint64 kRefreshTtl = 30 * 86400;

SandboxReply envelope(const char* code, const char* msg, const ojson& data)
{
    return SandboxReply::json(ojson {{"code", code}, {"msg", msg}, {"data", data}});
}

SandboxReply success(const ojson& data)
{
    return envelope("000000", "success", data);
}

SandboxReply invalidParameter(const char* msg = "Invalid parameter")
{
    return envelope("40001", msg, nullptr);
}

SandboxReply permissionDenied()
{
    return envelope("40399", "permission denied", nullptr);
}

bool isUuidV4(const QString& text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"));
    return pattern.match(text).hasMatch();
}

QString nowIso()
{
    return SandboxContext::nowMs() > 0
        ? QDateTime::fromMSecsSinceEpoch(SandboxContext::nowMs(), Qt::UTC).toString(Qt::ISODateWithMs)
        : QString();
}
} // namespace

SeismicEmulator::SeismicEmulator(SandboxContext& context) : m_context(context), m_tokens(context) { }

QList<DemoProvider> SeismicEmulator::demoProviders(const QUrl& baseUrl) const
{
    return {DemoProvider {providerId(),
                          baseUrl,
                          {{QStringLiteral("clientId"), kClientId},
                           {QStringLiteral("clientSecret"), kClientSecret},
                           {QStringLiteral("parentAccountId"), kParentAccountId},
                           {QStringLiteral("merchantId"), kMerchantId},
                           {QStringLiteral("defaultBinId"), kDefaultBinId},
                           {QStringLiteral("webhookSecret"), kWebhookSecret}}}};
}

void SeismicEmulator::registerFaults(SandboxContext& context) const
{
    context.registerProvider(providerId(), {});
}

void SeismicEmulator::registerRoutes(RouteTable& routes)
{
    const QString id = providerId();
    const QString p = pathPrefix();
    routes.add(Method::Get,
               p + QStringLiteral("/v1/oauth/authorize"),
               RouteKind::Authorize,
               id,
               [this](const SandboxRequest& r) { return authorize(r); });
    routes.add(Method::Post,
               p + QStringLiteral("/v1/oauth/access-token"),
               RouteKind::Token,
               id,
               [this](const SandboxRequest& r) { return accessToken(r); });
    routes.add(Method::Get, p + QStringLiteral("/v1/card/bins"), RouteKind::Api, id, [this](const SandboxRequest& r) {
        return bins(r);
    });
    routes.add(Method::Get,
               QStringLiteral("/_sandbox/seismic/webhook-sample"),
               RouteKind::Control,
               id,
               [this](const SandboxRequest& r) { return webhookSample(r); });

    routes.add(
        Method::Post, p + QStringLiteral("/v1/cardholders"), RouteKind::Api, id, [this](const SandboxRequest& r) {
            return mutating(r, [](const nlohmann::json& body) {
                return ojson {{"cardholderId", toStd(SandboxContext::randomUuid())},
                              {"binId", body.value("binId", "")},
                              {"firstName", body.value("firstName", "")},
                              {"lastName", body.value("lastName", "")},
                              {"email", body.value("email", "")},
                              {"status", "ACTIVE"},
                              {"createdAt", toStd(nowIso())}};
            });
        });
    routes.add(
        Method::Post, p + QStringLiteral("/v1/budget-card"), RouteKind::Api, id, [this](const SandboxRequest& r) {
            return mutating(r, [](const nlohmann::json& body) {
                return ojson {{"cardId", toStd(SandboxContext::randomUuid())},
                              {"budgetId", body.value("budgetId", "")},
                              {"cardholderId", body.value("cardholderId", "")},
                              {"last4", toStd(QString::number(1000 + QRandomGenerator::system()->bounded(9000)))},
                              {"status", "ACTIVE"}};
            });
        });
    routes.add(Method::Post, p + QStringLiteral("/v1/budgets"), RouteKind::Api, id, [this](const SandboxRequest& r) {
        return mutating(r, [](const nlohmann::json& body) {
            return ojson {{"budgetId", toStd(SandboxContext::randomUuid())},
                          {"parentAccountId", body.value("parentAccountId", "")},
                          {"name", body.value("name", "")},
                          {"currency", body.value("currency", "USD")},
                          {"balance", "0.00"}};
        });
    });
    for (const char* direction : {"transfer-in", "transfer-out"}) {
        const QString path = p + QStringLiteral("/v1/budgets/<arg>/") + QLatin1String(direction);
        routes.add(Method::Post, path, RouteKind::Api, id, [this, direction](const SandboxRequest& r) {
            const std::string budgetId = toStd(r.pathArgs().value(0));
            return mutating(r, [budgetId, direction](const nlohmann::json& body) {
                return ojson {
                    {"transferId", toStd(SandboxContext::randomUuid())},
                    {"budgetId", budgetId},
                    {"direction", direction},
                    {"amount", body.contains("amount") ? ojson::parse(body.at("amount").dump()) : ojson("0.00")},
                    {"currency", body.value("currency", "USD")},
                    {"status", "SUCCESS"}};
            });
        });
    }
    routes.add(Method::Post,
               p + QStringLiteral("/v1/business/transfer/external"),
               RouteKind::Api,
               id,
               [this](const SandboxRequest& r) {
                   return mutating(r, [](const nlohmann::json& body) {
                       return ojson {
                           {"transferId", toStd(SandboxContext::randomUuid())},
                           {"amount", body.contains("amount") ? ojson::parse(body.at("amount").dump()) : ojson("0.00")},
                           {"currency", body.value("currency", "USD")},
                           {"status", "PENDING"}};
                   });
               });
}

SandboxReply SeismicEmulator::authorize(const SandboxRequest& request)
{
    const QString clientId = request.query().queryItemValue(QStringLiteral("clientId"), QUrl::FullyDecoded);
    if (clientId != kClientId) {
        return invalidParameter();
    }
    const IssuedToken& code = m_tokens.issue(
        IssuedToken::Kind::Code, providerId(), SandboxContext::randomAlphanumeric(24), kCodeTtl, clientId);
    return success(ojson {{"code", toStd(code.value)}});
}

SandboxReply SeismicEmulator::accessToken(const SandboxRequest& request)
{
    const nlohmann::json body = request.jsonBody();
    const QString clientId = jsonString(body, "clientId");
    const QString clientSecret = jsonString(body, "clientSecret");
    const QString codeValue = jsonString(body, "code");
    if (body.is_discarded() || !body.is_object() || clientId.isEmpty() || clientSecret.isEmpty()
        || !body.contains("code") || !body.at("code").is_string()) {
        return invalidParameter();
    }
    if (clientId != kClientId || clientSecret != kClientSecret
        || m_context.faultOn(providerId(), QStringLiteral("deny"))) {
        return permissionDenied();
    }
    IssuedToken* code = nullptr;
    const TokenState state = m_tokens.check(codeValue, IssuedToken::Kind::Code, &code);
    const qint64 timestamp = SandboxContext::nowMs() / 1000;
    if (state != TokenState::Valid || code->clientId != clientId) {
        // As documented: "000000" with an empty accessToken for a reused or expired code.
        if (code) {
            code->used = true;
        }
        return success(ojson {{"accessToken", ""}, {"refreshToken", ""}, {"expiresIn", 0}, {"timestamp", timestamp}});
    }
    code->used = true;
    const IssuedToken& access = m_tokens.issue(
        IssuedToken::Kind::Access, providerId(), SandboxContext::randomAlphanumeric(40), kAccessTtl, clientId);
    const IssuedToken& refresh = m_tokens.issue(
        IssuedToken::Kind::Refresh, providerId(), SandboxContext::randomAlphanumeric(40), kRefreshTtl, clientId);
    return success(ojson {{"accessToken", toStd(access.value)},
                          {"refreshToken", toStd(refresh.value)},
                          {"expiresIn", m_context.advertisedSeconds(kAccessTtl)},
                          {"timestamp", timestamp}});
}

bool SeismicEmulator::authenticated(const SandboxRequest& request)
{
    const QString token = QString::fromLatin1(request.header("x-access-token").trimmed());
    return m_tokens.check(token, IssuedToken::Kind::Access) == TokenState::Valid;
}

SandboxReply SeismicEmulator::bins(const SandboxRequest& request)
{
    if (!authenticated(request)) {
        return permissionDenied();
    }
    return success(ojson::array({
        ojson {{"id", toStd(kDefaultBinId)},
               {"bin", "485932"},
               {"type", 0},
               {"currencies", {"USD"}},
               {"network", "VISA"},
               {"supportPhysicalCard", true}},
        ojson {{"id", "8c7b6a59-4837-4261-9f5e-4d3c2b1a0f9e"},
               {"bin", "531746"},
               {"type", 1},
               {"currencies", {"USD"}},
               {"network", "MASTERCARD"},
               {"supportPhysicalCard", false}},
    }));
}

SandboxReply SeismicEmulator::mutating(const SandboxRequest& request,
                                       const std::function<nlohmann::ordered_json(const nlohmann::json&)>& create)
{
    if (!authenticated(request)) {
        return permissionDenied();
    }
    const QString key = QString::fromLatin1(request.header("Idempotency-Key").trimmed());
    if (!isUuidV4(key)) {
        return invalidParameter("Invalid parameter: Idempotency-Key must be a UUID v4");
    }
    const nlohmann::json body = request.jsonBody();
    if (body.is_discarded() || !body.is_object()) {
        return invalidParameter("Invalid parameter: the body must be a JSON object");
    }
    const QByteArray fingerprint = request.path().toUtf8() + '\n' + QByteArray::fromStdString(body.dump());
    const auto it = m_idempotent.constFind(key);
    if (it != m_idempotent.constEnd()) {
        if (it->requestFingerprint != fingerprint) {
            return invalidParameter("Invalid parameter: Idempotency-Key was already used with a different request");
        }
        SandboxReply replay = it->reply;
        replay.withHeader(QByteArrayLiteral("Idempotent-Replayed"), QByteArrayLiteral("true"));
        return replay;
    }
    SandboxReply reply = success(create(body));
    m_idempotent.insert(key, StoredReply {fingerprint, reply});
    return reply;
}

SandboxReply SeismicEmulator::webhookSample(const SandboxRequest&) const
{
    const ojson event = {{"eventId", "7d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a"},
                         {"eventType", "card.transaction.authorized"},
                         {"timestamp", 1767268800},
                         {"data",
                          {{"cardId", "2b1a0f9e-8d7c-4b6a-9f5e-4d3c2b1a0f9e"},
                           {"amount", "12.50"},
                           {"currency", "USD"},
                           {"merchantName", "Sandbox Coffee"}}}};
    SandboxReply reply = SandboxReply::json(event);
    const QByteArray signature
        = QMessageAuthenticationCode::hash(reply.body, kWebhookSecret.toUtf8(), QCryptographicHash::Sha256).toHex();
    reply.withHeader(QByteArrayLiteral("x-seismic-signature"), signature);
    return reply;
}

} // namespace keyway::sandbox
