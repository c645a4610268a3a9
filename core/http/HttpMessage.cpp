#include "core/http/HttpMessage.h"

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

} // namespace keyway
