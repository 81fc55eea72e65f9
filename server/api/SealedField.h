#pragma once

#include <QByteArray>

#include <optional>
#include <utility>

namespace waotp::server {

/// Seals a value kept in a shared store (a verification's phone number in Redis) so that the
/// store holds it only encrypted: AES-256-GCM under a key derived from the store secret every
/// instance shares, a fresh random 96-bit nonce for each seal, and the record's name (e.g. the
/// verification id) as associated data, so that a sealed value moved to another record does not
/// open there. What the store keeps is base64 of nonce, ciphertext and tag.
class SealedField
{
public:
    /// The key is HMAC-SHA256(@p secret, "waotp sealed field v1"): one fixed label, one block,
    /// as HKDF-Expand gives it for a uniformly random secret.
    explicit SealedField(const QByteArray &secret);

    /// @p plain sealed for record @p context; empty if the random source or the cipher failed.
    QByteArray seal(const QByteArray &plain, const QByteArray &context) const;
    /// The value sealed for @p context, or std::nullopt if @p sealed is not one (wrong key,
    /// another record's, altered, or not sealed at all).
    std::optional<QByteArray> open(const QByteArray &sealed, const QByteArray &context) const;

    /// One send of verification @p id, named by its 16-byte send @p tag, sealed for a
    /// StatusCallback URL (a purpose of its own): empty if @p tag has another size.
    QByteArray sealSend(const QByteArray &id, const QByteArray &tag) const;
    /// The verification id and send tag that sealSend() sealed in @p ref, or std::nullopt
    /// (not one, or longer than any sealSend() makes).
    std::optional<std::pair<QByteArray, QByteArray>> openSend(const QByteArray &ref) const;

private:
    QByteArray m_key;
};

} // namespace waotp::server
