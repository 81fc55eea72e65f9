#pragma once

#include "engine/CodeStore.h"
#include "engine/PhoneNumber.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <optional>
#include <unordered_set>

namespace waotp {

/// How a code travels.
enum class Channel { WhatsApp, Sms };
/// Why a code is sent; picks the message text.
enum class Purpose { SignUp, SignIn };

/// A send's place in the line for the provider, as a SendRateBucket hands them out.
struct SendSlot
{
    enum class Status {
        Granted, ///< the slot is this send's: it goes @c wait from now
        TooFar, ///< the next slot is more than the allowed wait away (@c wait says how far)
        Unavailable, ///< the bucket could not be asked (a shared one whose server is down)
    };
    Status status = Status::Unavailable;
    std::chrono::milliseconds wait {0};
    /// Granted: the slots handed out and still to come before this one (every instance sharing
    /// the bucket), plus one; 0 when it goes at once.
    int position = 0;
    /// Granted by a shared bucket: its name for the slot (SendRateBucket::adopt()).
    QByteArray name;
};

/// A code on its way to a phone. The plain code lives only in this value, for the time it takes
/// the sender to build its request.
struct OutgoingCode
{
    PhoneNumber to;
    QString code; ///< empty when the sender generates codes itself (Twilio Verify)
    Purpose purpose = Purpose::SignIn;
    Channel channel = Channel::WhatsApp;
    std::chrono::seconds validity {300}; ///< remaining lifetime of the code
    QString locale; ///< BCP 47 language of the message, e.g. "en", "hi", "pt-BR"
    /// Names this send to whoever hears its status callbacks (URL-safe characters only): a
    /// sender with a status callback passes it on as the URL's query parameter `v`.
    QByteArray statusTag;
    /// The send's slot of the send rate, when it was reserved in the same step as the code (a
    /// shared store's script): SendGovernor takes it instead of asking its bucket.
    std::optional<SendSlot> slot;
};

/// Why a send failed. The UI chooses the words; `SendResult::detail` is for the log.
enum class SendError {
    None,
    InvalidNumber, ///< Twilio 21211: not a valid phone number
    NotWhatsAppUser, ///< 63003 / 63024: the number has no WhatsApp account
    NotMobile, ///< 21614: not a mobile number
    OptedOut, ///< 21610: the recipient replied STOP
    RegionNotEnabled, ///< 21408: the account may not send to this country
    UnverifiedRecipient, ///< 21608: trial account, recipient not verified
    OutsideSessionWindow, ///< 63016: needs an approved template (Content SID)
    RateLimited, ///< 20429 / HTTP 429 / Verify 60203
    Misconfigured, ///< 20003 / 401 / 63007: our credentials or sender are wrong
    Network, ///< no connection, DNS, TLS failure, connection dropped
    Timeout, ///< no complete answer in time; the message may or may not have gone out
    Server, ///< Twilio answered 5xx
    BadResponse, ///< an answer that does not parse, or is too large
    Rejected, ///< any other refusal by Twilio (see providerCode)
};

/// The result of handing a code to the provider.
struct SendResult
{
    SendError error = SendError::None;
    int providerCode = 0; ///< Twilio's error code, if any
    int httpStatus = 0;
    QString detail; ///< for the log: never holds a secret or a code
    QString moreInfo; ///< Twilio's documentation link for providerCode
    std::chrono::seconds retryAfter {0}; ///< when rate limited, how long to wait
    QString messageId; ///< Twilio's Message SID or Verification SID
    /// Accepted but waiting for the send rate (SendGovernor): the place in line (1: next) and
    /// the expected wait; 0 when the send went at once.
    int queuePosition = 0;
    std::chrono::milliseconds queueWait {0};
    /// With queuePosition: the send's number in its governor's line, which
    /// SendGovernor::setStillWanted() asks about when the send's slot comes.
    quint64 queueTicket = 0;
    /// RateLimited by our own send-rate governor (its queue is full, or the wait would outlive
    /// the code), not by the provider.
    bool sendQueueFull = false;
    bool ok() const { return error == SendError::None; }
};

/// Where the message is, as far as the provider knows.
enum class DeliveryStatus { Unknown, Queued, Sent, Delivered, Read, Failed, Undelivered };

/// One send. Emits finished() exactly once, always after send() has returned; then zero or
/// more deliveryStatusChanged(); then trackingFinished(), after which it deletes itself.
///
/// A job made with its sender as @p parent belongs to the sender without being one of its
/// QObject children: it is deleted with the sender if it still exists then, as a child would
/// be, but it leaves without the walk and the copy over every job in flight that leaving a
/// QObject's list of children costs (a live sender tracks thousands of messages at once).
class SendJob : public QObject
{
    Q_OBJECT
public:
    explicit SendJob(QObject *parent = nullptr);
    ~SendJob() override;

    bool isFinished() const { return m_finished; }
    const SendResult &result() const { return m_result; }
    DeliveryStatus deliveryStatus() const { return m_status; }

Q_SIGNALS:
    void finished();
    /// The provider accepted the message after finished() had answered for it (a send queued
    /// by SendGovernor): its message id, which result() could not hold.
    void acceptedLater(const QString &messageId);
    void deliveryStatusChanged(waotp::DeliveryStatus status, int providerErrorCode);
    void trackingFinished();

protected:
    /// Records the result and emits finished(); a failed send also ends tracking.
    void finish(const SendResult &result);
    /// finish(), from the event loop: for a result known before send() has returned (a send
    /// refused at once), which must still arrive after it.
    void finishLater(const SendResult &result);
    /// Emits deliveryStatusChanged() when @p status differs from the last one.
    void updateDeliveryStatus(DeliveryStatus status, int providerErrorCode = 0);
    /// Emits trackingFinished() once and schedules deletion.
    void endTracking();

private:
    SendResult m_result;
    DeliveryStatus m_status = DeliveryStatus::Unknown;
    bool m_finished = false;
    bool m_trackingEnded = false;
    class CodeSender *m_sender = nullptr; // the sender it belongs to, if made with one
};

/// One code check by a provider that owns the codes (Twilio Verify). Emits finished() once,
/// always after check() has returned, then deletes itself.
class CheckJob : public QObject
{
    Q_OBJECT
public:
    explicit CheckJob(QObject *parent = nullptr);
    ~CheckJob() override;

    const CheckOutcome &outcome() const { return m_outcome; }
    const SendResult &error() const { return m_error; }

Q_SIGNALS:
    void finished();

protected:
    void finish(const CheckOutcome &outcome, const SendResult &error = {});
    /// finish(), from the event loop: for an outcome known before check() has returned.
    void finishLater(const CheckOutcome &outcome, const SendResult &error = {});

private:
    CheckOutcome m_outcome;
    SendResult m_error;
};

/// Delivers codes. Implementations: DemoSender (no network), Twilio Messages (WhatsApp, SMS),
/// Twilio Verify.
class CodeSender : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~CodeSender() override;

    /// Starts sending @p code and returns at once. The job belongs to the sender (see SendJob).
    virtual SendJob *send(const OutgoingCode &code) = 0;
    virtual bool supportsChannel(Channel channel) const = 0;
    /// True if the provider generates and checks codes itself (Twilio Verify).
    virtual bool generatesCodes() const { return false; }
    /// Checks a code; only for senders that generate codes. Default: nullptr.
    virtual CheckJob *check(const PhoneNumber &to, const QString &code);
    /// Voids at the provider a code it generated (Twilio Verify), named by the messageId of its
    /// send, so that it cannot be used once the person cancelled. Fire and forget: the outcome
    /// is only logged. Default: nothing to do.
    virtual void cancelCode(const QString &messageId);
    /// True for the demo sender: the only one that may reveal codes.
    virtual bool isDemo() const { return false; }

private:
    friend class SendJob;
    std::unordered_set<SendJob *> m_jobs; // the jobs that belong to it (see SendJob)
};

} // namespace waotp

Q_DECLARE_METATYPE(waotp::DeliveryStatus)
