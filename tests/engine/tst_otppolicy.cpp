#include "engine/OtpPolicy.h"

#include <QTest>

#include <utility>
#include <vector>

using namespace waotp;
using namespace std::chrono_literals;

namespace {
/// Wrong codes as {hours after the first, how many}.
using Batches = QList<std::pair<int, int>>;
} // namespace

class tst_OtpPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cooldownGrows_data();
    void cooldownGrows();
    void cooldownHonoursConfiguration();
    void ceilSecondsRoundsUp();
    void failureBackoffDoubles_data();
    void failureBackoffDoubles();
    void failureBackoffShrinksAsFailuresLeave_data();
    void failureBackoffShrinksAsFailuresLeave();
};

void tst_OtpPolicy::cooldownGrows_data()
{
    QTest::addColumn<int>("sends");
    QTest::addColumn<qint64>("seconds");
    QTest::newRow("before any send") << 0 << qint64(0);
    QTest::newRow("after the first") << 1 << qint64(30);
    QTest::newRow("after the second") << 2 << qint64(60);
    QTest::newRow("after the third") << 3 << qint64(120);
    QTest::newRow("after the fourth") << 4 << qint64(240);
    QTest::newRow("after the fifth") << 5 << qint64(480);
    QTest::newRow("capped") << 6 << qint64(900);
    QTest::newRow("stays capped") << 60 << qint64(900);
}

void tst_OtpPolicy::cooldownGrows()
{
    QFETCH(int, sends);
    QFETCH(qint64, seconds);
    QCOMPARE(resendCooldown(sends, OtpPolicy {}),
             std::chrono::milliseconds(std::chrono::seconds(seconds)));
}

void tst_OtpPolicy::cooldownHonoursConfiguration()
{
    OtpPolicy p;
    p.firstResendCooldown = 10s;
    p.maxResendCooldown = 35s;
    QCOMPARE(resendCooldown(1, p), std::chrono::milliseconds(10s));
    QCOMPARE(resendCooldown(2, p), std::chrono::milliseconds(20s));
    QCOMPARE(resendCooldown(3, p), std::chrono::milliseconds(35s));
    p.firstResendCooldown = 0s;
    QCOMPARE(resendCooldown(4, p), std::chrono::milliseconds(0));
}

void tst_OtpPolicy::failureBackoffDoubles_data()
{
    QTest::addColumn<int>("failures");
    QTest::addColumn<qint64>("minutes");
    QTest::newRow("none") << 0 << qint64(0);
    QTest::newRow("below the threshold") << 9 << qint64(0);
    QTest::newRow("at the threshold") << 10 << qint64(1);
    QTest::newRow("four more") << 14 << qint64(1);
    QTest::newRow("five more") << 15 << qint64(2);
    QTest::newRow("ten more") << 20 << qint64(4);
    QTest::newRow("fifty more") << 60 << qint64(1024);
    QTest::newRow("capped at the window") << 65 << qint64(24 * 60);
    QTest::newRow("at the limit") << 100 << qint64(24 * 60);
}

void tst_OtpPolicy::failureBackoffDoubles()
{
    QFETCH(int, failures);
    QFETCH(qint64, minutes);
    QCOMPARE(failureBackoff(failures, OtpPolicy {}),
             std::chrono::milliseconds(std::chrono::minutes(minutes)));
}

void tst_OtpPolicy::failureBackoffShrinksAsFailuresLeave_data()
{
    // "Now" is one hour after the last wrong code.
    QTest::addColumn<Batches>("failures");
    QTest::addColumn<qint64>("waitMinutes"); // from now
    QTest::newRow("none") << Batches {} << qint64(0);
    QTest::newRow("below the threshold") << Batches {{0, 9}} << qint64(0);
    // Ten, an hour ago: a minute after the latest has long passed.
    QTest::newRow("waited out") << Batches {{0, 10}} << qint64(0);
    // Sixty: 1024 minutes after the latest, 17 h 4 min, 16 h 4 min from now.
    QTest::newRow("sixty") << Batches {{0, 60}} << qint64(16 * 60 + 4);
    // A hundred: no send until the first fifty leave, in 22 h; then fifty ask for 256 minutes
    // after the latest, long past by then.
    QTest::newRow("the limit") << Batches {{0, 50}, {1, 50}} << qint64(22 * 60);
    // A hundred again, but the first thirty leave first, in 21 h: seventy then ask for 4096
    // minutes, capped at 24 h after the latest (23 h from now); the next forty leave before
    // that, in 22 h, and thirty ask for 16 minutes, long past.
    QTest::newRow("leaving in steps") << Batches {{0, 30}, {1, 40}, {2, 30}} << qint64(22 * 60);
}

void tst_OtpPolicy::failureBackoffShrinksAsFailuresLeave()
{
    QFETCH(Batches, failures);
    QFETCH(qint64, waitMinutes);
    const std::chrono::steady_clock::time_point first(1000h);
    std::vector<std::chrono::steady_clock::time_point> times;
    for (const auto &[hours, count] : failures)
        times.insert(times.end(), std::size_t(count), first + std::chrono::hours(hours));
    const auto now = (times.empty() ? first : times.back()) + 1h;
    QCOMPARE(failureBackoffUntil(times, now, OtpPolicy {}) - now,
             std::chrono::steady_clock::duration(std::chrono::minutes(waitMinutes)));
}

void tst_OtpPolicy::ceilSecondsRoundsUp()
{
    QCOMPARE(ceilSeconds(0ms), 0s);
    QCOMPARE(ceilSeconds(-5ms), 0s);
    QCOMPARE(ceilSeconds(1ms), 1s);
    QCOMPARE(ceilSeconds(29'200ms), 30s);
    QCOMPARE(ceilSeconds(30'000ms), 30s);
}

QTEST_GUILESS_MAIN(tst_OtpPolicy)
#include "tst_otppolicy.moc"
