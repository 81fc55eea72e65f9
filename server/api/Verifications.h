#pragma once

#include "engine/Clock.h"
#include "engine/CodeSender.h"
#include "engine/PhoneNumber.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <memory>

namespace waotp::server {

/// Where a verification stands, as GET /v1/verifications/{id} reports it.
enum class VerificationStatus {
    Pending, ///< a code is out and can be checked
    Approved, ///< the right code was given; a token was issued
    Expired, ///< the code's lifetime is over
    Canceled, ///< DELETE, or a newer verification of the same number replaced this one
    Failed, ///< the attempts are used up, or the message could not be delivered
};

/// One verification: a number, the code the engine holds for it, and what the client may see.
/// The engine keys codes by number, so each number has at most one current verification.
struct Verification
{
    QByteArray id; ///< 128 random bits, base64url
    PhoneNumber number;
    Purpose flow = Purpose::SignIn;
    Channel channel = Channel::WhatsApp;
    QString locale;
    QString nonce;
    DeliveryStatus delivery = DeliveryStatus::Queued;
    int deliveryError = 0; ///< the provider's error code of a failed delivery
    int attemptsLeft = 0;
    bool approved = false;
    bool canceled = false;
    bool attemptsUsedUp = false;
    Clock::TimePoint expiresAt; ///< of the current code (engine clock)
    Clock::TimePoint nextSendAt; ///< when a resend is allowed (engine clock)
    QString demoCode; ///< demo mode only: the code, for the answer that issues it
    /// Its code went nowhere: the flow refuses the number (see SilentSender). Checks fail.
    bool silent = false;
    QString messageSid; ///< the provider's id of the message of the current code, if any
};

/// The status of @p v at @p now.
VerificationStatus statusOf(const Verification &v, Clock::TimePoint now);
QString statusName(VerificationStatus status);
/// "queued", "sent", "delivered", "read", "failed", "undelivered".
QString deliveryName(DeliveryStatus status);

/// The "create shape" of @p v at @p now: id, phone, channel, flow, status, delivery (and
/// delivery_error), expires_in, resend_in, attempts_left; "demo_code" when @p withDemoCode.
QJsonObject verificationJson(const Verification &v, Clock::TimePoint now, bool withDemoCode);

/// The verifications the server knows, by id and by number. A verification is kept for
/// @p retention after its code's lifetime (so that GET still reports how it ended), then
/// forgotten by sweep().
class VerificationRegistry
{
public:
    explicit VerificationRegistry(std::chrono::milliseconds retention);

    Verification *find(QByteArrayView id);
    /// The current verification of @p number, if any.
    Verification *current(const PhoneNumber &number);
    /// Adds @p v as the current verification of its number; the one it replaces (if it was
    /// not finished) is marked canceled and returned, so that its waiters can be told.
    Verification &add(Verification v, Verification **replaced);
    /// Records that @p v's current code went out as message @p messageSid (Twilio's status
    /// callbacks name it); the message of its previous code no longer finds it.
    void setMessage(Verification &v, const QString &messageSid);
    /// The verification whose current code went out as message @p messageSid, if any.
    Verification *findByMessage(const QString &messageSid);
    /// Forgets verifications whose code expired more than the retention ago.
    void sweep(Clock::TimePoint now);
    qsizetype size() const { return m_byId.size(); }

private:
    std::chrono::milliseconds m_retention;
    QHash<QByteArray, std::shared_ptr<Verification>> m_byId;
    QHash<QString, QByteArray> m_currentByNumber; // E.164 -> id
    QHash<QString, QByteArray> m_byMessage; // message SID -> id
};

} // namespace waotp::server
