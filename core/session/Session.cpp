#include "core/session/Session.h"

#include "core/flow/TemplateResolver.h"
#include "core/http/Idempotency.h"
#include "core/http/RequestExecutor.h"
#include "core/session/RefreshTokenAges.h"
#include "core/util/Clock.h"
#include "core/util/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QLockFile>
#include <QStandardPaths>
#include <QTimer>

namespace keyway {

namespace {

constexpr int kLockPollMs = 25;
constexpr int kLockAttempts = 30'000 / kLockPollMs;

// The caller's sink behind one gate: a refusal that will be renewed and retried is never streamed (its
// body is judged and dropped; only the retry's body reaches the caller).
class RenewalAwareSink : public ReplyBodySink
{
public:
    RenewalAwareSink(std::shared_ptr<ReplyBodySink> inner, QList<int> reauthStatuses, bool retried)
        : m_inner(std::move(inner)), m_reauthStatuses(std::move(reauthStatuses)), m_retried(retried)
    {
    }
    bool begin(int status, const QByteArray& reason, const HeaderList& headers) override
    {
        return (m_retried || !m_reauthStatuses.contains(status)) && m_inner->begin(status, reason, headers);
    }
    bool write(const QByteArray& bytes) override { return m_inner->write(bytes); }
    void finish() override { m_inner->finish(); }

private:
    std::shared_ptr<ReplyBodySink> m_inner;
    QList<int> m_reauthStatuses;
    bool m_retried;
};

} // namespace

struct Session::CallState
{
    ApiRequest request;
    QByteArray idempotencyHeader;
    QByteArray idempotencyKey; // kept for the retry of the same request
    bool retried = false;
    CallCallback done;
    QPointer<RequestExecutor> via; // the caller's executor for the request itself, if any
};

RefreshTokenStore
RefreshTokenStore::inKeychain(SecretStore* store, const QString& key, std::function<void(const SecretResult&)> written)
{
    RefreshTokenStore keychain;
    QPointer<SecretStore> guarded(store);
    keychain.load = [guarded, key](std::function<void(const QString&)> done) {
        if (!guarded) {
            done(QString());
            return;
        }
        guarded->read(key, [done](const SecretResult& r) { done(r.ok() ? r.value : QString()); });
    };
    keychain.save = [guarded, key, written](const QString& token) {
        if (!guarded) {
            return;
        }
        guarded->write(key, token, [key, written](const SecretResult& r) {
            if (!r.ok()) {
                qCWarning(lcAuth) << "refresh token not kept in the keychain:" << SecretStore::statusName(r.status)
                                  << key;
            }
            if (written) {
                written(r);
            }
        });
    };
    keychain.remove = [guarded, key]() {
        if (guarded) {
            guarded->remove(key, [key](const SecretResult& r) {
                if (!r.ok() && r.status != SecretStatus::Missing) {
                    qCWarning(lcAuth) << "revoked refresh token not deleted from the keychain:"
                                      << SecretStore::statusName(r.status) << key;
                }
            });
        }
    };
    return keychain;
}

QString ApiResult::oneLine() const
{
    QString what = verdict.detail;
    if (what.isEmpty()) {
        what = outcome == Outcome::AuthFailed ? auth.detail : response.errorText;
    }
    const QString why = outcome == Outcome::AuthFailed ? auth.hint : hint;
    return why.isEmpty() ? what : what + QStringLiteral(" — ") + why;
}

Session::Session(const ProviderProfile& profile, SessionOptions options, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    , m_options(std::move(options))
    , m_executor(RequestExecutor::forCurrentThread())
{
    for (const CredentialField& field : profile.fields) {
        if (field.secret) {
            m_redactor.addSecret(m_options.flow.credentials.value(field.key), field.bareKey);
        }
    }
    if (profile.token.header.compare(QLatin1String("Authorization"), Qt::CaseInsensitive) != 0) {
        m_redactor.addCredentialHeader(profile.token.header.toLatin1(), profile.token.capture);
    }
}

Session::~Session() = default;

bool Session::tokenUsable(qint64 nowMs) const
{
    if (!m_token || m_token->value.isEmpty()) {
        return false;
    }
    if (m_token->expiresMs <= 0) {
        return true; // no known expiry: used until the provider refuses it
    }
    // Renew shortly before expiry: 30 s, or 10% of a short lifetime (a 10-second sandbox token).
    const qint64 margin = std::min(m_options.renewMarginMs, m_token->lifetimeMs() / 10);
    return nowMs < m_token->expiresMs - margin;
}

void Session::ensureToken(AuthCallback done)
{
    const qint64 now = Clock::currentMSecsSinceEpoch();
    if (!m_renewing && tokenUsable(now)) {
        FlowResult ok;
        ok.values = m_values;
        done(ok);
        return;
    }
    if (m_token && m_token->isExpiredAt(now) && !m_expiredAnnounced) {
        m_expiredAnnounced = true;
        FlowEvent e;
        e.type = FlowEvent::Type::Expired;
        e.name = m_token->name;
        e.issuedMs = m_token->issuedMs;
        e.expiresMs = m_token->expiresMs;
        Q_EMIT event(e);
    }
    m_waiters.append(std::move(done));
    if (!m_renewing) {
        startRenewal(false);
    }
}

void Session::authenticate(AuthCallback done)
{
    m_waiters.append(std::move(done));
    if (!m_renewing) {
        startRenewal(true);
    }
}

void Session::startRenewal(bool full)
{
    m_renewing = true;
    if (full || !m_profile.refresh) {
        runFullFlow();
        return;
    }
    // The refresh token may have been rotated by another process: read it under the lock.
    acquireLockThen(
        [this](bool locked) {
            if (!locked) {
                qCWarning(lcAuth) << "refresh lock not acquired; running the full flow";
                runFullFlow();
                return;
            }
            auto proceed = [this](const QString& stored) {
                const QString token = stored.isEmpty() ? m_refreshToken : stored;
                if (token.isEmpty()) {
                    releaseLock();
                    runFullFlow();
                } else {
                    runRefreshFlow(token);
                }
            };
            if (m_options.refreshStore.load) {
                QPointer<Session> self(this);
                m_options.refreshStore.load([self, proceed](const QString& stored) {
                    if (self) {
                        proceed(stored);
                    }
                });
            } else {
                proceed(QString());
            }
        },
        kLockAttempts);
}

void Session::acquireLockThen(std::function<void(bool)> next, int attemptsLeft)
{
    if (!m_lock) {
        QString dir = m_options.lockDirectory;
        if (dir.isEmpty()) {
            dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
        }
        if (dir.isEmpty()) {
            dir = QDir::tempPath();
        }
        QString id = m_options.environmentId.isEmpty() ? m_profile.id : m_options.environmentId;
        id.replace(QLatin1Char('/'), QLatin1Char('_'));
        m_lock = std::make_unique<QLockFile>(dir + QStringLiteral("/keyway-refresh-") + id + QStringLiteral(".lock"));
        m_lock->setStaleLockTime(60'000);
    }
    if (m_lock->tryLock(0)) {
        next(true);
        return;
    }
    if (attemptsLeft <= 0) {
        next(false);
        return;
    }
    // Poll instead of blocking so the event loop (and other sessions) keep running.
    QTimer::singleShot(kLockPollMs, this, [this, next = std::move(next), attemptsLeft]() mutable {
        acquireLockThen(std::move(next), attemptsLeft - 1);
    });
}

void Session::releaseLock()
{
    if (m_lock && m_lock->isLocked()) {
        m_lock->unlock();
    }
}

FlowEngine* Session::newEngine()
{
    auto* engine = new FlowEngine(m_profile, m_options.flow, this);
    engine->setExecutor(m_executor);
    connect(engine, &FlowEngine::event, this, &Session::event);
    ++m_flowsStarted;
    return engine;
}

bool Session::isWaitingForBrowser() const
{
    return m_fullFlow && m_fullFlow->isWaitingForBrowser();
}

QString Session::submitRedirectUrl(const QUrl& url)
{
    if (!m_fullFlow) {
        return FlowEngine::tr("No sign-in is waiting for a redirect.");
    }
    return m_fullFlow->submitRedirectUrl(url);
}

void Session::cancelSignIn()
{
    if (m_fullFlow) {
        m_fullFlow->cancel();
    }
}

void Session::runFullFlow()
{
    FlowEngine* engine = newEngine();
    m_fullFlow = engine;
    connect(engine, &FlowEngine::finished, this, [this, engine](const FlowResult& result) {
        engine->deleteLater();
        m_redactor.merge(engine->redactor());
        onFlowFinished(result, false);
    });
    engine->runFullFlow();
}

void Session::runRefreshFlow(const QString& refreshToken)
{
    FlowEngine* engine = newEngine();
    connect(engine, &FlowEngine::finished, this, [this, engine](const FlowResult& result) {
        engine->deleteLater();
        m_redactor.merge(engine->redactor());
        onFlowFinished(result, true);
    });
    engine->runRefresh(refreshToken);
}

void Session::onFlowFinished(const FlowResult& result, bool wasRefresh)
{
    const QString refreshName = QStringLiteral("refresh_token");
    if (result.ok() && m_profile.refresh) {
        if (const auto newRefresh = result.value(refreshName)) {
            // Adopted at once: a server that rotates treats reuse of the old one as theft.
            m_refreshToken = newRefresh->value;
            if (m_options.refreshStore.save) {
                m_options.refreshStore.save(m_refreshToken);
                recordRefreshIssued();
            }
        }
    }
    if (wasRefresh) {
        releaseLock();
        if (!result.ok() && result.outcome == FlowResult::Outcome::Refused) {
            // The refresh token was refused (revoked, rotated elsewhere, expired): sign in again.
            m_refreshToken.clear();
            runFullFlow();
            return;
        }
    }
    completeRenewal(result);
}

void Session::recordRefreshIssued()
{
    if (!m_options.refreshAgesKey.isEmpty()) {
        RefreshTokenAges().recordIssued(m_options.refreshAgesKey, Clock::currentMSecsSinceEpoch());
    }
}

void Session::completeRenewal(const FlowResult& result)
{
    if (result.ok()) {
        for (auto it = result.values.cbegin(); it != result.values.cend(); ++it) {
            m_values.insert(it.key(), it.value());
        }
        m_token = result.value(m_profile.token.capture);
        m_expiredAnnounced = false;
    }
    m_renewing = false;
    FlowResult shared = result;
    shared.values = m_values;
    const QList<AuthCallback> waiters = std::exchange(m_waiters, {});
    for (const AuthCallback& waiter : waiters) {
        waiter(shared);
    }
}

void Session::adopt(const QMap<QString, CapturedValue>& values)
{
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        m_values.insert(it.key(), it.value());
    }
    if (const auto token = values.find(m_profile.token.capture); token != values.cend()) {
        m_token = *token;
        m_expiredAnnounced = false;
    }
    const auto refresh = values.find(QStringLiteral("refresh_token"));
    if (refresh != values.cend() && m_profile.refresh && !refresh->value.isEmpty()) {
        m_refreshToken = refresh->value;
        if (m_options.refreshStore.save) {
            m_options.refreshStore.save(m_refreshToken);
            recordRefreshIssued();
        }
    }
    for (const CapturedValue& value : values) {
        if (value.secret) {
            m_redactor.addSecret(value.value, value.name);
        }
    }
}

void Session::loadRefreshToken(std::function<void(const QString&)> done)
{
    if (!m_refreshToken.isEmpty() || !m_options.refreshStore.load) {
        done(m_refreshToken);
        return;
    }
    QPointer<Session> self(this);
    m_options.refreshStore.load([self, done](const QString& stored) {
        if (self) {
            if (!stored.isEmpty()) {
                self->m_redactor.addSecret(stored, QStringLiteral("refresh_token"));
            }
            done(stored);
        }
    });
}

void Session::forget(const QString& name)
{
    if (name == QLatin1String("refresh_token")) {
        m_refreshToken.clear();
        m_values.remove(name);
        if (m_options.refreshStore.remove) {
            m_options.refreshStore.remove();
        }
        return;
    }
    m_values.remove(name);
    if (m_token && m_token->name == name) {
        m_token.reset();
    }
}

void Session::call(const ApiRequest& request, CallCallback done, RequestExecutor* via)
{
    auto state = std::make_shared<CallState>();
    state->via = via;
    state->request = request;
    state->request.method = request.method.toUpper();
    state->done = std::move(done);
    state->idempotencyHeader = idempotencyHeaderFor(m_profile.idempotency, state->request.method, request.path);
    if (!state->idempotencyHeader.isEmpty()) {
        const QByteArray given = headerValue(request.headers, state->idempotencyHeader);
        state->idempotencyKey = given.isEmpty() ? newIdempotencyKey() : given;
    }
    const QUrl url = TemplateResolver::resolveUrl(m_options.flow.baseUrl, request.path);
    const QUrl base(m_options.flow.baseUrl);
    if (!url.isValid() || originOf(url) != originOf(base)) {
        ApiResult result;
        result.outcome = ApiResult::Outcome::Invalid;
        result.verdict.detail
            = tr("%1 is not on this environment's origin (%2)").arg(url.toDisplayString(), originOf(base));
        result.hint = tr("Tokens of an environment are only ever sent to its own base URL.");
        state->done(result);
        return;
    }
    QPointer<Session> self(this);
    ensureToken([self, state](const FlowResult& auth) {
        if (!self) {
            return;
        }
        if (!auth.ok()) {
            ApiResult result;
            result.outcome = ApiResult::Outcome::AuthFailed;
            result.auth = auth;
            state->done(result);
            return;
        }
        self->sendCall(state);
    });
}

HttpRequest Session::apiHttpRequest(const ProviderProfile& profile,
                                    const QString& baseUrl,
                                    const ApiRequest& api,
                                    const QString& token)
{
    HttpRequest request;
    request.method = api.method.toLatin1();
    request.url = TemplateResolver::resolveUrl(baseUrl, api.path);
    request.headers = api.headers;
    request.body = api.body;
    const QByteArray tokenHeader = profile.token.header.toLatin1();
    setHeader(request.headers, tokenHeader, (profile.token.prefix + token).toUtf8());
    request.credentialHeaders.append(tokenHeader);
    if (!request.body.isEmpty() && headerValue(request.headers, QByteArrayLiteral("Content-Type")).isEmpty()) {
        const QByteArray trimmed = request.body.trimmed();
        const bool json = trimmed.startsWith('{') || trimmed.startsWith('[');
        request.headers.append(
            {QByteArrayLiteral("Content-Type"),
             json ? QByteArrayLiteral("application/json") : QByteArrayLiteral("application/x-www-form-urlencoded")});
    }
    if (headerValue(request.headers, QByteArrayLiteral("Accept")).isEmpty()) {
        request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    }
    return request;
}

void Session::sendCall(std::shared_ptr<CallState> state)
{
    const QString token = m_token ? m_token->value : QString();
    HttpRequest request = apiHttpRequest(m_profile, m_options.flow.baseUrl, state->request, token);
    request.connection = m_options.flow.connection;
    if (!state->idempotencyHeader.isEmpty()) {
        setHeader(request.headers, state->idempotencyHeader, state->idempotencyKey);
    }
    if (state->request.bodySink) {
        request.bodySink
            = std::make_shared<RenewalAwareSink>(state->request.bodySink, m_profile.reauthStatuses, state->retried);
    }

    Q_EMIT event(FlowEvent::request(QStringLiteral("api"), request, m_redactor));

    QPointer<Session> self(this);
    RequestExecutor* executor = state->via ? state->via.data() : m_executor;
    executor->send(request, [self, state, token](const HttpResponse& response) {
        if (self) {
            self->onCallReply(state, token, response);
        }
    });
}

bool Session::isReauthReply(const HttpResponse& response) const
{
    if (m_profile.reauthStatuses.contains(response.status)) {
        return true;
    }
    // A streamed body is megabytes of data, never a refusal envelope (and was not kept whole to read one).
    if (m_profile.reauthCodes.isEmpty() || response.streamedBytes >= 0) {
        return false;
    }
    const auto doc = ReplyJudge::parseJson(response.body);
    if (!doc || !doc->is_object()) {
        return false;
    }
    // The profile loader insists on apiSuccess.codePointer whenever reauth codes are declared.
    const auto code = ReplyJudge::textAt(*doc, m_profile.apiSuccess.codePointer);
    return code && m_profile.reauthCodes.contains(*code);
}

void Session::onCallReply(std::shared_ptr<CallState> state, const QString& tokenUsed, const HttpResponse& response)
{
    ApiResult result;
    result.response = response;
    result.renewed = state->retried;
    if (response.error == HttpResponse::Error::TooLarge || response.error == HttpResponse::Error::Redirect) {
        // The provider answered, with something Keyway refuses to use: not "unreachable".
        result.outcome = ApiResult::Outcome::Refused;
        result.verdict.detail = response.errorText;
        result.hint = tr("Keyway refused this reply; check the request's path and the environment's base URL.");
        state->done(result);
        return;
    }
    if (!response.transportOk()) {
        result.outcome = ApiResult::Outcome::Network;
        result.verdict.detail = response.errorText;
        const bool saysWhatToDo = response.failure == HttpResponse::Failure::Tls
            || response.failure == HttpResponse::Failure::ProxyAuth
            || response.failure == HttpResponse::Failure::ProxyRefused
            || response.failure == HttpResponse::Failure::Settings;
        if (!saysWhatToDo) {
            result.hint = tr("No reply from the provider: check the base URL and the network.");
        }
        state->done(result);
        return;
    }
    Q_EMIT event(FlowEvent::response(QStringLiteral("api"), response, m_redactor));

    if (isReauthReply(response) && !state->retried) {
        // Renew exactly once and retry once. Only the first refusal of a token drops it: concurrent
        // calls refused with the same token then wait for that single renewal.
        state->retried = true;
        if (m_token && m_token->value == tokenUsed) {
            FlowEvent e;
            e.type = FlowEvent::Type::Expired;
            e.stepId = QStringLiteral("api");
            e.name = m_token->name;
            e.issuedMs = m_token->issuedMs;
            e.expiresMs = m_token->expiresMs;
            Q_EMIT event(e);
            m_token.reset();
        }
        QPointer<Session> self(this);
        ensureToken([self, state](const FlowResult& auth) {
            if (!self) {
                return;
            }
            if (!auth.ok()) {
                ApiResult failed;
                failed.outcome = ApiResult::Outcome::AuthFailed;
                failed.auth = auth;
                failed.renewed = true;
                state->done(failed);
                return;
            }
            self->sendCall(state);
        });
        return;
    }
    SuccessRule rule = m_profile.apiSuccess;
    if (response.streamedBytes >= 0) {
        // Only the first megabyte of a streamed body was kept: its status decides, not an envelope that
        // cannot be read from a part (error envelopes are small and are never streamed).
        rule.codePointer.clear();
        rule.nonEmpty.clear();
    }
    result.verdict = ReplyJudge::judge(rule, response.status, response.body);
    if (result.verdict.ok) {
        result.outcome = ApiResult::Outcome::Success;
    } else {
        result.outcome = ApiResult::Outcome::Refused;
        result.hint = ReplyJudge::hintFor(m_profile, QStringLiteral("api"), result.verdict);
    }
    state->done(result);
}

} // namespace keyway
