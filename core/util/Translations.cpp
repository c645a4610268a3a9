#include "core/util/Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace keyway {

void installTranslations(QCoreApplication& app)
{
    const QLocale locale;
    auto* keyway = new QTranslator(&app);
    if (keyway->load(locale, QStringLiteral("keyway"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(keyway);
    } else {
        delete keyway;
    }
    auto* qt = new QTranslator(&app);
    if (qt->load(locale,
                 QStringLiteral("qtbase"),
                 QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
    } else {
        delete qt;
    }
}

} // namespace keyway
