#include "ui/app/AppMenus.h"

#include "ui/app/AboutDialog.h"
#include "ui/app/PreferencesDialog.h"

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

namespace keyway::ui {

namespace {
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::ui::AppMenus)
};
} // namespace

QUrl userGuideUrl()
{
    const QStringList candidates = {
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/doc/keyway/README.md"),
        QStringLiteral("/usr/share/doc/keyway/README.md"),
    };
    for (const QString& candidate : candidates) {
        const QFileInfo info(candidate);
        if (info.isFile()) {
            return QUrl::fromLocalFile(info.canonicalFilePath());
        }
    }
    return QUrl(AboutDialog::homepage() + QStringLiteral("#readme"));
}

void installApplicationMenus(QMainWindow* window)
{
    auto* preferences = new QAction(Text::tr("&Preferences…"), window);
    preferences->setObjectName(QStringLiteral("preferencesAction"));
    preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);
    QObject::connect(preferences, &QAction::triggered, window, [window] {
        auto* dialog = new PreferencesDialog(window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });

    auto* guide = new QAction(Text::tr("&User guide"), window);
    guide->setObjectName(QStringLiteral("userGuideAction"));
    guide->setShortcut(QKeySequence::HelpContents);
    QObject::connect(guide, &QAction::triggered, window, [] { QDesktopServices::openUrl(userGuideUrl()); });

    auto* about = new QAction(Text::tr("&About Keyway"), window);
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    QObject::connect(about, &QAction::triggered, window, [window] {
        auto* dialog = new AboutDialog(window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });

    auto* aboutQt = new QAction(Text::tr("About &Qt"), window);
    aboutQt->setObjectName(QStringLiteral("aboutQtAction"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    QObject::connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    QMenu* settings = window->menuBar()->addMenu(Text::tr("Se&ttings"));
    settings->setObjectName(QStringLiteral("settingsMenu"));
    settings->addAction(preferences);
    QMenu* help = window->menuBar()->addMenu(Text::tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    help->addAction(guide);
    help->addSeparator();
    help->addAction(about);
    help->addAction(aboutQt);
}

} // namespace keyway::ui
