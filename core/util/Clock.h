#pragma once

#include <QDateTime>

namespace keyway {

// Every "now" in Keyway goes through Clock, so tests can pin and advance time
// (token expiry, renewal, timeline colours) without sleeping.
class Clock
{
public:
    virtual ~Clock();

    static QDateTime currentDateTimeUtc();
    static qint64 currentMSecsSinceEpoch();
    static qint64 currentSecsSinceEpoch();

    // Takes ownership; nullptr restores the system clock.
    static void setInstance(Clock* clock);
    static void resetInstance();

protected:
    Clock() = default;
    virtual QDateTime nowUtc() const;

private:
    static Clock& instance();
};

} // namespace keyway
