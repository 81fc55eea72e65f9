#pragma once

#include "CodeStore.h"

#include <unordered_map>
#include <vector>

namespace waotp {

/// The default store: state lives in this process and dies with it. Callbacks run before the
/// call returns.
class MemoryCodeStore final : public CodeStore
{
public:
    void issue(const Digest &subject, const std::optional<Digest> &codeMac, TimePoint now,
               const OtpPolicy &policy, std::function<void(IssueOutcome)> done) override;
    void check(const Digest &subject, const Digest &codeMac, TimePoint now, const OtpPolicy &policy,
               std::function<void(CheckOutcome)> done) override;
    void cancel(const Digest &subject, std::function<void(bool ok)> done) override;
    void sweep(TimePoint now, const OtpPolicy &policy) override;
    std::size_t activeCodes() const override { return m_activeCodes; }
    std::size_t trackedSubjects() const override { return m_entries.size(); }

private:
    enum class CodeState : std::uint8_t { None, Active, Locked };
    struct Entry
    {
        Digest mac {};
        TimePoint expiresAt;
        CodeState state = CodeState::None;
        std::uint8_t attempts = 0;
        std::vector<TimePoint> sends; // oldest first, only those inside the window
    };
    struct DigestHash
    {
        std::size_t operator()(const Digest &d) const noexcept;
    };

    void dropCode(Entry &e);
    static void pruneSends(Entry &e, TimePoint now, const OtpPolicy &policy);
    static bool isIdle(const Entry &e);

    std::unordered_map<Digest, Entry, DigestHash> m_entries;
    std::size_t m_activeCodes = 0;
};

} // namespace waotp
