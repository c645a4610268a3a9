#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace keyway {

// One credential field of a provider, e.g. Seismic `clientSecret`. For providers with credential
// sets (Astrada) the full key is `SET.KEY` (`api.client_id`); `key` holds the full key.
struct CredentialField
{
    QString key;
    QString label;
    QString description;
    QString setId; // empty when the provider has no credential sets
    QString bareKey; // key without the `SET.` prefix (what templates name: {{client_id}})
    bool secret = false;
    bool required = false;
    QString defaultValue; // e.g. client_auth = "body"
    QStringList choices; // allowed values, empty = free text
};

// Named credential set (Astrada `api` / `sdk`).
struct CredentialSet
{
    QString id;
    QString label;
    QString description;
    bool isDefault = false;
};

// A value template: `{{name}}` placeholders resolved against credential values, captured values
// and flow variables (redirect_uri, state, code_verifier, code_challenge).
using Template = QString;

// Where a request parameter goes.
enum class BodyKind { None, Form, Json, Query };

// One named parameter of a step. Parameters whose value resolves to empty are omitted, so optional
// fields (scope, prompt) simply vanish when not set.
struct StepParam
{
    QString name;
    Template value;
};

// How a reply is judged a success (HTTP status and, for envelope providers, a code in the body).
struct SuccessRule
{
    QList<int> statuses; // empty = any 2xx
    QString codePointer; // JSON pointer of the envelope code, e.g. /code
    QString codeEquals; // e.g. "000000"
    QStringList nonEmpty; // JSON pointers that must hold a non-empty value, e.g. /data/accessToken
    QString messagePointer; // JSON pointer of a human message, e.g. /msg
};

// What a step keeps from its reply.
struct Capture
{
    QString name; // e.g. code, access_token, refresh_token, user_id, id_token
    QString label; // what the timeline's lane calls it ("user ID"); empty for OAuth's own names, which Keyway knows
    QString pointer; // JSON pointer in the reply body; "" for query-string captures
    QStringList ttlPointers; // where the lifetime in seconds may be, first match wins (/expires_in, /data/expiresIn)
    bool ttlFromJwtExp = false; // else use the `exp` claim if the value is a JWT
    std::optional<qint64> defaultTtlSeconds; // documented lifetime when the reply says nothing
    bool singleUse = false; // consumed when a later step uses it (authorization codes)
    bool secret = true; // shown redacted in events and history
    bool optional = false; // missing is not an error (refresh_token, user_id)
};

enum class StepKind {
    Exchange, // a plain HTTP exchange
    Browser, // authorization code: PKCE S256 + state + loopback redirect, system browser
    Refresh, // refresh_token grant, run instead of the full flow when a refresh token is known
    Device, // an exchange that obtains a device code (RFC 8628 §3.2) and announces it to the person who approves it
    Poll, // the same request repeated until the provider stops saying "pending" (the device grant's token request)
    // OpenID Connect / RFC 8414 discovery of `url` (the issuer): its captures map document members to names
    // (token_url, jwks_uri...); skipped when the issuer is empty (docs/oidc.md)
    Discovery
};

// Device steps: which captures hold what the person approving the sign-in needs. Defaults are RFC 8628's names.
struct DeviceCodeRule
{
    QString userCode = QStringLiteral("user_code");
    QString verificationUri = QStringLiteral("verification_uri");
    QString verificationUriComplete = QStringLiteral("verification_uri_complete");
    QString interval = QStringLiteral("interval");
    QString deviceCode = QStringLiteral("device_code"); // its lifetime is the code's lifetime
};

// Poll steps: which OAuth errors mean "ask again", how often, and until when.
struct PollRule
{
    QStringList pending {QStringLiteral("authorization_pending")};
    QStringList slowDown {QStringLiteral("slow_down")};
    int slowDownSeconds = 5; // added to the interval on every slow_down (RFC 8628 §3.5)
    Template interval; // seconds between requests, e.g. {{interval}}; empty or unreadable = defaultIntervalSeconds
    int defaultIntervalSeconds = 5;
    QString until; // the capture whose expiry ends the wait (device_code); empty = the sign-in timeout
};

enum class ClientAuth { Body, Basic }; // the rest (none, client_secret_jwt, private_key_jwt): docs/oidc.md

struct FlowStep
{
    QString id;
    QString title;
    QString description;
    StepKind kind = StepKind::Exchange;
    QString method = QStringLiteral("POST");
    Template url; // absolute, or appended to the environment base URL
    BodyKind bodyKind = BodyKind::None;
    QList<StepParam> params; // form / JSON / query parameters
    QList<StepParam> headers;
    Template clientAuth; // resolves to "body" or "basic"; empty = body
    Template clientIdParam; // name of the client id credential, e.g. {{client_id}}
    Template clientSecretParam; // name of the client secret credential
    Template clientKeyParam; // private_key_jwt: the PEM private key, e.g. {{client_key}}
    Template clientKeyIdParam; // private_key_jwt: the assertion's kid, e.g. {{key_id}}
    SuccessRule success;
    QList<Capture> captures;
    // Browser steps: parameters of the authorization URL (response_type, client_id, scope, prompt...)
    // and of the redirect back (code, state, iss).
    QList<StepParam> authorizeParams;
    QString redirectPath = QStringLiteral("/callback");
    DeviceCodeRule device; // Device steps only
    PollRule poll; // Poll steps only
};

// Provider's documented error codes, turned into one sentence naming the cause and the fix.
struct ErrorHint
{
    QString code; // envelope code ("40399"), OAuth error ("invalid_client") or empty
    int status = 0; // HTTP status, 0 = any
    QString when; // special condition: "empty:/data/accessToken"
    QString step; // step id it belongs to, "api" for API calls, empty = anywhere
    QString text;
};

// Where the token goes on API requests.
struct TokenPlacement
{
    QString header = QStringLiteral("Authorization");
    QString prefix = QStringLiteral("Bearer ");
    QString capture = QStringLiteral("access_token");
};

struct IdempotencyRule
{
    QString method; // POST
    QString path; // /v1/budgets/*/transfer-in ('*' matches one path segment)
    QString header = QStringLiteral("Idempotency-Key");
    // The reply header by which the provider says it replayed an earlier reply for the same key.
    QString replayHeader = QStringLiteral("Idempotent-Replayed");
};

// How the provider signs the webhooks it sends: HMAC-SHA256 of the raw body with the secret held by
// credential field `secretKey`, carried in header `header`.
struct WebhookRule
{
    QString secretKey; // full credential key, e.g. webhookSecret
    QString header; // e.g. x-seismic-signature
    QStringList encodings {QStringLiteral("hex"), QStringLiteral("base64")}; // how the signature is written
    QStringList prefixes; // text before the signature value, e.g. "sha256="
};

struct SampleRequest
{
    QString name;
    QString method;
    Template path;
    QString body; // may carry {{placeholders}} from the environment
    QString description;
};

struct ProviderProfile
{
    QString id;
    QString name;
    QString summary; // one paragraph shown beside the environment form
    QString documentation; // vendor's documentation URL
    QString defaultBaseUrl;
    QString sourceFile; // where it was loaded from (":/providers/seismic.json" or a user path)

    QList<CredentialField> fields;
    QList<CredentialSet> credentialSets;

    QList<FlowStep> steps; // the full auth flow, in order (Exchange and Browser steps)
    std::optional<FlowStep> refresh; // refresh_token grant, when the provider has one

    TokenPlacement token;
    SuccessRule apiSuccess; // how API replies are judged (envelope providers: /code == 000000)
    QList<int> reauthStatuses {401}; // statuses that mean "renew the token once and retry"
    QStringList reauthCodes; // envelope codes that mean the same (Seismic 40399)
    QList<ErrorHint> hints;
    QList<IdempotencyRule> idempotency;
    // The one call that proves the credentials work; conform also uses it as its API probe. Its
    // placeholders name the credential keys it needs ({{probe_path}}).
    std::optional<SampleRequest> check;
    std::optional<WebhookRule> webhook;
    bool featured = false; // the provider a first run opens on when its sandbox environment exists
    QList<SampleRequest> samples;

    const CredentialField* field(const QString& key) const;
    QStringList fieldKeys() const;
    // The credential field holding the webhook signing secret; nullptr without a webhook block.
    const CredentialField* webhookSecretField() const;
    QString defaultCredentialSet() const; // "" without sets
    bool hasCredentialSet(const QString& setId) const;
    // Fields that belong to a set (or all fields without sets).
    QList<CredentialField> fieldsOfSet(const QString& setId) const;
    // The label the profile gives the captured value `captureName` (any step or the refresh), or "" without one.
    QString captureLabel(const QString& captureName) const;

    // Calls `visit` on every text a person reads (name, summary, field and set labels and descriptions, step
    // titles and descriptions, capture labels, hints, sample names and descriptions), so the shipped profiles can be
    // translated in one place and their texts collected for the translators (translations/).
    void forEachText(const std::function<void(QString& text)>& visit);
};

} // namespace keyway
