#pragma once

#include "engine/CodeSender.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <chrono>
#include <optional>

namespace waotp {

/// Twilio's error answer: {"code": 21211, "message": "...", "more_info": "https://...",
/// "status": 400}.
struct TwilioErrorBody
{
    int code = 0;
    QString message;
    QString moreInfo;
    int status = 0;
};

/// Parses Twilio's error JSON; std::nullopt if @p body is not such an object.
std::optional<TwilioErrorBody> parseTwilioError(QByteArrayView body);

/// The engine's reading of a Twilio error code (Messages and Verify), falling back on the
/// HTTP status when the code is unknown or missing (0).
SendError sendErrorFor(int twilioCode, int httpStatus);

/// The SendResult for a non-2xx answer: the mapped error, Twilio's code, link and HTTP status,
/// and a log detail with phone numbers masked. @p retryAfter comes from the Retry-After header.
SendResult twilioFailure(int httpStatus, QByteArrayView body, std::chrono::seconds retryAfter);

/// Reads a Retry-After header: delta-seconds or an HTTP date (relative to @p now). Zero when
/// absent or unreadable; at most one hour.
std::chrono::seconds parseRetryAfter(QByteArrayView value, const QDateTime &now);

/// Reads a Message resource's "status" ("queued", "sent", "delivered", "read", ...).
DeliveryStatus deliveryStatusFromTwilio(QStringView status);

/// True for the statuses after which a message's status no longer changes.
bool isFinalDeliveryStatus(DeliveryStatus status, Channel channel);

/// A sentence for a person about a failed send: what happened and what to do. Translatable
/// (context "waotp::SendError"). Unknown refusals keep Twilio's code and documentation link.
QString describeSendError(const SendResult &result);

} // namespace waotp
