#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace waotp::server {

/// One ES256 (ECDSA on P-256) signing key.
struct SigningKey
{
    QByteArray kid; ///< the RFC 7638 thumbprint of the public key, base64url
    QByteArray privatePem; ///< PKCS #8 PEM, for the JWT library
    QByteArray x; ///< the public point, base64url, 32 bytes each
    QByteArray y;
    QString path; ///< the file it was read from

    /// The public key as a JWK: kty, crv, x, y, kid, alg ES256, use sig.
    QJsonObject publicJwk() const;
};

/// The signing keys of a key directory (signing_key_dir). The directory is private (0700) and
/// each key is a PKCS #8 PEM file readable by its owner only (0600), named by its sequence
/// number ("0001.pem"); the highest number signs.
///
/// The first key is created when the directory has none, atomically: it is written to a
/// temporary file and hard-linked to "0001.pem", which fails if another process got there
/// first; then everyone reads the winner's. So instances that share the directory and start
/// together end with one key.
class SigningKeys
{
public:
    /// Opens @p dir, creating it (0700) and its first key if needed. Refuses a directory or a
    /// key that others may read, a key that is not P-256, or a file that does not parse.
    /// Returns nullptr and a sentence in @p error on failure.
    static std::unique_ptr<SigningKeys> open(const QString &dir, QString *error);

    /// The key that signs new tokens.
    const SigningKey &current() const { return m_keys.last(); }
    /// Every published key (what the JWKS lists).
    const QList<SigningKey> &keys() const { return m_keys; }
    /// {"keys": [...]}: the JWK Set of GET /.well-known/jwks.json.
    QJsonObject jwks() const;
    QString directory() const { return m_dir; }

private:
    SigningKeys() = default;
    QString m_dir;
    QList<SigningKey> m_keys; // by sequence number
};

/// Reads a PEM private key; an ES256 key or an error sentence. Exposed for the tests.
std::unique_ptr<SigningKey> readSigningKey(const QByteArray &pem, QString *error);
/// A new P-256 key as PKCS #8 PEM.
QByteArray generateSigningKeyPem();

} // namespace waotp::server
