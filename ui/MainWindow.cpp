#include "ui/MainWindow.h"

#include "core/http/ConnectionSettings.h"
#include "core/sandbox/SandboxServer.h"
#include "core/session/SessionRegistry.h"
#include "core/session/TokenLifecycle.h"
#include "core/util/Clock.h"
#include "core/vault/EnvironmentBundle.h"
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/PostmanImport.h"
#include "ui/app/AppMenus.h"
#include "ui/checks/ConformancePage.h"
#include "ui/checks/WebhookPage.h"
#include "ui/common/FileDialog.h"
#include "ui/common/MessageBox.h"
#include "ui/common/UiLogging.h"
#include "ui/composer/RequestComposer.h"
#include "ui/composer/RequestWorkspace.h"
#include "ui/credentials/CredentialEditor.h"
#include "ui/environments/BundleImportDialog.h"
#include "ui/environments/DemoEnvironments.h"
#include "ui/environments/EnvironmentDialog.h"
#include "ui/environments/EnvironmentList.h"
#include "ui/environments/EnvironmentListModel.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/health/HealthBoard.h"
#include "ui/sandbox/SandboxDialog.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace keyway::ui {

namespace {
QString keychainError(const SecretResult& result)
{
    return SecretStore::userMessage(result);
}
} // namespace

MainWindow::MainWindow(MainWindowOptions options, QWidget* parent)
    : QMainWindow(parent), m_profiles(ProfileRegistry::loadDefault()), m_secrets(options.secretStore)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Keyway"));
    if (!m_secrets) {
        m_secrets = new KeychainSecretStore(this);
    }
    for (const ProfileError& error : m_profiles.errors()) {
        qCWarning(lcUi) << "profile skipped:" << error.toString();
    }
    m_service = new EnvironmentService(&m_profiles, m_secrets, options.environmentsFile, this);
    m_sessions = new SessionRegistry(m_service, this);
    m_sessions->setUrlOpener([](const QUrl& url) { return QDesktopServices::openUrl(url); });
    connect(m_sessions, &SessionRegistry::event, this, &MainWindow::onTimelineEvent);
    m_model = new EnvironmentListModel(m_service, this);
    buildUi();
    buildActions();
    restoreLayout();
    reloadEnvironments();
    const QString last = QSettings().value(QStringLiteral("mainWindow/lastEnvironment")).toString();
    if (!last.isEmpty()) {
        selectEnvironment(last);
    }
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    m_list = new EnvironmentList(m_model, this);
    connect(m_list, &EnvironmentList::currentEnvironmentChanged, this, &MainWindow::onCurrentEnvironmentChanged);
    connect(m_list, &EnvironmentList::activated, this, [this] { m_tabs->setCurrentWidget(m_walkthrough); });

    m_walkthrough = new FlowWalkthrough(this);
    // The walkthrough runs steps with its own engine; its events and what it captured become the shared
    // session's, so the Requests tab uses the token the Flow tab fetched and the timeline shows it once.
    connect(m_walkthrough, &FlowWalkthrough::timelineEvent, this, [this](const FlowEvent& event) {
        m_sessions->publish(m_runningEnvironmentId, m_runningCredentialSet, event);
    });
    connect(m_walkthrough, &FlowWalkthrough::runStarted, this, [this] {
        m_timelineEvents.clear();
        m_runningEnvironmentId = currentEnvironmentId();
        m_runningCredentialSet = currentCredentialSet();
    });
    connect(m_walkthrough, &FlowWalkthrough::caFileRequested, this, &MainWindow::useCaFileForCurrentEnvironment);
    connect(m_walkthrough, &FlowWalkthrough::finished, this, [this](bool ok) {
        if (ok) {
            m_sessions->adopt(m_runningEnvironmentId, m_runningCredentialSet, m_walkthrough->capturedValues());
        }
        updateActions();
    });

    m_credentialsPanel = new QWidget(this);
    m_credentialsPanel->setObjectName(QStringLiteral("credentialsPanel"));
    m_credentialEditor = new CredentialEditor(m_service, m_credentialsPanel);
    m_credentialEditor->setSaveButtonVisible(true);
    connect(m_credentialEditor, &CredentialEditor::saveRequested, this, &MainWindow::saveCredentials);
    m_providerSummary = new QTextBrowser(m_credentialsPanel);
    m_providerSummary->setObjectName(QStringLiteral("credentialsSummary"));
    m_providerSummary->setAccessibleName(tr("Provider summary"));
    m_providerSummary->setOpenExternalLinks(true);
    m_providerSummary->setFocusPolicy(Qt::ClickFocus);
    m_providerSummary->setMaximumHeight(120);
    auto* credentialsLayout = new QVBoxLayout(m_credentialsPanel);
    credentialsLayout->addWidget(m_providerSummary);
    credentialsLayout->addWidget(m_credentialEditor, 1);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->addTab(m_walkthrough, tr("&Flow"));
    m_requests = new RequestWorkspace(QString(), this);
    m_service->setHistoryStore(m_requests->historyStore());
    m_tabs->addTab(m_requests, tr("&Requests"));
    connect(m_requests->composer(), &RequestComposer::finished, this, [this](bool ok) {
        if (!ok) {
            m_model->refreshState(currentEnvironmentId()); // a keychain that failed the send shows in the list
        }
    });
    m_tabs->addTab(m_credentialsPanel, tr("&Credentials"));
    m_conformance = new ConformancePage(this);
    connect(m_conformance, &ConformancePage::flowEvent, this, [this](const FlowEvent& event) {
        m_sessions->publish(currentEnvironmentId(), currentCredentialSet(), event);
    });
    m_tabs->addTab(m_conformance, tr("Check pro&vider"));
    m_webhook = new WebhookPage(this);
    m_tabs->addTab(m_webhook, tr("&Webhooks"));
    m_healthBoard = new HealthBoard(m_service, QString(), this);
    connect(m_healthBoard, &HealthBoard::openWalkthrough, this, [this](const QString& id, const QString& stepId) {
        selectEnvironment(id);
        m_tabs->setCurrentWidget(m_walkthrough);
        m_walkthrough->focusStep(stepId);
    });
    m_tabs->addTab(m_healthBoard, tr("Health boar&d"));
    connect(this, &MainWindow::environmentsReloaded, m_healthBoard, &HealthBoard::reload);

    m_timelineArea = new QWidget(this);
    m_timelineArea->setObjectName(QStringLiteral("timelineArea"));
    auto* timelineLayout = new QVBoxLayout(m_timelineArea);
    auto* timelineTitle = new QLabel(tr("Timeline"), m_timelineArea);
    QFont bold = timelineTitle->font();
    bold.setBold(true);
    timelineTitle->setFont(bold);
    m_timelineModel = new TimelineModel(this);
    // Lanes are keyed by environment id; the name shown is always the environment's current one.
    m_timelineModel->setEnvironmentNamer([this](const QString& id) {
        const Environment* environment = m_service->store().findById(id);
        return environment ? environment->name : QString();
    });
    auto* timelineScroll = new QScrollArea(m_timelineArea);
    timelineScroll->setObjectName(QStringLiteral("timelineScroll"));
    timelineScroll->setWidgetResizable(true);
    timelineScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    timelineScroll->setFrameShape(QFrame::NoFrame);
    m_timeline = new TimelineWidget(timelineScroll);
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_timeline->setModel(m_timelineModel);
    m_timeline->setToolTip(tr("Codes and tokens from issue to expiry. Ctrl+wheel or +/- zooms, F fits."));
    connect(m_timeline, &TimelineWidget::laneMenuRequested, this, &MainWindow::showLaneMenu);
    timelineScroll->setWidget(m_timeline);
    auto* timelineFilter = new QComboBox(m_timelineArea);
    timelineFilter->setObjectName(QStringLiteral("timelineFilter"));
    timelineFilter->addItem(tr("All environments"));
    timelineFilter->addItem(tr("This environment"));
    timelineFilter->setToolTip(tr("The selected environment's codes and tokens always come first."));
    connect(timelineFilter, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_timelineModel->setCurrentEnvironmentOnly(index == 1);
    });
    auto* timelineClear = new QPushButton(tr("Clear"), m_timelineArea);
    timelineClear->setObjectName(QStringLiteral("timelineClear"));
    timelineClear->setToolTip(tr("Remove every lane from the timeline (the tokens themselves stay valid)."));
    connect(timelineClear, &QPushButton::clicked, m_timelineModel, &TimelineModel::clear);
    auto* timelineHeader = new QHBoxLayout;
    timelineHeader->addWidget(timelineTitle);
    timelineHeader->addStretch(1);
    timelineHeader->addWidget(timelineFilter);
    timelineHeader->addWidget(timelineClear);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->addLayout(timelineHeader);
    timelineLayout->addWidget(timelineScroll, 1);

    // One credential-set choice for every tab, shown only for providers that have sets (Astrada api / sdk).
    m_setRow = new QWidget(this);
    m_setRow->setObjectName(QStringLiteral("credentialSetRow"));
    auto* setLayout = new QHBoxLayout(m_setRow);
    setLayout->setContentsMargins(0, 0, 0, 0);
    m_setCombo = new QComboBox(m_setRow);
    m_setCombo->setObjectName(QStringLiteral("credentialSetCombo"));
    auto* setLabel = new QLabel(tr("Crede&ntial set:"), m_setRow);
    setLabel->setBuddy(m_setCombo);
    setLayout->addWidget(setLabel);
    setLayout->addWidget(m_setCombo);
    setLayout->addStretch(1);
    m_setRow->hide();
    connect(m_setCombo, &QComboBox::activated, this, [this] {
        m_lastEnvironmentShown.clear();
        onCurrentEnvironmentChanged(currentEnvironmentId());
    });
    auto* tabsArea = new QWidget(this);
    auto* tabsLayout = new QVBoxLayout(tabsArea);
    tabsLayout->setContentsMargins(0, 0, 0, 0);
    tabsLayout->addWidget(m_setRow);
    tabsLayout->addWidget(m_tabs, 1);

    m_rightSplitter = new QSplitter(Qt::Vertical, this);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->addWidget(tabsArea);
    m_rightSplitter->addWidget(m_timelineArea);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 1);
    m_rightSplitter->setChildrenCollapsible(false);

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(m_list);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 1);
    m_mainSplitter->setStretchFactor(1, 3);
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->setSizes({340, 940});
    m_rightSplitter->setSizes({470, 250});
    setCentralWidget(m_mainSplitter);
    statusBar()->setObjectName(QStringLiteral("statusBar"));
}

void MainWindow::buildActions()
{
    QStyle* s = style();
    m_newAction = new QAction(s->standardIcon(QStyle::SP_FileIcon), tr("&New environment…"), this);
    m_newAction->setObjectName(QStringLiteral("newEnvironmentAction"));
    m_newAction->setShortcut(QKeySequence::New);
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newEnvironment);

    m_editAction = new QAction(s->standardIcon(QStyle::SP_FileDialogDetailedView), tr("&Edit environment…"), this);
    m_editAction->setObjectName(QStringLiteral("editEnvironmentAction"));
    m_editAction->setShortcut(Qt::Key_F2);
    // Only from the list: F2 in a table (the composer's headers) edits the cell, as everywhere else.
    m_editAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_list->view()->addAction(m_editAction);
    connect(m_editAction, &QAction::triggered, this, &MainWindow::editEnvironment);

    m_duplicateAction
        = new QAction(s->standardIcon(QStyle::SP_FileDialogNewFolder), tr("D&uplicate environment…"), this);
    m_duplicateAction->setObjectName(QStringLiteral("duplicateEnvironmentAction"));
    m_duplicateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    connect(m_duplicateAction, &QAction::triggered, this, &MainWindow::duplicateEnvironment);

    m_deleteAction = new QAction(s->standardIcon(QStyle::SP_TrashIcon), tr("&Delete environment…"), this);
    m_deleteAction->setObjectName(QStringLiteral("deleteEnvironmentAction"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    // Only from the list: Delete in a text field must delete text, not an environment.
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_list->view()->addAction(m_deleteAction);
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteEnvironment);

    m_runAction = new QAction(s->standardIcon(QStyle::SP_MediaPlay), tr("&Run flow"), this);
    m_runAction->setObjectName(QStringLiteral("runAction"));
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(m_runAction, &QAction::triggered, this, &MainWindow::run);

    m_stepAction = new QAction(s->standardIcon(QStyle::SP_MediaSeekForward), tr("Run next &step"), this);
    m_stepAction->setObjectName(QStringLiteral("stepAction"));
    m_stepAction->setShortcut(Qt::Key_F10);
    connect(m_stepAction, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_walkthrough);
        m_walkthrough->runNextStep();
    });

    m_cancelAction = new QAction(s->standardIcon(QStyle::SP_MediaStop), tr("&Cancel flow"), this);
    m_cancelAction->setObjectName(QStringLiteral("cancelAction"));
    m_cancelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    connect(m_cancelAction, &QAction::triggered, m_walkthrough, &FlowWalkthrough::cancel);

    auto* quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* file = menuBar()->addMenu(tr("&Environment"));
    file->addAction(m_newAction);
    file->addAction(m_editAction);
    file->addAction(m_duplicateAction);
    file->addAction(m_deleteAction);
    file->addSeparator();
    auto* importAction = new QAction(tr("&Import environments…"), this);
    importAction->setObjectName(QStringLiteral("importEnvironmentsAction"));
    connect(importAction, &QAction::triggered, this, &MainWindow::importEnvironments);
    auto* exportAction = new QAction(tr("E&xport environments…"), this);
    exportAction->setObjectName(QStringLiteral("exportEnvironmentsAction"));
    connect(exportAction, &QAction::triggered, this, &MainWindow::exportEnvironments);
    file->addAction(importAction);
    file->addAction(exportAction);
    file->addSeparator();
    file->addAction(quit);
    QMenu* flow = menuBar()->addMenu(tr("F&low"));
    flow->addAction(m_runAction);
    flow->addAction(m_stepAction);
    flow->addAction(m_cancelAction);
    m_sandboxAction = new QAction(tr("Sand&box…"), this);
    m_sandboxAction->setObjectName(QStringLiteral("sandboxAction"));
    m_sandboxAction->setEnabled(false); // until the embedded sandbox runs
    connect(m_sandboxAction, &QAction::triggered, this, &MainWindow::showSandboxDialog);
    flow->addSeparator();
    flow->addAction(m_sandboxAction);

    m_list->toolBar()->addAction(m_newAction);
    m_list->toolBar()->addAction(m_editAction);
    m_list->toolBar()->addAction(m_duplicateAction);
    m_list->toolBar()->addAction(m_deleteAction);
    connect(m_walkthrough, &FlowWalkthrough::runStarted, this, &MainWindow::updateActions);
    installApplicationMenus(this); // Settings and Help
}

void MainWindow::exportEnvironments()
{
    const QString path = FileDialog::getSaveFileName(
        this, tr("Export environments"), QStringLiteral("environments.keyway.json"), tr("Keyway bundles (*.json)"));
    if (path.isEmpty()) {
        return;
    }
    EnvironmentBundle::exportEnvironments(
        *m_service,
        {},
        this,
        [this, path](const std::optional<QList<BundleEnvironment>>& bundle, const QString& error) {
            const QByteArray bytes = bundle ? EnvironmentBundle::serialize(*bundle) : QByteArray();
            QSaveFile file(path);
            if (!bundle || !file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
                MessageBox::warning(this,
                                    tr("Export environments"),
                                    tr("The environments could not be exported to %1: %2. Choose another place and "
                                       "try again.")
                                        .arg(path, bundle ? file.errorString() : error));
                return;
            }
            statusBar()->showMessage(
                tr("Exported %n environment(s) to %1, without a single secret value.", nullptr, int(bundle->size()))
                    .arg(path));
        });
}

void MainWindow::importEnvironments()
{
    const QString path = FileDialog::getOpenFileName(
        this, tr("Import environments"), tr("Keyway bundles and Postman exports (*.json)"));
    if (path.isEmpty()) {
        return;
    }
    QFile file(path);
    const QByteArray content = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    QList<BundleEnvironment> environments;
    QMap<QString, QMap<QString, QString>> carried;
    QString error;
    if (EnvironmentBundle::looksLikeBundle(content)) {
        if (const auto parsed = EnvironmentBundle::parse(content, m_profiles, &error)) {
            environments = *parsed;
        }
    } else if (PostmanImport::looksLikePostman(content)) {
        if (const auto imported = PostmanImport::parse(content, m_profiles, &error)) {
            environments = imported->environments;
            carried = imported->secrets;
        }
    } else {
        error = file.error() != QFileDevice::NoError
            ? file.errorString()
            : tr("the file is neither a Keyway bundle nor a Postman environment or collection v2.1");
    }
    if (environments.isEmpty()) {
        MessageBox::warning(
            this,
            tr("Import environments"),
            tr("%1 cannot be imported: %2").arg(path, error.isEmpty() ? tr("it holds no environment") : error));
        return;
    }
    BundleImportDialog dialog(m_service, environments, carried, this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    EnvironmentBundle::importEnvironments(
        *m_service,
        dialog.environments(),
        dialog.secrets(),
        dialog.replace(),
        this,
        [this](const BundleImportResult& result) {
            if (!result.ok) {
                MessageBox::warning(this, tr("Import environments"), result.error);
                return;
            }
            reloadEnvironments();
            QStringList missing;
            for (auto it = result.missingSecrets.cbegin(); it != result.missingSecrets.cend(); ++it) {
                for (const QString& key : it.value()) {
                    missing.append(it.key() + QLatin1Char('.') + key);
                }
            }
            const int count = static_cast<int>(result.imported.size());
            statusBar()->showMessage(
                missing.isEmpty()
                    ? tr("Imported %n environment(s).", nullptr, count)
                    : tr("Imported %n environment(s). Secrets still missing: %1; add them in the Credentials tab.",
                         nullptr,
                         count)
                          .arg(missing.join(QStringLiteral(", "))));
        });
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray())) {
        resize(1280, 800);
    }
    fitToScreen();
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    m_mainSplitter->restoreState(settings.value(QStringLiteral("mainWindow/mainSplitter")).toByteArray());
    m_rightSplitter->restoreState(settings.value(QStringLiteral("mainWindow/rightSplitter")).toByteArray());
}

void MainWindow::fitToScreen()
{
    // The default size, or one saved on a bigger monitor, must not open past the edges of a 1024x700 screen:
    // the status bar and the timeline would be out of reach.
    const QScreen* target = screen();
    if (!target) {
        return;
    }
    const QRect available = target->availableGeometry();
    // The frame is known only once the window is shown; before that, leave room for a typical title bar.
    const QSize frame = isVisible() ? frameGeometry().size() - geometry().size() : QSize(8, 32);
    const QSize fitted = size().boundedTo(available.size() - frame).expandedTo(minimumSizeHint());
    if (fitted != size()) {
        resize(fitted);
    }
    QRect placed = geometry();
    if (!available.contains(placed)) {
        placed.moveTopLeft(QPoint(
            std::clamp(placed.left(), available.left(), std::max(available.left(), available.right() - placed.width())),
            std::clamp(
                placed.top(), available.top(), std::max(available.top(), available.bottom() - placed.height()))));
        move(placed.topLeft());
    }
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    settings.setValue(QStringLiteral("mainWindow/mainSplitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("mainWindow/rightSplitter"), m_rightSplitter->saveState());
    settings.setValue(QStringLiteral("mainWindow/lastEnvironment"), currentEnvironmentId());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    m_walkthrough->cancel();
    QMainWindow::closeEvent(event);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_fittedOnShow) {
        m_fittedOnShow = true;
        fitToScreen(); // again, now that the window manager's frame is known
    }
}

void MainWindow::showSandboxDialog()
{
    if (!m_sandbox) {
        return;
    }
    auto* dialog = new SandboxDialog(m_sandbox, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SandboxDialog::timeScaleChanged, this, [this](double scale) {
        statusBar()->showMessage(
            tr("Sandbox time scale %1×: codes and tokens issued from now on live 1/%1 as long.").arg(scale), 8000);
    });
    dialog->open();
}

void MainWindow::useSandbox(sandbox::SandboxServer& server)
{
    m_sandbox = &server;
    m_sandboxAction->setEnabled(true);
    auto* demos = new DemoEnvironments(m_service, this);
    connect(demos, &DemoEnvironments::finished, this, [this, demos](bool changed, const QString& error) {
        demos->deleteLater();
        if (!error.isEmpty()) {
            statusBar()->showMessage(error);
        }
        if (changed) {
            const QString current = currentEnvironmentId();
            reloadEnvironments();
            if (!current.isEmpty()) {
                selectEnvironment(current);
            }
        }
        if (currentEnvironmentId().isEmpty()) {
            // The presenter's path: the featured provider's sandbox, ready to Run; without one, the first
            // environment in list order.
            const QList<Environment>& environments = m_service->environments();
            QString pick = environments.isEmpty() ? QString() : environments.first().id;
            for (const Environment& environment : environments) {
                const ProviderProfile* profile = m_profiles.find(environment.providerId);
                if (profile && profile->featured) {
                    pick = environment.id;
                    break;
                }
            }
            if (!pick.isEmpty()) {
                selectEnvironment(pick);
            }
        }
    });
    // Permanent: a temporary message would be erased by the next one, and the port is needed all along.
    auto* sandboxLabel = findChild<QLabel*>(QStringLiteral("sandboxStatus"));
    if (!sandboxLabel) {
        sandboxLabel = new QLabel(this);
        sandboxLabel->setObjectName(QStringLiteral("sandboxStatus"));
        sandboxLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        statusBar()->addPermanentWidget(sandboxLabel);
    }
    sandboxLabel->setText(tr("Embedded sandbox on %1").arg(server.rootUrl().toString()));
    demos->apply(server);
}

void MainWindow::reloadEnvironments()
{
    QString error;
    if (!m_service->reload(&error)) {
        statusBar()->showMessage(error);
        qCWarning(lcUi) << "environments not loaded:" << error;
    }
    const QString current = m_list->currentEnvironmentId();
    m_model->setEnvironments(m_service->environments());
    m_timelineModel->environmentsChanged(); // a rename shows on the lanes at once
    m_list->view()->expandAll();
    if (!current.isEmpty()) {
        m_list->selectEnvironment(current);
    }
    // Renamed elsewhere (another window's dialog, the command line): every title follows at once. The Flow
    // tab keeps its run, even a running one; the other pages are shown afresh when nothing runs.
    const Environment* shown = currentEnvironment();
    if (shown && shown->id == m_lastEnvironmentShown && shown->name != m_nameShown) {
        m_walkthrough->setEnvironmentName(shown->name);
        if (!m_walkthrough->isRunning() && !m_conformance->isRunning()) {
            m_lastEnvironmentShown.clear();
            onCurrentEnvironmentChanged(shown->id);
        }
        m_nameShown = shown->name;
    }
    updateActions();
    Q_EMIT environmentsReloaded();
}

QString MainWindow::currentEnvironmentId() const
{
    return m_list->currentEnvironmentId();
}

void MainWindow::selectEnvironment(const QString& environmentId)
{
    m_list->selectEnvironment(environmentId);
    m_list->view()->setFocus(Qt::OtherFocusReason);
}

void MainWindow::useCaFileForCurrentEnvironment()
{
    const Environment* current = currentEnvironment();
    if (!current) {
        return;
    }
    const QString path = FileDialog::getOpenFileName(this,
                                                     tr("CA certificates %1 trusts (PEM)").arg(current->name),
                                                     tr("PEM files (*.pem *.crt *.cer);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    Environment updated = *current;
    updated.values.insert(ConnectionSettings::caFileKey(), path);
    const QPointer<MainWindow> self(this);
    m_service->update(updated, {}, {}, [self, name = current->name, path](const EnvironmentChange& change) {
        if (!self) {
            return;
        }
        if (change.ok()) {
            self->reloadEnvironments();
        }
        self->statusBar()->showMessage(
            change.ok() ? tr("%1 now trusts the CA certificates in %2 as well. Run the flow again.").arg(name, path)
                        : change.error);
    });
}

const Environment* MainWindow::currentEnvironment() const
{
    return m_service->store().findById(currentEnvironmentId());
}

QString MainWindow::currentCredentialSet() const
{
    return m_setRow->isHidden() ? QString() : m_setCombo->currentData().toString();
}

void MainWindow::setCurrentCredentialSet(const QString& setId)
{
    const int index = m_setCombo->findData(setId);
    if (index >= 0 && index != m_setCombo->currentIndex()) {
        m_setCombo->setCurrentIndex(index);
        m_lastEnvironmentShown.clear();
        onCurrentEnvironmentChanged(currentEnvironmentId());
    }
}

void MainWindow::onCurrentEnvironmentChanged(const QString& environmentId)
{
    const Environment* environment = m_service->store().findById(environmentId);
    const ProviderProfile* profile = environment ? m_service->profileOf(*environment) : nullptr;
    m_timelineModel->setCurrentEnvironment(environmentId);
    updateActions();
    if (environmentId == m_lastEnvironmentShown) {
        return;
    }
    const bool otherEnvironment = environmentId != m_setCombo->property("environmentId").toString();
    m_lastEnvironmentShown = environmentId;
    if (!environment || !profile) {
        m_setRow->hide();
        m_walkthrough->setEnvironment(nullptr, {}, {}, {}, {}, {});
        m_requests->setEnvironment(nullptr, {}, {}, nullptr);
        m_conformance->setEnvironment(nullptr, {}, {}, {});
        m_webhook->setEnvironment(nullptr, {}, {});
        m_credentialEditor->setProfile(nullptr);
        m_providerSummary->clear();
        return;
    }
    if (otherEnvironment) {
        m_setCombo->setProperty("environmentId", environmentId);
        m_setCombo->clear();
        for (const CredentialSet& set : profile->credentialSets) {
            m_setCombo->addItem(set.label.isEmpty() ? set.id : set.label, set.id);
        }
        const int preferred = m_setCombo->findData(profile->defaultCredentialSet());
        m_setCombo->setCurrentIndex(preferred < 0 ? 0 : preferred);
        m_setRow->setVisible(!profile->credentialSets.isEmpty());
    }
    showEnvironment(*environment, profile);
    m_timelineEvents.clear();
}

void MainWindow::showEnvironment(const Environment& environment, const ProviderProfile* profile)
{
    const QString set = currentCredentialSet();
    // Secrets are read when a run needs them, not on every click: a locked keychain then asks once.
    QStringList secretFields;
    for (const CredentialField& field : profile->fieldsOfSet(set)) {
        if (field.secret) {
            secretFields.append(field.key);
        }
    }
    const QPointer<EnvironmentService> service(m_service);
    const QPointer<EnvironmentListModel> model(m_model);
    const QString id = environment.id;
    auto loader = [service, model, id, set, secretFields](const FlowWalkthrough::CredentialsCallback& done) {
        const std::optional<Environment> current = service ? service->findById(id) : std::nullopt;
        if (!current) {
            done({}, tr("This environment no longer exists."), nullptr);
            return;
        }
        service->readCredentials(*current, set, secretFields, [done, model, id](const CredentialBundle& bundle) {
            if (bundle.failure && model) {
                model->refreshState(id); // the list must not say "all set" while this tab says locked
            }
            done(bundle.values, bundle.failure ? keychainError(*bundle.failure) : QString(), bundle.connection);
        });
    };
    const QString baseUrl = m_service->baseUrlOf(environment);
    m_nameShown = environment.name;
    m_walkthrough->setEnvironment(profile, environment.id, environment.name, baseUrl, set, loader);
    m_requests->setEnvironment(profile, environment, set, m_sessions);
    m_conformance->setEnvironment(profile, environment.name, baseUrl, loader);
    m_webhook->setEnvironment(profile, environment.name, loader);
    m_credentialEditor->setProfile(profile);
    m_credentialEditor->loadEnvironment(environment.id, environment.values);
    m_providerSummary->setHtml(
        QStringLiteral("<b>%1</b> — %2<br/><small>%3</small>")
            .arg(profile->name.toHtmlEscaped(), environment.baseUrl.toHtmlEscaped(), profile->summary.toHtmlEscaped()));
}

QString MainWindow::laneId(const QString& environmentId, const QString& credentialSet, const QString& valueName)
{
    QString id = environmentId + QLatin1Char('/');
    if (!credentialSet.isEmpty()) {
        id += credentialSet + QLatin1Char('/');
    }
    return id + valueName;
}

void MainWindow::onTimelineEvent(const QString& environmentId, const QString& credentialSet, const FlowEvent& event)
{
    if (environmentId == currentEnvironmentId()) {
        m_timelineEvents.append(event);
    }
    if (event.discovered) {
        return; // a discovered endpoint lives as long as the configuration: nothing to draw
    }
    const Environment* environment = m_service->store().findById(environmentId);
    const ProviderProfile* profile = environment ? m_service->profileOf(*environment) : nullptr;
    // Lanes are per credential set only where a provider has sets.
    const QString set = profile && !profile->credentialSets.isEmpty() ? credentialSet : QString();
    const QString id = laneId(environmentId, set, event.name);
    switch (event.type) {
    case FlowEvent::Type::Captured: {
        if (profile && !event.stepId.isEmpty() && event.value) {
            // A device step's public values (user code, addresses, interval) are shown in the sign-in panel; the
            // device code's lane counts down to the code's expiry.
            const auto step = std::find_if(profile->steps.cbegin(), profile->steps.cend(), [&event](const FlowStep& s) {
                return s.id == event.stepId;
            });
            if (step != profile->steps.cend() && step->kind == StepKind::Device) {
                break;
            }
        }
        TimelineEntry entry;
        entry.id = id;
        if (event.name == QLatin1String("code")) {
            entry.name = tr("authorization code");
        } else if (event.name == QLatin1String("device_code")) {
            entry.name = tr("device code");
        } else if (event.name == QLatin1String("access_token")) {
            entry.name = tr("access token");
        } else if (event.name == QLatin1String("refresh_token")) {
            entry.name = tr("refresh token");
        } else if (event.name == QLatin1String("id_token")) {
            entry.name = !event.verified ? tr("ID token")
                : *event.verified        ? tr("ID token (verified)")
                                         : tr("ID token (not verified)");
        } else if (const QString label = profile ? profile->captureLabel(event.name) : QString(); !label.isEmpty()) {
            entry.name = label; // the profile names what only it captures (user ID, granted scope)
        } else {
            // A user's profile without a label: at least no snake_case on screen.
            entry.name = QString(event.name).replace(QLatin1Char('_'), QLatin1Char(' '));
        }
        if (!set.isEmpty()) {
            entry.name = tr("%1 (%2)").arg(entry.name, set);
        }
        entry.environmentId = environmentId;
        entry.environment = environment ? environment->name : QString();
        entry.lifetimeAssumed = event.lifetimeAssumed;
        entry.issued
            = QDateTime::fromMSecsSinceEpoch(event.issuedMs > 0 ? event.issuedMs : Clock::currentMSecsSinceEpoch());
        qint64 expiresMs = event.expiresMs;
        const bool scaledSandbox = m_sandbox && m_sandbox->timeScale() > 1 && environment
            && environment->baseUrl.startsWith(m_sandbox->rootUrl().toString());
        if (expiresMs > 0 && event.lifetimeAssumed && scaledSandbox) {
            // The profile's documented lifetime, but this sandbox runs faster: draw what it really grants.
            const qint64 issued = entry.issued.toMSecsSinceEpoch();
            expiresMs = issued + static_cast<qint64>(static_cast<double>(expiresMs - issued) / m_sandbox->timeScale());
        }
        if (expiresMs > 0) {
            entry.expires = QDateTime::fromMSecsSinceEpoch(expiresMs);
        }
        entry.singleUse = event.singleUse;
        m_timelineModel->upsert(entry);
        break;
    }
    case FlowEvent::Type::Consumed:
        m_timelineModel->markConsumed(id, Clock::currentDateTimeUtc());
        break;
    case FlowEvent::Type::Revoked:
        m_timelineModel->markRevoked(id);
        break;
    case FlowEvent::Type::Expired:
        // An API call refused the token before its time (revoked, or issued for another environment):
        // the lane says so the moment it happens. A token past its expiry is drawn from its times.
        if (event.stepId == QLatin1String("api")
            && (event.expiresMs <= 0 || Clock::currentMSecsSinceEpoch() < event.expiresMs)) {
            m_timelineModel->markFailed(id);
        }
        break;
    default:
        break;
    }
}

void MainWindow::showLaneMenu(const QString& laneId, const QPoint& globalPos)
{
    const auto entry = m_timelineModel->entry(laneId);
    const Environment* environment = entry ? m_service->store().findById(entry->environmentId) : nullptr;
    const ProviderProfile* profile = environment ? m_service->profileOf(*environment) : nullptr;
    if (!profile) {
        return;
    }
    // Lane ids are environment/[set/]value (laneId()).
    const QStringList parts = laneId.mid(entry->environmentId.size() + 1).split(QLatin1Char('/'));
    const QString name = parts.last();
    const QString set = parts.size() > 1 ? parts.first() : QString();
    if (name != profile->token.capture && name != QLatin1String("refresh_token")) {
        return;
    }
    auto* menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("timelineLaneMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction* introspect = menu->addAction(tr("Introspect"));
    introspect->setObjectName(QStringLiteral("introspectAction"));
    introspect->setToolTip(tr("Ask the provider whether this token is still active"));
    QAction* revoke = menu->addAction(tr("Revoke"));
    revoke->setObjectName(QStringLiteral("revokeAction"));
    revoke->setToolTip(tr("Revoke this token at the provider; Keyway forgets it"));
    revoke->setEnabled(!entry->revoked);
    const QString environmentId = entry->environmentId;
    connect(introspect, &QAction::triggered, this, [this, environmentId, set, name] {
        runTokenLifecycle(environmentId, set, name, false);
    });
    connect(revoke, &QAction::triggered, this, [this, environmentId, set, name] {
        runTokenLifecycle(environmentId, set, name, true);
    });
    menu->popup(globalPos);
}

void MainWindow::runTokenLifecycle(const QString& environmentId,
                                   const QString& credentialSet,
                                   const QString& name,
                                   bool revoke)
{
    statusBar()->showMessage(revoke ? tr("Revoking the %1…").arg(name) : tr("Introspecting the %1…").arg(name));
    m_sessions->acquire(
        environmentId,
        credentialSet,
        this,
        [this, name, revoke, lane = laneId(environmentId, credentialSet, name)](Session* session,
                                                                                const QString& error) {
            if (!session) {
                statusBar()->showMessage(error, 10000);
                return;
            }
            auto* lifecycle = new TokenLifecycle(session, this);
            const auto which = name == QLatin1String("refresh_token") ? TokenLifecycle::Which::RefreshToken
                                                                      : TokenLifecycle::Which::AccessToken;
            auto done = [this, lifecycle, revoke, name, lane](const LifecycleResult& r) {
                lifecycle->deleteLater();
                QString text;
                if (!r.ok()) {
                    text = r.detail;
                } else if (revoke) {
                    text = r.revoked.isEmpty() ? r.detail
                                               : tr("The %1 was revoked at the provider; Keyway forgot it.").arg(name);
                } else {
                    text = r.active ? tr("The provider says the %1 is active.").arg(name)
                                    : tr("The provider says the %1 is not active.").arg(name);
                    if (!r.active) {
                        // The provider's word beats the expiry Keyway was told: the lane stops promising time.
                        m_timelineModel->markFailed(lane);
                    }
                }
                statusBar()->showMessage(text, 10000);
                auto* box = new QMessageBox(QMessageBox::Information,
                                            revoke ? tr("Revocation") : tr("Introspection"),
                                            text,
                                            QMessageBox::Close,
                                            this);
                box->setObjectName(QStringLiteral("tokenLifecycleReply"));
                box->setAttribute(Qt::WA_DeleteOnClose);
                if (!r.body.trimmed().isEmpty()) {
                    box->setInformativeText(tr("The provider's reply:"));
                    const auto doc = nlohmann::json::parse(r.body.toStdString(), nullptr, false);
                    box->setDetailedText(doc.is_discarded() ? r.body : QString::fromStdString(doc.dump(2)));
                }
                box->open();
            };
            if (revoke) {
                lifecycle->revoke(which, done);
            } else {
                lifecycle->introspect(which, done);
            }
        });
}

void MainWindow::run()
{
    if (currentEnvironmentId().isEmpty()) {
        statusBar()->showMessage(tr("Select an environment first."), 5000);
        return;
    }
    m_tabs->setCurrentWidget(m_walkthrough);
    m_walkthrough->runAll();
    updateActions();
}

void MainWindow::updateActions()
{
    const bool hasEnvironment = currentEnvironment() != nullptr;
    const bool running = m_walkthrough->isRunning();
    m_editAction->setEnabled(hasEnvironment);
    m_duplicateAction->setEnabled(hasEnvironment);
    m_deleteAction->setEnabled(hasEnvironment && !running);
    m_runAction->setEnabled(hasEnvironment && !running);
    m_stepAction->setEnabled(hasEnvironment && !running);
    m_cancelAction->setEnabled(running);
}

void MainWindow::newEnvironment()
{
    openDialog(static_cast<int>(EnvironmentDialog::Mode::Add));
}

void MainWindow::editEnvironment()
{
    openDialog(static_cast<int>(EnvironmentDialog::Mode::Edit));
}

void MainWindow::duplicateEnvironment()
{
    openDialog(static_cast<int>(EnvironmentDialog::Mode::Duplicate));
}

void MainWindow::openDialog(int modeValue)
{
    const auto mode = static_cast<EnvironmentDialog::Mode>(modeValue);
    const Environment* source = currentEnvironment();
    if (mode != EnvironmentDialog::Mode::Add && !source) {
        return;
    }
    auto* dialog = new EnvironmentDialog(mode, m_service, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (source && mode != EnvironmentDialog::Mode::Add) {
        dialog->setSource(*source);
    } else if (source) {
        dialog->setProvider(source->providerId);
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString id = dialog->environment().id;
        m_lastEnvironmentShown.clear(); // show the saved values even if it is the same environment
        reloadEnvironments();
        m_model->refreshState(id);
        selectEnvironment(id);
        statusBar()->showMessage(tr("Saved “%1”.").arg(dialog->environment().name), 5000);
    });
    dialog->open();
}

void MainWindow::deleteEnvironment()
{
    const Environment* environment = currentEnvironment();
    if (!environment) {
        return;
    }
    const Environment doomed = *environment;
    if (MessageBox::question(
            this,
            tr("Delete environment"),
            tr("Delete “%1” and its secrets from the keychain? This cannot be undone.").arg(doomed.name),
            QMessageBox::Yes | QMessageBox::Cancel,
            QMessageBox::Cancel)
        != QMessageBox::Yes) {
        return;
    }
    QPointer<MainWindow> self(this);
    m_service->remove(doomed.id, [self, doomed](const EnvironmentChange& change) {
        if (!self) {
            return;
        }
        if (!change.ok()) {
            // The environment is kept: deleting it now would orphan its secrets in the keychain.
            const QString why
                = change.status == EnvironmentChange::Status::Keychain ? keychainError(change.keychain) : change.error;
            MessageBox::warning(self, tr("Delete environment"), tr("“%1” was not deleted. %2").arg(doomed.name, why));
            return;
        }
        self->m_requests->historyRemoved(doomed.id);
        self->reloadEnvironments();
        self->statusBar()->showMessage(tr("Deleted “%1”.").arg(doomed.name), 5000);
    });
}

void MainWindow::saveCredentials()
{
    const Environment* environment = currentEnvironment();
    if (!environment) {
        return;
    }
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection
        = connect(m_credentialEditor, &CredentialEditor::saved, this, [this, connection](const Environment& saved) {
              disconnect(*connection);
              reloadEnvironments();
              m_model->refreshState(saved.id);
              statusBar()->showMessage(tr("Credentials saved."), 5000);
          });
    m_credentialEditor->save(*environment, false);
}

} // namespace keyway::ui
