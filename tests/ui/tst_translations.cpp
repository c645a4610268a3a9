// Translations that reach the user: the German catalogue, installed by the app's own loader
// (keyway::Translations), turns the real main window, its menus, tabs and buttons, and the
// environment dialog German, with no English message left where a German one exists; the
// stored preference ("ui/language") wins over the system locale; English plurals read
// "1 secret" / "2 secrets"; and keyway-cli, a separate process, speaks German for LANG=de_DE.UTF-8
// or the stored preference.
#include "core/util/Translations.h"
#include "tests/support/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/environments/EnvironmentDialog.h"
#include "ui/environments/EnvironmentListModel.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QUuid>
#include <QXmlStreamReader>

#include <functional>
#include <memory>

using namespace keyway;
using keyway::ui::EnvironmentDialog;
using keyway::ui::EnvironmentListModel;
using keyway::ui::MainWindow;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Source text -> German translations, read from the catalogue in the source tree.
struct Catalogue
{
    QHash<QString, QString> germanOf; // singular messages only
    QSet<QString> germanTexts;
};

Catalogue readGermanCatalogue()
{
    Catalogue catalogue;
    QFile file(QStringLiteral(KEYWAY_SOURCE_DIR "/translations/keyway_de.ts"));
    if (!file.open(QIODevice::ReadOnly)) {
        return catalogue;
    }
    QXmlStreamReader xml(&file);
    QString source;
    bool numerus = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            continue;
        }
        if (xml.name() == QLatin1String("message")) {
            numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation") && !numerus) {
            const QString german = xml.readElementText();
            catalogue.germanOf.insert(source, german);
            catalogue.germanTexts.insert(german);
        }
    }
    return catalogue;
}

// Every text a user can read in `root`: window title, labels, buttons, fields' placeholders, tab titles,
// menu titles and actions, tooltips.
QStringList visibleTexts(const QWidget* root)
{
    QStringList texts {root->windowTitle(), root->toolTip()};
    const auto widgets = root->findChildren<QWidget*>();
    for (const QWidget* w : widgets) {
        texts.append(w->toolTip());
        if (const auto* label = qobject_cast<const QLabel*>(w)) {
            texts.append(label->text());
        } else if (const auto* button = qobject_cast<const QAbstractButton*>(w)) {
            texts.append(button->text());
        } else if (const auto* line = qobject_cast<const QLineEdit*>(w)) {
            texts.append(line->placeholderText());
        } else if (const auto* tabs = qobject_cast<const QTabWidget*>(w)) {
            for (int i = 0; i < tabs->count(); ++i) {
                texts.append(tabs->tabText(i));
                texts.append(tabs->tabToolTip(i));
            }
        } else if (const auto* menu = qobject_cast<const QMenu*>(w)) {
            texts.append(menu->title());
        } else if (const auto* text = qobject_cast<const QTextEdit*>(w)) {
            texts.append(text->toPlainText());
        } else if (const auto* view = qobject_cast<const QAbstractItemView*>(w); view && view->model()) {
            const QAbstractItemModel* model = view->model();
            for (int row = 0; row < model->rowCount(); ++row) {
                for (int column = 0; column < model->columnCount(); ++column) {
                    texts.append(model->index(row, column).data().toString());
                    texts.append(model->index(row, column).data(Qt::ToolTipRole).toString());
                }
            }
        }
    }
    const auto actions = root->findChildren<QAction*>();
    for (const QAction* action : actions) {
        texts.append(action->text());
        texts.append(action->toolTip());
    }
    texts.removeAll(QString());
    return texts;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void availableLanguagesAreEnglishAndGerman();
    void preferenceWinsOverTheSystemLocale();
    void mainWindowSpeaksGerman();
    void environmentDialogSpeaksGerman();
    void shippedProviderTextsSpeakGerman();
    void countedMessagesUseRealPlurals();
    void cliSpeaksGermanForAGermanLocale();
    void cliFollowsTheStoredPreference();

private:
    void installLanguage(const QString& code);
    // `seed` may create environments in the window's environments file before the window reads it.
    std::unique_ptr<MainWindow> makeWindow(const std::function<void(EnvironmentService&)>& seed = {});
    CliRun cli(const QStringList& args, const QString& lang, const QByteArray& input = QByteArray());
    void assertNoEnglishLeft(const QWidget* root);

    QTemporaryDir m_root;
    std::unique_ptr<test::MemorySecretStore> m_secrets;
};

void TestTranslations::initTestCase()
{
    QVERIFY(m_root.isValid());
    for (const char* sub : {"home", "config", "data", "cache", "state", "cli-config"}) {
        QVERIFY(QDir(m_root.path()).mkpath(QLatin1String(sub)));
    }
    qputenv("XDG_CONFIG_HOME", m_root.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_DATA_HOME", m_root.filePath(QStringLiteral("data")).toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("keyway-test-translations"));
    QCoreApplication::setApplicationName(QStringLiteral("keyway-test-translations"));
    QSettings().clear();
}

void TestTranslations::cleanup()
{
    QSettings().clear();
    installLanguage(QString());
    m_secrets.reset();
}

void TestTranslations::installLanguage(const QString& code)
{
    QVERIFY(Translations::setPreferredLanguage(code));
    const QString installed = Translations::install(*QCoreApplication::instance());
    if (!code.isEmpty()) {
        QCOMPARE(installed, code);
    }
}

std::unique_ptr<MainWindow> TestTranslations::makeWindow(const std::function<void(EnvironmentService&)>& seed)
{
    m_secrets = std::make_unique<test::MemorySecretStore>();
    ui::MainWindowOptions options;
    options.secretStore = m_secrets.get();
    options.environmentsFile = m_root.filePath(QStringLiteral("config/") + QUuid::createUuid().toString(QUuid::Id128)
                                               + QStringLiteral(".json"));
    if (seed) {
        const ProfileRegistry profiles = ProfileRegistry::loadDefault();
        EnvironmentService service(&profiles, m_secrets.get(), options.environmentsFile);
        seed(service);
    }
    auto window = std::make_unique<MainWindow>(options);
    window->resize(1280, 800);
    window->show();
    return window;
}

void TestTranslations::assertNoEnglishLeft(const QWidget* root)
{
    const Catalogue catalogue = readGermanCatalogue();
    QVERIFY2(catalogue.germanOf.size() > 100, "translations/keyway_de.ts is missing or nearly empty");
    QStringList english;
    const QStringList texts = visibleTexts(root);
    for (const QString& text : texts) {
        const auto german = catalogue.germanOf.constFind(text);
        if (german != catalogue.germanOf.cend() && *german != text && !catalogue.germanTexts.contains(text)) {
            english.append(text);
        }
    }
    english.removeDuplicates();
    QVERIFY2(english.isEmpty(),
             qPrintable(QStringLiteral("shown in English although keyway_de.ts translates them: ")
                        + english.join(QStringLiteral(" | "))));
}

CliRun TestTranslations::cli(const QStringList& args, const QString& lang, const QByteArray& input)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_root.filePath(QStringLiteral("home")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_root.filePath(QStringLiteral("cli-config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_root.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), m_root.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), m_root.filePath(QStringLiteral("state")));
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANGUAGE", "DISPLAY"}) {
        env.remove(QLatin1String(name));
    }
    env.insert(QStringLiteral("LANG"), lang);
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(KEYWAY_CLI_PATH), args);
    if (!process.waitForStarted(10000)) {
        return {};
    }
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    CliRun run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

void TestTranslations::availableLanguagesAreEnglishAndGerman()
{
    const QList<Translations::Language> languages = Translations::availableLanguages();
    QStringList codes;
    QStringList names;
    for (const Translations::Language& language : languages) {
        codes.append(language.code);
        names.append(language.name);
    }
    QCOMPARE(codes, (QStringList {QStringLiteral("en"), QStringLiteral("de")}));
    QCOMPARE(names, (QStringList {QStringLiteral("English"), QStringLiteral("Deutsch")}));
    QCOMPARE(Translations::settingsKey(), QStringLiteral("ui/language"));
}

void TestTranslations::preferenceWinsOverTheSystemLocale()
{
    // The test runs with LANG=C.UTF-8: without a preference, English.
    QCOMPARE(Translations::preferredLanguage(), QString());
    QCOMPARE(Translations::effectiveLanguage(), QStringLiteral("en"));

    QVERIFY(Translations::setPreferredLanguage(QStringLiteral("de")));
    QCOMPARE(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("de"));
    QCOMPARE(Translations::effectiveLanguage(), QStringLiteral("de"));

    // A language without a catalogue is refused and the stored choice kept.
    QVERIFY(!Translations::setPreferredLanguage(QStringLiteral("xx")));
    QCOMPARE(Translations::preferredLanguage(), QStringLiteral("de"));

    // "" = the system's language again.
    QVERIFY(Translations::setPreferredLanguage(QString()));
    QVERIFY(!QSettings().contains(QStringLiteral("ui/language")));
    QCOMPARE(Translations::effectiveLanguage(), QStringLiteral("en"));
}

void TestTranslations::mainWindowSpeaksGerman()
{
    installLanguage(QStringLiteral("de"));
    const auto window = makeWindow();

    QStringList menus;
    const auto menuActions = window->menuBar()->actions();
    for (const QAction* action : menuActions) {
        menus.append(action->text());
    }
    QVERIFY2(menus.contains(QStringLiteral("&Umgebung")), qPrintable(menus.join(QLatin1Char(' '))));
    QVERIFY(!menus.contains(QStringLiteral("&Environment")));

    auto* tabs = window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    QVERIFY(tabs);
    QStringList tabTitles;
    for (int i = 0; i < tabs->count(); ++i) {
        tabTitles.append(tabs->tabText(i));
    }
    for (const char* german : {"&Anfragen", "&Zugangsdaten", "Anbieter &prüfen"}) {
        QVERIFY2(tabTitles.contains(QString::fromUtf8(german)), qPrintable(tabTitles.join(QLatin1Char(' '))));
    }

    QStringList actions;
    const auto allActions = window->findChildren<QAction*>();
    for (const QAction* action : allActions) {
        actions.append(action->text());
    }
    QVERIFY2(actions.contains(QStringLiteral("Flow &ausführen")), qPrintable(actions.join(QLatin1Char(' '))));
    QVERIFY(actions.contains(QStringLiteral("&Beenden")));

    const QStringList texts = visibleTexts(window.get());
    QVERIFY(texts.contains(QStringLiteral("Zeitleiste")));

    // Anything else the window shows that the catalogue translates.
    assertNoEnglishLeft(window.get());
}

void TestTranslations::environmentDialogSpeaksGerman()
{
    installLanguage(QStringLiteral("de"));
    const auto window = makeWindow();
    EnvironmentDialog dialog(EnvironmentDialog::Mode::Add, window->environmentService(), window.get());
    dialog.show();
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Neue Umgebung"));

    QStringList labels;
    const auto allLabels = dialog.findChildren<QLabel*>();
    for (const QLabel* label : allLabels) {
        labels.append(label->text());
    }
    for (const char* german :
         {"&Anbieter:", "&Basis-URL:", "Zugangsdaten (geheime Felder werden nur im Schlüsselbund gespeichert)"}) {
        QVERIFY2(labels.contains(QString::fromUtf8(german)), qPrintable(labels.join(QStringLiteral(" | "))));
    }
    // The shipped providers' names in the provider combo come from the catalogue too.
    auto* providers = dialog.findChild<QComboBox*>(QStringLiteral("providerCombo"));
    QVERIFY(providers);
    const int code = providers->findData(QStringLiteral("oauth2-code"));
    QVERIFY(code >= 0);
    QCOMPARE(providers->itemText(code), QString::fromUtf8("OAuth 2.0 – Autorisierungscode"));
    const Catalogue catalogue = readGermanCatalogue();
    for (int i = 0; i < providers->count(); ++i) {
        QVERIFY2(catalogue.germanOf.contains(providers->itemText(i))
                     || catalogue.germanTexts.contains(providers->itemText(i)),
                 qPrintable(providers->itemText(i)));
    }
    assertNoEnglishLeft(&dialog);
}

void TestTranslations::shippedProviderTextsSpeakGerman()
{
    installLanguage(QStringLiteral("de"));
    const Environment seismic = Environment::create(
        QStringLiteral("seismic-de"), QStringLiteral("seismic"), QStringLiteral("https://sandbox.example"));
    const auto window = makeWindow([&seismic](EnvironmentService& service) {
        const EnvironmentChange created
            = service.createAndWait(seismic, {{QStringLiteral("clientSecret"), QStringLiteral("canary-de-secret")}});
        QVERIFY2(created.ok(), qPrintable(created.error));
    });
    window->selectEnvironment(seismic.id);
    QTRY_COMPARE(window->currentEnvironmentId(), seismic.id);

    // The walkthrough's steps and the provider's summary come from resources/providers/seismic.json.
    auto* steps = window->findChild<QAbstractItemView*>(QStringLiteral("flowSteps"));
    QVERIFY(steps);
    QTRY_VERIFY(steps->model()->rowCount() >= 2);
    const QString first = steps->model()->index(0, 0).data().toString();
    QVERIFY2(first.contains(QStringLiteral("Autorisierungscode holen")), qPrintable(first));
    const QStringList texts = visibleTexts(window.get());
    QVERIFY2(texts.filter(QStringLiteral("Kartenausgabe.")).size() > 0, qPrintable(texts.join(QStringLiteral(" | "))));
    assertNoEnglishLeft(window.get());
}

void TestTranslations::countedMessagesUseRealPlurals()
{
    installLanguage(QStringLiteral("en"));
    QCOMPARE(EnvironmentListModel::stateText(EnvironmentListModel::KeychainState::MissingFields, 1),
             QStringLiteral("1 missing"));
    QCOMPARE(QCoreApplication::translate("keyway::ui::HistoryView", "%n request(s)", nullptr, 1),
             QStringLiteral("1 request"));
    QCOMPARE(QCoreApplication::translate("keyway::ui::HistoryView", "%n request(s)", nullptr, 3),
             QStringLiteral("3 requests"));

    installLanguage(QStringLiteral("de"));
    QCOMPARE(EnvironmentListModel::stateText(EnvironmentListModel::KeychainState::MissingFields, 1),
             QStringLiteral("1 fehlt"));
    QCOMPARE(EnvironmentListModel::stateText(EnvironmentListModel::KeychainState::MissingFields, 2),
             QStringLiteral("2 fehlen"));
}

void TestTranslations::cliSpeaksGermanForAGermanLocale()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        QSKIP("needs a D-Bus session with a keyring: run through tests/run-isolated.sh");
    }
    const QString secret = QStringLiteral("canary-") + QUuid::createUuid().toString(QUuid::Id128);
    const QStringList addSeismic = {QStringLiteral("env"),
                                    QStringLiteral("add"),
                                    QStringLiteral("seismic-de"),
                                    QStringLiteral("--provider"),
                                    QStringLiteral("seismic"),
                                    QStringLiteral("--base-url"),
                                    QStringLiteral("https://seismic.example/v"),
                                    QStringLiteral("--set"),
                                    QStringLiteral("clientId=cid-1"),
                                    QStringLiteral("--secret"),
                                    QStringLiteral("clientSecret")};

    // The reported bug: "1 secret(s) stored". English says it in words...
    CliRun run = cli(addSeismic, QStringLiteral("en_US.UTF-8"), secret.toUtf8() + '\n');
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("1 secret stored in the keychain")), qPrintable(run.out + run.err));
    QVERIFY(!QString(run.out + run.err).contains(secret));

    // ... and so does German.
    QStringList addAgain = addSeismic;
    addAgain[2] = QStringLiteral("seismic-de-2");
    run = cli(addAgain, QStringLiteral("de_DE.UTF-8"), secret.toUtf8() + '\n');
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("1 Secret im Schlüsselbund gespeichert")), qPrintable(run.out + run.err));
    QVERIFY(!QString(run.out + run.err).contains(secret));

    // An unknown environment: the error says so in German and names the known ones.
    run = cli({QStringLiteral("auth"), QStringLiteral("no-such-environment")}, QStringLiteral("de_DE.UTF-8"));
    QVERIFY(run.exitCode != 0);
    QVERIFY2(run.err.contains(QStringLiteral("unbekannte Umgebung 'no-such-environment'")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("seismic-de")), qPrintable(run.err));

    // The newer messages: a --sign-in-timeout that is not a number, and revoke with neither an endpoint nor an
    // issuer, which names the key to set.
    run = cli({QStringLiteral("env"),
               QStringLiteral("add"),
               QStringLiteral("code-de"),
               QStringLiteral("--provider"),
               QStringLiteral("oauth2-code"),
               QStringLiteral("--base-url"),
               QStringLiteral("http://127.0.0.1:9"),
               QStringLiteral("--set"),
               QStringLiteral("authorize_url=/authorize"),
               QStringLiteral("--set"),
               QStringLiteral("token_url=/token"),
               QStringLiteral("--set"),
               QStringLiteral("client_id=cid-de")},
              QStringLiteral("de_DE.UTF-8"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = cli({QStringLiteral("auth"),
               QStringLiteral("code-de"),
               QStringLiteral("--sign-in-timeout"),
               QStringLiteral("bald")},
              QStringLiteral("de_DE.UTF-8"));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QString::fromUtf8(
                 "--sign-in-timeout muss eine Anzahl Sekunden größer als 0 und höchstens 86400 sein, nicht 'bald'")),
             qPrintable(run.err));
    run = cli({QStringLiteral("revoke"), QStringLiteral("code-de")}, QStringLiteral("de_DE.UTF-8"));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(
                 QStringLiteral("Diese Umgebung hat keinen Widerrufs-Endpunkt: Setzen Sie ihre revocation_url")),
             qPrintable(run.err));
    QVERIFY2(!run.err.contains(QStringLiteral("QCommandLineParser")), qPrintable(run.err));
}

void TestTranslations::cliFollowsTheStoredPreference()
{
    // The CLI reads the desktop app's settings file: <config>/keyway/keyway.conf.
    const QString conf = m_root.filePath(QStringLiteral("cli-config/keyway/keyway.conf"));
    QFile::remove(conf);
    {
        QSettings stored(conf, QSettings::IniFormat);
        stored.setValue(QStringLiteral("ui/language"), QStringLiteral("de"));
    }
    CliRun run = cli({QStringLiteral("auth"), QStringLiteral("no-such-environment")}, QStringLiteral("en_US.UTF-8"));
    QVERIFY2(run.err.contains(QStringLiteral("unbekannte Umgebung")), qPrintable(run.err));

    {
        QSettings stored(conf, QSettings::IniFormat);
        stored.setValue(QStringLiteral("ui/language"), QStringLiteral("en"));
    }
    run = cli({QStringLiteral("auth"), QStringLiteral("no-such-environment")}, QStringLiteral("de_DE.UTF-8"));
    QVERIFY2(run.err.contains(QStringLiteral("unknown environment")), qPrintable(run.err));
    QFile::remove(conf);
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
