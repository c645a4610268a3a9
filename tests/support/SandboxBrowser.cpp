#include "tests/support/SandboxBrowser.h"

#include "core/sandbox/SandboxServer.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

namespace keyway::test {

namespace {
constexpr int kMaxHops = 12;

bool isCallback(const QUrl& url)
{
    return url.path() == QLatin1String("/callback")
        && (url.host() == QLatin1String("127.0.0.1") || url.host() == QLatin1String("localhost"));
}

QString attribute(const QString& tag, const QString& name)
{
    const QRegularExpression pattern(name + QStringLiteral("\\s*=\\s*\"([^\"]*)\""));
    const auto match = pattern.match(tag);
    return match.hasMatch() ? match.captured(1) : QString();
}

QString htmlUnescape(QString text)
{
    text.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    text.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    text.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    text.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return text;
}
} // namespace

QByteArray HttpExchange::header(const QByteArray& name) const
{
    for (const auto& pair : headers) {
        if (pair.first.compare(name, Qt::CaseInsensitive) == 0) {
            return pair.second;
        }
    }
    return {};
}

HttpExchange httpExchange(QNetworkAccessManager& nam,
                          const QByteArray& verb,
                          const QUrl& url,
                          const QByteArray& body,
                          const QList<QPair<QByteArray, QByteArray>>& headers,
                          int timeoutMs)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto& header : headers) {
        request.setRawHeader(header.first, header.second);
    }
    QElapsedTimer timer;
    timer.start();
    QNetworkReply* reply = nam.sendCustomRequest(request, verb, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!reply->isFinished()) {
        loop.exec();
    }
    HttpExchange exchange;
    exchange.elapsedMs = timer.elapsed();
    if (!reply->isFinished()) {
        reply->abort();
        exchange.networkError = QStringLiteral("timed out");
    }
    exchange.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    exchange.body = reply->readAll();
    exchange.headers = reply->rawHeaderPairs();
    if (exchange.status == 0 && exchange.networkError.isEmpty()) {
        exchange.networkError = reply->errorString();
    }
    reply->deleteLater();
    return exchange;
}

SandboxBrowser::SandboxBrowser(QObject* parent)
    : QObject(parent)
    , m_username(sandbox::SandboxServer::demoUsername())
    , m_password(sandbox::SandboxServer::demoPassword())
{
}

void SandboxBrowser::setCredentials(const QString& username, const QString& password)
{
    m_username = username;
    m_password = password;
}

void SandboxBrowser::clearCookies()
{
    m_nam.setCookieJar(new QNetworkCookieJar(&m_nam));
}

void SandboxBrowser::start(const QUrl& authorizationUrl, bool deliver, std::function<void(const Result&)> done)
{
    m_result = Result {};
    m_deliver = deliver;
    m_done = std::move(done);
    visit("GET", authorizationUrl, {}, 0);
}

SandboxBrowser::Result SandboxBrowser::run(const QUrl& authorizationUrl, bool deliver, int timeoutMs)
{
    QEventLoop loop;
    bool finished = false;
    start(authorizationUrl, deliver, [&](const Result&) {
        finished = true;
        loop.quit();
    });
    if (!finished) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!finished) {
        m_result.error = QStringLiteral("the browser timed out");
        m_done = nullptr;
    }
    return m_result;
}

std::function<void(const QUrl&)> SandboxBrowser::opener(bool deliver)
{
    return [this, deliver](const QUrl& url) {
        // Not from inside the caller's stack: a real browser opens the URL later.
        QTimer::singleShot(0, this, [this, url, deliver] { start(url, deliver, nullptr); });
    };
}

void SandboxBrowser::visit(const QByteArray& verb, const QUrl& url, const QByteArray& formBody, int hops)
{
    if (hops > kMaxHops) {
        m_result.error = QStringLiteral("too many redirects");
        finish();
        return;
    }
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Accept", "text/html");
    if (!formBody.isNull()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    }
    QNetworkReply* reply = m_nam.sendCustomRequest(request, verb, formBody);
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, hops] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status >= 300 && status < 400 && reply->hasRawHeader("Location")) {
            const QUrl next = url.resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
            if (isCallback(next)) {
                m_result.finalUrl = next;
                if (!m_deliver) {
                    finish();
                    return;
                }
                QNetworkRequest deliverRequest(next);
                QNetworkReply* delivery = m_nam.get(deliverRequest);
                connect(delivery, &QNetworkReply::finished, this, [this, delivery] {
                    delivery->deleteLater();
                    m_result.delivered = delivery->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 0;
                    finish();
                });
                return;
            }
            visit("GET", next, QByteArray(), hops + 1);
            return;
        }
        const QString html = QString::fromUtf8(body);
        if (status == 200 && html.contains(QLatin1String("type=\"password\""))) {
            m_result.sawLoginPage = true;
            if (++m_result.loginPagesShown > 1) {
                m_result.error = QStringLiteral("the sign-in page came back: the login was refused");
                finish();
                return;
            }
            const QRegularExpression formTag(QStringLiteral("<form[^>]*>"));
            const QString form = formTag.match(html).captured(0);
            const QUrl action = url.resolved(QUrl(htmlUnescape(attribute(form, QStringLiteral("action")))));
            QUrlQuery fields;
            const QRegularExpression hidden(QStringLiteral("<input[^>]*type=\"hidden\"[^>]*>"));
            auto it = hidden.globalMatch(html);
            while (it.hasNext()) {
                const QString tag = it.next().captured(0);
                fields.addQueryItem(htmlUnescape(attribute(tag, QStringLiteral("name"))),
                                    htmlUnescape(attribute(tag, QStringLiteral("value"))));
            }
            fields.addQueryItem(QStringLiteral("username"), m_username);
            fields.addQueryItem(QStringLiteral("password"), m_password);
            fields.addQueryItem(QStringLiteral("decision"),
                                m_decision == Decision::Approve ? QStringLiteral("approve") : QStringLiteral("deny"));
            QByteArray encoded;
            const auto items = fields.queryItems(QUrl::FullyDecoded);
            for (const auto& item : items) {
                if (!encoded.isEmpty()) {
                    encoded += '&';
                }
                encoded += QUrl::toPercentEncoding(item.first) + '=' + QUrl::toPercentEncoding(item.second);
            }
            visit("POST", action, encoded, hops + 1);
            return;
        }
        m_result.error = QStringLiteral("HTTP %1 at %2: %3")
                             .arg(status)
                             .arg(url.toString(QUrl::RemoveQuery), QString::fromUtf8(body.left(200)));
        finish();
    });
}

void SandboxBrowser::finish()
{
    if (auto done = std::exchange(m_done, nullptr)) {
        done(m_result);
    }
}

} // namespace keyway::test
