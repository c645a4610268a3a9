#pragma once

#include "core/sandbox/SandboxContext.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <functional>
#include <unordered_map>

namespace keyway::sandbox {

// One code or token the sandbox handed out.
struct IssuedToken
{
    enum class Kind { Code, Access, Refresh, Device };

    QString value;
    Kind kind = Kind::Access;
    QString providerId; // whose fault switches apply
    QString clientId;
    QString subject; // user id for user tokens, empty for client tokens
    QStringList scopes;
    qint64 issuedMs = 0;
    qint64 expiresMs = 0; // 0 = never
    quint64 serial = 0;
    bool used = false; // single-use codes
    bool revoked = false;
    QVariantMap extra; // per provider: redirect_uri, code_challenge, grant id...
};

// Why a presented value is not usable.
enum class TokenState { Valid, Unknown, Expired, Revoked, Used };

// The codes and tokens of one emulated provider, with expiry against keyway::Clock and the
// provider's expire_now / revoke cut-offs.
class TokenStore
{
public:
    explicit TokenStore(SandboxContext& context) : m_context(context) { }

    // documentedTtlSeconds is the lifetime the provider's document gives (0 = never expires);
    // the time scale shortens it.
    IssuedToken& issue(IssuedToken::Kind kind,
                       const QString& providerId,
                       const QString& value,
                       qint64 documentedTtlSeconds,
                       const QString& clientId);

    // Looks a value up; `token` (optional) receives the entry whatever its state.
    TokenState check(const QString& value, IssuedToken::Kind kind, IssuedToken** token = nullptr);

    void revokeWhere(const std::function<bool(const IssuedToken&)>& predicate);

private:
    SandboxContext& m_context;
    // std::unordered_map keeps references valid across inserts, so a handler may hold a code
    // while it issues the tokens that code buys.
    std::unordered_map<QString, IssuedToken> m_tokens;
};

} // namespace keyway::sandbox
