#pragma once

#include "core/flow/FlowEngine.h"
#include "core/flow/ReplyJudge.h"
#include "core/http/HttpMessage.h"
#include "core/vault/SecretStore.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QLockFile;

namespace keyway {

// Where a session keeps the refresh token between processes: the keychain, through SecretStore. The
// session never writes it anywhere else. Both members may be empty (no persistence).
struct RefreshTokenStore
{
    // Calls back with the stored refresh token, "" when there is none or the keychain could not answer.
    std::function<void(std::function<void(const QString&)>)> load;
    // Persists a new refresh token (a rotation replaces the old one at once).
    std::function<void(const QString&)> save;
    // Deletes the stored refresh token (after a revocation); may be empty.
    std::function<void()> remove;

    // The keychain entry `key` of `store` (which must outlive the session). `written` hears how each save
    // went (a failed save is also logged, without the value).
    static RefreshTokenStore
    inKeychain(SecretStore* store, const QString& key, std::function<void(const SecretResult&)> written = {});
};

struct SessionOptions
{
    QString environmentId; // keys the cross-process refresh lock
    FlowOptions flow;
    RefreshTokenStore refreshStore;
    // The refresh token's keychain key: when set, the time each new refresh token is stored is kept under
    // it in RefreshTokenAges (the health board shows the age).
    QString refreshAgesKey;
    QString lockDirectory; // default: the runtime directory
    qint64 renewMarginMs = 30'000; // renew this long before expiry (at most 10% of the lifetime)
};

struct ApiRequest
{
    QString method = QStringLiteral("GET");
    QString path; // appended to the base URL (its path prefix kept); same-origin absolute URLs allowed
    HeaderList headers;
    QByteArray body;
    // keyway-cli call printing to stdout: a large reply body is streamed here (HttpRequest::bodySink).
    std::shared_ptr<ReplyBodySink> bodySink;
};

struct ApiResult
{
    enum class Outcome {
        Success, // 2xx and, for envelope providers, the success code
        Refused, // the provider refused the call (also after one renewal)
        AuthFailed, // the auth flow failed: see `auth`
        Network, // no reply
        Invalid // the request itself is unusable (e.g. a URL on another origin)
    };

    Outcome outcome = Outcome::Success;
    HttpResponse response;
    Verdict verdict;
    QString hint;
    bool renewed = false; // the token was renewed and the call retried once
    FlowResult auth;

    bool ok() const { return outcome == Outcome::Success; }
    QString oneLine() const; // "HTTP 403 — hint", "code 40399 (permission denied) — hint"
};

// Per environment and credential set: keeps the access token in memory (never on disk), renews it
// shortly before expiry or once after a reauth reply (401, Seismic 40399), and makes any number of
// concurrent callers that need a new token wait for ONE token request (single flight). A stored
// refresh token is tried before a full (browser) flow; refreshing it is serialised across processes.
class Session : public QObject
{
    Q_OBJECT
public:
    using AuthCallback = std::function<void(const FlowResult&)>;
    using CallCallback = std::function<void(const ApiResult&)>;

    Session(const ProviderProfile& profile, SessionOptions options, QObject* parent = nullptr);
    ~Session() override;

    void setExecutor(RequestExecutor* executor) { m_executor = executor; }

    // A valid token (cached, refreshed or from the full flow). Single flight.
    void ensureToken(AuthCallback done);
    // Always the full flow (keyway-cli auth), ignoring cache and refresh token.
    void authenticate(AuthCallback done);
    // Sends an authenticated API request; renews once and retries once on a reauth reply. `via` sends the
    // request itself (not a token renewal) through another executor, so its owner can abort it alone.
    void call(const ApiRequest& request, CallCallback done, RequestExecutor* via = nullptr);
    // Takes values captured outside the session as its own (the walkthrough runs a flow step by step with
    // its own engine): the access token is used from now on and a refresh token is kept like one the
    // session obtained itself.
    void adopt(const QMap<QString, CapturedValue>& values);

    // The HTTP request an API call sends with `token`: the URL on the base URL, the token in the profile's
    // header (marked as a credential), and a Content-Type for a body and an Accept when the user gave none.
    // "Copy as curl" builds its command from this too, so it reproduces exactly what is sent.
    static HttpRequest
    apiHttpRequest(const ProviderProfile& profile, const QString& baseUrl, const ApiRequest& api, const QString& token);
    // The browser sign-in of a running full flow, if one waits for its redirect (see FlowEngine).
    bool isWaitingForBrowser() const;
    QString submitRedirectUrl(const QUrl& url);
    void cancelSignIn();

    std::optional<CapturedValue> accessToken() const { return m_token; }
    const QMap<QString, CapturedValue>& values() const { return m_values; }
    int flowsStarted() const { return m_flowsStarted; }
    const Redactor& redactor() const { return m_redactor; }
    const ProviderProfile& profile() const { return m_profile; }

    // For the token lifecycle (introspection, revocation: core/session/TokenLifecycle), which sends its requests
    // with the session's credentials and connection and reports on the session's event stream.
    const FlowOptions& flowOptions() const { return m_options.flow; }
    // The refresh token this session would use: the one it holds, else the stored one; "" when there is none.
    void loadRefreshToken(std::function<void(const QString&)> done);
    // `name` (the access token or refresh_token) was revoked: the session forgets it, and a revoked refresh token
    // is deleted from the keychain too, so the next call signs in again.
    void forget(const QString& name);
    void announce(const keyway::FlowEvent& e) { Q_EMIT event(e); }

Q_SIGNALS:
    void event(const keyway::FlowEvent& event);

private:
    struct CallState;
    bool tokenUsable(qint64 nowMs) const;
    void startRenewal(bool full);
    void runFullFlow();
    void runRefreshFlow(const QString& refreshToken);
    void acquireLockThen(std::function<void(bool locked)> next, int attemptsLeft);
    void releaseLock();
    void onFlowFinished(const FlowResult& result, bool wasRefresh);
    void completeRenewal(const FlowResult& result);
    void recordRefreshIssued();
    FlowEngine* newEngine();
    void sendCall(std::shared_ptr<CallState> state);
    void onCallReply(std::shared_ptr<CallState> state, const QString& tokenUsed, const HttpResponse& response);
    bool isReauthReply(const HttpResponse& response) const;

    const ProviderProfile& m_profile;
    SessionOptions m_options;
    RequestExecutor* m_executor = nullptr;
    Redactor m_redactor;
    std::optional<CapturedValue> m_token;
    QMap<QString, CapturedValue> m_values;
    QString m_refreshToken;
    bool m_renewing = false;
    bool m_expiredAnnounced = false;
    QList<AuthCallback> m_waiters;
    int m_flowsStarted = 0;
    std::unique_ptr<QLockFile> m_lock;
    QPointer<FlowEngine> m_fullFlow; // the running full flow, for the sign-in's paste and cancel
};

} // namespace keyway
