#pragma once

#include "core/json/JsonIndex.h"
#include "core/json/ReplyEnvelope.h"

#include <QAbstractItemModel>
#include <QByteArray>

#include <memory>
#include <vector>

namespace keyway::ui {

// A lazy tree over a JSON document of any size. The document is never parsed as a whole: a worker thread
// indexes the root's children (byte ranges, via simdjson), and each object or array is indexed only when
// it is expanded (fetchMore). Arrays longer than GroupSize show "[0 … 999]" group rows so a million
// elements cost a thousand rows. Values are decoded only for the rows on screen.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role { PointerRole = Qt::UserRole + 1, IsContainerRole, IsJwtRole };
    static constexpr quint32 GroupSize = 1000;
    // Containers smaller than this are indexed right away on the UI thread (well under a millisecond).
    static constexpr quint32 SyncIndexBytes = 256 * 1024;

    explicit JsonTreeModel(QObject* parent = nullptr);
    ~JsonTreeModel() override;

    // Starts indexing `document` on a worker thread; loaded() or failed() follows (queued). The
    // envelope is judged there too, by `success` (the profile's apiSuccess) for HTTP `status`.
    void load(const QByteArray& document, int status = 200, const SuccessRule& success = {});
    void clear();

    bool isLoading() const { return m_loading; }
    bool isLoaded() const { return m_root != nullptr; }
    QString errorText() const { return m_error; }
    json::ReplyEnvelope envelope() const { return m_envelope; }
    bool isFetching(const QModelIndex& index) const;

    // RFC 6901 pointer of a value ("/data/0/bin"); empty for group rows.
    QString jsonPointer(const QModelIndex& index) const;
    // The whole value: a string decoded, anything else as its JSON text.
    QString valueText(const QModelIndex& index) const;
    // The top-level row (inside its group row for long arrays) whose text covers byte `offset` of the document.
    QModelIndex topLevelIndexAt(quint64 offset) const;
    // First top-level row whose key is `key` (tests, "jump to").
    QModelIndex findKey(const QString& key, const QModelIndex& parent = {}) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    void loaded();
    void failed(const QString& reason);
    void childrenFetched(const QModelIndex& parent);

private:
    struct Node;
    struct IndexJobResult;

    Node* nodeFor(const QModelIndex& index) const;
    Node* child(Node* parent, int row) const;
    QModelIndex indexFor(Node* node, int column = 0) const;
    void startJob(Node* target, quint64 offset, qint64 length, bool isRoot);
    void applyJob(quint64 generation, Node* target, bool isRoot, std::shared_ptr<IndexJobResult> result);
    void adoptChildren(Node* node, std::vector<json::JsonEntry> entries);
    QString keyText(const Node* node, int maxChars = 500) const;
    QString valuePreview(const Node* node, int maxChars) const;

    QByteArray m_document;
    std::unique_ptr<Node> m_root;
    quint64 m_generation = 0;
    bool m_loading = false;
    QString m_error;
    json::ReplyEnvelope m_envelope;
    SuccessRule m_success;
    int m_status = 200;
};

} // namespace keyway::ui
