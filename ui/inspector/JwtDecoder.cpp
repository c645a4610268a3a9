#include "ui/inspector/JwtDecoder.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace keyway::ui {

namespace {

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

std::optional<QJsonObject> decodeSegment(QStringView segment)
{
    const auto bytes = QByteArray::fromBase64Encoding(
        segment.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes) {
        return std::nullopt;
    }
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        return std::nullopt;
    }
    return doc.object();
}

} // namespace

std::optional<qint64> DecodedJwt::claimSeconds(const QString& name) const
{
    const QJsonValue value = claims.value(name);
    if (value.isDouble()) {
        return static_cast<qint64>(value.toDouble());
    }
    bool ok = false;
    const qint64 seconds = value.toString().toLongLong(&ok);
    return ok ? std::optional<qint64>(seconds) : std::nullopt;
}

bool JwtDecoder::looksLikeJwt(const QString& text)
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
    return segment == 2 && s.startsWith(QLatin1String("ey")); // a JSON object header always encodes to "ey"
}

std::optional<DecodedJwt> JwtDecoder::decode(const QString& text)
{
    if (!looksLikeJwt(text)) {
        return std::nullopt;
    }
    const QString s = unquoted(text);
    const QList<QStringView> parts = QStringView(s).split(QLatin1Char('.'));
    auto header = decodeSegment(parts.at(0));
    auto claims = header ? decodeSegment(parts.at(1)) : std::nullopt;
    if (!claims) {
        return std::nullopt;
    }
    return DecodedJwt {*header, *claims};
}

} // namespace keyway::ui
