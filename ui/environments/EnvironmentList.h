#pragma once

#include <QWidget>

class QToolBar;
class QTreeView;

namespace keyway::ui {

class EnvironmentListModel;

// The environment tree (grouped by provider, keychain state beside each name) with a tool bar for
// the window's environment actions. Object names: environmentTree, environmentToolBar.
class EnvironmentList : public QWidget
{
    Q_OBJECT
public:
    explicit EnvironmentList(EnvironmentListModel* model, QWidget* parent = nullptr);

    QToolBar* toolBar() const { return m_toolBar; }
    QTreeView* view() const { return m_view; }

    QString currentEnvironmentId() const;
    void selectEnvironment(const QString& environmentId);

Q_SIGNALS:
    void currentEnvironmentChanged(const QString& environmentId); // empty when none
    void activated(const QString& environmentId); // double-click / Enter

private:
    EnvironmentListModel* m_model;
    QTreeView* m_view;
    QToolBar* m_toolBar;
    QString m_current;
};

} // namespace keyway::ui
