#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

namespace keyway::ui {

// One captured value drawn as a lane: an authorization code, access token or refresh token.
struct TimelineEntry
{
    QString id; // unique per lane; adding an entry with an existing id updates it
    QString name; // "authorization code", "access token", "refresh token"
    QString environment; // the environment it belongs to
    QDateTime issued;
    QDateTime expires; // invalid = the provider gave no lifetime
    bool singleUse = false;
    QDateTime consumed; // invalid = not consumed
    bool failed = false; // revoked, refused, or the step that used it failed
};

// The values the timeline shows. Fed from flow events by whoever wires the window; knows nothing of time.
class TimelineModel : public QObject
{
    Q_OBJECT
public:
    explicit TimelineModel(QObject* parent = nullptr);

    // Adds the entry, or replaces the one with the same id.
    void upsert(const TimelineEntry& entry);
    bool markConsumed(const QString& id, const QDateTime& at);
    bool markFailed(const QString& id);
    bool remove(const QString& id);
    void clear();

    const QList<TimelineEntry>& entries() const { return m_entries; }
    std::optional<TimelineEntry> entry(const QString& id) const;
    int indexOf(const QString& id) const;
    bool isEmpty() const { return m_entries.isEmpty(); }

Q_SIGNALS:
    void entryAdded(const QString& id);
    void entryChanged(const QString& id);
    void entryRemoved(const QString& id);
    void cleared();
    void changed(); // after any of the above

private:
    QList<TimelineEntry> m_entries;
};

} // namespace keyway::ui
