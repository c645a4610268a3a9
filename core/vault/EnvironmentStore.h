#pragma once

#include "core/vault/Environment.h"

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <memory>

class QLockFile;

namespace keyway {

// The samples of an environment as environments.json and bundles write them: [{name, method, path, body}].
nlohmann::ordered_json samplesToJson(const QList<EnvironmentSample>& samples);
// False when `json` is not such a list (a method and a path are required).
bool samplesFromJson(const nlohmann::json& json, QList<EnvironmentSample>* samples);

// The environment list and non-secret values, in <XDG config>/keyway/environments.json.
// Written atomically (QSaveFile). A corrupt or half-written file is never silently replaced:
// load() moves it aside to environments.json.corrupt-<UTC timestamp> and reports where.
class EnvironmentStore
{
public:
    explicit EnvironmentStore(const QString& filePath = defaultFilePath());

    // <GenericConfigLocation>/keyway/environments.json
    static QString defaultFilePath();
    QString filePath() const { return m_filePath; }

    // A missing file is an empty list (true). An unreadable or corrupt file yields false, an empty
    // list, and an error naming the problem and (if it was corrupt) where the file was moved.
    bool load(QString* error);
    bool save(QString* error) const;
    // Where load() last moved a corrupt file; empty if it did not.
    QString movedAsidePath() const { return m_movedAside; }

    // Serialises load-modify-save across processes (CLI and GUI). Null if the lock could not be
    // taken within `timeoutMs`; `error` then says why when it is not another process holding it (a
    // directory this user may not write in).
    std::unique_ptr<QLockFile> lock(int timeoutMs = 10000, QString* error = nullptr) const;

    const QList<Environment>& environments() const { return m_environments; }
    const Environment* find(const QString& name) const;
    const Environment* findById(const QString& id) const;
    QStringList names() const;

    // False (with an error) if the name is empty or taken, or the id is empty or taken.
    bool add(const Environment& environment, QString* error);
    // Replaces the environment with the same id. False if there is none or the new name is taken.
    bool update(const Environment& environment, QString* error);
    // False if there is no environment with this id.
    bool remove(const QString& id);

private:
    QString m_filePath;
    QList<Environment> m_environments;
    QString m_movedAside;
};

} // namespace keyway
