// The engine's rules, run against the store WAOTP_TEST_STORE names (memory by default), so every
// store implementation passes the same suite. How the answers reach the event loop:
// tst_answerdelivery.
#include "EngineSpy.h"
#include "FakeClock.h"
#include "FakeSender.h"
#include "TestStore.h"
#include "engine/CodeGenerator.h"
#include "engine/OtpEngine.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;
using RS = CodeRequestResult::Status;
using VS = VerifyResult::Status;

class tst_OtpEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void sendsASixDigitCode();
    void verifiesOnce();
    void wrongCodesCountDown();
    void attemptLimitIsConfigurable();
    void expiresAfterFiveMinutes();
    void lifetimeIsConfigurable();
    void newCodeReplacesOld();
    void cooldownGrows();
    void hourlyCap();
    void refusalSaysWhenToRetry();
    void doubleClickSendsOnce();
    void numbersAreIndependent();
    void failedSendVoidsCodeAndAllowsRetry();
    void failedDeliveryAllowsSmsFallbackAtOnce();
    void smsNeedsAnSmsSender();
    void deliveryStatusIsForwarded();
    void malformedCode_data();
    void malformedCode();
    void noCodeRequested();
    void cancelForgetsTheCode();
    void acceptAnyCodeIsDemoOnly();
    void acceptAnyCodeInDemo();
    void providerOwnedCodes();
    void sweepEmptiesTheStore();
    void outgoingCarriesPurposeAndLocale();

private:
    std::unique_ptr<OtpEngine> makeEngine(OtpPolicy policy = {});

    FakeClock m_clock;
    TestStore m_store;
    std::unique_ptr<FakeSender> m_sender;
    std::unique_ptr<OtpEngine> m_engine;
    const PhoneNumber m_number = number(u"9876543210");
};

std::unique_ptr<OtpEngine> tst_OtpEngine::makeEngine(OtpPolicy policy)
{
    return std::make_unique<OtpEngine>(m_clock, *m_store.store, m_store.hasher, *m_sender, policy);
}

void tst_OtpEngine::init()
{
    m_store = makeTestStore();
    m_sender = std::make_unique<FakeSender>();
    m_engine = makeEngine();
}

void tst_OtpEngine::cleanup()
{
    m_engine.reset();
    m_sender.reset();
    m_store.store.reset();
}

void tst_OtpEngine::sendsASixDigitCode()
{
    const CodeRequestResult r = requestAndWait(*m_engine, m_number);
    QCOMPARE(r.status, RS::Sent);
    QCOMPARE(r.channel, Channel::WhatsApp);
    QCOMPARE(r.expiresAt, m_clock.now() + 5min);
    QCOMPARE(r.nextSendAt, m_clock.now() + 30s);
    QCOMPARE(r.sendsInWindow, 1);
    QCOMPARE(m_sender->sent.size(), 1);
    const OutgoingCode &out = m_sender->sent.first();
    QVERIFY(isWellFormedCode(out.code));
    QCOMPARE(out.to, m_number);
    QCOMPARE(out.validity, 300s);
    QCOMPARE(out.channel, Channel::WhatsApp);
}

void tst_OtpEngine::verifiesOnce()
{
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    const QString code = m_sender->sent.last().code;
    QCOMPARE(verifyAndWait(*m_engine, m_number, code).status, VS::Verified);
    QCOMPARE(verifyAndWait(*m_engine, m_number, code).status, VS::NoCode);
}

void tst_OtpEngine::wrongCodesCountDown()
{
    requestAndWait(*m_engine, m_number);
    const QString code = m_sender->sent.last().code;
    const QString wrong = wrongCode(code);
    for (int left = 4; left >= 1; --left) {
        const VerifyResult r = verifyAndWait(*m_engine, m_number, wrong);
        QCOMPARE(r.status, VS::WrongCode);
        QCOMPARE(r.attemptsLeft, left);
    }
    // The fifth wrong attempt voids the code: even the right one is refused from then on.
    QCOMPARE(verifyAndWait(*m_engine, m_number, wrong).status, VS::TooManyAttempts);
    QCOMPARE(verifyAndWait(*m_engine, m_number, code).status, VS::TooManyAttempts);
    // A new code starts a fresh count.
    m_clock.advance(30s);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    const QString fresh = m_sender->sent.last().code;
    const QString wrong2 = wrongCode(fresh);
    QCOMPARE(verifyAndWait(*m_engine, m_number, wrong2).attemptsLeft, 4);
}

void tst_OtpEngine::attemptLimitIsConfigurable()
{
    OtpPolicy p;
    p.maxAttempts = 2;
    m_engine = makeEngine(p);
    requestAndWait(*m_engine, m_number);
    const QString code = m_sender->sent.last().code;
    const QString wrong = wrongCode(code);
    QCOMPARE(verifyAndWait(*m_engine, m_number, wrong).attemptsLeft, 1);
    QCOMPARE(verifyAndWait(*m_engine, m_number, wrong).status, VS::TooManyAttempts);
}

void tst_OtpEngine::expiresAfterFiveMinutes()
{
    requestAndWait(*m_engine, m_number);
    const QString code = m_sender->sent.last().code;
    m_clock.advance(5min - 1ms);
    QCOMPARE(verifyAndWait(*m_engine, m_number, QStringLiteral("x") + code.mid(1)).status,
             VS::Malformed); // does not consume anything
    m_clock.advance(1ms);
    QCOMPARE(verifyAndWait(*m_engine, m_number, code).status, VS::Expired);
    QCOMPARE(verifyAndWait(*m_engine, m_number, code).status, VS::NoCode);

    // One millisecond before the deadline the same code still works.
    m_clock.advance(1h);
    requestAndWait(*m_engine, m_number);
    m_clock.advance(5min - 1ms);
    QCOMPARE(verifyAndWait(*m_engine, m_number, m_sender->sent.last().code).status, VS::Verified);
}

void tst_OtpEngine::lifetimeIsConfigurable()
{
    OtpPolicy p;
    p.codeLifetime = 60s;
    m_engine = makeEngine(p);
    const CodeRequestResult r = requestAndWait(*m_engine, m_number);
    QCOMPARE(r.expiresAt, m_clock.now() + 60s);
    QCOMPARE(m_sender->sent.last().validity, 60s);
    m_clock.advance(60s);
    QCOMPARE(verifyAndWait(*m_engine, m_number, m_sender->sent.last().code).status, VS::Expired);
}

void tst_OtpEngine::newCodeReplacesOld()
{
    requestAndWait(*m_engine, m_number);
    const QString first = m_sender->sent.last().code;
    m_clock.advance(30s);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    const QString second = m_sender->sent.last().code;
    if (first != second) {
        const VerifyResult old = verifyAndWait(*m_engine, m_number, first);
        QCOMPARE(old.status, VS::WrongCode);
    }
    QCOMPARE(verifyAndWait(*m_engine, m_number, second).status, VS::Verified);
}

void tst_OtpEngine::cooldownGrows()
{
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    const qint64 expected[] = {30, 60, 120, 240};
    for (qint64 wait : expected) {
        CodeRequestResult r = requestAndWait(*m_engine, m_number);
        QCOMPARE(r.status, RS::CoolingDown);
        QCOMPARE(r.retryAfter.count(), wait);
        m_clock.advance(std::chrono::seconds(wait) - 1s);
        r = requestAndWait(*m_engine, m_number);
        QCOMPARE(r.status, RS::CoolingDown);
        QCOMPARE(r.retryAfter, 1s);
        m_clock.advance(1s);
        r = requestAndWait(*m_engine, m_number);
        QCOMPARE(r.status, RS::Sent);
    }
    QCOMPARE(m_sender->sent.size(), 5);
}

void tst_OtpEngine::hourlyCap()
{
    OtpPolicy p;
    p.firstResendCooldown = 1s;
    p.maxResendCooldown = 1s;
    p.maxSendsPerHour = 3;
    m_engine = makeEngine(p);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
        m_clock.advance(10s);
    }
    CodeRequestResult r = requestAndWait(*m_engine, m_number);
    QCOMPARE(r.status, RS::HourlyLimit);
    QCOMPARE(r.retryAfter, 1h - 30s);
    m_clock.advance(1h - 30s);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    // The cap is per number.
    QCOMPARE(requestAndWait(*m_engine, number(u"9876500000")).status, RS::Sent);
}

void tst_OtpEngine::refusalSaysWhenToRetry()
{
    requestAndWait(*m_engine, m_number);
    m_clock.advance(12'300ms);
    const CodeRequestResult r = requestAndWait(*m_engine, m_number);
    QCOMPARE(r.status, RS::CoolingDown);
    QCOMPARE(r.retryAfter, 18s); // 17.7 s rounds up
    QCOMPARE(r.nextSendAt, m_clock.now() + 17'700ms);
    QCOMPARE(m_sender->sent.size(), 1);
}

void tst_OtpEngine::doubleClickSendsOnce()
{
    QSignalSpy spy(m_engine.get(), &OtpEngine::codeRequested);
    const quint64 a = m_engine->requestCode(m_number, Purpose::SignIn);
    const quint64 b = m_engine->requestCode(m_number, Purpose::SignIn);
    QCOMPARE(a, b);
    QTRY_COMPARE(spy.size(), 1);
    QTest::qWait(20);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(m_sender->sent.size(), 1);
    QCOMPARE(spy.first().at(2).value<CodeRequestResult>().status, RS::Sent);
}

void tst_OtpEngine::numbersAreIndependent()
{
    const PhoneNumber other = number(u"+14155552671");
    requestAndWait(*m_engine, m_number);
    const QString mine = m_sender->sent.last().code;
    QCOMPARE(requestAndWait(*m_engine, other).status, RS::Sent);
    const QString theirs = m_sender->sent.last().code;
    if (mine != theirs)
        QCOMPARE(verifyAndWait(*m_engine, other, mine).status, VS::WrongCode);
    QCOMPARE(verifyAndWait(*m_engine, m_number, mine).status, VS::Verified);
    QCOMPARE(verifyAndWait(*m_engine, other, theirs).status, VS::Verified);
}

void tst_OtpEngine::failedSendVoidsCodeAndAllowsRetry()
{
    m_sender->nextResult.error = SendError::Network;
    m_sender->nextResult.detail = QStringLiteral("connection refused");
    const CodeRequestResult r = requestAndWait(*m_engine, m_number);
    QCOMPARE(r.status, RS::SendFailed);
    QCOMPARE(r.send.error, SendError::Network);
    QCOMPARE(verifyAndWait(*m_engine, m_number, m_sender->sent.last().code).status, VS::NoCode);
    // No cooldown after a send that failed, but it still counts towards the hourly cap.
    m_sender->nextResult = {};
    const CodeRequestResult again = requestAndWait(*m_engine, m_number);
    QCOMPARE(again.status, RS::Sent);
    QCOMPARE(again.sendsInWindow, 2);
    QCOMPARE(verifyAndWait(*m_engine, m_number, m_sender->sent.last().code).status, VS::Verified);
}

void tst_OtpEngine::failedDeliveryAllowsSmsFallbackAtOnce()
{
    requestAndWait(*m_engine, m_number);
    QSignalSpy delivery(m_engine.get(), &OtpEngine::deliveryStatusChanged);
    m_sender->jobs.last()->updateDeliveryStatus(DeliveryStatus::Undelivered, 63024);
    QCOMPARE(delivery.size(), 1);
    const CodeRequestResult sms = requestAndWait(*m_engine, m_number, Channel::Sms);
    QCOMPARE(sms.status, RS::Sent);
    QCOMPARE(sms.channel, Channel::Sms);
    QCOMPARE(m_sender->sent.last().channel, Channel::Sms);
    QCOMPARE(verifyAndWait(*m_engine, m_number, m_sender->sent.last().code).status, VS::Verified);
    // A delivered message brings the cooldown back.
    m_clock.advance(1min);
    requestAndWait(*m_engine, m_number);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::CoolingDown);
}

void tst_OtpEngine::smsNeedsAnSmsSender()
{
    m_sender->smsSupported = false;
    QCOMPARE(requestAndWait(*m_engine, m_number, Channel::Sms).status, RS::ChannelUnavailable);
    QVERIFY(m_sender->sent.isEmpty());
}

void tst_OtpEngine::deliveryStatusIsForwarded()
{
    requestAndWait(*m_engine, m_number);
    QSignalSpy spy(m_engine.get(), &OtpEngine::deliveryStatusChanged);
    FakeSender::Job *job = m_sender->jobs.last();
    job->updateDeliveryStatus(DeliveryStatus::Sent);
    job->updateDeliveryStatus(DeliveryStatus::Delivered);
    job->updateDeliveryStatus(DeliveryStatus::Delivered); // no change, no signal
    job->updateDeliveryStatus(DeliveryStatus::Read);
    QCOMPARE(spy.size(), 3);
    QCOMPARE(spy.at(0).at(0).value<PhoneNumber>(), m_number);
    QCOMPARE(spy.at(2).at(1).value<DeliveryStatus>(), DeliveryStatus::Read);
}

void tst_OtpEngine::malformedCode_data()
{
    QTest::addColumn<QString>("code");
    QTest::newRow("short") << QStringLiteral("12345");
    QTest::newRow("long") << QStringLiteral("1234567");
    QTest::newRow("letters") << QStringLiteral("12a456");
    QTest::newRow("empty") << QString();
}

void tst_OtpEngine::malformedCode()
{
    QFETCH(QString, code);
    requestAndWait(*m_engine, m_number);
    QCOMPARE(verifyAndWait(*m_engine, m_number, code).status, VS::Malformed);
    // Malformed input costs no attempt.
    const QString right = m_sender->sent.last().code;
    const QString wrong = wrongCode(right);
    QCOMPARE(verifyAndWait(*m_engine, m_number, wrong).attemptsLeft, 4);
}

void tst_OtpEngine::noCodeRequested()
{
    QCOMPARE(verifyAndWait(*m_engine, m_number, QStringLiteral("123456")).status, VS::NoCode);
}

void tst_OtpEngine::cancelForgetsTheCode()
{
    requestAndWait(*m_engine, m_number);
    const QString code = m_sender->sent.last().code;
    m_engine->cancel(m_number);
    QCOMPARE(verifyAndWait(*m_engine, m_number, code).status, VS::NoCode);
    // Cancelling does not reset the cooldown.
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::CoolingDown);
}

void tst_OtpEngine::acceptAnyCodeIsDemoOnly()
{
    QVERIFY(!m_engine->setAcceptAnyCode(true));
    QVERIFY(!m_engine->acceptsAnyCode());
    requestAndWait(*m_engine, m_number);
    const QString right = m_sender->sent.last().code;
    const QString wrong = wrongCode(right);
    QCOMPARE(verifyAndWait(*m_engine, m_number, wrong).status, VS::WrongCode);
}

void tst_OtpEngine::acceptAnyCodeInDemo()
{
    m_sender->demo = true;
    QVERIFY(m_engine->setAcceptAnyCode(true));
    QCOMPARE(verifyAndWait(*m_engine, m_number, QStringLiteral("123456")).status, VS::NoCode);
    requestAndWait(*m_engine, m_number);
    const QString right = m_sender->sent.last().code;
    const QString wrong = wrongCode(right);
    QCOMPARE(verifyAndWait(*m_engine, m_number, wrong).status, VS::Verified);
    QCOMPARE(verifyAndWait(*m_engine, m_number, right).status, VS::NoCode); // still single use
    QCOMPARE(verifyAndWait(*m_engine, m_number, QStringLiteral("12345")).status, VS::Malformed);
}

void tst_OtpEngine::providerOwnedCodes()
{
    m_sender->ownsCodes = true;
    m_sender->checker = [](const QString &code) {
        return code == u"424242" ? CheckOutcome {CheckOutcome::Status::Verified, 0}
                                 : CheckOutcome {CheckOutcome::Status::WrongCode, 3};
    };
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    QVERIFY(m_sender->sent.last().code.isEmpty()); // the app never sees the code
    QCOMPARE(verifyAndWait(*m_engine, m_number, QStringLiteral("111111")).attemptsLeft, 3);
    QCOMPARE(verifyAndWait(*m_engine, m_number, QStringLiteral("424242")).status, VS::Verified);
    // Cooldowns still apply locally.
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::CoolingDown);
}

void tst_OtpEngine::sweepEmptiesTheStore()
{
    for (int i = 0; i < 200; ++i)
        requestAndWait(*m_engine,
                       number(QStringLiteral("98765%1").arg(i, 5, 10, QLatin1Char('0'))));
    QCOMPARE(m_store.store->activeCodes(), std::size_t(200));
    // A networked store sweeps on the server and learns the counts from its answer: wait.
    m_clock.advance(5min);
    m_engine->sweep();
    QTRY_COMPARE(m_store.store->activeCodes(), std::size_t(0));
    m_clock.advance(1h);
    m_engine->sweep();
    QTRY_COMPARE(m_store.store->trackedSubjects(), std::size_t(0));
}

void tst_OtpEngine::outgoingCarriesPurposeAndLocale()
{
    QSignalSpy spy(m_engine.get(), &OtpEngine::codeRequested);
    m_engine->requestCode(m_number, Purpose::SignUp, Channel::WhatsApp, QStringLiteral("hi"));
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(m_sender->sent.last().purpose, Purpose::SignUp);
    QCOMPARE(m_sender->sent.last().locale, QStringLiteral("hi"));
}

QTEST_GUILESS_MAIN(tst_OtpEngine)
#include "tst_otpengine.moc"
