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
    while (!sends.empty() && sends.front().first <= now - window)
        sends.pop_front();
    if (sends.size() < std::size_t(count))
        return std::chrono::milliseconds(0);
    return std::chrono::ceil<std::chrono::milliseconds>(sends.front().first + window - now);
}

std::optional<SendBudget::Refusal> SendBudget::take(Clock::TimePoint now, quint64 *entry)
{
    if (const auto wait = m_perMinute.wait(now); wait.count() > 0)
        return Refusal {Scope::Minute, wait};
    if (const auto wait = m_perDay.wait(now); wait.count() > 0)
        return Refusal {Scope::Day, wait};
    ++m_lastEntry;
    for (Log *log : {&m_perMinute, &m_perDay}) {
        if (log->count > 0)
            log->sends.emplace_back(now, m_lastEntry);
    }
    if (entry)
        *entry = m_lastEntry;
    return std::nullopt;
}

void SendBudget::giveBack(quint64 entry)
{
    // Sends are logged in the order of their entries: found from the newest, as a send given
    // back is among the latest.
    for (Log *log : {&m_perMinute, &m_perDay}) {
        for (auto it = log->sends.end(); it != log->sends.begin();) {
            --it;
            if (it->second == entry) {
                log->sends.erase(it);
                break;
            }
            if (it->second < entry)
                break;
        }
    }
}

} // namespace waotp::server
