#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace keyway::ui {

// A token-shaped string split into header and claims. Nothing is verified: the inspector only shows
// what the token says about itself.
struct DecodedJwt
{
    QJsonObject header;
    QJsonObject claims;
    std::optional<qint64> claimSeconds(const QString& name) const; // exp, iat, nbf: number or numeric string
};

class JwtDecoder
{
public:
    // Cheap shape check: three base64url segments separated by dots (a quoted string is accepted).
    static bool looksLikeJwt(const QString& text);
    // nullopt unless the first two segments decode to JSON objects.
    static std::optional<DecodedJwt> decode(const QString& text);
};

} // namespace keyway::ui
