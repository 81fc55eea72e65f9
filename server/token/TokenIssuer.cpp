#include "server/token/TokenIssuer.h"

#include "server/token/RandomId.h"
#include "server/token/SigningKeys.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <jwt.h>

#include <cstdlib>
#include <memory>

Q_LOGGING_CATEGORY(lcServerToken, "waotp.server.token", QtInfoMsg)

namespace waotp::server {

namespace {

struct JwtDeleter
{
    void operator()(jwt_t *j) const { jwt_free(j); }
};
struct StringDeleter
{
    void operator()(char *s) const { std::free(s); }
};

} // namespace

TokenIssuer::TokenIssuer(const SigningKeys &keys, TokenSettings settings, WallClock wallClock)
    : m_keys(keys), m_settings(std::move(settings)),
      m_wallClock(wallClock ? std::move(wallClock) : WallClock(&QDateTime::currentSecsSinceEpoch))
{ }

IssuedToken TokenIssuer::issue(const TokenClaims &claims) const
{
    jwt_t *raw = nullptr;
    if (jwt_new(&raw) != 0)
        return {};
    std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);

    const SigningKey &key = m_keys.current();
    const qint64 now = m_wallClock();
    IssuedToken out;
    out.id = randomId();
    out.expiresAt = now + m_settings.lifetime.count();

    const auto text = [&](const char *name, const QString &value) {
        return jwt_add_grant(jwt.get(), name, value.toUtf8().constData()) == 0;
    };
    bool ok = jwt_add_header(jwt.get(), "kid", key.kid.constData()) == 0
        && text("iss", m_settings.issuer) && text("aud", m_settings.audience)
        && text("sub", claims.subject) && text("phone_number", claims.phoneNumber)
        && jwt_add_grant_bool(jwt.get(), "phone_number_verified", 1) == 0
        && jwt_add_grants_json(jwt.get(), R"({"amr":["otp"]})") == 0
        && text("channel", claims.channel) && text("account", claims.account)
        && jwt_add_grant_int(jwt.get(), "auth_time", long(now)) == 0
        && jwt_add_grant_int(jwt.get(), "iat", long(now)) == 0
        && jwt_add_grant_int(jwt.get(), "exp", long(out.expiresAt)) == 0
        && jwt_add_grant(jwt.get(), "jti", out.id.constData()) == 0;
    if (ok && !claims.nonce.isEmpty())
        ok = text("nonce", claims.nonce);
    if (ok && m_settings.demo)
        ok = jwt_add_grant_bool(jwt.get(), "demo", 1) == 0;
    ok = ok
        && jwt_set_alg(jwt.get(), JWT_ALG_ES256,
                       reinterpret_cast<const unsigned char *>(key.privatePem.constData()),
                       int(key.privatePem.size()))
            == 0;
    std::unique_ptr<char, StringDeleter> encoded(ok ? jwt_encode_str(jwt.get()) : nullptr);
    if (!encoded) {
        qCWarning(lcServerToken) << "cannot sign a token with the key" << key.kid;
        return {};
    }
    out.token = QByteArray(encoded.get());
    return out;
}

} // namespace waotp::server
