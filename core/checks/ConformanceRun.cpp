#include "core/checks/ConformanceRun.h"

#include "core/checks/SignInPageProbe.h"
#include "core/flow/TemplateResolver.h"
#include "core/http/RequestExecutor.h"
#include "core/session/TokenLifecycle.h"
#include "core/util/Logging.h"

#include <QCoreApplication>
#include <QPointer>
#include <QUrlQuery>

#include <memory>

namespace keyway {

namespace {

const QString promptLogin = QStringLiteral("prompt_login");
const QString stateCheck = QStringLiteral("state");
const QString exchange = QStringLiteral("exchange");
const QString userIdStable = QStringLiteral("user_id_stable");
const QString refreshKeepsOldToken = QStringLiteral("refresh_keeps_old_token");
const QString concurrentRefresh = QStringLiteral("concurrent_refresh");
const QString refreshReusable = QStringLiteral("refresh_reusable");
// Capability checks, run only when the environment has the endpoint they need (beside the seven above).
const QString revocation = QStringLiteral("revocation");
const QString idTokenCheck = QStringLiteral("id_token");

// OpenID Connect Discovery requires id_token_signing_alg_values_supported; response types naming id_token say
// the same of an RFC 8414 document.
bool advertisesIdTokens(const QString& documentText)
{
    const auto doc = nlohmann::json::parse(documentText.toStdString(), nullptr, false);
    if (!doc.is_object()) {
        return false;
    }
    if (doc.contains("id_token_signing_alg_values_supported")) {
        return true;
    }
    if (doc.contains("response_types_supported") && doc.at("response_types_supported").is_array()) {
        for (const auto& type : doc.at("response_types_supported")) {
            if (type.is_string() && type.get<std::string>().find("id_token") != std::string::npos) {
                return true;
            }
        }
    }
    return false;
}

bool is2xx(const HttpResponse& response)
{
    return response.transportOk() && response.status >= 200 && response.status < 300;
}

} // namespace

QStringList ConformanceRun::capabilityCheckNames()
{
    return {revocation, idTokenCheck};
}

QStringList ConformanceRun::checkNames()
{
    return {promptLogin, stateCheck, exchange, userIdStable, refreshKeepsOldToken, concurrentRefresh, refreshReusable};
}

namespace {
// The first step that talks to the user's sign-in: discovery steps before it only read the issuer's metadata.
const FlowStep* firstSignInStep(const ProviderProfile& profile)
{
    for (const FlowStep& step : profile.steps) {
        if (step.kind != StepKind::Discovery) {
            return &step;
        }
    }
    return nullptr;
}
} // namespace

bool ConformanceRun::appliesTo(const ProviderProfile& profile)
{
    const FlowStep* first = firstSignInStep(profile);
    return first && first->kind == StepKind::Browser && profile.refresh.has_value();
}

QString ConformanceRun::notApplicableReason(const ProviderProfile& profile, const QString& environmentName)
{
    return tr("“%1” uses %2, which does not sign in through a browser with refresh tokens. The provider checks "
              "apply to authorization-code providers that issue refresh tokens.")
        .arg(environmentName, profile.name);
}

ConformanceRun::Probe ConformanceRun::probeFor(const ProviderProfile& profile, const FlowOptions& flow)
{
    Probe probe;
    if (!profile.check) {
        return probe;
    }
    probe.method = profile.check->method;
    const TemplateResolver resolver(profile, flow.credentials, flow.credentialSet);
    for (const QString& name : TemplateResolver::names(profile.check->path)) {
        if (resolver.value(name).trimmed().isEmpty()) {
            probe.missingKeys.append(name);
        }
    }
    probe.missingKeys.sort();
    if (probe.missingKeys.isEmpty()) {
        probe.path = resolver.resolve(profile.check->path).trimmed();
    }
    return probe;
}

ConformanceRun::ConformanceRun(const ProviderProfile& profile, Options options, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    , m_options(std::move(options))
    , m_executor(RequestExecutor::forCurrentThread())
{
    // Every sign-in conform starts asks for a fresh login (seed 003: prompt=login must force it).
    m_options.flow.authorizeOverrides.insert(QStringLiteral("prompt"), QStringLiteral("login"));
}

void ConformanceRun::start()
{
    stageSignInA();
}

// --- building blocks -------------------------------------------------------------------------------

void ConformanceRun::signIn(bool probePromptLogin, std::function<void(const FlowResult&, bool)> done)
{
    FlowOptions options = m_options.flow;
    if (probePromptLogin) {
        const UrlOpener realOpener = options.openUrl;
        options.openUrl = [this, realOpener](const QUrl& url) {
            const QUrl redirectUri(QUrlQuery(url).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
            auto* probe = new SignInPageProbe(this);
            probe->setConnection(m_options.flow.connection);
            probe->probe(url, redirectUri, [this, probe, realOpener, url](const SignInPageProbe::Result& r) {
                probe->deleteLater();
                if (m_promptLoginReported) {
                    return; // the sign-in ended first (cancelled): reported as not run already
                }
                m_promptLoginPass = r.outcome == SignInPageProbe::Outcome::SignInPage;
                m_promptLoginDetail = r.detail;
                report(promptLogin, m_promptLoginPass, r.detail);
                m_promptLoginReported = true;
                // Now the real browser (or the printed URL) does the sign-in; when it does not open, the sign-in
                // keeps waiting with its URL shown, like any other.
                const bool opened = realOpener && realOpener(url);
                if (!opened) {
                    qCWarning(lcChecks) << "The browser could not be opened for the sign-in";
                }
                if (m_signIn) {
                    m_signIn->setBrowserOpened(opened);
                }
            });
            return true;
        };
    }
    auto* engine = new FlowEngine(m_profile, options, this);
    m_signIn = engine;
    auto sawExpiresIn = std::make_shared<bool>(false);
    connect(engine, &FlowEngine::event, this, [this, sawExpiresIn](const FlowEvent& e) {
        // expires_in is not secret, so it survives redaction in the token step's reply.
        if (e.type == FlowEvent::Type::Response && e.body.contains(QLatin1String("\"expires_in\""))) {
            *sawExpiresIn = true;
        }
        if (e.type == FlowEvent::Type::Response && e.stepId == QLatin1String("discovery") && e.status == 200) {
            m_advertisesIdToken = advertisesIdTokens(e.body);
        }
        if (e.type == FlowEvent::Type::Captured && e.name == QLatin1String("id_token") && !m_idTokenVerified) {
            m_idTokenVerified = e.verified.value_or(false);
            m_idTokenKey = e.verifiedKey;
        }
        Q_EMIT event(e);
    });
    connect(engine, &FlowEngine::finished, this, [this, engine, sawExpiresIn, done](const FlowResult& result) {
        engine->deleteLater();
        m_signInTimedOut = m_signInTimedOut || result.outcome == FlowResult::Outcome::Timeout;
        done(result, *sawExpiresIn);
    });
    engine->runFullFlow();
}

QString ConformanceRun::submitRedirectUrl(const QUrl& url)
{
    if (!m_signIn) {
        return FlowEngine::tr("No sign-in is waiting for a redirect.");
    }
    return m_signIn->submitRedirectUrl(url);
}

void ConformanceRun::cancelSignIn()
{
    if (m_signIn) {
        m_signIn->cancel();
    }
}

bool ConformanceRun::isWaitingForBrowser() const
{
    return m_signIn && m_signIn->isWaitingForBrowser();
}

void ConformanceRun::refresh(const QString& refreshToken, std::function<void(const FlowResult&)> done)
{
    auto* engine = new FlowEngine(m_profile, m_options.flow, this);
    connect(engine, &FlowEngine::event, this, &ConformanceRun::event);
    connect(engine, &FlowEngine::finished, this, [engine, done](const FlowResult& result) {
        engine->deleteLater();
        done(result);
    });
    engine->runRefresh(refreshToken);
}

void ConformanceRun::probe(const QString& accessToken, std::function<void(const HttpResponse&)> done)
{
    const Probe target = probeFor(m_profile, m_options.flow);
    HttpRequest request;
    request.method = target.method.toLatin1();
    request.url = TemplateResolver::resolveUrl(m_options.flow.baseUrl, target.path);
    request.connection = m_options.flow.connection;
    const QByteArray header = m_profile.token.header.toUtf8();
    setHeader(request.headers, header, (m_profile.token.prefix + accessToken).toUtf8());
    setHeader(request.headers, QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    request.credentialHeaders.append(header);
    // The GUI cancels a run by deleting it; a probe answered afterwards must not reach a dead run.
    const QPointer<ConformanceRun> self(this);
    m_executor->send(request, [self, done = std::move(done)](const HttpResponse& response) {
        if (self) {
            done(response);
        }
    });
}

ConformanceRun::Grant ConformanceRun::grantOf(const FlowResult& result)
{
    Grant grant;
    if (const auto v = result.value(QStringLiteral("access_token"))) {
        grant.accessToken = v->value;
    }
    if (const auto v = result.value(QStringLiteral("refresh_token"))) {
        grant.refreshToken = v->value;
    }
    if (const auto v = result.value(QStringLiteral("user_id"))) {
        grant.userId = v->value;
    }
    return grant;
}

QString ConformanceRun::describe(const FlowResult& result)
{
    return result.oneLine();
}

QString ConformanceRun::describe(const HttpResponse& response)
{
    if (!response.transportOk()) {
        return response.errorText;
    }
    return tr("HTTP %1").arg(response.status);
}

void ConformanceRun::report(const QString& name, bool pass, const QString& detail)
{
    Check check {name, pass, detail};
    m_results.append(check);
    qCInfo(lcChecks) << name << (pass ? "pass" : "fail");
    Q_EMIT checkFinished(check);
}

void ConformanceRun::reportNotRun(const QStringList& names, const QString& reason)
{
    for (const QString& name : names) {
        report(name, false, tr("cannot run: %1").arg(reason));
    }
}

void ConformanceRun::reportSkipped(const QStringList& names, const QString& reason)
{
    for (const QString& name : names) {
        Check check {name, false, tr("not run: %1").arg(reason), true};
        m_results.append(check);
        qCInfo(lcChecks) << name << "not run";
        Q_EMIT checkFinished(check);
    }
}

QStringList ConformanceRun::unreported() const
{
    QStringList names = checkNames();
    for (const Check& check : m_results) {
        names.removeAll(check.name);
    }
    return names;
}

void ConformanceRun::finishRun()
{
    bool all = unreported().isEmpty();
    for (const auto& check : std::as_const(m_results)) {
        all = all && check.pass;
    }
    Q_EMIT finished(all);
}

// --- stages ----------------------------------------------------------------------------------------

void ConformanceRun::stageSignInA()
{
    signIn(true, [this](const FlowResult& result, bool sawExpiresIn) {
        if (result.isLocalProblem()) {
            // Nothing reached the provider's verdict: no check may pass or fail on it.
            reportSkipped(unreported(), tr("the first sign-in did not finish: %1").arg(describe(result)));
            m_promptLoginReported = true;
            finishRun();
            return;
        }
        if (!m_promptLoginReported) {
            report(
                promptLogin, false, tr("cannot run: the sign-in did not reach the browser: %1").arg(describe(result)));
            m_promptLoginReported = true;
        }
        const QStringList afterExchange = {userIdStable, refreshKeepsOldToken, concurrentRefresh, refreshReusable};
        if (result.outcome == FlowResult::Outcome::StateMismatch) {
            report(stateCheck, false, tr("the redirect carried a different state; its code was not exchanged"));
            reportNotRun(QStringList {exchange} + afterExchange, tr("the first sign-in ended with a state mismatch"));
            finishRun();
            return;
        }
        const FlowStep* signIn = firstSignInStep(m_profile);
        const bool browserStepFailed = !result.ok() && signIn && result.stepId == signIn->id;
        if (browserStepFailed) {
            report(stateCheck, false, tr("cannot run: the sign-in failed: %1").arg(describe(result)));
            reportNotRun(QStringList {exchange} + afterExchange, tr("the first sign-in failed"));
            finishRun();
            return;
        }
        report(stateCheck, true, tr("the provider returned the state unchanged and Keyway verified it"));
        reportIdToken(result);
        if (!result.ok()) {
            report(exchange, false, tr("the code exchange failed: %1").arg(describe(result)));
            reportNotRun(afterExchange, tr("the code exchange failed"));
            finishRun();
            return;
        }
        m_a = grantOf(result);
        QStringList missing;
        if (m_a.accessToken.isEmpty()) {
            missing.append(QStringLiteral("access_token"));
        }
        if (m_a.refreshToken.isEmpty()) {
            missing.append(QStringLiteral("refresh_token"));
        }
        if (!sawExpiresIn) {
            missing.append(QStringLiteral("expires_in"));
        }
        if (m_a.userId.isEmpty()) {
            missing.append(QStringLiteral("user_id"));
        }
        report(exchange,
               missing.isEmpty(),
               missing.isEmpty() ? tr("the token reply carries access_token, refresh_token, expires_in and user_id")
                                 : tr("the token reply lacks %1").arg(missing.join(QStringLiteral(", "))));
        stageSignInB();
    });
}

void ConformanceRun::reportIdToken(const FlowResult& result)
{
    if (!m_advertisesIdToken) {
        return;
    }
    if (!result.ok()) {
        report(idTokenCheck, false, tr("the code exchange failed: %1").arg(describe(result)));
        return;
    }
    if (!m_idTokenVerified) {
        const QString scope = TemplateResolver(m_profile, m_options.flow.credentials, m_options.flow.credentialSet)
                                  .value(QStringLiteral("scope"));
        report(idTokenCheck,
               false,
               scope.split(QLatin1Char(' '), Qt::SkipEmptyParts).contains(QStringLiteral("openid"))
                   ? tr("the provider advertises ID tokens, but the token reply has none")
                   : tr("cannot run: the provider advertises ID tokens; add openid to scope to test them"));
        return;
    }
    if (!*m_idTokenVerified) {
        report(idTokenCheck, false, tr("the ID token could not be checked: the issuer's keys are unknown"));
    } else if (m_idTokenKey.isEmpty()) {
        report(idTokenCheck, true, tr("the ID token's signature, iss, aud, exp, iat and nonce validated"));
    } else {
        report(idTokenCheck,
               true,
               tr("the ID token's signature (key %1), iss, aud, exp, iat and nonce validated").arg(m_idTokenKey));
    }
}

void ConformanceRun::stageSignInB()
{
    signIn(false, [this](const FlowResult& result, bool) {
        if (result.isLocalProblem()) {
            reportSkipped({userIdStable}, tr("the second sign-in did not finish: %1").arg(describe(result)));
            if (result.outcome == FlowResult::Outcome::Cancelled) {
                // Cancel stops the whole run: the user asked for it to end.
                reportSkipped(unreported(), tr("the checks were cancelled"));
                finishRun();
                return;
            }
        } else if (!result.ok()) {
            report(userIdStable, false, tr("cannot run: the second sign-in failed: %1").arg(describe(result)));
        } else {
            m_b = grantOf(result);
            if (m_a.userId.isEmpty() || m_b.userId.isEmpty()) {
                report(userIdStable, false, tr("cannot run: a token reply has no user_id (nor an ID token with sub)"));
            } else if (m_a.userId != m_b.userId) {
                // user_id is an account identifier, not a secret: showing both helps the provider fix it.
                report(userIdStable,
                       false,
                       tr("user_id changed between two sign-ins of the same account: \"%1\" then \"%2\"")
                           .arg(m_a.userId, m_b.userId));
            } else {
                report(userIdStable, true, tr("the same user_id \"%1\" on both sign-ins").arg(m_a.userId));
            }
        }
        stageRefreshKeepsOldToken();
    });
}

void ConformanceRun::stageRefreshKeepsOldToken()
{
    Grant& grant = m_b.refreshToken.isEmpty() ? m_a : m_b;
    if (grant.refreshToken.isEmpty()) {
        report(refreshKeepsOldToken, false, tr("cannot run: no refresh token to test with"));
        stageConcurrentRefresh();
        return;
    }
    if (const Probe target = probeFor(m_profile, m_options.flow); target.path.isEmpty()) {
        report(refreshKeepsOldToken,
               false,
               target.missingKeys.isEmpty()
                   ? tr("cannot run: the provider's profile has no check request to call the API with")
                   : tr("cannot run: set %1 to an API call that needs the token")
                         .arg(target.missingKeys.join(QStringLiteral(", "))));
        stageConcurrentRefresh();
        return;
    }
    const QString oldAccess = grant.accessToken;
    refresh(grant.refreshToken, [this, &grant, oldAccess](const FlowResult& result) {
        if (!result.ok()) {
            report(refreshKeepsOldToken, false, tr("the refresh failed: %1").arg(describe(result)));
            stageConcurrentRefresh();
            return;
        }
        const Grant fresh = grantOf(result);
        if (!fresh.refreshToken.isEmpty()) {
            grant.refreshToken = fresh.refreshToken; // rotated: adopt at once, never send the old one again
        }
        grant.accessToken = fresh.accessToken;
        if (fresh.accessToken.isEmpty() || fresh.accessToken == oldAccess) {
            report(refreshKeepsOldToken, false, tr("the refresh did not issue a new access token"));
            stageConcurrentRefresh();
            return;
        }
        probe(oldAccess, [this, fresh](const HttpResponse& oldReply) {
            if (!is2xx(oldReply)) {
                report(refreshKeepsOldToken,
                       false,
                       tr("the previous, unexpired access token was refused after the refresh (%1)")
                           .arg(describe(oldReply)));
                stageConcurrentRefresh();
                return;
            }
            probe(fresh.accessToken, [this](const HttpResponse& newReply) {
                report(refreshKeepsOldToken,
                       is2xx(newReply),
                       is2xx(newReply) ? tr("a new access token was issued and the previous one still works")
                                       : tr("the new access token was refused (%1)").arg(describe(newReply)));
                stageConcurrentRefresh();
            });
        });
    });
}

void ConformanceRun::stageConcurrentRefresh()
{
    // Sign-in A's refresh token has not been used yet, so this check does not inherit the others' state.
    if (m_a.refreshToken.isEmpty()) {
        report(concurrentRefresh, false, tr("cannot run: no refresh token to test with"));
        stageRefreshReusable();
        return;
    }
    Q_EMIT warning(tr("concurrent_refresh sends two refreshes with the same refresh token at once; a server that "
                      "rotates refresh tokens may revoke the whole grant. Run conform against a test account."));
    struct Pair
    {
        int pending = 2;
        QList<FlowResult> results;
    };
    auto pair = std::make_shared<Pair>();
    const QString token = m_a.refreshToken;
    auto onOne = [this, pair](const FlowResult& result) {
        pair->results.append(result);
        if (--pair->pending > 0) {
            return;
        }
        QStringList failures;
        QString newest;
        for (const auto& r : std::as_const(pair->results)) {
            if (!r.ok()) {
                failures.append(describe(r));
            } else if (const auto v = r.value(QStringLiteral("refresh_token"))) {
                newest = v->value;
            }
        }
        if (!failures.isEmpty()) {
            report(concurrentRefresh,
                   false,
                   tr("%n of two concurrent refreshes failed: %1", nullptr, int(failures.size()))
                       .arg(failures.join(QStringLiteral("; "))));
            stageRefreshReusable();
            return;
        }
        if (!newest.isEmpty()) {
            m_a.refreshToken = newest;
        }
        // Both succeeded: the grant must still have a working refresh token afterwards.
        refresh(m_a.refreshToken, [this](const FlowResult& after) {
            if (const auto v = after.value(QStringLiteral("refresh_token")); after.ok() && v) {
                m_a.refreshToken = v->value;
            }
            report(concurrentRefresh,
                   after.ok(),
                   after.ok() ? tr("both concurrent refreshes succeeded and the refresh token still works")
                              : tr("both concurrent refreshes succeeded, but then the refresh token was refused: %1")
                                    .arg(describe(after)));
            stageRefreshReusable();
        });
    };
    refresh(token, onOne);
    refresh(token, onOne);
}

void ConformanceRun::stageRefreshReusable()
{
    Grant& grant = m_b.refreshToken.isEmpty() ? m_a : m_b;
    if (grant.refreshToken.isEmpty()) {
        report(refreshReusable, false, tr("cannot run: no refresh token to test with"));
        stageRevocation();
        return;
    }
    // Two refreshes in a row with the current refresh token (the newest, if the server rotated it).
    auto rotations = std::make_shared<int>(0);
    auto step = std::make_shared<std::function<void(int)>>();
    *step = [this, &grant, rotations, step](int remaining) {
        const QString used = grant.refreshToken;
        refresh(used, [this, &grant, rotations, step, remaining, used](const FlowResult& result) {
            if (!result.ok()) {
                report(refreshReusable,
                       false,
                       *rotations == 0 && remaining == 1
                           ? tr("the refresh token stopped working although the provider never rotated it: %1")
                                 .arg(describe(result))
                           : tr("the current refresh token was refused: %1").arg(describe(result)));
                stageRevocation();
                *step = nullptr; // break the self-reference
                return;
            }
            if (const auto v = result.value(QStringLiteral("refresh_token")); v && v->value != used) {
                grant.refreshToken = v->value;
                ++*rotations;
            }
            if (remaining > 1) {
                (*step)(remaining - 1);
                return;
            }
            report(refreshReusable,
                   true,
                   *rotations == 0 ? tr("the same refresh token worked for repeated refreshes")
                                   : tr("the refresh token kept working; the provider rotated it %n time(s) and "
                                        "Keyway used the newest",
                                        nullptr,
                                        *rotations));
            stageRevocation();
            *step = nullptr;
        });
    };
    (*step)(2);
}

void ConformanceRun::stageRevocation()
{
    // Explicit or advertised in the issuer's document; a provider with neither has no revocation check.
    TokenLifecycle::resolveEndpoint(
        m_profile, m_options.flow, QStringLiteral("revocation_url"), this, [this](const QUrl& url, const QString&) {
            if (url.isEmpty()) {
                finishRun();
                return;
            }
            revokeAndRefresh(url);
        });
}

void ConformanceRun::revokeAndRefresh(const QUrl& url)
{
    const QString token = !m_b.refreshToken.isEmpty() ? m_b.refreshToken : m_a.refreshToken;
    if (token.isEmpty()) {
        report(revocation, false, tr("cannot run: no refresh token to test with"));
        finishRun();
        return;
    }
    // A revoked refresh token must no longer refresh (RFC 7009 §2.1). Last, since it ends the grant.
    TokenLifecycle::sendRequest(
        m_profile,
        m_options.flow,
        this,
        QStringLiteral("revoke"),
        url,
        QStringLiteral("refresh_token"),
        token,
        [this](const FlowEvent& e) { Q_EMIT event(e); },
        [this, token](const LifecycleResult& revoked) {
            if (!revoked.ok()) {
                report(revocation,
                       false,
                       tr("the revocation endpoint did not accept the refresh token: %1").arg(revoked.detail));
                finishRun();
                return;
            }
            refresh(token, [this](const FlowResult& result) {
                if (result.ok()) {
                    report(revocation,
                           false,
                           tr("the revocation endpoint answered, but the revoked refresh token still refreshes"));
                } else if (result.outcome == FlowResult::Outcome::Refused) {
                    report(revocation,
                           true,
                           tr("the refresh token was revoked and a refresh with it was refused (%1)")
                               .arg(result.oauthError.isEmpty() ? result.detail : result.oauthError));
                } else {
                    report(revocation, false, tr("the refresh after the revocation failed: %1").arg(describe(result)));
                }
                finishRun();
            });
        });
}

} // namespace keyway
