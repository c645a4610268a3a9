#pragma once

#include "core/json/JsonIndex.h"

#include <QString>

namespace keyway::json {

// What a reply's envelope says, in one line: Seismic's {"code","msg"} (success only when code is "000000"),
// JSON:API's errors[0].title/detail, OAuth's error/error_description.
struct ReplyEnvelope
{
    enum class Kind { None, Seismic, JsonApi, OAuth };
    Kind kind = Kind::None;
    bool isError = false;
    QString code; // Seismic code, JSON:API errors[0].code or status, OAuth error
    QString message; // msg, title: detail, error_description
    QString summary() const; // "Seismic envelope: code 40399 — Token expired", empty for Kind::None
};

// Reads only the few top-level members it needs, using the root index of `document`.
ReplyEnvelope readEnvelope(const QByteArray& document, const JsonIndexResult& root);

} // namespace keyway::json
