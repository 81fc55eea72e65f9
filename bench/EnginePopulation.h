#pragma once

// What the engine benchmarks (bench_engine.cpp) work on: 100,000 numbers with an active code
// each, straight in a store and requested through the engine, with a clock and a sender of
// their own.
#include "engine/CodeGenerator.h"
#include "engine/CodeHasher.h"
#include "engine/CodeSender.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"
#include "engine/OtpPolicy.h"
#include "engine/PhoneNumber.h"

#include <QCoreApplication>
#include <QHash>
#include <QTimer>

#include <climits>
#include <vector>

namespace waotp::bench {

using namespace std::chrono_literals;

inline constexpr int ActiveNumbers = 100'000;

class BenchClock final : public Clock
{
public:
    TimePoint now() const override { return m_now; }
    void advance(std::chrono::milliseconds d) { m_now += d; }

private:
    TimePoint m_now {std::chrono::hours(1000)};
};

// The product's policy, except that a number may be sent a new code at once and as often as
// the benchmark needs: refreshing 100,000 codes must not hit the cooldown or the hourly cap.
inline OtpPolicy benchPolicy()
{
    OtpPolicy p;
    p.firstResendCooldown = 0ms;
    p.maxResendCooldown = 0ms;
    p.maxSendsPerHour = INT_MAX;
    p.sendWindow = 1ms;
    // Wrong codes leave the window as the clock moves on: a code refreshed over and over never
    // meets the backoff or the daily limit (every guess is still counted).
    p.failureWindow = 1ms;
    return p;
}

// A sender that accepts every code at once and remembers it, so the benchmark can type the
// right one. Jobs end their tracking right away and delete themselves.
class InstantSender final : public CodeSender
{
public:
    class Job final : public SendJob
    {
    public:
        using SendJob::SendJob;
        void complete()
        {
            finish({});
            endTracking();
        }
    };

    SendJob *send(const OutgoingCode &code) override
    {
        codes.insert(code.to.e164(), code.code);
        auto *job = new Job(this);
        QTimer::singleShot(0, job, &Job::complete);
        return job;
    }
    bool supportsChannel(Channel) const override { return true; }

    QHash<QString, QString> codes; // e164 -> last code sent
};

inline const std::vector<QString> &e164Numbers()
{
    static const std::vector<QString> numbers = [] {
        std::vector<QString> out;
        out.reserve(ActiveNumbers);
        for (int i = 0; i < ActiveNumbers; ++i)
            out.push_back(u"+9198" + QStringLiteral("%1").arg(i, 8, 10, QLatin1Char('0')));
        return out;
    }();
    return numbers;
}

inline const std::vector<PhoneNumber> &phoneNumbers()
{
    static const std::vector<PhoneNumber> numbers = [] {
        std::vector<PhoneNumber> out;
        out.reserve(ActiveNumbers);
        for (const QString &text : e164Numbers()) {
            const PhoneParseResult r = PhoneNumber::parse(text, u"IN");
            if (r.ok())
                out.push_back(*r.number);
        }
        return out;
    }();
    return numbers;
}

// 100,000 subjects with an active code each, straight in the store.
struct StorePopulation
{
    CodeHasher hasher {QByteArray(32, 'k')};
    MemoryCodeStore store;
    BenchClock clock;
    OtpPolicy policy = benchPolicy();
    std::vector<Digest> subjects;
    std::vector<QString> codes;
    std::vector<Digest> macs;

    StorePopulation()
    {
        for (const QString &n : e164Numbers())
            subjects.push_back(hasher.subjectKey(n));
        codes.resize(subjects.size());
        macs.resize(subjects.size());
        refill();
    }

    void refill()
    {
        clock.advance(1s);
        for (std::size_t i = 0; i < subjects.size(); ++i) {
            codes[i] = generateCode();
            macs[i] = hasher.codeMac(subjects[i], codes[i]);
            store.issue(subjects[i], macs[i], clock.now(), policy, [](const IssueOutcome &o) {
                if (o.status != IssueOutcome::Status::Issued)
                    qFatal("benchmark population: issue refused");
            });
        }
    }
};

// 100,000 numbers with an active code each, requested through the engine.
struct EnginePopulation
{
    BenchClock clock;
    MemoryCodeStore store;
    InstantSender sender;
    OtpEngine engine {clock, store, CodeHasher(), sender, benchPolicy()};
    std::vector<QString> codes;
    std::vector<QString> wrongCodes;
    std::size_t requested = 0;
    std::size_t checked = 0;
    std::size_t verified = 0;
    std::size_t wrong = 0;

    EnginePopulation()
    {
        QObject::connect(&engine, &OtpEngine::codeRequested, &engine,
                         [this](quint64, const PhoneNumber &, const CodeRequestResult &r) {
                             if (r.status != CodeRequestResult::Status::Sent)
                                 qFatal("benchmark population: a send was refused");
                             ++requested;
                         });
        QObject::connect(&engine, &OtpEngine::codeChecked, &engine,
                         [this](quint64, const PhoneNumber &, const VerifyResult &r) {
                             ++checked;
                             verified += r.status == VerifyResult::Status::Verified ? 1 : 0;
                             wrong += r.status == VerifyResult::Status::WrongCode ? 1 : 0;
                         });
        refill();
    }

    void refill()
    {
        clock.advance(1s);
        const auto &numbers = phoneNumbers();
        requested = 0;
        for (std::size_t i = 0; i < numbers.size(); ++i) {
            engine.requestCode(numbers[i], Purpose::SignIn);
            if (i % 1000 == 999)
                drain(i + 1);
        }
        drain(numbers.size());
        codes.resize(numbers.size());
        wrongCodes.resize(numbers.size());
        for (std::size_t i = 0; i < numbers.size(); ++i) {
            codes[i] = sender.codes.value(numbers[i].e164());
            wrongCodes[i] =
                codes[i] == u"000000" ? QStringLiteral("000001") : QStringLiteral("000000");
        }
        if (store.activeCodes() != numbers.size())
            qFatal("benchmark population: %zu active codes", store.activeCodes());
    }

    // Runs the event loop until @p answers sends have been answered (the sender's zero-delay
    // completions, then the engine's answers), and deletes the finished jobs.
    void drain(std::size_t answers)
    {
        for (int pass = 0; requested < answers; ++pass) {
            if (pass == 1000)
                qFatal("benchmark population: %zu of %zu sends answered", requested, answers);
            QCoreApplication::processEvents();
        }
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
};

inline StorePopulation &storePopulation()
{
    static StorePopulation p;
    return p;
}

inline EnginePopulation &enginePopulation()
{
    static EnginePopulation p;
    return p;
}

} // namespace waotp::bench
