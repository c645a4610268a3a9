#include "core/sandbox/OidcProvider.h"

#include "core/sandbox/RouteTable.h"

namespace keyway::sandbox {

namespace {
using Method = QHttpServerRequest::Method;
using ojson = nlohmann::ordered_json;

constexpr qint64 kIdTokenTtl = 3600;

const char* const kRotateKeys = "rotate_keys";
const char* const kIssuerMismatch = "issuer_mismatch";
const char* const kBadNonce = "id_token_bad_nonce";
const char* const kWrongAud = "id_token_wrong_aud";
const char* const kExpired = "id_token_expired";
const char* const kBadSignature = "id_token_bad_signature";
const char* const kAlgNone = "id_token_alg_none";

SandboxReply invalidClient(const QString& description)
{
    SandboxReply reply
        = SandboxReply::json(ojson {{"error", "invalid_client"}, {"error_description", toStd(description)}}, 401);
    reply.withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return reply;
}

QString claimText(const nlohmann::json& claims, const char* name)
{
    return jsonString(claims, name);
}
} // namespace

OidcProvider::OidcProvider(SandboxContext& context, QString providerId, std::function<QUrl()> issuer)
    : m_context(context), m_providerId(std::move(providerId)), m_issuer(std::move(issuer))
{
    // Fresh keys per sandbox: nothing signed here outlives the process.
    m_kids[0] = QStringLiteral("sbx-") + SandboxContext::randomAlphanumeric(8).toLower();
    m_kids[1] = QStringLiteral("sbx-") + SandboxContext::randomAlphanumeric(8).toLower();
    m_clientEc = crypto::Key::generateEcP256();
}

QString OidcProvider::demoRsaKeyPem() const
{
    if (m_clientRsa.isNull()) {
        m_clientRsa = crypto::Key::generateRsa(2048);
    }
    return QString::fromLatin1(m_clientRsa.privatePem());
}

QStringList OidcProvider::faults()
{
    return {QLatin1String(kRotateKeys),
            QLatin1String(kIssuerMismatch),
            QLatin1String(kBadNonce),
            QLatin1String(kWrongAud),
            QLatin1String(kExpired),
            QLatin1String(kBadSignature),
            QLatin1String(kAlgNone)};
}

bool OidcProvider::faultOn(const char* fault) const
{
    return m_context.faultOn(m_providerId, QLatin1String(fault));
}

const crypto::Key& OidcProvider::signingKey() const
{
    crypto::Key& key = m_signing[faultOn(kRotateKeys) ? 1 : 0];
    if (key.isNull()) {
        key = crypto::Key::generateRsa(2048);
    }
    return key;
}

QString OidcProvider::signingKid() const
{
    return m_kids[faultOn(kRotateKeys) ? 1 : 0];
}

void OidcProvider::registerRoutes(RouteTable& routes, const QString& prefix)
{
    routes.add(Method::Get,
               prefix + QStringLiteral("/.well-known/openid-configuration"),
               RouteKind::Api,
               m_providerId,
               [this](const SandboxRequest&) { return discoveryDocument(); });
    routes.add(
        Method::Get, prefix + QStringLiteral("/jwks"), RouteKind::Api, m_providerId, [this](const SandboxRequest&) {
            m_context.countJwksRequest(m_providerId);
            return jwks();
        });
}

SandboxReply OidcProvider::discoveryDocument() const
{
    const QString issuer = m_issuer().toString();
    const QString named = faultOn(kIssuerMismatch) ? issuer + QStringLiteral("-other") : issuer;
    ojson doc = {
        {"issuer", toStd(named)},
        {"authorization_endpoint", toStd(issuer + QStringLiteral("/authorize"))},
        {"token_endpoint", toStd(issuer + QStringLiteral("/oauth/token"))},
        {"jwks_uri", toStd(issuer + QStringLiteral("/jwks"))},
        {"userinfo_endpoint", toStd(issuer + QStringLiteral("/api/me"))},
        {"device_authorization_endpoint", toStd(issuer + QStringLiteral("/device_authorization"))},
        {"introspection_endpoint", toStd(issuer + QStringLiteral("/introspect"))},
        {"revocation_endpoint", toStd(issuer + QStringLiteral("/revoke"))},
        {"response_types_supported", {"code"}},
        {"grant_types_supported",
         {"authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"}},
        {"subject_types_supported", {"public"}},
        {"id_token_signing_alg_values_supported", {"RS256"}},
        {"scopes_supported", {"openid", "read", "write", "offline_access"}},
        {"code_challenge_methods_supported", {"S256"}},
        {"token_endpoint_auth_methods_supported",
         {"client_secret_post", "client_secret_basic", "client_secret_jwt", "private_key_jwt", "none"}},
        {"token_endpoint_auth_signing_alg_values_supported", {"HS256", "RS256", "ES256"}},
        {"authorization_response_iss_parameter_supported", true},
    };
    return SandboxReply::json(doc);
}

SandboxReply OidcProvider::jwks() const
{
    // Only the current key: a client that cached the old set must fetch it again to verify new tokens.
    return SandboxReply::json(ojson {{"keys", ojson::array({ojson(signingKey().publicJwk(signingKid()))})}});
}

QString OidcProvider::idToken(const QString& clientId, const QString& subject, const QString& nonce) const
{
    const qint64 now = SandboxContext::nowMs() / 1000;
    const qint64 lifetime = m_context.advertisedSeconds(kIdTokenTtl);
    ojson claims = {{"iss", toStd(m_issuer().toString())},
                    {"sub", toStd(subject)},
                    {"aud", toStd(faultOn(kWrongAud) ? QStringLiteral("another-client") : clientId)},
                    {"iat", faultOn(kExpired) ? now - 2 * lifetime - 600 : now},
                    {"exp", faultOn(kExpired) ? now - lifetime - 600 : now + lifetime}};
    if (!nonce.isEmpty()) {
        claims["nonce"] = toStd(faultOn(kBadNonce) ? nonce + QStringLiteral("x") : nonce);
    }
    if (faultOn(kAlgNone)) {
        return QString::fromLatin1(crypto::Jws::base64Url(R"({"alg":"none","typ":"JWT"})") + '.'
                                   + crypto::Jws::base64Url(QByteArray::fromStdString(claims.dump())) + '.');
    }
    QString error;
    QString token = crypto::Jws::sign(QStringLiteral("RS256"),
                                      signingKey(),
                                      ojson {{"typ", "JWT"}, {"kid", toStd(signingKid())}},
                                      claims,
                                      &error)
                        .value_or(QString());
    if (faultOn(kBadSignature) && !token.isEmpty()) {
        // Another claim set under the same signature: what a tampering proxy would make.
        claims["sub"] = "usr_tampered";
        const QStringList parts = token.split(QLatin1Char('.'));
        token = parts.at(0) + QLatin1Char('.')
            + QString::fromLatin1(crypto::Jws::base64Url(QByteArray::fromStdString(claims.dump()))) + QLatin1Char('.')
            + parts.at(2);
    }
    return token;
}

std::optional<OidcProvider::AssertionCheck>
OidcProvider::checkAssertion(const SandboxRequest& request,
                             const std::function<bool(const QString&)>& knownClient,
                             const std::function<QString(const QString&)>& secretOf)
{
    const QString assertion = request.formValue(QStringLiteral("client_assertion"));
    const QString type = request.formValue(QStringLiteral("client_assertion_type"));
    if (assertion.isEmpty() && type.isEmpty()) {
        return std::nullopt;
    }
    AssertionCheck check;
    auto refuse = [&check](const QString& why) {
        check.refusal = invalidClient(why);
        return check;
    };
    if (type != QLatin1String("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")) {
        return refuse(
            QStringLiteral("client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
    }
    const auto parts = crypto::JwsParts::parse(assertion);
    if (!parts) {
        return refuse(QStringLiteral("client_assertion is not a JWT"));
    }
    const QString clientId = claimText(parts->claims, "iss");
    if (clientId.isEmpty() || claimText(parts->claims, "sub") != clientId || !knownClient(clientId)) {
        return refuse(QStringLiteral("the assertion's iss and sub must both be a registered client_id"));
    }
    const QString formClientId = request.formValue(QStringLiteral("client_id"));
    if (!formClientId.isEmpty() && formClientId != clientId) {
        return refuse(QStringLiteral("client_id differs from the assertion's sub"));
    }
    if (m_context.faultOn(m_providerId, QStringLiteral("deny"))) {
        return refuse(QStringLiteral("client authentication failed"));
    }
    const QString alg = claimText(parts->header, "alg");
    if (alg == QLatin1String("HS256")) {
        const QString secret = secretOf(clientId);
        if (secret.isEmpty() || !crypto::Jws::verifyHs256(secret.toUtf8(), parts->signingInput, parts->signature)) {
            return refuse(QStringLiteral("the client_secret_jwt signature does not match the client secret"));
        }
    } else {
        const QString kid = claimText(parts->header, "kid");
        const crypto::Key* key = kid == rsaKeyId() ? &m_clientRsa : kid == ecKeyId() ? &m_clientEc : nullptr;
        if (!key && kid.isEmpty()) {
            key = alg == QLatin1String("ES256") ? &m_clientEc : &m_clientRsa;
        }
        if (!key || key->isNull()) {
            return refuse(QStringLiteral("unknown key id %1 for this client").arg(kid));
        }
        const QString problem = crypto::Jws::verify(alg, *key, parts->signingInput, parts->signature);
        if (!problem.isEmpty()) {
            return refuse(QStringLiteral("the private_key_jwt signature is not valid: %1").arg(problem));
        }
    }
    // aud: the token endpoint, the issuer (RFC 7523 allows both) or the endpoint the assertion was sent to
    // (introspection, revocation), as certified providers accept.
    const QString issuer = m_issuer().toString();
    const QString tokenUrl = issuer + QStringLiteral("/oauth/token");
    QUrl endpoint = m_issuer();
    endpoint.setPath(request.path());
    QStringList audiences;
    if (parts->claims.contains("aud") && parts->claims.at("aud").is_array()) {
        for (const auto& a : parts->claims.at("aud")) {
            if (a.is_string()) {
                audiences.append(QString::fromStdString(a.get<std::string>()));
            }
        }
    } else {
        audiences.append(claimText(parts->claims, "aud"));
    }
    if (!audiences.contains(tokenUrl) && !audiences.contains(issuer) && !audiences.contains(endpoint.toString())) {
        return refuse(QStringLiteral("the assertion's aud must be the token endpoint %1, the issuer or the endpoint "
                                     "it was sent to")
                          .arg(tokenUrl));
    }
    const qint64 now = SandboxContext::nowMs() / 1000;
    const auto exp = parts->claims.contains("exp") && parts->claims.at("exp").is_number()
        ? std::optional<qint64>(parts->claims.at("exp").get<qint64>())
        : std::nullopt;
    if (!exp || *exp <= now) {
        return refuse(QStringLiteral("the assertion has expired (exp)"));
    }
    if (*exp > now + 3600) {
        return refuse(QStringLiteral("the assertion lives too long (exp more than an hour ahead)"));
    }
    const QString jti = claimText(parts->claims, "jti");
    if (jti.isEmpty() || m_usedJti.contains(clientId + QLatin1Char(' ') + jti)) {
        return refuse(QStringLiteral("the assertion's jti is missing or was already used"));
    }
    m_usedJti.insert(clientId + QLatin1Char(' ') + jti);
    check.clientId = clientId;
    return check;
}

} // namespace keyway::sandbox
