#include "server/limits/SendBudget.h"

namespace waotp::server {

SendBudget::SendBudget(int perMinute, int perDay)
    : m_perMinute {perMinute, std::chrono::minutes(1), {}}, m_perDay {
                                                                perDay, std::chrono::hours(24), {}}
{ }

std::chrono::milliseconds SendBudget::Log::wait(Clock::TimePoint now)
{
    if (count <= 0)
        return std::chrono::milliseconds(0);
    // A send at `now - window` is out of the window that ends now.
    while (!sends.empty() && sends.front() <= now - window)
        sends.pop_front();
    if (sends.size() < std::size_t(count))
        return std::chrono::milliseconds(0);
    return std::chrono::ceil<std::chrono::milliseconds>(sends.front() + window - now);
}

std::optional<SendBudget::Refusal> SendBudget::take(Clock::TimePoint now)
{
    if (const auto wait = m_perMinute.wait(now); wait.count() > 0)
        return Refusal {Scope::Minute, wait};
    if (const auto wait = m_perDay.wait(now); wait.count() > 0)
        return Refusal {Scope::Day, wait};
    for (Log *log : {&m_perMinute, &m_perDay}) {
        if (log->count > 0)
            log->sends.push_back(now);
    }
    return std::nullopt;
}

void SendBudget::giveBack()
{
    for (Log *log : {&m_perMinute, &m_perDay}) {
        if (!log->sends.empty())
            log->sends.pop_back();
    }
}

} // namespace waotp::server
