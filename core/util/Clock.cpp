#include "core/util/Clock.h"

#include <memory>

namespace keyway {

namespace {
std::unique_ptr<Clock>& clockSlot()
{
    static std::unique_ptr<Clock> slot;
    return slot;
}

class SystemClock : public Clock
{
};
} // namespace

Clock::~Clock() = default;

QDateTime Clock::nowUtc() const
{
    return QDateTime::currentDateTimeUtc();
}

Clock& Clock::instance()
{
    auto& slot = clockSlot();
    if (!slot) {
        slot = std::make_unique<SystemClock>();
    }
    return *slot;
}

QDateTime Clock::currentDateTimeUtc()
{
    return instance().nowUtc();
}

qint64 Clock::currentMSecsSinceEpoch()
{
    return instance().nowUtc().toMSecsSinceEpoch();
}

qint64 Clock::currentSecsSinceEpoch()
{
    return instance().nowUtc().toSecsSinceEpoch();
}

void Clock::setInstance(Clock* clock)
{
    clockSlot().reset(clock);
}

void Clock::resetInstance()
{
    clockSlot().reset();
}

} // namespace keyway
