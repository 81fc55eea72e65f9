#include "server/api/VerificationApi.h"

#include "server/api/EngineAnswers.h"
#include "server/token/RandomId.h"
#include "server/token/ServerAccounts.h"
#include "server/token/SigningKeys.h"
#include "server/token/TokenIssuer.h"

#include "engine/DemoSender.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcServerRequests, "waotp.server.requests", QtInfoMsg)

namespace waotp::server {

namespace {

using namespace std::chrono_literals;

// A request body must say it is JSON (a browser cannot send that without asking first).
bool isJson(const HttpRequest &request)
{
    if (request.body.isEmpty())
        return true;
    const QByteArray type = request.header("Content-Type").trimmed().toLower();
    return type == "application/json" || type.startsWith("application/json;");
}

} // namespace

VerificationApi::VerificationApi(OtpEngine &engine, ServerAccounts &accounts,
                                 const SigningKeys &keys, const TokenIssuer &tokens,
                                 Options options, QObject *parent)
    : QObject(parent), m_engine(engine), m_accounts(accounts), m_keys(keys), m_tokens(tokens),
      m_options(std::move(options)), m_verifications(m_options.retention),
      m_sendsPerIp(m_options.sendsPerIp), m_checksPerIp(m_options.checksPerIp)
{
    connect(&engine, &OtpEngine::codeRequested, this, &VerificationApi::codeRequested);
    connect(&engine, &OtpEngine::codeChecked, this, &VerificationApi::codeChecked);
    connect(&engine, &OtpEngine::deliveryStatusChanged, this, &VerificationApi::deliveryChanged);
    if (auto *demo = qobject_cast<DemoSender *>(&engine.sender()); demo && m_options.demo) {
        connect(demo, &DemoSender::codeShown, this,
                [this](const PhoneNumber &to, const QString &code) {
                    m_demoCodes.insert(to.e164(), code);
                });
    }
    m_sweepTimer.setTimerType(Qt::VeryCoarseTimer);
    m_sweepTimer.setInterval(1min);
    connect(&m_sweepTimer, &QTimer::timeout, this, [this] {
        const auto now = m_engine.clock().now();
        m_verifications.sweep(now);
        m_sendsPerIp.sweep(now);
        m_checksPerIp.sweep(now);
    });
    m_sweepTimer.start();
}

VerificationApi::~VerificationApi()
{
    // Clients still waiting get their answer from the HTTP layer (500) or lose the connection.
    for (auto &[serial, wait] : m_waits)
        delete wait.timer;
}

HttpResponse VerificationApi::failureResponse(HttpFailure failure) const
{
    HttpResponse r = errorResponse(apiErrorFor(failure));
    if (m_options.demo && r.body.startsWith('{'))
        r.body.insert(1, R"("demo":true,)");
    return r;
}

void VerificationApi::reply(Exchange &exchange, HttpResponse response) const
{
    // A demo server marks every answer, so that nothing it says can pass for a live one.
    if (m_options.demo && response.body.startsWith('{'))
        response.body.insert(1, response.body.size() > 2 ? R"("demo":true,)" : R"("demo":true)");
    qCInfo(lcServerRequests).noquote()
        << exchange.method << endpointPattern(exchange.endpoint) << response.status
        << QStringLiteral("%1 ms").arg(double(exchange.started.nsecsElapsed()) / 1e6, 0, 'f', 2);
    exchange.responder.respond(std::move(response));
}

void VerificationApi::handle(HttpRequest &&request, HttpResponder &&responder)
{
    Exchange exchange;
    exchange.started.start();
    exchange.responder = std::move(responder);
    exchange.method = request.method;
    exchange.client = clientKey(clientAddress(request, m_options.trustedProxies));
    const Route route = matchRoute(request.method, request.path);
    exchange.endpoint = route.endpoint;
    if (route.endpoint == Endpoint::None) {
        reply(exchange, errorResponse(ApiError::NoRoute));
        return;
    }
    if (!route.methodAllowed) {
        HttpResponse r = errorResponse(ApiError::MethodNotAllowed);
        r.headers.emplaceBack("Allow", route.allow);
        reply(exchange, std::move(r));
        return;
    }
    if (!isJson(request)) {
        reply(exchange, errorResponse(ApiError::UnsupportedMediaType));
        return;
    }
    switch (route.endpoint) {
    case Endpoint::None:
        break;
    case Endpoint::Health:
        reply(exchange, jsonResponse(200, {{QStringLiteral("status"), QStringLiteral("ok")}}));
        break;
    case Endpoint::Ready:
        ready(std::move(exchange));
        break;
    case Endpoint::Jwks: {
        HttpResponse r = jsonResponse(200, m_keys.jwks());
        r.contentType = "application/jwk-set+json";
        r.headers.emplaceBack("Cache-Control", "public, max-age=600");
        reply(exchange, std::move(r));
        break;
    }
    case Endpoint::Verifications:
        create(std::move(exchange), request);
        break;
    case Endpoint::Verification:
        if (request.method == "DELETE")
            cancel(std::move(exchange), route.id);
        else
            show(std::move(exchange), request, route.id);
        break;
    case Endpoint::Check:
        check(std::move(exchange), request, route.id);
        break;
    case Endpoint::Resend:
        resend(std::move(exchange), request, route.id);
        break;
    }
}

void VerificationApi::ready(Exchange &&exchange)
{
    QStringList notReady;
    if (!m_accounts.isReady())
        notReady.append(QStringLiteral("database"));
    if (notReady.isEmpty()) {
        reply(exchange, jsonResponse(200, {{QStringLiteral("status"), QStringLiteral("ready")}}));
        return;
    }
    reply(exchange,
          errorResponse(ApiError::NotReady,
                        {{QStringLiteral("not_ready"), QJsonArray::fromStringList(notReady)}},
                        std::chrono::seconds(UnavailableRetry)));
}

std::chrono::seconds VerificationApi::untilResend(const Verification &v) const
{
    const auto now = m_engine.clock().now();
    if (v.nextSendAt <= now)
        return 0s;
    return ceilSeconds(std::chrono::duration_cast<std::chrono::milliseconds>(v.nextSendAt - now));
}

// A client over its allowance gets 429 before anything is asked of the engine.
std::optional<HttpResponse> VerificationApi::clientLimit(RateLimiter &limiter,
                                                         const Exchange &exchange)
{
    const auto wait = limiter.admit(exchange.client, m_engine.clock().now());
    if (!wait)
        return std::nullopt;
    return errorResponse(ApiError::RateLimited, {{QStringLiteral("scope"), QStringLiteral("ip")}},
                         ceilSeconds(*wait));
}

HttpResponse VerificationApi::shape(int status, const Verification &v, bool withDemoCode) const
{
    return jsonResponse(
        status, verificationJson(v, m_engine.clock().now(), withDemoCode && m_options.demo));
}

// --- POST /v1/verifications and /v1/verifications/{id}/resend -----------------------------------

void VerificationApi::create(Exchange &&exchange, const HttpRequest &request)
{
    auto parsed = parseCreateRequest(request.body);
    if (auto *problem = std::get_if<RequestProblem>(&parsed)) {
        reply(exchange, problemResponse(*problem));
        return;
    }
    const CreateRequest &create = std::get<CreateRequest>(parsed);
    auto number = parsePhone(create, m_options.defaultRegion);
    if (auto *problem = std::get_if<RequestProblem>(&number)) {
        reply(exchange, problemResponse(*problem));
        return;
    }
    const PhoneNumber &phone = std::get<PhoneNumber>(number);
    if (m_options.allowedCountries && !m_options.allowedCountries->contains(phone.region())) {
        reply(exchange,
              errorResponse(ApiError::CountryNotAllowed,
                            {{QStringLiteral("country"), phone.region()}}));
        return;
    }
    if (auto refused = clientLimit(m_sendsPerIp, exchange)) {
        reply(exchange, std::move(*refused));
        return;
    }
    PendingSend pending {std::move(exchange), create, {}, phone};
    startSend(std::move(pending), create.flow, create.channel, create.locale);
}

void VerificationApi::resend(Exchange &&exchange, const HttpRequest &request, const QByteArray &id)
{
    auto parsed = parseResendRequest(request.body);
    if (auto *problem = std::get_if<RequestProblem>(&parsed)) {
        reply(exchange, problemResponse(*problem));
        return;
    }
    const Verification *v = openVerification(exchange, id);
    if (!v)
        return;
    if (auto refused = clientLimit(m_sendsPerIp, exchange)) {
        reply(exchange, std::move(*refused));
        return;
    }
    const Channel channel = std::get<ResendRequest>(parsed).channel.value_or(v->channel);
    PendingSend pending {std::move(exchange), {}, id, v->number};
    startSend(std::move(pending), v->flow, channel, v->locale);
}

void VerificationApi::startSend(PendingSend &&pending, Purpose flow, Channel channel,
                                const QString &locale)
{
    const PhoneNumber number = pending.number;
    // A request for a number whose send is still in flight gets that send's id back: it is
    // answered with the first one, as a request a moment later would be (see codeRequested()).
    const quint64 id = m_engine.requestCode(number, flow, channel, locale);
    m_pendingSends[id].push_back(std::move(pending));
}

void VerificationApi::codeRequested(quint64 requestId, const PhoneNumber &number,
                                    const CodeRequestResult &result)
{
    const auto it = m_pendingSends.find(requestId);
    const QString demoCode = m_demoCodes.take(number.e164());
    if (it == m_pendingSends.end())
        return;
    std::vector<PendingSend> waiting = std::move(it->second);
    m_pendingSends.erase(it);

    for (std::size_t i = 0; i < waiting.size(); ++i) {
        PendingSend &pending = waiting[i];
        if (result.status != CodeRequestResult::Status::Sent) {
            reply(pending.exchange, sendRefusal(result));
        } else if (i > 0) {
            // The same send asked for twice: the second is too soon after the first.
            reply(pending.exchange, repeatedSendRefusal(result, m_engine.clock().now()));
        } else {
            sent(pending, result, demoCode);
        }
    }
}

void VerificationApi::sent(PendingSend &pending, const CodeRequestResult &result,
                           const QString &demoCode)
{
    Verification *v = nullptr;
    if (pending.verificationId.isEmpty()) {
        Verification fresh;
        fresh.id = randomId();
        fresh.number = pending.number;
        fresh.flow = pending.request.flow;
        fresh.locale = pending.request.locale;
        fresh.nonce = pending.request.nonce;
        Verification *replaced = nullptr;
        v = &m_verifications.add(std::move(fresh), &replaced);
        if (replaced)
            changed(replaced->id);
    } else {
        v = m_verifications.find(pending.verificationId);
        if (!v || v->approved || v->canceled) {
            // Deleted while the new code was on its way: that code must not stay usable.
            m_engine.cancel(pending.number);
            reply(pending.exchange, errorResponse(ApiError::NotFound));
            return;
        }
    }
    v->channel = result.channel;
    v->expiresAt = result.expiresAt;
    v->nextSendAt = result.nextSendAt;
    v->attemptsLeft = m_engine.policy().maxAttempts;
    v->attemptsUsedUp = false;
    v->delivery = DeliveryStatus::Queued;
    v->deliveryError = 0;
    v->demoCode = demoCode; // only the demo sender's codes are ever captured
    reply(pending.exchange, shape(201, *v, true));
    changed(v->id);
}

// --- POST /v1/verifications/{id}/check ----------------------------------------------------------

void VerificationApi::check(Exchange &&exchange, const HttpRequest &request, const QByteArray &id)
{
    auto parsed = parseCheckRequest(request.body);
    if (auto *problem = std::get_if<RequestProblem>(&parsed)) {
        reply(exchange, problemResponse(*problem));
        return;
    }
    const Verification *v = openVerification(exchange, id);
    if (!v)
        return;
    if (v->attemptsUsedUp) {
        reply(exchange, errorResponse(ApiError::TooManyAttempts, {}, untilResend(*v)));
        return;
    }
    if (statusOf(*v, m_engine.clock().now()) == VerificationStatus::Expired) {
        reply(exchange, errorResponse(ApiError::Expired));
        return;
    }
    if (auto refused = clientLimit(m_checksPerIp, exchange)) {
        reply(exchange, std::move(*refused));
        return;
    }
    const quint64 requestId = m_engine.verifyCode(v->number, std::get<CheckRequest>(parsed).code);
    m_pendingChecks.emplace(requestId, PendingCheck {std::move(exchange), id});
}

void VerificationApi::codeChecked(quint64 requestId, const PhoneNumber &, const VerifyResult &r)
{
    const auto it = m_pendingChecks.find(requestId);
    if (it == m_pendingChecks.end())
        return;
    PendingCheck pending = std::move(it->second);
    m_pendingChecks.erase(it);
    Exchange &exchange = pending.exchange;

    Verification *v = m_verifications.find(pending.verificationId);
    if (!v || v->canceled || v->approved) {
        reply(exchange, errorResponse(ApiError::NotFound));
        return;
    }
    using Status = VerifyResult::Status;
    if (r.status == Status::Verified) {
        approve(exchange, *v);
        return;
    }
    if (r.status == Status::WrongCode)
        v->attemptsLeft = r.attemptsLeft;
    if (r.status == Status::TooManyAttempts) {
        v->attemptsLeft = 0;
        v->attemptsUsedUp = true;
    }
    reply(exchange, checkRefusal(r, untilResend(*v)));
    if (r.status == Status::WrongCode || r.status == Status::TooManyAttempts)
        changed(v->id);
}

void VerificationApi::approve(Exchange &exchange, Verification &v)
{
    const auto account = m_accounts.signIn(v.number);
    if (!account) {
        reply(exchange,
              errorResponse(ApiError::AccountsUnavailable, {},
                            std::chrono::seconds(UnavailableRetry)));
        return;
    }
    TokenClaims claims;
    claims.subject = account->id;
    claims.phoneNumber = v.number.e164();
    claims.channel = channelName(v.channel);
    claims.account = account->created ? QStringLiteral("created") : QStringLiteral("existing");
    claims.nonce = v.nonce;
    const IssuedToken token = m_tokens.issue(claims);
    if (token.token.isEmpty()) {
        reply(exchange, errorResponse(ApiError::TokenUnavailable));
        return;
    }
    v.approved = true;
    v.demoCode.clear();
    reply(exchange,
          jsonResponse(
              200,
              {
                  {QStringLiteral("status"), QStringLiteral("approved")},
                  {QStringLiteral("phone"), v.number.e164()},
                  {QStringLiteral("account"), claims.account},
                  {QStringLiteral("account_id"), account->id},
                  {QStringLiteral("token"), QString::fromLatin1(token.token)},
                  {QStringLiteral("expires_in"), qint64(m_tokens.settings().lifetime.count())},
              }));
    changed(v.id);
}

// --- GET and DELETE /v1/verifications/{id} ------------------------------------------------------

void VerificationApi::show(Exchange &&exchange, const HttpRequest &request, const QByteArray &id)
{
    const auto wait = parseWait(request.query);
    if (auto *problem = std::get_if<RequestProblem>(&wait)) {
        reply(exchange, problemResponse(*problem));
        return;
    }
    const Verification *v = m_verifications.find(id);
    if (!v) {
        reply(exchange, errorResponse(ApiError::NotFound));
        return;
    }
    auto seconds = std::get<std::chrono::seconds>(wait);
    if (seconds == 0s || !exchange.responder.connection()) {
        reply(exchange, shape(200, *v, false));
        return;
    }
    // Held until the verification changes or the time is up; a code's end counts as a change.
    std::chrono::milliseconds hold = seconds;
    const auto now = m_engine.clock().now();
    if (statusOf(*v, now) == VerificationStatus::Pending)
        hold = std::min(
            hold, std::chrono::duration_cast<std::chrono::milliseconds>(v->expiresAt - now + 1ms));
    const quint64 serial = m_nextWait++;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::CoarseTimer);
    connect(timer, &QTimer::timeout, this, [this, serial] { finishWait(serial); });
    // A client that goes away stops waiting.
    connect(exchange.responder.connection(), &QObject::destroyed, timer,
            [this, serial] { finishWait(serial); });
    timer->start(hold);
    m_waitsByVerification.insert(id, serial);
    m_waits.emplace(serial, Wait {std::move(exchange), id, timer});
}

void VerificationApi::changed(const QByteArray &verificationId)
{
    const QList<quint64> serials = m_waitsByVerification.values(verificationId);
    for (quint64 serial : serials)
        finishWait(serial);
}

void VerificationApi::finishWait(quint64 serial)
{
    const auto it = m_waits.find(serial);
    if (it == m_waits.end())
        return;
    Wait wait = std::move(it->second);
    m_waits.erase(it);
    m_waitsByVerification.remove(wait.verificationId, serial);
    wait.timer->deleteLater();
    if (!wait.exchange.responder.isOpen())
        return;
    const Verification *v = m_verifications.find(wait.verificationId);
    reply(wait.exchange, v ? shape(200, *v, false) : errorResponse(ApiError::NotFound));
}

Verification *VerificationApi::openVerification(Exchange &exchange, const QByteArray &id)
{
    Verification *v = m_verifications.find(id);
    if (!v || v->approved || v->canceled) {
        reply(exchange, errorResponse(ApiError::NotFound));
        return nullptr;
    }
    return v;
}

void VerificationApi::cancel(Exchange &&exchange, const QByteArray &id)
{
    Verification *v = openVerification(exchange, id);
    if (!v)
        return;
    v->canceled = true;
    v->demoCode.clear();
    if (m_verifications.current(v->number) == v)
        m_engine.cancel(v->number);
    HttpResponse r;
    r.status = 204;
    reply(exchange, std::move(r));
    changed(id);
}

void VerificationApi::deliveryChanged(const PhoneNumber &number, DeliveryStatus status,
                                      int providerCode)
{
    Verification *v = m_verifications.current(number);
    if (!v || status == DeliveryStatus::Unknown)
        return;
    v->delivery = status;
    v->deliveryError = providerCode;
    changed(v->id);
}

} // namespace waotp::server
