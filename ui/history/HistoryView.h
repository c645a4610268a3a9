#pragma once

#include "core/history/HistoryEntry.h"

#include <QList>
#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace keyway {
class HistoryStore;
}

namespace keyway::ui {

// An environment's request history, newest first: time, method, path, status, duration. A search
// box filters on method, path, status and body text. "Open in composer" and "Re-send" hand the
// entry back (method, path, non-secret headers, body); selecting a row shows its recorded reply.
// Everything comes from the HistoryStore on disk, so it survives a restart.
class HistoryView : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryView(QWidget* parent = nullptr);

    void setStore(HistoryStore* store) { m_store = store; }
    void setEnvironment(const QString& environmentId);
    QString environmentId() const { return m_environmentId; }

    int rowCount() const;
    HistoryEntry entryAt(int row) const;
    void selectRow(int row);
    QLineEdit* searchField() const { return m_search; }

public Q_SLOTS:
    void reload();
    void openSelected();
    void resendSelected();
    void clearHistory();

Q_SIGNALS:
    void openRequested(const keyway::HistoryEntry& entry);
    void resendRequested(const keyway::HistoryEntry& entry);
    void entrySelected(const keyway::HistoryEntry& entry);
    // The entry last selected is no longer listed (the search filtered it out, or it was cleared): whoever
    // shows it should stop.
    void selectedEntryHidden();

private:
    QString m_selectedId; // the entry last announced by entrySelected
    void applyFilter();
    int selectedRow() const;

    HistoryStore* m_store = nullptr;
    QString m_environmentId;
    QList<HistoryEntry> m_all; // newest first
    QList<HistoryEntry> m_shown;

    QLineEdit* m_search = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_resend = nullptr;
    QPushButton* m_clear = nullptr;
    QLabel* m_count = nullptr;
};

} // namespace keyway::ui
