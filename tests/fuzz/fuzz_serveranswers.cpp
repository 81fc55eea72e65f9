// Fuzzes the app's readers of waotp-server's answers (ServerAnswers.h), which come from the
// network: the create / resend answer, the check answer, the verification shape and the words
// for a problem.
//
// Input: byte 0 picks the HTTP status (or a failure without an answer); up to the first newline
// is the Retry-After value; the rest is the body.
//
// Invariants: a code counts as sent only from a 201 with a whole verification, whose deadlines
// are not in the past; a code counts as approved only from a 200 with a token shaped as a JWT;
// a demo code is only taken from an answer marked demo.
#include "FuzzSupport.h"
#include "network/serverclient/ServerAnswers.h"

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
    static const int statuses[] = {200, 201, 204, 302, 400, 403, 404, 409, 410,
                                   422, 429, 500, 502, 503, 0,   -1,  -2};
    const int status = statuses[data[0] % std::size(statuses)];
    const QByteArrayView rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype newline = rest.indexOf('\n');
    ServerReply reply;
    if (status <= 0) {
        reply.failure = status == 0 ? ServerReply::Failure::Unreachable
            : status == -1          ? ServerReply::Failure::Timeout
                                    : ServerReply::Failure::TooLarge;
        reply.detail = QString::fromUtf8(rest);
    } else {
        reply.status = status;
        bool ok = false;
        const qint64 header =
            (newline < 0 ? rest : rest.first(newline)).toByteArray().trimmed().toLongLong(&ok);
        reply.retryAfter =
            std::chrono::seconds(ok && header >= 0 ? std::min<qint64>(header, 86400) : -1);
        reply.body = (newline < 0 ? QByteArrayView() : rest.sliced(newline + 1)).toByteArray();
    }

    const Clock::TimePoint now {std::chrono::hours(7)};
    const SendOutcome sent = sendOutcome(reply, now);
    if (sent.kind == SendOutcome::Kind::Sent) {
        if (reply.status != 201 || sent.result.status != CodeRequestResult::Status::Sent)
            fuzz::fail("a code counted as sent without a 201");
        if (sent.result.expiresAt < now || sent.result.nextSendAt < now)
            fuzz::fail("deadlines in the past");
        if (!sent.verification.demoCode.isEmpty() && !sent.verification.demo)
            fuzz::fail("a demo code taken from an answer not marked demo");
    } else if (sent.result.status == CodeRequestResult::Status::Sent) {
        fuzz::fail("a refusal that reads as sent");
    }
    if (sent.result.retryAfter.count() < 0)
        fuzz::fail("a negative wait");

    const CheckAnswer checked = checkAnswer(reply);
    if (checked.result.status == VerifyResult::Status::Verified) {
        if (reply.status != 200 || !checked.approval || checked.approval->token.count('.') != 2)
            fuzz::fail("an approval without a 200 and a token");
    } else if (checked.approval) {
        fuzz::fail("a token beside a refusal");
    }
    (void)serverProblem(reply);
    return 0;
}
