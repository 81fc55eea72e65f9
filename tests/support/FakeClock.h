#pragma once

#include "engine/Clock.h"

namespace waotp::test {

/// A clock that moves only when told to.
class FakeClock final : public Clock
{
public:
    FakeClock() = default;
    TimePoint now() const override { return m_now; }
    void advance(std::chrono::milliseconds d) { m_now += d; }

private:
    TimePoint m_now {std::chrono::hours(1000)};
};

} // namespace waotp::test
