#pragma once

#include "core/profile/ProviderProfile.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace keyway {

// What Keyway concluded about one reply: success or not, and the provider's own words for it.
struct Verdict
{
    bool ok = false;
    int status = 0;
    QString envelopeCode; // e.g. "40399" (Seismic) when the rule names a code pointer
    QString oauthError; // RFC 6749 "error" member, e.g. "invalid_client"
    QString message; // the provider's message (/msg, error_description)
    QString emptyPointer; // the nonEmpty pointer that was empty, if that is why it failed
    QString detail; // one short phrase: "HTTP 401", "code 40001 Invalid parameter", "/data/accessToken is empty"
};

// Applies success rules and finds the profile's hint for a failure.
class ReplyJudge
{
    Q_DECLARE_TR_FUNCTIONS(keyway::ReplyJudge)

public:
    static std::optional<nlohmann::json> parseJson(const QByteArray& body);
    // The value at a JSON pointer as text (numbers and booleans converted); nullopt when absent or null.
    static std::optional<QString> textAt(const nlohmann::json& doc, const QString& pointer);

    static Verdict judge(const SuccessRule& rule, int status, const QByteArray& body);
    // The most specific hint of the profile for this failure of step `stepId` ("api" for API calls);
    // a generic sentence when the profile has none.
    static QString hintFor(const ProviderProfile& profile, const QString& stepId, const Verdict& verdict);
};

} // namespace keyway
