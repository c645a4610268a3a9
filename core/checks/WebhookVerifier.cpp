#include "core/checks/WebhookVerifier.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <nlohmann/json.hpp>

#include <optional>
#include <utility>

namespace keyway {

namespace {

QByteArray hmac(const QByteArray& body, const QByteArray& secret)
{
    return QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256);
}

// Comparison whose time does not depend on where the first difference is.
bool constantTimeEquals(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

bool isHex(const QByteArray& text)
{
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return !text.isEmpty();
}

// Decodes "sha256=<hex>", "<hex>" or "<base64>" into the 32 raw bytes of the MAC.
std::optional<std::pair<QByteArray, QString>> decodeSignature(QByteArray signature)
{
    signature = signature.trimmed();
    for (const char* prefix : {"sha256=", "v1=", "hmac-sha256="}) {
        if (signature.startsWith(prefix)) {
            signature = signature.mid(qsizetype(qstrlen(prefix)));
        }
    }
    if (signature.size() == 64 && isHex(signature)) {
        return std::pair {QByteArray::fromHex(signature), QStringLiteral("hex")};
    }
    for (auto options : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        const auto decoded
            = QByteArray::fromBase64Encoding(signature, options | QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && decoded.decoded.size() == 32) {
            return std::pair {decoded.decoded, QStringLiteral("base64")};
        }
    }
    return std::nullopt;
}

// Bodies a sender or a copy-paste may have produced from the original bytes.
QList<std::pair<QByteArray, QString>> bodyVariants(const QByteArray& body)
{
    QList<std::pair<QByteArray, QString>> variants;
    if (body.endsWith('\n')) {
        variants.append(
            {body.chopped(body.endsWith("\r\n") ? 2 : 1), WebhookVerifier::tr("without the trailing newline")});
    } else {
        variants.append({body + '\n', WebhookVerifier::tr("with a trailing newline")});
    }
    if (body.contains("\r\n")) {
        QByteArray lf = body;
        variants.append({lf.replace("\r\n", "\n"), WebhookVerifier::tr("with LF instead of CRLF line endings")});
    }
    // ordered_json keeps the key order, so only whitespace differs from the original.
    const auto json = nlohmann::ordered_json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (!json.is_discarded()) {
        const auto variant = [](const std::string& text) { return QByteArray::fromStdString(text); };
        variants.append({variant(json.dump()), WebhookVerifier::tr("as compact JSON (no whitespace)")});
        for (int indent : {2, 4}) {
            variants.append({variant(json.dump(indent)), WebhookVerifier::tr("as indented JSON")});
            variants.append({variant(json.dump(indent) + '\n'), WebhookVerifier::tr("as indented JSON")});
        }
    }
    variants.append({body.trimmed(), WebhookVerifier::tr("with surrounding whitespace removed")});
    return variants;
}

} // namespace

QByteArray WebhookVerifier::sign(const QByteArray& body, const QByteArray& secret)
{
    return hmac(body, secret).toHex();
}

WebhookVerifier::Result
WebhookVerifier::verify(const QByteArray& body, const QByteArray& signature, const QByteArray& secret)
{
    Result result;
    const auto decoded = decodeSignature(signature);
    if (!decoded) {
        result.verdict = Verdict::MalformedSignature;
        result.detail = tr("The signature is not an HMAC-SHA256 value: expected 64 hex characters (optionally "
                           "\"sha256=\" first) or 44 base64 characters. Copy the whole signature header value.");
        return result;
    }
    const auto& [mac, encoding] = *decoded;
    result.signatureEncoding = encoding;

    if (constantTimeEquals(hmac(body, secret), mac)) {
        result.verdict = Verdict::Valid;
        result.detail = tr("Valid: the %1 signature matches HMAC-SHA256 of the body with this environment's secret.")
                            .arg(encoding);
        return result;
    }
    for (const auto& [variant, description] : bodyVariants(body)) {
        if (variant != body && constantTimeEquals(hmac(variant, secret), mac)) {
            result.verdict = Verdict::BodyWhitespace;
            result.detail = tr("The signature matches the body %1, not the bytes given: verify the raw request body "
                               "exactly as received, before any parsing or reformatting.")
                                .arg(description);
            return result;
        }
    }
    const QByteArray trimmedSecret = secret.trimmed();
    const QList<std::pair<QByteArray, QString>> secrets = {
        {trimmedSecret, tr("with surrounding whitespace removed from the secret")},
        {QByteArray::fromHex(trimmedSecret), tr("hex-decoded")},
        {QByteArray::fromBase64(trimmedSecret), tr("base64-decoded")},
    };
    for (const auto& [candidate, description] : secrets) {
        if (!candidate.isEmpty() && candidate != secret && constantTimeEquals(hmac(body, candidate), mac)) {
            result.verdict = Verdict::SecretEncoding;
            result.detail
                = tr("The signature matches when the secret is %1: store the secret in that form.").arg(description);
            return result;
        }
    }
    result.verdict = Verdict::Mismatch;
    result.detail = tr("The signature does not match: the secret is not the one that signed this webhook (check the "
                       "environment's webhookSecret), or the body was changed after it was signed.");
    return result;
}

} // namespace keyway
