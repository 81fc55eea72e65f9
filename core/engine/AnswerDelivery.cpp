#include "engine/AnswerDelivery.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QEvent>
#include <QThread>
#include <QTimerEvent>

#include <type_traits>

namespace waotp {

namespace {
// Asks for the ready answers to be delivered: the fallback when no timer can be started (called
// off the engine's thread, or on a thread without an event dispatcher).
QEvent::Type deliveryEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}
} // namespace

// What a store callback holds on to instead of the delivery. It lives as long as the delivery
// or, when the delivery goes first, until the store has called back every callback it still
// holds. Store callbacks run on the engine's thread, so the count needs no atomics.
struct AnswerDelivery::Guard
{
    AnswerDelivery *delivery;
    std::size_t outstanding = 0;

    void answered(quint32 slot, const CheckOutcome &outcome)
    {
        --outstanding;
        if (delivery)
            delivery->answered(slot, outcome);
        else if (outstanding == 0)
            delete this;
    }
};

// One deliverReady() on the stack; the destructor marks them all, so that a slot that destroys
// the engine (and with it the delivery) stops the delivery of the rest.
struct AnswerDelivery::Frame
{
    Frame *outer;
    bool alive = true;
};

static_assert(std::is_trivially_copyable_v<
                  AnswerDelivery::CheckCallback> && sizeof(AnswerDelivery::CheckCallback) <= 16,
              "kept in std::function's small buffer");

void AnswerDelivery::CheckCallback::operator()(const CheckOutcome &outcome) const
{
    m_guard->answered(m_slot, outcome);
}

AnswerDelivery::AnswerDelivery(Receiver &receiver, QObject *parent)
    : QObject(parent), m_receiver(receiver), m_guard(new Guard {this})
{ }

AnswerDelivery::~AnswerDelivery()
{
    // Undelivered answers go with the delivery; so do the answers the store still owes.
    for (Frame *frame = m_delivering; frame; frame = frame->outer)
        frame->alive = false;
    m_guard->delivery = nullptr;
    if (m_guard->outstanding == 0)
        delete m_guard;
}

AnswerDelivery::CheckCallback AnswerDelivery::awaitCheck(quint64 id, const PhoneNumber &number,
                                                         const Digest &subject)
{
    quint32 slot;
    if (m_freeCheckSlots.empty()) {
        slot = quint32(m_pendingChecks.size());
        m_pendingChecks.push_back({id, number, subject});
    } else {
        slot = m_freeCheckSlots.back();
        m_freeCheckSlots.pop_back();
        m_pendingChecks[slot] = {id, number, subject};
    }
    ++m_guard->outstanding;
    return {m_guard, slot};
}

void AnswerDelivery::answered(quint32 slot, const CheckOutcome &outcome)
{
    m_receiver.checkAnswered(m_pendingChecks[slot], outcome); // leaves the slot's number empty
    m_freeCheckSlots.push_back(slot);
}

void AnswerDelivery::queue(quint64 id, PhoneNumber number,
                           std::variant<VerifyResult, RequestAnswer> &&result)
{
    // Always from the event loop, so the id is known to the caller before the answer comes.
    m_ready.push_back({id, std::move(number), std::move(result)});
    arm();
}

void AnswerDelivery::arm()
{
    if (m_timer.isActive() || m_posted)
        return;
    // A zero-interval timer started on the engine's own thread: that thread is running this
    // code, so its loop is not asleep in poll(), and the loop's next pass sees the timer
    // without being woken. Unlike a posted event, it costs no write to the dispatcher's
    // wake-up descriptor and no read to clear it (two system calls per answer). One timer
    // serves every answer ready by that pass.
    if (QThread::currentThread() == thread() && QAbstractEventDispatcher::instance()) {
        m_timer.start(0, Qt::PreciseTimer, this);
        return;
    }
    m_posted = true;
    QCoreApplication::postEvent(this, new QEvent(deliveryEventType()));
}

void AnswerDelivery::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    deliverReady();
}

void AnswerDelivery::customEvent(QEvent *event)
{
    if (event->type() != deliveryEventType()) {
        QObject::customEvent(event);
        return;
    }
    m_posted = false;
    deliverReady();
}

void AnswerDelivery::deliverReady()
{
    // Delivers the answers ready now; those that become ready meanwhile wait for the next pass.
    // A slot that runs a nested loop delivers from the same queue, in order.
    Frame frame {m_delivering};
    m_delivering = &frame;
    const std::size_t end = m_ready.size();
    while (m_readyHead < end) {
        // Moved out first: a slot may queue answers, and the vector may move.
        const Answer answer = std::move(m_ready[m_readyHead++]);
        m_receiver.deliver(answer);
        if (!frame.alive)
            return; // a slot destroyed the engine and the answers still queued with it
    }
    m_delivering = frame.outer;
    if (m_delivering)
        return; // an outer delivery is still reading the queue: it tidies up
    if (m_readyHead == m_ready.size()) {
        m_ready.clear(); // keeps the capacity: no allocation per answer once warm
        m_readyHead = 0;
    } else if (m_readyHead > m_ready.size() / 2) {
        m_ready.erase(m_ready.begin(), m_ready.begin() + std::ptrdiff_t(m_readyHead));
        m_readyHead = 0;
    }
}

} // namespace waotp
