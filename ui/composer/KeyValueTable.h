#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QTableWidget>

namespace keyway::ui {

// A two-column name/value table (query parameters, headers) that always ends with an empty row to
// type into. Locked rows at the top are shown greyed and cannot be edited (the masked token header).
class KeyValueTable : public QTableWidget
{
    Q_OBJECT
public:
    using Rows = QList<QPair<QString, QString>>;

    explicit KeyValueTable(const QString& nameTitle, const QString& valueTitle, QWidget* parent = nullptr);

    // The editable rows with a non-empty name, in order.
    Rows rows() const;
    void setRows(const Rows& rows);
    // Read-only rows shown above the editable ones; replaces the previous locked rows.
    void setLockedRows(const Rows& rows);
    int lockedRowCount() const { return m_locked; }

Q_SIGNALS:
    void rowsChanged();

private:
    void ensureTrailingEmptyRow();
    void appendRow(const QString& name, const QString& value, bool locked);

    int m_locked = 0;
    bool m_updating = false;
};

} // namespace keyway::ui
