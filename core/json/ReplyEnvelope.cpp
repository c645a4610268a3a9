#include "core/json/ReplyEnvelope.h"

#include "core/json/JsonText.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

namespace keyway::json {

namespace {

// Envelope members are small; anything bigger is not an envelope field worth decoding.
constexpr quint32 MaxMemberBytes = 64 * 1024;

std::optional<QJsonValue> member(const QByteArray& document, const JsonIndexResult& root, QLatin1String key)
{
    for (const JsonEntry& entry : root.children) {
        if (!entry.hasKey || entry.valueLength > MaxMemberBytes) {
            continue;
        }
        if (unescapeString(document.constData() + entry.keyOffset, entry.keyLength) != key) {
            continue;
        }
        // Wrapped in an array so scalars parse with QJsonDocument too.
        const QByteArray wrapped
            = '[' + document.mid(static_cast<qsizetype>(entry.valueOffset), entry.valueLength) + ']';
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped);
        if (doc.isArray() && doc.array().size() == 1) {
            return doc.array().at(0);
        }
        return std::nullopt;
    }
    return std::nullopt;
}

QString scalarText(const QJsonValue& value)
{
    if (value.isString()) {
        return value.toString();
    }
    if (value.isDouble()) {
        return QString::number(value.toDouble(), 'g', 16);
    }
    return {};
}

} // namespace

QString ReplyEnvelope::summary() const
{
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Seismic:
        return isError ? QCoreApplication::translate("keyway::json", "Provider error code %1: %2").arg(code, message)
                       : QCoreApplication::translate("keyway::json", "Provider success code %1: %2").arg(code, message);
    case Kind::JsonApi:
        return code.isEmpty() ? QCoreApplication::translate("keyway::json", "JSON:API error: %1").arg(message)
                              : QCoreApplication::translate("keyway::json", "JSON:API error %1: %2").arg(code, message);
    case Kind::OAuth:
        return message.isEmpty() ? QCoreApplication::translate("keyway::json", "OAuth error: %1").arg(code)
                                 : QCoreApplication::translate("keyway::json", "OAuth error %1: %2").arg(code, message);
    }
    return {};
}

ReplyEnvelope readEnvelope(const QByteArray& document, const JsonIndexResult& root)
{
    ReplyEnvelope envelope;
    if (!root.ok || root.value.type != JsonType::Object) {
        return envelope;
    }
    const auto code = member(document, root, QLatin1String("code"));
    const auto msg = member(document, root, QLatin1String("msg"));
    if (code && msg && !scalarText(*code).isEmpty()) {
        envelope.kind = ReplyEnvelope::Kind::Seismic;
        envelope.code = scalarText(*code);
        envelope.message = scalarText(*msg);
        envelope.isError = envelope.code != QLatin1String("000000");
        return envelope;
    }
    if (const auto errors = member(document, root, QLatin1String("errors"));
        errors && errors->isArray() && !errors->toArray().isEmpty()) {
        const QJsonObject first = errors->toArray().at(0).toObject();
        const QString title = first.value(QLatin1String("title")).toString();
        const QString detail = first.value(QLatin1String("detail")).toString();
        envelope.kind = ReplyEnvelope::Kind::JsonApi;
        envelope.isError = true;
        envelope.code = scalarText(first.value(QLatin1String("code")));
        if (envelope.code.isEmpty()) {
            envelope.code = scalarText(first.value(QLatin1String("status")));
        }
        envelope.message = (title.isEmpty() || detail.isEmpty()) ? QString(title + detail)
                                                                 : QString(title + QStringLiteral(": ") + detail);
        return envelope;
    }
    if (const auto error = member(document, root, QLatin1String("error")); error && error->isString()) {
        envelope.kind = ReplyEnvelope::Kind::OAuth;
        envelope.isError = true;
        envelope.code = error->toString();
        if (const auto description = member(document, root, QLatin1String("error_description"))) {
            envelope.message = description->toString();
        }
    }
    return envelope;
}

} // namespace keyway::json
