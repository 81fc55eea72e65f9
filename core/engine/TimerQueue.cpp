#include "engine/TimerQueue.h"

#include <QTimerEvent>

#include <algorithm>
#include <limits>
#include <vector>

namespace waotp {

using namespace std::chrono;

TimerQueue::TimerQueue(QObject *parent) : QObject(parent) { }

void TimerQueue::callAfter(milliseconds delay, QObject *context, std::function<void()> call)
{
    const Clock::time_point deadline = Clock::now() + std::max(delay, milliseconds::zero());
    m_calls.emplace(deadline, Call {QPointer<QObject>(context), std::move(call)});
    if (!m_timer.isActive() || deadline < m_armedFor)
        arm();
}

void TimerQueue::arm()
{
    if (m_calls.empty()) {
        m_timer.stop();
        return;
    }
    m_armedFor = m_calls.begin()->first;
    // Rounded up: a timer that fires before the earliest deadline only arms again.
    const auto left = ceil<milliseconds>(m_armedFor - Clock::now()).count();
    const auto interval = int(std::clamp<decltype(left)>(left, 0, std::numeric_limits<int>::max()));
    m_timer.start(interval, Qt::PreciseTimer, this);
}

void TimerQueue::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    // The calls due now are taken out first: those they schedule, even with no delay, wait for
    // the loop's next pass.
    const Clock::time_point now = Clock::now();
    std::vector<Call> due;
    auto end = m_calls.upper_bound(now);
    due.reserve(std::size_t(std::distance(m_calls.begin(), end)));
    for (auto it = m_calls.begin(); it != end; ++it)
        due.push_back(std::move(it->second));
    m_calls.erase(m_calls.begin(), end);
    QPointer<TimerQueue> self(this);
    for (Call &c : due) {
        if (c.context)
            c.call();
        if (!self)
            return; // a call destroyed this queue, and with it the calls still waiting
    }
    if (!m_timer.isActive())
        arm();
}

} // namespace waotp
