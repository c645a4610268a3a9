#pragma once

#include <QString>

namespace keyway {

// A value a flow step kept from a reply (authorization code, access token, refresh token, user_id),
// with its lifetime. Lives in memory only.
struct CapturedValue
{
    QString name;
    QString value;
    qint64 issuedMs = 0;
    qint64 expiresMs = 0; // 0 = no known expiry
    bool singleUse = false;
    bool consumed = false;
    bool secret = true;
    bool lifetimeAssumed = false; // the expiry is the profile's documented default: the reply gave none
    // A value of the sign-in itself (redirect URI, PKCE verifier, nonce), not of a reply: carried to a later
    // step run on its own (the walkthrough's Step), never listed as something the provider issued.
    bool internal = false;

    bool isExpiredAt(qint64 nowMs) const { return expiresMs > 0 && nowMs >= expiresMs; }
    qint64 lifetimeMs() const { return expiresMs > 0 ? expiresMs - issuedMs : 0; }
};

} // namespace keyway
