#pragma once

#include "core/profile/ProviderProfile.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace keyway {

// Verifies an HMAC-SHA256 webhook signature under a profile's webhook rule and, when it does not match,
// works out which part is most likely wrong: the encoding of the signature, the body's whitespace or
// line endings (a body re-serialised or re-indented after receipt), or the secret itself.
class WebhookVerifier
{
    Q_DECLARE_TR_FUNCTIONS(keyway::WebhookVerifier)

public:
    enum class Verdict {
        Valid,
        MalformedSignature, // not hex or base64 of 32 bytes
        BodyWhitespace, // matches once whitespace / line endings are normalised: verify the raw bytes
        SecretEncoding, // matches with the secret hex- or base64-decoded first
        Mismatch // wrong secret, or the body was changed
    };

    struct Result
    {
        Verdict verdict = Verdict::Mismatch;
        QString signatureEncoding; // "hex" or "base64" when it could be decoded
        QString detail; // one sentence for the user: what matched or what to check next
        bool valid() const { return verdict == Verdict::Valid; }
    };

    // `signature` is the header's value, or the whole header line ("X-Signature: ...") as pasted.
    static Result
    verify(const WebhookRule& rule, const QByteArray& body, const QByteArray& signature, const QByteArray& secret);
    // Without a profile: hex or base64, with the common "sha256=" / "v1=" / "hmac-sha256=" prefixes.
    static Result verify(const QByteArray& body, const QByteArray& signature, const QByteArray& secret);
    static WebhookRule anyRule();
    static QByteArray sign(const QByteArray& body, const QByteArray& secret); // lowercase hex
};

} // namespace keyway
