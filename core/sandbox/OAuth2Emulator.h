#pragma once

#include "core/sandbox/EmulatedProvider.h"
#include "core/sandbox/OidcProvider.h"
#include "core/sandbox/SandboxHttp.h"
#include "core/sandbox/TokenStore.h"

#include <QHash>

#include <functional>

namespace keyway::sandbox {

// A Seam-style OAuth 2.0 provider (the "Seam requirements" document) under /oauth2, serving two
// profiles: `oauth2-code` (authorization code + PKCE + refresh tokens + stable user_id) and
// `oauth2-client` (the client credentials grant of the same token endpoint).
//
// Endpoints: GET /authorize (login page, prompt=login, state, loopback redirect URIs on any port),
// POST /login (the page's form), POST /oauth/token (authorization_code, refresh_token,
// client_credentials; client auth in the body or HTTP Basic), GET /api/me (Bearer).
//
// Its extra faults each break exactly one requirement of the document, so a conformance checker
// can be shown failing one check at a time.
class OAuth2Emulator : public EmulatedProvider
{
public:
    OAuth2Emulator(SandboxContext& context, std::function<QUrl()> issuer);

    QString pathPrefix() const override { return QStringLiteral("/oauth2"); }
    QList<DemoProvider> demoProviders(const QUrl& baseUrl) const override;
    void registerFaults(SandboxContext& context) const override;
    void registerRoutes(RouteTable& routes) override;

    static QString codeProviderId() { return QStringLiteral("oauth2-code"); }
    static QString clientProviderId() { return QStringLiteral("oauth2-client"); }
    static QString deviceProviderId() { return QStringLiteral("oauth2-device"); }
    static QString deviceClientId() { return QStringLiteral("sbx_oauth2_device_7b3e"); }
    static QString demoUsername() { return QStringLiteral("demo"); }
    static QString demoPassword() { return QStringLiteral("keyway-demo"); }
    static QString publicClientId() { return QStringLiteral("sbx_oauth2_public_4a1e"); }
    // Fault of the code provider: the revocation endpoint answers 200 and revokes nothing.
    static QString revokeIgnoredFault() { return QStringLiteral("revoke_ignored"); }
    // The RSA demo client key (PEM) for RS256 private_key_jwt; the P-256 one is the oauth2-client demo's.
    QString demoRsaClientKeyPem() const { return m_oidc.demoRsaKeyPem(); }

private:
    // A sign-in waiting for the user to submit the login form.
    struct PendingAuthorization
    {
        QString clientId;
        QString redirectUri;
        QString state;
        QString codeChallenge;
        QString scope;
        QString nonce; // OpenID Connect: goes into the ID token
        qint64 expiresMs = 0;
    };

    SandboxReply authorize(const SandboxRequest& request);
    SandboxReply login(const SandboxRequest& request);
    SandboxReply token(const SandboxRequest& request);
    SandboxReply me(const SandboxRequest& request);

    SandboxReply exchangeCode(const SandboxRequest& request, const QString& clientId);
    SandboxReply refresh(const SandboxRequest& request, const QString& clientId);
    SandboxReply clientCredentials(const SandboxRequest& request, const QString& clientId);

    SandboxReply loginPage(const QString& requestId, const PendingAuthorization& pending, const QString& error) const;
    SandboxReply redirectWithCode(const PendingAuthorization& pending, const QString& userId);
    SandboxReply redirectWithError(const PendingAuthorization& pending, const char* error) const;
    // Access token (+ optional new refresh token) reply for one grant.
    // `idToken`: an OpenID Connect ID token for scopes with openid (OidcProvider), empty otherwise.
    SandboxReply
    tokenReply(const IssuedToken& access, const IssuedToken* refreshToken, const QString& idToken = {}) const;
    IssuedToken& issueAccess(const QString& providerId,
                             const QString& clientId,
                             const QString& userId,
                             const QString& grantId,
                             const QStringList& scopes);

    // The device grant (RFC 8628), introspection (RFC 7662) and revocation (RFC 7009): OAuth2Lifecycle.cpp.
    void registerLifecycleRoutes(RouteTable& routes);
    SandboxReply deviceAuthorization(const SandboxRequest& request);
    SandboxReply devicePage(const SandboxRequest& request) const;
    SandboxReply deviceDecision(const SandboxRequest& request);
    SandboxReply deviceToken(const SandboxRequest& request, const QString& clientId);
    SandboxReply introspect(const SandboxRequest& request);
    SandboxReply revoke(const SandboxRequest& request);
    // The one client authentication of every route that takes one (token, device authorization, introspection,
    // revocation): HTTP Basic, the form body or an RFC 7523 assertion, never two; a public client by its id alone.
    // The authenticated client id, or false and the error reply. The `deny` fault of `deniedProvider` refuses
    // the secret-based methods.
    bool authenticateClient(const SandboxRequest& request,
                            const QString& deniedProvider,
                            QString* clientId,
                            SandboxReply* refusal);
    // The client a request names (Basic, else the body), before any check: enough to file it under a provider.
    static QString claimedClientId(const SandboxRequest& request);
    static QString providerOfClient(const QString& clientId);
    IssuedToken* findToken(const QString& value, TokenState* state);

    bool faultOn(const QString& fault) const;
    QString issuerString() const;
    QString providerOfToken(const QString& token);
    static bool redirectRegistered(const QString& redirectUri);

    SandboxContext& m_context;
    std::function<QUrl()> m_issuer;
    TokenStore m_tokens;
    QHash<QString, PendingAuthorization> m_pending; // by request id (hidden form field)
    QHash<QString, QString> m_sessions; // session cookie → user id
    QHash<QString, QString> m_userCodes; // user code (normalised) → device code
    OidcProvider m_oidc; // discovery, JWKS, ID tokens, client assertions
};

} // namespace keyway::sandbox
