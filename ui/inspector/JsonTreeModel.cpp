#include "ui/inspector/JsonTreeModel.h"

#include "core/json/JsonText.h"
#include "core/util/Jwt.h"

#include <QCoreApplication>
#include <QPointer>
#include <QRunnable>
#include <QThreadPool>

#include <algorithm>

namespace keyway::ui {

using json::JsonEntry;
using json::JsonType;

struct JsonTreeModel::Node
{
    enum class State { Unfetched, Fetching, Fetched, Failed };

    Node* parent = nullptr;
    int row = 0;
    JsonEntry entry;
    bool isGroup = false; // "[1000 … 1999]": a slice of the parent's entries
    bool isElement = false; // an array element: labelled by its index
    quint32 first = 0; // group: first entry in the parent; element: its index in the array
    quint32 count = 0; // group: how many entries
    State state = State::Unfetched;
    QString error;
    std::vector<JsonEntry> entries; // an object's or array's children, once indexed
    std::vector<std::unique_ptr<Node>> children; // created when a view first asks for the row

    bool isContainer() const { return !isGroup && (entry.type == JsonType::Object || entry.type == JsonType::Array); }
    bool isGrouped() const { return entries.size() > GroupSize; }
    int rows() const
    {
        if (isGroup) {
            return static_cast<int>(count);
        }
        if (state != State::Fetched) {
            return 0;
        }
        const size_t n = entries.size();
        return static_cast<int>(n <= GroupSize ? n : (n + GroupSize - 1) / GroupSize);
    }
};

struct JsonTreeModel::IndexJobResult
{
    json::JsonIndexResult index;
    json::ReplyEnvelope envelope;
};

JsonTreeModel::JsonTreeModel(QObject* parent) : QAbstractItemModel(parent) { }

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::load(const QByteArray& document, int status, const SuccessRule& success)
{
    m_status = status;
    m_success = success;
    beginResetModel();
    ++m_generation;
    m_root.reset();
    m_document = document;
    m_error.clear();
    m_envelope = {};
    m_loading = true;
    endResetModel();
    startJob(nullptr, 0, -1, true);
}

void JsonTreeModel::clear()
{
    beginResetModel();
    ++m_generation; // results of jobs still running are dropped when they arrive
    m_root.reset();
    m_document.clear();
    m_error.clear();
    m_envelope = {};
    m_loading = false;
    endResetModel();
}

void JsonTreeModel::startJob(Node* target, quint64 offset, qint64 length, bool isRoot)
{
    const QByteArray document = m_document; // shared, not copied
    const quint64 generation = m_generation;
    const SuccessRule success = m_success;
    const int status = m_status;
    const QPointer<JsonTreeModel> guard(this);
    QThreadPool::globalInstance()->start(QRunnable::create([=] {
        auto result = std::make_shared<IndexJobResult>();
        result->index = json::indexValue(document, offset, length);
        if (isRoot) {
            result->envelope = json::readEnvelope(success, status, document, result->index);
        }
        // Back on the UI thread; the guard is only dereferenced there.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, generation, target, isRoot, result] {
                if (guard) {
                    guard->applyJob(generation, target, isRoot, result);
                }
            },
            Qt::QueuedConnection);
    }));
}

void JsonTreeModel::applyJob(quint64 generation, Node* target, bool isRoot, std::shared_ptr<IndexJobResult> result)
{
    if (generation != m_generation) {
        return; // the model was cleared or reloaded meanwhile; `target` may be gone
    }
    json::JsonIndexResult& index = result->index;
    if (isRoot) {
        m_loading = false;
        if (!index.ok) {
            m_error = index.error;
            Q_EMIT failed(m_error);
            return;
        }
        auto root = std::make_unique<Node>();
        root->state = Node::State::Fetched;
        if (index.value.type == JsonType::Object || index.value.type == JsonType::Array) {
            root->entry = index.value;
            root->entries = std::move(index.children);
        } else {
            // A scalar document still gets one row, so the tree is never blank for valid JSON.
            root->entry.type = JsonType::Array;
            root->entries.push_back(index.value);
        }
        root->children.resize(static_cast<size_t>(root->rows()));
        m_envelope = result->envelope;
        beginResetModel();
        m_root = std::move(root);
        endResetModel();
        Q_EMIT loaded();
        return;
    }
    if (!index.ok) {
        target->state = Node::State::Failed;
        target->error = index.error;
        const QModelIndex changed = indexFor(target, ValueColumn);
        Q_EMIT dataChanged(changed, changed);
        return;
    }
    adoptChildren(target, std::move(index.children));
}

void JsonTreeModel::adoptChildren(Node* node, std::vector<JsonEntry> entries)
{
    const QModelIndex parentIndex = indexFor(node);
    Node probe;
    probe.entries = std::move(entries);
    probe.state = Node::State::Fetched;
    const int rows = probe.rows();
    if (rows > 0) {
        beginInsertRows(parentIndex, 0, rows - 1);
    }
    node->entries = std::move(probe.entries);
    node->state = Node::State::Fetched;
    node->children.resize(static_cast<size_t>(rows));
    if (rows > 0) {
        endInsertRows();
    }
    const QModelIndex changed = indexFor(node, ValueColumn);
    Q_EMIT dataChanged(changed, changed);
    Q_EMIT childrenFetched(parentIndex);
}

JsonTreeModel::Node* JsonTreeModel::nodeFor(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : m_root.get();
}

JsonTreeModel::Node* JsonTreeModel::child(Node* parent, int row) const
{
    auto& slot = parent->children[static_cast<size_t>(row)];
    if (slot) {
        return slot.get();
    }
    auto node = std::make_unique<Node>();
    node->parent = parent;
    node->row = row;
    const auto r = static_cast<quint32>(row);
    if (parent->isGroup) {
        const Node* container = parent->parent;
        node->first = parent->first + r;
        node->entry = container->entries[node->first];
        node->isElement = container->entry.type == JsonType::Array;
    } else if (parent->isGrouped()) {
        node->isGroup = true;
        node->first = r * GroupSize;
        node->count = std::min<quint32>(GroupSize, static_cast<quint32>(parent->entries.size()) - node->first);
    } else {
        node->first = r;
        node->entry = parent->entries[r];
        node->isElement = parent->entry.type == JsonType::Array;
    }
    if (node->isGroup) {
        node->children.resize(node->count);
    }
    slot = std::move(node);
    return slot.get();
}

QModelIndex JsonTreeModel::indexFor(Node* node, int column) const
{
    if (!node || node == m_root.get()) {
        return {};
    }
    return createIndex(node->row, column, node);
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    Node* parentNode = nodeFor(parent);
    if (!parentNode || row < 0 || column < 0 || column >= ColumnCount || row >= parentNode->rows()) {
        return {};
    }
    return createIndex(row, column, child(parentNode, row));
}

QModelIndex JsonTreeModel::parent(const QModelIndex& childIndex) const
{
    if (!childIndex.isValid()) {
        return {};
    }
    return indexFor(nodeFor(childIndex)->parent);
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0) {
        return 0;
    }
    const Node* node = nodeFor(parent);
    return node ? node->rows() : 0;
}

int JsonTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

bool JsonTreeModel::hasChildren(const QModelIndex& parent) const
{
    const Node* node = nodeFor(parent);
    if (!node || parent.column() > 0) {
        return false;
    }
    if (node == m_root.get() || node->isGroup) {
        return node->rows() > 0;
    }
    return node->isContainer() && node->entry.childCount > 0;
}

bool JsonTreeModel::canFetchMore(const QModelIndex& parent) const
{
    const Node* node = nodeFor(parent);
    return node && node != m_root.get() && node->isContainer() && node->state == Node::State::Unfetched
        && node->entry.childCount > 0;
}

void JsonTreeModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent)) {
        return;
    }
    Node* node = nodeFor(parent);
    if (node->entry.valueLength <= SyncIndexBytes) {
        json::JsonIndexResult result = json::indexValue(m_document, node->entry.valueOffset, node->entry.valueLength);
        if (!result.ok) {
            node->state = Node::State::Failed;
            node->error = result.error;
            const QModelIndex changed = indexFor(node, ValueColumn);
            Q_EMIT dataChanged(changed, changed);
            return;
        }
        adoptChildren(node, std::move(result.children));
        return;
    }
    node->state = Node::State::Fetching;
    const QModelIndex changed = indexFor(node, ValueColumn);
    Q_EMIT dataChanged(changed, changed);
    startJob(node, node->entry.valueOffset, node->entry.valueLength, false);
}

bool JsonTreeModel::isFetching(const QModelIndex& index) const
{
    const Node* node = nodeFor(index);
    return node && node->state == Node::State::Fetching;
}

QString JsonTreeModel::keyText(const Node* node, int maxChars) const
{
    if (node->isGroup) {
        return QStringLiteral("[%1 … %2]").arg(node->first).arg(node->first + node->count - 1);
    }
    if (node->isElement) {
        return QStringLiteral("[%1]").arg(node->first);
    }
    if (!node->entry.hasKey) {
        return tr("(value)");
    }
    bool truncated = false;
    QString key = json::unescapeString(
        m_document.constData() + node->entry.keyOffset, node->entry.keyLength, maxChars, &truncated);
    return truncated ? key + QStringLiteral("…") : key;
}

QString JsonTreeModel::valuePreview(const Node* node, int maxChars) const
{
    if (node->isGroup) {
        return node->count == 1 ? tr("1 item") : tr("%1 items").arg(node->count);
    }
    const JsonEntry& e = node->entry;
    const int count = static_cast<int>(e.childCount);
    switch (e.type) {
    case JsonType::Object:
    case JsonType::Array: {
        if (node->state == Node::State::Failed) {
            return tr("cannot read: %1").arg(node->error);
        }
        QString text;
        if (e.type == JsonType::Object) {
            text = count == 1 ? tr("{1 key}") : tr("{%1 keys}").arg(count);
        } else {
            text = count == 1 ? tr("[1 item]") : tr("[%1 items]").arg(count);
        }
        if (node->state == Node::State::Fetching) {
            text += QLatin1Char(' ') + tr("loading…");
        }
        return text;
    }
    case JsonType::String: {
        bool truncated = false;
        const char* raw = m_document.constData() + e.valueOffset + 1; // inside the quotes
        QString text = json::unescapeString(raw, std::max<qsizetype>(0, e.valueLength - 2), maxChars, &truncated);
        return truncated ? text + QStringLiteral("…") : text;
    }
    default: {
        const auto length = std::min<qsizetype>(e.valueLength, maxChars);
        return QString::fromUtf8(m_document.constData() + e.valueOffset, length);
    }
    }
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid()) {
        return {};
    }
    const Node* node = nodeFor(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn:
            return keyText(node);
        case ValueColumn: {
            QString preview = valuePreview(node, 300);
            preview.replace(QLatin1Char('\n'), QStringLiteral("↵"));
            return preview;
        }
        case TypeColumn:
            return node->isGroup ? tr("range") : json::typeName(node->entry.type);
        }
        return {};
    case Qt::ToolTipRole:
        return index.column() == KeyColumn ? keyText(node, 2000) : valuePreview(node, 2000);
    case PointerRole:
        return jsonPointer(index);
    case IsContainerRole:
        return node->isContainer() || node->isGroup;
    case IsJwtRole:
        return !node->isGroup && node->entry.type == JsonType::String && node->entry.valueLength < 64 * 1024
            && Jwt::looksLikeJwt(valuePreview(node, 64 * 1024));
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    }
    return {};
}

QString JsonTreeModel::jsonPointer(const QModelIndex& index) const
{
    const Node* node = nodeFor(index);
    if (!index.isValid() || !node || node->isGroup) {
        return {};
    }
    QStringList tokens;
    for (; node && node != m_root.get(); node = node->parent) {
        if (node->isGroup) {
            continue;
        }
        if (node->isElement) {
            tokens.prepend(QString::number(node->first));
        } else if (node->entry.hasKey) {
            tokens.prepend(json::pointerToken(keyText(node, -1)));
        }
    }
    return tokens.isEmpty() ? QString() : QLatin1Char('/') + tokens.join(QLatin1Char('/'));
}

QString JsonTreeModel::valueText(const QModelIndex& index) const
{
    const Node* node = nodeFor(index);
    if (!index.isValid() || !node || node->isGroup) {
        return {};
    }
    if (node->entry.type == JsonType::String) {
        return valuePreview(node, -1);
    }
    return QString::fromUtf8(m_document.constData() + node->entry.valueOffset, node->entry.valueLength);
}

QModelIndex JsonTreeModel::topLevelIndexAt(quint64 offset) const
{
    if (!m_root || m_root->entries.empty()) {
        return {};
    }
    const std::vector<JsonEntry>& entries = m_root->entries;
    const auto startOf = [](const JsonEntry& entry) { return entry.hasKey ? entry.keyOffset - 1 : entry.valueOffset; };
    const auto after
        = std::upper_bound(entries.begin(), entries.end(), offset, [&](quint64 value, const JsonEntry& entry) {
              return value < startOf(entry);
          });
    // Between two values (a comma), or before the first: the nearest row before it is still the place to look.
    const auto position = static_cast<quint32>(after == entries.begin() ? 0 : after - entries.begin() - 1);
    if (!m_root->isGrouped()) {
        return index(static_cast<int>(position), KeyColumn);
    }
    const QModelIndex group = index(static_cast<int>(position / GroupSize), KeyColumn);
    return index(static_cast<int>(position % GroupSize), KeyColumn, group);
}

QModelIndex JsonTreeModel::findKey(const QString& key, const QModelIndex& parent) const
{
    const int rows = rowCount(parent);
    for (int row = 0; row < rows; ++row) {
        const QModelIndex candidate = index(row, KeyColumn, parent);
        if (candidate.data().toString() == key) {
            return candidate;
        }
    }
    return {};
}

} // namespace keyway::ui
