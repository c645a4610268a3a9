#include "core/sandbox/RouteTable.h"

#include "core/util/Logging.h"

#include <QHttpServer>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace keyway::sandbox {

RouteTable::RouteTable(QHttpServer& http, SandboxContext& context, QObject* timerOwner)
    : m_http(http), m_context(context), m_timerOwner(timerOwner)
{
}

void RouteTable::add(QHttpServerRequest::Method method,
                     const QString& path,
                     RouteKind kind,
                     const QString& providerId,
                     RouteHandler handler)
{
    add(
        method, path, kind, [providerId](const SandboxRequest&) { return providerId; }, std::move(handler));
}

void RouteTable::add(QHttpServerRequest::Method method,
                     const QString& path,
                     RouteKind kind,
                     ProviderResolver resolver,
                     RouteHandler handler)
{
    if (path.contains(QLatin1String("<arg>"))) {
        m_http.route(path,
                     method,
                     [this, kind, resolver, handler](
                         const QString& arg, const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                         dispatch(request, std::move(responder), {arg}, kind, resolver, handler);
                     });
    } else {
        m_http.route(
            path,
            method,
            [this, kind, resolver, handler](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                dispatch(request, std::move(responder), {}, kind, resolver, handler);
            });
    }
}

void RouteTable::dispatch(const QHttpServerRequest& request,
                          QHttpServerResponder&& responder,
                          const QStringList& args,
                          RouteKind kind,
                          const ProviderResolver& resolver,
                          const RouteHandler& handler)
{
    const SandboxRequest sandboxRequest(request, args);
    const QString providerId = resolver(sandboxRequest);
    if (kind == RouteKind::Token) {
        m_context.countTokenRequest(providerId);
    }
    SandboxReply reply;
    if ((kind == RouteKind::Token || kind == RouteKind::Authorize)
        && m_context.faultOn(providerId, QStringLiteral("error_page"))) {
        reply = SandboxReply::gatewayErrorPage();
    } else {
        reply = handler(sandboxRequest);
    }
    qCDebug(lcSandbox) << providerId << sandboxRequest.method() << sandboxRequest.path() << reply.status;

    if (kind != RouteKind::Control && m_context.faultOn(providerId, QStringLiteral("slow"))) {
        // The reply is decided now and written later: the event loop keeps serving meanwhile.
        auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
        QPointer<QTcpSocket> socket = held->socket();
        QTimer::singleShot(kSlowReplyMs, m_timerOwner, [held, socket, reply] {
            if (socket && socket->isOpen()) {
                writeReply(*held, reply);
            }
        });
        return;
    }
    writeReply(responder, reply);
}

void writeReply(QHttpServerResponder& responder, const SandboxReply& reply)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
    if (!reply.contentType.isEmpty()) {
        responder.writeHeader(QByteArrayLiteral("Content-Type"), reply.contentType);
    }
    for (const auto& header : reply.headers) {
        responder.writeHeader(header.first, header.second);
    }
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(reply.body.size()));
    responder.writeBody(reply.body);
}

} // namespace keyway::sandbox
