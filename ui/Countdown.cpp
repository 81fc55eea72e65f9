#include "Countdown.h"

#include <array>

namespace waotp {

using namespace std::chrono;

seconds secondsLeft(Clock::TimePoint deadline, Clock::TimePoint now)
{
    if (deadline <= now)
        return seconds::zero();
    return ceil<seconds>(deadline - now);
}

QString formatDuration(seconds duration)
{
    const qint64 total = std::max<qint64>(0, duration.count());
    const qint64 h = total / 3600;
    const qint64 m = (total / 60) % 60;
    const qint64 s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg(m, 2, 10, QChar(u'0'))
            .arg(s, 2, 10, QChar(u'0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QChar(u'0'));
}

std::optional<milliseconds> untilNextChange(Clock::TimePoint deadline, Clock::TimePoint now)
{
    if (deadline <= now)
        return std::nullopt;
    // The shown value drops when the remaining time reaches the next whole second below it.
    const auto left = duration_cast<milliseconds>(deadline - now);
    const milliseconds shown = ceil<seconds>(left);
    const milliseconds sinceChange = left - (shown - seconds(1));
    return std::max(milliseconds(1), sinceChange);
}

std::optional<seconds> crossedAnnouncement(seconds before, seconds after)
{
    static constexpr std::array<seconds, 4> Points {seconds(60), seconds(30), seconds(10),
                                                    seconds(0)};
    std::optional<seconds> crossed;
    for (const seconds point : Points) {
        if (after <= point && before > point)
            crossed = point; // keep going: the lowest crossed point wins
    }
    return crossed;
}

} // namespace waotp
