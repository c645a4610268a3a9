#pragma once

#include "core/http/HttpMessage.h"
#include "core/profile/ProviderProfile.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>

namespace keyway {
class ConnectionSettings;
class RequestExecutor;
} // namespace keyway

namespace keyway::oidc {

// What one discovery fetch found (docs/oidc.md, "Discovery").
struct DiscoveryResult
{
    enum class Outcome {
        Ok,
        Unreachable, // no HTTP reply (DNS, refused, TLS, deadline): `failure` says why
        NotFound, // neither well-known URL answered with a JSON object
        Invalid, // a reply that is not a metadata document (no issuer member, not JSON)
        IssuerMismatch // the document names another issuer
    };

    Outcome outcome = Outcome::Ok;
    QString issuer; // as configured
    QString detail; // one sentence for the user, no secret
    HttpResponse::Failure failure = HttpResponse::Failure::None;
    QUrl documentUrl; // where the document came from
    nlohmann::json document; // the parsed document (an object when Ok or IssuerMismatch)
    QMap<QString, QString> endpoints; // name (token_url, jwks_uri...) → absolute URL; only the standard names
    HttpResponse response; // the last reply (what the walkthrough shows); empty when nothing was sent

    bool ok() const { return outcome == Outcome::Ok; }
};

// One endpoint an action needs (revocation_url, introspection_url, device_authorization_url...).
struct EndpointResult
{
    QUrl url; // empty when neither an explicit value nor discovery gives one
    bool discovered = false; // from the issuer's document rather than an explicit value
    QString detail; // when empty: why, in one sentence naming the field to set
    std::optional<DiscoveryResult> discovery; // set when the issuer's document was asked
};

// OpenID Connect Discovery and RFC 8414 authorization server metadata. Stateless apart from a per-process
// cache of documents (5 minutes per issuer and connection identity).
class Discovery
{
    Q_DECLARE_TR_FUNCTIONS(keyway::oidc::Discovery)
public:
    using Callback = std::function<void(const DiscoveryResult&)>;
    using EndpointCallback = std::function<void(const EndpointResult&)>;

    // (document member, name) of the endpoints discovery publishes, in display order: authorization_endpoint
    // → authorize_url, token_endpoint → token_url, jwks_uri, userinfo_endpoint → userinfo_url,
    // revocation_endpoint → revocation_url, introspection_endpoint → introspection_url,
    // device_authorization_endpoint → device_authorization_url.
    static const QList<QPair<QString, QString>>& standardEndpoints();
    // The URLs tried, in order, for one issuer.
    static QList<QUrl> documentUrls(const QString& issuer);
    // Whether two issuer identifiers are the same (exact, apart from one trailing slash).
    static bool sameIssuer(const QString& a, const QString& b);
    // Checks a parsed document against the configured issuer and fills `endpoints` (pure; what fetch uses).
    static DiscoveryResult judge(const QString& issuer, const QUrl& documentUrl, const nlohmann::json& document);

    // Fetches and judges the document; `done` runs once, on this thread, unless `context` died first.
    static void fetch(const QString& issuer,
                      std::shared_ptr<const ConnectionSettings> connection,
                      QObject* context,
                      Callback done,
                      RequestExecutor* executor = nullptr);
    static void clearCache();

    // One endpoint of an environment: its explicit credential value `name` (absolute, or relative to
    // `baseUrl`) wins; else, when `issuer` is set, the issuer's document through the profile's discovery-step
    // capture of that name (or standardEndpoints() when the profile has no discovery step).
    static void resolveEndpoint(const ProviderProfile& profile,
                                const QMap<QString, QString>& credentials,
                                const QString& credentialSet,
                                const QString& baseUrl,
                                const QString& name,
                                std::shared_ptr<const ConnectionSettings> connection,
                                QObject* context,
                                EndpointCallback done);
};

} // namespace keyway::oidc
