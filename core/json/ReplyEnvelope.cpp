#include "core/json/ReplyEnvelope.h"

#include "core/flow/ReplyJudge.h"
#include "core/json/JsonText.h"

#include <QCoreApplication>
#include <QSet>

namespace keyway::json {

namespace {

// Envelope members are small; anything bigger is not an envelope field worth decoding.
constexpr quint32 MaxMemberBytes = 64 * 1024;

// The first reference token of a JSON pointer ("/status/ok" → "status"), unescaped per RFC 6901.
QString topMember(const QString& pointer)
{
    if (!pointer.startsWith(QLatin1Char('/'))) {
        return {};
    }
    QString token = pointer.mid(1).section(QLatin1Char('/'), 0, 0);
    token.replace(QLatin1String("~1"), QLatin1String("/"));
    token.replace(QLatin1String("~0"), QLatin1String("~"));
    return token;
}

// A JSON object made of the top-level members the rule needs, copied byte for byte from `document`.
QByteArray envelopeMembers(const SuccessRule& rule, const QByteArray& document, const JsonIndexResult& root)
{
    QSet<QString> wanted = {QStringLiteral("error"), QStringLiteral("error_description")};
    for (const QString& pointer : QStringList {rule.codePointer, rule.messagePointer} + rule.nonEmpty) {
        if (const QString name = topMember(pointer); !name.isEmpty()) {
            wanted.insert(name);
        }
    }
    QByteArray out = "{";
    for (const JsonEntry& entry : root.children) {
        if (!entry.hasKey || entry.valueLength > MaxMemberBytes) {
            continue;
        }
        if (!wanted.contains(unescapeString(document.constData() + entry.keyOffset, entry.keyLength))) {
            continue;
        }
        if (out.size() > 1) {
            out += ',';
        }
        // Index keys are the raw (still escaped) text between the quotes.
        out += '"' + document.mid(static_cast<qsizetype>(entry.keyOffset), entry.keyLength) + "\":";
        out += document.mid(static_cast<qsizetype>(entry.valueOffset), entry.valueLength);
    }
    return out + '}';
}

} // namespace

QString ReplyEnvelope::summary() const
{
    if (!present) {
        return {};
    }
    if (code.isEmpty()) {
        return QCoreApplication::translate("keyway::json", "Provider error: %1").arg(message);
    }
    return isError ? QCoreApplication::translate("keyway::json", "Provider error code %1: %2").arg(code, message)
                   : QCoreApplication::translate("keyway::json", "Provider success code %1: %2").arg(code, message);
}

ReplyEnvelope readEnvelope(const SuccessRule& rule, int status, const QByteArray& document, const JsonIndexResult& root)
{
    ReplyEnvelope envelope;
    if (!root.ok || root.value.type != JsonType::Object) {
        return envelope;
    }
    // Small replies are judged whole; big ones only through the members the rule can look at.
    constexpr qsizetype WholeDocumentBytes = 1024 * 1024;
    const Verdict verdict = ReplyJudge::judge(
        rule, status, document.size() <= WholeDocumentBytes ? document : envelopeMembers(rule, document, root));
    envelope.isError = !verdict.ok;
    envelope.code = verdict.envelopeCode.isEmpty() ? verdict.oauthError : verdict.envelopeCode;
    envelope.message = verdict.message;
    envelope.present = !envelope.code.isEmpty() || (envelope.isError && !envelope.message.isEmpty());
    return envelope;
}

} // namespace keyway::json
