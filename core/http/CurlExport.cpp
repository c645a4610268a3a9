#include "core/http/CurlExport.h"

#include "core/http/Redactor.h"

namespace keyway {

namespace {

QString shellQuote(const QString& text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

QString toCurlCommand(const HttpRequest& request, const Redactor* redactor, bool reveal)
{
    const bool redact = redactor && !reveal;
    QStringList parts {QStringLiteral("curl")};
    // curl turns --data-raw into a POST unless told otherwise: name the method whenever a body goes along.
    if (request.method != "GET" || !request.body.isEmpty()) {
        parts << QStringLiteral("-X") << QString::fromLatin1(request.method);
    }
    const QString url = QString::fromUtf8(request.url.toEncoded());
    parts << shellQuote(redact ? redactor->redact(url) : url);
    for (const auto& [name, value] : request.headers) {
        const QString shown = redact ? redactor->redactHeader(name, value) : QString::fromUtf8(value);
        parts << QStringLiteral("-H") << shellQuote(QString::fromLatin1(name) + QStringLiteral(": ") + shown);
    }
    if (!request.body.isEmpty()) {
        parts << QStringLiteral("--data-raw")
              << shellQuote(redact ? redactor->redact(request.body) : QString::fromUtf8(request.body));
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace keyway
