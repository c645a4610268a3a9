#pragma once

#include "core/sandbox/EmulatedProvider.h"
#include "core/sandbox/SandboxHttp.h"
#include "core/sandbox/TokenStore.h"

#include <QHash>

namespace keyway::sandbox {

// Seismic (card issuing), per its document: GET /v1/oauth/authorize?clientId → single-use code
// (10 min); POST /v1/oauth/access-token → 24 h accessToken for the x-access-token header. Every
// reply is HTTP 200 with a {"code","msg","data"} envelope; "000000" with an empty accessToken
// means the code was reused or expired. Money-moving POSTs need an Idempotency-Key UUID v4 and
// replay the first reply for a repeated key.
class SeismicEmulator : public EmulatedProvider
{
public:
    explicit SeismicEmulator(SandboxContext& context);

    QString pathPrefix() const override { return QStringLiteral("/seismic"); }
    QList<DemoProvider> demoProviders(const QUrl& baseUrl) const override;
    void registerFaults(SandboxContext& context) const override;
    void registerRoutes(RouteTable& routes) override;

    static QString providerId() { return QStringLiteral("seismic"); }

private:
    SandboxReply authorize(const SandboxRequest& request);
    SandboxReply accessToken(const SandboxRequest& request);
    SandboxReply bins(const SandboxRequest& request);
    SandboxReply webhookSample(const SandboxRequest& request) const;
    // Token check + Idempotency-Key + replay around one mutating endpoint.
    SandboxReply mutating(const SandboxRequest& request,
                          const std::function<nlohmann::ordered_json(const nlohmann::json& body)>& create);
    bool authenticated(const SandboxRequest& request);

    struct StoredReply
    {
        QByteArray requestFingerprint; // method + path + body
        SandboxReply reply;
    };

    SandboxContext& m_context;
    TokenStore m_tokens;
    QHash<QString, StoredReply> m_idempotent; // by Idempotency-Key
};

} // namespace keyway::sandbox
