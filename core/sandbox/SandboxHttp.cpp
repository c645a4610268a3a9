#include "core/sandbox/SandboxHttp.h"

#include <QHttpServerRequest>

namespace keyway::sandbox {

SandboxReply SandboxReply::json(const nlohmann::ordered_json& body, int status)
{
    SandboxReply reply;
    reply.status = status;
    reply.contentType = QByteArrayLiteral("application/json");
    reply.body = QByteArray::fromStdString(body.dump());
    return reply;
}

SandboxReply SandboxReply::jsonApi(const nlohmann::ordered_json& body, int status)
{
    SandboxReply reply = json(body, status);
    reply.contentType = QByteArrayLiteral("application/vnd.api+json");
    return reply;
}

SandboxReply SandboxReply::html(const QString& page, int status)
{
    SandboxReply reply;
    reply.status = status;
    reply.contentType = QByteArrayLiteral("text/html; charset=utf-8");
    reply.body = page.toUtf8();
    return reply;
}

SandboxReply SandboxReply::redirect(const QUrl& location)
{
    SandboxReply reply;
    reply.status = 302;
    reply.contentType = QByteArrayLiteral("text/plain");
    reply.headers.append({QByteArrayLiteral("Location"), location.toEncoded()});
    reply.headers.append({QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")});
    return reply;
}

SandboxReply SandboxReply::gatewayErrorPage()
{
    return html(QStringLiteral("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
                               "<body><h1>502 Bad Gateway</h1><p>The upstream token service did not answer."
                               "</p><hr><address>sandbox-gateway</address></body></html>\n"),
                502);
}

SandboxReply& SandboxReply::withHeader(const QByteArray& name, const QByteArray& value)
{
    headers.append({name, value});
    return *this;
}

SandboxRequest::SandboxRequest(const QHttpServerRequest& request, QStringList pathArgs)
    : m_request(request), m_pathArgs(std::move(pathArgs))
{
}

QString SandboxRequest::path() const
{
    return m_request.url().path();
}

QString SandboxRequest::method() const
{
    switch (m_request.method()) {
    case QHttpServerRequest::Method::Get:
        return QStringLiteral("GET");
    case QHttpServerRequest::Method::Post:
        return QStringLiteral("POST");
    case QHttpServerRequest::Method::Put:
        return QStringLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QStringLiteral("DELETE");
    default:
        return QStringLiteral("OTHER");
    }
}

QByteArray SandboxRequest::header(const QByteArray& name) const
{
    const QList<QByteArray> values = headers(name);
    return values.isEmpty() ? QByteArray() : values.first();
}

QList<QByteArray> SandboxRequest::headers(const QByteArray& name) const
{
    QList<QByteArray> values;
    const auto all = m_request.headers();
    for (const auto& header : all) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            values.append(header.second);
        }
    }
    return values;
}

QByteArray SandboxRequest::body() const
{
    return m_request.body();
}

QUrlQuery SandboxRequest::query() const
{
    return m_request.query();
}

bool SandboxRequest::hasFormBody() const
{
    return header("Content-Type").trimmed().toLower().startsWith("application/x-www-form-urlencoded");
}

bool SandboxRequest::hasJsonBody() const
{
    const QByteArray type = header("Content-Type").trimmed().toLower();
    return type.startsWith("application/json") || type.startsWith("application/vnd.api+json");
}

QUrlQuery SandboxRequest::form() const
{
    // QUrlQuery does not turn '+' into a space; forms do (application/x-www-form-urlencoded).
    QByteArray body = m_request.body();
    body.replace('+', ' ');
    return QUrlQuery(QString::fromUtf8(body));
}

QString SandboxRequest::formValue(const QString& key) const
{
    return form().queryItemValue(key, QUrl::FullyDecoded);
}

nlohmann::json SandboxRequest::jsonBody() const
{
    const QByteArray bytes = m_request.body();
    return nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
}

QString SandboxRequest::bearerToken() const
{
    const QByteArray value = header("Authorization").trimmed();
    if (value.size() > 7 && value.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0) {
        return QString::fromLatin1(value.mid(7).trimmed());
    }
    return {};
}

bool SandboxRequest::basicCredentials(QString* user, QString* password) const
{
    const QByteArray value = header("Authorization").trimmed();
    if (value.size() <= 6 || value.left(6).compare("Basic ", Qt::CaseInsensitive) != 0) {
        return false;
    }
    const QByteArray decoded = QByteArray::fromBase64(value.mid(6).trimmed());
    const qsizetype colon = decoded.indexOf(':');
    if (colon < 0) {
        return false;
    }
    auto formDecode = [](QByteArray part) {
        part.replace('+', ' ');
        return QUrl::fromPercentEncoding(part);
    };
    *user = formDecode(decoded.left(colon));
    *password = formDecode(decoded.mid(colon + 1));
    return true;
}

QString SandboxRequest::cookie(const QString& name) const
{
    const auto cookieHeaders = headers("Cookie");
    for (const QByteArray& line : cookieHeaders) {
        const QList<QByteArray> pairs = line.split(';');
        for (const QByteArray& pair : pairs) {
            const qsizetype eq = pair.indexOf('=');
            if (eq > 0 && QString::fromLatin1(pair.left(eq).trimmed()) == name) {
                return QString::fromLatin1(pair.mid(eq + 1).trimmed());
            }
        }
    }
    return {};
}

QString jsonString(const nlohmann::json& object, const char* key)
{
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) {
        return {};
    }
    return QString::fromStdString(it->get<std::string>());
}

std::string toStd(const QString& text)
{
    return text.toStdString();
}

} // namespace keyway::sandbox
