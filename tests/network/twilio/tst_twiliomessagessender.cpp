// The Messages API client against the loopback fake: what it sends, how it reads Twilio's
// answers, delivery tracking, double sends, concurrency and the SMS fallback.
#include "EngineSpy.h"
#include "FakeClock.h"
#include "FakeTwilioServer.h"
#include "TwilioLogCapture.h"
#include "engine/CodeGenerator.h"
#include "engine/CodeHasher.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"
#include "network/twilio/TwilioError.h"
#include "network/twilio/TwilioMessagesSender.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(waotp::SendError)

namespace {
OutgoingCode outgoing(QStringView number = u"9876543210", QString code = QStringLiteral("123456"))
{
    OutgoingCode c;
    c.to = waotp::test::number(number);
    c.code = std::move(code);
    c.purpose = Purpose::SignUp;
    return c;
}
} // namespace

class tst_TwilioMessagesSender : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void sendsWhatsAppBody();
    void messageText_data();
    void messageText();
    void brandWithPrivateUseCharacters();
    void contentVariablesAreJson_data();
    void contentVariablesAreJson();
    void sendsTemplateWithContentSid();
    void messagingServiceInsteadOfFrom();
    void fakeTwilioWantsOneSender();
    void validityPeriodIsTheCodesLifetime_data();
    void validityPeriodIsTheCodesLifetime();
    void apiKeySignsRequests();
    void tracksToRead();
    void tracksDeliveredUntilTheLimit();
    void statusCallbackReplacesPolling();
    void deliveryFails63016();
    void twilioErrors_data();
    void twilioErrors();
    void wrongCredentialsAre401();
    void rateLimitHonoursRetryAfter();
    void serverErrors_data();
    void serverErrors();
    void engineDoubleClickSendsOnce();
    void hundredNumbersAtOnce();
    void smsOnlyWithAnSmsSender();
    void smsFallbackAfterUndelivered();

private:
    std::unique_ptr<TwilioMessagesSender> makeSender(TwilioSettings settings,
                                                     TwilioTimings timings = fastTimings());

    std::unique_ptr<FakeTwilioServer> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void tst_TwilioMessagesSender::initTestCase()
{
    TwilioLogCapture::install();
    qRegisterMetaType<DeliveryStatus>();
}

void tst_TwilioMessagesSender::init()
{
    m_fake = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_fake->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void tst_TwilioMessagesSender::cleanup()
{
    m_nam.reset();
    m_fake.reset();
}

std::unique_ptr<TwilioMessagesSender> tst_TwilioMessagesSender::makeSender(TwilioSettings settings,
                                                                           TwilioTimings timings)
{
    return std::make_unique<TwilioMessagesSender>(settings, QStringLiteral("Acme"), m_nam.get(),
                                                  timings);
}

void tst_TwilioMessagesSender::sendsWhatsAppBody()
{
    auto sender = makeSender(m_fake->settings());
    SendJobRecorder job(sender->send(outgoing()));
    QCOMPARE(job.finishedCount, 0); // never from inside send()
    QVERIFY(job.waitFinished());
    QVERIFY2(job.result.ok(), qPrintable(job.result.detail));
    QCOMPARE(job.result.httpStatus, 201);
    QVERIFY(job.result.messageId.startsWith(u"SM"));

    QCOMPARE(m_fake->messageCreates().size(), 1);
    const HttpRequest r = m_fake->messageCreates().first();
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.path(),
             QStringLiteral("/2010-04-01/Accounts/%1/Messages.json")
                 .arg(FakeTwilioServer::accountSid()));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
    QCOMPARE(r.header("Accept"), QByteArray("application/json"));
    QVERIFY(r.header("Authorization").startsWith("Basic ")); // pre-emptive, no 401 round trip
    QCOMPARE(r.formValue(QStringLiteral("To")), QStringLiteral("whatsapp:+919876543210"));
    QCOMPARE(r.formValue(QStringLiteral("From")), QStringLiteral("whatsapp:+14155238886"));
    QCOMPARE(r.formValue(QStringLiteral("Body")),
             QStringLiteral("Your Acme sign-up code is 123456. It expires in 5 minutes. Do not "
                            "share it."));
    QVERIFY(r.rawFormPairs().contains("To=whatsapp%3A%2B919876543210"));
    QVERIFY(r.formValue(QStringLiteral("ContentSid")).isEmpty());
    QVERIFY(r.formValue(QStringLiteral("StatusCallback")).isEmpty()); // polled instead
}

void tst_TwilioMessagesSender::messageText_data()
{
    QTest::addColumn<Purpose>("purpose");
    QTest::addColumn<int>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("sign-up, 5 min")
        << Purpose::SignUp << 300
        << QStringLiteral("Your Acme sign-up code is 123456. It expires "
                          "in 5 minutes. Do not share it.");
    QTest::newRow("sign-in, 1 min")
        << Purpose::SignIn << 60
        << QStringLiteral("Your Acme sign-in code is 123456. It expires "
                          "in 1 minute. Do not share it.");
    QTest::newRow("4 min 1 s rounds up")
        << Purpose::SignIn << 241
        << QStringLiteral("Your Acme sign-in code is 123456. It "
                          "expires in 5 minutes. Do not share it.");
    QTest::newRow("under a minute")
        << Purpose::SignIn << 45
        << QStringLiteral("Your Acme sign-in code is 123456. It expires "
                          "in 45 seconds. Do not share it.");
}

void tst_TwilioMessagesSender::messageText()
{
    QFETCH(Purpose, purpose);
    QFETCH(int, seconds);
    QFETCH(QString, text);
    OutgoingCode c = outgoing();
    c.purpose = purpose;
    c.validity = std::chrono::seconds(seconds);
    QCOMPARE(TwilioMessagesSender::messageText(c, QStringLiteral("Acme")), text);
}

void tst_TwilioMessagesSender::brandWithPrivateUseCharacters()
{
    // The text is made around a placeholder of private-use characters; a brand that has them
    // too still gets the right text.
    const QString brand = QString(6, QChar(0xE000));
    OutgoingCode c = outgoing();
    c.validity = 300s;
    QCOMPARE(TwilioMessagesSender::messageText(c, brand),
             QStringLiteral("Your %1 sign-up code is 123456. It expires in 5 minutes. Do not "
                            "share it.")
                 .arg(brand));
}

void tst_TwilioMessagesSender::contentVariablesAreJson_data()
{
    QTest::addColumn<QString>("code");
    QTest::newRow("digits") << QStringLiteral("654321");
    QTest::newRow("to be escaped") << QStringLiteral("6\"5\\4\n1");
}

void tst_TwilioMessagesSender::contentVariablesAreJson()
{
    QFETCH(QString, code);
    OutgoingCode c = outgoing();
    c.code = code;
    const QString json = TwilioMessagesSender::contentVariables(c);
    QJsonObject variables;
    variables.insert(QStringLiteral("1"), code);
    QCOMPARE(QJsonDocument::fromJson(json.toUtf8()).object(), variables);
    if (code == u"654321")
        QCOMPARE(json, QString::fromUtf8(QJsonDocument(variables).toJson(QJsonDocument::Compact)));
}

void tst_TwilioMessagesSender::sendsTemplateWithContentSid()
{
    TwilioSettings s = m_fake->settings();
    s.contentSid = FakeTwilioServer::contentSid();
    auto sender = makeSender(s);
    SendJobRecorder job(sender->send(outgoing(u"9876543210", QStringLiteral("654321"))));
    QVERIFY(job.waitFinished());
    QVERIFY2(job.result.ok(), qPrintable(job.result.detail));
    const HttpRequest r = m_fake->messageCreates().first();
    QCOMPARE(r.formValue(QStringLiteral("ContentSid")), FakeTwilioServer::contentSid());
    const QJsonDocument vars =
        QJsonDocument::fromJson(r.formValue(QStringLiteral("ContentVariables")).toUtf8());
    QCOMPARE(vars.object().value(u"1").toString(), QStringLiteral("654321"));
    // Template text in Body fails outside the 24-hour window (63016): no Body at all.
    QVERIFY(r.formValue(QStringLiteral("Body")).isEmpty());
    QVERIFY(r.rawFormPairs().contains("ContentVariables=%7B%221%22%3A%22654321%22%7D"));
}

void tst_TwilioMessagesSender::messagingServiceInsteadOfFrom()
{
    TwilioSettings s = m_fake->settings();
    s.messagingServiceSid = FakeTwilioServer::messagingServiceSid();
    s.smsFrom = FakeTwilioServer::smsFrom();
    auto sender = makeSender(s);
    SendJobRecorder job(sender->send(outgoing()));
    QVERIFY(job.waitFinished());
    QVERIFY2(job.result.ok(), qPrintable(job.result.detail));
    const HttpRequest r = m_fake->messageCreates().first();
    QCOMPARE(r.formValue(QStringLiteral("MessagingServiceSid")),
             FakeTwilioServer::messagingServiceSid());
    QVERIFY(r.formValue(QStringLiteral("From")).isEmpty());
    QCOMPARE(r.formValue(QStringLiteral("To")), QStringLiteral("whatsapp:+919876543210"));

    // SMS keeps its own sender.
    OutgoingCode sms = outgoing();
    sms.channel = Channel::Sms;
    SendJobRecorder smsJob(sender->send(sms));
    QVERIFY(smsJob.waitFinished());
    QVERIFY2(smsJob.result.ok(), qPrintable(smsJob.result.detail));
    const HttpRequest r2 = m_fake->messageCreates().at(1);
    QCOMPARE(r2.formValue(QStringLiteral("From")), FakeTwilioServer::smsFrom());
    QVERIFY(r2.formValue(QStringLiteral("MessagingServiceSid")).isEmpty());
}

void tst_TwilioMessagesSender::fakeTwilioWantsOneSender()
{
    // The fake refuses a form with both, or neither, so the tests above mean something.
    QNetworkAccessManager nam;
    TwilioHttp http(m_fake->settings(), &nam, fastTimings());
    const QString path =
        QStringLiteral("/2010-04-01/Accounts/%1/Messages.json").arg(FakeTwilioServer::accountSid());
    const auto post = [&](const FormFields &form) {
        QObject context;
        std::optional<TwilioReply> got;
        http.post(TwilioService::Api, path, form, &context,
                  [&got](const TwilioReply &reply) { got = reply; });
        [&got] { QTRY_VERIFY(got.has_value()); }();
        return got.value_or(TwilioReply {});
    };
    const auto to = std::pair {QStringLiteral("To"), QStringLiteral("whatsapp:+919876543210")};
    const auto body = std::pair {QStringLiteral("Body"), QStringLiteral("x")};
    const auto from = std::pair {QStringLiteral("From"), QStringLiteral("whatsapp:+14155238886")};
    const auto service =
        std::pair {QStringLiteral("MessagingServiceSid"), FakeTwilioServer::messagingServiceSid()};
    QCOMPARE(post({to, from, service, body}).result.httpStatus, 400);
    QCOMPARE(post({to, body}).result.providerCode, 21603);
    QCOMPARE(post({to, service, body}).result.httpStatus, 201);
    QCOMPARE(post({to, from, body}).result.httpStatus, 201);
    QCOMPARE(post({to, {QStringLiteral("MessagingServiceSid"), QStringLiteral("MGnothex")}, body})
                 .result.providerCode,
             21701);
}

void tst_TwilioMessagesSender::validityPeriodIsTheCodesLifetime_data()
{
    QTest::addColumn<int>("validity");
    QTest::addColumn<QString>("sent");
    QTest::newRow("5 min") << 300 << QStringLiteral("300");
    QTest::newRow("what is left") << 137 << QStringLiteral("137");
    QTest::newRow("at least 1") << 0 << QStringLiteral("1");
    QTest::newRow("Twilio's maximum") << 50000 << QStringLiteral("36000");
}

void tst_TwilioMessagesSender::validityPeriodIsTheCodesLifetime()
{
    QFETCH(int, validity);
    QFETCH(QString, sent);
    auto sender = makeSender(m_fake->settings());
    OutgoingCode c = outgoing();
    c.validity = std::chrono::seconds(validity);
    SendJobRecorder job(sender->send(c));
    QVERIFY(job.waitFinished());
    QVERIFY2(job.result.ok(), qPrintable(job.result.detail));
    QCOMPARE(m_fake->messageCreates().first().formValue(QStringLiteral("ValidityPeriod")), sent);
}

void tst_TwilioMessagesSender::apiKeySignsRequests()
{
    TwilioSettings s = m_fake->settings();
    s.authToken.clear();
    s.apiKeySid = FakeTwilioServer::apiKeySid();
    s.apiKeySecret = FakeTwilioServer::apiKeySecret();
    auto sender = makeSender(s);
    SendJobRecorder job(sender->send(outgoing()));
    QVERIFY(job.waitFinished());
    QVERIFY2(job.result.ok(), qPrintable(job.result.detail));
    const HttpRequest r = m_fake->messageCreates().first();
    // The path names the account; the credentials are the key's.
    QVERIFY(r.path().contains(FakeTwilioServer::accountSid()));
    QCOMPARE(QByteArray::fromBase64(r.header("Authorization").mid(6)),
             (FakeTwilioServer::apiKeySid() + u':' + FakeTwilioServer::apiKeySecret()).toUtf8());
}

void tst_TwilioMessagesSender::tracksToRead()
{
    m_fake->setStatusScript(
        {QStringLiteral("sent"), QStringLiteral("delivered"), QStringLiteral("read")});
    auto sender = makeSender(m_fake->settings());
    SendJobRecorder job(sender->send(outgoing()));
    QVERIFY(job.waitTrackingEnded());
    QCOMPARE(job.statusList(),
             (QList<DeliveryStatus> {DeliveryStatus::Queued, DeliveryStatus::Sent,
                                     DeliveryStatus::Delivered, DeliveryStatus::Read}));
    const int polls = m_fake->messageFetches();
    QCOMPARE(polls, 3);
    const HttpRequest poll = m_fake->http().requests().last();
    QCOMPARE(poll.method, QByteArray("GET"));
    QCOMPARE(poll.path(),
             QStringLiteral("/2010-04-01/Accounts/%1/Messages/%2.json")
                 .arg(FakeTwilioServer::accountSid(), job.result.messageId));
    QVERIFY(poll.body.isEmpty());
    QVERIFY(poll.header("Content-Type").isEmpty());
    QTest::qWait(50);
    QCOMPARE(m_fake->messageFetches(), polls); // nothing after a final status
}

void tst_TwilioMessagesSender::tracksDeliveredUntilTheLimit()
{
    m_fake->setStatusScript({QStringLiteral("sent"), QStringLiteral("delivered")});
    TwilioTimings t = fastTimings();
    t.trackingLimit = 150ms;
    auto sender = makeSender(m_fake->settings(), t);
    SendJobRecorder job(sender->send(outgoing()));
    // On WhatsApp "delivered" may still become "read": tracking goes on until the limit.
    QVERIFY(job.waitTrackingEnded());
    QCOMPARE(job.statusList(),
             (QList<DeliveryStatus> {DeliveryStatus::Queued, DeliveryStatus::Sent,
                                     DeliveryStatus::Delivered}));
    QVERIFY(m_fake->messageFetches() >= 2);
}

void tst_TwilioMessagesSender::statusCallbackReplacesPolling()
{
    auto sender = makeSender(m_fake->settings());
    sender->setStatusCallback(QUrl(QStringLiteral("https://auth.example.com/v1/twilio/status")));
    SendJobRecorder job(sender->send(outgoing()));
    QVERIFY(job.waitTrackingEnded());
    QVERIFY(job.result.ok());
    QCOMPARE(job.statusList(), QList<DeliveryStatus> {DeliveryStatus::Queued});
    QCOMPARE(m_fake->messageCreates().first().formValue(QStringLiteral("StatusCallback")),
             QStringLiteral("https://auth.example.com/v1/twilio/status"));
    QTest::qWait(100); // the fast timings would have polled by now
    QCOMPARE(m_fake->messageFetches(), 0);
}

void tst_TwilioMessagesSender::deliveryFails63016()
{
    m_fake->setStatusScript({QStringLiteral("failed")}, 63016);
    auto sender = makeSender(m_fake->settings());
    SendJobRecorder job(sender->send(outgoing()));
    QVERIFY(job.waitTrackingEnded());
    QVERIFY(job.result.ok()); // accepted first...
    QCOMPARE(job.statuses.last().first, DeliveryStatus::Failed); // ... then failed
    QCOMPARE(job.statuses.last().second, 63016);
    QCOMPARE(m_fake->messageFetches(), 1);
}

void tst_TwilioMessagesSender::twilioErrors_data()
{
    QTest::addColumn<int>("http");
    QTest::addColumn<int>("code");
    QTest::addColumn<SendError>("error");
    QTest::newRow("20003 credentials") << 401 << 20003 << SendError::Misconfigured;
    QTest::newRow("20429 too many") << 429 << 20429 << SendError::RateLimited;
    QTest::newRow("21211 invalid To") << 400 << 21211 << SendError::InvalidNumber;
    QTest::newRow("21408 region") << 400 << 21408 << SendError::RegionNotEnabled;
    QTest::newRow("21608 trial") << 400 << 21608 << SendError::UnverifiedRecipient;
    QTest::newRow("63007 not a WhatsApp sender") << 400 << 63007 << SendError::Misconfigured;
    QTest::newRow("21610 opted out") << 400 << 21610 << SendError::OptedOut;
    QTest::newRow("21614 not mobile") << 400 << 21614 << SendError::NotMobile;
    QTest::newRow("63016 24-hour window") << 400 << 63016 << SendError::OutsideSessionWindow;
    QTest::newRow("63003 not on WhatsApp") << 400 << 63003 << SendError::NotWhatsAppUser;
    QTest::newRow("63024 invalid recipient") << 400 << 63024 << SendError::NotWhatsAppUser;
    QTest::newRow("30008 unknown") << 400 << 30008 << SendError::Rejected;
}

void tst_TwilioMessagesSender::twilioErrors()
{
    QFETCH(int, http);
    QFETCH(int, code);
    QFETCH(SendError, error);
    m_fake->setCreateError(http, code, QStringLiteral("The 'To' number +919876543210 said no"));
    auto sender = makeSender(m_fake->settings());
    SendJobRecorder job(sender->send(outgoing()));
    QVERIFY(job.waitFinished());
    QCOMPARE(job.result.error, error);
    QCOMPARE(job.result.providerCode, code);
    QCOMPARE(job.result.httpStatus, http);
    QCOMPARE(job.result.moreInfo,
             QStringLiteral("https://www.twilio.com/docs/errors/%1").arg(code));
    QVERIFY(job.result.detail.contains(QString::number(code)));
    QVERIFY(!job.result.detail.contains(u"+919876543210")); // numbers are masked in details
    QVERIFY(!job.result.detail.contains(FakeTwilioServer::authToken()));
    QVERIFY(job.result.messageId.isEmpty());
    QVERIFY(job.trackingEnded);
    QCOMPARE(m_fake->messageCreates().size(), 1); // a refusal is not retried
    const QString words = describeSendError(job.result);
    QVERIFY(!words.isEmpty());
    if (error == SendError::Rejected) {
        // The generic fallback keeps Twilio's code and documentation link.
        QVERIFY(words.contains(QString::number(code)));
        QVERIFY(words.contains(job.result.moreInfo));
    }
}

void tst_TwilioMessagesSender::wrongCredentialsAre401()
{
    TwilioSettings s = m_fake->settings();
    s.authToken = QStringLiteral("wrong-token-0000");
    auto sender = makeSender(s);
    SendJobRecorder job(sender->send(outgoing()));
    QVERIFY(job.waitFinished());
    QCOMPARE(job.result.error, SendError::Misconfigured);
    QCOMPARE(job.result.httpStatus, 401);
    QCOMPARE(job.result.providerCode, 20003);
    QCOMPARE(m_fake->http().requestCount(), 1);

    // A 401 without Twilio's body reads the same.
    m_fake->setOverride([](const HttpRequest &) -> std::optional<HttpResponse> {
        HttpResponse r = HttpResponse::raw(401, {});
        r.headers.emplaceBack("WWW-Authenticate", "Basic realm=\"Twilio API\"");
        return r;
    });
    SendJobRecorder bare(sender->send(outgoing(u"9876543211")));
    QVERIFY(bare.waitFinished());
    QCOMPARE(bare.result.error, SendError::Misconfigured);
    QCOMPARE(bare.result.httpStatus, 401);
}

void tst_TwilioMessagesSender::rateLimitHonoursRetryAfter()
{
    m_fake->setCreateError(429, 20429, QStringLiteral("Too Many Requests"),
                           {{"Retry-After", "37"}});
    auto sender = makeSender(m_fake->settings());
    SendJobRecorder job(sender->send(outgoing()));
    QVERIFY(job.waitFinished());
    QCOMPARE(job.result.error, SendError::RateLimited);
    QCOMPARE(job.result.retryAfter, 37s);
    QVERIFY(describeSendError(job.result).contains(u"37"));
    QTest::qWait(30);
    QCOMPARE(m_fake->messageCreates().size(), 1); // the app waits; it does not retry by itself
}

void tst_TwilioMessagesSender::serverErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::newRow("500") << 500 << QByteArray();
    QTest::newRow("503 with Retry-After") << 503 << QByteArray("120");
}

void tst_TwilioMessagesSender::serverErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);
    m_fake->setOverride([&](const HttpRequest &) -> std::optional<HttpResponse> {
        HttpResponse r = HttpResponse::raw(status, "<html>oops</html>", "text/html");
        if (!retryAfter.isEmpty())
            r.headers.emplaceBack("Retry-After", retryAfter);
        return r;
    });
    auto sender = makeSender(m_fake->settings());
    SendJobRecorder job(sender->send(outgoing()));
    QVERIFY(job.waitFinished());
    QCOMPARE(job.result.error, SendError::Server);
    QCOMPARE(job.result.httpStatus, status);
    QCOMPARE(job.result.retryAfter, std::chrono::seconds(retryAfter.toInt()));
    QCOMPARE(m_fake->http().requestCount(), 1); // a POST is never retried blindly
}

void tst_TwilioMessagesSender::engineDoubleClickSendsOnce()
{
    // The engine, not the sender, keeps a double click from sending twice.
    m_fake->setStatusScript({QStringLiteral("read")});
    FakeClock clock;
    MemoryCodeStore store;
    auto sender = makeSender(m_fake->settings());
    OtpEngine engine(clock, store, CodeHasher(), *sender);
    QSignalSpy answers(&engine, &OtpEngine::codeRequested);
    QSignalSpy delivery(&engine, &OtpEngine::deliveryStatusChanged);
    const PhoneNumber n = number(u"9876543210");
    const quint64 a = engine.requestCode(n, Purpose::SignIn);
    const quint64 b = engine.requestCode(n, Purpose::SignIn);
    QCOMPARE(a, b);
    QTRY_COMPARE(answers.size(), 1);
    QCOMPARE(answers.first().at(2).value<CodeRequestResult>().status,
             CodeRequestResult::Status::Sent);
    QTest::qWait(30);
    QCOMPARE(answers.size(), 1);
    QCOMPARE(m_fake->messageCreates().size(), 1);
    QTRY_COMPARE(delivery.size(), 2); // one message: one run of statuses, queued then read
    QCOMPARE(delivery.last().at(1).value<DeliveryStatus>(), DeliveryStatus::Read);

    // Once the first send is answered, a new code is a new message.
    clock.advance(30s);
    QCOMPARE(requestAndWait(engine, n).status, CodeRequestResult::Status::Sent);
    QCOMPARE(m_fake->messageCreates().size(), 2);
}

void tst_TwilioMessagesSender::hundredNumbersAtOnce()
{
    TwilioTimings t = fastTimings();
    t.transferTimeout = 20s; // many requests share a few connections: not what is measured here
    t.trackingLimit = 0ms;
    auto sender = makeSender(m_fake->settings(), t);
    std::vector<std::unique_ptr<SendJobRecorder>> jobs;
    for (int i = 0; i < 100; ++i) {
        const QString local = QStringLiteral("98765%1").arg(i, 5, 10, QLatin1Char('0'));
        jobs.push_back(std::make_unique<SendJobRecorder>(sender->send(outgoing(local))));
    }
    QSet<QString> ids;
    for (const auto &job : jobs) {
        QVERIFY(job->waitFinished(20000));
        QVERIFY2(job->result.ok(), qPrintable(job->result.detail));
        ids.insert(job->result.messageId);
    }
    QCOMPARE(ids.size(), 100);
    QCOMPARE(m_fake->messageCreates().size(), 100);
    QSet<QString> recipients;
    for (const HttpRequest &r : m_fake->messageCreates())
        recipients.insert(r.formValue(QStringLiteral("To")));
    QCOMPARE(recipients.size(), 100); // each number exactly once
}

void tst_TwilioMessagesSender::smsOnlyWithAnSmsSender()
{
    auto whatsappOnly = makeSender(m_fake->settings());
    QVERIFY(whatsappOnly->supportsChannel(Channel::WhatsApp));
    QVERIFY(!whatsappOnly->supportsChannel(Channel::Sms));
    OutgoingCode c = outgoing();
    c.channel = Channel::Sms;
    SendJobRecorder refused(whatsappOnly->send(c));
    QVERIFY(refused.waitFinished());
    QCOMPARE(refused.result.error, SendError::Misconfigured);
    QCOMPARE(m_fake->http().requestCount(), 0);

    TwilioSettings s = m_fake->settings();
    s.smsFrom = FakeTwilioServer::smsFrom();
    auto withSms = makeSender(s);
    QVERIFY(withSms->supportsChannel(Channel::Sms));
    m_fake->setStatusScript({QStringLiteral("sent"), QStringLiteral("delivered")});
    SendJobRecorder sms(withSms->send(c));
    QVERIFY(sms.waitTrackingEnded());
    QVERIFY(sms.result.ok());
    // An SMS ends at "delivered".
    QCOMPARE(sms.statuses.last().first, DeliveryStatus::Delivered);
    const HttpRequest r = m_fake->messageCreates().first();
    QCOMPARE(r.formValue(QStringLiteral("To")), QStringLiteral("+919876543210"));
    QCOMPARE(r.formValue(QStringLiteral("From")), FakeTwilioServer::smsFrom());
    QVERIFY(r.formValue(QStringLiteral("Body")).contains(u"123456"));
}

void tst_TwilioMessagesSender::smsFallbackAfterUndelivered()
{
    TwilioSettings s = m_fake->settings();
    s.smsFrom = FakeTwilioServer::smsFrom();
    auto sender = makeSender(s);
    FakeClock clock;
    MemoryCodeStore store;
    OtpEngine engine(clock, store, CodeHasher(), *sender);
    QSignalSpy delivery(&engine, &OtpEngine::deliveryStatusChanged);
    const PhoneNumber n = number(u"9876543210");

    m_fake->setStatusScript({QStringLiteral("undelivered")}, 63024);
    QCOMPARE(requestAndWait(engine, n).status, CodeRequestResult::Status::Sent);
    QTRY_VERIFY(!delivery.isEmpty()
                && delivery.last().at(1).value<DeliveryStatus>() == DeliveryStatus::Undelivered);
    QCOMPARE(delivery.last().at(2).toInt(), 63024);

    // "Send by SMS instead": allowed at once after the failed delivery.
    m_fake->setStatusScript({QStringLiteral("delivered")});
    const CodeRequestResult sms = requestAndWait(engine, n, Channel::Sms);
    QCOMPARE(sms.status, CodeRequestResult::Status::Sent);
    QCOMPARE(sms.channel, Channel::Sms);
    const QList<HttpRequest> creates = m_fake->messageCreates();
    QCOMPARE(creates.size(), 2);
    QCOMPARE(creates.at(1).formValue(QStringLiteral("To")), QStringLiteral("+919876543210"));
    const QString body = creates.at(1).formValue(QStringLiteral("Body"));
    const QString code = body.mid(body.indexOf(u" is ") + 4, 6);
    QVERIFY(isWellFormedCode(code));
    QVERIFY(!creates.at(0).formValue(QStringLiteral("Body")).contains(code)); // a fresh code
    QCOMPARE(verifyAndWait(engine, n, code).status, VerifyResult::Status::Verified);
}

QTEST_GUILESS_MAIN(tst_TwilioMessagesSender)
#include "tst_twiliomessagessender.moc"
