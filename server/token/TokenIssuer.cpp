#include "server/token/TokenIssuer.h"

#include "server/token/RandomId.h"
#include "server/token/SigningKeys.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <memory>

Q_LOGGING_CATEGORY(lcServerToken, "waotp.server.token", QtInfoMsg)

namespace waotp::server {

namespace {

struct MdCtxDeleter
{
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};
struct SigDeleter
{
    void operator()(ECDSA_SIG *s) const { ECDSA_SIG_free(s); }
};

QByteArray segment(const QJsonObject &o)
{
    return base64Url(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// The JWS signature of @p input (RFC 7518 3.4): ECDSA P-256 over SHA-256 by OpenSSL, its two
// numbers as 32 bytes each, base64url. Empty on failure.
QByteArray es256(EVP_PKEY *key, const QByteArray &input)
{
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    std::size_t size = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1
        || EVP_DigestSign(ctx.get(), nullptr, &size,
                          reinterpret_cast<const unsigned char *>(input.constData()),
                          std::size_t(input.size()))
            != 1)
        return {};
    QByteArray der(qsizetype(size), '\0');
    auto *derData = reinterpret_cast<unsigned char *>(der.data());
    if (EVP_DigestSign(ctx.get(), derData, &size,
                       reinterpret_cast<const unsigned char *>(input.constData()),
                       std::size_t(input.size()))
        != 1)
        return {};
    const unsigned char *p = derData;
    std::unique_ptr<ECDSA_SIG, SigDeleter> sig(d2i_ECDSA_SIG(nullptr, &p, long(size)));
    if (!sig)
        return {};
    QByteArray raw(64, '\0');
    auto *rawData = reinterpret_cast<unsigned char *>(raw.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), rawData, 32) != 32
        || BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), rawData + 32, 32) != 32)
        return {};
    return base64Url(raw);
}

} // namespace

TokenIssuer::TokenIssuer(const SigningKeys &keys, TokenSettings settings, WallClock wallClock)
    : m_keys(keys), m_settings(std::move(settings)),
      m_wallClock(wallClock ? std::move(wallClock) : WallClock(&QDateTime::currentSecsSinceEpoch))
{ }

IssuedToken TokenIssuer::issue(const TokenClaims &claims) const
{
    const SigningKey &key = m_keys.current();
    const qint64 now = m_wallClock();
    IssuedToken out;
    out.id = randomId();
    out.expiresAt = now + m_settings.lifetime.count();

    const QJsonObject header {
        {QStringLiteral("alg"), QStringLiteral("ES256")},
        {QStringLiteral("kid"), QString::fromLatin1(key.kid)},
        {QStringLiteral("typ"), QStringLiteral("JWT")},
    };
    QJsonObject payload {
        {QStringLiteral("iss"), m_settings.issuer},
        {QStringLiteral("aud"), m_settings.audience},
        {QStringLiteral("sub"), claims.subject},
        {QStringLiteral("phone_number"), claims.phoneNumber},
        {QStringLiteral("phone_number_verified"), true},
        {QStringLiteral("amr"), QJsonArray {QStringLiteral("otp")}},
        {QStringLiteral("channel"), claims.channel},
        {QStringLiteral("account"), claims.account},
        {QStringLiteral("auth_time"), now},
        {QStringLiteral("iat"), now},
        {QStringLiteral("exp"), out.expiresAt},
        {QStringLiteral("jti"), QString::fromLatin1(out.id)},
    };
    if (!claims.nonce.isEmpty())
        payload.insert(QStringLiteral("nonce"), claims.nonce);
    if (m_settings.demo)
        payload.insert(QStringLiteral("demo"), true);

    const QByteArray input = segment(header) + '.' + segment(payload);
    const QByteArray signature = key.privateKey ? es256(key.privateKey.get(), input) : QByteArray();
    if (signature.isEmpty()) {
        qCWarning(lcServerToken) << "cannot sign a token with the key" << key.kid;
        return {};
    }
    out.token = input + '.' + signature;
    return out;
}

} // namespace waotp::server
