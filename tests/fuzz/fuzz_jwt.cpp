// Any text as a token: the JWT decoder answers claims or nothing, and its time claims never overflow.
#include "core/util/Jwt.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    (void)keyway::Jwt::looksLikeJwt(text);
    if (const auto jwt = keyway::Jwt::decode(text)) {
        (void)jwt->expiresAt();
        (void)jwt->issuedAt();
        (void)jwt->claimSeconds(QStringLiteral("nbf"));
        (void)jwt->subject();
    }
    return 0;
}
