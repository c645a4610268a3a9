#include "core/util/Preferences.h"

#include "core/util/AppPaths.h"

#include <QSettings>

#include <algorithm>

namespace keyway {

QString Preferences::clipboardClearSecondsKey()
{
    return QStringLiteral("ui/clipboardClearSeconds");
}
QString Preferences::historyMaxEntriesKey()
{
    return QStringLiteral("history/maxEntries");
}
QString Preferences::historyMaxFileMegabytesKey()
{
    return QStringLiteral("history/maxFileMegabytes");
}
QString Preferences::requestTimeoutSecondsKey()
{
    return QStringLiteral("network/timeoutSeconds");
}
QString Preferences::startSandboxKey()
{
    return QStringLiteral("sandbox/startEmbedded");
}
QString Preferences::sandboxPortKey()
{
    return QStringLiteral("sandbox/port");
}
QString Preferences::languageKey()
{
    return QStringLiteral("ui/language");
}
QString Preferences::timelineWarningSecondsKey()
{
    return QStringLiteral("timeline/warningSeconds");
}

int Preferences::boundedInt(const QString& key, int fallback, int min, int max)
{
    bool ok = false;
    const int value = QSettings().value(key, fallback).toInt(&ok);
    return ok ? std::clamp(value, min, max) : fallback;
}

void Preferences::setValue(const QString& key, const QVariant& value)
{
    QSettings settings;
    settings.setValue(key, value);
    settings.sync();
    // QSettings rewrites the file through a temporary one that keeps the old file's mode; a file
    // created before Keyway restricted its modes is fixed here.
    makePrivateFile(settings.fileName());
}

int Preferences::clipboardClearSeconds()
{
    return boundedInt(
        clipboardClearSecondsKey(), DefaultClipboardClearSeconds, MinClipboardClearSeconds, MaxClipboardClearSeconds);
}

void Preferences::setClipboardClearSeconds(int seconds)
{
    setValue(clipboardClearSecondsKey(), std::clamp(seconds, MinClipboardClearSeconds, MaxClipboardClearSeconds));
}

int Preferences::historyMaxEntries()
{
    return boundedInt(historyMaxEntriesKey(), DefaultHistoryMaxEntries, MinHistoryMaxEntries, MaxHistoryMaxEntries);
}

void Preferences::setHistoryMaxEntries(int entries)
{
    setValue(historyMaxEntriesKey(), std::clamp(entries, MinHistoryMaxEntries, MaxHistoryMaxEntries));
}

int Preferences::historyMaxFileMegabytes()
{
    return boundedInt(historyMaxFileMegabytesKey(),
                      DefaultHistoryMaxFileMegabytes,
                      MinHistoryMaxFileMegabytes,
                      MaxHistoryMaxFileMegabytes);
}

void Preferences::setHistoryMaxFileMegabytes(int megabytes)
{
    setValue(historyMaxFileMegabytesKey(),
             std::clamp(megabytes, MinHistoryMaxFileMegabytes, MaxHistoryMaxFileMegabytes));
}

int Preferences::requestTimeoutSeconds()
{
    return boundedInt(
        requestTimeoutSecondsKey(), DefaultRequestTimeoutSeconds, MinRequestTimeoutSeconds, MaxRequestTimeoutSeconds);
}

void Preferences::setRequestTimeoutSeconds(int seconds)
{
    setValue(requestTimeoutSecondsKey(), std::clamp(seconds, MinRequestTimeoutSeconds, MaxRequestTimeoutSeconds));
}

bool Preferences::startSandbox()
{
    return QSettings().value(startSandboxKey(), true).toBool();
}

void Preferences::setStartSandbox(bool start)
{
    setValue(startSandboxKey(), start);
}

QString Preferences::sandboxHttpsKey()
{
    return QStringLiteral("sandbox/https");
}

bool Preferences::sandboxHttps()
{
    return QSettings().value(sandboxHttpsKey(), false).toBool();
}

void Preferences::setSandboxHttps(bool https)
{
    setValue(sandboxHttpsKey(), https);
}

int Preferences::sandboxPort()
{
    return boundedInt(sandboxPortKey(), DefaultSandboxPort, 1024, 65535);
}

QString Preferences::language()
{
    return QSettings().value(languageKey()).toString();
}

void Preferences::setLanguage(const QString& language)
{
    setValue(languageKey(), language);
}

int Preferences::timelineWarningSeconds()
{
    return boundedInt(timelineWarningSecondsKey(),
                      DefaultTimelineWarningSeconds,
                      MinTimelineWarningSeconds,
                      MaxTimelineWarningSeconds);
}

void Preferences::setTimelineWarningSeconds(int seconds)
{
    setValue(timelineWarningSecondsKey(), std::clamp(seconds, MinTimelineWarningSeconds, MaxTimelineWarningSeconds));
}

} // namespace keyway
