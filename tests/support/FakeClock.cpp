#include "tests/support/FakeClock.h"

namespace keyway::test {

FakeClock::FakeClock(const QDateTime& start) : m_now(start.toUTC()) { }

FakeClock* FakeClock::install(const QDateTime& start)
{
    auto* clock = new FakeClock(start);
    Clock::setInstance(clock);
    return clock;
}

void FakeClock::advanceSeconds(qint64 seconds)
{
    m_now = m_now.addSecs(seconds);
}

void FakeClock::advanceMSecs(qint64 msecs)
{
    m_now = m_now.addMSecs(msecs);
}

void FakeClock::setNow(const QDateTime& now)
{
    m_now = now.toUTC();
}

QDateTime FakeClock::nowUtc() const
{
    return m_now;
}

} // namespace keyway::test
