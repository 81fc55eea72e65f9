#include "engine/TwilioApi.h"

#include "engine/Wipe.h"

#include <QRegularExpression>

#include <algorithm>

namespace waotp {

namespace {

// An IPv4 address in 127.0.0.0/8, written as QUrl writes a host it has read as an address:
// four decimal numbers without leading zeros. Anything else (127.0.0.08, which QUrl cannot read
// as octal and so keeps as a name) is a name that DNS could point anywhere.
bool isLoopbackIpv4(QStringView host)
{
    const auto parts = host.split(u'.');
    if (parts.size() != 4)
        return false;
    for (const QStringView part : parts) {
        const bool digits =
            std::all_of(part.begin(), part.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
        if (part.isEmpty() || part.size() > 3 || !digits || part.toUInt() > 255
            || (part.size() > 1 && part.front() == u'0'))
            return false;
    }
    return parts.first() == u"127";
}

// A literal loopback address: 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. QUrl has already turned
// any spelling of an address (127.1, 0x7f.0.0.1, 2130706433, [0:0::1], [::ffff:7f00:1]) into its
// canonical form, and a name that merely looks like an address (127.0.0.1.example) stays a name.
// "localhost" is a name: what it means is up to the resolver (/etc/hosts, nss), so it is refused.
bool isLoopbackAddress(const QString &host)
{
    if (host == u"::1")
        return true;
    const QStringView view(host);
    constexpr QStringView mapped = u"::ffff:";
    return isLoopbackIpv4(view.startsWith(mapped) ? view.sliced(mapped.size()) : view);
}

// twilio.com itself or a name under it (api.dublin.ie1.twilio.com): labels of letters, digits
// and hyphens. QUrl has lowered the case; a trailing dot, an empty label or any other character
// (an IDN look-alike stays in Unicode) does not match, nor does eviltwilio.com.
bool isTwilioHost(const QString &host)
{
    static const QRegularExpression twilio(
        QStringLiteral("^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)*twilio\\.com$"));
    return twilio.match(host).hasMatch();
}

/// Appends @p text, UTF-8, every byte but A-Z a-z 0-9 - . _ ~ as %XX, to @p out, which has room
/// for it; the UTF-8 copy is overwritten after use (it may hold a code).
void appendPercentEncoded(QByteArray &out, QStringView text)
{
    static constexpr char Hex[] = "0123456789ABCDEF";
    QByteArray utf8 = text.toUtf8();
    for (const char byte : std::as_const(utf8)) {
        const auto c = uchar(byte);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
            || c == '.' || c == '_' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += Hex[c >> 4];
            out += Hex[c & 0xf];
        }
    }
    wipe(utf8);
}

} // namespace

QByteArray formEncode(const FormFields &fields)
{
    // Room for the whole body at once (a UTF-16 unit is at most 3 UTF-8 bytes, each at most 3
    // characters encoded): no reallocation leaves a smaller copy of a code behind.
    qsizetype room = 0;
    for (const auto &[name, value] : fields)
        room += 9 * (name.size() + value.size()) + 2;
    QByteArray out;
    out.reserve(room);
    for (const auto &[name, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        appendPercentEncoded(out, name);
        out += '=';
        appendPercentEncoded(out, value);
    }
    return out;
}

bool isAllowedTwilioUrl(const QUrl &url, QString *why)
{
    auto refuse = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (!url.isValid() || url.host().isEmpty())
        return refuse(QStringLiteral("not a valid URL with a host"));
    if (!url.userInfo().isEmpty())
        return refuse(QStringLiteral("credentials do not belong in the URL"));
    if (url.hasQuery() || url.hasFragment())
        return refuse(QStringLiteral("a base URL has no query or fragment"));
    const QString scheme = url.scheme().toLower();
    if (scheme != u"https" && scheme != u"http")
        return refuse(QStringLiteral("the scheme must be https"));
    const QString host = url.host();
    if (isLoopbackAddress(host))
        return true; // tests and local proxies, any port, http or https
    if (!isTwilioHost(host))
        return refuse(QStringLiteral("the host must be twilio.com or a name under it (such as "
                                     "api.dublin.ie1.twilio.com), or a loopback address such "
                                     "as 127.0.0.1 or [::1]"));
    if (scheme != u"https")
        return refuse(QStringLiteral("plain http is allowed only to a loopback address; use "
                                     "https"));
    if (url.port(443) != 443)
        return refuse(QStringLiteral("Twilio's hosts answer on port 443 only"));
    return true;
}

QUrl twilioBaseUrl(const QUrl &override, TwilioService service)
{
    if (!override.isEmpty())
        return override;
    return QUrl(service == TwilioService::Verify ? QStringLiteral("https://verify.twilio.com")
                                                 : QStringLiteral("https://api.twilio.com"));
}

} // namespace waotp
