#pragma once

#include "server/api/Routes.h"
#include "server/http/HttpMessage.h"

#include <QByteArray>
#include <QList>
#include <QStringView>

#include <optional>

namespace waotp::server {

/// @p text as a browser writes it in an Origin header: "https://app.example.com", scheme and
/// host in lower case, the port only when it is not the scheme's default; std::nullopt if it is
/// not an http or https origin (a path, a query, user info or a wildcard make it none).
std::optional<QByteArray> normalizedOrigin(QStringView text);

/// Which browser origins may call the API (allowed_origins; none by default). Only the
/// verification endpoints answer browsers; an answer to an allowed origin carries
/// Access-Control-Allow-Origin naming it, and its preflight (OPTIONS) is answered. Any other
/// origin gets no CORS header at all, so the browser keeps the answer from its page.
class CorsPolicy
{
public:
    /// Origins as normalizedOrigin() gives them.
    explicit CorsPolicy(QList<QByteArray> allowedOrigins = {});

    /// True if a page of @p origin (the Origin header, as sent) may call @p endpoint.
    bool allows(QByteArrayView origin, Endpoint endpoint) const;
    /// Adds the headers of an answer to @p origin (which allows() accepted).
    static void addHeaders(HttpResponse &response, QByteArrayView origin);
    /// The answer to a preflight from an allowed @p origin for @p route, asking for
    /// @p requestedMethod (Access-Control-Request-Method); std::nullopt if the route does not
    /// take that method (the request is then answered as any other OPTIONS: 405).
    static std::optional<HttpResponse> preflight(QByteArrayView origin, const Route &route,
                                                 QByteArrayView requestedMethod);
    bool isEmpty() const { return m_allowed.isEmpty(); }

private:
    QList<QByteArray> m_allowed;
};

} // namespace waotp::server
