#pragma once

#include "core/crypto/Jws.h"
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

// The key a JWS names, looked up in an issuer's JWKS.
struct KeyLookup
{
    std::optional<crypto::Key> key;
    QString kid; // of the key found (or asked for)
    QString detail; // why none was found, in one sentence
    bool unreachable = false; // the JWKS could not be fetched
    HttpResponse::Failure failure = HttpResponse::Failure::None;
    bool refetched = false; // the cached set did not list the kid, so it was fetched again (key rotation)
};

// An issuer's JSON Web Key Set (RFC 7517), fetched from jwks_uri and cached per URL for the process. An
// unknown kid refetches the set once, which is how providers rotate their signing keys.
class Jwks
{
    Q_DECLARE_TR_FUNCTIONS(keyway::oidc::Jwks)
public:
    using Callback = std::function<void(const KeyLookup&)>;

    // The key for a JWS header (`kid`, `alg`); without a kid, the one key whose type fits `alg`.
    static void keyFor(const QString& jwksUri,
                       const nlohmann::json& header,
                       std::shared_ptr<const ConnectionSettings> connection,
                       QObject* context,
                       Callback done,
                       RequestExecutor* executor = nullptr);
    // Pure: picks the key for `header` out of a key set document.
    static KeyLookup pick(const nlohmann::json& keySet, const nlohmann::json& header);
    static void clearCache();
};

} // namespace keyway::oidc
