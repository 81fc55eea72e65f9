#include "MemoryCodeStore.h"

#include <QTest>

#include <cstring>

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

QTEST_GUILESS_MAIN(tst_MemoryCodeStore)
#include "tst_memorycodestore.moc"
