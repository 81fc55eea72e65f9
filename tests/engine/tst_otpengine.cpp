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

Q_DECLARE_METATYPE(waotp::OtpPolicy)

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
    void failureReportedLaterAllowsResendAtOnce();
    void approvalEndsTheCooldown();
    void smsNeedsAnSmsSender();
    void deliveryStatusIsForwarded();
    void deliveryOfAnEarlierMessageIsIgnored();
    void malformedCode_data();
    void malformedCode();
    void noCodeRequested();
    void cancelForgetsTheCode();
    void acceptAnyCodeIsDemoOnly();
    void acceptAnyCodeInDemo();
    void providerOwnedCodes();
    void sweepEmptiesTheStore();
    void outgoingCarriesPurposeAndLocale();
    void wrongCodesSlowSendsDown();
    void sendHeldUntilCountsTheCooldownAsASendWould();
    void guessesPerNumberAreBounded_data();
    void guessesPerNumberAreBounded();
    void providerChecksAreBoundedToo();
    void cancelReachesTheProvider();

private:
    std::unique_ptr<OtpEngine> makeEngine(OtpPolicy policy = {});
    /// Makes @p count wrong guesses at the latest code (at the clock's current time).
    void guessWrong(int count);

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

void tst_OtpEngine::guessWrong(int count)
{
    const QString wrong = wrongCode(m_sender->sent.last().code);
    for (int i = 0; i < count; ++i) {
        const VS status = verifyAndWait(*m_engine, m_number, wrong).status;
        QVERIFY(status == VS::WrongCode || status == VS::TooManyAttempts);
    }
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
    QCOMPARE(again.nextSendAt, m_clock.now() + 60s); // the wait after it is the usual one
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

void tst_OtpEngine::failureReportedLaterAllowsResendAtOnce()
{
    requestAndWait(*m_engine, m_number);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::CoolingDown);
    m_engine->deliveryFailed(m_number); // e.g. from a status callback, after tracking ended
    QCOMPARE(requestAndWait(*m_engine, m_number, Channel::Sms).status, RS::Sent);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::CoolingDown);
}

void tst_OtpEngine::approvalEndsTheCooldown()
{
    OtpPolicy p;
    p.maxSendsPerHour = 3;
    m_engine = makeEngine(p);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    QCOMPARE(verifyAndWait(*m_engine, m_number, m_sender->sent.last().code).status, VS::Verified);
    // Signed in: the next sign-in may start at once.
    const CodeRequestResult again = requestAndWait(*m_engine, m_number);
    QCOMPARE(again.status, RS::Sent);
    QCOMPARE(again.sendsInWindow, 2);
    QCOMPARE(again.nextSendAt, m_clock.now() + 60s); // the wait after it is the usual one
    // Without an approval in between, the cooldown is back.
    const CodeRequestResult soon = requestAndWait(*m_engine, m_number);
    QCOMPARE(soon.status, RS::CoolingDown);
    QCOMPARE(soon.retryAfter, 60s);
    // The hourly cap still counts the sends an approval let through.
    QCOMPARE(verifyAndWait(*m_engine, m_number, m_sender->sent.last().code).status, VS::Verified);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    QCOMPARE(verifyAndWait(*m_engine, m_number, m_sender->sent.last().code).status, VS::Verified);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::HourlyLimit);
    // A wrong code is no approval.
    m_clock.advance(1h);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    QCOMPARE(verifyAndWait(*m_engine, m_number, wrongCode(m_sender->sent.last().code)).status,
             VS::WrongCode);
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

// A resend while the first message is still tracked (polled): what that message does later (it
// is read, or it fails) says nothing of the current code.
void tst_OtpEngine::deliveryOfAnEarlierMessageIsIgnored()
{
    requestAndWait(*m_engine, m_number);
    FakeSender::Job *first = m_sender->jobs.last();
    m_clock.advance(30s);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    FakeSender::Job *second = m_sender->jobs.last();
    QVERIFY(first != second);
    QSignalSpy spy(m_engine.get(), &OtpEngine::deliveryStatusChanged);
    second->updateDeliveryStatus(DeliveryStatus::Read);
    first->updateDeliveryStatus(DeliveryStatus::Delivered); // would take Read back
    first->updateDeliveryStatus(DeliveryStatus::Undelivered, 30003);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(1).value<DeliveryStatus>(), DeliveryStatus::Read);
    // Nor does its failure waive the next cooldown, as the current message's would.
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::CoolingDown);
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
    // Cooldowns still apply locally (an approval ends one, as with codes of our own).
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
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

// Wrong codes across codes: from the tenth in 24 hours, each new code waits a minute after the
// latest wrong one, doubled for every five more. The wait is the resend countdown's.
void tst_OtpEngine::wrongCodesSlowSendsDown()
{
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    guessWrong(5);
    m_clock.advance(30s);
    for (const auto wait : {1min, 2min, 4min}) {
        QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
        m_clock.advance(10s);
        guessWrong(5); // the code is void now; the resend cooldown alone would be shorter
        CodeRequestResult r = requestAndWait(*m_engine, m_number);
        QCOMPARE(r.status, RS::FailureBackoff);
        QCOMPARE(r.retryAfter, wait);
        QCOMPARE(r.nextSendAt, m_clock.now() + wait);
        m_clock.advance(wait - 1s);
        r = requestAndWait(*m_engine, m_number);
        QCOMPARE(r.status, RS::FailureBackoff);
        QCOMPARE(r.retryAfter, 1s);
        m_clock.advance(1s);
    }
    // A longer wait from another rule answers for itself: the fifth send this hour.
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    guessWrong(5);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::HourlyLimit);
    // Other numbers are not held back.
    QCOMPARE(requestAndWait(*m_engine, number(u"9876500000")).status, RS::Sent);
}

// What holds a number's next send beyond its cooldown (which an approval waives), asked without
// changing anything: nothing for a new number, then the wrong codes' backoff.
void tst_OtpEngine::sendHeldUntilCountsTheCooldownAsASendWould()
{
    const auto heldUntil = [this] {
        std::optional<std::optional<Clock::TimePoint>> answer;
        m_engine->sendHeldUntil(m_number,
                                [&answer](std::optional<Clock::TimePoint> at) { answer = at; });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 5000))
            qFatal("sendHeldUntil() never answered");
        return *answer;
    };
    // A shared store leaves the cooldown to the caller: other instances' waivers reach it.
    const bool local = m_store.store->isLocal();
    QCOMPARE(heldUntil(), m_clock.now());
    const CodeRequestResult first = requestAndWait(*m_engine, m_number);
    QCOMPARE(first.status, RS::Sent);
    QCOMPARE(heldUntil(), local ? first.nextSendAt : m_clock.now());
    // An approval waives the cooldown until the next send. Nothing changed: the code still
    // verified, and only real sends are counted.
    QCOMPARE(verifyAndWait(*m_engine, m_number, m_sender->sent.last().code).status, VS::Verified);
    QCOMPARE(heldUntil(), m_clock.now());
    const CodeRequestResult second = requestAndWait(*m_engine, m_number);
    QCOMPARE(second.sendsInWindow, 2);
    QCOMPARE(heldUntil(), local ? second.nextSendAt : m_clock.now());
    guessWrong(5);
    m_clock.advance(60s);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    m_clock.advance(10s);
    guessWrong(5);
    // Ten wrong codes hold the send back a minute after the latest; the cooldown runs for
    // 110 s more.
    QCOMPARE(heldUntil(), m_clock.now() + (local ? 110s : 1min));
    const CodeRequestResult r = requestAndWait(*m_engine, m_number);
    QCOMPARE(r.status, RS::CoolingDown);
    QCOMPARE(r.nextSendAt, m_clock.now() + 110s);
    QCOMPARE(r.sendsInWindow, 3);
    // A failed send waives the cooldown too, until a send goes.
    m_clock.advance(1h);
    m_sender->nextResult.error = SendError::Network;
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::SendFailed);
    QCOMPARE(heldUntil(), m_clock.now());
    m_sender->nextResult = {};
    const CodeRequestResult sent = requestAndWait(*m_engine, m_number);
    QCOMPARE(sent.status, RS::Sent);
    QCOMPARE(heldUntil(), local ? sent.nextSendAt : m_clock.now());
}

void tst_OtpEngine::guessesPerNumberAreBounded_data()
{
    QTest::addColumn<OtpPolicy>("policy");
    QTest::addColumn<int>("guessesPerCode");
    QTest::addColumn<bool>("reachesTheLimit");
    QTest::newRow("defaults") << OtpPolicy {} << 5 << false;
    // The loosest settings allowed, and no backoff: only the limit of 100 holds. Seven guesses
    // a code leave a code alive when the limit comes.
    OtpPolicy loose;
    loose.maxAttempts = 10;
    loose.maxSendsPerHour = 10;
    loose.firstResendCooldown = 0ms;
    loose.maxResendCooldown = 0ms;
    loose.firstFailureBackoff = 0ms;
    QTest::newRow("no backoff") << loose << 7 << true;
}

// Someone who guesses as fast as every rule allows, for two days: no 24 hours ever see more
// than 100 wrong codes for the number.
void tst_OtpEngine::guessesPerNumberAreBounded()
{
    QFETCH(OtpPolicy, policy);
    QFETCH(int, guessesPerCode);
    QFETCH(bool, reachesTheLimit);
    m_engine = makeEngine(policy);
    const Clock::TimePoint start = m_clock.now();
    QList<Clock::TimePoint> wrong;
    bool limited = false;
    while (m_clock.now() < start + 48h) {
        const CodeRequestResult r = requestAndWait(*m_engine, m_number);
        if (r.status != RS::Sent) {
            QVERIFY(r.status == RS::CoolingDown || r.status == RS::HourlyLimit
                    || r.status == RS::FailureBackoff);
            QVERIFY(r.retryAfter > 0s);
            m_clock.advance(r.retryAfter);
            continue;
        }
        const QString code = m_sender->sent.last().code;
        for (int i = 0; i < guessesPerCode; ++i) {
            const VerifyResult v = verifyAndWait(*m_engine, m_number, wrongCode(code));
            if (v.status == VS::GuessLimit) {
                // Nothing is compared any more, not even the right code; the next send waits.
                QVERIFY(v.retryAfter > 0s && v.retryAfter <= 24h);
                QCOMPARE(verifyAndWait(*m_engine, m_number, code).status, VS::GuessLimit);
                QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::FailureBackoff);
                limited = true;
                break;
            }
            QVERIFY2(v.status == VS::WrongCode || v.status == VS::TooManyAttempts,
                     qPrintable(QString::number(int(v.status))));
            wrong.append(m_clock.now());
            if (v.status == VS::TooManyAttempts)
                break;
        }
    }
    QCOMPARE(limited, reachesTheLimit);
    qsizetype first = 0;
    int most = 0;
    for (qsizetype last = 0; last < wrong.size(); ++last) {
        while (wrong.at(first) + 24h <= wrong.at(last))
            ++first;
        most = std::max(most, int(last - first + 1));
    }
    QVERIFY2(most <= 100, qPrintable(QString::number(most)));
    if (reachesTheLimit) {
        QCOMPARE(most, 100);
        QVERIFY(wrong.last() >= start + 24h); // the limit lifts as the window moves on
    }
}

// With Twilio Verify the provider counts attempts per code only; the store bounds the checks
// per number across codes all the same, counting each one before it goes out.
void tst_OtpEngine::providerChecksAreBoundedToo()
{
    m_sender->ownsCodes = true;
    m_sender->checker = [](const QString &code) {
        return code == u"424242" ? CheckOutcome {CheckOutcome::Status::Verified, 0}
                                 : CheckOutcome {CheckOutcome::Status::WrongCode, 3};
    };
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    const QString wrong = QStringLiteral("111111");
    for (int i = 0; i < 60; ++i)
        QCOMPARE(verifyAndWait(*m_engine, m_number, wrong).status, VS::WrongCode);
    // A right code is not a wrong one: it gives its count back.
    QCOMPARE(verifyAndWait(*m_engine, m_number, QStringLiteral("424242")).status, VS::Verified);
    m_clock.advance(1h);
    for (int i = 0; i < 40; ++i)
        QCOMPARE(verifyAndWait(*m_engine, m_number, wrong).status, VS::WrongCode);
    QCOMPARE(m_sender->checked.size(), 101);
    const VerifyResult limited = verifyAndWait(*m_engine, m_number, QStringLiteral("424242"));
    QCOMPARE(limited.status, VS::GuessLimit);
    QCOMPARE(limited.retryAfter, 23h);
    QCOMPARE(m_sender->checked.size(), 101); // the provider was not asked
    const CodeRequestResult send = requestAndWait(*m_engine, m_number);
    QCOMPARE(send.status, RS::FailureBackoff);
    QCOMPARE(send.retryAfter, 23h);
    // The first sixty leave the window together.
    m_clock.advance(23h);
    QCOMPARE(verifyAndWait(*m_engine, m_number, QStringLiteral("424242")).status, VS::Verified);
}

void tst_OtpEngine::cancelReachesTheProvider()
{
    // Codes the app made itself are forgotten locally only.
    requestAndWait(*m_engine, m_number);
    m_engine->cancel(m_number);
    QVERIFY(m_sender->cancelled.isEmpty());

    m_sender->ownsCodes = true;
    m_sender->nextResult.messageId = QStringLiteral("VE0001");
    m_clock.advance(1min);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    m_engine->cancel(m_number);
    QCOMPARE(m_sender->cancelled, QStringList {QStringLiteral("VE0001")});
    m_engine->cancel(m_number); // once is enough
    QCOMPARE(m_sender->cancelled.size(), 1);

    // A verified code is used up: nothing to cancel.
    m_sender->nextResult.messageId = QStringLiteral("VE0002");
    m_clock.advance(2min);
    QCOMPARE(requestAndWait(*m_engine, m_number).status, RS::Sent);
    QCOMPARE(verifyAndWait(*m_engine, m_number, QStringLiteral("424242")).status, VS::Verified);
    m_engine->cancel(m_number);
    QCOMPARE(m_sender->cancelled.size(), 1);
}

QTEST_GUILESS_MAIN(tst_OtpEngine)
#include "tst_otpengine.moc"
