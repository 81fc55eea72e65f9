#include "server/api/VerificationApi.h"

#include "server/api/EngineAnswers.h"
#include "server/api/SilentSender.h"
#include "server/monitor/Metrics.h"
#include "server/token/RandomId.h"
#include "server/token/ServerAccounts.h"
#include "server/token/TokenIssuer.h"

#include "engine/DemoSender.h"

namespace waotp::server {

namespace {

using namespace std::chrono_literals;

bool isDeliveryFailure(DeliveryStatus s)
{
    return s == DeliveryStatus::Failed || s == DeliveryStatus::Undelivered;
}

// True if a report of @p next may replace @p current: deliveries only move on (callbacks may
// arrive out of order), and a failure ends them.
bool movesOn(DeliveryStatus current, DeliveryStatus next)
{
    if (next == DeliveryStatus::Unknown || isDeliveryFailure(current))
        return false;
    return isDeliveryFailure(next) || int(next) > int(current);
}

} // namespace

VerificationApi::VerificationApi(OtpEngine &engine, SilentSender &silent, ServerAccounts &accounts,
                                 const TokenIssuer &tokens, Outbox &outbox, Metrics &metrics,
                                 Options options, QObject *parent)
    : QObject(parent), m_engine(engine), m_silent(silent), m_accounts(accounts), m_tokens(tokens),
      m_outbox(outbox), m_metrics(metrics), m_options(std::move(options)),
      m_verifications(m_options.retention), m_sendsPerIp(m_options.sendsPerIp),
      m_checksPerIp(m_options.checksPerIp),
      m_budget(m_options.maxSendsPerMinute, m_options.maxSendsPerDay)
{
    connect(&engine, &OtpEngine::codeRequested, this, &VerificationApi::codeRequested);
    connect(&engine, &OtpEngine::codeChecked, this, &VerificationApi::codeChecked);
    connect(&engine, &OtpEngine::deliveryStatusChanged, this, &VerificationApi::deliveryChanged);
    if (auto *demo = qobject_cast<DemoSender *>(&silent.real()); demo && m_options.demo) {
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
    m_metrics.limited(&limiter == &m_sendsPerIp ? Metrics::Limit::IpSends
                                                : Metrics::Limit::IpChecks);
    return errorResponse(ApiError::RateLimited, {{QStringLiteral("scope"), QStringLiteral("ip")}},
                         ceilSeconds(*wait));
}

HttpResponse VerificationApi::shape(int status, const Verification &v, bool withDemoCode) const
{
    QJsonObject o = verificationJson(v, m_engine.clock().now(), withDemoCode && m_options.demo);
    // A setting of the server, the same for every number: it tells a client that a sign-in
    // for a number without an account is answered no_account rather than sent silently.
    if (m_options.registrationHints)
        o.insert(QStringLiteral("registration_hints"), true);
    return jsonResponse(status, o);
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
    exchange.maskedPhone = phone.masked();
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
    const Admission admission = admit(phone, create.flow);
    if (auto refused = refuseSend(admission)) {
        reply(exchange, std::move(*refused));
        return;
    }
    PendingSend pending {std::move(exchange), create, {}, phone, admission == Admission::Silent};
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
    // Accounts may have come or gone since the verification began: the rule is applied anew.
    const Admission admission = admit(v->number, v->flow);
    if (auto refused = refuseSend(admission)) {
        reply(exchange, std::move(*refused));
        return;
    }
    const Channel channel = std::get<ResendRequest>(parsed).channel.value_or(v->channel);
    PendingSend pending {std::move(exchange), {}, id, v->number, admission == Admission::Silent};
    startSend(std::move(pending), v->flow, channel, v->locale);
}

// A sign-in needs an account and a sign-up must not have one. By default the send the rule
// refuses still answers as if it went out (a silent send), so that no answer tells whether a
// number is registered; registration_hints answers no_account / account_exists instead.
VerificationApi::Admission VerificationApi::admit(const PhoneNumber &number, Purpose flow) const
{
    const std::optional<bool> registered = m_accounts.isRegistered(number);
    if (!registered)
        return Admission::Unavailable;
    const bool refused = flow == Purpose::SignIn ? !*registered : *registered;
    if (!refused)
        return Admission::Send;
    if (!m_options.registrationHints)
        return Admission::Silent;
    return flow == Purpose::SignIn ? Admission::NoAccount : Admission::AccountExists;
}

std::optional<HttpResponse> VerificationApi::refuseSend(Admission admission)
{
    switch (admission) {
    case Admission::Send:
    case Admission::Silent:
        break;
    case Admission::NoAccount:
        return errorResponse(ApiError::NoAccount);
    case Admission::AccountExists:
        return errorResponse(ApiError::AccountExists);
    case Admission::Unavailable:
        return errorResponse(ApiError::AccountsUnavailable, {},
                             std::chrono::seconds(UnavailableRetry));
    }
    // The budget counts silent sends too: a budget only real sends used up would tell them apart.
    const auto refusal = m_budget.take(m_engine.clock().now());
    if (!refusal)
        return std::nullopt;
    const bool minute = refusal->scope == SendBudget::Scope::Minute;
    m_metrics.limited(minute ? Metrics::Limit::BudgetMinute : Metrics::Limit::BudgetDay);
    return errorResponse(
        ApiError::SendBudgetExhausted,
        {{QStringLiteral("scope"), minute ? QStringLiteral("minute") : QStringLiteral("day")}},
        ceilSeconds(refusal->wait));
}

void VerificationApi::startSend(PendingSend &&pending, Purpose flow, Channel channel,
                                const QString &locale)
{
    const PhoneNumber number = pending.number;
    // A request for a number whose send is still in flight gets that send's id back: it is
    // answered with the first one, as a request a moment later would be (see codeRequested()).
    // That send is not this one's to silence.
    const bool inFlight = m_sendingTo.contains(number.e164());
    if (pending.silent && !inFlight)
        m_silent.silence(number);
    m_sendingTo.insert(number.e164());
    const quint64 id = m_engine.requestCode(number, flow, channel, locale);
    m_pendingSends[id].push_back(std::move(pending));
}

void VerificationApi::codeRequested(quint64 requestId, const PhoneNumber &number,
                                    const CodeRequestResult &result)
{
    const auto it = m_pendingSends.find(requestId);
    const QString demoCode = m_demoCodes.take(number.e164());
    m_silent.release(number); // a silence the store's refusal left unused
    m_sendingTo.remove(number.e164());
    if (it == m_pendingSends.end())
        return;
    std::vector<PendingSend> waiting = std::move(it->second);
    m_pendingSends.erase(it);

    for (std::size_t i = 0; i < waiting.size(); ++i) {
        PendingSend &pending = waiting[i];
        using Status = CodeRequestResult::Status;
        if (result.status != Status::Sent || i > 0)
            m_budget.giveBack();
        if (result.status == Status::CoolingDown || (result.status == Status::Sent && i > 0))
            m_metrics.limited(Metrics::Limit::Cooldown);
        else if (result.status == Status::HourlyLimit)
            m_metrics.limited(Metrics::Limit::HourlyLimit);
        else if (result.status == Status::FailureBackoff)
            m_metrics.limited(Metrics::Limit::WrongCodes);

        if (result.status != Status::Sent) {
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
        m_metrics.verificationStarted(result.channel);
    } else {
        v = m_verifications.find(pending.verificationId);
        if (!v || v->approved || v->canceled) {
            // Deleted while the new code was on its way: that code must not stay usable.
            m_engine.cancel(pending.number);
            reply(pending.exchange, errorResponse(ApiError::NotFound));
            return;
        }
        m_metrics.codeResent(result.channel);
    }
    if (pending.silent)
        m_metrics.silentSend(v->flow);
    v->silent = pending.silent;
    m_verifications.setMessage(*v, pending.silent ? QString() : result.send.messageId);
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

void VerificationApi::codeChecked(quint64 requestId, const PhoneNumber &,
                                  const VerifyResult &result)
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
    VerifyResult r = result;
    if (v->silent && (r.status == Status::Verified || r.status == Status::NoCode)) {
        // Nobody was sent this code: a match can only be a guess (and used the code up). It
        // is answered as the wrong code it is to everyone else, down to the last attempt.
        r.attemptsLeft = std::max(0, v->attemptsLeft - 1);
        r.status = r.attemptsLeft > 0 ? Status::WrongCode : Status::TooManyAttempts;
    }
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
    if (r.status == Status::GuessLimit)
        m_metrics.limited(Metrics::Limit::WrongCodes);
    reply(exchange, checkRefusal(r, untilResend(*v)));
    if (r.status == Status::WrongCode || r.status == Status::TooManyAttempts)
        changed(v->id);
}

void VerificationApi::approve(Exchange &exchange, Verification &v)
{
    const auto account = m_accounts.complete(v.number, v.flow);
    if (!account) {
        reply(exchange,
              errorResponse(ApiError::AccountsUnavailable, {},
                            std::chrono::seconds(UnavailableRetry)));
        return;
    }
    if (account->refusal != AccountOutcome::Refusal::None) {
        // The account came or went after the code was sent. Whoever gave the right code holds
        // the number: they may learn which.
        v.canceled = true;
        v.demoCode.clear();
        reply(exchange,
              errorResponse(account->refusal == AccountOutcome::Refusal::NoAccount
                                ? ApiError::NoAccount
                                : ApiError::AccountExists));
        changed(v.id);
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
    m_metrics.tokenIssued(account->created);
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
    exchange.maskedPhone = v->number.masked();
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
    if (v)
        exchange.maskedPhone = v->number.masked();
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

void VerificationApi::deliveryReported(const QString &messageSid, DeliveryStatus status,
                                       int errorCode)
{
    Verification *v = m_verifications.findByMessage(messageSid);
    if (!v || !movesOn(v->delivery, status))
        return;
    v->delivery = status;
    v->deliveryError = isDeliveryFailure(status) ? errorCode : 0;
    // The engine tracks no message that reports by callback: tell it of a failure, so that the
    // person may try again (or switch to SMS) at once.
    if (isDeliveryFailure(status) && m_verifications.current(v->number) == v)
        m_engine.deliveryFailed(v->number);
    changed(v->id);
}

} // namespace waotp::server
