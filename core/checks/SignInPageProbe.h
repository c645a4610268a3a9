#pragma once

#include <QObject>
#include <QUrl>
#include <memory>

#include <functional>

class QNetworkAccessManager;

namespace keyway {

class ConnectionSettings;

// Plays the first seconds of a browser on an authorization URL: follows redirects with cookies and
// tells whether a sign-in page (an HTML form with a password field) is reached, or whether the server
// sends the browser straight back to the redirect URI with a code (it ignored prompt=login).
// It never delivers anything to the redirect URI: the real browser does the sign-in afterwards.
class SignInPageProbe : public QObject
{
    Q_OBJECT
public:
    enum class Outcome { SignInPage, RedirectedBack, NoSignInPage, Failed };
    struct Result
    {
        Outcome outcome = Outcome::Failed;
        QString detail; // plain words, no secret (URLs are reduced to origin + path)
    };
    using Callback = std::function<void(const Result&)>;

    explicit SignInPageProbe(QObject* parent = nullptr);

    // The environment's CA file, client certificate and proxy (null: the system's defaults).
    void setConnection(std::shared_ptr<const ConnectionSettings> connection) { m_connection = std::move(connection); }

    void probe(const QUrl& authorizeUrl, const QUrl& redirectUri, Callback done);

    static bool hasPasswordField(const QByteArray& html);

private:
    void fetch(const QUrl& url, int hopsLeft);
    void finish(Outcome outcome, const QString& detail);

    QNetworkAccessManager* m_manager;
    QUrl m_redirectUri;
    std::shared_ptr<const ConnectionSettings> m_connection;
    Callback m_done;
};

} // namespace keyway
