#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QList>
#include <QPair>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <memory>

namespace keyway {

class ConnectionSettings;

// Reply bodies keep this many spare bytes of capacity past their end: the JSON index (simdjson) reads
// up to 64 bytes beyond a document, and with the room already there it indexes a 100 MB reply in
// place instead of copying it first (core/json/JsonIndex.cpp checks the two numbers agree).
inline constexpr qsizetype ReplyBodySpareBytes = 64;
// Everything `device` has buffered, in a QByteArray with ReplyBodySpareBytes of spare capacity.
QByteArray readAllWithSpare(QIODevice* device);
// Appends the next bytes of a reply to `body`, growing it geometrically so that ReplyBodySpareBytes
// always stay free past its end.
void appendReplyBytes(QByteArray& body, const QByteArray& more);

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// Returns the first value of a header (case-insensitive), empty when absent.
QByteArray headerValue(const HeaderList& headers, const QByteArray& name);
void setHeader(HeaderList& headers, const QByteArray& name, const QByteArray& value); // replaces
void removeHeader(HeaderList& headers, const QByteArray& name);

// The standard reason phrase of an HTTP status ("Bad Gateway" for 502), empty for unknown codes. Replies
// over HTTP/2 carry none, so the app names statuses with these.
QString standardReasonPhrase(int status);
// "502 Bad Gateway", or "HTTP 599" for a code without a standard phrase.
QString statusWithReason(int status);

// "scheme://host:port": two URLs with the same origin may share credentials, others never.
QString originOf(const QUrl& url);

// Takes a reply body while it arrives, for keyway-cli call writing to stdout: memory stays the same
// whatever the reply's size. Called on the thread of the executor that sends the request.
class ReplyBodySink
{
public:
    // A body is streamed only once more than this has arrived: smaller replies stay whole, so they are
    // judged, redacted and printed exactly as before.
    static constexpr qint64 StreamAfterBytes = 1024 * 1024;

    virtual ~ReplyBodySink() = default;
    // The reply (status and headers known) has passed StreamAfterBytes: true to stream it. A reply the
    // caller will not use (a refusal that leads to a renewal) is declined and kept as usual.
    virtual bool begin(int status, const QByteArray& reason, const HeaderList& headers) = 0;
    // The body's next bytes, in order; false when they cannot be taken (stdout failed): the request stops.
    virtual bool write(const QByteArray& bytes) = 0;
    // The body is complete (also after an error: then it is cut short).
    virtual void finish() = 0;
};

struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    HeaderList headers;
    QByteArray body;
    // The environment's CA file, client certificate and proxy; null means the system's defaults.
    std::shared_ptr<const ConnectionSettings> connection;
    // Headers that carry credentials besides Authorization and Cookie (e.g. Seismic's x-access-token):
    // stripped when a redirect leads to another origin.
    QList<QByteArray> credentialHeaders;
    // When set, a large reply body goes here as it arrives instead of into HttpResponse::body, and the
    // executor's size cap does not apply to it (ReplyBodySink).
    std::shared_ptr<ReplyBodySink> bodySink;
};

struct HttpResponse
{
    enum class Error { None, Network, Timeout, TooLarge, Tls, Redirect };
    // Why the server could not be reached (core/http/NetworkDiagnosis), for exit code 5 and the GUI's
    // "unreachable" state; None when a reply arrived or the failure was of another kind.
    enum class Failure {
        None,
        Dns,
        ConnectionRefused,
        Tls,
        ProxyRefused,
        ProxyAuth,
        Timeout,
        Deadline,
        Settings,
        Other
    };

    int status = 0; // 0 when no reply arrived
    QByteArray reason;
    HeaderList headers;
    QByteArray body;
    QUrl finalUrl;
    Error error = Error::None;
    QString errorText; // plain words for the user, never a secret
    qint64 elapsedMs = 0;
    Failure failure = Failure::None;
    QList<QSslCertificate> peerChain; // what the server presented when its TLS handshake failed
    // The whole body's size when it went to the request's ReplyBodySink; `body` then holds only its
    // first ReplyBodySink::StreamAfterBytes. -1 when the body was kept whole.
    qint64 streamedBytes = -1;

    bool transportOk() const { return error == Error::None && status > 0; }
    QByteArray header(const QByteArray& name) const { return headerValue(headers, name); }
};

} // namespace keyway
