#include "server/api/VerificationStore.h"

namespace waotp::server {

VerificationStore::~VerificationStore() = default;

bool isDeliveryFailure(DeliveryStatus status)
{
    return status == DeliveryStatus::Failed || status == DeliveryStatus::Undelivered;
}

bool deliveryMovesOn(DeliveryStatus current, DeliveryStatus next)
{
    if (next == DeliveryStatus::Unknown || isDeliveryFailure(current))
        return false;
    return isDeliveryFailure(next) || int(next) > int(current);
}

MemoryVerificationStore::MemoryVerificationStore(std::chrono::milliseconds retention)
    : m_retention(retention)
{ }

MemoryVerificationStore::~MemoryVerificationStore() = default;

Verification *MemoryVerificationStore::lookUp(const QByteArray &id)
{
    const auto it = m_byId.constFind(id);
    return it == m_byId.cend() ? nullptr : it.value().get();
}

Verification *MemoryVerificationStore::open(const QByteArray &id)
{
    Verification *v = lookUp(id);
    return v && !v->approved && !v->canceled ? v : nullptr;
}

bool MemoryVerificationStore::isCurrent(const Verification &v) const
{
    return m_currentByNumber.value(v.number.e164()) == v.id;
}

void MemoryVerificationStore::answer(Verification *v, const Done &done, bool changed)
{
    if (!v) {
        done(Result::NotFound, {}, false);
        return;
    }
    const Verification copy = *v; // the handlers may change the store
    if (changed)
        reportChanged(copy.id);
    done(Result::Ok, copy, isCurrent(copy));
}

void MemoryVerificationStore::find(const QByteArray &id, Done done)
{
    answer(lookUp(id), done, false);
}

void MemoryVerificationStore::add(const Verification &v, Done done)
{
    const QByteArray previousId = m_currentByNumber.value(v.number.e164());
    Verification *previous = open(previousId);
    if (previous)
        previous->canceled = true;
    auto stored = std::make_shared<Verification>(v);
    stored->messageSid.clear();
    setMessage(*stored, v.messageSid);
    m_currentByNumber.insert(stored->number.e164(), stored->id);
    Verification *added = stored.get();
    m_byId.insert(stored->id, std::move(stored));
    if (previous)
        reportChanged(previousId);
    answer(added, done, true);
}

void MemoryVerificationStore::codeSent(const QByteArray &id, const Verification &code, Done done)
{
    Verification *v = open(id);
    if (v) {
        v->silent = code.silent;
        setMessage(*v, code.messageSid);
        v->channel = code.channel;
        v->expiresAt = code.expiresAt;
        v->nextSendAt = code.nextSendAt;
        v->attemptsLeft = code.attemptsLeft;
        v->attemptsUsedUp = false;
        v->delivery = DeliveryStatus::Queued;
        v->deliveryError = 0;
    }
    answer(v, done, v != nullptr);
}

void MemoryVerificationStore::attemptsLeft(const QByteArray &id, int left, bool usedUp, Done done)
{
    Verification *v = open(id);
    if (v) {
        v->attemptsLeft = left;
        v->attemptsUsedUp = usedUp;
    }
    answer(v, done, v != nullptr);
}

void MemoryVerificationStore::approve(const QByteArray &id, Done done)
{
    Verification *v = open(id);
    if (v)
        v->approved = true;
    answer(v, done, v != nullptr);
}

void MemoryVerificationStore::cancel(const QByteArray &id, Done done)
{
    Verification *v = open(id);
    if (v)
        v->canceled = true;
    answer(v, done, v != nullptr);
}

void MemoryVerificationStore::deliveryOfNumber(const PhoneNumber &number, DeliveryStatus status,
                                               int error, Done done)
{
    Verification *v = lookUp(m_currentByNumber.value(number.e164()));
    if (v && status != DeliveryStatus::Unknown) {
        v->delivery = status;
        v->deliveryError = error;
    } else {
        v = nullptr;
    }
    answer(v, done, v != nullptr);
}

void MemoryVerificationStore::messageOfNumber(const PhoneNumber &number, const QString &messageSid,
                                              Done done)
{
    Verification *v = open(m_currentByNumber.value(number.e164()));
    if (v)
        setMessage(*v, messageSid);
    answer(v, done, v != nullptr);
}

void MemoryVerificationStore::deliveryOfMessage(const QString &messageSid, DeliveryStatus status,
                                                int error, Done done)
{
    Verification *v = lookUp(m_byMessage.value(messageSid));
    if (v && deliveryMovesOn(v->delivery, status)) {
        v->delivery = status;
        v->deliveryError = isDeliveryFailure(status) ? error : 0;
    } else {
        v = nullptr;
    }
    answer(v, done, v != nullptr);
}

void MemoryVerificationStore::setMessage(Verification &v, const QString &messageSid)
{
    if (!v.messageSid.isEmpty())
        m_byMessage.remove(v.messageSid);
    v.messageSid = messageSid;
    if (!messageSid.isEmpty())
        m_byMessage.insert(messageSid, v.id);
}

void MemoryVerificationStore::sweep(Clock::TimePoint now)
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
