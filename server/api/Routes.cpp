#include "server/api/Routes.h"

#include <QList>

namespace waotp::server {

namespace {

bool isIdChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_';
}

bool isId(QByteArrayView s)
{
    if (s.isEmpty() || s.size() > 64)
        return false;
    for (char c : s) {
        if (!isIdChar(c))
            return false;
    }
    return true;
}

Route route(Endpoint endpoint, QByteArrayView method, QByteArray allow, QByteArray id = {})
{
    Route r;
    r.endpoint = endpoint;
    r.id = std::move(id);
    const QList<QByteArray> methods = allow.split(',');
    for (const QByteArray &m : methods) {
        if (m.trimmed() == method)
            r.methodAllowed = true;
    }
    r.allow = std::move(allow);
    return r;
}

} // namespace

Route matchRoute(QByteArrayView method, QByteArrayView path)
{
    if (path == "/healthz")
        return route(Endpoint::Health, method, "GET, HEAD");
    if (path == "/readyz")
        return route(Endpoint::Ready, method, "GET, HEAD");
    if (path == "/.well-known/jwks.json")
        return route(Endpoint::Jwks, method, "GET, HEAD");
    if (path == "/metrics")
        return route(Endpoint::Metrics, method, "GET, HEAD");
    if (path == "/v1/twilio/status")
        return route(Endpoint::TwilioStatus, method, "POST");

    constexpr QByteArrayView prefix = "/v1/verifications";
    if (!path.startsWith(prefix))
        return {};
    QByteArrayView rest = path.sliced(prefix.size());
    if (rest.isEmpty())
        return route(Endpoint::Verifications, method, "POST");
    if (!rest.startsWith('/'))
        return {};
    rest = rest.sliced(1);
    const qsizetype slash = rest.indexOf('/');
    const QByteArrayView id = slash < 0 ? rest : rest.first(slash);
    if (!isId(id))
        return {};
    if (slash < 0)
        return route(Endpoint::Verification, method, "GET, HEAD, DELETE", id.toByteArray());
    const QByteArrayView action = rest.sliced(slash + 1);
    if (action == "check")
        return route(Endpoint::Check, method, "POST", id.toByteArray());
    if (action == "resend")
        return route(Endpoint::Resend, method, "POST", id.toByteArray());
    return {};
}

QByteArrayView endpointPattern(Endpoint e)
{
    switch (e) {
    case Endpoint::None:
        return "unmatched"; // one word: it is a log field and a metric label
    case Endpoint::Health:
        return "/healthz";
    case Endpoint::Ready:
        return "/readyz";
    case Endpoint::Jwks:
        return "/.well-known/jwks.json";
    case Endpoint::Verifications:
        return "/v1/verifications";
    case Endpoint::Verification:
        return "/v1/verifications/{id}";
    case Endpoint::Check:
        return "/v1/verifications/{id}/check";
    case Endpoint::Resend:
        return "/v1/verifications/{id}/resend";
    case Endpoint::Metrics:
        return "/metrics";
    case Endpoint::TwilioStatus:
        return "/v1/twilio/status";
    }
    return "?";
}

bool isBrowserEndpoint(Endpoint e)
{
    return e == Endpoint::Verifications || e == Endpoint::Verification || e == Endpoint::Check
        || e == Endpoint::Resend;
}

} // namespace waotp::server
