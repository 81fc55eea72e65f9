#pragma once

#include "server/JobThread.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace waotp::server {

class SigningKeys;
struct SigningKey;

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

/// Signs phone tokens: JWTs (RFC 7519) signed ES256 by OpenSSL with the key decoded once (and
/// its signing context set up once per key: every signature still draws its own random nonce),
/// the current key's "kid" in the header, and
/// the claims iss, aud, sub, phone_number, phone_number_verified (OIDC Core 5.1), amr ["otp"],
/// channel, account, auth_time, iat, exp, jti, nonce (when given) and, from a demo server,
/// demo: true.
class TokenIssuer
{
public:
    /// Seconds since the epoch (injectable for tests).
    using WallClock = std::function<qint64()>;

    TokenIssuer(const SigningKeys &keys, TokenSettings settings, WallClock wallClock = {});
    ~TokenIssuer();
    TokenIssuer(const TokenIssuer &) = delete;
    TokenIssuer &operator=(const TokenIssuer &) = delete;

    /// Signs @p claims now. An empty token if signing failed (logged). From one thread at a
    /// time (the signing context is reused).
    IssuedToken issue(const TokenClaims &claims) const;
    /// The same token, signed on the issuer's signing thread, so that the event loop goes on
    /// meanwhile (the signature is most of a token's cost): @p done gets it later, from the
    /// event loop of the thread that called (the issuer's), unless @p context is gone by then.
    /// Tokens are handed over in the order they were asked for. From the issuer's thread only.
    void issueLater(const TokenClaims &claims, QObject *context,
                    std::function<void(const IssuedToken &)> done) const;
    const TokenSettings &settings() const { return m_settings; }
    /// Sets "iss" (once the listening port is known).
    void setIssuer(const QString &issuer) { m_settings.issuer = issuer; }

    /// The payload's JSON for @p claims at @p now: the same text as QJsonDocument's compact
    /// form of those members (sorted by name), built without a QJsonObject. For tests.
    static QByteArray payloadJson(const TokenSettings &settings, const TokenClaims &claims,
                                  qint64 now, qint64 expiresAt, QByteArrayView id);

private:
    struct Signer;

    // The token but its signature: the signing input (header.payload) in out->token; the key
    // its header names in @p used.
    bool prepare(const TokenClaims &claims, IssuedToken *out, SigningKey *used = nullptr) const;

    const SigningKeys &m_keys;
    TokenSettings m_settings;
    WallClock m_wallClock;
    mutable std::unique_ptr<Signer> m_signer; // for the current key; replaced with the key
    // issueLater()'s callbacks, by job: they never leave this thread.
    mutable JobAnswers<const QByteArray &> m_waiting;
    mutable std::unique_ptr<Signer> m_threadSigner; // the signing thread's
    mutable std::unique_ptr<JobThread> m_thread; // started by the first issueLater(); stops first
};

} // namespace waotp::server
