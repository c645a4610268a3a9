#include "ui/composer/KeyValueTable.h"

#include <QHeaderView>
#include <QPalette>

namespace keyway::ui {

KeyValueTable::KeyValueTable(const QString& nameTitle, const QString& valueTitle, QWidget* parent)
    : QTableWidget(0, 2, parent)
{
    setHorizontalHeaderLabels({nameTitle, valueTitle});
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    setColumnWidth(0, 160);
    verticalHeader()->setVisible(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setTabKeyNavigation(false); // Tab leaves the table, as in every other field
    connect(this, &QTableWidget::itemChanged, this, [this] {
        if (m_updating) {
            return;
        }
        ensureTrailingEmptyRow();
        Q_EMIT rowsChanged();
    });
    ensureTrailingEmptyRow();
}

KeyValueTable::Rows KeyValueTable::rows() const
{
    Rows result;
    for (int row = m_locked; row < rowCount(); ++row) {
        const QString name = item(row, 0) ? item(row, 0)->text().trimmed() : QString();
        if (!name.isEmpty()) {
            result.append({name, item(row, 1) ? item(row, 1)->text() : QString()});
        }
    }
    return result;
}

void KeyValueTable::setRows(const Rows& rows)
{
    m_updating = true;
    setRowCount(m_locked);
    for (const auto& [name, value] : rows) {
        appendRow(name, value, false);
    }
    m_updating = false;
    ensureTrailingEmptyRow();
    Q_EMIT rowsChanged();
}

void KeyValueTable::setLockedRows(const Rows& lockedRows)
{
    const Rows editable = rows();
    m_updating = true;
    setRowCount(0);
    m_locked = 0;
    for (const auto& [name, value] : lockedRows) {
        appendRow(name, value, true);
        ++m_locked;
    }
    for (const auto& [name, value] : editable) {
        appendRow(name, value, false);
    }
    m_updating = false;
    ensureTrailingEmptyRow();
}

void KeyValueTable::appendRow(const QString& name, const QString& value, bool locked)
{
    const int row = rowCount();
    insertRow(row);
    const QString texts[2] = {name, value};
    for (int column = 0; column < 2; ++column) {
        auto* cell = new QTableWidgetItem(texts[column]);
        if (locked) {
            cell->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            cell->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
            cell->setToolTip(tr("Added by Keyway when the request is sent; never shown or stored."));
        }
        setItem(row, column, cell);
    }
}

void KeyValueTable::ensureTrailingEmptyRow()
{
    const int last = rowCount() - 1;
    const bool lastEmpty = last >= m_locked && (!item(last, 0) || item(last, 0)->text().isEmpty())
        && (!item(last, 1) || item(last, 1)->text().isEmpty());
    if (!lastEmpty) {
        const bool was = m_updating;
        m_updating = true;
        appendRow(QString(), QString(), false);
        m_updating = was;
    }
}

} // namespace keyway::ui
