#include "core/vault/PostmanImport.h"

#include "core/profile/ProfileLoader.h"

#include <QRegularExpression>
#include <QUrl>

#include <nlohmann/json.hpp>

namespace keyway {

namespace {

using Json = nlohmann::json;

QString qs(const Json& value)
{
    if (value.is_string()) {
        return QString::fromStdString(value.get<std::string>());
    }
    if (value.is_number() || value.is_boolean()) {
        return QString::fromStdString(value.dump());
    }
    return {};
}

QString textAt(const Json& object, const char* key)
{
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it == object.end() ? QString() : qs(*it);
}

bool disabled(const Json& entry)
{
    if (entry.contains("disabled") && entry["disabled"].is_boolean() && entry["disabled"].get<bool>()) {
        return true;
    }
    return entry.contains("enabled") && entry["enabled"].is_boolean() && !entry["enabled"].get<bool>();
}

// {{name}} replaced from `variables`, repeatedly (a variable may name another), at most a few rounds.
QString resolve(QString text, const QMap<QString, QString>& variables)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([^{}\\s]+)\\s*\\}\\}"));
    for (int round = 0; round < 5 && text.contains(QLatin1String("{{")); ++round) {
        QString next;
        qsizetype last = 0;
        auto it = placeholder.globalMatch(text);
        while (it.hasNext()) {
            const auto match = it.next();
            next += text.mid(last, match.capturedStart() - last);
            const QString name = match.captured(1);
            next += variables.contains(name) ? variables.value(name) : match.captured(0);
            last = match.capturedEnd();
        }
        next += text.mid(last);
        if (next == text) {
            break;
        }
        text = next;
    }
    return text;
}

// Postman writes an auth block as a list of {key, value} (v2.1) or, in older exports, as an object.
QMap<QString, QString> authParameters(const Json& auth, const char* type)
{
    QMap<QString, QString> parameters;
    const auto block = auth.find(type);
    if (block == auth.end()) {
        return parameters;
    }
    if (block->is_array()) {
        for (const Json& entry : *block) {
            if (entry.is_object()) {
                parameters.insert(textAt(entry, "key"), textAt(entry, "value"));
            }
        }
    } else if (block->is_object()) {
        for (auto it = block->begin(); it != block->end(); ++it) {
            parameters.insert(QString::fromStdString(it.key()), qs(it.value()));
        }
    }
    return parameters;
}

QString originOf(const QString& url)
{
    const QUrl parsed(url);
    if (!parsed.isValid() || parsed.host().isEmpty()) {
        return {};
    }
    return parsed.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
        .toString();
}

struct Walk
{
    QMap<QString, QString> variables;
    std::optional<Json> auth; // the oauth2 auth the requests use
    QList<PostmanSample> samples;
    QList<QString> rawUrls;
    int skipped = 0;
};

QString requestUrl(const Json& request)
{
    const auto url = request.find("url");
    if (url == request.end()) {
        return {};
    }
    if (url->is_string()) {
        return qs(*url);
    }
    return textAt(*url, "raw");
}

// Depth first through folders; `inherited` is the nearest oauth2 auth above.
void walk(const Json& items, const std::optional<Json>& inherited, Walk& state)
{
    if (!items.is_array()) {
        return;
    }
    for (const Json& item : items) {
        if (!item.is_object() || disabled(item)) {
            continue;
        }
        std::optional<Json> auth = inherited;
        if (const auto own = item.find("auth"); own != item.end() && own->is_object()) {
            if (textAt(*own, "type") == QLatin1String("oauth2")) {
                auth = *own;
            }
        }
        if (const auto children = item.find("item"); children != item.end()) {
            walk(*children, auth, state);
            continue;
        }
        const auto request = item.find("request");
        if (request == item.end()) {
            continue;
        }
        const Json& r = *request;
        if (r.is_object()) {
            if (const auto own = r.find("auth");
                own != r.end() && own->is_object() && textAt(*own, "type") == QLatin1String("oauth2")) {
                auth = *own;
            }
        }
        if (auth && !state.auth) {
            state.auth = auth;
        }
        PostmanSample sample;
        sample.name = textAt(item, "name");
        sample.method = r.is_string() ? QStringLiteral("GET") : textAt(r, "method").toUpper();
        if (sample.method.isEmpty()) {
            sample.method = QStringLiteral("GET");
        }
        const QString raw = r.is_string() ? qs(r) : requestUrl(r);
        sample.path = resolve(raw, state.variables);
        if (r.is_object()) {
            if (const auto body = r.find("body"); body != r.end() && body->is_object() && !disabled(*body)) {
                if (textAt(*body, "mode") == QLatin1String("raw")) {
                    sample.body = resolve(textAt(*body, "raw"), state.variables);
                }
            }
        }
        state.samples.append(sample);
    }
}

} // namespace

bool PostmanImport::looksLikePostman(const QByteArray& data)
{
    const auto json = Json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
    if (!json.is_object()) {
        return false;
    }
    if (json.contains("info") && json["info"].is_object()
        && textAt(json["info"], "schema").contains(QLatin1String("schema.getpostman.com"))) {
        return true;
    }
    return json.contains("_postman_variable_scope") || (json.contains("values") && json["values"].is_array());
}

std::optional<PostmanImport::Result>
PostmanImport::parse(const QByteArray& data, const ProfileRegistry& profiles, QString* error)
{
    const auto fail = [error](const QString& message) {
        *error = message;
        return std::nullopt;
    };
    const auto json = Json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
    if (!json.is_object()) {
        return fail(tr("the file is not a JSON object."));
    }
    Result result;
    BundleEnvironment environment;
    QMap<QString, QString> secrets;
    // Sets `key` of the chosen profile: secret fields to `secrets`, the rest to the values.
    const auto assign = [&](const ProviderProfile& profile, const QString& key, const QString& value) {
        const CredentialField* field = profile.field(key);
        if (!field || value.isEmpty()) {
            return;
        }
        if (field->secret) {
            secrets.insert(key, value);
        } else if (field->choices.isEmpty() || field->choices.contains(value)) {
            environment.values.insert(key, value);
        }
    };

    if (json.contains("info")) {
        const QString schema = textAt(json["info"], "schema");
        if (!schema.contains(QLatin1String("v2.1")) && !schema.contains(QLatin1String("v2.0"))) {
            return fail(tr("/info/schema: only Postman collections v2.1 are imported (export the collection as "
                           "\"Collection v2.1\")."));
        }
        environment.name = textAt(json["info"], "name").trimmed();
        if (environment.name.isEmpty()) {
            return fail(tr("/info/name: the collection has no name."));
        }
        Walk state;
        if (const auto variables = json.find("variable"); variables != json.end() && variables->is_array()) {
            for (const Json& variable : *variables) {
                if (variable.is_object() && !disabled(variable)) {
                    state.variables.insert(textAt(variable, "key"), textAt(variable, "value"));
                }
            }
        }
        std::optional<Json> collectionAuth;
        if (const auto auth = json.find("auth");
            auth != json.end() && auth->is_object() && textAt(*auth, "type") == QLatin1String("oauth2")) {
            collectionAuth = *auth;
            state.auth = *auth;
        }
        walk(json.contains("item") ? json["item"] : Json::array(), collectionAuth, state);
        if (!state.auth) {
            return fail(tr("the collection uses no oauth2 authorization (on the collection, a folder or a "
                           "request); Keyway imports collections whose auth type is OAuth 2.0."));
        }
        QMap<QString, QString> oauth = authParameters(*state.auth, "oauth2");
        for (auto it = oauth.begin(); it != oauth.end(); ++it) {
            it.value() = resolve(it.value(), state.variables);
        }
        const QString grant = oauth.value(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
        QString providerId;
        if (grant == QLatin1String("client_credentials")) {
            providerId = QStringLiteral("oauth2-client");
        } else if (grant == QLatin1String("authorization_code")
                   || grant == QLatin1String("authorization_code_with_pkce")) {
            providerId = QStringLiteral("oauth2-code");
        } else {
            return fail(tr("the collection's OAuth 2.0 grant '%1' is not supported; Keyway imports client "
                           "credentials and authorization code (with or without PKCE).")
                            .arg(grant));
        }
        const ProviderProfile* profile = profiles.find(providerId);
        if (!profile) {
            return fail(tr("the provider '%1' is not installed.").arg(providerId));
        }
        environment.provider = providerId;
        assign(*profile, QStringLiteral("token_url"), oauth.value(QStringLiteral("accessTokenUrl")));
        assign(*profile, QStringLiteral("authorize_url"), oauth.value(QStringLiteral("authUrl")));
        assign(*profile, QStringLiteral("client_id"), oauth.value(QStringLiteral("clientId")));
        assign(*profile, QStringLiteral("client_secret"), oauth.value(QStringLiteral("clientSecret")));
        assign(*profile, QStringLiteral("scope"), oauth.value(QStringLiteral("scope")));
        if (oauth.value(QStringLiteral("client_authentication")) == QLatin1String("header")) {
            assign(*profile, QStringLiteral("client_auth"), QStringLiteral("basic"));
        }
        if (providerId == QLatin1String("oauth2-code") && grant == QLatin1String("authorization_code")) {
            result.notes.append(tr("%1: Keyway signs in with PKCE (S256) even where the collection did not; "
                                   "servers that support PKCE accept it.")
                                    .arg(environment.name));
        }
        // The base URL: a variable that names one, else the origin of the first request.
        for (const QString& name : {QStringLiteral("baseUrl"),
                                    QStringLiteral("base_url"),
                                    QStringLiteral("baseURL"),
                                    QStringLiteral("url")}) {
            const QString value = resolve(state.variables.value(name), state.variables);
            if (!value.isEmpty() && !originOf(value).isEmpty()) {
                environment.baseUrl = value;
                break;
            }
        }
        if (environment.baseUrl.isEmpty()) {
            for (const PostmanSample& sample : std::as_const(state.samples)) {
                environment.baseUrl = originOf(sample.path);
                if (!environment.baseUrl.isEmpty()) {
                    break;
                }
            }
        }
        if (environment.baseUrl.isEmpty()) {
            environment.baseUrl = originOf(oauth.value(QStringLiteral("accessTokenUrl")));
        }
        while (environment.baseUrl.endsWith(QLatin1Char('/'))) {
            environment.baseUrl.chop(1);
        }
        for (PostmanSample sample : std::as_const(state.samples)) {
            if (!environment.baseUrl.isEmpty() && sample.path.startsWith(environment.baseUrl)) {
                sample.path = sample.path.mid(environment.baseUrl.size());
                if (!sample.path.startsWith(QLatin1Char('/'))) {
                    sample.path.prepend(QLatin1Char('/'));
                }
            }
            // A secret the collection wrote into a request stays a placeholder: samples are kept in files.
            for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
                const QString placeholder = QStringLiteral("{{") + it.key() + QStringLiteral("}}");
                sample.path.replace(it.value(), placeholder);
                sample.body.replace(it.value(), placeholder);
            }
            if (!sample.path.isEmpty()) {
                environment.samples.append({sample.name, sample.method, sample.path, sample.body});
            }
        }
        for (const CredentialField& field : profile->fields) {
            const QString value = field.secret ? secrets.value(field.key) : environment.values.value(field.key);
            if (value.contains(QLatin1String("{{"))) {
                return fail(tr("%1: the value of %2 names a variable the collection does not define (%3); define "
                               "it in the collection's variables, or set %2 after importing.")
                                .arg(environment.name, field.key, field.secret ? tr("a secret") : value));
            }
        }
    } else {
        // An environment file: {"name", "values": [{"key", "value", "type", "enabled"}]}.
        environment.name = textAt(json, "name").trimmed();
        if (environment.name.isEmpty()) {
            return fail(tr("/name: the Postman environment has no name."));
        }
        QMap<QString, QString> variables;
        QSet<QString> secretTyped;
        const auto values = json.find("values");
        if (values == json.end() || !values->is_array()) {
            return fail(tr("/values: expected the list of the environment's variables."));
        }
        for (const Json& entry : *values) {
            if (!entry.is_object() || disabled(entry)) {
                continue;
            }
            const QString key = textAt(entry, "key");
            variables.insert(key, textAt(entry, "value"));
            if (textAt(entry, "type") == QLatin1String("secret")) {
                secretTyped.insert(key);
            }
        }
        for (auto it = variables.begin(); it != variables.end(); ++it) {
            it.value() = resolve(it.value(), variables);
        }
        // The provider whose required keys the variables cover best; the profiles say which keys exist.
        const ProviderProfile* best = nullptr;
        int bestMatched = 0;
        for (const ProviderProfile* profile : profiles.profiles()) {
            bool covered = true;
            int matched = 0;
            for (const CredentialField& field : profile->fields) {
                const bool present = !variables.value(field.key).isEmpty();
                matched += present ? 1 : 0;
                covered = covered && (present || !field.required || !field.defaultValue.isEmpty());
            }
            if (covered && matched > bestMatched) {
                best = profile;
                bestMatched = matched;
            }
        }
        if (!best) {
            return fail(tr("the variables of '%1' match no provider's keys; name them as a provider does "
                           "(keyway-cli providers lists them), e.g. token_url, client_id and client_secret.")
                            .arg(environment.name));
        }
        environment.provider = best->id;
        QStringList ignored;
        for (auto it = variables.cbegin(); it != variables.cend(); ++it) {
            const CredentialField* field = best->field(it.key());
            if (field) {
                assign(*best, it.key(), it.value());
            } else if (it.key() == QLatin1String("baseUrl") || it.key() == QLatin1String("base_url")) {
                environment.baseUrl = it.value();
            } else if (!secretTyped.contains(it.key())) {
                ignored.append(it.key());
            } else {
                ignored.append(it.key());
            }
        }
        if (!ignored.isEmpty()) {
            result.notes.append(tr("%1: ignored variables that provider '%2' has no key for: %3")
                                    .arg(environment.name, best->id, ignored.join(QStringLiteral(", "))));
        }
        if (environment.baseUrl.isEmpty()) {
            environment.baseUrl = best->defaultBaseUrl;
        }
    }
    if (environment.baseUrl.isEmpty() || originOf(environment.baseUrl).isEmpty()) {
        return fail(tr("%1: no base URL could be found; add a baseUrl variable.").arg(environment.name));
    }
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
        environment.secrets.append(it.key());
    }
    result.secrets.insert(environment.name, secrets);
    result.environments.append(environment);
    return result;
}

} // namespace keyway
