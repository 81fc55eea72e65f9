#pragma once

#include "engine/AnswerDelivery.h"
#include "engine/Clock.h"
#include "engine/CodeHasher.h"
#include "engine/CodeSender.h"
#include "engine/CodeStore.h"
#include "engine/OtpPolicy.h"
#include "engine/OtpResults.h"
#include "engine/PhoneNumber.h"
#include "engine/SplitHash.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace waotp {

/// Issues, delivers and verifies one-time codes. Asynchronous: requestCode() and verifyCode()
/// return a request id at once; the answer arrives later, from the event loop of the engine's
/// thread, as exactly one codeRequested() or codeChecked() with that id. Answers come in the
/// order they became ready; all those ready by the same loop pass are delivered in that pass.
///
/// Like any QObject, the engine is used from its own thread, and its store answers there.
class OtpEngine : public QObject, private AnswerDelivery::Receiver
{
    Q_OBJECT
public:
    OtpEngine(const Clock &clock, CodeStore &store, CodeHasher hasher, CodeSender &sender,
              OtpPolicy policy = {}, QObject *parent = nullptr);
    ~OtpEngine() override;

    /// Sends a new code to @p number, replacing any older one. While a request for the same
    /// number is in flight, returns that request's id instead of sending again.
    quint64 requestCode(const PhoneNumber &number, Purpose purpose,
                        Channel channel = Channel::WhatsApp, const QString &locale = {});
    /// What the message of a send is, as a runner of the store's issue() may learn it in the
    /// same step (e.g. the flow, channel and language of the verification a shared store
    /// resends); unset: the request's own.
    struct SendAs
    {
        std::optional<Purpose> purpose;
        std::optional<Channel> channel;
        std::optional<QString> locale;
        /// The send's slot of the send rate, taken in the same step (OutgoingCode::slot).
        std::optional<SendSlot> slot;
    };
    /// The store's issue() as one step of a larger atomic operation on a shared store: gets
    /// what the store's issue() would get, and answers the engine exactly once as it would (with
    /// what the message is, if it learned better).
    using IssueRunner = std::function<void(
        const Digest &subject, const std::optional<Digest> &codeMac, Clock::TimePoint now,
        const OtpPolicy &policy, std::function<void(IssueOutcome, const SendAs &)> done)>;
    /// requestCode() with @p run in place of the store's issue(). Not called when the request
    /// is answered without the store (a send to the number in flight, a channel not sent).
    /// @p statusTag: OutgoingCode::statusTag of the send.
    quint64 requestCode(const PhoneNumber &number, Purpose purpose, Channel channel,
                        const QString &locale, const IssueRunner &run,
                        const QByteArray &statusTag = {});
    /// Checks @p code for @p number. A verified code is deleted.
    quint64 verifyCode(const PhoneNumber &number, const QString &code);
    /// The store's check() as one step of a larger atomic operation on a shared store: gets the
    /// number's subject, the code's MAC, the time and the policy the store's check() would get,
    /// and answers the engine exactly once as it would.
    using CheckRunner =
        std::function<void(const Digest &subject, const Digest &codeMac, Clock::TimePoint now,
                           const OtpPolicy &policy, std::function<void(CheckOutcome)> done)>;
    /// verifyCode() with @p run in place of the store's check(). Only for codes this engine
    /// generates (not a sender's that generatesCodes()); with such a sender, the same as
    /// verifyCode(number, code) and @p run is not called.
    quint64 verifyCode(const PhoneNumber &number, const QString &code, const CheckRunner &run);
    /// The keyed hash that names @p number in the store.
    Digest subjectOf(const PhoneNumber &number) const { return m_hasher.subjectKey(number.e164()); }
    /// Forgets the active code of @p number (e.g. the person went back to edit the number), and
    /// cancels it at the provider when the provider generated it (Twilio Verify).
    void cancel(const PhoneNumber &number);
    /// cancel(), and at the provider its code @p providerCode too (the messageId of its send, as
    /// a shared store kept it: another instance may have sent it), when the provider generated
    /// it. A code known both ways is cancelled once.
    void cancel(const PhoneNumber &number, const QString &providerCode);
    /// cancel()'s part at the provider alone: the store forgot the code already (a shared
    /// store's script that cancels the verification with its code).
    void cancelAtProvider(const PhoneNumber &number, const QString &providerCode);
    /// The provider reported, outside the send's own tracking (e.g. a status callback), that the
    /// last message to @p number failed: the next send may go at once, as after any failure.
    void deliveryFailed(const PhoneNumber &number);
    /// When the store's rules let @p number have its next send: its hourly cap, the backoff after
    /// wrong codes, and the cooldown unless this engine would waive it (after an approval or a
    /// failed send, until the next send; with a shared store, which other instances' waivers
    /// reach, it is left out: the caller knows the verification's own). @p done gets that time
    /// (at or before now when nothing holds the send back), or std::nullopt when the store
    /// cannot tell. It may be called after this engine is gone (a networked store), never more
    /// than once; nothing changes.
    void sendHeldUntil(const PhoneNumber &number,
                       std::function<void(std::optional<Clock::TimePoint>)> done);

    /// Demo mode only: any well-formed code verifies a requested one. Returns false (and changes
    /// nothing) unless the sender is the demo sender.
    bool setAcceptAnyCode(bool accept);
    bool acceptsAnyCode() const { return m_acceptAnyCode; }

    /// Removes expired state now (also runs by itself while the store holds anything).
    void sweep();

    const OtpPolicy &policy() const { return m_policy; }
    CodeSender &sender() const { return m_sender; }
    const CodeStore &store() const { return m_store; }
    const Clock &clock() const { return m_clock; }

Q_SIGNALS:
    void codeRequested(quint64 requestId, const waotp::PhoneNumber &number,
                       const waotp::CodeRequestResult &result);
    void deliveryStatusChanged(const waotp::PhoneNumber &number, waotp::DeliveryStatus status,
                               int providerErrorCode);
    void codeChecked(quint64 requestId, const waotp::PhoneNumber &number,
                     const waotp::VerifyResult &result);

private:
    using Answer = AnswerDelivery::Answer;
    using PendingCheck = AnswerDelivery::PendingCheck;
    using RequestAnswer = AnswerDelivery::RequestAnswer;

    void checkAnswered(PendingCheck &check, const CheckOutcome &outcome) override;
    void deliver(const Answer &answer) override;

    void startSend(quint64 id, const PhoneNumber &number, const Digest &subject,
                   const QString &code, const IssueOutcome &issued, Purpose purpose,
                   Channel channel, const QString &locale, const QByteArray &statusTag,
                   const std::optional<SendSlot> &slot);
    void checkAtProvider(quint64 id, const PhoneNumber &number, const QString &code,
                         const Digest &subject, const GuessReservation &reservation);
    void rememberProviderCode(const QByteArray &key, const QString &messageId,
                              Clock::TimePoint expiresAt);
    void finishRequest(quint64 id, const PhoneNumber &number, const QByteArray &key,
                       const CodeRequestResult &result);
    void finishCheck(quint64 id, const PhoneNumber &number, const VerifyResult &result);
    void approved(const PhoneNumber &number);
    void scheduleSweep();
    /// @p subject as the key of m_inFlight and m_lastSendFailed.
    static QByteArray keyOf(const Digest &subject);

    const Clock &m_clock;
    CodeStore &m_store;
    CodeHasher m_hasher;
    CodeSender &m_sender;
    OtpPolicy m_policy;
    bool m_acceptAnyCode = false;
    quint64 m_nextId = 1;
    QHash<QByteArray, quint64> m_inFlight; // subject's key -> request id
    QSet<QByteArray> m_lastSendFailed; // keys of subjects whose last send or delivery failed
    // Subject's key -> the serial of its latest send while that send is tracked: the delivery
    // reports of an earlier message of the number say nothing of its current code.
    QHash<QByteArray, quint64> m_latestSend;
    quint64 m_sendSerial = 0;
    struct ProviderCode
    {
        QString messageId; // e.g. the Verification SID
        Clock::TimePoint expiresAt;
    };
    QHash<QByteArray, ProviderCode> m_providerCodes; // the provider's live codes, by subject key
    // Subjects whose last code was verified, and when: an approval ends the resend cooldown (the
    // hourly cap still counts). Entries older than the longest cooldown mean nothing and go. A
    // server approves thousands a second: the table grows, and is pruned, a part at a time.
    SplitHash<QByteArray, Clock::TimePoint> m_approvedAt;
    QTimer m_sweepTimer;

    AnswerDelivery m_answers {*this, this};
};

} // namespace waotp
