#include "server/api/ApiGateway.h"

#include "server/api/ApiError.h"
#include "server/api/EngineAnswers.h"
#include "server/api/TwilioSignature.h"
#include "server/api/VerificationApi.h"
#include "server/monitor/AccessLog.h"
#include "server/monitor/Metrics.h"
#include "server/token/AccountsThread.h"
#include "server/token/SigningKeys.h"

#include "network/twilio/TwilioError.h"

#include <QJsonArray>

namespace waotp::server {

namespace {

// A request body must say it is JSON (a browser cannot send that without asking first).
bool isJson(const HttpRequest &request)
{
    if (request.body.isEmpty())
        return true;
    const QByteArray type = request.header("Content-Type").trimmed().toLower();
    return type == "application/json" || type.startsWith("application/json;");
}

bool inAny(const QHostAddress &address, const QList<Subnet> &subnets)
{
    for (const Subnet &s : subnets) {
        if (address.isInSubnet(s))
            return true;
    }
    return false;
}

} // namespace

ApiGateway::ApiGateway(VerificationApi &verifications, AccountsThread &accounts,
                       const SigningKeys &keys, Outbox &outbox, Metrics &metrics, Options options,
                       QObject *parent)
    : QObject(parent), m_verifications(verifications), m_accounts(accounts), m_keys(keys),
      m_outbox(outbox), m_metrics(metrics), m_options(std::move(options))
{ }

ApiGateway::~ApiGateway() = default;

HttpResponse ApiGateway::failureResponse(HttpFailure failure) const
{
    HttpResponse r = errorResponse(apiErrorFor(failure));
    m_outbox.prepareFailure(r);
    return r;
}

void ApiGateway::handle(HttpRequest &&request, HttpResponder &&responder)
{
    Exchange exchange;
    exchange.started.start();
    exchange.responder = std::move(responder);
    exchange.method = request.method;
    exchange.client = clientKey(clientAddress(request, m_options.trustedProxies));
    exchange.requestId =
        acceptedRequestId(request.header("X-Request-Id")).value_or(nextRequestId());
    const Route route = matchRoute(request.method, request.path);
    exchange.endpoint = route.endpoint;
    const QByteArray origin = request.header("Origin");
    if (m_options.cors.allows(origin, route.endpoint))
        exchange.origin = origin;

    if (route.endpoint == Endpoint::None) {
        m_outbox.reply(exchange, errorResponse(ApiError::NoRoute));
        return;
    }
    if (request.method == "OPTIONS" && !exchange.origin.isEmpty()) {
        if (auto preflight = CorsPolicy::preflight(
                exchange.origin, route, request.header("Access-Control-Request-Method"))) {
            exchange.origin.clear(); // the preflight's answer has its own CORS headers
            m_outbox.reply(exchange, std::move(*preflight));
            return;
        }
        exchange.origin.clear(); // a preflight for a method not taken: nothing is approved
    }
    if (!route.methodAllowed) {
        HttpResponse r = errorResponse(ApiError::MethodNotAllowed);
        r.headers.emplaceBack("Allow", route.allow);
        m_outbox.reply(exchange, std::move(r));
        return;
    }
    if (route.endpoint != Endpoint::TwilioStatus && !isJson(request)) {
        m_outbox.reply(exchange, errorResponse(ApiError::UnsupportedMediaType));
        return;
    }
    switch (route.endpoint) {
    case Endpoint::None:
        break;
    case Endpoint::Health:
        m_outbox.reply(exchange,
                       jsonResponse(200, {{QStringLiteral("status"), QStringLiteral("ok")}}));
        break;
    case Endpoint::Ready:
        ready(std::move(exchange));
        break;
    case Endpoint::Jwks: {
        HttpResponse r = jsonResponse(200, m_keys.jwks());
        r.contentType = "application/jwk-set+json";
        r.headers.emplaceBack("Cache-Control",
                              "public, max-age="
                                  + QByteArray::number(qint64(SigningKeys::JwksMaxAge.count())));
        m_outbox.reply(exchange, std::move(r));
        break;
    }
    case Endpoint::Metrics:
        metrics(exchange, request);
        break;
    case Endpoint::TwilioStatus:
        twilioStatus(exchange, request);
        break;
    case Endpoint::Verifications:
        m_verifications.create(std::move(exchange), request);
        break;
    case Endpoint::Verification:
        if (request.method == "DELETE")
            m_verifications.cancel(std::move(exchange), route.id);
        else
            m_verifications.show(std::move(exchange), request, route.id);
        break;
    case Endpoint::Check:
        m_verifications.check(std::move(exchange), request, route.id);
        break;
    case Endpoint::Resend:
        m_verifications.resend(std::move(exchange), request, route.id);
        break;
    }
}

// The database answers on its thread (within AccountsThread::readinessWait(), the database
// deadline), the event loop serving others meanwhile.
void ApiGateway::ready(Exchange &&exchange)
{
    auto shared = std::make_shared<Exchange>(std::move(exchange));
    m_accounts.isReady(this, [this, shared](bool databaseReady) {
        QStringList notReady;
        if (!databaseReady)
            notReady.append(QStringLiteral("database"));
        if (!m_verifications.isAvailable())
            notReady.append(QStringLiteral("store"));
        if (m_verifications.providerRefusesSettings())
            notReady.append(QStringLiteral("twilio"));
        if (notReady.isEmpty()) {
            m_outbox.reply(
                *shared, jsonResponse(200, {{QStringLiteral("status"), QStringLiteral("ready")}}));
            return;
        }
        m_outbox.reply(
            *shared,
            errorResponse(ApiError::NotReady,
                          {{QStringLiteral("not_ready"), QJsonArray::fromStringList(notReady)}},
                          std::chrono::seconds(UnavailableRetry)));
    });
}

// Loopback, or an address of metrics_allow. Behind a proxy every client's socket comes from the
// proxy, often loopback itself: a request that went through a proxy is judged by the client the
// trusted proxies name, and one forwarded by a proxy that is not trusted is refused. So is one
// that names its client only in "Forwarded", which this server does not read: judged by its
// socket, every client of a proxy on loopback would pass for loopback.
bool ApiGateway::mayReadMetrics(const HttpRequest &request) const
{
    const bool viaXForwardedFor = !request.header("X-Forwarded-For").isEmpty();
    const bool viaForwarded = !request.header("Forwarded").isEmpty();
    if (viaForwarded && !viaXForwardedFor)
        return false;
    if (viaXForwardedFor && !inAny(request.peer, m_options.trustedProxies))
        return false;
    const QHostAddress client = clientAddress(request, m_options.trustedProxies);
    return client.isLoopback() || inAny(client, m_options.metricsAllow);
}

void ApiGateway::metrics(Exchange &exchange, const HttpRequest &request)
{
    if (!mayReadMetrics(request)) {
        m_outbox.reply(exchange, errorResponse(ApiError::MetricsForbidden));
        return;
    }
    HttpResponse r;
    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
    r.body = m_metrics.render();
    m_outbox.reply(exchange, std::move(r));
}

// Twilio's StatusCallback: accepted only when signed with the account's auth token over the URL
// the server gave Twilio; it moves the delivery of the verification the message belongs to.
void ApiGateway::twilioStatus(Exchange &exchange, const HttpRequest &request)
{
    const std::optional<FormParams> params = parseForm(request.body);
    // Twilio signs the URL as it called it: the query (the send's `v`) included.
    QString url = m_options.statusCallbackUrl;
    if (!request.query.isEmpty())
        url += u'?' + QString::fromLatin1(request.query);
    const bool valid = params && !m_options.statusCallbackUrl.isEmpty()
        && isValidTwilioSignature(request.header("X-Twilio-Signature"),
                                  m_options.authToken.toUtf8(), url, *params);
    m_metrics.statusCallback(valid);
    if (!valid) {
        m_outbox.reply(exchange, errorResponse(ApiError::InvalidSignature));
        return;
    }
    const QString sid = formValue(*params, u"MessageSid");
    const DeliveryStatus status = deliveryStatusFromTwilio(formValue(*params, u"MessageStatus"));
    const int error = formValue(*params, u"ErrorCode").toInt();
    QByteArray ref;
    for (const QByteArray &pair : request.query.split('&')) {
        if (pair.startsWith("v="))
            ref = QByteArray::fromPercentEncoding(pair.sliced(2));
    }
    // A callback naming its send moves that send's verification; one without, or naming no
    // send of this server's (a message sent before the callbacks named their sends, or under
    // another store), is found by its message SID.
    const bool named =
        !ref.isEmpty() && m_verifications.deliveryReportedForSend(ref, sid, status, error);
    if (!named && !sid.isEmpty())
        m_verifications.deliveryReported(sid, status, error);
    HttpResponse r;
    r.status = 204;
    m_outbox.reply(exchange, std::move(r));
}

} // namespace waotp::server
