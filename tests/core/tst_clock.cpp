#include "tests/support/FakeClock.h"

#include <QTest>

using namespace keyway;

class TestClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { Clock::resetInstance(); }

    void systemClockFollowsWallTime()
    {
        const auto before = QDateTime::currentDateTimeUtc();
        const auto now = Clock::currentDateTimeUtc();
        QVERIFY(now >= before);
        QVERIFY(now.secsTo(QDateTime::currentDateTimeUtc()) < 5);
    }

    void fakeClockIsPinnedAndAdvances()
    {
        auto* clock = test::FakeClock::install(QDateTime(QDate(2030, 5, 1), QTime(8, 0), Qt::UTC));
        QCOMPARE(Clock::currentDateTimeUtc(), QDateTime(QDate(2030, 5, 1), QTime(8, 0), Qt::UTC));
        clock->advanceSeconds(600);
        QCOMPARE(Clock::currentDateTimeUtc().time(), QTime(8, 10));
        QCOMPARE(Clock::currentSecsSinceEpoch(),
                 QDateTime(QDate(2030, 5, 1), QTime(8, 10), Qt::UTC).toSecsSinceEpoch());
    }
};

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
