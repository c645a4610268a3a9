#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace keyway {

// The language Keyway speaks, shared by the GUI and the CLI. The catalogues are embedded in keyway_core
// (:/i18n/keyway_<code>.qm). The choice, in order: the stored preference (QSettings key "ui/language":
// "" = follow the system, or a language code such as "en" or "de"), then the system's UI languages
// (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), then English.
class Translations
{
public:
    struct Language
    {
        QString code; // "en", "de"
        QString name; // the language's own name, e.g. "Deutsch"
    };

    // The QSettings key of the preference.
    static QString settingsKey();

    // Every language with an embedded catalogue, English first.
    static QList<Language> availableLanguages();

    // The stored preference: "" means the system's language.
    static QString preferredLanguage();
    // Stores the preference ("" = system). Returns false, storing nothing, for a language without a
    // catalogue. Takes effect at the next install() (the next start of the app or the CLI).
    static bool setPreferredLanguage(const QString& code);

    // The language install() picks now: the preference if it has a catalogue, else the system's
    // first UI language with one, else "en".
    static QString effectiveLanguage();

    // Installs Keyway's catalogue and Qt's own for effectiveLanguage(), replacing what an earlier
    // call installed. Returns the language code installed.
    static QString install(QCoreApplication& app);
};

// Kept for the app entry points: Translations::install(app).
void installTranslations(QCoreApplication& app);

} // namespace keyway
