#pragma once

#include "engine/CodeSender.h"
#include "engine/Config.h"
#include "network/twilio/TwilioHttp.h"

#include <QHash>
#include <QPointer>

namespace waotp {

/// Delivers codes through Twilio's Messages API: WhatsApp (To=whatsapp:+E164), and SMS when an
/// SMS sender is configured. One POST per send, then delivery tracking by polling the Message
/// resource with back-off. A send identical to one still in flight (same number, channel and
/// code: a double click) joins it instead of sending a second message.
class TwilioMessagesSender final : public CodeSender
{
    Q_OBJECT
public:
    /// @p brand names the service in the message text. @p nam must outlive the sender.
    TwilioMessagesSender(const TwilioSettings &settings, const QString &brand,
                         QNetworkAccessManager *nam, const TwilioTimings &timings = {},
                         QObject *parent = nullptr);
    ~TwilioMessagesSender() override;

    SendJob *send(const OutgoingCode &code) override;
    /// WhatsApp always; SMS when TwilioSettings::smsFrom is set.
    bool supportsChannel(Channel channel) const override;

    /// The form of the Messages request for @p code: To, From, then Body, or ContentSid and
    /// ContentVariables ({"1": code}) for WhatsApp when a Content SID is configured, then
    /// ValidityPeriod (the code's remaining lifetime, so Twilio drops a message that could only
    /// arrive after the code expired).
    FormFields messageForm(const OutgoingCode &code) const;
    /// "Your <brand> sign-up code is 123456. It expires in 5 minutes. Do not share it."
    static QString messageText(const OutgoingCode &code, const QString &brand);
    /// The path of the Messages resource of the account, and of one message.
    QString messagesPath() const;
    QString messagePath(const QString &messageSid) const;

    TwilioHttp &http() { return m_http; }

private:
    friend class TwilioMessageJob;
    void forget(const QString &key, QObject *job);

    TwilioHttp m_http;
    QString m_brand;
    QHash<QString, QPointer<SendJob>> m_inFlight; // send key -> job whose POST is in flight
};

} // namespace waotp
