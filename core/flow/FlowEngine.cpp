#include "core/flow/FlowEngine.h"

#include "core/flow/LoopbackReceiver.h"
#include "core/flow/Pkce.h"
#include "core/flow/ReplyJudge.h"
#include "core/http/NetworkDiagnosis.h"
#include "core/http/RequestExecutor.h"
#include "core/oidc/ClientAssertion.h"
#include "core/oidc/Discovery.h"
#include "core/oidc/IdTokenValidator.h"
#include "core/util/Clock.h"
#include "core/util/Jwt.h"
#include "core/util/Logging.h"

#include <QCoreApplication>
#include <QTimer>
#include <QUrlQuery>

#include <cmath>

namespace keyway {

namespace {

QByteArray formEncode(const QList<QPair<QString, QString>>& pairs)
{
    QByteArray out;
    for (const auto& [key, value] : pairs) {
        if (!out.isEmpty()) {
            out += '&';
        }
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

// Reply members that hold credentials whatever the profile declares: redacted even when not captured.
const QList<const char*>& tokenMembers()
{
    static const QList<const char*> names = {"access_token",
                                             "refresh_token",
                                             "id_token",
                                             "accessToken",
                                             "refreshToken",
                                             "idToken",
                                             "client_secret",
                                             "clientSecret",
                                             "device_code"};
    return names;
}

void collectTokenMembers(const nlohmann::json& node, Redactor& redactor, int depth = 0)
{
    if (depth > 6) {
        return;
    }
    if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (it.value().is_string()) {
                for (const char* name : tokenMembers()) {
                    if (it.key() == name) {
                        redactor.addSecret(QString::fromStdString(it.value().get<std::string>()),
                                           QString::fromLatin1(name));
                    }
                }
            } else {
                collectTokenMembers(it.value(), redactor, depth + 1);
            }
        }
    } else if (node.is_array()) {
        for (const auto& item : node) {
            collectTokenMembers(item, redactor, depth + 1);
        }
    }
}

// A lifetime in seconds as token endpoints send it (docs/hardening.md, "expires_in"): a number or a
// numeric string; a fraction is cut to whole seconds; zero, negative or unreadable is no lifetime at all
// (the next source is tried: JWT exp, the profile's documented lifetime); anything over ten years is
// taken as ten years, so the arithmetic on it can never overflow.
std::optional<qint64> secondsAt(const nlohmann::json& doc, const QString& pointer)
{
    constexpr double maxSeconds = 10.0 * 366 * 24 * 3600;
    try {
        const nlohmann::json::json_pointer ptr(pointer.toStdString());
        if (!doc.contains(ptr)) {
            return std::nullopt;
        }
        const auto& v = doc.at(ptr);
        double seconds = 0;
        if (v.is_number()) {
            seconds = v.get<double>();
        } else if (v.is_string()) {
            bool ok = false;
            seconds = QString::fromStdString(v.get<std::string>()).trimmed().toDouble(&ok);
            if (!ok) {
                return std::nullopt;
            }
        } else {
            return std::nullopt;
        }
        if (!std::isfinite(seconds) || seconds < 1) {
            return std::nullopt;
        }
        return static_cast<qint64>(std::floor(std::min(seconds, maxSeconds)));
    } catch (const nlohmann::json::exception&) {
    }
    return std::nullopt;
}

// "5 min", "90 s": how long the listener waited, in the user's words.
QString waitText(int ms)
{
    const int seconds = ms / 1000;
    if (seconds >= 60 && seconds % 60 == 0) {
        return FlowEngine::tr("%n min", nullptr, seconds / 60);
    }
    return FlowEngine::tr("%n s", nullptr, seconds);
}

QString jsonKindName(const nlohmann::json& v)
{
    switch (v.type()) {
    case nlohmann::json::value_t::null:
        return FlowEngine::tr("null");
    case nlohmann::json::value_t::boolean:
        return FlowEngine::tr("a boolean");
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
        return FlowEngine::tr("a number");
    case nlohmann::json::value_t::object:
        return FlowEngine::tr("an object");
    case nlohmann::json::value_t::array:
        return FlowEngine::tr("an array");
    case nlohmann::json::value_t::string:
        return FlowEngine::tr("a string");
    default:
        return FlowEngine::tr("a value of another kind");
    }
}

bool stepReadsJson(const FlowStep& step)
{
    if (!step.success.codePointer.isEmpty() || !step.success.nonEmpty.isEmpty()) {
        return true;
    }
    for (const Capture& c : step.captures) {
        if (!c.pointer.isEmpty()) {
            return true;
        }
    }
    return false;
}

} // namespace

std::optional<CapturedValue> FlowResult::value(const QString& name) const
{
    auto it = values.constFind(name);
    return it == values.cend() ? std::nullopt : std::optional<CapturedValue>(*it);
}

QString FlowResult::oneLine() const
{
    QString line = stepId.isEmpty() ? detail : FlowEngine::tr("step %1: %2").arg(stepId, detail);
    if (!hint.isEmpty()) {
        line += QStringLiteral(" — ") + hint;
    }
    return line;
}

FlowEngine::FlowEngine(const ProviderProfile& profile, FlowOptions options, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    , m_options(std::move(options))
    , m_resolver(m_profile, m_options.credentials, m_options.credentialSet)
    , m_executor(RequestExecutor::forCurrentThread())
{
    for (const CredentialField& field : profile.fields) {
        if (field.secret) {
            m_redactor.addSecret(m_options.credentials.value(field.key), field.bareKey);
        }
    }
    if (profile.token.header.compare(QLatin1String("Authorization"), Qt::CaseInsensitive) != 0) {
        m_redactor.addCredentialHeader(profile.token.header.toLatin1(), profile.token.capture);
    }
}

FlowEngine::~FlowEngine() = default;

void FlowEngine::runFullFlow()
{
    m_steps = m_profile.steps;
    m_index = 0;
    QTimer::singleShot(0, this, &FlowEngine::runNextStep);
}

void FlowEngine::runStep(int index, const QMap<QString, CapturedValue>& known)
{
    const qint64 now = Clock::currentMSecsSinceEpoch();
    for (auto it = known.cbegin(); it != known.cend(); ++it) {
        if (it->consumed || it->isExpiredAt(now)) {
            continue;
        }
        m_values.insert(it.key(), *it);
        m_resolver.setCaptured(it.key(), it->value);
        if (it->secret) {
            m_redactor.addSecret(it->value, it.key());
        }
        if (it->internal && it.key() == QLatin1String("nonce")) {
            m_nonce = it->value; // the exchange after a sign-in run on its own still checks the ID token's nonce
        }
    }
    m_steps = index >= 0 && index < m_profile.steps.size() ? QList<FlowStep> {m_profile.steps.at(index)}
                                                           : QList<FlowStep> {};
    m_index = 0;
    QTimer::singleShot(0, this, &FlowEngine::runNextStep);
}

void FlowEngine::runRefresh(const QString& refreshToken)
{
    m_steps.clear();
    // A refresh needs the token endpoint too: discovered ones are found again first (cached per process).
    for (const FlowStep& step : m_profile.steps) {
        if (step.kind == StepKind::Discovery) {
            m_steps.append(step);
        }
    }
    if (m_profile.refresh) {
        m_steps.append(*m_profile.refresh);
    }
    m_index = 0;
    m_resolver.setVariable(QStringLiteral("refresh_token"), refreshToken);
    m_redactor.addSecret(refreshToken, QStringLiteral("refresh_token"));
    QTimer::singleShot(0, this, &FlowEngine::runNextStep);
}

void FlowEngine::emitEvent(FlowEvent e)
{
    Q_EMIT event(e);
}

void FlowEngine::runNextStep()
{
    if (m_finished) {
        return;
    }
    if (m_index >= m_steps.size()) {
        FlowResult result;
        result.values = m_values;
        finish(result);
        return;
    }
    const FlowStep& step = m_steps.at(m_index);
    if (step.kind == StepKind::Discovery && m_resolver.resolve(step.url).trimmed().isEmpty()) {
        // No issuer: the endpoints are set by hand, and there is nothing to discover.
        ++m_index;
        runNextStep();
        return;
    }
    FlowEvent started;
    started.type = FlowEvent::Type::StepStarted;
    started.stepId = step.id;
    started.title = step.title;
    emitEvent(started);
    if (const auto problem = step.kind == StepKind::Discovery ? std::nullopt : missingUrl(step)) {
        fail(step, FlowResult::Outcome::Invalid, *problem, tr("Set the missing value in the environment."));
        return;
    }
    if (step.kind == StepKind::Browser) {
        runBrowser(step);
    } else if (step.kind == StepKind::Poll) {
        runPoll(step);
    } else if (step.kind == StepKind::Discovery) {
        runDiscovery(step);
    } else {
        runExchange(step);
    }
}

std::optional<QString> FlowEngine::missingUrl(const FlowStep& step) const
{
    if (!m_resolver.resolve(step.url).trimmed().isEmpty()) {
        return std::nullopt;
    }
    QStringList names = TemplateResolver::names(step.url).values();
    names.sort();
    const bool discoverable = m_profile.field(QStringLiteral("issuer")) != nullptr;
    return discoverable
        ? tr("no endpoint: %1 is empty; set it, or set issuer to discover it").arg(names.join(QStringLiteral(", ")))
        : tr("no endpoint: %1 is empty; set it").arg(names.join(QStringLiteral(", ")));
}

void FlowEngine::runDiscovery(const FlowStep& step)
{
    const QString issuer = m_resolver.resolve(step.url).trimmed();
    const int index = m_index;
    oidc::Discovery::fetch(issuer, m_options.connection, this, [this, index, issuer](const oidc::DiscoveryResult& d) {
        if (m_finished || index != m_index) {
            return;
        }
        const FlowStep& current = m_steps.at(index);
        if (d.response.status > 0 || !d.documentUrl.isEmpty()) {
            HttpRequest request;
            request.url = d.documentUrl;
            request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
            emitEvent(FlowEvent::request(current.id, request, m_redactor));
        }
        if (d.outcome == oidc::DiscoveryResult::Outcome::Unreachable) {
            m_failure = d.failure;
            m_peerChain = d.response.peerChain;
            fail(current,
                 FlowResult::Outcome::Network,
                 d.detail,
                 tr("Check the issuer value and that the provider is reachable."));
            return;
        }
        emitEvent(FlowEvent::response(current.id, d.response, m_redactor));
        if (!d.ok()) {
            fail(current,
                 FlowResult::Outcome::Invalid,
                 d.detail,
                 d.outcome == oidc::DiscoveryResult::Outcome::IssuerMismatch
                     ? tr("Keyway stopped before sending anything to the endpoints this document names. Check "
                          "that issuer is exactly the provider's issuer identifier.")
                     : tr("Check the issuer value, or set the endpoints by hand."),
                 d.response.status);
            return;
        }
        if (!applyCaptures(current, d.document)) {
            return;
        }
        ++m_index;
        runNextStep();
    });
}

std::optional<HttpRequest>
FlowEngine::buildRequest(const FlowStep& step, QString* error, std::optional<nlohmann::ordered_json>* assertion)
{
    HttpRequest request;
    request.method = step.method.toUpper().toLatin1();
    request.url = TemplateResolver::resolveUrl(m_options.baseUrl, m_resolver.resolve(step.url));
    request.connection = m_options.connection;

    QList<QPair<QString, QString>> params;
    for (const StepParam& p : step.params) {
        const QString value = m_resolver.resolve(p.value);
        if (!value.isEmpty()) {
            params.append({p.name, value});
        }
    }
    BodyKind kind = step.bodyKind;
    if (!step.clientIdParam.isEmpty()) {
        const QString clientId = m_resolver.resolve(step.clientIdParam);
        const QString clientSecret = m_resolver.resolve(step.clientSecretParam);
        const QString method = m_resolver.resolve(step.clientAuth).trimmed().toLower();
        const bool basic = method == QLatin1String("basic");
        if (oidc::ClientAssertion::isAssertionMethod(method)) {
            // RFC 7523 §2.2: the assertion proves the client; its audience is the token endpoint as sent.
            const auto built = oidc::ClientAssertion::build(method,
                                                            clientId,
                                                            request.url.toString(QUrl::RemoveQuery),
                                                            clientSecret,
                                                            m_resolver.resolve(step.clientKeyParam),
                                                            m_resolver.resolve(step.clientKeyIdParam),
                                                            error);
            if (!built) {
                return std::nullopt;
            }
            m_redactor.addSecret(built->token, QStringLiteral("client_assertion"));
            if (assertion) {
                *assertion = built->describe();
            }
            params.append({QStringLiteral("client_id"), clientId});
            params.append({QStringLiteral("client_assertion_type"), oidc::ClientAssertion::assertionType()});
            params.append({QStringLiteral("client_assertion"), built->token});
        } else if (method == QLatin1String("none")) {
            params.append({QStringLiteral("client_id"), clientId});
        } else if (basic && !clientSecret.isEmpty()) {
            // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
            const QByteArray pair = QUrl::toPercentEncoding(clientId) + ':' + QUrl::toPercentEncoding(clientSecret);
            request.headers.append({QByteArrayLiteral("Authorization"), "Basic " + pair.toBase64()});
        } else {
            // A public client (no secret) identifies itself with client_id in the body only.
            params.append({QStringLiteral("client_id"), clientId});
            if (!clientSecret.isEmpty()) {
                params.append({QStringLiteral("client_secret"), clientSecret});
            }
        }
        if (kind == BodyKind::None || kind == BodyKind::Query) {
            kind = BodyKind::Form;
        }
    }
    switch (kind) {
    case BodyKind::Query: {
        QUrlQuery query(request.url);
        for (const auto& [k, v] : params) {
            query.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(k)),
                               QString::fromLatin1(QUrl::toPercentEncoding(v)));
        }
        request.url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
        break;
    }
    case BodyKind::Form:
        request.body = formEncode(params);
        request.headers.append(
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/x-www-form-urlencoded")});
        break;
    case BodyKind::Json: {
        nlohmann::ordered_json body = nlohmann::ordered_json::object();
        for (const auto& [k, v] : params) {
            body[k.toStdString()] = v.toStdString();
        }
        request.body = QByteArray::fromStdString(body.dump());
        request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        break;
    }
    case BodyKind::None:
        break;
    }
    bool hasAccept = false;
    for (const StepParam& h : step.headers) {
        const QString value = m_resolver.resolve(h.value);
        if (value.isEmpty()) {
            continue;
        }
        setHeader(request.headers, h.name.toLatin1(), value.toUtf8());
        hasAccept = hasAccept || h.name.compare(QLatin1String("Accept"), Qt::CaseInsensitive) == 0;
    }
    if (!hasAccept) {
        request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    }
    return request;
}

void FlowEngine::consumeSingleUse(const FlowStep& step)
{
    QSet<QString> used = TemplateResolver::names(step.url);
    for (const StepParam& p : step.params) {
        used.unite(TemplateResolver::names(p.value));
    }
    for (const StepParam& p : step.headers) {
        used.unite(TemplateResolver::names(p.value));
    }
    for (auto it = m_values.begin(); it != m_values.end(); ++it) {
        CapturedValue& v = it.value();
        if (v.singleUse && used.contains(v.name)) {
            markConsumed(step, v);
        }
    }
}

void FlowEngine::markConsumed(const FlowStep& step, CapturedValue& value)
{
    if (value.consumed) {
        return;
    }
    value.consumed = true;
    FlowEvent e;
    e.type = FlowEvent::Type::Consumed;
    e.stepId = step.id;
    e.name = value.name;
    e.issuedMs = value.issuedMs;
    e.expiresMs = value.expiresMs;
    emitEvent(e);
}

void FlowEngine::runExchange(const FlowStep& step)
{
    sendStepRequest(step, &FlowEngine::onExchangeReply);
}

void FlowEngine::sendStepRequest(const FlowStep& step, ReplyHandler onReply)
{
    QString error;
    std::optional<nlohmann::ordered_json> assertion;
    const auto built = buildRequest(step, &error, &assertion);
    if (!built) {
        fail(step,
             FlowResult::Outcome::Invalid,
             error,
             tr("Fix the client authentication of the environment (client_auth and its key or secret)."));
        return;
    }
    const HttpRequest request = *built;
    FlowEvent sent = FlowEvent::request(step.id, request, m_redactor);
    sent.clientAssertion = assertion;
    emitEvent(sent);
    qCDebug(lcAuth) << "step" << step.id << request.method;

    QPointer<FlowEngine> self(this);
    const int index = m_index;
    m_executor->send(request, [self, index, onReply](const HttpResponse& response) {
        if (self && !self->m_finished && index == self->m_index) {
            (self.data()->*onReply)(self->m_steps.at(index), response);
        }
    });
}

void FlowEngine::learnSecretsFrom(const FlowStep& step, const nlohmann::json& doc)
{
    for (const Capture& c : step.captures) {
        if (c.secret) {
            if (auto text = ReplyJudge::textAt(doc, c.pointer)) {
                m_redactor.addSecret(*text, c.name);
            }
        }
    }
    collectTokenMembers(doc, m_redactor);
}

QString FlowEngine::unreachableHint(const FlowStep& step) const
{
    // An absolute endpoint in a field does not follow the base URL: name that field, since the base URL
    // is not what is wrong.
    for (const QString& name : TemplateResolver::names(step.url)) {
        const QString value = m_resolver.value(name);
        if (value.startsWith(QLatin1String("http://")) || value.startsWith(QLatin1String("https://"))) {
            const CredentialField* field = m_profile.field(name);
            return tr("Nothing answered at %1, the value of the field \u201c%2\u201d (%3). Correct that field, or make "
                      "it relative to the base URL (for example /oauth/token) so that it follows the base URL.")
                .arg(value, field ? field->label : name, name);
        }
    }
    return tr("Check the environment's base URL and that the provider is reachable.");
}

void FlowEngine::onExchangeReply(const FlowStep& step, const HttpResponse& response)
{
    if (response.error == HttpResponse::Error::TooLarge || response.error == HttpResponse::Error::Redirect) {
        // The server answered, but with something Keyway refuses to use: not "unreachable".
        fail(step, FlowResult::Outcome::Invalid, response.errorText, shapeHint(), response.status);
        return;
    }
    if (!response.transportOk()) {
        m_failure = response.failure;
        m_peerChain = response.peerChain;
        // TLS, proxy and settings failures say themselves what to set; "check the base URL" would mislead.
        const bool saysWhatToDo = response.failure == HttpResponse::Failure::Tls
            || response.failure == HttpResponse::Failure::ProxyAuth
            || response.failure == HttpResponse::Failure::ProxyRefused
            || response.failure == HttpResponse::Failure::Settings;
        fail(step,
             FlowResult::Outcome::Network,
             response.errorText.isEmpty() ? tr("no reply") : response.errorText,
             saysWhatToDo ? QString() : unreachableHint(step));
        return;
    }
    const auto doc = ReplyJudge::parseJson(response.body);
    if (doc) {
        learnSecretsFrom(step, *doc);
    }
    emitEvent(FlowEvent::response(step.id, response, m_redactor));
    // A single-use code is spent once the provider has answered a request that carried it, whatever the
    // answer. Not before: a cancelled or unsent request leaves it as it was, and no reply says it was used.
    consumeSingleUse(step);

    const Verdict verdict = ReplyJudge::judge(step.success, response.status, response.body);
    // A reply whose status and envelope say "success" but whose shape is wrong (an HTML page, broken
    // JSON, a token that is a number) is named as such: it is not the provider refusing the credentials.
    const bool statusOk = step.success.statuses.isEmpty() ? response.status >= 200 && response.status < 300
                                                          : step.success.statuses.contains(response.status);
    // A profile that documents what an empty value means ("empty:/data/accessToken": the code was already
    // used) knows better than a generic "not a string".
    bool documentedEmpty = false;
    for (const ErrorHint& hint : m_profile.hints) {
        documentedEmpty = documentedEmpty
            || (!verdict.emptyPointer.isEmpty() && hint.when == QStringLiteral("empty:") + verdict.emptyPointer
                && (hint.step.isEmpty() || hint.step == step.id));
    }
    if (statusOk && !documentedEmpty) {
        // Token shapes only when the provider did not refuse in its own words (an envelope code): its
        // refusal says more than "access_token is not a string" about a reply whose data is null.
        const bool judgeCaptures = verdict.ok || !verdict.emptyPointer.isEmpty();
        if (const auto problem = replyShapeProblem(step, response, doc, judgeCaptures)) {
            fail(step, FlowResult::Outcome::Invalid, *problem, shapeHint(), response.status);
            return;
        }
    }
    if (!verdict.ok) {
        fail(step,
             FlowResult::Outcome::Refused,
             verdict.detail,
             ReplyJudge::hintFor(m_profile, step.id, verdict),
             response.status,
             verdict.oauthError);
        return;
    }
    acceptReply(step, doc.value_or(nlohmann::json::object()));
}

void FlowEngine::acceptReply(const FlowStep& step, const nlohmann::json& doc)
{
    m_idTokenVerified.reset();
    m_idTokenKey.clear();
    std::optional<QString> idToken;
    for (const Capture& c : step.captures) {
        if (c.name == QLatin1String("id_token")) {
            idToken = ReplyJudge::textAt(doc, c.pointer);
        }
    }
    const QString issuer = m_resolver.value(QStringLiteral("issuer")).trimmed();
    const QString jwksUri = m_resolver.value(QStringLiteral("jwks_uri")).trimmed();
    if (!idToken || idToken->isEmpty() || (issuer.isEmpty() && jwksUri.isEmpty())) {
        // Without the issuer's keys there is nothing to validate against: captured, marked unverified.
        if (idToken && !idToken->isEmpty()) {
            m_idTokenVerified = false;
        }
        if (applyCaptures(step, doc)) {
            afterCaptures(step);
        }
        return;
    }
    oidc::IdTokenExpectations expect;
    expect.issuer = issuer;
    expect.clientId
        = m_resolver.resolve(step.clientIdParam.isEmpty() ? QStringLiteral("{{client_id}}") : step.clientIdParam);
    expect.nonce = step.kind == StepKind::Refresh ? std::nullopt : m_nonce;
    expect.jwksUri = TemplateResolver::resolveUrl(m_options.baseUrl, jwksUri).toString();
    expect.connection = m_options.connection;
    const int index = m_index;
    const nlohmann::json copy = doc;
    oidc::IdTokenValidator::validate(*idToken, expect, this, [this, index, copy](const oidc::IdTokenVerdict& verdict) {
        if (m_finished || index != m_index) {
            return;
        }
        const FlowStep& current = m_steps.at(index);
        if (!verdict.ok) {
            if (verdict.unreachable) {
                m_failure = verdict.failure;
                fail(current,
                     FlowResult::Outcome::Network,
                     verdict.detail,
                     tr("The ID token could not be checked because the issuer's keys could not be fetched."));
                return;
            }
            fail(current,
                 FlowResult::Outcome::Invalid,
                 tr("ID token refused: %1").arg(verdict.detail),
                 tr("Keyway did not use the tokens of this reply. Sign in again; if it persists, the provider "
                    "or something between it and Keyway alters its tokens."));
            return;
        }
        qCInfo(lcAuth) << "id_token verified with key" << verdict.kid;
        m_idTokenVerified = true;
        m_idTokenKey = verdict.kid;
        if (applyCaptures(current, copy)) {
            afterCaptures(current);
        }
    });
}

void FlowEngine::afterCaptures(const FlowStep& step)
{
    if (step.kind == StepKind::Device) {
        announceDeviceCode(step);
    } else if (step.kind == StepKind::Poll) {
        finishPolling(step);
    }
    ++m_index;
    runNextStep();
}

QString FlowEngine::shapeHint() const
{
    return tr("The endpoint did not answer the way the provider profile expects: check that the URL points at the "
              "provider's API (not a web page or a gateway), or report the reply to the provider.");
}

std::optional<QString> FlowEngine::replyShapeProblem(const FlowStep& step,
                                                     const HttpResponse& response,
                                                     const std::optional<nlohmann::json>& doc,
                                                     bool judgeCaptures) const
{
    if (!stepReadsJson(step)) {
        return std::nullopt;
    }
    if (!doc) {
        // Never quote the body or the parser's message: a cut-short reply may hold half a token.
        const QString type = QString::fromLatin1(response.header("Content-Type")).section(QLatin1Char(';'), 0, 0);
        if (response.body.trimmed().isEmpty()) {
            return tr("the reply is empty where JSON was expected");
        }
        if (type.contains(QLatin1String("html"), Qt::CaseInsensitive) || response.body.trimmed().startsWith('<')) {
            return tr("the reply is a web page (%1), not JSON").arg(type.isEmpty() ? QStringLiteral("HTML") : type);
        }
        return tr("the reply is not valid JSON (malformed or cut short)");
    }
    if (!doc->is_object()) {
        return tr("the reply is %1, not a JSON object").arg(jsonKindName(*doc));
    }
    for (const Capture& c : step.captures) {
        if (!judgeCaptures || !c.secret || c.pointer.isEmpty()) {
            continue;
        }
        try {
            const nlohmann::json::json_pointer ptr(c.pointer.toStdString());
            if (!doc->contains(ptr)) {
                continue; // a missing value is reported by the success rule or the capture itself
            }
            const nlohmann::json& v = doc->at(ptr);
            if (v.is_string() && !v.get<std::string>().empty()) {
                continue;
            }
            if (c.optional && (v.is_null() || v.is_string())) {
                continue; // "refresh_token": null or "" means "none this time"
            }
            // A token that is not a string would be sent as something the provider never issued.
            return v.is_string()
                ? tr("%1 is not a string: the reply has an empty string at %2").arg(c.name, c.pointer)
                : tr("%1 is not a string: the reply has %2 at %3").arg(c.name, jsonKindName(v), c.pointer);
        } catch (const nlohmann::json::exception&) {
        }
    }
    return std::nullopt;
}

bool FlowEngine::applyCaptures(const FlowStep& step, const nlohmann::json& doc)
{
    const qint64 now = Clock::currentMSecsSinceEpoch();
    QStringList captured;
    for (const Capture& c : step.captures) {
        if (step.kind == StepKind::Discovery && !m_resolver.value(c.name).trimmed().isEmpty()) {
            continue; // an explicit value in the environment overrides discovery
        }
        const auto text = ReplyJudge::textAt(doc, c.pointer);
        if (!text || text->isEmpty()) {
            if (c.optional) {
                continue;
            }
            fail(step,
                 FlowResult::Outcome::Invalid,
                 tr("the reply has no %1 at %2").arg(c.name, c.pointer),
                 tr("The provider's reply does not match the profile: check the base URL."));
            return false;
        }
        CapturedValue v;
        v.name = c.name;
        v.value = *text;
        v.issuedMs = now;
        v.singleUse = c.singleUse;
        v.secret = c.secret;
        std::optional<qint64> ttl;
        for (const QString& pointer : c.ttlPointers) {
            if ((ttl = secondsAt(doc, pointer))) {
                break;
            }
        }
        if (ttl) {
            v.expiresMs = now + *ttl * 1000;
        } else if (const auto jwt = c.ttlFromJwtExp ? Jwt::decode(*text) : std::nullopt; jwt && jwt->expiresAt()) {
            v.expiresMs = *jwt->expiresAt() * 1000;
        } else if (c.defaultTtlSeconds) {
            v.expiresMs = now + *c.defaultTtlSeconds * 1000;
            v.lifetimeAssumed = true;
        }
        if (v.secret) {
            m_redactor.addSecret(v.value, v.name);
        }
        m_values.insert(v.name, v);
        m_resolver.setCaptured(v.name, v.value);
        captured.append(v.name);
    }
    // user_id: the reply's own member (Seam document), else the `sub` claim of an OpenID Connect ID token.
    const QString userId = QStringLiteral("user_id");
    if (!m_values.contains(userId) && m_values.contains(QStringLiteral("id_token"))) {
        if (const auto jwt = Jwt::decode(m_values.value(QStringLiteral("id_token")).value);
            jwt && !jwt->subject().isEmpty()) {
            CapturedValue v;
            v.name = userId;
            v.value = jwt->subject();
            v.issuedMs = now;
            v.secret = false;
            m_values.insert(userId, v);
            captured.append(userId);
        }
    }
    for (const QString& name : std::as_const(captured)) {
        auto it = m_values.constFind(name);
        FlowEvent e;
        e.type = FlowEvent::Type::Captured;
        e.stepId = step.id;
        e.name = it->name;
        e.issuedMs = it->issuedMs;
        e.expiresMs = it->expiresMs;
        e.singleUse = it->singleUse;
        e.lifetimeAssumed = it->lifetimeAssumed;
        if (!it->secret) {
            e.value = it->value;
        }
        if (name == QLatin1String("id_token")) {
            e.verified = m_idTokenVerified;
            e.verifiedKey = m_idTokenKey;
        }
        e.discovered = step.kind == StepKind::Discovery;
        emitEvent(e);
    }
    return true;
}

void FlowEngine::carryToLaterSteps(const QString& name, const QString& value, bool secret)
{
    CapturedValue carried;
    carried.name = name;
    carried.value = value;
    carried.issuedMs = Clock::currentMSecsSinceEpoch();
    carried.secret = secret;
    carried.internal = true;
    m_values.insert(name, carried);
}

void FlowEngine::runBrowser(const FlowStep& step)
{
    const Pkce pkce = Pkce::generate();
    const QString state = Pkce::randomToken(32);
    m_receiver = new LoopbackReceiver(step.redirectPath, this);
    if (!m_receiver->listen()) {
        fail(step,
             FlowResult::Outcome::BrowserFailed,
             tr("could not listen on 127.0.0.1"),
             tr("Keyway needs a free port on 127.0.0.1 for the sign-in redirect: check that no security policy "
                "forbids local ports, then start the sign-in again."));
        return;
    }
    m_receiver->setExpectedState(state);
    m_resolver.setVariable(QStringLiteral("redirect_uri"), m_receiver->redirectUri());
    m_resolver.setVariable(QStringLiteral("state"), state);
    m_resolver.setVariable(QStringLiteral("code_verifier"), pkce.verifier);
    m_resolver.setVariable(QStringLiteral("code_challenge"), pkce.challenge);
    m_redactor.addSecret(pkce.verifier, QStringLiteral("code_verifier"));
    carryToLaterSteps(QStringLiteral("redirect_uri"), m_receiver->redirectUri(), false);
    carryToLaterSteps(QStringLiteral("code_verifier"), pkce.verifier, true);

    QUrl url = TemplateResolver::resolveUrl(m_options.baseUrl, m_resolver.resolve(step.url));
    m_authorizeOrigin = originOf(url);
    QUrlQuery query(url);
    auto add = [&](const QString& key, const QString& value) {
        if (!value.isEmpty()) {
            query.removeAllQueryItems(key);
            query.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(key)),
                               QString::fromLatin1(QUrl::toPercentEncoding(value)));
        }
    };
    for (const StepParam& p : step.authorizeParams) {
        add(p.name, m_options.authorizeOverrides.value(p.name, m_resolver.resolve(p.value)));
    }
    for (auto it = m_options.authorizeOverrides.cbegin(); it != m_options.authorizeOverrides.cend(); ++it) {
        add(it.key(), it.value());
    }
    // OpenID Connect: a sign-in that asks for openid binds its ID token to this run with a nonce.
    m_nonce.reset();
    if (query.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded)
            .split(QLatin1Char(' '), Qt::SkipEmptyParts)
            .contains(QStringLiteral("openid"))) {
        m_nonce = Pkce::randomToken(32);
        add(QStringLiteral("nonce"), *m_nonce);
        carryToLaterSteps(QStringLiteral("nonce"), *m_nonce, true);
    }
    add(QStringLiteral("redirect_uri"), m_receiver->redirectUri());
    add(QStringLiteral("state"), state);
    add(QStringLiteral("code_challenge"), pkce.challenge);
    add(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);

    const int index = m_index;
    connect(m_receiver, &LoopbackReceiver::received, this, [this, index](const QMap<QString, QString>& params) {
        if (!m_finished && index == m_index) {
            onCallback(m_steps.at(index), params);
        }
    });
    connect(m_receiver, &LoopbackReceiver::stateMismatch, this, [this, index] {
        if (!m_finished && index == m_index) {
            fail(m_steps.at(index),
                 FlowResult::Outcome::StateMismatch,
                 tr("state mismatch"),
                 tr("The redirect did not carry the state Keyway sent (a forged or stale redirect); its code was "
                    "not used. Start the sign-in again."));
        }
    });
    m_browserTimer = new QTimer(this);
    m_browserTimer->setSingleShot(true);
    connect(m_browserTimer, &QTimer::timeout, this, [this, index] {
        if (!m_finished && index == m_index) {
            fail(m_steps.at(index),
                 FlowResult::Outcome::Timeout,
                 tr("no sign-in arrived within %1; Keyway stopped waiting for it")
                     .arg(waitText(m_options.browserTimeoutMs)),
                 tr("Start the sign-in again and finish it in the browser before the time runs out."));
        }
    });
    m_browserTimer->start(m_options.browserTimeoutMs);

    FlowEvent e;
    e.type = FlowEvent::Type::AuthorizeUrl;
    e.stepId = step.id;
    e.url = m_redactor.redactUrl(url);
    emitEvent(e);
    // The waiting state is announced before the browser is asked, so whatever the opener does (tests play the
    // whole sign-in from it) happens while the wait is visible.
    m_waiting = FlowEvent();
    m_waiting.type = FlowEvent::Type::WaitingForBrowser;
    m_waiting.stepId = step.id;
    m_waiting.url = e.url;
    m_waiting.browserOpened = true;
    m_waiting.deadlineMs = Clock::currentMSecsSinceEpoch() + m_options.browserTimeoutMs;
    emitEvent(m_waiting);
    // A browser that does not open is no reason to give up: the listener keeps waiting while the user opens
    // the URL by hand, or pastes the redirect as a last resort.
    const QPointer<FlowEngine> self(this);
    const bool opened = m_options.openUrl && m_options.openUrl(url);
    if (!opened && self) {
        qCInfo(lcAuth) << "the browser could not be opened; still waiting for the redirect";
        setBrowserOpened(false);
    }
}

bool FlowEngine::isWaitingForBrowser() const
{
    return !m_finished && m_receiver && m_index < m_steps.size() && m_steps.at(m_index).kind == StepKind::Browser
        && m_browserTimer && m_browserTimer->isActive();
}

void FlowEngine::setBrowserOpened(bool opened)
{
    if (!isWaitingForBrowser() || m_waiting.type != FlowEvent::Type::WaitingForBrowser
        || m_waiting.browserOpened == opened) {
        return;
    }
    m_waiting.browserOpened = opened;
    emitEvent(m_waiting);
}

QString FlowEngine::submitRedirectUrl(const QUrl& url)
{
    if (!isWaitingForBrowser()) {
        return tr("No sign-in is waiting for a redirect.");
    }
    switch (m_receiver->submit(url)) {
    case LoopbackReceiver::Verdict::Accepted:
    case LoopbackReceiver::Verdict::Refused:
    case LoopbackReceiver::Verdict::StateMismatch:
        return {};
    case LoopbackReceiver::Verdict::AlreadyFinished:
        return tr("This sign-in already received its redirect.");
    case LoopbackReceiver::Verdict::WrongPath:
    case LoopbackReceiver::Verdict::NotARedirect:
        break;
    }
    return tr("This is not the redirect of the sign-in: after signing in, the browser's address bar shows an "
              "address that starts with %1 and carries code= and state=. Paste that whole address.")
        .arg(m_receiver->redirectUri());
}

void FlowEngine::cancel()
{
    if (m_finished) {
        return;
    }
    const FlowStep step = m_index < m_steps.size() ? m_steps.at(m_index) : FlowStep();
    fail(step,
         FlowResult::Outcome::Cancelled,
         tr("cancelled"),
         tr("The sign-in was cancelled. Start it again when you are ready."));
}

void FlowEngine::onCallback(const FlowStep& step, const QMap<QString, QString>& params)
{
    if (m_browserTimer) {
        m_browserTimer->stop();
    }
    const QString code = params.value(QStringLiteral("code"));
    if (!code.isEmpty()) {
        m_redactor.addSecret(code, QStringLiteral("code"));
    }
    if (params.contains(QStringLiteral("error"))) {
        Verdict verdict;
        verdict.oauthError = params.value(QStringLiteral("error"));
        verdict.message = params.value(QStringLiteral("error_description"));
        QString detail = tr("the provider answered error=%1").arg(verdict.oauthError);
        if (!verdict.message.isEmpty()) {
            detail += QStringLiteral(" (") + verdict.message + QLatin1Char(')');
        }
        fail(step,
             FlowResult::Outcome::Refused,
             detail,
             ReplyJudge::hintFor(m_profile, step.id, verdict),
             0,
             verdict.oauthError);
        return;
    }
    const QString iss = params.value(QStringLiteral("iss"));
    if (!iss.isEmpty() && originOf(QUrl(iss)) != m_authorizeOrigin) {
        // RFC 9207: a reply from another authorization server is a mix-up attack; its code is not used.
        fail(step,
             FlowResult::Outcome::Invalid,
             tr("the redirect names another issuer (%1)").arg(iss),
             tr("The authorization reply came from a server other than the one Keyway asked; its code was not "
                "used."));
        return;
    }
    nlohmann::json doc = nlohmann::json::object();
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        doc[it.key().toStdString()] = it.value().toStdString();
    }
    if (!applyCaptures(step, doc)) {
        return;
    }
    ++m_index;
    runNextStep();
}

void FlowEngine::fail(const FlowStep& step,
                      FlowResult::Outcome outcome,
                      const QString& detail,
                      const QString& hint,
                      int status,
                      const QString& oauthError)
{
    if (m_finished) {
        return;
    }
    FlowEvent e;
    e.type = FlowEvent::Type::StepFailed;
    e.stepId = step.id;
    e.status = status;
    e.detail = m_redactor.redact(detail);
    e.hint = hint;
    if (outcome == FlowResult::Outcome::Network) {
        e.failure = NetworkDiagnosis::name(m_failure);
    }
    emitEvent(e);
    FlowResult result;
    if (outcome == FlowResult::Outcome::Network) {
        result.failure = m_failure;
        result.peerChain = m_peerChain;
    }
    result.outcome = outcome;
    result.stepId = step.id;
    result.status = status;
    result.oauthError = oauthError;
    result.detail = e.detail;
    result.hint = hint;
    result.values = m_values;
    finish(result);
}

void FlowEngine::finish(FlowResult result)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    if (m_receiver) {
        // A timeout or a cancel closes the listener at once (a late browser gets "connection refused", which
        // is the truth); after a redirect the listener briefly answers a reloaded tab with "already finished".
        const bool closeNow = result.outcome == FlowResult::Outcome::Timeout
            || result.outcome == FlowResult::Outcome::Cancelled || result.outcome == FlowResult::Outcome::BrowserFailed;
        m_receiver->retire(closeNow ? 0 : ListenerGraceMs);
        m_receiver = nullptr;
    }
    if (m_browserTimer) {
        m_browserTimer->stop();
    }
    if (m_pollTimer) {
        m_pollTimer->stop();
    }
    Q_EMIT finished(result);
}

} // namespace keyway
