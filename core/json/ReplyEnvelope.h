#pragma once

#include "core/json/JsonIndex.h"
#include "core/profile/ProviderProfile.h"

#include <QString>

namespace keyway::json {

// What a reply's envelope says, in one line, judged by the profile's success rule (apiSuccess) with
// the same ReplyJudge the flow and the CLI use: the envelope code and message where the rule points,
// or an OAuth error (RFC 6749 "error" / "error_description").
struct ReplyEnvelope
{
    bool present = false; // the reply carries an envelope code, an OAuth error or an error message
    bool isError = false;
    QString code; // the code at the rule's codePointer, or the OAuth error
    QString message; // the text at the rule's messagePointer, or error_description
    QString summary() const; // "Provider error code 40399: Token invalid", empty when not present
};

// Reads only the top-level members the rule points into, using the root index of `document`, so a
// 100 MB reply is never parsed whole.
ReplyEnvelope
readEnvelope(const SuccessRule& rule, int status, const QByteArray& document, const JsonIndexResult& root);

} // namespace keyway::json
