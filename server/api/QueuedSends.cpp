#include "server/api/QueuedSends.h"

#include "server/api/Verifications.h"

namespace waotp::server {

void QueuedSends::stored(quint64 ticket, const Verification &v)
{
    const QString e164 = v.number.e164();
    // The number's older code that waits, if any, is no longer its current one.
    if (const auto older = m_latest.find(e164); older != m_latest.end()) {
        if (const auto it = m_sends.find(*older); it != m_sends.end())
            it->id.clear();
        m_latest.erase(older);
    }
    if (ticket == 0)
        return;
    forgetOld(v.expiresAt - std::chrono::hours(24)); // a clock far behind any code in line
    m_sends.insert(ticket, Send {v.id, e164, v.expiresAt, v.sendTag});
    m_latest.insert(e164, ticket);
}

void QueuedSends::notStored(quint64 ticket, Clock::time_point now)
{
    // Kept as long as a code could wait for its slot.
    if (ticket != 0)
        m_sends.insert(ticket, Send {{}, {}, now + std::chrono::hours(1), {}});
}

void QueuedSends::ask(quint64 ticket, VerificationStore &store, Clock::time_point now,
                      std::function<void(bool wanted)> answer)
{
    const auto it = m_sends.find(ticket);
    if (it == m_sends.end()) {
        answer(true); // its verification is still being stored: it is the current code
        return;
    }
    const Send send = *it;
    m_sends.erase(it);
    if (m_latest.value(send.e164) == ticket)
        m_latest.remove(send.e164);
    if (send.id.isEmpty()) {
        answer(false);
        return;
    }
    store.find(
        send.id,
        [send, now, answer](VerificationStore::Result r, const Verification &v, bool current) {
            if (r == VerificationStore::Result::Unavailable) {
                answer(true);
                return;
            }
            // A store that names each send tells its code exactly; otherwise a later expiry
            // tells a later code.
            const bool same = send.tag.isEmpty() ? v.expiresAt < send.expiresAt + ReplacedAfter
                                                 : v.sendTag == send.tag;
            answer(r == VerificationStore::Result::Ok && current
                   && statusOf(v, now) == VerificationStatus::Pending && same);
        });
}

std::optional<std::pair<QByteArray, QByteArray>> QueuedSends::giveUp(quint64 ticket)
{
    const auto it = m_sends.find(ticket);
    if (it == m_sends.end())
        return std::nullopt;
    const Send send = *it;
    m_sends.erase(it);
    if (m_latest.value(send.e164) == ticket)
        m_latest.remove(send.e164);
    if (send.id.isEmpty())
        return std::nullopt;
    return std::pair(send.id, send.tag);
}

void QueuedSends::forgetOld(Clock::time_point before)
{
    // Sends whose slot never came (refused later in the queue) are forgotten once they are
    // long over, when the table has grown.
    if (m_sends.size() < m_forgetAt)
        return;
    for (auto it = m_sends.begin(); it != m_sends.end();) {
        if (it->expiresAt < before) {
            if (m_latest.value(it->e164) == it.key())
                m_latest.remove(it->e164);
            it = m_sends.erase(it);
        } else {
            ++it;
        }
    }
    m_forgetAt = std::max<qsizetype>(1024, 2 * m_sends.size());
}

} // namespace waotp::server
