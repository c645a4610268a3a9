#include "core/crypto/Jws.h"

#include <QList>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace keyway::crypto {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter
{
    void operator()(T* p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using EcSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

constexpr int kP256Bytes = 32;

// Never prompts on a terminal for a passphrase: an encrypted key is reported instead.
int noPassphrase(char*, int, int, void* userData)
{
    *static_cast<bool*>(userData) = true;
    return -1;
}

QByteArray fromBase64Url(const nlohmann::json& jwk, const char* member)
{
    if (!jwk.contains(member) || !jwk.at(member).is_string()) {
        return {};
    }
    const auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromStdString(jwk.at(member).get<std::string>()),
                                                        QByteArray::Base64UrlEncoding);
    return decoded ? decoded.decoded : QByteArray();
}

BnPtr toBn(const QByteArray& bytes)
{
    return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.constData()), int(bytes.size()), nullptr));
}

QByteArray bnBytes(const BIGNUM* bn, int width = 0)
{
    const int size = width > 0 ? width : BN_num_bytes(bn);
    QByteArray out(size, '\0');
    if (width > 0) {
        BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), width);
    } else {
        BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    }
    return out;
}

QByteArray bnParam(EVP_PKEY* key, const char* name, int width = 0)
{
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1 || !bn) {
        return {};
    }
    BnPtr owned(bn);
    return bnBytes(bn, width);
}

const EVP_MD* digestOf(const QString& alg)
{
    if (alg == QLatin1String("RS256") || alg == QLatin1String("PS256") || alg == QLatin1String("ES256")) {
        return EVP_sha256();
    }
    return nullptr;
}

QByteArray hmacSha256(const QByteArray& secret, const QByteArray& data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t outLen = 0;
    if (!EVP_Q_mac(nullptr,
                   "HMAC",
                   nullptr,
                   "SHA256",
                   nullptr,
                   secret.constData(),
                   size_t(secret.size()),
                   reinterpret_cast<const unsigned char*>(data.constData()),
                   size_t(data.size()),
                   out,
                   sizeof out,
                   &outLen)) {
        ERR_clear_error();
        return {};
    }
    return QByteArray(reinterpret_cast<const char*>(out), int(outLen));
}

// ES256 signatures are r || s, 32 bytes each (RFC 7518 §3.4); libcrypto speaks DER.
QByteArray derToRaw(const QByteArray& der)
{
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    EcSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, long(der.size())));
    if (!sig) {
        return {};
    }
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    return bnBytes(r, kP256Bytes) + bnBytes(s, kP256Bytes);
}

QByteArray rawToDer(const QByteArray& raw)
{
    if (raw.size() != 2 * kP256Bytes) {
        return {};
    }
    EcSigPtr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.constData()), kP256Bytes, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.constData()) + kP256Bytes, kP256Bytes, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    unsigned char* der = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &der);
    if (len <= 0) {
        return {};
    }
    QByteArray out(reinterpret_cast<const char*>(der), len);
    OPENSSL_free(der);
    return out;
}

bool setPss(EVP_PKEY_CTX* pctx)
{
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0
        && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0;
}

QByteArray encodePart(const nlohmann::ordered_json& part)
{
    return Jws::base64Url(QByteArray::fromStdString(part.dump()));
}

} // namespace

Key::Key(evp_pkey_st* key) : m_key(key, EVP_PKEY_free) { }

std::optional<Key> Key::fromPrivatePem(const QByteArray& text, QString* error)
{
    // A key pasted into a one-line field arrives with its line breaks turned into spaces or dropped: rebuild the
    // PEM lines (64 base64 characters each).
    QByteArray pem = text.trimmed();
    if (!pem.contains('\n') && pem.startsWith("-----BEGIN ")) {
        const int headerEnd = int(pem.indexOf("-----", 11));
        const int footer = int(pem.lastIndexOf("-----END "));
        if (headerEnd > 0 && footer > headerEnd) {
            QByteArray body = pem.mid(headerEnd + 5, footer - headerEnd - 5);
            body.replace(' ', QByteArray()).replace('\r', QByteArray()).replace('\t', QByteArray());
            QByteArray wrapped;
            for (int i = 0; i < body.size(); i += 64) {
                wrapped += body.mid(i, 64) + '\n';
            }
            pem = pem.left(headerEnd + 5) + '\n' + wrapped + pem.mid(footer) + '\n';
        }
    }
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    bool askedForPassphrase = false;
    EVP_PKEY* raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, &askedForPassphrase) : nullptr;
    ERR_clear_error();
    if (!raw) {
        if (error) {
            *error = askedForPassphrase
                ? tr("the private key is encrypted with a passphrase; store it unencrypted (for example with "
                     "openssl pkey -in key.pem -out plain.pem)")
                : tr("the value is not a PEM private key (expected -----BEGIN PRIVATE KEY----- with an RSA or EC "
                     "P-256 key)");
        }
        return std::nullopt;
    }
    Key key(raw);
    if (key.type() != Type::Rsa && key.type() != Type::EcP256) {
        if (error) {
            *error = tr("the private key is neither RSA nor EC on P-256: use RS256 (RSA, 2048 bits or more) or "
                        "ES256 (P-256) keys");
        }
        return std::nullopt;
    }
    if (key.type() == Type::Rsa && key.bits() < 2048) {
        if (error) {
            *error = tr("the RSA key has %1 bits; RS256 needs 2048 or more").arg(key.bits());
        }
        return std::nullopt;
    }
    return key;
}

std::optional<Key> Key::fromJwk(const nlohmann::json& jwk, QString* error)
{
    auto failWith = [error](const QString& text) {
        if (error) {
            *error = text;
        }
        ERR_clear_error();
        return std::nullopt;
    };
    if (!jwk.is_object() || !jwk.contains("kty") || !jwk.at("kty").is_string()) {
        return failWith(tr("the JWK has no kty"));
    }
    const std::string kty = jwk.at("kty").get<std::string>();
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    const char* typeName = nullptr;
    BnPtr n;
    BnPtr e;
    QByteArray point;
    if (kty == "RSA") {
        const QByteArray nBytes = fromBase64Url(jwk, "n");
        const QByteArray eBytes = fromBase64Url(jwk, "e");
        if (nBytes.isEmpty() || eBytes.isEmpty()) {
            return failWith(tr("the RSA JWK lacks n or e"));
        }
        n = toBn(nBytes);
        e = toBn(eBytes);
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
        typeName = "RSA";
    } else if (kty == "EC") {
        if (!jwk.contains("crv") || jwk.at("crv") != "P-256") {
            return failWith(tr("the EC JWK is not on curve P-256"));
        }
        const QByteArray x = fromBase64Url(jwk, "x");
        const QByteArray y = fromBase64Url(jwk, "y");
        if (x.size() != kP256Bytes || y.size() != kP256Bytes) {
            return failWith(tr("the EC JWK's x or y is not 32 bytes"));
        }
        point = QByteArray(1, '\x04') + x + y;
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(), size_t(point.size()));
        typeName = "EC";
    } else {
        return failWith(tr("the JWK's kty %1 is not supported (RSA or EC)").arg(QString::fromStdString(kty)));
    }
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, typeName, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || !raw) {
        return failWith(tr("the JWK does not describe a valid public key"));
    }
    return Key(raw);
}

Key Key::generateRsa(int bits)
{
    return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(bits)));
}

Key Key::generateEcP256()
{
    return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

Key::Type Key::type() const
{
    if (!m_key) {
        return Type::None;
    }
    if (EVP_PKEY_is_a(m_key.get(), "RSA")) {
        return Type::Rsa;
    }
    if (EVP_PKEY_is_a(m_key.get(), "EC")) {
        char group[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(m_key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) == 1
            && (qstrcmp(group, "prime256v1") == 0 || qstrcmp(group, "P-256") == 0)) {
            return Type::EcP256;
        }
    }
    return Type::Other;
}

int Key::bits() const
{
    return m_key ? EVP_PKEY_get_bits(m_key.get()) : 0;
}

QByteArray Key::privatePem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!m_key || !bio
        || PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        ERR_clear_error();
        return {};
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(len));
}

QByteArray Key::publicPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!m_key || !bio || PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1) {
        ERR_clear_error();
        return {};
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(len));
}

QString Key::defaultAlgorithm() const
{
    switch (type()) {
    case Type::Rsa:
        return QStringLiteral("RS256");
    case Type::EcP256:
        return QStringLiteral("ES256");
    default:
        return {};
    }
}

nlohmann::json Key::publicJwk(const QString& kid) const
{
    nlohmann::json jwk = nlohmann::json::object();
    auto b64 = [](const QByteArray& bytes) { return Jws::base64Url(bytes).toStdString(); };
    if (type() == Type::Rsa) {
        jwk["kty"] = "RSA";
        jwk["n"] = b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_RSA_N));
        jwk["e"] = b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_RSA_E));
    } else if (type() == Type::EcP256) {
        jwk["kty"] = "EC";
        jwk["crv"] = "P-256";
        jwk["x"] = b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_EC_PUB_X, kP256Bytes));
        jwk["y"] = b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, kP256Bytes));
    } else {
        return jwk;
    }
    jwk["use"] = "sig";
    jwk["alg"] = defaultAlgorithm().toStdString();
    if (!kid.isEmpty()) {
        jwk["kid"] = kid.toStdString();
    }
    return jwk;
}

std::optional<JwsParts> JwsParts::parse(const QString& token)
{
    const QByteArray bytes = token.trimmed().toLatin1();
    const QList<QByteArray> parts = bytes.split('.');
    if (parts.size() != 3 || bytes.size() > 256 * 1024) {
        return std::nullopt;
    }
    const auto header = QByteArray::fromBase64Encoding(parts.at(0), QByteArray::Base64UrlEncoding);
    const auto claims = QByteArray::fromBase64Encoding(parts.at(1), QByteArray::Base64UrlEncoding);
    const auto signature = QByteArray::fromBase64Encoding(parts.at(2), QByteArray::Base64UrlEncoding);
    if (!header || !claims || !signature) {
        return std::nullopt;
    }
    JwsParts out;
    out.header = nlohmann::json::parse(header.decoded.toStdString(), nullptr, false);
    out.claims = nlohmann::json::parse(claims.decoded.toStdString(), nullptr, false);
    if (!out.header.is_object() || !out.claims.is_object()) {
        return std::nullopt;
    }
    out.signingInput = parts.at(0) + '.' + parts.at(1);
    out.signature = signature.decoded;
    return out;
}

QByteArray Jws::base64Url(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<QString> Jws::sign(const QString& alg,
                                 const Key& key,
                                 nlohmann::ordered_json header,
                                 const nlohmann::ordered_json& claims,
                                 QString* error)
{
    const bool rsaAlg = alg == QLatin1String("RS256") || alg == QLatin1String("PS256");
    const bool fits = (rsaAlg && key.type() == Key::Type::Rsa)
        || (alg == QLatin1String("ES256") && key.type() == Key::Type::EcP256);
    if (!fits) {
        if (error) {
            *error = tr("%1 cannot be made with this key").arg(alg);
        }
        return std::nullopt;
    }
    nlohmann::ordered_json h = nlohmann::ordered_json::object();
    h["alg"] = alg.toStdString();
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() != "alg") {
            h[it.key()] = it.value();
        }
    }
    const QByteArray input = encodePart(h) + '.' + encodePart(claims);
    MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    size_t len = 0;
    bool ok = ctx && EVP_DigestSignInit(ctx.get(), &pctx, digestOf(alg), nullptr, key.handle()) == 1;
    if (ok && alg == QLatin1String("PS256")) {
        ok = setPss(pctx);
    }
    ok = ok
        && EVP_DigestSign(ctx.get(),
                          nullptr,
                          &len,
                          reinterpret_cast<const unsigned char*>(input.constData()),
                          size_t(input.size()))
            == 1;
    QByteArray signature(int(len), '\0');
    ok = ok
        && EVP_DigestSign(ctx.get(),
                          reinterpret_cast<unsigned char*>(signature.data()),
                          &len,
                          reinterpret_cast<const unsigned char*>(input.constData()),
                          size_t(input.size()))
            == 1;
    ERR_clear_error();
    if (!ok) {
        if (error) {
            *error = tr("libcrypto could not sign with this key");
        }
        return std::nullopt;
    }
    signature.resize(int(len));
    if (alg == QLatin1String("ES256")) {
        signature = derToRaw(signature);
    }
    return QString::fromLatin1(input + '.' + base64Url(signature));
}

QString Jws::signHs256(const QByteArray& secret, nlohmann::ordered_json header, const nlohmann::ordered_json& claims)
{
    nlohmann::ordered_json h = nlohmann::ordered_json::object();
    h["alg"] = "HS256";
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() != "alg") {
            h[it.key()] = it.value();
        }
    }
    const QByteArray input = encodePart(h) + '.' + encodePart(claims);
    return QString::fromLatin1(input + '.' + base64Url(hmacSha256(secret, input)));
}

QString Jws::verify(const QString& alg, const Key& key, const QByteArray& signingInput, const QByteArray& signature)
{
    if (alg.isEmpty() || alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
        return tr("the token is unsigned (alg none), which is never accepted");
    }
    if (alg.startsWith(QLatin1String("HS"))) {
        return tr("the token is signed with %1, a shared-secret algorithm, where the issuer's public key is "
                  "expected; it is refused")
            .arg(alg);
    }
    const bool rsaAlg = alg == QLatin1String("RS256") || alg == QLatin1String("PS256");
    if (!rsaAlg && alg != QLatin1String("ES256")) {
        return tr("the signature algorithm %1 is not supported (RS256, PS256 or ES256)").arg(alg);
    }
    if ((rsaAlg && key.type() != Key::Type::Rsa) || (!rsaAlg && key.type() != Key::Type::EcP256)) {
        return tr("the key does not fit the algorithm %1").arg(alg);
    }
    QByteArray sig = signature;
    if (!rsaAlg) {
        sig = rawToDer(signature);
        if (sig.isEmpty()) {
            return tr("the ES256 signature is not 64 bytes");
        }
    }
    MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, digestOf(alg), nullptr, key.handle()) == 1;
    if (ok && alg == QLatin1String("PS256")) {
        ok = setPss(pctx);
    }
    ok = ok
        && EVP_DigestVerify(ctx.get(),
                            reinterpret_cast<const unsigned char*>(sig.constData()),
                            size_t(sig.size()),
                            reinterpret_cast<const unsigned char*>(signingInput.constData()),
                            size_t(signingInput.size()))
            == 1;
    ERR_clear_error();
    return ok ? QString() : tr("the signature does not match the key (the token was altered or signed by another key)");
}

bool Jws::verifyHs256(const QByteArray& secret, const QByteArray& signingInput, const QByteArray& signature)
{
    const QByteArray expected = hmacSha256(secret, signingInput);
    return !expected.isEmpty() && expected.size() == signature.size()
        && CRYPTO_memcmp(expected.constData(), signature.constData(), size_t(expected.size())) == 0;
}

} // namespace keyway::crypto
