// The answers of waotp-server read into the engine's results (ServerAnswers.h): every status
// and error of the API, and every way an answer can fail to be one.
#include "network/serverclient/ServerAnswers.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace waotp;
using namespace std::chrono_literals;

namespace {

const Clock::TimePoint Now {std::chrono::hours(5)};

ServerReply answered(int status, const QByteArray &body, std::chrono::seconds retryAfter = -1s)
{
    ServerReply r;
    r.status = status;
    r.body = body;
    r.retryAfter = retryAfter;
    return r;
}

ServerReply failed(ServerReply::Failure failure, const QString &detail)
{
    ServerReply r;
    r.failure = failure;
    r.detail = detail;
    return r;
}

const QByteArray Created =
    R"({"id":"Ab-_9","phone":"+919876543210","channel":"whatsapp","flow":"signup",)"
    R"("status":"pending","delivery":"queued","expires_in":300,"resend_in":30,)"
    R"("attempts_left":5})";

} // namespace

Q_DECLARE_METATYPE(ServerReply)

class tst_ServerAnswers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void created();
    void demoCodeOnlyFromADemoServer();
    void refusedSends_data();
    void refusedSends();
    void notTheApi_data();
    void notTheApi();
    void checks_data();
    void checks();
    void approval();
    void problemsInPlainWords_data();
    void problemsInPlainWords();
};

void tst_ServerAnswers::created()
{
    const SendOutcome out = sendOutcome(answered(201, Created), Now);
    QCOMPARE(out.kind, SendOutcome::Kind::Sent);
    QCOMPARE(out.result.status, CodeRequestResult::Status::Sent);
    // The deadlines run from when the answer came, not from when it was asked for.
    QCOMPARE(out.result.expiresAt, Now + 300s);
    QCOMPARE(out.result.nextSendAt, Now + 30s);
    QCOMPARE(out.verification.id, QByteArray("Ab-_9"));
    QCOMPARE(out.verification.attemptsLeft, 5);
    QCOMPARE(out.verification.delivery, DeliveryStatus::Queued);
    QVERIFY(!out.verification.demo);
}

void tst_ServerAnswers::demoCodeOnlyFromADemoServer()
{
    QByteArray live = Created;
    live.chop(1);
    live += R"(,"demo_code":"123456"})";
    QVERIFY(sendOutcome(answered(201, live), Now).verification.demoCode.isEmpty());
    QByteArray demo = live;
    demo.insert(1, R"("demo":true,)");
    const SendOutcome out = sendOutcome(answered(201, demo), Now);
    QVERIFY(out.verification.demo);
    QCOMPARE(out.verification.demoCode, QStringLiteral("123456"));
}

void tst_ServerAnswers::refusedSends_data()
{
    using S = CodeRequestResult::Status;
    using K = SendOutcome::Kind;
    QTest::addColumn<ServerReply>("reply");
    QTest::addColumn<SendOutcome::Kind>("kind");
    QTest::addColumn<CodeRequestResult::Status>("status");
    QTest::addColumn<SendError>("error");
    QTest::addColumn<int>("retryAfter");
    QTest::addColumn<int>("providerCode");

    QTest::newRow("cooldown") << answered(429,
                                          R"({"error":"rate_limited","scope":"cooldown",)"
                                          R"("retry_after":17})")
                              << K::Refused << S::CoolingDown << SendError::RateLimited << 17 << 0;
    QTest::newRow("hourly") << answered(429, R"({"error":"rate_limited","scope":"hourly_limit"})",
                                        600s)
                            << K::Refused << S::HourlyLimit << SendError::RateLimited << 600 << 0;
    QTest::newRow("wrong codes lately")
        << answered(429, R"({"error":"rate_limited","scope":"wrong_codes","retry_after":600})")
        << K::Refused << S::FailureBackoff << SendError::RateLimited << 600 << 0;
    QTest::newRow("per address") << answered(429,
                                             R"({"error":"rate_limited","scope":"ip",)"
                                             R"("retry_after":42})",
                                             42s)
                                 << K::Refused << S::SendFailed << SendError::RateLimited << 42
                                 << 0;
    QTest::newRow("opted out") << answered(422,
                                           R"({"error":"send_failed","reason":"opted_out",)"
                                           R"("provider_code":21610})")
                               << K::Refused << S::SendFailed << SendError::OptedOut << 0 << 21610;
    QTest::newRow("not whatsapp") << answered(422,
                                              R"({"error":"send_failed",)"
                                              R"("reason":"not_whatsapp_user"})")
                                  << K::Refused << S::SendFailed << SendError::NotWhatsAppUser << 0
                                  << 0;
    QTest::newRow("no sms") << answered(422, R"({"error":"channel_unavailable"})") << K::Refused
                            << S::ChannelUnavailable << SendError::Rejected << 0 << 0;
    QTest::newRow("country") << answered(403, R"({"error":"country_not_allowed"})") << K::Refused
                             << S::SendFailed << SendError::RegionNotEnabled << 0 << 0;
    QTest::newRow("bad phone") << answered(400, R"({"error":"invalid_phone","reason":"too_short"})")
                               << K::Refused << S::SendFailed << SendError::InvalidNumber << 0 << 0;
    QTest::newRow("send budget") << answered(503,
                                             R"({"error":"send_budget_exhausted",)"
                                             R"("scope":"minute","retry_after":20})")
                                 << K::Refused << S::SendFailed << SendError::RateLimited << 20
                                 << 0;
    QTest::newRow("store down") << answered(503, R"({"error":"store_unavailable"})", 5s)
                                << K::Refused << S::Unavailable << SendError::Server << 5 << 0;
    QTest::newRow("provider 502") << answered(502, R"({"error":"provider_error"})") << K::Refused
                                  << S::SendFailed << SendError::Server << 0 << 0;
    QTest::newRow("provider busy") << answered(503, R"({"error":"provider_unavailable"})", 5s)
                                   << K::Refused << S::SendFailed << SendError::Server << 5 << 0;
    QTest::newRow("no account") << answered(404, R"({"error":"no_account"})") << K::AccountMismatch
                                << S::SendFailed << SendError::None << 0 << 0;
    QTest::newRow("account exists")
        << answered(409, R"({"error":"account_exists"})") << K::AccountMismatch << S::SendFailed
        << SendError::None << 0 << 0;
    QTest::newRow("gone") << answered(404, R"({"error":"not_found"})") << K::VerificationGone
                          << S::SendFailed << SendError::None << 0 << 0;
    QTest::newRow("unknown error") << answered(400, R"({"error":"malformed_json"})") << K::Refused
                                   << S::SendFailed << SendError::Rejected << 0 << 0;
}

void tst_ServerAnswers::refusedSends()
{
    QFETCH(ServerReply, reply);
    const SendOutcome out = sendOutcome(reply, Now);
    QTEST(out.kind, "kind");
    if (out.kind != SendOutcome::Kind::Refused)
        return;
    QTEST(out.result.status, "status");
    QTEST(out.result.send.error, "error");
    QFETCH(int, retryAfter);
    QCOMPARE(out.result.retryAfter.count(), retryAfter);
    QTEST(out.result.send.providerCode, "providerCode");
    if (out.result.status == CodeRequestResult::Status::CoolingDown
        || out.result.status == CodeRequestResult::Status::FailureBackoff)
        QCOMPARE(out.result.nextSendAt, Now + std::chrono::seconds(retryAfter));
}

void tst_ServerAnswers::notTheApi_data()
{
    QTest::addColumn<ServerReply>("reply");
    QTest::addColumn<SendError>("error");
    QTest::addColumn<QString>("words");

    QTest::newRow("refused") << failed(ServerReply::Failure::Unreachable,
                                       QStringLiteral("the connection was refused"))
                             << SendError::Network
                             << QStringLiteral("cannot be reached: the connection was refused");
    QTest::newRow("tls") << failed(ServerReply::Failure::Tls, QStringLiteral("TLS: untrusted"))
                         << SendError::Network << QStringLiteral("TLS: untrusted");
    QTest::newRow("hang") << failed(ServerReply::Failure::Timeout,
                                    QStringLiteral("no answer in time (15 s)"))
                          << SendError::Server << QStringLiteral("no answer in time (15 s)");
    QTest::newRow("huge") << failed(ServerReply::Failure::TooLarge,
                                    QStringLiteral("larger than 64 KiB"))
                          << SendError::BadResponse << QStringLiteral("larger than 64 KiB");
    QTest::newRow("html 502") << answered(502, "<html>Bad Gateway</html>") << SendError::Server
                              << QStringLiteral("not the API's JSON (HTTP 502)");
    QTest::newRow("html 200") << answered(200, "<html>captive portal</html>")
                              << SendError::BadResponse
                              << QStringLiteral("not the API's JSON (HTTP 200)");
    QTest::newRow("cut short") << answered(201, Created.left(40)) << SendError::BadResponse
                               << QStringLiteral("not the API's JSON (HTTP 201)");
    QTest::newRow("wrong types") << answered(201, QByteArray(Created).replace("300", "\"300\""))
                                 << SendError::BadResponse << QString();
    QTest::newRow("beyond any integer")
        << answered(201, QByteArray(Created).replace("300", "3e300")) << SendError::BadResponse
        << QString();
    QTest::newRow("negative") << answered(201, QByteArray(Created).replace("300", "-1"))
                              << SendError::BadResponse << QString();
    QTest::newRow("array") << answered(201, "[1,2]") << SendError::BadResponse
                           << QStringLiteral("not the API's JSON");
    QTest::newRow("redirect") << answered(302, "") << SendError::BadResponse
                              << QStringLiteral("not the API's JSON (HTTP 302)");
}

void tst_ServerAnswers::notTheApi()
{
    QFETCH(ServerReply, reply);
    QFETCH(QString, words);
    const SendOutcome out = sendOutcome(reply, Now);
    QCOMPARE(out.kind, SendOutcome::Kind::Refused);
    QCOMPARE(out.result.status, CodeRequestResult::Status::SendFailed);
    QTEST(out.result.send.error, "error");
    QVERIFY2(out.result.send.detail.contains(words), qPrintable(out.result.send.detail));
    // A check meets the same answer as "could not be checked", never as a verdict on the code.
    const CheckAnswer check = checkAnswer(reply);
    QCOMPARE(check.result.status, VerifyResult::Status::Unavailable);
    QVERIFY(!check.approval);
}

void tst_ServerAnswers::checks_data()
{
    using S = VerifyResult::Status;
    QTest::addColumn<ServerReply>("reply");
    QTest::addColumn<VerifyResult::Status>("status");
    QTest::addColumn<int>("attemptsLeft");
    QTest::addColumn<SendError>("error");

    QTest::newRow("wrong") << answered(422, R"({"error":"wrong_code","attempts_left":4})")
                           << S::WrongCode << 4 << SendError::None;
    QTest::newRow("expired") << answered(410, R"({"error":"expired"})") << S::Expired << 0
                             << SendError::None;
    QTest::newRow("too many") << answered(429, R"({"error":"too_many_attempts","retry_after":0})")
                              << S::TooManyAttempts << 0 << SendError::None;
    QTest::newRow("too many, resend later")
        << answered(429, R"({"error":"too_many_attempts","retry_after":77})") << S::TooManyAttempts
        << 0 << SendError::None;
    QTest::newRow("gone") << answered(404, R"({"error":"not_found"})") << S::NoCode << 0
                          << SendError::None;
    QTest::newRow("account gone") << answered(404, R"({"error":"no_account"})") << S::NoCode << 0
                                  << SendError::None;
    QTest::newRow("account came") << answered(409, R"({"error":"account_exists"})") << S::NoCode
                                  << 0 << SendError::None;
    QTest::newRow("malformed") << answered(400, R"({"error":"malformed_code"})") << S::Malformed
                               << 0 << SendError::None;
    QTest::newRow("wrong codes lately")
        << answered(429, R"({"error":"rate_limited","scope":"wrong_codes","retry_after":77})")
        << S::GuessLimit << 0 << SendError::None;
    QTest::newRow("checks per address")
        << answered(429, R"({"error":"rate_limited","scope":"ip"})", 90s) << S::Unavailable << 0
        << SendError::RateLimited;
    QTest::newRow("store down") << answered(503, R"({"error":"store_unavailable"})")
                                << S::Unavailable << 0 << SendError::Server;
    QTest::newRow("no attempts said")
        << answered(422, R"({"error":"wrong_code"})") << S::Unavailable << 0 << SendError::Rejected;
    QTest::newRow("unreachable") << failed(ServerReply::Failure::Unreachable, QStringLiteral("x"))
                                 << S::Unavailable << 0 << SendError::Network;
}

void tst_ServerAnswers::checks()
{
    QFETCH(ServerReply, reply);
    const CheckAnswer out = checkAnswer(reply);
    QTEST(out.result.status, "status");
    QTEST(out.result.attemptsLeft, "attemptsLeft");
    QTEST(out.result.providerError.error, "error");
    QVERIFY(!out.approval);
    QCOMPARE(out.accountMismatch, QByteArrayView(QTest::currentDataTag()).startsWith("account"));
    if (out.result.providerError.error == SendError::RateLimited)
        QCOMPARE(out.result.providerError.retryAfter, 90s);
    if (out.result.status == VerifyResult::Status::GuessLimit
        || QByteArrayView(QTest::currentDataTag()) == "too many, resend later")
        QCOMPARE(out.result.retryAfter, 77s);
}

void tst_ServerAnswers::approval()
{
    const QByteArray body = R"({"demo":true,"status":"approved","phone":"+919876543210",)"
                            R"("account":"created","account_id":"w7aw8z9",)"
                            R"("token":"eyJh.eyJz.c2ln","expires_in":300})";
    const CheckAnswer out = checkAnswer(answered(200, body));
    QCOMPARE(out.result.status, VerifyResult::Status::Verified);
    QVERIFY(out.approval);
    QCOMPARE(out.approval->token, QByteArray("eyJh.eyJz.c2ln"));
    QVERIFY(out.approval->accountCreated);
    QVERIFY(out.approval->demo);
    QCOMPARE(out.approval->expiresIn, 300s);
    // Not a JWT, or a member missing: not an approval.
    for (const QByteArray &bad : {QByteArray(body).replace("eyJh.eyJz.c2ln", "\\\"x\\\""),
                                  QByteArray(body).replace(R"("account":"created",)", ""),
                                  QByteArray(body).replace("approved", "pending")}) {
        const CheckAnswer refused = checkAnswer(answered(200, bad));
        QCOMPARE(refused.result.status, VerifyResult::Status::Unavailable);
        QCOMPARE(refused.result.providerError.error, SendError::BadResponse);
    }
}

void tst_ServerAnswers::problemsInPlainWords_data()
{
    QTest::addColumn<ServerReply>("reply");
    QTest::addColumn<QString>("words");
    QTest::newRow("5xx") << answered(500, R"({"error":"internal_error"})")
                         << QStringLiteral("the verification server failed (HTTP 500, "
                                           "internal_error)");
    QTest::newRow("ip") << answered(429, R"({"error":"rate_limited","scope":"ip"})", 12s)
                        << QStringLiteral("the verification server asks to wait 12 s: too many "
                                          "requests from this address");
    QTest::newRow("a code sent is no problem") << answered(201, Created) << QString();
    QTest::newRow("nor a wrong code")
        << answered(422, R"({"error":"wrong_code","attempts_left":2})") << QString();
    QTest::newRow("nor a cooldown")
        << answered(429, R"({"error":"rate_limited","scope":"cooldown"})") << QString();
    QTest::newRow("a malformed request is") << answered(400, R"({"error":"malformed_json"})")
                                            << QStringLiteral("the verification server refused "
                                                              "the request (HTTP 400, "
                                                              "malformed_json)");
}

void tst_ServerAnswers::problemsInPlainWords()
{
    QFETCH(ServerReply, reply);
    QTEST(serverProblem(reply), "words");
}

QTEST_GUILESS_MAIN(tst_ServerAnswers)
#include "tst_serveranswers.moc"
