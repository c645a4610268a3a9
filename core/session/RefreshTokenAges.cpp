#include "core/session/RefreshTokenAges.h"

#include "core/util/AppPaths.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <nlohmann/json.hpp>

namespace keyway {

namespace {

nlohmann::json readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return nlohmann::json::object();
    }
    const QByteArray data = file.readAll();
    auto json = nlohmann::json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
    return json.is_object() ? json : nlohmann::json::object(); // a damaged file only costs the ages
}

bool writeAll(const QString& path, const nlohmann::json& json)
{
    if (!makePrivateDirectory(QFileInfo(path).absolutePath())) {
        return false;
    }
    const QByteArray data = QByteArray::fromStdString(json.dump(2)) + '\n';
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        return false;
    }
    AppPaths::makePrivateFile(path);
    return true;
}

} // namespace

RefreshTokenAges::RefreshTokenAges(const QString& filePath) : m_filePath(filePath) { }

QString RefreshTokenAges::defaultFilePath()
{
    return AppPaths::stateDirectory() + QStringLiteral("/refresh-tokens.json");
}

bool RefreshTokenAges::recordIssued(const QString& sessionKey, qint64 atMs) const
{
    if (sessionKey.isEmpty()) {
        return false;
    }
    nlohmann::json json = readAll(m_filePath);
    json[sessionKey.toStdString()] = atMs;
    return writeAll(m_filePath, json);
}

qint64 RefreshTokenAges::issuedAt(const QString& sessionKey) const
{
    const nlohmann::json json = readAll(m_filePath);
    const auto it = json.find(sessionKey.toStdString());
    return it != json.end() && it->is_number_integer() ? it->get<qint64>() : 0;
}

bool RefreshTokenAges::forget(const QString& sessionKey) const
{
    nlohmann::json json = readAll(m_filePath);
    if (json.erase(sessionKey.toStdString()) == 0) {
        return true;
    }
    return writeAll(m_filePath, json);
}

} // namespace keyway
