#include "engine/OtpPolicy.h"

#include <QTest>

using namespace waotp;
using namespace std::chrono_literals;

class tst_OtpPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cooldownGrows_data();
    void cooldownGrows();
    void cooldownHonoursConfiguration();
    void ceilSecondsRoundsUp();
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
