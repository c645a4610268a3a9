#include "ui/history/HistoryView.h"

#include "core/history/HistoryStore.h"
#include "ui/common/MessageBox.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace keyway::ui {

namespace {

enum Column { TimeColumn, MethodColumn, PathColumn, StatusColumn, DurationColumn, ColumnCount };

QTableWidgetItem* cell(const QString& text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setTextAlignment(alignment);
    return item;
}

} // namespace

HistoryView::HistoryView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("historyView"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setAccessibleName(tr("Search history"));
    m_search->setPlaceholderText(tr("Search method, path, status or body…"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, &HistoryView::applyFilter);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("historyTable"));
    m_table->setAccessibleName(tr("Request history"));
    m_table->setHorizontalHeaderLabels({tr("Time"), tr("Method"), tr("Path"), tr("Status"), tr("Duration")});
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(PathColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(TimeColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(MethodColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(StatusColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(DurationColumn, QHeaderView::ResizeToContents);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const int row = selectedRow();
        m_open->setEnabled(row >= 0);
        m_resend->setEnabled(row >= 0);
        if (row >= 0) {
            m_selectedId = m_shown.at(row).id;
            Q_EMIT entrySelected(m_shown.at(row));
        }
    });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, &HistoryView::openSelected);

    m_open = new QPushButton(tr("&Open in composer"), this);
    m_open->setObjectName(QStringLiteral("historyOpen"));
    connect(m_open, &QPushButton::clicked, this, &HistoryView::openSelected);
    m_resend = new QPushButton(tr("Re-sen&d"), this);
    m_resend->setObjectName(QStringLiteral("historyResend"));
    connect(m_resend, &QPushButton::clicked, this, &HistoryView::resendSelected);
    m_clear = new QPushButton(tr("Clear h&istory…"), this);
    m_clear->setObjectName(QStringLiteral("historyClear"));
    connect(m_clear, &QPushButton::clicked, this, &HistoryView::clearHistory);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("historyCount"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_resend);
    buttons->addStretch(1);
    buttons->addWidget(m_count);
    buttons->addWidget(m_clear);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    setEnvironment(QString());
}

void HistoryView::setEnvironment(const QString& environmentId)
{
    m_environmentId = environmentId;
    reload();
}

void HistoryView::reload()
{
    m_all.clear();
    if (m_store && !m_environmentId.isEmpty()) {
        const QList<HistoryEntry> oldestFirst = m_store->load(m_environmentId);
        m_all.reserve(oldestFirst.size());
        for (auto it = oldestFirst.crbegin(); it != oldestFirst.crend(); ++it) {
            m_all.append(*it);
        }
    }
    m_clear->setEnabled(!m_all.isEmpty());
    applyFilter();
}

void HistoryView::applyFilter()
{
    const QString query = m_search->text();
    m_shown.clear();
    for (const HistoryEntry& entry : std::as_const(m_all)) {
        if (entry.matches(query)) {
            m_shown.append(entry);
        }
    }
    m_table->setRowCount(0);
    m_table->setRowCount(static_cast<int>(m_shown.size()));
    const QLocale locale;
    for (int row = 0; row < m_shown.size(); ++row) {
        const HistoryEntry& e = m_shown.at(row);
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(e.timeMs).toLocalTime();
        m_table->setItem(row, TimeColumn, cell(locale.toString(when, QLocale::ShortFormat)));
        m_table->setItem(row, MethodColumn, cell(e.method));
        auto* path = cell(e.path);
        path->setToolTip(e.summary.isEmpty() ? e.url : e.url + QLatin1Char('\n') + e.summary);
        m_table->setItem(row, PathColumn, path);
        const QString status = e.status > 0 ? QString::number(e.status) : tr("—");
        auto* statusCell = cell(status, Qt::AlignRight | Qt::AlignVCenter);
        if (e.outcome != QLatin1String("success")) {
            statusCell->setForeground(QColor(0xc0, 0x39, 0x2b));
            statusCell->setToolTip(e.summary);
        }
        m_table->setItem(row, StatusColumn, statusCell);
        m_table->setItem(row, DurationColumn, cell(tr("%1 ms").arg(e.elapsedMs), Qt::AlignRight | Qt::AlignVCenter));
    }
    m_count->setText(query.isEmpty() ? tr("%n request(s)", nullptr, static_cast<int>(m_all.size()))
                                     : tr("%1 of %2").arg(m_shown.size()).arg(m_all.size()));
    m_open->setEnabled(false);
    m_resend->setEnabled(false);
    if (!m_selectedId.isEmpty()) {
        int still = -1;
        for (int row = 0; row < m_shown.size() && still < 0; ++row) {
            still = m_shown.at(row).id == m_selectedId ? row : -1;
        }
        if (still >= 0) {
            QSignalBlocker blocker(m_table); // the same entry: shown already, nothing to announce
            m_table->selectRow(still);
            m_open->setEnabled(true);
            m_resend->setEnabled(true);
        } else {
            m_selectedId.clear();
            Q_EMIT selectedEntryHidden();
        }
    }
}

int HistoryView::rowCount() const
{
    return static_cast<int>(m_shown.size());
}

HistoryEntry HistoryView::entryAt(int row) const
{
    return row >= 0 && row < m_shown.size() ? m_shown.at(row) : HistoryEntry();
}

void HistoryView::selectRow(int row)
{
    m_table->selectRow(row);
}

int HistoryView::selectedRow() const
{
    const QList<QTableWidgetSelectionRange> ranges = m_table->selectedRanges();
    const int row = ranges.isEmpty() ? -1 : ranges.first().topRow();
    return row >= 0 && row < m_shown.size() ? row : -1;
}

void HistoryView::openSelected()
{
    const int row = selectedRow();
    if (row >= 0) {
        Q_EMIT openRequested(m_shown.at(row));
    }
}

void HistoryView::resendSelected()
{
    const int row = selectedRow();
    if (row >= 0) {
        Q_EMIT resendRequested(m_shown.at(row));
    }
}

void HistoryView::clearHistory()
{
    if (!m_store || m_environmentId.isEmpty()) {
        return;
    }
    if (MessageBox::question(this,
                             tr("Clear history"),
                             tr("Forget every recorded request of this environment?"),
                             QMessageBox::Yes | QMessageBox::Cancel,
                             QMessageBox::Cancel)
        != QMessageBox::Yes) {
        return;
    }
    m_store->clear(m_environmentId);
    reload();
}

} // namespace keyway::ui
