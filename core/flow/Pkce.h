#pragma once

#include <QString>

namespace keyway {

// PKCE (RFC 7636) and state values. Both come from QRandomGenerator::system() with 256 random bits,
// well above the 128 bits RFC 9700 asks for.
struct Pkce
{
    QString verifier; // 43 base64url characters
    QString challenge; // BASE64URL(SHA256(verifier)), method S256

    static Pkce generate();
    static QString challengeFor(const QString& verifier);
    static QString randomToken(int bytes = 32); // base64url, no padding
};

} // namespace keyway
