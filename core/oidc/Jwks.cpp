#include "core/oidc/Jwks.h"

#include "core/flow/ReplyJudge.h"
#include "core/http/RequestExecutor.h"
#include "core/util/CallerContext.h"
#include "core/util/Logging.h"

#include <QHash>

namespace keyway::oidc {

namespace {

QHash<QString, nlohmann::json>& cache()
{
    static QHash<QString, nlohmann::json> sets;
    return sets;
}

QString textOf(const nlohmann::json& object, const char* member)
{
    return object.is_object() && object.contains(member) && object.at(member).is_string()
        ? QString::fromStdString(object.at(member).get<std::string>())
        : QString();
}

bool fitsAlg(const nlohmann::json& jwk, const QString& alg)
{
    const QString kty = textOf(jwk, "kty");
    if (alg == QLatin1String("ES256")) {
        return kty == QLatin1String("EC");
    }
    return kty == QLatin1String("RSA");
}

void fetchSet(const QString& uri,
              std::shared_ptr<const ConnectionSettings> connection,
              RequestExecutor* executor,
              std::function<void(const std::optional<nlohmann::json>&, const HttpResponse&)> done)
{
    HttpRequest request;
    request.url = QUrl(uri);
    request.connection = std::move(connection);
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    executor->send(request, [uri, done](const HttpResponse& response) {
        std::optional<nlohmann::json> set;
        if (response.transportOk() && response.status == 200) {
            if (auto doc = ReplyJudge::parseJson(response.body);
                doc && doc->is_object() && doc->contains("keys") && doc->at("keys").is_array()) {
                set = *doc;
                cache().insert(uri, *doc);
            }
        }
        done(set, response);
    });
}

} // namespace

KeyLookup Jwks::pick(const nlohmann::json& keySet, const nlohmann::json& header)
{
    KeyLookup out;
    const QString kid = textOf(header, "kid");
    const QString alg = textOf(header, "alg");
    out.kid = kid;
    const nlohmann::json keys = keySet.is_object() && keySet.contains("keys") && keySet.at("keys").is_array()
        ? keySet.at("keys")
        : nlohmann::json::array();
    QList<nlohmann::json> candidates;
    for (const auto& jwk : keys) {
        if (!jwk.is_object()) {
            continue;
        }
        const QString use = textOf(jwk, "use");
        if (!use.isEmpty() && use != QLatin1String("sig")) {
            continue;
        }
        if (!kid.isEmpty() ? textOf(jwk, "kid") == kid : fitsAlg(jwk, alg)) {
            candidates.append(jwk);
        }
    }
    if (candidates.isEmpty()) {
        out.detail = kid.isEmpty()
            ? tr("the token names no key (no kid) and the issuer's JWKS has no %1 key").arg(alg)
            : tr("the token is signed with key %1, which the issuer's JWKS does not list").arg(kid);
        return out;
    }
    if (candidates.size() > 1) {
        out.detail = tr("the token names no key (no kid) and the issuer's JWKS has %n keys that fit",
                        nullptr,
                        int(candidates.size()));
        return out;
    }
    const nlohmann::json& jwk = candidates.first();
    const QString jwkAlg = textOf(jwk, "alg");
    if (!jwkAlg.isEmpty() && !alg.isEmpty() && jwkAlg != alg) {
        out.detail = tr("the token says %1 but the issuer's key %2 is for %3").arg(alg, kid, jwkAlg);
        return out;
    }
    QString error;
    out.key = crypto::Key::fromJwk(jwk, &error);
    out.kid = textOf(jwk, "kid");
    if (!out.key) {
        out.detail = tr("the issuer's key %1 cannot be read: %2").arg(out.kid, error);
    }
    return out;
}

void Jwks::keyFor(const QString& jwksUri,
                  const nlohmann::json& header,
                  std::shared_ptr<const ConnectionSettings> connection,
                  QObject* context,
                  Callback done,
                  RequestExecutor* executor)
{
    const CallerContext caller(context);
    RequestExecutor* ex = executor ? executor : RequestExecutor::forCurrentThread();
    auto fromNetwork = [=](bool refetch) {
        fetchSet(jwksUri, connection, ex, [=](const std::optional<nlohmann::json>& set, const HttpResponse& response) {
            if (!caller.wantsAnswer()) {
                return;
            }
            KeyLookup out;
            out.refetched = refetch;
            if (!set) {
                out.unreachable = !response.transportOk();
                out.failure = response.failure;
                out.detail = response.transportOk()
                    ? tr("the issuer's JWKS at %1 answered HTTP %2 without a key set").arg(jwksUri).arg(response.status)
                    : tr("the issuer's JWKS at %1 could not be fetched: %2").arg(jwksUri, response.errorText);
                done(out);
                return;
            }
            out = pick(*set, header);
            out.refetched = refetch;
            done(out);
        });
    };
    const auto it = cache().constFind(jwksUri);
    if (it == cache().cend()) {
        fromNetwork(false);
        return;
    }
    const KeyLookup cached = pick(*it, header);
    if (cached.key || textOf(header, "kid").isEmpty()) {
        caller.answerLater(done, cached);
        return;
    }
    qCDebug(lcAuth) << "unknown kid in the cached JWKS; fetching it again";
    fromNetwork(true);
}

void Jwks::clearCache()
{
    cache().clear();
}

} // namespace keyway::oidc
