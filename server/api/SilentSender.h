#pragma once

#include "engine/CodeSender.h"
#include "engine/TimerQueue.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace waotp::server {

/// The sender waotp-server's engine uses: it hands every send and check to the real sender,
/// except the next send to a number silence() named. That one goes nowhere, yet answers and
/// moves like a real one, so that a sign-in for a number without an account (or a sign-up for
/// one with an account) cannot be told from a real one by its answers or their timing:
///
/// - it is accepted after as long as a recent real send took to be accepted; while the provider
///   fails every send (down, rate limiting us, refusing our credentials: the last real send
///   failed so, less than a minute ago), it fails the same way;
/// - its delivery then moves (queued, sent, delivered) with the delays a recent real message
///   had, or stays where real ones stay (Twilio Verify reports no delivery);
/// - in Verify mode, where the provider checks codes, its checks fail as wrong codes (and, at
///   the attempt limit, as too many attempts) after as long as a real check takes. With codes
///   of our own the store holds a code nobody was sent, and checks fail by themselves.
///
/// Until real sends have been seen, the timings of setDefaultSample() are used. When the real
/// sender is a SendGovernor, a silent send takes its slot and its place in the queue as a real
/// one does (the answer says queue_position and queue_wait alike), and sends nothing when its
/// turn comes.
class SilentSender final : public CodeSender
{
    Q_OBJECT
public:
    /// How one real send went: accepted after @c accepted, then each delivery step after its
    /// delay from the acceptance.
    struct Sample
    {
        std::chrono::nanoseconds accepted {0};
        QList<std::pair<DeliveryStatus, std::chrono::nanoseconds>> steps;
    };

    /// @p real must outlive this sender. @p maxCheckAttempts: the checks a code allows.
    SilentSender(CodeSender &real, int maxCheckAttempts, QObject *parent = nullptr);
    ~SilentSender() override;

    /// The next send to @p number sends nothing.
    void silence(const PhoneNumber &number);
    /// Forgets a silence() whose send never came (the store refused it).
    void release(const PhoneNumber &number);
    /// The timings used before real sends and checks have been seen.
    void setDefaultSample(const Sample &sample, std::chrono::nanoseconds check);

    /// Real messages' deliveries are reported by the provider's status callbacks (their jobs
    /// track nothing): their samples wait for deliveryReported() before they are replayed.
    void setDeliveryReportedByCallback(bool byCallback) { m_byCallback = byCallback; }
    /// A real message's delivery as the provider's status callback reported it: each step joins
    /// that send's sample, so that silent sends move on as real ones do.
    void deliveryReported(const QString &messageSid, DeliveryStatus status);

    /// Called with the time each real provider request took: a send until accepted, or a check.
    std::function<void(bool isCheck, std::chrono::nanoseconds duration)> onProviderRequest;

    CodeSender &real() const { return m_real; }
    /// True when the provider refused our own settings (credentials, sender) on the last real
    /// send, less than a minute ago: no send can succeed until they are put right.
    bool providerRefusesSettings() const;

    SendJob *send(const OutgoingCode &code) override;
    bool supportsChannel(Channel channel) const override;
    bool generatesCodes() const override;
    CheckJob *check(const PhoneNumber &to, const QString &code) override;
    /// Whether the current verification of @p to was sent silently, as the verification store
    /// has it: with a shared store another instance may have made that send, or a later real
    /// one. A provider's code (Twilio Verify) is then checked as a silent one, without asking
    /// the provider, or at the provider, whatever this instance remembers of its own sends.
    void setSilenced(const PhoneNumber &to, bool silenced);
    /// A silent send has no message id, so only real codes come here.
    void cancelCode(const QString &messageId) override { m_real.cancelCode(messageId); }
    bool isDemo() const override;

private:
    struct Silenced
    {
        int checks = 0;
        std::chrono::steady_clock::time_point since;
    };

    using Steps = QList<std::pair<DeliveryStatus, std::chrono::nanoseconds>>;
    struct Recording;
    void record(SendJob *job);
    bool isSettled(qsizetype slot) const;
    qsizetype rememberSteps(Steps steps);
    Sample pickSample() const;
    std::chrono::nanoseconds pickCheckDelay() const;
    void forgetOldSilences();
    std::optional<SendResult> providerFailure() const;
    /// The job of a send that goes nowhere, when its turn has come.
    SendJob *sendNothing(const OutgoingCode &code);
    class NothingSender;

    CodeSender &m_real;
    TimerQueue *m_timers; // every silent job's steps, on one timer
    std::unique_ptr<CodeSender> m_nothing; // sends nothing, through the governor's line
    int m_maxCheckAttempts;
    QSet<QString> m_pending; // E.164 of numbers whose next send is silent
    QHash<QString, Silenced> m_silenced; // E.164 -> its last send was silent (Verify checks)
    qsizetype m_pruneAt = 1024;
    // The last real sends, rings: how long each took to be accepted (known at once), and the
    // delivery steps of each (known when its tracking ends).
    QList<std::chrono::nanoseconds> m_acceptDelays;
    qsizetype m_nextAcceptDelay = 0;
    QList<Steps> m_steps;
    qsizetype m_nextSteps = 0;
    // The real messages whose samples are in m_steps and may still be reported by callback:
    // Message SID -> when it was accepted and where its steps are.
    struct Reported
    {
        std::chrono::steady_clock::time_point accepted;
        qsizetype slot = 0;
        bool heard = false; // a callback came for it
    };
    bool m_byCallback = false;
    QHash<QString, Reported> m_reported;
    QList<QString> m_stepsOf; // the Message SID of each sample in m_steps, if it has one
    QList<std::chrono::nanoseconds> m_checkDelays; // the last real checks, a ring
    qsizetype m_nextCheckDelay = 0;
    // The last real send, when it failed for the provider's own reasons, and when.
    std::optional<std::pair<SendResult, std::chrono::steady_clock::time_point>> m_failing;
    std::chrono::nanoseconds m_failingAfter {0}; // how long that failure took
    Sample m_defaultSample;
    std::chrono::nanoseconds m_defaultCheck {std::chrono::milliseconds(300)};
};

} // namespace waotp::server
