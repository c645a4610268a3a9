#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace keyway::ui {

// One captured value drawn as a lane: an authorization code, access token or refresh token.
struct TimelineEntry
{
    QString id; // unique per lane; adding an entry with an existing id updates it
    QString name; // "authorization code", "access token", "refresh token"
    QString environmentId; // the environment it belongs to; its name is asked of the model's namer
    QString environment; // the name to show when no namer knows the id
    QDateTime issued;
    QDateTime expires; // invalid = the provider gave no lifetime
    bool singleUse = false;
    QDateTime consumed; // invalid = not consumed
    bool failed = false; // revoked, refused, or the step that used it failed
    bool lifetimeAssumed = false; // the expiry is the profile's default, not the provider's word
    bool revoked = false; // revoked at the provider on request (failed is set too)
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
    bool markRevoked(const QString& id);
    bool remove(const QString& id);
    void clear();

    const QList<TimelineEntry>& entries() const { return m_entries; }

    // Lanes as shown: the current environment's first, then (unless filtered) the others, each group in
    // the order the values came.
    QList<TimelineEntry> visibleEntries() const;
    int visibleIndexOf(const QString& id) const;
    void setCurrentEnvironment(const QString& environmentId);
    QString currentEnvironment() const { return m_currentEnvironment; }
    void setCurrentEnvironmentOnly(bool only);
    bool currentEnvironmentOnly() const { return m_currentOnly; }

    // Environment names follow renames: the model asks for the current name of an entry's environment.
    using EnvironmentNamer = std::function<QString(const QString& environmentId)>;
    void setEnvironmentNamer(EnvironmentNamer namer);
    QString environmentName(const TimelineEntry& entry) const;
    void environmentsChanged() { Q_EMIT changed(); } // a rename: repaint with the new names
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
    QString m_currentEnvironment;
    bool m_currentOnly = false;
    EnvironmentNamer m_namer;
};

} // namespace keyway::ui
