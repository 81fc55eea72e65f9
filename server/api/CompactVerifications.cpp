#include "server/api/CompactVerifications.h"

#include <cstring>

namespace waotp::server::compact {

namespace {

constexpr char Base64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char Hex[] = "0123456789abcdef";
constexpr std::size_t MinCapacity = 16;

int base64UrlValue(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    return -1;
}

// Two bits per gap between the digits of the international form: nothing, a space, a dash.
constexpr char16_t Separators[] = {0, u' ', u'-'};

} // namespace

std::optional<std::array<std::uint8_t, 16>> packId(const QByteArray &id)
{
    // 16 bytes are 128 bits: 21 characters of six bits and one of two (its low four bits zero).
    if (id.size() != 22)
        return std::nullopt;
    std::array<std::uint8_t, 16> out {};
    std::uint32_t bits = 0;
    int held = 0;
    std::size_t n = 0;
    for (const char c : id) {
        const int v = base64UrlValue(c);
        if (v < 0)
            return std::nullopt;
        bits = (bits << 6) | std::uint32_t(v);
        held += 6;
        if (held >= 8) {
            held -= 8;
            out[n++] = std::uint8_t(bits >> held);
        }
    }
    if ((bits & ((1u << held) - 1)) != 0) // a non-canonical last character
        return std::nullopt;
    return out;
}

QByteArray unpackId(const std::array<std::uint8_t, 16> &bytes)
{
    QByteArray out(22, Qt::Uninitialized);
    char *d = out.data();
    std::uint32_t bits = 0;
    int held = 0;
    qsizetype n = 0;
    for (const std::uint8_t b : bytes) {
        bits = (bits << 8) | b;
        held += 8;
        while (held >= 6) {
            held -= 6;
            d[n++] = Base64Url[(bits >> held) & 63];
        }
    }
    d[n++] = Base64Url[(bits << (6 - held)) & 63];
    return out;
}

std::optional<PackedNumber> packNumber(const PhoneNumber &number)
{
    const QString e164 = number.e164();
    if (e164.size() < 2 || e164.size() > 16 || e164.front() != u'+')
        return std::nullopt;
    PackedNumber p;
    for (qsizetype i = 1; i < e164.size(); ++i) {
        const char16_t c = e164.at(i).unicode();
        if (c < u'0' || c > u'9')
            return std::nullopt;
        p.digits = p.digits * 10 + (c - u'0');
    }
    p.count = std::uint8_t(e164.size() - 1);
    const QString international = number.international();
    int gap = -1; // the gap after digit gap + 1 (of the E.164 digits)
    for (qsizetype i = 1; i < international.size(); ++i) {
        const char16_t c = international.at(i).unicode();
        if (c >= u'0' && c <= u'9') {
            ++gap;
            continue;
        }
        std::uint32_t code = 0;
        while (code < 3 && Separators[code] != c)
            ++code;
        if (code == 0 || code == 3 || gap < 0 || gap >= 15)
            return std::nullopt;
        p.separators |= code << (2 * gap);
    }
    const QString region = number.region();
    if (region.size() == 2 && region.at(0).unicode() < 0x80 && region.at(1).unicode() < 0x80) {
        p.region[0] = char(region.at(0).unicode());
        p.region[1] = char(region.at(1).unicode());
    } else if (!region.isEmpty()) {
        return std::nullopt;
    }
    if (number.callingCode() < 0 || number.callingCode() > 0xffff)
        return std::nullopt;
    p.callingCode = std::uint16_t(number.callingCode());
    // Whatever the shape, the packed form must give the number back exactly.
    const PhoneNumber back = unpackNumber(p);
    if (back.e164() != e164 || back.international() != international || back.region() != region)
        return std::nullopt;
    return p;
}

PhoneNumber unpackNumber(const PackedNumber &p)
{
    // Written into arrays and made into strings once: QString::append(QChar) per character
    // cost more than the rest of a verification's unpacking.
    char16_t e164[16];
    char16_t international[31];
    e164[0] = international[0] = u'+';
    std::uint64_t rest = p.digits;
    for (int i = p.count; i >= 1; --i) {
        e164[i] = char16_t(u'0' + rest % 10);
        rest /= 10;
    }
    qsizetype n = 1;
    for (int i = 0; i < p.count; ++i) {
        international[n++] = e164[1 + i];
        if (const std::uint32_t code = (p.separators >> (2 * i)) & 3; code != 0 && code < 3)
            international[n++] = Separators[code];
    }
    const QString region = p.region[0] ? QString::fromLatin1(p.region, 2) : QString();
    return PhoneNumber::fromParsedParts(QString(reinterpret_cast<const QChar *>(e164), 1 + p.count),
                                        QString(reinterpret_cast<const QChar *>(international), n),
                                        region, p.callingCode);
}

std::optional<PackedSid> packSid(const QString &sid)
{
    if (sid.size() != 34)
        return std::nullopt;
    PackedSid p;
    if (sid.startsWith(QLatin1String("SM")))
        p.prefix = 1;
    else if (sid.startsWith(QLatin1String("MM")))
        p.prefix = 2;
    else
        return std::nullopt;
    for (int i = 0; i < 16; ++i) {
        const int high = hexValue(sid.at(2 + 2 * i));
        const int low = hexValue(sid.at(3 + 2 * i));
        if (high < 0 || low < 0)
            return std::nullopt;
        p.bytes[std::size_t(i)] = std::uint8_t(high << 4 | low);
    }
    return p;
}

QString unpackSid(const PackedSid &p)
{
    QString out(34, Qt::Uninitialized);
    QChar *d = out.data();
    d[0] = QLatin1Char(p.prefix == 2 ? 'M' : 'S');
    d[1] = QLatin1Char('M');
    for (std::size_t i = 0; i < p.bytes.size(); ++i) {
        d[2 + 2 * i] = QLatin1Char(Hex[p.bytes[i] >> 4]);
        d[3 + 2 * i] = QLatin1Char(Hex[p.bytes[i] & 15]);
    }
    return out;
}

RecordIndex::RecordIndex() = default;
RecordIndex::~RecordIndex() = default;

std::size_t RecordIndex::slotOf(std::uint32_t hash, std::uint32_t record) const
{
    if (m_size == 0)
        return std::size_t(-1);
    const std::uint64_t wanted = std::uint64_t(hash) << 32 | record;
    for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
        if (m_slots[i] == wanted)
            return i;
        if (m_slots[i] == Empty)
            return std::size_t(-1);
    }
}

void RecordIndex::insert(std::uint32_t hash, std::uint32_t record)
{
    if ((m_size + 1) * 8 > capacity() * 7)
        rehash(capacity() ? capacity() * 2 : MinCapacity);
    std::size_t i = hash & m_mask;
    while (m_slots[i] != Empty)
        i = (i + 1) & m_mask;
    m_slots[i] = std::uint64_t(hash) << 32 | record;
    ++m_size;
}

bool RecordIndex::erase(std::uint32_t hash, std::uint32_t record)
{
    std::size_t hole = slotOf(hash, record);
    if (hole == std::size_t(-1))
        return false;
    // Move back each later slot of the run whose home is not between the hole and it, so that
    // no probe meets an empty slot before what it looks for.
    for (std::size_t j = (hole + 1) & m_mask; m_slots[j] != Empty; j = (j + 1) & m_mask) {
        const std::size_t home = std::uint32_t(m_slots[j] >> 32) & m_mask;
        const bool homeInRun = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (homeInRun)
            continue;
        m_slots[hole] = m_slots[j];
        hole = j;
    }
    m_slots[hole] = Empty;
    --m_size;
    return true;
}

bool RecordIndex::replace(std::uint32_t hash, std::uint32_t from, std::uint32_t to)
{
    const std::size_t i = slotOf(hash, from);
    if (i == std::size_t(-1))
        return false;
    m_slots[i] = std::uint64_t(hash) << 32 | to;
    return true;
}

void RecordIndex::shrink()
{
    if (m_size == 0) {
        m_slots.reset();
        m_mask = 0;
        return;
    }
    std::size_t needed = MinCapacity;
    while (m_size * 8 > needed * 7)
        needed *= 2;
    if (needed * 4 <= capacity())
        rehash(needed);
}

void RecordIndex::rehash(std::size_t capacity)
{
    auto slots = std::make_unique_for_overwrite<std::uint64_t[]>(capacity);
    std::memset(slots.get(), 0xff, capacity * sizeof(std::uint64_t));
    const std::size_t mask = capacity - 1;
    for (std::size_t from = 0; from < this->capacity(); ++from) {
        const std::uint64_t slot = m_slots[from];
        if (slot == Empty)
            continue;
        std::size_t to = std::uint32_t(slot >> 32) & mask;
        while (slots[to] != Empty)
            to = (to + 1) & mask;
        slots[to] = slot;
    }
    m_slots = std::move(slots);
    m_mask = mask;
}

} // namespace waotp::server::compact
