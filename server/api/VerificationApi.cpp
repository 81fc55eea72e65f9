#include "server/api/VerificationApi.h"

#include "server/api/EngineAnswers.h"
#include "server/api/SilentSender.h"
#include "server/monitor/Metrics.h"
#include "server/token/AccountsThread.h"
#include "server/token/RandomId.h"
#include "server/token/TokenIssuer.h"

#include "engine/DemoSender.h"

namespace waotp::server {

namespace {

using namespace std::chrono_literals;
using Result = VerificationStore::Result;

} // namespace

VerificationApi::VerificationApi(OtpEngine &engine, SilentSender &silent, AccountsThread &accounts,
                                 const TokenIssuer &tokens, Outbox &outbox, Metrics &metrics,
                                 Options options, SharedState shared, QObject *parent)
    : QObject(parent), m_engine(engine), m_silent(silent), m_accounts(accounts), m_tokens(tokens),
      m_outbox(outbox), m_metrics(metrics), m_options(std::move(options)),
      m_verifications(std::move(shared.verifications)), m_limits(std::move(shared.limits))
{
    if (!m_verifications)
        m_verifications = std::make_unique<MemoryVerificationStore>(m_options.retention);
    if (!m_limits) {
        RequestLimits::Settings limits {m_options.sendsPerIp, m_options.checksPerIp,
                                        m_options.maxSendsPerMinute, m_options.maxSendsPerDay};
        m_limits = std::make_unique<MemoryRequestLimits>(limits, engine.clock());
    }
    m_sharedStore = dynamic_cast<RedisVerificationStore *>(m_verifications.get());
    m_sharedLimits = dynamic_cast<RedisRequestLimits *>(m_limits.get());
    m_memoryStore = dynamic_cast<MemoryVerificationStore *>(m_verifications.get());
    m_verifications->setChangedHandler([this](const QByteArray &id) { changed(id); });
    // Changes may have been missed: every long poll is answered with what is there now.
    m_verifications->setResyncHandler([this] {
        const QList<QByteArray> ids = m_waitsByVerification.uniqueKeys();
        for (const QByteArray &id : ids)
            changed(id);
    });
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
        m_verifications->sweep(m_engine.clock().now());
        m_limits->sweep();
    });
    m_sweepTimer.start();
}

VerificationApi::~VerificationApi()
{
    // What a shared store still owes answers nobody: its callbacks find us closing.
    m_closing = true;
    m_verifications.reset();
    m_limits.reset();
    // Clients still waiting get their answer from the HTTP layer (500) or lose the connection.
    for (auto &[serial, wait] : m_waits)
        disconnect(wait.clientGone);
}

void VerificationApi::replyTooManyAttempts(const SharedExchange &exchange, const Verification &v)
{
    m_engine.sendHeldUntil(
        v.number,
        [self = QPointer<VerificationApi>(this), exchange,
         v](std::optional<Clock::TimePoint> heldUntil) {
            if (!self || self->m_closing)
                return;
            // A store that cannot tell leaves the cooldown: the resend's own answer gives the rest.
            const auto wait = untilResend(v, heldUntil.value_or(Clock::TimePoint()),
                                          self->m_engine.clock().now());
            self->reply(*exchange, errorResponse(ApiError::TooManyAttempts, {}, wait));
        });
}

void VerificationApi::replyCheckRefusal(const SharedExchange &exchange, const VerifyResult &result,
                                        const Verification &v)
{
    if (result.status == VerifyResult::Status::TooManyAttempts)
        replyTooManyAttempts(exchange, v);
    else
        reply(*exchange, checkRefusal(result));
}

bool VerificationApi::providerRefusesSettings() const
{
    return m_silent.providerRefusesSettings();
}

HttpResponse VerificationApi::unavailable()
{
    return errorResponse(ApiError::StoreUnavailable, {}, std::chrono::seconds(UnavailableRetry));
}

HttpResponse VerificationApi::notFound(VerificationStore::Result r)
{
    return r == VerificationStore::Result::Unavailable ? unavailable()
                                                       : errorResponse(ApiError::NotFound);
}

// A client over its allowance gets 429 before anything is asked of the engine; the server over
// its budget 503.
std::optional<HttpResponse> VerificationApi::limitRefusal(const RequestLimits::Answer &answer,
                                                          const QByteArray &client)
{
    using Scope = RequestLimits::Scope;
    if (answer.unavailable)
        return unavailable();
    const auto wait = ceilSeconds(answer.wait);
    switch (answer.refused) {
    case Scope::None:
        return std::nullopt;
    case Scope::IpSends:
    case Scope::IpChecks:
        if (answer.refused == Scope::IpSends && !client.isEmpty() && answer.wait.count() > 0) {
            const Clock::TimePoint now = m_engine.clock().now();
            if (m_sendsHeldUntil.size() >= MaxHeldClients)
                m_sendsHeldUntil.removeIf([now](const auto &held) { return held.value() <= now; });
            if (m_sendsHeldUntil.size() < MaxHeldClients)
                m_sendsHeldUntil.insert(client, now + answer.wait);
        }
        m_metrics.limited(answer.refused == Scope::IpSends ? Metrics::Limit::IpSends
                                                           : Metrics::Limit::IpChecks);
        return errorResponse(ApiError::RateLimited,
                             {{QStringLiteral("scope"), QStringLiteral("ip")}}, wait);
    case Scope::BudgetMinute:
    case Scope::BudgetDay: {
        const bool minute = answer.refused == Scope::BudgetMinute;
        m_metrics.limited(minute ? Metrics::Limit::BudgetMinute : Metrics::Limit::BudgetDay);
        return errorResponse(
            ApiError::SendBudgetExhausted,
            {{QStringLiteral("scope"), minute ? QStringLiteral("minute") : QStringLiteral("day")}},
            wait);
    }
    }
    return unavailable();
}

std::optional<HttpResponse> VerificationApi::heldSends(const QByteArray &client)
{
    const auto it = m_sendsHeldUntil.constFind(client);
    if (it == m_sendsHeldUntil.cend())
        return std::nullopt;
    const Clock::TimePoint now = m_engine.clock().now();
    if (*it <= now) {
        m_sendsHeldUntil.erase(it);
        return std::nullopt;
    }
    // What the client's limit would answer now: it refills no sooner.
    RequestLimits::Answer held;
    held.refused = RequestLimits::Scope::IpSends;
    held.wait = std::chrono::duration_cast<std::chrono::milliseconds>(*it - now);
    return limitRefusal(held);
}

HttpResponse VerificationApi::shape(int status, const Verification &v, bool withDemoCode,
                                    const SendResult *send, Clock::TimePoint sendHeldUntil) const
{
    VerificationExtras extras;
    extras.sendHeldUntil = sendHeldUntil;
    extras.demoCode = withDemoCode && m_options.demo;
    // A setting of the server, the same for every number: it tells a client that a sign-in
    // for a number without an account is answered no_account rather than sent silently.
    extras.registrationHints = m_options.registrationHints;
    // The send's place in the send-rate governor's line, when it waits there.
    if (send && send->queuePosition > 0) {
        extras.queuePosition = send->queuePosition;
        extras.queueWait = ceilSeconds(send->queueWait).count();
    }
    return jsonResponse(status, verificationJson(v, m_engine.clock().now(), extras));
}

// --- POST /v1/verifications and /v1/verifications/{id}/resend -----------------------------------

void VerificationApi::create(Exchange &&exchange, const HttpRequest &request)
{
    auto parsed = parseCreateRequest(request.body);
    if (auto *problem = std::get_if<RequestProblem>(&parsed)) {
        reply(exchange, problemResponse(*problem));
        return;
    }
    auto shared = std::make_shared<Exchange>(std::move(exchange));
    // The number is read on the parsing thread, the event loop serving others meanwhile.
    m_phones.parse(std::get<CreateRequest>(parsed), m_options.defaultRegion, this,
                   [this, shared,
                    create = std::get<CreateRequest>(parsed)](const Parsed<PhoneNumber> &number) {
                       if (!m_closing)
                           createFor(shared, create, number);
                   });
}

void VerificationApi::createFor(const SharedExchange &shared, const CreateRequest &create,
                                const Parsed<PhoneNumber> &number)
{
    if (auto *problem = std::get_if<RequestProblem>(&number)) {
        reply(*shared, problemResponse(*problem));
        return;
    }
    const PhoneNumber &phone = std::get<PhoneNumber>(number);
    shared->maskedPhone = phone.masked();
    if (m_options.allowedCountries && !m_options.allowedCountries->contains(phone.region())) {
        reply(*shared,
              errorResponse(ApiError::CountryNotAllowed,
                            {{QStringLiteral("country"), phone.region()}}));
        return;
    }
    if (std::optional<HttpResponse> held = heldSends(shared->client)) {
        reply(*shared, std::move(*held));
        return;
    }
    admit(phone, create.flow, [this, shared, create, phone](Admission admission) {
        createAdmitted(shared, create, phone, admission);
    });
}

void VerificationApi::createAdmitted(const SharedExchange &shared, const CreateRequest &create,
                                     const PhoneNumber &phone, Admission admission)
{
    if (parkWhileSending(phone, {shared, false, [this, shared, create, phone, admission] {
                                     createAdmitted(shared, create, phone, admission);
                                 }}))
        return;
    if (sendsInOneScript(admission, phone, create.channel)) {
        PendingSend pending {shared, create, {}, phone, admission == Admission::Silent, {}};
        pending.inStore = std::make_shared<PendingSend::InStore>();
        startSend(std::move(pending), create.flow, create.channel, create.locale);
        return;
    }
    admitSend(shared, admission, [this, shared, create, phone, admission] {
        PendingSend pending {shared, create, {}, phone, admission == Admission::Silent, {}};
        startSend(std::move(pending), create.flow, create.channel, create.locale);
    });
}

void VerificationApi::resend(Exchange &&exchange, const HttpRequest &request, const QByteArray &id)
{
    auto parsed = parseResendRequest(request.body);
    if (auto *problem = std::get_if<RequestProblem>(&parsed)) {
        reply(exchange, problemResponse(*problem));
        return;
    }
    const std::optional<Channel> asked = std::get<ResendRequest>(parsed).channel;
    resendFor(std::make_shared<Exchange>(std::move(exchange)), id, asked);
}

void VerificationApi::resendFor(const SharedExchange &shared, const QByteArray &id,
                                std::optional<Channel> asked)
{
    if (std::optional<HttpResponse> held = heldSends(shared->client)) {
        reply(*shared, std::move(*held));
        return;
    }
    if (const std::optional<PhoneNumber> number =
            m_sharedStore ? m_sharedStore->numberOfId(id) : std::nullopt) {
        if (parkWhileSending(*number, {shared, false, [this, shared, id, asked] {
                                           resendFor(shared, id, asked);
                                       }}))
            return;
    }
    if (const std::optional<PhoneNumber> number = resendsInOneScript(id, asked)) {
        resendInOneScript(shared, id, *number, asked);
        return;
    }
    openVerification(shared, id, [this, shared, id, asked](const Verification &v) {
        // Accounts may have come or gone since the verification began: the rule is applied
        // anew.
        admit(v.number, v.flow, [this, shared, id, asked, v](Admission admission) {
            const Channel channel = asked.value_or(v.channel);
            if (sendsInOneScript(admission, v.number, channel)) {
                PendingSend pending {shared, {}, id, v.number, admission == Admission::Silent, {}};
                pending.inStore = std::make_shared<PendingSend::InStore>();
                startSend(std::move(pending), v.flow, channel, v.locale);
                return;
            }
            admitSend(shared, admission, [this, shared, id, asked, v, admission] {
                PendingSend pending {shared, {}, id, v.number, admission == Admission::Silent, {}};
                startSend(std::move(pending), v.flow, asked.value_or(v.channel), v.locale);
            });
        });
    });
}

// The number comes from the id: the verification is not looked up first. The store applies the
// flow's rule, and takes the flow, channel and language of the message from the verification.
std::optional<PhoneNumber> VerificationApi::resendsInOneScript(const QByteArray &id,
                                                               std::optional<Channel> asked) const
{
    if (!m_sharedStore || !m_sharedLimits || (asked && !m_engine.sender().supportsChannel(*asked)))
        return std::nullopt;
    const std::optional<PhoneNumber> number = m_sharedStore->numberOfId(id);
    if (!number || m_sendingTo.contains(number->e164()))
        return std::nullopt;
    return number;
}

void VerificationApi::resendInOneScript(const SharedExchange &exchange, const QByteArray &id,
                                        const PhoneNumber &number, std::optional<Channel> asked)
{
    exchange->maskedPhone = number.masked();
    // Accounts may have come or gone since the verification began: the rule is applied anew,
    // to the flow the store finds. One question to the account database answers for both.
    m_accounts.isRegistered(
        number, this,
        [this, exchange, id, number, asked](const DatabaseAnswer<std::optional<bool>> &answer) {
            if (m_closing)
                return;
            if (answer.wait != DatabaseWait::Answered) {
                reply(*exchange, databaseBusy(answer.wait));
                return;
            }
            const std::optional<bool> &registered = answer.value;
            PendingSend pending {exchange, {}, id, number, false, {}};
            pending.inStore = std::make_shared<PendingSend::InStore>();
            pending.inStore->resend.channel = asked;
            pending.inStore->resend.rule[int(Purpose::SignUp)] =
                int(admission(registered, Purpose::SignUp));
            pending.inStore->resend.rule[int(Purpose::SignIn)] =
                int(admission(registered, Purpose::SignIn));
            // What the engine is told before the store answers; the message is the
            // verification's.
            const Channel channel = asked.value_or(
                m_engine.sender().supportsChannel(Channel::WhatsApp) ? Channel::WhatsApp
                                                                     : Channel::Sms);
            startSend(std::move(pending), Purpose::SignIn, channel, QString());
        });
}

// A sign-in needs an account and a sign-up must not have one. By default the send the rule
// refuses still answers as if it went out (a silent send), so that no answer tells whether a
// number is registered; registration_hints answers no_account / account_exists instead.
// The account database answers on its thread, the event loop serving others meanwhile.
void VerificationApi::admit(const PhoneNumber &number, Purpose flow,
                            std::function<void(Admission)> then)
{
    m_accounts.isRegistered(
        number, this,
        [this, flow, then = std::move(then)](const DatabaseAnswer<std::optional<bool>> &answer) {
            if (m_closing)
                return;
            if (answer.wait != DatabaseWait::Answered) {
                countDatabaseRefusal(answer.wait);
                then(Admission::Busy);
                return;
            }
            then(admission(answer.value, flow));
        });
}

namespace {

// A deadline's wait later, the database may answer again.
std::chrono::seconds databaseRetry(std::chrono::milliseconds deadline)
{
    return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(deadline));
}

} // namespace

void VerificationApi::countDatabaseRefusal(DatabaseWait wait)
{
    m_metrics.databaseRefused(wait == DatabaseWait::TimedOut ? Metrics::DatabaseRefusal::Timeout
                                                             : Metrics::DatabaseRefusal::QueueFull);
}

HttpResponse VerificationApi::databaseBusy(DatabaseWait wait)
{
    countDatabaseRefusal(wait);
    return errorResponse(ApiError::DatabaseUnavailable, {},
                         databaseRetry(m_accounts.limits().deadline));
}

VerificationApi::Admission VerificationApi::admission(std::optional<bool> registered,
                                                      Purpose flow) const
{
    if (!registered)
        return Admission::Unavailable;
    const bool refused = flow == Purpose::SignIn ? !*registered : *registered;
    if (!refused)
        return Admission::Send;
    if (!m_options.registrationHints)
        return Admission::Silent;
    return flow == Purpose::SignIn ? Admission::NoAccount : Admission::AccountExists;
}

std::optional<HttpResponse> VerificationApi::refuseAdmission(Admission admission) const
{
    switch (admission) {
    case Admission::Send:
    case Admission::Silent:
        return std::nullopt;
    case Admission::NoAccount:
        return errorResponse(ApiError::NoAccount);
    case Admission::AccountExists:
        return errorResponse(ApiError::AccountExists);
    case Admission::Unavailable:
        return errorResponse(ApiError::AccountsUnavailable, {},
                             std::chrono::seconds(UnavailableRetry));
    case Admission::Busy:
        return errorResponse(ApiError::DatabaseUnavailable, {},
                             databaseRetry(m_accounts.limits().deadline));
    }
    return std::nullopt;
}

// The client's limit comes first, so that a client over it learns nothing of the number's
// account. The budget counts silent sends too: a budget only real sends used up would tell them
// apart.
void VerificationApi::admitSend(const SharedExchange &exchange, Admission admission,
                                std::function<void()> go)
{
    const bool fromBudget = admission == Admission::Send || admission == Admission::Silent;
    m_limits->admitSend(exchange->client, fromBudget,
                        [this, exchange, admission, go](const RequestLimits::Answer &answer) {
                            if (m_closing)
                                return;
                            std::optional<HttpResponse> refused =
                                limitRefusal(answer, exchange->client);
                            if (!refused)
                                refused = refuseAdmission(admission);
                            if (refused) {
                                reply(*exchange, std::move(*refused));
                            } else {
                                exchange->budgetEntry = answer.budgetEntry;
                                go();
                            }
                        });
}

void VerificationApi::startSend(PendingSend &&pending, Purpose flow, Channel channel,
                                const QString &locale)
{
    const PhoneNumber number = pending.number;
    // With the shared store, one that came in flight meanwhile (while the accounts were asked)
    // waits for it.
    if (m_sharedStore && m_sendingTo.contains(number.e164())) {
        auto parked = std::make_shared<PendingSend>(std::move(pending));
        const SharedExchange exchange = parked->exchange;
        const bool counted = !parked->inStore;
        parkWhileSending(number, {exchange, counted, [this, parked, flow, channel, locale] {
                                      startSend(std::move(*parked), flow, channel, locale);
                                  }});
        return;
    }
    // Otherwise a request for a number whose send is still in flight gets that send's id back:
    // it is answered with the first one, as a request a moment later would be (see
    // codeRequested()). That send is not this one's to silence.
    const bool inFlight = m_sendingTo.contains(number.e164());
    if (pending.silent && !inFlight)
        m_silent.silence(number);
    m_sendingTo.insert(number.e164());
    quint64 id = 0;
    if (const auto inStore = pending.inStore) {
        // The engine makes the code and its MAC, and hears the answer as from its store's
        // issue(): its rules (the cooldown waived after a failure or an approval) hold as ever.
        // The verification is stored in the same script, before the message goes out: status
        // callbacks name it and the send (statusRef()), not the message.
        const bool fresh = pending.verificationId.isEmpty();
        Verification v;
        v.number = number;
        v.id = fresh ? m_verifications->newId(v) : pending.verificationId;
        v.flow = flow;
        v.channel = channel;
        v.locale = locale;
        v.nonce = pending.request.nonce;
        v.silent = pending.silent;
        v.attemptsLeft = m_engine.policy().maxAttempts;
        inStore->tag = randomId(12); // 16 characters
        inStore->budgetEntry = m_sharedLimits->newBudgetEntry(true);
        const QByteArray statusRef =
            m_options.statusCallbacks ? m_sharedStore->statusRef(v.id, inStore->tag) : QByteArray();
        id = m_engine.requestCode(
            number, flow, channel, locale,
            [this, store = m_sharedStore, limits = m_sharedLimits,
             client = pending.exchange->client, enginePolicy = m_engine.policy(), inStore, v,
             fresh](const Digest &subject, const std::optional<Digest> &mac, Clock::TimePoint now,
                    const OtpPolicy &policy,
                    std::function<void(IssueOutcome, const OtpEngine::SendAs &)> done) {
                store->sendCode(v, fresh, inStore->tag, subject,
                                limits->admitAndIssueArgs(client, true, subject, mac, policy,
                                                          inStore->budgetEntry),
                                enginePolicy, policy, now, inStore->resend,
                                [this, inStore, fresh, done = std::move(done)](
                                    const RedisVerificationStore::CodeSend &c) {
                                    inStore->limits = c.limits;
                                    inStore->issued = c.result == Result::Ok;
                                    inStore->stored = c;
                                    OtpEngine::SendAs as;
                                    as.slot = c.slot; // taken in the same script
                                    if (!fresh && inStore->issued) {
                                        // A resend's message is the verification's, as the store
                                        // has it.
                                        as = {c.v.flow, c.v.channel, c.v.locale, c.slot};
                                        if (c.v.silent && !m_closing)
                                            m_silent.silence(c.v.number);
                                    }
                                    done(c.issued, as);
                                });
            },
            statusRef);
    } else {
        id = m_engine.requestCode(number, flow, channel, locale, {}, memoryStatusRef(pending));
    }
    m_pendingSends[id].push_back(std::move(pending));
}

// The process's store names a send in its status callback URL as a shared store does (the
// verification, new or resent, and the send), so that what Twilio calls back does not depend on
// the store.
QByteArray VerificationApi::memoryStatusRef(PendingSend &pending)
{
    if (!m_memoryStore || !m_options.statusCallbacks)
        return {};
    QByteArray id = pending.verificationId;
    if (id.isEmpty()) {
        Verification v;
        v.number = pending.number;
        id = pending.newId = m_verifications->newId(v);
    }
    return m_memoryStore->statusRef(id, randomId(12)); // a 16-character tag
}

// A send that joins one in flight, or that the flow's rule refuses, is counted first as the
// memory store counts it.
bool VerificationApi::sendsInOneScript(Admission admission, const PhoneNumber &number,
                                       Channel channel) const
{
    return m_sharedStore && m_sharedLimits
        && (admission == Admission::Send || admission == Admission::Silent)
        && !m_sendingTo.contains(number.e164()) && m_engine.sender().supportsChannel(channel);
}

void VerificationApi::codeRequested(quint64 requestId, const PhoneNumber &number,
                                    const CodeRequestResult &result)
{
    const auto it = m_pendingSends.find(requestId);
    const QString demoCode = m_demoCodes.take(number.e164());
    m_silent.release(number); // a silence the store's refusal left unused
    m_sendingTo.remove(number.e164());
    if (result.status == CodeRequestResult::Status::SendFailed) {
        // The engine voided the number's code, one a verification of the number had before
        // this send included: that verification shows the failure (and may be resent at once)
        // rather than a code that is gone. A send stored in one script is marked there.
        const bool marked = it != m_pendingSends.end() && !it->second.empty()
            && it->second.front().inStore && it->second.front().inStore->stored
            && it->second.front().inStore->issued;
        if (!marked && (it != m_pendingSends.end() || !m_sharedStore))
            m_verifications->sendVoided(number, result.send.providerCode, reportDone());
    }
    if (it == m_pendingSends.end()) {
        resumeParked(number, result);
        return;
    }
    std::vector<PendingSend> waiting = std::move(it->second);
    m_pendingSends.erase(it);

    for (std::size_t i = 0; i < waiting.size(); ++i) {
        PendingSend &pending = waiting[i];
        using Status = CodeRequestResult::Status;
        if (pending.inStore && !pending.inStore->limits.allowed()) {
            reply(*pending.exchange,
                  *limitRefusal(pending.inStore->limits, pending.exchange->client));
            continue;
        }
        if (pending.inStore && pending.inStore->stored && pending.inStore->stored->refusedBy >= 0) {
            reply(*pending.exchange,
                  *refuseAdmission(Admission(pending.inStore->stored->refusedBy)));
            continue;
        }
        if (pending.inStore && pending.inStore->stored
            && pending.inStore->stored->result != Result::Ok
            && pending.inStore->stored->issued.status == IssueOutcome::Status::Unavailable) {
            // The verification was approved or cancelled meanwhile, or the store is down:
            // nothing was counted or issued.
            reply(*pending.exchange, notFound(pending.inStore->stored->result));
            continue;
        }
        if (pending.inStore && pending.inStore->stored && pending.inStore->issued
            && result.status != Status::Sent) {
            // Stored before the send: the store forgets (a new verification) or marks (a
            // resend) what did not go out, then the refusal is answered. A send the engine
            // refused never reached the sender: its slot of the send rate goes back too.
            m_limits->giveBackSend(pending.inStore->budgetEntry);
            m_sharedStore->sendFailed(
                pending.inStore->stored->v.id, pending.inStore->tag,
                pending.verificationId.isEmpty(),
                [this, exchange = pending.exchange, result](Result, const Verification &, bool) {
                    if (!m_closing)
                        reply(*exchange, sendRefusal(result));
                },
                result.status == Status::ChannelUnavailable ? pending.inStore->stored->slot
                                                            : std::nullopt);
            continue;
        }
        // A send counted in one script gave back its budget there when it was not issued.
        const bool counted = !pending.inStore || pending.inStore->issued;
        if ((result.status != Status::Sent || i > 0) && counted)
            m_limits->giveBackSend(pending.inStore ? pending.inStore->budgetEntry
                                                   : pending.exchange->budgetEntry);
        if (result.status == Status::CoolingDown || (result.status == Status::Sent && i > 0))
            m_metrics.limited(Metrics::Limit::Cooldown);
        else if (result.status == Status::HourlyLimit)
            m_metrics.limited(Metrics::Limit::HourlyLimit);
        else if (result.status == Status::FailureBackoff)
            m_metrics.limited(Metrics::Limit::WrongCodes);

        if (result.status != Status::Sent) {
            reply(*pending.exchange, sendRefusal(result));
        } else if (i > 0) {
            // The same send asked for twice: the second is too soon after the first.
            reply(*pending.exchange, repeatedSendRefusal(result, m_engine.clock().now()));
        } else {
            sent(pending, result, demoCode);
        }
    }
    resumeParked(number, result);
}

bool VerificationApi::parkWhileSending(const PhoneNumber &number, ParkedSend &&parked)
{
    if (!m_sharedStore || !m_sendingTo.contains(number.e164()))
        return false;
    m_parkedSends[number.e164()].push_back(std::move(parked));
    return true;
}

// A send refused before it left (by the limits, the flow's rule, the code store) tells nothing
// of another client's request: each parked one is counted and answered on its own. One the
// provider refused is answered the same (not tried twice).
void VerificationApi::resumeParked(const PhoneNumber &number, const CodeRequestResult &result)
{
    const auto it = m_parkedSends.find(number.e164());
    if (it == m_parkedSends.end())
        return;
    std::vector<ParkedSend> parked = std::move(*it);
    m_parkedSends.erase(it);
    for (ParkedSend &p : parked) {
        if (m_closing)
            return;
        if (result.status == CodeRequestResult::Status::SendFailed) {
            if (p.counted)
                m_limits->giveBackSend(p.exchange->budgetEntry);
            reply(*p.exchange, sendRefusal(result));
            continue;
        }
        p.resume(); // the first goes; the others park again behind it
    }
}

void VerificationApi::sent(PendingSend &pending, const CodeRequestResult &result,
                           const QString &demoCode)
{
    if (pending.inStore && pending.inStore->stored)
        pending.silent = pending.inStore->stored->v.silent; // a resend's: as the store found it
    Verification code;
    code.silent = pending.silent;
    code.messageSid = pending.silent ? QString() : result.send.messageId;
    code.channel = result.channel;
    code.expiresAt = result.expiresAt;
    code.nextSendAt = result.nextSendAt;
    code.attemptsLeft = m_engine.policy().maxAttempts;
    code.delivery = DeliveryStatus::Queued;
    const bool fresh = pending.verificationId.isEmpty();
    auto stored = [this, exchange = pending.exchange, number = pending.number, fresh,
                   silent = pending.silent, channel = result.channel, send = result.send,
                   demoCode](Result r, const Verification &v, bool) {
        if (m_closing)
            return;
        if (r != Result::Ok) {
            // Unknown, or deleted while the new code was on its way: that code must not stay
            // usable.
            m_queuedSends.notStored(send.queueTicket, m_engine.clock().now());
            m_engine.cancel(number);
            reply(*exchange, notFound(r));
            return;
        }
        m_queuedSends.stored(send.queueTicket, v);
        if (fresh)
            m_metrics.verificationStarted(channel);
        else
            m_metrics.codeResent(channel);
        if (silent)
            m_metrics.silentSend(v.flow);
        Verification shown = v;
        shown.demoCode = demoCode; // only the demo sender's codes are ever captured
        reply(*exchange, shape(201, shown, true, &send));
    };
    if (pending.inStore && pending.inStore->stored) {
        const RedisVerificationStore::CodeSend &c = *pending.inStore->stored;
        // The provider's own code (Twilio Verify) is named by the id it gave it: stored with the
        // verification before the answer, so that a cancel at any instance voids it there.
        if (m_engine.sender().generatesCodes() && !result.send.messageId.isEmpty()) {
            m_sharedStore->sendAccepted(c.v.id, pending.inStore->tag, result.send.messageId,
                                        std::move(stored));
            return;
        }
        stored(c.result, c.v, c.current);
        return;
    }
    if (!fresh) {
        m_verifications->codeSent(pending.verificationId, code, std::move(stored));
        return;
    }
    code.number = pending.number;
    code.id = pending.newId.isEmpty() ? m_verifications->newId(code) : pending.newId;
    code.flow = pending.request.flow;
    code.locale = pending.request.locale;
    code.nonce = pending.request.nonce;
    m_verifications->add(code, std::move(stored));
}

// --- POST /v1/verifications/{id}/check ----------------------------------------------------------

void VerificationApi::check(Exchange &&exchange, const HttpRequest &request, const QByteArray &id)
{
    auto parsed = parseCheckRequest(request.body);
    if (auto *problem = std::get_if<RequestProblem>(&parsed)) {
        reply(exchange, problemResponse(*problem));
        return;
    }
    const QString code = std::get<CheckRequest>(parsed).code;
    auto shared = std::make_shared<Exchange>(std::move(exchange));
    if (const auto held = m_held.constFind(id); held != m_held.cend() && !held->replaced) {
        checkHeld(shared, id, code);
        return;
    }
    checkCode(shared, id, code);
}

void VerificationApi::checkCode(const SharedExchange &shared, const QByteArray &id,
                                const QString &code)
{
    if (const std::optional<PhoneNumber> number = oneScriptNumber(id)) {
        checkInOneScript(shared, id, *number, code);
        return;
    }
    openVerification(shared, id, [this, shared, code](const Verification &v) {
        if (v.attemptsUsedUp) {
            replyTooManyAttempts(shared, v);
            return;
        }
        if (statusOf(v, m_engine.clock().now()) == VerificationStatus::Expired) {
            reply(*shared, errorResponse(ApiError::Expired));
            return;
        }
        admitCheck(shared, [this, shared, code, v] {
            // A provider's code: the store knows whether it went out, wherever it was sent from.
            m_silent.setSilenced(v.number, v.silent);
            auto mac = std::make_shared<std::optional<Digest>>();
            quint64 requestId = 0;
            if (CodeStore *codes = m_options.codes) {
                // The store's check, with the code's MAC kept.
                requestId = m_engine.verifyCode(
                    v.number, code,
                    [codes, mac](const Digest &subject, const Digest &codeMac, Clock::TimePoint now,
                                 const OtpPolicy &policy, std::function<void(CheckOutcome)> done) {
                        *mac = codeMac;
                        codes->check(subject, codeMac, now, policy, std::move(done));
                    });
            } else {
                requestId = m_engine.verifyCode(v.number, code);
            }
            m_pendingChecks.emplace(requestId, PendingCheck {shared, v, {}, mac});
        });
    });
}

void VerificationApi::codeChecked(quint64 requestId, const PhoneNumber &,
                                  const VerifyResult &result)
{
    const auto it = m_pendingChecks.find(requestId);
    if (it == m_pendingChecks.end())
        return;
    PendingCheck pending = std::move(it->second);
    m_pendingChecks.erase(it);
    if (pending.inStore) {
        checkedInStore(pending, result);
        return;
    }
    const SharedExchange exchange = pending.exchange;
    const Verification &v = pending.verification;

    using Status = VerifyResult::Status;
    VerifyResult r = result;
    if (v.silent && v.delivery != DeliveryStatus::Failed
        && (r.status == Status::Verified || r.status == Status::NoCode)) {
        // Nobody was sent this code: a match can only be a guess (and used the code up). It
        // is answered as the wrong code it is to everyone else, down to the last attempt. Once
        // a failed send has voided it (a resend while Twilio fails), there is no code, as for
        // a real verification: not_found for both.
        r.attemptsLeft = std::max(0, v.attemptsLeft - 1);
        r.status = r.attemptsLeft > 0 ? Status::WrongCode : Status::TooManyAttempts;
    }
    if (m_engine.sender().generatesCodes() && r.status == Status::WrongCode) {
        // The provider counts the wrong codes it checked itself, the store every check's (in
        // one script with Redis): counted on the verification as the store has it now, not as
        // it was when this check began, so wrong codes checked at once (at one instance or
        // several) each take an attempt.
        m_verifications->wrongCode(
            v.id, r.attemptsLeft,
            [this, exchange, r, v](Result stored, const Verification &now, bool) mutable {
                if (m_closing)
                    return;
                if (stored != Result::Ok) {
                    reply(*exchange, notFound(stored)); // cancelled meanwhile, or Redis gone
                    return;
                }
                r.attemptsLeft = now.attemptsUsedUp ? 0 : now.attemptsLeft;
                if (now.attemptsUsedUp) {
                    r.status = Status::TooManyAttempts;
                    m_held.remove(v.id);
                }
                replyCheckRefusal(exchange, r, v);
            });
        return;
    }
    if (r.status == Status::Verified) {
        approve(exchange, v, false, pending.mac ? *pending.mac : std::nullopt);
        return;
    }
    if (r.status == Status::TooManyAttempts)
        m_held.remove(v.id);
    if (r.status == Status::GuessLimit)
        m_metrics.limited(Metrics::Limit::WrongCodes);
    if (r.status != Status::WrongCode && r.status != Status::TooManyAttempts) {
        replyCheckRefusal(exchange, r, v);
        return;
    }
    const bool usedUp = r.status == Status::TooManyAttempts;
    m_verifications->attemptsLeft(
        v.id, usedUp ? 0 : r.attemptsLeft, usedUp,
        [this, exchange, r, v](Result stored, const Verification &, bool) {
            if (m_closing)
                return;
            if (stored == Result::NotFound)
                reply(*exchange, errorResponse(ApiError::NotFound)); // cancelled meanwhile
            else
                replyCheckRefusal(exchange, r, v);
        });
}

void VerificationApi::approve(const SharedExchange &exchange, const Verification &v,
                              bool approvedInStore, const std::optional<Digest> &mac)
{
    if (const auto held = m_held.find(v.id); held != m_held.end()) {
        if (held->late) {
            // The statement given up on finished later: its outcome is this approval's.
            const std::optional<AccountOutcome> late = held->late;
            m_held.erase(held);
            approveAccount(exchange, v, approvedInStore, late);
            return;
        }
        if (held->running) { // not a second statement while the first still runs
            holdApproval(exchange, v, approvedInStore, mac, true);
            return;
        }
    }
    // The account database answers on its thread, the event loop serving others meanwhile.
    m_accounts.complete(
        v.number, v.flow, this,
        [this, exchange, v, approvedInStore,
         mac](const DatabaseAnswer<std::optional<AccountOutcome>> &answer) {
            if (m_closing)
                return;
            if (answer.wait != DatabaseWait::Answered) {
                countDatabaseRefusal(answer.wait);
                holdApproval(exchange, v, approvedInStore, mac, answer.running);
                return;
            }
            if (!answer.value) { // the statement failed: the code stays usable all the same
                holdApproval(exchange, v, approvedInStore, mac, false);
                return;
            }
            m_held.remove(v.id);
            approveAccount(exchange, v, approvedInStore, answer.value);
        },
        [this, id = v.id](const std::optional<AccountOutcome> &late) {
            // Kept for the same code's next check (a sign-up made is not made twice).
            if (const auto held = m_held.find(id); held != m_held.end()) {
                held->running = false;
                held->late = late;
            }
        });
}

void VerificationApi::holdApproval(const SharedExchange &exchange, const Verification &v,
                                   bool approvedInStore, const std::optional<Digest> &mac,
                                   bool running)
{
    const HttpResponse answer = mac
        ? errorResponse(ApiError::DatabaseUnavailable, {},
                        databaseRetry(m_accounts.limits().deadline))
        : errorResponse(ApiError::AccountsUnavailable, {}, std::chrono::seconds(UnavailableRetry));
    if (mac) {
        const Clock::TimePoint now = m_engine.clock().now();
        for (auto it = m_held.begin(); it != m_held.end();) {
            if (it->expiresAt <= now && !it->running)
                it = m_held.erase(it);
            else
                ++it;
        }
        HeldApproval &held = m_held[v.id];
        held.replaced = false;
        held.mac = *mac;
        held.attemptsLeft = v.attemptsLeft;
        held.running = running;
        held.expiresAt = v.expiresAt;
    }
    if (!approvedInStore) {
        reply(*exchange, answer);
        return;
    }
    m_sharedStore->withdrawApproval(v.id, false,
                                    [this, exchange, answer](Result, const Verification &, bool) {
                                        if (!m_closing)
                                            reply(*exchange, answer);
                                    });
}

void VerificationApi::admitCheck(const SharedExchange &exchange, std::function<void()> go)
{
    m_limits->admitCheck(exchange->client,
                         [this, exchange, go = std::move(go)](const RequestLimits::Answer &answer) {
                             if (m_closing)
                                 return;
                             if (auto refused = limitRefusal(answer)) {
                                 reply(*exchange, std::move(*refused));
                                 return;
                             }
                             go();
                         });
}

// The verification is looked up as for any check; its code was used up by the first right
// check, so the code is compared with the held MAC instead, through the engine (which makes the
// MAC and answers as from its store).
void VerificationApi::checkHeld(const SharedExchange &exchange, const QByteArray &id,
                                const QString &code)
{
    openVerification(exchange, id, [this, exchange, id, code](const Verification &v) {
        const auto held = m_held.find(id);
        if (held == m_held.end())
            return; // approved by another check meanwhile: answered as any check then
        if (statusOf(v, m_engine.clock().now()) == VerificationStatus::Expired) {
            m_held.remove(id);
            reply(*exchange, errorResponse(ApiError::Expired));
            return;
        }
        // A code sent since (a resend: it expires a cooldown later, where the same code read
        // again differs by a shared store's clock at most) replaces the held one: checked as any
        // code, the held statement's outcome kept for its approval.
        if (v.expiresAt > held->expiresAt + std::chrono::seconds(1)) {
            held->replaced = true;
            checkCode(exchange, id, code);
            return;
        }
        admitCheck(exchange, [this, exchange, id, code, v] {
            auto mac = std::make_shared<std::optional<Digest>>();
            const quint64 requestId = m_engine.verifyCode(
                v.number, code,
                [this, id, mac](const Digest &, const Digest &codeMac, Clock::TimePoint,
                                const OtpPolicy &, std::function<void(CheckOutcome)> done) {
                    CheckOutcome outcome;
                    const auto it = m_held.find(id);
                    if (it == m_held.end()) {
                        outcome.status = CheckOutcome::Status::NoCode;
                    } else if (CodeHasher::equal(it->mac, codeMac)) {
                        *mac = codeMac;
                        outcome.status = CheckOutcome::Status::Verified;
                    } else {
                        outcome.attemptsLeft = std::max(0, it->attemptsLeft - 1);
                        it->attemptsLeft = outcome.attemptsLeft;
                        outcome.status = outcome.attemptsLeft > 0
                            ? CheckOutcome::Status::WrongCode
                            : CheckOutcome::Status::TooManyAttempts;
                    }
                    done(outcome);
                });
            m_pendingChecks.emplace(requestId, PendingCheck {exchange, v, {}, mac});
        });
    });
}

void VerificationApi::approveAccount(const SharedExchange &exchange, const Verification &v,
                                     bool approvedInStore,
                                     const std::optional<AccountOutcome> &account)
{
    // Before an answer that gives no token, the store's approval is taken back (the code is
    // used all the same, as it is when the approval comes last).
    const auto refuse = [this, exchange, id = v.id, approvedInStore](HttpResponse refusal,
                                                                     bool cancel) {
        const auto answer = [this, exchange, refusal](Result, const Verification &, bool) {
            if (!m_closing)
                reply(*exchange, refusal);
        };
        if (approvedInStore)
            m_sharedStore->withdrawApproval(id, cancel, answer);
        else if (cancel)
            m_verifications->cancel(id, answer);
        else
            reply(*exchange, refusal);
    };
    if (!account) { // a late statement that failed: see approve()
        refuse(errorResponse(ApiError::AccountsUnavailable, {},
                             std::chrono::seconds(UnavailableRetry)),
               false);
        return;
    }
    if (account->refusal != AccountOutcome::Refusal::None) {
        // The account came or went after the code was sent. Whoever gave the right code holds
        // the number: they may learn which.
        const ApiError error = account->refusal == AccountOutcome::Refusal::NoAccount
            ? ApiError::NoAccount
            : ApiError::AccountExists;
        refuse(errorResponse(error), true);
        return;
    }
    TokenClaims claims;
    claims.subject = account->id;
    claims.phoneNumber = v.number.e164();
    claims.channel = channelName(v.channel);
    claims.account = account->created ? QStringLiteral("created") : QStringLiteral("existing");
    claims.nonce = v.nonce;
    // Signed on the issuer's signing thread, the event loop serving others meanwhile.
    m_tokens.issueLater(claims, this,
                        [this, exchange, v, approvedInStore, account = *account, claims,
                         refuse](const IssuedToken &token) {
                            if (m_closing)
                                return;
                            if (token.token.isEmpty())
                                refuse(errorResponse(ApiError::TokenUnavailable), false);
                            else
                                grant(exchange, v, approvedInStore, account, claims, token.token);
                        });
}

void VerificationApi::grant(const SharedExchange &exchange, const Verification &v,
                            bool approvedInStore, const AccountOutcome &account,
                            const TokenClaims &claims, const QByteArray &token)
{
    const auto granted = [this, exchange, account, claims, token](Result r, const Verification &,
                                                                  bool) {
        if (m_closing)
            return;
        if (r != Result::Ok) {
            reply(*exchange, notFound(r));
            return;
        }
        m_metrics.tokenIssued(account.created);
        reply(*exchange,
              jsonResponse(200,
                           approvedJson(claims.phoneNumber, claims.account, account.id, token,
                                        qint64(m_tokens.settings().lifetime.count()))));
    };
    // The approval shows (GET) only now, with its token: one made in the check's script (exactly
    // once, there) is confirmed, and the token goes out even if the store did not hear it.
    if (approvedInStore)
        m_sharedStore->confirmApproval(v.id, [granted, v](Result, const Verification &, bool) {
            granted(Result::Ok, v, true);
        });
    else
        m_verifications->approve(v.id, granted);
}

// --- A check and a cancel in one script of the shared store -------------------------------------

std::optional<PhoneNumber> VerificationApi::oneScriptNumber(const QByteArray &id) const
{
    // A provider's codes are checked at the provider, and the demo's "any code" is the
    // engine's: those keep the steps of the memory store.
    if (!m_sharedStore || !m_sharedLimits || m_engine.sender().generatesCodes()
        || m_engine.acceptsAnyCode())
        return std::nullopt;
    return m_sharedStore->numberOfId(id);
}

void VerificationApi::checkInOneScript(const SharedExchange &exchange, const QByteArray &id,
                                       const PhoneNumber &number, const QString &code)
{
    exchange->maskedPhone = number.masked();
    auto found = std::make_shared<RedisVerificationStore::CodeCheck>();
    found->result = Result::Ok; // what stays if the engine answers without asking the store
    auto kept = std::make_shared<std::optional<Digest>>();
    const QList<QByteArray> clientLimit = m_sharedLimits->checkArgs(exchange->client);
    // The engine makes the MAC and hears the answer as from its store's check(): its rules
    // after a check (an approval ends the resend cooldown) hold as ever.
    const quint64 requestId = m_engine.verifyCode(
        number, code,
        [store = m_sharedStore, id, clientLimit, found,
         kept](const Digest &subject, const Digest &mac, Clock::TimePoint, const OtpPolicy &policy,
               std::function<void(CheckOutcome)> done) {
            *kept = mac;
            store->checkCode(
                id, clientLimit, subject, mac, policy,
                [found, done = std::move(done)](const RedisVerificationStore::CodeCheck &c) {
                    *found = c;
                    done(c.outcome);
                });
        });
    m_pendingChecks.emplace(requestId, PendingCheck {exchange, {}, found, kept});
}

void VerificationApi::checkedInStore(PendingCheck &pending, const VerifyResult &result)
{
    using Step = RedisVerificationStore::CodeCheck::Step;
    const SharedExchange exchange = pending.exchange;
    const RedisVerificationStore::CodeCheck &c = *pending.inStore;
    switch (c.step) {
    case Step::NotRun:
        if (c.result == Result::Ok) // the engine answered without asking the store
            reply(*exchange, checkRefusal(result));
        else
            reply(*exchange, notFound(c.result));
        return;
    case Step::UsedUp:
        replyTooManyAttempts(exchange, c.v);
        return;
    case Step::Expired:
        reply(*exchange, errorResponse(ApiError::Expired));
        return;
    case Step::ClientLimited: {
        RequestLimits::Answer limited;
        limited.refused = RequestLimits::Scope::IpChecks;
        limited.wait = c.clientWait;
        reply(*exchange, *limitRefusal(limited));
        return;
    }
    case Step::Checked:
        break;
    }
    using Status = VerifyResult::Status;
    if (result.status == Status::Verified) {
        approve(exchange, c.v, true, pending.mac ? *pending.mac : std::nullopt);
        return;
    }
    if (result.status == Status::GuessLimit)
        m_metrics.limited(Metrics::Limit::WrongCodes);
    // The attempts left are stored already.
    replyCheckRefusal(exchange, result, c.v);
}

// --- GET and DELETE /v1/verifications/{id} ------------------------------------------------------

void VerificationApi::show(Exchange &&exchange, const HttpRequest &request, const QByteArray &id)
{
    const auto wait = parseWait(request.query);
    if (auto *problem = std::get_if<RequestProblem>(&wait)) {
        reply(exchange, problemResponse(*problem));
        return;
    }
    const auto seconds = std::get<std::chrono::seconds>(wait);
    auto shared = std::make_shared<Exchange>(std::move(exchange));
    // A long poll follows its verification's changes while it is looked up (a shared store
    // answers later): a change heard meanwhile answers it at once.
    const quint64 changesBefore = m_changeSerial;
    if (seconds > 0s)
        ++m_lookups[id].count;
    m_verifications->find(
        id, [this, shared, seconds, changesBefore, id](Result r, const Verification &v, bool) {
            if (m_closing)
                return;
            const bool changedMeanwhile = seconds > 0s && lookupEnded(id) > changesBefore;
            if (r != Result::Ok) {
                reply(*shared, notFound(r));
                return;
            }
            shared->maskedPhone = v.number.masked();
            if (seconds == 0s || m_waitingStopped || !shared->responder.connection()) {
                replyShown({shared}, v);
                return;
            }
            // A change heard while the verification was being looked up: the answer is looked
            // up anew at once.
            startWait(shared, v, changedMeanwhile ? 0s : seconds);
        });
}

// Held until the verification changes or the time is up; a code's end counts as a change.
void VerificationApi::startWait(const SharedExchange &exchange, const Verification &v,
                                std::chrono::seconds seconds)
{
    std::chrono::milliseconds hold = seconds;
    const auto now = m_engine.clock().now();
    if (statusOf(v, now) == VerificationStatus::Pending)
        hold = std::min(
            hold, std::chrono::duration_cast<std::chrono::milliseconds>(v.expiresAt - now + 1ms));
    const quint64 serial = m_nextWait++;
    // The end of the wait on the waits' one timer (a wait answered before it is not found then).
    m_waitTimers.callAfter(hold, this, [this, serial] { finishWait(serial); });
    // A client that goes away stops waiting.
    const QMetaObject::Connection clientGone =
        connect(exchange->responder.connection(), &QObject::destroyed, this,
                [this, serial] { finishWait(serial); });
    m_waitsByVerification.insert(v.id, serial);
    m_waits.emplace(serial, Wait {exchange, v.id, clientGone});
}

quint64 VerificationApi::lookupEnded(const QByteArray &verificationId)
{
    const auto it = m_lookups.find(verificationId);
    if (it == m_lookups.end())
        return 0;
    const quint64 lastChange = it->lastChange;
    if (--it->count == 0)
        m_lookups.erase(it);
    return lastChange;
}

void VerificationApi::changed(const QByteArray &verificationId)
{
    ++m_changeSerial;
    if (const auto it = m_lookups.find(verificationId); it != m_lookups.end())
        it->lastChange = m_changeSerial;
    finishWaits(verificationId, m_waitsByVerification.values(verificationId));
}

void VerificationApi::stopWaiting()
{
    m_waitingStopped = true;
    for (const QByteArray &id : m_waitsByVerification.uniqueKeys())
        finishWaits(id, m_waitsByVerification.values(id));
}

void VerificationApi::finishWait(quint64 serial)
{
    const auto it = m_waits.find(serial);
    if (it != m_waits.end()) {
        const QByteArray id = it->second.verificationId; // a copy: finishWaits() moves the wait
        finishWaits(id, {serial});
    }
}

// One lookup answers every client waiting on the verification.
void VerificationApi::finishWaits(const QByteArray &verificationId, const QList<quint64> &serials)
{
    auto waiting = std::make_shared<std::vector<SharedExchange>>();
    for (quint64 serial : serials) {
        const auto it = m_waits.find(serial);
        if (it == m_waits.end())
            continue;
        Wait wait = std::move(it->second);
        m_waits.erase(it);
        m_waitsByVerification.remove(verificationId, serial);
        disconnect(wait.clientGone);
        if (wait.exchange->responder.isOpen())
            waiting->push_back(std::move(wait.exchange));
    }
    if (waiting->empty())
        return;
    m_verifications->find(verificationId, [this, waiting](Result r, const Verification &v, bool) {
        if (m_closing)
            return;
        if (r == Result::Ok) {
            std::erase_if(*waiting, [](const SharedExchange &e) { return !e->responder.isOpen(); });
            replyShown(std::move(*waiting), v);
            return;
        }
        for (const SharedExchange &exchange : *waiting) {
            if (exchange->responder.isOpen())
                reply(*exchange, notFound(r));
        }
    });
}

void VerificationApi::replyShown(std::vector<SharedExchange> exchanges, const Verification &v)
{
    const auto answer = [exchanges = std::move(exchanges), v](VerificationApi &api,
                                                              Clock::TimePoint heldUntil) {
        const HttpResponse shown = api.shape(200, v, false, nullptr, heldUntil);
        for (const SharedExchange &exchange : exchanges)
            api.reply(*exchange, shown);
    };
    // The verification's nextSendAt holds the hourly cap and the wrong codes' backoff as they
    // were at its send, and left alone they only shrink: the store is asked again only when
    // that no longer holds: after a wrong code, or once an approval or a failed delivery ended
    // the cooldown (not the cap, nor the backoff).
    if (resendAllowedAt(v) == v.nextSendAt && !v.attemptsUsedUp
        && v.attemptsLeft >= m_engine.policy().maxAttempts) {
        answer(*this, {});
        return;
    }
    m_engine.sendHeldUntil(v.number,
                           [self = QPointer<VerificationApi>(this),
                            answer](std::optional<Clock::TimePoint> heldUntil) {
                               // A store that cannot tell leaves the cooldown alone: a resend's own
                               // answer has the rest.
                               if (self && !self->m_closing)
                                   answer(*self, heldUntil.value_or(Clock::TimePoint()));
                           });
}

void VerificationApi::openVerification(const SharedExchange &exchange, const QByteArray &id,
                                       std::function<void(const Verification &)> open)
{
    m_verifications->find(id, [this, exchange, open](Result r, const Verification &v, bool) {
        if (m_closing)
            return;
        if (r == Result::Unavailable) {
            reply(*exchange, unavailable());
            return;
        }
        if (r == Result::Ok)
            exchange->maskedPhone = v.number.masked();
        if (r != Result::Ok || v.approved || v.canceled) {
            reply(*exchange, errorResponse(ApiError::NotFound));
            return;
        }
        open(v);
    });
}

void VerificationApi::cancel(Exchange &&exchange, const QByteArray &id)
{
    auto shared = std::make_shared<Exchange>(std::move(exchange));
    std::optional<PhoneNumber> number = oneScriptNumber(id);
    // A provider's code (Twilio Verify) is checked at the provider, but cancelled in one
    // script all the same.
    if (!number && m_sharedStore && m_sharedLimits && m_engine.sender().generatesCodes())
        number = m_sharedStore->numberOfId(id);
    // In one script, the store forgets the current verification's code too.
    const bool codeToo = number.has_value();
    auto cancelled = [this, shared, codeToo](Result r, const Verification &v, bool current) {
        if (m_closing)
            return;
        if (r != Result::Ok) {
            reply(*shared, notFound(r));
            return;
        }
        shared->maskedPhone = v.number.masked();
        // The provider's code (Twilio Verify) by the id the store kept: another instance may
        // have sent it.
        if (current && !codeToo)
            m_engine.cancel(v.number, v.messageSid);
        else if (current)
            m_engine.cancelAtProvider(v.number, v.messageSid);
        HttpResponse response;
        response.status = 204;
        reply(*shared, std::move(response));
    };
    if (codeToo)
        m_sharedStore->cancelWithCode(id, m_engine.subjectOf(*number), std::move(cancelled));
    else
        m_verifications->cancel(id, std::move(cancelled));
}

void VerificationApi::deliveryChanged(const PhoneNumber &number, DeliveryStatus status,
                                      int providerCode)
{
    // A send's verification starts as queued: only what comes after is news (and, shared, a
    // Redis call).
    if (status == DeliveryStatus::Unknown || status == DeliveryStatus::Queued)
        return;
    m_verifications->deliveryOfNumber(number, status, providerCode, reportDone());
}

std::function<void(VerificationStore::Result, const Verification &, bool)>
VerificationApi::reportDone()
{
    ++m_reportsInFlight;
    return [self = QPointer<VerificationApi>(this)](Result, const Verification &, bool) {
        if (!self || --self->m_reportsInFlight > 0)
            return;
        for (auto &done : std::exchange(self->m_reportsWritten, {}))
            done();
    };
}

void VerificationApi::whenReportsWritten(std::function<void()> done)
{
    if (m_reportsInFlight == 0)
        done();
    else
        m_reportsWritten.push_back(std::move(done));
}

void VerificationApi::queuedMessageSent(const PhoneNumber &number, const QString &messageSid)
{
    // A silent send's turn sends nothing and has no message. Messages go out in the order
    // their sends were asked for, so the number's latest send is the last to name its message.
    if (messageSid.isEmpty())
        return;
    // Sends stored in one script name their verification to the callbacks themselves; the
    // provider's own code (Twilio Verify) is still named by its id, which a cancel needs.
    if (m_sharedStore && m_sharedLimits && !m_engine.sender().generatesCodes())
        return;
    m_verifications->messageOfNumber(
        number, messageSid,
        [this, number, messageSid, done = reportDone()](Result r, const Verification &v,
                                                        bool current) {
            // The number has no open verification: it was cancelled while its code was on its
            // way (after the governor's last look, before the provider answered). A code the
            // provider made (Twilio Verify) is valid there until it is cancelled there too.
            if (!m_closing && r == Result::NotFound && m_engine.sender().generatesCodes())
                m_engine.cancelAtProvider(number, messageSid);
            done(r, v, current);
        });
}

void VerificationApi::queuedSendGivenUp(quint64 ticket)
{
    const auto send = m_queuedSends.giveUp(ticket);
    if (!send || send->second.isEmpty() || !m_sharedStore)
        return;
    m_sharedStore->deliveryOfSend(send->first, send->second, DeliveryStatus::Failed, 0,
                                  reportDone());
}

void VerificationApi::queuedSendDue(quint64 ticket, std::function<void(bool wanted)> answer)
{
    m_queuedSends.ask(ticket, *m_verifications, m_engine.clock().now(), std::move(answer));
}

void VerificationApi::deliveryReported(const QString &messageSid, DeliveryStatus status,
                                       int errorCode)
{
    m_silent.deliveryReported(messageSid, status);
    m_verifications->deliveryOfMessage(
        messageSid, status, errorCode,
        [this, status](Result r, const Verification &v, bool current) {
            // The engine tracks no message that reports by callback: tell it of a failure, so
            // that the person may try again (or switch to SMS) at once.
            if (!m_closing && r == Result::Ok && current && isDeliveryFailure(status))
                m_engine.deliveryFailed(v.number);
        });
}

bool VerificationApi::deliveryReportedForSend(const QByteArray &statusRef,
                                              const QString &messageSid, DeliveryStatus status,
                                              int errorCode)
{
    m_silent.deliveryReported(messageSid, status);
    auto moved = [this, status](Result r, const Verification &v, bool current) {
        if (!m_closing && r == Result::Ok && current && isDeliveryFailure(status))
            m_engine.deliveryFailed(v.number);
    };
    if (m_memoryStore)
        return m_memoryStore->deliveryOfSend(statusRef, messageSid, status, errorCode, moved);
    const auto send = m_sharedStore ? m_sharedStore->openStatusRef(statusRef) : std::nullopt;
    if (!send)
        return false;
    m_sharedStore->deliveryOfSend(send->first, send->second, status, errorCode, moved);
    return true;
}

} // namespace waotp::server
