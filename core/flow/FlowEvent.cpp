#include "core/flow/FlowEvent.h"

#include "core/http/HttpMessage.h"
#include "core/http/Redactor.h"

#include <QDateTime>

namespace keyway {

namespace {

std::string utf8(const QString& text)
{
    return text.toStdString();
}

std::string isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
}

} // namespace

FlowEvent FlowEvent::request(const QString& stepId, const HttpRequest& request, const Redactor& redactor)
{
    FlowEvent sent;
    sent.type = Type::Request;
    sent.stepId = stepId;
    sent.method = QString::fromLatin1(request.method);
    sent.url = redactor.redactUrl(request.url);
    for (const auto& [name, value] : request.headers) {
        sent.headers.append({QString::fromLatin1(name), redactor.redactHeader(name, value)});
    }
    sent.body = redactor.redact(request.body);
    return sent;
}

FlowEvent FlowEvent::response(const QString& stepId, const HttpResponse& response, const Redactor& redactor)
{
    FlowEvent received;
    received.type = Type::Response;
    received.stepId = stepId;
    received.status = response.status;
    received.elapsedMs = response.elapsedMs;
    for (const auto& [name, value] : response.headers) {
        received.headers.append({QString::fromLatin1(name), redactor.redactHeader(name, value)});
    }
    received.body = redactor.redact(response.body);
    return received;
}

QString FlowEvent::typeName(Type type)
{
    switch (type) {
    case Type::StepStarted:
        return QStringLiteral("step_started");
    case Type::Request:
        return QStringLiteral("request");
    case Type::Response:
        return QStringLiteral("response");
    case Type::Captured:
        return QStringLiteral("captured");
    case Type::Consumed:
        return QStringLiteral("consumed");
    case Type::Expired:
        return QStringLiteral("expired");
    case Type::StepFailed:
        return QStringLiteral("step_failed");
    case Type::AuthorizeUrl:
        return QStringLiteral("authorize_url");
    case Type::WaitingForBrowser:
        return QStringLiteral("waiting_for_browser");
    case Type::DeviceCode:
        return QStringLiteral("device_code");
    case Type::Revoked:
        return QStringLiteral("revoked");
    }
    return {};
}

nlohmann::ordered_json FlowEvent::toJson() const
{
    nlohmann::ordered_json j;
    j["event"] = utf8(typeName(type));
    if (!stepId.isEmpty()) {
        j["step"] = utf8(stepId);
    }
    switch (type) {
    case Type::StepStarted:
        j["title"] = utf8(title);
        break;
    case Type::Request:
    case Type::Response: {
        if (type == Type::Request) {
            j["method"] = utf8(method);
            j["url"] = utf8(url);
        } else {
            j["status"] = status;
            j["elapsed_ms"] = elapsedMs;
        }
        nlohmann::ordered_json h = nlohmann::ordered_json::object();
        for (const auto& [k, v] : headers) {
            h[utf8(k)] = utf8(v);
        }
        j["headers"] = h;
        j["body"] = utf8(body);
        if (clientAssertion) {
            j["client_assertion"] = *clientAssertion;
        }
        break;
    }
    case Type::Revoked:
        j["name"] = utf8(name);
        break;
    case Type::Captured:
    case Type::Consumed:
    case Type::Expired:
        j["name"] = utf8(name);
        if (type == Type::Captured) {
            j["issued"] = isoTime(issuedMs);
            j["expires"] = expiresMs > 0 ? nlohmann::ordered_json(isoTime(expiresMs)) : nlohmann::ordered_json();
            j["single_use"] = singleUse;
            if (lifetimeAssumed) {
                j["lifetime_assumed"] = true;
            }
            if (value) {
                j["value"] = utf8(*value);
            }
            if (verified) {
                j["verified"] = *verified;
            }
        } else if (expiresMs > 0) {
            j["expires"] = isoTime(expiresMs);
        }
        break;
    case Type::StepFailed:
        if (status > 0) {
            j["status"] = status;
        }
        j["detail"] = utf8(detail);
        j["hint"] = utf8(hint);
        if (!failure.isEmpty()) {
            j["unreachable"] = utf8(failure);
        }
        break;
    case Type::AuthorizeUrl:
        j["url"] = utf8(url);
        break;
    case Type::WaitingForBrowser:
        j["url"] = utf8(url);
        j["browser_opened"] = browserOpened;
        j["deadline"] = isoTime(deadlineMs);
        break;
    case Type::DeviceCode:
        j["verification_uri"] = utf8(url);
        j["verification_uri_complete"]
            = completeUrl.isEmpty() ? nlohmann::ordered_json() : nlohmann::ordered_json(utf8(completeUrl));
        j["user_code"] = utf8(userCode);
        j["expires_in"] = deadlineMs > 0 ? std::max<qint64>(0, (deadlineMs - issuedMs + 500) / 1000) : 0;
        j["interval"] = intervalSeconds;
        j["expires"] = deadlineMs > 0 ? nlohmann::ordered_json(isoTime(deadlineMs)) : nlohmann::ordered_json();
        break;
    }
    return j;
}

} // namespace keyway
