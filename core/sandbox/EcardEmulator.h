#pragma once

#include "core/sandbox/EmulatedProvider.h"
#include "core/sandbox/JwtSigner.h"
#include "core/sandbox/SandboxHttp.h"
#include "core/sandbox/TokenStore.h"

namespace keyway::sandbox {

// eCard Systems, per its document: JSON POST /api/reporting/v1/auth/token → a JSON:API document
// whose data.attributes.access_token is a JWT (24 h, with scopes); Bearer calls to
// /api/transaction/v1/…; 401 invalid or expired token, 403 missing scope, 400 malformed request.
class EcardEmulator : public EmulatedProvider
{
public:
    explicit EcardEmulator(SandboxContext& context);

    QString pathPrefix() const override { return QStringLiteral("/ecard"); }
    QList<DemoProvider> demoProviders(const QUrl& baseUrl) const override;
    void registerFaults(SandboxContext& context) const override;
    void registerRoutes(RouteTable& routes) override;

    static QString providerId() { return QStringLiteral("ecard"); }

private:
    SandboxReply token(const SandboxRequest& request);
    // Checks the bearer token and `scope`; on success returns nullopt.
    std::optional<SandboxReply> refuse(const SandboxRequest& request, const QString& scope);
    SandboxReply document(const nlohmann::ordered_json& data, int status = 200) const;

    SandboxContext& m_context;
    TokenStore m_tokens;
    JwtSigner m_signer;
};

} // namespace keyway::sandbox
