#include "engine/CodeHasher.h"

#include <QRandomGenerator>

#include <nettle/hmac.h>

#include <string.h> // explicit_bzero

namespace waotp {

namespace {

// The UTF-8 bytes of a short text without a heap allocation: numbers and codes are ASCII.
class Utf8
{
public:
    explicit Utf8(QStringView text)
    {
        if (text.size() <= qsizetype(sizeof m_buffer)) {
            bool ascii = true;
            for (qsizetype i = 0; i < text.size() && ascii; ++i) {
                const char16_t c = text.at(i).unicode();
                ascii = c < 0x80;
                m_buffer[i] = char(c);
            }
            if (ascii) {
                m_view = QByteArrayView(m_buffer, text.size());
                return;
            }
        }
        m_heap = text.toUtf8();
        m_view = m_heap;
    }
    ~Utf8() { explicit_bzero(m_buffer, sizeof m_buffer); }
    Utf8(const Utf8 &) = delete;
    Utf8 &operator=(const Utf8 &) = delete;

    QByteArrayView view() const { return m_view; }

private:
    char m_buffer[64];
    QByteArray m_heap;
    QByteArrayView m_view;
};

} // namespace

// HMAC-SHA-256 keyed once: nettle's context holds the hash states after the inner (key XOR
// ipad) and outer (key XOR opad) blocks.
struct CodeHasher::Keyed
{
    explicit Keyed(QByteArrayView key)
    {
        hmac_sha256_set_key(&ctx, std::size_t(key.size()),
                            reinterpret_cast<const std::uint8_t *>(key.data()));
    }
    ~Keyed() { explicit_bzero(&ctx, sizeof ctx); }
    Keyed(const Keyed &) = delete;
    Keyed &operator=(const Keyed &) = delete;

    hmac_sha256_ctx ctx;
};

CodeHasher::CodeHasher()
{
    std::array<quint32, 8> key;
    QRandomGenerator::system()->fillRange(key.data(), qsizetype(key.size()));
    m_keyed = std::make_shared<const Keyed>(
        QByteArrayView(reinterpret_cast<const char *>(key.data()), qsizetype(sizeof key)));
    explicit_bzero(key.data(), sizeof key);
}

CodeHasher::CodeHasher(const QByteArray &key) : m_keyed(std::make_shared<const Keyed>(key)) { }

Digest CodeHasher::mac(QByteArrayView domain, QByteArrayView a, QByteArrayView b) const
{
    hmac_sha256_ctx ctx = m_keyed->ctx;
    const auto update = [&ctx](QByteArrayView bytes) {
        hmac_sha256_update(&ctx, std::size_t(bytes.size()),
                           reinterpret_cast<const std::uint8_t *>(bytes.data()));
    };
    update(domain);
    update(QByteArrayView("\0", 1));
    update(a);
    update(b);
    Digest out;
    hmac_sha256_digest(&ctx, out.size(), out.data());
    explicit_bzero(&ctx, sizeof ctx);
    return out;
}

Digest CodeHasher::subjectKey(QStringView e164) const
{
    const Utf8 number(e164);
    return mac("waotp-subject", number.view(), {});
}

Digest CodeHasher::codeMac(const Digest &subject, QStringView code) const
{
    const Utf8 text(code);
    return mac(
        "waotp-code",
        QByteArrayView(reinterpret_cast<const char *>(subject.data()), qsizetype(subject.size())),
        text.view());
}

bool CodeHasher::equal(const Digest &a, const Digest &b)
{
    // Constant time: every byte is looked at, whatever the first difference.
    volatile std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff = diff | std::uint8_t(a[i] ^ b[i]);
    return diff == 0;
}

QByteArray CodeHasher::toHex(const Digest &d)
{
    return QByteArray(reinterpret_cast<const char *>(d.data()), qsizetype(d.size())).toHex();
}

} // namespace waotp
