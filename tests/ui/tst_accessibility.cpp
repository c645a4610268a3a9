// Every window can be driven from the keyboard and by a screen reader: access keys (&-mnemonics) are
// unique within what Qt resolves together, and every focusable control has an accessible name.
#include "core/sandbox/SandboxServer.h"
#include "tests/support/ui/SandboxApp.h"
#include "ui/MainWindow.h"
#include "ui/app/AboutDialog.h"
#include "ui/app/PreferencesDialog.h"
#include "ui/environments/EnvironmentDialog.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>

#include <memory>

using namespace keyway;

namespace {

// The letter after a single '&' ("&&" is a literal ampersand), upper case; empty if none.
QString mnemonicOf(const QString& text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&')) {
            continue;
        }
        if (text.at(i + 1) == QLatin1Char('&')) {
            ++i;
            continue;
        }
        return text.at(i + 1).toUpper();
    }
    return {};
}

QString describe(const QWidget* widget, const QString& text)
{
    return QStringLiteral("%1 '%2' (%3)")
        .arg(QString::fromLatin1(widget->metaObject()->className()),
             text,
             widget->objectName().isEmpty() ? QStringLiteral("no object name") : widget->objectName());
}

// A widget on a page of a QStackedWidget (a tab, a wizard step) that is not the current one is not in
// the scope Qt resolves mnemonics in; explicitly hidden widgets are (they may be shown in another state).
bool onHiddenPage(const QWidget* widget, const QWidget* root)
{
    for (const QWidget* w = widget; w && w != root; w = w->parentWidget()) {
        const auto* stack = qobject_cast<const QStackedWidget*>(w->parentWidget());
        if (stack && stack->currentWidget() != w) {
            return true;
        }
        if (qobject_cast<const QMenu*>(w)) {
            return true; // menus are their own scope
        }
    }
    return false;
}

// Access key → the controls that use it, for the window-wide scope of `root`.
QMap<QString, QStringList> windowMnemonics(QWidget* root)
{
    QMap<QString, QStringList> keys;
    auto add = [&keys](const QString& text, const QWidget* owner) {
        const QString key = mnemonicOf(text);
        if (!key.isEmpty()) {
            keys[key].append(describe(owner, text));
        }
    };
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* widget : widgets) {
        if (onHiddenPage(widget, root)) {
            continue;
        }
        if (auto* label = qobject_cast<QLabel*>(widget); label && label->buddy()) {
            add(label->text(), label);
        } else if (auto* button = qobject_cast<QAbstractButton*>(widget)) {
            add(button->text(), button);
        } else if (auto* group = qobject_cast<QGroupBox*>(widget)) {
            add(group->title(), group);
        } else if (auto* tabs = qobject_cast<QTabBar*>(widget)) {
            for (int i = 0; i < tabs->count(); ++i) {
                add(tabs->tabText(i), tabs);
            }
        } else if (auto* bar = qobject_cast<QMenuBar*>(widget)) {
            for (QAction* action : bar->actions()) {
                add(action->text(), bar);
            }
        }
    }
    return keys;
}

QStringList clashes(const QMap<QString, QStringList>& keys, const QString& scope)
{
    QStringList found;
    for (auto it = keys.cbegin(); it != keys.cend(); ++it) {
        if (it.value().size() > 1) {
            found.append(
                QStringLiteral("%1: Alt+%2 is used by %3").arg(scope, it.key(), it.value().join(QStringLiteral(", "))));
        }
    }
    return found;
}

QStringList menuClashes(QWidget* root)
{
    QStringList found;
    for (QMenu* menu : root->findChildren<QMenu*>()) {
        QMap<QString, QStringList> keys;
        for (QAction* action : menu->actions()) {
            const QString key = mnemonicOf(action->text());
            if (!key.isEmpty() && action->isVisible()) {
                keys[key].append(action->text());
            }
        }
        found += clashes(keys, QStringLiteral("menu '%1'").arg(menu->title()));
    }
    return found;
}

bool isInteractive(const QWidget* widget)
{
    return qobject_cast<const QAbstractButton*>(widget) || qobject_cast<const QLineEdit*>(widget)
        || qobject_cast<const QPlainTextEdit*>(widget) || qobject_cast<const QTextEdit*>(widget)
        || qobject_cast<const QAbstractItemView*>(widget) || qobject_cast<const QComboBox*>(widget)
        || qobject_cast<const QAbstractSpinBox*>(widget) || qobject_cast<const QAbstractSlider*>(widget);
}

// Focusable controls a screen reader would announce without a name. The name is what the
// accessibility layer reports: an accessibleName, a buddy label's text, or the control's own text.
QStringList unnamedWidgets(QWidget* root)
{
    QStringList found;
    for (QWidget* widget : root->findChildren<QWidget*>()) {
        if (!isInteractive(widget) || widget->focusPolicy() == Qt::NoFocus) {
            continue;
        }
        // Parts of composite controls (a spin box's or combo box's line edit) are named by their owner.
        const QWidget* parent = widget->parentWidget();
        if (qobject_cast<const QAbstractSpinBox*>(parent) || qobject_cast<const QComboBox*>(parent)
            || widget->objectName().startsWith(QLatin1String("qt_"))) {
            continue;
        }
        bool inMenu = false;
        for (const QWidget* w = widget; w; w = w->parentWidget()) {
            inMenu = inMenu || qobject_cast<const QMenu*>(w);
        }
        if (inMenu) {
            continue;
        }
        QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(widget);
        const QString name = accessible ? accessible->text(QAccessible::Name).trimmed() : QString();
        if (name.isEmpty()) {
            QStringList path;
            for (const QWidget* w = widget; w && w != root; w = w->parentWidget()) {
                if (!w->objectName().isEmpty()) {
                    path.prepend(w->objectName());
                }
            }
            found.append(describe(widget, QString()) + QStringLiteral(" in ") + path.join(QLatin1Char('/')));
        }
    }
    return found;
}

} // namespace

class TestAccessibility : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void mainWindowAccessKeysAreUniqueOnEveryTab();
    void mainWindowMenusHaveUniqueAccessKeys();
    void mainWindowControlsAreNamed();
    void environmentDialogIsAccessible_data();
    void environmentDialogIsAccessible();
    void preferencesAndAboutAreAccessible();
    void detectsAClashAndAnUnnamedControl();

private:
    QTemporaryDir m_config;
    test::SandboxApp m_app;
};

void TestAccessibility::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateApplication(m_config.path(), QStringLiteral("keyway-test-accessibility"));
    // With environments, every panel shows its controls.
    QVERIFY(m_app.start());
}

void TestAccessibility::cleanupTestCase()
{
    m_app.stop();
}

void TestAccessibility::mainWindowAccessKeysAreUniqueOnEveryTab()
{
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    QVERIFY(tabs);
    QStringList found;
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        found += clashes(windowMnemonics(m_app.window.get()),
                         QStringLiteral("main window, tab '%1'").arg(tabs->tabText(i)));
    }
    tabs->setCurrentIndex(0);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
}

void TestAccessibility::mainWindowMenusHaveUniqueAccessKeys()
{
    const QStringList found = menuClashes(m_app.window.get());
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    // The menus this window is expected to have, each reachable by its own key.
    QStringList titles;
    for (QAction* action : m_app.window->menuBar()->actions()) {
        titles.append(action->text());
    }
    QVERIFY2(titles.contains(QStringLiteral("&Help")), qPrintable(titles.join(QLatin1Char(' '))));
}

void TestAccessibility::mainWindowControlsAreNamed()
{
    const QStringList found = unnamedWidgets(m_app.window.get());
    QVERIFY2(found.isEmpty(),
             qPrintable(QStringLiteral("%1 unnamed:\n").arg(found.size()) + found.join(QLatin1Char('\n'))));
}

void TestAccessibility::environmentDialogIsAccessible_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("add") << int(ui::EnvironmentDialog::Mode::Add);
    QTest::newRow("edit") << int(ui::EnvironmentDialog::Mode::Edit);
}

void TestAccessibility::environmentDialogIsAccessible()
{
    QFETCH(int, mode);
    ui::EnvironmentDialog dialog(static_cast<ui::EnvironmentDialog::Mode>(mode), m_app.window->environmentService());
    if (static_cast<ui::EnvironmentDialog::Mode>(mode) == ui::EnvironmentDialog::Mode::Edit) {
        dialog.setSource(*m_app.window->environmentStore().findById(m_app.window->currentEnvironmentId()));
    } else {
        dialog.setProvider(QStringLiteral("seismic"));
    }
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QStringList found = clashes(windowMnemonics(&dialog), QStringLiteral("environment dialog"));
    found += unnamedWidgets(&dialog);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
}

void TestAccessibility::preferencesAndAboutAreAccessible()
{
    ui::PreferencesDialog preferences;
    preferences.show();
    ui::AboutDialog about;
    about.show();
    QStringList found = clashes(windowMnemonics(&preferences), QStringLiteral("preferences"));
    found += unnamedWidgets(&preferences);
    found += clashes(windowMnemonics(&about), QStringLiteral("about"));
    found += unnamedWidgets(&about);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    // Every preference has a label that names it for a screen reader and gives it an access key.
    for (QLabel* label : preferences.findChildren<QLabel*>()) {
        if (label->buddy()) {
            QVERIFY2(!mnemonicOf(label->text()).isEmpty(), qPrintable(label->text()));
        }
    }
}

// The walkers must be able to fail: a planted clash and an unnamed control are reported.
void TestAccessibility::detectsAClashAndAnUnnamedControl()
{
    QWidget window;
    auto* first = new QLabel(QStringLiteral("&Name"), &window);
    auto* edit = new QLineEdit(&window);
    first->setBuddy(edit);
    auto* button = new QPushButton(&window);
    button->setText(QStringLiteral("&New"));
    auto* unnamed = new QLineEdit(&window);
    unnamed->setObjectName(QStringLiteral("plantedUnnamed"));
    window.show();
    QCOMPARE(clashes(windowMnemonics(&window), QStringLiteral("planted")).size(), 1);
    const QStringList missing = unnamedWidgets(&window);
    QCOMPARE(missing.size(), 1);
    QVERIFY(missing.first().contains(QStringLiteral("plantedUnnamed")));
}

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
