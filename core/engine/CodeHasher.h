#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <memory>

namespace waotp {

/// A 32-byte HMAC-SHA-256 value.
using Digest = std::array<std::uint8_t, 32>;

/// Keyed hashing of phone numbers and codes. Stores never see a plain number or code: a number
/// becomes its subject key, a code its MAC bound to that subject.
///
/// The key is taken in once: the HMAC inner and outer hash states are computed from it at
/// construction, and each MAC starts from a copy of them (two SHA-256 blocks per short
/// message, no allocation). Copies of a hasher share those states; a hasher is immutable, so
/// it may be used from several threads.
class CodeHasher
{
public:
    /// A hasher with a fresh 32-byte key from the OS CSPRNG (the per-process key of the
    /// in-memory store).
    CodeHasher();
    /// A hasher with a given key (a shared secret, for a store shared between machines).
    explicit CodeHasher(const QByteArray &key);

    /// HMAC(key, "waotp-subject" NUL e164): identifies a phone number without revealing it.
    Digest subjectKey(QStringView e164) const;
    /// HMAC(key, "waotp-code" NUL subject code).
    Digest codeMac(const Digest &subject, QStringView code) const;

    /// Compares two digests in constant time.
    static bool equal(const Digest &a, const Digest &b);
    static QByteArray toHex(const Digest &d);

private:
    struct Keyed;
    Digest mac(QByteArrayView domain, QByteArrayView a, QByteArrayView b) const;
    std::shared_ptr<const Keyed> m_keyed;
};

} // namespace waotp
