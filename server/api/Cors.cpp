#include "server/api/Cors.h"

#include <QUrl>

namespace waotp::server {

namespace {
// What a page may send besides the CORS-safelisted headers, and read besides the safelisted
// answer headers.
constexpr QByteArrayView AllowedRequestHeaders = "Content-Type, X-Request-Id";
constexpr QByteArrayView ExposedHeaders = "Retry-After, X-Request-Id";
// How long a browser may reuse a preflight's answer.
constexpr QByteArrayView PreflightMaxAge = "600";
} // namespace

std::optional<QByteArray> normalizedOrigin(QStringView text)
{
    const QString t = text.trimmed().toString();
    const QUrl url(t, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http")
        || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment()
        || !(url.path().isEmpty() || url.path() == u"/") || t.contains(u'*'))
        return std::nullopt;
    QByteArray origin = url.scheme().toLatin1() + "://" + url.host(QUrl::FullyEncoded).toLatin1();
    const int defaultPort = url.scheme() == u"https" ? 443 : 80;
    if (url.port() != -1 && url.port() != defaultPort)
        origin += ':' + QByteArray::number(url.port());
    return origin.toLower();
}

CorsPolicy::CorsPolicy(QList<QByteArray> allowedOrigins) : m_allowed(std::move(allowedOrigins)) { }

bool CorsPolicy::allows(QByteArrayView origin, Endpoint endpoint) const
{
    if (origin.isEmpty() || m_allowed.isEmpty() || !isBrowserEndpoint(endpoint))
        return false;
    for (const QByteArray &allowed : m_allowed) {
        if (allowed.compare(origin, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

void CorsPolicy::addHeaders(HttpResponse &response, QByteArrayView origin)
{
    response.headers.emplaceBack("Access-Control-Allow-Origin", origin.toByteArray());
    response.headers.emplaceBack("Access-Control-Expose-Headers", ExposedHeaders.toByteArray());
    response.headers.emplaceBack("Vary", "Origin");
}

std::optional<HttpResponse> CorsPolicy::preflight(QByteArrayView origin, const Route &route,
                                                  QByteArrayView requestedMethod)
{
    bool takes = false;
    const QList<QByteArray> methods = route.allow.split(',');
    for (const QByteArray &m : methods)
        takes = takes || m.trimmed() == requestedMethod;
    if (!takes)
        return std::nullopt;
    HttpResponse r;
    r.status = 204;
    r.headers.emplaceBack("Access-Control-Allow-Origin", origin.toByteArray());
    r.headers.emplaceBack("Access-Control-Allow-Methods", route.allow);
    r.headers.emplaceBack("Access-Control-Allow-Headers", AllowedRequestHeaders.toByteArray());
    r.headers.emplaceBack("Access-Control-Max-Age", PreflightMaxAge.toByteArray());
    r.headers.emplaceBack("Vary", "Origin");
    return r;
}

} // namespace waotp::server
