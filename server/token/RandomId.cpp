#include "server/token/RandomId.h"

#include <QRandomGenerator>

#include <vector>

namespace waotp::server {

QByteArray base64Url(QByteArrayView data)
{
    return data.toByteArray().toBase64(QByteArray::Base64UrlEncoding
                                       | QByteArray::OmitTrailingEquals);
}

QByteArray randomId(int bytes)
{
    std::vector<quint32> words(std::size_t((bytes + 3) / 4));
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    return base64Url(
        QByteArrayView(reinterpret_cast<const char *>(words.data()), qsizetype(bytes)));
}

} // namespace waotp::server
