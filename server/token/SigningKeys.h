#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

struct evp_pkey_st; // OpenSSL's EVP_PKEY

namespace waotp::server {

/// One ES256 (ECDSA on P-256) signing key.
struct SigningKey
{
    QByteArray kid; ///< the RFC 7638 thumbprint of the public key, base64url
    QByteArray privatePem; ///< PKCS #8 PEM, as in its file
    /// The key as OpenSSL uses it, decoded once (decoding a PEM key costs about a millisecond
    /// with OpenSSL 3, signing with it some microseconds).
    std::shared_ptr<evp_pkey_st> privateKey;
    QByteArray x; ///< the public point, base64url, 32 bytes each
    QByteArray y;
    QString path; ///< the file it was read from
    int sequence = 0; ///< the number of its file name ("0002.pem": 2)
    /// When it starts signing, seconds since the epoch (its file's "Signs-From:" line); 0 for a
    /// key that signs from the start (the first one).
    qint64 signsFrom = 0;
    /// Which file it was read from (device, inode, modification time): a file of the same name
    /// that is another one is read again.
    QByteArray fileIdentity;

    /// The public key as a JWK: kty, crv, x, y, kid, alg ES256, use sig.
    QJsonObject publicJwk() const;
};

/// The signing keys of a key directory (signing_key_dir), and their rotation. The directory is
/// private (0700) and each key is a PKCS #8 PEM file readable by its owner only (0600), named by
/// its sequence number ("0001.pem").
///
/// Rotation (`waotp-server --rotate-key`, rotate()) adds a key that is published at once but
/// signs only from the time written in its file, before the PEM block (RFC 7468 allows text
/// there; OpenSSL skips it): "Signs-From: <seconds since the epoch>", ActivationDelay after it
/// was written. By then every JWKS a platform cached before the key appeared has expired. The
/// key that signs is the one whose time has come most recently. A key that no longer signs
/// stays published until every token it signed has expired (MaxTokenLifetime after its
/// successor started signing) and is deleted by the next rotation after that.
///
/// Several instances may share the directory: every file is written to a temporary name and
/// hard-linked to its final name, which fails if another process took that name first (the
/// first key: everyone then reads the winner's; a rotation: it takes the next number).
/// Instances see each other's rotations through reload(), which the server runs when the
/// directory changes and every RescanInterval.
class SigningKeys
{
public:
    /// Seconds since the epoch (injectable for tests).
    using WallClock = std::function<qint64()>;

    /// How long a platform may cache the JWKS (its Cache-Control: max-age).
    static constexpr std::chrono::seconds JwksMaxAge {600};
    /// How often a running server looks at the directory without being told it changed.
    static constexpr std::chrono::seconds RescanInterval {10};
    /// A new key signs this long after it was written: the JWKS cache time, plus the time a
    /// server may take to notice the key, plus a minute for clocks that differ between hosts.
    static constexpr std::chrono::seconds ActivationDelay =
        JwksMaxAge + RescanInterval + std::chrono::seconds(60);
    /// The longest token lifetime (token_lifetime): how long a retired key stays published.
    static constexpr std::chrono::seconds MaxTokenLifetime {3600};

    /// Opens @p dir, creating it (0700) and its first key if needed. Refuses a directory or a
    /// key that others may read, a key that is not P-256, or a file that does not parse.
    /// Returns nullptr and a sentence in @p error on failure.
    static std::unique_ptr<SigningKeys> open(const QString &dir, QString *error,
                                             WallClock wallClock = {});
    /// What open() would refuse in @p dir, found without creating or changing anything (a
    /// check of the settings): an error sentence, or an empty string.
    static QString directoryProblem(const QString &dir);

    /// The key that signs new tokens now.
    const SigningKey &current() const;
    /// The keys published now (what the JWKS lists): all but the retired ones.
    QList<SigningKey> published() const;
    /// Every key of the directory, in the order they sign.
    const QList<SigningKey> &keys() const { return m_keys; }
    /// {"keys": [...]}: the JWK Set of GET /.well-known/jwks.json.
    QJsonObject jwks() const;
    QString directory() const { return m_dir; }
    /// When @p key stops being published, seconds since the epoch; std::nullopt while no later
    /// key has a signing time.
    std::optional<qint64> retiresAt(const SigningKey &key) const;

    /// Reads the directory again: keys added or removed by another process. On an error (a key
    /// that cannot be used) the keys stay as they were, and false and why in @p error.
    bool reload(QString *error);

    /// What rotate() did.
    struct Rotation
    {
        SigningKey added; ///< published now, signs from added.signsFrom
        QStringList removed; ///< the files of retired keys it deleted
    };
    /// Adds a new key that signs ActivationDelay from now, and deletes the files of keys that
    /// have retired. std::nullopt and why in @p error if the key could not be written.
    std::optional<Rotation> rotate(QString *error);

    /// Seconds since the epoch, on the clock the keys are chosen by.
    qint64 now() const { return m_wallClock(); }

private:
    SigningKeys() = default;

    QString m_dir;
    WallClock m_wallClock;
    QList<SigningKey> m_keys; // by signsFrom, then sequence
};

/// Reads a PEM private key; an ES256 key or an error sentence. Exposed for the tests.
std::unique_ptr<SigningKey> readSigningKey(const QByteArray &pem, QString *error);
/// A new P-256 key as PKCS #8 PEM.
QByteArray generateSigningKeyPem();

} // namespace waotp::server
