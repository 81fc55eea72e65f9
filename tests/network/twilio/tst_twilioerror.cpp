// Reading Twilio's answers: error bodies, error codes, Retry-After, message statuses, and the
// words a person reads.
#include "network/twilio/TwilioError.h"

#include <QTest>
#include <QTimeZone>

using namespace waotp;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(waotp::SendError)

class tst_TwilioError : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesErrorBody();
    void rejectsOtherBodies_data();
    void rejectsOtherBodies();
    void codes_data();
    void codes();
    void failureKeepsTheDetails();
    void retryAfter_data();
    void retryAfter();
    void statuses_data();
    void statuses();
    void everyErrorHasWords();
};

void tst_TwilioError::parsesErrorBody()
{
    const auto e = parseTwilioError(R"({"code": 21211, "message": "Invalid 'To' Phone Number",
        "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})");
    QVERIFY(e);
    QCOMPARE(e->code, 21211);
    QCOMPARE(e->status, 400);
    QCOMPARE(e->message, QStringLiteral("Invalid 'To' Phone Number"));
    QCOMPARE(e->moreInfo, QStringLiteral("https://www.twilio.com/docs/errors/21211"));
}

void tst_TwilioError::rejectsOtherBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("html") << QByteArray("<html>Bad gateway</html>");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("other object") << QByteArray(R"({"sid": "SM1"})");
}

void tst_TwilioError::rejectsOtherBodies()
{
    QFETCH(QByteArray, body);
    QVERIFY(!parseTwilioError(body));
}

void tst_TwilioError::codes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("http");
    QTest::addColumn<SendError>("error");
    QTest::newRow("20003") << 20003 << 401 << SendError::Misconfigured;
    QTest::newRow("401 without code") << 0 << 401 << SendError::Misconfigured;
    QTest::newRow("20429") << 20429 << 429 << SendError::RateLimited;
    QTest::newRow("429 without code") << 0 << 429 << SendError::RateLimited;
    QTest::newRow("21211") << 21211 << 400 << SendError::InvalidNumber;
    QTest::newRow("21408") << 21408 << 400 << SendError::RegionNotEnabled;
    QTest::newRow("21608") << 21608 << 400 << SendError::UnverifiedRecipient;
    QTest::newRow("63007") << 63007 << 400 << SendError::Misconfigured;
    QTest::newRow("21610") << 21610 << 400 << SendError::OptedOut;
    QTest::newRow("21614") << 21614 << 400 << SendError::NotMobile;
    QTest::newRow("63016") << 63016 << 400 << SendError::OutsideSessionWindow;
    QTest::newRow("63003") << 63003 << 400 << SendError::NotWhatsAppUser;
    QTest::newRow("63024") << 63024 << 400 << SendError::NotWhatsAppUser;
    QTest::newRow("60200") << 60200 << 400 << SendError::InvalidNumber;
    QTest::newRow("60203") << 60203 << 429 << SendError::RateLimited;
    QTest::newRow("500") << 0 << 500 << SendError::Server;
    QTest::newRow("503") << 0 << 503 << SendError::Server;
    QTest::newRow("302") << 0 << 302 << SendError::BadResponse;
    QTest::newRow("unknown code") << 30008 << 400 << SendError::Rejected;
}

void tst_TwilioError::codes()
{
    QFETCH(int, code);
    QFETCH(int, http);
    QFETCH(SendError, error);
    QCOMPARE(sendErrorFor(code, http), error);
}

void tst_TwilioError::failureKeepsTheDetails()
{
    const SendResult r = twilioFailure(
        400,
        R"({"code": 21610, "message": "Attempt to send to unsubscribed recipient +919876543210", "status": 400})",
        0s);
    QCOMPARE(r.error, SendError::OptedOut);
    QCOMPARE(r.providerCode, 21610);
    QCOMPARE(r.httpStatus, 400);
    QCOMPARE(r.moreInfo, QStringLiteral("https://www.twilio.com/docs/errors/21610"));
    QVERIFY(r.detail.contains(u"Twilio error 21610 (HTTP 400)"));
    QVERIFY(!r.detail.contains(u"9876543210"));

    const SendResult bare = twilioFailure(503, "<html>down</html>", 30s);
    QCOMPARE(bare.error, SendError::Server);
    QCOMPARE(bare.retryAfter, 30s);
    QCOMPARE(bare.providerCode, 0);
}

void tst_TwilioError::retryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("seconds");
    QTest::newRow("seconds") << QByteArray("120") << 120;
    QTest::newRow("spaces") << QByteArray(" 7 ") << 7;
    QTest::newRow("date") << QByteArray("Wed, 21 Oct 2015 07:28:30 GMT") << 30;
    QTest::newRow("past date") << QByteArray("Wed, 21 Oct 2015 07:27:00 GMT") << 0;
    QTest::newRow("capped at an hour") << QByteArray("86400") << 3600;
    QTest::newRow("negative") << QByteArray("-5") << 0;
    QTest::newRow("garbage") << QByteArray("soon") << 0;
    QTest::newRow("short garbage") << QByteArray("x") << 0; // shorter than " GMT"
    QTest::newRow("absent") << QByteArray() << 0;
}

void tst_TwilioError::retryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(int, seconds);
    const QDateTime now(QDate(2015, 10, 21), QTime(7, 28, 0), QTimeZone::utc());
    QCOMPARE(parseRetryAfter(value, now), std::chrono::seconds(seconds));
}

void tst_TwilioError::statuses_data()
{
    QTest::addColumn<QString>("twilio");
    QTest::addColumn<DeliveryStatus>("status");
    QTest::addColumn<bool>("finalOnWhatsApp");
    QTest::addColumn<bool>("finalOnSms");
    QTest::newRow("accepted") << QStringLiteral("accepted") << DeliveryStatus::Queued << false
                              << false;
    QTest::newRow("queued") << QStringLiteral("queued") << DeliveryStatus::Queued << false << false;
    QTest::newRow("sending") << QStringLiteral("sending") << DeliveryStatus::Sent << false << false;
    QTest::newRow("sent") << QStringLiteral("sent") << DeliveryStatus::Sent << false << false;
    QTest::newRow("delivered") << QStringLiteral("delivered") << DeliveryStatus::Delivered << false
                               << true;
    QTest::newRow("read") << QStringLiteral("read") << DeliveryStatus::Read << true << true;
    QTest::newRow("failed") << QStringLiteral("failed") << DeliveryStatus::Failed << true << true;
    QTest::newRow("undelivered") << QStringLiteral("undelivered") << DeliveryStatus::Undelivered
                                 << true << true;
    QTest::newRow("canceled") << QStringLiteral("canceled") << DeliveryStatus::Failed << true
                              << true;
    QTest::newRow("unknown") << QStringLiteral("teleported") << DeliveryStatus::Unknown << false
                             << false;
}

void tst_TwilioError::statuses()
{
    QFETCH(QString, twilio);
    QFETCH(DeliveryStatus, status);
    QFETCH(bool, finalOnWhatsApp);
    QFETCH(bool, finalOnSms);
    QCOMPARE(deliveryStatusFromTwilio(twilio), status);
    QCOMPARE(isFinalDeliveryStatus(status, Channel::WhatsApp), finalOnWhatsApp);
    QCOMPARE(isFinalDeliveryStatus(status, Channel::Sms), finalOnSms);
}

void tst_TwilioError::everyErrorHasWords()
{
    QSet<QString> seen;
    for (int e = int(SendError::InvalidNumber); e <= int(SendError::Rejected); ++e) {
        SendResult r;
        r.error = SendError(e);
        const QString words = describeSendError(r);
        QVERIFY(!words.isEmpty());
        QVERIFY2(!seen.contains(words), qPrintable(words));
        seen.insert(words);
    }
    QVERIFY(describeSendError(SendResult()).isEmpty());
    SendResult limited;
    limited.error = SendError::RateLimited;
    limited.retryAfter = 1s;
    QCOMPARE(describeSendError(limited),
             QStringLiteral("Too many requests right now. Try again in 1 second."));
}

QTEST_GUILESS_MAIN(tst_TwilioError)
#include "tst_twilioerror.moc"
