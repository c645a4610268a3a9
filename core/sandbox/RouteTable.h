#pragma once

#include "core/sandbox/SandboxContext.h"
#include "core/sandbox/SandboxHttp.h"

#include <QHttpServerRequest>
#include <QObject>

#include <functional>

class QHttpServer;
class QHttpServerResponder;

namespace keyway::sandbox {

// What an endpoint is, for the generic faults: `error_page` hits Token and Authorize endpoints,
// `deny` is answered by the Token handlers themselves, `slow` delays every provider reply.
enum class RouteKind { Api, Token, Authorize, Control };

using RouteHandler = std::function<SandboxReply(const SandboxRequest&)>;
// Which provider a request belongs to (one server path can serve two profiles: /oauth2).
using ProviderResolver = std::function<QString(const SandboxRequest&)>;

// Registers the emulators' endpoints on QHttpServer and applies the generic faults around them.
class RouteTable
{
public:
    RouteTable(QHttpServer& http, SandboxContext& context, QObject* timerOwner);

    // `path` may hold one `<arg>` (a path segment), passed in SandboxRequest::pathArgs().
    void add(QHttpServerRequest::Method method,
             const QString& path,
             RouteKind kind,
             const QString& providerId,
             RouteHandler handler);
    void add(QHttpServerRequest::Method method,
             const QString& path,
             RouteKind kind,
             ProviderResolver resolver,
             RouteHandler handler);

    static constexpr int kSlowReplyMs = 2000;

private:
    void dispatch(const QHttpServerRequest& request,
                  QHttpServerResponder&& responder,
                  const QStringList& args,
                  RouteKind kind,
                  const ProviderResolver& resolver,
                  const RouteHandler& handler);

    QHttpServer& m_http;
    SandboxContext& m_context;
    QObject* m_timerOwner;
};

void writeReply(QHttpServerResponder& responder, const SandboxReply& reply);

} // namespace keyway::sandbox
