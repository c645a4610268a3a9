// The sandbox's OAuth 2.0 provider, part two: the device authorization grant (RFC 8628) with a verification
// page a person (or a test) approves or denies codes on, token introspection (RFC 7662) and token revocation
// (RFC 7009). Same token store as the rest of OAuth2Emulator, so a revoked refresh token no longer refreshes.

#include "core/sandbox/OAuth2Emulator.h"

#include "core/sandbox/RouteTable.h"

#include <QRandomGenerator>

namespace keyway::sandbox {

namespace {
using Method = QHttpServerRequest::Method;
using ojson = nlohmann::ordered_json;

constexpr qint64 kDeviceCodeTtl = 600; // RFC 8628 leaves it to the server; ten minutes is what most use
constexpr qint64 kDeviceInterval = 5;
constexpr qint64 kSlowDownMs = 5000;
const QString kSlowDown = QStringLiteral("slow_down");
const QString kDemoUserId = QStringLiteral("usr_8f14e45fceea167a");

const QString kUserCode = QStringLiteral("user_code");
const QString kDecision = QStringLiteral("decision");
const QString kIntervalMs = QStringLiteral("interval_ms");
const QString kLastPollMs = QStringLiteral("last_poll_ms");
const QString kPolls = QStringLiteral("polls");

SandboxReply lifecycleError(int status, const char* error, const QString& description)
{
    SandboxReply reply
        = SandboxReply::json(ojson {{"error", error}, {"error_description", toStd(description)}}, status);
    reply.withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return reply;
}

// RFC 8628 §6.1: eight characters from an alphabet without vowels or look-alikes, shown as XXXX-XXXX.
QString newUserCode()
{
    static const QString alphabet = QStringLiteral("BCDFGHJKLMNPQRSTVWXZ");
    QString code;
    for (int i = 0; i < 8; ++i) {
        code += alphabet.at(QRandomGenerator::system()->bounded(alphabet.size()));
    }
    return code;
}

QString normalisedUserCode(const QString& typed)
{
    QString code;
    for (const QChar c : typed) {
        if (c.isLetterOrNumber()) {
            code += c.toUpper();
        }
    }
    return code;
}

QString shownUserCode(const QString& code)
{
    return code.left(4) + QLatin1Char('-') + code.mid(4);
}

SandboxReply page(const QString& title, const QString& bodyHtml, int status = 200)
{
    return SandboxReply::html(QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1 - Keyway "
                                             "sandbox</title></head>\n<body>\n<h1>%1</h1>\n%2</body></html>\n")
                                  .arg(title.toHtmlEscaped(), bodyHtml),
                              status)
        .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
}
} // namespace

void OAuth2Emulator::registerLifecycleRoutes(RouteTable& routes)
{
    const QString p = pathPrefix();
    routes.add(Method::Post,
               p + QStringLiteral("/device_authorization"),
               RouteKind::Token,
               deviceProviderId(),
               [this](const SandboxRequest& r) { return deviceAuthorization(r); });
    routes.add(Method::Get,
               p + QStringLiteral("/device"),
               RouteKind::Authorize,
               deviceProviderId(),
               [this](const SandboxRequest& r) { return devicePage(r); });
    routes.add(Method::Post,
               p + QStringLiteral("/device"),
               RouteKind::Authorize,
               deviceProviderId(),
               [this](const SandboxRequest& r) { return deviceDecision(r); });
    routes.add(
        Method::Post,
        p + QStringLiteral("/introspect"),
        RouteKind::Api,
        [](const SandboxRequest& r) { return providerOfClient(claimedClientId(r)); },
        [this](const SandboxRequest& r) { return introspect(r); });
    routes.add(
        Method::Post,
        p + QStringLiteral("/revoke"),
        RouteKind::Api,
        [](const SandboxRequest& r) { return providerOfClient(claimedClientId(r)); },
        [this](const SandboxRequest& r) { return revoke(r); });
}

SandboxReply OAuth2Emulator::deviceAuthorization(const SandboxRequest& request)
{
    QString clientId;
    SandboxReply refusal;
    if (!authenticateClient(request, QString(), &clientId, &refusal)) {
        return refusal;
    }
    if (m_context.faultOn(deviceProviderId(), QStringLiteral("deny"))) {
        return lifecycleError(401, "invalid_client", QStringLiteral("client authentication failed"));
    }
    if (clientId != deviceClientId()) {
        return lifecycleError(
            400, "unauthorized_client", QStringLiteral("this client may not use the device authorization grant"));
    }
    const QString requested = request.formValue(QStringLiteral("scope"));
    const QStringList scopes = requested.isEmpty() ? QStringList {QStringLiteral("read")}
                                                   : requested.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& scope : scopes) {
        if (scope != QLatin1String("read") && scope != QLatin1String("write")
            && scope != QLatin1String("offline_access")) {
            return lifecycleError(400, "invalid_scope", QStringLiteral("scope %1 is not available").arg(scope));
        }
    }
    QString userCode;
    do {
        userCode = newUserCode();
    } while (m_userCodes.contains(userCode));
    IssuedToken& device = m_tokens.issue(
        IssuedToken::Kind::Device, deviceProviderId(), SandboxContext::randomToken(32), kDeviceCodeTtl, clientId);
    device.scopes = scopes;
    device.extra.insert(kUserCode, userCode);
    device.extra.insert(kDecision, QStringLiteral("pending"));
    const qint64 interval = m_context.advertisedSeconds(kDeviceInterval);
    device.extra.insert(kIntervalMs, interval * 1000);
    m_userCodes.insert(userCode, device.value);

    const QString verification = issuerString() + QStringLiteral("/device");
    ojson body
        = {{"device_code", toStd(device.value)},
           {"user_code", toStd(shownUserCode(userCode))},
           {"verification_uri", toStd(verification)},
           {"verification_uri_complete", toStd(verification + QStringLiteral("?user_code=") + shownUserCode(userCode))},
           {"expires_in", m_context.advertisedSeconds(kDeviceCodeTtl)},
           {"interval", interval}};
    return SandboxReply::json(body).withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
}

SandboxReply OAuth2Emulator::devicePage(const SandboxRequest& request) const
{
    const QString typed = request.query().queryItemValue(kUserCode, QUrl::FullyDecoded);
    const QString form = QStringLiteral(
        "<p>Enter the code your device shows, sign in and allow or deny it.</p>\n"
        "<form method=\"post\" action=\"%1\">\n"
        "<label>Code <input type=\"text\" name=\"user_code\" value=\"%2\" autocomplete=\"off\"></label>\n"
        "<label>Username <input type=\"text\" name=\"username\" autocomplete=\"username\"></label>\n"
        "<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label>\n"
        "<button type=\"submit\" name=\"decision\" value=\"approve\">Sign in and allow</button>\n"
        "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n"
        "</form>\n<p>Sandbox demo user: demo / keyway-demo</p>\n");
    return page(QStringLiteral("Connect a device"),
                form.arg(QString(pathPrefix() + QStringLiteral("/device")).toHtmlEscaped(), typed.toHtmlEscaped()));
}

SandboxReply OAuth2Emulator::deviceDecision(const SandboxRequest& request)
{
    const QString userCode = normalisedUserCode(request.formValue(kUserCode));
    IssuedToken* device = nullptr;
    const TokenState state = m_tokens.check(m_userCodes.value(userCode), IssuedToken::Kind::Device, &device);
    if (state != TokenState::Valid || device->extra.value(kDecision).toString() != QLatin1String("pending")) {
        return page(QStringLiteral("Unknown code"),
                    QStringLiteral("<p>This code is unknown, expired or already used. Start again on your "
                                   "device.</p>\n"),
                    400);
    }
    if (request.formValue(kDecision) == QLatin1String("deny")) {
        device->extra.insert(kDecision, QStringLiteral("denied"));
        return page(QStringLiteral("Device denied"), QStringLiteral("<p>The device was not connected.</p>\n"));
    }
    if (request.formValue(QStringLiteral("username")) != demoUsername()
        || request.formValue(QStringLiteral("password")) != demoPassword()) {
        return page(QStringLiteral("Wrong username or password"),
                    QStringLiteral("<p class=\"error\" role=\"alert\">Wrong username or password.</p>\n"),
                    401);
    }
    device->subject = kDemoUserId;
    device->extra.insert(kDecision, QStringLiteral("approved"));
    return page(QStringLiteral("Device connected"),
                QStringLiteral("<p>You may close this page and return to your device.</p>\n"));
}

SandboxReply OAuth2Emulator::deviceToken(const SandboxRequest& request, const QString& clientId)
{
    IssuedToken* device = nullptr;
    const TokenState state
        = m_tokens.check(request.formValue(QStringLiteral("device_code")), IssuedToken::Kind::Device, &device);
    if (state == TokenState::Expired) {
        return lifecycleError(400, "expired_token", QStringLiteral("the device code expired"));
    }
    if (state != TokenState::Valid) {
        return lifecycleError(400,
                              "invalid_grant",
                              state == TokenState::Used ? QStringLiteral("the device code was already used")
                                                        : QStringLiteral("unknown device code"));
    }
    if (device->clientId != clientId) {
        return lifecycleError(400, "invalid_grant", QStringLiteral("the device code was issued to another client"));
    }
    const qint64 now = SandboxContext::nowMs();
    const qint64 last = device->extra.value(kLastPollMs).toLongLong();
    qint64 interval = device->extra.value(kIntervalMs).toLongLong();
    const int polls = device->extra.value(kPolls).toInt();
    device->extra.insert(kLastPollMs, now);
    device->extra.insert(kPolls, polls + 1);
    // A client that asks sooner than the interval (a fifth of it is forgiven for timer jitter) is told to slow down,
    // and so is every first poll while the slow_down fault is on.
    const bool tooSoon = last > 0 && now - last < interval * 4 / 5;
    if (tooSoon || (polls == 0 && m_context.faultOn(deviceProviderId(), kSlowDown))) {
        interval += kSlowDownMs;
        device->extra.insert(kIntervalMs, interval);
        return lifecycleError(400, "slow_down", QStringLiteral("poll every %1 s").arg(interval / 1000));
    }
    const QString decision = device->extra.value(kDecision).toString();
    if (decision == QLatin1String("denied")) {
        device->used = true;
        m_userCodes.remove(device->extra.value(kUserCode).toString());
        return lifecycleError(400, "access_denied", QStringLiteral("the user denied the device"));
    }
    if (decision != QLatin1String("approved")) {
        return lifecycleError(400, "authorization_pending", QStringLiteral("the code has not been approved yet"));
    }
    device->used = true;
    m_userCodes.remove(device->extra.value(kUserCode).toString());
    const QString grantId = SandboxContext::randomToken(12);
    IssuedToken& access = issueAccess(deviceProviderId(), clientId, device->subject, grantId, device->scopes);
    IssuedToken& refreshToken
        = m_tokens.issue(IssuedToken::Kind::Refresh, deviceProviderId(), SandboxContext::randomToken(32), 0, clientId);
    refreshToken.subject = device->subject;
    refreshToken.scopes = device->scopes;
    refreshToken.extra.insert(QStringLiteral("grant"), grantId);
    return tokenReply(access, &refreshToken);
}

IssuedToken* OAuth2Emulator::findToken(const QString& value, TokenState* state)
{
    IssuedToken* token = nullptr;
    for (const auto kind : {IssuedToken::Kind::Access, IssuedToken::Kind::Refresh}) {
        *state = m_tokens.check(value, kind, &token);
        if (token) {
            return token;
        }
    }
    return nullptr;
}

SandboxReply OAuth2Emulator::introspect(const SandboxRequest& request)
{
    QString clientId;
    SandboxReply refusal;
    if (!authenticateClient(request, QString(), &clientId, &refusal)) {
        return refusal;
    }
    TokenState state = TokenState::Unknown;
    const IssuedToken* token = findToken(request.formValue(QStringLiteral("token")), &state);
    // RFC 7662 §2.2: an unknown, expired or revoked token is just "not active", and another client's token says
    // nothing more about itself.
    if (!token || state != TokenState::Valid || token->clientId != clientId) {
        return SandboxReply::json(ojson {{"active", false}});
    }
    ojson body = {{"active", true},
                  {"scope", toStd(token->scopes.join(QLatin1Char(' ')))},
                  {"client_id", toStd(token->clientId)},
                  {"token_type", token->kind == IssuedToken::Kind::Refresh ? "refresh_token" : "Bearer"},
                  {"iat", token->issuedMs / 1000},
                  {"iss", toStd(issuerString())}};
    if (token->expiresMs > 0) {
        body["exp"] = token->expiresMs / 1000;
    }
    if (!token->subject.isEmpty()) {
        body["sub"] = toStd(token->subject);
        body["username"] = toStd(demoUsername());
    }
    return SandboxReply::json(body);
}

SandboxReply OAuth2Emulator::revoke(const SandboxRequest& request)
{
    QString clientId;
    SandboxReply refusal;
    if (!authenticateClient(request, QString(), &clientId, &refusal)) {
        return refusal;
    }
    TokenState state = TokenState::Unknown;
    IssuedToken* token = findToken(request.formValue(QStringLiteral("token")), &state);
    if (token && token->clientId != clientId) {
        return lifecycleError(400, "unauthorized_client", QStringLiteral("the token was issued to another client"));
    }
    // revoke_ignored: the misbehaviour a client cannot see in the reply, only in what the token still does.
    if (token && !m_context.faultOn(codeProviderId(), revokeIgnoredFault())) {
        token->revoked = true;
        if (token->kind == IssuedToken::Kind::Refresh) {
            // RFC 7009 §2.1: revoking a refresh token also ends the access tokens of the same grant.
            const QString grantId = token->extra.value(QStringLiteral("grant")).toString();
            m_tokens.revokeWhere([&grantId](const IssuedToken& t) {
                return !grantId.isEmpty() && t.extra.value(QStringLiteral("grant")).toString() == grantId;
            });
        }
    }
    // RFC 7009 §2.2: 200 whether or not the token was known, so a client cannot probe for tokens.
    return SandboxReply::json(ojson::object())
        .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
}

} // namespace keyway::sandbox
