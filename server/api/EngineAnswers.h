#pragma once

#include "server/http/HttpMessage.h"

#include "engine/OtpEngine.h"

#include <chrono>

namespace waotp::server {

/// How long a client should wait before trying again when the store or the provider is down
/// and the provider said nothing.
inline constexpr std::chrono::seconds UnavailableRetry {10};

/// The answer to a provider failure (a send or a Verify check that did not go through).
HttpResponse providerFailure(const SendResult &send);

/// The answer to a create or resend the engine did not send (any status but Sent).
HttpResponse sendRefusal(const CodeRequestResult &result);

/// The answer to a send asked for again while the first (@p result, sent) was in flight: too
/// soon after it, a cooldown until its nextSendAt, counted from @p now.
HttpResponse repeatedSendRefusal(const CodeRequestResult &result, Clock::TimePoint now);

/// The answer to a check the engine did not verify (any status but Verified). A
/// TooManyAttempts answer here has no wait: its wait, until a resend is allowed, needs the
/// verification and the code store (VerificationApi::replyTooManyAttempts()).
HttpResponse checkRefusal(const VerifyResult &result);

} // namespace waotp::server
