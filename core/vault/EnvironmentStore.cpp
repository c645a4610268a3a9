#include "core/vault/EnvironmentStore.h"

#include "core/util/AppPaths.h"
#include "core/util/Clock.h"
#include "core/util/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStorageInfo>

#include <nlohmann/json.hpp>

#include <optional>

namespace keyway {

namespace {

constexpr int FormatVersion = 1;

std::string utf8(const QString& text)
{
    return text.toStdString();
}

QString fromJsonString(const nlohmann::json& value)
{
    return QString::fromStdString(value.get<std::string>());
}

} // namespace

nlohmann::ordered_json samplesToJson(const QList<EnvironmentSample>& samples)
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const EnvironmentSample& sample : samples) {
        list.push_back({{"name", utf8(sample.name)},
                        {"method", utf8(sample.method)},
                        {"path", utf8(sample.path)},
                        {"body", utf8(sample.body)}});
    }
    return list;
}

bool samplesFromJson(const nlohmann::json& json, QList<EnvironmentSample>* samples)
{
    if (!json.is_array()) {
        return false;
    }
    for (const nlohmann::json& entry : json) {
        if (!entry.is_object()) {
            return false;
        }
        EnvironmentSample sample;
        const struct
        {
            const char* name;
            QString* target;
        } fields[]
            = {{"name", &sample.name}, {"method", &sample.method}, {"path", &sample.path}, {"body", &sample.body}};
        for (const auto& field : fields) {
            const auto it = entry.find(field.name);
            if (it != entry.end()) {
                if (!it->is_string()) {
                    return false;
                }
                *field.target = QString::fromStdString(it->get<std::string>());
            }
        }
        if (sample.method.isEmpty() || sample.path.isEmpty()) {
            return false;
        }
        samples->append(sample);
    }
    return true;
}

namespace {

nlohmann::ordered_json toJson(const Environment& environment)
{
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    for (auto it = environment.values.cbegin(); it != environment.values.cend(); ++it) {
        values[utf8(it.key())] = utf8(it.value());
    }
    nlohmann::ordered_json object = {{"id", utf8(environment.id)},
                                     {"name", utf8(environment.name)},
                                     {"provider", utf8(environment.providerId)},
                                     {"baseUrl", utf8(environment.baseUrl)},
                                     {"values", values},
                                     {"created", utf8(environment.created.toUTC().toString(Qt::ISODate))}};
    if (!environment.samples.isEmpty()) {
        object["samples"] = samplesToJson(environment.samples);
    }
    if (!environment.storedSecrets.isEmpty()) {
        nlohmann::ordered_json names = nlohmann::ordered_json::array();
        for (const QString& key : environment.storedSecrets) {
            names.push_back(utf8(key));
        }
        object["storedSecrets"] = names;
    }
    return object;
}

// Returns the environment, or nullopt with `problem` set to what is wrong at `pointer`.
std::optional<Environment> fromJson(const nlohmann::json& object, const QString& pointer, QString* problem)
{
    if (!object.is_object()) {
        *problem = pointer + QStringLiteral(": ")
            + QCoreApplication::translate("keyway::EnvironmentStore", "expected an object");
        return std::nullopt;
    }
    Environment environment;
    const struct
    {
        const char* name;
        QString* target;
        bool required;
    } strings[] = {{"id", &environment.id, true},
                   {"name", &environment.name, true},
                   {"provider", &environment.providerId, true},
                   {"baseUrl", &environment.baseUrl, false}};
    for (const auto& field : strings) {
        const auto it = object.find(field.name);
        if (it == object.end() || !it->is_string() || (field.required && it->get<std::string>().empty())) {
            if (it == object.end() && !field.required) {
                continue;
            }
            *problem = pointer + QLatin1Char('/') + QLatin1String(field.name) + QStringLiteral(": ")
                + QCoreApplication::translate("keyway::EnvironmentStore", "expected a non-empty string");
            return std::nullopt;
        }
        *field.target = fromJsonString(*it);
    }
    if (const auto values = object.find("values"); values != object.end()) {
        if (!values->is_object()) {
            *problem = pointer + QStringLiteral("/values: ")
                + QCoreApplication::translate("keyway::EnvironmentStore", "expected an object of strings");
            return std::nullopt;
        }
        for (auto it = values->begin(); it != values->end(); ++it) {
            if (!it->is_string()) {
                *problem = pointer + QStringLiteral("/values/") + QString::fromStdString(it.key())
                    + QStringLiteral(": ")
                    + QCoreApplication::translate("keyway::EnvironmentStore", "expected a string");
                return std::nullopt;
            }
            environment.values.insert(QString::fromStdString(it.key()), fromJsonString(*it));
        }
    }
    if (const auto samples = object.find("samples"); samples != object.end()) {
        if (!samplesFromJson(*samples, &environment.samples)) {
            *problem = pointer + QStringLiteral("/samples: ")
                + QCoreApplication::translate("keyway::EnvironmentStore",
                                              "expected a list of {name, method, path, body} objects");
            return std::nullopt;
        }
    }
    if (const auto stored = object.find("storedSecrets"); stored != object.end()) {
        if (!stored->is_array()) {
            *problem = pointer + QStringLiteral("/storedSecrets: ")
                + QCoreApplication::translate("keyway::EnvironmentStore", "expected a list of strings");
            return std::nullopt;
        }
        for (const auto& key : *stored) {
            if (!key.is_string()) {
                *problem = pointer + QStringLiteral("/storedSecrets: ")
                    + QCoreApplication::translate("keyway::EnvironmentStore", "expected a list of strings");
                return std::nullopt;
            }
            environment.storedSecrets.append(fromJsonString(key));
        }
    }
    if (const auto created = object.find("created"); created != object.end() && created->is_string()) {
        environment.created = QDateTime::fromString(fromJsonString(*created), Qt::ISODate);
    }
    return environment;
}

} // namespace

EnvironmentStore::EnvironmentStore(const QString& filePath) : m_filePath(filePath) { }

QString EnvironmentStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/keyway/environments.json");
}

std::unique_ptr<QLockFile> EnvironmentStore::lock(int timeoutMs, QString* error) const
{
    const QString directory = QFileInfo(m_filePath).absolutePath();
    makePrivateDirectory(directory);
    auto lockFile = std::make_unique<QLockFile>(m_filePath + QStringLiteral(".lock"));
    if (!lockFile->tryLock(timeoutMs)) {
        // The lock file cannot even be created: nothing could be saved there either, and "another process"
        // would send the user waiting for one that does not exist.
        // A full disk fails the lock file the same way (its content does not fit), in a directory that is
        // writable: say what the user must do about that one.
        const QStorageInfo storage(directory);
        if (error && lockFile->error() != QLockFile::LockFailedError && QFileInfo(directory).isWritable()
            && storage.isValid() && storage.bytesAvailable() < 64 * 1024) {
            *error = QCoreApplication::translate("keyway::EnvironmentStore",
                                                 "Cannot write %1: the disk is full. Nothing was changed; free some "
                                                 "space and try again.")
                         .arg(m_filePath);
        } else if (error && lockFile->error() != QLockFile::LockFailedError) {
            *error = QCoreApplication::translate("keyway::EnvironmentStore",
                                                 "Cannot write in %1 (permission denied or a read-only file "
                                                 "system), so %2 cannot be saved. Make the directory writable "
                                                 "for your user; nothing was changed.")
                         .arg(directory, m_filePath);
        }
        return nullptr;
    }
    return lockFile;
}

bool EnvironmentStore::load(QString* error)
{
    m_environments.clear();
    m_movedAside.clear();
    QFile file(m_filePath);
    if (!file.exists()) {
        return true;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("keyway::EnvironmentStore", "Cannot read %1: %2")
                     .arg(m_filePath, file.errorString());
        return false;
    }
    const QByteArray data = file.readAll();
    file.close();

    QString problem;
    QList<Environment> loaded;
    const nlohmann::json document = nlohmann::json::parse(data.constBegin(), data.constEnd(), nullptr, false);
    if (document.is_discarded()) {
        problem = QCoreApplication::translate("keyway::EnvironmentStore", "not valid JSON (empty or cut off?)");
    } else if (!document.is_object() || !document.contains("environments") || !document["environments"].is_array()) {
        problem = QCoreApplication::translate("keyway::EnvironmentStore", "/environments: expected an array");
    } else if (!document.contains("version") || !document["version"].is_number_integer()
               || document["version"].get<int>() > FormatVersion) {
        problem
            = QCoreApplication::translate("keyway::EnvironmentStore", "/version: expected a format version up to %1")
                  .arg(FormatVersion);
    } else {
        const auto& list = document["environments"];
        for (size_t i = 0; i < list.size() && problem.isEmpty(); ++i) {
            const auto environment = fromJson(list[i], QStringLiteral("/environments/") + QString::number(i), &problem);
            if (environment) {
                for (const Environment& other : loaded) {
                    if (other.id == environment->id || other.name == environment->name) {
                        problem = QStringLiteral("/environments/") + QString::number(i) + QStringLiteral(": ")
                            + QCoreApplication::translate("keyway::EnvironmentStore", "duplicate environment '%1'")
                                  .arg(environment->name);
                    }
                }
                loaded.append(*environment);
            }
        }
    }
    if (problem.isEmpty()) {
        m_environments = loaded;
        return true;
    }

    // Keep the damaged file for the user to inspect or repair, under a name that never collides.
    const QString stamp = Clock::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString aside = m_filePath + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFile::exists(aside); ++n) {
        aside = m_filePath + QStringLiteral(".corrupt-") + stamp + QLatin1Char('-') + QString::number(n);
    }
    if (QFile::rename(m_filePath, aside)) {
        m_movedAside = aside;
        qCWarning(lcEnvironments) << "corrupt environments file moved to" << aside << ":" << problem;
        *error = QCoreApplication::translate("keyway::EnvironmentStore",
                                             "The environments file %1 is damaged (%2). It was moved to %3; "
                                             "Keyway starts with an empty list.")
                     .arg(m_filePath, problem, aside);
    } else {
        *error = QCoreApplication::translate("keyway::EnvironmentStore",
                                             "The environments file %1 is damaged (%2) and could not be moved aside.")
                     .arg(m_filePath, problem);
    }
    return false;
}

bool EnvironmentStore::save(QString* error) const
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Environment& environment : m_environments) {
        list.push_back(toJson(environment));
    }
    const nlohmann::ordered_json document = {{"version", FormatVersion}, {"environments", list}};
    const std::string text = document.dump(2) + '\n';

    if (!makePrivateDirectory(QFileInfo(m_filePath).absolutePath())) {
        *error = QCoreApplication::translate("keyway::EnvironmentStore", "Cannot create the directory of %1.")
                     .arg(m_filePath);
        return false;
    }
    QSaveFile file(m_filePath);
    // Unbuffered: a full disk or a file-size limit shows as a short write here. Buffered, Qt flushes at
    // commit(), may keep the part that fit and report success, and the next start finds a torn file.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        *error = QCoreApplication::translate("keyway::EnvironmentStore", "Cannot write %1: %2")
                     .arg(m_filePath, file.errorString());
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const qint64 size = static_cast<qint64>(text.size());
    if (file.write(text.data(), size) != size || file.size() != size) {
        const QString why = file.error() == QFileDevice::NoError ? QCoreApplication::translate(
                                "keyway::EnvironmentStore", "the disk is full or the file size limit was reached")
                                                                 : file.errorString();
        file.cancelWriting(); // the previous file stays as it was
        *error = QCoreApplication::translate("keyway::EnvironmentStore",
                                             "Cannot write %1: %2. The previous file was kept; free some space "
                                             "and try again.")
                     .arg(m_filePath, why);
        return false;
    }
    if (!file.commit()) {
        *error = QCoreApplication::translate("keyway::EnvironmentStore", "Cannot write %1: %2")
                     .arg(m_filePath, file.errorString());
        return false;
    }
    return true;
}

const Environment* EnvironmentStore::find(const QString& name) const
{
    for (const Environment& environment : m_environments) {
        if (environment.name == name) {
            return &environment;
        }
    }
    return nullptr;
}

const Environment* EnvironmentStore::findById(const QString& id) const
{
    for (const Environment& environment : m_environments) {
        if (environment.id == id) {
            return &environment;
        }
    }
    return nullptr;
}

QStringList EnvironmentStore::names() const
{
    QStringList result;
    for (const Environment& environment : m_environments) {
        result.append(environment.name);
    }
    return result;
}

bool EnvironmentStore::add(const Environment& environment, QString* error)
{
    if (environment.id.isEmpty() || environment.name.trimmed().isEmpty()) {
        *error = QCoreApplication::translate("keyway::EnvironmentStore", "An environment needs an id and a name.");
        return false;
    }
    if (find(environment.name)) {
        *error = QCoreApplication::translate("keyway::EnvironmentStore", "An environment named '%1' already exists.")
                     .arg(environment.name);
        return false;
    }
    if (findById(environment.id)) {
        *error = QCoreApplication::translate("keyway::EnvironmentStore", "An environment with id %1 already exists.")
                     .arg(environment.id);
        return false;
    }
    m_environments.append(environment);
    return true;
}

bool EnvironmentStore::update(const Environment& environment, QString* error)
{
    const Environment* sameName = find(environment.name);
    if (sameName && sameName->id != environment.id) {
        *error = QCoreApplication::translate("keyway::EnvironmentStore", "An environment named '%1' already exists.")
                     .arg(environment.name);
        return false;
    }
    for (Environment& existing : m_environments) {
        if (existing.id == environment.id) {
            existing = environment;
            return true;
        }
    }
    *error = QCoreApplication::translate("keyway::EnvironmentStore", "No environment with id %1.").arg(environment.id);
    return false;
}

bool EnvironmentStore::remove(const QString& id)
{
    for (qsizetype i = 0; i < m_environments.size(); ++i) {
        if (m_environments.at(i).id == id) {
            m_environments.removeAt(i);
            return true;
        }
    }
    return false;
}

} // namespace keyway
