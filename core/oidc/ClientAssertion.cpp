#include "core/oidc/ClientAssertion.h"

#include "core/crypto/Jws.h"
#include "core/util/Clock.h"

#include <QRandomGenerator>

namespace keyway::oidc {

bool ClientAssertion::isAssertionMethod(const QString& method)
{
    return method == QLatin1String("client_secret_jwt") || method == QLatin1String("private_key_jwt");
}

std::optional<ClientAssertion> ClientAssertion::build(const QString& method,
                                                      const QString& clientId,
                                                      const QString& audience,
                                                      const QString& clientSecret,
                                                      const QString& clientKey,
                                                      const QString& keyId,
                                                      QString* error)
{
    QByteArray jti(16, '\0');
    QRandomGenerator::system()->generate(reinterpret_cast<quint32*>(jti.data()),
                                         reinterpret_cast<quint32*>(jti.data() + jti.size()));
    const qint64 now = Clock::currentMSecsSinceEpoch() / 1000;
    ClientAssertion a;
    a.header = {{"typ", "JWT"}};
    if (method == QLatin1String("private_key_jwt") && !keyId.isEmpty()) {
        a.header["kid"] = keyId.toStdString();
    }
    a.claims = {{"iss", clientId.toStdString()},
                {"sub", clientId.toStdString()},
                {"aud", audience.toStdString()},
                {"jti", crypto::Jws::base64Url(jti).toStdString()},
                {"iat", now},
                {"exp", now + LifetimeSeconds}};
    if (method == QLatin1String("client_secret_jwt")) {
        if (clientSecret.isEmpty()) {
            if (error) {
                *error = tr("client_secret_jwt needs the client secret: set client_secret");
            }
            return std::nullopt;
        }
        a.token = crypto::Jws::signHs256(clientSecret.toUtf8(), a.header, a.claims);
    } else if (method == QLatin1String("private_key_jwt")) {
        if (clientKey.trimmed().isEmpty()) {
            if (error) {
                *error = tr("private_key_jwt needs the client's private key: store the PEM key as client_key");
            }
            return std::nullopt;
        }
        QString keyError;
        const auto key = crypto::Key::fromPrivatePem(clientKey.toUtf8(), &keyError);
        if (!key) {
            if (error) {
                *error = tr("client_key cannot be used: %1").arg(keyError);
            }
            return std::nullopt;
        }
        const auto token = crypto::Jws::sign(key->defaultAlgorithm(), *key, a.header, a.claims, &keyError);
        if (!token) {
            if (error) {
                *error = tr("client_key cannot be used: %1").arg(keyError);
            }
            return std::nullopt;
        }
        a.token = *token;
    } else {
        if (error) {
            *error = tr("%1 is not a client assertion method").arg(method);
        }
        return std::nullopt;
    }
    // The header as sent, alg included.
    if (const auto parts = crypto::JwsParts::parse(a.token)) {
        a.header = nlohmann::ordered_json::parse(parts->header.dump());
    }
    return a;
}

nlohmann::ordered_json ClientAssertion::describe() const
{
    return {{"header", header}, {"claims", claims}, {"signature", "[redacted]"}};
}

} // namespace keyway::oidc
