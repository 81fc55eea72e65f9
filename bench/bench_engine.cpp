// Engine benchmarks (issue 6): generate+store, verify (right and wrong code) with 100,000
// active numbers, cleanup of 100,000 expired entries, memory per active code.
//
// Verification is measured at three depths so that each cost can be told apart:
//   store    MemoryCodeStore::check with a precomputed MAC
//   hashed   CodeHasher::codeMac + MemoryCodeStore::check (what any verify must do at least)
//   engine   OtpEngine::verifyCode, including the subject key, the code MAC and the
//            codeChecked signal delivered through the event loop to a connected slot
// Engine answers are delivered by a real event-loop pass, QCoreApplication::processEvents(),
// which is what QEventLoop::exec() runs each time round: it polls the dispatcher's file
// descriptors (one poll(2) per pass, whatever is pending) and then dispatches posted events and
// timers. Two shapes are measured: one verify per loop pass (each verify pays a whole pass) and
// bursts of BurstSize verifies per pass (a busy server: the pass is shared). BM_EventLoopPass is
// the cost of one pass with nothing to deliver, the floor under any answer that goes through
// the loop.
#include "EnginePopulation.h"

#include <QLoggingCategory>

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <memory>

using namespace waotp;
using namespace waotp::bench;
using namespace std::chrono_literals;

namespace {

// Wrong guesses per code before the population is refreshed: one fewer than the limit, so every
// measured guess takes the WrongCode path (never the cheaper "locked" one).
constexpr int WrongPasses = 4;
// Verifies per event-loop pass in the burst benchmarks.
constexpr int BurstSize = 64;

// ---- generate + store ----------------------------------------------------------------------

void BM_GenerateCode(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(generateCode());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GenerateCode);

void BM_CodeMac(benchmark::State &state)
{
    const CodeHasher hasher(QByteArray(32, 'k'));
    const Digest subject = hasher.subjectKey(u"+919876543210");
    const QString code = QStringLiteral("123456");
    for (auto _ : state)
        benchmark::DoNotOptimize(hasher.codeMac(subject, code));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CodeMac);

// What the engine does for a store-backed send, minus the sender: draw a code, MAC it, store it.
void BM_GenerateAndStore(benchmark::State &state)
{
    StorePopulation &p = storePopulation();
    std::size_t i = 0;
    for (auto _ : state) {
        const QString code = generateCode();
        p.store.issue(p.subjects[i], p.hasher.codeMac(p.subjects[i], code), p.clock.now(), p.policy,
                      [](const IssueOutcome &o) { benchmark::DoNotOptimize(o.status); });
        if (++i == p.subjects.size()) {
            i = 0;
            p.clock.advance(1s);
        }
    }
    state.SetItemsProcessed(state.iterations());
    p.refill(); // the codes issued above replaced the remembered ones (outside the timed loop)
}
BENCHMARK(BM_GenerateAndStore);

// ---- verify --------------------------------------------------------------------------------

void BM_StoreVerifyRight(benchmark::State &state)
{
    StorePopulation &p = storePopulation();
    std::size_t i = 0;
    std::size_t verified = 0;
    for (auto _ : state) {
        p.store.check(p.subjects[i], p.macs[i], p.clock.now(), p.policy,
                      [&verified](const CheckOutcome &o) {
                          verified += o.status == CheckOutcome::Status::Verified ? 1 : 0;
                      });
        if (++i == p.subjects.size()) {
            state.PauseTiming();
            i = 0;
            p.refill();
            state.ResumeTiming();
        }
    }
    if (verified != std::size_t(state.iterations()))
        state.SkipWithError("a right code did not verify");
    p.refill(); // leave every code active for the next benchmark (outside the timed loop)
    state.SetItemsProcessed(state.iterations());
    state.counters["active"] = double(p.subjects.size());
}
BENCHMARK(BM_StoreVerifyRight);

void BM_StoreVerifyWrong(benchmark::State &state)
{
    StorePopulation &p = storePopulation();
    const Digest wrongMac = p.hasher.codeMac(p.subjects[0], u"not-a-code");
    std::size_t i = 0;
    int pass = 0;
    std::size_t wrong = 0;
    for (auto _ : state) {
        p.store.check(p.subjects[i], wrongMac, p.clock.now(), p.policy,
                      [&wrong](const CheckOutcome &o) {
                          wrong += o.status == CheckOutcome::Status::WrongCode ? 1 : 0;
                      });
        if (++i == p.subjects.size()) {
            i = 0;
            if (++pass == WrongPasses) {
                state.PauseTiming();
                pass = 0;
                p.refill();
                state.ResumeTiming();
            }
        }
    }
    if (wrong != std::size_t(state.iterations()))
        state.SkipWithError("a wrong code was not reported as wrong");
    p.refill(); // leave every code active for the next benchmark (outside the timed loop)
    state.SetItemsProcessed(state.iterations());
    state.counters["active"] = double(p.subjects.size());
}
BENCHMARK(BM_StoreVerifyWrong);

// The minimum a verify costs: MAC of the typed code, then the store check.
void BM_HashedVerifyRight(benchmark::State &state)
{
    StorePopulation &p = storePopulation();
    std::size_t i = 0;
    std::size_t verified = 0;
    for (auto _ : state) {
        p.store.check(p.subjects[i], p.hasher.codeMac(p.subjects[i], p.codes[i]), p.clock.now(),
                      p.policy, [&verified](const CheckOutcome &o) {
                          verified += o.status == CheckOutcome::Status::Verified ? 1 : 0;
                      });
        if (++i == p.subjects.size()) {
            state.PauseTiming();
            i = 0;
            p.refill();
            state.ResumeTiming();
        }
    }
    if (verified != std::size_t(state.iterations()))
        state.SkipWithError("a right code did not verify");
    p.refill(); // leave every code active for the next benchmark (outside the timed loop)
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HashedVerifyRight);

// One event-loop pass with nothing to deliver.
void BM_EventLoopPass(benchmark::State &state)
{
    for (auto _ : state)
        QCoreApplication::processEvents();
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventLoopPass);

enum class Guess { Right, Wrong };

// verifyCode() for @p burst numbers in turn, then one event-loop pass that must deliver every
// answer to the slot; one benchmark iteration is one such pass. Right guesses use each code
// once, wrong ones WrongPasses times; then the population is refilled (outside the timing).
void engineVerify(benchmark::State &state, Guess guess, int burst)
{
    EnginePopulation &p = enginePopulation();
    const auto &numbers = phoneNumbers();
    const auto &typed = guess == Guess::Right ? p.codes : p.wrongCodes;
    std::size_t i = 0;
    int pass = 0;
    p.checked = p.verified = p.wrong = 0;
    for (auto _ : state) {
        if (i + std::size_t(burst) > numbers.size()) {
            i = 0;
            if (guess == Guess::Right || ++pass == WrongPasses) {
                state.PauseTiming();
                pass = 0;
                p.refill();
                state.ResumeTiming();
            }
        }
        for (int b = 0; b < burst; ++b, ++i)
            p.engine.verifyCode(numbers[i], typed[i]);
        QCoreApplication::processEvents(); // what the event loop does next
    }
    const auto expected = std::size_t(state.iterations()) * std::size_t(burst);
    const std::size_t matched = guess == Guess::Right ? p.verified : p.wrong;
    if (p.checked != expected || matched != expected)
        state.SkipWithError(guess == Guess::Right ? "a right code did not verify in its pass"
                                                  : "a wrong code was not reported in its pass");
    p.refill(); // leave every code active for the next benchmark (outside the timed loop)
    state.SetItemsProcessed(std::int64_t(expected));
    state.counters["active"] = double(numbers.size());
    state.counters["per_pass"] = double(burst);
}

void BM_EngineVerifyRight(benchmark::State &state)
{
    engineVerify(state, Guess::Right, 1);
}
BENCHMARK(BM_EngineVerifyRight);

void BM_EngineVerifyWrong(benchmark::State &state)
{
    engineVerify(state, Guess::Wrong, 1);
}
BENCHMARK(BM_EngineVerifyWrong);

void BM_EngineVerifyRightBurst(benchmark::State &state)
{
    engineVerify(state, Guess::Right, BurstSize);
}
BENCHMARK(BM_EngineVerifyRightBurst);

void BM_EngineVerifyWrongBurst(benchmark::State &state)
{
    engineVerify(state, Guess::Wrong, BurstSize);
}
BENCHMARK(BM_EngineVerifyWrongBurst);

// ---- cleanup -------------------------------------------------------------------------------

void BM_SweepExpired(benchmark::State &state)
{
    const OtpPolicy policy; // the product's: 5 min lifetime, 1 h send window
    const CodeHasher hasher(QByteArray(32, 'k'));
    std::vector<Digest> subjects;
    for (const QString &n : e164Numbers())
        subjects.push_back(hasher.subjectKey(n));
    const Digest mac = hasher.codeMac(subjects[0], u"123456");
    BenchClock clock;
    for (auto _ : state) {
        state.PauseTiming();
        auto store = std::make_unique<MemoryCodeStore>();
        for (const Digest &s : subjects)
            store->issue(s, mac, clock.now(), policy, [](const IssueOutcome &) {});
        clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(policy.sendWindow)
                      + 1s);
        state.ResumeTiming();
        store->sweep(clock.now(), policy);
        state.PauseTiming();
        if (store->trackedSubjects() != 0)
            state.SkipWithError("expired entries survived the sweep");
        store.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * std::int64_t(subjects.size()));
}
BENCHMARK(BM_SweepExpired)->Unit(benchmark::kMillisecond);

// ---- memory --------------------------------------------------------------------------------

// Heap bytes held per active code: every allocation the store makes for 100,000 codes (the
// table's arrays, send history), divided by 100,000. Subjects and MACs are computed first so
// only the store's own memory is counted. Large blocks may come from mmap() rather than the
// heap (glibc's threshold moves as blocks are freed), so both are counted.
std::size_t heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

void BM_MemoryPerActiveCode(benchmark::State &state)
{
    const OtpPolicy policy;
    const CodeHasher hasher(QByteArray(32, 'k'));
    std::vector<Digest> subjects;
    std::vector<Digest> macs;
    for (const QString &n : e164Numbers()) {
        subjects.push_back(hasher.subjectKey(n));
        macs.push_back(hasher.codeMac(subjects.back(), u"123456"));
    }
    BenchClock clock;
    double perCode = 0;
    for (auto _ : state) {
        malloc_trim(0);
        const std::size_t before = heapInUse();
        auto store = std::make_unique<MemoryCodeStore>();
        for (std::size_t i = 0; i < subjects.size(); ++i)
            store->issue(subjects[i], macs[i], clock.now(), policy, [](const IssueOutcome &) {});
        const std::size_t after = heapInUse();
        perCode = double(after - before) / double(store->activeCodes());
        store.reset();
    }
    state.counters["bytes_per_code"] = perCode;
    state.counters["active"] = double(subjects.size());
}
BENCHMARK(BM_MemoryPerActiveCode)->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // 100,000 "code sent" lines would measure the terminal, not the engine.
    QLoggingCategory::setFilterRules(QStringLiteral("waotp.*.info=false"));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
