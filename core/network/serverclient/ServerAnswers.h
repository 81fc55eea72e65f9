#pragma once

#include "network/serverclient/ServerHttp.h"

#include "engine/Clock.h"
#include "engine/CodeSender.h"
#include "engine/OtpResults.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <optional>

// The answers of a verification server (waotp-server's /v1/verifications API) read into the
// engine's results: pure functions from what came back (ServerReply) and when (the clock's
// now) to typed values. Anything that is not the API's JSON is a failure, never a guess.

namespace waotp {

/// A verification as the server shows it (the answer to a create, a resend or a GET).
struct ServerVerification
{
    QByteArray id;
    QString phone; ///< E.164
    Channel channel = Channel::WhatsApp;
    QString status; ///< pending, approved, expired, canceled, failed
    DeliveryStatus delivery = DeliveryStatus::Queued;
    int deliveryError = 0; ///< the provider's error code of a failed delivery
    std::chrono::seconds expiresIn {0};
    std::chrono::seconds resendIn {0};
    int attemptsLeft = 0;
    QString demoCode; ///< a demo server's code (only with demo)
    bool demo = false; ///< the answer says it comes from a demo server
};

/// The answer to an approved code.
struct ServerApproval
{
    QString phone;
    bool accountCreated = false;
    QString accountId;
    QByteArray token;
    std::chrono::seconds expiresIn {0};
    bool demo = false;
};

/// What a create or resend came to.
struct SendOutcome
{
    enum class Kind {
        Sent, ///< result (status Sent) and verification hold the new code's deadlines
        Refused, ///< result says why; nothing was sent
        AccountMismatch, ///< no account to sign in to, or one already there (registration hints)
        VerificationGone, ///< a resend of a verification the server no longer has (404)
    };
    Kind kind = Kind::Refused;
    CodeRequestResult result;
    ServerVerification verification;
};

/// What a check came to.
struct CheckAnswer
{
    VerifyResult result;
    std::optional<ServerApproval> approval; ///< with VerifyResult::Status::Verified
    /// A right code the server would not approve: the account came or went since it was sent
    /// (404 no_account, 409 account_exists). result is then NoCode: the code is used up.
    bool accountMismatch = false;
};

/// The JSON object of @p body, if it is one.
std::optional<QJsonObject> answerObject(const QByteArray &body);
/// True if @p answer is marked "demo": true.
bool isDemoAnswer(const QJsonObject &answer);
/// True if @p answer says the server tells which numbers have accounts ("registration_hints").
bool hasRegistrationHints(const QJsonObject &answer);

/// A verification's members, checked; std::nullopt if any is missing or out of range.
std::optional<ServerVerification> parseVerification(const QJsonObject &o);
/// An approval's members, checked; std::nullopt if any is missing or wrong.
std::optional<ServerApproval> parseApproval(const QJsonObject &o);

/// The result of a POST /v1/verifications (or .../resend) answered by @p reply at @p now.
SendOutcome sendOutcome(const ServerReply &reply, Clock::TimePoint now);
/// The result of a POST .../check answered by @p reply.
CheckAnswer checkAnswer(const ServerReply &reply);

/// What went wrong with @p reply, in plain words for a log or a script's stderr, e.g. "the
/// verification server cannot be reached: the connection was refused". Empty for an answer the
/// API gives (a wrong code, a refused send).
QString serverProblem(const ServerReply &reply);

/// "signup" / "signin", "whatsapp" / "sms", as the API names them.
QString apiFlowName(Purpose flow);
QString apiChannelName(Channel channel);

} // namespace waotp
