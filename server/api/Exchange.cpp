#include "server/api/Exchange.h"

#include "server/monitor/AccessLog.h"
#include "server/monitor/Metrics.h"

namespace waotp::server {

Outbox::Outbox(bool demo, Metrics &metrics, AccessLog *log)
    : m_demo(demo), m_metrics(metrics), m_log(log)
{ }

void Outbox::markDemo(HttpResponse &response) const
{
    // A demo server marks every answer, so that nothing it says can pass for a live one.
    if (m_demo && response.body.startsWith('{'))
        response.body.insert(1, response.body.size() > 2 ? R"("demo":true,)" : R"("demo":true)");
}

void Outbox::reply(Exchange &exchange, HttpResponse response)
{
    markDemo(response);
    if (!exchange.origin.isEmpty())
        CorsPolicy::addHeaders(response, exchange.origin);
    response.headers.emplaceBack("X-Request-Id", exchange.requestId);

    const std::chrono::nanoseconds took(exchange.started.nsecsElapsed());
    m_metrics.request(exchange.endpoint, response.status, took);
    if (exchange.endpoint == Endpoint::Check)
        m_metrics.checked(response.status == 200 ? QByteArrayView("approved")
                              : response.label   ? QByteArrayView(response.label)
                                                 : QByteArrayView("error"));
    if (m_log)
        m_log->write({exchange.method, endpointPattern(exchange.endpoint), response.status, took,
                      exchange.maskedPhone, exchange.requestId});
    exchange.responder.respond(std::move(response));
}

void Outbox::prepareFailure(HttpResponse &response)
{
    markDemo(response);
    const QByteArray requestId = nextRequestId();
    response.headers.emplaceBack("X-Request-Id", requestId);
    m_metrics.request(Endpoint::None, response.status, std::chrono::nanoseconds(0));
    if (m_log)
        m_log->write({"-",
                      endpointPattern(Endpoint::None),
                      response.status,
                      std::chrono::nanoseconds(0),
                      {},
                      requestId});
}

} // namespace waotp::server
