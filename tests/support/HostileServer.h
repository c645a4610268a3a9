#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QUrl>

#include <memory>

class QTcpServer;
class QTcpSocket;

namespace keyway::test {

// A half-configured partner server in the test process: one misbehaviour per path, written on a raw
// socket so it can do what a well-behaved HTTP library never would (drip, lie about the length, reset
// mid-body, unpack to gigabytes). Every reply closes its connection, so each request is parsed alone.
//
// Token endpoints (POST, any body) under /token/:
//   ok                 a good token reply: access_token HostileServer::GoodToken, expires_in 3600
//   number object null empty bool missing   access_token of that shape (missing: no member at all)
//   expires/<shape>    a good token whose expires_in is missing, zero, negative, string, fraction, huge
//   html-200 html-502  an HTML error page with that status where JSON was expected
//   malformed array    broken JSON (complete, but unparsable) / a JSON array instead of an object
//   envelope-200       {"error":"invalid_client"} with HTTP 200
//   drip               Content-Length 4096, then one byte every 100 ms
//   huge               declares 10 GB and drips
//   flood              chunked, no length, 64 kB chunks as fast as the socket takes them (64 MB at most)
//   gzip-bomb          about 64 kB of gzip that inflate to 64 MB of zeros
//   reset              Content-Length 400, 40 bytes of a token reply, then a TCP reset
//   redirect-loop      302 to itself, forever
//   redirect-away      307 to the peer server's /peer/token (another origin)
//   redirect-downgrade 302 to http:// on the peer (only meaningful on the TLS server)
// The same misbehaviours under /api/ for API calls, plus:
//   ok                 200 {"ok":true} when the Bearer token is GoodToken, else 401
//   unauthorized       401 on every attempt
//   redirect-away      302 to the peer's /peer/api (credentials must not follow)
// Peer paths /peer/* answer 200 {"peer":true} and record what they received.
class HostileServer : public QObject
{
public:
    static constexpr const char* GoodToken = "hostile-good-token-4e1f0c";

    HostileServer();
    ~HostileServer() override;

    bool listen(); // plain HTTP on 127.0.0.1, ephemeral port
    // HTTPS with a fresh self-signed certificate for 127.0.0.1 (made with openssl in `workDir`).
    bool listenTls(const QString& workDir);
    QSslCertificate certificate() const { return m_certificate; }

    QUrl url(const QString& path = {}) const;
    // Where /redirect-away and /redirect-downgrade send the client.
    void setPeer(HostileServer* peer) { m_peer = peer; }

    // The raw request heads received, in order (to prove a header did or did not arrive).
    QList<QByteArray> requests() const { return m_requests; }
    int hits(const QString& path) const { return m_hits.value(path); }
    void clear();

private:
    void onConnection(QTcpSocket* socket);
    void handle(QTcpSocket* socket, const QByteArray& head, const QByteArray& path);
    void send(QTcpSocket* socket,
              int status,
              const QByteArray& body,
              const QByteArray& type = "application/json",
              const QList<QPair<QByteArray, QByteArray>>& extra = {});
    void drip(QTcpSocket* socket, qint64 declaredLength);
    void flood(QTcpSocket* socket);
    void resetMidBody(QTcpSocket* socket);
    void tokenReply(QTcpSocket* socket, const QByteArray& kind);

    std::unique_ptr<QTcpServer> m_server;
    QSslCertificate m_certificate;
    QSslKey m_key;
    bool m_tls = false;
    HostileServer* m_peer = nullptr;
    QList<QByteArray> m_requests;
    QHash<QString, int> m_hits;
};

} // namespace keyway::test
