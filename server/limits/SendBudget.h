#pragma once

#include "server/limits/RateLimiter.h"

#include <chrono>
#include <optional>

namespace waotp::server {

/// The server's own send budget: at most so many sends in any minute and in any day, every
/// client together (max_sends_per_minute, max_sends_per_day). Counted as RateLimiter counts, one
/// budget per server process.
class SendBudget
{
public:
    /// Which budget ran out.
    enum class Scope { Minute, Day };
    struct Refusal
    {
        Scope scope;
        std::chrono::milliseconds wait; ///< until a send would be allowed
    };

    /// 0: no limit.
    SendBudget(int perMinute, int perDay);

    /// Takes one send at @p now; std::nullopt if there was one to take.
    std::optional<Refusal> take(Clock::TimePoint now);
    /// Gives back a send take() allowed that did not go out.
    void giveBack();

private:
    RateLimiter m_perMinute;
    RateLimiter m_perDay;
};

} // namespace waotp::server
