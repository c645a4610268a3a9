#pragma once

#include "core/flow/FlowEngine.h"
#include "core/history/HistoryEntry.h"
#include "core/profile/ProviderProfile.h"
#include "core/session/Session.h"
#include "core/session/SessionRegistry.h"
#include "core/vault/Environment.h"

#include <QMap>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QToolButton;
class QWidget;

namespace keyway {
class RequestExecutor;
class HistoryRecorder;
class HistoryStore;
} // namespace keyway

namespace keyway::ui {

class SignInWait;

class KeyValueTable;
class ResponseInspector;

// Composes and sends one authenticated request for the selected environment: method, path relative
// to the base URL (the resolved URL shown), query parameters, headers, body; the profile's sample
// requests with {{placeholders}} filled from the environment's non-secret values; the token header
// shown masked and read-only (Keyway adds it at send); the Idempotency-Key shown and regenerable where
// the profile needs one. Ctrl+Enter sends, Esc cancels. Replies go to the ResponseInspector (with the
// profile's hint on failures) and every exchange is recorded, redacted, in the HistoryStore.
// "Copy as curl" is redacted; "Copy as curl with secrets" asks first and self-clears the clipboard.
class RequestComposer : public QWidget
{
    Q_OBJECT
public:
    explicit RequestComposer(QWidget* parent = nullptr);
    ~RequestComposer() override;

    // nullptr profile clears the composer. Requests go through the environment's shared session in
    // `sessions` (the one the walkthrough and the timeline see), for `credentialSet` ("" = the default).
    void setEnvironment(const ProviderProfile* profile,
                        const Environment& environment,
                        const QString& credentialSet,
                        SessionRegistry* sessions);
    void setHistoryStore(HistoryStore* store) { m_history = store; }
    void setInspector(ResponseInspector* inspector);

    QStringList sampleNames() const;
    void applySample(int index);
    void loadRequest(const ApiRequest& request);
    // What Send sends, before Keyway adds the token (user headers plus the Idempotency-Key).
    ApiRequest currentRequest() const;
    QString resolvedUrl() const;
    QString idempotencyKey() const; // empty when the endpoint needs none
    // The request as a curl command: the token and secrets as placeholders unless `reveal` (then the
    // current token, if one was obtained).
    QString curlCommand(bool reveal) const;

    bool isSending() const { return m_sending; }
    QString statusText() const;
    // Shown under the body when a GET or HEAD carries one (most servers ignore it).
    QString bodyWarningText() const;
    // The {{placeholders}} still in the request: nothing was known to fill them.
    QStringList unfilledPlaceholders() const;
    // True after a reply the provider replayed for an Idempotency-Key it had seen: the "New key" action shows.
    bool lastReplyWasReplayed() const { return m_replayed; }
    Session* session() const { return m_session.data(); }
    const Environment& environment() const { return m_environment; }
    const ProviderProfile* profile() const { return m_profile; }
    const QString& credentialSet() const { return m_credentialSet; }
    SessionRegistry* sessions() const { return m_sessions; }

public Q_SLOTS:
    void send();
    void cancel();
    void regenerateIdempotencyKey();
    void copyAsCurl();
    void copyAsCurlWithSecrets();

Q_SIGNALS:
    void sendingChanged(bool sending);
    void finished(bool ok);
    void recorded(); // a history entry was appended

private:
    void buildUi();
    void withSession(std::function<void(const QString& error)> next);
    void onResult(const ApiResult& result);
    void setSending(bool sending);
    void setStatus(const QString& text);
    void updateDerived();
    QString pathWithQuery() const;
    QString fillPlaceholders(const QString& text) const;
    HttpRequest curlRequest(const QString& tokenValue) const;

    // What the user typed for one environment, kept while they look at another.
    struct Draft
    {
        ApiRequest request;
        QString idempotencyKey;
        int sample = 0;
    };
    void loadCheckRequest();
    const ProviderProfile* m_profile = nullptr;
    Environment m_environment;
    QString m_credentialSet;
    QPointer<SessionRegistry> m_sessions;
    HistoryStore* m_history = nullptr;
    QPointer<ResponseInspector> m_inspector;
    RequestExecutor* m_executor; // the composer's own, so Cancel aborts only its requests
    QPointer<Session> m_session; // shared, owned by m_sessions
    std::unique_ptr<HistoryRecorder> m_recorder;
    QByteArray m_idempotencyHeader;
    QString m_idempotencyKey;
    bool m_sending = false;
    quint64 m_generation = 0; // results of a cancelled send carry an older generation
    QMap<QString, Draft> m_drafts; // by environment id
    bool m_replayed = false;
    QMetaObject::Connection m_sessionEvents;
    bool m_tokenRefused = false; // during this send: the provider refused the token on the call
    bool m_tokenFetched = false; // during this send: a new access token was fetched
    FlowEvent m_lastTokenReply; // the token endpoint's last reply (redacted), shown when a renewal fails

    QComboBox* m_samples = nullptr;
    QComboBox* m_method = nullptr;
    QLineEdit* m_path = nullptr;
    QLabel* m_resolved = nullptr;
    KeyValueTable* m_params = nullptr;
    KeyValueTable* m_headers = nullptr;
    QWidget* m_idempotencyRow = nullptr;
    QLabel* m_idempotencyLabel = nullptr;
    QLineEdit* m_idempotencyField = nullptr;
    QPlainTextEdit* m_body = nullptr;
    QPushButton* m_send = nullptr;
    QPushButton* m_cancel = nullptr;
    QToolButton* m_curl = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    SignInWait* m_signInWait = nullptr; // a browser sign-in of the shared session, whichever tab started it
    QLabel* m_bodyWarning = nullptr;
    QPushButton* m_newKey = nullptr;
};

} // namespace keyway::ui
