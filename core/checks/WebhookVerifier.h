#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace keyway {

// Verifies an HMAC-SHA256 webhook signature (Seismic's `webhookSecret`) and, when it does not match,
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

    static Result verify(const QByteArray& body, const QByteArray& signature, const QByteArray& secret);
    static QByteArray sign(const QByteArray& body, const QByteArray& secret); // lowercase hex
};

} // namespace keyway
