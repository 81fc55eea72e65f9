// Per-client limits: the rate limiter (GCRA) on a fake clock, and who the client is (its
// address, IPv6 by /64, X-Forwarded-For only from trusted proxies); the server's send budget.
#include "FakeClock.h"
#include "server/http/HttpMessage.h"
#include "server/limits/ClientAddress.h"
#include "server/limits/RateLimiter.h"
#include "server/limits/SendBudget.h"

#include <QTest>

using namespace waotp::server;
using waotp::test::FakeClock;
using namespace std::chrono_literals;

class tst_Limits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void burstThenSteady();
    void keysAreApart();
    void noWindowBoundaryDoubles();
    void offLetsEverythingThrough();
    void sweepForgetsWholeKeys();
    void givenBackIsAllowedAgain();
    void sendBudget();
    void clientKeys();
    void forwardedFor_data();
    void forwardedFor();
};

void tst_Limits::burstThenSteady()
{
    FakeClock clock;
    RateLimiter limiter({30, 5min}); // one every 10 s, 30 at once
    for (int i = 0; i < 30; ++i)
        QVERIFY(!limiter.admit("a", clock.now()));
    QCOMPARE(limiter.admit("a", clock.now()), std::optional(10000ms));
    clock.advance(4s);
    QCOMPARE(limiter.admit("a", clock.now()), std::optional(6000ms)); // refusals do not count
    clock.advance(6s);
    QVERIFY(!limiter.admit("a", clock.now()));
    QVERIFY(limiter.admit("a", clock.now()));
    clock.advance(5min);
    for (int i = 0; i < 30; ++i) // the whole allowance is back
        QVERIFY(!limiter.admit("a", clock.now()));
    QVERIFY(limiter.admit("a", clock.now()));
}

void tst_Limits::keysAreApart()
{
    FakeClock clock;
    RateLimiter limiter({2, 1min});
    QVERIFY(!limiter.admit("a", clock.now()));
    QVERIFY(!limiter.admit("a", clock.now()));
    QVERIFY(limiter.admit("a", clock.now()));
    QVERIFY(!limiter.admit("b", clock.now()));
    QCOMPARE(limiter.trackedKeys(), 2);
}

void tst_Limits::noWindowBoundaryDoubles()
{
    // A fixed window would let 2 × count through around its boundary; at most count + the
    // steady rate here, whatever the timing.
    FakeClock clock;
    RateLimiter limiter({10, 1min});
    int allowed = 0;
    for (int step = 0; step < 120; ++step) { // two minutes, a try every second
        for (int burst = 0; burst < 5; ++burst)
            allowed += limiter.admit("a", clock.now()) ? 0 : 1;
        clock.advance(1s);
    }
    QVERIFY2(allowed <= 10 + 20, qPrintable(QString::number(allowed)));
}

void tst_Limits::offLetsEverythingThrough()
{
    FakeClock clock;
    RateLimiter limiter({});
    for (int i = 0; i < 1000; ++i)
        QVERIFY(!limiter.admit("a", clock.now()));
    QCOMPARE(limiter.trackedKeys(), 0);
}

void tst_Limits::sweepForgetsWholeKeys()
{
    FakeClock clock;
    RateLimiter limiter({3, 30s});
    QVERIFY(!limiter.admit("a", clock.now()));
    clock.advance(5s);
    QVERIFY(!limiter.admit("b", clock.now()));
    QVERIFY(!limiter.admit("b", clock.now()));
    clock.advance(6s); // a is whole again (one used, 10 s each); b is not
    limiter.sweep(clock.now());
    QCOMPARE(limiter.trackedKeys(), 1);
    clock.advance(1min);
    limiter.sweep(clock.now());
    QCOMPARE(limiter.trackedKeys(), 0);
}

void tst_Limits::givenBackIsAllowedAgain()
{
    FakeClock clock;
    RateLimiter limiter({2, 1min});
    QVERIFY(!limiter.admit("a", clock.now()));
    QVERIFY(!limiter.admit("a", clock.now()));
    QVERIFY(limiter.admit("a", clock.now()));
    limiter.giveBack("a");
    QVERIFY(!limiter.admit("a", clock.now()));
    QVERIFY(limiter.admit("a", clock.now()));
    limiter.giveBack("b"); // a key never seen: nothing to give back
    QVERIFY(!limiter.admit("b", clock.now()));
}

void tst_Limits::sendBudget()
{
    FakeClock clock;
    SendBudget budget(2, 3);
    QVERIFY(!budget.take(clock.now()));
    QVERIFY(!budget.take(clock.now()));
    auto refused = budget.take(clock.now());
    QVERIFY(refused);
    QCOMPARE(refused->scope, SendBudget::Scope::Minute);
    QCOMPARE(refused->wait, 60s);
    // A bucket would have refilled one send by now: the minute that holds the two has no room.
    clock.advance(30s);
    refused = budget.take(clock.now());
    QVERIFY(refused);
    QCOMPARE(refused->wait, 30s);
    clock.advance(30s);
    quint64 third = 0;
    QVERIFY(!budget.take(clock.now(), &third)); // the third of the day
    refused = budget.take(clock.now());
    QVERIFY(refused);
    QCOMPARE(refused->scope, SendBudget::Scope::Day);
    QCOMPARE(refused->wait, 24h - 60s); // until the first two leave the day
    // The day's refusal did not use up the minute's share; a send given back is there again.
    budget.giveBack(third);
    QVERIFY(!budget.take(clock.now()));

    // The send given back is the one named, not the latest: an earlier one given back after a
    // later one was taken leaves the later one in the window.
    SendBudget twoAMinute(2, 0);
    quint64 early = 0;
    QVERIFY(!twoAMinute.take(clock.now(), &early));
    clock.advance(30s);
    QVERIFY(!twoAMinute.take(clock.now()));
    twoAMinute.giveBack(early);
    QVERIFY(!twoAMinute.take(clock.now()));
    clock.advance(31s); // the first has left the window; the two at 30 s have not
    refused = twoAMinute.take(clock.now());
    QVERIFY(refused);
    QCOMPARE(refused->wait, 29s);
    twoAMinute.giveBack(early); // given back already: nothing more
    // 0: no limit.
    SendBudget none(0, 0);
    for (int i = 0; i < 1000; ++i)
        QVERIFY(!none.take(clock.now()));

    // Whatever the pattern, no window of a minute holds more than the count: sends asked for
    // in bursts and trickles for ten minutes, each allowed one kept.
    SendBudget tenAMinute(10, 0);
    QList<waotp::Clock::TimePoint> allowed;
    for (int i = 0; i < 600; ++i) {
        clock.advance(i % 7 == 0 ? 4000ms : i % 3 == 0 ? 10ms : 900ms);
        if (const auto r = tenAMinute.take(clock.now()); !r)
            allowed.append(clock.now());
        else
            QVERIFY(r->wait > 0ms && r->wait <= 60s);
    }
    for (qsizetype i = 10; i < allowed.size(); ++i)
        QVERIFY2(allowed[i] - allowed[i - 10] >= 60s, qPrintable(QString::number(i)));
    QVERIFY(allowed.size() >= 10 * 8); // and the budget is there to be used: ten each minute
}

void tst_Limits::clientKeys()
{
    const auto key = [](const char *address) {
        return clientKey(QHostAddress(QString::fromLatin1(address)));
    };
    QCOMPARE(key("203.0.113.5"), key("::ffff:203.0.113.5"));
    QVERIFY(key("203.0.113.5") != key("203.0.113.6"));
    // One /64 is one client; the next /64 another.
    QCOMPARE(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    QVERIFY(key("2001:db8:1:2::1") != key("2001:db8:1:3::1"));
    QVERIFY(key("::1") != key("127.0.0.1"));
}

void tst_Limits::forwardedFor_data()
{
    QTest::addColumn<QString>("peer");
    QTest::addColumn<QByteArrayList>("forwardedFor"); // one header each
    QTest::addColumn<QString>("trusted");
    QTest::addColumn<QString>("client");
    QTest::newRow("no proxy: the header is ignored")
        << "198.51.100.1" << QByteArrayList {"203.0.113.5"} << ""
        << "198.51.100.1";
    QTest::newRow("untrusted peer: ignored")
        << "198.51.100.1" << QByteArrayList {"203.0.113.5"} << "10.0.0.0/8"
        << "198.51.100.1";
    QTest::newRow("trusted peer") << "10.0.0.2" << QByteArrayList {"203.0.113.5"} << "10.0.0.0/8"
                                  << "203.0.113.5";
    QTest::newRow("a client's forgery on the left")
        << "10.0.0.2" << QByteArrayList {"1.2.3.4, 203.0.113.5"} << "10.0.0.0/8"
        << "203.0.113.5";
    QTest::newRow("two proxies") << "10.0.0.2" << QByteArrayList {"203.0.113.5, 10.0.0.9"}
                                 << "10.0.0.0/8"
                                 << "203.0.113.5";
    QTest::newRow("two header fields")
        << "10.0.0.2" << QByteArrayList {"1.2.3.4", "203.0.113.5"} << "10.0.0.0/8"
        << "203.0.113.5";
    QTest::newRow("garbage hop: the peer")
        << "10.0.0.2" << QByteArrayList {"unknown"} << "10.0.0.0/8"
        << "10.0.0.2";
    QTest::newRow("all trusted: the peer")
        << "10.0.0.2" << QByteArrayList {"10.0.0.3"} << "10.0.0.0/8"
        << "10.0.0.2";
    QTest::newRow("no header: the peer") << "10.0.0.2" << QByteArrayList {} << "10.0.0.0/8"
                                         << "10.0.0.2";
    QTest::newRow("IPv6 client") << "::1" << QByteArrayList {"2001:db8::7"} << "::1/128"
                                 << "2001:db8::7";
    QTest::newRow("mapped peer") << "::ffff:127.0.0.1" << QByteArrayList {"203.0.113.5"}
                                 << "127.0.0.1/32"
                                 << "203.0.113.5";
}

void tst_Limits::forwardedFor()
{
    QFETCH(QString, peer);
    QFETCH(QByteArrayList, forwardedFor);
    QFETCH(QString, trusted);
    QFETCH(QString, client);
    HttpRequest request;
    request.peer = QHostAddress(peer);
    for (const QByteArray &value : forwardedFor)
        request.headers.emplaceBack("X-Forwarded-For", value);
    QList<Subnet> proxies;
    if (!trusted.isEmpty())
        proxies.append(QHostAddress::parseSubnet(trusted));
    QCOMPARE(clientAddress(request, proxies), QHostAddress(client));
}

QTEST_GUILESS_MAIN(tst_Limits)
#include "tst_limits.moc"
