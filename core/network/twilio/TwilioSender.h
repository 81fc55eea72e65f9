#pragma once

#include "engine/CodeSender.h"
#include "engine/Config.h"
#include "network/twilio/TwilioHttp.h"

namespace waotp {

/// What the Twilio senders share: the HTTP client, and how a send starts. send() refuses a code
/// that cannot go out before any request (no number: SendError::InvalidNumber; what refusal()
/// names: SendError::Misconfigured) with a job that fails from the event loop, as every result
/// arrives after send() has returned; any other code goes to start(), which makes the sender's
/// job and posts its request.
///
/// Every send asked for is sent: a double click never reaches a sender, OtpEngine answers it
/// with the request already in flight (see OtpEngine::requestCode()).
class TwilioSender : public CodeSender
{
    Q_OBJECT
public:
    ~TwilioSender() override;

    SendJob *send(const OutgoingCode &code) final;

    TwilioHttp &http() { return m_http; }
    const TwilioHttp &http() const { return m_http; }

protected:
    /// @p nam must outlive the sender.
    TwilioSender(const TwilioSettings &settings, QNetworkAccessManager *nam,
                 const TwilioTimings &timings, QObject *parent);

    /// Why this sender cannot send @p code, for the log; empty when it can. Asked only for a
    /// code with a number.
    virtual QString refusal(const OutgoingCode &code) const = 0;
    /// Makes the job for @p code, a child of the sender, and posts its request.
    virtual SendJob *start(const OutgoingCode &code) = 0;

private:
    TwilioHttp m_http;
};

} // namespace waotp
