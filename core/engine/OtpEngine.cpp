#include "engine/OtpEngine.h"

#include "engine/CodeGenerator.h"

#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcEngine, "waotp.engine", QtInfoMsg)
// A line for every code sent: waotp-server turns it off (its access log has the request).
Q_LOGGING_CATEGORY(lcSends, "waotp.engine.sends", QtInfoMsg)

namespace waotp {

namespace {
constexpr auto SweepInterval = std::chrono::seconds(60);

CodeRequestResult refused(IssueOutcome::Status status, const IssueOutcome &o, Channel channel)
{
    CodeRequestResult r;
    r.channel = channel;
    switch (status) {
    case IssueOutcome::Status::CoolingDown:
        r.status = CodeRequestResult::Status::CoolingDown;
        break;
    case IssueOutcome::Status::HourlyLimit:
        r.status = CodeRequestResult::Status::HourlyLimit;
        break;
    case IssueOutcome::Status::FailureBackoff:
        r.status = CodeRequestResult::Status::FailureBackoff;
        break;
    case IssueOutcome::Status::Issued:
    case IssueOutcome::Status::Unavailable:
        r.status = CodeRequestResult::Status::Unavailable;
        break;
    }
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
    case CheckOutcome::Status::GuessLimit:
        return VerifyResult::Status::GuessLimit;
    }
    return VerifyResult::Status::Unavailable;
}

VerifyResult verifyResult(const CheckOutcome &o, const SendResult &providerError = {})
{
    return {fromCheck(o.status), o.attemptsLeft, providerError, ceilSeconds(o.retryAfter)};
}

// A provider's answer that shows no wrong code was tried: the guess counted in advance is given
// back. An answer that leaves it in doubt (no answer, or the attempts used up) keeps it.
bool triedNoWrongCode(CheckOutcome::Status s)
{
    return s == CheckOutcome::Status::Verified || s == CheckOutcome::Status::Expired
        || s == CheckOutcome::Status::NoCode;
}

// The provider's codes remembered for cancel(): beyond this many, those past their lifetime go.
constexpr qsizetype ProviderCodesToPrune = 1024;
// Twilio Verify keeps a code 10 minutes, whatever lifetime the policy gives ours.
constexpr auto ProviderCodeLifetime = std::chrono::minutes(10);

bool isDeliveryFailure(DeliveryStatus s)
{
    return s == DeliveryStatus::Failed || s == DeliveryStatus::Undelivered;
}

} // namespace

OtpEngine::OtpEngine(const Clock &clock, CodeStore &store, CodeHasher hasher, CodeSender &sender,
                     OtpPolicy policy, QObject *parent)
    : QObject(parent), m_clock(clock), m_store(store), m_hasher(std::move(hasher)),
      m_sender(sender), m_policy(policy)
{
    qRegisterMetaType<CodeRequestResult>();
    qRegisterMetaType<VerifyResult>();
    qRegisterMetaType<DeliveryStatus>();
    m_sweepTimer.setTimerType(Qt::VeryCoarseTimer);
    m_sweepTimer.setInterval(SweepInterval);
    connect(&m_sweepTimer, &QTimer::timeout, this, &OtpEngine::sweep);
}

// m_answers goes first, and with it every answer not yet delivered, even in the middle of a
// delivery; the store's answers still owed are ignored when they come.
OtpEngine::~OtpEngine() = default;

QByteArray OtpEngine::keyOf(const Digest &subject)
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
    return requestCode(number, purpose, channel, locale, {});
}

quint64 OtpEngine::requestCode(const PhoneNumber &number, Purpose purpose, Channel channel,
                               const QString &locale, const IssueRunner &run,
                               const QByteArray &statusTag)
{
    const Digest subject = m_hasher.subjectKey(number.e164());
    const QByteArray key = keyOf(subject);
    // A double click: one send, one answer. Caught here and only here: the engine is the one
    // layer that sees a request whole. A second click would issue a new code in the store (and
    // spend a resend) before any sender saw it, and the senders could not tell it from a real
    // resend, as it carries a fresh code; here both clicks get the one request id and answer.
    if (const auto it = m_inFlight.constFind(key); it != m_inFlight.cend())
        return it.value();

    const quint64 id = m_nextId++;
    m_inFlight.insert(key, id);
    if (number.isNull() || !m_sender.supportsChannel(channel)) {
        CodeRequestResult r;
        r.channel = channel;
        r.status = CodeRequestResult::Status::ChannelUnavailable;
        finishRequest(id, number, key, r);
        return id;
    }

    const QString code = m_sender.generatesCodes() ? QString() : generateCode();
    std::optional<Digest> mac;
    if (!code.isEmpty())
        mac = m_hasher.codeMac(subject, code);

    // After a failed send or delivery the person may try again (or switch to SMS) at once, and
    // after an approval they may sign in again at once; the hourly cap still applies.
    OtpPolicy policy = m_policy;
    const bool waived = m_lastSendFailed.contains(key) || m_approvedAt.contains(key);
    if (waived)
        policy.firstResendCooldown = std::chrono::milliseconds::zero();

    QPointer<OtpEngine> self(this);
    const auto now = m_clock.now();
    auto issued = [self, id, number, subject, key, code, purpose, channel, locale, statusTag,
                   waived, now](IssueOutcome o, const SendAs &as) {
        if (!self)
            return;
        const Channel sendChannel = as.channel.value_or(channel);
        if (o.status == IssueOutcome::Status::Issued
            && !self->m_sender.supportsChannel(sendChannel)) {
            // A channel the runner named that is not sent (any more): the code goes.
            self->m_store.cancel(subject, [](bool) {});
            CodeRequestResult r;
            r.channel = sendChannel;
            r.status = CodeRequestResult::Status::ChannelUnavailable;
            self->finishRequest(id, number, key, r);
            return;
        }
        if (o.status == IssueOutcome::Status::Issued) {
            // The wait was waived for this send, not for the one after it.
            if (waived)
                o.nextSendAt =
                    std::max(o.nextSendAt, now + resendCooldown(o.sendsInWindow, self->m_policy));
            self->startSend(id, number, subject, code, o, as.purpose.value_or(purpose), sendChannel,
                            as.locale.value_or(locale), statusTag, as.slot);
        } else {
            qCInfo(lcEngine).noquote()
                << "send to" << number.masked() << "refused by the store, retry in"
                << ceilSeconds(o.retryAfter).count() << "s";
            self->finishRequest(id, number, key, refused(o.status, o, sendChannel));
        }
    };
    if (run)
        run(subject, mac, now, policy, std::move(issued));
    else
        m_store.issue(subject, mac, now, policy,
                      [issued = std::move(issued)](IssueOutcome o) { issued(std::move(o), {}); });
    scheduleSweep();
    return id;
}

void OtpEngine::startSend(quint64 id, const PhoneNumber &number, const Digest &subject,
                          const QString &code, const IssueOutcome &issued, Purpose purpose,
                          Channel channel, const QString &locale, const QByteArray &statusTag,
                          const std::optional<SendSlot> &slot)
{
    OutgoingCode outgoing;
    outgoing.to = number;
    outgoing.code = code;
    outgoing.purpose = purpose;
    outgoing.channel = channel;
    outgoing.validity = ceilSeconds(
        std::chrono::duration_cast<std::chrono::milliseconds>(issued.expiresAt - m_clock.now()));
    outgoing.locale = locale;
    outgoing.statusTag = statusTag;
    outgoing.slot = slot;

    SendJob *job = m_sender.send(outgoing);
    const QByteArray key = keyOf(subject);
    connect(job, &SendJob::finished, this, [this, job, id, number, issued, channel, subject, key] {
        CodeRequestResult r;
        r.channel = channel;
        r.send = job->result();
        if (r.send.ok()) {
            r.status = CodeRequestResult::Status::Sent;
            r.expiresAt = issued.expiresAt;
            r.nextSendAt = issued.nextSendAt;
            r.sendsInWindow = issued.sendsInWindow;
            m_lastSendFailed.remove(key);
            if (m_sender.generatesCodes() && !r.send.messageId.isEmpty())
                rememberProviderCode(key, r.send.messageId, issued.expiresAt);
            m_approvedAt.remove(key);
            qCInfo(lcSends).noquote() << "code sent to" << number.masked();
        } else {
            r.status = CodeRequestResult::Status::SendFailed;
            r.retryAfter = r.send.retryAfter;
            m_lastSendFailed.insert(key);
            m_store.cancel(subject, [](bool) {});
            qCWarning(lcEngine).noquote()
                << "send to" << number.masked() << "failed:" << r.send.detail;
        }
        finishRequest(id, number, key, r);
    });
    const quint64 serial = ++m_sendSerial;
    m_latestSend.insert(key, serial);
    connect(job, &SendJob::deliveryStatusChanged, this,
            [this, number, key, serial](DeliveryStatus status, int providerCode) {
                // An earlier message still tracked (polled) after a resend: its delivery is not
                // the current code's, and must neither move it (backwards, or to failed) nor
                // waive the next cooldown.
                if (m_latestSend.value(key) != serial)
                    return;
                if (isDeliveryFailure(status))
                    m_lastSendFailed.insert(key);
                Q_EMIT deliveryStatusChanged(number, status, providerCode);
            });
    connect(job, &SendJob::trackingFinished, this, [this, key, serial] {
        if (m_latestSend.value(key) == serial)
            m_latestSend.remove(key);
    });
}

quint64 OtpEngine::verifyCode(const PhoneNumber &number, const QString &code)
{
    return verifyCode(number, code, {});
}

quint64 OtpEngine::verifyCode(const PhoneNumber &number, const QString &code,
                              const CheckRunner &run)
{
    const quint64 id = m_nextId++;
    if (!isWellFormedCode(code)) {
        finishCheck(id, number, {VerifyResult::Status::Malformed, 0, {}});
        return id;
    }

    if (m_sender.generatesCodes()) {
        // The provider counts attempts per code only: the store bounds the wrong codes per
        // number across codes, counting each check before it goes out.
        const Digest subject = m_hasher.subjectKey(number.e164());
        QPointer<OtpEngine> self(this);
        m_store.reserveGuess(subject, m_clock.now(), m_policy,
                             [self, id, number, code, subject](const GuessReservation &g) {
                                 if (self)
                                     self->checkAtProvider(id, number, code, subject, g);
                             });
        return id;
    }

    // One keyed hash of the number per verify, one MAC of the code; each starts from the
    // hasher's precomputed HMAC states.
    const Digest subject = m_hasher.subjectKey(number.e164());
    if (!run)
        m_store.prefetch(subject); // the store's memory loads while the code's MAC is computed
    const Digest mac = m_hasher.codeMac(subject, code);

    // The request waits in a slot of m_answers; the store's callback carries only the slot.
    if (run)
        run(subject, mac, m_clock.now(), m_policy, m_answers.awaitCheck(id, number, subject));
    else
        m_store.check(subject, mac, m_clock.now(), m_policy,
                      m_answers.awaitCheck(id, number, subject));
    return id;
}

void OtpEngine::checkAtProvider(quint64 id, const PhoneNumber &number, const QString &code,
                                const Digest &subject, const GuessReservation &reservation)
{
    if (reservation.status != GuessReservation::Status::Reserved) {
        CheckOutcome refused;
        refused.status = reservation.status == GuessReservation::Status::GuessLimit
            ? CheckOutcome::Status::GuessLimit
            : CheckOutcome::Status::Unavailable;
        refused.retryAfter = reservation.retryAfter;
        finishCheck(id, number, verifyResult(refused));
        return;
    }
    CheckJob *job = m_sender.check(number, code);
    if (!job) {
        m_store.releaseGuess(subject, reservation.ticket, [](bool) {});
        finishCheck(id, number, {VerifyResult::Status::Unavailable, 0, {}});
        return;
    }
    connect(job, &CheckJob::finished, this,
            [this, job, id, number, subject, ticket = reservation.ticket] {
                const CheckOutcome &o = job->outcome();
                if (triedNoWrongCode(o.status))
                    m_store.releaseGuess(subject, ticket, [](bool) {});
                if (o.status == CheckOutcome::Status::Verified)
                    m_providerCodes.remove(keyOf(subject)); // used: nothing left to cancel
                finishCheck(id, number, verifyResult(o, job->error()));
            });
}

void OtpEngine::checkAnswered(PendingCheck &check, const CheckOutcome &o)
{
    VerifyResult r = verifyResult(o);
    if (m_acceptAnyCode
        && (o.status == CheckOutcome::Status::WrongCode
            || o.status == CheckOutcome::Status::TooManyAttempts)) {
        m_store.cancel(check.subject, [](bool) {});
        r = {VerifyResult::Status::Verified, 0, {}};
    }
    m_answers.queue(check.id, std::move(check.number), std::move(r));
}

void OtpEngine::cancel(const PhoneNumber &number)
{
    cancel(number, {});
}

void OtpEngine::cancel(const PhoneNumber &number, const QString &providerCode)
{
    m_store.cancel(m_hasher.subjectKey(number.e164()), [](bool) {});
    cancelAtProvider(number, providerCode);
}

void OtpEngine::cancelAtProvider(const PhoneNumber &number, const QString &providerCode)
{
    const Digest subject = m_hasher.subjectKey(number.e164());
    // A code the provider generated stays valid there until it is cancelled there too.
    QString remembered;
    if (const auto it = m_providerCodes.constFind(keyOf(subject)); it != m_providerCodes.cend()) {
        remembered = it->messageId;
        m_providerCodes.erase(it);
        m_sender.cancelCode(remembered);
    }
    if (m_sender.generatesCodes() && !providerCode.isEmpty() && providerCode != remembered)
        m_sender.cancelCode(providerCode);
}

void OtpEngine::rememberProviderCode(const QByteArray &key, const QString &messageId,
                                     Clock::TimePoint expiresAt)
{
    if (m_providerCodes.size() >= ProviderCodesToPrune) {
        const Clock::TimePoint now = m_clock.now();
        m_providerCodes.removeIf([now](const auto &it) { return it->expiresAt <= now; });
    }
    m_providerCodes.insert(key,
                           {messageId, std::max(expiresAt, m_clock.now() + ProviderCodeLifetime)});
}

void OtpEngine::deliveryFailed(const PhoneNumber &number)
{
    m_lastSendFailed.insert(keyOf(m_hasher.subjectKey(number.e164())));
}

void OtpEngine::sendHeldUntil(const PhoneNumber &number,
                              std::function<void(std::optional<Clock::TimePoint>)> done)
{
    const Digest subject = m_hasher.subjectKey(number.e164());
    const QByteArray key = keyOf(subject);
    // The cooldown counts as requestCode() counts it: waived after a failed send or an
    // approval (until the next send). A shared store's other instances may have waived it.
    OtpPolicy policy = m_policy;
    if (!m_store.isLocal() || m_lastSendFailed.contains(key) || m_approvedAt.contains(key))
        policy.firstResendCooldown = std::chrono::milliseconds::zero();
    const auto now = m_clock.now();
    m_store.previewIssue(subject, now, policy,
                         [now, done = std::move(done)](const IssueOutcome &o) {
                             if (o.status == IssueOutcome::Status::Unavailable)
                                 done(std::nullopt);
                             else if (o.status == IssueOutcome::Status::Issued)
                                 done(now);
                             else
                                 done(o.nextSendAt);
                         });
}

void OtpEngine::approved(const PhoneNumber &number)
{
    const auto now = m_clock.now();
    const QByteArray key = keyOf(m_hasher.subjectKey(number.e164()));
    m_approvedAt.pruneBefore(
        key, [&](Clock::TimePoint at) { return now - at >= m_policy.maxResendCooldown; });
    m_approvedAt.insert(key, now);
}

void OtpEngine::finishRequest(quint64 id, const PhoneNumber &number, const QByteArray &key,
                              const CodeRequestResult &result)
{
    m_answers.queue(id, number, RequestAnswer {key, result});
}

void OtpEngine::finishCheck(quint64 id, const PhoneNumber &number, const VerifyResult &result)
{
    m_answers.queue(id, number, result);
}

void OtpEngine::deliver(const Answer &answer)
{
    if (const auto *checked = std::get_if<VerifyResult>(&answer.result)) {
        if (checked->status == VerifyResult::Status::Verified)
            approved(answer.number);
        Q_EMIT codeChecked(answer.id, answer.number, *checked);
        return;
    }
    const auto &requested = std::get<RequestAnswer>(answer.result);
    if (m_inFlight.value(requested.key) == answer.id)
        m_inFlight.remove(requested.key); // the next click is a new request
    Q_EMIT codeRequested(answer.id, answer.number, requested.result);
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
