#include "server/api/ApiError.h"

#include "server/JsonWriter.h"

#include <QJsonDocument>

#include <algorithm>
#include <array>

namespace waotp::server {

namespace {

struct ErrorRow
{
    ApiError error;
    const char *code; ///< ASCII
    int status;
    const char16_t *message;
};

// The one place where errors get their code, status and words.
constexpr std::array<ErrorRow, 39> Errors {{
    {ApiError::MalformedJson, "malformed_json", 400, u"The body must be a JSON object."},
    {ApiError::MissingField, "missing_field", 400, u"A required field is missing."},
    {ApiError::DuplicateField, "duplicate_field", 400, u"A field appears more than once."},
    {ApiError::WrongType, "wrong_type", 400, u"A field has the wrong type."},
    {ApiError::InvalidValue, "invalid_value", 400, u"A field has a value that is not allowed."},
    {ApiError::InvalidPhone, "invalid_phone", 400, u"This is not a valid mobile number."},
    {ApiError::MalformedCode, "malformed_code", 400, u"The code must be six digits."},
    {ApiError::InvalidParameter, "invalid_parameter", 400,
     u"A query parameter has a value that is not allowed."},
    {ApiError::UnsupportedMediaType, "unsupported_media_type", 415,
     u"The body must be JSON, sent as Content-Type: application/json."},
    {ApiError::NotFound, "not_found", 404,
     u"There is no such verification: unknown, cancelled or already used."},
    {ApiError::NoRoute, "no_route", 404, u"There is no such endpoint."},
    {ApiError::MethodNotAllowed, "method_not_allowed", 405,
     u"This endpoint does not take this method."},
    {ApiError::WrongCode, "wrong_code", 422, u"The code is wrong."},
    {ApiError::Expired, "expired", 410, u"The code has expired; ask for a new one."},
    {ApiError::TooManyAttempts, "too_many_attempts", 429,
     u"Too many wrong codes; the code is void. Ask for a new one."},
    {ApiError::RateLimited, "rate_limited", 429, u"Too many requests; wait before trying again."},
    {ApiError::CountryNotAllowed, "country_not_allowed", 403,
     u"Codes are not sent to numbers of this country here."},
    {ApiError::NoAccount, "no_account", 404, u"There is no account with this number; sign up."},
    {ApiError::AccountExists, "account_exists", 409,
     u"There is already an account with this number; sign in."},
    {ApiError::SendBudgetExhausted, "send_budget_exhausted", 503,
     u"The server has sent all the codes it may for now; try again later."},
    {ApiError::SendQueueFull, "send_queue_full", 503,
     u"Too many codes are waiting to be sent; try again shortly."},
    {ApiError::ChannelUnavailable, "channel_unavailable", 422,
     u"Codes cannot be sent on this channel here."},
    {ApiError::SendFailed, "send_failed", 422, u"The message could not be sent to this number."},
    {ApiError::ProviderError, "provider_error", 502,
     u"The messaging provider failed; try again later."},
    {ApiError::ProviderUnavailable, "provider_unavailable", 503,
     u"The messaging provider is busy or cannot be reached; try again later."},
    {ApiError::StoreUnavailable, "store_unavailable", 503,
     u"The code store cannot be reached; nothing was sent."},
    {ApiError::AccountsUnavailable, "accounts_unavailable", 503,
     u"The account database cannot be used."},
    {ApiError::DatabaseUnavailable, "database_unavailable", 503,
     u"The account database did not answer in time; try the same request again after "
     u"Retry-After (a check's right code stays usable)."},
    {ApiError::TokenUnavailable, "token_unavailable", 500, u"No token could be signed."},
    {ApiError::NotReady, "not_ready", 503, u"The server is not ready."},
    {ApiError::MetricsForbidden, "forbidden", 403,
     u"The metrics are answered only to loopback and the addresses in metrics_allow."},
    {ApiError::InvalidSignature, "invalid_signature", 403,
     u"The request does not carry Twilio's valid signature."},
    {ApiError::InternalError, "internal_error", 500, u"Something went wrong on the server."},
    {ApiError::BadRequest, "bad_request", 400, u"This is not an HTTP/1.1 request."},
    {ApiError::BadHost, "bad_host", 400,
     u"An HTTP/1.1 request has one Host header field, holding a host and an optional port."},
    {ApiError::HeadersTooLarge, "headers_too_large", 431, u"The request header is too large."},
    {ApiError::BodyTooLarge, "body_too_large", 413, u"The request body is too large."},
    {ApiError::RequestTimeout, "request_timeout", 408, u"The request did not arrive in time."},
    {ApiError::HttpVersionNotSupported, "http_version_not_supported", 505,
     u"Only HTTP/1.0 and HTTP/1.1 are spoken here."},
}};

const ErrorRow &row(ApiError error)
{
    for (const ErrorRow &r : Errors) {
        if (r.error == error)
            return r;
    }
    Q_UNREACHABLE();
}

} // namespace

QString errorCode(ApiError error)
{
    return QString::fromLatin1(row(error).code);
}

int httpStatus(ApiError error)
{
    return row(error).status;
}

QString errorMessage(ApiError error)
{
    return QString::fromUtf16(row(error).message);
}

HttpResponse jsonResponse(int status, const QJsonObject &body)
{
    return jsonResponse(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpResponse jsonResponse(int status, QByteArray body)
{
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

HttpResponse errorResponse(ApiError error, const QJsonObject &extra,
                           std::optional<std::chrono::seconds> retryAfter)
{
    const ErrorRow &r = row(error);
    if (r.status == 429 && !retryAfter)
        retryAfter = std::chrono::seconds(0);
    const bool withRetry = retryAfter && (r.status == 429 || r.status == 503);
    const qint64 seconds = withRetry ? std::max<qint64>(0, retryAfter->count()) : 0;

    // The error's own members among the extra ones, all sorted by name as QJsonObject keeps
    // them; an extra member of the same name gives way.
    constexpr std::array<QLatin1StringView, 3> Own {
        QLatin1StringView("error"), QLatin1StringView("message"), QLatin1StringView("retry_after")};
    const std::size_t ownCount = withRetry ? 3 : 2;
    std::size_t written = 0;
    JsonObjectWriter body;
    const auto ownBefore = [&](const QString *key) { // the own members sorting before *key
        for (; written < ownCount && (!key || QStringView(*key).compare(Own[written]) > 0);
             ++written) {
            if (written == 0)
                body.string("error", QLatin1StringView(r.code));
            else if (written == 1)
                body.string("message", QStringView(r.message));
            else
                body.number("retry_after", seconds);
        }
    };
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        const QString key = it.key();
        ownBefore(&key);
        if (std::find(Own.cbegin(), Own.cbegin() + ownCount, key) == Own.cbegin() + ownCount)
            body.value(key, it.value());
    }
    ownBefore(nullptr);

    HttpResponse response = jsonResponse(r.status, body.take());
    if (withRetry)
        response.headers.emplaceBack("Retry-After", QByteArray::number(seconds));
    response.label = r.code;
    return response;
}

ApiError apiErrorFor(HttpFailure failure)
{
    switch (failure) {
    case HttpFailure::Malformed:
        return ApiError::BadRequest;
    case HttpFailure::BadHost:
        return ApiError::BadHost;
    case HttpFailure::HeaderTooLarge:
        return ApiError::HeadersTooLarge;
    case HttpFailure::BodyTooLarge:
        return ApiError::BodyTooLarge;
    case HttpFailure::UnsupportedVersion:
        return ApiError::HttpVersionNotSupported;
    case HttpFailure::Timeout:
        return ApiError::RequestTimeout;
    case HttpFailure::Unanswered:
        return ApiError::InternalError;
    }
    return ApiError::InternalError;
}

} // namespace waotp::server
