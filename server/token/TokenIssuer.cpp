#include "server/token/TokenIssuer.h"

#include "server/JsonWriter.h"
#include "server/token/RandomId.h"
#include "server/token/SigningKeys.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <openssl/evp.h>

#include <array>
#include <cstring>

Q_LOGGING_CATEGORY(lcServerToken, "waotp.server.token", QtInfoMsg)

namespace waotp::server {

namespace {

struct MdDeleter
{
    void operator()(EVP_MD *m) const { EVP_MD_free(m); }
};
struct PkeyCtxDeleter
{
    void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); }
};

constexpr std::size_t DigestBytes = 32; // SHA-256
constexpr std::size_t ScalarBytes = 32; // P-256

// The two numbers of a DER ECDSA-Sig-Value (SEQUENCE { INTEGER r, INTEGER s }, as OpenSSL
// writes it: short lengths, minimal integers) into @p raw as 32 bytes each, big-endian (RFC
// 7518 3.4). False if it is not of that form.
bool derToRaw(const unsigned char *der, std::size_t size, unsigned char *raw)
{
    if (size < 8 || der[0] != 0x30 || der[1] >= 0x80 || std::size_t(der[1]) + 2 != size)
        return false;
    std::size_t at = 2;
    for (int i = 0; i < 2; ++i) {
        if (at + 2 > size || der[at] != 0x02)
            return false;
        std::size_t length = der[at + 1];
        at += 2;
        if (length == 0 || length >= 0x80 || at + length > size || (der[at] & 0x80) != 0)
            return false; // empty, long form or negative
        // A leading zero only keeps a number with its top bit set positive.
        if (der[at] == 0 && length > 1) {
            if ((der[at + 1] & 0x80) == 0)
                return false;
            ++at;
            --length;
        }
        if (length > ScalarBytes)
            return false;
        unsigned char *slot = raw + i * ScalarBytes;
        std::memset(slot, 0, ScalarBytes - length);
        std::memcpy(slot + ScalarBytes - length, der + at, length);
        at += length;
    }
    return at == size;
}

} // namespace

// The key's signing context, made once: OpenSSL 3 fetches the algorithms and sets up the key's
// provider context in EVP_DigestSignInit, which cost more than hashing a token. A context
// initialised for signing signs any number of digests, each with a new random nonce (ECDSA's
// k is drawn inside every EVP_PKEY_sign call).
struct TokenIssuer::Signer
{
    std::shared_ptr<evp_pkey_st> key; // kept alive while its context is
    std::unique_ptr<EVP_MD, MdDeleter> sha256;
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> context;
    QByteArray header; // the protected header's segment, base64url, with the '.' after it

    static std::unique_ptr<Signer> make(const SigningKey &key)
    {
        auto s = std::make_unique<Signer>();
        s->key = key.privateKey;
        s->sha256.reset(EVP_MD_fetch(nullptr, "SHA256", nullptr));
        s->context.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, key.privateKey.get(), nullptr));
        if (!s->sha256 || !s->context || EVP_PKEY_sign_init(s->context.get()) != 1
            || EVP_PKEY_CTX_set_signature_md(s->context.get(), s->sha256.get()) != 1)
            return nullptr;
        // The same text as QJsonDocument's compact form of {alg, kid, typ}; a kid is base64url.
        const QByteArray header = "{\"alg\":\"ES256\",\"kid\":\"" + key.kid + "\",\"typ\":\"JWT\"}";
        s->header = base64Url(header) + '.';
        return s;
    }

    // The JWS signature of @p input (RFC 7518 3.4), base64url; empty on failure.
    QByteArray signature(QByteArrayView input) const
    {
        std::array<unsigned char, DigestBytes> digest {};
        unsigned int digestSize = 0;
        if (EVP_Digest(input.data(), std::size_t(input.size()), digest.data(), &digestSize,
                       sha256.get(), nullptr)
                != 1
            || digestSize != DigestBytes)
            return {};
        std::array<unsigned char, 80> der {}; // at most 72 bytes for P-256
        std::size_t derSize = der.size();
        if (EVP_PKEY_sign(context.get(), der.data(), &derSize, digest.data(), digest.size()) != 1)
            return {};
        std::array<unsigned char, 2 * ScalarBytes> raw {};
        if (!derToRaw(der.data(), derSize, raw.data()))
            return {};
        return base64Url(
            QByteArrayView(reinterpret_cast<const char *>(raw.data()), qsizetype(raw.size())));
    }
};

TokenIssuer::TokenIssuer(const SigningKeys &keys, TokenSettings settings, WallClock wallClock)
    : m_keys(keys), m_settings(std::move(settings)),
      m_wallClock(wallClock ? std::move(wallClock) : WallClock(&QDateTime::currentSecsSinceEpoch))
{ }

TokenIssuer::~TokenIssuer()
{
    m_thread.reset(); // the signature being made ends, the others are dropped with their callbacks
}

QByteArray TokenIssuer::payloadJson(const TokenSettings &settings, const TokenClaims &claims,
                                    qint64 now, qint64 expiresAt, QByteArrayView id)
{
    JsonObjectWriter out(320 + claims.nonce.size() * 3 + settings.issuer.size());
    // Sorted by name, as QJsonObject keeps them.
    out.string("account", claims.account);
    out.raw("amr", "[\"otp\"]");
    out.string("aud", settings.audience);
    out.number("auth_time", now);
    out.string("channel", claims.channel);
    if (settings.demo)
        out.boolean("demo", true);
    out.number("exp", expiresAt);
    out.number("iat", now);
    out.string("iss", settings.issuer);
    out.string("jti", QLatin1StringView(id));
    if (!claims.nonce.isEmpty())
        out.string("nonce", claims.nonce);
    out.string("phone_number", claims.phoneNumber);
    out.boolean("phone_number_verified", true);
    out.string("sub", claims.subject);
    return out.take();
}

bool TokenIssuer::prepare(const TokenClaims &claims, IssuedToken *out, SigningKey *used) const
{
    const SigningKey &key = m_keys.current();
    if (used)
        *used = key;
    if (!m_signer || m_signer->key != key.privateKey)
        m_signer = key.privateKey ? Signer::make(key) : nullptr;
    if (!m_signer)
        return false;
    const qint64 now = m_wallClock();
    out->id = randomId();
    out->expiresAt = now + m_settings.lifetime.count();
    out->token.reserve(1024);
    out->token += m_signer->header;
    out->token += base64Url(payloadJson(m_settings, claims, now, out->expiresAt, out->id));
    return true;
}

IssuedToken TokenIssuer::issue(const TokenClaims &claims) const
{
    IssuedToken out;
    if (prepare(claims, &out)) {
        const QByteArray signature = m_signer->signature(out.token);
        if (!signature.isEmpty()) {
            out.token += '.' + signature;
            return out;
        }
    }
    qCWarning(lcServerToken) << "cannot sign a token with the key" << m_keys.current().kid;
    return {};
}

// The signing thread has a signing context of its own (an EVP_PKEY_CTX is for one thread; the
// key itself may sign from several). A job carries only bytes and the key; the answer comes back
// to the issuer's thread, where the callback waited.
void TokenIssuer::issueLater(const TokenClaims &claims, QObject *context,
                             std::function<void(const IssuedToken &)> done) const
{
    IssuedToken token; // all but the signature
    // The key that signs is the one the header names: the key current at this moment, even if
    // a rotated key starts signing before the signing thread comes to it.
    SigningKey key;
    const bool prepared = prepare(claims, &token, &key);
    const quint64 job = m_waiting.add(
        context,
        [token, kid = key.kid, done = std::move(done)](const QByteArray &signature) mutable {
            if (signature.isEmpty()) {
                qCWarning(lcServerToken) << "cannot sign a token with the key" << kid;
                done({});
                return;
            }
            token.token += '.' + signature;
            done(token);
        });
    if (!m_thread)
        m_thread = std::make_unique<JobThread>("waotp-sign");
    m_thread->post(
        [this, thread = m_thread.get(), job, key = std::move(key), prepared, input = token.token] {
            if (prepared && (!m_threadSigner || m_threadSigner->key != key.privateKey))
                m_threadSigner = Signer::make(key);
            QByteArray signature =
                prepared && m_threadSigner ? m_threadSigner->signature(input) : QByteArray();
            thread->answer([this, job, signature = std::move(signature)] {
                m_waiting.finish(job, signature);
            });
        });
}

} // namespace waotp::server
