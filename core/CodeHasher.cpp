#include "CodeHasher.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <algorithm>

namespace waotp {

CodeHasher::CodeHasher()
    : m_key(32, Qt::Uninitialized)
{
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(m_key.data()),
                                          m_key.size() / qsizetype(sizeof(quint32)));
}

CodeHasher::CodeHasher(QByteArray key)
    : m_key(std::move(key))
{
}

Digest CodeHasher::mac(QByteArrayView domain, QByteArrayView a, QByteArrayView b) const
{
    QMessageAuthenticationCode hmac(QCryptographicHash::Sha256, m_key);
    hmac.addData(domain.data(), domain.size());
    hmac.addData("\0", 1);
    hmac.addData(a.data(), a.size());
    hmac.addData(b.data(), b.size());
    const QByteArray r = hmac.result();
    Digest out;
    std::copy_n(reinterpret_cast<const std::uint8_t *>(r.constData()), out.size(), out.begin());
    return out;
}

Digest CodeHasher::subjectKey(QStringView e164) const
{
    return mac("waotp-subject", e164.toUtf8(), {});
}

Digest CodeHasher::codeMac(const Digest &subject, QStringView code) const
{
    return mac("waotp-code",
               QByteArrayView(reinterpret_cast<const char *>(subject.data()), qsizetype(subject.size())),
               code.toUtf8());
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
