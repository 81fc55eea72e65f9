#include "server/api/Verifications.h"

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

QJsonObject verificationJson(const Verification &v, Clock::TimePoint now, bool withDemoCode)
{
    const VerificationStatus status = statusOf(v, now);
    const bool live = status == VerificationStatus::Pending;
    QJsonObject o {
        {QStringLiteral("id"), QString::fromLatin1(v.id)},
        {QStringLiteral("phone"), v.number.e164()},
        {QStringLiteral("channel"), channelName(v.channel)},
        {QStringLiteral("flow"), flowName(v.flow)},
        {QStringLiteral("status"), statusName(status)},
        {QStringLiteral("delivery"), deliveryName(v.delivery)},
        {QStringLiteral("expires_in"), live ? secondsUntil(v.expiresAt, now) : 0},
        {QStringLiteral("resend_in"), secondsUntil(v.nextSendAt, now)},
        {QStringLiteral("attempts_left"), live ? v.attemptsLeft : 0},
    };
    if (v.deliveryError != 0)
        o.insert(QStringLiteral("delivery_error"), v.deliveryError);
    if (withDemoCode && !v.demoCode.isEmpty())
        o.insert(QStringLiteral("demo_code"), v.demoCode);
    return o;
}

} // namespace waotp::server
