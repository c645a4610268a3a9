#include "core/sandbox/JwtSigner.h"

#include <QList>
#include <QMessageAuthenticationCode>

namespace keyway::sandbox {

namespace {
QByteArray base64Url(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
} // namespace

QString JwtSigner::sign(const nlohmann::ordered_json& claims) const
{
    const nlohmann::ordered_json header = {{"alg", "HS256"}, {"typ", "JWT"}};
    const QByteArray signingInput = base64Url(QByteArray::fromStdString(header.dump())) + '.'
        + base64Url(QByteArray::fromStdString(claims.dump()));
    const QByteArray signature = QMessageAuthenticationCode::hash(signingInput, m_key, QCryptographicHash::Sha256);
    return QString::fromLatin1(signingInput + '.' + base64Url(signature));
}

nlohmann::json JwtSigner::verify(const QString& token) const
{
    const QByteArray bytes = token.toLatin1();
    const QList<QByteArray> parts = bytes.split('.');
    if (parts.size() != 3) {
        return nlohmann::json::value_t::discarded;
    }
    const QByteArray signingInput = parts.at(0) + '.' + parts.at(1);
    const QByteArray expected
        = base64Url(QMessageAuthenticationCode::hash(signingInput, m_key, QCryptographicHash::Sha256));
    if (expected != parts.at(2)) {
        return nlohmann::json::value_t::discarded;
    }
    const auto decoded = QByteArray::fromBase64Encoding(parts.at(1), QByteArray::Base64UrlEncoding);
    if (!decoded) {
        return nlohmann::json::value_t::discarded;
    }
    return nlohmann::json::parse(decoded.decoded.toStdString(), nullptr, false);
}

} // namespace keyway::sandbox
