#pragma once

#include "core/profile/ProviderProfile.h"
#include "core/vault/Environment.h"

#include <QCoreApplication>
#include <QList>
#include <QObject>
#include <QPointer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

namespace keyway {

class ConnectionSettings;
class EnvironmentService;
class Session;
struct ApiResult;
struct FlowResult;

// The answer to "do this environment's credentials work right now?", without a single secret in it, so
// it can be printed, written to a JUnit report and kept in the state directory.
struct HealthResult
{
    enum class Outcome { Pass, Fail, Unreachable, SignInNeeded, KeychainLocked };

    QString environmentId;
    QString environment; // name
    QString provider;
    Outcome outcome = Outcome::Fail;
    int exitCode = 1; // what `keyway-cli check NAME` would have exited with
    QString detail; // one line for a person: what was proved, or what failed
    QString failedStep; // the flow step that failed ("api" for the check request), "" when none
    QString hint; // the profile's sentence for the failure
    qint64 checkedAtMs = 0;
    qint64 durationMs = 0;
    qint64 expiresAtMs = 0; // the access token's expiry on a pass; 0 = unknown
    qint64 refreshIssuedAtMs = 0; // when the refresh token in use was stored (RefreshTokenAges); 0 = none or unknown

    bool passed() const { return outcome == Outcome::Pass; }
    // pass, fail, unreachable, sign-in needed, keychain locked
    static QString outcomeName(Outcome outcome);
    // The same, in the user's language.
    static QString outcomeText(Outcome outcome);
    // "23 h 59 min", "4 min 10 s": the access token's lifetime left at `nowMs`; "" when unknown.
    static QString lifetimeText(qint64 seconds);
    qint64 expiresInSeconds(qint64 nowMs) const { return expiresAtMs > 0 ? (expiresAtMs - nowMs) / 1000 : -1; }
    // The refresh token's age at `nowMs` in seconds, -1 when there is none or it is unknown.
    qint64 refreshAgeSeconds(qint64 nowMs) const
    {
        return refreshIssuedAtMs > 0 ? std::max<qint64>(0, (nowMs - refreshIssuedAtMs) / 1000) : -1;
    }

    nlohmann::ordered_json toJson() const;
    static HealthResult fromJson(const nlohmann::json& json);
};

// Checks one environment the way `keyway-cli check` does (the profile's flow, then its check request), but
// never starts an interactive sign-in: an environment whose flow needs a browser uses its stored refresh
// token, or reports "sign-in needed". Finishes exactly once; deleting it cancels it.
class HealthCheck : public QObject
{
    Q_OBJECT
public:
    HealthCheck(EnvironmentService* service, Environment environment, QObject* parent = nullptr);
    ~HealthCheck() override;

    void start();
    const Environment& environment() const { return m_environment; }

    // True when the profile's flow has a step a person must complete in a browser.
    static bool needsInteractiveSignIn(const ProviderProfile& profile);

Q_SIGNALS:
    void finished(const keyway::HealthResult& result);

private:
    void onCredentials(const QMap<QString, QString>& credentials);
    void startSession(const QMap<QString, QString>& credentials, const QString& refreshToken);
    void onAuth(const FlowResult& result);
    void onApi(const ApiResult& result);
    void finish(HealthResult::Outcome outcome, int exitCode, const QString& detail);
    void finishAfterWrites();

    QPointer<EnvironmentService> m_service;
    Environment m_environment;
    ProviderProfile m_profile;
    QString m_credentialSet;
    QString m_checkMethod;
    QString m_checkPath;
    std::unique_ptr<Session> m_session;
    std::shared_ptr<const ConnectionSettings> m_connection; // CA file, client certificate, proxy
    HealthResult m_result;
    qint64 m_startedMs = 0;
    bool m_signInWanted = false;
    bool m_usesRefreshToken = false; // a stored refresh token was used, or a new one stored
    int m_pendingWrites = 0;
    bool m_done = false;
    bool m_finished = false;
};

// Checks many environments, at most `jobs` at once; a broken one never stops the others. Deleting it (or
// cancel()) stops the checks still running and starts no more.
class HealthRun : public QObject
{
    Q_OBJECT
public:
    HealthRun(EnvironmentService* service, QList<Environment> environments, int jobs, QObject* parent = nullptr);

    void start();
    void cancel();
    int total() const { return static_cast<int>(m_queue.size() + m_running + m_done); }
    int done() const { return m_done; }
    bool isFinished() const { return m_finished; }
    const QList<HealthResult>& results() const { return m_results; }

Q_SIGNALS:
    void checkStarted(const QString& environmentId);
    void checkFinished(const keyway::HealthResult& result);
    void finished();

private:
    void startMore();

    QPointer<EnvironmentService> m_service;
    QList<Environment> m_queue;
    int m_jobs;
    int m_running = 0;
    int m_done = 0;
    bool m_cancelled = false;
    bool m_finished = false;
    QList<HealthResult> m_results;
};

} // namespace keyway

Q_DECLARE_METATYPE(keyway::HealthResult)
