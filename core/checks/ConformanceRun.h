#pragma once

#include "core/flow/FlowEngine.h"
#include "core/http/HttpMessage.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace keyway {

class RequestExecutor;

// The Seam-style checks of an authorization-code provider, in order. Names are a
// contract (README, "conform"): prompt_login, state, exchange, user_id_stable, refresh_keeps_old_token,
// concurrent_refresh, refresh_reusable. A check that cannot run because of the provider (no refresh token to
// test with) is reported as a fail with the reason; one that cannot run because of this machine (the sign-in
// was cancelled, timed out without a browser, or found no loopback port) is "not run", never a provider fail.
//
// Two sign-ins are used: sign-in A proves prompt_login, state and exchange and later serves the
// concurrent refresh (its refresh token is still unused then); sign-in B proves user_id_stable and
// serves the sequential refresh checks. So each misbehaviour fails its own check, not its neighbours.
class ConformanceRun : public QObject
{
    Q_OBJECT
public:
    struct Check
    {
        QString name;
        bool pass = false;
        QString detail;
        bool notRun = false; // a local problem kept it from running: neither pass nor a provider fail
    };

    struct Options
    {
        FlowOptions flow; // base URL, credentials, opener (prompt=login is always added)
    };

    // The API call the refresh checks make with each access token: the profile's check request,
    // resolved against the credentials. `path` is empty when the profile has none or when a key it
    // names is unset; `missingKeys` then lists those keys, so the user is told what to set.
    struct Probe
    {
        QString method;
        QString path;
        QStringList missingKeys;
    };
    static Probe probeFor(const ProviderProfile& profile, const FlowOptions& flow);

    static QStringList checkNames();
    // Checks of capabilities a provider advertises in its discovery document, reported only when it does and
    // under their own names beside the seven above: `revocation`, `id_token` (the ID token of a sign-in validates).
    static QStringList capabilityCheckNames();

    // Whether these checks mean anything for a provider: its first step is a browser sign-in and it
    // issues refresh tokens. Both faces ask here, and show notApplicableReason() when it does not.
    static bool appliesTo(const ProviderProfile& profile);
    static QString notApplicableReason(const ProviderProfile& profile, const QString& environmentName);

    ConformanceRun(const ProviderProfile& profile, Options options, QObject* parent = nullptr);

    void start();
    // The sign-in in progress, if any: a pasted redirect URL (see FlowEngine::submitRedirectUrl) and Cancel,
    // which ends the run with the remaining checks "not run".
    QString submitRedirectUrl(const QUrl& url);
    void cancelSignIn();
    bool isWaitingForBrowser() const;
    // Whether a sign-in ended because its redirect did not arrive in time (FlowOptions::browserTimeoutMs), so a
    // face can say how to give the person longer.
    bool signInTimedOut() const { return m_signInTimedOut; }

Q_SIGNALS:
    void event(const keyway::FlowEvent& event);
    void warning(const QString& text);
    void checkFinished(const keyway::ConformanceRun::Check& check);
    void finished(bool allPassed);

private:
    using Done = std::function<void()>;
    struct Grant
    {
        QString accessToken;
        QString refreshToken;
        QString userId;
    };

    void signIn(bool probePromptLogin, std::function<void(const FlowResult&, bool sawExpiresIn)> done);
    void refresh(const QString& refreshToken, std::function<void(const FlowResult&)> done);
    void probe(const QString& accessToken, std::function<void(const HttpResponse&)> done);

    void stageSignInA();
    // `id_token`, when discovery advertised ID tokens: whether the first sign-in's ID token validated.
    void reportIdToken(const FlowResult& result);
    void stageSignInB();
    void stageRefreshKeepsOldToken();
    void stageRefreshReusable();
    void stageRevocation();
    void revokeAndRefresh(const QUrl& url);
    void stageConcurrentRefresh();

    void report(const QString& name, bool pass, const QString& detail);
    void reportNotRun(const QStringList& names, const QString& reason);
    void reportSkipped(const QStringList& names, const QString& reason); // local problem: "not run"
    QStringList unreported() const;
    void finishRun();
    static Grant grantOf(const FlowResult& result);
    static QString describe(const FlowResult& result);
    static QString describe(const HttpResponse& response);

    const ProviderProfile& m_profile;
    Options m_options;
    RequestExecutor* m_executor;
    Grant m_a;
    Grant m_b;
    QString m_promptLoginDetail;
    bool m_promptLoginPass = false;
    bool m_promptLoginReported = false;
    QList<Check> m_results;
    QPointer<FlowEngine> m_signIn;
    bool m_advertisesIdToken = false; // the discovery document offers ID tokens
    std::optional<bool> m_idTokenVerified; // of the first sign-in's ID token
    QString m_idTokenKey; // the kid that verified it (empty when the key set has none)
    bool m_signInTimedOut = false;
};

} // namespace keyway

Q_DECLARE_METATYPE(keyway::ConformanceRun::Check)
