#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

// OpenSSL's key type, kept out of every header that includes this one.
struct evp_pkey_st;

namespace keyway::crypto {

// An asymmetric key held by OpenSSL's libcrypto: an RSA key or an EC key on P-256, public or private.
// Keyway never implements a signature itself; everything here is EVP calls.
class Key
{
    Q_DECLARE_TR_FUNCTIONS(keyway::crypto::Key)
public:
    enum class Type { None, Rsa, EcP256, Other };

    Key() = default;

    // A PEM private key (PKCS#8 "PRIVATE KEY", or "RSA PRIVATE KEY" / "EC PRIVATE KEY"). Never asks for a
    // passphrase: an encrypted key is refused with a sentence that says so. `error` never quotes the key.
    static std::optional<Key> fromPrivatePem(const QByteArray& pem, QString* error);
    // A public key from one JWK (RFC 7517): kty RSA (n, e) or EC on P-256 (x, y).
    static std::optional<Key> fromJwk(const nlohmann::json& jwk, QString* error);
    static Key generateRsa(int bits = 2048);
    static Key generateEcP256();

    Type type() const;
    bool isNull() const { return !m_key; }
    int bits() const;
    QByteArray privatePem() const; // PKCS#8; empty for a public key
    QByteArray publicPem() const;
    // The public half as a JWK with `kid` (when not empty), `use` = sig and `alg`.
    nlohmann::json publicJwk(const QString& kid) const;
    // The signature algorithm Keyway uses with this key: RS256 for RSA, ES256 for P-256, "" otherwise.
    QString defaultAlgorithm() const;

    evp_pkey_st* handle() const { return m_key.get(); }

private:
    explicit Key(evp_pkey_st* key);
    std::shared_ptr<evp_pkey_st> m_key;
};

// A compact JWS (RFC 7515) split into its parts; nothing verified.
struct JwsParts
{
    nlohmann::json header;
    nlohmann::json claims;
    QByteArray signingInput; // "header.payload" as sent
    QByteArray signature; // decoded bytes

    static std::optional<JwsParts> parse(const QString& token);
};

// Signs and verifies compact JWS with libcrypto: HS256 (a shared secret), RS256, PS256, ES256.
class Jws
{
    Q_DECLARE_TR_FUNCTIONS(keyway::crypto::Jws)
public:
    // alg RS256 / PS256 (RSA key) or ES256 (P-256 key). `header` gets `alg` (and keeps `kid`, `typ`).
    static std::optional<QString> sign(const QString& alg,
                                       const Key& key,
                                       nlohmann::ordered_json header,
                                       const nlohmann::ordered_json& claims,
                                       QString* error);
    static QString
    signHs256(const QByteArray& secret, nlohmann::ordered_json header, const nlohmann::ordered_json& claims);

    // "" when `signature` over `signingInput` is valid for `alg` with `key`; else why not, in one sentence.
    // Refuses `none`, HMAC and any algorithm that does not fit the key's type.
    static QString
    verify(const QString& alg, const Key& key, const QByteArray& signingInput, const QByteArray& signature);
    static bool verifyHs256(const QByteArray& secret, const QByteArray& signingInput, const QByteArray& signature);

    static QByteArray base64Url(const QByteArray& bytes);
};

} // namespace keyway::crypto
