// The send-rate bucket shared through Redis: slots spaced by the rate on the server's clock,
// one line for every instance, a slot too far not taken, the provider's slow-down shared, and
// Unavailable when the server is gone. On a redis-server the test starts on a free port; each
// test takes well under a second of real time. The rates are low, so that a loaded machine's
// slow round trips (slots pass while the test waits for an answer) leave the checks true.
#include "RedisServer.h"
#include "engine/SendGovernor.h"
#include "network/redis/RedisSendRateBucket.h"

#include <QTest>

#include <memory>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

RedisClientOptions fastOptions()
{
    RedisClientOptions o;
    o.connectTimeout = 1000ms;
    o.commandTimeout = 1000ms;
    o.reconnectMin = 50ms;
    o.reconnectMax = 200ms;
    return o;
}

SendSlot reserve(SendRateBucket &bucket, milliseconds maxWait = 1h,
                 std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now())
{
    std::optional<SendSlot> got;
    bucket.reserve(now, maxWait, [&got](SendSlot s) { got = s; });
    if (!QTest::qWaitFor([&got] { return got.has_value(); }, 5000))
        return {};
    return *got;
}

RedisReply call(RedisClient &client, const QList<QByteArray> &args)
{
    std::optional<RedisReply> got;
    client.command(args, [&got](const RedisReply &r) { got = r; });
    (void)QTest::qWaitFor([&got] { return got.has_value(); }, 5000);
    return got.value_or(RedisReply {});
}

} // namespace

class tst_RedisSendRate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void slotsAreSpacedByTheRate();
    void instancesShareOneLine();
    void neverMoreThanTheRateInAnySecond();
    void aSlotTooFarIsNotTaken();
    void slowDownIsShared();
    void aSlotGivenBackIsFreeForEveryInstance();
    void unavailableWhenTheServerIsGone();

private:
    std::unique_ptr<RedisSendRateBucket> bucket(int rate);

    RedisServer m_server;
    std::unique_ptr<RedisClient> m_admin;
};

std::unique_ptr<RedisSendRateBucket> tst_RedisSendRate::bucket(int rate)
{
    auto endpoint = RedisEndpoint::fromUrl(m_server.url());
    return std::make_unique<RedisSendRateBucket>(std::get<RedisEndpoint>(std::move(endpoint)), rate,
                                                 QByteArrayLiteral("waotp:"), fastOptions());
}

void tst_RedisSendRate::initTestCase()
{
    if (!m_server.start())
        QFAIL(qPrintable(m_server.errorString()));
    m_admin = std::make_unique<RedisClient>(
        std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_server.url())));
}

void tst_RedisSendRate::init()
{
    if (!m_server.isRunning())
        QVERIFY(m_server.start());
    QCOMPARE(call(*m_admin, {"FLUSHALL"}).string, QByteArray("OK"));
}

void tst_RedisSendRate::slotsAreSpacedByTheRate()
{
    auto b = bucket(2);
    SendSlot s = reserve(*b);
    QCOMPARE(s.status, SendSlot::Status::Granted);
    QCOMPARE(s.wait, 0ms);
    QCOMPARE(s.position, 0);
    s = reserve(*b);
    QCOMPARE(s.status, SendSlot::Status::Granted);
    // 500 ms after the first, less the time the round trips took.
    QVERIFY2(s.wait > 200ms && s.wait <= 500ms, qPrintable(QString::number(s.wait.count())));
    QCOMPARE(s.position, 1);
    s = reserve(*b);
    QVERIFY2(s.wait > 700ms && s.wait <= 1000ms, qPrintable(QString::number(s.wait.count())));
    QCOMPARE(s.position, 2);
    QCOMPARE(b->interval(), 500ms);
    // The state lives in Redis, with a TTL; the slots still to come are the last two.
    QVERIFY(call(*m_admin, {"PTTL", "waotp:sendrate"}).integer > 0);
    QVERIFY(call(*m_admin, {"PTTL", "waotp:sendrate:slots"}).integer > 0);
    QCOMPARE(call(*m_admin, {"ZCARD", "waotp:sendrate:slots"}).integer, 2);
}

void tst_RedisSendRate::instancesShareOneLine()
{
    // Three instances, each its own connection: one line of slots between them.
    auto a = bucket(1);
    auto b = bucket(1);
    auto c = bucket(1);
    QList<milliseconds> waits;
    for (int i = 0; i < 9; ++i) {
        SendRateBucket &which = i % 3 == 0 ? *a : i % 3 == 1 ? *b : *c;
        const SendSlot s = reserve(which);
        QCOMPARE(s.status, SendSlot::Status::Granted);
        QCOMPARE(s.position, i);
        waits.append(s.wait);
    }
    for (int i = 1; i < waits.size(); ++i)
        QVERIFY(waits[i] > waits[i - 1]);
    QVERIFY2(waits.last() > 7000ms && waits.last() <= 8000ms,
             qPrintable(QString::number(waits.last().count())));
}

void tst_RedisSendRate::neverMoreThanTheRateInAnySecond()
{
    // 60 reservations at once from three instances at 20 per second: their slots (the local time
    // of the answer plus the wait) never hold more than 20 in any second.
    auto a = bucket(20);
    auto b = bucket(20);
    auto c = bucket(20);
    QList<qint64> slots;
    int answered = 0;
    for (int i = 0; i < 60; ++i) {
        SendRateBucket &which = i % 3 == 0 ? *a : i % 3 == 1 ? *b : *c;
        which.reserve(std::chrono::steady_clock::now(), 1h, [&](SendSlot s) {
            ++answered;
            QCOMPARE(s.status, SendSlot::Status::Granted);
            slots.append(std::chrono::duration_cast<milliseconds>(
                             std::chrono::steady_clock::now().time_since_epoch() + s.wait)
                             .count());
        });
    }
    QTRY_COMPARE(answered, 60);
    std::sort(slots.begin(), slots.end());
    // Each answer is read a moment after Redis gave it: allow that moment (tens of ms on a
    // loaded machine) of skew.
    for (qsizetype i = 0; i + 20 < slots.size(); ++i)
        QVERIFY2(slots[i + 20] - slots[i] >= 1000 - 60,
                 qPrintable(QStringLiteral("%1: %2 ms").arg(i).arg(slots[i + 20] - slots[i])));
    QVERIFY(slots.last() - slots.first() >= 2950 - 60);
}

void tst_RedisSendRate::aSlotTooFarIsNotTaken()
{
    auto b = bucket(1);
    reserve(*b);
    reserve(*b);
    const SendSlot far = reserve(*b, 1500ms);
    QCOMPARE(far.status, SendSlot::Status::TooFar);
    QVERIFY(far.wait > 1500ms && far.wait <= 2000ms);
    QCOMPARE(call(*m_admin, {"ZCARD", "waotp:sendrate:slots"}).integer, 1); // the second's
    const SendSlot next = reserve(*b);
    QCOMPARE(next.status, SendSlot::Status::Granted);
    QCOMPARE(next.position, 2);
}

void tst_RedisSendRate::slowDownIsShared()
{
    auto a = bucket(10);
    auto b = bucket(10);
    reserve(*a);
    a->slowDown(std::chrono::steady_clock::now(), 500ms);
    // The other instance sees the pause and the halved rate.
    SendSlot s = reserve(*b);
    QCOMPARE(s.status, SendSlot::Status::Granted);
    QVERIFY2(s.wait > 250ms && s.wait <= 500ms, qPrintable(QString::number(s.wait.count())));
    QCOMPARE(b->interval(), 200ms);
    s = reserve(*b);
    QVERIFY2(s.wait > 450ms && s.wait <= 700ms, qPrintable(QString::number(s.wait.count())));
    const QByteArray share = call(*m_admin, {"HGET", "waotp:sendrate", "share"}).string;
    QCOMPARE(share.toDouble(), 0.5);
}

// A queued send dropped at another instance's bucket gives its slot back to the shared line: the
// last one handed out is taken again by the next reservation, at any instance; one in the middle
// no longer counts in the places of later ones. After a slow-down the pause holds.
void tst_RedisSendRate::aSlotGivenBackIsFreeForEveryInstance()
{
    auto a = bucket(1);
    auto b = bucket(1);
    QCOMPARE(reserve(*a).wait, 0ms);
    const auto asked = std::chrono::steady_clock::now();
    const SendSlot middle = reserve(*a, 1h, asked);
    QCOMPARE(middle.position, 1);
    const SendSlot last = reserve(*a, 1h, asked);
    QCOMPARE(last.position, 2);
    a->giveBack(asked + last.wait);
    QCOMPARE(call(*m_admin, {"ZCARD", "waotp:sendrate:slots"}).integer, 1);
    SendSlot again = reserve(*b);
    QCOMPARE(again.position, 2);
    QVERIFY2(again.wait > 1500ms && again.wait <= last.wait,
             qPrintable(QString::number(again.wait.count())));
    // One in the middle: the later ones move up a place, and the last slot stays taken.
    a->giveBack(asked + middle.wait);
    again = reserve(*b);
    QCOMPARE(again.position, 2);
    QVERIFY2(again.wait > 2500ms, qPrintable(QString::number(again.wait.count())));
    // A slot this bucket never handed out, or handed back already: nothing happens.
    a->giveBack(asked + middle.wait);
    b->giveBack(asked + 1h);
    QCOMPARE(call(*m_admin, {"ZCARD", "waotp:sendrate:slots"}).integer, 2);
    // After a slow-down the given-back last slot stays unused.
    const auto before = std::chrono::steady_clock::now();
    const SendSlot beforeSlow = reserve(*b, 1h, before);
    b->slowDown(before, 100ms);
    b->giveBack(before + beforeSlow.wait);
    QVERIFY(reserve(*a).wait > beforeSlow.wait);
}

void tst_RedisSendRate::unavailableWhenTheServerIsGone()
{
    auto b = bucket(10);
    QCOMPARE(reserve(*b).status, SendSlot::Status::Granted);
    m_server.stop();
    QCOMPARE(reserve(*b).status, SendSlot::Status::Unavailable);
    QVERIFY(m_server.start());
    QTRY_COMPARE_WITH_TIMEOUT(reserve(*b).status, SendSlot::Status::Granted, 5000);
}

QTEST_GUILESS_MAIN(tst_RedisSendRate)
#include "tst_redissendrate.moc"
