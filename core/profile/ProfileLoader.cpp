#include "core/profile/ProfileLoader.h"

#include "core/flow/TemplateResolver.h"
#include "core/util/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

#include <initializer_list>

namespace keyway {

namespace {

using Json = nlohmann::ordered_json;

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

// RFC 6901 escaping of one reference token.
std::string escapeToken(const std::string& key)
{
    std::string out;
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string child(const std::string& pointer, const std::string& key)
{
    return pointer + '/' + escapeToken(key);
}

std::string child(const std::string& pointer, size_t index)
{
    return pointer + '/' + std::to_string(index);
}

const char* typeName(const Json& value)
{
    return value.type_name();
}

// Walks a profile document, collecting every problem with its JSON pointer instead of stopping at the first.
class Reader
{
    Q_DECLARE_TR_FUNCTIONS(keyway::ProfileLoader)

public:
    Reader(QString file, QList<ProfileError>* errors) : m_file(std::move(file)), m_errors(errors) { }

    void error(const std::string& pointer, const QString& message)
    {
        m_errors->append({m_file, fromStd(pointer.empty() ? std::string("/") : pointer), message});
        ++m_count;
    }

    int errorCount() const { return m_count; }

    // Reports keys that are not in `allowed`: a misspelt key must not be silently ignored.
    void checkKeys(const Json& object, const std::string& pointer, std::initializer_list<const char*> allowed)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            bool known = false;
            for (const char* name : allowed) {
                known = known || it.key() == name;
            }
            if (!known) {
                QStringList names;
                for (const char* name : allowed) {
                    names.append(QString::fromLatin1(name));
                }
                error(child(pointer, it.key()),
                      tr("unknown key \"%1\"; expected one of: %2")
                          .arg(fromStd(it.key()), names.join(QStringLiteral(", "))));
            }
        }
    }

    bool isObject(const Json& value, const std::string& pointer)
    {
        if (!value.is_object()) {
            error(pointer, tr("expected an object, found %1").arg(QString::fromLatin1(typeName(value))));
            return false;
        }
        return true;
    }

    QString string(const Json& object, const std::string& pointer, const char* key, bool required)
    {
        if (!object.contains(key)) {
            if (required) {
                error(child(pointer, key), tr("missing required string"));
            }
            return {};
        }
        const Json& value = object.at(key);
        if (!value.is_string()) {
            error(child(pointer, key), tr("expected a string, found %1").arg(QString::fromLatin1(typeName(value))));
            return {};
        }
        const QString text = fromStd(value.get<std::string>());
        if (required && text.isEmpty()) {
            error(child(pointer, key), tr("must not be empty"));
        }
        return text;
    }

    bool boolean(const Json& object, const std::string& pointer, const char* key, bool fallback)
    {
        if (!object.contains(key)) {
            return fallback;
        }
        const Json& value = object.at(key);
        if (!value.is_boolean()) {
            error(child(pointer, key),
                  tr("expected true or false, found %1").arg(QString::fromLatin1(typeName(value))));
            return fallback;
        }
        return value.get<bool>();
    }

    std::optional<qint64> seconds(const Json& object, const std::string& pointer, const char* key)
    {
        if (!object.contains(key)) {
            return std::nullopt;
        }
        const Json& value = object.at(key);
        if (!value.is_number_integer() || value.get<qint64>() <= 0) {
            error(child(pointer, key), tr("expected a positive whole number of seconds"));
            return std::nullopt;
        }
        return value.get<qint64>();
    }

    QList<int> statuses(const Json& object, const std::string& pointer, const char* key)
    {
        QList<int> result;
        if (!object.contains(key)) {
            return result;
        }
        const Json& value = object.at(key);
        if (!value.is_array()) {
            error(child(pointer, key), tr("expected an array of HTTP status codes"));
            return result;
        }
        for (size_t i = 0; i < value.size(); ++i) {
            const Json& item = value[i];
            if (!item.is_number_integer() || item.get<int>() < 100 || item.get<int>() > 599) {
                error(child(child(pointer, key), i), tr("expected an HTTP status code between 100 and 599"));
                continue;
            }
            result.append(item.get<int>());
        }
        return result;
    }

    QStringList strings(const Json& object, const std::string& pointer, const char* key)
    {
        QStringList result;
        if (!object.contains(key)) {
            return result;
        }
        const Json& value = object.at(key);
        if (!value.is_array()) {
            error(child(pointer, key), tr("expected an array of strings"));
            return result;
        }
        for (size_t i = 0; i < value.size(); ++i) {
            if (!value[i].is_string()) {
                error(child(child(pointer, key), i), tr("expected a string"));
                continue;
            }
            result.append(fromStd(value[i].get<std::string>()));
        }
        return result;
    }

    // A JSON pointer string in the profile (must be "" or start with "/").
    QString pointerString(const Json& object, const std::string& pointer, const char* key, bool required)
    {
        const QString text = string(object, pointer, key, required);
        if (!text.isEmpty() && !text.startsWith(QLatin1Char('/'))) {
            error(child(pointer, key), tr("expected a JSON pointer starting with \"/\""));
        }
        return text;
    }

    QStringList pointerList(const Json& object, const std::string& pointer, const char* key)
    {
        const QStringList list = strings(object, pointer, key);
        for (int i = 0; i < list.size(); ++i) {
            if (!list[i].startsWith(QLatin1Char('/'))) {
                error(child(child(pointer, key), static_cast<size_t>(i)),
                      tr("expected a JSON pointer starting with \"/\""));
            }
        }
        return list;
    }

    // An object of name → string template, order kept.
    QList<StepParam> params(const Json& object, const std::string& pointer, const char* key)
    {
        QList<StepParam> result;
        if (!object.contains(key)) {
            return result;
        }
        const Json& value = object.at(key);
        const std::string here = child(pointer, key);
        if (!isObject(value, here)) {
            return result;
        }
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (!it.value().is_string()) {
                error(child(here, it.key()), tr("expected a string value (templates like {{clientId}} are strings)"));
                continue;
            }
            result.append({fromStd(it.key()), fromStd(it.value().get<std::string>())});
        }
        return result;
    }

private:
    QString m_file;
    QList<ProfileError>* m_errors;
    int m_count = 0;
};

// Variables the flow engine provides itself, on top of credential fields and captures.
const QSet<QString>& flowVariables()
{
    static const QSet<QString> names = {QStringLiteral("redirect_uri"),
                                        QStringLiteral("state"),
                                        QStringLiteral("code_verifier"),
                                        QStringLiteral("code_challenge"),
                                        QStringLiteral("refresh_token"),
                                        QStringLiteral("base_url")};
    return names;
}

class ProfileParser
{
    Q_DECLARE_TR_FUNCTIONS(keyway::ProfileLoader)

public:
    ProfileParser(const QString& file, QList<ProfileError>* errors) : m_reader(file, errors) { }

    std::optional<ProviderProfile> parse(const QByteArray& bytes, const QString& file)
    {
        Json doc;
        try {
            doc = Json::parse(bytes.constData(), bytes.constData() + bytes.size());
        } catch (const nlohmann::json::parse_error& e) {
            m_reader.error("", tr("not valid JSON (byte %1): %2").arg(e.byte).arg(fromStd(e.what())));
            return std::nullopt;
        }
        if (!m_reader.isObject(doc, "")) {
            return std::nullopt;
        }
        m_reader.checkKeys(doc, "", {"id",         "name",           "summary",  "documentation", "defaultBaseUrl",
                                     "fields",     "credentialSets", "flow",     "refresh",       "token",
                                     "apiSuccess", "reauth",         "hints",    "idempotency",   "check",
                                     "samples",    "webhook",        "featured", "$schema",       "$comment"});

        ProviderProfile p;
        p.sourceFile = file;
        p.id = m_reader.string(doc, "", "id", true);
        static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9-]*$"));
        if (!p.id.isEmpty() && !idPattern.match(p.id).hasMatch()) {
            m_reader.error("/id", tr("expected lowercase letters, digits and dashes, e.g. \"my-provider\""));
        }
        p.name = m_reader.string(doc, "", "name", true);
        p.summary = m_reader.string(doc, "", "summary", false);
        p.documentation = m_reader.string(doc, "", "documentation", false);
        p.defaultBaseUrl = m_reader.string(doc, "", "defaultBaseUrl", false);

        readFields(doc, p);
        readFlow(doc, p);
        readToken(doc, p);
        readHints(doc, p);
        readIdempotency(doc, p);
        readRequests(doc, p);
        readWebhook(doc, p);
        p.featured = m_reader.boolean(doc, "", "featured", false);

        if (m_reader.errorCount() > 0) {
            return std::nullopt;
        }
        return p;
    }

private:
    void readField(const Json& object, const std::string& pointer, const QString& setId, ProviderProfile& p)
    {
        if (!m_reader.isObject(object, pointer)) {
            return;
        }
        m_reader.checkKeys(
            object, pointer, {"key", "label", "description", "secret", "required", "defaultValue", "choices"});
        CredentialField f;
        f.bareKey = m_reader.string(object, pointer, "key", true);
        static const QRegularExpression keyPattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (!f.bareKey.isEmpty() && !keyPattern.match(f.bareKey).hasMatch()) {
            m_reader.error(child(pointer, "key"), tr("expected letters, digits and underscores, e.g. \"client_id\""));
        }
        f.key = setId.isEmpty() ? f.bareKey : setId + QLatin1Char('.') + f.bareKey;
        f.setId = setId;
        f.label = m_reader.string(object, pointer, "label", false);
        if (f.label.isEmpty()) {
            f.label = f.bareKey;
        }
        f.description = m_reader.string(object, pointer, "description", false);
        f.secret = m_reader.boolean(object, pointer, "secret", false);
        f.required = m_reader.boolean(object, pointer, "required", false);
        f.defaultValue = m_reader.string(object, pointer, "defaultValue", false);
        f.choices = m_reader.strings(object, pointer, "choices");
        if (!f.defaultValue.isEmpty() && !f.choices.isEmpty() && !f.choices.contains(f.defaultValue)) {
            m_reader.error(child(pointer, "defaultValue"), tr("must be one of the choices"));
        }
        if (f.secret && !f.defaultValue.isEmpty()) {
            m_reader.error(child(pointer, "defaultValue"), tr("a secret field cannot have a default value"));
        }
        if (p.field(f.key)) {
            m_reader.error(child(pointer, "key"), tr("duplicate field key \"%1\"").arg(f.key));
            return;
        }
        p.fields.append(f);
    }

    void readFields(const Json& doc, ProviderProfile& p)
    {
        const bool hasFields = doc.contains("fields");
        const bool hasSets = doc.contains("credentialSets");
        if (hasFields == hasSets) {
            m_reader.error("/fields", tr("expected exactly one of \"fields\" or \"credentialSets\""));
            return;
        }
        if (hasFields) {
            const Json& fields = doc.at("fields");
            if (!fields.is_array() || fields.empty()) {
                m_reader.error("/fields", tr("expected a non-empty array of credential fields"));
                return;
            }
            for (size_t i = 0; i < fields.size(); ++i) {
                readField(fields[i], child("/fields", i), QString(), p);
            }
            return;
        }
        const Json& sets = doc.at("credentialSets");
        if (!sets.is_array() || sets.empty()) {
            m_reader.error("/credentialSets", tr("expected a non-empty array of credential sets"));
            return;
        }
        for (size_t i = 0; i < sets.size(); ++i) {
            const std::string pointer = child("/credentialSets", i);
            const Json& object = sets[i];
            if (!m_reader.isObject(object, pointer)) {
                continue;
            }
            m_reader.checkKeys(object, pointer, {"id", "label", "description", "default", "required", "fields"});
            CredentialSet set;
            set.id = m_reader.string(object, pointer, "id", true);
            set.label = m_reader.string(object, pointer, "label", false);
            set.description = m_reader.string(object, pointer, "description", false);
            set.isDefault = m_reader.boolean(object, pointer, "default", false);
            m_reader.boolean(object, pointer, "required", false);
            if (p.hasCredentialSet(set.id)) {
                m_reader.error(child(pointer, "id"), tr("duplicate credential set \"%1\"").arg(set.id));
            }
            p.credentialSets.append(set);
            if (!object.contains("fields") || !object.at("fields").is_array() || object.at("fields").empty()) {
                m_reader.error(child(pointer, "fields"), tr("expected a non-empty array of credential fields"));
                continue;
            }
            const Json& fields = object.at("fields");
            for (size_t j = 0; j < fields.size(); ++j) {
                readField(fields[j], child(child(pointer, "fields"), j), set.id, p);
            }
        }
        int defaults = 0;
        for (const auto& set : std::as_const(p.credentialSets)) {
            defaults += set.isDefault ? 1 : 0;
        }
        if (defaults > 1) {
            m_reader.error("/credentialSets", tr("only one credential set can be the default"));
        }
    }

    SuccessRule readSuccess(const Json& object, const std::string& pointer)
    {
        SuccessRule rule;
        if (!m_reader.isObject(object, pointer)) {
            return rule;
        }
        m_reader.checkKeys(object, pointer, {"statuses", "codePointer", "codeEquals", "nonEmpty", "messagePointer"});
        rule.statuses = m_reader.statuses(object, pointer, "statuses");
        rule.codePointer = m_reader.pointerString(object, pointer, "codePointer", false);
        rule.codeEquals = m_reader.string(object, pointer, "codeEquals", false);
        rule.nonEmpty = m_reader.pointerList(object, pointer, "nonEmpty");
        rule.messagePointer = m_reader.pointerString(object, pointer, "messagePointer", false);
        if (rule.codePointer.isEmpty() != rule.codeEquals.isEmpty()) {
            m_reader.error(pointer, tr("\"codePointer\" and \"codeEquals\" go together"));
        }
        return rule;
    }

    std::optional<FlowStep> readStep(const Json& object, const std::string& pointer, bool isRefresh)
    {
        if (!m_reader.isObject(object, pointer)) {
            return std::nullopt;
        }
        m_reader.checkKeys(object,
                           pointer,
                           {"id",
                            "title",
                            "description",
                            "kind",
                            "method",
                            "url",
                            "query",
                            "form",
                            "json",
                            "headers",
                            "clientAuth",
                            "clientId",
                            "clientSecret",
                            "clientKey",
                            "clientKeyId",
                            "success",
                            "captures",
                            "authorize",
                            "redirectPath",
                            "device",
                            "poll"});
        FlowStep step;
        step.id = m_reader.string(object, pointer, "id", true);
        step.title = m_reader.string(object, pointer, "title", true);
        step.description = m_reader.string(object, pointer, "description", false);
        const QString kind = m_reader.string(object, pointer, "kind", false);
        if (kind.isEmpty() || kind == QLatin1String("exchange")) {
            step.kind = StepKind::Exchange;
        } else if (kind == QLatin1String("browser")) {
            step.kind = StepKind::Browser;
        } else if (kind == QLatin1String("refresh")) {
            step.kind = StepKind::Refresh;
        } else if (kind == QLatin1String("device")) {
            step.kind = StepKind::Device;
        } else if (kind == QLatin1String("poll")) {
            step.kind = StepKind::Poll;
        } else if (kind == QLatin1String("discovery")) {
            step.kind = StepKind::Discovery;
        } else {
            m_reader.error(child(pointer, "kind"),
                           tr("expected \"exchange\", \"browser\", \"device\", \"poll\", \"refresh\" or \"discovery\""));
        }
        readDeviceParts(object, pointer, step);
        if (isRefresh && step.kind != StepKind::Refresh) {
            m_reader.error(child(pointer, "kind"), tr("the refresh step must have kind \"refresh\""));
        }
        if (!isRefresh && step.kind == StepKind::Refresh) {
            m_reader.error(child(pointer, "kind"), tr("a refresh step belongs under \"refresh\", not in \"flow\""));
        }
        const QString method = m_reader.string(object, pointer, "method", false);
        if (!method.isEmpty()) {
            static const QStringList methods = {QStringLiteral("GET"),
                                                QStringLiteral("POST"),
                                                QStringLiteral("PUT"),
                                                QStringLiteral("PATCH"),
                                                QStringLiteral("DELETE")};
            if (!methods.contains(method)) {
                m_reader.error(child(pointer, "method"), tr("expected one of GET, POST, PUT, PATCH, DELETE"));
            }
            step.method = method;
        } else if (step.kind == StepKind::Browser) {
            step.method = QStringLiteral("GET");
        }
        step.url = m_reader.string(object, pointer, "url", true);

        int bodies = 0;
        for (const auto& [key, bodyKind] : {std::pair {"query", BodyKind::Query},
                                            std::pair {"form", BodyKind::Form},
                                            std::pair {"json", BodyKind::Json}}) {
            if (object.contains(key)) {
                ++bodies;
                step.bodyKind = bodyKind;
                step.params = m_reader.params(object, pointer, key);
            }
        }
        if (bodies > 1) {
            m_reader.error(pointer, tr("expected at most one of \"query\", \"form\" or \"json\""));
        }
        step.headers = m_reader.params(object, pointer, "headers");
        step.clientAuth = m_reader.string(object, pointer, "clientAuth", false);
        step.clientIdParam = m_reader.string(object, pointer, "clientId", false);
        step.clientSecretParam = m_reader.string(object, pointer, "clientSecret", false);
        step.clientKeyParam = m_reader.string(object, pointer, "clientKey", false);
        step.clientKeyIdParam = m_reader.string(object, pointer, "clientKeyId", false);
        if (step.kind == StepKind::Discovery && (!step.clientIdParam.isEmpty() || step.bodyKind != BodyKind::None)) {
            m_reader.error(pointer, tr("a discovery step sends nothing: no client authentication, no parameters"));
        }
        if (!step.clientAuth.isEmpty() && step.clientIdParam.isEmpty()) {
            m_reader.error(child(pointer, "clientId"),
                           tr("\"clientAuth\" needs \"clientId\" (and usually \"clientSecret\")"));
        }
        if (step.kind == StepKind::Browser) {
            if (!object.contains("authorize")) {
                m_reader.error(child(pointer, "authorize"),
                               tr("a browser step needs the authorization URL's parameters"));
            }
            step.authorizeParams = m_reader.params(object, pointer, "authorize");
            const QString redirectPath = m_reader.string(object, pointer, "redirectPath", false);
            if (!redirectPath.isEmpty()) {
                step.redirectPath = redirectPath;
            }
        } else if (object.contains("authorize")) {
            m_reader.error(child(pointer, "authorize"), tr("only browser steps have \"authorize\""));
        }
        if (object.contains("success")) {
            step.success = readSuccess(object.at("success"), child(pointer, "success"));
        }

        if (object.contains("captures")) {
            const Json& captures = object.at("captures");
            const std::string here = child(pointer, "captures");
            if (!captures.is_array()) {
                m_reader.error(here, tr("expected an array of captures"));
            } else {
                for (size_t i = 0; i < captures.size(); ++i) {
                    if (auto capture = readCapture(captures[i], child(here, i))) {
                        step.captures.append(*capture);
                    }
                }
            }
        }
        return step;
    }

    // The "device" block of a device step and the "poll" block of a poll step (both optional: RFC 8628's
    // names and timings are the defaults).
    void readDeviceParts(const Json& object, const std::string& pointer, FlowStep& step)
    {
        if (object.contains("device")) {
            const std::string here = child(pointer, "device");
            if (step.kind != StepKind::Device) {
                m_reader.error(here, tr("only device steps have \"device\""));
            } else if (m_reader.isObject(object.at("device"), here)) {
                const Json& device = object.at("device");
                m_reader.checkKeys(
                    device, here, {"userCode", "verificationUri", "verificationUriComplete", "interval", "deviceCode"});
                auto name = [&](const char* key, QString& target) {
                    const QString value = m_reader.string(device, here, key, false);
                    if (!value.isEmpty()) {
                        target = value;
                    }
                };
                name("userCode", step.device.userCode);
                name("verificationUri", step.device.verificationUri);
                name("verificationUriComplete", step.device.verificationUriComplete);
                name("interval", step.device.interval);
                name("deviceCode", step.device.deviceCode);
            }
        }
        if (object.contains("poll")) {
            const std::string here = child(pointer, "poll");
            if (step.kind != StepKind::Poll) {
                m_reader.error(here, tr("only poll steps have \"poll\""));
            } else if (m_reader.isObject(object.at("poll"), here)) {
                const Json& poll = object.at("poll");
                m_reader.checkKeys(
                    poll, here, {"pending", "slowDown", "slowDownSeconds", "interval", "defaultInterval", "until"});
                if (poll.contains("pending")) {
                    step.poll.pending = m_reader.strings(poll, here, "pending");
                }
                if (poll.contains("slowDown")) {
                    step.poll.slowDown = m_reader.strings(poll, here, "slowDown");
                }
                if (const auto seconds = m_reader.seconds(poll, here, "slowDownSeconds")) {
                    step.poll.slowDownSeconds = static_cast<int>(*seconds);
                }
                if (const auto seconds = m_reader.seconds(poll, here, "defaultInterval")) {
                    step.poll.defaultIntervalSeconds = std::max(1, static_cast<int>(*seconds));
                }
                step.poll.interval = m_reader.string(poll, here, "interval", false);
                step.poll.until = m_reader.string(poll, here, "until", false);
            }
        }
    }

    std::optional<Capture> readCapture(const Json& object, const std::string& pointer)
    {
        if (!m_reader.isObject(object, pointer)) {
            return std::nullopt;
        }
        m_reader.checkKeys(object,
                           pointer,
                           {"name", "label", "pointer", "ttlFrom", "jwtExp", "ttl", "singleUse", "secret", "optional"});
        Capture c;
        c.name = m_reader.string(object, pointer, "name", true);
        c.label = m_reader.string(object, pointer, "label", false);
        c.pointer = m_reader.pointerString(object, pointer, "pointer", true);
        c.ttlPointers = m_reader.pointerList(object, pointer, "ttlFrom");
        c.ttlFromJwtExp = m_reader.boolean(object, pointer, "jwtExp", false);
        c.defaultTtlSeconds = m_reader.seconds(object, pointer, "ttl");
        c.singleUse = m_reader.boolean(object, pointer, "singleUse", false);
        c.secret = m_reader.boolean(object, pointer, "secret", true);
        c.optional = m_reader.boolean(object, pointer, "optional", false);
        return c;
    }

    void readFlow(const Json& doc, ProviderProfile& p)
    {
        if (!doc.contains("flow") || !doc.at("flow").is_array() || doc.at("flow").empty()) {
            m_reader.error("/flow", tr("expected a non-empty array of flow steps"));
            return;
        }
        const Json& flow = doc.at("flow");
        QSet<QString> ids;
        for (size_t i = 0; i < flow.size(); ++i) {
            const std::string pointer = child("/flow", i);
            auto step = readStep(flow[i], pointer, false);
            if (!step) {
                continue;
            }
            if (ids.contains(step->id)) {
                m_reader.error(child(pointer, "id"), tr("duplicate step id \"%1\"").arg(step->id));
            }
            ids.insert(step->id);
            checkTemplates(*step, pointer, p, false);
            p.steps.append(*step);
        }
        if (doc.contains("refresh")) {
            if (auto step = readStep(doc.at("refresh"), "/refresh", true)) {
                checkTemplates(*step, "/refresh", p, true);
                p.refresh = *step;
            }
        }
    }

    // Every {{name}} must name a credential field, an earlier capture or a flow variable: a typo in a
    // template would otherwise send an empty value to the provider and fail with a confusing error.
    void checkTemplates(const FlowStep& step, const std::string& pointer, const ProviderProfile& p, bool isRefresh)
    {
        QSet<QString> known = flowVariables();
        for (const auto& f : p.fields) {
            known.insert(f.bareKey);
            known.insert(f.key);
        }
        for (const auto& earlier : p.steps) {
            for (const auto& c : earlier.captures) {
                known.insert(c.name);
            }
        }
        if (isRefresh) {
            for (const auto& c : step.captures) {
                known.insert(c.name);
            }
        }
        auto check = [&](const QString& text, const std::string& where) {
            for (const QString& name : TemplateResolver::names(text)) {
                if (!known.contains(name)) {
                    m_reader.error(where,
                                   tr("{{%1}} names no credential field, earlier capture or flow variable").arg(name));
                }
            }
        };
        check(step.url, child(pointer, "url"));
        const char* bodyKey = step.bodyKind == BodyKind::Query ? "query"
            : step.bodyKind == BodyKind::Form                  ? "form"
                                                               : "json";
        for (const auto& param : step.params) {
            check(param.value, child(child(pointer, bodyKey), param.name.toStdString()));
        }
        for (const auto& param : step.headers) {
            check(param.value, child(child(pointer, "headers"), param.name.toStdString()));
        }
        for (const auto& param : step.authorizeParams) {
            check(param.value, child(child(pointer, "authorize"), param.name.toStdString()));
        }
        check(step.clientAuth, child(pointer, "clientAuth"));
        check(step.poll.interval, child(child(pointer, "poll"), "interval"));
        if (step.kind == StepKind::Poll && !step.poll.until.isEmpty() && !known.contains(step.poll.until)) {
            m_reader.error(child(child(pointer, "poll"), "until"),
                           tr("\"%1\" names no capture of an earlier step").arg(step.poll.until));
        }
        check(step.clientIdParam, child(pointer, "clientId"));
        check(step.clientSecretParam, child(pointer, "clientSecret"));
        check(step.clientKeyParam, child(pointer, "clientKey"));
        check(step.clientKeyIdParam, child(pointer, "clientKeyId"));
    }

    void readToken(const Json& doc, ProviderProfile& p)
    {
        if (!doc.contains("token")) {
            m_reader.error("/token", tr("missing: how the access token is sent (header, prefix, capture)"));
            return;
        }
        const Json& token = doc.at("token");
        if (!m_reader.isObject(token, "/token")) {
            return;
        }
        m_reader.checkKeys(token, "/token", {"header", "prefix", "capture"});
        p.token.header = m_reader.string(token, "/token", "header", true);
        p.token.prefix = m_reader.string(token, "/token", "prefix", false);
        p.token.capture = m_reader.string(token, "/token", "capture", true);
        bool captured = false;
        for (const auto& step : std::as_const(p.steps)) {
            for (const auto& c : step.captures) {
                captured = captured || c.name == p.token.capture;
            }
        }
        if (!p.token.capture.isEmpty() && !captured && !p.steps.isEmpty()) {
            m_reader.error("/token/capture", tr("no flow step captures \"%1\"").arg(p.token.capture));
        }
        if (doc.contains("apiSuccess")) {
            p.apiSuccess = readSuccess(doc.at("apiSuccess"), "/apiSuccess");
        }
        if (doc.contains("reauth")) {
            const Json& reauth = doc.at("reauth");
            if (m_reader.isObject(reauth, "/reauth")) {
                m_reader.checkKeys(reauth, "/reauth", {"statuses", "codes"});
                if (reauth.contains("statuses")) {
                    p.reauthStatuses = m_reader.statuses(reauth, "/reauth", "statuses");
                }
                p.reauthCodes = m_reader.strings(reauth, "/reauth", "codes");
                if (!p.reauthCodes.isEmpty() && p.apiSuccess.codePointer.isEmpty()) {
                    // The codes are read where apiSuccess says the envelope code is.
                    m_reader.error("/reauth/codes", tr("envelope codes need \"apiSuccess\" with a \"codePointer\""));
                }
            }
        }
    }

    void readHints(const Json& doc, ProviderProfile& p)
    {
        if (!doc.contains("hints")) {
            return;
        }
        const Json& hints = doc.at("hints");
        if (!hints.is_array()) {
            m_reader.error("/hints", tr("expected an array of hints"));
            return;
        }
        for (size_t i = 0; i < hints.size(); ++i) {
            const std::string pointer = child("/hints", i);
            if (!m_reader.isObject(hints[i], pointer)) {
                continue;
            }
            m_reader.checkKeys(hints[i], pointer, {"code", "status", "when", "step", "text"});
            ErrorHint hint;
            hint.code = m_reader.string(hints[i], pointer, "code", false);
            hint.when = m_reader.string(hints[i], pointer, "when", false);
            hint.step = m_reader.string(hints[i], pointer, "step", false);
            hint.text = m_reader.string(hints[i], pointer, "text", true);
            if (hints[i].contains("status")) {
                const Json& status = hints[i].at("status");
                if (!status.is_number_integer() || status.get<int>() < 100 || status.get<int>() > 599) {
                    m_reader.error(child(pointer, "status"), tr("expected an HTTP status code between 100 and 599"));
                } else {
                    hint.status = status.get<int>();
                }
            }
            if (hint.code.isEmpty() && hint.status == 0 && hint.when.isEmpty()) {
                m_reader.error(pointer, tr("a hint needs at least one of \"code\", \"status\" or \"when\""));
            }
            if (!hint.when.isEmpty() && !hint.when.startsWith(QLatin1String("empty:/"))) {
                m_reader.error(child(pointer, "when"), tr("expected \"empty:<JSON pointer>\""));
            }
            p.hints.append(hint);
        }
    }

    void readIdempotency(const Json& doc, ProviderProfile& p)
    {
        if (!doc.contains("idempotency")) {
            return;
        }
        const Json& rules = doc.at("idempotency");
        if (!rules.is_array()) {
            m_reader.error("/idempotency", tr("expected an array of {\"method\", \"path\"} rules"));
            return;
        }
        for (size_t i = 0; i < rules.size(); ++i) {
            const std::string pointer = child("/idempotency", i);
            if (!m_reader.isObject(rules[i], pointer)) {
                continue;
            }
            m_reader.checkKeys(rules[i], pointer, {"method", "path", "header", "replayHeader"});
            IdempotencyRule rule;
            rule.method = m_reader.string(rules[i], pointer, "method", true);
            rule.path = m_reader.string(rules[i], pointer, "path", true);
            const QString header = m_reader.string(rules[i], pointer, "header", false);
            if (!header.isEmpty()) {
                rule.header = header;
            }
            const QString replayHeader = m_reader.string(rules[i], pointer, "replayHeader", false);
            if (!replayHeader.isEmpty()) {
                rule.replayHeader = replayHeader;
            }
            if (!rule.path.isEmpty() && !rule.path.startsWith(QLatin1Char('/'))) {
                m_reader.error(child(pointer, "path"), tr("expected a path starting with \"/\""));
            }
            p.idempotency.append(rule);
        }
    }

    std::optional<SampleRequest> readRequest(const Json& object, const std::string& pointer)
    {
        if (!m_reader.isObject(object, pointer)) {
            return std::nullopt;
        }
        m_reader.checkKeys(object, pointer, {"name", "method", "path", "body", "description"});
        SampleRequest r;
        r.name = m_reader.string(object, pointer, "name", false);
        r.method = m_reader.string(object, pointer, "method", true);
        r.path = m_reader.string(object, pointer, "path", true);
        r.body = m_reader.string(object, pointer, "body", false);
        r.description = m_reader.string(object, pointer, "description", false);
        if (r.name.isEmpty()) {
            r.name = r.method + QLatin1Char(' ') + r.path;
        }
        return r;
    }

    void readRequests(const Json& doc, ProviderProfile& p)
    {
        if (doc.contains("check")) {
            p.check = readRequest(doc.at("check"), "/check");
            if (p.check) {
                // The check's placeholders are the credential keys it needs (conform reports them by name).
                for (const QString& name : TemplateResolver::names(p.check->path)) {
                    if (!credentialKeyExists(p, name)) {
                        m_reader.error("/check/path", tr("{{%1}} names no credential field").arg(name));
                    }
                }
            }
        }
        if (!doc.contains("samples")) {
            return;
        }
        const Json& samples = doc.at("samples");
        if (!samples.is_array()) {
            m_reader.error("/samples", tr("expected an array of sample requests"));
            return;
        }
        for (size_t i = 0; i < samples.size(); ++i) {
            if (auto r = readRequest(samples[i], child("/samples", i))) {
                p.samples.append(*r);
            }
        }
    }

    static bool credentialKeyExists(const ProviderProfile& p, const QString& name)
    {
        for (const auto& f : p.fields) {
            if (f.key == name || f.bareKey == name) {
                return true;
            }
        }
        return false;
    }

    void readWebhook(const Json& doc, ProviderProfile& p)
    {
        if (!doc.contains("webhook")) {
            return;
        }
        const Json& object = doc.at("webhook");
        if (!m_reader.isObject(object, "/webhook")) {
            return;
        }
        m_reader.checkKeys(object, "/webhook", {"secret", "header", "encodings", "prefixes"});
        WebhookRule rule;
        rule.secretKey = m_reader.string(object, "/webhook", "secret", true);
        rule.header = m_reader.string(object, "/webhook", "header", true);
        if (object.contains("encodings")) {
            rule.encodings = m_reader.strings(object, "/webhook", "encodings");
            if (rule.encodings.isEmpty()) {
                m_reader.error("/webhook/encodings", tr("expected a non-empty array of \"hex\" and/or \"base64\""));
            }
            for (int i = 0; i < rule.encodings.size(); ++i) {
                if (rule.encodings[i] != QLatin1String("hex") && rule.encodings[i] != QLatin1String("base64")) {
                    m_reader.error(child("/webhook/encodings", size_t(i)), tr("expected \"hex\" or \"base64\""));
                }
            }
        }
        rule.prefixes = m_reader.strings(object, "/webhook", "prefixes");
        if (!rule.secretKey.isEmpty()) {
            const CredentialField* field = p.field(rule.secretKey);
            if (!field) {
                m_reader.error(
                    "/webhook/secret",
                    tr("names no credential field; expected one of: %1").arg(p.fieldKeys().join(QStringLiteral(", "))));
            } else if (!field->secret) {
                m_reader.error(
                    "/webhook/secret",
                    tr("field \"%1\" must be declared \"secret\": true (it signs webhooks)").arg(rule.secretKey));
            }
        }
        static const QRegularExpression headerPattern(QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"));
        if (!rule.header.isEmpty() && !headerPattern.match(rule.header).hasMatch()) {
            m_reader.error("/webhook/header", tr("expected an HTTP header name, e.g. \"X-Signature\""));
        }
        p.webhook = rule;
    }

    Reader m_reader;
};

} // namespace

QString ProfileError::toString() const
{
    return QStringLiteral("%1: %2: %3").arg(file, pointer, message);
}

std::optional<ProviderProfile>
ProfileLoader::parse(const QByteArray& json, const QString& file, QList<ProfileError>* errors)
{
    QList<ProfileError> local;
    ProfileParser parser(file, errors ? errors : &local);
    return parser.parse(json, file);
}

ProfileRegistry ProfileRegistry::loadDefault()
{
    ProfileRegistry registry;
    registry.loadShipped();
    registry.loadDirectory(userProfileDirectory());
    return registry;
}

QString ProfileRegistry::userProfileDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/keyway/providers");
}

void ProfileRegistry::loadShipped()
{
    loadDirectory(QStringLiteral(":/providers"));
    // The shipped profiles' texts are in Keyway's catalogues (collected by translations/profile_texts.cpp);
    // a user's own profile is shown as written.
    for (auto& [id, profile] : m_profiles) {
        if (profile.sourceFile.startsWith(QLatin1String(":/"))) {
            profile.forEachText([](QString& text) {
                text = QCoreApplication::translate("keyway::ProviderProfile", text.toUtf8().constData());
            });
        }
    }
}

void ProfileRegistry::loadDirectory(const QString& directory)
{
    const QDir dir(directory);
    if (!dir.exists()) {
        return;
    }
    const auto entries = dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QFileInfo& info : entries) {
        QFile file(info.filePath());
        if (!file.open(QIODevice::ReadOnly)) {
            m_errors.append({info.filePath(), QStringLiteral("/"), tr("cannot be read: %1").arg(file.errorString())});
            continue;
        }
        addDocument(file.readAll(), info.filePath());
    }
}

bool ProfileRegistry::addDocument(const QByteArray& json, const QString& file)
{
    auto profile = ProfileLoader::parse(json, file, &m_errors);
    if (!profile) {
        qCWarning(lcProfile) << "Skipping invalid provider profile" << file;
        return false;
    }
    const auto existing = m_profiles.find(profile->id);
    if (existing != m_profiles.end()) {
        m_errors.append(
            {file,
             QStringLiteral("/id"),
             tr("provider id \"%1\" is already defined by %2").arg(profile->id, existing->second.sourceFile)});
        return false;
    }
    const QString id = profile->id;
    m_profiles.emplace(id, std::move(*profile));
    return true;
}

const ProviderProfile* ProfileRegistry::find(const QString& id) const
{
    const auto it = m_profiles.find(id);
    return it == m_profiles.end() ? nullptr : &it->second;
}

QList<const ProviderProfile*> ProfileRegistry::profiles() const
{
    QList<const ProviderProfile*> result;
    for (const auto& [id, profile] : m_profiles) {
        result.append(&profile);
    }
    return result;
}

QStringList ProfileRegistry::ids() const
{
    QStringList result;
    for (const auto& [id, profile] : m_profiles) {
        result.append(id);
    }
    return result;
}

} // namespace keyway
