#pragma once

#include <QString>
#include <QVariant>

namespace keyway {

// The user's preferences, in QSettings (<XDG config>/keyway/keyway.conf). This class owns every key
// and default so that the GUI, the CLI and core read a preference the same way; nothing else names
// these keys. Getters clamp out-of-range values to the nearest allowed one.
class Preferences
{
public:
    // Keys, for tests and for the Preferences dialog's object names.
    static QString clipboardClearSecondsKey(); // "ui/clipboardClearSeconds"
    static QString historyMaxEntriesKey(); // "history/maxEntries"
    static QString historyMaxFileMegabytesKey(); // "history/maxFileMegabytes"
    static QString requestTimeoutSecondsKey(); // "network/timeoutSeconds"
    static QString startSandboxKey(); // "sandbox/startEmbedded"
    static QString sandboxPortKey(); // "sandbox/port"
    static QString sandboxHttpsKey(); // "sandbox/https"
    static QString languageKey(); // "ui/language"
    static QString timelineWarningSecondsKey(); // "timeline/warningSeconds"

    static constexpr int DefaultClipboardClearSeconds = 30;
    static constexpr int MinClipboardClearSeconds = 5;
    static constexpr int MaxClipboardClearSeconds = 600;
    static constexpr int DefaultHistoryMaxEntries = 500;
    static constexpr int MinHistoryMaxEntries = 10;
    static constexpr int MaxHistoryMaxEntries = 100000;
    static constexpr int DefaultHistoryMaxFileMegabytes = 20;
    static constexpr int MinHistoryMaxFileMegabytes = 1;
    static constexpr int MaxHistoryMaxFileMegabytes = 1024;
    static constexpr int DefaultRequestTimeoutSeconds = 30;
    static constexpr int MinRequestTimeoutSeconds = 5;
    static constexpr int MaxRequestTimeoutSeconds = 3600;
    static constexpr int DefaultSandboxPort = 47800;
    static constexpr int DefaultTimelineWarningSeconds = 60;
    static constexpr int MinTimelineWarningSeconds = 0;
    static constexpr int MaxTimelineWarningSeconds = 86400;

    static int clipboardClearSeconds();
    static void setClipboardClearSeconds(int seconds);
    static int historyMaxEntries();
    static void setHistoryMaxEntries(int entries);
    static int historyMaxFileMegabytes();
    static void setHistoryMaxFileMegabytes(int megabytes);
    static int requestTimeoutSeconds();
    static void setRequestTimeoutSeconds(int seconds);
    static bool startSandbox();
    static void setStartSandbox(bool start);
    // The port the embedded sandbox tries first (the next free one is taken when it is busy), so the
    // demo environments keep their base URL across restarts.
    static int sandboxPort();
    // The embedded sandbox serves HTTPS with a CA made at start, and its environments trust that CA.
    static bool sandboxHttps();
    static void setSandboxHttps(bool https);
    // "" = the system's language, otherwise a language code such as "en" or "de".
    static QString language();
    static void setLanguage(const QString& language);
    static int timelineWarningSeconds();
    static void setTimelineWarningSeconds(int seconds);

private:
    static int boundedInt(const QString& key, int fallback, int min, int max);
    static void setValue(const QString& key, const QVariant& value);
};

} // namespace keyway
