#include "core/oidc/IdTokenValidator.h"

#include "core/crypto/Jws.h"
#include "core/oidc/Discovery.h"
#include "core/oidc/Jwks.h"
#include "core/util/CallerContext.h"
#include "core/util/Clock.h"

namespace keyway::oidc {

namespace {

QString textOf(const nlohmann::json& object, const char* member)
{
    return object.is_object() && object.contains(member) && object.at(member).is_string()
        ? QString::fromStdString(object.at(member).get<std::string>())
        : QString();
}

std::optional<qint64> secondsOf(const nlohmann::json& claims, const char* member)
{
    if (!claims.contains(member) || !claims.at(member).is_number()) {
        return std::nullopt;
    }
    return static_cast<qint64>(claims.at(member).get<double>());
}

} // namespace

QString IdTokenValidator::checkClaims(const nlohmann::json& claims, const IdTokenExpectations& expect, qint64 now)
{
    const QString iss = textOf(claims, "iss");
    if (!expect.issuer.isEmpty() && !Discovery::sameIssuer(iss, expect.issuer)) {
        return iss.isEmpty() ? tr("the ID token has no iss claim")
                             : tr("the ID token's iss is %1, not the issuer %2").arg(iss, expect.issuer);
    }
    if (!expect.clientId.isEmpty()) {
        bool found = false;
        if (claims.contains("aud") && claims.at("aud").is_string()) {
            found = textOf(claims, "aud") == expect.clientId;
        } else if (claims.contains("aud") && claims.at("aud").is_array()) {
            for (const auto& a : claims.at("aud")) {
                found = found || (a.is_string() && QString::fromStdString(a.get<std::string>()) == expect.clientId);
            }
        }
        if (!found) {
            return tr("the ID token's aud does not contain the client_id %1 (it was issued to another client)")
                .arg(expect.clientId);
        }
    }
    const auto exp = secondsOf(claims, "exp");
    if (!exp) {
        return tr("the ID token has no exp claim");
    }
    if (*exp + ClockSkewSeconds <= now) {
        return tr("the ID token expired %n s ago (exp)", nullptr, int(qMin<qint64>(now - *exp, 1'000'000'000)));
    }
    const auto iat = secondsOf(claims, "iat");
    if (!iat) {
        return tr("the ID token has no iat claim");
    }
    if (*iat > now + ClockSkewSeconds) {
        return tr("the ID token's iat is in the future; check this computer's clock");
    }
    if (expect.nonce) {
        const QString nonce = textOf(claims, "nonce");
        if (nonce.isEmpty()) {
            return tr("the ID token has no nonce, but the sign-in sent one");
        }
        if (nonce != *expect.nonce) {
            return tr("the ID token's nonce is not the one this sign-in sent (a replayed or injected token)");
        }
    }
    return {};
}

void IdTokenValidator::validate(const QString& token,
                                const IdTokenExpectations& expect,
                                QObject* context,
                                std::function<void(const IdTokenVerdict&)> done,
                                RequestExecutor* executor)
{
    const CallerContext caller(context);
    auto later = [caller, done](const IdTokenVerdict& v) { caller.answerLater(done, v); };
    const auto parts = crypto::JwsParts::parse(token);
    IdTokenVerdict verdict;
    if (!parts) {
        verdict.detail = tr("the ID token is not a JWT");
        later(verdict);
        return;
    }
    verdict.issuer = textOf(parts->claims, "iss");
    verdict.kid = textOf(parts->header, "kid");
    const QString alg = textOf(parts->header, "alg");
    // Refused before any key is fetched: no key can make these trustworthy.
    const QString algProblem = crypto::Jws::verify(alg, crypto::Key(), {}, {});
    const bool supported
        = alg == QLatin1String("RS256") || alg == QLatin1String("PS256") || alg == QLatin1String("ES256");
    if (!supported) {
        verdict.detail = algProblem;
        later(verdict);
        return;
    }
    if (expect.jwksUri.isEmpty()) {
        verdict.detail = tr("the issuer's keys are unknown (no jwks_uri): set issuer or jwks_uri");
        later(verdict);
        return;
    }
    const crypto::JwsParts copy = *parts;
    Jwks::keyFor(
        expect.jwksUri,
        parts->header,
        expect.connection,
        context,
        [copy, alg, expect, verdict, done](const KeyLookup& lookup) mutable {
            verdict.kid = lookup.kid.isEmpty() ? verdict.kid : lookup.kid;
            if (!lookup.key) {
                verdict.detail = lookup.detail;
                verdict.unreachable = lookup.unreachable;
                verdict.failure = lookup.failure;
                done(verdict);
                return;
            }
            const QString problem = crypto::Jws::verify(alg, *lookup.key, copy.signingInput, copy.signature);
            if (!problem.isEmpty()) {
                verdict.detail = problem;
                done(verdict);
                return;
            }
            if (expect.checkClaims) {
                verdict.detail = checkClaims(copy.claims, expect, Clock::currentMSecsSinceEpoch() / 1000);
            }
            verdict.ok = verdict.detail.isEmpty();
            done(verdict);
        },
        executor);
}

QString IdTokenValidator::describe(const IdTokenVerdict& verdict)
{
    if (verdict.ok) {
        return tr("signature verified with key %1 of %2")
            .arg(verdict.kid.isEmpty() ? tr("(no kid)") : verdict.kid,
                 verdict.issuer.isEmpty() ? tr("the issuer") : verdict.issuer);
    }
    return tr("signature not verified: %1").arg(verdict.detail);
}

} // namespace keyway::oidc
