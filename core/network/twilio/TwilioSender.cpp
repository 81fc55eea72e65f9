#include "network/twilio/TwilioSender.h"

namespace waotp {

namespace {

/// A send refused before any request: fails from the event loop.
class RefusedSendJob final : public SendJob
{
public:
    RefusedSendJob(const SendResult &refusal, QObject *parent) : SendJob(parent)
    {
        finishLater(refusal);
    }
};

} // namespace

TwilioSender::TwilioSender(const TwilioSettings &settings, QNetworkAccessManager *nam,
                           const TwilioTimings &timings, QObject *parent)
    : CodeSender(parent), m_http(settings, nam, timings)
{ }

TwilioSender::~TwilioSender() = default;

SendJob *TwilioSender::send(const OutgoingCode &code)
{
    SendResult refused;
    if (code.to.isNull()) {
        refused.error = SendError::InvalidNumber;
        refused.detail = QStringLiteral("no number to send to");
    } else {
        refused.detail = refusal(code);
        if (refused.detail.isEmpty())
            return start(code);
        refused.error = SendError::Misconfigured;
    }
    return new RefusedSendJob(refused, this);
}

} // namespace waotp
