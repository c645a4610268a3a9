#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace keyway::sandbox {

// Mints and verifies HS256 JSON Web Tokens (RFC 7519) for the providers whose documents promise
// a JWT access token (eCard, Astrada), so clients can read `exp` and `scope` from a real one.
class JwtSigner
{
public:
    explicit JwtSigner(QByteArray key) : m_key(std::move(key)) { }

    QString sign(const nlohmann::ordered_json& claims) const;
    // The claims when the signature is ours, else a discarded json value.
    nlohmann::json verify(const QString& token) const;

private:
    QByteArray m_key;
};

} // namespace keyway::sandbox
