#pragma once

#include <chrono>

namespace waotp {

/// Monotonic time source. Expiry and cooldowns are measured on it, so a change of the
/// wall clock (on a kiosk, say) can neither extend nor shorten a code's life.
class Clock
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

/// The real clock: std::chrono::steady_clock.
class SteadyClock final : public Clock
{
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

} // namespace waotp
