#include "core/history/HistoryEntry.h"

#include "core/json/JsonFields.h"

namespace keyway {

namespace {

std::string toStd(const QString& text)
{
    return text.toStdString();
}

nlohmann::ordered_json headersToJson(const TextHeaders& headers)
{
    auto array = nlohmann::ordered_json::array();
    for (const auto& [name, value] : headers) {
        array.push_back({toStd(name), toStd(value)});
    }
    return array;
}

TextHeaders headersFromJson(const nlohmann::json& json, const char* key)
{
    TextHeaders headers;
    const auto it = json.find(key);
    if (it == json.end() || !it->is_array()) {
        return headers;
    }
    for (const auto& pair : *it) {
        if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
            headers.append({QString::fromStdString(pair[0].get<std::string>()),
                            QString::fromStdString(pair[1].get<std::string>())});
        }
    }
    return headers;
}

} // namespace

nlohmann::ordered_json HistoryEntry::toJson() const
{
    nlohmann::ordered_json json;
    json["id"] = toStd(id);
    json["time"] = timeMs;
    json["method"] = toStd(method);
    json["path"] = toStd(path);
    json["url"] = toStd(url);
    json["requestHeaders"] = headersToJson(requestHeaders);
    json["resendHeaders"] = headersToJson(resendHeaders);
    json["requestBody"] = toStd(requestBody);
    json["requestBodyTruncated"] = requestBodyTruncated;
    json["status"] = status;
    json["reason"] = toStd(reason);
    json["elapsedMs"] = elapsedMs;
    json["responseHeaders"] = headersToJson(responseHeaders);
    json["responseBody"] = toStd(responseBody);
    json["responseBodyBytes"] = responseBodyBytes;
    json["responseBodyTruncated"] = responseBodyTruncated;
    json["outcome"] = toStd(outcome);
    json["summary"] = toStd(summary);
    return json;
}

std::optional<HistoryEntry> HistoryEntry::fromJson(const nlohmann::json& json)
{
    if (!json.is_object() || !json.contains("method") || !json.contains("path")) {
        return std::nullopt;
    }
    HistoryEntry e;
    e.id = keyway::json::stringField(json, "id");
    e.timeMs = keyway::json::integerField(json, "time");
    e.method = keyway::json::stringField(json, "method");
    e.path = keyway::json::stringField(json, "path");
    e.url = keyway::json::stringField(json, "url");
    e.requestHeaders = headersFromJson(json, "requestHeaders");
    e.resendHeaders = headersFromJson(json, "resendHeaders");
    e.requestBody = keyway::json::stringField(json, "requestBody");
    e.requestBodyTruncated = keyway::json::boolField(json, "requestBodyTruncated");
    e.status = static_cast<int>(keyway::json::integerField(json, "status"));
    e.reason = keyway::json::stringField(json, "reason");
    e.elapsedMs = keyway::json::integerField(json, "elapsedMs");
    e.responseHeaders = headersFromJson(json, "responseHeaders");
    e.responseBody = keyway::json::stringField(json, "responseBody");
    e.responseBodyBytes = keyway::json::integerField(json, "responseBodyBytes");
    e.responseBodyTruncated = keyway::json::boolField(json, "responseBodyTruncated");
    e.outcome = keyway::json::stringField(json, "outcome");
    e.summary = keyway::json::stringField(json, "summary");
    return e;
}

bool HistoryEntry::matches(const QString& query) const
{
    const QStringList words = query.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& word : words) {
        const bool found = method.contains(word, Qt::CaseInsensitive) || path.contains(word, Qt::CaseInsensitive)
            || QString::number(status) == word || summary.contains(word, Qt::CaseInsensitive)
            || requestBody.contains(word, Qt::CaseInsensitive) || responseBody.contains(word, Qt::CaseInsensitive);
        if (!found) {
            return false;
        }
    }
    return true;
}

ApiRequest HistoryEntry::toRequest() const
{
    ApiRequest request;
    request.method = method;
    request.path = path;
    for (const auto& [name, value] : resendHeaders) {
        request.headers.append({name.toLatin1(), value.toUtf8()});
    }
    request.body = requestBody.toUtf8();
    return request;
}

QString HistoryEntry::outcomeName(ApiResult::Outcome outcome)
{
    switch (outcome) {
    case ApiResult::Outcome::Success:
        return QStringLiteral("success");
    case ApiResult::Outcome::Refused:
        return QStringLiteral("refused");
    case ApiResult::Outcome::AuthFailed:
        return QStringLiteral("auth_failed");
    case ApiResult::Outcome::Network:
        return QStringLiteral("network");
    case ApiResult::Outcome::Invalid:
        return QStringLiteral("invalid");
    }
    return QString();
}

} // namespace keyway
