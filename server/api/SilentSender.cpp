#include "server/api/SilentSender.h"

#include "engine/SendGovernor.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QVarLengthArray>

Q_LOGGING_CATEGORY(lcSilent, "waotp.server.silent", QtInfoMsg)

namespace waotp::server {

namespace {

using namespace std::chrono_literals;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

// Real sends and checks remembered for their timings.
constexpr qsizetype Samples = 32;
// A silenced number's checks are answered for this long (Twilio Verify keeps a code 10 min).
constexpr auto SilenceLifetime = std::chrono::hours(1);
// How long the provider's failure of a real send makes silent sends fail too.
constexpr auto FailureMirrorTime = std::chrono::minutes(1);
// How long a message reported by callback may take to be delivered before its sample counts as
// settled where it stands (an offline phone's message stays "sent").
constexpr auto SettleTime = std::chrono::minutes(1);

// Twilio 21606: the From cannot send to this destination. Counted among our settings' errors,
// yet it depends on the number a client chose: any other number may go through.
constexpr int FromCannotReachDestination = 21606;

// A failure of the provider itself, that any number would have met: one a silent send mirrors.
bool isProviderFailure(const SendResult &r)
{
    switch (r.error) {
    case SendError::Misconfigured:
        return r.providerCode != FromCannotReachDestination;
    case SendError::RateLimited:
    case SendError::Network:
    case SendError::Timeout:
    case SendError::Server:
    case SendError::BadResponse:
        return true;
    default:
        return false;
    }
}

bool isFailure(DeliveryStatus s)
{
    return s == DeliveryStatus::Failed || s == DeliveryStatus::Undelivered;
}

class SilentSendJob final : public SendJob
{
public:
    SilentSendJob(QObject *parent, TimerQueue &timers, const SilentSender::Sample &sample)
        : SendJob(parent), m_timers(timers)
    {
        m_timers.callAfter(duration_cast<milliseconds>(sample.accepted), this,
                           [this, steps = sample.steps] { accept(steps); });
    }
    SilentSendJob(QObject *parent, TimerQueue &timers, std::chrono::nanoseconds after,
                  const SendResult &failure)
        : SendJob(parent), m_timers(timers)
    {
        m_timers.callAfter(duration_cast<milliseconds>(after), this,
                           [this, failure] { finish(failure); });
    }

private:
    void accept(const QList<std::pair<DeliveryStatus, std::chrono::nanoseconds>> &steps)
    {
        SendResult ok;
        ok.httpStatus = 201;
        finish(ok);
        if (steps.isEmpty()) {
            endTracking();
            return;
        }
        for (qsizetype i = 0; i < steps.size(); ++i) {
            const bool last = i + 1 == steps.size();
            const DeliveryStatus status = steps.at(i).first;
            m_timers.callAfter(duration_cast<milliseconds>(steps.at(i).second), this,
                               [this, status, last] {
                                   updateDeliveryStatus(status);
                                   if (last)
                                       endTracking();
                               });
        }
    }

    TimerQueue &m_timers; // the sender's, which outlives its jobs
};

class SilentCheckJob final : public CheckJob
{
public:
    SilentCheckJob(QObject *parent, TimerQueue &timers, std::chrono::nanoseconds delay,
                   CheckOutcome outcome)
        : CheckJob(parent)
    {
        timers.callAfter(duration_cast<milliseconds>(delay), this,
                         [this, outcome] { finish(outcome); });
    }
};

} // namespace

/// The sender a silent send is handed to when its turn comes: it sends nothing.
// How one real send goes, as it goes.
struct SilentSender::Recording
{
    QElapsedTimer timer;
    Sample sample;
    bool done = false;
    std::chrono::steady_clock::time_point accepted; // by the provider, as far as known
    std::chrono::nanoseconds stepsFrom {0}; // on timer: what the delivery steps count from
    QString messageSid;
};

class SilentSender::NothingSender final : public CodeSender
{
public:
    explicit NothingSender(SilentSender &owner) : m_owner(owner) { }
    SendJob *send(const OutgoingCode &code) override { return m_owner.sendNothing(code); }
    bool supportsChannel(Channel channel) const override
    {
        return m_owner.supportsChannel(channel);
    }

private:
    SilentSender &m_owner;
};

SilentSender::SilentSender(CodeSender &real, int maxCheckAttempts, QObject *parent)
    : CodeSender(parent), m_real(real), m_timers(new TimerQueue(this)),
      m_nothing(std::make_unique<NothingSender>(*this)),
      m_maxCheckAttempts(std::max(1, maxCheckAttempts))
{
    m_defaultSample.accepted = 300ms;
    m_defaultSample.steps = {
        {DeliveryStatus::Queued, 0ms}, {DeliveryStatus::Sent, 1s}, {DeliveryStatus::Delivered, 3s}};
}

SilentSender::~SilentSender() = default;

void SilentSender::silence(const PhoneNumber &number)
{
    m_pending.insert(number.e164());
}

void SilentSender::release(const PhoneNumber &number)
{
    m_pending.remove(number.e164());
}

void SilentSender::setDefaultSample(const Sample &sample, std::chrono::nanoseconds check)
{
    m_defaultSample = sample;
    m_defaultCheck = check;
}

bool SilentSender::supportsChannel(Channel channel) const
{
    return m_real.supportsChannel(channel);
}

bool SilentSender::generatesCodes() const
{
    return m_real.generatesCodes();
}

bool SilentSender::isDemo() const
{
    return m_real.isDemo();
}

SendJob *SilentSender::send(const OutgoingCode &code)
{
    const QString e164 = code.to.e164();
    if (!m_pending.remove(e164)) {
        m_silenced.remove(e164);
        SendJob *job = m_real.send(code);
        record(job);
        return job;
    }
    qCInfo(lcSilent).noquote() << "silent send to" << code.to.masked()
                               << "(the flow refuses the number): nothing sent";
    // Under a send-rate governor it waits in the same line as real sends, so that its answer
    // (queue_position, queue_wait) and its timing are theirs.
    if (auto *governor = qobject_cast<SendGovernor *>(&m_real))
        return governor->send(code, *m_nothing);
    return sendNothing(code);
}

SendJob *SilentSender::sendNothing(const OutgoingCode &code)
{
    const QString e164 = code.to.e164();
    if (const auto failure = providerFailure())
        return new SilentSendJob(this, *m_timers, m_failingAfter, *failure);
    if (m_real.generatesCodes()) {
        forgetOldSilences();
        m_silenced.insert(e164, Silenced {0, std::chrono::steady_clock::now()});
    }
    return new SilentSendJob(this, *m_timers, pickSample());
}

void SilentSender::setSilenced(const PhoneNumber &to, bool silenced)
{
    if (!m_real.generatesCodes())
        return; // the engine checks its own codes: this sender is not asked
    const QString e164 = to.e164();
    if (!silenced) {
        m_silenced.remove(e164);
    } else if (!m_silenced.contains(e164)) {
        forgetOldSilences();
        m_silenced.insert(e164, Silenced {0, std::chrono::steady_clock::now()});
    }
}

CheckJob *SilentSender::check(const PhoneNumber &to, const QString &code)
{
    const auto silenced = m_silenced.find(to.e164());
    if (silenced == m_silenced.end()) {
        CheckJob *job = m_real.check(to, code);
        if (!job)
            return nullptr;
        QElapsedTimer timer;
        timer.start();
        connect(job, &CheckJob::finished, this, [this, timer] {
            const std::chrono::nanoseconds took(timer.nsecsElapsed());
            if (m_checkDelays.size() < Samples)
                m_checkDelays.append(took);
            else
                m_checkDelays[m_nextCheckDelay] = took;
            m_nextCheckDelay = (m_nextCheckDelay + 1) % Samples;
            if (onProviderRequest)
                onProviderRequest(true, took);
        });
        return job;
    }
    // As the provider answers a wrong code, and at the limit, too many attempts.
    const int left = m_maxCheckAttempts - ++silenced->checks;
    CheckOutcome outcome;
    outcome.status =
        left > 0 ? CheckOutcome::Status::WrongCode : CheckOutcome::Status::TooManyAttempts;
    outcome.attemptsLeft = std::max(left, 0);
    return new SilentCheckJob(this, *m_timers, pickCheckDelay(), outcome);
}

void SilentSender::record(SendJob *job)
{
    auto recording = std::make_shared<Recording>();
    recording->timer.start();
    connect(job, &SendJob::finished, this, [this, job, recording] {
        recording->sample.accepted = std::chrono::nanoseconds(recording->timer.nsecsElapsed());
        recording->stepsFrom = recording->sample.accepted;
        recording->accepted = std::chrono::steady_clock::now();
        if (onProviderRequest)
            onProviderRequest(false, recording->sample.accepted);
        const SendResult &result = job->result();
        if (result.ok()) {
            m_failing.reset();
        } else if (isProviderFailure(result)) {
            m_failing = {result, std::chrono::steady_clock::now()};
            m_failingAfter = recording->sample.accepted;
        }
        if (result.ok()) {
            recording->messageSid = result.messageId;
            if (m_acceptDelays.size() < Samples)
                m_acceptDelays.append(recording->sample.accepted);
            else
                m_acceptDelays[m_nextAcceptDelay] = recording->sample.accepted;
            m_nextAcceptDelay = (m_nextAcceptDelay + 1) % Samples;
        }
        recording->done = !result.ok(); // a refused send has no delivery to replay
    });
    connect(job, &SendJob::deliveryStatusChanged, this,
            [this, recording](DeliveryStatus status, int) {
                if (recording->done)
                    return;
                if (isFailure(status)) {
                    recording->done = true;
                    rememberSteps(recording->sample.steps);
                    return;
                }
                recording->sample.steps.append(
                    {status,
                     std::max(std::chrono::nanoseconds(0),
                              std::chrono::nanoseconds(recording->timer.nsecsElapsed())
                                  - recording->stepsFrom)});
            });
    // A send-rate governor answers before Twilio does: the message is accepted later, and its
    // delivery runs from then (a silent send waits in the same queue before its own).
    connect(job, &SendJob::acceptedLater, this, [recording](const QString &messageSid) {
        recording->messageSid = messageSid;
        recording->accepted = std::chrono::steady_clock::now();
        recording->stepsFrom = std::chrono::nanoseconds(recording->timer.nsecsElapsed());
    });
    connect(job, &SendJob::trackingFinished, this, [this, recording] {
        if (recording->done)
            return;
        recording->done = true;
        const qsizetype slot = rememberSteps(recording->sample.steps);
        // Its delivery comes by callback: what comes is added to this sample.
        if (m_byCallback && !recording->messageSid.isEmpty()) {
            m_reported.insert(recording->messageSid, {recording->accepted, slot});
            m_stepsOf[slot] = recording->messageSid;
        }
    });
}

qsizetype SilentSender::rememberSteps(Steps steps)
{
    const qsizetype slot = m_nextSteps;
    if (m_steps.size() < Samples) {
        m_steps.append(std::move(steps));
        m_stepsOf.append(QString());
    } else {
        m_steps[slot] = std::move(steps);
        m_reported.remove(std::exchange(m_stepsOf[slot], QString())); // its sample is gone
    }
    m_nextSteps = (m_nextSteps + 1) % Samples;
    return slot;
}

void SilentSender::deliveryReported(const QString &messageSid, DeliveryStatus status)
{
    const auto it = m_reported.find(messageSid);
    if (it == m_reported.end() || status == DeliveryStatus::Unknown)
        return;
    if (isFailure(status)) {
        // As a failure seen by tracking: the sample keeps the steps before it.
        m_stepsOf[it->slot].clear();
        m_reported.erase(it);
        return;
    }
    it->heard = true;
    const auto accepted = it->accepted;
    Steps &steps = m_steps[it->slot];
    const auto known = std::find_if(steps.cbegin(), steps.cend(),
                                    [status](const auto &step) { return step.first == status; });
    if (known != steps.cend() || (!steps.isEmpty() && status < steps.back().first))
        return; // a report again, or late: the sample's steps stay in order
    steps.append({status, std::chrono::steady_clock::now() - accepted});
}

std::optional<SendResult> SilentSender::providerFailure() const
{
    if (!m_failing || std::chrono::steady_clock::now() - m_failing->second > FailureMirrorTime)
        return std::nullopt;
    return m_failing->first;
}

bool SilentSender::providerRefusesSettings() const
{
    const std::optional<SendResult> failure = providerFailure();
    return failure && failure->error == SendError::Misconfigured;
}

SilentSender::Sample SilentSender::pickSample() const
{
    QRandomGenerator *random = QRandomGenerator::global();
    Sample sample = m_defaultSample;
    if (!m_acceptDelays.isEmpty())
        sample.accepted = m_acceptDelays.at(random->bounded(m_acceptDelays.size()));
    // A sample whose callbacks are still to come would replay a delivery cut short (a silent
    // send stuck at "queued" while real ones move on): only settled ones are replayed, and the
    // default until there are some.
    QVarLengthArray<qsizetype, Samples> settled;
    for (qsizetype slot = 0; slot < m_steps.size(); ++slot) {
        if (isSettled(slot))
            settled.append(slot);
    }
    if (!settled.isEmpty())
        sample.steps = m_steps.at(settled.at(random->bounded(settled.size())));
    return sample;
}

bool SilentSender::isSettled(qsizetype slot) const
{
    const QString &sid = m_stepsOf.at(slot);
    if (sid.isEmpty())
        return true; // tracked to its end, or no callbacks to wait for
    const Steps &steps = m_steps.at(slot);
    if (!steps.isEmpty() && steps.back().first >= DeliveryStatus::Delivered)
        return true;
    // Settled where it stands once a callback has come and a while has passed (an offline
    // phone's message stays "sent"); never without any (they went to another instance of the
    // server): the default is replayed rather than a delivery that stops at "queued".
    const auto it = m_reported.constFind(sid);
    return it == m_reported.cend()
        || (it->heard && std::chrono::steady_clock::now() - it->accepted >= SettleTime);
}

std::chrono::nanoseconds SilentSender::pickCheckDelay() const
{
    if (m_checkDelays.isEmpty())
        return m_defaultCheck;
    return m_checkDelays.at(QRandomGenerator::global()->bounded(m_checkDelays.size()));
}

void SilentSender::forgetOldSilences()
{
    if (m_silenced.size() < m_pruneAt)
        return;
    const auto now = std::chrono::steady_clock::now();
    m_silenced.removeIf(
        [now](const auto &entry) { return now - entry.value().since > SilenceLifetime; });
    m_pruneAt = std::max<qsizetype>(1024, 2 * m_silenced.size());
}

} // namespace waotp::server
