#pragma once

#include <QBasicTimer>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <map>

namespace waotp {

/// Many single-shot calls on one thread served by one Qt timer. Each QTimer::singleShot registers
/// a timer of its own with the thread's event dispatcher, which keeps them in a list that every
/// start and stop walks; a sender that schedules a delivery step for each of thousands of codes
/// in flight makes that walk the cost of every timer in the thread. Here the calls wait in a
/// map ordered by deadline, and one timer is armed for the earliest.
///
/// Calls whose deadlines are equal run in the order they were scheduled. A call whose context is
/// destroyed before its deadline is dropped (as QTimer::singleShot's would be). Lives on the
/// thread of its callers; a call runs from that thread's event loop, never from inside
/// callAfter().
class TimerQueue final : public QObject
{
public:
    using Clock = std::chrono::steady_clock;

    explicit TimerQueue(QObject *parent = nullptr);

    /// Calls @p call on this object's thread after @p delay, unless @p context is gone by then.
    void callAfter(std::chrono::milliseconds delay, QObject *context, std::function<void()> call);

    /// Calls scheduled and not yet run or dropped.
    std::size_t pending() const { return m_calls.size(); }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Call
    {
        QPointer<QObject> context;
        std::function<void()> call;
    };

    void arm();

    std::multimap<Clock::time_point, Call> m_calls;
    QBasicTimer m_timer;
    Clock::time_point m_armedFor {};
};

} // namespace waotp
