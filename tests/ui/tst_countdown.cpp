// Countdown text from the engine's deadline and an injected clock: no drift, no per-second
// counters, announcements only at the milestones.
#include "Countdown.h"
#include "ExpiryLabel.h"
#include "FakeClock.h"
#include "ResendButton.h"

#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono;
using namespace std::chrono_literals;

class tst_Countdown : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void format_data();
    void format();
    void secondsLeftRoundsUp_data();
    void secondsLeftRoundsUp();
    void nextChange_data();
    void nextChange();
    void milestones_data();
    void milestones();

    void expiryTextAtClockTimes_data();
    void expiryTextAtClockTimes();
    void expiryAnnouncesOnlyMilestones();
    void expiryAfterASleep();
    void expireNow();
    void resendCooldownProgression();
    void resendSizeStaysPut();
};

void tst_Countdown::format_data()
{
    QTest::addColumn<int>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0 << QStringLiteral("0:00");
    QTest::newRow("5 s") << 5 << QStringLiteral("0:05");
    QTest::newRow("42 s") << 42 << QStringLiteral("0:42");
    QTest::newRow("1 min") << 60 << QStringLiteral("1:00");
    QTest::newRow("4:59") << 299 << QStringLiteral("4:59");
    QTest::newRow("15 min") << 900 << QStringLiteral("15:00");
    QTest::newRow("1 h") << 3600 << QStringLiteral("1:00:00");
    QTest::newRow("negative") << -3 << QStringLiteral("0:00");
}

void tst_Countdown::format()
{
    QFETCH(int, seconds);
    QFETCH(QString, text);
    QCOMPARE(formatDuration(std::chrono::seconds(seconds)), text);
}

void tst_Countdown::secondsLeftRoundsUp_data()
{
    QTest::addColumn<int>("msLeft");
    QTest::addColumn<int>("shown");
    QTest::newRow("full") << 300000 << 300;
    QTest::newRow("just started") << 299999 << 300;
    QTest::newRow("one second gone") << 299000 << 299;
    QTest::newRow("last ms") << 1 << 1;
    QTest::newRow("deadline") << 0 << 0;
    QTest::newRow("past") << -5000 << 0;
}

void tst_Countdown::secondsLeftRoundsUp()
{
    QFETCH(int, msLeft);
    QFETCH(int, shown);
    const Clock::TimePoint now {hours(1000)};
    QCOMPARE(secondsLeft(now + milliseconds(msLeft), now).count(), shown);
}

void tst_Countdown::nextChange_data()
{
    QTest::addColumn<int>("msLeft");
    QTest::addColumn<int>("wake"); // -1: never
    QTest::newRow("on a second") << 300000 << 1000;
    QTest::newRow("between seconds") << 299400 << 400;
    QTest::newRow("almost") << 1 << 1;
    QTest::newRow("done") << 0 << -1;
}

void tst_Countdown::nextChange()
{
    QFETCH(int, msLeft);
    QFETCH(int, wake);
    const Clock::TimePoint now {hours(1000)};
    const auto next = untilNextChange(now + milliseconds(msLeft), now);
    QCOMPARE(next ? int(next->count()) : -1, wake);
}

void tst_Countdown::milestones_data()
{
    QTest::addColumn<int>("before");
    QTest::addColumn<int>("after");
    QTest::addColumn<int>("announced"); // -1: nothing
    QTest::newRow("4:59") << 300 << 299 << -1;
    QTest::newRow("1:01") << 62 << 61 << -1;
    QTest::newRow("1:00") << 61 << 60 << 60;
    QTest::newRow("0:59") << 60 << 59 << -1;
    QTest::newRow("0:30") << 31 << 30 << 30;
    QTest::newRow("0:10") << 11 << 10 << 10;
    QTest::newRow("0:09") << 10 << 9 << -1;
    QTest::newRow("expiry") << 1 << 0 << 0;
    QTest::newRow("slept over two") << 65 << 20 << 30;
    QTest::newRow("slept to the end") << 200 << 0 << 0;
}

void tst_Countdown::milestones()
{
    QFETCH(int, before);
    QFETCH(int, after);
    QFETCH(int, announced);
    const auto crossed = crossedAnnouncement(seconds(before), seconds(after));
    QCOMPARE(crossed ? int(crossed->count()) : -1, announced);
}

void tst_Countdown::expiryTextAtClockTimes_data()
{
    QTest::addColumn<int>("elapsedMs");
    QTest::addColumn<QString>("text");
    QTest::newRow("at send") << 0 << QStringLiteral("Code expires in 5:00");
    QTest::newRow("1 ms later") << 1 << QStringLiteral("Code expires in 5:00");
    QTest::newRow("1 s") << 1000 << QStringLiteral("Code expires in 4:59");
    QTest::newRow("1.5 s") << 1500 << QStringLiteral("Code expires in 4:59");
    QTest::newRow("4 min") << 240000 << QStringLiteral("Code expires in 1:00");
    QTest::newRow("last second") << 299001 << QStringLiteral("Code expires in 0:01");
    QTest::newRow("deadline") << 300000 << QStringLiteral("Code expired");
    QTest::newRow("long after") << 900000 << QStringLiteral("Code expired");
}

void tst_Countdown::expiryTextAtClockTimes()
{
    QFETCH(int, elapsedMs);
    QFETCH(QString, text);
    FakeClock clock;
    ExpiryLabel label;
    label.start(clock.now() + 5min, clock.now());
    clock.advance(milliseconds(elapsedMs));
    label.refresh(clock.now());
    QCOMPARE(label.text(), text);
}

void tst_Countdown::expiryAnnouncesOnlyMilestones()
{
    FakeClock clock;
    ExpiryLabel label;
    QSignalSpy announced(&label, &ExpiryLabel::announcementDue);
    QSignalSpy expired(&label, &ExpiryLabel::expired);
    label.start(clock.now() + 5min, clock.now());
    // Tick every second, as the page would, to the end.
    for (int i = 0; i < 300; ++i) {
        clock.advance(1s);
        label.refresh(clock.now());
    }
    QStringList said;
    for (const QList<QVariant> &args : announced)
        said << args.at(0).toString();
    QCOMPARE(said,
             (QStringList {
                 QStringLiteral("Code expires in 1:00"), QStringLiteral("Code expires in 0:30"),
                 QStringLiteral("Code expires in 0:10"), QStringLiteral("Code expired")}));
    QCOMPARE(expired.size(), 1);
    QVERIFY(!label.untilNextChange(clock.now()));
}

void tst_Countdown::expiryAfterASleep()
{
    FakeClock clock;
    ExpiryLabel label;
    QSignalSpy announced(&label, &ExpiryLabel::announcementDue);
    label.start(clock.now() + 5min, clock.now());
    clock.advance(4min + 45s); // the laptop slept through 1:00 and 0:30
    label.refresh(clock.now());
    QCOMPARE(label.text(), QStringLiteral("Code expires in 0:15"));
    QCOMPARE(announced.size(), 1);
    QCOMPARE(announced.at(0).at(0).toString(), QStringLiteral("Code expires in 0:15"));
}

void tst_Countdown::expireNow()
{
    FakeClock clock;
    ExpiryLabel label;
    label.start(clock.now() + 5min, clock.now());
    label.expireNow();
    QVERIFY(label.isExpired());
    QCOMPARE(label.text(), QStringLiteral("Code expired"));
    label.stop();
    QVERIFY(label.text().isEmpty());
    QVERIFY(!label.isRunning());
}

void tst_Countdown::resendCooldownProgression()
{
    FakeClock clock;
    ResendButton button;
    QSignalSpy finished(&button, &ResendButton::cooldownFinished);

    button.setNextSendAt(clock.now() + 30s, clock.now());
    QCOMPARE(button.displayText(), QStringLiteral("Resend code in 0:30"));
    QVERIFY(!button.isEnabled());
    QCOMPARE(button.accessibleName(), QString()); // the name stays the button's text...
    QCOMPARE(button.text(), QStringLiteral("Resend code")); // ...which never counts

    clock.advance(18s);
    button.refresh(clock.now());
    QCOMPARE(button.displayText(), QStringLiteral("Resend code in 0:12"));
    QVERIFY(!button.isEnabled());

    clock.advance(12s);
    button.refresh(clock.now());
    QCOMPARE(button.displayText(), QStringLiteral("Resend code"));
    QVERIFY(button.isEnabled());
    QCOMPARE(finished.size(), 1);
    QVERIFY(!button.untilNextChange(clock.now()));

    button.setBusy(true);
    QCOMPARE(button.displayText(), QStringLiteral("Sending…"));
    QVERIFY(!button.isEnabled());

    // The engine's next cooldown is longer.
    button.setBusy(false);
    button.setNextSendAt(clock.now() + 60s, clock.now());
    QCOMPARE(button.displayText(), QStringLiteral("Resend code in 1:00"));
    QVERIFY(!button.isEnabled());
}

void tst_Countdown::resendSizeStaysPut()
{
    FakeClock clock;
    ResendButton button;
    button.setNextSendAt(clock.now() + 15min, clock.now());
    const QSize counting = button.sizeHint();
    clock.advance(15min);
    button.refresh(clock.now());
    QCOMPARE(button.sizeHint(), counting);
    QVERIFY(button.fontMetrics().horizontalAdvance(QStringLiteral("Resend code in 15:00"))
            <= counting.width());
}

QTEST_MAIN(tst_Countdown)
#include "tst_countdown.moc"
