#pragma once

#include "core/history/HistoryEntry.h"
#include "core/http/RequestExecutor.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace keyway {

class HistoryStore;

// Turns one Session::call into a redacted HistoryEntry and appends it to the store. It reads the
// headers as actually sent from the session's own (already redacted) request event, and runs
// everything else through the session's Redactor, which by then knows the credentials and tokens.
class HistoryRecorder : public QObject
{
    Q_OBJECT
public:
    HistoryRecorder(
        Session* session, HistoryStore* store, QString environmentId, QString baseUrl, QObject* parent = nullptr);

    // The request itself goes through `executor` (the caller's, so it can abort it alone); renewals through
    // the session's own.
    void setExecutor(RequestExecutor* executor) { m_executor = executor; }

    // Session::call, recorded. `done` receives the result and the entry that was stored.
    void call(const ApiRequest& request, std::function<void(const ApiResult&, const HistoryEntry&)> done);

    // Builds the entry without storing it (pure; also used by tests).
    static HistoryEntry makeEntry(const ApiRequest& request,
                                  const ApiResult& result,
                                  const TextHeaders& sentHeaders,
                                  const Redactor& redactor,
                                  const ProviderProfile& profile,
                                  const QString& baseUrl,
                                  qint64 sentAtMs,
                                  qint64 maxBodyBytes);

private:
    QPointer<Session> m_session;
    QPointer<RequestExecutor> m_executor;
    HistoryStore* m_store;
    QString m_environmentId;
    QString m_baseUrl;
};

} // namespace keyway
