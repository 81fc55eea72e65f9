#include "server/limits/RateLimiter.h"

namespace waotp::server {

RateLimiter::RateLimiter(RateLimit limit) : m_limit(limit)
{
    if (m_limit.enabled()) {
        m_interval =
            std::chrono::duration_cast<std::chrono::nanoseconds>(m_limit.window) / m_limit.count;
        m_burst = std::chrono::duration_cast<std::chrono::nanoseconds>(m_limit.window) - m_interval;
    }
}

std::optional<std::chrono::milliseconds> RateLimiter::admit(const QByteArray &key,
                                                            Clock::TimePoint now)
{
    if (!m_limit.enabled())
        return std::nullopt;
    auto it = m_next.find(key);
    const Clock::TimePoint next = it == m_next.end() ? now : std::max(it.value(), now);
    if (next - now > m_burst)
        return std::chrono::ceil<std::chrono::milliseconds>(next - now - m_burst);
    if (it == m_next.end())
        m_next.insert(key, next + m_interval);
    else
        it.value() = next + m_interval;
    return std::nullopt;
}

void RateLimiter::giveBack(const QByteArray &key)
{
    const auto it = m_next.find(key);
    if (it != m_next.end())
        it.value() -= m_interval;
}

void RateLimiter::sweep(Clock::TimePoint now)
{
    m_next.removeIf([now](const auto &entry) { return entry.value() <= now; });
}

} // namespace waotp::server
