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

    // nullopt unless `text` has the shape of a JWT (see looksLikeJwt) and its first two parts decode to
    // JSON objects. Surrounding quotes (a JSON string copied with them) are ignored.
    static std::optional<Jwt> decode(const QString& text);
    // Cheap shape check that decodes nothing: three base64url segments separated by dots, the header
    // starting with "ey" (every JSON object does once encoded), at most 64 KiB.
    static bool looksLikeJwt(const QString& text);

    // A time claim (exp, iat, nbf) in seconds since the epoch: a number or a numeric string.
    std::optional<qint64> claimSeconds(const QString& name) const;
    // `exp` in seconds since the epoch (number or numeric string), if present.
    std::optional<qint64> expiresAt() const;
    std::optional<qint64> issuedAt() const;
    QString subject() const; // `sub`, empty when absent
};

} // namespace keyway
