#include "network/twilio/TwilioError.h"

#include "engine/LogRedaction.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimeZone>

namespace waotp {

namespace {
constexpr auto MaxRetryAfter = std::chrono::hours(1);

// lupdate files the strings of SendErrorText::tr() under "waotp::SendError", the context they are
// looked up in at run time (a free tr() would land in the context "waotp" and never be found).
struct SendErrorText
{
    Q_DECLARE_TR_FUNCTIONS(waotp::SendError)
};
} // namespace

std::optional<TwilioErrorBody> parseTwilioError(QByteArrayView body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (!o.contains(u"code") && !o.contains(u"message"))
        return std::nullopt;
    TwilioErrorBody e;
    e.code = o.value(u"code").toInt();
    e.message = o.value(u"message").toString();
    e.moreInfo = o.value(u"more_info").toString();
    e.status = o.value(u"status").toInt();
    return e;
}

SendError sendErrorFor(int twilioCode, int httpStatus)
{
    switch (twilioCode) {
    case 20003: // authentication failed
    case 20005: // account not active
    case 20404: // on a send: no such account or Verify service
    case 21212: // invalid From number
    case 21606: // the From number cannot send to this destination
    case 63007: // the From is not a WhatsApp sender of this account
    case 60223: // Verify: the channel is disabled for this service
        return SendError::Misconfigured;
    case 20429:
    case 60203: // Verify: max send attempts reached
    case 60212: // Verify: too many concurrent requests for this number
        return SendError::RateLimited;
    case 21211:
    case 60200: // Verify: invalid parameter (the To number)
        return SendError::InvalidNumber;
    case 21408:
        return SendError::RegionNotEnabled;
    case 21608:
        return SendError::UnverifiedRecipient;
    case 21610:
        return SendError::OptedOut;
    case 21614:
    case 60205: // Verify: SMS is not supported by landline phone number
        return SendError::NotMobile;
    case 63016:
        return SendError::OutsideSessionWindow;
    case 63003:
    case 63024:
        return SendError::NotWhatsAppUser;
    case 60410: // Verify: delivery blocked by fraud prevention for this number
        return SendError::Rejected;
    default:
        break;
    }
    if (httpStatus == 401 || httpStatus == 403)
        return SendError::Misconfigured;
    if (httpStatus == 429)
        return SendError::RateLimited;
    if (httpStatus >= 500)
        return SendError::Server;
    if (httpStatus >= 300 && httpStatus < 400)
        return SendError::BadResponse; // redirects are never followed
    return SendError::Rejected;
}

SendResult twilioFailure(int httpStatus, QByteArrayView body, std::chrono::seconds retryAfter)
{
    SendResult r;
    r.httpStatus = httpStatus;
    r.retryAfter = retryAfter;
    const std::optional<TwilioErrorBody> e = parseTwilioError(body);
    if (e) {
        r.providerCode = e->code;
        r.moreInfo = e->moreInfo;
        if (r.moreInfo.isEmpty() && e->code)
            r.moreInfo = QStringLiteral("https://www.twilio.com/docs/errors/%1").arg(e->code);
    }
    r.error = sendErrorFor(r.providerCode, httpStatus);
    if (r.error == SendError::RateLimited && r.retryAfter.count() == 0 && httpStatus == 429)
        r.retryAfter = std::chrono::seconds(1);
    // Twilio's messages quote the number ("The 'To' number +91... is not valid"): mask it.
    const QString message = e ? redactPhoneNumbers(e->message.left(300)) : QString();
    r.detail = e && e->code
        ? QStringLiteral("Twilio error %1 (HTTP %2): %3").arg(e->code).arg(httpStatus).arg(message)
        : QStringLiteral("Twilio answered HTTP %1%2")
              .arg(httpStatus)
              .arg(e ? QStringLiteral(": ") + message : QStringLiteral(" without an error body"));
    return r;
}

std::chrono::seconds parseRetryAfter(QByteArrayView value, const QDateTime &now)
{
    const QByteArray text = value.toByteArray().trimmed();
    if (text.isEmpty())
        return std::chrono::seconds(0);
    bool isNumber = false;
    const qint64 seconds = text.toLongLong(&isNumber);
    std::chrono::seconds wait {0};
    if (isNumber) {
        wait = std::chrono::seconds(std::max<qint64>(0, seconds));
    } else {
        // The suffix first: chopping four characters off a shorter value is undefined.
        if (!text.endsWith(" GMT"))
            return std::chrono::seconds(0);
        const QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(text).chopped(4),
                                                       QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
        if (!when.isValid())
            return std::chrono::seconds(0);
        QDateTime utc = when;
        utc.setTimeZone(QTimeZone::utc());
        wait = std::chrono::seconds(std::max<qint64>(0, now.secsTo(utc)));
    }
    return std::min<std::chrono::seconds>(wait, MaxRetryAfter);
}

DeliveryStatus deliveryStatusFromTwilio(QStringView status)
{
    if (status == u"accepted" || status == u"scheduled" || status == u"queued")
        return DeliveryStatus::Queued;
    if (status == u"sending" || status == u"sent")
        return DeliveryStatus::Sent;
    if (status == u"delivered")
        return DeliveryStatus::Delivered;
    if (status == u"read")
        return DeliveryStatus::Read;
    if (status == u"failed" || status == u"canceled")
        return DeliveryStatus::Failed;
    if (status == u"undelivered")
        return DeliveryStatus::Undelivered;
    return DeliveryStatus::Unknown;
}

bool isFinalDeliveryStatus(DeliveryStatus status, Channel channel)
{
    switch (status) {
    case DeliveryStatus::Read:
    case DeliveryStatus::Failed:
    case DeliveryStatus::Undelivered:
        return true;
    case DeliveryStatus::Delivered:
        // WhatsApp goes on to "read"; an SMS ends at "delivered".
        return channel == Channel::Sms;
    default:
        return false;
    }
}

QString describeSendError(const SendResult &r)
{
    switch (r.error) {
    case SendError::None:
        return {};
    case SendError::InvalidNumber:
        return SendErrorText::tr("This phone number is not valid. Check it and try again.");
    case SendError::NotWhatsAppUser:
        return SendErrorText::tr(
            "This number does not use WhatsApp. Check the number, or get the code by SMS.");
    case SendError::NotMobile:
        return SendErrorText::tr(
            "This number cannot receive WhatsApp messages. Use a mobile number.");
    case SendError::OptedOut:
        return SendErrorText::tr(
            "This number has blocked our messages (it replied STOP). Reply START to us "
            "to allow them again, then try again.");
    case SendError::RegionNotEnabled:
        return SendErrorText::tr("We cannot send codes to numbers in this country yet.");
    case SendError::UnverifiedRecipient:
        return SendErrorText::tr(
            "This service is in trial mode and can only send to numbers its owner has "
            "verified. Ask the administrator to add your number.");
    case SendError::OutsideSessionWindow:
        return SendErrorText::tr(
            "WhatsApp refused the message because the service has no approved message "
            "template. Please tell the administrator.");
    case SendError::RateLimited:
        if (r.retryAfter.count() == 1)
            return SendErrorText::tr("Too many requests right now. Try again in 1 second.");
        if (r.retryAfter.count() > 1)
            return SendErrorText::tr("Too many requests right now. Try again in %1 seconds.")
                .arg(r.retryAfter.count());
        return SendErrorText::tr("Too many requests right now. Try again in a minute.");
    case SendError::Misconfigured:
        return SendErrorText::tr(
            "The service is misconfigured, so codes cannot be sent right now. Please tell "
            "the administrator.");
    case SendError::Network:
        return SendErrorText::tr(
            "Could not reach the messaging service. Check the internet connection and try "
            "again.");
    case SendError::Timeout:
        return SendErrorText::tr(
            "The messaging service did not answer in time. The code may still arrive; if "
            "it does not, try again.");
    case SendError::Server:
        return SendErrorText::tr(
            "The messaging service has a problem right now. Try again in a minute.");
    case SendError::BadResponse:
        return SendErrorText::tr(
            "The messaging service sent an answer that could not be read. Try again.");
    case SendError::Rejected:
        break;
    }
    if (r.providerCode != 0) {
        const QString link = r.moreInfo.isEmpty()
            ? QStringLiteral("https://www.twilio.com/docs/errors/%1").arg(r.providerCode)
            : r.moreInfo;
        return SendErrorText::tr("The message could not be sent (Twilio error %1, see %2).")
            .arg(r.providerCode)
            .arg(link);
    }
    return SendErrorText::tr("The message could not be sent. Try again.");
}

} // namespace waotp
