#pragma once

#include "engine/Clock.h"

#include <QtGlobal>

#include <chrono>
#include <deque>
#include <optional>

namespace waotp::server {

/// The server's own send budget: at most so many sends in any minute and in any 24 hours, every
/// client together (max_sends_per_minute, max_sends_per_day). Each send is logged with its time,
/// and a send is allowed while fewer than the budget's count lie in the window that ends now:
/// any window holds at most that many, wherever it starts (a bucket would let a full burst
/// through and then its rate on top, twice the count in one window). One budget per server
/// process; with Redis the same log is shared (RedisRequestLimits).
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

    /// Takes one send at @p now; std::nullopt if there was one to take, and then @p entry (when
    /// given) names it for giveBack().
    std::optional<Refusal> take(Clock::TimePoint now, quint64 *entry = nullptr);
    /// Gives back the send take() named @p entry (it did not go out); nothing if it has left
    /// the window meanwhile.
    void giveBack(quint64 entry);

private:
    /// The sends of one window, oldest first.
    struct Log
    {
        int count = 0;
        std::chrono::milliseconds window {0};
        std::deque<std::pair<Clock::TimePoint, quint64>> sends; ///< each with its entry

        /// How long until a send fits at @p now (0: now); drops the sends the window has left.
        std::chrono::milliseconds wait(Clock::TimePoint now);
    };
    Log m_perMinute;
    Log m_perDay;
    quint64 m_lastEntry = 0;
};

} // namespace waotp::server
