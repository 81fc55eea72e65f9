// Code stores (issue 7): sends (issue) and verifies (check with the right code) per second,
// in-memory store against the Redis store on a local redis-server that this program starts.
//
// Both stores get precomputed digests, so only the store is measured (no HMAC, no engine).
// The Redis store uses the server's clock (as in production) and is measured with 1 and with
// 64 operations in flight: one connection pipelines, so the second figure is what a busy
// kiosk fleet sees per connection. Times are wall-clock (the work happens in redis-server).
//
//   bench_stores [--benchmark_filter=Redis]          WAOTP_BENCH_REDIS=redis://host:port/db
//   uses that server instead (keys under a fresh prefix, nothing is flushed).
#include "RedisServer.h"
#include "engine/MemoryCodeStore.h"
#include "network/redis/RedisCodeStore.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <benchmark/benchmark.h>

#include <climits>
#include <cstring>
#include <functional>
#include <memory>

using namespace waotp;
using namespace std::chrono_literals;

namespace {

constexpr int Batch = 1024; // operations per benchmark iteration
constexpr int Subjects = 100'000; // numbers cycled through

QString g_redisUrl;

Digest digestOf(int i, std::uint8_t salt)
{
    Digest d {};
    std::memcpy(d.data(), &i, sizeof i);
    d[31] = salt;
    return d;
}

// The product's policy, except that a number may get a new code at once and as often as the
// benchmark needs (cycling through the subjects must not hit the cooldown or the hourly cap).
OtpPolicy benchPolicy()
{
    OtpPolicy p;
    p.firstResendCooldown = 0ms;
    p.maxResendCooldown = 0ms;
    p.maxSendsPerHour = INT_MAX;
    // Wrong codes leave the window as the clock moves on: a code refreshed over and over never
    // meets the backoff or the daily limit (every guess is still counted).
    p.failureWindow = 1ms;
    return p;
}

/// Runs @p count operations keeping at most @p inFlight unanswered, until all have answered.
void runPipelined(int count, int inFlight,
                  const std::function<void(int, std::function<void()>)> &op)
{
    int started = 0;
    int finished = 0;
    std::function<void()> more;
    const std::function<void()> onDone = [&] {
        ++finished;
        more();
    };
    more = [&] {
        while (started < count && started - finished < inFlight)
            op(started++, onDone);
    };
    more();
    while (finished < count)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
}

std::unique_ptr<RedisCodeStore> makeRedisStore()
{
    static int serial = 0;
    RedisStoreOptions options;
    options.keyPrefix = "waotp-bench:" + QByteArray::number(QCoreApplication::applicationPid())
        + ':' + QByteArray::number(++serial) + ':';
    auto made = RedisCodeStore::create(g_redisUrl, options);
    if (auto *error = std::get_if<QString>(&made))
        qFatal("%s", qPrintable(*error));
    auto store = std::move(std::get<std::unique_ptr<RedisCodeStore>>(made));
    while (!store->isConnected())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return store;
}

// ---- in-memory store -------------------------------------------------------------------------

void BM_MemorySend(benchmark::State &state)
{
    MemoryCodeStore store;
    const OtpPolicy policy = benchPolicy();
    auto now = std::chrono::steady_clock::time_point(1000h);
    int next = 0;
    bool ok = true;
    for (auto _ : state) {
        for (int i = 0; i < Batch; ++i, next = (next + 1) % Subjects) {
            store.issue(
                digestOf(next, 1), digestOf(next, 2), now, policy,
                [&ok](const IssueOutcome &o) { ok &= o.status == IssueOutcome::Status::Issued; });
        }
        now += 1ms;
    }
    if (!ok)
        state.SkipWithError("a send was refused");
    state.SetItemsProcessed(state.iterations() * Batch);
}
BENCHMARK(BM_MemorySend)->UseRealTime();

void BM_MemoryVerify(benchmark::State &state)
{
    MemoryCodeStore store;
    const OtpPolicy policy = benchPolicy();
    auto now = std::chrono::steady_clock::time_point(1000h);
    int next = 0;
    bool ok = true;
    for (auto _ : state) {
        state.PauseTiming();
        const int first = next;
        for (int i = 0; i < Batch; ++i)
            store.issue(digestOf((first + i) % Subjects, 1), digestOf((first + i) % Subjects, 2),
                        now, policy, [](const IssueOutcome &) {});
        state.ResumeTiming();
        for (int i = 0; i < Batch; ++i, next = (next + 1) % Subjects) {
            store.check(
                digestOf(next, 1), digestOf(next, 2), now, policy,
                [&ok](const CheckOutcome &o) { ok &= o.status == CheckOutcome::Status::Verified; });
        }
        now += 1ms;
    }
    if (!ok)
        state.SkipWithError("a right code did not verify");
    state.SetItemsProcessed(state.iterations() * Batch);
}
BENCHMARK(BM_MemoryVerify)->UseRealTime();

// ---- Redis store -----------------------------------------------------------------------------

void BM_RedisSend(benchmark::State &state)
{
    const auto store = makeRedisStore();
    const OtpPolicy policy = benchPolicy();
    const int inFlight = int(state.range(0));
    const auto now = std::chrono::steady_clock::now(); // unused by the server's clock
    int next = 0;
    bool ok = true;
    for (auto _ : state) {
        const int first = next;
        runPipelined(Batch, inFlight, [&](int i, std::function<void()> done) {
            const int s = (first + i) % Subjects;
            store->issue(digestOf(s, 1), digestOf(s, 2), now, policy,
                         [&ok, done](const IssueOutcome &o) {
                             ok &= o.status == IssueOutcome::Status::Issued;
                             done();
                         });
        });
        next = (first + Batch) % Subjects;
    }
    if (!ok)
        state.SkipWithError("a send was refused (is the server reachable?)");
    state.SetItemsProcessed(state.iterations() * Batch);
}
BENCHMARK(BM_RedisSend)->Arg(1)->Arg(64)->ArgName("inflight")->UseRealTime();

void BM_RedisVerify(benchmark::State &state)
{
    const auto store = makeRedisStore();
    const OtpPolicy policy = benchPolicy();
    const int inFlight = int(state.range(0));
    const auto now = std::chrono::steady_clock::now();
    int next = 0;
    bool ok = true;
    for (auto _ : state) {
        const int first = next;
        state.PauseTiming();
        runPipelined(Batch, 64, [&](int i, std::function<void()> done) {
            const int s = (first + i) % Subjects;
            store->issue(digestOf(s, 1), digestOf(s, 2), now, policy,
                         [done](const IssueOutcome &) { done(); });
        });
        state.ResumeTiming();
        runPipelined(Batch, inFlight, [&](int i, std::function<void()> done) {
            const int s = (first + i) % Subjects;
            store->check(digestOf(s, 1), digestOf(s, 2), now, policy,
                         [&ok, done](const CheckOutcome &o) {
                             ok &= o.status == CheckOutcome::Status::Verified;
                             done();
                         });
        });
        next = (first + Batch) % Subjects;
    }
    if (!ok)
        state.SkipWithError("a right code did not verify (is the server reachable?)");
    state.SetItemsProcessed(state.iterations() * Batch);
}
BENCHMARK(BM_RedisVerify)->Arg(1)->Arg(64)->ArgName("inflight")->UseRealTime();

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("waotp.*.info=false"));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;

    std::unique_ptr<test::RedisServer> server;
    g_redisUrl = qEnvironmentVariable("WAOTP_BENCH_REDIS");
    if (g_redisUrl.isEmpty()) {
        server = std::make_unique<test::RedisServer>();
        if (!server->start())
            qFatal("cannot start redis-server: %s", qPrintable(server->errorString()));
        g_redisUrl = server->url();
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
