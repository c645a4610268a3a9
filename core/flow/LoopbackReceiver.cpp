#include "core/flow/LoopbackReceiver.h"

#include "core/util/Logging.h"

#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace keyway {

// Every request, whatever its method or path, gets a page: a browser showing "connection reset" leaves the
// user with nothing to do next.
class LoopbackHttpServer : public QAbstractHttpServer
{
public:
    explicit LoopbackHttpServer(LoopbackReceiver* receiver) : QAbstractHttpServer(receiver), m_receiver(receiver) { }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override
    {
        int status = 200;
        LoopbackReceiver::Verdict verdict = LoopbackReceiver::Verdict::WrongPath;
        QMap<QString, QString> params;
        QUrl url = request.url();
        if (request.method() != QHttpServerRequest::Method::Get) {
            url = QUrl(); // a callback is a GET: anything else is answered like a wrong path
        }
        const QByteArray body = m_receiver->pageFor(url, status, verdict, params); // sets status first
        QHttpServerResponse response(
            QByteArrayLiteral("text/html; charset=utf-8"), body, static_cast<QHttpServerResponse::StatusCode>(status));
        response.addHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
        response.addHeader(QByteArrayLiteral("Referrer-Policy"), QByteArrayLiteral("no-referrer"));
        response.write(makeResponder(request, socket));
        // On its way before the verdict sets anything off: keyway-cli may exit the moment the flow ends, and a
        // page still in Qt's buffer would reach the browser as "connection reset".
        socket->flush();
        m_receiver->deliver(verdict, params);
        return true;
    }

    void missingHandler(const QHttpServerRequest&, QTcpSocket*) override { }

private:
    LoopbackReceiver* m_receiver;
};

namespace {

QString page(const QString& title, const QString& text)
{
    return QStringLiteral("<!doctype html><html><head><meta charset=\"utf-8\"><title>%1</title></head>"
                          "<body style=\"font-family:sans-serif;margin:3em;max-width:40em\"><h1>%1</h1><p>%2</p>"
                          "</body></html>")
        .arg(title.toHtmlEscaped(), text.toHtmlEscaped());
}

} // namespace

LoopbackReceiver::LoopbackReceiver(QString path, QObject* parent) : QObject(parent), m_path(std::move(path))
{
    if (!m_path.startsWith(QLatin1Char('/'))) {
        m_path.prepend(QLatin1Char('/'));
    }
}

LoopbackReceiver::~LoopbackReceiver() = default;

bool LoopbackReceiver::listen()
{
    m_tcp = new QTcpServer(this);
    // 127.0.0.1 only: another machine on the network must not be able to hand Keyway a code.
    if (!m_tcp->listen(QHostAddress::LocalHost, 0)) {
        qCWarning(lcAuth) << "loopback listener could not bind:" << m_tcp->errorString();
        return false;
    }
    m_http = new LoopbackHttpServer(this);
    m_http->bind(m_tcp);
    return true;
}

bool LoopbackReceiver::isListening() const
{
    return m_tcp && m_tcp->isListening();
}

quint16 LoopbackReceiver::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QString LoopbackReceiver::redirectUri() const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(m_path);
}

void LoopbackReceiver::close()
{
    m_taken = true;
    if (m_tcp) {
        m_tcp->close();
    }
}

void LoopbackReceiver::retire(int graceMs)
{
    m_taken = true;
    disconnect(this, nullptr, nullptr, nullptr); // the flow is over: nothing more reaches it
    if (graceMs <= 0 || !isListening()) {
        close();
        deleteLater();
        return;
    }
    setParent(QCoreApplication::instance());
    QTimer::singleShot(graceMs, this, [this] {
        close();
        deleteLater();
    });
}

LoopbackReceiver::Verdict
LoopbackReceiver::judge(const QUrl& url, bool requirePath, QMap<QString, QString>& params) const
{
    const QUrlQuery query(url);
    const bool hasState = query.hasQueryItem(QStringLiteral("state"));
    const bool carriesReply = query.hasQueryItem(QStringLiteral("code")) || query.hasQueryItem(QStringLiteral("error"));
    if (requirePath && url.path() != m_path) {
        return Verdict::WrongPath;
    }
    if (!carriesReply && !hasState) {
        return requirePath ? Verdict::WrongPath : Verdict::NotARedirect;
    }
    if (m_taken) {
        return Verdict::AlreadyFinished;
    }
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        params.insert(key, value);
    }
    if (m_expectedState.isEmpty() || params.value(QStringLiteral("state")) != m_expectedState) {
        return Verdict::StateMismatch;
    }
    if (!carriesReply) {
        return requirePath ? Verdict::WrongPath : Verdict::NotARedirect;
    }
    return params.contains(QStringLiteral("error")) ? Verdict::Refused : Verdict::Accepted;
}

void LoopbackReceiver::deliver(Verdict verdict, const QMap<QString, QString>& params)
{
    switch (verdict) {
    case Verdict::Accepted:
    case Verdict::Refused:
        m_taken = true;
        Q_EMIT received(params);
        break;
    case Verdict::StateMismatch:
        m_taken = true;
        qCWarning(lcAuth) << "loopback callback with a state that does not match: rejected";
        Q_EMIT stateMismatch();
        break;
    case Verdict::WrongPath:
    case Verdict::NotARedirect:
    case Verdict::AlreadyFinished:
        break;
    }
}

LoopbackReceiver::Verdict LoopbackReceiver::submit(const QUrl& url)
{
    QMap<QString, QString> params;
    const Verdict verdict = judge(url, false, params);
    deliver(verdict, params);
    return verdict;
}

LoopbackReceiver::Answer LoopbackReceiver::answerFor(Verdict verdict, const QMap<QString, QString>& params) const
{
    switch (verdict) {
    case Verdict::Accepted:
        return {200, tr("Signed in"), tr("You can close this tab and return to Keyway.")};
    case Verdict::Refused: {
        const QString error = params.value(QStringLiteral("error"));
        const QString description = params.value(QStringLiteral("error_description")).left(500);
        const QString said = description.isEmpty() ? error : tr("%1: %2").arg(error, description);
        const QString next = error == QLatin1String("access_denied")
            ? tr("The sign-in was refused, so Keyway has no access. Close this tab, return to Keyway and start the "
                 "sign-in again, approving the access this time or using another account.")
            : tr("Close this tab, return to Keyway and start the sign-in again; if it happens again, check the "
                 "environment's settings with the provider.");
        return {200, tr("Sign-in refused"), tr("The provider answered: %1.").arg(said) + QLatin1Char(' ') + next};
    }
    case Verdict::StateMismatch:
        return {400,
                tr("Sign-in rejected"),
                tr("This reply does not belong to the sign-in Keyway started (its state does not match), so Keyway "
                   "did not use it. Return to Keyway and start the sign-in again.")};
    case Verdict::WrongPath:
    case Verdict::NotARedirect:
        return {404,
                tr("Not found"),
                tr("This address is not part of the sign-in. Keyway is still waiting: finish the sign-in in the "
                   "tab that Keyway opened.")};
    case Verdict::AlreadyFinished:
        return {409,
                tr("Sign-in already finished"),
                tr("Keyway already received the answer to this sign-in, so this one was not used. You can close "
                   "this tab; to sign in again, start a new sign-in in Keyway.")};
    }
    return {};
}

QByteArray LoopbackReceiver::pageFor(const QUrl& url, int& status, Verdict& verdict, QMap<QString, QString>& params)
{
    verdict = judge(url, true, params);
    const Answer answer = answerFor(verdict, params);
    status = answer.status;
    return page(answer.title, answer.text).toUtf8();
}

} // namespace keyway
