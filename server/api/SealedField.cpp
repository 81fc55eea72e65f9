#include "server/api/SealedField.h"

#include <QMessageAuthenticationCode>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace waotp::server {

namespace {

constexpr int NonceSize = 12;
constexpr int TagSize = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext()
{
    return {EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free};
}

const unsigned char *bytes(const QByteArray &b)
{
    return reinterpret_cast<const unsigned char *>(b.constData());
}

unsigned char *bytes(QByteArray &b)
{
    return reinterpret_cast<unsigned char *>(b.data());
}

} // namespace

SealedField::SealedField(const QByteArray &secret)
    : m_key(QMessageAuthenticationCode::hash(QByteArrayLiteral("waotp sealed field v1"), secret,
                                             QCryptographicHash::Sha256))
{ }

QByteArray SealedField::seal(const QByteArray &plain, const QByteArray &context) const
{
    QByteArray out(NonceSize + plain.size() + TagSize, Qt::Uninitialized);
    if (RAND_bytes(bytes(out), NonceSize) != 1)
        return {};
    const CipherContext ctx = newContext();
    int len = 0;
    int total = 0;
    if (!ctx
        || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(m_key), bytes(out)) != 1
        || EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(context), int(context.size())) != 1
        || EVP_EncryptUpdate(ctx.get(), bytes(out) + NonceSize, &len, bytes(plain),
                             int(plain.size()))
            != 1)
        return {};
    total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), bytes(out) + NonceSize + total, &len) != 1)
        return {};
    total += len;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, TagSize,
                            bytes(out) + NonceSize + total)
        != 1)
        return {};
    return out.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> SealedField::open(const QByteArray &sealed,
                                            const QByteArray &context) const
{
    const auto decoded = QByteArray::fromBase64Encoding(
        sealed, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() < NonceSize + TagSize)
        return std::nullopt;
    QByteArray in = decoded.decoded;
    const qsizetype cipherSize = in.size() - NonceSize - TagSize;
    QByteArray plain(cipherSize, Qt::Uninitialized);
    const CipherContext ctx = newContext();
    int len = 0;
    if (!ctx
        || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(m_key), bytes(in)) != 1
        || EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(context), int(context.size())) != 1
        || EVP_DecryptUpdate(ctx.get(), bytes(plain), &len, bytes(in) + NonceSize, int(cipherSize))
            != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, TagSize,
                               bytes(in) + NonceSize + cipherSize)
            != 1)
        return std::nullopt;
    int last = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), bytes(plain) + len, &last) != 1)
        return std::nullopt;
    return plain;
}

namespace {

constexpr qsizetype SendTagSize = 16;

} // namespace

QByteArray SealedField::sealSend(const QByteArray &id, const QByteArray &tag) const
{
    if (tag.size() != SendTagSize)
        return {};
    return seal(QByteArray(tag).append(id), QByteArrayLiteral("status"));
}

std::optional<std::pair<QByteArray, QByteArray>> SealedField::openSend(const QByteArray &ref) const
{
    if (ref.size() > 512)
        return std::nullopt;
    const std::optional<QByteArray> plain = open(ref, QByteArrayLiteral("status"));
    if (!plain || plain->size() <= SendTagSize)
        return std::nullopt;
    return std::make_pair(plain->sliced(SendTagSize), plain->first(SendTagSize));
}

} // namespace waotp::server
