#pragma once

#include "core/sandbox/EmulatedProvider.h"
#include "core/sandbox/JwtSigner.h"
#include "core/sandbox/SandboxHttp.h"
#include "core/sandbox/TokenStore.h"

namespace keyway::sandbox {

// Astrada, per its document: JSON POST /oauth/token → a 5-minute JWT with no refresh token, for
// either of two credential sets: `api` (full backend access) and `sdk` (card enrollment only;
// refused with 403 on backend endpoints).
class AstradaEmulator : public EmulatedProvider
{
public:
    explicit AstradaEmulator(SandboxContext& context);

    QString pathPrefix() const override { return QStringLiteral("/astrada"); }
    QList<DemoProvider> demoProviders(const QUrl& baseUrl) const override;
    void registerFaults(SandboxContext& context) const override;
    void registerRoutes(RouteTable& routes) override;

    static QString providerId() { return QStringLiteral("astrada"); }

private:
    SandboxReply token(const SandboxRequest& request);
    // Checks the bearer token; nullopt when it is valid and carries `scope`.
    std::optional<SandboxReply> refuse(const SandboxRequest& request, const QString& scope);

    SandboxContext& m_context;
    TokenStore m_tokens;
    JwtSigner m_signer;
};

} // namespace keyway::sandbox
