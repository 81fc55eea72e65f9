#pragma once

#include "engine/Clock.h"
#include "engine/CodeSender.h"

#include <QMetaType>

#include <chrono>

namespace waotp {

/// The answer to OtpEngine::requestCode().
struct CodeRequestResult
{
    enum class Status {
        Sent, ///< the provider accepted the message; see expiresAt and nextSendAt
        CoolingDown, ///< asked too soon: retryAfter
        HourlyLimit, ///< too many sends this hour: retryAfter
        FailureBackoff, ///< the number's recent wrong codes hold sends back: retryAfter
        SendFailed, ///< the provider refused or could not be reached: see send
        Unavailable, ///< the code store is unreachable (fail closed: nothing was sent)
        ChannelUnavailable, ///< e.g. SMS asked for but no SMS sender is configured
    };
    Status status = Status::Unavailable;
    Channel channel = Channel::WhatsApp;
    SendResult send;
    std::chrono::seconds retryAfter {0};
    Clock::TimePoint expiresAt;
    Clock::TimePoint nextSendAt;
    int sendsInWindow = 0;
};

/// The answer to OtpEngine::verifyCode().
struct VerifyResult
{
    enum class Status {
        Verified,
        WrongCode, ///< attemptsLeft > 0
        Expired,
        NoCode, ///< nothing requested for this number (or cancelled, or already used)
        TooManyAttempts,
        Malformed, ///< not six digits
        Unavailable, ///< store or provider unreachable
        GuessLimit, ///< the number has had too many wrong codes lately: nothing was checked;
                    ///< retryAfter says when a check is possible again
    };
    Status status = Status::Unavailable;
    int attemptsLeft = 0;
    SendResult providerError; ///< set when a provider check failed (Unavailable)
    /// GuessLimit: when a check is possible again; TooManyAttempts: when a resend is, if the
    /// backend says (a server's Retry-After)
    std::chrono::seconds retryAfter {0};
};

} // namespace waotp

Q_DECLARE_METATYPE(waotp::CodeRequestResult)
Q_DECLARE_METATYPE(waotp::VerifyResult)
