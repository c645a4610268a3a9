#pragma once

#include <QString>
#include <QUrl>

class QMainWindow;

namespace keyway::ui {

// The application-wide menus of the main window: Settings (Preferences…, Ctrl+,) and Help (User guide,
// F1; About Keyway; About Qt). Kept apart from MainWindow's environment and flow actions.
// Action object names: preferencesAction, userGuideAction, aboutAction, aboutQtAction.
void installApplicationMenus(QMainWindow* window);

// The user guide: the installed README (<prefix>/share/doc/keyway/README.md next to the binary, or
// /usr/share/doc/keyway/README.md), else the project's online README.
QUrl userGuideUrl();

} // namespace keyway::ui
