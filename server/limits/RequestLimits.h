#pragma once

#include "server/limits/RateLimiter.h"
#include "server/limits/SendBudget.h"

#include <QByteArray>

#include <chrono>
#include <functional>
#include <optional>

namespace waotp::server {

/// The limits in front of the engine: sends and checks per client address (sendsPerIp,
/// checksPerIp) and the server's send budget (max_sends_per_minute / _per_day). Counted in the
/// process (MemoryRequestLimits) or in Redis (RedisRequestLimits), where every instance counts
/// against the same allowance. Each question answers once through its callback: a memory
/// implementation before the call returns, a shared one later from the event loop.
class RequestLimits
{
public:
    struct Settings
    {
        RateLimit sendsPerIp;
        RateLimit checksPerIp;
        int maxSendsPerMinute = 0; ///< 0: no limit
        int maxSendsPerDay = 0;
    };
    /// What refused a request.
    enum class Scope { None, IpSends, IpChecks, BudgetMinute, BudgetDay };
    struct Answer
    {
        bool unavailable = false; ///< a shared count cannot be reached: refuse with 503
        Scope refused = Scope::None;
        std::chrono::milliseconds wait {0}; ///< until the refused request would be allowed
        /// An allowed send taken from the budget: which, for giveBackSend().
        QByteArray budgetEntry;
        bool allowed() const { return !unavailable && refused == Scope::None; }
    };
    using Done = std::function<void(const Answer &)>;

    virtual ~RequestLimits();

    /// Counts a send (a create or resend) of @p client (clientKey() bytes) and, with
    /// @p fromBudget, takes one from the send budget (not when the client was refused).
    virtual void admitSend(const QByteArray &client, bool fromBudget, Done done) = 0;
    /// Counts a check of @p client.
    virtual void admitCheck(const QByteArray &client, Done done) = 0;
    /// Gives back the send admitSend() took from the budget as @p budgetEntry (Answer) that did
    /// not go out. Nothing for an empty one.
    virtual void giveBackSend(const QByteArray &budgetEntry) = 0;
    /// Forgets what no longer counts (shared keys expire by themselves).
    virtual void sweep() = 0;
    /// False while shared counts cannot be reached.
    virtual bool isAvailable() const { return true; }
};

/// The limits of one process, on the engine's clock.
class MemoryRequestLimits final : public RequestLimits
{
public:
    MemoryRequestLimits(const Settings &settings, const Clock &clock);

    void admitSend(const QByteArray &client, bool fromBudget, Done done) override;
    void admitCheck(const QByteArray &client, Done done) override;
    void giveBackSend(const QByteArray &budgetEntry) override;
    void sweep() override;

private:
    const Clock &m_clock;
    RateLimiter m_sendsPerIp;
    RateLimiter m_checksPerIp;
    SendBudget m_budget;
};

} // namespace waotp::server
