#include "engine/MemoryCodeStore.h"

#include <QRandomGenerator>
#include <QTest>

#include <climits>
#include <cstring>
#include <map>
#include <set>
#include <vector>

using namespace waotp;
using namespace std::chrono_literals;

namespace {
Digest digestOf(int i)
{
    Digest d {};
    std::memcpy(d.data(), &i, sizeof i);
    d[31] = 0x5a;
    return d;
}

// Subjects that share their first eight bytes (the table's hash: same home slot, same control
// byte) in groups of @p groupSize, so that probes run long and meet tombstones.
Digest collidingDigest(int i, int groupSize)
{
    Digest d {};
    const std::uint64_t prefix = 0x0123456789abcdefULL * std::uint64_t(i / groupSize + 1);
    std::memcpy(d.data(), &prefix, sizeof prefix);
    std::memcpy(d.data() + 8, &i, sizeof i);
    return d;
}

// A policy under which only the code keeps a subject in the store: sends and wrong codes leave
// their windows after a millisecond and never cool down.
OtpPolicy churnPolicy()
{
    OtpPolicy p;
    p.codeLifetime = 1h;
    p.firstResendCooldown = 0ms;
    p.maxResendCooldown = 0ms;
    p.maxSendsPerHour = INT_MAX;
    p.sendWindow = 1ms;
    p.failureWindow = 1ms;
    return p;
}

CheckOutcome::Status checkStatus(MemoryCodeStore &store, const Digest &subject, const Digest &mac,
                                 std::chrono::steady_clock::time_point now, const OtpPolicy &policy)
{
    CheckOutcome::Status status = CheckOutcome::Status::Unavailable;
    store.check(subject, mac, now, policy, [&](const CheckOutcome &o) { status = o.status; });
    return status;
}
} // namespace

class tst_MemoryCodeStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void callbacksRunOnce();
    void sweepsHundredThousandNumbers();
    void lazyRemovalOnCheck();
    void lockedCodeStaysLockedUntilDeadline();
    void sendOnlyEntries();
    void collidingSubjectsStayApart();
    void churnWithCollisions_data();
    void churnWithCollisions();
    void tableGrowsAndShrinks();
    void aGrowingStoreMovesOnePartAtATime();
    void wrongCodesOutliveTheirCode();
    void reservedGuessesCountUntilReleased();
    void historiesGrowAndShrink();
};

void tst_MemoryCodeStore::callbacksRunOnce()
{
    MemoryCodeStore store;
    const auto now = std::chrono::steady_clock::time_point(1000h);
    int issued = 0, checked = 0, cancelled = 0;
    store.issue(digestOf(1), digestOf(2), now, {}, [&](const IssueOutcome &o) {
        ++issued;
        QCOMPARE(o.status, IssueOutcome::Status::Issued);
    });
    store.check(digestOf(1), digestOf(2), now, {}, [&](const CheckOutcome &o) {
        ++checked;
        QCOMPARE(o.status, CheckOutcome::Status::Verified);
    });
    store.cancel(digestOf(1), [&](bool ok) {
        ++cancelled;
        QVERIFY(ok);
    });
    QCOMPARE(issued, 1);
    QCOMPARE(checked, 1);
    QCOMPARE(cancelled, 1);
}

void tst_MemoryCodeStore::sweepsHundredThousandNumbers()
{
    MemoryCodeStore store;
    const OtpPolicy policy;
    auto now = std::chrono::steady_clock::time_point(1000h);
    const int n = 100'000;
    for (int i = 0; i < n; ++i)
        store.issue(digestOf(i), digestOf(-i), now, policy, [](const IssueOutcome &) {});
    QCOMPARE(store.activeCodes(), std::size_t(n));
    QCOMPARE(store.trackedSubjects(), std::size_t(n));

    now += policy.codeLifetime - 1ms;
    store.sweep(now, policy);
    QCOMPARE(store.activeCodes(), std::size_t(n)); // nothing expired yet

    now += 1ms;
    store.sweep(now, policy);
    QCOMPARE(store.activeCodes(), std::size_t(0)); // every code gone
    QCOMPARE(store.trackedSubjects(), std::size_t(n)); // send history still drives cooldowns

    now += policy.sendWindow;
    store.sweep(now, policy);
    QCOMPARE(store.trackedSubjects(), std::size_t(0)); // the store is empty
}

void tst_MemoryCodeStore::lazyRemovalOnCheck()
{
    MemoryCodeStore store;
    const OtpPolicy policy;
    const auto now = std::chrono::steady_clock::time_point(1000h);
    store.issue(digestOf(7), digestOf(8), now, policy, [](const IssueOutcome &) {});
    QCOMPARE(store.activeCodes(), std::size_t(1));
    store.check(digestOf(7), digestOf(8), now + policy.codeLifetime, policy,
                [](const CheckOutcome &o) { QCOMPARE(o.status, CheckOutcome::Status::Expired); });
    QCOMPARE(store.activeCodes(), std::size_t(0)); // removed without a sweep
}

void tst_MemoryCodeStore::lockedCodeStaysLockedUntilDeadline()
{
    MemoryCodeStore store;
    OtpPolicy policy;
    policy.maxAttempts = 1;
    const auto now = std::chrono::steady_clock::time_point(1000h);
    store.issue(digestOf(1), digestOf(2), now, policy, [](const IssueOutcome &) {});
    CheckOutcome::Status last {};
    store.check(digestOf(1), digestOf(3), now, policy,
                [&](const CheckOutcome &o) { last = o.status; });
    QCOMPARE(last, CheckOutcome::Status::TooManyAttempts);
    store.check(digestOf(1), digestOf(2), now, policy,
                [&](const CheckOutcome &o) { last = o.status; });
    QCOMPARE(last, CheckOutcome::Status::TooManyAttempts);
    store.check(digestOf(1), digestOf(2), now + policy.codeLifetime, policy,
                [&](const CheckOutcome &o) { last = o.status; });
    QCOMPARE(last, CheckOutcome::Status::Expired);
    QCOMPARE(store.activeCodes(), std::size_t(0));
}

void tst_MemoryCodeStore::sendOnlyEntries()
{
    MemoryCodeStore store;
    const OtpPolicy policy;
    const auto now = std::chrono::steady_clock::time_point(1000h);
    IssueOutcome out;
    store.issue(digestOf(1), std::nullopt, now, policy, [&](const IssueOutcome &o) { out = o; });
    QCOMPARE(out.status, IssueOutcome::Status::Issued);
    QCOMPARE(store.activeCodes(), std::size_t(0));
    QCOMPARE(store.trackedSubjects(), std::size_t(1));
    store.issue(digestOf(1), std::nullopt, now + 1s, policy,
                [&](const IssueOutcome &o) { out = o; });
    QCOMPARE(out.status, IssueOutcome::Status::CoolingDown);
}

void tst_MemoryCodeStore::collidingSubjectsStayApart()
{
    MemoryCodeStore store;
    const OtpPolicy policy = churnPolicy();
    auto now = std::chrono::steady_clock::time_point(1000h);
    const int n = 300; // one group: every subject has the same home slot
    for (int i = 0; i < n; ++i)
        store.issue(collidingDigest(i, n), digestOf(i), now, policy, [](const IssueOutcome &) {});
    QCOMPARE(store.trackedSubjects(), std::size_t(n));
    // Each subject answers to its own MAC only.
    for (int i = 0; i < n; i += 2)
        QCOMPARE(checkStatus(store, collidingDigest(i, n), digestOf(i + 1), now, policy),
                 CheckOutcome::Status::WrongCode);
    for (int i = 0; i < n; i += 3)
        QCOMPARE(checkStatus(store, collidingDigest(i, n), digestOf(i), now, policy),
                 CheckOutcome::Status::Verified);
    // The verified ones leave at the sweep (tombstones in the middle of the chain); the others
    // are still found past them.
    now += 2ms;
    store.sweep(now, policy);
    QCOMPARE(store.trackedSubjects(), std::size_t(n - (n + 2) / 3));
    for (int i = 0; i < n; ++i) {
        QCOMPARE(checkStatus(store, collidingDigest(i, n), digestOf(i), now, policy),
                 i % 3 == 0 ? CheckOutcome::Status::NoCode : CheckOutcome::Status::Verified);
    }
    QCOMPARE(store.activeCodes(), std::size_t(0));
    QCOMPARE(checkStatus(store, collidingDigest(n, n), digestOf(n), now, policy),
             CheckOutcome::Status::NoCode); // another group, never stored
}

void tst_MemoryCodeStore::churnWithCollisions_data()
{
    QTest::addColumn<int>("groupSize");
    QTest::newRow("uniform") << 1;
    QTest::newRow("groups of 7") << 7;
    QTest::newRow("groups of 300") << 300;
}

// Issues, verifies, cancels and sweeps at random against a reference: the table must find
// every subject it holds and forget the ones it erased, through growth, tombstones and
// rebuilds.
void tst_MemoryCodeStore::churnWithCollisions()
{
    QFETCH(int, groupSize);
    MemoryCodeStore store;
    const OtpPolicy policy = churnPolicy();
    auto now = std::chrono::steady_clock::time_point(1000h);
    QRandomGenerator rng(42);
    const int pool = 3000;
    std::map<int, Digest> active; // subject -> MAC of its code
    int serial = 0;
    for (int round = 0; round < 40; ++round) {
        const int issues = round < 20 ? 200 : 40; // grow, then mostly shrink
        for (int k = 0; k < issues; ++k) {
            const int j = int(rng.bounded(pool));
            const Digest mac = digestOf(++serial);
            store.issue(collidingDigest(j, groupSize), mac, now, policy, [](const IssueOutcome &o) {
                QCOMPARE(o.status, IssueOutcome::Status::Issued);
            });
            active[j] = mac;
        }
        for (int k = 0; k < 150; ++k) {
            const int j = int(rng.bounded(pool));
            const auto it = active.find(j);
            if (rng.bounded(2) == 0) {
                store.cancel(collidingDigest(j, groupSize), [](bool ok) { QVERIFY(ok); });
            } else {
                QCOMPARE(checkStatus(store, collidingDigest(j, groupSize),
                                     it == active.end() ? digestOf(0) : it->second, now, policy),
                         it == active.end() ? CheckOutcome::Status::NoCode
                                            : CheckOutcome::Status::Verified);
            }
            if (it != active.end())
                active.erase(it);
        }
        QCOMPARE(store.activeCodes(), active.size());
        now += 2ms;
        store.sweep(now, policy);
        QCOMPARE(store.trackedSubjects(), active.size());
        QCOMPARE(store.activeCodes(), active.size());
    }
    for (int j = 0; j < pool; ++j) {
        const auto it = active.find(j);
        QCOMPARE(checkStatus(store, collidingDigest(j, groupSize),
                             it == active.end() ? digestOf(0) : it->second, now, policy),
                 it == active.end() ? CheckOutcome::Status::NoCode
                                    : CheckOutcome::Status::Verified);
    }
    now += 2ms;
    store.sweep(now, policy);
    QCOMPARE(store.trackedSubjects(), std::size_t(0));
    QCOMPARE(store.capacity(), std::size_t(0));
}

void tst_MemoryCodeStore::tableGrowsAndShrinks()
{
    MemoryCodeStore store;
    const OtpPolicy policy = churnPolicy();
    auto now = std::chrono::steady_clock::time_point(1000h);
    QCOMPARE(store.capacity(), std::size_t(0));
    for (int i = 0; i < 10'000; ++i)
        store.issue(digestOf(i), digestOf(-i), now, policy, [](const IssueOutcome &) {});
    // At most 7/8 full, and a power of two.
    QCOMPARE(store.capacity(), std::size_t(16384));
    // A sweep that leaves a tenth shrinks the table to fit.
    for (int i = 0; i < 10'000; ++i) {
        if (i % 10 != 0)
            store.cancel(digestOf(i), [](bool) {});
    }
    now += 2ms;
    store.sweep(now, policy);
    QCOMPARE(store.trackedSubjects(), std::size_t(1000));
    QCOMPARE(store.capacity(), std::size_t(2048));
    for (int i = 0; i < 10'000; ++i) {
        QCOMPARE(checkStatus(store, digestOf(i), digestOf(-i), now, policy),
                 i % 10 == 0 ? CheckOutcome::Status::Verified : CheckOutcome::Status::NoCode);
    }
}

// Subjects as the engine makes them (keyed hashes: uniform bits) spread over the parts, and a
// part grows on its own: no issue() moves more than a part's subjects. One table of them all
// would double from 65,536 slots to 131,072 at the 57,345th subject, in one call.
void tst_MemoryCodeStore::aGrowingStoreMovesOnePartAtATime()
{
    MemoryCodeStore store;
    OtpPolicy policy;
    const auto now = std::chrono::steady_clock::time_point(1000h);
    QRandomGenerator rng(20261207);
    std::vector<Digest> subjects(60'000);
    std::set<std::size_t> parts;
    std::size_t largestStep = 0;
    for (Digest &subject : subjects) {
        rng.fillRange(reinterpret_cast<quint32 *>(subject.data()), subject.size() / 4);
        parts.insert(MemoryCodeStore::partOf(subject));
        const std::size_t before = store.capacity();
        store.issue(subject, subject, now, policy, [](const IssueOutcome &o) {
            QCOMPARE(o.status, IssueOutcome::Status::Issued);
        });
        largestStep = std::max(largestStep, store.capacity() - before);
    }
    QCOMPARE(parts.size(), MemoryCodeStore::Parts);
    QCOMPARE(store.trackedSubjects(), subjects.size());
    QVERIFY2(largestStep <= 1024, qPrintable(QString::number(largestStep)));
    for (std::size_t i = 0; i < subjects.size(); i += 97)
        QCOMPARE(checkStatus(store, subjects[i], subjects[i], now, policy),
                 CheckOutcome::Status::Verified);
}

void tst_MemoryCodeStore::historiesGrowAndShrink()
{
    // A subject's sends and wrong codes: one is kept in place, more on the heap; they leave
    // their windows one by one and the history can grow again (and move with the table).
    MemoryCodeStore store;
    OtpPolicy policy;
    policy.firstResendCooldown = 1s;
    policy.maxResendCooldown = 1s;
    policy.maxSendsPerHour = 6;
    policy.maxFailures = 5;
    policy.maxAttempts = 100;
    auto now = std::chrono::steady_clock::time_point(1000h);
    const auto issue = [&](int subject) {
        IssueOutcome out;
        store.issue(digestOf(subject), digestOf(-1), now, policy,
                    [&](const IssueOutcome &o) { out = o; });
        return out;
    };
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 6; ++i) {
            const IssueOutcome o = issue(1);
            QCOMPARE(o.status, IssueOutcome::Status::Issued);
            QCOMPARE(o.sendsInWindow, i + 1);
            for (int other = 2; other < 40; ++other) // the table grows: histories move
                issue(other + 100 * i + 1000 * round);
            now += 1s;
        }
        QCOMPARE(issue(1).status, IssueOutcome::Status::HourlyLimit);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(checkStatus(store, digestOf(1), digestOf(-2), now, policy),
                     CheckOutcome::Status::WrongCode);
            now += 1ms;
        }
        // Only the sends that left the window are forgotten: the oldest first.
        now += policy.sendWindow - 6s;
        QCOMPARE(issue(1).status, IssueOutcome::Status::Issued);
        QCOMPARE(issue(1).status, IssueOutcome::Status::CoolingDown);
        now += policy.sendWindow + policy.failureWindow;
        store.sweep(now, policy);
        QCOMPARE(store.trackedSubjects(), std::size_t(0));
    }
    QCOMPARE(store.capacity(), std::size_t(0));
}

QTEST_GUILESS_MAIN(tst_MemoryCodeStore)
#include "tst_memorycodestore.moc"

void tst_MemoryCodeStore::wrongCodesOutliveTheirCode()
{
    MemoryCodeStore store;
    const OtpPolicy policy;
    auto now = std::chrono::steady_clock::time_point(1000h);
    store.issue(digestOf(1), digestOf(2), now, policy, [](const IssueOutcome &) {});
    QCOMPARE(checkStatus(store, digestOf(1), digestOf(3), now, policy),
             CheckOutcome::Status::WrongCode);
    // Code and send history are gone after an hour; the wrong code stays for a day.
    now += policy.sendWindow;
    store.sweep(now, policy);
    QCOMPARE(store.activeCodes(), std::size_t(0));
    QCOMPARE(store.trackedSubjects(), std::size_t(1));
    now = std::chrono::steady_clock::time_point(1000h) + policy.failureWindow;
    store.sweep(now, policy);
    QCOMPARE(store.trackedSubjects(), std::size_t(0));
}

void tst_MemoryCodeStore::reservedGuessesCountUntilReleased()
{
    MemoryCodeStore store;
    const OtpPolicy policy;
    const auto start = std::chrono::steady_clock::time_point(1000h);
    GuessReservation last;
    const auto reserve = [&](std::chrono::steady_clock::time_point at) {
        store.reserveGuess(digestOf(1), at, policy, [&](const GuessReservation &g) { last = g; });
        return last.status;
    };
    // A code the store holds, issued before the limit is reached.
    OtpPolicy longLived = policy;
    longLived.codeLifetime = 3h;
    store.issue(digestOf(1), digestOf(2), start, longLived, [](const IssueOutcome &) {});
    QCOMPARE(reserve(start), GuessReservation::Status::Reserved);
    const std::string first = last.ticket;
    for (int i = 1; i < policy.maxFailures; ++i)
        QCOMPARE(reserve(start + 1h), GuessReservation::Status::Reserved);
    QCOMPARE(reserve(start + 2h), GuessReservation::Status::GuessLimit);
    QCOMPARE(last.retryAfter, 22h); // when the first leaves the window
    // The same limit refuses the code the store holds, without comparing it.
    CheckOutcome checked;
    store.check(digestOf(1), digestOf(2), start + 2h, policy,
                [&](const CheckOutcome &o) { checked = o; });
    QCOMPARE(checked.status, CheckOutcome::Status::GuessLimit);
    QCOMPARE(checked.retryAfter, 22h);

    bool released = false;
    store.releaseGuess(digestOf(1), first, [&](bool ok) { released = ok; });
    QVERIFY(released);
    QCOMPARE(checkStatus(store, digestOf(1), digestOf(2), start + 2h, policy),
             CheckOutcome::Status::Verified);
    store.releaseGuess(digestOf(1), "not a ticket", [&](bool ok) { released = ok; });
    QVERIFY(!released);
}
