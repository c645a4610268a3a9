#include "core/checks/SignInPageProbe.h"

#include "core/http/ConnectionSettings.h"
#include "core/http/NetworkDiagnosis.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QUrlQuery>

namespace keyway {

namespace {

QString shortUrl(const QUrl& url)
{
    return url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo).toString();
}

bool sameEndpoint(const QUrl& a, const QUrl& b)
{
    return a.scheme() == b.scheme() && a.host() == b.host() && a.port() == b.port() && a.path() == b.path();
}

constexpr int transferTimeoutMs = 20'000;

} // namespace

SignInPageProbe::SignInPageProbe(QObject* parent) : QObject(parent), m_manager(new QNetworkAccessManager(this))
{
    m_manager->setCookieJar(new QNetworkCookieJar(m_manager));
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

bool SignInPageProbe::hasPasswordField(const QByteArray& html)
{
    static const QRegularExpression password(QStringLiteral("<input\\b[^>]*\\btype\\s*=\\s*[\"']?password\\b"),
                                             QRegularExpression::CaseInsensitiveOption);
    return password.match(QString::fromUtf8(html)).hasMatch();
}

void SignInPageProbe::probe(const QUrl& authorizeUrl, const QUrl& redirectUri, Callback done)
{
    m_redirectUri = redirectUri;
    m_done = std::move(done);
    fetch(authorizeUrl, 10);
}

void SignInPageProbe::fetch(const QUrl& url, int hopsLeft)
{
    if (sameEndpoint(url, m_redirectUri)) {
        const QUrlQuery query(url);
        const QString what = query.hasQueryItem(QStringLiteral("code")) ? tr("with a code")
            : query.hasQueryItem(QStringLiteral("error"))
            ? tr("with error=%1").arg(query.queryItemValue(QStringLiteral("error")))
            : tr("without a code");
        finish(Outcome::RedirectedBack,
               tr("the server sent the browser straight back to the redirect URI %1, without a sign-in page: "
                  "prompt=login must force the user to sign in again")
                   .arg(what));
        return;
    }
    if (hopsLeft == 0) {
        finish(Outcome::Failed, tr("too many redirects from %1").arg(shortUrl(url)));
        return;
    }
    if (!m_connection) {
        m_connection = ConnectionSettings::systemDefault();
    }
    if (!m_connection->error().isEmpty()) {
        finish(Outcome::Failed, m_connection->error());
        return;
    }
    const ProxyChoice proxy = m_connection->proxyFor(url);
    if (!proxy.error.isEmpty()) {
        finish(Outcome::Failed, proxy.error);
        return;
    }
    // Like a browser of this environment: its CA file, client certificate and proxy.
    m_manager->setProxy(proxy.proxy);
    QNetworkRequest request(url);
    if (m_connection->hasTls() && url.scheme() == QLatin1String("https")) {
        request.setSslConfiguration(m_connection->tls());
    }
    request.setTransferTimeout(transferTimeoutMs);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Mozilla/5.0 (X11; Linux x86_64) Keyway"));
    request.setRawHeader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
    QNetworkReply* reply = m_manager->get(request);
    auto sslErrors = std::make_shared<QList<QSslError>>();
    auto chain = std::make_shared<QList<QSslCertificate>>();
    connect(reply, &QNetworkReply::sslErrors, this, [reply, sslErrors, chain](const QList<QSslError>& errors) {
        *sslErrors = errors; // never ignored: the probe fails and says why
        *chain = reply->sslConfiguration().peerCertificateChain();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, hopsLeft, proxy, sslErrors, chain] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 300 && status < 400) {
            const QUrl location = url.resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
            fetch(location, hopsLeft - 1);
            return;
        }
        if (status == 0 || reply->error() == QNetworkReply::ProxyAuthenticationRequiredError) {
            NetworkDiagnosis::Input input;
            input.target = url;
            input.error = reply->error();
            input.errorString = reply->errorString();
            input.proxy = proxy;
            input.settings = m_connection.get();
            input.sslErrors = *sslErrors;
            input.chain = *chain;
            HttpResponse diagnosed;
            NetworkDiagnosis::classify(input, &diagnosed);
            finish(Outcome::Failed, tr("no reply from %1: %2").arg(shortUrl(url), diagnosed.errorText));
            return;
        }
        const QByteArray body = reply->read(4 * 1024 * 1024);
        if (status == 200 && hasPasswordField(body)) {
            finish(Outcome::SignInPage, tr("a sign-in page with a password field at %1").arg(shortUrl(url)));
            return;
        }
        if (status >= 400) {
            finish(Outcome::NoSignInPage,
                   tr("the authorization URL answered HTTP %1 at %2: check client_id and that "
                      "http://127.0.0.1/callback is a registered redirect URI")
                       .arg(status)
                       .arg(shortUrl(url)));
            return;
        }
        finish(Outcome::NoSignInPage,
               tr("HTTP %1 at %2 has no form with a password field (a page drawn by JavaScript cannot be seen "
                  "by this check)")
                   .arg(status)
                   .arg(shortUrl(url)));
    });
}

void SignInPageProbe::finish(Outcome outcome, const QString& detail)
{
    if (m_done) {
        auto done = std::move(m_done);
        m_done = nullptr;
        done({outcome, detail});
    }
}

} // namespace keyway
