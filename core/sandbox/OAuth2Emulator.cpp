#include "core/sandbox/OAuth2Emulator.h"

#include "core/sandbox/RouteTable.h"

#include <QCryptographicHash>

namespace keyway::sandbox {

namespace {
using Method = QHttpServerRequest::Method;
using ojson = nlohmann::ordered_json;

const QString kCodeClientId = QStringLiteral("sbx_oauth2_code_9d4b2f");
const QString kCodeClientSecret = QStringLiteral("sbx_oauth2_code_secret_e83f1a6c0b5d2794");
const QString kClientClientId = QStringLiteral("sbx_oauth2_client_1f7e3c");
const QString kClientClientSecret = QStringLiteral("sbx_oauth2_client_secret_6a2d9e4b8c0f3175");
const QString kDemoUserId = QStringLiteral("usr_8f14e45fceea167a");
const QString kDemoUserName = QStringLiteral("Dana Demo");
const QString kDefaultScope = QStringLiteral("read");
const QStringList kGrantableScopes
    = {QStringLiteral("read"), QStringLiteral("write"), QStringLiteral("offline_access"), QStringLiteral("openid")};
const QString kSessionCookie = QStringLiteral("sbx_session");

constexpr qint64 kCodeTtl = 600;
constexpr qint64 kAccessTtl = 3600;
constexpr qint64 kPendingTtl = 1800;

// Fault names: each breaks one requirement of the Seam document.
const QString kIgnorePromptLogin = QStringLiteral("ignore_prompt_login");
const QString kAlterState = QStringLiteral("alter_state");
const QString kRevokeOnRefresh = QStringLiteral("revoke_on_refresh");
const QString kRotateStrict = QStringLiteral("rotate_strict");
const QString kRefreshSingleUse = QStringLiteral("refresh_single_use");
const QString kUnstableUserId = QStringLiteral("unstable_user_id");
const QString kMissingUserId = QStringLiteral("missing_user_id");

SandboxReply oauthError(int status, const char* error, const QString& description)
{
    SandboxReply reply
        = SandboxReply::json(ojson {{"error", error}, {"error_description", toStd(description)}}, status);
    reply.withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return reply;
}

SandboxReply errorPage(const QString& title, const QString& detail)
{
    return SandboxReply::html(
        QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title></head>"
                       "<body><h1>%1</h1><p>%2</p></body></html>\n")
            .arg(title.toHtmlEscaped(), detail.toHtmlEscaped()),
        400);
}

bool isKnownClient(const QString& clientId)
{
    return clientId == kCodeClientId || clientId == OAuth2Emulator::publicClientId() || clientId == kClientClientId
        || clientId == OAuth2Emulator::deviceClientId();
}

QString secretOf(const QString& clientId)
{
    if (clientId == kCodeClientId) {
        return kCodeClientSecret;
    }
    if (clientId == kClientClientId) {
        return kClientClientSecret;
    }
    return {}; // public client
}

QString s256(const QString& verifier)
{
    return QString::fromLatin1(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}
} // namespace

OAuth2Emulator::OAuth2Emulator(SandboxContext& context, std::function<QUrl()> issuer)
    : m_context(context), m_issuer(issuer), m_tokens(context), m_oidc(context, codeProviderId(), issuer)
{
}

namespace {
bool wantsIdToken(const QStringList& scopes)
{
    return scopes.contains(QStringLiteral("openid"));
}
} // namespace

QList<DemoProvider> OAuth2Emulator::demoProviders(const QUrl& baseUrl) const
{
    // Endpoints relative to the base URL, so an environment made from these survives the sandbox
    // coming back on another port: only the base URL has to follow.
    return {
        DemoProvider {codeProviderId(),
                      baseUrl,
                      {{QStringLiteral("authorize_url"), QStringLiteral("/authorize")},
                       {QStringLiteral("token_url"), QStringLiteral("/oauth/token")},
                       {QStringLiteral("client_id"), kCodeClientId},
                       {QStringLiteral("client_secret"), kCodeClientSecret},
                       {QStringLiteral("scope"), kDefaultScope},
                       {QStringLiteral("probe_path"), QStringLiteral("/api/me")},
                       {QStringLiteral("client_auth"), QStringLiteral("body")}}},
        DemoProvider {clientProviderId(),
                      baseUrl,
                      {{QStringLiteral("token_url"), QStringLiteral("/oauth/token")},
                       {QStringLiteral("client_id"), kClientClientId},
                       {QStringLiteral("client_secret"), kClientClientSecret},
                       {QStringLiteral("client_auth"), QStringLiteral("body")},
                       {QStringLiteral("client_key"), m_oidc.demoEcKeyPem()},
                       {QStringLiteral("key_id"), OidcProvider::ecKeyId()}},
                      {QStringLiteral("client_key")}},
        DemoProvider {deviceProviderId(),
                      baseUrl,
                      {{QStringLiteral("device_authorization_url"), QStringLiteral("/device_authorization")},
                       {QStringLiteral("token_url"), QStringLiteral("/oauth/token")},
                       {QStringLiteral("client_id"), deviceClientId()},
                       {QStringLiteral("scope"), kDefaultScope},
                       {QStringLiteral("client_auth"), QStringLiteral("body")},
                       {QStringLiteral("introspection_url"), QStringLiteral("/introspect")},
                       {QStringLiteral("revocation_url"), QStringLiteral("/revoke")}}},
    };
}

void OAuth2Emulator::registerFaults(SandboxContext& context) const
{
    context.registerProvider(codeProviderId(),
                             QStringList {kIgnorePromptLogin,
                                          kAlterState,
                                          kRevokeOnRefresh,
                                          kRotateStrict,
                                          kRefreshSingleUse,
                                          kUnstableUserId,
                                          kMissingUserId,
                                          revokeIgnoredFault()}
                                 + OidcProvider::faults());
    context.registerProvider(clientProviderId(), {});
    // slow_down: the first poll of every device code is told to slow down (RFC 8628 §3.5).
    context.registerProvider(deviceProviderId(), {QStringLiteral("slow_down")});
}

void OAuth2Emulator::registerRoutes(RouteTable& routes)
{
    const QString p = pathPrefix();
    routes.add(Method::Get,
               p + QStringLiteral("/authorize"),
               RouteKind::Authorize,
               codeProviderId(),
               [this](const SandboxRequest& r) { return authorize(r); });
    routes.add(Method::Post,
               p + QStringLiteral("/login"),
               RouteKind::Authorize,
               codeProviderId(),
               [this](const SandboxRequest& r) { return login(r); });
    routes.add(
        Method::Post,
        p + QStringLiteral("/oauth/token"),
        RouteKind::Token,
        [](const SandboxRequest& r) {
            if (r.formValue(QStringLiteral("client_id")) == deviceClientId()
                || r.formValue(QStringLiteral("grant_type"))
                       .startsWith(QLatin1String("urn:ietf:params:oauth:grant-type:device"))) {
                return deviceProviderId();
            }
            return r.formValue(QStringLiteral("grant_type")) == QLatin1String("client_credentials") ? clientProviderId()
                                                                                                    : codeProviderId();
        },
        [this](const SandboxRequest& r) { return token(r); });
    routes.add(
        Method::Get,
        p + QStringLiteral("/api/me"),
        RouteKind::Api,
        [this](const SandboxRequest& r) { return providerOfToken(r.bearerToken()); },
        [this](const SandboxRequest& r) { return me(r); });
    registerLifecycleRoutes(routes);
    m_oidc.registerRoutes(routes, p);
}

bool OAuth2Emulator::faultOn(const QString& fault) const
{
    return m_context.faultOn(codeProviderId(), fault);
}

QString OAuth2Emulator::issuerString() const
{
    return m_issuer().toString();
}

QString OAuth2Emulator::providerOfToken(const QString& token)
{
    IssuedToken* issued = nullptr;
    m_tokens.check(token, IssuedToken::Kind::Access, &issued);
    return issued ? issued->providerId : codeProviderId();
}

bool OAuth2Emulator::redirectRegistered(const QString& redirectUri)
{
    // Registered: http://127.0.0.1/callback and http://localhost/callback. Loopback redirects
    // match on any port (RFC 8252 §7.3); everything else must match exactly.
    const QUrl url(redirectUri, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("http") || url.hasFragment() || url.hasQuery()
        || !url.userInfo().isEmpty()) {
        return false;
    }
    const QString host = url.host();
    return (host == QLatin1String("127.0.0.1") || host == QLatin1String("localhost"))
        && url.path() == QLatin1String("/callback");
}

SandboxReply OAuth2Emulator::authorize(const SandboxRequest& request)
{
    const QUrlQuery query = request.query();
    auto param = [&query](const char* name) { return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    const QString clientId = param("client_id");
    const QString redirectUri = param("redirect_uri");
    // Without a trusted client and redirect URI nothing may be sent back: show the error here.
    if (!isKnownClient(clientId) || clientId == kClientClientId) {
        return errorPage(QStringLiteral("Unknown client"),
                         QStringLiteral("The application's client_id is not registered with this provider."));
    }
    if (!redirectRegistered(redirectUri)) {
        return errorPage(QStringLiteral("Redirect URI not registered"),
                         QStringLiteral("redirect_uri %1 is not registered for this client. Registered: "
                                        "http://127.0.0.1/callback and http://localhost/callback (any port).")
                             .arg(redirectUri));
    }

    PendingAuthorization pending;
    pending.clientId = clientId;
    pending.redirectUri = redirectUri;
    pending.state = param("state");
    pending.codeChallenge = param("code_challenge");
    pending.scope = param("scope").isEmpty() ? kDefaultScope : param("scope");
    pending.nonce = param("nonce");
    pending.expiresMs = SandboxContext::nowMs() + m_context.lifetimeMs(kPendingTtl);

    if (param("response_type") != QLatin1String("code")) {
        return redirectWithError(pending, "unsupported_response_type");
    }
    const QString method = param("code_challenge_method");
    if (!pending.codeChallenge.isEmpty() && method != QLatin1String("S256")) {
        return redirectWithError(pending, "invalid_request"); // plain PKCE is not accepted
    }
    if (pending.codeChallenge.isEmpty() && clientId == publicClientId()) {
        return redirectWithError(pending, "invalid_request"); // public clients must use PKCE
    }
    const QStringList scopes = pending.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& scope : scopes) {
        if (!kGrantableScopes.contains(scope)) {
            return redirectWithError(pending, "invalid_scope");
        }
    }

    const QString prompt = param("prompt");
    QString userId = m_sessions.value(request.cookie(kSessionCookie));
    const bool ignorePrompt = faultOn(kIgnorePromptLogin);
    if (userId.isEmpty() && ignorePrompt && !m_sessions.isEmpty()) {
        // The misbehaviour this fault models: a server-side "remembered" sign-in (single sign-on by
        // device or address) that sends any browser straight back with a code, whatever prompt says.
        userId = m_sessions.begin().value();
    }
    const bool forceLogin = prompt.split(QLatin1Char(' ')).contains(QStringLiteral("login")) && !ignorePrompt;
    if (!userId.isEmpty() && !forceLogin) {
        return redirectWithCode(pending, userId);
    }
    if (prompt == QLatin1String("none")) {
        return redirectWithError(pending, "login_required");
    }
    const QString requestId = SandboxContext::randomToken(18);
    m_pending.insert(requestId, pending);
    return loginPage(requestId, pending, QString());
}

SandboxReply
OAuth2Emulator::loginPage(const QString& requestId, const PendingAuthorization& pending, const QString& error) const
{
    const QString errorHtml = error.isEmpty()
        ? QString()
        : QStringLiteral("<p class=\"error\" role=\"alert\">%1</p>\n").arg(error.toHtmlEscaped());
    QString page = QStringLiteral(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Sign in - Keyway sandbox</title></head>\n"
        "<body>\n<h1>Sign in to Sandbox Identity</h1>\n"
        "<p><strong>%1</strong> wants to access your account: <code>%2</code>.</p>\n%3"
        "<form method=\"post\" action=\"%4\">\n"
        "<input type=\"hidden\" name=\"request\" value=\"%5\">\n"
        "<label>Username <input type=\"text\" name=\"username\" autocomplete=\"username\"></label>\n"
        "<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label>\n"
        "<button type=\"submit\" name=\"decision\" value=\"approve\">Sign in and allow</button>\n"
        "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n"
        "</form>\n<p>Sandbox demo user: demo / keyway-demo</p>\n</body></html>\n");
    return SandboxReply::html(page.arg(pending.clientId.toHtmlEscaped(),
                                       pending.scope.toHtmlEscaped(),
                                       errorHtml,
                                       QString(pathPrefix() + QStringLiteral("/login")).toHtmlEscaped(),
                                       requestId.toHtmlEscaped()))
        .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
}

SandboxReply OAuth2Emulator::login(const SandboxRequest& request)
{
    const QString requestId = request.formValue(QStringLiteral("request"));
    const auto it = m_pending.find(requestId);
    if (it == m_pending.end() || SandboxContext::nowMs() >= it->expiresMs) {
        if (it != m_pending.end()) {
            m_pending.erase(it);
        }
        return errorPage(
            QStringLiteral("Sign-in expired"),
            QStringLiteral("This sign-in request is unknown or has expired. Start again from the application."));
    }
    const PendingAuthorization pending = it.value();
    if (request.formValue(QStringLiteral("decision")) == QLatin1String("deny")) {
        m_pending.erase(it);
        return redirectWithError(pending, "access_denied");
    }
    if (request.formValue(QStringLiteral("username")) != demoUsername()
        || request.formValue(QStringLiteral("password")) != demoPassword()) {
        return loginPage(requestId, pending, QStringLiteral("Wrong username or password."));
    }
    m_pending.erase(it);
    const QString session = SandboxContext::randomToken(24);
    m_sessions.insert(session, kDemoUserId);
    SandboxReply reply = redirectWithCode(pending, kDemoUserId);
    reply.withHeader(QByteArrayLiteral("Set-Cookie"),
                     (kSessionCookie + QLatin1Char('=') + session + QStringLiteral("; Path=") + pathPrefix()
                      + QStringLiteral("; HttpOnly; SameSite=Lax"))
                         .toLatin1());
    return reply;
}

SandboxReply OAuth2Emulator::redirectWithCode(const PendingAuthorization& pending, const QString& userId)
{
    IssuedToken& code = m_tokens.issue(
        IssuedToken::Kind::Code, codeProviderId(), SandboxContext::randomToken(24), kCodeTtl, pending.clientId);
    code.subject = userId;
    code.scopes = pending.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    code.extra.insert(QStringLiteral("redirect_uri"), pending.redirectUri);
    code.extra.insert(QStringLiteral("code_challenge"), pending.codeChallenge);
    code.extra.insert(QStringLiteral("nonce"), pending.nonce);

    QUrl target(pending.redirectUri);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("code"), code.value);
    if (!pending.state.isEmpty()) {
        const QString state = faultOn(kAlterState) ? pending.state + QStringLiteral("x") : pending.state;
        query.addQueryItem(QStringLiteral("state"), QString::fromLatin1(QUrl::toPercentEncoding(state)));
    }
    query.addQueryItem(QStringLiteral("iss"), QString::fromLatin1(QUrl::toPercentEncoding(issuerString())));
    target.setQuery(query);
    return SandboxReply::redirect(target);
}

SandboxReply OAuth2Emulator::redirectWithError(const PendingAuthorization& pending, const char* error) const
{
    QUrl target(pending.redirectUri);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("error"), QLatin1String(error));
    if (!pending.state.isEmpty()) {
        query.addQueryItem(QStringLiteral("state"), QString::fromLatin1(QUrl::toPercentEncoding(pending.state)));
    }
    query.addQueryItem(QStringLiteral("iss"), QString::fromLatin1(QUrl::toPercentEncoding(issuerString())));
    target.setQuery(query);
    return SandboxReply::redirect(target);
}

QString OAuth2Emulator::claimedClientId(const SandboxRequest& request)
{
    QString basicId;
    QString basicSecret;
    return request.basicCredentials(&basicId, &basicSecret) ? basicId : request.formValue(QStringLiteral("client_id"));
}

QString OAuth2Emulator::providerOfClient(const QString& clientId)
{
    return clientId == deviceClientId() ? deviceProviderId()
        : clientId == kClientClientId   ? clientProviderId()
                                        : codeProviderId();
}

bool OAuth2Emulator::authenticateClient(const SandboxRequest& request,
                                        const QString& deniedProvider,
                                        QString* clientId,
                                        SandboxReply* refusal)
{
    if (!request.hasFormBody()) {
        *refusal = oauthError(400, "invalid_request", QStringLiteral("the request must be form-encoded"));
        return false;
    }
    // HTTP Basic, the body or an RFC 7523 client assertion, never two (RFC 6749 §2.3.1).
    const auto oneMethodOnly = [refusal] {
        *refusal = oauthError(400, "invalid_request", QStringLiteral("use one client authentication method, not two"));
        return false;
    };
    QString id = request.formValue(QStringLiteral("client_id"));
    QString secret = request.formValue(QStringLiteral("client_secret"));
    QString basicId;
    QString basicSecret;
    const bool usedBasic = request.basicCredentials(&basicId, &basicSecret);
    if (usedBasic) {
        if (!secret.isEmpty() || (!id.isEmpty() && id != basicId)) {
            return oneMethodOnly();
        }
        id = basicId;
        secret = basicSecret;
    }
    // A client assertion (client_secret_jwt, private_key_jwt) replaces the secret.
    if (const auto check = m_oidc.checkAssertion(request, isKnownClient, secretOf)) {
        if (check->refusal) {
            *refusal = *check->refusal;
            return false;
        }
        if (usedBasic || !secret.isEmpty()) {
            return oneMethodOnly();
        }
        *clientId = check->clientId;
        return true;
    }
    // A public client proves nothing but its id: its secret is the empty one.
    if (!isKnownClient(id) || secret != secretOf(id) || m_context.faultOn(deniedProvider, QStringLiteral("deny"))) {
        *refusal = oauthError(401, "invalid_client", QStringLiteral("client authentication failed"));
        if (usedBasic) {
            refusal->withHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Basic realm=\"sandbox\""));
        }
        return false;
    }
    *clientId = id;
    return true;
}

SandboxReply OAuth2Emulator::token(const SandboxRequest& request)
{
    const QString grantType = request.formValue(QStringLiteral("grant_type"));
    const QString providerId = claimedClientId(request) == deviceClientId() ? deviceProviderId()
        : grantType == QLatin1String("client_credentials")                  ? clientProviderId()
                                                                            : codeProviderId();
    QString clientId;
    SandboxReply refusal;
    if (!authenticateClient(request, providerId, &clientId, &refusal)) {
        return refusal;
    }
    if (grantType == QLatin1String("authorization_code")) {
        return exchangeCode(request, clientId);
    }
    if (grantType == QLatin1String("refresh_token")) {
        return refresh(request, clientId);
    }
    if (grantType == QLatin1String("client_credentials")) {
        return clientCredentials(request, clientId);
    }
    if (grantType == QLatin1String("urn:ietf:params:oauth:grant-type:device_code")) {
        return deviceToken(request, clientId);
    }
    return oauthError(400, "unsupported_grant_type", QStringLiteral("unsupported grant_type"));
}

IssuedToken& OAuth2Emulator::issueAccess(const QString& providerId,
                                         const QString& clientId,
                                         const QString& userId,
                                         const QString& grantId,
                                         const QStringList& scopes)
{
    IssuedToken& access
        = m_tokens.issue(IssuedToken::Kind::Access, providerId, SandboxContext::randomToken(32), kAccessTtl, clientId);
    access.subject = userId;
    access.scopes = scopes;
    access.extra.insert(QStringLiteral("grant"), grantId);
    return access;
}

SandboxReply
OAuth2Emulator::tokenReply(const IssuedToken& access, const IssuedToken* refreshToken, const QString& idToken) const
{
    ojson body = {{"access_token", toStd(access.value)},
                  {"token_type", "Bearer"},
                  {"expires_in", m_context.advertisedSeconds(kAccessTtl)}};
    if (refreshToken) {
        body["refresh_token"] = toStd(refreshToken->value);
    }
    if (!access.subject.isEmpty() && !faultOn(kMissingUserId)) {
        body["user_id"] = toStd(access.subject);
    }
    body["scope"] = toStd(access.scopes.join(QLatin1Char(' ')));
    if (!idToken.isEmpty()) {
        body["id_token"] = toStd(idToken);
    }
    SandboxReply reply = SandboxReply::json(body);
    reply.withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return reply;
}

SandboxReply OAuth2Emulator::exchangeCode(const SandboxRequest& request, const QString& clientId)
{
    if (clientId == kClientClientId) {
        return oauthError(400, "unauthorized_client", QStringLiteral("this client may only use client_credentials"));
    }
    IssuedToken* code = nullptr;
    const TokenState state = m_tokens.check(request.formValue(QStringLiteral("code")), IssuedToken::Kind::Code, &code);
    if (state == TokenState::Used && code) {
        // A replayed code may be stolen: revoke what it granted (RFC 6749 §4.1.2).
        const QString grantId = code->extra.value(QStringLiteral("grant")).toString();
        m_tokens.revokeWhere([&grantId](const IssuedToken& t) {
            return !grantId.isEmpty() && t.extra.value(QStringLiteral("grant")).toString() == grantId;
        });
    }
    if (state != TokenState::Valid) {
        return oauthError(400,
                          "invalid_grant",
                          state == TokenState::Used          ? QStringLiteral("the authorization code was already used")
                              : state == TokenState::Expired ? QStringLiteral("the authorization code expired")
                                                             : QStringLiteral("unknown authorization code"));
    }
    if (code->clientId != clientId) {
        return oauthError(400, "invalid_grant", QStringLiteral("the code was issued to another client"));
    }
    code->used = true;
    if (request.formValue(QStringLiteral("redirect_uri"))
        != code->extra.value(QStringLiteral("redirect_uri")).toString()) {
        return oauthError(
            400, "invalid_grant", QStringLiteral("redirect_uri does not match the authorization request"));
    }
    const QString challenge = code->extra.value(QStringLiteral("code_challenge")).toString();
    const QString verifier = request.formValue(QStringLiteral("code_verifier"));
    if (challenge.isEmpty() != verifier.isEmpty() || (!challenge.isEmpty() && s256(verifier) != challenge)) {
        return oauthError(400, "invalid_grant", QStringLiteral("PKCE verification failed"));
    }

    const QString grantId = SandboxContext::randomToken(12);
    code->extra.insert(QStringLiteral("grant"), grantId);
    const QString userId = faultOn(kUnstableUserId)
        ? QStringLiteral("usr_") + SandboxContext::randomAlphanumeric(16).toLower()
        : code->subject;
    IssuedToken& access = issueAccess(codeProviderId(), clientId, userId, grantId, code->scopes);
    IssuedToken& refreshToken
        = m_tokens.issue(IssuedToken::Kind::Refresh, codeProviderId(), SandboxContext::randomToken(32), 0, clientId);
    refreshToken.subject = userId;
    refreshToken.scopes = code->scopes;
    refreshToken.extra.insert(QStringLiteral("grant"), grantId);
    const QString idToken = wantsIdToken(code->scopes)
        ? m_oidc.idToken(clientId, userId, code->extra.value(QStringLiteral("nonce")).toString())
        : QString();
    return tokenReply(access, &refreshToken, idToken);
}

SandboxReply OAuth2Emulator::refresh(const SandboxRequest& request, const QString& clientId)
{
    IssuedToken* old = nullptr;
    const TokenState state
        = m_tokens.check(request.formValue(QStringLiteral("refresh_token")), IssuedToken::Kind::Refresh, &old);
    if (state != TokenState::Valid) {
        return oauthError(400,
                          "invalid_grant",
                          state == TokenState::Revoked    ? QStringLiteral("the refresh token was revoked")
                              : state == TokenState::Used ? QStringLiteral("the refresh token was already used")
                                                          : QStringLiteral("unknown refresh token"));
    }
    if (old->clientId != clientId) {
        return oauthError(400, "invalid_grant", QStringLiteral("the refresh token was issued to another client"));
    }
    const QString grantId = old->extra.value(QStringLiteral("grant")).toString();
    if (faultOn(kRevokeOnRefresh)) {
        m_tokens.revokeWhere([&grantId](const IssuedToken& t) {
            return t.kind == IssuedToken::Kind::Access && t.extra.value(QStringLiteral("grant")).toString() == grantId;
        });
    }
    const QString userId = faultOn(kUnstableUserId)
        ? QStringLiteral("usr_") + SandboxContext::randomAlphanumeric(16).toLower()
        : old->subject;
    IssuedToken* rotated = nullptr;
    if (faultOn(kRotateStrict)) {
        // The old token dies at once: of two concurrent refreshes with it, only the first wins.
        old->revoked = true;
        rotated = &m_tokens.issue(
            IssuedToken::Kind::Refresh, old->providerId, SandboxContext::randomToken(32), 0, clientId);
        rotated->subject = userId;
        rotated->scopes = old->scopes;
        rotated->extra.insert(QStringLiteral("grant"), grantId);
    } else if (faultOn(kRefreshSingleUse)) {
        old->used = true;
    }
    const IssuedToken& access = issueAccess(old->providerId, clientId, userId, grantId, old->scopes);
    return tokenReply(
        access, rotated, wantsIdToken(old->scopes) ? m_oidc.idToken(clientId, userId, QString()) : QString());
}

SandboxReply OAuth2Emulator::clientCredentials(const SandboxRequest& request, const QString& clientId)
{
    if (clientId != kClientClientId) {
        return oauthError(400, "unauthorized_client", QStringLiteral("this client may not use client_credentials"));
    }
    const QString requested = request.formValue(QStringLiteral("scope"));
    const QStringList scopes
        = requested.isEmpty() ? QStringList {kDefaultScope} : requested.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& scope : scopes) {
        if (scope != QLatin1String("read") && scope != QLatin1String("write")) {
            return oauthError(
                400, "invalid_scope", QStringLiteral("scope %1 is not available to this client").arg(scope));
        }
    }
    const IssuedToken& access
        = issueAccess(clientProviderId(), clientId, QString(), SandboxContext::randomToken(12), scopes);
    return tokenReply(access, nullptr);
}

SandboxReply OAuth2Emulator::me(const SandboxRequest& request)
{
    IssuedToken* issued = nullptr;
    const TokenState state = m_tokens.check(request.bearerToken(), IssuedToken::Kind::Access, &issued);
    if (state != TokenState::Valid) {
        SandboxReply reply
            = oauthError(401,
                         "invalid_token",
                         state == TokenState::Expired       ? QStringLiteral("the access token expired")
                             : state == TokenState::Revoked ? QStringLiteral("the access token was revoked")
                                                            : QStringLiteral("invalid access token"));
        reply.withHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer error=\"invalid_token\""));
        return reply;
    }
    if (issued->subject.isEmpty()) {
        return SandboxReply::json(
            ojson {{"client_id", toStd(issued->clientId)}, {"scope", toStd(issued->scopes.join(QLatin1Char(' ')))}});
    }
    return SandboxReply::json(ojson {{"user_id", toStd(issued->subject)}, {"name", toStd(kDemoUserName)}});
}

} // namespace keyway::sandbox
