#pragma once

#include "engine/CodeHasher.h"
#include "engine/CodeStore.h"
#include "engine/OtpResults.h"
#include "engine/PhoneNumber.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QObject>

#include <cstddef>
#include <variant>
#include <vector>

namespace waotp {

/// How OtpEngine's answers reach the event loop of the engine's thread. An answer is queued, never
/// given from inside the call that made it ready, and delivered from the loop, in the order the
/// answers became ready: all those ready by one pass of the loop in that pass, those that become
/// ready meanwhile (a slot that verifies again) in the next, so that a slot cannot keep the loop
/// in one delivery. A verify waiting for its store's answer waits here too, in a slot of a
/// pool, so that the callback the store keeps is small.
///
/// A member of the engine and its child (so it follows the engine to another thread). When the
/// engine goes, so do the answers not yet delivered, even in the middle of a delivery; a store
/// that answers afterwards is ignored.
class AnswerDelivery final : public QObject
{
public:
    /// A code request's answer, with its subject's key in the engine's requests in flight.
    struct RequestAnswer
    {
        QByteArray key;
        CodeRequestResult result;
    };
    /// An answer waiting for the loop.
    struct Answer
    {
        quint64 id = 0;
        PhoneNumber number;
        std::variant<VerifyResult, RequestAnswer> result;
    };
    /// A verify waiting for its store's answer (a networked store answers later).
    struct PendingCheck
    {
        quint64 id = 0;
        PhoneNumber number;
        Digest subject {};
    };

    /// Whom the answers are for: the engine.
    class Receiver
    {
    public:
        /// The store answered @p check, which may be moved from. From the store's callback.
        virtual void checkAnswered(PendingCheck &check, const CheckOutcome &outcome) = 0;
        /// @p answer's turn: from the event loop. May destroy the receiver and this delivery.
        virtual void deliver(const Answer &answer) = 0;

    protected:
        ~Receiver() = default;
    };

private:
    struct Guard;
    struct Frame;

public:
    /// The callback for a store's answer to one waiting verify. Two words and trivially
    /// copyable, so std::function keeps it without a heap block.
    class CheckCallback
    {
    public:
        void operator()(const CheckOutcome &outcome) const;

    private:
        friend class AnswerDelivery;
        CheckCallback(Guard *guard, quint32 slot) : m_guard(guard), m_slot(slot) { }
        Guard *m_guard;
        quint32 m_slot;
    };

    /// @p parent: the engine, which is @p receiver.
    AnswerDelivery(Receiver &receiver, QObject *parent);
    ~AnswerDelivery() override;

    /// Queues an answer for the loop's next pass.
    void queue(quint64 id, PhoneNumber number, std::variant<VerifyResult, RequestAnswer> &&result);
    /// Keeps a verify until its store answers: give the store the callback returned. A store
    /// calls each callback exactly once, even one it still holds when it is destroyed.
    CheckCallback awaitCheck(quint64 id, const PhoneNumber &number, const Digest &subject);

protected:
    void timerEvent(QTimerEvent *event) override;
    void customEvent(QEvent *event) override;

private:
    void answered(quint32 slot, const CheckOutcome &outcome);
    void arm();
    void deliverReady();

    Receiver &m_receiver;

    std::vector<PendingCheck> m_pendingChecks; // by slot
    std::vector<quint32> m_freeCheckSlots;
    Guard *m_guard; // outlives this while the store owes answers

    std::vector<Answer> m_ready; // [m_readyHead, end) wait for the loop
    std::size_t m_readyHead = 0;
    QBasicTimer m_timer;
    bool m_posted = false;
    Frame *m_delivering = nullptr; // innermost deliverReady() on the stack
};

} // namespace waotp
