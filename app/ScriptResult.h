#pragma once

#include "engine/CodeSender.h"
#include "engine/OtpEngine.h"
#include "engine/PhoneNumber.h"
#include "engine/RemoteVerificationBackend.h"

#include <QObject>
#include <QString>

#include <optional>

namespace waotp {

/// What delivered and checked the code, as the result line's "mode" names it. A script must
/// never take a demonstration for a verification: it checks this field.
enum class RunMode {
    Demo, ///< "demo": nothing was sent, the code was shown on screen (only with --demo), or a
          ///< demo server's token
    Live, ///< "live": Twilio delivered the code
    Server, ///< "server": a verification server did, and signed a token (see serverResultLine())
};

/// The name of @p mode in the result line ("demo", "live", "server").
QByteArray runModeName(RunMode mode);

/// The JSON line `--print-result` prints on success, e.g.
/// `{"verified":true,"phone":"+919876543210","flow":"signup","account":"created","mode":"live"}`.
QByteArray resultLine(const PhoneNumber &number, Purpose flow, bool accountCreated, RunMode mode);

/// The JSON line `--print-result` prints for a number a verification server verified: the
/// result line of RunMode::Server with the server's token, e.g.
/// `{"verified":true,"phone":"+919876543210","flow":"signin","account":"existing",
/// "mode":"server","token":"eyJ…","expires_in":298}`; from a demo server, RunMode::Demo's
/// ("mode":"demo") with the token and `"demo":true`.
/// `expires_in` is what is left of the token's life at @p now.
QByteArray serverResultLine(const VerificationToken &token, Purpose flow, Clock::TimePoint now);

/// Why a request for a code failed, in plain English for stderr (stable words for scripts:
/// not translated), e.g. "the number was refused as invalid (Twilio error 21211)".
QString failureReason(const CodeRequestResult &result);

/// Follows one run of the dialog for `--print-result`: the verification if there was one, and
/// otherwise the last failure that was not followed by a successful send. At the end it says
/// what to print and which exit code to return: 0 verified, 1 cancelled (whatever error the
/// window showed before: the person could still have corrected it; the error is repeated on
/// stderr). Runs the app itself ends (exit 2) never get here.
class ScriptResult : public QObject
{
    Q_OBJECT
public:
    ScriptResult(OtpEngine &engine, RunMode mode, QObject *parent = nullptr);
    /// Follows the flow's @p backend; in RunMode::Server the server's token is printed too.
    ScriptResult(VerificationBackend &backend, RunMode mode, const Clock &clock,
                 QObject *parent = nullptr);

    struct Outcome
    {
        int exitCode = 1;
        QByteArray stdoutText; ///< the JSON line (with '\n') on success, else empty
        QString stderrText; ///< the last error shown, if cancelled after one (with '\n')
    };

    /// The run ended: @p verifiedNumber is null unless the dialog verified a number.
    Outcome finish(const PhoneNumber &verifiedNumber, Purpose flow, bool accountCreated) const;
    std::optional<QString> lastFailure() const { return m_lastFailure; }

private:
    void onCodeRequested(const CodeRequestResult &result);

    RunMode m_mode;
    std::optional<QString> m_lastFailure;
    const Clock *m_clock = nullptr;
    std::optional<VerificationToken> m_token; ///< the server's, in RunMode::Server
};

} // namespace waotp
