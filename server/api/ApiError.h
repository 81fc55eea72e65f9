#pragma once

#include "server/http/HttpMessage.h"
#include "server/http/HttpServer.h"

#include <QJsonObject>
#include <QString>

#include <chrono>
#include <optional>

namespace waotp::server {

/// Every error the API answers with. ApiError.cpp holds the one table that gives each its
/// code (the "error" member of the JSON), its HTTP status and its plain words.
enum class ApiError {
    // The request itself.
    MalformedJson, ///< 400: the body is not a JSON object
    MissingField, ///< 400: a required member is absent ("field")
    DuplicateField, ///< 400: a member named twice (field: which)
    WrongType, ///< 400: a member has the wrong JSON type ("field", "expected")
    InvalidValue, ///< 400: a member's value is not one of those allowed ("field")
    InvalidPhone, ///< 400: the phone number does not parse ("reason")
    MalformedCode, ///< 400: the code is not six digits
    InvalidParameter, ///< 400: a query parameter is wrong ("parameter")
    UnsupportedMediaType, ///< 415: a body that is not application/json
    NotFound, ///< 404: no such verification, or cancelled, or used
    NoRoute, ///< 404: no such endpoint
    MethodNotAllowed, ///< 405: the endpoint exists; the method does not ("Allow" header)
    // The verification.
    WrongCode, ///< 422: "attempts_left"
    Expired, ///< 410
    TooManyAttempts, ///< 429: the code is void; "retry_after" says when a resend is allowed
    RateLimited, ///< 429: the number's cooldown or hourly cap, or the client's; "scope"
    CountryNotAllowed, ///< 403: the number's country is not in allowed_countries
    NoAccount, ///< 404: a sign-in for a number without an account (registration_hints only)
    AccountExists, ///< 409: a sign-up for a number with an account (registration_hints only)
    SendBudgetExhausted, ///< 503: the server's own sends per minute or per day ("scope")
    SendQueueFull, ///< 503: the sends waiting for the send rate fill the queue, or the wait
    ///< would outlive the code
    ChannelUnavailable, ///< 422: e.g. SMS without an SMS sender
    // The provider (Twilio).
    SendFailed, ///< 422: the provider refused the recipient ("provider_code")
    ProviderError, ///< 502: the provider failed, or refused our credentials or sender
    ProviderUnavailable, ///< 503: the provider is rate limiting us or cannot be reached
    // The server.
    StoreUnavailable, ///< 503: the code store cannot be reached
    AccountsUnavailable, ///< 503: the account database cannot be used
    DatabaseUnavailable, ///< 503: the account database did not answer in time, or too many
    ///< requests wait for it; a check's right code stays usable
    TokenUnavailable, ///< 500: no token could be signed
    NotReady, ///< 503: /readyz, "not_ready" lists what
    MetricsForbidden, ///< 403: /metrics from an address not allowed to read them
    InvalidSignature, ///< 403: a Twilio callback without a valid X-Twilio-Signature
    InternalError, ///< 500
    // The HTTP layer (HttpFailure).
    BadRequest, ///< 400: not HTTP
    BadHost, ///< 400: no Host field in HTTP/1.1, two, or a bad one (RFC 9112, 3.2)
    HeadersTooLarge, ///< 431
    BodyTooLarge, ///< 413
    RequestTimeout, ///< 408
    HttpVersionNotSupported, ///< 505
};

/// The "error" member of @p error, e.g. "wrong_code".
QString errorCode(ApiError error);
/// The HTTP status of @p error.
int httpStatus(ApiError error);
/// The plain words of @p error (the "message" member).
QString errorMessage(ApiError error);

/// The answer for @p error: `{"error": code, "message": words}` plus @p extra members; a 429 or
/// a 503 with @p retryAfter also gets "retry_after" and the Retry-After header (a 429 always
/// has both: 0 when no wait is known).
HttpResponse errorResponse(ApiError error, const QJsonObject &extra = {},
                           std::optional<std::chrono::seconds> retryAfter = std::nullopt);

/// The API error of a failure found by the HTTP layer.
ApiError apiErrorFor(HttpFailure failure);

/// A JSON answer with @p status and @p body (compact UTF-8).
HttpResponse jsonResponse(int status, const QJsonObject &body);
/// A JSON answer with @p status and @p body, already JSON (JsonObjectWriter).
HttpResponse jsonResponse(int status, QByteArray body);

} // namespace waotp::server
