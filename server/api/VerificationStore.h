#pragma once

#include "server/api/SealedField.h"
#include "server/api/Verifications.h"
#include "server/token/RandomId.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

namespace waotp::server {

/// Where the verifications the server knows live: in the process (MemoryVerificationStore) or
/// in Redis beside the codes (RedisVerificationStore), so that any instance answers for any
/// verification. Each operation is atomic and answers once through its callback: a memory store
/// answers before the call returns, a shared one later from the event loop. Times in the
/// verifications handed in and out are the engine's clock.
///
/// A verification is kept for the retention after its code's lifetime (so that GET still reports
/// how it ended), then forgotten.
class VerificationStore
{
public:
    enum class Result {
        Ok,
        NotFound, ///< unknown, forgotten, or (for the changes) already approved or cancelled
        Unavailable, ///< the shared store cannot be reached: nothing changed
    };
    /// The verification after the operation (empty unless Ok); @p current: it is its number's
    /// current verification.
    using Done = std::function<void(Result, const Verification &, bool current)>;
    /// A change to a verification, made by this instance or (shared store) by any other.
    using Changed = std::function<void(const QByteArray &id)>;

    virtual ~VerificationStore();

    /// Called after each change to a verification, with its id.
    void setChangedHandler(Changed changed) { m_changed = std::move(changed); }
    /// Called when changes may have been missed (a shared store's subscription was lost and is
    /// back): whoever waits for a change should look again.
    void setResyncHandler(std::function<void()> resync) { m_resync = std::move(resync); }

    /// An id for the new verification @p v (its number is set): by default 128 random bits.
    virtual QByteArray newId(const Verification &v) const
    {
        static_cast<void>(v);
        return randomId();
    }

    virtual void find(const QByteArray &id, Done done) = 0;
    /// Adds @p v as the current verification of its number; the one it replaces, if not
    /// finished, is cancelled (and its change reported).
    virtual void add(const Verification &v, Done done) = 0;
    /// A new code of the open verification @p id went out (a resend): takes @p code's channel,
    /// expiry, next send, attempts, silence and message; the delivery starts again. NotFound if
    /// the verification was approved or cancelled meanwhile.
    virtual void codeSent(const QByteArray &id, const Verification &code, Done done) = 0;
    /// The attempts left after a wrong code (@p usedUp: none). NotFound if no longer open.
    virtual void attemptsLeft(const QByteArray &id, int left, bool usedUp, Done done) = 0;
    /// A wrong code checked by the provider, which has @p providerLeft attempts left: the
    /// verification's attempts left become the fewer of those and one less than it has now (used
    /// up at none), read and written at once, so that wrong codes checked at the same time each
    /// take one. NotFound if no longer open.
    virtual void wrongCode(const QByteArray &id, int providerLeft, Done done) = 0;
    /// Approves @p id: exactly one caller gets Ok, later ones (and one for a cancelled
    /// verification) NotFound.
    virtual void approve(const QByteArray &id, Done done) = 0;
    /// Cancels the open verification @p id; NotFound if it was already approved or cancelled.
    virtual void cancel(const QByteArray &id, Done done) = 0;
    /// The delivery of @p number's current verification is now @p status (the engine follows
    /// its own sends).
    virtual void deliveryOfNumber(const PhoneNumber &number, DeliveryStatus status, int error,
                                  Done done) = 0;
    /// A send to @p number failed after its code was issued, which voids the number's code:
    /// its current verification, if open, shows the failure (delivery Failed, @p error).
    /// NotFound if the number has no open verification.
    virtual void sendVoided(const PhoneNumber &number, int error, Done done) = 0;
    /// The code of @p number's current verification, which waited for its slot, went out as
    /// message @p messageSid: status callbacks for it now find the verification. NotFound if
    /// the number has no open verification.
    virtual void messageOfNumber(const PhoneNumber &number, const QString &messageSid,
                                 Done done) = 0;
    /// Message @p messageSid is now @p status (a status callback): the verification whose
    /// current code it carries moves on, never back; NotFound when it does not move.
    virtual void deliveryOfMessage(const QString &messageSid, DeliveryStatus status, int error,
                                   Done done) = 0;
    /// Forgets what is past its retention (a shared store's keys expire by themselves).
    virtual void sweep(Clock::TimePoint now) = 0;
    /// How many verifications this store holds; -1 when it cannot tell (shared).
    virtual qsizetype size() const = 0;
    /// False while a shared store cannot be reached.
    virtual bool isAvailable() const = 0;

protected:
    void reportChanged(const QByteArray &id) const
    {
        if (m_changed)
            m_changed(id);
    }
    void reportResync() const
    {
        if (m_resync)
            m_resync();
    }

private:
    Changed m_changed;
    std::function<void()> m_resync;
};

/// True if a delivery report of @p next may replace @p current: deliveries only move on
/// (callbacks may arrive out of order), and a failure ends them.
bool deliveryMovesOn(DeliveryStatus current, DeliveryStatus next);
bool isDeliveryFailure(DeliveryStatus status);

/// The verifications of one process, packed: each is an 80-byte record (raw id, digits of the
/// number, the message SID as bytes, times, states as bytes) in a chunked array, found through
/// three open-addressing indexes of record numbers (by id, a number's current one, by message
/// SID). What does not fit that shape (an id or SID of another form, a locale, a nonce, a demo
/// code) is kept beside it, only for the verifications that have it.
class MemoryVerificationStore final : public VerificationStore
{
public:
    explicit MemoryVerificationStore(std::chrono::milliseconds retention);
    ~MemoryVerificationStore() override;

    void find(const QByteArray &id, Done done) override;
    void add(const Verification &v, Done done) override;
    void codeSent(const QByteArray &id, const Verification &code, Done done) override;
    void attemptsLeft(const QByteArray &id, int left, bool usedUp, Done done) override;
    void wrongCode(const QByteArray &id, int providerLeft, Done done) override;
    void approve(const QByteArray &id, Done done) override;
    void cancel(const QByteArray &id, Done done) override;
    void sendVoided(const PhoneNumber &number, int error, Done done) override;
    void deliveryOfNumber(const PhoneNumber &number, DeliveryStatus status, int error,
                          Done done) override;
    void messageOfNumber(const PhoneNumber &number, const QString &messageSid, Done done) override;
    void deliveryOfMessage(const QString &messageSid, DeliveryStatus status, int error,
                           Done done) override;
    void sweep(Clock::TimePoint now) override;
    qsizetype size() const override;
    bool isAvailable() const override { return true; }

    /// What names send @p tag of verification @p id in its status callback URL (`?v=`), in the
    /// form a shared store gives it (RedisVerificationStore::statusRef()), so that what Twilio
    /// calls back does not depend on the store: sealed (SealedField) under a key of this
    /// process, base64url. Empty unless @p tag has 16 characters.
    QByteArray statusRef(const QByteArray &id, const QByteArray &tag) const;
    /// A status callback naming @p ref (statusRef()) about message @p messageSid: as
    /// deliveryOfMessage(), for the verification @p ref names, and only while @p messageSid is
    /// its current code's message (the message SID tells the sends apart here). False, and
    /// nothing done, if @p ref is not one of this process's (the caller then looks the message
    /// up by its SID).
    bool deliveryOfSend(const QByteArray &ref, const QString &messageSid, DeliveryStatus status,
                        int error, Done done);

    /// Bytes held for the verifications (records, indexes, what is kept beside them); for
    /// tests and measurements.
    std::size_t memoryUsed() const;

private:
    struct Data;
    std::uint32_t lookUp(const QByteArray &id) const;
    std::uint32_t open(const QByteArray &id) const;
    void answer(std::uint32_t record, const Done &done, bool changed);

    std::chrono::milliseconds m_retention;
    SealedField m_seal;
    std::unique_ptr<Data> d;
};

} // namespace waotp::server
