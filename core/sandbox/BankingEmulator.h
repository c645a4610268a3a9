#pragma once

#include "core/sandbox/EmulatedProvider.h"
#include "core/sandbox/SandboxHttp.h"
#include "core/sandbox/TokenStore.h"

namespace keyway::sandbox {

// The Banking API, per its document: client credentials as a form-encoded POST /token (the
// secret only ever in the POST body), an opaque 32-character access_token with no expires_in
// that lives one hour, then 401 with WWW-Authenticate until the client re-authenticates.
class BankingEmulator : public EmulatedProvider
{
public:
    explicit BankingEmulator(SandboxContext& context);

    QString pathPrefix() const override { return QStringLiteral("/banking"); }
    QList<DemoProvider> demoProviders(const QUrl& baseUrl) const override;
    void registerFaults(SandboxContext& context) const override;
    void registerRoutes(RouteTable& routes) override;

    static QString providerId() { return QStringLiteral("banking"); }

private:
    SandboxReply token(const SandboxRequest& request);
    SandboxReply accounts(const SandboxRequest& request);

    SandboxContext& m_context;
    TokenStore m_tokens;
};

} // namespace keyway::sandbox
