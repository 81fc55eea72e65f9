#include "engine/ServerUrl.h"

#include <algorithm>

namespace waotp {

namespace {

// 127.0.0.0/8 as QUrl writes an IPv4 address it has read: four decimal numbers without leading
// zeros (it turns 127.1 or 0x7f.0.0.1 into 127.0.0.1). A name that only looks like one
// (127.0.0.1.example) has five parts and is refused.
bool isLoopbackIpv4Literal(QStringView host)
{
    const auto parts = host.split(u'.');
    if (parts.size() != 4 || parts.first() != u"127")
        return false;
    return std::all_of(parts.begin(), parts.end(), [](QStringView part) {
        const bool digits =
            std::all_of(part.begin(), part.end(), [](QChar c) { return c.isDigit(); });
        return digits && !part.isEmpty() && part.size() <= 3 && part.toUInt() <= 255
            && !(part.size() > 1 && part.front() == u'0');
    });
}

bool refuse(QString *why, const QString &reason)
{
    if (why)
        *why = reason;
    return false;
}

} // namespace

bool isAllowedServerUrl(const QUrl &url, QString *why)
{
    if (!url.isValid() || url.host().isEmpty())
        return refuse(why, QStringLiteral("not a URL with a host, like https://auth.example.com"));
    if (!url.userInfo().isEmpty())
        return refuse(why, QStringLiteral("credentials do not belong in the URL"));
    if (url.hasQuery() || url.hasFragment())
        return refuse(why, QStringLiteral("the server's URL has no query or fragment"));
    const QString scheme = url.scheme().toLower();
    if (scheme == u"https")
        return true;
    if (scheme != u"http")
        return refuse(why, QStringLiteral("the scheme must be https"));
    const QString host = url.host();
    if (host == u"::1" || isLoopbackIpv4Literal(host))
        return true;
    return refuse(why,
                  QStringLiteral("plain http is allowed only to a loopback address written as "
                                 "one (127.0.0.1 or [::1]); use https"));
}

QUrl serverEndpoint(const QUrl &base, QStringView path)
{
    QUrl url = base;
    QString prefix = base.path();
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    url.setPath(prefix + path);
    return url;
}

} // namespace waotp
