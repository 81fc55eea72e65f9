#pragma once

#include <chrono>
#include <span>

namespace waotp {

/// The rules every code store enforces. Defaults are the product's.
struct OtpPolicy
{
    /// How long a code can be used after it is issued.
    std::chrono::milliseconds codeLifetime = std::chrono::minutes(5);
    /// Wrong attempts allowed per code; the last one invalidates the code.
    int maxAttempts = 5;
    /// Wait before the first resend; each further resend doubles it (30 s, 60 s, 120 s, ...).
    std::chrono::milliseconds firstResendCooldown = std::chrono::seconds(30);
    /// The longest wait between two sends.
    std::chrono::milliseconds maxResendCooldown = std::chrono::minutes(15);
    /// Sends allowed per number in any sliding hour.
    int maxSendsPerHour = 5;
    /// The sliding window of maxSendsPerHour.
    std::chrono::milliseconds sendWindow = std::chrono::hours(1);

    /// Wrong codes allowed per number, across all its codes, in any sliding failureWindow
    /// (NIST SP 800-63B §5.2.2 allows at most 100). Past it, checks are refused (without
    /// comparing the code) until the oldest wrong code leaves the window.
    int maxFailures = 100;
    /// The sliding window of maxFailures.
    std::chrono::milliseconds failureWindow = std::chrono::hours(24);
    /// From this many wrong codes in the window, a new send waits firstFailureBackoff after the
    /// latest wrong code, doubled for every failureBackoffStep more (see failureBackoff()). A
    /// growing wait rather than a lock: a stranger's guesses slow the number down, they cannot
    /// shut its owner out at once.
    int failureBackoffFrom = 10;
    int failureBackoffStep = 5;
    std::chrono::milliseconds firstFailureBackoff = std::chrono::minutes(1);
};

/// The wait required after the @p sendsSoFar-th send in the window before the next one:
/// 0 before any send, then firstResendCooldown * 2^(sendsSoFar-1), capped at maxResendCooldown.
std::chrono::milliseconds resendCooldown(int sendsSoFar, const OtpPolicy &policy);

/// The wait required after the latest wrong code before the next send, when the number has
/// @p failures wrong codes in the window: 0 below failureBackoffFrom, then firstFailureBackoff
/// * 2^((failures - failureBackoffFrom) / failureBackoffStep), capped at failureWindow.
std::chrono::milliseconds failureBackoff(int failures, const OtpPolicy &policy);

/// When a number may have its next send, given the times of its wrong codes in the window at
/// @p now (@p failures, oldest first): the earliest time from @p now at which fewer than
/// maxFailures of them are still in the window and the latest is at least failureBackoff() of
/// those still in it behind. As old wrong codes leave the window the backoff shrinks, so this is
/// exact, not the backoff of today's count.
std::chrono::steady_clock::time_point
failureBackoffUntil(std::span<const std::chrono::steady_clock::time_point> failures,
                    std::chrono::steady_clock::time_point now, const OtpPolicy &policy);

/// Rounds a positive duration up to whole seconds (a refused send says "wait 30 s", never 29.2).
std::chrono::seconds ceilSeconds(std::chrono::milliseconds d);

} // namespace waotp
