#include "engine/MemoryCodeStore.h"

#include <utility>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <span>

#include <string.h> // explicit_bzero

namespace waotp {

namespace {

constexpr std::uint8_t Empty = 0x80;
constexpr std::uint8_t Deleted = 0xfe;
constexpr std::size_t MinCapacity = 16;

// The subject is already a keyed uniform hash: its first eight bytes are as good as any. The
// low bits pick the home slot, the top seven go in the control byte, so most probes that land
// on another subject end at the control byte.
std::uint64_t hashOf(const Digest &d)
{
    std::uint64_t h;
    std::memcpy(&h, d.data(), sizeof h);
    return h;
}

std::uint8_t tagOf(std::uint64_t h)
{
    return std::uint8_t(h >> 57);
}

bool isFull(std::uint8_t ctrl)
{
    return (ctrl & 0x80) == 0;
}

// The smallest table that holds @p n subjects at a load of at most 7/8.
std::size_t capacityFor(std::size_t n)
{
    std::size_t capacity = MinCapacity;
    while (n * 8 > capacity * 7)
        capacity *= 2;
    return capacity;
}

} // namespace

MemoryCodeStore::Times::Times(Times &&other) noexcept
{
    *this = std::move(other);
}

MemoryCodeStore::Times &MemoryCodeStore::Times::operator=(Times &&other) noexcept
{
    if (this != &other) {
        clear();
        m_size = other.m_size;
        m_capacity = other.m_capacity;
        if (m_capacity > 1)
            m_heap = other.m_heap;
        else
            m_one = other.m_one;
        other.m_size = 0;
        other.m_capacity = 1;
        other.m_one = {};
    }
    return *this;
}

void MemoryCodeStore::Times::push_back(TimePoint t)
{
    if (m_size == m_capacity) {
        const std::uint32_t capacity = m_capacity * 2;
        auto *heap = new TimePoint[capacity];
        std::copy(begin(), end(), heap);
        if (m_capacity > 1)
            delete[] m_heap;
        m_heap = heap;
        m_capacity = capacity;
    }
    begin()[m_size++] = t;
}

void MemoryCodeStore::Times::erase(TimePoint *first, TimePoint *last)
{
    std::copy(last, end(), first);
    m_size -= std::uint32_t(last - first);
    if (m_size == 0)
        clear(); // back in place
}

void MemoryCodeStore::Times::clear()
{
    if (m_capacity > 1)
        delete[] m_heap;
    m_one = {};
    m_size = 0;
    m_capacity = 1;
}

MemoryCodeStore::MemoryCodeStore() = default;

MemoryCodeStore::~MemoryCodeStore()
{
    for (Table &t : m_tables)
        t.wipeSlots();
}

std::size_t MemoryCodeStore::partOf(const Digest &subject)
{
    // Bits the slot (the low ones, below 2^48 slots a part) and the tag (the top seven) do not
    // use.
    return (hashOf(subject) >> 48) & (Parts - 1);
}

std::size_t MemoryCodeStore::capacity() const
{
    std::size_t n = 0;
    for (const Table &t : m_tables)
        n += t.capacity;
    return n;
}

void MemoryCodeStore::Table::wipeSlots()
{
    if (entries)
        explicit_bzero(entries.get(), capacity * sizeof(Slot));
}

void MemoryCodeStore::Table::release()
{
    wipeSlots();
    ctrl.reset();
    entries.reset();
    history.reset();
    capacity = 0;
    deleted = 0;
}

std::size_t MemoryCodeStore::Table::find(const Digest &subject) const
{
    if (size == 0)
        return NotFound;
    const std::uint64_t h = hashOf(subject);
    const std::uint8_t tag = tagOf(h);
    const std::size_t mask = capacity - 1;
    // Ends: the load stays below 7/8, so there is always an empty slot.
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const std::uint8_t c = ctrl[i];
        if (c == tag && entries[i].subject == subject)
            return i;
        if (c == Empty)
            return NotFound;
    }
}

std::size_t MemoryCodeStore::Table::findOrInsert(const Digest &subject)
{
    if (const std::size_t i = find(subject); i != NotFound)
        return i;
    if ((size + deleted + 1) * 8 > capacity * 7) {
        // Full of tombstones: rebuild at the same size; otherwise grow.
        rehash(capacity == 0 ? MinCapacity : deleted * 8 >= capacity ? capacity : capacity * 2);
    }
    const std::uint64_t h = hashOf(subject);
    const std::size_t mask = capacity - 1;
    std::size_t i = h & mask;
    while (isFull(ctrl[i]))
        i = (i + 1) & mask;
    if (ctrl[i] == Deleted)
        --deleted;
    ctrl[i] = tagOf(h);
    entries[i] = {subject, {}, {}, CodeState::None, 0};
    ++size;
    return i;
}

void MemoryCodeStore::Table::eraseAt(std::size_t i)
{
    history[i] = History();
    entries[i].mac.fill(0);
    --size;
    const std::size_t mask = capacity - 1;
    if (ctrl[(i + 1) & mask] != Empty) {
        ctrl[i] = Deleted; // a probe may pass here on its way to a later subject
        ++deleted;
        return;
    }
    // No probe passes an empty slot, so neither this one nor the tombstones just before it
    // lead anywhere: they can be empty again.
    ctrl[i] = Empty;
    for (std::size_t j = (i - 1) & mask; ctrl[j] == Deleted; j = (j - 1) & mask) {
        ctrl[j] = Empty;
        --deleted;
    }
}

void MemoryCodeStore::Table::rehash(std::size_t newCapacity)
{
    auto newCtrl = std::make_unique_for_overwrite<std::uint8_t[]>(newCapacity);
    std::memset(newCtrl.get(), Empty, newCapacity);
    auto newEntries = std::make_unique_for_overwrite<Slot[]>(newCapacity);
    auto newHistory = std::make_unique<History[]>(newCapacity);
    const std::size_t mask = newCapacity - 1;
    for (std::size_t from = 0; from < capacity; ++from) {
        if (!isFull(ctrl[from]))
            continue;
        std::size_t to = hashOf(entries[from].subject) & mask;
        while (newCtrl[to] != Empty)
            to = (to + 1) & mask;
        newCtrl[to] = ctrl[from];
        newEntries[to] = entries[from];
        newHistory[to] = std::move(history[from]);
    }
    wipeSlots(); // the old copies of the MACs
    ctrl = std::move(newCtrl);
    entries = std::move(newEntries);
    history = std::move(newHistory);
    capacity = newCapacity;
    deleted = 0;
}

void MemoryCodeStore::dropCode(Slot &e)
{
    if (e.state != CodeState::None)
        --m_activeCodes;
    e.state = CodeState::None;
    e.attempts = 0;
    e.mac.fill(0);
}

void MemoryCodeStore::prune(Times &times, TimePoint now, std::chrono::milliseconds window)
{
    auto firstInWindow = times.begin();
    while (firstInWindow != times.end() && *firstInWindow + window <= now)
        ++firstInWindow;
    times.erase(times.begin(), firstInWindow);
}

std::optional<std::chrono::milliseconds>
MemoryCodeStore::guessLimitWait(const Times &failures, TimePoint now, const OtpPolicy &policy)
{
    if (int(failures.size()) < policy.maxFailures)
        return std::nullopt;
    return std::chrono::ceil<std::chrono::milliseconds>(failures.front() + policy.failureWindow
                                                        - now);
}

std::optional<IssueOutcome> MemoryCodeStore::refusalOf(const Times &sends, const Times &failures,
                                                       TimePoint now, const OtpPolicy &policy)
{
    // Of the rules that refuse the send, the one that asks for the longest wait answers, so that
    // the wait it gives is the whole wait (the wrong codes' backoff wins a tie: it is the reason
    // worth counting).
    std::optional<IssueOutcome> refusal;
    const auto refuse = [&](IssueOutcome::Status status, TimePoint allowedAt) {
        refusal = IssueOutcome {};
        refusal->status = status;
        refusal->nextSendAt = allowedAt;
    };
    if (!sends.empty()) {
        const TimePoint allowedAt = sends.back() + resendCooldown(int(sends.size()), policy);
        if (now < allowedAt)
            refuse(IssueOutcome::Status::CoolingDown, allowedAt);
    }
    if (int(sends.size()) >= policy.maxSendsPerHour
        && (!refusal || sends.front() + policy.sendWindow > refusal->nextSendAt))
        refuse(IssueOutcome::Status::HourlyLimit, sends.front() + policy.sendWindow);
    if (const TimePoint until =
            failureBackoffUntil({failures.data(), failures.size()}, now, policy);
        now < until && (!refusal || until >= refusal->nextSendAt))
        refuse(IssueOutcome::Status::FailureBackoff, until);
    if (refusal) {
        refusal->retryAfter =
            std::chrono::ceil<std::chrono::milliseconds>(refusal->nextSendAt - now);
        refusal->sendsInWindow = int(sends.size());
    }
    return refusal;
}

void MemoryCodeStore::previewIssue(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                                   std::function<void(IssueOutcome)> done)
{
    IssueOutcome out;
    out.status = IssueOutcome::Status::Issued;
    out.nextSendAt = now;
    Table &t = m_tables[partOf(subject)];
    if (const std::size_t i = t.find(subject); i != NotFound) {
        History &h = t.history[i];
        prune(h.sends, now, policy.sendWindow);
        prune(h.failures, now, policy.failureWindow);
        if (auto refusal = refusalOf(h.sends, h.failures, now, policy)) {
            done(*refusal);
            return;
        }
        out.sendsInWindow = int(h.sends.size());
    }
    done(out);
}

void MemoryCodeStore::issue(const Digest &subject, const std::optional<Digest> &codeMac,
                            TimePoint now, const OtpPolicy &policy,
                            std::function<void(IssueOutcome)> done)
{
    Table &t = m_tables[partOf(subject)];
    const std::size_t i = t.findOrInsert(subject);
    Slot &e = t.entries[i];
    Times &sends = t.history[i].sends;
    prune(sends, now, policy.sendWindow);
    prune(t.history[i].failures, now, policy.failureWindow);
    if (auto refusal = refusalOf(sends, t.history[i].failures, now, policy)) {
        done(*refusal);
        return;
    }

    IssueOutcome out;
    dropCode(e);
    sends.push_back(now);
    if (codeMac) {
        e.mac = *codeMac;
        e.expiresAt = now + policy.codeLifetime;
        e.state = CodeState::Active;
        ++m_activeCodes;
    }
    out.status = IssueOutcome::Status::Issued;
    out.sendsInWindow = int(sends.size());
    out.expiresAt = now + policy.codeLifetime;
    out.nextSendAt = now + resendCooldown(out.sendsInWindow, policy);
    if (out.sendsInWindow >= policy.maxSendsPerHour)
        out.nextSendAt = std::max(out.nextSendAt, sends.front() + policy.sendWindow);
    done(out);
}

void MemoryCodeStore::check(const Digest &subject, const Digest &codeMac, TimePoint now,
                            const OtpPolicy &policy, std::function<void(CheckOutcome)> done)
{
    using Status = CheckOutcome::Status;
    Table &t = m_tables[partOf(subject)];
    const std::size_t i = t.find(subject);
    if (i == NotFound || t.entries[i].state == CodeState::None) {
        done({Status::NoCode, 0});
        return;
    }
    Slot &e = t.entries[i];
    if (now >= e.expiresAt) {
        dropCode(e);
        done({Status::Expired, 0});
        return;
    }
    if (e.state == CodeState::Locked) {
        done({Status::TooManyAttempts, 0});
        return;
    }
    Times &failures = t.history[i].failures;
    prune(failures, now, policy.failureWindow);
    if (const auto wait = guessLimitWait(failures, now, policy)) {
        done({Status::GuessLimit, 0, *wait});
        return;
    }
    if (CodeHasher::equal(e.mac, codeMac)) {
        dropCode(e);
        done({Status::Verified, 0});
        return;
    }
    failures.push_back(now);
    ++e.attempts;
    const int left = policy.maxAttempts - e.attempts;
    if (left <= 0) {
        // Keep the entry until its deadline so that further guesses keep hearing "too many".
        e.state = CodeState::Locked;
        e.mac.fill(0);
        done({Status::TooManyAttempts, 0});
        return;
    }
    done({Status::WrongCode, left});
}

void MemoryCodeStore::reserveGuess(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                                   std::function<void(GuessReservation)> done)
{
    Table &t = m_tables[partOf(subject)];
    Times &failures = t.history[t.findOrInsert(subject)].failures;
    prune(failures, now, policy.failureWindow);
    GuessReservation out;
    if (const auto wait = guessLimitWait(failures, now, policy)) {
        out.status = GuessReservation::Status::GuessLimit;
        out.retryAfter = *wait;
        done(out);
        return;
    }
    failures.push_back(now);
    out.status = GuessReservation::Status::Reserved;
    out.ticket = std::to_string(now.time_since_epoch().count());
    done(out);
}

void MemoryCodeStore::releaseGuess(const Digest &subject, const std::string &ticket,
                                   std::function<void(bool ok)> done)
{
    TimePoint::rep at = 0;
    const auto [end, error] = std::from_chars(ticket.data(), ticket.data() + ticket.size(), at);
    Table &t = m_tables[partOf(subject)];
    const std::size_t i = t.find(subject);
    if (error != std::errc() || end != ticket.data() + ticket.size() || i == NotFound) {
        done(false);
        return;
    }
    // Any wrong code counted at that instant will do: they are all alike.
    Times &failures = t.history[i].failures;
    const auto it = std::find(failures.begin(), failures.end(), TimePoint(TimePoint::duration(at)));
    if (it != failures.end())
        failures.erase(it);
    done(true);
}

void MemoryCodeStore::prefetch(const Digest &subject) const
{
#ifdef __has_builtin
#if __has_builtin(__builtin_prefetch)
    const Table &t = m_tables[partOf(subject)];
    if (t.capacity == 0)
        return;
    // The home slot: where the subject is, or where its probe starts. Its control byte, and
    // the slot's two cache lines (a slot is 80 bytes).
    const std::size_t i = hashOf(subject) & (t.capacity - 1);
    const auto *slot = reinterpret_cast<const char *>(&t.entries[i]);
    __builtin_prefetch(&t.ctrl[i]);
    __builtin_prefetch(slot);
    __builtin_prefetch(slot + sizeof(Slot) - 1);
#endif
#endif
    static_cast<void>(subject);
}

void MemoryCodeStore::cancel(const Digest &subject, std::function<void(bool ok)> done)
{
    Table &t = m_tables[partOf(subject)];
    if (const std::size_t i = t.find(subject); i != NotFound)
        dropCode(t.entries[i]);
    done(true);
}

void MemoryCodeStore::sweep(TimePoint now, const OtpPolicy &policy)
{
    for (Table &t : m_tables) {
        for (std::size_t i = 0; i < t.capacity; ++i) {
            if (!isFull(t.ctrl[i]))
                continue;
            Slot &e = t.entries[i];
            if (e.state != CodeState::None && now >= e.expiresAt)
                dropCode(e);
            History &h = t.history[i];
            prune(h.sends, now, policy.sendWindow);
            prune(h.failures, now, policy.failureWindow);
            if (e.state == CodeState::None && h.sends.empty() && h.failures.empty())
                t.eraseAt(i);
        }
        if (t.size == 0)
            t.release();
        else if (t.deleted * 8 > t.capacity || capacityFor(t.size) * 4 <= t.capacity)
            t.rehash(capacityFor(t.size)); // drop the tombstones, and shrink after a big sweep
    }
}

std::size_t MemoryCodeStore::trackedSubjects() const
{
    std::size_t n = 0;
    for (const Table &t : m_tables)
        n += t.size;
    return n;
}

} // namespace waotp
