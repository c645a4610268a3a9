#include "core/session/TokenLifecycle.h"

#include "core/flow/ReplyJudge.h"
#include "core/oidc/Discovery.h"
#include "core/session/Session.h"
#include "core/util/Logging.h"

#include <QCoreApplication>

namespace keyway {

namespace {

const QString kRefreshToken = QStringLiteral("refresh_token");
const QString kIntrospectionUrl = QStringLiteral("introspection_url");
const QString kRevocationUrl = QStringLiteral("revocation_url");

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::TokenLifecycle)
};

// The step that authenticates the client at the token endpoint: the refresh step, else the last flow step that
// sends a client id. Introspection and revocation authenticate the same way (RFC 7662 §2.1, RFC 7009 §2.1).
FlowStep clientAuthStep(const ProviderProfile& profile)
{
    if (profile.refresh && !profile.refresh->clientIdParam.isEmpty()) {
        return *profile.refresh;
    }
    for (auto it = profile.steps.crbegin(); it != profile.steps.crend(); ++it) {
        if (!it->clientIdParam.isEmpty()) {
            return *it;
        }
    }
    return {};
}

LifecycleResult fromFlow(const FlowResult& flow)
{
    LifecycleResult r;
    r.flow = flow;
    r.status = flow.status;
    r.detail = flow.oneLine();
    switch (flow.outcome) {
    case FlowResult::Outcome::Ok:
        r.outcome = LifecycleResult::Outcome::Ok;
        break;
    case FlowResult::Outcome::Network:
        r.outcome = LifecycleResult::Outcome::Network;
        break;
    case FlowResult::Outcome::Invalid:
        r.outcome = LifecycleResult::Outcome::Invalid;
        break;
    default:
        r.outcome = LifecycleResult::Outcome::Refused;
        break;
    }
    return r;
}

} // namespace

struct TokenLifecycle::Job
{
    QUrl url; // the revocation endpoint
    QList<QPair<QString, QString>> tokens; // (name, value), in the order they are revoked
    LifecycleResult result;
    Callback done;
};

TokenLifecycle::TokenLifecycle(Session* session, QObject* parent) : QObject(parent), m_session(session) { }

TokenLifecycle::~TokenLifecycle() = default;

void TokenLifecycle::resolveEndpoint(const ProviderProfile& profile,
                                     const FlowOptions& flow,
                                     const QString& key,
                                     QObject* context,
                                     EndpointCallback done)
{
    oidc::Discovery::resolveEndpoint(profile,
                                     flow.credentials,
                                     flow.credentialSet,
                                     flow.baseUrl,
                                     key,
                                     flow.connection,
                                     context,
                                     [key, done = std::move(done)](const oidc::EndpointResult& r) {
                                         if (!r.url.isEmpty()) {
                                             done(r.url, QString());
                                             return;
                                         }
                                         // Asked the issuer and it had none (or did not answer): its words; no issuer
                                         // at all: what to set.
                                         done(QUrl(), r.discovery ? r.detail : missingEndpointHint(key));
                                     });
}

void TokenLifecycle::withEndpoint(const QString& key, Callback done, std::function<void(const QUrl&, Callback)> then)
{
    if (!m_session) {
        return;
    }
    QPointer<TokenLifecycle> self(this);
    resolveEndpoint(m_session->profile(),
                    m_session->flowOptions(),
                    key,
                    this,
                    [self, done = std::move(done), then = std::move(then)](const QUrl& url, const QString& detail) {
                        if (!self || !self->m_session) {
                            return;
                        }
                        if (url.isEmpty()) {
                            LifecycleResult r;
                            r.outcome = LifecycleResult::Outcome::NoEndpoint;
                            r.detail = detail;
                            done(r);
                            return;
                        }
                        then(url, done);
                    });
}

QString TokenLifecycle::missingEndpointHint(const QString& key)
{
    if (key == kIntrospectionUrl) {
        return Text::tr("This environment has no introspection endpoint: set its introspection_url (the provider's "
                        "RFC 7662 endpoint, absolute or relative to the base URL), or its issuer to discover it.");
    }
    return Text::tr("This environment has no revocation endpoint: set its revocation_url (the provider's RFC 7009 "
                    "endpoint, absolute or relative to the base URL), or its issuer to discover it.");
}

void TokenLifecycle::send(const QString& stepId,
                          const QUrl& url,
                          const QString& tokenName,
                          const QString& token,
                          std::function<void(const LifecycleResult&)> done)
{
    QPointer<Session> session = m_session;
    sendRequest(
        m_session->profile(),
        m_session->flowOptions(),
        this,
        stepId,
        url,
        tokenName,
        token,
        [session](const FlowEvent& e) {
            if (session) {
                session->announce(e);
            }
        },
        std::move(done));
}

void TokenLifecycle::sendRequest(const ProviderProfile& source,
                                 const FlowOptions& flow,
                                 QObject* context,
                                 const QString& stepId,
                                 const QUrl& url,
                                 const QString& tokenName,
                                 const QString& token,
                                 std::function<void(const FlowEvent&)> onEvent,
                                 Callback done)
{
    ProviderProfile profile = source;
    FlowStep step = clientAuthStep(profile);
    step.id = stepId;
    step.title = stepId == QLatin1String("introspect") ? Text::tr("Introspect the %1").arg(tokenName)
                                                       : Text::tr("Revoke the %1").arg(tokenName);
    step.kind = StepKind::Exchange;
    step.method = QStringLiteral("POST");
    step.url = url.toString();
    step.bodyKind = BodyKind::Form;
    step.params = {{QStringLiteral("token"), QStringLiteral("{{%1}}").arg(tokenName)},
                   {QStringLiteral("token_type_hint"),
                    tokenName == kRefreshToken ? kRefreshToken : QStringLiteral("access_token")}};
    step.headers = {{QStringLiteral("Accept"), QStringLiteral("application/json")}};
    step.success = SuccessRule();
    step.captures.clear();
    if (stepId == QLatin1String("introspect")) {
        Capture active;
        active.name = QStringLiteral("active");
        active.pointer = QStringLiteral("/active");
        active.secret = false;
        active.optional = true;
        step.captures.append(active);
    }
    profile.steps = {step};
    profile.refresh.reset();

    auto* engine = new FlowEngine(profile, flow, context);
    CapturedValue known;
    known.name = tokenName;
    known.value = token;
    known.secret = true;
    auto reply = std::make_shared<LifecycleResult>();
    QObject::connect(engine, &FlowEngine::event, context, [onEvent, reply](const FlowEvent& e) {
        if (e.type == FlowEvent::Type::Response) {
            reply->status = e.status;
            reply->body = e.body;
        }
        if (onEvent) {
            onEvent(e);
        }
    });
    QObject::connect(engine, &FlowEngine::finished, context, [engine, reply, done](const FlowResult& result) {
        engine->deleteLater();
        LifecycleResult r = fromFlow(result);
        r.status = reply->status;
        r.body = reply->body;
        if (r.ok()) {
            r.active = result.value(QStringLiteral("active")).value_or(CapturedValue()).value == QLatin1String("true");
        }
        done(r);
    });
    engine->runStep(0, {{known.name, known}});
}

void TokenLifecycle::introspect(Which which, Callback callback)
{
    QPointer<TokenLifecycle> self(this);
    withEndpoint(kIntrospectionUrl, std::move(callback), [self, which](const QUrl& url, Callback done) {
        if (which == Which::RefreshToken) {
            self->m_session->loadRefreshToken([self, url, done](const QString& token) {
                if (!self) {
                    return;
                }
                if (token.isEmpty()) {
                    LifecycleResult r;
                    r.outcome = LifecycleResult::Outcome::NoToken;
                    r.detail = Text::tr("There is no refresh token to introspect: sign in first.");
                    done(r);
                    return;
                }
                self->send(QStringLiteral("introspect"), url, kRefreshToken, token, done);
            });
            return;
        }
        self->m_session->ensureToken([self, url, done](const FlowResult& flow) {
            if (!self || !self->m_session) {
                return;
            }
            if (!flow.ok()) {
                LifecycleResult r = fromFlow(flow);
                if (r.outcome != LifecycleResult::Outcome::Network) {
                    r.outcome = LifecycleResult::Outcome::AuthFailed;
                }
                done(r);
                return;
            }
            const auto token = self->m_session->accessToken();
            self->send(QStringLiteral("introspect"),
                       url,
                       self->m_session->profile().token.capture,
                       token ? token->value : QString(),
                       done);
        });
    });
}

void TokenLifecycle::revoke(Which which, Callback callback)
{
    QPointer<TokenLifecycle> self(this);
    withEndpoint(kRevocationUrl, std::move(callback), [self, which](const QUrl& url, Callback done) {
        auto job = std::make_shared<Job>();
        job->url = url;
        job->done = std::move(done);
        auto withRefresh = [self, job, which](const QString& refreshToken) {
            if (!self || !self->m_session) {
                return;
            }
            if (!refreshToken.isEmpty() && which != Which::AccessToken) {
                job->tokens.append({kRefreshToken, refreshToken});
            }
            const auto access = self->m_session->accessToken();
            if (access && !access->value.isEmpty() && which != Which::RefreshToken) {
                job->tokens.append({access->name, access->value});
            }
            if (job->tokens.isEmpty()) {
                job->result.outcome = LifecycleResult::Outcome::NoToken;
                job->result.detail = Text::tr("There is no token to revoke: no refresh token is stored and no "
                                              "access token is in use.");
                job->done(job->result);
                return;
            }
            self->revokeNext(job);
        };
        if (which == Which::AccessToken) {
            withRefresh(QString());
        } else {
            self->m_session->loadRefreshToken(withRefresh);
        }
    });
}

void TokenLifecycle::revokeNext(std::shared_ptr<Job> job)
{
    if (!m_session) {
        return;
    }
    if (job->tokens.isEmpty()) {
        job->done(job->result);
        return;
    }
    const auto [name, value] = job->tokens.takeFirst();
    QPointer<TokenLifecycle> self(this);
    send(QStringLiteral("revoke"), job->url, name, value, [self, job, name](const LifecycleResult& r) {
        if (!self || !self->m_session) {
            return;
        }
        if (!r.ok()) {
            LifecycleResult failed = r;
            failed.revoked = job->result.revoked;
            job->done(failed);
            return;
        }
        job->result.status = r.status;
        job->result.body = r.body;
        job->result.revoked.append(name);
        self->m_session->forget(name);
        FlowEvent e;
        e.type = FlowEvent::Type::Revoked;
        e.stepId = QStringLiteral("revoke");
        e.name = name;
        self->m_session->announce(e);
        self->revokeNext(job);
    });
}

} // namespace keyway
