#include "core/http/HttpMessage.h"

#include <algorithm>

namespace keyway {

QByteArray headerValue(const HeaderList& headers, const QByteArray& name)
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

void removeHeader(HeaderList& headers, const QByteArray& name)
{
    headers.removeIf([&](const auto& header) { return header.first.compare(name, Qt::CaseInsensitive) == 0; });
}

void setHeader(HeaderList& headers, const QByteArray& name, const QByteArray& value)
{
    removeHeader(headers, name);
    headers.append({name, value});
}

QString originOf(const QUrl& url)
{
    const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
    return url.scheme().toLower() + QStringLiteral("://") + url.host().toLower() + QLatin1Char(':')
        + QString::number(url.port(defaultPort));
}

QString standardReasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QStringLiteral("OK");
    case 201:
        return QStringLiteral("Created");
    case 202:
        return QStringLiteral("Accepted");
    case 204:
        return QStringLiteral("No Content");
    case 301:
        return QStringLiteral("Moved Permanently");
    case 302:
        return QStringLiteral("Found");
    case 303:
        return QStringLiteral("See Other");
    case 304:
        return QStringLiteral("Not Modified");
    case 307:
        return QStringLiteral("Temporary Redirect");
    case 308:
        return QStringLiteral("Permanent Redirect");
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 405:
        return QStringLiteral("Method Not Allowed");
    case 406:
        return QStringLiteral("Not Acceptable");
    case 408:
        return QStringLiteral("Request Timeout");
    case 409:
        return QStringLiteral("Conflict");
    case 410:
        return QStringLiteral("Gone");
    case 412:
        return QStringLiteral("Precondition Failed");
    case 413:
        return QStringLiteral("Content Too Large");
    case 415:
        return QStringLiteral("Unsupported Media Type");
    case 422:
        return QStringLiteral("Unprocessable Content");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 501:
        return QStringLiteral("Not Implemented");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return QString();
    }
}

QString statusWithReason(int status)
{
    const QString reason = standardReasonPhrase(status);
    return reason.isEmpty() ? QStringLiteral("HTTP %1").arg(status) : QStringLiteral("%1 %2").arg(status).arg(reason);
}

void appendReplyBytes(QByteArray& body, const QByteArray& more)
{
    const qsizetype needed = body.size() + more.size() + ReplyBodySpareBytes;
    if (body.capacity() < needed) {
        body.reserve(std::max(needed, body.capacity() * 2));
    }
    body.append(more);
}

QByteArray readAllWithSpare(QIODevice* device)
{
    QByteArray body;
    const qint64 available = device->bytesAvailable();
    if (available > 0) {
        body.reserve(available + ReplyBodySpareBytes);
        body.resize(available);
        const qint64 read = device->read(body.data(), available);
        body.resize(std::max<qint64>(read, 0));
    }
    // A device that cannot say how much it holds (or got more meanwhile) is read to its end all the same.
    while (!device->atEnd()) {
        const QByteArray more = device->read(std::max<qint64>(device->bytesAvailable(), 64 * 1024));
        if (more.isEmpty()) {
            break;
        }
        if (body.capacity() - body.size() < more.size() + ReplyBodySpareBytes) {
            body.reserve(body.size() + more.size() + ReplyBodySpareBytes);
        }
        body.append(more);
    }
    return body;
}

} // namespace keyway
