#include "core/util/Translations.h"

#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QRegularExpression>
#include <QSettings>
#include <QTranslator>

#include <algorithm>
#include <memory>

namespace keyway {

namespace {

const QString kCatalogueDirectory = QStringLiteral(":/i18n");

// The app's settings; the CLI sets no organization, so it reads the GUI's file ("keyway/keyway").
std::unique_ptr<QSettings> settings()
{
    if (QCoreApplication::organizationName().isEmpty()) {
        return std::make_unique<QSettings>(QStringLiteral("keyway"), QStringLiteral("keyway"));
    }
    return std::make_unique<QSettings>();
}

bool hasCatalogue(const QString& code)
{
    return !code.isEmpty()
        && QFile::exists(kCatalogueDirectory + QStringLiteral("/keyway_") + code + QStringLiteral(".qm"));
}

// "de-DE", "de_DE.UTF-8" -> "de"
QString languagePart(const QString& uiLanguage)
{
    QString code = uiLanguage;
    const qsizetype cut = code.indexOf(QRegularExpression(QStringLiteral("[-_.@]")));
    if (cut >= 0) {
        code.truncate(cut);
    }
    return code.toLower();
}

// Translators installed by the last install(), removed by the next one.
QPointer<QTranslator>& installedKeyway()
{
    static QPointer<QTranslator> translator;
    return translator;
}

QPointer<QTranslator>& installedQt()
{
    static QPointer<QTranslator> translator;
    return translator;
}

void replaceTranslator(QPointer<QTranslator>& slot, QTranslator* next)
{
    if (slot) {
        QCoreApplication::removeTranslator(slot);
        delete slot.data();
    }
    slot = next;
    if (next) {
        QCoreApplication::installTranslator(next);
    }
}

} // namespace

QString Translations::settingsKey()
{
    return QStringLiteral("ui/language");
}

QList<Translations::Language> Translations::availableLanguages()
{
    QList<Language> languages;
    const QStringList files
        = QDir(kCatalogueDirectory).entryList({QStringLiteral("keyway_*.qm")}, QDir::Files, QDir::Name);
    for (const QString& file : files) {
        const QString code = file.mid(7, file.size() - 7 - 3); // keyway_<code>.qm
        const QLocale locale(code);
        QString name = locale.nativeLanguageName();
        if (code == QLatin1String("en")) {
            name = QStringLiteral("English"); // not "American English": the catalogue is plain English
        }
        if (!name.isEmpty()) {
            name[0] = name[0].toUpper();
        }
        languages.append({code, name.isEmpty() ? code : name});
    }
    std::stable_sort(languages.begin(), languages.end(), [](const Language& a, const Language& b) {
        return (a.code == QLatin1String("en")) > (b.code == QLatin1String("en"));
    });
    return languages;
}

QString Translations::preferredLanguage()
{
    return settings()->value(settingsKey()).toString().trimmed();
}

bool Translations::setPreferredLanguage(const QString& code)
{
    const QString trimmed = code.trimmed();
    if (!trimmed.isEmpty() && !hasCatalogue(trimmed)) {
        return false;
    }
    auto store = settings();
    if (trimmed.isEmpty()) {
        store->remove(settingsKey());
    } else {
        store->setValue(settingsKey(), trimmed);
    }
    return true;
}

QString Translations::effectiveLanguage()
{
    const QString preferred = preferredLanguage();
    if (hasCatalogue(preferred)) {
        return preferred;
    }
    const QStringList uiLanguages = QLocale::system().uiLanguages();
    for (const QString& uiLanguage : uiLanguages) {
        const QString code = languagePart(uiLanguage);
        if (hasCatalogue(code)) {
            return code;
        }
    }
    return QStringLiteral("en");
}

QString Translations::install(QCoreApplication& app)
{
    const QString code = effectiveLanguage();

    // English too has a catalogue: it holds the singular and plural forms of counted messages.
    auto* keyway = new QTranslator(&app);
    if (!keyway->load(QStringLiteral("keyway_") + code, kCatalogueDirectory)) {
        delete keyway;
        keyway = nullptr;
    }
    replaceTranslator(installedKeyway(), keyway);

    auto* qt = new QTranslator(&app);
    if (!qt->load(QLocale(code),
                  QStringLiteral("qtbase"),
                  QStringLiteral("_"),
                  QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        delete qt;
        qt = nullptr;
    }
    replaceTranslator(installedQt(), qt);
    return code;
}

void installTranslations(QCoreApplication& app)
{
    Translations::install(app);
}

} // namespace keyway
