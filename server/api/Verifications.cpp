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

VerificationRegistry::VerificationRegistry(std::chrono::milliseconds retention)
    : m_retention(retention)
{ }

Verification *VerificationRegistry::find(QByteArrayView id)
{
    const auto it = m_byId.constFind(id.toByteArray());
    return it == m_byId.cend() ? nullptr : it.value().get();
}

Verification *VerificationRegistry::current(const PhoneNumber &number)
{
    const auto it = m_currentByNumber.constFind(number.e164());
    return it == m_currentByNumber.cend() ? nullptr : find(it.value());
}

Verification &VerificationRegistry::add(Verification v, Verification **replaced)
{
    Verification *previous = current(v.number);
    if (previous && !previous->approved && !previous->canceled) {
        previous->canceled = true;
        *replaced = previous;
    } else {
        *replaced = nullptr;
    }
    auto stored = std::make_shared<Verification>(std::move(v));
    m_currentByNumber.insert(stored->number.e164(), stored->id);
    Verification &ref = *stored;
    m_byId.insert(stored->id, std::move(stored));
    return ref;
}

void VerificationRegistry::setMessage(Verification &v, const QString &messageSid)
{
    if (!v.messageSid.isEmpty())
        m_byMessage.remove(v.messageSid);
    v.messageSid = messageSid;
    if (!messageSid.isEmpty())
        m_byMessage.insert(messageSid, v.id);
}

Verification *VerificationRegistry::findByMessage(const QString &messageSid)
{
    const auto it = m_byMessage.constFind(messageSid);
    return it == m_byMessage.cend() ? nullptr : find(it.value());
}

void VerificationRegistry::sweep(Clock::TimePoint now)
{
    for (auto it = m_byId.begin(); it != m_byId.end();) {
        const Verification &v = *it.value();
        if (now < v.expiresAt + m_retention) {
            ++it;
            continue;
        }
        const auto current = m_currentByNumber.constFind(v.number.e164());
        if (current != m_currentByNumber.cend() && current.value() == v.id)
            m_currentByNumber.erase(current);
        if (!v.messageSid.isEmpty())
            m_byMessage.remove(v.messageSid);
        it = m_byId.erase(it);
    }
}

} // namespace waotp::server
