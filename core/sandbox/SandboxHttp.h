#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

class QHttpServerRequest;

namespace keyway::sandbox {

// One reply of an emulated provider, written by RouteTable in a single burst.
struct SandboxReply
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    static SandboxReply json(const nlohmann::ordered_json& body, int status = 200);
    static SandboxReply jsonApi(const nlohmann::ordered_json& body, int status = 200);
    static SandboxReply html(const QString& page, int status = 200);
    static SandboxReply redirect(const QUrl& location);
    // 502 with an HTML page, as a misconfigured gateway in front of a token endpoint answers.
    static SandboxReply gatewayErrorPage();

    SandboxReply& withHeader(const QByteArray& name, const QByteArray& value);
};

// Read-only view of a request with the helpers the emulators need.
class SandboxRequest
{
public:
    SandboxRequest(const QHttpServerRequest& request, QStringList pathArgs);

    QString path() const;
    QString method() const; // "GET", "POST"...
    QByteArray header(const QByteArray& name) const; // case-insensitive, first value
    QList<QByteArray> headers(const QByteArray& name) const;
    QByteArray body() const;
    QUrlQuery query() const;
    const QStringList& pathArgs() const { return m_pathArgs; }

    bool hasFormBody() const; // Content-Type application/x-www-form-urlencoded
    bool hasJsonBody() const; // Content-Type application/json (any charset)
    QUrlQuery form() const; // the body as a form, decoded
    QString formValue(const QString& key) const;
    nlohmann::json jsonBody() const; // discarded value when the body is not JSON
    QString bearerToken() const; // "" without an `Authorization: Bearer` header
    // HTTP Basic credentials, each part form-urldecoded (RFC 6749 §2.3.1); false without them.
    bool basicCredentials(QString* user, QString* password) const;
    QString cookie(const QString& name) const;

private:
    const QHttpServerRequest& m_request;
    QStringList m_pathArgs;
};

// Small JSON helpers: the string value of a key of an object, "" otherwise.
QString jsonString(const nlohmann::json& object, const char* key);
std::string toStd(const QString& text);

} // namespace keyway::sandbox
