#pragma once

#include "server/api/Cors.h"
#include "server/api/Routes.h"
#include "server/http/HttpServer.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>

namespace waotp::server {

class AccessLog;
class Metrics;

/// A request on its way to its answer: who asked, what for, and what its log line needs.
struct Exchange
{
    HttpResponder responder;
    QElapsedTimer started;
    Endpoint endpoint = Endpoint::None;
    QByteArray method;
    QByteArray client; ///< clientKey() of the client's address
    QByteArray origin; ///< the Origin, when allowed_origins lets it call this endpoint
    QByteArray requestId; ///< X-Request-Id as sent (when acceptable), or a new one
    QString maskedPhone; ///< the number concerned, masked, once known
    /// A send the limits took from the budget: its entry, to give back if it does not go out
    QByteArray budgetEntry;
};

/// Every answer of the API leaves through here: marked "demo": true by a demo server, with the
/// CORS headers of an allowed origin, with X-Request-Id; then counted in the metrics and written
/// to the access log.
class Outbox
{
public:
    /// @p log may be null (the access log is off).
    Outbox(bool demo, Metrics &metrics, AccessLog *log);

    void reply(Exchange &exchange, HttpResponse response);
    /// Readies the answer the HTTP layer sends by itself (a request it could not read: 400, 408,
    /// 413, 431, 505), counting and logging it as a request to no endpoint.
    void prepareFailure(HttpResponse &response);
    /// @p response marked as a demo server's, if this is one.
    void markDemo(HttpResponse &response) const;

private:
    bool m_demo;
    Metrics &m_metrics;
    AccessLog *m_log;
};

} // namespace waotp::server
