#include "ui/MainWindow.h"

#include "core/sandbox/SandboxServer.h"
#include "core/util/Clock.h"
#include "core/vault/KeychainSecretStore.h"
#include "core/vault/SecretBatch.h"
#include "ui/app/AppMenus.h"
#include "ui/checks/ConformancePage.h"
#include "ui/checks/WebhookPage.h"
#include "ui/common/MessageBox.h"
#include "ui/common/UiLogging.h"
#include "ui/composer/RequestWorkspace.h"
#include "ui/credentials/CredentialEditor.h"
#include "ui/environments/DemoEnvironments.h"
#include "ui/environments/EnvironmentDialog.h"
#include "ui/environments/EnvironmentList.h"
#include "ui/environments/EnvironmentListModel.h"
#include "ui/flow/FlowWalkthrough.h"
#include "ui/timeline/TimelineModel.h"
#include "ui/timeline/TimelineWidget.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QLockFile>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace keyway::ui {

namespace {
QString keychainError(const SecretResult& result)
{
    switch (result.status) {
    case SecretStatus::Locked:
        return MainWindow::tr("The keychain is locked: unlock it, then try again.");
    case SecretStatus::Unavailable:
        return MainWindow::tr("No keychain is available: start your desktop's keyring, then try again.");
    case SecretStatus::Denied:
        return MainWindow::tr("The keychain refused access: allow Keyway, then try again.");
    default:
        return MainWindow::tr("The keychain reported an error: %1").arg(result.error);
    }
}
} // namespace

MainWindow::MainWindow(MainWindowOptions options, QWidget* parent)
    : QMainWindow(parent)
    , m_profiles(ProfileRegistry::loadDefault())
    , m_environments(options.environmentsFile.isEmpty() ? EnvironmentStore::defaultFilePath()
                                                        : options.environmentsFile)
    , m_secrets(options.secretStore)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Keyway"));
    if (!m_secrets) {
        m_secrets = new KeychainSecretStore(this);
    }
    for (const ProfileError& error : m_profiles.errors()) {
        qCWarning(lcUi) << "profile skipped:" << error.toString();
    }
    m_model = new EnvironmentListModel(&m_profiles, m_secrets, this);
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
    connect(m_walkthrough, &FlowWalkthrough::timelineEvent, this, &MainWindow::onTimelineEvent);
    connect(m_walkthrough, &FlowWalkthrough::runStarted, this, [this] {
        m_timelineEvents.clear();
        m_runningEnvironmentId = currentEnvironmentId();
    });
    connect(m_walkthrough, &FlowWalkthrough::finished, this, [this] { updateActions(); });

    m_credentialsPanel = new QWidget(this);
    m_credentialsPanel->setObjectName(QStringLiteral("credentialsPanel"));
    m_credentialEditor = new CredentialEditor(m_secrets, m_credentialsPanel);
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
    m_tabs->addTab(m_requests, tr("&Requests"));
    m_tabs->addTab(m_credentialsPanel, tr("&Credentials"));
    m_conformance = new ConformancePage(this);
    m_tabs->addTab(m_conformance, tr("Check pro&vider"));
    m_webhook = new WebhookPage(this);
    m_tabs->addTab(m_webhook, tr("&Webhooks"));

    m_timelineArea = new QWidget(this);
    m_timelineArea->setObjectName(QStringLiteral("timelineArea"));
    auto* timelineLayout = new QVBoxLayout(m_timelineArea);
    auto* timelineTitle = new QLabel(tr("Timeline"), m_timelineArea);
    QFont bold = timelineTitle->font();
    bold.setBold(true);
    timelineTitle->setFont(bold);
    m_timelineModel = new TimelineModel(this);
    m_timeline = new TimelineWidget(m_timelineArea);
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_timeline->setModel(m_timelineModel);
    m_timeline->setToolTip(tr("Codes and tokens from issue to expiry. Ctrl+wheel or +/- zooms, F fits."));
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->addWidget(timelineTitle);
    timelineLayout->addWidget(m_timeline, 1);

    m_rightSplitter = new QSplitter(Qt::Vertical, this);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->addWidget(m_tabs);
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
    file->addAction(quit);
    QMenu* flow = menuBar()->addMenu(tr("F&low"));
    flow->addAction(m_runAction);
    flow->addAction(m_stepAction);
    flow->addAction(m_cancelAction);

    m_list->toolBar()->addAction(m_newAction);
    m_list->toolBar()->addAction(m_editAction);
    m_list->toolBar()->addAction(m_duplicateAction);
    m_list->toolBar()->addAction(m_deleteAction);
    connect(m_walkthrough, &FlowWalkthrough::runStarted, this, &MainWindow::updateActions);
    installApplicationMenus(this); // Settings and Help
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray())) {
        resize(1280, 800);
    }
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    m_mainSplitter->restoreState(settings.value(QStringLiteral("mainWindow/mainSplitter")).toByteArray());
    m_rightSplitter->restoreState(settings.value(QStringLiteral("mainWindow/rightSplitter")).toByteArray());
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

void MainWindow::useSandbox(const sandbox::SandboxServer& server)
{
    auto* demos = new DemoEnvironments(&m_profiles, &m_environments, m_secrets, this);
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
            // The presenter's path: the Seismic sandbox, ready to Run.
            for (const Environment& environment : m_environments.environments()) {
                if (environment.providerId == QLatin1String("seismic")) {
                    selectEnvironment(environment.id);
                    break;
                }
            }
        }
    });
    statusBar()->showMessage(tr("Embedded sandbox on %1").arg(server.rootUrl().toString()));
    demos->apply(server);
}

void MainWindow::reloadEnvironments()
{
    QString error;
    if (!m_environments.load(&error)) {
        statusBar()->showMessage(error);
        qCWarning(lcUi) << "environments not loaded:" << error;
    }
    const QString current = m_list->currentEnvironmentId();
    m_model->setEnvironments(m_environments.environments());
    m_list->view()->expandAll();
    if (!current.isEmpty()) {
        m_list->selectEnvironment(current);
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

const Environment* MainWindow::currentEnvironment() const
{
    return m_environments.findById(currentEnvironmentId());
}

void MainWindow::onCurrentEnvironmentChanged(const QString& environmentId)
{
    const Environment* environment = m_environments.findById(environmentId);
    const ProviderProfile* profile = environment ? m_profiles.find(environment->providerId) : nullptr;
    updateActions();
    if (environmentId == m_lastEnvironmentShown) {
        return;
    }
    m_lastEnvironmentShown = environmentId;
    if (!environment || !profile) {
        m_walkthrough->setEnvironment(nullptr, {}, {}, {}, {});
        m_requests->setEnvironment(nullptr, {}, {});
        m_conformance->setEnvironment(nullptr, {}, {}, {});
        m_webhook->setEnvironment(nullptr, {}, {});
        m_credentialEditor->setProfile(nullptr);
        m_providerSummary->clear();
        return;
    }
    // Secrets are read when a run needs them, not on every click: a locked keychain then asks once.
    const QString id = environment->id;
    const QPointer<SecretStore> store(m_secrets);
    const ProviderProfile* p = profile;
    const QMap<QString, QString> plainValues = environment->values;
    auto loader = [store, id, p, plainValues](const FlowWalkthrough::CredentialsCallback& done) {
        if (!store) {
            done({}, tr("No keychain."));
            return;
        }
        QStringList keys;
        for (const CredentialField& field : p->fields) {
            if (field.secret) {
                keys.append(SecretStore::keyFor(id, field.key));
            }
        }
        SecretBatch::readAll(*store, keys, [done, id, p, plainValues](const SecretBatch::Results& results) {
            QMap<QString, QString> values = plainValues;
            for (const CredentialField& field : p->fields) {
                const SecretResult result = results.value(SecretStore::keyFor(id, field.key));
                if (!field.secret) {
                    continue;
                }
                if (result.ok()) {
                    values.insert(field.key, result.value);
                } else if (result.status != SecretStatus::Missing) {
                    done({}, keychainError(result));
                    return;
                }
            }
            done(values, QString());
        });
    };
    m_walkthrough->setEnvironment(
        profile, environment->name, environment->baseUrl, profile->defaultCredentialSet(), loader);
    m_requests->setEnvironment(profile, *environment, loader);
    m_conformance->setEnvironment(profile, environment->name, environment->baseUrl, loader);
    m_webhook->setEnvironment(profile, environment->name, loader);
    m_credentialEditor->setProfile(profile);
    m_credentialEditor->loadEnvironment(environment->id, environment->values);
    m_providerSummary->setHtml(QStringLiteral("<b>%1</b> — %2<br/><small>%3</small>")
                                   .arg(profile->name.toHtmlEscaped(),
                                        environment->baseUrl.toHtmlEscaped(),
                                        profile->summary.toHtmlEscaped()));
    m_timelineEvents.clear();
}

QString MainWindow::laneId(const QString& environmentId, const QString& valueName)
{
    return environmentId + QLatin1Char('/') + valueName;
}

void MainWindow::onTimelineEvent(const FlowEvent& event)
{
    m_timelineEvents.append(event);
    const Environment* environment = m_environments.findById(m_runningEnvironmentId);
    const QString id = laneId(m_runningEnvironmentId, event.name);
    switch (event.type) {
    case FlowEvent::Type::Captured: {
        TimelineEntry entry;
        entry.id = id;
        if (event.name == QLatin1String("code")) {
            entry.name = tr("authorization code");
        } else if (event.name == QLatin1String("access_token")) {
            entry.name = tr("access token");
        } else if (event.name == QLatin1String("refresh_token")) {
            entry.name = tr("refresh token");
        } else {
            entry.name = event.name;
        }
        entry.environment = environment ? environment->name : QString();
        entry.issued
            = QDateTime::fromMSecsSinceEpoch(event.issuedMs > 0 ? event.issuedMs : Clock::currentMSecsSinceEpoch());
        if (event.expiresMs > 0) {
            entry.expires = QDateTime::fromMSecsSinceEpoch(event.expiresMs);
        }
        entry.singleUse = event.singleUse;
        m_timelineModel->upsert(entry);
        break;
    }
    case FlowEvent::Type::Consumed:
        m_timelineModel->markConsumed(id, Clock::currentDateTimeUtc());
        break;
    default:
        break; // expiry is drawn from the times themselves
    }
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
    auto* dialog = new EnvironmentDialog(mode, &m_profiles, &m_environments, m_secrets, this);
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
    QStringList keys;
    if (const ProviderProfile* profile = m_profiles.find(doomed.providerId)) {
        for (const CredentialField& field : profile->fields) {
            if (field.secret) {
                keys.append(SecretStore::keyFor(doomed.id, field.key));
            }
        }
        keys.append(SecretStore::refreshTokenKey(doomed.id, QString()));
        for (const CredentialSet& set : profile->credentialSets) {
            keys.append(SecretStore::refreshTokenKey(doomed.id, set.id));
        }
    }
    QPointer<MainWindow> self(this);
    SecretBatch::removeAll(*m_secrets, keys, [self, doomed](const SecretBatch::Results& results) {
        if (!self) {
            return;
        }
        if (const SecretResult* failure = SecretBatch::firstFailure(results)) {
            // Keep the environment: deleting it now would orphan its secrets in the keychain.
            MessageBox::warning(self,
                                tr("Delete environment"),
                                tr("“%1” was not deleted. %2").arg(doomed.name, keychainError(*failure)));
            return;
        }
        QString error;
        const auto lock = self->m_environments.lock();
        self->m_environments.load(&error);
        self->m_environments.remove(doomed.id);
        self->m_requests->clearHistory(doomed.id);
        if (!self->m_environments.save(&error)) {
            MessageBox::warning(self, tr("Delete environment"), error);
        }
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
    const QString id = environment->id;
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_credentialEditor, &CredentialEditor::saved, this, [this, id, connection] {
        disconnect(*connection);
        const Environment* current = m_environments.findById(id);
        if (!current) {
            return;
        }
        Environment updated = *current;
        updated.values = m_credentialEditor->nonSecretValues();
        QString error;
        const auto lock = m_environments.lock();
        m_environments.load(&error);
        if (!m_environments.update(updated, &error) || !m_environments.save(&error)) {
            statusBar()->showMessage(error);
            return;
        }
        m_model->refreshState(id);
        statusBar()->showMessage(tr("Credentials saved."), 5000);
    });
    m_credentialEditor->saveSecrets(id);
}

} // namespace keyway::ui
