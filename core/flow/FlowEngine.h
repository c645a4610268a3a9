#pragma once

#include "core/flow/CapturedValue.h"
#include "core/flow/FlowEvent.h"
#include "core/flow/TemplateResolver.h"
#include "core/http/HttpMessage.h"
#include "core/http/Redactor.h"
#include "core/profile/ProviderProfile.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace keyway {

class LoopbackReceiver;
class RequestExecutor;
struct Verdict;

// "Open this URL in a browser": the GUI passes QDesktopServices::openUrl, the CLI xdg-open (or a
// function that prints the URL with --no-browser), tests a function that plays the browser.
using UrlOpener = std::function<bool(const QUrl&)>;

struct FlowOptions
{
    QString baseUrl; // the environment's base URL, path prefix included
    QMap<QString, QString> credentials; // full keys (SET.key), secret and non-secret values
    QString credentialSet; // "" for providers without sets
    UrlOpener openUrl;
    int browserTimeoutMs = 5 * 60 * 1000; // how long a browser sign-in waits for its redirect
    QMap<QString, QString> authorizeOverrides; // e.g. prompt=login (conform)
    // The environment's CA file, client certificate and proxy, put on every request; null: system defaults.
    std::shared_ptr<const ConnectionSettings> connection;
};

struct FlowResult
{
    enum class Outcome {
        Ok,
        Refused, // the provider refused a step (wrong credentials, invalid_grant, error= in the callback)
        StateMismatch, // the redirect carried another state: its code was never exchanged
        Timeout, // no browser callback in time
        BrowserFailed, // the loopback port could not be bound
        Cancelled, // the user cancelled the sign-in
        Network, // no reply (connection refused, TLS error, deadline)
        Invalid // another issuer (RFC 9207), a missing value, a reply of the wrong shape, size or redirect
    };

    Outcome outcome = Outcome::Ok;
    QString stepId;
    int status = 0;
    QString oauthError;
    QString detail; // what happened, no secret
    QString hint; // the profile's sentence
    QMap<QString, CapturedValue> values;
    HttpResponse::Failure failure = HttpResponse::Failure::None; // why the server was unreachable (Network)
    QList<QSslCertificate> peerChain; // what the server presented when its TLS handshake failed

    bool ok() const { return outcome == Outcome::Ok; }
    // Ended by something on this machine (no redirect in time, cancelled, no loopback port), not by the provider.
    bool isLocalProblem() const
    {
        return outcome == Outcome::Timeout || outcome == Outcome::Cancelled || outcome == Outcome::BrowserFailed;
    }
    std::optional<CapturedValue> value(const QString& name) const;
    QString oneLine() const; // "step token: HTTP 401 — hint"
};

// Runs one provider flow from its profile: the full flow (exchange and browser steps in order) or the
// refresh step. Emits the redacted event stream and finishes exactly once. No provider-specific code:
// everything comes from the ProviderProfile.
class FlowEngine : public QObject
{
    Q_OBJECT
public:
    FlowEngine(const ProviderProfile& profile, FlowOptions options, QObject* parent = nullptr);
    ~FlowEngine() override;

    void setExecutor(RequestExecutor* executor) { m_executor = executor; }

    void runFullFlow();
    void runRefresh(const QString& refreshToken);
    // Runs the profile's step `index` alone, with `known` (what earlier steps captured) available to its
    // templates and redacted like any secret; a single-use value the step sends is consumed. The walkthrough's
    // "Step" is this.
    void runStep(int index, const QMap<QString, CapturedValue>& known);

    // While a browser step waits for its redirect: a redirect URL the user copied from the browser's address
    // bar, judged exactly like the loopback listener judges a callback. Returns "" when it was taken (the
    // flow continues, or ends at once on a state mismatch), else a sentence saying why not (the flow keeps
    // waiting).
    QString submitRedirectUrl(const QUrl& url);
    // Ends the flow as Cancelled (the listener closes at once). Nothing happens once it finished.
    void cancel();
    // The opener reported later that the browser did not open (the conformance run opens it after its probe):
    // the waiting state is announced again with browserOpened false.
    void setBrowserOpened(bool opened);
    bool isWaitingForBrowser() const;
    // A device sign-in (RFC 8628) is polling the token endpoint while a person approves the code elsewhere.
    bool isWaitingForDevice() const;
    // Grace period after a browser sign-in during which the listener still answers "already finished".
    static constexpr int ListenerGraceMs = 10'000;

    const Redactor& redactor() const { return m_redactor; }
    const QMap<QString, CapturedValue>& values() const { return m_values; }

Q_SIGNALS:
    void event(const keyway::FlowEvent& event);
    void finished(const keyway::FlowResult& result);

private:
    void runNextStep();
    void runExchange(const FlowStep& step);
    using ReplyHandler = void (FlowEngine::*)(const FlowStep&, const HttpResponse&);
    // Builds the step's request, announces it and hands the reply to `onReply` while this step is still the
    // current one: the one way an exchange or a device poll reaches its token endpoint.
    void sendStepRequest(const FlowStep& step, ReplyHandler onReply);
    void runDiscovery(const FlowStep& step);
    // A step whose URL resolves to nothing: the sentence naming the field to set, or nothing.
    std::optional<QString> missingUrl(const FlowStep& step) const;
    // After a token reply was judged a success: validates its id_token (docs/oidc.md), then captures.
    void acceptReply(const FlowStep& step, const nlohmann::json& doc);
    // What follows a step's captures: a device step announces its code, a poll step ends its polling; then
    // the next step.
    void afterCaptures(const FlowStep& step);
    void runBrowser(const FlowStep& step);
    // Keeps a value of the sign-in itself in the result (CapturedValue::internal) for a later step run alone.
    void carryToLaterSteps(const QString& name, const QString& value, bool secret);
    // Device grant (FlowEngineDevice.cpp): announce the code, then poll until the provider stops saying "pending".
    void announceDeviceCode(const FlowStep& step);
    void runPoll(const FlowStep& step);
    void schedulePoll();
    void pollOnce();
    void onPollReply(const FlowStep& step, const HttpResponse& response);
    void finishPolling(const FlowStep& step);
    QString unreachableHint(const FlowStep& step) const;
    void onExchangeReply(const FlowStep& step, const HttpResponse& response);
    void onCallback(const FlowStep& step, const QMap<QString, QString>& params);
    bool applyCaptures(const FlowStep& step, const nlohmann::json& doc);
    // What is wrong with a successful-looking reply's shape (not JSON, not an object, a token that is not
    // a string), or nothing; never quotes the body.
    std::optional<QString> replyShapeProblem(const FlowStep& step,
                                             const HttpResponse& response,
                                             const std::optional<nlohmann::json>& doc,
                                             bool judgeCaptures) const;
    QString shapeHint() const;
    void learnSecretsFrom(const FlowStep& step, const nlohmann::json& doc);
    void consumeSingleUse(const FlowStep& step);
    // Marks a captured value used up (once) and tells the timeline.
    void markConsumed(const FlowStep& step, CapturedValue& value);
    // Builds the step's request; an RFC 7523 client assertion is signed here (its decoded form goes to
    // `assertion`). nullopt with `error` when the client authentication cannot be made (a bad client_key).
    std::optional<HttpRequest>
    buildRequest(const FlowStep& step, QString* error, std::optional<nlohmann::ordered_json>* assertion);
    void fail(const FlowStep& step,
              FlowResult::Outcome outcome,
              const QString& detail,
              const QString& hint,
              int status = 0,
              const QString& oauthError = {});
    void finish(FlowResult result);
    void emitEvent(FlowEvent e);

    const ProviderProfile m_profile; // a copy: the engine outlives whatever handed it the profile
    FlowOptions m_options;
    TemplateResolver m_resolver;
    Redactor m_redactor;
    HttpResponse::Failure m_failure = HttpResponse::Failure::None; // of the last unreachable reply
    QList<QSslCertificate> m_peerChain;
    RequestExecutor* m_executor = nullptr;
    QList<FlowStep> m_steps;
    int m_index = 0;
    QMap<QString, CapturedValue> m_values;
    QPointer<LoopbackReceiver> m_receiver;
    QTimer* m_browserTimer = nullptr;
    QString m_authorizeOrigin;
    FlowEvent m_waiting; // the last WaitingForBrowser event, for setBrowserOpened()
    QTimer* m_pollTimer = nullptr;
    qint64 m_pollIntervalMs = 0;
    qint64 m_pollDeadlineMs = 0;
    std::optional<QString> m_nonce; // sent on an OpenID Connect sign-in; the ID token must carry it
    std::optional<bool> m_idTokenVerified; // of the last reply's id_token, for its captured event
    QString m_idTokenKey; // the kid that verified it
    bool m_finished = false;
};

} // namespace keyway

Q_DECLARE_METATYPE(keyway::FlowResult)
