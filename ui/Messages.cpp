#include "Messages.h"

#include "Countdown.h"

#include <algorithm>

namespace waotp {

QString Messages::tryAgainIn(std::chrono::seconds wait)
{
    return tr("Try again in %1").arg(formatDuration(wait));
}

namespace {

// A message with %n in the loaded translation's plural form; without a translation (English)
// the source itself, with "(s)" resolved for @p n.
QString plural(const char *source, int n)
{
    const QString translated = QCoreApplication::translate("waotp::Messages", source, nullptr, n);
    const QString untranslated =
        QString::fromUtf8(source).replace(QStringLiteral("%n"), QString::number(n));
    if (translated != untranslated)
        return translated;
    return QString(untranslated)
        .replace(QStringLiteral("(s)"), n == 1 ? QString() : QStringLiteral("s"));
}

} // namespace

QString Messages::wrongCode(int attemptsLeft)
{
    return plural(QT_TRANSLATE_N_NOOP("waotp::Messages", "Wrong code — %n attempt(s) left"),
                  attemptsLeft);
}

QString Messages::codeSentTo(const PhoneNumber &number, Channel channel,
                             std::chrono::seconds lifetime)
{
    // Whole minutes, rounded up: "expires in 2 minutes" for a code that lives 90 seconds.
    const auto minutes = std::max<qint64>(1, (lifetime.count() + 59) / 60);
    const char *source = channel == Channel::Sms
        ? QT_TRANSLATE_N_NOOP("waotp::Messages", "Code sent to %1 by SMS, expires in %n minute(s)")
        : QT_TRANSLATE_N_NOOP("waotp::Messages",
                              "Code sent to %1 on WhatsApp, expires in %n minute(s)");
    return plural(source, int(minutes)).arg(phoneNumberInText(number.masked()));
}

QString Messages::sendError(SendError error, std::chrono::seconds retryAfter)
{
    switch (error) {
    case SendError::None:
        return {};
    case SendError::InvalidNumber:
        return tr("This isn't a valid phone number. Check it and try again.");
    case SendError::NotWhatsAppUser:
        return tr("This number can't receive WhatsApp messages.");
    case SendError::NotMobile:
        return tr("This number can't receive WhatsApp messages. Use a mobile number.");
    case SendError::OptedOut:
        return tr("This number has opted out of our messages.");
    case SendError::RegionNotEnabled:
        return tr("We can't send codes to this country yet.");
    case SendError::UnverifiedRecipient:
        return tr("This number can't receive codes yet. Please contact support.");
    case SendError::OutsideSessionWindow:
    case SendError::Misconfigured:
        return tr("Service misconfigured. Please contact support.");
    case SendError::RateLimited:
        if (retryAfter.count() > 0)
            return tr("Too many requests. %1.").arg(tryAgainIn(retryAfter));
        return tr("Too many requests. Try again in a moment.");
    case SendError::Network:
        return tr("No connection. Check your internet and try again.");
    case SendError::Timeout:
        return tr("WhatsApp didn't answer in time. Try again in a moment.");
    case SendError::Server:
    case SendError::BadResponse:
        return tr("The messaging service isn't responding. Try again in a moment.");
    case SendError::Rejected:
        return tr("The code couldn't be sent. Try again later.");
    }
    return tr("The code couldn't be sent. Try again later.");
}

QString Messages::requestFailure(const CodeRequestResult &result)
{
    using Status = CodeRequestResult::Status;
    switch (result.status) {
    case Status::Sent:
        return {};
    case Status::CoolingDown:
    case Status::FailureBackoff:
        return tryAgainIn(result.retryAfter);
    case Status::HourlyLimit:
        return tr("Too many codes requested for this number. %1")
            .arg(tryAgainIn(result.retryAfter));
    case Status::SendFailed:
        return sendError(result.send.error, result.retryAfter);
    case Status::Unavailable:
        return tr("The service is unavailable. Try again in a moment.");
    case Status::ChannelUnavailable:
        return result.channel == Channel::Sms ? tr("Codes by SMS aren't available.")
                                              : tr("Codes on WhatsApp aren't available.");
    }
    return tr("The service is unavailable. Try again in a moment.");
}

QString Messages::verifyFailure(const VerifyResult &result)
{
    using Status = VerifyResult::Status;
    switch (result.status) {
    case Status::Verified:
        return {};
    case Status::WrongCode:
        return wrongCode(result.attemptsLeft);
    case Status::Expired:
        return tr("Code expired");
    case Status::NoCode:
        return tr("This code is no longer valid. Request a new code.");
    case Status::TooManyAttempts:
        return tr("Too many attempts. Request a new code.");
    case Status::Malformed:
        return tr("Enter all 6 digits of the code.");
    case Status::Unavailable:
        if (result.providerError.error == SendError::RateLimited) // with the wait, if known
            return sendError(SendError::RateLimited, result.providerError.retryAfter);
        return tr("Couldn't check the code. Check your connection and try again.");
    case Status::GuessLimit:
        return tryAgainIn(result.retryAfter);
    }
    return tr("Couldn't check the code. Check your connection and try again.");
}

QString Messages::deliveryStatus(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Unknown:
    case DeliveryStatus::Queued:
        return tr("Sending");
    case DeliveryStatus::Sent:
        return tr("Sent");
    case DeliveryStatus::Delivered:
        return tr("Delivered");
    case DeliveryStatus::Read:
        return tr("Read");
    case DeliveryStatus::Failed:
    case DeliveryStatus::Undelivered:
        return tr("Not delivered");
    }
    return {};
}

QString Messages::deliveryTicks(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Unknown:
    case DeliveryStatus::Queued:
        return QStringLiteral("\u25F7"); // a clock face, like WhatsApp's pending message
    case DeliveryStatus::Sent:
        return QStringLiteral("\u2713");
    case DeliveryStatus::Delivered:
    case DeliveryStatus::Read:
        return QStringLiteral("\u2713\u2713");
    case DeliveryStatus::Failed:
    case DeliveryStatus::Undelivered:
        return QStringLiteral("\u2715");
    }
    return {};
}

} // namespace waotp
