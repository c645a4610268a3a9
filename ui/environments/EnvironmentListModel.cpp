#include "ui/environments/EnvironmentListModel.h"

#include <QApplication>
#include <QStyle>

#include <algorithm>

namespace keyway::ui {

EnvironmentListModel::EnvironmentListModel(EnvironmentService* environments, QObject* parent)
    : QStandardItemModel(parent), m_service(environments)
{
    setHorizontalHeaderLabels({tr("Environment"), tr("Keychain")});
}

void EnvironmentListModel::setEnvironments(const QList<Environment>& environments)
{
    m_environments.clear();
    removeRows(0, rowCount());

    QList<Environment> sorted = environments;
    std::sort(sorted.begin(), sorted.end(), [](const Environment& a, const Environment& b) {
        return a.providerId == b.providerId ? a.name.localeAwareCompare(b.name) < 0 : a.providerId < b.providerId;
    });
    QHash<QString, QStandardItem*> groups;
    for (const Environment& environment : sorted) {
        m_environments.insert(environment.id, environment);
        QStandardItem* group = groups.value(environment.providerId);
        if (!group) {
            const ProviderProfile* profile = m_service ? m_service->profileOf(environment) : nullptr;
            group = new QStandardItem(profile ? profile->name : environment.providerId);
            group->setToolTip(group->text());
            group->setData(true, IsProviderGroupRole);
            group->setData(environment.providerId, ProviderIdRole);
            group->setEditable(false);
            group->setSelectable(false);
            QFont font = group->font();
            font.setBold(true);
            group->setFont(font);
            auto* filler = new QStandardItem;
            filler->setEditable(false);
            filler->setSelectable(false);
            appendRow({group, filler});
            groups.insert(environment.providerId, group);
        }
        auto* name = new QStandardItem(environment.name);
        name->setEditable(false);
        name->setData(environment.id, EnvironmentIdRole);
        name->setData(environment.providerId, ProviderIdRole);
        name->setData(false, IsProviderGroupRole);
        // The list is narrow and elides a long name: the whole name is a hover away, with its URL.
        name->setToolTip(environment.baseUrl.isEmpty() ? environment.name
                                                       : environment.name + QLatin1Char('\n') + environment.baseUrl);
        auto* state = new QStandardItem;
        state->setEditable(false);
        state->setData(environment.id, EnvironmentIdRole);
        group->appendRow({name, state});
        const auto known = m_states.find(environment.id);
        applyState(environment.id,
                   known == m_states.end() ? KeychainState::Checking : *known,
                   m_missing.value(environment.id));
    }
    refreshAllStates();
}

void EnvironmentListModel::refreshAllStates()
{
    for (auto it = m_environments.cbegin(); it != m_environments.cend(); ++it) {
        refreshState(it.key());
    }
}

void EnvironmentListModel::refreshState(const QString& environmentId)
{
    const auto found = m_environments.constFind(environmentId);
    if (found == m_environments.cend() || !m_service) {
        return;
    }
    const ProviderProfile* profile = m_service->profileOf(*found);
    if (!profile) {
        applyState(environmentId, KeychainState::Error, {tr("unknown provider %1").arg(found->providerId)});
        return;
    }
    const int generation = ++m_generation[environmentId];
    if (!m_states.contains(environmentId)) {
        applyState(environmentId, KeychainState::Checking, {});
    }
    const QStringList needed = EnvironmentService::secretsNeeded(*profile, *found, QStringLiteral("*"));
    QPointer<EnvironmentListModel> self(this);
    m_service->credentialStates(
        environmentId,
        [self, environmentId, generation, profile, needed](const QMap<QString, CredentialState>& states) {
            if (!self || self->m_generation.value(environmentId) != generation) {
                return;
            }
            QStringList missing;
            KeychainState state = KeychainState::AllSet;
            for (const CredentialField& field : profile->fields) {
                switch (states.value(field.key, CredentialState::Missing)) {
                case CredentialState::Set:
                    break;
                case CredentialState::Missing:
                    if (field.required || needed.contains(field.key)) {
                        missing.append(field.label.isEmpty() ? field.key : field.label);
                    }
                    break;
                case CredentialState::Locked:
                    state = KeychainState::Locked;
                    break;
                case CredentialState::Unavailable:
                    if (state != KeychainState::Locked) {
                        state = KeychainState::Unavailable;
                    }
                    break;
                }
            }
            if (state == KeychainState::AllSet && !missing.isEmpty()) {
                state = KeychainState::MissingFields;
            }
            self->applyState(environmentId, state, missing);
        });
}

void EnvironmentListModel::applyState(const QString& environmentId, KeychainState state, const QStringList& missing)
{
    m_states.insert(environmentId, state);
    m_missing.insert(environmentId, missing);
    const QModelIndex nameIndex = indexOfEnvironment(environmentId);
    if (!nameIndex.isValid()) {
        return;
    }
    QStandardItem* nameItem = itemFromIndex(nameIndex);
    QStandardItem* stateItem = itemFromIndex(nameIndex.siblingAtColumn(1));
    QStyle* style = QApplication::style();
    QIcon icon;
    switch (state) {
    case KeychainState::Checking:
        break;
    case KeychainState::AllSet:
        icon = style->standardIcon(QStyle::SP_DialogApplyButton);
        break;
    case KeychainState::MissingFields:
        icon = style->standardIcon(QStyle::SP_MessageBoxWarning);
        break;
    case KeychainState::Locked:
    case KeychainState::Unavailable:
    case KeychainState::Error:
        icon = style->standardIcon(QStyle::SP_MessageBoxCritical);
        break;
    }
    nameItem->setData(static_cast<int>(state), KeychainStateRole);
    stateItem->setData(static_cast<int>(state), KeychainStateRole);
    stateItem->setText(stateText(state, missing.size()));
    stateItem->setIcon(icon);
    stateItem->setToolTip(missing.isEmpty() ? stateItem->text()
                                            : tr("Missing: %1").arg(missing.join(QStringLiteral(", "))));
    Q_EMIT stateChanged(environmentId);
}

QString EnvironmentListModel::stateText(KeychainState state, int missingCount)
{
    switch (state) {
    case KeychainState::Checking:
        return tr("checking…");
    case KeychainState::AllSet:
        return tr("all set");
    case KeychainState::MissingFields:
        return tr("%n missing", nullptr, missingCount);
    case KeychainState::Locked:
        return tr("keychain locked");
    case KeychainState::Unavailable:
        return tr("keychain unavailable");
    case KeychainState::Error:
        return tr("keychain error");
    }
    return {};
}

EnvironmentListModel::KeychainState EnvironmentListModel::state(const QString& environmentId) const
{
    return m_states.value(environmentId, KeychainState::Checking);
}

QStringList EnvironmentListModel::missingFields(const QString& environmentId) const
{
    return m_missing.value(environmentId);
}

QModelIndex EnvironmentListModel::indexOfEnvironment(const QString& environmentId) const
{
    for (int g = 0; g < rowCount(); ++g) {
        const QModelIndex group = index(g, 0);
        for (int r = 0; r < rowCount(group); ++r) {
            const QModelIndex child = index(r, 0, group);
            if (child.data(EnvironmentIdRole).toString() == environmentId) {
                return child;
            }
        }
    }
    return {};
}

QString EnvironmentListModel::environmentIdAt(const QModelIndex& index) const
{
    return index.siblingAtColumn(0).data(EnvironmentIdRole).toString();
}

} // namespace keyway::ui
