#pragma once

#include <chrono>

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
};

/// The wait required after the @p sendsSoFar-th send in the window before the next one:
/// 0 before any send, then firstResendCooldown * 2^(sendsSoFar-1), capped at maxResendCooldown.
std::chrono::milliseconds resendCooldown(int sendsSoFar, const OtpPolicy &policy);

/// Rounds a positive duration up to whole seconds (a refused send says "wait 30 s", never 29.2).
std::chrono::seconds ceilSeconds(std::chrono::milliseconds d);

} // namespace waotp
