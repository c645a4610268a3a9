#pragma once

#include "core/crypto/Jws.h"
#include "core/sandbox/SandboxContext.h"
#include "core/sandbox/SandboxHttp.h"

#include <QHash>
#include <QSet>
#include <QUrl>

#include <functional>
#include <optional>

namespace keyway::sandbox {

class RouteTable;

// The OpenID Connect side of the /oauth2 emulator (docs/oidc.md, "Sandbox"): the discovery document, the
// JWKS with a key-rotation switch, RS256 ID tokens, and RFC 7523 client assertions (client_secret_jwt,
// private_key_jwt) checked at the token endpoint. Kept apart from OAuth2Emulator, which calls into it.
class OidcProvider
{
public:
    OidcProvider(SandboxContext& context, QString providerId, std::function<QUrl()> issuer);

    // Faults of the code provider that this part reads; see docs/sandbox.md.
    static QStringList faults();
    static QString rsaKeyId() { return QStringLiteral("sbx-client-rsa"); }
    static QString ecKeyId() { return QStringLiteral("sbx-client-ec"); }

    // GET {prefix}/.well-known/openid-configuration and GET {prefix}/jwks.
    void registerRoutes(RouteTable& routes, const QString& prefix);

    // RFC 7523 client authentication at the token endpoint. nullopt when the request carries no assertion;
    // else the client id it proves (`clientId`) or a refusal (`refusal`). `secretOf` gives a client's secret
    // (client_secret_jwt); `knownClient` tells registered clients.
    struct AssertionCheck
    {
        QString clientId;
        std::optional<SandboxReply> refusal;
    };
    std::optional<AssertionCheck> checkAssertion(const SandboxRequest& request,
                                                 const std::function<bool(const QString&)>& knownClient,
                                                 const std::function<QString(const QString&)>& secretOf);

    // An RS256 ID token for `clientId` and user `subject`, with `nonce` when the sign-in sent one; bent by the
    // id_token_* faults.
    QString idToken(const QString& clientId, const QString& subject, const QString& nonce) const;

    // The demo clients' private keys (PEM, public by design): the P-256 one is made at sandbox start and is
    // the oauth2-client demo's client_key; the RSA one (for RS256) on first ask, as RSA keys take a while.
    QString demoRsaKeyPem() const;
    QString demoEcKeyPem() const { return QString::fromLatin1(m_clientEc.privatePem()); }

private:
    SandboxReply discoveryDocument() const;
    SandboxReply jwks() const;
    bool faultOn(const char* fault) const;
    const crypto::Key& signingKey() const;
    QString signingKid() const;

    SandboxContext& m_context;
    QString m_providerId;
    std::function<QUrl()> m_issuer;
    // RSA keys are made on first use: generating one takes a noticeable fraction of a second.
    mutable crypto::Key m_signing[2]; // the second takes over while rotate_keys is on
    QString m_kids[2];
    mutable crypto::Key m_clientRsa;
    crypto::Key m_clientEc;
    QSet<QString> m_usedJti; // a client assertion is accepted once (RFC 7523 §3, jti)
};

} // namespace keyway::sandbox
