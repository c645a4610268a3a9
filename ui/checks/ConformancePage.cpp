#include "ui/checks/ConformancePage.h"

#include "core/util/Clock.h"
#include "ui/checks/CheckColors.h"
#include "ui/common/MessageBox.h"
#include "ui/common/NoticeBanner.h"
#include "ui/common/PageParts.h"
#include "ui/common/SignInWait.h"
#include "ui/common/UiLogging.h"
#include "ui/common/WrappedLabel.h"

#include <QDesktopServices>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace keyway::ui {

namespace {

enum Column { TitleColumn, ResultColumn, DetailColumn };

// What each check proves, in the words of the provider requirements (docs/sandbox.md, oauth2-code).
QString checkTitle(const QString& name)
{
    if (name == QLatin1String("prompt_login")) {
        return ConformancePage::tr("Sign-in page shown (prompt=login)");
    }
    if (name == QLatin1String("state")) {
        return ConformancePage::tr("State returned unchanged and verified");
    }
    if (name == QLatin1String("exchange")) {
        return ConformancePage::tr("Code exchange: access token, refresh token, expiry, user_id");
    }
    if (name == QLatin1String("user_id_stable")) {
        return ConformancePage::tr("Same user_id on two sign-ins");
    }
    if (name == QLatin1String("refresh_keeps_old_token")) {
        return ConformancePage::tr("Refresh keeps the previous access token working");
    }
    if (name == QLatin1String("concurrent_refresh")) {
        return ConformancePage::tr("Two concurrent refreshes both succeed");
    }
    if (name == QLatin1String("refresh_reusable")) {
        return ConformancePage::tr("Refresh token works until it is rotated");
    }
    if (name == QLatin1String("id_token")) {
        return ConformancePage::tr("ID token validates (the provider advertises ID tokens)");
    }
    if (name == QLatin1String("revocation")) {
        return ConformancePage::tr("A revoked refresh token no longer refreshes (the provider revokes tokens)");
    }
    return name;
}

QString clockTime()
{
    return Clock::currentDateTimeUtc().toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}

QString indented(const QString& text)
{
    QString out;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString& line : lines) {
        out += QStringLiteral("\n      ") + line;
    }
    return out;
}

// One log entry per flow event; the events are already redacted by the engine.
QString describeEvent(const FlowEvent& event)
{
    switch (event.type) {
    case FlowEvent::Type::StepStarted:
        return ConformancePage::tr("step: %1").arg(event.title.isEmpty() ? event.stepId : event.title);
    case FlowEvent::Type::Request: {
        QString text = QStringLiteral("→ %1 %2").arg(event.method, event.url);
        if (!event.body.isEmpty()) {
            text += indented(event.body);
        }
        return text;
    }
    case FlowEvent::Type::Response: {
        QString text = ConformancePage::tr("← HTTP %1 (%2 ms)").arg(event.status).arg(event.elapsedMs);
        if (!event.body.isEmpty()) {
            text += indented(event.body);
        }
        return text;
    }
    case FlowEvent::Type::Captured:
        if (event.value) {
            return ConformancePage::tr("captured %1 = %2").arg(event.name, *event.value);
        }
        if (event.expiresMs > 0) {
            return ConformancePage::tr("captured %1, valid until %2")
                .arg(
                    event.name,
                    QDateTime::fromMSecsSinceEpoch(event.expiresMs).toLocalTime().toString(QStringLiteral("HH:mm:ss")));
        }
        return ConformancePage::tr("captured %1").arg(event.name);
    case FlowEvent::Type::Consumed:
        return ConformancePage::tr("used %1 (single use)").arg(event.name);
    case FlowEvent::Type::Expired:
        return ConformancePage::tr("%1 expired").arg(event.name);
    case FlowEvent::Type::StepFailed:
        return ConformancePage::tr("step failed: %1")
            .arg(event.hint.isEmpty() ? event.detail : event.hint + QStringLiteral(" — ") + event.detail);
    case FlowEvent::Type::AuthorizeUrl:
        return ConformancePage::tr("sign-in in the browser: %1").arg(event.url);
    case FlowEvent::Type::WaitingForBrowser:
        return event.browserOpened ? ConformancePage::tr("waiting for the browser")
                                   : ConformancePage::tr("waiting for the browser, which did not open");
    case FlowEvent::Type::DeviceCode:
        return ConformancePage::tr("waiting for the code %1 to be approved at %2").arg(event.userCode, event.url);
    case FlowEvent::Type::Revoked:
        return ConformancePage::tr("%1 revoked").arg(event.name);
    }
    return {};
}

} // namespace

ConformancePage::ConformancePage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("conformancePage"));
    m_openUrl = [](const QUrl& url) { return QDesktopServices::openUrl(url); };
    buildUi();
    setEnvironment(nullptr, {}, {}, {});
}

void ConformancePage::setUrlOpener(UrlOpener opener)
{
    m_openUrl = std::move(opener);
    m_signInWait->setUrlOpener(m_openUrl);
}

ConformancePage::~ConformancePage()
{
    dropRun();
}

void ConformancePage::buildUi()
{
    m_title = page::title(QStringLiteral("conformTitle"), this);
    m_title->setWordWrap(true); // a long environment name wraps instead of narrowing the environment list

    m_runButton = page::button(tr("Run checks…"), QStringLiteral("conformRunButton"), QStyle::SP_MediaPlay, this);
    m_runButton->setToolTip(tr("Sign in twice, refresh tokens and report each check"));
    m_cancelButton = page::button(tr("Cancel"), QStringLiteral("conformCancelButton"), QStyle::SP_MediaStop, this);
    connect(m_runButton, &QPushButton::clicked, this, &ConformancePage::run);
    connect(m_cancelButton, &QPushButton::clicked, this, &ConformancePage::cancel);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_title, 1);
    controls->addWidget(m_runButton);
    controls->addWidget(m_cancelButton);

    m_intro = new WrappedLabel(this);
    m_intro->setObjectName(QStringLiteral("conformIntro"));
    m_intro->setForegroundRole(QPalette::PlaceholderText);

    m_signInWait = new SignInWait(QStringLiteral("conformBrowser"), this);
    m_signInWait->setUrlOpener(m_openUrl);
    connect(m_signInWait, &SignInWait::cancelRequested, this, &ConformancePage::cancel);
    connect(m_signInWait, &SignInWait::redirectSubmitted, this, [this](const QUrl& url) {
        if (m_run) {
            m_signInWait->showRedirectProblem(m_run->submitRedirectUrl(url));
        }
    });

    auto* warning = new NoticeBanner(
        NoticeBanner::Kind::Warning, QStringLiteral("conformWarning"), QStringLiteral("conformWarningLabel"), this);
    m_warningFrame = warning;
    m_warningLabel = warning->label();

    m_checks = new QTreeWidget(this);
    m_checks->setObjectName(QStringLiteral("conformChecks"));
    m_checks->setAccessibleName(tr("Conformance checks"));
    m_checks->setRootIsDecorated(false);
    m_checks->setUniformRowHeights(true);
    m_checks->setAlternatingRowColors(true);
    m_checks->setHeaderLabels({tr("Check"), tr("Result"), tr("Evidence")});
    m_checks->header()->setStretchLastSection(true);
    m_checks->header()->setSectionResizeMode(TitleColumn, QHeaderView::ResizeToContents);
    m_checks->header()->setSectionResizeMode(ResultColumn, QHeaderView::ResizeToContents);
    for (const QString& name : ConformanceRun::checkNames()) {
        auto* item = new QTreeWidgetItem(m_checks);
        item->setData(TitleColumn, Qt::UserRole, name);
        item->setText(TitleColumn, checkTitle(name));
        item->setToolTip(TitleColumn, name);
    }
    connect(m_checks, &QTreeWidget::currentItemChanged, this, &ConformancePage::showSelectedDetail);

    auto* detail = new WrappedLabel(this);
    detail->setMinimumLines(2); // selecting another check does not make the list jump
    m_detail = detail;
    m_detail->setObjectName(QStringLiteral("conformCheckDetail"));
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("conformLog"));
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setPlaceholderText(tr("Every request and reply of the run appears here, secrets redacted."));
    m_log->setMaximumBlockCount(5000);

    QBoxLayout* topLayout = nullptr;
    QWidget* top = page::pane(this, &topLayout);
    topLayout->addWidget(m_checks, 1);
    topLayout->addWidget(m_detail);
    QBoxLayout* logLayout = nullptr;
    QWidget* logArea = page::pane(this, &logLayout);
    page::addLabelled(logLayout, tr("Event log (redacted)"), m_log);
    auto* splitter = page::split(Qt::Vertical, QStringLiteral("conformSplitter"), top, 3, logArea, 2, this);

    m_status = page::status(QStringLiteral("conformStatus"), this);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_intro);
    layout->addWidget(m_signInWait);
    layout->addWidget(m_warningFrame);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    setTabOrder(m_runButton, m_cancelButton);
    setTabOrder(m_cancelButton, m_checks);
    setTabOrder(m_checks, m_log);
}

void ConformancePage::setEnvironment(const ProviderProfile* profile,
                                     const QString& environmentName,
                                     const QString& baseUrl,
                                     CredentialLoader loader)
{
    if (isRunning()) {
        cancel();
    }
    ++m_generation;
    m_profile = profile && ConformanceRun::appliesTo(*profile) ? profile : nullptr;
    m_environmentName = environmentName;
    m_baseUrl = baseUrl;
    m_loader = std::move(loader);
    resetChecks();
    m_log->clear();
    m_warningFrame->hide();
    m_signInWait->finish();
    // Checks that can never run here are not listed as "not run": the intro says what they apply to.
    if (auto* splitter = findChild<QSplitter*>(QStringLiteral("conformSplitter"))) {
        splitter->setVisible(m_profile != nullptr);
    }
    // A few checks stay in view (the list scrolls to the rest) when a warning banner or a long translation
    // takes its share of the height; asking for all of them left too little at 700 pixels, and the layout then
    // laid the detail line over the last rows.
    const int rows = std::min(m_checks->topLevelItemCount(), 4);
    m_checks->setMinimumHeight(std::max(1, m_checks->sizeHintForRow(0)) * rows + m_checks->header()->sizeHint().height()
                               + 2 * m_checks->frameWidth() + 4);
    if (m_profile) {
        m_title->setText(tr("Check provider — %1").arg(environmentName));
        m_intro->setText(tr("Signs in twice in your browser (each time with prompt=login), exchanges the codes, "
                            "refreshes the tokens and calls the probe request, then reports each requirement of "
                            "an authorization-code provider with its evidence."));
        setStatus(tr("Press Run checks to start."));
    } else if (profile) {
        m_title->setText(tr("Check provider"));
        m_intro->setText(ConformanceRun::notApplicableReason(*profile, environmentName));
        setStatus(QString());
    } else {
        m_title->setText(tr("Check provider"));
        m_intro->setText(tr("Select an environment that signs in through a browser to check its provider."));
        setStatus(QString());
    }
    updateControls();
}

void ConformancePage::run()
{
    if (!m_profile || isRunning()) {
        return;
    }
    const auto answer = MessageBox::question(
        this,
        tr("Check provider"),
        tr("The checks sign in to “%1” twice in your browser and refresh its tokens, including two concurrent "
           "refreshes with the same refresh token. A server that rotates refresh tokens may revoke the whole "
           "grant.\n\nRun the checks against a test account. Start now?")
            .arg(m_environmentName),
        QMessageBox::Yes | QMessageBox::Cancel,
        QMessageBox::Cancel);
    if (answer != QMessageBox::Yes) {
        setStatus(tr("Not started."));
        return;
    }
    resetChecks();
    m_log->clear();
    m_warningFrame->hide();
    m_loading = true;
    const int generation = ++m_generation;
    updateControls();
    setStatus(tr("Reading the credentials…"));
    Q_EMIT runStarted();
    if (!m_loader) {
        launch({}, nullptr);
        return;
    }
    const QPointer<ConformancePage> self(this);
    m_loader([self, generation](const QMap<QString, QString>& values,
                                const QString& error,
                                const std::shared_ptr<const ConnectionSettings>& connection) {
        if (!self || generation != self->m_generation || !self->m_loading) {
            return; // cancelled or another environment meanwhile
        }
        self->m_loading = false;
        if (!error.isEmpty()) {
            self->setStatus(error);
            self->updateControls();
            Q_EMIT self->finished(false);
            return;
        }
        self->launch(values, connection);
    });
}

void ConformancePage::launch(const QMap<QString, QString>& credentials,
                             const std::shared_ptr<const ConnectionSettings>& connection)
{
    m_loading = false;
    ConformanceRun::Options options;
    options.flow.connection = connection;
    options.flow.baseUrl = m_baseUrl;
    options.flow.credentials = credentials;
    options.flow.credentialSet = m_profile->defaultCredentialSet();
    // A cancelled run is deleted later, from the event loop; until then it must not open a browser.
    const QPointer<ConformancePage> self(this);
    options.flow.openUrl = [self, generation = m_generation, opener = m_openUrl](const QUrl& url) {
        return self && self->m_generation == generation && opener && opener(url);
    };
    options.flow.browserTimeoutMs = m_browserTimeoutMs;

    m_run = new ConformanceRun(*m_profile, options, this);
    connect(m_run, &ConformanceRun::event, this, &ConformancePage::onEvent);
    connect(m_run, &ConformanceRun::event, this, &ConformancePage::flowEvent);
    connect(m_run, &ConformanceRun::warning, this, &ConformancePage::onWarning);
    connect(m_run, &ConformanceRun::checkFinished, this, &ConformancePage::onCheck);
    connect(m_run, &ConformanceRun::finished, this, &ConformancePage::onFinished);
    markNextRunning();
    updateControls();
    const ConformanceRun::Probe probe = ConformanceRun::probeFor(*m_profile, options.flow);
    setStatus(probe.path.isEmpty()
                  ? tr("Running the checks… (%1 is not set, so the refresh checks cannot call the API)")
                        .arg(probe.missingKeys.isEmpty() ? tr("the check request")
                                                         : probe.missingKeys.join(QStringLiteral(", ")))
                  : tr("Running the checks…"));
    appendLog(tr("conformance run of “%1” started").arg(m_environmentName));
    qCInfo(lcUi) << "conformance run started for" << m_profile->id;
    m_run->start();
}

void ConformancePage::onEvent(const FlowEvent& event)
{
    if (sender() != m_run) {
        return;
    }
    if (event.type == FlowEvent::Type::AuthorizeUrl) {
        ++m_signIns;
    } else if (event.type == FlowEvent::Type::WaitingForBrowser) {
        m_signInWait->showWaiting(event, tr("sign-in %1 of 2").arg(m_signIns));
    } else if (event.type == FlowEvent::Type::Response || event.type == FlowEvent::Type::StepFailed) {
        m_signInWait->finish();
    }
    appendLog(describeEvent(event));
}

void ConformancePage::onWarning(const QString& text)
{
    if (sender() != m_run) {
        return;
    }
    m_warningLabel->setText(text);
    m_warningFrame->show();
    appendLog(tr("warning: %1").arg(text));
}

void ConformancePage::onCheck(const ConformanceRun::Check& check)
{
    if (sender() != m_run) {
        return;
    }
    QTreeWidgetItem* item = itemFor(check.name);
    if (!item) {
        // A capability check (revocation, id_token): its own row, after the seven.
        item = new QTreeWidgetItem(m_checks);
        item->setData(TitleColumn, Qt::UserRole, check.name);
        item->setText(TitleColumn, checkTitle(check.name));
        item->setToolTip(TitleColumn, check.name);
    }
    if (item) {
        setCheckState(item,
                      check.notRun     ? CheckState::NotRun
                          : check.pass ? CheckState::Passed
                                       : CheckState::Failed,
                      check.detail);
    }
    (check.notRun ? m_notRun : check.pass ? m_passed : m_failed)++;
    appendLog(QStringLiteral("%1 %2: %3")
                  .arg(check.notRun     ? tr("NOT RUN")
                           : check.pass ? QStringLiteral("PASS")
                                        : QStringLiteral("FAIL"),
                       check.name,
                       check.detail));
    markNextRunning();
}

void ConformancePage::onFinished(bool allPassed)
{
    if (sender() != m_run) {
        return;
    }
    dropRun();
    m_signInWait->finish();
    const int total = m_checks->topLevelItemCount(); // the seven and the capability checks that ran
    if (allPassed) {
        setStatus(tr("All %1 checks passed.").arg(total));
    } else if (m_failed == 0 && m_notRun > 0) {
        // Nothing failed at the provider: a sign-in on this machine did not finish.
        setStatus(tr("%1 of %2 checks passed; %3 not run, because a sign-in did not finish. Select one to see why, "
                     "then run the checks again.")
                      .arg(m_passed)
                      .arg(total)
                      .arg(m_notRun));
    } else {
        QString text = tr("%1 of %2 checks passed; %3 failed. Select a failed check to see why.")
                           .arg(m_passed)
                           .arg(total)
                           .arg(total - m_passed - m_notRun);
        if (m_notRun > 0) {
            text += QLatin1Char(' ') + tr("%n not run, because a sign-in did not finish.", nullptr, m_notRun);
        }
        setStatus(text);
    }
    if (!allPassed) {
        // Point at the first failure (or, with none, the first check not run), so its reason is read next.
        const CheckState wanted = m_failed > 0 ? CheckState::Failed : CheckState::NotRun;
        for (int i = 0; i < m_checks->topLevelItemCount(); ++i) {
            QTreeWidgetItem* item = m_checks->topLevelItem(i);
            if (item->data(ResultColumn, Qt::UserRole).toInt() == int(wanted)) {
                m_checks->setCurrentItem(item);
                break;
            }
        }
    }
    appendLog(tr("%1 of %2 checks passed").arg(m_passed).arg(total));
    updateControls();
    Q_EMIT finished(allPassed);
}

void ConformancePage::cancel()
{
    if (!isRunning()) {
        return;
    }
    ++m_generation;
    m_loading = false;
    dropRun(); // deletes its flow engines: the loopback listener closes and no code is exchanged
    for (int i = 0; i < m_checks->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_checks->topLevelItem(i);
        if (item->data(ResultColumn, Qt::UserRole).toInt() == int(CheckState::Running)) {
            setCheckState(item, CheckState::Pending, QString());
        }
    }
    m_signInWait->finish();
    appendLog(tr("cancelled"));
    setStatus(tr("Cancelled."));
    updateControls();
    Q_EMIT finished(false);
}

void ConformancePage::dropRun()
{
    if (m_run) {
        m_run->disconnect(this);
        m_run->deleteLater();
    }
    m_run = nullptr;
}

void ConformancePage::resetChecks()
{
    m_passed = 0;
    m_failed = 0;
    m_notRun = 0;
    m_signIns = 0;
    // Capability checks appear only when a run reports them.
    while (m_checks->topLevelItemCount() > ConformanceRun::checkNames().size()) {
        delete m_checks->takeTopLevelItem(m_checks->topLevelItemCount() - 1);
    }
    for (int i = 0; i < m_checks->topLevelItemCount(); ++i) {
        setCheckState(m_checks->topLevelItem(i), CheckState::Pending, QString());
    }
    m_checks->setCurrentItem(m_checks->topLevelItem(0));
    showSelectedDetail();
}

// Checks are reported in their fixed order, so the first one without a result is the one running.
void ConformancePage::markNextRunning()
{
    for (int i = 0; i < m_checks->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_checks->topLevelItem(i);
        const auto state = CheckState(item->data(ResultColumn, Qt::UserRole).toInt());
        if (state == CheckState::Pending) {
            setCheckState(item, CheckState::Running, QString());
            return;
        }
        if (state == CheckState::Running) {
            return;
        }
    }
}

void ConformancePage::setCheckState(QTreeWidgetItem* item, CheckState state, const QString& detail)
{
    item->setData(ResultColumn, Qt::UserRole, int(state));
    item->setText(DetailColumn, detail);
    item->setToolTip(DetailColumn, detail);
    QStyle::StandardPixmap icon = QStyle::SP_CustomBase;
    QString result;
    QBrush foreground;
    switch (state) {
    case CheckState::Pending:
        result = tr("not run");
        foreground = palette().brush(QPalette::PlaceholderText);
        break;
    case CheckState::Running:
        icon = QStyle::SP_BrowserReload;
        result = tr("running…");
        foreground = palette().brush(QPalette::Text);
        break;
    case CheckState::Passed:
        icon = QStyle::SP_DialogApplyButton;
        result = tr("pass");
        foreground = checkToneColor(palette(), CheckTone::Pass);
        break;
    case CheckState::Failed:
        icon = QStyle::SP_MessageBoxCritical;
        result = tr("FAIL");
        foreground = checkToneColor(palette(), CheckTone::Fail);
        break;
    case CheckState::NotRun:
        icon = QStyle::SP_MessageBoxInformation;
        result = tr("not run");
        foreground = palette().brush(QPalette::Text);
        break;
    }
    item->setText(ResultColumn, result);
    item->setIcon(ResultColumn, icon == QStyle::SP_CustomBase ? QIcon() : style()->standardIcon(icon));
    item->setForeground(ResultColumn, foreground);
    QFont font = item->font(ResultColumn);
    font.setBold(state == CheckState::Failed || state == CheckState::Passed);
    item->setFont(ResultColumn, font);
    if (item == m_checks->currentItem()) {
        showSelectedDetail();
    }
}

void ConformancePage::showSelectedDetail()
{
    QTreeWidgetItem* item = m_checks->currentItem();
    if (!item) {
        m_detail->clear();
        return;
    }
    const QString name = item->data(TitleColumn, Qt::UserRole).toString();
    const QString detail = item->text(DetailColumn);
    const auto state = CheckState(item->data(ResultColumn, Qt::UserRole).toInt());
    QString text
        = QStringLiteral("<b>%1</b> (<code>%2</code>): ").arg(checkTitle(name).toHtmlEscaped(), name.toHtmlEscaped());
    switch (state) {
    case CheckState::Pending:
        text += tr("not run yet.").toHtmlEscaped();
        break;
    case CheckState::Running:
        text += tr("running…").toHtmlEscaped();
        break;
    case CheckState::NotRun:
        text += detail.toHtmlEscaped();
        break;
    case CheckState::Passed:
    case CheckState::Failed: {
        const QColor color = checkToneColor(palette(), state == CheckState::Passed ? CheckTone::Pass : CheckTone::Fail);
        text += QStringLiteral("<span style=\"color:%1\"><b>%2</b></span> — %3")
                    .arg(color.name(),
                         (state == CheckState::Passed ? tr("pass") : tr("FAIL")).toHtmlEscaped(),
                         detail.toHtmlEscaped());
        break;
    }
    }
    m_detail->setText(text);
}

void ConformancePage::appendLog(const QString& line)
{
    m_log->appendPlainText(clockTime() + QLatin1Char(' ') + line);
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void ConformancePage::setStatus(const QString& text)
{
    m_status->setText(text);
}

void ConformancePage::updateControls()
{
    const bool running = isRunning();
    m_runButton->setEnabled(m_profile != nullptr && !running);
    m_cancelButton->setEnabled(running);
}

QTreeWidgetItem* ConformancePage::itemFor(const QString& name) const
{
    for (int i = 0; i < m_checks->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_checks->topLevelItem(i);
        if (item->data(TitleColumn, Qt::UserRole).toString() == name) {
            return item;
        }
    }
    return nullptr;
}

ConformancePage::CheckState ConformancePage::checkState(const QString& name) const
{
    const QTreeWidgetItem* item = itemFor(name);
    return item ? CheckState(item->data(ResultColumn, Qt::UserRole).toInt()) : CheckState::Pending;
}

QString ConformancePage::checkDetail(const QString& name) const
{
    const QTreeWidgetItem* item = itemFor(name);
    return item ? item->text(DetailColumn) : QString();
}

QString ConformancePage::statusText() const
{
    return m_status->text();
}

QString ConformancePage::warningText() const
{
    return m_warningFrame->isHidden() ? QString() : m_warningLabel->text();
}

QString ConformancePage::logText() const
{
    return m_log->toPlainText();
}

} // namespace keyway::ui
