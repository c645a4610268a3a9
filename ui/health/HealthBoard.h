#pragma once

#include "core/checks/HealthCheck.h"
#include "core/checks/HealthResultStore.h"

#include <QMap>
#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace keyway {

class EnvironmentService;

namespace ui {

// Every environment in one table, grouped by provider: the last check's time and result (pass, fail,
// unreachable, sign-in needed, keychain locked), the failing step's hint and the token's lifetime left.
// "Check all" checks them a few at once (HealthRun) with progress and Cancel; each row has its own Check.
// Results are kept in the state directory (HealthResultStore), so the board shows the last state on start.
// A failed row opens that environment's walkthrough at the failing step (double-click or "Open walkthrough").
// Object names: healthBoard, healthTable, healthCheckAll, healthCancel, healthOpen, healthProgress,
// healthStatus, and healthCheck-<environment name> for each row's button.
class HealthBoard : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxConcurrentChecks = 4;

    HealthBoard(EnvironmentService* service, const QString& resultsFile = {}, QWidget* parent = nullptr);
    ~HealthBoard() override;

    void checkAll();
    void check(const QString& environmentId);
    void cancel();
    bool isChecking() const { return !m_runs.isEmpty(); }
    // The result shown for an environment (the last check), if it was ever checked.
    std::optional<HealthResult> resultOf(const QString& environmentId) const;
    QTreeWidgetItem* rowOf(const QString& environmentId) const;

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    // The user wants the walkthrough of this environment, at this step ("" = from the start).
    void openWalkthrough(const QString& environmentId, const QString& stepId);
    void checksFinished();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildUi();
    void startRun(const QList<Environment>& environments);
    void onResult(const HealthResult& result);
    void showResult(QTreeWidgetItem* row, const HealthResult* result);
    void refreshLifetimes();
    void fitColumns();
    void updateControls();
    void openCurrent();
    QString environmentIdOf(const QTreeWidgetItem* item) const;

    QPointer<EnvironmentService> m_service;
    HealthResultStore m_store;
    QMap<QString, HealthResult> m_results; // by environment id
    QList<HealthRun*> m_runs;
    QSet<QString> m_checking; // environment ids being checked
    int m_total = 0;
    int m_done = 0;

    QTreeWidget* m_table = nullptr;
    QPushButton* m_checkAll = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_open = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QTimer* m_ticker = nullptr;
};

} // namespace ui
} // namespace keyway
