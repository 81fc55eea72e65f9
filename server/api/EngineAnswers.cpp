#include "server/api/EngineAnswers.h"

#include "server/api/ApiError.h"
#include "server/api/ApiRequests.h"

namespace waotp::server {

namespace {

using namespace std::chrono_literals;

// The recipient's part in a refused send, or an empty string when the fault is not theirs.
QString recipientProblem(SendError e)
{
    switch (e) {
    case SendError::InvalidNumber:
        return QStringLiteral("invalid_number");
    case SendError::NotWhatsAppUser:
        return QStringLiteral("not_whatsapp_user");
    case SendError::NotMobile:
        return QStringLiteral("not_mobile");
    case SendError::OptedOut:
        return QStringLiteral("opted_out");
    case SendError::RegionNotEnabled:
        return QStringLiteral("region_not_enabled");
    case SendError::UnverifiedRecipient:
        return QStringLiteral("unverified_recipient");
    default:
        return {};
    }
}

// 429 for a rule of the number's (its "scope"), with the wait the engine gave.
HttpResponse numberRateLimited(QStringView scope, std::chrono::seconds retryAfter)
{
    return errorResponse(ApiError::RateLimited, {{QStringLiteral("scope"), scope.toString()}},
                         retryAfter);
}

// Twilio out of reach or asking us to wait (429, 503 Service Unavailable): 503 with a
// Retry-After. Its other failures, 5xx included, are its errors: 502.
bool providerUnavailable(const SendResult &send)
{
    return send.error == SendError::RateLimited || send.error == SendError::Network
        || send.error == SendError::Timeout
        || (send.error == SendError::Server && send.httpStatus == 503);
}

} // namespace

HttpResponse providerFailure(const SendResult &send)
{
    QJsonObject extra;
    if (send.providerCode != 0)
        extra.insert(QStringLiteral("provider_code"), send.providerCode);
    if (send.sendQueueFull) // our own send-rate governor, not the provider
        return errorResponse(ApiError::SendQueueFull, extra, std::max(send.retryAfter, 1s));
    if (providerUnavailable(send))
        return errorResponse(ApiError::ProviderUnavailable, extra,
                             send.retryAfter > 0s ? send.retryAfter
                                                  : std::chrono::seconds(UnavailableRetry));
    return errorResponse(ApiError::ProviderError, extra);
}

HttpResponse sendRefusal(const CodeRequestResult &result)
{
    using Status = CodeRequestResult::Status;
    switch (result.status) {
    case Status::Sent:
        break;
    case Status::CoolingDown:
        return numberRateLimited(u"cooldown", result.retryAfter);
    case Status::HourlyLimit:
        return numberRateLimited(u"hourly_limit", result.retryAfter);
    case Status::FailureBackoff:
        return numberRateLimited(u"wrong_codes", result.retryAfter);
    case Status::Unavailable:
        return errorResponse(ApiError::StoreUnavailable, {},
                             std::chrono::seconds(UnavailableRetry));
    case Status::ChannelUnavailable:
        return errorResponse(ApiError::ChannelUnavailable,
                             {{QStringLiteral("channel"), channelName(result.channel)}});
    case Status::SendFailed: {
        const QString reason = recipientProblem(result.send.error);
        if (reason.isEmpty())
            return providerFailure(result.send);
        QJsonObject extra {{QStringLiteral("reason"), reason}};
        if (result.send.providerCode != 0)
            extra.insert(QStringLiteral("provider_code"), result.send.providerCode);
        return errorResponse(ApiError::SendFailed, extra);
    }
    }
    return errorResponse(ApiError::InternalError);
}

HttpResponse repeatedSendRefusal(const CodeRequestResult &result, Clock::TimePoint now)
{
    CodeRequestResult cooling = result;
    cooling.status = CodeRequestResult::Status::CoolingDown;
    cooling.retryAfter = result.nextSendAt > now
        ? ceilSeconds(
            std::chrono::duration_cast<std::chrono::milliseconds>(result.nextSendAt - now))
        : 0s;
    return sendRefusal(cooling);
}

HttpResponse checkRefusal(const VerifyResult &r)
{
    using Status = VerifyResult::Status;
    switch (r.status) {
    case Status::Verified:
        break;
    case Status::WrongCode:
        return errorResponse(ApiError::WrongCode,
                             {{QStringLiteral("attempts_left"), r.attemptsLeft}});
    case Status::Expired:
        return errorResponse(ApiError::Expired);
    case Status::NoCode:
        return errorResponse(ApiError::NotFound);
    case Status::TooManyAttempts:
        return errorResponse(ApiError::TooManyAttempts);
    case Status::Malformed:
        return errorResponse(ApiError::MalformedCode);
    case Status::Unavailable:
        return r.providerError.error != SendError::None
            ? providerFailure(r.providerError)
            : errorResponse(ApiError::StoreUnavailable, {}, std::chrono::seconds(UnavailableRetry));
    case Status::GuessLimit:
        return numberRateLimited(u"wrong_codes", r.retryAfter);
    }
    return errorResponse(ApiError::InternalError);
}

} // namespace waotp::server
