#include "MemoryCodeStore.h"

#include <cstring>

namespace waotp {

std::size_t MemoryCodeStore::DigestHash::operator()(const Digest &d) const noexcept
{
    // The digest is already a keyed uniform hash: its first word is as good as any.
    std::size_t h;
    std::memcpy(&h, d.data(), sizeof h);
    return h;
}

void MemoryCodeStore::dropCode(Entry &e)
{
    if (e.state != CodeState::None)
        --m_activeCodes;
    e.state = CodeState::None;
    e.attempts = 0;
    e.mac.fill(0);
}

void MemoryCodeStore::pruneSends(Entry &e, TimePoint now, const OtpPolicy &policy)
{
    auto firstInWindow = e.sends.begin();
    while (firstInWindow != e.sends.end() && *firstInWindow + policy.sendWindow <= now)
        ++firstInWindow;
    e.sends.erase(e.sends.begin(), firstInWindow);
}

bool MemoryCodeStore::isIdle(const Entry &e)
{
    return e.state == CodeState::None && e.sends.empty();
}

void MemoryCodeStore::issue(const Digest &subject, const std::optional<Digest> &codeMac,
                            TimePoint now, const OtpPolicy &policy,
                            std::function<void(IssueOutcome)> done)
{
    Entry &e = m_entries[subject];
    pruneSends(e, now, policy);

    IssueOutcome out;
    out.sendsInWindow = int(e.sends.size());
    if (!e.sends.empty()) {
        const TimePoint allowedAt = e.sends.back() + resendCooldown(int(e.sends.size()), policy);
        if (now < allowedAt) {
            out.status = IssueOutcome::Status::CoolingDown;
            out.retryAfter = std::chrono::ceil<std::chrono::milliseconds>(allowedAt - now);
            out.nextSendAt = allowedAt;
            done(out);
            return;
        }
    }
    if (int(e.sends.size()) >= policy.maxSendsPerHour) {
        const TimePoint allowedAt = e.sends.front() + policy.sendWindow;
        out.status = IssueOutcome::Status::HourlyLimit;
        out.retryAfter = std::chrono::ceil<std::chrono::milliseconds>(allowedAt - now);
        out.nextSendAt = allowedAt;
        done(out);
        return;
    }

    dropCode(e);
    e.sends.push_back(now);
    if (codeMac) {
        e.mac = *codeMac;
        e.expiresAt = now + policy.codeLifetime;
        e.state = CodeState::Active;
        ++m_activeCodes;
    }
    out.status = IssueOutcome::Status::Issued;
    out.sendsInWindow = int(e.sends.size());
    out.expiresAt = now + policy.codeLifetime;
    out.nextSendAt = now + resendCooldown(out.sendsInWindow, policy);
    if (out.sendsInWindow >= policy.maxSendsPerHour)
        out.nextSendAt = std::max(out.nextSendAt, e.sends.front() + policy.sendWindow);
    done(out);
}

void MemoryCodeStore::check(const Digest &subject, const Digest &codeMac, TimePoint now,
                            const OtpPolicy &policy, std::function<void(CheckOutcome)> done)
{
    using Status = CheckOutcome::Status;
    const auto it = m_entries.find(subject);
    if (it == m_entries.end() || it->second.state == CodeState::None) {
        done({Status::NoCode, 0});
        return;
    }
    Entry &e = it->second;
    if (now >= e.expiresAt) {
        dropCode(e);
        done({Status::Expired, 0});
        return;
    }
    if (e.state == CodeState::Locked) {
        done({Status::TooManyAttempts, 0});
        return;
    }
    if (CodeHasher::equal(e.mac, codeMac)) {
        dropCode(e);
        done({Status::Verified, 0});
        return;
    }
    ++e.attempts;
    const int left = policy.maxAttempts - e.attempts;
    if (left <= 0) {
        // Keep the entry until its deadline so that further guesses keep hearing "too many".
        e.state = CodeState::Locked;
        e.mac.fill(0);
        done({Status::TooManyAttempts, 0});
        return;
    }
    done({Status::WrongCode, left});
}

void MemoryCodeStore::cancel(const Digest &subject, std::function<void(bool ok)> done)
{
    if (const auto it = m_entries.find(subject); it != m_entries.end())
        dropCode(it->second);
    done(true);
}

void MemoryCodeStore::sweep(TimePoint now, const OtpPolicy &policy)
{
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        Entry &e = it->second;
        if (e.state != CodeState::None && now >= e.expiresAt)
            dropCode(e);
        pruneSends(e, now, policy);
        if (isIdle(e))
            it = m_entries.erase(it);
        else
            ++it;
    }
}

} // namespace waotp
