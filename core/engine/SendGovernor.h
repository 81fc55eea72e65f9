#pragma once

#include "engine/Clock.h"
#include "engine/CodeSender.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>

namespace waotp {

class GovernedSendJob;

/// The clock of send slots behind a SendGovernor: at most `rate` sends per second, spaced
/// evenly (one slot every 1/rate seconds, no burst), so that no second ever holds more than
/// `rate` of them. Each reservation is final and the line is first come, first served
/// (virtual scheduling: the bucket keeps the time of the next free slot).
///
/// When the provider asks to slow down (slowDown()), no slot is given before its pause ends,
/// the rate halves (down to a tenth of the configured one) and then recovers linearly, reaching
/// the configured rate again RecoveryTime after the last slow-down.
class SendRateBucket
{
public:
    /// How long the rate takes to climb back from nothing to the configured one.
    static constexpr std::chrono::milliseconds RecoveryTime {20000};
    /// The rate never falls below this share of the configured one.
    static constexpr double MinRateShare = 0.1;

    virtual ~SendRateBucket() = default;

    /// Reserves the next free slot for one send, unless it is more than @p maxWait from
    /// @p now. @p done is called exactly once, possibly before this returns.
    virtual void reserve(Clock::TimePoint now, std::chrono::milliseconds maxWait,
                         std::function<void(SendSlot)> done) = 0;
    /// The provider refused a send for its rate: nothing goes before @p now + @p pause, and the
    /// rate halves.
    virtual void slowDown(Clock::TimePoint now, std::chrono::milliseconds pause) = 0;
    /// The slot reserved for @p slot (a send's due time) will not be used: a bucket that can
    /// takes it back, so that it neither counts in later positions nor, if it is the last one
    /// handed out, goes unused. Default: kept (it passes unused).
    virtual void giveBack(Clock::TimePoint slot) { static_cast<void>(slot); }
    /// @p slot was reserved from this bucket elsewhere (a shared store's script took it with the
    /// code) for a send due at @p due: from now on it is this bucket's to give back. Default:
    /// nothing to remember.
    virtual void adopt(Clock::TimePoint due, const SendSlot &slot)
    {
        static_cast<void>(due);
        static_cast<void>(slot);
    }
    /// The configured sends per second.
    virtual int rate() const = 0;
    /// The time between two slots at the current rate, as last known.
    virtual std::chrono::milliseconds interval() const = 0;
};

/// A SendRateBucket in this process (one server on its own).
class LocalSendRateBucket final : public SendRateBucket
{
public:
    explicit LocalSendRateBucket(int sendsPerSecond);

    void reserve(Clock::TimePoint now, std::chrono::milliseconds maxWait,
                 std::function<void(SendSlot)> done) override;
    void slowDown(Clock::TimePoint now, std::chrono::milliseconds pause) override;
    void giveBack(Clock::TimePoint slot) override;
    int rate() const override { return m_rate; }
    std::chrono::milliseconds interval() const override;

    /// The share of the configured rate in force at @p now (1: the full rate).
    double rateShare(Clock::TimePoint now) const;

private:
    static double ms(Clock::TimePoint t);

    int m_rate;
    double m_next = 0; // ms: the next free slot
    double m_nextAfterLast = 0; // ms: m_next as the last reservation left it
    double m_share = 1; // the rate's share at m_slowedAt
    double m_slowedAt = 0;
    double m_lastInterval;
    std::deque<double> m_slots; // ms: the slots handed out, in order, until they pass
};

/// What a SendGovernor has done since it was made, and what waits now.
struct SendGovernorStats
{
    qint64 waiting = 0; ///< sends in this instance's queue now
    quint64 queued = 0; ///< sends that had to wait for a slot
    quint64 sentAtOnce = 0; ///< sends that found a free slot
    quint64 refusedFull = 0; ///< refused: the queue was full
    quint64 refusedTooLong = 0; ///< refused: the wait would have outlived the code
    quint64 slowDowns = 0; ///< the provider asked to slow down (429 / 20429)
    quint64 retried = 0; ///< sends taken back into the line after such a refusal
    quint64 expiredInQueue = 0; ///< queued sends refused later (their retry would outlive them)
    quint64 droppedInQueue = 0; ///< queued sends no longer wanted when their slot came
    /// How long each queued send waited, in ms, from its request to its slot.
    std::function<void(std::chrono::milliseconds)> onWaited;
};

/// A CodeSender that keeps the real one under a send rate: before each send it reserves a
/// slot of its SendRateBucket (local, or shared by every instance through Redis).
///
/// - A send whose slot is now goes at once; its job is the real one's, as without a governor.
/// - A send whose slot is later waits in a bounded first-come, first-served queue. Its job
///   finishes at once as accepted with its place in line (SendResult::queuePosition and
///   queueWait) and delivery Queued; when its slot comes the real send goes, and the job
///   reports what becomes of it as delivery statuses (Failed, with the provider's error code,
///   if the provider refuses it); messageAccepted() tells the message id.
/// - A send is refused at once (SendError::RateLimited, SendResult::sendQueueFull, with a
///   Retry-After) when the queue is full or its slot would come too late for its code.
/// - When the provider answers a send with 429 / 20429, the bucket slows down (honouring
///   Retry-After) and the send takes a new slot instead of failing; if none comes in time for
///   its code, it is refused (a job already finished reports delivery Failed, 20429).
///
/// - A queued send whose code is no longer wanted when its slot comes (setStillWanted(): its
///   verification was cancelled, replaced, approved or is over) is dropped: nothing goes to the
///   provider, and its slot goes to the next send waiting here, each later one moving up a slot
///   (never before the provider's pause ends); the last of them is given back to the bucket.
///   So the sends behind it go earlier than their answers said, never later.
///
/// Nothing is lost: every send is handed to the real sender, refused, dropped as unwanted, or
/// given up when the instance stops (abandonQueue()).
class SendGovernor final : public CodeSender
{
    Q_OBJECT
public:
    /// @p real, @p bucket and @p clock must outlive the governor. @p queueLimit: the sends
    /// that may wait at once.
    SendGovernor(CodeSender &real, SendRateBucket &bucket, const Clock &clock, int queueLimit,
                 QObject *parent = nullptr);
    ~SendGovernor() override;

    SendJob *send(const OutgoingCode &code) override;
    /// As send(), but when the slot comes @p via sends instead of the real sender (which must
    /// outlive the job): a send that must wait its turn exactly as a real one does, whatever
    /// it really does then.
    SendJob *send(const OutgoingCode &code, CodeSender &via);
    bool supportsChannel(Channel channel) const override { return m_real.supportsChannel(channel); }
    bool generatesCodes() const override { return m_real.generatesCodes(); }
    CheckJob *check(const PhoneNumber &to, const QString &code) override
    {
        return m_real.check(to, code);
    }
    void cancelCode(const QString &messageId) override { m_real.cancelCode(messageId); }
    bool isDemo() const override { return m_real.isDemo(); }

    CodeSender &real() const { return m_real; }
    int queueLimit() const { return m_queueLimit; }
    SendGovernorStats &stats() { return m_stats; }
    const SendGovernorStats &stats() const { return m_stats; }

    /// Asked, when a send that waited in the queue gets its slot, whether its code should still
    /// go: @p ticket is SendResult::queueTicket of its answer; the answer may come later (a
    /// shared store). Without it, every send goes.
    using StillWanted = std::function<void(quint64 ticket, std::function<void(bool wanted)>)>;
    void setStillWanted(StillWanted stillWanted) { m_stillWanted = std::move(stillWanted); }

    /// Starts the queued sends whose slot has come (by the clock). Runs by itself on a timer;
    /// tests on a fake clock call it after moving the clock.
    void wake();

    /// Sends that were answered as queued and whose outcome is not known yet: waiting for
    /// their slot, being asked about (setStillWanted()), or on their way to the provider.
    qint64 owed() const { return m_owed; }
    /// The instance stops: every send still waiting for its slot is given up (gaveUp()), and
    /// its slot goes back to the bucket; so is one that would wait later (a retry), and a new
    /// send that would wait is refused. Sends on their way to the provider go on.
    void abandonQueue();

    /// The least part of its lifetime a code must keep when its send goes: a slot later than
    /// that is refused. The smaller of 30 s and half the code's lifetime.
    static std::chrono::milliseconds reserveOfLife(std::chrono::seconds validity);

Q_SIGNALS:
    /// A send that had waited in the queue was accepted by the provider as @p messageId.
    void messageAccepted(const waotp::PhoneNumber &to, const QString &messageId);
    /// owed() has come down to 0.
    void settled();
    /// The send answered as queued with @p ticket (SendResult::queueTicket) was given up
    /// (abandonQueue()): it ends without a delivery report of its own.
    void gaveUp(quint64 ticket);

private:
    friend class GovernedSendJob;
    void enqueue(GovernedSendJob *job, Clock::TimePoint due);
    void arm();
    /// A send dropped at its slot: the next one waiting takes that slot, the others move up.
    void passOn(Clock::TimePoint slot);

    CodeSender &m_real;
    SendRateBucket &m_bucket;
    const Clock &m_clock;
    int m_queueLimit;
    SendGovernorStats m_stats;
    std::deque<std::pair<Clock::TimePoint, QPointer<GovernedSendJob>>> m_queue; // by due time
    qint64 m_reserving = 0; // sends waiting for the bucket's answer
    qint64 m_owed = 0; // see owed()
    bool m_abandoned = false; // abandonQueue() was called
    quint64 m_lastTicket = 0;
    StillWanted m_stillWanted;
    Clock::TimePoint m_pausedUntil {}; // the provider's last pause, as seen here
    QTimer m_timer;
};

} // namespace waotp
