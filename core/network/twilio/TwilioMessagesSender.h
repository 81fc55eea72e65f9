#pragma once

#include "network/twilio/TwilioSender.h"

#include "engine/TimerQueue.h"

#include <QUrl>

namespace waotp {

/// Delivers codes through Twilio's Messages API: WhatsApp (To=whatsapp:+E164), and SMS when an
/// SMS sender is configured. One POST per send, then delivery tracking by polling the Message
/// resource with back-off, unless Twilio posts the status changes to a status callback.
class TwilioMessagesSender final : public TwilioSender
{
    Q_OBJECT
public:
    /// @p brand names the service in the message text. @p nam must outlive the sender.
    TwilioMessagesSender(const TwilioSettings &settings, const QString &brand,
                         QNetworkAccessManager *nam, const TwilioTimings &timings = {},
                         QObject *parent = nullptr);
    ~TwilioMessagesSender() override;

    /// WhatsApp always; SMS when TwilioSettings::smsFrom is set.
    bool supportsChannel(Channel channel) const override;

    /// Twilio posts each message's status changes to @p url (StatusCallback), and the sender
    /// stops polling: a job then reports only the status Twilio answered the send with. Empty:
    /// polling (the default).
    void setStatusCallback(const QUrl &url) { m_statusCallback = url; }
    const QUrl &statusCallback() const { return m_statusCallback; }

    /// The form of the Messages request for @p code: To, From (for WhatsApp, MessagingServiceSid
    /// instead when a messaging service is configured), then Body, or ContentSid and
    /// ContentVariables ({"1": code}) for WhatsApp when a Content SID is configured, then
    /// ValidityPeriod (the code's remaining lifetime, so Twilio drops a message that could only
    /// arrive after the code expired), then StatusCallback when one is set.
    FormFields messageForm(const OutgoingCode &code) const;
    /// "Your <brand> sign-up code is 123456. It expires in 5 minutes. Do not share it."
    static QString messageText(const OutgoingCode &code, const QString &brand);
    /// The ContentVariables of the WhatsApp template: {"1":"123456"}.
    static QString contentVariables(const OutgoingCode &code);
    /// The path of the Messages resource of the account, and of one message.
    QString messagesPath() const;
    QString messagePath(const QString &messageSid) const;
    /// When the messages tracked without a status callback are polled next: one timer for
    /// all of them, however many are in flight.
    TimerQueue &polls() { return *m_polls; }

private:
    QString refusal(const OutgoingCode &code) const override;
    SendJob *start(const OutgoingCode &code) override;

    QString m_brand;
    QUrl m_statusCallback;
    TimerQueue *m_polls;
};

} // namespace waotp
