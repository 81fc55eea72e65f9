#pragma once

#include "engine/Clock.h"

#include <QString>

#include <chrono>
#include <optional>

namespace waotp {

/// Whole seconds from @p now until @p deadline, rounded up ("4:59" until the 59th second is
/// over); zero once the deadline has passed. Computed from the clock every time, so the text
/// never drifts from the engine's deadline.
std::chrono::seconds secondsLeft(Clock::TimePoint deadline, Clock::TimePoint now);

/// "4:59", "0:05", "15:00", "1:00:00".
QString formatDuration(std::chrono::seconds duration);

/// How long until secondsLeft(deadline, ·) changes next, after @p now; std::nullopt once the
/// deadline has passed (nothing left to tick for).
std::optional<std::chrono::milliseconds> untilNextChange(Clock::TimePoint deadline,
                                                         Clock::TimePoint now);

/// The moments a screen reader hears the expiry countdown: 1:00, 0:30, 0:10 and expiry.
/// Returns the announcement point crossed when the remaining time went from @p before to
/// @p after (the lowest one, if a pause crossed several), or std::nullopt.
std::optional<std::chrono::seconds> crossedAnnouncement(std::chrono::seconds before,
                                                        std::chrono::seconds after);

} // namespace waotp
