#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>
#include <functional>

namespace waotp::server {

class SigningKeys;

/// What a platform learns from a token about one verified sign-in.
struct TokenClaims
{
    QString subject; ///< "sub": the account's stable random id
    QString phoneNumber; ///< "phone_number", E.164
    QString channel; ///< "whatsapp" or "sms"
    QString account; ///< "created" or "existing"
    QString nonce; ///< copied from the request; omitted when empty
};

/// The settings of issued tokens.
struct TokenSettings
{
    QString issuer; ///< "iss": the public URL
    QString audience = QStringLiteral("waotp"); ///< "aud"
    std::chrono::seconds lifetime {300}; ///< exp - iat; at most an hour
    bool demo = false; ///< adds "demo": true, which a platform must refuse
};

/// A signed token, and when it stops being valid.
struct IssuedToken
{
    QByteArray token; ///< compact JWS; empty on failure
    QByteArray id; ///< "jti"
    qint64 expiresAt = 0; ///< "exp", seconds since the epoch
};

/// Signs phone tokens: JWTs (RFC 7519) signed ES256 by OpenSSL with the key decoded once, the
/// current key's "kid" in the header, and
/// the claims iss, aud, sub, phone_number, phone_number_verified (OIDC Core 5.1), amr ["otp"],
/// channel, account, auth_time, iat, exp, jti, nonce (when given) and, from a demo server,
/// demo: true.
class TokenIssuer
{
public:
    /// Seconds since the epoch (injectable for tests).
    using WallClock = std::function<qint64()>;

    TokenIssuer(const SigningKeys &keys, TokenSettings settings, WallClock wallClock = {});

    /// Signs @p claims now. An empty token if signing failed (logged).
    IssuedToken issue(const TokenClaims &claims) const;
    const TokenSettings &settings() const { return m_settings; }
    /// Sets "iss" (once the listening port is known).
    void setIssuer(const QString &issuer) { m_settings.issuer = issuer; }

private:
    const SigningKeys &m_keys;
    TokenSettings m_settings;
    WallClock m_wallClock;
};

} // namespace waotp::server
