#include "server/limits/RequestLimits.h"

namespace waotp::server {

RequestLimits::~RequestLimits() = default;

MemoryRequestLimits::MemoryRequestLimits(const Settings &settings, const Clock &clock)
    : m_clock(clock), m_sendsPerIp(settings.sendsPerIp), m_checksPerIp(settings.checksPerIp),
      m_budget(settings.maxSendsPerMinute, settings.maxSendsPerDay)
{ }

void MemoryRequestLimits::admitSend(const QByteArray &client, bool fromBudget, Done done)
{
    const auto now = m_clock.now();
    Answer a;
    if (const auto wait = m_sendsPerIp.admit(client, now)) {
        a.refused = Scope::IpSends;
        a.wait = *wait;
    } else if (fromBudget) {
        quint64 entry = 0;
        if (const auto refusal = m_budget.take(now, &entry)) {
            a.refused = refusal->scope == SendBudget::Scope::Minute ? Scope::BudgetMinute
                                                                    : Scope::BudgetDay;
            a.wait = refusal->wait;
        } else {
            a.budgetEntry = QByteArray::number(entry);
        }
    }
    done(a);
}

void MemoryRequestLimits::admitCheck(const QByteArray &client, Done done)
{
    Answer a;
    if (const auto wait = m_checksPerIp.admit(client, m_clock.now())) {
        a.refused = Scope::IpChecks;
        a.wait = *wait;
    }
    done(a);
}

void MemoryRequestLimits::giveBackSend(const QByteArray &budgetEntry)
{
    bool ok = false;
    const quint64 entry = budgetEntry.toULongLong(&ok);
    if (ok)
        m_budget.giveBack(entry);
}

void MemoryRequestLimits::sweep()
{
    const auto now = m_clock.now();
    m_sendsPerIp.sweep(now);
    m_checksPerIp.sweep(now);
}

} // namespace waotp::server
