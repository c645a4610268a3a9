#include "core/checks/HealthResultStore.h"

#include "core/util/AppPaths.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace keyway {

HealthResultStore::HealthResultStore(const QString& filePath) : m_filePath(filePath) { }

QString HealthResultStore::defaultFilePath()
{
    return AppPaths::stateDirectory() + QStringLiteral("/health.json");
}

QMap<QString, HealthResult> HealthResultStore::load() const
{
    QMap<QString, HealthResult> results;
    QFile file(m_filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        return results;
    }
    const QByteArray data = file.readAll();
    const auto json = nlohmann::json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
    const auto list = json.is_object() ? json.find("results") : json.end();
    if (json.is_discarded() || !json.is_object() || list == json.end() || !list->is_array()) {
        return results; // a damaged file only costs the board its history
    }
    for (const nlohmann::json& entry : *list) {
        if (entry.is_object()) {
            const HealthResult result = HealthResult::fromJson(entry);
            if (!result.environmentId.isEmpty()) {
                results.insert(result.environmentId, result);
            }
        }
    }
    return results;
}

bool HealthResultStore::record(const QList<HealthResult>& results, const QStringList& keepIds, QString* error) const
{
    QMap<QString, HealthResult> all = load();
    for (const HealthResult& result : results) {
        all.insert(result.environmentId, result);
    }
    if (!keepIds.isEmpty()) {
        for (auto it = all.begin(); it != all.end();) {
            it = keepIds.contains(it.key()) ? std::next(it) : all.erase(it);
        }
    }
    return write(all, error);
}

bool HealthResultStore::forget(const QString& environmentId) const
{
    QMap<QString, HealthResult> all = load();
    if (all.remove(environmentId) == 0) {
        return true;
    }
    return write(all, nullptr);
}

bool HealthResultStore::write(const QMap<QString, HealthResult>& results, QString* error) const
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const HealthResult& result : results) {
        list.push_back(result.toJson());
    }
    const QByteArray data = QByteArray::fromStdString(nlohmann::ordered_json({{"results", list}}).dump(2)) + '\n';
    if (!makePrivateDirectory(QFileInfo(m_filePath).absolutePath())) {
        if (error) {
            *error = QStringLiteral("cannot create %1").arg(QFileInfo(m_filePath).absolutePath());
        }
        return false;
    }
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error) {
            *error = file.errorString();
        }
        return false;
    }
    makePrivateFile(m_filePath);
    return true;
}

} // namespace keyway
