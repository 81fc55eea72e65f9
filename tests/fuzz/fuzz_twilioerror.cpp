// Fuzzes the pure readers of Twilio's answers: the error body (parseTwilioError, twilioFailure,
// describeSendError), the Retry-After header and the message status.
//
// Input: byte 0 picks the HTTP status; up to the first newline is the Retry-After value (and
// the status text); the rest is the body.
#include "FuzzSupport.h"
#include "network/twilio/TwilioError.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <iterator>

using namespace waotp;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    static const int statuses[] = {400, 401, 403, 404, 409, 429, 500, 502, 503, 504, 200, 0};
    const int httpStatus = statuses[data[0] % std::size(statuses)];
    const QByteArrayView rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype newline = rest.indexOf('\n');
    const QByteArrayView header = newline < 0 ? rest : rest.first(newline);
    const QByteArrayView body = newline < 0 ? QByteArrayView() : rest.sliced(newline + 1);

    // A fixed "now", so that a crash found with an HTTP date replays the same way.
    static const QDateTime now(QDate(2026, 1, 15), QTime(12, 0), QTimeZone::utc());
    const std::chrono::seconds retryAfter = parseRetryAfter(header, now);
    if (retryAfter < std::chrono::seconds(0) || retryAfter > std::chrono::hours(1))
        fuzz::fail("Retry-After outside [0, 1 h]");

    if (const std::optional<TwilioErrorBody> e = parseTwilioError(body))
        (void)sendErrorFor(e->code, e->status);
    const SendResult r = twilioFailure(httpStatus, body, retryAfter);
    if (r.ok())
        fuzz::fail("a failure answer that reads as success");
    (void)describeSendError(r);

    const DeliveryStatus status = deliveryStatusFromTwilio(QString::fromUtf8(header));
    (void)isFinalDeliveryStatus(status, Channel::WhatsApp);
    (void)isFinalDeliveryStatus(status, Channel::Sms);
    return 0;
}
