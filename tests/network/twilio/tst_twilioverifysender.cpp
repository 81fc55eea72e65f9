// Twilio Verify as the code provider, against the loopback fake: Twilio generates and checks
// the code, the app never sees it.
#include "EngineSpy.h"
#include "FakeClock.h"
#include "FakeTwilioServer.h"
#include "TwilioLogCapture.h"
#include "engine/CodeHasher.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"
#include "network/twilio/TwilioVerifySender.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace waotp;
using namespace waotp::test;
using VS = VerifyResult::Status;
using RS = CodeRequestResult::Status;

Q_DECLARE_METATYPE(waotp::SendError)

class tst_TwilioVerifySender : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void startsAVerification();
    void localeIsPassedOn();
    void approve();
    void deny();
    void expired();
    void neverRequested();
    void maxCheckAttempts();
    void sendErrors_data();
    void sendErrors();
    void checkUnavailable();
    void doubleClickSendsOnce();
    void smsChannel();
    void keepsNoNumberInClear();
    void cancelVoidsTheCodeAtTwilio();
    void cancelOfAGoneVerification();

private:
    std::unique_ptr<OtpEngine> makeEngine();

    std::unique_ptr<FakeTwilioServer> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<TwilioVerifySender> m_sender;
    FakeClock m_clock;
    MemoryCodeStore m_store;
    const PhoneNumber m_number = number(u"9876543210");
};

void tst_TwilioVerifySender::initTestCase()
{
    TwilioLogCapture::install();
}

void tst_TwilioVerifySender::init()
{
    m_fake = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_fake->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
    TwilioSettings s = m_fake->settings();
    s.whatsappFrom.clear();
    s.verifyServiceSid = FakeTwilioServer::verifyServiceSid();
    m_sender = std::make_unique<TwilioVerifySender>(s, m_nam.get(), fastTimings());
}

void tst_TwilioVerifySender::cleanup()
{
    m_sender.reset();
    m_nam.reset();
    m_fake.reset();
}

std::unique_ptr<OtpEngine> tst_TwilioVerifySender::makeEngine()
{
    return std::make_unique<OtpEngine>(m_clock, m_store, CodeHasher(), *m_sender);
}

void tst_TwilioVerifySender::startsAVerification()
{
    QVERIFY(m_sender->generatesCodes());
    auto engine = makeEngine();
    const CodeRequestResult r = requestAndWait(*engine, m_number);
    QCOMPARE(r.status, RS::Sent);
    QVERIFY(r.send.messageId.startsWith(u"VE"));
    QCOMPARE(m_fake->verificationCreates().size(), 1);
    const HttpRequest req = m_fake->verificationCreates().first();
    QCOMPARE(
        req.path(),
        QStringLiteral("/v2/Services/%1/Verifications").arg(FakeTwilioServer::verifyServiceSid()));
    QCOMPARE(req.body, QByteArray("To=%2B919876543210&Channel=whatsapp"));
    QVERIFY(req.header("Authorization").startsWith("Basic "));
    QVERIFY(!req.body.contains("Code")); // the app has no code to send
}

void tst_TwilioVerifySender::localeIsPassedOn()
{
    auto engine = makeEngine();
    QSignalSpy answers(engine.get(), &OtpEngine::codeRequested);
    engine->requestCode(m_number, Purpose::SignUp, Channel::WhatsApp, QStringLiteral("hi"));
    QTRY_COMPARE(answers.size(), 1);
    QCOMPARE(m_fake->verificationCreates().first().formValue(QStringLiteral("Locale")),
             QStringLiteral("hi"));
}

void tst_TwilioVerifySender::approve()
{
    auto engine = makeEngine();
    QCOMPARE(requestAndWait(*engine, m_number).status, RS::Sent);
    QCOMPARE(verifyAndWait(*engine, m_number, m_fake->verifyCode).status, VS::Verified);
    const HttpRequest check = m_fake->verificationChecks().first();
    QCOMPARE(check.path(),
             QStringLiteral("/v2/Services/%1/VerificationCheck")
                 .arg(FakeTwilioServer::verifyServiceSid()));
    QCOMPARE(check.body,
             QByteArray("Code=") + m_fake->verifyCode.toLatin1() + "&To=%2B919876543210");
    // Approved verifications are gone at Twilio: a second use is refused.
    QVERIFY(verifyAndWait(*engine, m_number, m_fake->verifyCode).status != VS::Verified);
}

void tst_TwilioVerifySender::deny()
{
    auto engine = makeEngine();
    requestAndWait(*engine, m_number);
    const VerifyResult r = verifyAndWait(*engine, m_number, QStringLiteral("000000"));
    QCOMPARE(r.status, VS::WrongCode);
    QCOMPARE(r.attemptsLeft, 4);
    QCOMPARE(verifyAndWait(*engine, m_number, QStringLiteral("000001")).attemptsLeft, 3);
    QCOMPARE(verifyAndWait(*engine, m_number, m_fake->verifyCode).status, VS::Verified);
}

void tst_TwilioVerifySender::expired()
{
    auto engine = makeEngine();
    requestAndWait(*engine, m_number);
    m_fake->expireVerifications(); // Verify answers 404 / 20404 for an expired verification
    QCOMPARE(verifyAndWait(*engine, m_number, m_fake->verifyCode).status, VS::Expired);
}

void tst_TwilioVerifySender::neverRequested()
{
    auto engine = makeEngine();
    QCOMPARE(verifyAndWait(*engine, m_number, QStringLiteral("123456")).status, VS::NoCode);
}

void tst_TwilioVerifySender::maxCheckAttempts()
{
    auto engine = makeEngine();
    requestAndWait(*engine, m_number);
    for (int left = 4; left >= 1; --left)
        QCOMPARE(verifyAndWait(*engine, m_number, QStringLiteral("000000")).attemptsLeft, left);
    QCOMPARE(verifyAndWait(*engine, m_number, QStringLiteral("000000")).status,
             VS::TooManyAttempts);
    // Twilio's own answer from then on: 60202.
    QCOMPARE(verifyAndWait(*engine, m_number, m_fake->verifyCode).status, VS::TooManyAttempts);
}

void tst_TwilioVerifySender::sendErrors_data()
{
    QTest::addColumn<int>("http");
    QTest::addColumn<int>("code");
    QTest::addColumn<SendError>("error");
    QTest::newRow("60200 invalid number") << 400 << 60200 << SendError::InvalidNumber;
    QTest::newRow("60203 max send attempts") << 429 << 60203 << SendError::RateLimited;
    QTest::newRow("60205 landline") << 400 << 60205 << SendError::NotMobile;
    QTest::newRow("20003 credentials") << 401 << 20003 << SendError::Misconfigured;
    QTest::newRow("20404 no such service") << 404 << 20404 << SendError::Misconfigured;
    QTest::newRow("60410 blocked") << 403 << 60410 << SendError::Rejected;
}

void tst_TwilioVerifySender::sendErrors()
{
    QFETCH(int, http);
    QFETCH(int, code);
    QFETCH(SendError, error);
    m_fake->setVerifyError(http, code);
    auto engine = makeEngine();
    const CodeRequestResult r = requestAndWait(*engine, m_number);
    QCOMPARE(r.status, RS::SendFailed);
    QCOMPARE(r.send.error, error);
    QCOMPARE(r.send.providerCode, code);
}

void tst_TwilioVerifySender::checkUnavailable()
{
    auto engine = makeEngine();
    requestAndWait(*engine, m_number);
    m_fake->setOverride([](const HttpRequest &) -> std::optional<HttpResponse> {
        return HttpResponse::raw(503, "down");
    });
    const VerifyResult r = verifyAndWait(*engine, m_number, m_fake->verifyCode);
    QCOMPARE(r.status, VS::Unavailable);
    QCOMPARE(r.providerError.error, SendError::Server);
    QCOMPARE(r.providerError.httpStatus, 503);
}

void tst_TwilioVerifySender::doubleClickSendsOnce()
{
    // The engine, not the sender, keeps a double click from sending twice.
    auto engine = makeEngine();
    QSignalSpy answers(engine.get(), &OtpEngine::codeRequested);
    const quint64 first = engine->requestCode(m_number, Purpose::SignIn);
    const quint64 second = engine->requestCode(m_number, Purpose::SignIn);
    QCOMPARE(second, first); // one request: both clicks get its one answer
    QTRY_COMPARE(answers.size(), 1);
    const CodeRequestResult r = answers.first().at(2).value<CodeRequestResult>();
    QCOMPARE(r.status, RS::Sent);
    QVERIFY(r.send.messageId.startsWith(u"VE"));
    QTest::qWait(30);
    QCOMPARE(answers.size(), 1);
    QCOMPARE(m_fake->verificationCreates().size(), 1);
}

void tst_TwilioVerifySender::smsChannel()
{
    QVERIFY(!m_sender->supportsChannel(Channel::Sms));
    auto engine = makeEngine();
    QCOMPARE(requestAndWait(*engine, m_number, Channel::Sms).status, RS::ChannelUnavailable);
    m_sender->setSmsEnabled(true);
    QCOMPARE(requestAndWait(*engine, m_number, Channel::Sms).status, RS::Sent);
    QCOMPARE(m_fake->verificationCreates().last().formValue(QStringLiteral("Channel")),
             QStringLiteral("sms"));
}

void tst_TwilioVerifySender::keepsNoNumberInClear()
{
    // What the sender remembers to tell "expired" from "never requested" and to count wrong
    // codes: keyed hashes of the numbers (HMAC under a key of its own), never the numbers.
    auto engine = makeEngine();
    requestAndWait(*engine, m_number);
    QCOMPARE(verifyAndWait(*engine, m_number, QStringLiteral("000000")).status, VS::WrongCode);
    QCOMPARE(m_sender->m_knownNumbers.size(), 1);
    QCOMPARE(m_sender->m_wrongChecks.size(), 1);
    const QByteArray known = *m_sender->m_knownNumbers.cbegin();
    QCOMPARE(m_sender->m_wrongChecks.cbegin().key(), known);
    QCOMPARE(known.size(), 32);
    const QByteArray plain = m_number.e164().toUtf8();
    QVERIFY(!known.contains(plain.mid(1)) && !known.contains(plain.right(4)));
    // Not a plain hash either: another sender (another process) keys the same number otherwise.
    TwilioVerifySender other(m_fake->settings(), m_nam.get(), fastTimings());
    QVERIFY(other.numberKey(m_number) != known);
    QCOMPARE(m_sender->numberKey(m_number), known);
    // The expired-or-never distinction still works on the keys.
    m_fake->expireVerifications();
    QCOMPARE(verifyAndWait(*engine, m_number, m_fake->verifyCode).status, VS::Expired);
}

// Going back to edit the number (or a kiosk reset, or the server's DELETE) cancels through the
// engine: the code must stop working at Twilio too, not only be forgotten here.
void tst_TwilioVerifySender::cancelVoidsTheCodeAtTwilio()
{
    auto engine = makeEngine();
    const CodeRequestResult sent = requestAndWait(*engine, m_number);
    QCOMPARE(sent.status, RS::Sent);
    engine->cancel(m_number);
    QTRY_COMPARE(m_fake->verificationUpdates().size(), 1);
    const HttpRequest cancel = m_fake->verificationUpdates().first();
    QCOMPARE(cancel.method, QByteArray("POST"));
    QCOMPARE(cancel.path(),
             QStringLiteral("/v2/Services/%1/Verifications/%2")
                 .arg(FakeTwilioServer::verifyServiceSid(), sent.send.messageId));
    QCOMPARE(cancel.body, QByteArray("Status=canceled"));
    QCOMPARE(cancel.header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
    QVERIFY(cancel.header("Authorization").startsWith("Basic "));
    // The code Twilio sent no longer verifies, wherever it is typed.
    auto elsewhere = makeEngine();
    QVERIFY(verifyAndWait(*elsewhere, m_number, m_fake->verifyCode).status != VS::Verified);
    QCOMPARE(m_fake->verificationUpdates().size(), 1);
}

void tst_TwilioVerifySender::cancelOfAGoneVerification()
{
    auto engine = makeEngine();
    QCOMPARE(requestAndWait(*engine, m_number).status, RS::Sent);
    m_fake->expireVerifications();
    engine->cancel(m_number); // Twilio answers 404: nothing more to do
    QTRY_COMPARE(m_fake->verificationUpdates().size(), 1);
    QTRY_VERIFY(TwilioLogCapture::messages().join(u'\n').contains(u"was already gone"));
}

QTEST_GUILESS_MAIN(tst_TwilioVerifySender)
#include "tst_twilioverifysender.moc"
