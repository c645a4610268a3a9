#pragma once

#include "core/util/Clock.h"

namespace keyway::test {

// A pinned clock for tests. Install with FakeClock::install(); Clock::resetInstance() in cleanup().
class FakeClock : public Clock
{
public:
    explicit FakeClock(const QDateTime& start);

    // Installs a new FakeClock as the global clock and returns it (owned by Clock).
    static FakeClock* install(const QDateTime& start = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC));

    void advanceSeconds(qint64 seconds);
    void advanceMSecs(qint64 msecs);
    void setNow(const QDateTime& now);

protected:
    QDateTime nowUtc() const override;

private:
    QDateTime m_now;
};

} // namespace keyway::test
