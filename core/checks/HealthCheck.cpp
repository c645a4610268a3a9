#include "core/checks/HealthCheck.h"

#include "core/flow/TemplateResolver.h"
#include "core/json/JsonFields.h"
#include "core/session/RefreshTokenAges.h"
#include "core/session/Session.h"
#include "core/util/Clock.h"
#include "core/util/Logging.h"
#include "core/vault/EnvironmentService.h"

#include <QTimer>

#include <utility>

namespace keyway {

namespace {

std::string utf8(const QString& text)
{
    return text.toStdString();
}

} // namespace

// --- HealthResult ---------------------------------------------------------------------------

QString HealthResult::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Pass:
        return QStringLiteral("pass");
    case Outcome::Fail:
        return QStringLiteral("fail");
    case Outcome::Unreachable:
        return QStringLiteral("unreachable");
    case Outcome::SignInNeeded:
        return QStringLiteral("sign-in needed");
    case Outcome::KeychainLocked:
        return QStringLiteral("keychain locked");
    }
    return QStringLiteral("fail");
}

QString HealthResult::outcomeText(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Pass:
        return HealthCheck::tr("pass");
    case Outcome::Fail:
        return HealthCheck::tr("fail");
    case Outcome::Unreachable:
        return HealthCheck::tr("unreachable");
    case Outcome::SignInNeeded:
        return HealthCheck::tr("sign-in needed");
    case Outcome::KeychainLocked:
        return HealthCheck::tr("keychain locked");
    }
    return HealthCheck::tr("fail");
}

QString HealthResult::lifetimeText(qint64 seconds)
{
    if (seconds < 0) {
        return {};
    }
    if (seconds == 0) {
        return HealthCheck::tr("expired");
    }
    const qint64 days = seconds / 86400;
    const qint64 hours = (seconds % 86400) / 3600;
    const qint64 minutes = (seconds % 3600) / 60;
    if (days > 0) {
        return HealthCheck::tr("%1 d %2 h").arg(days).arg(hours);
    }
    if (hours > 0) {
        return HealthCheck::tr("%1 h %2 min").arg(hours).arg(minutes);
    }
    if (minutes > 0) {
        return HealthCheck::tr("%1 min %2 s").arg(minutes).arg(seconds % 60);
    }
    return HealthCheck::tr("%1 s").arg(seconds);
}

nlohmann::ordered_json HealthResult::toJson() const
{
    return {{"environment_id", utf8(environmentId)},
            {"environment", utf8(environment)},
            {"provider", utf8(provider)},
            {"result", utf8(outcomeName(outcome))},
            {"exit", exitCode},
            {"detail", utf8(detail)},
            {"failed_step", utf8(failedStep)},
            {"hint", utf8(hint)},
            {"checked_at_ms", checkedAtMs},
            {"duration_ms", durationMs},
            {"expires_at_ms", expiresAtMs},
            {"refresh_issued_at_ms", refreshIssuedAtMs}};
}

HealthResult HealthResult::fromJson(const nlohmann::json& json)
{
    HealthResult result;
    result.environmentId = keyway::json::stringField(json, "environment_id");
    result.environment = keyway::json::stringField(json, "environment");
    result.provider = keyway::json::stringField(json, "provider");
    const QString name = keyway::json::stringField(json, "result");
    for (Outcome outcome :
         {Outcome::Pass, Outcome::Fail, Outcome::Unreachable, Outcome::SignInNeeded, Outcome::KeychainLocked}) {
        if (outcomeName(outcome) == name) {
            result.outcome = outcome;
        }
    }
    result.exitCode = static_cast<int>(keyway::json::integerField(json, "exit"));
    result.detail = keyway::json::stringField(json, "detail");
    result.failedStep = keyway::json::stringField(json, "failed_step");
    result.hint = keyway::json::stringField(json, "hint");
    result.checkedAtMs = keyway::json::integerField(json, "checked_at_ms");
    result.durationMs = keyway::json::integerField(json, "duration_ms");
    result.expiresAtMs = keyway::json::integerField(json, "expires_at_ms");
    result.refreshIssuedAtMs = keyway::json::integerField(json, "refresh_issued_at_ms");
    return result;
}

// --- HealthCheck ----------------------------------------------------------------------------

HealthCheck::HealthCheck(EnvironmentService* service, Environment environment, QObject* parent)
    : QObject(parent), m_service(service), m_environment(std::move(environment))
{
    m_result.environmentId = m_environment.id;
    m_result.environment = m_environment.name;
    m_result.provider = m_environment.providerId;
}

HealthCheck::~HealthCheck() = default;

bool HealthCheck::needsInteractiveSignIn(const ProviderProfile& profile)
{
    for (const FlowStep& step : profile.steps) {
        // A device sign-in waits for a person to approve a code just as a browser sign-in does.
        if (step.kind == StepKind::Browser || step.kind == StepKind::Device || step.kind == StepKind::Poll) {
            return true;
        }
    }
    return false;
}

void HealthCheck::start()
{
    m_startedMs = Clock::currentMSecsSinceEpoch();
    const ProviderProfile* profile = m_service ? m_service->profileOf(m_environment) : nullptr;
    if (!profile) {
        QTimer::singleShot(0, this, [this] {
            finish(HealthResult::Outcome::Fail,
                   2,
                   tr("provider '%1' has no profile; install its profile or remove the environment.")
                       .arg(m_environment.providerId));
        });
        return;
    }
    m_profile = *profile;
    m_credentialSet = m_profile.defaultCredentialSet();
    const QStringList secretFields = EnvironmentService::secretFieldsSentByFlow(m_profile, m_credentialSet);
    QPointer<HealthCheck> self(this);
    m_service->readCredentials(m_environment, m_credentialSet, secretFields, [self](const CredentialBundle& bundle) {
        if (!self) {
            return;
        }
        if (bundle.failure) {
            self->finish(HealthResult::Outcome::KeychainLocked,
                         4,
                         tr("the keychain could not give the secrets (%1): unlock it and check again.")
                             .arg(SecretStore::statusName(bundle.failure->status)));
            return;
        }
        const QStringList needed
            = EnvironmentService::secretsNeeded(self->m_profile, self->m_environment, self->m_credentialSet);
        for (const QString& key : bundle.missingSecrets) {
            if (needed.contains(key)) {
                self->finish(HealthResult::Outcome::Fail,
                             2,
                             tr("the secret %1 is missing: store it in the environment and check again.").arg(key));
                return;
            }
        }
        self->m_connection = bundle.connection;
        self->onCredentials(bundle.values);
    });
}

void HealthCheck::onCredentials(const QMap<QString, QString>& credentials)
{
    QMap<QString, QString> values = credentials;
    for (const CredentialField& field : m_profile.fieldsOfSet(m_credentialSet)) {
        if (field.secret || !values.value(field.key).isEmpty()) {
            continue;
        }
        values.remove(field.key);
        if (field.required && field.defaultValue.isEmpty()) {
            finish(HealthResult::Outcome::Fail,
                   2,
                   tr("the required value %1 is not set: set it in the environment and check again.").arg(field.key));
            return;
        }
    }
    if (!needsInteractiveSignIn(m_profile)) {
        startSession(values, QString());
        return;
    }
    if (!m_profile.refresh) {
        finish(HealthResult::Outcome::SignInNeeded,
               3,
               tr("sign-in needed: this provider signs in through a browser and issues no refresh token."));
        return;
    }
    // A browser sign-in is never started here: only a stored refresh token can prove these credentials.
    const QString key = SecretStore::refreshTokenKey(m_environment.id, m_credentialSet);
    QPointer<HealthCheck> self(this);
    m_service->secrets().read(key, [self, values](const SecretResult& stored) {
        if (!self) {
            return;
        }
        if (stored.keychainInaccessible()) {
            self->finish(HealthResult::Outcome::KeychainLocked,
                         4,
                         tr("the keychain could not give the stored sign-in (%1): unlock it and check again.")
                             .arg(SecretStore::statusName(stored.status)));
            return;
        }
        if (!stored.ok() || stored.value.isEmpty()) {
            self->finish(HealthResult::Outcome::SignInNeeded,
                         3,
                         tr("sign-in needed: no stored sign-in; sign in once from the flow walkthrough."));
            return;
        }
        self->startSession(values, stored.value);
    });
}

void HealthCheck::startSession(const QMap<QString, QString>& credentials, const QString& refreshToken)
{
    SessionOptions options;
    options.environmentId
        = m_environment.id + (m_credentialSet.isEmpty() ? QString() : QLatin1Char('.') + m_credentialSet);
    options.flow.baseUrl = m_service->baseUrlOf(m_environment);
    options.flow.credentials = credentials;
    options.flow.credentialSet = m_credentialSet;
    options.flow.connection = m_connection;
    options.flow.openUrl = [this](const QUrl&) {
        m_signInWanted = true;
        return false; // never open a browser: report "sign-in needed" instead
    };
    // A browser step would wait for a redirect nobody is going to bring: it gives up at once.
    options.flow.browserTimeoutMs = 1;
    if (m_profile.refresh) {
        const QString key = SecretStore::refreshTokenKey(m_environment.id, m_credentialSet);
        options.refreshAgesKey = key;
        m_usesRefreshToken = !refreshToken.isEmpty();
        QPointer<EnvironmentService> service = m_service;
        options.refreshStore.load = [refreshToken](std::function<void(const QString&)> done) { done(refreshToken); };
        options.refreshStore.save = [this, service, key](const QString& token) {
            if (!service) {
                return;
            }
            ++m_pendingWrites;
            m_usesRefreshToken = true;
            QPointer<HealthCheck> self(this);
            service->secrets().write(key, token, [self, key](const SecretResult& r) {
                if (!r.ok()) {
                    qCWarning(lcChecks) << "refresh token not kept:" << SecretStore::statusName(r.status) << key;
                }
                if (self) {
                    --self->m_pendingWrites;
                    self->finishAfterWrites();
                }
            });
        };
    }
    m_session = std::make_unique<Session>(m_profile, options);

    if (m_profile.check) {
        TemplateResolver resolver(m_profile, m_environment.values, m_credentialSet);
        m_checkPath = resolver.resolve(m_profile.check->path).trimmed();
        m_checkMethod = m_profile.check->method;
    }
    QPointer<HealthCheck> self(this);
    if (m_checkPath.isEmpty()) {
        // No check request: obtaining a token is the proof, as for `keyway-cli check`.
        m_session->ensureToken([self](const FlowResult& r) {
            if (self) {
                self->onAuth(r);
            }
        });
        return;
    }
    ApiRequest request;
    request.method = m_checkMethod;
    request.path = m_checkPath;
    m_session->call(request, [self](const ApiResult& r) {
        if (self) {
            self->onApi(r);
        }
    });
}

void HealthCheck::onAuth(const FlowResult& r)
{
    if (r.ok()) {
        if (const auto token = m_session->accessToken()) {
            m_result.expiresAtMs = token->expiresMs;
        }
        finish(HealthResult::Outcome::Pass, 0, tr("a token was issued (the provider names no check request)"));
        return;
    }
    m_result.failedStep = r.stepId;
    m_result.hint = r.hint;
    if (m_signInWanted || r.isLocalProblem()) {
        finish(HealthResult::Outcome::SignInNeeded,
               3,
               tr("sign-in needed: the stored sign-in was refused; sign in again from the flow walkthrough."));
    } else if (r.outcome == FlowResult::Outcome::Network) {
        finish(HealthResult::Outcome::Unreachable, 5, r.oneLine());
    } else {
        finish(HealthResult::Outcome::Fail, 3, tr("authentication failed: %1").arg(r.oneLine()));
    }
}

void HealthCheck::onApi(const ApiResult& r)
{
    switch (r.outcome) {
    case ApiResult::Outcome::Success:
        if (const auto token = m_session->accessToken()) {
            m_result.expiresAtMs = token->expiresMs;
        }
        finish(HealthResult::Outcome::Pass,
               0,
               tr("%1 %2 answered %3").arg(m_checkMethod, m_checkPath).arg(r.response.status));
        return;
    case ApiResult::Outcome::AuthFailed:
        onAuth(r.auth);
        return;
    case ApiResult::Outcome::Network:
        m_result.failedStep = QStringLiteral("api");
        finish(HealthResult::Outcome::Unreachable, 5, r.oneLine());
        return;
    case ApiResult::Outcome::Refused:
        m_result.failedStep = QStringLiteral("api");
        m_result.hint = r.hint;
        finish(HealthResult::Outcome::Fail, 1, r.oneLine());
        return;
    case ApiResult::Outcome::Invalid:
        m_result.failedStep = QStringLiteral("api");
        finish(HealthResult::Outcome::Fail, 2, r.oneLine());
        return;
    }
}

void HealthCheck::finish(HealthResult::Outcome outcome, int exitCode, const QString& detail)
{
    if (m_done) {
        return;
    }
    m_done = true;
    m_result.outcome = outcome;
    m_result.exitCode = exitCode;
    // Whatever the engine said is redacted already; the session's redactor also knows this run's secrets.
    m_result.detail = m_session ? m_session->redactor().redact(detail) : detail;
    m_result.hint = m_session ? m_session->redactor().redact(m_result.hint) : m_result.hint;
    m_result.checkedAtMs = Clock::currentMSecsSinceEpoch();
    m_result.durationMs = m_result.checkedAtMs - m_startedMs;
    if (m_usesRefreshToken) {
        m_result.refreshIssuedAtMs
            = RefreshTokenAges().issuedAt(SecretStore::refreshTokenKey(m_environment.id, m_credentialSet));
    }
    finishAfterWrites();
}

void HealthCheck::finishAfterWrites()
{
    // A rotated refresh token must reach the keychain before anyone takes this check as over (the CLI exits).
    if (!m_done || m_finished || m_pendingWrites > 0) {
        return;
    }
    m_finished = true;
    const HealthResult result = m_result;
    QTimer::singleShot(0, this, [this, result] { Q_EMIT finished(result); });
}

// --- HealthRun ------------------------------------------------------------------------------

HealthRun::HealthRun(EnvironmentService* service, QList<Environment> environments, int jobs, QObject* parent)
    : QObject(parent), m_service(service), m_queue(std::move(environments)), m_jobs(qMax(1, jobs))
{
}

void HealthRun::start()
{
    if (m_queue.isEmpty()) {
        m_finished = true;
        QTimer::singleShot(0, this, [this] { Q_EMIT finished(); });
        return;
    }
    startMore();
}

void HealthRun::cancel()
{
    if (m_finished) {
        return;
    }
    m_cancelled = true;
    m_queue.clear();
    const QList<HealthCheck*> running = findChildren<HealthCheck*>(Qt::FindDirectChildrenOnly);
    for (HealthCheck* check : running) {
        delete check; // late answers have nowhere to land
    }
    m_running = 0;
    m_finished = true;
    Q_EMIT finished();
}

void HealthRun::startMore()
{
    while (!m_cancelled && m_running < m_jobs && !m_queue.isEmpty()) {
        const Environment environment = m_queue.takeFirst();
        auto* check = new HealthCheck(m_service, environment, this);
        ++m_running;
        connect(check, &HealthCheck::finished, this, [this, check](const HealthResult& result) {
            check->deleteLater();
            --m_running;
            ++m_done;
            m_results.append(result);
            Q_EMIT checkFinished(result);
            if (m_cancelled) {
                return;
            }
            if (m_queue.isEmpty() && m_running == 0) {
                m_finished = true;
                Q_EMIT finished();
                return;
            }
            startMore();
        });
        Q_EMIT checkStarted(environment.id);
        check->start();
    }
}

} // namespace keyway
