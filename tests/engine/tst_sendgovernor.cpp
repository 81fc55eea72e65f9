// The send-rate governor: its local bucket of send slots (spacing, the wait limit, slowing down
// and recovering) and the queue in front of a sender (at once or queued, first come first
// served, refusals with Retry-After, retries after the provider's 429), on a fake clock.
#include "FakeClock.h"
#include "FakeSender.h"
#include "engine/SendGovernor.h"

#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

PhoneNumber number(int i)
{
    return *PhoneNumber::parse(QStringLiteral("+9198765%1").arg(10000 + i), u"IN").number;
}

OutgoingCode code(int i, std::chrono::seconds validity = 300s)
{
    OutgoingCode c;
    c.to = number(i);
    c.code = QStringLiteral("%1").arg(100000 + i);
    c.validity = validity;
    return c;
}

SendSlot reserveNow(SendRateBucket &bucket, Clock::TimePoint now, milliseconds maxWait = 1h)
{
    SendSlot got;
    bool called = false;
    bucket.reserve(now, maxWait, [&](SendSlot s) {
        got = s;
        called = true;
    });
    if (!called)
        qFatal("the local bucket answers at once");
    return got;
}

/// Records one governed job.
struct Record
{
    int finished = 0;
    SendResult result;
    QList<std::pair<DeliveryStatus, int>> statuses;
    bool trackingEnded = false;
};

std::shared_ptr<Record> watch(SendJob *job)
{
    auto r = std::make_shared<Record>();
    QObject::connect(job, &SendJob::finished, job, [r, job] {
        ++r->finished;
        r->result = job->result();
    });
    QObject::connect(job, &SendJob::deliveryStatusChanged, [r](DeliveryStatus s, int code) {
        r->statuses.append({s, code});
    });
    QObject::connect(job, &SendJob::trackingFinished, [r] { r->trackingEnded = true; });
    return r;
}

/// A local bucket that records what the governor asks of it.
class RecordingBucket final : public SendRateBucket
{
public:
    void reserve(Clock::TimePoint now, milliseconds maxWait,
                 std::function<void(SendSlot)> done) override
    {
        ++reserves;
        m_inner.reserve(now, maxWait, std::move(done));
    }
    void slowDown(Clock::TimePoint now, milliseconds pause) override
    {
        m_inner.slowDown(now, pause);
    }
    void giveBack(Clock::TimePoint slot) override { given.append(slot); }
    void adopt(Clock::TimePoint due, const SendSlot &slot) override
    {
        adopted.append({due, slot.name});
    }
    int rate() const override { return m_inner.rate(); }
    milliseconds interval() const override { return m_inner.interval(); }

    int reserves = 0;
    QList<std::pair<Clock::TimePoint, QByteArray>> adopted;
    QList<Clock::TimePoint> given;

private:
    LocalSendRateBucket m_inner {1};
};

OutgoingCode withSlot(int i, SendSlot::Status status, milliseconds wait, int position = 0)
{
    OutgoingCode c = code(i);
    SendSlot slot;
    slot.status = status;
    slot.wait = wait;
    slot.position = position;
    slot.name = "slot-" + QByteArray::number(i);
    c.slot = slot;
    return c;
}

} // namespace

class tst_SendGovernor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bucketSpacesSlotsEvenly();
    void bucketNeverGivesMoreThanTheRateInAnySecond();
    void bucketRefusesASlotTooFar();
    void bucketSlowsDownAndRecovers();
    void freeSlotSendsAtOnce();
    void busySendsWaitInOrder();
    void fullQueueRefusesWithRetryAfter();
    void waitLongerThanTheCodeIsRefused();
    void providerRateLimitSlowsDownAndRetries();
    void aRecipientsLimitIsNotRetried();
    void queuedSendRefusedByTheProviderFails();
    void queuedSendTooLateAfterSlowDownFails();
    void unwantedQueuedSendsAreDropped();
    void anAnswerThatComesLaterStillDrops();
    void aDroppedLastSlotIsGivenBack();
    void aSlotTakenWithTheCodeIsUsed();
    void owedSendsAreSettledOrGivenUp();
};

void tst_SendGovernor::bucketSpacesSlotsEvenly()
{
    FakeClock clock;
    LocalSendRateBucket bucket(5);
    const auto t0 = clock.now();
    SendSlot s = reserveNow(bucket, t0);
    QCOMPARE(s.status, SendSlot::Status::Granted);
    QCOMPARE(s.wait, 0ms);
    QCOMPARE(s.position, 0);
    s = reserveNow(bucket, t0);
    QCOMPARE(s.wait, 200ms);
    QCOMPARE(s.position, 1);
    s = reserveNow(bucket, t0);
    QCOMPARE(s.wait, 400ms);
    QCOMPARE(s.position, 2);
    QCOMPARE(bucket.interval(), 200ms);
    // Later, the line has gone: the next slot is now again (no burst saved up).
    clock.advance(5s);
    QCOMPARE(reserveNow(bucket, clock.now()).wait, 0ms);
    QCOMPARE(reserveNow(bucket, clock.now()).wait, 200ms);
}

void tst_SendGovernor::bucketNeverGivesMoreThanTheRateInAnySecond()
{
    FakeClock clock;
    LocalSendRateBucket bucket(5);
    QList<qint64> slots;
    for (int i = 0; i < 50; ++i) {
        if (i % 7 == 0)
            clock.advance(130ms); // asked at uneven times
        const SendSlot s = reserveNow(bucket, clock.now());
        QCOMPARE(s.status, SendSlot::Status::Granted);
        slots.append(
            std::chrono::duration_cast<milliseconds>(clock.now().time_since_epoch() + s.wait)
                .count());
    }
    for (qsizetype i = 0; i + 5 < slots.size(); ++i)
        QVERIFY2(slots[i + 5] - slots[i] >= 1000, qPrintable(QString::number(i)));
}

void tst_SendGovernor::bucketRefusesASlotTooFar()
{
    FakeClock clock;
    LocalSendRateBucket bucket(5);
    reserveNow(bucket, clock.now());
    reserveNow(bucket, clock.now());
    const SendSlot far = reserveNow(bucket, clock.now(), 300ms);
    QCOMPARE(far.status, SendSlot::Status::TooFar);
    QCOMPARE(far.wait, 400ms);
    // Nothing was reserved: the next one gets that slot.
    QCOMPARE(reserveNow(bucket, clock.now()).wait, 400ms);
}

void tst_SendGovernor::bucketSlowsDownAndRecovers()
{
    FakeClock clock;
    LocalSendRateBucket bucket(10);
    reserveNow(bucket, clock.now());
    bucket.slowDown(clock.now(), 2s);
    QCOMPARE(bucket.rateShare(clock.now()), 0.5);
    // Nothing before the pause ends, then half the rate.
    SendSlot s = reserveNow(bucket, clock.now());
    QCOMPARE(s.wait, 2000ms);
    s = reserveNow(bucket, clock.now());
    QCOMPARE(s.wait, 2200ms);
    QCOMPARE(bucket.interval(), 200ms);
    // Halved again, then never below a tenth.
    for (int i = 0; i < 5; ++i)
        bucket.slowDown(clock.now(), 0ms);
    QCOMPARE(bucket.rateShare(clock.now()), SendRateBucket::MinRateShare);
    // The rate climbs back linearly, and is whole again after the recovery time.
    clock.advance(milliseconds(SendRateBucket::RecoveryTime / 2));
    QVERIFY(bucket.rateShare(clock.now()) > 0.5 && bucket.rateShare(clock.now()) < 0.7);
    clock.advance(SendRateBucket::RecoveryTime);
    QCOMPARE(bucket.rateShare(clock.now()), 1.0);
    clock.advance(10s);
    reserveNow(bucket, clock.now());
    QCOMPARE(reserveNow(bucket, clock.now()).wait, 100ms);
}

void tst_SendGovernor::freeSlotSendsAtOnce()
{
    FakeClock clock;
    FakeSender real;
    real.nextResult.messageId = QStringLiteral("SM1");
    LocalSendRateBucket bucket(5);
    SendGovernor governor(real, bucket, clock, 10);
    auto r = watch(governor.send(code(1)));
    QCOMPARE(r->finished, 0); // never from inside send()
    QTRY_COMPARE(r->finished, 1);
    QVERIFY(r->result.ok());
    QCOMPARE(r->result.messageId, QStringLiteral("SM1")); // the real job's answer
    QCOMPARE(r->result.queuePosition, 0);
    QCOMPARE(real.sent.size(), 1);
    QCOMPARE(governor.stats().sentAtOnce, quint64(1));
}

void tst_SendGovernor::busySendsWaitInOrder()
{
    FakeClock clock;
    FakeSender real;
    LocalSendRateBucket bucket(5);
    SendGovernor governor(real, bucket, clock, 10);
    QSignalSpy accepted(&governor, &SendGovernor::messageAccepted);
    QList<std::shared_ptr<Record>> records;
    for (int i = 0; i < 4; ++i)
        records.append(watch(governor.send(code(i))));
    QTRY_COMPARE(records.last()->finished, 1);
    QCOMPARE(real.sent.size(), 1);
    QCOMPARE(governor.stats().waiting, 3);
    for (int i = 1; i < 4; ++i) {
        const SendResult &q = records[i]->result;
        QVERIFY(q.ok());
        QCOMPARE(q.queuePosition, i);
        QCOMPARE(q.queueWait, milliseconds(200 * i));
        QVERIFY(q.messageId.isEmpty());
        QCOMPARE(records[i]->statuses.first().first, DeliveryStatus::Queued);
    }
    // Each slot in its turn, first come first served; the code's remaining life goes along.
    for (int i = 1; i < 4; ++i) {
        real.nextResult.messageId = QStringLiteral("SM%1").arg(i);
        clock.advance(200ms);
        governor.wake();
        QCOMPARE(real.sent.size(), i + 1);
        QCOMPARE(real.sent.last().to, number(i));
        QCOMPARE(real.sent.last().code, QStringLiteral("%1").arg(100000 + i));
        QCOMPARE(real.sent.last().validity, std::chrono::seconds(300 - (200 * i + 999) / 1000));
    }
    QTRY_COMPARE(accepted.size(), 3);
    QCOMPARE(accepted.at(2).at(1).toString(), QStringLiteral("SM3"));
    QCOMPARE(governor.stats().queued, quint64(3));
    QCOMPARE(governor.stats().waiting, 0);
    // The real job's delivery statuses reach the queued job.
    real.jobs.last()->updateDeliveryStatus(DeliveryStatus::Delivered);
    QCOMPARE(records.last()->statuses.last().first, DeliveryStatus::Delivered);
    real.jobs.last()->endTracking();
    QVERIFY(records.last()->trackingEnded);
}

void tst_SendGovernor::fullQueueRefusesWithRetryAfter()
{
    FakeClock clock;
    FakeSender real;
    LocalSendRateBucket bucket(5);
    SendGovernor governor(real, bucket, clock, 2);
    QList<std::shared_ptr<Record>> records;
    for (int i = 0; i < 4; ++i)
        records.append(watch(governor.send(code(i))));
    QTRY_COMPARE(records.last()->finished, 1);
    QVERIFY(records[0]->result.ok());
    QCOMPARE(records[1]->result.queuePosition, 1);
    QCOMPARE(records[2]->result.queuePosition, 2);
    const SendResult &refused = records[3]->result;
    QCOMPARE(refused.error, SendError::RateLimited);
    QVERIFY(refused.sendQueueFull);
    QCOMPARE(refused.retryAfter, 1s);
    QVERIFY(records[3]->trackingEnded);
    QCOMPARE(governor.stats().refusedFull, quint64(1));
    // Nothing lost: the queued ones go.
    clock.advance(400ms);
    governor.wake();
    QCOMPARE(real.sent.size(), 3);
}

void tst_SendGovernor::waitLongerThanTheCodeIsRefused()
{
    FakeClock clock;
    FakeSender real;
    LocalSendRateBucket bucket(1);
    SendGovernor governor(real, bucket, clock, 100);
    // A 20 s code must keep 10 s of its life: a wait of more than 10 s is refused.
    QList<std::shared_ptr<Record>> records;
    for (int i = 0; i < 13; ++i)
        records.append(watch(governor.send(code(i, 20s))));
    QTRY_COMPARE(records.last()->finished, 1);
    QCOMPARE(records[10]->result.queueWait, milliseconds(10s));
    const SendResult &refused = records[11]->result;
    QCOMPARE(refused.error, SendError::RateLimited);
    QVERIFY(refused.sendQueueFull);
    QCOMPARE(refused.retryAfter, 1s); // the line is one second too long
    QCOMPARE(records[12]->result.retryAfter, 1s);
    QCOMPARE(governor.stats().refusedTooLong, quint64(2));
}

void tst_SendGovernor::providerRateLimitSlowsDownAndRetries()
{
    FakeClock clock;
    FakeSender real;
    LocalSendRateBucket bucket(5);
    SendGovernor governor(real, bucket, clock, 10);
    real.nextResult.error = SendError::RateLimited;
    real.nextResult.providerCode = 20429;
    real.nextResult.retryAfter = 3s;
    auto r = watch(governor.send(code(1)));
    // Refused by Twilio: not failed, back in line after the pause.
    QTRY_COMPARE(r->finished, 1);
    QVERIFY(r->result.ok());
    QCOMPARE(r->result.queuePosition, 1);
    QCOMPARE(r->result.queueWait, milliseconds(3s));
    QCOMPARE(governor.stats().slowDowns, quint64(1));
    QCOMPARE(bucket.rateShare(clock.now()), 0.5);
    // Another send comes after it, at the slower rate.
    auto r2 = watch(governor.send(code(2)));
    QTRY_COMPARE(r2->finished, 1);
    QCOMPARE(r2->result.queueWait, 3400ms);
    QCOMPARE(r2->result.queuePosition, 2);
    real.nextResult = SendResult {};
    real.nextResult.messageId = QStringLiteral("SM9");
    clock.advance(2999ms);
    governor.wake();
    QCOMPARE(real.sent.size(), 1);
    clock.advance(1ms);
    governor.wake();
    QCOMPARE(real.sent.size(), 2);
    QTRY_COMPARE(r->statuses.size(), 1);
    QCOMPARE(r->statuses.first().first, DeliveryStatus::Queued);
    QVERIFY(!r->trackingEnded);
    clock.advance(400ms);
    governor.wake();
    QCOMPARE(real.sent.size(), 3);
}

// A limit on one number's sends (Twilio Verify's 60203) is not the account's rate: refused as
// it is, once, and nobody else slows down.
void tst_SendGovernor::aRecipientsLimitIsNotRetried()
{
    FakeClock clock;
    FakeSender real;
    LocalSendRateBucket bucket(5);
    SendGovernor governor(real, bucket, clock, 10);
    real.nextResult.error = SendError::RateLimited;
    real.nextResult.providerCode = 60203;
    real.nextResult.retryAfter = 3s;
    auto r = watch(governor.send(code(1)));
    QTRY_COMPARE(r->finished, 1);
    QCOMPARE(r->result.error, SendError::RateLimited);
    QCOMPARE(r->result.providerCode, 60203);
    QCOMPARE(real.sent.size(), 1);
    QCOMPARE(governor.stats().slowDowns, quint64(0));
    QCOMPARE(bucket.rateShare(clock.now()), 1.0);
}

void tst_SendGovernor::queuedSendRefusedByTheProviderFails()
{
    FakeClock clock;
    FakeSender real;
    LocalSendRateBucket bucket(5);
    SendGovernor governor(real, bucket, clock, 10);
    watch(governor.send(code(1)));
    auto r = watch(governor.send(code(2)));
    QTRY_COMPARE(r->finished, 1);
    real.nextResult.error = SendError::InvalidNumber;
    real.nextResult.providerCode = 21211;
    clock.advance(200ms);
    governor.wake();
    QTRY_VERIFY(r->trackingEnded);
    QCOMPARE(r->statuses.last(), std::make_pair(DeliveryStatus::Failed, 21211));
}

void tst_SendGovernor::queuedSendTooLateAfterSlowDownFails()
{
    FakeClock clock;
    FakeSender real;
    LocalSendRateBucket bucket(5);
    SendGovernor governor(real, bucket, clock, 10);
    watch(governor.send(code(1, 60s)));
    auto r = watch(governor.send(code(2, 60s)));
    QTRY_COMPARE(r->finished, 1);
    // Twilio pauses us for longer than the code can wait: the queued send fails, and says so.
    real.nextResult.error = SendError::RateLimited;
    real.nextResult.retryAfter = 120s;
    clock.advance(200ms);
    governor.wake();
    QTRY_VERIFY(r->trackingEnded);
    QCOMPARE(r->statuses.last(), std::make_pair(DeliveryStatus::Failed, 20429));
    QCOMPARE(governor.stats().expiredInQueue, quint64(1));
}

// Sends no longer wanted when their slot comes are dropped: nothing reaches the provider, the
// sends behind them move up a slot each (never later than they were told), and the slots left
// go back to the bucket, so that later sends' places in line count only real sends.
void tst_SendGovernor::unwantedQueuedSendsAreDropped()
{
    FakeClock clock;
    FakeSender real;
    LocalSendRateBucket bucket(1);
    SendGovernor governor(real, bucket, clock, 10);
    QSet<quint64> unwanted;
    QList<quint64> asked;
    governor.setStillWanted([&](quint64 ticket, const std::function<void(bool)> &answer) {
        asked.append(ticket);
        answer(!unwanted.contains(ticket));
    });
    QList<std::shared_ptr<Record>> records;
    for (int i = 0; i < 5; ++i)
        records.append(watch(governor.send(code(i))));
    QTRY_COMPARE(records.last()->finished, 1);
    QCOMPARE(real.sent.size(), 1); // the first went at once, unasked
    QSet<quint64> tickets;
    for (int i = 1; i < 5; ++i) {
        QCOMPARE(records[i]->result.queuePosition, i);
        QCOMPARE(records[i]->result.queueWait, milliseconds(1000 * i));
        tickets.insert(records[i]->result.queueTicket);
    }
    QCOMPARE(tickets.size(), 4);
    QVERIFY(!tickets.contains(0));
    QCOMPARE(records[0]->result.queueTicket, quint64(0));
    // Sends 1 and 3 are no longer wanted.
    unwanted = {records[1]->result.queueTicket, records[3]->result.queueTicket};

    clock.advance(1s); // send 1's slot: dropped; send 2 takes it
    governor.wake();
    QCOMPARE(real.sent.size(), 2);
    QCOMPARE(real.sent.last().to, number(2));
    QVERIFY(records[1]->trackingEnded);
    QCOMPARE(records[1]->statuses,
             (QList<std::pair<DeliveryStatus, int>> {{DeliveryStatus::Queued, 0}}));
    QCOMPARE(governor.stats().droppedInQueue, quint64(1));
    QCOMPARE(governor.stats().waiting, 2); // 3 and 4, a slot earlier each

    clock.advance(1s); // send 3's new slot: dropped; send 4 takes it
    governor.wake();
    QCOMPARE(real.sent.size(), 3);
    QCOMPARE(real.sent.last().to, number(4));
    QCOMPARE(governor.stats().droppedInQueue, quint64(2));
    QCOMPARE(governor.stats().waiting, 0);
    QCOMPARE(asked.size(), 4); // 1, 2, 3, 4: each queued send once

    // The two slots given back come next, as if the dropped sends had never been asked for.
    auto next = watch(governor.send(code(5)));
    auto after = watch(governor.send(code(6)));
    QTRY_COMPARE(after->finished, 1);
    QCOMPARE(next->result.queuePosition, 1);
    QCOMPARE(next->result.queueWait, 1000ms);
    QCOMPARE(after->result.queuePosition, 2);
    QCOMPARE(after->result.queueWait, 2000ms);
}

// A shared store answers later: the slot waits for it, and a later "no" still drops the send.
void tst_SendGovernor::anAnswerThatComesLaterStillDrops()
{
    FakeClock clock;
    FakeSender real;
    LocalSendRateBucket bucket(1);
    SendGovernor governor(real, bucket, clock, 10);
    QList<std::function<void(bool)>> pending;
    governor.setStillWanted(
        [&](quint64, std::function<void(bool)> answer) { pending.append(std::move(answer)); });
    auto first = watch(governor.send(code(0)));
    auto second = watch(governor.send(code(1)));
    auto third = watch(governor.send(code(2)));
    QTRY_COMPARE(third->finished, 1);
    clock.advance(1s);
    governor.wake();
    QCOMPARE(pending.size(), 1);
    QCOMPARE(real.sent.size(), 1);
    pending.takeFirst()(false); // the second is dropped; the third is asked about at once
    QCOMPARE(pending.size(), 1);
    QCOMPARE(real.sent.size(), 1);
    pending.takeFirst()(true);
    QCOMPARE(real.sent.size(), 2);
    QCOMPARE(real.sent.last().to, number(2));
    clock.advance(1s);
    governor.wake();
    QVERIFY(pending.isEmpty());
    QCOMPARE(real.sent.size(), 2);
}

void tst_SendGovernor::aDroppedLastSlotIsGivenBack()
{
    FakeClock clock;
    LocalSendRateBucket bucket(1);
    const auto t0 = clock.now();
    QCOMPARE(reserveNow(bucket, t0).wait, 0ms);
    QCOMPARE(reserveNow(bucket, t0).position, 1);
    const SendSlot last = reserveNow(bucket, t0);
    QCOMPARE(last.position, 2);
    bucket.giveBack(t0 + last.wait);
    // Taken again by the next reservation, at the same place.
    SendSlot again = reserveNow(bucket, t0);
    QCOMPARE(again.wait, last.wait);
    QCOMPARE(again.position, 2);
    // A slot in the middle given back no longer counts in the places of later ones.
    bucket.giveBack(t0 + 1s);
    again = reserveNow(bucket, t0);
    QCOMPARE(again.wait, 3000ms);
    QCOMPARE(again.position, 2);
    // After a slow-down the given-back last slot stays unused: the pause holds, even one that
    // ends before the next slot.
    const SendSlot before = reserveNow(bucket, t0);
    bucket.slowDown(t0, 1s);
    bucket.giveBack(t0 + before.wait);
    QVERIFY(reserveNow(bucket, t0).wait > before.wait);
}

// A send whose slot was taken with its code (a shared store's script) does not ask the bucket:
// it goes at once or waits for that slot, which the bucket adopts (to give it back if the send
// is dropped); one refused for a full queue gives its slot back, and one whose slot is due now
// goes whatever the queue holds; one too far is refused.
void tst_SendGovernor::aSlotTakenWithTheCodeIsUsed()
{
    FakeClock clock;
    FakeSender real;
    RecordingBucket bucket;
    SendGovernor governor(real, bucket, clock, 1);
    const auto t0 = clock.now();
    const auto now = watch(governor.send(withSlot(0, SendSlot::Status::Granted, 0ms)));
    QTRY_COMPARE(now->finished, 1);
    QVERIFY(now->result.ok());
    QCOMPARE(now->result.queuePosition, 0);
    QCOMPARE(real.sent.size(), 1);
    QVERIFY(!real.sent.first().slot.has_value()); // the real sender never sees it
    const auto later = watch(governor.send(withSlot(1, SendSlot::Status::Granted, 500ms, 1)));
    QTRY_COMPARE(later->finished, 1);
    QCOMPARE(later->result.queuePosition, 1);
    QCOMPARE(later->result.queueWait, 500ms);
    QCOMPARE(bucket.adopted.size(), 1);
    QCOMPARE(bucket.adopted.first().first, t0 + 500ms);
    QCOMPARE(bucket.adopted.first().second, QByteArray("slot-1"));
    const auto full = watch(governor.send(withSlot(2, SendSlot::Status::Granted, 900ms, 2)));
    QTRY_COMPARE(full->finished, 1);
    QVERIFY(full->result.sendQueueFull);
    QCOMPARE(bucket.given, (QList<Clock::TimePoint> {t0 + 900ms}));
    // The queue still full: a slot due now waits for nothing, so its send goes at once.
    const auto dueNow = watch(governor.send(withSlot(4, SendSlot::Status::Granted, 0ms)));
    QTRY_COMPARE(dueNow->finished, 1);
    QVERIFY(dueNow->result.ok());
    QCOMPARE(dueNow->result.queuePosition, 0);
    QCOMPARE(real.sent.size(), 2);
    QCOMPARE(bucket.given.size(), 1);
    clock.advance(500ms);
    governor.wake();
    QCOMPARE(real.sent.size(), 3);
    const auto far = watch(governor.send(withSlot(3, SendSlot::Status::TooFar, 2h)));
    QTRY_COMPARE(far->finished, 1);
    QCOMPARE(far->result.error, SendError::RateLimited);
    QCOMPARE(governor.stats().refusedTooLong, quint64(1));
    QCOMPARE(bucket.reserves, 0);
}

// owed() counts the sends answered as queued until their outcome is known; abandonQueue()
// gives up those still waiting (named by gaveUp(), no delivery report of their own, their slots
// back to the bucket, last first) and leaves the one on its way to the provider, which settles
// by itself; a retry that would wait after it is given up too.
void tst_SendGovernor::owedSendsAreSettledOrGivenUp()
{
    FakeClock clock;
    FakeSender real;
    RecordingBucket bucket;
    SendGovernor governor(real, bucket, clock, 10);
    int settled = 0;
    connect(&governor, &SendGovernor::settled, [&settled] { ++settled; });
    QList<quint64> gaveUp;
    connect(&governor, &SendGovernor::gaveUp, [&gaveUp](quint64 ticket) { gaveUp.append(ticket); });
    auto first = watch(governor.send(code(1))); // a free slot: goes at once, owes nothing
    QList<std::shared_ptr<Record>> queued;
    for (int i = 2; i <= 4; ++i)
        queued.append(watch(governor.send(code(i))));
    QTRY_COMPARE(queued.last()->finished, 1);
    QCOMPARE(governor.owed(), 3);
    QCOMPARE(real.sent.size(), 1);

    clock.advance(1s); // the second's slot
    governor.wake();
    QCOMPARE(real.sent.size(), 2);
    QCOMPARE(governor.owed(), 3); // on its way: Twilio has not answered yet
    governor.abandonQueue();
    QCOMPARE(governor.stats().waiting, 0);
    QCOMPARE(governor.owed(), 1);
    QCOMPARE(settled, 0);
    for (int i = 1; i <= 2; ++i) {
        QVERIFY(queued[i]->trackingEnded);
        QCOMPARE(queued[i]->statuses,
                 (QList<std::pair<DeliveryStatus, int>> {{DeliveryStatus::Queued, 0}}));
    }
    QCOMPARE(gaveUp,
             (QList<quint64> {queued[2]->result.queueTicket, queued[1]->result.queueTicket}));
    QCOMPARE(bucket.given, (QList<Clock::TimePoint> {clock.now() + 2s, clock.now() + 1s}));
    QTRY_COMPARE(settled, 1); // the provider's answer to the one on its way
    QCOMPARE(governor.owed(), 0);
    QVERIFY(!queued[0]->statuses.contains(std::make_pair(DeliveryStatus::Failed, 0)));
    // A new send that would wait is refused now, as a full queue refuses it.
    auto late = watch(governor.send(code(9)));
    QTRY_COMPARE(late->finished, 1);
    QCOMPARE(late->result.error, SendError::RateLimited);
    QVERIFY(late->result.sendQueueFull);
    QCOMPARE(governor.owed(), 0);
    clock.advance(1h);
    governor.wake();
    QCOMPARE(real.sent.size(), 2); // nothing given up goes later
    QCOMPARE(first->finished, 1);
}

QTEST_GUILESS_MAIN(tst_SendGovernor)
#include "tst_sendgovernor.moc"
