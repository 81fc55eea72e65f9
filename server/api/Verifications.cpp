#include "server/api/Verifications.h"

#include "server/JsonWriter.h"
#include "server/api/ApiRequests.h"

#include "engine/OtpPolicy.h"

namespace waotp::server {

namespace {

qint64 secondsUntil(Clock::TimePoint when, Clock::TimePoint now)
{
    if (when <= now)
        return 0;
    return ceilSeconds(std::chrono::duration_cast<std::chrono::milliseconds>(when - now)).count();
}

} // namespace

VerificationStatus statusOf(const Verification &v, Clock::TimePoint now)
{
    if (v.approved)
        return VerificationStatus::Approved;
    if (v.canceled)
        return VerificationStatus::Canceled;
    if (v.attemptsUsedUp || v.delivery == DeliveryStatus::Failed
        || v.delivery == DeliveryStatus::Undelivered)
        return VerificationStatus::Failed;
    if (now >= v.expiresAt)
        return VerificationStatus::Expired;
    return VerificationStatus::Pending;
}

Clock::TimePoint resendAllowedAt(const Verification &v)
{
    const bool ended = v.approved || v.delivery == DeliveryStatus::Failed
        || v.delivery == DeliveryStatus::Undelivered;
    return ended ? Clock::TimePoint() : v.nextSendAt;
}

std::chrono::seconds untilResend(const Verification &v, Clock::TimePoint sendHeldUntil,
                                 Clock::TimePoint now)
{
    return std::chrono::seconds(secondsUntil(std::max(resendAllowedAt(v), sendHeldUntil), now));
}

QString statusName(VerificationStatus status)
{
    switch (status) {
    case VerificationStatus::Pending:
        return QStringLiteral("pending");
    case VerificationStatus::Approved:
        return QStringLiteral("approved");
    case VerificationStatus::Expired:
        return QStringLiteral("expired");
    case VerificationStatus::Canceled:
        return QStringLiteral("canceled");
    case VerificationStatus::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("failed");
}

QString deliveryName(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Unknown:
    case DeliveryStatus::Queued:
        return QStringLiteral("queued");
    case DeliveryStatus::Sent:
        return QStringLiteral("sent");
    case DeliveryStatus::Delivered:
        return QStringLiteral("delivered");
    case DeliveryStatus::Read:
        return QStringLiteral("read");
    case DeliveryStatus::Failed:
        return QStringLiteral("failed");
    case DeliveryStatus::Undelivered:
        return QStringLiteral("undelivered");
    }
    return QStringLiteral("queued");
}

QByteArray verificationJson(const Verification &v, Clock::TimePoint now,
                            const VerificationExtras &extras)
{
    const VerificationStatus status = statusOf(v, now);
    const bool live = status == VerificationStatus::Pending;
    JsonObjectWriter o(320);
    // Sorted by name, as QJsonObject keeps them.
    o.number("attempts_left", live ? v.attemptsLeft : 0);
    o.string("channel", channelName(v.channel));
    o.string("delivery", deliveryName(v.delivery));
    if (v.deliveryError != 0)
        o.number("delivery_error", v.deliveryError);
    if (extras.demoCode && !v.demoCode.isEmpty())
        o.string("demo_code", v.demoCode);
    o.number("expires_in", live ? secondsUntil(v.expiresAt, now) : 0);
    o.string("flow", flowName(v.flow));
    o.string("id", QLatin1StringView(v.id));
    o.string("phone", v.number.e164());
    if (extras.queuePosition > 0) {
        o.number("queue_position", extras.queuePosition);
        o.number("queue_wait", extras.queueWait);
    }
    if (extras.registrationHints)
        o.boolean("registration_hints", true);
    o.number("resend_in", untilResend(v, extras.sendHeldUntil, now).count());
    o.string("status", statusName(status));
    return o.take();
}

QByteArray approvedJson(QStringView phone, QStringView account, QStringView accountId,
                        QByteArrayView token, qint64 expiresIn)
{
    JsonObjectWriter o(token.size() + 192);
    o.string("account", account);
    o.string("account_id", accountId);
    o.number("expires_in", expiresIn);
    o.string("phone", phone);
    o.string("status", QLatin1StringView("approved"));
    o.string("token", QLatin1StringView(token));
    return o.take();
}

} // namespace waotp::server
