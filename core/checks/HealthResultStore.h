#pragma once

#include "core/checks/HealthCheck.h"

#include <QMap>
#include <QString>

namespace keyway {

// The last check of every environment, kept in <XDG state>/keyway/health.json (0600) so the health board
// shows yesterday's state on start. Results hold no secret: details and hints come redacted from the engine.
class HealthResultStore
{
public:
    explicit HealthResultStore(const QString& filePath = defaultFilePath());

    static QString defaultFilePath();
    QString filePath() const { return m_filePath; }

    // Results by environment id; a missing or unreadable file is an empty map.
    QMap<QString, HealthResult> load() const;
    // Merges `results` into the file (re-read first, so the CLI and the window do not undo each other) and
    // drops environments no longer in `keepIds` when it is not empty.
    bool record(const QList<HealthResult>& results, const QStringList& keepIds = {}, QString* error = nullptr) const;
    bool forget(const QString& environmentId) const;

private:
    bool write(const QMap<QString, HealthResult>& results, QString* error) const;

    QString m_filePath;
};

} // namespace keyway
