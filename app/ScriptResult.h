#pragma once

#include "engine/CodeSender.h"
#include "engine/OtpEngine.h"
#include "engine/PhoneNumber.h"

#include <QObject>
#include <QString>

#include <optional>

namespace waotp {

/// The JSON line `--print-result` prints on success, e.g.
/// `{"verified":true,"phone":"+919876543210","flow":"signup","account":"created"}`.
QByteArray resultLine(const PhoneNumber &number, Purpose flow, bool accountCreated);

/// Why a request for a code failed, in plain English for stderr (stable words for scripts:
/// not translated), e.g. "the number was refused as invalid (Twilio error 21211)".
QString failureReason(const CodeRequestResult &result);

/// Follows one run of the dialog for `--print-result`: the verification if there was one, and
/// otherwise the last failure that was not followed by a successful send. At the end it says
/// what to print and which exit code to return: 0 verified, 1 cancelled, 2 failed.
class ScriptResult : public QObject
{
    Q_OBJECT
public:
    explicit ScriptResult(OtpEngine &engine, QObject *parent = nullptr);

    struct Outcome
    {
        int exitCode = 1;
        QByteArray stdoutText; ///< the JSON line (with '\n') on success, else empty
        QString stderrText; ///< the reason on failure (with '\n'), else empty
    };

    /// The run ended: @p verifiedNumber is null unless the dialog verified a number.
    Outcome finish(const PhoneNumber &verifiedNumber, Purpose flow, bool accountCreated) const;
    std::optional<QString> lastFailure() const { return m_lastFailure; }

private:
    std::optional<QString> m_lastFailure;
};

} // namespace waotp
