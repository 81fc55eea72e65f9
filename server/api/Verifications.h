#pragma once

#include "engine/Clock.h"
#include "engine/CodeSender.h"
#include "engine/PhoneNumber.h"

#include <QByteArray>
#include <QString>

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
    /// The shared store's name of the current code's send (empty: none, or another store):
    /// another send's code is another code, however soon after it came.
    QByteArray sendTag;
};

/// The status of @p v at @p now.
VerificationStatus statusOf(const Verification &v, Clock::TimePoint now);
/// When @p v may be sent again: its number's cooldown, or at once after an approval or a failed
/// delivery, which end the cooldown (the engine waives it then). The hourly cap is not known
/// here: a resend past it is answered 429 hourly_limit with its own wait.
Clock::TimePoint resendAllowedAt(const Verification &v);
/// The whole seconds from @p now until @p v may be sent again: resendAllowedAt(), or
/// @p sendHeldUntil when the code store's rules that outlast a cooldown (the hourly cap, the
/// backoff after wrong codes) hold the send longer.
std::chrono::seconds untilResend(const Verification &v, Clock::TimePoint sendHeldUntil,
                                 Clock::TimePoint now);
QString statusName(VerificationStatus status);
/// "queued", "sent", "delivered", "read", "failed", "undelivered".
QString deliveryName(DeliveryStatus status);

/// What an answer adds to the members of a verification.
struct VerificationExtras
{
    bool demoCode = false; ///< "demo_code", when the verification holds one (demo mode only)
    bool registrationHints = false; ///< "registration_hints": true (a setting of the server)
    qint64 queuePosition = 0; ///< "queue_position" (1: next) and "queue_wait" when above 0
    qint64 queueWait = 0; ///< the expected wait in the send-rate governor's line, in seconds
    /// Until when the code store's rules that outlast a cooldown (the hourly cap, the backoff
    /// after wrong codes) hold the number's next send, when known: "resend_in" counts to the
    /// later of this and resendAllowedAt().
    Clock::TimePoint sendHeldUntil {};
};

/// The "create shape" of @p v at @p now, as compact JSON: id, phone, channel, flow, status,
/// delivery (and delivery_error), expires_in, resend_in, attempts_left, and @p extras. The
/// same bytes as QJsonDocument's compact form of those members.
QByteArray verificationJson(const Verification &v, Clock::TimePoint now,
                            const VerificationExtras &extras = {});

/// The answer to a check that issued a token, as compact JSON (the same bytes as
/// QJsonDocument's): status "approved", phone, account ("created" or "existing"),
/// account_id, token and expires_in (the token's lifetime, in seconds).
QByteArray approvedJson(QStringView phone, QStringView account, QStringView accountId,
                        QByteArrayView token, qint64 expiresIn);

} // namespace waotp::server
