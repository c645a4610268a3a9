#pragma once

#include "core/profile/ProfileLoader.h"
#include "core/vault/Environment.h"
#include "core/vault/EnvironmentService.h"

#include <QHash>
#include <QPointer>
#include <QStandardItemModel>

namespace keyway::ui {

// Environments grouped by provider, each with its keychain state at a glance: all set, missing
// fields, keychain locked, unavailable. States come from EnvironmentService::credentialStates:
// asynchronous, and no secret value is ever read to draw them.
class EnvironmentListModel : public QStandardItemModel
{
    Q_OBJECT
public:
    enum class KeychainState { Checking, AllSet, MissingFields, Locked, Unavailable, Error };
    Q_ENUM(KeychainState)

    enum Role {
        EnvironmentIdRole = Qt::UserRole + 1,
        ProviderIdRole,
        KeychainStateRole,
        IsProviderGroupRole,
    };

    explicit EnvironmentListModel(EnvironmentService* environments, QObject* parent = nullptr);

    void setEnvironments(const QList<Environment>& environments);
    // Reads the keychain state of one environment again (after an edit, or Retry).
    void refreshState(const QString& environmentId);
    void refreshAllStates();

    KeychainState state(const QString& environmentId) const;
    QStringList missingFields(const QString& environmentId) const; // labels
    QModelIndex indexOfEnvironment(const QString& environmentId) const;
    QString environmentIdAt(const QModelIndex& index) const;

    static QString stateText(KeychainState state, int missingCount);

Q_SIGNALS:
    void stateChanged(const QString& environmentId);

private:
    void applyState(const QString& environmentId, KeychainState state, const QStringList& missing);

    QPointer<EnvironmentService> m_service;
    QHash<QString, Environment> m_environments;
    QHash<QString, KeychainState> m_states;
    QHash<QString, QStringList> m_missing;
    QHash<QString, int> m_generation; // ignores stale answers after an environment changed
};

} // namespace keyway::ui
