#pragma once

#include "engine/Clock.h"
#include "engine/CodeHasher.h"
#include "engine/CodeSender.h"
#include "engine/CodeStore.h"
#include "engine/OtpPolicy.h"
#include "engine/PhoneNumber.h"

#include <QBasicTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <variant>
#include <vector>

namespace waotp {

/// The answer to requestCode().
struct CodeRequestResult
{
    enum class Status {
        Sent, ///< the provider accepted the message; see expiresAt and nextSendAt
        CoolingDown, ///< asked too soon: retryAfter
        HourlyLimit, ///< too many sends this hour: retryAfter
        SendFailed, ///< the provider refused or could not be reached: see send
        Unavailable, ///< the code store is unreachable (fail closed: nothing was sent)
        ChannelUnavailable, ///< e.g. SMS asked for but no SMS sender is configured
    };
    Status status = Status::Unavailable;
    Channel channel = Channel::WhatsApp;
    SendResult send;
    std::chrono::seconds retryAfter {0};
    Clock::TimePoint expiresAt;
    Clock::TimePoint nextSendAt;
    int sendsInWindow = 0;
};

/// The answer to verifyCode().
struct VerifyResult
{
    enum class Status {
        Verified,
        WrongCode, ///< attemptsLeft > 0
        Expired,
        NoCode, ///< nothing requested for this number (or cancelled, or already used)
        TooManyAttempts,
        Malformed, ///< not six digits
        Unavailable, ///< store or provider unreachable
    };
    Status status = Status::Unavailable;
    int attemptsLeft = 0;
    SendResult providerError; ///< set when a provider check failed (Unavailable)
};

/// Issues, delivers and verifies one-time codes. Asynchronous: requestCode() and verifyCode()
/// return a request id at once; the answer arrives later, from the event loop of the engine's
/// thread, as exactly one codeRequested() or codeChecked() with that id. Answers come in the
/// order they became ready; all those ready by the same loop pass are delivered in that pass.
///
/// Like any QObject, the engine is used from its own thread, and its store answers there.
class OtpEngine : public QObject
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
    /// Checks @p code for @p number. A verified code is deleted.
    quint64 verifyCode(const PhoneNumber &number, const QString &code);
    /// Forgets the active code of @p number (e.g. the person went back to edit the number).
    void cancel(const PhoneNumber &number);

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

protected:
    void timerEvent(QTimerEvent *event) override;
    void customEvent(QEvent *event) override;

private:
    // An answer waiting for the event loop.
    struct RequestAnswer
    {
        QByteArray sid;
        CodeRequestResult result;
    };
    struct Answer
    {
        quint64 id = 0;
        PhoneNumber number;
        std::variant<VerifyResult, RequestAnswer> result;
    };
    // A verify waiting for its store answer (a networked store answers later).
    struct PendingCheck
    {
        quint64 id = 0;
        PhoneNumber number;
        Digest subject {};
    };
    struct CheckGuard;
    struct DeliveryFrame;

    void checkAnswered(quint32 slot, const CheckOutcome &outcome);
    void queueAnswer(quint64 id, PhoneNumber number,
                     std::variant<VerifyResult, RequestAnswer> &&result);
    void armDelivery();
    void deliverAnswers();

    void startSend(quint64 id, const PhoneNumber &number, const Digest &subject,
                   const QString &code, const IssueOutcome &issued, Purpose purpose,
                   Channel channel, const QString &locale);
    void finishRequest(quint64 id, const PhoneNumber &number, const QByteArray &sid,
                       const CodeRequestResult &result);
    void finishCheck(quint64 id, const PhoneNumber &number, const VerifyResult &result);
    void scheduleSweep();
    static QByteArray subjectId(const Digest &subject);

    const Clock &m_clock;
    CodeStore &m_store;
    CodeHasher m_hasher;
    CodeSender &m_sender;
    OtpPolicy m_policy;
    bool m_acceptAnyCode = false;
    quint64 m_nextId = 1;
    QHash<QByteArray, quint64> m_inFlight; // subject -> request id
    QSet<QByteArray> m_lastSendFailed; // subjects whose last send or delivery failed
    QTimer m_sweepTimer;

    std::vector<PendingCheck> m_pendingChecks; // by slot
    std::vector<quint32> m_freeCheckSlots;
    CheckGuard *m_checkGuard; // outlives the engine while the store owes answers
    std::vector<Answer> m_ready; // [m_readyHead, end) wait for the loop
    std::size_t m_readyHead = 0;
    QBasicTimer m_deliveryTimer;
    bool m_deliveryPosted = false;
    DeliveryFrame *m_delivering = nullptr; // innermost deliverAnswers() on the stack
};

} // namespace waotp

Q_DECLARE_METATYPE(waotp::CodeRequestResult)
Q_DECLARE_METATYPE(waotp::VerifyResult)
