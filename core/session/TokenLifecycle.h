#pragma once

#include "core/flow/FlowEngine.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace keyway {

class Session;

// What an introspection (RFC 7662) or a revocation (RFC 7009) came to.
struct LifecycleResult
{
    enum class Outcome {
        Ok, // the endpoint answered 2xx (introspection: see `active`)
        NoEndpoint, // the environment names no introspection / revocation endpoint
        NoToken, // nothing to revoke (no refresh token stored, no access token in memory)
        AuthFailed, // getting a token to introspect failed: see `flow`
        Refused, // the endpoint refused the request (invalid_client, 401...)
        Network, // no reply
        Invalid // a reply of the wrong shape
    };

    Outcome outcome = Outcome::Ok;
    bool active = false; // introspection: the reply's "active"
    int status = 0;
    QString body; // the endpoint's reply, redacted
    QStringList revoked; // names of the tokens revoked: refresh_token, access_token
    FlowResult flow; // the failing step (the token flow or the lifecycle request)
    QString detail; // one line without a secret

    bool ok() const { return outcome == Outcome::Ok; }
};

// Introspection and revocation of a session's tokens, for both faces (keyway-cli introspect / revoke, the
// timeline's right click). The requests are the profile's own token request turned toward another endpoint,
// so client authentication and connection settings are exactly the token endpoint's; their events go out on the
// session's stream. A revoked token is forgotten by the session (a refresh token also in the keychain).
//
// Endpoints: the environment's `introspection_url` / `revocation_url` (absolute, or relative to the base URL),
// else the ones its `issuer` publishes in its discovery document (oidc::Discovery::resolveEndpoint).
class TokenLifecycle : public QObject
{
    Q_OBJECT
public:
    enum class Which { AccessToken, RefreshToken, Both };
    using Callback = std::function<void(const LifecycleResult&)>;

    explicit TokenLifecycle(Session* session, QObject* parent = nullptr);
    ~TokenLifecycle() override;

    // The access token: the session's current one, obtained first if it has none. RefreshToken: the stored one.
    void introspect(Which which, Callback done);
    // Refresh token first (it ends the grant), then the access token in memory; then the session forgets both.
    void revoke(Which which, Callback done);

    // The endpoint for `key` (introspection_url, revocation_url) as an absolute URL: the explicit value, else the
    // issuer's document, fetched over the environment's connection settings. An empty URL comes with `detail`,
    // one sentence saying what to set. `done` runs once, later, unless `context` is destroyed first.
    using EndpointCallback = std::function<void(const QUrl& url, const QString& detail)>;
    static void resolveEndpoint(const ProviderProfile& profile,
                                const FlowOptions& flow,
                                const QString& key,
                                QObject* context,
                                EndpointCallback done);
    // One introspection or revocation request (stepId "introspect" / "revoke") of `token` at `url`, authenticated
    // like the profile's token request; for callers without a session (the conformance run). `done` runs once,
    // unless `context` is destroyed first.
    static void sendRequest(const ProviderProfile& profile,
                            const FlowOptions& flow,
                            QObject* context,
                            const QString& stepId,
                            const QUrl& url,
                            const QString& tokenName,
                            const QString& token,
                            std::function<void(const FlowEvent&)> onEvent,
                            Callback done);
    // "Set introspection_url ..." : what to do when neither a value nor an issuer gives the endpoint.
    static QString missingEndpointHint(const QString& key);

private:
    struct Job;
    void send(const QString& stepId,
              const QUrl& url,
              const QString& tokenName,
              const QString& token,
              std::function<void(const LifecycleResult&)> done);
    void revokeNext(std::shared_ptr<Job> job);
    // Resolves `key` for the session, answers `done` with NoEndpoint when there is none, else runs `then`.
    void withEndpoint(const QString& key, Callback done, std::function<void(const QUrl&, Callback)> then);

    QPointer<Session> m_session;
};

} // namespace keyway
