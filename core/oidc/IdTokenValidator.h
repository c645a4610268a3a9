#pragma once

#include "core/http/HttpMessage.h"

#include <QCoreApplication>
#include <QObject>
#include <QString>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>

namespace keyway {
class ConnectionSettings;
class RequestExecutor;
} // namespace keyway

namespace keyway::oidc {

struct IdTokenExpectations
{
    QString issuer; // iss must equal it; empty: not checked (only a jwks_uri is known)
    QString clientId; // aud must contain it; empty: not checked (signature-only, the inspector)
    std::optional<QString> nonce; // the nonce the sign-in sent; nullopt: not checked (refresh, client credentials)
    QString jwksUri;
    std::shared_ptr<const ConnectionSettings> connection;
    bool checkClaims = true; // false: the signature only (the inspector's JWT view)
};

struct IdTokenVerdict
{
    bool ok = false;
    QString detail; // why not, naming the claim or the signature problem; empty when ok
    QString kid; // the key that verified it (or was asked for)
    QString issuer; // the token's iss
    bool unreachable = false; // the JWKS could not be fetched
    HttpResponse::Failure failure = HttpResponse::Failure::None;
};

// Validates an OpenID Connect ID token: RS256 / PS256 / ES256 signature against the issuer's JWKS (none and
// HMAC refused), then iss, aud, exp, iat and nonce (docs/oidc.md, "ID tokens").
class IdTokenValidator
{
    Q_DECLARE_TR_FUNCTIONS(keyway::oidc::IdTokenValidator)
public:
    static constexpr qint64 ClockSkewSeconds = 60;

    static void validate(const QString& token,
                         const IdTokenExpectations& expect,
                         QObject* context,
                         std::function<void(const IdTokenVerdict&)> done,
                         RequestExecutor* executor = nullptr);
    // Pure: the claim checks, "" when they pass.
    static QString checkClaims(const nlohmann::json& claims, const IdTokenExpectations& expect, qint64 nowSeconds);
    // "signature verified with key KID of ISSUER", or exactly why not (the inspector's sentence).
    static QString describe(const IdTokenVerdict& verdict);
};

} // namespace keyway::oidc
