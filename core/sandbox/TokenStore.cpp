#include "core/sandbox/TokenStore.h"

namespace keyway::sandbox {

IssuedToken& TokenStore::issue(IssuedToken::Kind kind,
                               const QString& providerId,
                               const QString& value,
                               qint64 documentedTtlSeconds,
                               const QString& clientId)
{
    IssuedToken token;
    token.value = value;
    token.kind = kind;
    token.providerId = providerId;
    token.clientId = clientId;
    token.issuedMs = SandboxContext::nowMs();
    token.expiresMs = documentedTtlSeconds > 0 ? token.issuedMs + m_context.lifetimeMs(documentedTtlSeconds) : 0;
    token.serial = m_context.nextSerial();
    return m_tokens.insert_or_assign(value, token).first->second;
}

TokenState TokenStore::check(const QString& value, IssuedToken::Kind kind, IssuedToken** token)
{
    const auto found = m_tokens.find(value);
    if (value.isEmpty() || found == m_tokens.end() || found->second.kind != kind) {
        return TokenState::Unknown;
    }
    IssuedToken* it = &found->second;
    if (token) {
        *token = it;
    }
    if (it->revoked || it->serial <= m_context.revokedThrough(it->providerId)) {
        return TokenState::Revoked;
    }
    // expire_now ages out codes and access tokens; refresh tokens are long-lived grants and
    // only die by revocation, so a demo can show "expired → refreshed".
    const bool cutOff = kind != IssuedToken::Kind::Refresh && it->serial <= m_context.expiredThrough(it->providerId);
    if (cutOff || (it->expiresMs > 0 && SandboxContext::nowMs() >= it->expiresMs)) {
        return TokenState::Expired;
    }
    if (it->used) {
        return TokenState::Used;
    }
    return TokenState::Valid;
}

void TokenStore::revokeWhere(const std::function<bool(const IssuedToken&)>& predicate)
{
    for (auto& entry : m_tokens) {
        if (predicate(entry.second)) {
            entry.second.revoked = true;
        }
    }
}

} // namespace keyway::sandbox
