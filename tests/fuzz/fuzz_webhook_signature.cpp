// A pasted signature header (first line) and a body (the rest), checked against a fixed secret with
// the generic rule and a profile-like rule: a verdict every time, never a crash.
#include "core/checks/WebhookVerifier.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArray signature = newline < 0 ? input : input.left(newline);
    const QByteArray body = newline < 0 ? QByteArray() : input.mid(newline + 1);
    const QByteArray secret = "whsec_fuzz-secret";
    (void)keyway::WebhookVerifier::verify(body, signature, secret);
    keyway::WebhookRule rule = keyway::WebhookVerifier::anyRule();
    rule.prefixes = {QStringLiteral("acme1:"), QStringLiteral("t=")};
    (void)keyway::WebhookVerifier::verify(rule, body, signature, secret);
    return 0;
}
