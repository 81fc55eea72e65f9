#pragma once

#include "server/api/Cors.h"
#include "server/api/Exchange.h"
#include "server/http/HttpServer.h"
#include "server/limits/ClientAddress.h"

#include <QObject>

namespace waotp::server {

class Metrics;
class AccountsThread;
class SigningKeys;
class VerificationApi;

/// HttpServer's handler: gives every request its Exchange (client, request id, origin), answers
/// CORS preflights, the service endpoints (/healthz, /readyz, the JWKS, /metrics) and Twilio's
/// status callbacks, and hands the verification endpoints to VerificationApi.
class ApiGateway : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QList<Subnet> trustedProxies; ///< whose X-Forwarded-For names the client
        /// Besides loopback, who may read /metrics (metrics_allow).
        QList<Subnet> metricsAllow;
        CorsPolicy cors; ///< allowed_origins
        /// The URL Twilio posts status callbacks to ({public_url}/v1/twilio/status) and the
        /// auth token it signs them with; either empty: callbacks are refused.
        QString statusCallbackUrl;
        QString authToken;
    };
    /// The references must outlive the gateway.
    ApiGateway(VerificationApi &verifications, AccountsThread &accounts, const SigningKeys &keys,
               Outbox &outbox, Metrics &metrics, Options options, QObject *parent = nullptr);
    ~ApiGateway() override;

    /// HttpServer's handler.
    void handle(HttpRequest &&request, HttpResponder &&responder);
    /// HttpServer's failure handler.
    HttpResponse failureResponse(HttpFailure failure) const;

private:
    void ready(Exchange &&exchange);
    void metrics(Exchange &exchange, const HttpRequest &request);
    void twilioStatus(Exchange &exchange, const HttpRequest &request);
    bool mayReadMetrics(const HttpRequest &request) const;

    VerificationApi &m_verifications;
    AccountsThread &m_accounts;
    const SigningKeys &m_keys;
    Outbox &m_outbox;
    Metrics &m_metrics;
    Options m_options;
};

} // namespace waotp::server
