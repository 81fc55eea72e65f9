#include "network/serverclient/ServerAnswers.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>

#include <cmath>

namespace waotp {

namespace {

using namespace std::chrono_literals;

// Limits on what an answer may say: a value outside them is not the API's.
constexpr qint64 MaxSeconds = 7 * 24 * 3600;
constexpr int MaxAttempts = 1000;

std::optional<qint64> integer(const QJsonObject &o, QStringView key, qint64 min, qint64 max)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return std::nullopt;
    // In range first: converting a double beyond qint64 to it is undefined.
    const double d = v.toDouble();
    if (!(d >= double(min) && d <= double(max)) || d != std::floor(d))
        return std::nullopt;
    return qint64(d);
}

std::optional<DeliveryStatus> deliveryOf(const QString &name)
{
    static const std::pair<const char16_t *, DeliveryStatus> names[] = {
        {u"queued", DeliveryStatus::Queued},       {u"sent", DeliveryStatus::Sent},
        {u"delivered", DeliveryStatus::Delivered}, {u"read", DeliveryStatus::Read},
        {u"failed", DeliveryStatus::Failed},       {u"undelivered", DeliveryStatus::Undelivered},
    };
    for (const auto &[text, status] : names) {
        if (name == QStringView(text))
            return status;
    }
    return std::nullopt;
}

SendError recipientError(const QString &reason)
{
    static const std::pair<const char16_t *, SendError> reasons[] = {
        {u"invalid_number", SendError::InvalidNumber},
        {u"not_whatsapp_user", SendError::NotWhatsAppUser},
        {u"not_mobile", SendError::NotMobile},
        {u"opted_out", SendError::OptedOut},
        {u"region_not_enabled", SendError::RegionNotEnabled},
        {u"unverified_recipient", SendError::UnverifiedRecipient},
    };
    for (const auto &[text, error] : reasons) {
        if (reason == QStringView(text))
            return error;
    }
    return SendError::Rejected;
}

// The wait an answer asks for: its "retry_after", else its Retry-After header, else none.
std::chrono::seconds retryAfterOf(const ServerReply &reply, const QJsonObject &o)
{
    if (const auto s = integer(o, u"retry_after", 0, MaxSeconds))
        return std::chrono::seconds(*s);
    return std::max(reply.retryAfter, 0s);
}

// An API error: {"error": code, ...} with a status of 400 or more.
bool isApiError(const ServerReply &reply, const std::optional<QJsonObject> &o)
{
    return reply.status >= 400 && o && o->value(u"error").isString();
}

SendResult failedSend(SendError error, const ServerReply &reply)
{
    SendResult s;
    s.error = error;
    s.httpStatus = reply.status;
    s.detail = serverProblem(reply);
    return s;
}

// A reply that is no answer of the API: the send's error for the person's words.
SendError transportError(const ServerReply &reply)
{
    switch (reply.failure) {
    case ServerReply::Failure::Unreachable:
    case ServerReply::Failure::Tls:
        return SendError::Network;
    case ServerReply::Failure::TooLarge:
        return SendError::BadResponse;
    case ServerReply::Failure::Timeout:
    case ServerReply::Failure::None:
        break;
    }
    // A hung server "isn't responding", as one that answers 5xx: the person's words are the same.
    return reply.failure == ServerReply::Failure::Timeout || reply.status >= 500
        ? SendError::Server
        : SendError::BadResponse;
}

CodeRequestResult refusedSend(const ServerReply &reply, const QJsonObject &o, Clock::TimePoint now)
{
    using Status = CodeRequestResult::Status;
    CodeRequestResult r;
    const QString error = o.value(u"error").toString();
    const auto retry = retryAfterOf(reply, o);
    if (reply.status == 429 && error == u"rate_limited") {
        const QString scope = o.value(u"scope").toString();
        r.status = scope == u"cooldown" ? Status::CoolingDown
            : scope == u"hourly_limit"  ? Status::HourlyLimit
            : scope == u"wrong_codes"   ? Status::FailureBackoff
                                        : Status::SendFailed;
        r.retryAfter = retry;
        r.nextSendAt = now + retry;
        r.send = failedSend(SendError::RateLimited, reply);
        r.send.retryAfter = retry;
        return r;
    }
    r.status = Status::SendFailed;
    if (error == u"send_failed") {
        r.send = failedSend(recipientError(o.value(u"reason").toString()), reply);
        r.send.providerCode = int(integer(o, u"provider_code", 0, 1000000).value_or(0));
    } else if (error == u"channel_unavailable") {
        r.status = Status::ChannelUnavailable;
        r.send = failedSend(SendError::Rejected, reply);
    } else if (error == u"country_not_allowed") {
        r.send = failedSend(SendError::RegionNotEnabled, reply);
    } else if (error == u"invalid_phone") {
        r.send = failedSend(SendError::InvalidNumber, reply);
    } else if (error == u"send_budget_exhausted") { // the server's own budget: wait and retry
        r.send = failedSend(SendError::RateLimited, reply);
    } else if (error == u"store_unavailable" || error == u"accounts_unavailable"
               || error == u"not_ready") {
        r.status = Status::Unavailable;
        r.send = failedSend(SendError::Server, reply);
    } else if (reply.status >= 500) {
        r.send = failedSend(SendError::Server, reply);
        r.send.providerCode = int(integer(o, u"provider_code", 0, 1000000).value_or(0));
    } else {
        r.send = failedSend(SendError::Rejected, reply);
    }
    r.retryAfter = retry;
    r.send.retryAfter = retry;
    return r;
}

} // namespace

QString apiFlowName(Purpose flow)
{
    return flow == Purpose::SignUp ? QStringLiteral("signup") : QStringLiteral("signin");
}

QString apiChannelName(Channel channel)
{
    return channel == Channel::Sms ? QStringLiteral("sms") : QStringLiteral("whatsapp");
}

std::optional<QJsonObject> answerObject(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

bool isDemoAnswer(const QJsonObject &answer)
{
    return answer.value(u"demo").toBool(false);
}

bool hasRegistrationHints(const QJsonObject &answer)
{
    return answer.value(u"registration_hints").toBool(false);
}

std::optional<ServerVerification> parseVerification(const QJsonObject &o)
{
    static const QRegularExpression idForm(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    static const QRegularExpression e164(QStringLiteral("^\\+[1-9][0-9]{6,14}$"));
    ServerVerification v;
    const QString id = o.value(u"id").toString();
    v.phone = o.value(u"phone").toString();
    v.status = o.value(u"status").toString();
    const QString channel = o.value(u"channel").toString();
    const auto delivery = deliveryOf(o.value(u"delivery").toString());
    const auto expiresIn = integer(o, u"expires_in", 0, MaxSeconds);
    const auto resendIn = integer(o, u"resend_in", 0, MaxSeconds);
    const auto attempts = integer(o, u"attempts_left", 0, MaxAttempts);
    if (!idForm.match(id).hasMatch() || !e164.match(v.phone).hasMatch() || v.status.isEmpty()
        || (channel != u"whatsapp" && channel != u"sms") || !delivery || !expiresIn || !resendIn
        || !attempts)
        return std::nullopt;
    v.id = id.toLatin1();
    v.channel = channel == u"sms" ? Channel::Sms : Channel::WhatsApp;
    v.delivery = *delivery;
    v.deliveryError = int(integer(o, u"delivery_error", 0, 1000000).value_or(0));
    v.expiresIn = std::chrono::seconds(*expiresIn);
    v.resendIn = std::chrono::seconds(*resendIn);
    v.attemptsLeft = int(*attempts);
    v.demo = isDemoAnswer(o);
    if (v.demo)
        v.demoCode = o.value(u"demo_code").toString();
    return v;
}

std::optional<ServerApproval> parseApproval(const QJsonObject &o)
{
    ServerApproval a;
    a.phone = o.value(u"phone").toString();
    const QString account = o.value(u"account").toString();
    a.accountId = o.value(u"account_id").toString();
    a.token = o.value(u"token").toString().toLatin1();
    const auto expiresIn = integer(o, u"expires_in", 1, MaxSeconds);
    // A JWT: three base64url parts.
    static const QRegularExpression jwt(
        QStringLiteral("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$"));
    if (o.value(u"status").toString() != u"approved" || a.phone.isEmpty()
        || (account != u"created" && account != u"existing") || a.accountId.isEmpty()
        || !jwt.match(QString::fromLatin1(a.token)).hasMatch() || !expiresIn)
        return std::nullopt;
    a.accountCreated = account == u"created";
    a.expiresIn = std::chrono::seconds(*expiresIn);
    a.demo = isDemoAnswer(o);
    return a;
}

SendOutcome sendOutcome(const ServerReply &reply, Clock::TimePoint now)
{
    SendOutcome out;
    CodeRequestResult &r = out.result;
    r.status = CodeRequestResult::Status::SendFailed;
    const std::optional<QJsonObject> o = reply.answered() ? answerObject(reply.body) : std::nullopt;
    if (reply.answered() && reply.status == 201 && o) {
        if (const auto v = parseVerification(*o)) {
            out.kind = SendOutcome::Kind::Sent;
            out.verification = *v;
            r.status = CodeRequestResult::Status::Sent;
            r.channel = v->channel;
            r.expiresAt = now + v->expiresIn;
            r.nextSendAt = now + v->resendIn;
            return out;
        }
    }
    if (!isApiError(reply, o)) {
        r.send = failedSend(transportError(reply), reply);
        return out;
    }
    const QString error = o->value(u"error").toString();
    if ((reply.status == 404 && error == u"no_account")
        || (reply.status == 409 && error == u"account_exists")) {
        out.kind = SendOutcome::Kind::AccountMismatch;
        return out;
    }
    if (reply.status == 404 && error == u"not_found") {
        out.kind = SendOutcome::Kind::VerificationGone;
        return out;
    }
    r = refusedSend(reply, *o, now);
    return out;
}

CheckAnswer checkAnswer(const ServerReply &reply)
{
    using Status = VerifyResult::Status;
    CheckAnswer out;
    VerifyResult &r = out.result;
    r.status = Status::Unavailable;
    const std::optional<QJsonObject> o = reply.answered() ? answerObject(reply.body) : std::nullopt;
    if (reply.answered() && reply.status == 200 && o) {
        if (auto approval = parseApproval(*o)) {
            r.status = Status::Verified;
            out.approval = std::move(approval);
            return out;
        }
    }
    if (!isApiError(reply, o)) {
        r.providerError = failedSend(transportError(reply), reply);
        return out;
    }
    const QString error = o->value(u"error").toString();
    const auto attempts = integer(*o, u"attempts_left", 1, MaxAttempts);
    if (reply.status == 422 && error == u"wrong_code" && attempts) {
        r.status = Status::WrongCode;
        r.attemptsLeft = int(*attempts);
    } else if (reply.status == 410 && error == u"expired") {
        r.status = Status::Expired;
    } else if (reply.status == 429 && error == u"too_many_attempts") {
        r.status = Status::TooManyAttempts;
        r.retryAfter = retryAfterOf(reply, *o); // when a resend is allowed
    } else if (reply.status == 429 && error == u"rate_limited"
               && o->value(u"scope").toString() == u"wrong_codes") {
        r.status = Status::GuessLimit; // the number's wrong codes lately: nothing was checked
        r.retryAfter = retryAfterOf(reply, *o);
    } else if (reply.status == 404 && error == u"not_found") {
        r.status = Status::NoCode;
    } else if ((reply.status == 404 && error == u"no_account")
               || (reply.status == 409 && error == u"account_exists")) {
        r.status = Status::NoCode;
        out.accountMismatch = true;
    } else if (reply.status == 400 && error == u"malformed_code") {
        r.status = Status::Malformed;
    } else if (reply.status == 429) {
        r.providerError = failedSend(SendError::RateLimited, reply);
        r.providerError.retryAfter = retryAfterOf(reply, *o);
    } else {
        r.providerError =
            failedSend(reply.status >= 500 ? SendError::Server : SendError::Rejected, reply);
    }
    return out;
}

QString serverProblem(const ServerReply &reply)
{
    switch (reply.failure) {
    case ServerReply::Failure::None:
        break;
    case ServerReply::Failure::Unreachable:
        return QStringLiteral("the verification server cannot be reached: %1").arg(reply.detail);
    case ServerReply::Failure::Tls:
        return QStringLiteral("the verification server cannot be reached securely: %1")
            .arg(reply.detail);
    case ServerReply::Failure::Timeout:
    case ServerReply::Failure::TooLarge:
        return QStringLiteral("the verification server: %1").arg(reply.detail);
    }
    const std::optional<QJsonObject> o = answerObject(reply.body);
    if (reply.status == 201 || reply.status == 200 || reply.status == 204)
        return o || reply.status == 204
            ? QString()
            : QStringLiteral("the verification server's answer is not the API's JSON (HTTP %1)")
                  .arg(reply.status);
    if (!isApiError(reply, o))
        return QStringLiteral("the verification server's answer is not the API's JSON (HTTP %1)")
            .arg(reply.status);
    const QString error = o->value(u"error").toString().left(40);
    if (reply.status == 429 && error == u"rate_limited" && o->value(u"scope").toString() == u"ip")
        return QStringLiteral("the verification server asks to wait %1 s: too many requests "
                              "from this address")
            .arg(retryAfterOf(reply, *o).count());
    // The answers of a verification going its way (the person's words say them) are no problem.
    static const QStringList outcomes {
        QStringLiteral("rate_limited"),
        QStringLiteral("send_failed"),
        QStringLiteral("channel_unavailable"),
        QStringLiteral("country_not_allowed"),
        QStringLiteral("invalid_phone"),
        QStringLiteral("wrong_code"),
        QStringLiteral("expired"),
        QStringLiteral("too_many_attempts"),
        QStringLiteral("not_found"),
        QStringLiteral("malformed_code"),
        QStringLiteral("no_account"),
        QStringLiteral("account_exists"),
    };
    if (reply.status < 500 && outcomes.contains(error))
        return {};
    if (error == u"send_budget_exhausted")
        return QStringLiteral("the verification server has sent all the codes it may for now; "
                              "it asks to wait %1 s")
            .arg(retryAfterOf(reply, *o).count());
    if (reply.status >= 500)
        return QStringLiteral("the verification server failed (HTTP %1, %2)")
            .arg(reply.status)
            .arg(error);
    return QStringLiteral("the verification server refused the request (HTTP %1, %2)")
        .arg(reply.status)
        .arg(error);
}

} // namespace waotp
