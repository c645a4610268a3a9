#include "core/sandbox/SandboxPki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace keyway::sandbox {

namespace {

struct Free
{
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
    void operator()(X509* certificate) const { X509_free(certificate); }
    void operator()(BIO* bio) const { BIO_free(bio); }
    void operator()(BIGNUM* number) const { BN_free(number); }
    void operator()(X509_EXTENSION* extension) const { X509_EXTENSION_free(extension); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Free>;
using CertPtr = std::unique_ptr<X509, Free>;
using BioPtr = std::unique_ptr<BIO, Free>;
using BnPtr = std::unique_ptr<BIGNUM, Free>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Free>;

constexpr long ValiditySeconds = 30L * 24 * 3600;

KeyPtr makeKey()
{
    return KeyPtr(EVP_EC_gen("P-256"));
}

bool addExtension(X509* certificate, X509* issuer, int nid, const char* value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    ExtPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

enum class Kind { Ca, Server, Client };

// `issuer` / `issuerKey` null: self-signed.
CertPtr makeCertificate(EVP_PKEY* key, const char* commonName, Kind kind, X509* issuer, EVP_PKEY* issuerKey)
{
    CertPtr certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), 2) != 1) {
        return {};
    }
    BnPtr serial(BN_new());
    if (!serial || BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get()))) {
        return {};
    }
    // An hour back, so a clock a little behind the sandbox's still accepts it.
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), ValiditySeconds);
    X509_set_pubkey(certificate.get(), key);
    X509_NAME* name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("Keyway sandbox"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(commonName), -1, -1, 0);
    X509* signer = issuer ? issuer : certificate.get();
    X509_set_issuer_name(certificate.get(), X509_get_subject_name(signer));

    bool ok = addExtension(certificate.get(), signer, NID_subject_key_identifier, "hash");
    if (issuer) {
        ok = ok && addExtension(certificate.get(), signer, NID_authority_key_identifier, "keyid:always");
    }
    switch (kind) {
    case Kind::Ca:
        ok = ok && addExtension(certificate.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
            && addExtension(certificate.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
        break;
    case Kind::Server:
        ok = ok && addExtension(certificate.get(), signer, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(certificate.get(), signer, NID_key_usage, "critical,digitalSignature")
            && addExtension(certificate.get(), signer, NID_ext_key_usage, "serverAuth")
            && addExtension(certificate.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
        break;
    case Kind::Client:
        ok = ok && addExtension(certificate.get(), signer, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(certificate.get(), signer, NID_key_usage, "critical,digitalSignature")
            && addExtension(certificate.get(), signer, NID_ext_key_usage, "clientAuth");
        break;
    }
    if (!ok || X509_sign(certificate.get(), issuerKey ? issuerKey : key, EVP_sha256()) <= 0) {
        return {};
    }
    return certificate;
}

QByteArray bioBytes(BIO* bio)
{
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, static_cast<int>(size)) : QByteArray();
}

QSslCertificate toQt(X509* certificate)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) {
        return QSslCertificate();
    }
    return QSslCertificate(bioBytes(bio.get()), QSsl::Pem);
}

QByteArray keyPem(EVP_PKEY* key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return {};
    }
    return bioBytes(bio.get());
}

} // namespace

std::optional<SandboxPki> SandboxPki::generate(QString* error)
{
    const KeyPtr caKey = makeKey();
    const KeyPtr serverKey = makeKey();
    const KeyPtr clientKey = makeKey();
    if (!caKey || !serverKey || !clientKey) {
        *error = QStringLiteral("libcrypto could not generate an EC P-256 key");
        return std::nullopt;
    }
    const CertPtr ca = makeCertificate(caKey.get(), "Keyway sandbox CA", Kind::Ca, nullptr, nullptr);
    const CertPtr server
        = ca ? makeCertificate(serverKey.get(), "127.0.0.1", Kind::Server, ca.get(), caKey.get()) : CertPtr();
    const CertPtr client = ca
        ? makeCertificate(clientKey.get(), "Keyway sandbox demo client", Kind::Client, ca.get(), caKey.get())
        : CertPtr();
    if (!server || !client) {
        *error = QStringLiteral("libcrypto could not sign the sandbox certificates");
        return std::nullopt;
    }
    SandboxPki pki;
    pki.caCertificate = toQt(ca.get());
    pki.serverCertificate = toQt(server.get());
    pki.serverKey = QSslKey(keyPem(serverKey.get()), QSsl::Ec);
    pki.clientCertificate = toQt(client.get());
    pki.clientKeyPem = keyPem(clientKey.get());
    if (pki.caCertificate.isNull() || pki.serverCertificate.isNull() || pki.serverKey.isNull()
        || pki.clientCertificate.isNull() || pki.clientKeyPem.isEmpty()) {
        *error = QStringLiteral("the sandbox certificates could not be read back");
        return std::nullopt;
    }
    return pki;
}

} // namespace keyway::sandbox
