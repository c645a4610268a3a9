#include "core/history/HistoryRecorder.h"

#include "core/flow/TemplateResolver.h"
#include "core/history/HistoryStore.h"
#include "core/http/Redactor.h"
#include "core/util/Clock.h"
#include "core/util/Logging.h"

#include <QUuid>

#include <memory>

namespace keyway {

namespace {

// Headers whose value is a credential whatever the Redactor knows: replaced whole.
bool isCredentialHeader(const QString& name, const ProviderProfile& profile)
{
    static const QStringList always = {QStringLiteral("authorization"),
                                       QStringLiteral("proxy-authorization"),
                                       QStringLiteral("cookie"),
                                       QStringLiteral("set-cookie")};
    return always.contains(name.toLower()) || name.compare(profile.token.header, Qt::CaseInsensitive) == 0;
}

QString credentialPlaceholder(const QString& name, const ProviderProfile& profile)
{
    const bool token = name.compare(profile.token.header, Qt::CaseInsensitive) == 0;
    return Redactor::placeholder(token ? profile.token.capture : name.toLower());
}

bool isIdempotencyHeader(const QString& name, const ProviderProfile& profile)
{
    for (const IdempotencyRule& rule : profile.idempotency) {
        if (name.compare(rule.header, Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return false;
}

TextHeaders safeHeaders(const TextHeaders& headers, const ProviderProfile& profile, const Redactor& redactor)
{
    TextHeaders safe;
    for (const auto& [name, value] : headers) {
        safe.append(
            {name, isCredentialHeader(name, profile) ? credentialPlaceholder(name, profile) : redactor.redact(value)});
    }
    return safe;
}

// Redacts before truncating, so a secret cut in half by the cap can never survive in part.
QString redactCapped(const QByteArray& body, const Redactor& redactor, qint64 cap, bool* truncated)
{
    constexpr qint64 slack = 64 * 1024;
    const QByteArray head = body.size() > cap + slack ? body.left(cap + slack) : body;
    const QByteArray redacted = redactor.redact(head).toUtf8();
    *truncated = body.size() > cap || redacted.size() > cap;
    return *truncated ? QString::fromUtf8(redacted.left(cap)) : QString::fromUtf8(redacted);
}

} // namespace

HistoryRecorder::HistoryRecorder(
    Session* session, HistoryStore* store, QString environmentId, QString baseUrl, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_store(store)
    , m_environmentId(std::move(environmentId))
    , m_baseUrl(std::move(baseUrl))
{
}

HistoryEntry HistoryRecorder::makeEntry(const ApiRequest& request,
                                        const ApiResult& result,
                                        const TextHeaders& sentHeaders,
                                        const Redactor& redactor,
                                        const ProviderProfile& profile,
                                        const QString& baseUrl,
                                        qint64 sentAtMs,
                                        qint64 maxBodyBytes)
{
    HistoryEntry e;
    e.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    e.timeMs = sentAtMs;
    e.method = request.method.toUpper();
    e.path = redactor.redact(request.path);
    e.url = redactor.redactUrl(TemplateResolver::resolveUrl(baseUrl, request.path));

    TextHeaders given;
    for (const auto& [name, value] : request.headers) {
        given.append({QString::fromLatin1(name), QString::fromUtf8(value)});
    }
    e.requestHeaders = safeHeaders(sentHeaders.isEmpty() ? given : sentHeaders, profile, redactor);
    for (const auto& [name, value] : given) {
        if (!isCredentialHeader(name, profile) && !isIdempotencyHeader(name, profile)) {
            e.resendHeaders.append({name, redactor.redact(value)});
        }
    }
    e.requestBody = redactCapped(request.body, redactor, maxBodyBytes, &e.requestBodyTruncated);

    const HttpResponse& response = result.response;
    e.status = response.status;
    e.reason = QString::fromLatin1(response.reason);
    e.elapsedMs = response.elapsedMs;
    for (const auto& [name, value] : response.headers) {
        const QString textName = QString::fromLatin1(name);
        e.responseHeaders.append({textName,
                                  isCredentialHeader(textName, profile) ? credentialPlaceholder(textName, profile)
                                                                        : redactor.redactHeader(name, value)});
    }
    e.responseBody = redactCapped(response.body, redactor, maxBodyBytes, &e.responseBodyTruncated);
    e.responseBodyBytes = response.body.size();
    if (response.streamedBytes >= 0) { // streamed to stdout: `body` is only its first part
        e.responseBodyBytes = response.streamedBytes;
        e.responseBodyTruncated = e.responseBodyTruncated || response.streamedBytes > response.body.size();
    }
    e.outcome = HistoryEntry::outcomeName(result.outcome);
    e.summary = result.ok() ? QString() : redactor.redact(result.oneLine());
    return e;
}

void HistoryRecorder::call(const ApiRequest& request, std::function<void(const ApiResult&, const HistoryEntry&)> done)
{
    if (!m_session) {
        return;
    }
    // The headers as sent come from the session's request event (the last one, after a renewal).
    auto sent = std::make_shared<TextHeaders>();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_session, &Session::event, this, [sent](const FlowEvent& event) {
        if (event.type == FlowEvent::Type::Request && event.stepId == QLatin1String("api")) {
            *sent = event.headers;
        }
    });
    const qint64 sentAt = Clock::currentMSecsSinceEpoch();
    QPointer<HistoryRecorder> self(this);
    m_session->call(
        request,
        [self, request, sent, connection, sentAt, done](const ApiResult& result) {
            QObject::disconnect(*connection);
            if (!self || !self->m_session) {
                return;
            }
            const Session& session = *self->m_session;
            HistoryEntry entry;
            if (self->m_store) {
                entry = makeEntry(request,
                                  result,
                                  *sent,
                                  session.redactor(),
                                  session.profile(),
                                  self->m_baseUrl,
                                  sentAt,
                                  self->m_store->limits().maxBodyBytes);
                QString error;
                if (!self->m_store->append(self->m_environmentId, entry, &error)) {
                    qCWarning(lcHttp) << "history not written:" << error;
                }
            }
            if (done) {
                done(result, entry);
            }
        },
        m_executor);
}

} // namespace keyway
