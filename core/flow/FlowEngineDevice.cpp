// The device authorization grant (RFC 8628) part of FlowEngine: a device step announces the code a person
// approves on another screen, a poll step repeats the token request until the provider stops saying "pending".
// Everything provider-specific (error names, interval, which capture bounds the wait) comes from the profile.

#include "core/flow/FlowEngine.h"

#include "core/flow/ReplyJudge.h"
#include "core/http/RequestExecutor.h"
#include "core/util/Clock.h"
#include "core/util/Logging.h"

#include <QTimer>

#include <algorithm>
#include <limits>

namespace keyway {

namespace {

// A request this close to the code's end would arrive after it: the wait is over.
constexpr qint64 kDeadlineSlackMs = 50;

// The interval as the provider wrote it: whole or fractional seconds; at least one second, so a reply that
// says 0 cannot turn the wait into a flood.
qint64 intervalMs(const QString& text, int fallbackSeconds)
{
    bool ok = false;
    const double seconds = text.trimmed().toDouble(&ok);
    if (!ok || !(seconds > 0) || seconds > 3600) {
        return qint64(fallbackSeconds) * 1000;
    }
    return std::max<qint64>(1000, static_cast<qint64>(seconds * 1000));
}

} // namespace

void FlowEngine::announceDeviceCode(const FlowStep& step)
{
    const DeviceCodeRule& rule = step.device;
    FlowEvent e;
    e.type = FlowEvent::Type::DeviceCode;
    e.stepId = step.id;
    e.userCode = m_values.value(rule.userCode).value;
    // The URIs are shown and turned into a QR code: redacted like any URL, in case a provider put a secret there.
    e.url = m_redactor.redact(m_values.value(rule.verificationUri).value);
    e.completeUrl = m_redactor.redact(m_values.value(rule.verificationUriComplete).value);
    const CapturedValue code = m_values.value(rule.deviceCode);
    e.issuedMs = code.issuedMs > 0 ? code.issuedMs : Clock::currentMSecsSinceEpoch();
    e.deadlineMs = code.expiresMs;
    e.intervalSeconds = static_cast<int>(intervalMs(m_values.value(rule.interval).value, 5) / 1000);
    emitEvent(e);
}

bool FlowEngine::isWaitingForDevice() const
{
    return !m_finished && m_index < m_steps.size() && m_steps.at(m_index).kind == StepKind::Poll && m_pollTimer;
}

void FlowEngine::runPoll(const FlowStep& step)
{
    const PollRule& rule = step.poll;
    m_pollIntervalMs = intervalMs(m_resolver.resolve(rule.interval), rule.defaultIntervalSeconds);
    m_pollDeadlineMs = 0;
    if (!rule.until.isEmpty()) {
        const auto it = m_values.constFind(rule.until);
        if (it == m_values.cend() || it->value.isEmpty()) {
            fail(step,
                 FlowResult::Outcome::Invalid,
                 tr("there is no %1 to wait for").arg(rule.until),
                 tr("Run the step that asks for the code first."));
            return;
        }
        m_pollDeadlineMs = it->expiresMs;
    }
    if (m_pollDeadlineMs <= 0) {
        // A code without a stated lifetime: wait as long as a browser sign-in would.
        m_pollDeadlineMs = Clock::currentMSecsSinceEpoch() + m_options.browserTimeoutMs;
    }
    if (!m_pollTimer) {
        m_pollTimer = new QTimer(this);
        m_pollTimer->setSingleShot(true);
        // A coarse timer may fire a little early, which at the code's end would ask once more for an expired code.
        m_pollTimer->setTimerType(Qt::PreciseTimer);
        connect(m_pollTimer, &QTimer::timeout, this, &FlowEngine::pollOnce);
    }
    schedulePoll();
}

void FlowEngine::schedulePoll()
{
    if (m_finished) {
        return;
    }
    const qint64 now = Clock::currentMSecsSinceEpoch();
    // RFC 8628 §3.5: wait `interval` before every request, the first one included. The code's end is the last
    // moment worth waiting for.
    m_pollTimer->start(static_cast<int>(
        std::clamp<qint64>(std::min(m_pollIntervalMs, m_pollDeadlineMs - now), 0, std::numeric_limits<int>::max())));
}

void FlowEngine::pollOnce()
{
    if (m_finished || m_index >= m_steps.size()) {
        return;
    }
    const FlowStep& step = m_steps.at(m_index);
    if (Clock::currentMSecsSinceEpoch() + kDeadlineSlackMs >= m_pollDeadlineMs) {
        fail(step,
             FlowResult::Outcome::Timeout,
             tr("the code expired before the sign-in was approved"),
             tr("Start the sign-in again and approve the new code before it expires."));
        return;
    }
    // Each poll signs a fresh client assertion (its jti is single-use), like any token request.
    sendStepRequest(step, &FlowEngine::onPollReply);
}

void FlowEngine::onPollReply(const FlowStep& step, const HttpResponse& response)
{
    if (response.transportOk() && response.error == HttpResponse::Error::None) {
        const auto doc = ReplyJudge::parseJson(response.body);
        const QString error = doc ? ReplyJudge::textAt(*doc, QStringLiteral("/error")).value_or(QString()) : QString();
        const bool pending = !error.isEmpty() && step.poll.pending.contains(error);
        const bool slowDown = !error.isEmpty() && step.poll.slowDown.contains(error);
        if (pending || slowDown) {
            learnSecretsFrom(step, *doc);
            emitEvent(FlowEvent::response(step.id, response, m_redactor));
            if (slowDown) {
                m_pollIntervalMs += qint64(step.poll.slowDownSeconds) * 1000;
                qCInfo(lcAuth) << "slow_down: polling every" << m_pollIntervalMs << "ms";
            }
            schedulePoll();
            return;
        }
    }
    // Anything else (the token, a refusal such as access_denied or expired_token, no reply) is judged like any
    // exchange.
    onExchangeReply(step, response);
}

void FlowEngine::finishPolling(const FlowStep& step)
{
    if (m_pollTimer) {
        m_pollTimer->stop();
    }
    // The device code bought its token: it cannot be used again.
    const auto it = m_values.find(step.poll.until);
    if (it != m_values.end()) {
        markConsumed(step, *it);
    }
}

} // namespace keyway
