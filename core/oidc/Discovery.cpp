#include "core/oidc/Discovery.h"

#include "core/flow/ReplyJudge.h"
#include "core/flow/TemplateResolver.h"
#include "core/http/RequestExecutor.h"
#include "core/util/CallerContext.h"
#include "core/util/Clock.h"
#include "core/util/Logging.h"

#include <QHash>

namespace keyway::oidc {

namespace {

constexpr qint64 kCacheMs = 5 * 60 * 1000;

struct CacheEntry
{
    qint64 fetchedMs = 0;
    DiscoveryResult result;
};

QHash<QString, CacheEntry>& cache()
{
    static QHash<QString, CacheEntry> entries;
    return entries;
}

QString cacheKey(const QString& issuer, const std::shared_ptr<const ConnectionSettings>& connection)
{
    return issuer + QLatin1Char('\n') + QString::number(reinterpret_cast<quintptr>(connection.get()));
}

QString stripSlash(QString s)
{
    if (s.endsWith(QLatin1Char('/'))) {
        s.chop(1);
    }
    return s;
}

// Tries the document URLs one after the other; the first JSON object wins.
void fetchFrom(const QString& issuer,
               const QList<QUrl>& urls,
               int index,
               std::shared_ptr<const ConnectionSettings> connection,
               const CallerContext& caller,
               RequestExecutor* executor,
               const Discovery::Callback& done,
               DiscoveryResult lastFailure)
{
    if (index >= urls.size()) {
        if (caller.wantsAnswer()) {
            done(lastFailure);
        }
        return;
    }
    HttpRequest request;
    request.url = urls.at(index);
    request.connection = connection;
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    executor->send(request, [=](const HttpResponse& response) {
        if (!caller.wantsAnswer()) {
            return;
        }
        DiscoveryResult failure;
        failure.response = response;
        failure.issuer = issuer;
        failure.documentUrl = urls.at(index);
        if (!response.transportOk()) {
            failure.outcome = DiscoveryResult::Outcome::Unreachable;
            failure.failure = response.failure;
            failure.detail = Discovery::tr("the discovery document at %1 could not be fetched: %2")
                                 .arg(urls.at(index).toString(), response.errorText);
            done(failure);
            return;
        }
        const auto doc = ReplyJudge::parseJson(response.body);
        if (response.status == 200 && doc && doc->is_object()) {
            DiscoveryResult result = Discovery::judge(issuer, urls.at(index), *doc);
            result.response = response;
            if (result.ok()) {
                cache().insert(cacheKey(issuer, connection), CacheEntry {Clock::currentMSecsSinceEpoch(), result});
            }
            done(result);
            return;
        }
        failure.outcome = DiscoveryResult::Outcome::NotFound;
        failure.detail = Discovery::tr("no discovery document for issuer %1: %2 answered HTTP %3; "
                                       "check the issuer, or set the endpoints by hand")
                             .arg(issuer, urls.at(index).toString())
                             .arg(response.status);
        fetchFrom(issuer, urls, index + 1, connection, caller, executor, done, failure);
    });
}

} // namespace

const QList<QPair<QString, QString>>& Discovery::standardEndpoints()
{
    static const QList<QPair<QString, QString>> table = {
        {QStringLiteral("authorization_endpoint"), QStringLiteral("authorize_url")},
        {QStringLiteral("token_endpoint"), QStringLiteral("token_url")},
        {QStringLiteral("jwks_uri"), QStringLiteral("jwks_uri")},
        {QStringLiteral("userinfo_endpoint"), QStringLiteral("userinfo_url")},
        {QStringLiteral("revocation_endpoint"), QStringLiteral("revocation_url")},
        {QStringLiteral("introspection_endpoint"), QStringLiteral("introspection_url")},
        {QStringLiteral("device_authorization_endpoint"), QStringLiteral("device_authorization_url")},
    };
    return table;
}

QList<QUrl> Discovery::documentUrls(const QString& issuer)
{
    const QString base = stripSlash(issuer.trimmed());
    QList<QUrl> urls {QUrl(base + QStringLiteral("/.well-known/openid-configuration"))};
    // RFC 8414 §3: the well-known segment goes between the host and the issuer's path.
    const QUrl url(base);
    const QString path = url.path();
    QUrl rfc8414 = url;
    rfc8414.setPath(QStringLiteral("/.well-known/oauth-authorization-server")
                    + (path == QLatin1String("/") ? QString() : path));
    urls.append(rfc8414);
    if (!path.isEmpty() && path != QLatin1String("/")) {
        urls.append(QUrl(base + QStringLiteral("/.well-known/oauth-authorization-server")));
    }
    return urls;
}

bool Discovery::sameIssuer(const QString& a, const QString& b)
{
    return stripSlash(a.trimmed()) == stripSlash(b.trimmed());
}

DiscoveryResult Discovery::judge(const QString& issuer, const QUrl& documentUrl, const nlohmann::json& document)
{
    DiscoveryResult result;
    result.issuer = issuer;
    result.documentUrl = documentUrl;
    result.document = document;
    if (!document.is_object() || !document.contains("issuer") || !document.at("issuer").is_string()) {
        result.outcome = DiscoveryResult::Outcome::Invalid;
        result.detail
            = Discovery::tr("%1 is not a discovery document (it has no issuer member)").arg(documentUrl.toString());
        return result;
    }
    const QString named = QString::fromStdString(document.at("issuer").get<std::string>());
    if (!sameIssuer(named, issuer)) {
        result.outcome = DiscoveryResult::Outcome::IssuerMismatch;
        result.detail = Discovery::tr("the discovery document names issuer %1, not %2 (a misconfigured or "
                                      "impersonated provider); check the issuer value")
                            .arg(named, issuer);
        return result;
    }
    for (const auto& [member, name] : standardEndpoints()) {
        const std::string key = member.toStdString();
        if (document.contains(key) && document.at(key).is_string()) {
            const QUrl url(QString::fromStdString(document.at(key).get<std::string>()), QUrl::StrictMode);
            if (url.isValid() && (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))) {
                result.endpoints.insert(name, url.toString());
            }
        }
    }
    return result;
}

void Discovery::fetch(const QString& issuer,
                      std::shared_ptr<const ConnectionSettings> connection,
                      QObject* context,
                      Callback done,
                      RequestExecutor* executor)
{
    const auto it = cache().constFind(cacheKey(issuer, connection));
    if (it != cache().cend() && Clock::currentMSecsSinceEpoch() - it->fetchedMs < kCacheMs) {
        CallerContext(context).answerLater(done, it->result);
        return;
    }
    const QUrl parsed(issuer.trimmed(), QUrl::StrictMode);
    if (!parsed.isValid() || (parsed.scheme() != QLatin1String("https") && parsed.scheme() != QLatin1String("http"))
        || parsed.host().isEmpty() || parsed.hasQuery() || parsed.hasFragment()) {
        DiscoveryResult bad;
        bad.issuer = issuer;
        bad.outcome = DiscoveryResult::Outcome::Invalid;
        bad.detail = Discovery::tr("the issuer %1 is not an https:// URL without query or fragment").arg(issuer);
        CallerContext(context).answerLater(done, bad);
        return;
    }
    qCDebug(lcAuth) << "discovery for" << issuer;
    fetchFrom(issuer,
              documentUrls(issuer),
              0,
              std::move(connection),
              CallerContext(context),
              executor ? executor : RequestExecutor::forCurrentThread(),
              done,
              DiscoveryResult());
}

void Discovery::clearCache()
{
    cache().clear();
}

void Discovery::resolveEndpoint(const ProviderProfile& profile,
                                const QMap<QString, QString>& credentials,
                                const QString& credentialSet,
                                const QString& baseUrl,
                                const QString& name,
                                std::shared_ptr<const ConnectionSettings> connection,
                                QObject* context,
                                EndpointCallback done)
{
    const TemplateResolver resolver(profile, credentials, credentialSet);
    const QString explicitValue = resolver.value(name).trimmed();
    const CallerContext caller(context);
    auto deliver = [caller, done](const EndpointResult& r) { caller.answerLater(done, r); };
    if (!explicitValue.isEmpty()) {
        EndpointResult r;
        r.url = TemplateResolver::resolveUrl(baseUrl, explicitValue);
        deliver(r);
        return;
    }
    const QString issuer = resolver.value(QStringLiteral("issuer")).trimmed();
    if (issuer.isEmpty()) {
        EndpointResult r;
        r.detail = Discovery::tr("no %1 is set and no issuer to discover it from: set %1, or issuer").arg(name);
        deliver(r);
        return;
    }
    // The profile's discovery step says which document member holds the name; the standard table otherwise.
    QString pointer;
    for (const FlowStep& step : profile.steps) {
        if (step.kind != StepKind::Discovery) {
            continue;
        }
        for (const Capture& c : step.captures) {
            if (c.name == name) {
                pointer = c.pointer;
            }
        }
    }
    if (pointer.isEmpty()) {
        for (const auto& [member, standardName] : standardEndpoints()) {
            if (standardName == name) {
                pointer = QLatin1Char('/') + member;
            }
        }
    }
    fetch(issuer, std::move(connection), context, [name, pointer, issuer, done](const DiscoveryResult& d) {
        EndpointResult r;
        r.discovery = d;
        if (!d.ok()) {
            r.detail = d.detail;
            done(r);
            return;
        }
        const auto text = pointer.isEmpty() ? std::nullopt : ReplyJudge::textAt(d.document, pointer);
        if (!text || text->isEmpty()) {
            r.detail = Discovery::tr("the discovery document of %1 has no %2: set %3 by hand")
                           .arg(issuer, pointer.mid(1), name);
            done(r);
            return;
        }
        r.url = QUrl(*text);
        r.discovered = true;
        done(r);
    });
}

} // namespace keyway::oidc
