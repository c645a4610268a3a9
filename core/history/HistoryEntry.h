#pragma once

#include "core/session/Session.h"

#include <QList>
#include <QPair>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace keyway {

using TextHeaders = QList<QPair<QString, QString>>;

// One exchange as history keeps it: everything already redacted (no secret, token, code or
// credential header value), bodies possibly truncated. What re-sending needs (method, path,
// non-secret headers, body) is kept apart from what was actually sent.
struct HistoryEntry
{
    QString id;
    qint64 timeMs = 0; // when the request was sent (Clock)
    QString method;
    QString path; // as the user wrote it, query included, relative to the base URL
    QString url; // the resolved URL (redacted)
    TextHeaders requestHeaders; // as sent, credential values replaced by placeholders
    TextHeaders resendHeaders; // the user's own headers, without credential or Idempotency-Key headers
    QString requestBody;
    bool requestBodyTruncated = false;

    int status = 0; // 0 when no reply arrived
    QString reason;
    qint64 elapsedMs = 0;
    TextHeaders responseHeaders;
    QString responseBody;
    qint64 responseBodyBytes = 0; // size of the whole reply body
    bool responseBodyTruncated = false;
    QString outcome; // success, refused, auth_failed, network, invalid
    QString summary; // one line: "HTTP 403 — hint"

    nlohmann::ordered_json toJson() const;
    static std::optional<HistoryEntry> fromJson(const nlohmann::json& json);

    // Case-insensitive match of every word of `query` against method, path, status and bodies.
    bool matches(const QString& query) const;
    // The request to send again.
    ApiRequest toRequest() const;

    static QString outcomeName(ApiResult::Outcome outcome);
};

} // namespace keyway
