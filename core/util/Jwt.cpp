#include "core/util/Jwt.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QStringList>

#include <cmath>

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

QString unquoted(const QString& text)
{
    QString s = text.trimmed();
    if (s.size() >= 2 && s.startsWith(QLatin1Char('"')) && s.endsWith(QLatin1Char('"'))) {
        s = s.mid(1, s.size() - 2);
    }
    return s;
}

bool isBase64UrlChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'-' || u == u'_';
}

} // namespace

bool Jwt::looksLikeJwt(const QString& text)
{
    const QString s = unquoted(text);
    // Header and claims segments are at least a few characters; the signature may be empty (alg "none").
    if (s.size() < 10 || s.size() > 64 * 1024 || s.count(QLatin1Char('.')) != 2) {
        return false;
    }
    int segmentLength = 0;
    int segment = 0;
    for (const QChar c : s) {
        if (c == QLatin1Char('.')) {
            if (segmentLength < 4) {
                return false;
            }
            ++segment;
            segmentLength = 0;
        } else if (!isBase64UrlChar(c)) {
            return false;
        } else {
            ++segmentLength;
        }
    }
    return segment == 2 && s.startsWith(QLatin1String("ey"));
}

std::optional<qint64> Jwt::claimSeconds(const QString& name) const
{
    // Seconds between the years 0 and 9999 at most: a claim beyond that is nonsense, and converting it
    // (1e300) to an integer would be undefined behaviour. Found by tests/fuzz/fuzz_jwt.
    constexpr double limit = 253402300799.0;
    const QJsonValue value = claims.value(name);
    if (value.isDouble()) {
        const double seconds = value.toDouble();
        if (std::isfinite(seconds) && std::fabs(seconds) <= limit) {
            return static_cast<qint64>(std::floor(seconds));
        }
        return std::nullopt;
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 seconds = value.toString().toLongLong(&ok);
        if (ok && seconds >= -qint64(limit) && seconds <= qint64(limit)) {
            return seconds;
        }
    }
    return std::nullopt;
}

std::optional<Jwt> Jwt::decode(const QString& text)
{
    if (!looksLikeJwt(text)) {
        return std::nullopt;
    }
    const QStringList parts = unquoted(text).split(QLatin1Char('.'));
    auto header = decodeObject(parts[0]);
    auto claims = header ? decodeObject(parts[1]) : std::nullopt;
    if (!header || !claims) {
        return std::nullopt;
    }
    return Jwt {*header, *claims};
}

std::optional<qint64> Jwt::expiresAt() const
{
    return claimSeconds(QStringLiteral("exp"));
}

std::optional<qint64> Jwt::issuedAt() const
{
    return claimSeconds(QStringLiteral("iat"));
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
