#pragma once

#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace keyway {

class Redactor;
struct HttpRequest;
struct HttpResponse;

// One entry of the engine's event stream. The GUI timeline, the CLI's --json output and the tests all
// read these. Everything in here is already redacted: no secret, token or code appears in clear.
struct FlowEvent
{
    enum class Type {
        StepStarted,
        Request,
        Response,
        Captured,
        Consumed,
        Expired,
        StepFailed,
        AuthorizeUrl,
        WaitingForBrowser, // a browser sign-in waits for its redirect (url, browserOpened, deadlineMs)
        Revoked, // `name` was revoked at the provider (RFC 7009) and forgotten
        DeviceCode // a device sign-in waits for a person to enter userCode at url (deadlineMs: the code expires)
    };

    Type type = Type::StepStarted;
    QString stepId; // "api" for API calls
    QString title;

    // Request / Response
    QString method;
    QString url;
    QList<QPair<QString, QString>> headers;
    QString body;
    int status = 0;
    qint64 elapsedMs = 0;

    // Captured / Consumed / Expired
    QString name;
    qint64 issuedMs = 0;
    qint64 expiresMs = 0; // 0 = unknown
    bool singleUse = false;
    bool lifetimeAssumed = false; // expiresMs is the profile's default, not the provider's word
    std::optional<QString> value; // only for values that are not secret (user_id, scope)
    std::optional<bool> verified; // Captured id_token: whether its signature and claims were validated
    QString verifiedKey; // Captured id_token, verified: the kid of the issuer's key that signed it (may be empty)
    bool discovered = false; // Captured by a discovery step: an endpoint, not a credential (no timeline lane)

    // Request: an RFC 7523 client assertion's decoded header and claims, the signature redacted (docs/oidc.md)
    std::optional<nlohmann::ordered_json> clientAssertion;

    // WaitingForBrowser: whether the browser could be opened (when not, the user opens `url` by hand or pastes
    // the redirect), and until when the loopback listener waits (ms since the epoch).
    bool browserOpened = false;
    qint64 deadlineMs = 0;

    // DeviceCode (RFC 8628): `url` is the verification URI; the user code is no secret (a person types it), the
    // device code never appears here.
    QString userCode;
    QString completeUrl; // verification_uri_complete: the URI with the user code in it, for a QR code
    int intervalSeconds = 0;

    // StepFailed
    QString hint; // the profile's sentence, in plain words
    QString failure; // why the server was unreachable (NetworkDiagnosis::name), empty otherwise
    QString detail; // what happened: "HTTP 400", "code 40001 Invalid parameter", "state mismatch"

    // The request / response events of one exchange, every header, URL and body redacted by `redactor`.
    // FlowEngine (token steps) and Session (API calls) both build them here.
    static FlowEvent request(const QString& stepId, const HttpRequest& request, const Redactor& redactor);
    static FlowEvent response(const QString& stepId, const HttpResponse& response, const Redactor& redactor);

    static QString typeName(Type type); // "step_started", "request", ...
    // {"event": ..., ...}: the JSON Lines form used by keyway-cli --json.
    nlohmann::ordered_json toJson() const;
};

} // namespace keyway

Q_DECLARE_METATYPE(keyway::FlowEvent)
