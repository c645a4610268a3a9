// The desktop app as a new user meets it, on a 1024x700 screen: the window fits, renames reach every title,
// the sandbox can be driven from its dialog (time scale, faults) and its lanes follow the scale, every sandbox
// environment has samples that work, the inspector's Value column stays readable, a documentation link that no
// browser opened is said, and Check provider lists no checks where they cannot apply. Offscreen, real widgets,
// the in-process sandbox.
#include "core/sandbox/RouteTable.h"
#include "core/sandbox/SandboxServer.h"
#include "core/vault/EnvironmentService.h"
#include "tests/support/ui/SandboxApp.h"
#include "ui/MainWindow.h"
#include "ui/checks/ConformancePage.h"
#include "ui/composer/RequestComposer.h"
#include "ui/composer/RequestWorkspace.h"
#include "ui/environments/EnvironmentDialog.h"
#include "ui/environments/EnvironmentListModel.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/inspector/JsonTreeModel.h"
#include "ui/inspector/ResponseInspector.h"
#include "ui/sandbox/SandboxDialog.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDoubleSpinBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

using namespace keyway;
using keyway::ui::FlowWalkthrough;
using keyway::ui::MainWindow;
using keyway::ui::RequestComposer;

// Stands in for a browser that opened a link.
class LinkCatcher : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl& url) { opened.append(url); }
};

class TestWindowTruth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void windowFitsA1024x700Screen();
    void renameReachesTheFlowTitleAndKeepsTheRun();
    void sandboxDialogDrivesPortTimeScaleAndFaults();
    void everySandboxEnvironmentSendsItsSamples();
    void responseTreeValueColumnStaysReadable();
    void documentationLinkWithoutABrowserIsSaid();
    void checkProviderListsNoChecksWhereTheyCannotApply();
    void lockedKeychainIsCalledLockedEverywhere();
    void slowKeychainSaysWhatItWaitsFor();
    void cancelledStepIsMarkedAndItsCodeNotCalledUsed();
    void unreachableAbsoluteEndpointIsNamedByItsField();
    void bearerCurlKeepsThePrefixWhenRedacted();
    void longTitleDoesNotNarrowTheEnvironmentList();
    void stepTitlesNeverOverlap();

private:
    QString environmentOf(const QString& providerId) const;
    ui::RequestWorkspace* workspace() const { return m_app.window->findChild<ui::RequestWorkspace*>(); }
    bool runFlow();

    QTemporaryDir m_config;
    test::SandboxApp m_app;
};

void TestWindowTruth::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateApplication(m_config.path(), QStringLiteral("keyway-test-window-truth"));
    const QSize screen = QGuiApplication::primaryScreen()->size();
    QVERIFY2(screen == QSize(1024, 700), qPrintable(QStringLiteral("%1x%2").arg(screen.width()).arg(screen.height())));
}

void TestWindowTruth::init()
{
    QVERIFY(m_app.start());
}

void TestWindowTruth::cleanup()
{
    m_app.stop();
}

QString TestWindowTruth::environmentOf(const QString& providerId) const
{
    for (const Environment& environment : m_app.window->environmentStore().environments()) {
        if (environment.providerId == providerId) {
            return environment.id;
        }
    }
    return {};
}

bool TestWindowTruth::runFlow()
{
    QSignalSpy finished(m_app.window->walkthrough(), &FlowWalkthrough::finished);
    m_app.window->run();
    return finished.wait(15000) && finished.first().first().toBool();
}

void TestWindowTruth::windowFitsA1024x700Screen()
{
    const QRect available = m_app.window->screen()->availableGeometry();
    // The first start (no saved size) opens inside the screen, status bar and timeline in reach.
    QVERIFY2(available.contains(m_app.window->geometry()),
             qPrintable(QStringLiteral("%1x%2").arg(m_app.window->width()).arg(m_app.window->height())));
    QVERIFY(m_app.window->minimumSizeHint().width() <= available.width());
    QVERIFY(m_app.window->minimumSizeHint().height() <= available.height());

    // A size saved on a big monitor: the next start on this screen still fits.
    m_app.window->resize(1900, 1060);
    m_app.window->close(); // saves the layout
    QVERIFY(m_app.openWindow());
    QVERIFY2(available.contains(m_app.window->geometry()),
             qPrintable(QStringLiteral("%1x%2").arg(m_app.window->width()).arg(m_app.window->height())));
}

void TestWindowTruth::renameReachesTheFlowTitleAndKeepsTheRun()
{
    const QString seismic = environmentOf(QStringLiteral("seismic"));
    m_app.window->selectEnvironment(seismic);
    QVERIFY(runFlow());
    FlowWalkthrough* walkthrough = m_app.window->walkthrough();
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Succeeded);

    Environment renamed = *m_app.window->environmentStore().findById(seismic);
    renamed.name = QStringLiteral("Seismic, renamed");
    bool done = false;
    m_app.window->environmentService()->update(renamed, {}, {}, [&done](const EnvironmentChange& change) {
        QVERIFY(change.ok());
        done = true;
    });
    QTRY_VERIFY(done);
    m_app.window->reloadEnvironments();
    QVERIFY2(walkthrough->titleText().startsWith(QStringLiteral("Seismic, renamed")),
             qPrintable(walkthrough->titleText()));
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Succeeded); // the run is still there
    QVERIFY(m_app.window->timelineWidget()->summaryText().contains(QStringLiteral("Seismic, renamed")));

    // The last run stays with the environment, not with its old name, across another one.
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("banking")));
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Pending);
    m_app.window->selectEnvironment(seismic);
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Succeeded);
}

void TestWindowTruth::sandboxDialogDrivesPortTimeScaleAndFaults()
{
    auto* action = m_app.window->findChild<QAction*>(QStringLiteral("sandboxAction"));
    QVERIFY(action && action->isEnabled());
    action->trigger();
    auto* dialog = m_app.window->findChild<ui::SandboxDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto* address = dialog->findChild<QLabel*>(QStringLiteral("sandboxAddress"));
    QVERIFY(address->text().contains(QString::number(m_app.sandbox->port())));

    // A fault switched on in the dialog: the next flow fails the way the sandbox documents.
    auto* deny = dialog->findChild<QCheckBox*>(QStringLiteral("sandboxFault/seismic/deny"));
    QVERIFY(deny);
    QTest::mouseClick(deny, Qt::LeftButton, {}, QPoint(4, deny->height() / 2));
    QVERIFY(m_app.sandbox->activeFaults(QStringLiteral("seismic")).contains(QStringLiteral("deny")));
    const QString seismic = environmentOf(QStringLiteral("seismic"));
    m_app.window->selectEnvironment(seismic);
    QVERIFY(!runFlow());
    QTest::mouseClick(deny, Qt::LeftButton, {}, QPoint(4, deny->height() / 2));
    QVERIFY(!m_app.sandbox->activeFaults(QStringLiteral("seismic")).contains(QStringLiteral("deny")));

    // Time scale 60: the 10-minute code really lives 10 s, and its lane is drawn that long.
    auto* scale = dialog->findChild<QDoubleSpinBox*>(QStringLiteral("sandboxTimeScale"));
    QVERIFY(scale);
    scale->setValue(60);
    QCOMPARE(m_app.sandbox->timeScale(), 60.0);
    dialog->close();
    QVERIFY(runFlow());
    const auto code
        = m_app.window->timelineModel()->entry(MainWindow::laneId(seismic, QString(), QStringLiteral("code")));
    QVERIFY(code);
    const qint64 codeLife = code->issued.msecsTo(code->expires);
    QVERIFY2(codeLife > 5000 && codeLife <= 11000, qPrintable(QString::number(codeLife)));
    const auto token
        = m_app.window->timelineModel()->entry(MainWindow::laneId(seismic, QString(), QStringLiteral("access_token")));
    QVERIFY(token);
    const qint64 tokenLife = token->issued.msecsTo(token->expires);
    QVERIFY2(tokenLife <= 24 * 60 * 1000 + 1000, qPrintable(QString::number(tokenLife))); // 24 h / 60
}

void TestWindowTruth::everySandboxEnvironmentSendsItsSamples()
{
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    tabs->setCurrentWidget(workspace());
    RequestComposer* composer = workspace()->composer();
    for (const Environment& environment : m_app.window->environmentStore().environments()) {
        m_app.window->selectEnvironment(environment.id);
        const QStringList samples = composer->sampleNames();
        QVERIFY2(!samples.isEmpty(), qPrintable(environment.name));
        if (environment.providerId == QLatin1String("oauth2-code")
            || environment.providerId == QLatin1String("oauth2-device")) {
            continue; // its token needs a person to sign in, covered by the sign-in and device tests
        }
        for (int i = 0; i < samples.size(); ++i) {
            composer->applySample(i);
            QSignalSpy finished(composer, &RequestComposer::finished);
            composer->send();
            QVERIFY2(finished.wait(15000), qPrintable(environment.name + QStringLiteral(": ") + samples.at(i)));
            if (samples.at(i) == QLatin1String("List settlements")) {
                // eCard's sample that shows a missing scope on purpose: the 403 and the scope hint.
                QVERIFY(!finished.first().first().toBool());
                QCOMPARE(composer->statusText().count(QStringLiteral("403")), 1); // said once
                QVERIFY2(composer->statusText().contains(QStringLiteral("403"))
                             && composer->statusText().contains(QStringLiteral("scope")),
                         qPrintable(composer->statusText()));
                continue;
            }
            QVERIFY2(finished.first().first().toBool(),
                     qPrintable(environment.name + QStringLiteral(": ") + samples.at(i) + QStringLiteral(" — ")
                                + composer->statusText()));
        }
    }
}

void TestWindowTruth::responseTreeValueColumnStaysReadable()
{
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("seismic")));
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    tabs->setCurrentWidget(workspace());
    RequestComposer* composer = workspace()->composer();
    composer->applySample(static_cast<int>(composer->sampleNames().indexOf(QStringLiteral("List BINs"))));
    QSignalSpy finished(composer, &RequestComposer::finished);
    composer->send();
    QVERIFY(finished.wait(15000));
    ui::ResponseInspector* inspector = workspace()->inspector();
    QTRY_VERIFY_WITH_TIMEOUT(inspector->treeModel()->isLoaded(), 5000);
    QTreeView* tree = inspector->treeView();
    QTRY_VERIFY(tree->isVisible());
    QHeaderView* header = tree->header();
    QVERIFY(header->count() > ui::JsonTreeModel::TypeColumn);
    const int value = header->sectionSize(ui::JsonTreeModel::ValueColumn);
    const int type = header->sectionSize(ui::JsonTreeModel::TypeColumn);
    // The values are what the user came for: wider than the type beside them, and more than a few characters.
    QVERIFY2(value > type && value >= tree->fontMetrics().horizontalAdvance(QStringLiteral("3f2e1d0c-9b8a")),
             qPrintable(QStringLiteral("value %1, type %2").arg(value).arg(type)));
}

void TestWindowTruth::documentationLinkWithoutABrowserIsSaid()
{
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("seismic")));
    ui::EnvironmentDialog dialog(
        ui::EnvironmentDialog::Mode::Add, m_app.window->environmentService(), m_app.window.get());
    dialog.setProvider(QStringLiteral("seismic"));
    dialog.show();
    auto* summary = dialog.findChild<QTextBrowser*>(QStringLiteral("providerSummary"));
    QVERIFY(summary);
    const QUrl docs(QStringLiteral("https://docs.example.invalid/seismic"));

    // A browser that opens: nothing else to say.
    LinkCatcher browser;
    QDesktopServices::setUrlHandler(QStringLiteral("https"), &browser, "open");
    Q_EMIT summary->anchorClicked(docs);
    QCOMPARE(browser.opened, QList<QUrl> {docs});
    auto* error = dialog.findChild<QLabel*>(QStringLiteral("dialogError"));
    QVERIFY(error);
    QVERIFY(!error->isVisible());
    QDesktopServices::unsetUrlHandler(QStringLiteral("https"));

    // None opens (the offscreen platform has no browser): the dialog says so and where the address went.
    Q_EMIT summary->anchorClicked(docs);
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(docs.toString()), qPrintable(error->text()));
    QVERIFY(error->text().contains(QStringLiteral("clipboard")));
}

void TestWindowTruth::checkProviderListsNoChecksWhereTheyCannotApply()
{
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    auto* page = m_app.window->findChild<ui::ConformancePage*>();
    QVERIFY(page);
    tabs->setCurrentWidget(page);
    auto* checks = page->findChild<QSplitter*>(QStringLiteral("conformSplitter"));
    QVERIFY(checks);
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("seismic")));
    QVERIFY(!checks->isVisible());
    bool saysWhy = false;
    for (const QLabel* label : page->findChildren<QLabel*>()) {
        saysWhy
            = saysWhy || (label->isVisible() && label->text().contains(QStringLiteral("The provider checks apply to")));
    }
    QVERIFY(saysWhy);
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("oauth2-code")));
    QTRY_VERIFY(checks->isVisible());
    auto* tree = page->findChild<QTreeWidget*>();
    QVERIFY(tree);
    QCOMPARE(tree->topLevelItemCount(), 7);
}

void TestWindowTruth::lockedKeychainIsCalledLockedEverywhere()
{
    const QString banking = environmentOf(QStringLiteral("banking"));
    m_app.window->selectEnvironment(banking);
    auto* model = m_app.window->environmentModel();
    QTRY_COMPARE(model->indexOfEnvironment(banking).siblingAtColumn(1).data().toString(), QStringLiteral("all set"));
    m_app.secrets->setFailure(SecretStatus::Locked);

    // The Flow tab, the Requests tab and the list say the same thing: locked, and what to do.
    QVERIFY(!runFlow());
    const QString flowStatus = m_app.window->walkthrough()->statusText();
    QVERIFY2(flowStatus.contains(QStringLiteral("locked")) && flowStatus.contains(QStringLiteral("unlock")),
             qPrintable(flowStatus));
    QTRY_COMPARE(model->indexOfEnvironment(banking).siblingAtColumn(1).data().toString(),
                 QStringLiteral("keychain locked"));

    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    tabs->setCurrentWidget(workspace());
    RequestComposer* composer = workspace()->composer();
    composer->applySample(0);
    QSignalSpy finished(composer, &RequestComposer::finished);
    composer->send();
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(composer->statusText(), flowStatus);
    QVERIFY(!composer->statusText().contains(QStringLiteral("simulated"))); // the store's own words stay in logs

    // Unlocked, everything works again without a restart.
    m_app.secrets->setFailure(SecretStatus::Ok);
    QVERIFY(runFlow());
    m_app.window->environmentModel()->refreshState(banking);
    QTRY_COMPARE(model->indexOfEnvironment(banking).siblingAtColumn(1).data().toString(), QStringLiteral("all set"));
}

void TestWindowTruth::slowKeychainSaysWhatItWaitsFor()
{
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("banking")));
    m_app.secrets->setDelayMs(FlowWalkthrough::KeychainPatienceMs + 1500); // an unlock prompt waiting for the user
    QSignalSpy finished(m_app.window->walkthrough(), &FlowWalkthrough::finished);
    m_app.window->run();
    QTRY_VERIFY_WITH_TIMEOUT(
        m_app.window->walkthrough()->statusText().startsWith(QStringLiteral("Still waiting for the keychain")),
        FlowWalkthrough::KeychainPatienceMs + 1000);
    QVERIFY(m_app.window->walkthrough()->statusText().contains(QStringLiteral("unlock")));
    // Answered at last, the run goes on by itself.
    QVERIFY(finished.wait(15000));
    QVERIFY(finished.first().first().toBool());
    m_app.secrets->setDelayMs(0);
}

void TestWindowTruth::cancelledStepIsMarkedAndItsCodeNotCalledUsed()
{
    const QString seismic = environmentOf(QStringLiteral("seismic"));
    m_app.window->selectEnvironment(seismic);
    FlowWalkthrough* walkthrough = m_app.window->walkthrough();
    auto* step = walkthrough->findChild<QPushButton*>(QStringLiteral("stepButton"));
    QSignalSpy finished(walkthrough, &FlowWalkthrough::finished);
    step->click();
    QVERIFY(finished.wait(15000));
    QCOMPARE(walkthrough->stepState(0), FlowWalkthrough::StepState::Succeeded);
    const QString codeLane = MainWindow::laneId(seismic, QString(), QStringLiteral("code"));
    QTRY_VERIFY(m_app.window->timelineModel()->entry(codeLane));

    // The token request hangs (the sandbox's "slow" fault); the user cancels before any reply.
    QVERIFY(m_app.sandbox->setFault(QStringLiteral("seismic"), QStringLiteral("slow"), true));
    step->click();
    QTRY_COMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Running);
    QTest::qWait(200); // the request is on its way
    QTest::mouseClick(walkthrough->findChild<QPushButton*>(QStringLiteral("cancelButton")), Qt::LeftButton);
    QVERIFY(m_app.sandbox->setFault(QStringLiteral("seismic"), QStringLiteral("slow"), false));
    QCOMPARE(walkthrough->stepState(1), FlowWalkthrough::StepState::Cancelled);
    auto* steps = walkthrough->findChild<QListWidget*>(QStringLiteral("flowSteps"));
    QVERIFY(!steps->item(1)->icon().isNull()); // a mark, like done and failed have
    QVERIFY2(steps->item(1)->toolTip().startsWith(QStringLiteral("cancelled")), qPrintable(steps->item(1)->toolTip()));
    // No reply said the code was used: the lane does not claim it.
    QTest::qWait(sandbox::RouteTable::kSlowReplyMs + 300); // the late reply arrives and is ignored
    QVERIFY(!m_app.window->timelineModel()->entry(codeLane)->consumed.isValid());
    QVERIFY(m_app.window->timelineWidget()->laneState(codeLane) != ui::TimelineWidget::LaneState::Consumed);
}

void TestWindowTruth::unreachableAbsoluteEndpointIsNamedByItsField()
{
    // An environment from an older version: its token URL absolute, on a port where nothing listens now.
    const QString client = environmentOf(QStringLiteral("oauth2-client"));
    Environment old = *m_app.window->environmentStore().findById(client);
    old.values.insert(QStringLiteral("token_url"), QStringLiteral("http://127.0.0.1:9/oauth/token"));
    QVERIFY(m_app.window->environmentService()->updateAndWait(old, {}, {}).ok());
    m_app.window->reloadEnvironments();
    m_app.window->selectEnvironment(client);
    QVERIFY(!runFlow());
    auto* hint = m_app.window->walkthrough()->findChild<QLabel*>(QStringLiteral("hintLabel"));
    QVERIFY(hint->isVisible());
    // The field that is wrong, by name; not the base URL, which is right.
    QVERIFY2(hint->text().contains(QStringLiteral("token_url")), qPrintable(hint->text()));
    QVERIFY2(!hint->text().contains(QStringLiteral("Check the environment's base URL")), qPrintable(hint->text()));
}

void TestWindowTruth::bearerCurlKeepsThePrefixWhenRedacted()
{
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("banking")));
    auto* tabs = m_app.window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
    tabs->setCurrentWidget(workspace());
    RequestComposer* composer = workspace()->composer();
    composer->applySample(0);
    QSignalSpy finished(composer, &RequestComposer::finished);
    composer->send();
    QVERIFY(finished.wait(15000));
    const QString token = composer->session()->accessToken()->value;
    const QString curl = composer->curlCommand(false);
    // Pasted into a terminal with the token put back, it works: the scheme is still there.
    QVERIFY2(curl.contains(QStringLiteral("Authorization: Bearer «access_token»")), qPrintable(curl));
    QVERIFY(!curl.contains(token));
}

void TestWindowTruth::longTitleDoesNotNarrowTheEnvironmentList()
{
    auto* splitter = m_app.window->findChild<QSplitter*>(QStringLiteral("mainSplitter"));
    const QString seismic = environmentOf(QStringLiteral("seismic"));
    m_app.window->selectEnvironment(seismic);
    QCoreApplication::processEvents();
    const int listWidth = splitter->sizes().first();
    Environment renamed = *m_app.window->environmentStore().findById(seismic);
    renamed.name = QStringLiteral("Seismic with a very long name that goes on ").repeated(4).trimmed();
    QVERIFY(m_app.window->environmentService()->updateAndWait(renamed, {}, {}).ok());
    m_app.window->reloadEnvironments();
    QVERIFY(runFlow());
    QCoreApplication::processEvents();
    // No page's title (Flow, Check provider, Webhooks) widens the tabs at the list's expense.
    QCOMPARE(splitter->sizes().first(), listWidth);
    // The whole name is still a hover away.
    auto* title = m_app.window->walkthrough()->findChild<QLabel*>(QStringLiteral("flowTitle"));
    QVERIFY(title->toolTip().startsWith(renamed.name));
    // So is it in the environment list, which cuts it.
    auto* tree = m_app.window->findChild<QTreeView*>(QStringLiteral("environmentTree"));
    QVERIFY(tree);
    const QModelIndexList found = tree->model()->match(tree->model()->index(0, 0),
                                                       ui::EnvironmentListModel::EnvironmentIdRole,
                                                       seismic,
                                                       1,
                                                       Qt::MatchExactly | Qt::MatchRecursive);
    QCOMPARE(found.size(), 1);
    const QModelIndex item = found.first().siblingAtColumn(0);
    QCOMPARE(item.data().toString(), renamed.name);
    QVERIFY(tree->visualRect(item).width() < tree->fontMetrics().horizontalAdvance(renamed.name));
    QVERIFY2(item.data(Qt::ToolTipRole).toString().startsWith(renamed.name + QLatin1Char('\n')),
             qPrintable(item.data(Qt::ToolTipRole).toString()));
    // Its provider's row spans the Keychain column it leaves empty, and names the provider in full on hover.
    const QModelIndex group = item.parent();
    QVERIFY(tree->isFirstColumnSpanned(group.row(), group.parent()));
    QCOMPARE(group.data(Qt::ToolTipRole).toString(), group.data().toString());
}

// A step title that wraps takes its own lines: it is not drawn over the next step.
void TestWindowTruth::stepTitlesNeverOverlap()
{
    m_app.window->selectEnvironment(environmentOf(QStringLiteral("seismic")));
    auto* steps = m_app.window->walkthrough()->findChild<QListWidget*>(QStringLiteral("flowSteps"));
    QTRY_VERIFY(steps->isVisible());
    QCoreApplication::processEvents();
    for (int width : {160, 220, 300}) {
        auto* splitter = m_app.window->walkthrough()->findChild<QSplitter*>(QStringLiteral("walkthroughSplitter"));
        splitter->setSizes({width, splitter->width() - width});
        QCoreApplication::processEvents();
        for (int row = 0; row + 1 < steps->count(); ++row) {
            const QRect upper = steps->visualItemRect(steps->item(row));
            const QRect lower = steps->visualItemRect(steps->item(row + 1));
            QVERIFY2(upper.bottom() < lower.top(), qPrintable(QStringLiteral("at %1 px").arg(width)));
        }
    }
}

// A 1024x700 screen, as on the small laptops the issue was found on.
int main(int argc, char** argv)
{
    QTemporaryDir screenDir;
    const QString config = screenDir.filePath(QStringLiteral("screen.json"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly)) {
        return 1;
    }
    file.write(R"({"screens": [{"name": "small", "x": 0, "y": 0, "width": 1024, "height": 700, "logicalDpi": 96}]})");
    file.close();
    qputenv("QT_QPA_PLATFORM", QByteArrayLiteral("offscreen:configfile=") + config.toUtf8());
    QApplication app(argc, argv);
    TestWindowTruth test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_window_truth.moc"
