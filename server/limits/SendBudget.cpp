#include "server/limits/SendBudget.h"

namespace waotp::server {

namespace {
// The budget's one key: it is the server's, not a client's.
const QByteArray Key;
} // namespace

SendBudget::SendBudget(int perMinute, int perDay)
    : m_perMinute(RateLimit {perMinute, std::chrono::minutes(1)}),
      m_perDay(RateLimit {perDay, std::chrono::hours(24)})
{ }

std::optional<SendBudget::Refusal> SendBudget::take(Clock::TimePoint now)
{
    if (const auto wait = m_perMinute.admit(Key, now))
        return Refusal {Scope::Minute, *wait};
    if (const auto wait = m_perDay.admit(Key, now)) {
        m_perMinute.giveBack(Key);
        return Refusal {Scope::Day, *wait};
    }
    return std::nullopt;
}

void SendBudget::giveBack()
{
    m_perMinute.giveBack(Key);
    m_perDay.giveBack(Key);
}

} // namespace waotp::server
