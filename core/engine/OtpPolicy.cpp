#include "engine/OtpPolicy.h"

#include <algorithm>

namespace waotp {

using namespace std::chrono_literals;

std::chrono::milliseconds resendCooldown(int sendsSoFar, const OtpPolicy &policy)
{
    if (sendsSoFar <= 0)
        return std::chrono::milliseconds::zero();
    auto cooldown = policy.firstResendCooldown;
    for (int i = 1; i < sendsSoFar && cooldown < policy.maxResendCooldown; ++i)
        cooldown *= 2;
    return std::min(cooldown, policy.maxResendCooldown);
}

std::chrono::milliseconds failureBackoff(int failures, const OtpPolicy &policy)
{
    if (failures < policy.failureBackoffFrom || policy.firstFailureBackoff <= 0ms)
        return 0ms;
    const int doublings =
        (failures - policy.failureBackoffFrom) / std::max(1, policy.failureBackoffStep);
    auto wait = policy.firstFailureBackoff;
    for (int i = 0; i < doublings && wait < policy.failureWindow; ++i)
        wait *= 2;
    return std::min(wait, policy.failureWindow);
}

std::chrono::steady_clock::time_point
failureBackoffUntil(std::span<const std::chrono::steady_clock::time_point> failures,
                    std::chrono::steady_clock::time_point now, const OtpPolicy &policy)
{
    // Between two departures from the window the count is fixed: try each stretch in turn,
    // from now, until the wait that count asks for falls inside it.
    const std::size_t n = failures.size();
    for (std::size_t left = 0; left < n; ++left) {
        const int remaining = int(n - left);
        const auto from = left == 0 ? now : failures[left - 1] + policy.failureWindow;
        if (remaining >= policy.maxFailures)
            continue;
        const auto allowedAt = std::max(from, failures.back() + failureBackoff(remaining, policy));
        if (allowedAt < failures[left] + policy.failureWindow)
            return allowedAt;
    }
    return n == 0 ? now : std::max(now, failures.back() + policy.failureWindow);
}

std::chrono::seconds ceilSeconds(std::chrono::milliseconds d)
{
    if (d <= std::chrono::milliseconds::zero())
        return std::chrono::seconds::zero();
    return std::chrono::ceil<std::chrono::seconds>(d);
}

} // namespace waotp
