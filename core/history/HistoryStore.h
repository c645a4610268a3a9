#pragma once

#include "core/history/HistoryEntry.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

namespace keyway {

// How much history an environment keeps (see HistoryStore).
struct HistoryLimits
{
    int maxEntries = 500;
    qint64 maxFileBytes = 20LL * 1024 * 1024;
    qint64 maxBodyBytes = 256LL * 1024;
};

// Request history per environment, as JSON Lines in <XDG state>/keyway/history/<environment id>.jsonl
// (one redacted HistoryEntry per line, oldest first). Bounded: when a file grows past maxEntries or
// maxFileBytes the oldest entries are dropped (down to 90% of the bound, so that appends at the limit
// do not rewrite the file every time). Bodies above maxBodyBytes are stored truncated, with a flag.
class HistoryStore
{
    Q_DECLARE_TR_FUNCTIONS(keyway::HistoryStore)

public:
    using Limits = HistoryLimits;

    explicit HistoryStore(const QString& directory = defaultDirectory(), Limits limits = configuredLimits());

    // The limits in the user's preferences (entries and file size; the body cap is fixed).
    static Limits configuredLimits();
    // <XDG state>/keyway/history. The first call in a process moves history left in the old place,
    // <GenericDataLocation>/keyway/history, over to it.
    static QString defaultDirectory();
    static QString legacyDirectory();
    // Moves the *.jsonl files of `from` into `to` (files already in `to` win) and removes `from`.
    static bool migrateDirectory(const QString& from, const QString& to);
    QString directory() const { return m_directory; }
    QString filePath(const QString& environmentId) const;
    const Limits& limits() const { return m_limits; }

    bool append(const QString& environmentId, const HistoryEntry& entry, QString* error = nullptr);
    // Oldest first. Lines that cannot be read (a crash mid-write) are skipped.
    QList<HistoryEntry> load(const QString& environmentId) const;
    // Newest first, every word of `query` matching (see HistoryEntry::matches).
    QList<HistoryEntry> search(const QString& environmentId, const QString& query) const;
    // Forgets an environment's history (when the environment is removed). A missing file is fine.
    bool clear(const QString& environmentId);

private:
    int countLines(const QString& path) const;
    bool compact(const QString& environmentId, QString* error);

    QString m_directory;
    Limits m_limits;
    QHash<QString, int> m_lineCounts; // per environment, once counted
};

} // namespace keyway
