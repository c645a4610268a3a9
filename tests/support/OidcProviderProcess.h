#pragma once

#include "tests/support/SandboxBrowser.h"

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <nlohmann/json.hpp>

namespace keyway::test {

// A PEM key pair made by Node's crypto (the provider's own runtime), so no key ever sits in the repository.
struct PemKeyPair
{
    QByteArray privatePem; // PKCS#8
    QByteArray publicPem; // SPKI
};

// The real OpenID Connect provider of the integration tests (panva's oidc-provider, tests/oidc/provider.mjs),
// run by Node.js on 127.0.0.1 on a free port. Its clients and signing keys come from the JSON config the test
// passes (see the script's header); sign-ins approve at once as "alice", so SandboxBrowser only follows
// redirects. One instance per test binary: start it in initTestCase.
class OidcProviderProcess : public QObject
{
    Q_OBJECT
public:
    explicit OidcProviderProcess(QObject* parent = nullptr);
    ~OidcProviderProcess() override;

    // The node executable, or empty when Node.js is not installed (the only reason a test may skip).
    static QString nodeProgram();
    // Why the provider cannot run on this machine (node or the npm-installed module missing), or empty.
    static QString unavailableReason();
    // A fresh key pair: "rsa" (2048 bits) or "ec" (P-256). Empty pair on failure.
    static PemKeyPair generateKey(const QString& type);

    // Writes the config (owner-only) and starts node; returns once discovery answers. `error` says why not.
    bool start(const nlohmann::json& config, QString* error);
    void stop();
    bool isRunning() const;

    QUrl issuer() const { return m_issuer; }
    QUrl endpoint(const QString& path) const; // issuer + path
    QString log() const; // what node printed on stderr (never a secret: the script prints none)

    // Test-only controls of provider.mjs.
    // Request counters (jwks, token, discovery, introspection, revocation) and device_polls: when the device
    // grant was polled, in ms since the epoch.
    nlohmann::json stats();
    bool rotateKeys(const nlohmann::json& keys); // [{"kid", "pem"}]: the first one signs from now on
    bool tamperNextIdToken(const QString& what); // signature, aud, iss, exp, nonce, unknown_kid ("" resets)
    bool revokeNextAccessToken(); // the next access token issued is revoked at once (introspection: inactive)
    bool slowDownNextPoll(); // the device grant's next "authorization_pending" is "slow_down" instead

    // Plays the user at the device flow's verification page: opens `verificationUrl` (the complete one with
    // the user code) and submits its forms (confirm, or abort when `approve` is false) until the provider's
    // final page. Returns that page's text; `error` says why it stopped early.
    QString submitDeviceForms(const QUrl& verificationUrl, bool approve, QString* error);

    // The token endpoint as a public client, by hand: what the provider itself now says of a refresh token
    // (after a revocation: 400 invalid_grant).
    HttpExchange refreshByHand(const QString& clientId, const QString& refreshToken);

private:
    nlohmann::json testRequest(const QByteArray& verb, const QString& path, const nlohmann::json& body);

    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QUrl m_issuer;
    QNetworkAccessManager m_nam;
};

// The signing keys, clients and client secrets every suite registers at the provider (the CLI's and the
// desktop app's), so both drive the same realm: keyway-confidential (client_secret_basic), keyway-public (PKCE,
// no secret), keyway-pkjwt (private_key_jwt with kids client-rs and client-es), keyway-secret-jwt
// (client_secret_jwt) and keyway-device (device grant, public). The provider signs with kid sig-1.
struct OidcTestRealm
{
    PemKeyPair signing; // the provider's first key (kid sig-1)
    PemKeyPair signing2; // a key to rotate to (kid sig-2)
    PemKeyPair clientRsa; // private_key_jwt, RS256 (kid client-rs)
    PemKeyPair clientEc; // private_key_jwt, ES256 (kid client-es)
    PemKeyPair stranger; // a client key the provider never heard of
    QString confidentialSecret;
    QString jwtSecret;

    // Makes the keys (with Node) and random secrets; false when Node could not make a key pair.
    bool generate();
    // The provider's config (OidcProviderProcess::start).
    nlohmann::json config() const;
    // What must never appear in an output or a file: both secrets and a line from every private key.
    QStringList canaries() const;
};

// A random canary value starting with `prefix` (two 64-bit random numbers in base 36).
QString randomCanary(const char* prefix);
// A line from the middle of a PEM body: enough to recognise the key anywhere it leaks.
QString pemCanary(const QByteArray& pem);

} // namespace keyway::test
