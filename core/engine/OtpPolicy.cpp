#include "engine/OtpPolicy.h"

#include <algorithm>

namespace waotp {

std::chrono::milliseconds resendCooldown(int sendsSoFar, const OtpPolicy &policy)
{
    if (sendsSoFar <= 0)
        return std::chrono::milliseconds::zero();
    auto cooldown = policy.firstResendCooldown;
    for (int i = 1; i < sendsSoFar && cooldown < policy.maxResendCooldown; ++i)
        cooldown *= 2;
    return std::min(cooldown, policy.maxResendCooldown);
}

std::chrono::seconds ceilSeconds(std::chrono::milliseconds d)
{
    if (d <= std::chrono::milliseconds::zero())
        return std::chrono::seconds::zero();
    return std::chrono::ceil<std::chrono::seconds>(d);
}

} // namespace waotp
