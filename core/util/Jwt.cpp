#include "core/util/Jwt.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QStringList>

namespace keyway {

namespace {

std::optional<QJsonObject> decodeObject(const QString& part)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        part.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        return std::nullopt;
    }
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(*decoded, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        return std::nullopt;
    }
    return doc.object();
}

std::optional<qint64> secondsClaim(const QJsonObject& claims, const QString& name)
{
    const QJsonValue value = claims.value(name);
    if (value.isDouble()) {
        return static_cast<qint64>(value.toDouble());
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 seconds = value.toString().toLongLong(&ok);
        if (ok) {
            return seconds;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<Jwt> Jwt::decode(const QString& text)
{
    const QStringList parts = text.trimmed().split(QLatin1Char('.'));
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
        return std::nullopt;
    }
    auto header = decodeObject(parts[0]);
    auto claims = header ? decodeObject(parts[1]) : std::nullopt;
    if (!header || !claims) {
        return std::nullopt;
    }
    return Jwt {*header, *claims};
}

std::optional<qint64> Jwt::expiresAt() const
{
    return secondsClaim(claims, QStringLiteral("exp"));
}

std::optional<qint64> Jwt::issuedAt() const
{
    return secondsClaim(claims, QStringLiteral("iat"));
}

QString Jwt::subject() const
{
    const QJsonValue sub = claims.value(QStringLiteral("sub"));
    if (sub.isDouble()) {
        return QString::number(static_cast<qint64>(sub.toDouble()));
    }
    return sub.toString();
}

} // namespace keyway
