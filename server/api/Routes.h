#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace waotp::server {

/// The endpoints of the API.
enum class Endpoint {
    None, ///< no such path
    Health, ///< /healthz
    Ready, ///< /readyz
    Jwks, ///< /.well-known/jwks.json
    Verifications, ///< /v1/verifications
    Verification, ///< /v1/verifications/{id}
    Check, ///< /v1/verifications/{id}/check
    Resend, ///< /v1/verifications/{id}/resend
    Metrics, ///< /metrics
    TwilioStatus, ///< /v1/twilio/status (Twilio's StatusCallback)
};

/// Where a request goes. Pure: method and path in, endpoint out.
struct Route
{
    Endpoint endpoint = Endpoint::None;
    QByteArray id; ///< the {id} of the path, as sent
    bool methodAllowed = false; ///< false: 405 with allow
    QByteArray allow; ///< the methods the endpoint takes, for the Allow header
};

/// Matches @p method and @p path (without the query) against the API's endpoints. An {id} is
/// 1 to 64 URL-safe characters (letters, digits, '-', '_'); anything else does not match.
Route matchRoute(QByteArrayView method, QByteArrayView path);

/// The path pattern of @p endpoint, e.g. "/v1/verifications/{id}", for the request log.
QByteArrayView endpointPattern(Endpoint endpoint);

/// True for the endpoints a browser may call from an allowed origin (CORS): the verifications.
bool isBrowserEndpoint(Endpoint endpoint);

} // namespace waotp::server
