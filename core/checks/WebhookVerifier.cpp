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

// Strips what the rule says may precede the value: the header's name (a pasted header line) and a
// prefix such as "sha256=".
QByteArray signatureValue(const WebhookRule& rule, QByteArray signature)
{
    signature = signature.trimmed();
    const QByteArray header = rule.header.toLatin1().toLower() + ':';
    if (!rule.header.isEmpty() && signature.toLower().startsWith(header)) {
        signature = signature.mid(header.size()).trimmed();
    }
    for (const QString& prefix : rule.prefixes) {
        const QByteArray bytes = prefix.toUtf8();
        if (!bytes.isEmpty() && signature.toLower().startsWith(bytes.toLower())) {
            signature = signature.mid(bytes.size());
            break;
        }
    }
    return signature;
}

// Decodes "<hex>" or "<base64>" into the 32 raw bytes of the MAC.
std::optional<std::pair<QByteArray, QString>> decodeSignature(const QByteArray& signature)
{
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

WebhookRule WebhookVerifier::anyRule()
{
    WebhookRule rule;
    rule.prefixes = {QStringLiteral("sha256="), QStringLiteral("v1="), QStringLiteral("hmac-sha256=")};
    return rule;
}

WebhookVerifier::Result
WebhookVerifier::verify(const QByteArray& body, const QByteArray& signature, const QByteArray& secret)
{
    return verify(anyRule(), body, signature, secret);
}

WebhookVerifier::Result WebhookVerifier::verify(const WebhookRule& rule,
                                                const QByteArray& body,
                                                const QByteArray& signature,
                                                const QByteArray& secret)
{
    Result result;
    const auto decoded = decodeSignature(signatureValue(rule, signature));
    const QString header = rule.header.isEmpty() ? tr("signature header") : rule.header;
    if (!decoded) {
        result.verdict = Verdict::MalformedSignature;
        QStringList forms;
        if (rule.encodings.contains(QLatin1String("hex"))) {
            forms.append(tr("64 hex characters"));
        }
        if (rule.encodings.contains(QLatin1String("base64"))) {
            forms.append(tr("44 base64 characters"));
        }
        result.detail = tr("The signature is not an HMAC-SHA256 value: expected %1%2. Copy the whole value of the "
                           "%3 header.")
                            .arg(forms.join(tr(" or ")),
                                 rule.prefixes.isEmpty() ? QString()
                                                         : tr(" (optionally \"%1\" first)").arg(rule.prefixes.first()),
                                 header);
        return result;
    }
    const auto& [mac, encoding] = *decoded;
    result.signatureEncoding = encoding;
    if (!rule.encodings.contains(encoding)) {
        // The provider never writes this form: the value came from somewhere else or was re-encoded.
        result.verdict = Verdict::MalformedSignature;
        result.detail = tr("The signature is written in %1, but this provider sends %2 in the %3 header: copy the "
                           "header's value unchanged.")
                            .arg(encoding, rule.encodings.join(tr(" or ")), header);
        return result;
    }

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
    result.detail = rule.secretKey.isEmpty()
        ? tr("The signature does not match: the secret is not the one that signed this webhook, or the body was "
             "changed after it was signed.")
        : tr("The signature does not match: the secret is not the one that signed this webhook (check the "
             "environment's %1), or the body was changed after it was signed.")
              .arg(rule.secretKey);
    return result;
}

} // namespace keyway
