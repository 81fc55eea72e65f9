#include "engine/SendGovernor.h"

#include "engine/Wipe.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcGovernor, "waotp.governor", QtInfoMsg)

namespace waotp {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

// A provider limit on one recipient's sends, not on the account's rate (Twilio Verify's 60203,
// too many sends to this number, and 60212, too many at once to it): sending again at a slower
// rate would not help, and would slow every other number down. Refused as it is.
bool isTheRecipientsLimit(const SendResult &r)
{
    return r.providerCode == 60203 || r.providerCode == 60212;
}

// When the provider asks to slow down without saying for how long.
constexpr milliseconds DefaultPause = 1s;

std::chrono::seconds ceilToSeconds(milliseconds d)
{
    return std::chrono::seconds(std::max<qint64>(1, (d.count() + 999) / 1000));
}

} // namespace

// --- LocalSendRateBucket --------------------------------------------------------------------

LocalSendRateBucket::LocalSendRateBucket(int sendsPerSecond)
    : m_rate(std::max(1, sendsPerSecond)), m_lastInterval(1000.0 / m_rate)
{ }

double LocalSendRateBucket::ms(Clock::TimePoint t)
{
    return std::chrono::duration<double, std::milli>(t.time_since_epoch()).count();
}

double LocalSendRateBucket::rateShare(Clock::TimePoint now) const
{
    const double recovered = (ms(now) - m_slowedAt) / double(RecoveryTime.count());
    return std::clamp(m_share + std::max(0.0, recovered), MinRateShare, 1.0);
}

milliseconds LocalSendRateBucket::interval() const
{
    return milliseconds(qint64(std::ceil(m_lastInterval)));
}

void LocalSendRateBucket::reserve(Clock::TimePoint now, milliseconds maxWait,
                                  std::function<void(SendSlot)> done)
{
    const double t = ms(now);
    const double interval = 1000.0 / (m_rate * rateShare(now));
    m_lastInterval = interval;
    const double slot = std::max(t, m_next);
    SendSlot s;
    s.wait = milliseconds(qint64(std::ceil(slot - t)));
    if (s.wait > maxWait) {
        s.status = SendSlot::Status::TooFar;
        done(s);
        return;
    }
    s.status = SendSlot::Status::Granted;
    while (!m_slots.empty() && m_slots.front() <= t)
        m_slots.pop_front();
    s.position = s.wait.count() > 0 ? int(m_slots.size()) + 1 : 0;
    m_slots.push_back(slot);
    m_next = m_nextAfterLast = slot + interval;
    done(s);
}

void LocalSendRateBucket::giveBack(Clock::TimePoint slot)
{
    // A queue's due time is its slot rounded up to the millisecond.
    const double t = ms(slot);
    const auto it = std::find_if(m_slots.begin(), m_slots.end(),
                                 [t](double s) { return s <= t + 1e-6 && t - s < 1.0; });
    if (it == m_slots.end())
        return;
    const double given = *it;
    const bool last = std::next(it) == m_slots.end();
    m_slots.erase(it);
    // The last slot handed out, and no slow-down since: the next reservation takes it.
    if (last && m_next == m_nextAfterLast)
        m_next = m_nextAfterLast = given;
}

void LocalSendRateBucket::slowDown(Clock::TimePoint now, milliseconds pause)
{
    const double t = ms(now);
    m_share = std::max(MinRateShare, rateShare(now) / 2);
    m_slowedAt = t + double(pause.count()); // recovery starts when the pause ends
    m_next = std::max(m_next, t + double(pause.count()));
    m_nextAfterLast = -1; // no slot given back may come before the pause's end
}

// --- GovernedSendJob ------------------------------------------------------------------------

/// One send under the governor: a slot, maybe a wait in the queue, then the real send.
class GovernedSendJob final : public SendJob
{
public:
    GovernedSendJob(SendGovernor *governor, CodeSender &via, const OutgoingCode &code,
                    Clock::TimePoint now)
        : SendJob(governor), m_governor(governor), m_via(via), m_code(code), m_requested(now),
          m_deadline(now + code.validity), m_reserve(SendGovernor::reserveOfLife(code.validity)),
          m_ticket(++governor->m_lastTicket)
    { }
    ~GovernedSendJob() override { wipe(m_code.code); }

    // Asks the bucket for a slot. A retry comes after the provider refused the send for its
    // rate; it is not held to the queue's limit (the send was admitted already).
    void reserve(bool retry)
    {
        SendGovernor *g = m_governor;
        const Clock::TimePoint now = g->m_clock.now();
        // A slot taken with the code (OutgoingCode::slot) is this send's first one.
        const std::optional<SendSlot> taken = retry ? std::nullopt : m_code.slot;
        m_code.slot.reset();
        if (taken && taken->status == SendSlot::Status::Granted && taken->wait > 0ms)
            g->m_bucket.adopt(now + taken->wait, *taken);
        // A full queue refuses a send that would wait; one whose slot is due now waits for
        // nothing and goes (its slot would otherwise be lost: a slot due now is never adopted).
        const bool dueNow =
            taken && taken->status == SendSlot::Status::Granted && taken->wait <= 0ms;
        if (!retry && !dueNow && qint64(g->m_queue.size()) + g->m_reserving >= g->m_queueLimit) {
            if (taken && taken->status == SendSlot::Status::Granted)
                g->m_bucket.giveBack(now + taken->wait);
            ++g->m_stats.refusedFull;
            refuse(QStringLiteral("the send queue is full (%1 waiting)").arg(g->m_queueLimit),
                   std::max<milliseconds>(g->m_bucket.interval(), 1s));
            return;
        }
        const milliseconds maxWait =
            std::chrono::duration_cast<milliseconds>(m_deadline - now) - m_reserve;
        if (taken) {
            reserved(*taken, now, maxWait, retry);
            return;
        }
        ++g->m_reserving;
        QPointer<GovernedSendJob> self(this);
        QPointer<SendGovernor> governor(g);
        g->m_bucket.reserve(now, std::max(maxWait, -1ms),
                            [self, governor, now, maxWait, retry](SendSlot slot) {
                                if (governor)
                                    --governor->m_reserving;
                                if (self && governor)
                                    self->reserved(slot, now, maxWait, retry);
                            });
    }

    // The slot (@p due) has come: a send that waited goes if it is still wanted, else it is
    // dropped and its slot passed on.
    void slotCame(Clock::TimePoint due)
    {
        m_due = due;
        SendGovernor *g = m_governor;
        if (!m_queued || !g->m_stillWanted) {
            go();
            return;
        }
        QPointer<GovernedSendJob> self(this);
        g->m_stillWanted(m_ticket, [self](bool wanted) {
            if (!self)
                return;
            if (wanted)
                self->go();
            else
                self->drop();
        });
    }

    // The slot has come: the real send goes.
    void go()
    {
        SendGovernor *g = m_governor;
        const Clock::TimePoint now = g->m_clock.now();
        if (now < g->m_pausedUntil && !m_pausedOnce) {
            // The provider paused us after this slot was given: a new one, after the pause.
            m_pausedOnce = true;
            ++g->m_stats.retried;
            reserve(true);
            return;
        }
        m_pausedOnce = false;
        if (g->m_stats.onWaited && m_queued)
            g->m_stats.onWaited(std::chrono::duration_cast<milliseconds>(now - m_requested));
        OutgoingCode code = m_code;
        code.validity = std::chrono::duration_cast<std::chrono::seconds>(m_deadline - now);
        SendJob *real = m_via.send(code);
        wipe(code.code);
        connect(real, &SendJob::finished, this, [this, real] { realFinished(real->result()); });
        connect(real, &SendJob::deliveryStatusChanged, this,
                [this](DeliveryStatus status, int providerCode) {
                    if (m_realAccepted)
                        updateDeliveryStatus(status, providerCode);
                });
        connect(real, &SendJob::trackingFinished, this, [this] {
            if (m_realAccepted)
                endTracking();
        });
    }

    // The instance stops before this send's slot came (SendGovernor::abandonQueue()). Its
    // delivery is not reported here: the number's current verification may be another's. The
    // governor names the send (gaveUp()), for whoever knows its verification.
    void abandon()
    {
        SendGovernor *g = m_governor;
        wipe(m_code.code);
        qCInfo(lcGovernor).noquote()
            << "queued send to" << m_code.to.masked() << "given up: the server stops";
        endTracking();
        settle();
        Q_EMIT g->gaveUp(m_ticket);
    }

private:
    // A send announced as queued has an outcome now: it went, failed or was dropped.
    void settle()
    {
        if (!std::exchange(m_owed, false))
            return;
        SendGovernor *g = m_governor;
        if (--g->m_owed == 0)
            Q_EMIT g->settled();
    }

    void drop()
    {
        SendGovernor *g = m_governor;
        ++g->m_stats.droppedInQueue;
        wipe(m_code.code);
        qCInfo(lcGovernor).noquote()
            << "queued send to" << m_code.to.masked() << "dropped: its code is no longer wanted";
        // Its delivery stays as it was: the number's current verification is another's.
        endTracking();
        settle();
        g->passOn(m_due);
    }

    void reserved(const SendSlot &slot, Clock::TimePoint asked, milliseconds maxWait, bool retry)
    {
        SendGovernor *g = m_governor;
        switch (slot.status) {
        case SendSlot::Status::Unavailable:
            // The shared bucket cannot be asked: the send goes, and the provider's own limit
            // (429, handled below) still holds.
            qCWarning(lcGovernor) << "send-rate bucket unavailable: sending without it";
            if (!retry && !m_queued)
                ++g->m_stats.sentAtOnce;
            go();
            return;
        case SendSlot::Status::TooFar:
            if (m_queued || retry)
                ++g->m_stats.expiredInQueue;
            else
                ++g->m_stats.refusedTooLong;
            refuse(QStringLiteral("the next send slot is %1 ms away, later than the code can "
                                  "wait")
                       .arg(slot.wait.count()),
                   std::max<milliseconds>(slot.wait - std::max(maxWait, 0ms), 1s));
            return;
        case SendSlot::Status::Granted:
            break;
        }
        if (slot.wait <= 0ms) {
            if (!retry && !m_queued)
                ++g->m_stats.sentAtOnce;
            go();
            return;
        }
        if (g->m_abandoned) { // the instance stops: nothing more waits here
            g->m_bucket.giveBack(asked + slot.wait);
            if (m_announced)
                abandon();
            else
                refuse(QStringLiteral("the server stops"), 1s);
            return;
        }
        g->enqueue(this, asked + slot.wait);
        if (!m_queued) {
            m_queued = true;
            ++g->m_stats.queued;
        }
        if (!m_announced) {
            // Accepted, in line: the answer says where, and the delivery is Queued.
            m_announced = true;
            m_owed = true;
            ++g->m_owed;
            SendResult r;
            r.queuePosition = std::max(1, slot.position);
            r.queueWait = slot.wait;
            r.queueTicket = m_ticket;
            r.detail = QStringLiteral("waiting for the send rate");
            QTimer::singleShot(0, this, [this, r] {
                finish(r);
                updateDeliveryStatus(DeliveryStatus::Queued);
            });
        }
    }

    void realFinished(const SendResult &result)
    {
        SendGovernor *g = m_governor;
        if (result.error == SendError::RateLimited && !result.sendQueueFull
            && !isTheRecipientsLimit(result)) {
            // The provider's own limit: slow the bucket down and take a new slot.
            const milliseconds pause =
                result.retryAfter.count() > 0 ? milliseconds(result.retryAfter) : DefaultPause;
            const Clock::TimePoint now = g->m_clock.now();
            ++g->m_stats.slowDowns;
            ++g->m_stats.retried;
            g->m_pausedUntil = std::max(g->m_pausedUntil, now + pause);
            g->m_bucket.slowDown(now, pause);
            qCInfo(lcGovernor).noquote()
                << QStringLiteral("the provider asks to slow down (%1); send to %2 retried after "
                                  "%3 ms")
                       .arg(result.providerCode ? result.providerCode : result.httpStatus)
                       .arg(m_code.to.masked())
                       .arg(pause.count());
            m_pausedOnce = true; // this slot comes after the pause already
            reserve(true);
            return;
        }
        wipe(m_code.code);
        if (!m_announced) {
            m_realAccepted = true;
            finish(result);
            return;
        }
        if (result.ok()) {
            m_realAccepted = true;
            if (!result.messageId.isEmpty()) {
                Q_EMIT acceptedLater(result.messageId);
                Q_EMIT g->messageAccepted(m_code.to, result.messageId);
            }
            settle();
            return;
        }
        // Announced as queued, then refused by the provider: the delivery failed.
        updateDeliveryStatus(DeliveryStatus::Failed, result.providerCode);
        endTracking();
        settle();
    }

    void refuse(const QString &why, milliseconds retryAfter)
    {
        wipe(m_code.code);
        qCInfo(lcGovernor).noquote() << "send to" << m_code.to.masked() << "refused:" << why;
        if (m_announced) {
            updateDeliveryStatus(DeliveryStatus::Failed, 20429);
            endTracking();
            settle();
            return;
        }
        m_announced = true;
        SendResult r;
        r.error = SendError::RateLimited;
        r.sendQueueFull = true;
        r.retryAfter = ceilToSeconds(retryAfter);
        r.detail = why;
        finishLater(r);
    }

    SendGovernor *m_governor;
    CodeSender &m_via; // who sends when the slot comes: the governor's real sender, as a rule
    OutgoingCode m_code;
    Clock::TimePoint m_requested;
    Clock::TimePoint m_deadline; // the code's end
    milliseconds m_reserve; // the part of the code's life its send must leave
    bool m_queued = false; // waited in the queue at least once
    bool m_announced = false; // finished() is on its way or done
    bool m_realAccepted = false; // the real job speaks for this one now
    bool m_pausedOnce = false;
    bool m_owed = false; // announced as queued, its outcome not yet known (SendGovernor::owed())
    quint64 m_ticket; // its number in the governor's line
    Clock::TimePoint m_due {}; // the slot it last got from the queue
};

// --- SendGovernor ---------------------------------------------------------------------------

SendGovernor::SendGovernor(CodeSender &real, SendRateBucket &bucket, const Clock &clock,
                           int queueLimit, QObject *parent)
    : CodeSender(parent), m_real(real), m_bucket(bucket), m_clock(clock),
      m_queueLimit(std::max(1, queueLimit))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SendGovernor::wake);
}

SendGovernor::~SendGovernor() = default;

milliseconds SendGovernor::reserveOfLife(std::chrono::seconds validity)
{
    return std::min<milliseconds>(30s, milliseconds(validity) / 2);
}

SendJob *SendGovernor::send(const OutgoingCode &code)
{
    return send(code, m_real);
}

SendJob *SendGovernor::send(const OutgoingCode &code, CodeSender &via)
{
    auto *job = new GovernedSendJob(this, via, code, m_clock.now());
    job->reserve(false);
    return job;
}

void SendGovernor::enqueue(GovernedSendJob *job, Clock::TimePoint due)
{
    // Slots are handed out in order, so the queue stays sorted by due time; a retry may land
    // anywhere after the others' slots.
    const auto at = std::upper_bound(m_queue.begin(), m_queue.end(), due,
                                     [](Clock::TimePoint t, const auto &e) { return t < e.first; });
    m_queue.insert(at, {due, QPointer<GovernedSendJob>(job)});
    m_stats.waiting = qint64(m_queue.size());
    arm();
}

void SendGovernor::wake()
{
    const Clock::TimePoint now = m_clock.now();
    std::vector<std::pair<Clock::TimePoint, QPointer<GovernedSendJob>>> due;
    while (!m_queue.empty() && m_queue.front().first <= now) {
        due.push_back(m_queue.front());
        m_queue.pop_front();
    }
    m_stats.waiting = qint64(m_queue.size());
    for (const auto &[at, job] : due) {
        if (job)
            job->slotCame(at);
    }
    arm();
}

void SendGovernor::passOn(Clock::TimePoint slot)
{
    std::erase_if(m_queue, [](const auto &e) { return !e.second; });
    if (m_queue.empty() || m_clock.now() < m_pausedUntil) {
        // Nobody to take it here (or the provider's pause holds it): the bucket may.
        m_bucket.giveBack(slot);
        arm();
        return;
    }
    // Each waiting send moves up one slot, the first to this one; the last slot is given back.
    const QPointer<GovernedSendJob> next = m_queue.front().second;
    for (std::size_t i = 0; i + 1 < m_queue.size(); ++i)
        m_queue[i].second = m_queue[i + 1].second;
    m_bucket.giveBack(m_queue.back().first);
    m_queue.pop_back();
    arm();
    next->slotCame(slot);
}

void SendGovernor::abandonQueue()
{
    m_abandoned = true;
    auto queue = std::exchange(m_queue, {});
    m_stats.waiting = 0;
    m_timer.stop();
    // From the last slot to the first, so that a bucket that takes back only its last one
    // takes them all.
    for (auto it = queue.rbegin(); it != queue.rend(); ++it) {
        m_bucket.giveBack(it->first);
        if (it->second)
            it->second->abandon();
    }
}

void SendGovernor::arm()
{
    while (!m_queue.empty() && !m_queue.front().second)
        m_queue.pop_front();
    m_stats.waiting = qint64(m_queue.size());
    if (m_queue.empty()) {
        m_timer.stop();
        return;
    }
    const auto left = m_queue.front().first - m_clock.now();
    const qint64 ms = std::max<qint64>(0, std::chrono::ceil<milliseconds>(left).count());
    m_timer.start(int(std::min<qint64>(ms, 24 * 3600 * 1000)));
}

} // namespace waotp
