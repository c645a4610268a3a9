#include "core/sandbox/SandboxServer.h"

#include "core/http/ConnectionSettings.h"
#include "core/sandbox/AstradaEmulator.h"
#include "core/sandbox/BankingEmulator.h"
#include "core/sandbox/EcardEmulator.h"
#include "core/sandbox/LowDelayTcpServer.h"
#include "core/sandbox/OAuth2Emulator.h"
#include "core/sandbox/RouteTable.h"
#include "core/sandbox/SandboxContext.h"
#include "core/sandbox/SandboxPki.h"
#include "core/sandbox/SeismicEmulator.h"
#include "core/util/AppPaths.h"
#include "core/util/Logging.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerResponder>
#include <QSaveFile>
#include <QSslServer>
#include <QSslSocket>

#include <vector>

namespace keyway::sandbox {

namespace {
using Method = QHttpServerRequest::Method;
using ojson = nlohmann::ordered_json;

bool writePrivateFile(const QString& path, const QByteArray& content, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    AppPaths::makePrivateFile(path);
    return true;
}

// An HTTPS listener whose sockets get TCP_NODELAY like LowDelayTcpServer's (same reason).
QSslServer* makeTlsServer(const SandboxPki& pki, bool demandClientCertificate, QObject* parent)
{
    auto* server = new QSslServer(parent);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain({pki.serverCertificate, pki.caCertificate});
    tls.setPrivateKey(pki.serverKey);
    if (demandClientCertificate) {
        tls.setCaCertificates({pki.caCertificate});
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        // TLS 1.2, so a missing certificate ends the handshake itself: in TLS 1.3 the server refuses it after
        // the client already counts the handshake done, and the client sees only a closed connection.
        tls.setProtocol(QSsl::TlsV1_2);
    } else {
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    server->setSslConfiguration(tls);
    QObject::connect(server, &QSslServer::startedEncryptionHandshake, server, [](QSslSocket* socket) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    });
    return server;
}
} // namespace

struct SandboxServer::Private
{
    SandboxContext context;
    QHttpServer http;
    QTcpServer* tcp = nullptr; // owned by `http` once bound
    QSslServer* mutualTls = nullptr; // the client-certificate provider's port, owned by `http` once bound
    QString tlsDirectory; // non-empty: HTTPS
    QString clientCertificateProvider;
    std::optional<SandboxPki> pki;
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
    if (!d->clientCertificateProvider.isEmpty()) {
        if (d->tlsDirectory.isEmpty()) {
            d->error = tr("A client certificate can only be demanded over HTTPS.");
            return false;
        }
        bool known = false;
        QStringList ids;
        for (const auto& provider : d->providers) {
            const auto demos = provider->demoProviders(QUrl());
            for (const DemoProvider& demo : demos) {
                ids.append(demo.providerId);
                known = known || demo.providerId == d->clientCertificateProvider;
            }
        }
        if (!known) {
            d->error = tr("The sandbox emulates no provider '%1'; choose one of: %2.")
                           .arg(d->clientCertificateProvider, ids.join(QStringLiteral(", ")));
            return false;
        }
    }
    if (!d->tlsDirectory.isEmpty() && !d->pki) {
        QString error;
        d->pki = SandboxPki::generate(&error);
        if (!d->pki) {
            d->error = tr("Cannot make the sandbox's certificates: %1").arg(error);
            return false;
        }
        if (!makePrivateDirectory(d->tlsDirectory)) {
            d->error = tr("Cannot create the directory %1 for the sandbox's CA certificate; check its permissions.")
                           .arg(d->tlsDirectory);
            return false;
        }
        if (!writePrivateFile(caFile(), d->pki->caCertificate.toPem(), &error)
            || (!d->clientCertificateProvider.isEmpty()
                && !writePrivateFile(clientCertificateFile(), d->pki->clientCertificate.toPem(), &error))) {
            d->error = tr("Cannot write the sandbox's certificates to %1: %2").arg(d->tlsDirectory, error);
            return false;
        }
    }
    QTcpServer* tcp = d->pki ? static_cast<QTcpServer*>(makeTlsServer(*d->pki, false, this))
                             : static_cast<QTcpServer*>(new LowDelayTcpServer(this));
    if (!tcp->listen(QHostAddress::LocalHost, port)) {
        d->error = tr("Cannot listen on 127.0.0.1:%1: %2").arg(port).arg(tcp->errorString());
        delete tcp;
        return false;
    }
    if (!d->clientCertificateProvider.isEmpty()) {
        QSslServer* mutual = makeTlsServer(*d->pki, true, this);
        if (!mutual->listen(QHostAddress::LocalHost, 0)) {
            d->error = tr("Cannot listen on 127.0.0.1 for the client-certificate port: %1").arg(mutual->errorString());
            delete mutual;
            delete tcp;
            return false;
        }
        d->http.bind(mutual);
        d->mutualTls = mutual;
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

void SandboxServer::setTls(const QString& directory)
{
    d->tlsDirectory = directory;
}

void SandboxServer::setClientCertificateProvider(const QString& providerId)
{
    d->clientCertificateProvider = providerId;
}

bool SandboxServer::isTls() const
{
    return !d->tlsDirectory.isEmpty();
}

QString SandboxServer::caFile() const
{
    return isTls() ? d->tlsDirectory + QStringLiteral("/ca.pem") : QString();
}

QString SandboxServer::clientCertificateFile() const
{
    return isTls() && !d->clientCertificateProvider.isEmpty() ? d->tlsDirectory + QStringLiteral("/client.pem")
                                                              : QString();
}

QByteArray SandboxServer::demoClientKey() const
{
    return d->pki && !d->clientCertificateProvider.isEmpty() ? d->pki->clientKeyPem : QByteArray();
}

quint16 SandboxServer::mutualTlsPort() const
{
    return d->mutualTls ? d->mutualTls->serverPort() : 0;
}

QUrl SandboxServer::rootUrl() const
{
    QUrl url;
    url.setScheme(isTls() ? QStringLiteral("https") : QStringLiteral("http"));
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

QString SandboxServer::demoRsaClientKeyPem() const
{
    for (const auto& provider : d->providers) {
        if (const auto* oauth2 = dynamic_cast<const OAuth2Emulator*>(provider.get())) {
            return oauth2->demoRsaClientKeyPem();
        }
    }
    return {};
}

QList<DemoProvider> SandboxServer::demoProviders() const
{
    QList<DemoProvider> all;
    const QString root = rootUrl().toString();
    for (const auto& provider : d->providers) {
        all.append(provider->demoProviders(QUrl(root + provider->pathPrefix())));
    }
    if (!isTls()) {
        return all;
    }
    for (DemoProvider& demo : all) {
        if (demo.providerId == d->clientCertificateProvider && d->mutualTls) {
            demo.baseUrl.setPort(d->mutualTls->serverPort());
        }
        demo.credentials.append({ConnectionSettings::caFileKey(), caFile()});
        if (demo.providerId == d->clientCertificateProvider) {
            demo.credentials.append({ConnectionSettings::clientCertKey(), clientCertificateFile()});
            demo.credentials.append({ConnectionSettings::clientKeyKey(), QString::fromLatin1(demoClientKey())});
        }
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

int SandboxServer::jwksRequestCount(const QString& providerId) const
{
    return d->context.jwksRequestCount(providerId);
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
