#include "core/util/AppPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <sys/stat.h>

#ifndef KEYWAY_VERSION
#define KEYWAY_VERSION "0.0.0"
#endif

namespace keyway::AppPaths {

namespace {

constexpr QFileDevice::Permissions PrivateFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions PrivateDirectory
    = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;

void tightenTree(const QString& root)
{
    if (!QFileInfo(root).isDir()) {
        return;
    }
    QFile::setPermissions(root, PrivateDirectory);
    QDirIterator it(
        root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        if (info.isSymLink()) {
            continue; // never follow a link out of Keyway's own directories
        }
        QFile::setPermissions(info.filePath(), info.isDir() ? PrivateDirectory : PrivateFile);
    }
}

} // namespace

void setApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("keyway"));
    QCoreApplication::setApplicationName(QStringLiteral("keyway"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KEYWAY_VERSION));
}

void restrictFileModes()
{
    ::umask(S_IRWXG | S_IRWXO);
    tightenTree(configDirectory());
    tightenTree(dataDirectory());
    tightenTree(stateDirectory());
}

QString stateDirectory()
{
    QString base = QString::fromLocal8Bit(qgetenv("XDG_STATE_HOME"));
    if (base.isEmpty() || QDir::isRelativePath(base)) {
        base = QDir::homePath() + QStringLiteral("/.local/state");
    }
    return base + QStringLiteral("/keyway");
}

QString configDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/keyway");
}

QString dataDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/keyway");
}

bool makePrivateDirectory(const QString& path)
{
    if (!QDir().mkpath(path)) {
        return false;
    }
    QFile::setPermissions(path, PrivateDirectory);
    return true;
}

void makePrivateFile(const QString& path)
{
    if (QFileInfo::exists(path)) {
        QFile::setPermissions(path, PrivateFile);
    }
}

} // namespace keyway::AppPaths
