#pragma once

#include <QCoreApplication>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace keyway::oidc {

// An RFC 7523 client assertion (client_secret_jwt, private_key_jwt): iss = sub = client_id, aud = the token
// endpoint, a random jti, iat and exp five minutes later. Signed by libcrypto (core/crypto/Jws).
struct ClientAssertion
{
    Q_DECLARE_TR_FUNCTIONS(keyway::oidc::ClientAssertion)
public:
    static QString assertionType() { return QStringLiteral("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"); }
    static constexpr qint64 LifetimeSeconds = 300;

    // `method` is client_secret_jwt (HS256 with `clientSecret`) or private_key_jwt (RS256 / ES256 with the PEM
    // `clientKey`, `keyId` as kid). nullopt with `error` (never quoting a secret) when it cannot be made.
    static std::optional<ClientAssertion> build(const QString& method,
                                                const QString& clientId,
                                                const QString& audience,
                                                const QString& clientSecret,
                                                const QString& clientKey,
                                                const QString& keyId,
                                                QString* error);
    static bool isAssertionMethod(const QString& method);

    QString token; // the compact JWS: a secret of the run
    nlohmann::ordered_json header;
    nlohmann::ordered_json claims;

    // {"header": ..., "claims": ..., "signature": "[redacted]"}: what the walkthrough and --json show.
    nlohmann::ordered_json describe() const;
};

} // namespace keyway::oidc
