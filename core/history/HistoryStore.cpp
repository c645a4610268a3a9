#include "core/history/HistoryStore.h"

#include "core/util/AppPaths.h"
#include "core/util/Logging.h"
#include "core/util/Preferences.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace keyway {

namespace {

// Environment ids are UUIDs; anything else is made safe to use as a file name.
QString safeFileName(const QString& environmentId)
{
    QString name;
    for (const QChar c : environmentId) {
        name.append(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_') ? c : QLatin1Char('_'));
    }
    return name.isEmpty() ? QStringLiteral("_") : name;
}

QByteArray lineOf(const HistoryEntry& entry)
{
    return QByteArray::fromStdString(entry.toJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        + '\n';
}

bool endsMidLine(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() == 0) {
        return false;
    }
    file.seek(file.size() - 1);
    return file.read(1) != "\n";
}

} // namespace

HistoryStore::HistoryStore(const QString& directory, Limits limits) : m_directory(directory), m_limits(limits) { }

HistoryStore::Limits HistoryStore::configuredLimits()
{
    Limits limits;
    limits.maxEntries = Preferences::historyMaxEntries();
    limits.maxFileBytes = static_cast<qint64>(Preferences::historyMaxFileMegabytes()) * 1024 * 1024;
    return limits;
}

QString HistoryStore::defaultDirectory()
{
    const QString directory = AppPaths::stateDirectory() + QStringLiteral("/history");
    static const bool migrated = migrateDirectory(legacyDirectory(), directory);
    Q_UNUSED(migrated)
    return directory;
}

QString HistoryStore::legacyDirectory()
{
    return AppPaths::dataDirectory() + QStringLiteral("/history");
}

bool HistoryStore::migrateDirectory(const QString& from, const QString& to)
{
    QDir old(from);
    if (!old.exists()) {
        return true;
    }
    if (!makePrivateDirectory(to)) {
        qCWarning(lcEnvironments) << "history not migrated: cannot create" << to;
        return false;
    }
    bool complete = true;
    const QStringList files = old.entryList({QStringLiteral("*.jsonl")}, QDir::Files);
    for (const QString& name : files) {
        const QString target = to + QLatin1Char('/') + name;
        // A file already in the new place is newer than the old one: keep it, drop the old.
        if (QFileInfo::exists(target) ? !old.remove(name) : !QFile::rename(old.filePath(name), target)) {
            complete = false;
            continue;
        }
        makePrivateFile(target);
    }
    if (complete) {
        old.removeRecursively();
    }
    return complete;
}

QString HistoryStore::filePath(const QString& environmentId) const
{
    return m_directory + QLatin1Char('/') + safeFileName(environmentId) + QStringLiteral(".jsonl");
}

int HistoryStore::countLines(const QString& path) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return 0;
    }
    int lines = 0;
    while (!file.atEnd()) {
        lines += static_cast<int>(file.read(1 << 20).count('\n'));
    }
    return lines;
}

bool HistoryStore::append(const QString& environmentId, const HistoryEntry& entry, QString* error)
{
    if (!makePrivateDirectory(m_directory)) {
        if (error) {
            *error = tr("Cannot create the history directory %1.").arg(m_directory);
        }
        return false;
    }
    const QString path = filePath(environmentId);
    if (!m_lineCounts.contains(environmentId)) {
        m_lineCounts.insert(environmentId, countLines(path));
    }
    QFile file(path);
    // Unbuffered: a write that does not fit fails here, not silently in close().
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        if (error) {
            *error = tr("Cannot write the history file %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray line = lineOf(entry);
    if (endsMidLine(path)) {
        line.prepend('\n'); // a crash mid-write left a torn line: keep it from swallowing this one
    }
    if (file.write(line) != line.size()) {
        if (error) {
            *error = tr("Cannot write the history file %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    const qint64 size = file.size();
    file.close();
    const int lines = ++m_lineCounts[environmentId];
    if (lines > m_limits.maxEntries || size > m_limits.maxFileBytes) {
        return compact(environmentId, error);
    }
    return true;
}

bool HistoryStore::compact(const QString& environmentId, QString* error)
{
    QList<QByteArray> lines;
    {
        QFile file(filePath(environmentId));
        if (!file.open(QIODevice::ReadOnly)) {
            return true;
        }
        while (!file.atEnd()) {
            const QByteArray line = file.readLine();
            if (line.endsWith('\n')) {
                lines.append(line);
            }
        }
    }
    // Keep the newest entries within 90% of both bounds.
    const qint64 keepEntries = std::max<qint64>(1, m_limits.maxEntries * 9 / 10);
    const qint64 keepBytes = m_limits.maxFileBytes * 9 / 10;
    qint64 bytes = 0;
    qsizetype first = lines.size();
    while (first > 0 && lines.size() - first < keepEntries && bytes + lines[first - 1].size() <= keepBytes) {
        bytes += lines[first - 1].size();
        --first;
    }
    QSaveFile out(filePath(environmentId));
    // Unbuffered, so a full disk is a short write here and the old file stays (see EnvironmentStore::save).
    if (!out.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        if (error) {
            *error = tr("Cannot rewrite the history file: %1").arg(out.errorString());
        }
        return false;
    }
    QByteArray kept;
    for (qsizetype i = first; i < lines.size(); ++i) {
        kept += lines[i];
    }
    if (out.write(kept) != kept.size()) {
        out.cancelWriting();
        if (error) {
            *error = tr("Cannot rewrite the history file: %1").arg(out.errorString());
        }
        return false;
    }
    if (!out.commit()) {
        if (error) {
            *error = tr("Cannot rewrite the history file: %1").arg(out.errorString());
        }
        return false;
    }
    QFile::setPermissions(filePath(environmentId), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_lineCounts.insert(environmentId, static_cast<int>(lines.size() - first));
    qCDebug(lcHttp) << "history compacted, dropped" << first << "oldest entries";
    return true;
}

QList<HistoryEntry> HistoryStore::load(const QString& environmentId) const
{
    QList<HistoryEntry> entries;
    QFile file(filePath(environmentId));
    if (!file.open(QIODevice::ReadOnly)) {
        return entries;
    }
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty()) {
            continue;
        }
        const auto json = nlohmann::json::parse(line.constBegin(), line.constEnd(), nullptr, false);
        if (json.is_discarded()) {
            continue;
        }
        if (auto entry = HistoryEntry::fromJson(json)) {
            entries.append(std::move(*entry));
        }
    }
    return entries;
}

QList<HistoryEntry> HistoryStore::search(const QString& environmentId, const QString& query) const
{
    const QList<HistoryEntry> all = load(environmentId);
    QList<HistoryEntry> found;
    for (auto it = all.crbegin(); it != all.crend(); ++it) {
        if (it->matches(query)) {
            found.append(*it);
        }
    }
    return found;
}

bool HistoryStore::clear(const QString& environmentId)
{
    m_lineCounts.remove(environmentId);
    QFile file(filePath(environmentId));
    return !file.exists() || file.remove();
}

} // namespace keyway
