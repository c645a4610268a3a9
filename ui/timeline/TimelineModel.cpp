#include "ui/timeline/TimelineModel.h"

namespace keyway::ui {

TimelineModel::TimelineModel(QObject* parent) : QObject(parent) { }

void TimelineModel::upsert(const TimelineEntry& entry)
{
    const int index = indexOf(entry.id);
    if (index < 0) {
        m_entries.append(entry);
        Q_EMIT entryAdded(entry.id);
    } else {
        m_entries[index] = entry;
        Q_EMIT entryChanged(entry.id);
    }
    Q_EMIT changed();
}

bool TimelineModel::markConsumed(const QString& id, const QDateTime& at)
{
    const int index = indexOf(id);
    if (index < 0) {
        return false;
    }
    m_entries[index].consumed = at;
    Q_EMIT entryChanged(id);
    Q_EMIT changed();
    return true;
}

bool TimelineModel::markFailed(const QString& id)
{
    const int index = indexOf(id);
    if (index < 0) {
        return false;
    }
    m_entries[index].failed = true;
    Q_EMIT entryChanged(id);
    Q_EMIT changed();
    return true;
}

bool TimelineModel::markRevoked(const QString& id)
{
    const int index = indexOf(id);
    if (index < 0) {
        return false;
    }
    m_entries[index].failed = true;
    m_entries[index].revoked = true;
    Q_EMIT entryChanged(id);
    Q_EMIT changed();
    return true;
}

bool TimelineModel::remove(const QString& id)
{
    const int index = indexOf(id);
    if (index < 0) {
        return false;
    }
    m_entries.removeAt(index);
    Q_EMIT entryRemoved(id);
    Q_EMIT changed();
    return true;
}

void TimelineModel::clear()
{
    m_entries.clear();
    Q_EMIT cleared();
    Q_EMIT changed();
}

std::optional<TimelineEntry> TimelineModel::entry(const QString& id) const
{
    const int index = indexOf(id);
    return index < 0 ? std::nullopt : std::optional<TimelineEntry>(m_entries.at(index));
}

int TimelineModel::indexOf(const QString& id) const
{
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).id == id) {
            return i;
        }
    }
    return -1;
}

QList<TimelineEntry> TimelineModel::visibleEntries() const
{
    QList<TimelineEntry> mine;
    QList<TimelineEntry> others;
    for (const TimelineEntry& e : m_entries) {
        if (m_currentEnvironment.isEmpty() || e.environmentId == m_currentEnvironment) {
            mine.append(e);
        } else if (!m_currentOnly) {
            others.append(e);
        }
    }
    return mine + others;
}

int TimelineModel::visibleIndexOf(const QString& id) const
{
    const QList<TimelineEntry> shown = visibleEntries();
    for (int i = 0; i < shown.size(); ++i) {
        if (shown.at(i).id == id) {
            return i;
        }
    }
    return -1;
}

void TimelineModel::setCurrentEnvironment(const QString& environmentId)
{
    if (m_currentEnvironment != environmentId) {
        m_currentEnvironment = environmentId;
        Q_EMIT changed();
    }
}

void TimelineModel::setCurrentEnvironmentOnly(bool only)
{
    if (m_currentOnly != only) {
        m_currentOnly = only;
        Q_EMIT changed();
    }
}

void TimelineModel::setEnvironmentNamer(EnvironmentNamer namer)
{
    m_namer = std::move(namer);
    Q_EMIT changed();
}

QString TimelineModel::environmentName(const TimelineEntry& entry) const
{
    if (m_namer && !entry.environmentId.isEmpty()) {
        const QString name = m_namer(entry.environmentId);
        if (!name.isEmpty()) {
            return name;
        }
    }
    return entry.environment;
}

} // namespace keyway::ui
