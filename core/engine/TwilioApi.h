#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <chrono>
#include <utility>

// What the configuration and the Twilio clients share, without the network: the limits, the
// hosts, the form encoding and the URL rule. The clients themselves (TwilioHttp.h) need QtNetwork
// and are loaded only in live mode.

namespace waotp {

/// The time and size limits of the Twilio clients. Tests make them short.
struct TwilioTimings
{
    /// The longest a request may take, from start to the last byte of the answer. A POST that
    /// times out is not sent again: the message may have gone out.
    std::chrono::milliseconds transferTimeout {15000};
    /// A larger answer is abandoned (no Twilio answer is anywhere near this).
    qint64 maxResponseBytes = 1024 * 1024;
    /// Delivery tracking: the first status poll comes this long after the send...
    std::chrono::milliseconds firstPollDelay {1000};
    /// ... and each next one twice as late, at most this late...
    std::chrono::milliseconds maxPollInterval {15000};
    /// ... until a final status or this long after the send. Zero: no tracking.
    std::chrono::milliseconds trackingLimit {std::chrono::minutes(2)};
};

/// The Twilio hosts the clients talk to.
enum class TwilioService {
    Api, ///< https://api.twilio.com: Accounts, Messages
    Verify, ///< https://verify.twilio.com
};

/// An application/x-www-form-urlencoded form, in order.
using FormFields = QList<std::pair<QString, QString>>;

/// Encodes @p fields as Twilio's official client does: UTF-8, every byte but A-Z a-z 0-9 - . _ ~
/// percent-encoded (so "+" travels as %2B, ":" as %3A, a space as %20), joined by "&". The
/// result is made in one allocation and the intermediate copies are overwritten: a code in a
/// field has no copy left but the result (the caller's to wipe).
QByteArray formEncode(const FormFields &fields);

/// True if credentials may be sent to @p url: https to twilio.com or a name under it (a regional
/// edge such as api.dublin.ie1.twilio.com) on port 443, or http or https to a literal loopback
/// address (127.0.0.0/8, ::1; tests). Never to a URL with user info, a query or a fragment, and
/// never to "localhost" (the resolver decides what that is). Otherwise false, with the reason in
/// @p why.
bool isAllowedTwilioUrl(const QUrl &url, QString *why = nullptr);

/// The base URL of @p service: @p override when set, else Twilio's real host.
QUrl twilioBaseUrl(const QUrl &override, TwilioService service);

} // namespace waotp
