#pragma once

#include "engine/Clock.h"

#include <QByteArray>
#include <QHash>

#include <chrono>
#include <optional>

namespace waotp::server {

/// "count requests per window": e.g. 30 sends per 5 minutes. A count of 0 turns it off.
struct RateLimit
{
    int count = 0;
    std::chrono::milliseconds window {0};

    bool enabled() const { return count > 0 && window.count() > 0; }
    friend bool operator==(const RateLimit &, const RateLimit &) = default;
};

/// Counts requests per key (a client's address) with the generic cell rate algorithm, a bucket:
/// up to `count` at once, then one every window/count as the bucket refills (so a window that
/// starts with a full bucket may see up to 2 × count − 1). One time point per active key; keys
/// whose allowance is whole again are swept. The server's own budget is counted exactly, per
/// window, by SendBudget.
class RateLimiter
{
public:
    explicit RateLimiter(RateLimit limit);

    /// Counts a request of @p key at @p now: std::nullopt if it is allowed, else how long until
    /// it would be.
    std::optional<std::chrono::milliseconds> admit(const QByteArray &key, Clock::TimePoint now);
    /// Takes back one request admit() let through for @p key (it did not happen after all).
    void giveBack(const QByteArray &key);
    /// Forgets keys with their whole allowance back.
    void sweep(Clock::TimePoint now);
    qsizetype trackedKeys() const { return m_next.size(); }
    const RateLimit &limit() const { return m_limit; }

private:
    RateLimit m_limit;
    std::chrono::nanoseconds m_interval {0}; // window / count
    std::chrono::nanoseconds m_burst {0}; // window - interval: how far ahead a key may run
    QHash<QByteArray, Clock::TimePoint> m_next; // the theoretical arrival time of each key
};

} // namespace waotp::server
