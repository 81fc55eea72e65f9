#pragma once

#include "engine/CodeHasher.h"
#include "engine/OtpPolicy.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace waotp {

/// What a store answers to a request for a new code.
struct IssueOutcome
{
    enum class Status {
        Issued, ///< the code is stored (replacing any older one) and the send is counted
        CoolingDown, ///< too soon after the previous send: retryAfter says how long to wait
        HourlyLimit, ///< maxSendsPerHour reached: retryAfter says when the oldest send leaves the
                     ///< window
        FailureBackoff, ///< the number's recent wrong codes hold the send back (failureBackoff(),
                        ///< or maxFailures reached): retryAfter says how long
        Unavailable, ///< the store cannot be reached (a shared store that is down): fail closed
    };
    Status status = Status::Unavailable;
    std::chrono::milliseconds retryAfter {0};
    /// Sends counted in the current window, this one included.
    int sendsInWindow = 0;
    /// When the issued code stops being valid (on the caller's clock).
    std::chrono::steady_clock::time_point expiresAt;
    /// When the next send is allowed (on the caller's clock).
    std::chrono::steady_clock::time_point nextSendAt;
};

/// What a store answers to a code check.
struct CheckOutcome
{
    enum class Status {
        Verified, ///< right code; it has been deleted (single use)
        WrongCode, ///< attemptsLeft > 0
        Expired,
        NoCode, ///< nothing was requested for this number (or it was cancelled or used)
        TooManyAttempts, ///< the attempt limit was reached; the code is void
        Unavailable,
        GuessLimit, ///< the number has had maxFailures wrong codes in the window: nothing was
                    ///< compared; retryAfter says when the oldest leaves it
    };
    Status status = Status::Unavailable;
    int attemptsLeft = 0;
    std::chrono::milliseconds retryAfter {0}; ///< for GuessLimit
};

/// What a store answers to reserveGuess().
struct GuessReservation
{
    enum class Status {
        Reserved, ///< one wrong code is counted in advance; ticket names it for releaseGuess()
        GuessLimit, ///< maxFailures reached: retryAfter says when the oldest leaves the window
        Unavailable,
    };
    Status status = Status::Unavailable;
    std::chrono::milliseconds retryAfter {0};
    std::string ticket;
};

/// Keeps, per subject (a keyed hash of a phone number), at most one active code MAC with its
/// deadline and attempt count, the send history that drives cooldowns and the hourly cap, and
/// the times of its wrong codes, which bound the guesses across codes and slow its sends down.
/// Each operation is atomic; its callback is called exactly once, possibly before the call
/// returns (in-memory store) or later from the event loop (a networked store).
class CodeStore
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    virtual ~CodeStore() = default;

    /// Checks cooldown, hourly cap and the backoff after wrong codes and, if allowed, records a
    /// send at @p now and stores @p codeMac as the only active code (a subject with no stored
    /// MAC, e.g. when Twilio Verify owns the code, passes std::nullopt: only the send is
    /// counted).
    virtual void issue(const Digest &subject, const std::optional<Digest> &codeMac, TimePoint now,
                       const OtpPolicy &policy, std::function<void(IssueOutcome)> done) = 0;

    /// What issue() would answer at @p now, with nothing changed: no code stored, no send
    /// counted. Issued (with sendsInWindow as it is) when the send would go, or the rule that
    /// would refuse it with its nextSendAt and retryAfter. A caller that waives the cooldown
    /// passes a policy without one (firstResendCooldown 0) to learn what holds sends beyond it.
    virtual void previewIssue(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                              std::function<void(IssueOutcome)> done) = 0;

    /// Checks @p codeMac against the active code; right: deletes it; wrong: counts an attempt
    /// against the code and a wrong code against the number (see OtpPolicy::maxFailures).
    virtual void check(const Digest &subject, const Digest &codeMac, TimePoint now,
                       const OtpPolicy &policy, std::function<void(CheckOutcome)> done) = 0;

    /// For codes a provider checks (Twilio Verify), before each check: counts one wrong code for
    /// @p subject at @p now, unless maxFailures are already counted in the window. Counting
    /// first keeps the bound when several checks race; releaseGuess() takes it back when the
    /// provider's answer shows no wrong code was tried.
    virtual void reserveGuess(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                              std::function<void(GuessReservation)> done) = 0;
    /// Uncounts the wrong code that reserveGuess() counted under @p ticket.
    virtual void releaseGuess(const Digest &subject, const std::string &ticket,
                              std::function<void(bool ok)> done) = 0;

    /// A hint that check() for @p subject comes next: a store may start loading what it will
    /// read, so that the wait overlaps the caller's work on the code's MAC. Changes nothing.
    virtual void prefetch(const Digest &subject) const { static_cast<void>(subject); }

    /// Deletes the active code of @p subject (the send history stays).
    virtual void cancel(const Digest &subject, std::function<void(bool ok)> done) = 0;

    /// Removes expired codes, and send history and wrong codes older than their windows.
    virtual void sweep(TimePoint now, const OtpPolicy &policy) = 0;

    /// Active (unexpired-or-not-yet-swept) codes; for tests and statistics.
    virtual std::size_t activeCodes() const = 0;
    /// Subjects with any state at all (a code or send history).
    virtual std::size_t trackedSubjects() const = 0;

    /// True if this store keeps state in this process only (it can be swept locally).
    virtual bool isLocal() const { return true; }
};

} // namespace waotp
