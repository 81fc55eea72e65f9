#include "network/SenderFactory.h"

#include "network/twilio/TwilioMessagesSender.h"
#include "network/twilio/TwilioVerifySender.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSenderFactory, "waotp.senders", QtInfoMsg)

namespace waotp {

std::unique_ptr<CodeSender> makeLiveSender(const AppConfig &config, QNetworkAccessManager *nam,
                                           QObject *parent)
{
    return makeLiveSender(config, nam, TwilioTimings {}, parent);
}

std::unique_ptr<CodeSender> makeLiveSender(const AppConfig &config, QNetworkAccessManager *nam,
                                           const TwilioTimings &timings, QObject *parent)
{
    const TwilioSettings &t = config.twilio;
    if (config.mode() != AppConfig::Mode::Live) {
        qCWarning(lcSenderFactory) << "no Twilio credentials: no live sender";
        return nullptr;
    }
    std::unique_ptr<CodeSender> live;
    if (!t.verifyServiceSid.isEmpty()) {
        auto verify = std::make_unique<TwilioVerifySender>(t, nam, timings);
        verify->setSmsEnabled(!t.smsFrom.isEmpty());
        verify->setMaxCheckAttempts(config.policy.maxAttempts);
        live = std::move(verify);
    } else if (!t.whatsappFrom.isEmpty() || !t.messagingServiceSid.isEmpty()) {
        live = std::make_unique<TwilioMessagesSender>(t, config.brand, nam, timings);
    } else {
        qCWarning(lcSenderFactory)
            << "neither a WhatsApp sender, a messaging service nor a Verify service "
               "configured";
        return nullptr;
    }
    live->setParent(parent);
    return live;
}

} // namespace waotp
