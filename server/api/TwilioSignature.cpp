#include "server/api/TwilioSignature.h"

#include <QMessageAuthenticationCode>
#include <QStringDecoder>
#include <QUrl>

#include <openssl/crypto.h>

#include <algorithm>

namespace waotp::server {

namespace {

std::optional<QString> decodeComponent(QByteArrayView raw)
{
    QByteArray bytes = raw.toByteArray();
    bytes.replace('+', ' ');
    bytes = QByteArray::fromPercentEncoding(bytes);
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(bytes);
    if (utf8.hasError())
        return std::nullopt;
    return text;
}

bool equalInConstantTime(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), std::size_t(a.size())) == 0;
}

// The URL as given, and with its default port added or removed.
QStringList urlVariants(const QString &url)
{
    QStringList out {url};
    QUrl u(url);
    const int defaultPort = u.scheme() == u"https" ? 443 : u.scheme() == u"http" ? 80 : -1;
    if (!u.isValid() || defaultPort < 0)
        return out;
    if (u.port() == -1) {
        u.setPort(defaultPort);
        out.append(u.toString(QUrl::FullyEncoded));
    } else if (u.port() == defaultPort) {
        u.setPort(-1);
        out.append(u.toString(QUrl::FullyEncoded));
    }
    return out;
}

} // namespace

std::optional<FormParams> parseForm(QByteArrayView body)
{
    FormParams params;
    if (body.isEmpty())
        return params;
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf('&', start);
        if (end < 0)
            end = body.size();
        const QByteArrayView pair = body.sliced(start, end - start);
        start = end + 1;
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const auto name = decodeComponent(eq < 0 ? pair : pair.first(eq));
        const auto value = decodeComponent(eq < 0 ? QByteArrayView() : pair.sliced(eq + 1));
        if (!name || !value || name->isEmpty())
            return std::nullopt;
        params.append({*name, *value});
    }
    return params;
}

QString formValue(const FormParams &params, QStringView name)
{
    for (const auto &[key, value] : params) {
        if (key == name)
            return value;
    }
    return {};
}

QByteArray twilioSignature(QByteArrayView authToken, const QString &url, FormParams params)
{
    std::sort(params.begin(), params.end());
    QByteArray data = url.toUtf8();
    for (const auto &[name, value] : std::as_const(params))
        data += name.toUtf8() + value.toUtf8();
    return QMessageAuthenticationCode::hash(data, authToken.toByteArray(), QCryptographicHash::Sha1)
        .toBase64();
}

bool isValidTwilioSignature(QByteArrayView signature, QByteArrayView authToken, const QString &url,
                            const FormParams &params)
{
    if (signature.isEmpty() || authToken.isEmpty())
        return false;
    bool valid = false;
    for (const QString &variant : urlVariants(url))
        valid =
            equalInConstantTime(twilioSignature(authToken, variant, params), signature) || valid;
    return valid;
}

} // namespace waotp::server
