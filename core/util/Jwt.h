#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace keyway {

// A JSON Web Token split into its parts. Decoding does NOT verify the signature: Keyway only reads
// the claims to show them and to learn when a token expires (`exp`), never to trust them.
struct Jwt
{
    QJsonObject header;
    QJsonObject claims;

    // nullopt unless `text` has three dot-separated base64url parts whose first two are JSON objects.
    static std::optional<Jwt> decode(const QString& text);
    static bool looksLikeJwt(const QString& text) { return decode(text).has_value(); }

    // `exp` in seconds since the epoch (number or numeric string), if present.
    std::optional<qint64> expiresAt() const;
    std::optional<qint64> issuedAt() const;
    QString subject() const; // `sub`, empty when absent
};

} // namespace keyway
