#pragma once

#include "engine/PhoneNumber.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

namespace waotp::server::compact {

/// The 128 bits of a verification id ("base64url of 16 random bytes", 22 characters), or
/// std::nullopt when @p id is not exactly such an encoding (wrong length or alphabet, or a
/// non-canonical last character).
std::optional<std::array<std::uint8_t, 16>> packId(const QByteArray &id);
QByteArray unpackId(const std::array<std::uint8_t, 16> &bytes);

/// A phone number in 24 bytes: its digits as one integer, the separators of its international
/// form (two bits per gap between digits), its region and calling code.
struct PackedNumber
{
    std::uint64_t digits = 0;
    std::uint32_t separators = 0;
    std::uint16_t callingCode = 0;
    char region[2] {};
    std::uint8_t count = 0; ///< digits in the E.164 form (1 to 15)
};
/// @p number packed, or std::nullopt when the packed form would not give it back exactly.
std::optional<PackedNumber> packNumber(const PhoneNumber &number);
PhoneNumber unpackNumber(const PackedNumber &packed);

/// A Twilio message SID ("SM" or "MM" and 32 lowercase hex digits) in 17 bytes.
struct PackedSid
{
    std::array<std::uint8_t, 16> bytes {};
    std::uint8_t prefix = 0; ///< 1: "SM", 2: "MM"
};
/// @p sid packed, or std::nullopt when it is not of that shape.
std::optional<PackedSid> packSid(const QString &sid);
QString unpackSid(const PackedSid &packed);

/// An open-addressing index of record numbers under 32-bit hashes (linear probing, at most
/// 7/8 full, backward-shift deletion: no tombstones). Each slot holds the hash and the record,
/// so probes compare hashes without touching the records. The caller compares the keys.
class RecordIndex
{
public:
    static constexpr std::uint32_t None = 0xffffffffu;

    RecordIndex();
    ~RecordIndex();
    RecordIndex(const RecordIndex &) = delete;
    RecordIndex &operator=(const RecordIndex &) = delete;

    /// The record under @p hash that @p matches accepts, or None.
    template<class Match> std::uint32_t find(std::uint32_t hash, Match matches) const
    {
        if (m_size == 0)
            return None;
        for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            const std::uint64_t slot = m_slots[i];
            if (slot == Empty)
                return None;
            if (std::uint32_t(slot >> 32) == hash && matches(std::uint32_t(slot)))
                return std::uint32_t(slot);
        }
    }
    bool contains(std::uint32_t hash, std::uint32_t record) const
    {
        return slotOf(hash, record) != std::size_t(-1);
    }
    /// Adds @p record under @p hash (the caller knows it is not there yet).
    void insert(std::uint32_t hash, std::uint32_t record);
    /// Removes @p record under @p hash; false if it was not there.
    bool erase(std::uint32_t hash, std::uint32_t record);
    /// Replaces @p from under @p hash by @p to; false if @p from was not there.
    bool replace(std::uint32_t hash, std::uint32_t from, std::uint32_t to);
    /// Gives memory back when the index is far bigger than it needs to be.
    void shrink();

    std::size_t size() const { return m_size; }
    std::size_t capacity() const { return m_mask ? m_mask + 1 : 0; }

private:
    static constexpr std::uint64_t Empty = ~std::uint64_t(0);
    std::size_t slotOf(std::uint32_t hash, std::uint32_t record) const;
    void rehash(std::size_t capacity);

    std::unique_ptr<std::uint64_t[]> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_size = 0;
};

} // namespace waotp::server::compact
