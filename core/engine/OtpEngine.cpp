#include "engine/OtpEngine.h"

#include "engine/CodeGenerator.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QEvent>
#include <QLoggingCategory>
#include <QPointer>
#include <QThread>
#include <QTimerEvent>

#include <type_traits>

Q_LOGGING_CATEGORY(lcEngine, "waotp.engine", QtInfoMsg)

namespace waotp {

namespace {
constexpr auto SweepInterval = std::chrono::seconds(60);

CodeRequestResult refused(IssueOutcome::Status status, const IssueOutcome &o, Channel channel)
{
    CodeRequestResult r;
    r.channel = channel;
    r.status = status == IssueOutcome::Status::CoolingDown ? CodeRequestResult::Status::CoolingDown
        : status == IssueOutcome::Status::HourlyLimit      ? CodeRequestResult::Status::HourlyLimit
                                                           : CodeRequestResult::Status::Unavailable;
    r.retryAfter = ceilSeconds(o.retryAfter);
    r.nextSendAt = o.nextSendAt;
    r.sendsInWindow = o.sendsInWindow;
    return r;
}

VerifyResult::Status fromCheck(CheckOutcome::Status s)
{
    switch (s) {
    case CheckOutcome::Status::Verified:
        return VerifyResult::Status::Verified;
    case CheckOutcome::Status::WrongCode:
        return VerifyResult::Status::WrongCode;
    case CheckOutcome::Status::Expired:
        return VerifyResult::Status::Expired;
    case CheckOutcome::Status::NoCode:
        return VerifyResult::Status::NoCode;
    case CheckOutcome::Status::TooManyAttempts:
        return VerifyResult::Status::TooManyAttempts;
    case CheckOutcome::Status::Unavailable:
        return VerifyResult::Status::Unavailable;
    }
    return VerifyResult::Status::Unavailable;
}

bool isDeliveryFailure(DeliveryStatus s)
{
    return s == DeliveryStatus::Failed || s == DeliveryStatus::Undelivered;
}

// Asks the engine to deliver its ready answers: the fallback when no timer can be started
// (called off the engine's thread, or a thread without an event dispatcher).
QEvent::Type deliveryEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}
} // namespace

// What a store callback of verifyCode() holds on to instead of the engine. It lives as long as
// the engine or, when the engine goes first, until the store has called back every callback it
// still holds (a store calls each exactly once, a networked one even when it is destroyed).
// Store callbacks run on the engine's thread, so the count needs no atomics.
struct OtpEngine::CheckGuard
{
    OtpEngine *engine;
    std::size_t outstanding = 0;

    void answered(quint32 slot, const CheckOutcome &outcome)
    {
        --outstanding;
        if (engine)
            engine->checkAnswered(slot, outcome);
        else if (outstanding == 0)
            delete this;
    }
};

// One deliverAnswers() on the stack; the destructor marks them all, so that a slot that
// destroys the engine stops the delivery of the rest.
struct OtpEngine::DeliveryFrame
{
    DeliveryFrame *outer;
    bool engineAlive = true;
};

OtpEngine::OtpEngine(const Clock &clock, CodeStore &store, CodeHasher hasher, CodeSender &sender,
                     OtpPolicy policy, QObject *parent)
    : QObject(parent), m_clock(clock), m_store(store), m_hasher(std::move(hasher)),
      m_sender(sender), m_policy(policy), m_checkGuard(new CheckGuard {this})
{
    qRegisterMetaType<CodeRequestResult>();
    qRegisterMetaType<VerifyResult>();
    qRegisterMetaType<DeliveryStatus>();
    m_sweepTimer.setTimerType(Qt::VeryCoarseTimer);
    m_sweepTimer.setInterval(SweepInterval);
    connect(&m_sweepTimer, &QTimer::timeout, this, &OtpEngine::sweep);
}

OtpEngine::~OtpEngine()
{
    // Undelivered answers go with the engine; so do the answers the store still owes.
    for (DeliveryFrame *frame = m_delivering; frame; frame = frame->outer)
        frame->engineAlive = false;
    m_checkGuard->engine = nullptr;
    if (m_checkGuard->outstanding == 0)
        delete m_checkGuard;
}

QByteArray OtpEngine::subjectId(const Digest &subject)
{
    return QByteArray(reinterpret_cast<const char *>(subject.data()), qsizetype(subject.size()));
}

bool OtpEngine::setAcceptAnyCode(bool accept)
{
    if (accept && !m_sender.isDemo()) {
        qCWarning(lcEngine) << "refusing to accept any code: not in demo mode";
        return false;
    }
    m_acceptAnyCode = accept;
    return true;
}

quint64 OtpEngine::requestCode(const PhoneNumber &number, Purpose purpose, Channel channel,
                               const QString &locale)
{
    const Digest subject = m_hasher.subjectKey(number.e164());
    const QByteArray sid = subjectId(subject);
    // A double click: one send, one answer. Caught here and only here: the engine is the one
    // layer that sees a request whole. A second click would issue a new code in the store (and
    // spend a resend) before any sender saw it, and the senders could not tell it from a real
    // resend, as it carries a fresh code; here both clicks get the one request id and answer.
    if (const auto it = m_inFlight.constFind(sid); it != m_inFlight.cend())
        return it.value();

    const quint64 id = m_nextId++;
    m_inFlight.insert(sid, id);
    if (number.isNull() || !m_sender.supportsChannel(channel)) {
        CodeRequestResult r;
        r.channel = channel;
        r.status = CodeRequestResult::Status::ChannelUnavailable;
        finishRequest(id, number, sid, r);
        return id;
    }

    const QString code = m_sender.generatesCodes() ? QString() : generateCode();
    std::optional<Digest> mac;
    if (!code.isEmpty())
        mac = m_hasher.codeMac(subject, code);

    // After a failed send or delivery the person may try again (or switch to SMS) at once;
    // the hourly cap still applies.
    OtpPolicy policy = m_policy;
    if (m_lastSendFailed.contains(sid))
        policy.firstResendCooldown = std::chrono::milliseconds::zero();

    QPointer<OtpEngine> self(this);
    m_store.issue(
        subject, mac, m_clock.now(), policy,
        [self, id, number, subject, sid, code, purpose, channel, locale](const IssueOutcome &o) {
            if (!self)
                return;
            if (o.status == IssueOutcome::Status::Issued) {
                self->startSend(id, number, subject, code, o, purpose, channel, locale);
            } else {
                qCInfo(lcEngine).noquote()
                    << "send to" << number.masked() << "refused by the store, retry in"
                    << ceilSeconds(o.retryAfter).count() << "s";
                self->finishRequest(id, number, sid, refused(o.status, o, channel));
            }
        });
    scheduleSweep();
    return id;
}

void OtpEngine::startSend(quint64 id, const PhoneNumber &number, const Digest &subject,
                          const QString &code, const IssueOutcome &issued, Purpose purpose,
                          Channel channel, const QString &locale)
{
    OutgoingCode outgoing;
    outgoing.to = number;
    outgoing.code = code;
    outgoing.purpose = purpose;
    outgoing.channel = channel;
    outgoing.validity = ceilSeconds(
        std::chrono::duration_cast<std::chrono::milliseconds>(issued.expiresAt - m_clock.now()));
    outgoing.locale = locale;

    SendJob *job = m_sender.send(outgoing);
    const QByteArray sid = subjectId(subject);
    connect(job, &SendJob::finished, this, [this, job, id, number, issued, channel, subject, sid] {
        CodeRequestResult r;
        r.channel = channel;
        r.send = job->result();
        if (r.send.ok()) {
            r.status = CodeRequestResult::Status::Sent;
            r.expiresAt = issued.expiresAt;
            r.nextSendAt = issued.nextSendAt;
            r.sendsInWindow = issued.sendsInWindow;
            m_lastSendFailed.remove(sid);
            qCInfo(lcEngine).noquote() << "code sent to" << number.masked();
        } else {
            r.status = CodeRequestResult::Status::SendFailed;
            r.retryAfter = r.send.retryAfter;
            m_lastSendFailed.insert(sid);
            m_store.cancel(subject, [](bool) {});
            qCWarning(lcEngine).noquote()
                << "send to" << number.masked() << "failed:" << r.send.detail;
        }
        finishRequest(id, number, sid, r);
    });
    connect(job, &SendJob::deliveryStatusChanged, this,
            [this, number, sid](DeliveryStatus status, int providerCode) {
                if (isDeliveryFailure(status))
                    m_lastSendFailed.insert(sid);
                Q_EMIT deliveryStatusChanged(number, status, providerCode);
            });
}

quint64 OtpEngine::verifyCode(const PhoneNumber &number, const QString &code)
{
    const quint64 id = m_nextId++;
    if (!isWellFormedCode(code)) {
        finishCheck(id, number, {VerifyResult::Status::Malformed, 0, {}});
        return id;
    }

    if (m_sender.generatesCodes()) {
        CheckJob *job = m_sender.check(number, code);
        if (!job) {
            finishCheck(id, number, {VerifyResult::Status::Unavailable, 0, {}});
            return id;
        }
        connect(job, &CheckJob::finished, this, [this, job, id, number] {
            VerifyResult r {fromCheck(job->outcome().status), job->outcome().attemptsLeft,
                            job->error()};
            finishCheck(id, number, r);
        });
        return id;
    }

    // One keyed hash of the number per verify, one MAC of the code; each starts from the
    // hasher's precomputed HMAC states.
    const Digest subject = m_hasher.subjectKey(number.e164());
    m_store.prefetch(subject); // the store's memory loads while the code's MAC is computed
    const Digest mac = m_hasher.codeMac(subject, code);

    // The request waits in a slot; the store's callback carries only the guard and the slot
    // index, small and trivially copyable, so std::function keeps it without a heap block.
    quint32 slot;
    if (m_freeCheckSlots.empty()) {
        slot = quint32(m_pendingChecks.size());
        m_pendingChecks.push_back({id, number, subject});
    } else {
        slot = m_freeCheckSlots.back();
        m_freeCheckSlots.pop_back();
        m_pendingChecks[slot] = {id, number, subject};
    }
    CheckGuard *guard = m_checkGuard;
    ++guard->outstanding;
    auto done = [guard, slot](const CheckOutcome &o) { guard->answered(slot, o); };
    static_assert(std::is_trivially_copyable_v<decltype(done)> && sizeof(done) <= 16,
                  "kept in std::function's small buffer");
    m_store.check(subject, mac, m_clock.now(), m_policy, done);
    return id;
}

void OtpEngine::checkAnswered(quint32 slot, const CheckOutcome &o)
{
    PendingCheck &pending = m_pendingChecks[slot];
    VerifyResult r {fromCheck(o.status), o.attemptsLeft, {}};
    if (m_acceptAnyCode
        && (o.status == CheckOutcome::Status::WrongCode
            || o.status == CheckOutcome::Status::TooManyAttempts)) {
        m_store.cancel(pending.subject, [](bool) {});
        r = {VerifyResult::Status::Verified, 0, {}};
    }
    queueAnswer(pending.id, std::move(pending.number), std::move(r)); // leaves the slot's empty
    m_freeCheckSlots.push_back(slot);
}

void OtpEngine::cancel(const PhoneNumber &number)
{
    m_store.cancel(m_hasher.subjectKey(number.e164()), [](bool) {});
}

void OtpEngine::finishRequest(quint64 id, const PhoneNumber &number, const QByteArray &sid,
                              const CodeRequestResult &result)
{
    queueAnswer(id, number, RequestAnswer {sid, result});
}

void OtpEngine::finishCheck(quint64 id, const PhoneNumber &number, const VerifyResult &result)
{
    queueAnswer(id, number, result);
}

void OtpEngine::queueAnswer(quint64 id, PhoneNumber number,
                            std::variant<VerifyResult, RequestAnswer> &&result)
{
    // Always from the event loop, so the id is known to the caller before the answer comes.
    m_ready.push_back({id, std::move(number), std::move(result)});
    armDelivery();
}

void OtpEngine::armDelivery()
{
    if (m_deliveryTimer.isActive() || m_deliveryPosted)
        return;
    // A zero-interval timer started on the engine's own thread: that thread is running this
    // code, so its loop is not asleep in poll(), and the loop's next pass sees the timer
    // without being woken. Unlike a posted event, it costs no write to the dispatcher's
    // wake-up descriptor and no read to clear it (two system calls per answer). One timer
    // serves every answer ready by that pass.
    if (QThread::currentThread() == thread() && QAbstractEventDispatcher::instance()) {
        m_deliveryTimer.start(0, Qt::PreciseTimer, this);
        return;
    }
    m_deliveryPosted = true;
    QCoreApplication::postEvent(this, new QEvent(deliveryEventType()));
}

void OtpEngine::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_deliveryTimer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_deliveryTimer.stop();
    deliverAnswers();
}

void OtpEngine::customEvent(QEvent *event)
{
    if (event->type() != deliveryEventType()) {
        QObject::customEvent(event);
        return;
    }
    m_deliveryPosted = false;
    deliverAnswers();
}

void OtpEngine::deliverAnswers()
{
    // Delivers the answers ready now; those that become ready meanwhile (a slot that verifies
    // again gets its answer from the store at once) wait for the next pass, so a slot cannot
    // keep the loop here. A slot that runs a nested loop delivers from the same queue, in order.
    DeliveryFrame frame {m_delivering};
    m_delivering = &frame;
    const std::size_t end = m_ready.size();
    while (m_readyHead < end) {
        // Moved out first: a slot may queue answers, and the vector may move.
        const Answer answer = std::move(m_ready[m_readyHead++]);
        if (const auto *checked = std::get_if<VerifyResult>(&answer.result)) {
            Q_EMIT codeChecked(answer.id, answer.number, *checked);
        } else {
            const auto &requested = std::get<RequestAnswer>(answer.result);
            if (m_inFlight.value(requested.sid) == answer.id)
                m_inFlight.remove(requested.sid);
            Q_EMIT codeRequested(answer.id, answer.number, requested.result);
        }
        if (!frame.engineAlive)
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

void OtpEngine::scheduleSweep()
{
    if (m_store.isLocal() && !m_sweepTimer.isActive())
        m_sweepTimer.start();
}

void OtpEngine::sweep()
{
    m_store.sweep(m_clock.now(), m_policy);
    if (m_store.trackedSubjects() == 0)
        m_sweepTimer.stop();
}

} // namespace waotp
