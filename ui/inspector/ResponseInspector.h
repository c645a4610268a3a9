#pragma once

#include "core/http/ConnectionSettings.h"
#include "core/profile/ProviderProfile.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;
class QTableWidget;
class QToolButton;
class QTreeView;

namespace keyway::ui {

class ChunkedTextLoader;
class JsonTreeModel;
class JwtView;

// What the inspector shows. Headers arrive already redacted: redaction is the caller's job.
struct ReplyView
{
    int status = 0;
    QString reason;
    qint64 elapsedMs = -1;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString hint; // e.g. the profile's explanation of an error code; shown under the summary
    SuccessRule success; // the profile's apiSuccess: how the envelope summary judges the body
};

// Status, timing, size, headers and the body as a lazy JSON tree, pretty text and raw text, with search
// and a JWT decoder. Everything proportional to the body's size runs on worker threads or in slices, so a
// 100 MB reply never blocks the UI thread. Bodies are never logged.
class ResponseInspector : public QWidget
{
    Q_OBJECT
public:
    enum Tab { TreeTab, PrettyTab, RawTab, HeadersTab, JwtTab };
    // Text views show at most this much of a body (tree and search over the tree have no limit).
    static constexpr qsizetype TextViewCapBytes = 4 * 1024 * 1024;
    // Lines longer than this are broken for display: one multi-megabyte line would freeze any text layout.
    static constexpr qsizetype DisplayLineChars = 4096;

    explicit ResponseInspector(QWidget* parent = nullptr);
    ~ResponseInspector() override;

    void showReply(const ReplyView& reply);
    void clear();

    JsonTreeModel* treeModel() const { return m_model; }
    QTreeView* treeView() const { return m_tree; }
    bool isLoading() const;
    QString statusText() const; // "200 OK · 84 ms · 1.2 MB"
    QString envelopeText() const; // envelope summary, empty when none
    QString bodyNote() const; // "not JSON" / "showing the first 4 MB" notes

    // Decodes `token` into the JWT tab and shows it; false when it is not a JWT.
    bool decodeJwt(const QString& token);
    // The current environment's JWKS (explicit jwks_uri or discovered from its issuer; "" = none) and the
    // connection settings to fetch it with.
    void setJwks(const QString& jwksUri, ConnectionPtr connection);
    // Search in the current text view (the pretty view when the tree is showing).
    void showSearch();
    bool findNext(const QString& text = {});
    bool findPrevious(const QString& text = {});
    // Counts `text` in the whole body on a worker (the text views hold only the first megabytes), with
    // progress in the find bar and a Cancel button; the tree then selects the row holding the first match.
    // Started by find when the body is larger than the text views show.
    void searchWholeReply(const QString& text);
    void cancelSearch();
    bool isSearching() const { return m_searching; }
    QString searchStatusText() const;

Q_SIGNALS:
    // The body has been classified: the tree shows its top level, or the not-JSON note is up.
    void replyShown();
    void searchProgress(int percent);
    // A whole-reply search ended: finished, cancelled or replaced by a new reply.
    void searchFinished();

private:
    struct TextJobResult;
    void onSearchProgress(quint64 searchId, int percent);
    void onSearchDone(quint64 searchId, qint64 matches, qint64 firstOffset, const QString& pointer, bool cancelled);
    bool stopSearch(); // true when a search was running
    void buildUi();
    void startTextJob();
    void applyTextJob(quint64 generation, std::shared_ptr<TextJobResult> result);
    void onTreeLoaded();
    void onTreeFailed(const QString& reason);
    void onTabChanged(int index);
    void fillTextTab(int index);
    void updateJwtCandidate();
    void showTreeMenu(const QPoint& pos);
    QPlainTextEdit* currentTextView();
    bool find(const QString& text, bool backward);
    void setNote(const QString& text);

    QLabel* m_status = nullptr;
    QLabel* m_envelope = nullptr;
    QLabel* m_hint = nullptr;
    QLabel* m_note = nullptr;
    QToolButton* m_decodeJwt = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTreeView* m_tree = nullptr;
    JsonTreeModel* m_model = nullptr;
    QPlainTextEdit* m_pretty = nullptr;
    QPlainTextEdit* m_raw = nullptr;
    ChunkedTextLoader* m_prettyLoader = nullptr;
    ChunkedTextLoader* m_rawLoader = nullptr;
    QTableWidget* m_headers = nullptr;
    JwtView* m_jwt = nullptr;
    QWidget* m_searchBar = nullptr;
    QLineEdit* m_searchField = nullptr;
    QLabel* m_searchStatus = nullptr;
    QToolButton* m_searchCancel = nullptr;

    ReplyView m_reply;
    quint64 m_generation = 0;
    bool m_textReady = false;
    bool m_prettyFilled = false;
    bool m_rawFilled = false;
    QString m_prettyText;
    QString m_rawText;
    QString m_textNote;
    QString m_jwtCandidate;
    std::shared_ptr<std::atomic<bool>> m_searchStop;
    quint64 m_searchId = 0;
    bool m_searching = false;
    QString m_wholeSearchNeedle;
};

} // namespace keyway::ui
