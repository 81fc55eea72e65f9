#pragma once

#include "server/JobThread.h"
#include "server/api/ApiError.h"

#include "engine/CodeSender.h"
#include "engine/PhoneNumber.h"
#include "engine/RemoteVerificationBackend.h" // MaxNonceLength

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

namespace waotp::server {

/// Why a request's body or query was refused, typed; problemResponse() words it.
struct RequestProblem
{
    ApiError error = ApiError::MalformedJson;
    QString field; ///< the member or parameter concerned, if any
    QString expected; ///< WrongType: "string", "object"; InvalidValue: what is allowed
    QString reason; ///< InvalidPhone: the PhoneError's name, e.g. "too_short"

    friend bool operator==(const RequestProblem &, const RequestProblem &) = default;
};

/// The answer for @p problem, from the API's error table.
HttpResponse problemResponse(const RequestProblem &problem);

template<typename T> using Parsed = std::variant<T, RequestProblem>;

/// POST /v1/verifications. Only the phone is required; the number itself is parsed later,
/// against the region (country, or the configured default).
struct CreateRequest
{
    QString phone;
    QString country; ///< ISO 3166-1 alpha-2, upper case; empty: the configured default
    Purpose flow = Purpose::SignIn;
    Channel channel = Channel::WhatsApp;
    QString locale; ///< BCP 47, e.g. "hi", "pt-BR"; empty: the default language
    QString nonce; ///< up to MaxNonceLength characters, copied into the token
};

/// POST /v1/verifications/{id}/check.
struct CheckRequest
{
    QString code; ///< six ASCII digits
};

/// POST /v1/verifications/{id}/resend; the body is optional.
struct ResendRequest
{
    std::optional<Channel> channel; ///< unset: the verification's channel
};

/// The longest ?wait=, in seconds.
inline constexpr int MaxWaitSeconds = 30;

/// Reads a create request from a JSON body. Pure: bytes in, a request or a problem out.
Parsed<CreateRequest> parseCreateRequest(QByteArrayView body);
/// Reads a check request. A code that is not six digits is MalformedCode.
Parsed<CheckRequest> parseCheckRequest(QByteArrayView body);
/// Reads a resend request; an empty body is a resend on the same channel.
Parsed<ResendRequest> parseResendRequest(QByteArrayView body);
/// Reads "wait=N" (0 to MaxWaitSeconds) from a raw query string; no wait: 0 s.
Parsed<std::chrono::seconds> parseWait(QByteArrayView query);

/// The number of @p request, read against its country or else @p defaultRegion; an
/// InvalidPhone problem with PhoneNumber's reason ("too_short", "not_mobile", ...) otherwise.
Parsed<PhoneNumber> parsePhone(const CreateRequest &request, const QString &defaultRegion);
/// parsePhone() on a thread of its own (libphonenumber is most of a create's cost; it guards
/// what its threads share), so that the event loop goes on meanwhile. Answers come in the order
/// asked, on the asking thread's event loop, unless the context object is gone by then.
class PhoneParsing
{
public:
    PhoneParsing();
    ~PhoneParsing();
    void parse(const CreateRequest &request, const QString &defaultRegion, QObject *context,
               std::function<void(const Parsed<PhoneNumber> &)> done);

private:
    JobAnswers<const Parsed<PhoneNumber> &> m_answers;
    std::unique_ptr<JobThread> m_thread; // last: stopped first
};

/// The API's name of @p error: "empty", "invalid_characters", "too_short", "too_long",
/// "unknown_country_code", "invalid_number", "not_mobile".
QString phoneErrorName(PhoneError error);

/// "signup" / "signin", "whatsapp" / "sms": the API's names.
QString flowName(Purpose flow);
QString channelName(Channel channel);

} // namespace waotp::server
