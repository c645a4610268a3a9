#include "ui/health/HealthBoard.h"

#include "core/profile/ProfileLoader.h"
#include "core/util/Clock.h"
#include "core/vault/EnvironmentService.h"
#include "ui/checks/CheckColors.h"
#include "ui/timeline/DurationFormat.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace keyway::ui {

namespace {

enum Column {
    NameColumn,
    ResultColumn,
    CheckedColumn,
    LifetimeColumn,
    RefreshAgeColumn,
    HintColumn,
    ActionColumn,
    ColumnCount
};
constexpr int IdRole = Qt::UserRole + 1;

} // namespace

HealthBoard::HealthBoard(EnvironmentService* service, const QString& resultsFile, QWidget* parent)
    : QWidget(parent)
    , m_service(service)
    , m_store(resultsFile.isEmpty() ? HealthResultStore::defaultFilePath() : resultsFile)
{
    setObjectName(QStringLiteral("healthBoard"));
    m_results = m_store.load();
    buildUi();
    connect(m_service, &EnvironmentService::environmentsChanged, this, &HealthBoard::reload);
    connect(m_service, &EnvironmentService::environmentRemoved, this, [this](const QString& id) {
        m_results.remove(id);
        m_store.forget(id);
    });
    // New credentials void the last verdict's meaning only once checked again; the board keeps it until then.
    reload();
}

HealthBoard::~HealthBoard()
{
    // Late answers of running checks have nowhere to land.
    qDeleteAll(m_runs);
}

void HealthBoard::buildUi()
{
    auto* intro = new QLabel(tr("Whether each environment's credentials work right now. Browser sign-ins are "
                                "never started here: an environment that needs one uses its stored sign-in."),
                             this);
    intro->setWordWrap(true);

    m_table = new QTreeWidget(this);
    m_table->setObjectName(QStringLiteral("healthTable"));
    m_table->setAccessibleName(tr("Health of every environment"));
    m_table->setColumnCount(ColumnCount);
    m_table->setHeaderLabels({tr("Environment"),
                              tr("Result"),
                              tr("Last check"),
                              tr("Token left"),
                              tr("Refresh token age"),
                              tr("Failing step and hint"),
                              QString()});
    m_table->headerItem()->setToolTip(RefreshAgeColumn,
                                      tr("How long ago the stored refresh token was issued; many providers end "
                                         "refresh tokens after a fixed number of days, used or not."));
    m_table->setRootIsDecorated(true);
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->header()->setStretchLastSection(false);
    m_table->header()->setSectionResizeMode(HintColumn, QHeaderView::Stretch);
    // The name column is sized by fitColumns(): all it needs when there is room, never so much that the
    // results scroll out of a 1024 px window (long names elide and keep a tooltip).
    m_table->header()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_table->header()->setSectionResizeMode(ResultColumn, QHeaderView::ResizeToContents);
    m_table->header()->setSectionResizeMode(CheckedColumn, QHeaderView::ResizeToContents);
    m_table->header()->setSectionResizeMode(LifetimeColumn, QHeaderView::ResizeToContents);
    m_table->header()->setSectionResizeMode(RefreshAgeColumn, QHeaderView::ResizeToContents);
    m_table->header()->setSectionResizeMode(ActionColumn, QHeaderView::ResizeToContents);
    m_table->viewport()->installEventFilter(this);
    connect(m_table, &QTreeWidget::itemActivated, this, [this] { openCurrent(); });
    connect(m_table, &QTreeWidget::currentItemChanged, this, &HealthBoard::updateControls);

    m_checkAll = new QPushButton(tr("Check &all"), this);
    m_checkAll->setObjectName(QStringLiteral("healthCheckAll"));
    m_checkAll->setToolTip(tr("Check every environment, %1 at once.").arg(MaxConcurrentChecks));
    connect(m_checkAll, &QPushButton::clicked, this, &HealthBoard::checkAll);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("healthCancel"));
    connect(m_cancel, &QPushButton::clicked, this, &HealthBoard::cancel);
    m_open = new QPushButton(tr("Open wal&kthrough"), this);
    m_open->setObjectName(QStringLiteral("healthOpen"));
    m_open->setToolTip(tr("Show the selected environment's flow, at the step that failed."));
    connect(m_open, &QPushButton::clicked, this, &HealthBoard::openCurrent);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("healthProgress"));
    m_progress->setTextVisible(true);
    m_progress->setFormat(tr("%v of %m"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("healthStatus"));

    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {m_checkAll, m_cancel, m_open}) {
        button->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    }
    buttons->addWidget(m_checkAll);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_progress, 1);
    buttons->addStretch(1);
    buttons->addWidget(m_open);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    // The lifetime column counts down; once every 30 s is plenty for minutes and hours.
    m_ticker = new QTimer(this);
    m_ticker->setInterval(30'000);
    connect(m_ticker, &QTimer::timeout, this, &HealthBoard::refreshLifetimes);
    m_ticker->start();
    updateControls();
}

QString HealthBoard::environmentIdOf(const QTreeWidgetItem* item) const
{
    return item ? item->data(NameColumn, IdRole).toString() : QString();
}

QTreeWidgetItem* HealthBoard::rowOf(const QString& environmentId) const
{
    for (int g = 0; g < m_table->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_table->topLevelItem(g);
        for (int r = 0; r < group->childCount(); ++r) {
            if (environmentIdOf(group->child(r)) == environmentId) {
                return group->child(r);
            }
        }
    }
    return nullptr;
}

std::optional<HealthResult> HealthBoard::resultOf(const QString& environmentId) const
{
    if (!m_results.contains(environmentId)) {
        return std::nullopt;
    }
    return m_results.value(environmentId);
}

void HealthBoard::reload()
{
    if (!m_service) {
        return;
    }
    const QString selected = environmentIdOf(m_table->currentItem());
    m_table->clear();
    QMap<QString, QTreeWidgetItem*> groups;
    // Grouped by provider and sorted like the environment list, whatever order the file keeps.
    QList<Environment> environments = m_service->environments();
    std::sort(environments.begin(), environments.end(), [this](const Environment& a, const Environment& b) {
        const ProviderProfile* pa = m_service->profileOf(a);
        const ProviderProfile* pb = m_service->profileOf(b);
        const QString ga = pa ? pa->name : a.providerId;
        const QString gb = pb ? pb->name : b.providerId;
        const int byGroup = QString::compare(ga, gb, Qt::CaseInsensitive);
        return byGroup != 0 ? byGroup < 0 : QString::compare(a.name, b.name, Qt::CaseInsensitive) < 0;
    });
    for (const Environment& environment : std::as_const(environments)) {
        const ProviderProfile* profile = m_service->profileOf(environment);
        const QString groupName = profile ? profile->name : environment.providerId;
        QTreeWidgetItem* group = groups.value(groupName);
        if (!group) {
            group = new QTreeWidgetItem(m_table, {groupName});
            group->setFlags(Qt::ItemIsEnabled);
            QFont bold = group->font(NameColumn);
            bold.setBold(true);
            group->setFont(NameColumn, bold);
            group->setExpanded(true);
            groups.insert(groupName, group);
        }
        auto* row = new QTreeWidgetItem(group, {environment.name});
        row->setData(NameColumn, IdRole, environment.id);
        row->setToolTip(NameColumn, environment.name);
        auto* button = new QPushButton(tr("Check"), m_table);
        button->setObjectName(QStringLiteral("healthCheck-") + environment.name);
        button->setAccessibleName(tr("Check %1").arg(environment.name));
        const QString id = environment.id;
        connect(button, &QPushButton::clicked, this, [this, id] { check(id); });
        m_table->setItemWidget(row, ActionColumn, button);
        showResult(row, m_results.contains(environment.id) ? &m_results[environment.id] : nullptr);
        if (environment.id == selected) {
            m_table->setCurrentItem(row);
        }
    }
    m_table->expandAll();
    updateControls();
    fitColumns();
}

void HealthBoard::fitColumns()
{
    QHeaderView* header = m_table->header();
    int others = 0;
    for (int column = ResultColumn; column < ColumnCount; ++column) {
        if (column != HintColumn) {
            others += header->sectionSize(column);
        }
    }
    const int wanted = std::max(static_cast<const QAbstractItemView*>(m_table)->sizeHintForColumn(NameColumn),
                                header->sectionSizeHint(NameColumn));
    const int room = m_table->viewport()->width() - others;
    // The name comes first; the failing step's hint stretches over what is left, down to a few words (its
    // whole text is in the tooltip and in the walkthrough).
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    header->resizeSection(NameColumn, std::min(wanted, std::max(em * 8, room - em * 8)));
}

bool HealthBoard::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize) {
        fitColumns();
    }
    return QWidget::eventFilter(watched, event);
}

void HealthBoard::showResult(QTreeWidgetItem* row, const HealthResult* result)
{
    const QString id = environmentIdOf(row);
    if (m_checking.contains(id)) {
        row->setText(ResultColumn, tr("checking…"));
        row->setForeground(ResultColumn, palette().text());
        return;
    }
    if (!result) {
        row->setText(ResultColumn, tr("not checked yet"));
        row->setForeground(ResultColumn, palette().placeholderText());
        row->setText(CheckedColumn, QString());
        row->setText(LifetimeColumn, QString());
        row->setText(RefreshAgeColumn, QString());
        row->setText(HintColumn, QString());
        return;
    }
    row->setText(ResultColumn, HealthResult::outcomeText(result->outcome));
    const CheckTone tone = result->passed() ? CheckTone::Pass
        : (result->outcome == HealthResult::Outcome::SignInNeeded
           || result->outcome == HealthResult::Outcome::KeychainLocked)
        ? CheckTone::Warn
        : CheckTone::Fail;
    row->setForeground(ResultColumn, checkToneColor(palette(), tone));
    const QDateTime checkedAt = QDateTime::fromMSecsSinceEpoch(result->checkedAtMs);
    row->setText(CheckedColumn, clockText(checkedAt));
    row->setToolTip(CheckedColumn, momentText(checkedAt));
    QString hint;
    if (!result->passed()) {
        hint
            = result->failedStep.isEmpty() ? result->detail : tr("step %1: %2").arg(result->failedStep, result->detail);
    }
    row->setText(HintColumn, hint);
    row->setToolTip(HintColumn, result->hint.isEmpty() ? result->detail : result->hint);
    row->setToolTip(ResultColumn, result->detail);
    const qint64 nowMs = Clock::currentMSecsSinceEpoch();
    const qint64 left = result->expiresInSeconds(nowMs);
    row->setText(LifetimeColumn,
                 !result->passed() || left < 0 ? QString() : (left > 0 ? compactDuration(left) : tr("expired")));
    const qint64 refreshAge = result->refreshAgeSeconds(nowMs);
    row->setText(RefreshAgeColumn,
                 refreshAge < 0 ? QString() : (refreshAge < 60 ? tr("just issued") : compactDuration(refreshAge)));
}

void HealthBoard::refreshLifetimes()
{
    for (auto it = m_results.cbegin(); it != m_results.cend(); ++it) {
        if (QTreeWidgetItem* row = rowOf(it.key())) {
            showResult(row, &it.value());
        }
    }
}

void HealthBoard::checkAll()
{
    if (!m_service || !m_runs.isEmpty()) {
        return;
    }
    startRun(m_service->environments());
}

void HealthBoard::check(const QString& environmentId)
{
    if (!m_service || m_checking.contains(environmentId)) {
        return;
    }
    const std::optional<Environment> environment = m_service->findById(environmentId);
    if (environment) {
        startRun({*environment});
    }
}

void HealthBoard::startRun(const QList<Environment>& environments)
{
    if (environments.isEmpty()) {
        m_status->setText(tr("No environments to check yet: add one first."));
        return;
    }
    if (m_runs.isEmpty()) {
        m_total = 0;
        m_done = 0;
    }
    auto* run = new HealthRun(m_service, environments, MaxConcurrentChecks);
    m_runs.append(run);
    m_total += static_cast<int>(environments.size());
    for (const Environment& environment : environments) {
        m_checking.insert(environment.id);
        if (QTreeWidgetItem* row = rowOf(environment.id)) {
            showResult(row, nullptr);
        }
    }
    connect(run, &HealthRun::checkFinished, this, &HealthBoard::onResult);
    connect(run, &HealthRun::finished, this, [this, run] {
        m_runs.removeAll(run);
        run->deleteLater();
        if (m_runs.isEmpty()) {
            int passed = 0;
            for (const QString& id : m_results.keys()) {
                passed += m_results.value(id).passed() ? 1 : 0;
            }
            m_status->setText(tr("%1 of %n environment(s) pass.", nullptr, int(m_results.size())).arg(passed));
            Q_EMIT checksFinished();
        }
        updateControls();
    });
    m_status->setText(tr("Checking…"));
    updateControls();
    run->start();
}

void HealthBoard::onResult(const HealthResult& result)
{
    m_checking.remove(result.environmentId);
    m_results.insert(result.environmentId, result);
    ++m_done;
    QStringList ids;
    for (const Environment& environment : m_service->environments()) {
        ids.append(environment.id);
    }
    m_store.record({result}, ids);
    if (QTreeWidgetItem* row = rowOf(result.environmentId)) {
        showResult(row, &m_results[result.environmentId]);
    }
    updateControls();
    // The other columns resize to their new contents on the next layout pass; fit the name after it.
    QTimer::singleShot(0, this, &HealthBoard::fitColumns);
}

void HealthBoard::cancel()
{
    const QList<HealthRun*> runs = m_runs;
    m_runs.clear();
    for (HealthRun* run : runs) {
        run->disconnect(this);
        run->cancel();
        run->deleteLater();
    }
    const QSet<QString> interrupted = m_checking;
    m_checking.clear();
    for (const QString& id : interrupted) {
        if (QTreeWidgetItem* row = rowOf(id)) {
            showResult(row, m_results.contains(id) ? &m_results[id] : nullptr);
        }
    }
    m_status->setText(tr("Cancelled: %1 of %2 checked.").arg(m_done).arg(m_total));
    updateControls();
    Q_EMIT checksFinished();
}

void HealthBoard::openCurrent()
{
    const QString id = environmentIdOf(m_table->currentItem());
    if (id.isEmpty()) {
        return;
    }
    const auto result = resultOf(id);
    Q_EMIT openWalkthrough(
        id, result && !result->passed() && result->failedStep != QLatin1String("api") ? result->failedStep : QString());
}

void HealthBoard::updateControls()
{
    const bool busy = !m_runs.isEmpty();
    m_checkAll->setEnabled(!busy && m_service && !m_service->environments().isEmpty());
    m_cancel->setEnabled(busy);
    m_progress->setVisible(busy);
    m_progress->setMaximum(qMax(1, m_total));
    m_progress->setValue(m_done);
    m_open->setEnabled(!environmentIdOf(m_table->currentItem()).isEmpty());
}

} // namespace keyway::ui
