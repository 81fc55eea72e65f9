#include "server/api/VerificationStore.h"

#include "server/api/CompactVerifications.h"
#include "server/token/RandomId.h"

#include <QRandomGenerator>

#include <cstring>
#include <vector>

namespace waotp::server {

using compact::RecordIndex;

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

namespace {

constexpr std::uint32_t None = RecordIndex::None;
constexpr std::size_t ChunkBits = 10; // 1024 records (80 KiB) a chunk
constexpr std::size_t ChunkSize = std::size_t(1) << ChunkBits;

std::uint64_t mix(std::uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9u;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

std::uint64_t load64(const std::uint8_t *p)
{
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// The digits of an E.164 number ("+" and 1 to 15 digits) and their count, or 0 and 0.
struct NumberKey
{
    std::uint64_t digits = 0;
    std::uint8_t count = 0;
};

NumberKey numberKey(const QString &e164)
{
    if (e164.size() < 2 || e164.size() > 16 || e164.front() != u'+')
        return {};
    NumberKey k;
    for (qsizetype i = 1; i < e164.size(); ++i) {
        const char16_t c = e164.at(i).unicode();
        if (c < u'0' || c > u'9')
            return {};
        k.digits = k.digits * 10 + (c - u'0');
    }
    k.count = std::uint8_t(e164.size() - 1);
    return k;
}

} // namespace

/// One verification. Its number is kept as digits (when its E.164 form is "+" and digits) and,
/// when the packed form gives it back exactly, as grouping, region and calling code too.
struct PackedRecord
{
    std::array<std::uint8_t, 16> id; // unless OddId
    std::array<std::uint8_t, 16> sid; // when sidKind is Sm or Mm
    Clock::TimePoint expiresAt;
    Clock::TimePoint nextSendAt;
    std::uint64_t digits;
    std::uint32_t separators;
    std::int32_t attemptsLeft; // of a free record: the next free one
    std::int32_t deliveryError;
    std::uint16_t callingCode;
    char region[2];
    std::uint8_t count; // 0: the E.164 form is not "+" and digits (see the extra)
    std::uint8_t flow;
    std::uint8_t channel;
    std::uint8_t delivery;
    std::uint8_t flags;
    std::uint8_t sidKind;

    enum Flag : std::uint8_t {
        Live = 1,
        Approved = 2,
        Canceled = 4,
        AttemptsUsedUp = 8,
        Silent = 16,
        OddId = 32, // the id is in the extra
        OddNumber = 64, // the whole number is in the extra
    };
    enum SidKind : std::uint8_t { NoSid, Sm, Mm, OddSid };

    bool has(Flag f) const { return (flags & f) != 0; }
    void set(Flag f, bool on) { flags = on ? std::uint8_t(flags | f) : std::uint8_t(flags & ~f); }
    bool isOpen() const { return !has(Approved) && !has(Canceled); }
};
static_assert(sizeof(PackedRecord) == 80);

struct MemoryVerificationStore::Data
{
    /// What a record does not hold itself.
    struct Extra
    {
        QByteArray id;
        PhoneNumber number;
        QString messageSid;
        QString locale;
        QString nonce;
        QString demoCode;
    };

    std::vector<std::unique_ptr<PackedRecord[]>> chunks;
    std::uint32_t used = 0; // records ever handed out (free ones included)
    std::uint32_t free = None; // the first free record
    std::uint32_t live = 0;
    std::uint64_t seed = QRandomGenerator::system()->generate64();
    RecordIndex byId;
    RecordIndex currentByNumber;
    RecordIndex byMessage;
    QHash<std::uint32_t, Extra> extras;
    QHash<QByteArray, std::uint32_t> oddIds;
    QHash<QString, std::uint32_t> oddCurrent; // E.164 -> record
    QHash<QString, std::uint32_t> oddMessages;

    PackedRecord &at(std::uint32_t r) { return chunks[r >> ChunkBits][r & (ChunkSize - 1)]; }
    const PackedRecord &at(std::uint32_t r) const
    {
        return chunks[r >> ChunkBits][r & (ChunkSize - 1)];
    }

    std::uint32_t idHash(const std::array<std::uint8_t, 16> &id) const
    {
        return std::uint32_t(mix(load64(id.data()) ^ (load64(id.data() + 8) * 31) ^ seed));
    }
    std::uint32_t numberHash(std::uint64_t digits, std::uint8_t count) const
    {
        return std::uint32_t(mix((digits << 4 | count) ^ seed));
    }
    std::uint32_t sidHash(const std::array<std::uint8_t, 16> &sid, std::uint8_t kind) const
    {
        return std::uint32_t(mix(load64(sid.data()) ^ (load64(sid.data() + 8) * 31) ^ kind ^ seed));
    }

    std::uint32_t allocate()
    {
        std::uint32_t r = free;
        if (r != None) {
            free = std::uint32_t(at(r).attemptsLeft);
        } else {
            if ((used >> ChunkBits) == chunks.size())
                chunks.push_back(std::make_unique_for_overwrite<PackedRecord[]>(ChunkSize));
            r = used++;
        }
        ++live;
        return r;
    }
    void release(std::uint32_t r)
    {
        PackedRecord &p = at(r);
        p = {};
        p.attemptsLeft = std::int32_t(free);
        free = r;
        --live;
    }

    std::uint32_t lookUp(const QByteArray &id) const
    {
        if (const auto key = compact::packId(id)) {
            return byId.find(idHash(*key), [&](std::uint32_t r) {
                const PackedRecord &p = at(r);
                return p.id == *key && !p.has(PackedRecord::OddId);
            });
        }
        return oddIds.value(id, None);
    }

    std::uint32_t currentOf(const QString &e164) const
    {
        const NumberKey key = numberKey(e164);
        if (key.count == 0)
            return oddCurrent.value(e164, None);
        return currentByNumber.find(numberHash(key.digits, key.count), [&](std::uint32_t r) {
            const PackedRecord &p = at(r);
            return p.digits == key.digits && p.count == key.count;
        });
    }

    PhoneNumber numberOf(std::uint32_t r) const
    {
        const PackedRecord &p = at(r);
        if (p.has(PackedRecord::OddNumber))
            return extras.value(r).number;
        compact::PackedNumber n;
        n.digits = p.digits;
        n.separators = p.separators;
        n.callingCode = p.callingCode;
        n.region[0] = p.region[0];
        n.region[1] = p.region[1];
        n.count = p.count;
        return compact::unpackNumber(n);
    }

    bool isCurrent(std::uint32_t r) const
    {
        const PackedRecord &p = at(r);
        if (p.count == 0)
            return oddCurrent.value(extras.value(r).number.e164(), None) == r;
        return currentByNumber.contains(numberHash(p.digits, p.count), r);
    }

    /// Makes @p r its number's current verification.
    void makeCurrent(std::uint32_t r, std::uint32_t previous)
    {
        const PackedRecord &p = at(r);
        if (p.count == 0) {
            oddCurrent.insert(extras.value(r).number.e164(), r);
            return;
        }
        const std::uint32_t h = numberHash(p.digits, p.count);
        if (previous == None || !currentByNumber.replace(h, previous, r))
            currentByNumber.insert(h, r);
    }

    void dropCurrent(std::uint32_t r)
    {
        const PackedRecord &p = at(r);
        if (p.count == 0) {
            const QString e164 = extras.value(r).number.e164();
            if (oddCurrent.value(e164, None) == r)
                oddCurrent.remove(e164);
            return;
        }
        currentByNumber.erase(numberHash(p.digits, p.count), r);
    }

    QString messageOf(std::uint32_t r) const
    {
        const PackedRecord &p = at(r);
        switch (p.sidKind) {
        case PackedRecord::Sm:
        case PackedRecord::Mm:
            return compact::unpackSid(
                {p.sid, p.sidKind == PackedRecord::Mm ? std::uint8_t(2) : std::uint8_t(1)});
        case PackedRecord::OddSid:
            return extras.value(r).messageSid;
        default:
            return {};
        }
    }

    std::uint32_t byMessageSid(const QString &sid) const
    {
        if (const auto key = compact::packSid(sid)) {
            const std::uint8_t kind = key->prefix == 2 ? PackedRecord::Mm : PackedRecord::Sm;
            return byMessage.find(sidHash(key->bytes, kind), [&](std::uint32_t r) {
                const PackedRecord &p = at(r);
                return p.sidKind == kind && p.sid == key->bytes;
            });
        }
        return oddMessages.value(sid, None);
    }

    void dropMessage(std::uint32_t r)
    {
        PackedRecord &p = at(r);
        if (p.sidKind == PackedRecord::Sm || p.sidKind == PackedRecord::Mm) {
            byMessage.erase(sidHash(p.sid, p.sidKind), r);
        } else if (p.sidKind == PackedRecord::OddSid) {
            Extra &e = extras[r];
            if (oddMessages.value(e.messageSid, None) == r)
                oddMessages.remove(e.messageSid);
            e.messageSid.clear();
        }
        p.sidKind = PackedRecord::NoSid;
    }

    /// @p r's current code went out as message @p sid (none if empty).
    void setMessage(std::uint32_t r, const QString &sid)
    {
        dropMessage(r);
        if (sid.isEmpty())
            return;
        const std::uint32_t other = byMessageSid(sid);
        PackedRecord &p = at(r);
        if (const auto key = compact::packSid(sid)) {
            p.sid = key->bytes;
            p.sidKind = key->prefix == 2 ? PackedRecord::Mm : PackedRecord::Sm;
            const std::uint32_t h = sidHash(p.sid, p.sidKind);
            // A message carries one code: status callbacks for it go to this verification now.
            if (other == None || !byMessage.replace(h, other, r))
                byMessage.insert(h, r);
        } else {
            p.sidKind = PackedRecord::OddSid;
            extras[r].messageSid = sid;
            oddMessages.insert(sid, r);
        }
    }

    QByteArray idOf(std::uint32_t r) const
    {
        const PackedRecord &p = at(r);
        return p.has(PackedRecord::OddId) ? extras.value(r).id : compact::unpackId(p.id);
    }

    std::uint32_t insert(const Verification &v)
    {
        const std::uint32_t r = allocate();
        PackedRecord &p = at(r);
        p = {};
        p.flags = PackedRecord::Live;
        Extra extra;
        if (const auto key = compact::packId(v.id)) {
            p.id = *key;
            byId.insert(idHash(p.id), r);
        } else {
            p.set(PackedRecord::OddId, true);
            extra.id = v.id;
            oddIds.insert(v.id, r);
        }
        const NumberKey key = numberKey(v.number.e164());
        p.digits = key.digits;
        p.count = key.count;
        if (const auto n = compact::packNumber(v.number); n && key.count != 0) {
            p.separators = n->separators;
            p.callingCode = n->callingCode;
            p.region[0] = n->region[0];
            p.region[1] = n->region[1];
        } else {
            p.set(PackedRecord::OddNumber, true);
            extra.number = v.number;
        }
        p.flow = std::uint8_t(v.flow);
        p.channel = std::uint8_t(v.channel);
        p.delivery = std::uint8_t(v.delivery);
        p.deliveryError = v.deliveryError;
        p.attemptsLeft = v.attemptsLeft;
        p.set(PackedRecord::Approved, v.approved);
        p.set(PackedRecord::Canceled, v.canceled);
        p.set(PackedRecord::AttemptsUsedUp, v.attemptsUsedUp);
        p.set(PackedRecord::Silent, v.silent);
        p.expiresAt = v.expiresAt;
        p.nextSendAt = v.nextSendAt;
        extra.locale = v.locale;
        extra.nonce = v.nonce;
        extra.demoCode = v.demoCode;
        if (p.has(PackedRecord::OddId) || p.has(PackedRecord::OddNumber) || !v.locale.isEmpty()
            || !v.nonce.isEmpty() || !v.demoCode.isEmpty())
            extras.insert(r, std::move(extra));
        setMessage(r, v.messageSid);
        return r;
    }

    void remove(std::uint32_t r)
    {
        dropCurrent(r);
        dropMessage(r);
        PackedRecord &p = at(r);
        if (p.has(PackedRecord::OddId))
            oddIds.remove(extras.value(r).id);
        else
            byId.erase(idHash(p.id), r);
        extras.remove(r);
        release(r);
    }

    Verification verification(std::uint32_t r) const
    {
        const PackedRecord &p = at(r);
        Verification v;
        v.id = idOf(r);
        v.number = numberOf(r);
        v.flow = Purpose(p.flow);
        v.channel = Channel(p.channel);
        if (const auto e = extras.constFind(r); e != extras.cend()) {
            v.locale = e->locale;
            v.nonce = e->nonce;
            v.demoCode = e->demoCode;
        }
        v.delivery = DeliveryStatus(p.delivery);
        v.deliveryError = p.deliveryError;
        v.attemptsLeft = p.attemptsLeft;
        v.approved = p.has(PackedRecord::Approved);
        v.canceled = p.has(PackedRecord::Canceled);
        v.attemptsUsedUp = p.has(PackedRecord::AttemptsUsedUp);
        v.expiresAt = p.expiresAt;
        v.nextSendAt = p.nextSendAt;
        v.silent = p.has(PackedRecord::Silent);
        v.messageSid = messageOf(r);
        return v;
    }
};

MemoryVerificationStore::MemoryVerificationStore(std::chrono::milliseconds retention)
    : m_retention(retention), m_seal(randomId(32)), d(std::make_unique<Data>())
{ }

MemoryVerificationStore::~MemoryVerificationStore() = default;

qsizetype MemoryVerificationStore::size() const
{
    return qsizetype(d->live);
}

std::size_t MemoryVerificationStore::memoryUsed() const
{
    std::size_t bytes = d->chunks.size() * ChunkSize * sizeof(PackedRecord)
        + d->chunks.capacity() * sizeof(d->chunks[0])
        + (d->byId.capacity() + d->currentByNumber.capacity() + d->byMessage.capacity())
            * sizeof(std::uint64_t);
    // What is kept beside the records: counted roughly (a node and its strings).
    for (auto it = d->extras.cbegin(); it != d->extras.cend(); ++it) {
        bytes += sizeof(Data::Extra) + 16
            + std::size_t(it->id.size()
                          + 2
                              * (it->number.e164().size() + it->number.international().size()
                                 + it->messageSid.size() + it->locale.size() + it->nonce.size()
                                 + it->demoCode.size()));
    }
    bytes += std::size_t(d->oddIds.size() + d->oddCurrent.size() + d->oddMessages.size()) * 64;
    return bytes;
}

std::uint32_t MemoryVerificationStore::lookUp(const QByteArray &id) const
{
    return d->lookUp(id);
}

std::uint32_t MemoryVerificationStore::open(const QByteArray &id) const
{
    const std::uint32_t r = d->lookUp(id);
    return r != None && d->at(r).isOpen() ? r : None;
}

void MemoryVerificationStore::answer(std::uint32_t record, const Done &done, bool changed)
{
    if (record == None) {
        done(Result::NotFound, {}, false);
        return;
    }
    const Verification copy = d->verification(record); // the handlers may change the store
    const bool current = d->isCurrent(record);
    if (changed)
        reportChanged(copy.id);
    done(Result::Ok, copy, current);
}

void MemoryVerificationStore::find(const QByteArray &id, Done done)
{
    answer(lookUp(id), done, false);
}

void MemoryVerificationStore::add(const Verification &v, Done done)
{
    if (const std::uint32_t same = d->lookUp(v.id); same != None)
        d->remove(same); // an id is never used twice; should it be, the new one wins
    const std::uint32_t previous = d->currentOf(v.number.e164());
    const bool cancelled = previous != None && d->at(previous).isOpen();
    QByteArray previousId;
    if (cancelled) {
        d->at(previous).set(PackedRecord::Canceled, true);
        previousId = d->idOf(previous);
    }
    const std::uint32_t added = d->insert(v);
    d->makeCurrent(added, previous);
    if (cancelled)
        reportChanged(previousId);
    answer(added, done, true);
}

void MemoryVerificationStore::codeSent(const QByteArray &id, const Verification &code, Done done)
{
    const std::uint32_t r = open(id);
    if (r != None) {
        PackedRecord &p = d->at(r);
        p.set(PackedRecord::Silent, code.silent);
        p.channel = std::uint8_t(code.channel);
        p.expiresAt = code.expiresAt;
        p.nextSendAt = code.nextSendAt;
        p.attemptsLeft = code.attemptsLeft;
        p.set(PackedRecord::AttemptsUsedUp, false);
        p.delivery = std::uint8_t(DeliveryStatus::Queued);
        p.deliveryError = 0;
        d->setMessage(r, code.messageSid);
    }
    answer(r, done, r != None);
}

void MemoryVerificationStore::attemptsLeft(const QByteArray &id, int left, bool usedUp, Done done)
{
    const std::uint32_t r = open(id);
    if (r != None) {
        d->at(r).attemptsLeft = left;
        d->at(r).set(PackedRecord::AttemptsUsedUp, usedUp);
    }
    answer(r, done, r != None);
}

void MemoryVerificationStore::wrongCode(const QByteArray &id, int providerLeft, Done done)
{
    const std::uint32_t r = open(id);
    if (r != None) {
        const int left = std::max(0, std::min(providerLeft, int(d->at(r).attemptsLeft) - 1));
        d->at(r).attemptsLeft = left;
        d->at(r).set(PackedRecord::AttemptsUsedUp, left == 0);
    }
    answer(r, done, r != None);
}

void MemoryVerificationStore::approve(const QByteArray &id, Done done)
{
    const std::uint32_t r = open(id);
    if (r != None)
        d->at(r).set(PackedRecord::Approved, true);
    answer(r, done, r != None);
}

void MemoryVerificationStore::cancel(const QByteArray &id, Done done)
{
    const std::uint32_t r = open(id);
    if (r != None)
        d->at(r).set(PackedRecord::Canceled, true);
    answer(r, done, r != None);
}

void MemoryVerificationStore::deliveryOfNumber(const PhoneNumber &number, DeliveryStatus status,
                                               int error, Done done)
{
    std::uint32_t r = d->currentOf(number.e164());
    if (r != None && status != DeliveryStatus::Unknown) {
        d->at(r).delivery = std::uint8_t(status);
        d->at(r).deliveryError = error;
    } else {
        r = None;
    }
    answer(r, done, r != None);
}

void MemoryVerificationStore::sendVoided(const PhoneNumber &number, int error, Done done)
{
    std::uint32_t r = d->currentOf(number.e164());
    if (r != None && d->at(r).isOpen()) {
        d->at(r).delivery = std::uint8_t(DeliveryStatus::Failed);
        d->at(r).deliveryError = error;
    } else {
        r = None;
    }
    answer(r, done, r != None);
}

void MemoryVerificationStore::messageOfNumber(const PhoneNumber &number, const QString &messageSid,
                                              Done done)
{
    std::uint32_t r = d->currentOf(number.e164());
    if (r != None && !d->at(r).isOpen())
        r = None;
    if (r != None)
        d->setMessage(r, messageSid);
    answer(r, done, r != None);
}

void MemoryVerificationStore::deliveryOfMessage(const QString &messageSid, DeliveryStatus status,
                                                int error, Done done)
{
    std::uint32_t r = d->byMessageSid(messageSid);
    if (r != None && deliveryMovesOn(DeliveryStatus(d->at(r).delivery), status)) {
        d->at(r).delivery = std::uint8_t(status);
        d->at(r).deliveryError = isDeliveryFailure(status) ? error : 0;
    } else {
        r = None;
    }
    answer(r, done, r != None);
}

QByteArray MemoryVerificationStore::statusRef(const QByteArray &id, const QByteArray &tag) const
{
    return m_seal.sealSend(id, tag);
}

bool MemoryVerificationStore::deliveryOfSend(const QByteArray &ref, const QString &messageSid,
                                             DeliveryStatus status, int error, Done done)
{
    const auto send = m_seal.openSend(ref);
    if (!send)
        return false;
    std::uint32_t r = lookUp(send->first);
    if (r == None || messageSid.isEmpty() || d->byMessageSid(messageSid) != r
        || !deliveryMovesOn(DeliveryStatus(d->at(r).delivery), status)) {
        r = None;
    } else {
        d->at(r).delivery = std::uint8_t(status);
        d->at(r).deliveryError = isDeliveryFailure(status) ? error : 0;
    }
    answer(r, done, r != None);
    return true;
}

void MemoryVerificationStore::sweep(Clock::TimePoint now)
{
    for (std::uint32_t r = 0; r < d->used; ++r) {
        const PackedRecord &p = d->at(r);
        if (p.has(PackedRecord::Live) && now >= p.expiresAt + m_retention)
            d->remove(r);
    }
    d->byId.shrink();
    d->currentByNumber.shrink();
    d->byMessage.shrink();
    if (d->live == 0) { // give the records' memory back too
        d->chunks.clear();
        d->chunks.shrink_to_fit();
        d->used = 0;
        d->free = None;
    }
}

} // namespace waotp::server
