#pragma once

#include "engine/CodeStore.h"

#include <array>
#include <memory>
#include <vector>

namespace waotp {

/// The default store: state lives in this process and dies with it. Callbacks run before the
/// call returns.
///
/// The subjects live in open-addressing hash tables (linear probing, one control byte per
/// slot, tombstones left by sweep()). A check reads a control byte or two, one 80-byte slot
/// (subject, code MAC, deadline, state) and the number's wrong codes; the send history sits
/// beside them in a parallel array that only issue() and sweep() touch (32 bytes a subject,
/// and nothing on the heap while it has one send and no wrong code).
///
/// The subjects are spread over 256 such tables by their hash, each grown on its own: a table
/// that grows moves 1/256 of the subjects. One table of them all stopped its caller for 30 ms
/// when it doubled at 230,000 subjects, and 70 ms at 460,000 (a server's event loop).
class MemoryCodeStore final : public CodeStore
{
public:
    MemoryCodeStore();
    ~MemoryCodeStore() override;
    MemoryCodeStore(const MemoryCodeStore &) = delete;
    MemoryCodeStore &operator=(const MemoryCodeStore &) = delete;

    void issue(const Digest &subject, const std::optional<Digest> &codeMac, TimePoint now,
               const OtpPolicy &policy, std::function<void(IssueOutcome)> done) override;
    void previewIssue(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                      std::function<void(IssueOutcome)> done) override;
    void check(const Digest &subject, const Digest &codeMac, TimePoint now, const OtpPolicy &policy,
               std::function<void(CheckOutcome)> done) override;
    void reserveGuess(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                      std::function<void(GuessReservation)> done) override;
    void releaseGuess(const Digest &subject, const std::string &ticket,
                      std::function<void(bool ok)> done) override;
    void prefetch(const Digest &subject) const override;
    void cancel(const Digest &subject, std::function<void(bool ok)> done) override;
    void sweep(TimePoint now, const OtpPolicy &policy) override;
    std::size_t activeCodes() const override { return m_activeCodes; }
    std::size_t trackedSubjects() const override;

    /// Slots in all tables (each 0 or a power of two); for tests.
    std::size_t capacity() const;
    /// The number of tables, and the one that holds @p subject (tests).
    static constexpr std::size_t Parts = 256;
    static std::size_t partOf(const Digest &subject);

private:
    enum class CodeState : std::uint8_t { None, Active, Locked };
    struct Slot
    {
        Digest subject;
        Digest mac;
        TimePoint expiresAt;
        CodeState state;
        std::uint8_t attempts;
    };
    /// Times, oldest first, only those inside their window. Most subjects have one (their
    /// send): it lives in place; more move to the heap, and back when none are left.
    class Times
    {
    public:
        Times() = default;
        ~Times() { clear(); }
        Times(Times &&other) noexcept;
        Times &operator=(Times &&other) noexcept;
        Times(const Times &) = delete;
        Times &operator=(const Times &) = delete;

        TimePoint *begin() { return m_capacity > 1 ? m_heap : &m_one; }
        TimePoint *end() { return begin() + m_size; }
        const TimePoint *begin() const { return m_capacity > 1 ? m_heap : &m_one; }
        const TimePoint *end() const { return begin() + m_size; }
        const TimePoint *data() const { return begin(); }
        std::size_t size() const { return m_size; }
        bool empty() const { return m_size == 0; }
        TimePoint front() const { return *begin(); }
        TimePoint back() const { return end()[-1]; }
        void push_back(TimePoint t);
        void erase(TimePoint *first, TimePoint *last);
        void erase(TimePoint *at) { erase(at, at + 1); }
        void clear();

    private:
        union {
            TimePoint m_one {};
            TimePoint *m_heap;
        };
        std::uint32_t m_size = 0;
        std::uint32_t m_capacity = 1;
    };
    struct History
    {
        Times sends;
        Times failures; // wrong codes, at most maxFailures
    };

    static constexpr std::size_t NotFound = std::size_t(-1);

    /// One of the tables.
    struct Table
    {
        std::size_t find(const Digest &subject) const;
        std::size_t findOrInsert(const Digest &subject);
        void eraseAt(std::size_t i);
        void rehash(std::size_t newCapacity);
        void wipeSlots();
        /// Wipes and frees everything (an empty table).
        void release();

        // Per slot: Empty, Deleted, or 7 bits of the subject's hash when the slot is in use.
        std::unique_ptr<std::uint8_t[]> ctrl;
        std::unique_ptr<Slot[]> entries;
        std::unique_ptr<History[]> history;
        std::size_t capacity = 0;
        std::size_t size = 0; // entries in use
        std::size_t deleted = 0; // tombstones
    };

    void dropCode(Slot &s);
    static void prune(Times &times, TimePoint now, std::chrono::milliseconds window);
    /// The refusal issue() gives a subject with these @p sends and @p failures (pruned to their
    /// windows) at @p now, or std::nullopt when the send may go.
    static std::optional<IssueOutcome> refusalOf(const Times &sends, const Times &failures,
                                                 TimePoint now, const OtpPolicy &policy);
    /// The answer to a guess refused because maxFailures are in the window, or std::nullopt.
    static std::optional<std::chrono::milliseconds>
    guessLimitWait(const Times &failures, TimePoint now, const OtpPolicy &policy);

    std::array<Table, Parts> m_tables;
    std::size_t m_activeCodes = 0;
};

} // namespace waotp
