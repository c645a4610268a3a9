#pragma once

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

class QTcpServer;

namespace keyway {

class LoopbackHttpServer;

// The loopback redirect target of a browser sign-in (RFC 8252 §7.3): a QHttpServer bound to 127.0.0.1 only,
// on an ephemeral port. It answers every request with a short HTML page in the user's language (never
// carrying a code or token): signed in, refused by the provider, a state that does not match, a wrong path
// (the flow keeps waiting), or "already finished". A pasted redirect URL goes through the same judgement
// (submit()), so the last-resort path checks the state exactly like the listener.
class LoopbackReceiver : public QObject
{
    Q_OBJECT
public:
    enum class Verdict {
        Accepted, // the state matched and the reply carries a code
        Refused, // the state matched and the reply carries error=... (the provider said no)
        StateMismatch, // a reply for another sign-in: its code is never used
        WrongPath, // not the callback (a favicon, a scanner): the flow keeps waiting
        NotARedirect, // a pasted URL without state and code: the flow keeps waiting
        AlreadyFinished // a second callback or a replayed code after the first one was taken
    };

    explicit LoopbackReceiver(QString path, QObject* parent = nullptr);
    ~LoopbackReceiver() override;

    bool listen(); // 127.0.0.1, port 0
    bool isListening() const;
    quint16 port() const;
    QString redirectUri() const; // http://127.0.0.1:<port><path>
    void setExpectedState(const QString& state) { m_expectedState = state; }

    // Judges a redirect URL pasted by the user (any host: only the parameters count) exactly as a browser
    // callback would be judged, emitting received() or stateMismatch() when it is one.
    Verdict submit(const QUrl& url);

    // Stops listening at once: later connections are refused.
    void close();
    // The sign-in is over: for `graceMs` the listener still answers with "already finished" (a reloaded tab,
    // a replayed redirect) instead of a connection error, then closes and deletes itself. It no longer needs
    // its parent for that, so it may outlive the flow that made it. 0 closes and deletes it at once.
    void retire(int graceMs);

Q_SIGNALS:
    // One callback whose state matched (params holds code or error, state, iss... as received).
    void received(const QMap<QString, QString>& params);
    // A callback whose state did not match (never carries the code further).
    void stateMismatch();

private:
    friend class LoopbackHttpServer;
    struct Answer
    {
        int status = 200;
        QString title;
        QString text;
    };
    Verdict judge(const QUrl& url, bool requirePath, QMap<QString, QString>& params) const;
    void deliver(Verdict verdict, const QMap<QString, QString>& params);
    Answer answerFor(Verdict verdict, const QMap<QString, QString>& params) const;
    // The HTTP face: judges a request, returns its page (and status) and delivers the verdict afterwards.
    QByteArray pageFor(const QUrl& url, int& status, Verdict& verdict, QMap<QString, QString>& params);

    QString m_path;
    QString m_expectedState;
    QTcpServer* m_tcp = nullptr;
    LoopbackHttpServer* m_http = nullptr;
    bool m_taken = false; // a callback (or a mismatch) was taken: everything after it is "already finished"
};

} // namespace keyway
