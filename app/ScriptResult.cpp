#include "ScriptResult.h"

#include "CommandLine.h"

namespace waotp {

namespace {

QString sendErrorWords(SendError error)
{
    switch (error) {
    case SendError::None:
        return QStringLiteral("no error");
    case SendError::InvalidNumber:
        return QStringLiteral("the number was refused as invalid");
    case SendError::NotWhatsAppUser:
        return QStringLiteral("the number has no WhatsApp account");
    case SendError::NotMobile:
        return QStringLiteral("the number is not a mobile number");
    case SendError::OptedOut:
        return QStringLiteral("the recipient has opted out of messages");
    case SendError::RegionNotEnabled:
        return QStringLiteral("sending to this country is not enabled");
    case SendError::UnverifiedRecipient:
        return QStringLiteral("a trial account can only send to verified numbers");
    case SendError::OutsideSessionWindow:
        return QStringLiteral("WhatsApp needs an approved template for this message");
    case SendError::RateLimited:
        return QStringLiteral("too many messages; Twilio asks to wait");
    case SendError::Misconfigured:
        return QStringLiteral("the Twilio credentials or sender are not accepted");
    case SendError::Network:
        return QStringLiteral("Twilio cannot be reached (network)");
    case SendError::Timeout:
        return QStringLiteral("Twilio did not answer in time");
    case SendError::Server:
        return QStringLiteral("Twilio had a server error");
    case SendError::BadResponse:
        return QStringLiteral("Twilio's answer could not be read");
    case SendError::Rejected:
        return QStringLiteral("Twilio refused the message");
    }
    return QStringLiteral("the code could not be sent");
}

} // namespace

QByteArray runModeName(RunMode mode)
{
    switch (mode) {
    case RunMode::Demo:
        return QByteArrayLiteral("demo");
    case RunMode::Live:
        return QByteArrayLiteral("live");
    case RunMode::Server:
        return QByteArrayLiteral("server");
    }
    return QByteArrayLiteral("demo"); // never claims more than a demonstration
}

QByteArray resultLine(const PhoneNumber &number, Purpose flow, bool accountCreated, RunMode mode)
{
    // Written by hand to keep the documented key order; every value is ASCII without quotes
    // (E.164 is '+' and digits), so nothing needs escaping.
    return QByteArrayLiteral(R"({"verified":true,"phone":")") + number.e164().toLatin1()
        + QByteArrayLiteral(R"(","flow":")") + flowName(flow).toLatin1()
        + QByteArrayLiteral(R"(","account":")")
        + (accountCreated ? QByteArrayLiteral("created") : QByteArrayLiteral("existing"))
        + QByteArrayLiteral(R"(","mode":")") + runModeName(mode) + QByteArrayLiteral("\"}\n");
}

QByteArray serverResultLine(const VerificationToken &token, Purpose flow, Clock::TimePoint now)
{
    const auto left =
        std::max(std::chrono::duration_cast<std::chrono::seconds>(token.expiresAt - now),
                 std::chrono::seconds(0));
    // A demo server's token is a demonstration: its line says so where scripts look, in "mode".
    QByteArray line = resultLine(token.number, flow, token.accountCreated,
                                 token.demo ? RunMode::Demo : RunMode::Server);
    line.chop(2); // "}\n": the server's part follows (the token is base64url: nothing to escape)
    return line + QByteArrayLiteral(R"(,"token":")") + token.token
        + QByteArrayLiteral(R"(","expires_in":)") + QByteArray::number(qint64(left.count()))
        + (token.demo ? QByteArrayLiteral(R"(,"demo":true)") : QByteArray())
        + QByteArrayLiteral("}\n");
}

QString failureReason(const CodeRequestResult &result)
{
    using S = CodeRequestResult::Status;
    switch (result.status) {
    case S::Sent:
        return {};
    case S::CoolingDown:
        return QStringLiteral("a code was sent a moment ago; a new one is allowed in %1 s")
            .arg(result.retryAfter.count());
    case S::HourlyLimit:
        return QStringLiteral("too many codes for this number this hour; retry in %1 s")
            .arg(result.retryAfter.count());
    case S::FailureBackoff:
        return QStringLiteral("too many wrong codes for this number lately; retry in %1 s")
            .arg(result.retryAfter.count());
    case S::Unavailable:
        return QStringLiteral("the code store is unavailable; nothing was sent");
    case S::ChannelUnavailable:
        return QStringLiteral("this channel is not configured");
    case S::SendFailed:
        break;
    }
    QString words = sendErrorWords(result.send.error);
    if (result.send.providerCode)
        words += QStringLiteral(" (Twilio error %1)").arg(result.send.providerCode);
    return words;
}

ScriptResult::ScriptResult(OtpEngine &engine, RunMode mode, QObject *parent)
    : QObject(parent), m_mode(mode)
{
    connect(&engine, &OtpEngine::codeRequested, this,
            [this](quint64, const PhoneNumber &, const CodeRequestResult &result) {
                onCodeRequested(result);
            });
}

ScriptResult::ScriptResult(VerificationBackend &backend, RunMode mode, const Clock &clock,
                           QObject *parent)
    : QObject(parent), m_mode(mode), m_clock(&clock)
{
    connect(&backend, &VerificationBackend::codeRequested, this,
            [this](quint64, const PhoneNumber &, const CodeRequestResult &result) {
                onCodeRequested(result);
            });
    connect(&backend, &VerificationBackend::accountMismatch, this, [this] {
        m_lastFailure = QStringLiteral("the number does not fit the flow: signing in needs an "
                                       "account (else --flow signup), signing up a number "
                                       "without one (else --flow signin)");
    });
    if (auto *remote = qobject_cast<RemoteVerificationBackend *>(&backend))
        connect(remote, &RemoteVerificationBackend::tokenIssued, this,
                [this](const VerificationToken &token) { m_token = token; });
}

void ScriptResult::onCodeRequested(const CodeRequestResult &result)
{
    if (result.status == CodeRequestResult::Status::Sent) {
        m_lastFailure.reset();
        return;
    }
    // A server's own trouble (no connection, a timeout, an answer that is not the API's) is in
    // the detail; a refusal of the provider reads as in live mode.
    const bool serverTrouble = result.status == CodeRequestResult::Status::SendFailed
        && result.send.providerCode == 0 && !result.send.detail.isEmpty();
    m_lastFailure =
        m_mode == RunMode::Server && serverTrouble ? result.send.detail : failureReason(result);
}

ScriptResult::Outcome ScriptResult::finish(const PhoneNumber &verifiedNumber, Purpose flow,
                                           bool accountCreated) const
{
    Outcome o;
    if (!verifiedNumber.isNull()) {
        o.exitCode = ExitOk;
        o.stdoutText =
            m_mode == RunMode::Server && m_token && m_token->number == verifiedNumber && m_clock
            ? serverResultLine(*m_token, flow, m_clock->now())
            : resultLine(verifiedNumber, flow, accountCreated, m_mode);
        return o;
    }
    // The window was closed: a cancel, even after an error the person could have corrected.
    o.exitCode = ExitCancelled;
    if (m_lastFailure)
        o.stderrText = QStringLiteral("waotp: cancelled after an error: %1\n").arg(*m_lastFailure);
    return o;
}

} // namespace waotp
