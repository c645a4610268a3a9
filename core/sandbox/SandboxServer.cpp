#include "core/sandbox/SandboxServer.h"

#include "core/sandbox/AstradaEmulator.h"
#include "core/sandbox/BankingEmulator.h"
#include "core/sandbox/EcardEmulator.h"
#include "core/sandbox/LowDelayTcpServer.h"
#include "core/sandbox/OAuth2Emulator.h"
#include "core/sandbox/RouteTable.h"
#include "core/sandbox/SandboxContext.h"
#include "core/sandbox/SeismicEmulator.h"
#include "core/util/Logging.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerResponder>

#include <vector>

namespace keyway::sandbox {

namespace {
using Method = QHttpServerRequest::Method;
using ojson = nlohmann::ordered_json;
} // namespace

struct SandboxServer::Private
{
    SandboxContext context;
    QHttpServer http;
    LowDelayTcpServer* tcp = nullptr; // owned by `http` once bound
    std::unique_ptr<RouteTable> routes;
    std::vector<std::unique_ptr<EmulatedProvider>> providers;
    QString error;

    SandboxReply faultsReply() const;
    SandboxReply setFaultOverHttp(const SandboxRequest& request);
};

SandboxServer::SandboxServer(QObject* parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->routes = std::make_unique<RouteTable>(d->http, d->context, this);
    d->providers.push_back(std::make_unique<SeismicEmulator>(d->context));
    d->providers.push_back(std::make_unique<BankingEmulator>(d->context));
    d->providers.push_back(std::make_unique<EcardEmulator>(d->context));
    d->providers.push_back(std::make_unique<AstradaEmulator>(d->context));
    d->providers.push_back(std::make_unique<OAuth2Emulator>(
        d->context, [this] { return QUrl(rootUrl().toString() + QStringLiteral("/oauth2")); }));
    for (const auto& provider : d->providers) {
        provider->registerFaults(d->context);
        provider->registerRoutes(*d->routes);
    }

    d->routes->add(
        Method::Get, QStringLiteral("/_sandbox/faults"), RouteKind::Control, QString(), [this](const SandboxRequest&) {
            return d->faultsReply();
        });
    d->routes->add(Method::Post,
                   QStringLiteral("/_sandbox/faults"),
                   RouteKind::Control,
                   QString(),
                   [this](const SandboxRequest& r) { return d->setFaultOverHttp(r); });
    d->routes->add(Method::Get,
                   QStringLiteral("/_sandbox/providers"),
                   RouteKind::Control,
                   QString(),
                   [this](const SandboxRequest&) {
                       ojson list = ojson::array();
                       const auto demos = demoProviders();
                       for (const DemoProvider& demo : demos) {
                           ojson credentials = ojson::object();
                           for (const auto& pair : demo.credentials) {
                               credentials[toStd(pair.first)] = toStd(pair.second);
                           }
                           list.push_back({{"provider", toStd(demo.providerId)},
                                           {"base_url", toStd(demo.baseUrl.toString())},
                                           {"credentials", credentials}});
                       }
                       return SandboxReply::json(list);
                   });
    d->http.setMissingHandler([](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        SandboxReply reply
            = SandboxReply::json(ojson {{"error", "not_found"},
                                        {"error_description", "no sandbox endpoint at " + toStd(request.url().path())}},
                                 404);
        writeReply(responder, reply);
    });
}

SandboxServer::~SandboxServer() = default;

bool SandboxServer::listen(quint16 port)
{
    if (d->tcp) {
        d->error = tr("The sandbox is already listening.");
        return false;
    }
    auto* tcp = new LowDelayTcpServer(this);
    if (!tcp->listen(QHostAddress::LocalHost, port)) {
        d->error = tr("Cannot listen on 127.0.0.1:%1: %2").arg(port).arg(tcp->errorString());
        delete tcp;
        return false;
    }
    d->http.bind(tcp);
    d->tcp = tcp;
    qCInfo(lcSandbox) << "sandbox listening on" << rootUrl().toString();
    return true;
}

bool SandboxServer::isListening() const
{
    return d->tcp && d->tcp->isListening();
}

quint16 SandboxServer::port() const
{
    return d->tcp ? d->tcp->serverPort() : 0;
}

QString SandboxServer::errorString() const
{
    return d->error;
}

QUrl SandboxServer::rootUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

void SandboxServer::setTimeScale(double scale)
{
    if (scale > 0) {
        d->context.setTimeScale(scale);
    }
}

double SandboxServer::timeScale() const
{
    return d->context.timeScale();
}

QList<DemoProvider> SandboxServer::demoProviders() const
{
    QList<DemoProvider> all;
    const QString root = rootUrl().toString();
    for (const auto& provider : d->providers) {
        all.append(provider->demoProviders(QUrl(root + provider->pathPrefix())));
    }
    return all;
}

std::optional<DemoProvider> SandboxServer::demoProvider(const QString& providerId) const
{
    const auto all = demoProviders();
    for (const DemoProvider& demo : all) {
        if (demo.providerId == providerId) {
            return demo;
        }
    }
    return std::nullopt;
}

bool SandboxServer::setFault(const QString& providerId, const QString& fault, bool on)
{
    return d->context.setFault(providerId, fault, on);
}

QStringList SandboxServer::availableFaults(const QString& providerId) const
{
    return d->context.availableFaults(providerId);
}

QStringList SandboxServer::activeFaults(const QString& providerId) const
{
    return d->context.activeFaults(providerId);
}

int SandboxServer::tokenRequestCount(const QString& providerId) const
{
    return d->context.tokenRequestCount(providerId);
}

QString SandboxServer::demoUsername()
{
    return OAuth2Emulator::demoUsername();
}

QString SandboxServer::demoPassword()
{
    return OAuth2Emulator::demoPassword();
}

SandboxReply SandboxServer::Private::faultsReply() const
{
    ojson providersJson = ojson::object();
    const QStringList ids = context.providerIds();
    for (const QString& id : ids) {
        ojson available = ojson::array();
        const QStringList faults = context.availableFaults(id);
        for (const QString& fault : faults) {
            available.push_back(toStd(fault));
        }
        ojson active = ojson::array();
        const QStringList on = context.activeFaults(id);
        for (const QString& fault : on) {
            active.push_back(toStd(fault));
        }
        providersJson[toStd(id)] = {{"available", available}, {"on", active}};
    }
    return SandboxReply::json(ojson {{"providers", providersJson}});
}

SandboxReply SandboxServer::Private::setFaultOverHttp(const SandboxRequest& request)
{
    const nlohmann::json body = request.jsonBody();
    const QString provider = jsonString(body, "provider");
    const QString fault = jsonString(body, "fault");
    if (body.is_discarded() || !body.is_object() || provider.isEmpty() || fault.isEmpty()
        || (body.contains("on") && !body.at("on").is_boolean())) {
        return SandboxReply::json(
            ojson {{"error", "invalid_request"},
                   {"error_description", R"(expected {"provider": ID, "fault": NAME, "on": true|false})"}},
            400);
    }
    const bool on = body.value("on", true);
    if (!context.setFault(provider, fault, on)) {
        return SandboxReply::json(
            ojson {{"error", "unknown_fault"},
                   {"error_description", "unknown provider or fault; GET /_sandbox/faults lists them"}},
            400);
    }
    return SandboxReply::json(ojson {{"provider", toStd(provider)},
                                     {"fault", toStd(fault)},
                                     {"on", on && !SandboxContext::isAction(fault)},
                                     {"active", [&] {
                                          ojson active = ojson::array();
                                          const QStringList list = context.activeFaults(provider);
                                          for (const QString& f : list) {
                                              active.push_back(toStd(f));
                                          }
                                          return active;
                                      }()}});
}

} // namespace keyway::sandbox
