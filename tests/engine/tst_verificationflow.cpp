// The verification flow without a view: the account rules of sign up and sign in, the code's life
// (sent, resent, checked, expired, cancelled), and answers that come too late. A real engine on a
// fake clock and a fake sender; accounts scripted, answering at once or, like a server, later.
#include "EngineSpy.h"
#include "FakeAccounts.h"
#include "FakeClock.h"
#include "FakeSender.h"
#include "FakeVerificationBackend.h"
#include "TestStore.h"
#include "engine/AccountStore.h"
#include "engine/OtpEngine.h"
#include "engine/VerificationFlow.h"

#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;
using RS = CodeRequestResult::Status;
using Step = VerificationFlow::Step;
using Flow = VerificationFlow;

namespace {

const PhoneNumber Number = number(u"9876543210");
const PhoneNumber Other = number(u"9123456789");
const PhoneNumber Third = number(u"9988776655");
const PhoneNumber Fourth = number(u"9812345678");

/// A flow over a real engine, with every signal recorded.
struct Fixture
{
    FakeClock clock;
    FakeSender sender;
    TestStore store = makeTestStore();
    FakeAccounts accounts;
    OtpEngine engine {clock, *store.store, store.hasher, sender};
    FakeVerificationBackend backend {engine, accounts};
    Flow flow {backend};

    QSignalSpy started {&flow, &Flow::requestStarted};
    QSignalSpy sent {&flow, &Flow::codeSent};
    QSignalSpy refused {&flow, &Flow::requestRefused};
    QSignalSpy accountCheckFailed {&flow, &Flow::accountCheckFailed};
    QSignalSpy otherFlow {&flow, &Flow::otherFlowOffered};
    QSignalSpy wrong {&flow, &Flow::wrongCode};
    QSignalSpy expired {&flow, &Flow::codeExpired};
    QSignalSpy tooMany {&flow, &Flow::tooManyAttempts};
    QSignalSpy checkFailed {&flow, &Flow::checkFailed};
    QSignalSpy accepted {&flow, &Flow::codeAccepted};
    QSignalSpy notSaved {&flow, &Flow::accountNotSaved};
    QSignalSpy verified {&flow, &Flow::verified};
    QSignalSpy delivery {&flow, &Flow::deliveryStatusChanged};

    Fixture() { flow.setLocale(QStringLiteral("hi")); }

    /// Asks for a code for Number and waits for it; false if none came.
    bool sendCode(Purpose purpose = Purpose::SignUp, Channel channel = Channel::WhatsApp)
    {
        const qsizetype before = sent.size();
        return flow.request(Number, purpose, channel)
            && QTest::qWaitFor([&] { return sent.size() > before; }, 2000);
    }
    QString lastCode() const { return sender.sent.isEmpty() ? QString() : sender.sent.last().code; }
    QString wrongCode() const
    {
        return lastCode() == QLatin1String("000000") ? QStringLiteral("111111")
                                                     : QStringLiteral("000000");
    }
    SentCode lastSent() const { return sent.last().at(0).value<SentCode>(); }
    CodeRequestResult lastRefusal() const
    {
        return refused.last().at(0).value<CodeRequestResult>();
    }
    /// The signals that answer a check.
    qsizetype checkAnswers() const
    {
        return wrong.size() + expired.size() + tooMany.size() + checkFailed.size()
            + accepted.size();
    }
};

} // namespace

class tst_VerificationFlow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void signUpCreatesTheAccount();
    void accountRulesBeforeSending_data();
    void accountRulesBeforeSending();
    void accountStepAfterTheCode_data();
    void accountStepAfterTheCode();
    void wrongCodeThenRight();
    void tooManyAttempts();
    void codeNotCheckable();
    void expiry();
    void resendWithCooldown();
    void smsChannel();
    void deliveryStatus();
    void cancel();
    void staleAnswersAreIgnored();
    void accountsAnsweringLater();
    void verifiedUntilReset();
    void serviceAppliesTheAccountRules();
};

void tst_VerificationFlow::signUpCreatesTheAccount()
{
    Fixture f;
    QCOMPARE(f.flow.step(), Step::Number);
    QVERIFY(f.flow.request(Number, Purpose::SignUp));
    QCOMPARE(f.started.size(), 1); // the account rules passed at once
    QVERIFY(f.flow.isRequesting());
    QVERIFY(!f.flow.request(Number, Purpose::SignUp)); // impatient: nothing more
    QTRY_COMPARE(f.sent.size(), 1);
    QVERIFY(!f.flow.isRequesting());
    QCOMPARE(f.sender.sent.last().purpose, Purpose::SignUp);
    QCOMPARE(f.sender.sent.last().locale, QStringLiteral("hi"));

    const SentCode sent = f.lastSent();
    QCOMPARE(sent.number, Number);
    QCOMPARE(sent.channel, Channel::WhatsApp);
    QVERIFY(sent.expiresAt == f.clock.now() + 5min);
    QVERIFY(sent.nextSendAt == f.clock.now() + 30s);
    QCOMPARE(sent.attempts, 5);
    QVERIFY(!sent.resent);
    QCOMPARE(f.flow.step(), Step::Code);
    QCOMPARE(f.flow.number(), Number);

    QVERIFY(f.flow.check(f.lastCode()));
    QVERIFY(f.flow.isChecking());
    QTRY_COMPARE(f.verified.size(), 1);
    QCOMPARE(f.accepted.size(), 1);
    QCOMPARE(f.verified.at(0).at(0).value<PhoneNumber>(), Number);
    QCOMPARE(f.verified.at(0).at(1).value<Purpose>(), Purpose::SignUp);
    QCOMPARE(f.verified.at(0).at(2).toBool(), true);
    QCOMPARE(f.accounts.creates, 1);
    QCOMPARE(f.accounts.signIns, 0);
    QCOMPARE(f.flow.step(), Step::Verified);
    QVERIFY(!f.flow.isChecking());
    QCOMPARE(f.store.store->activeCodes(), 0u); // single use
}

void tst_VerificationFlow::accountRulesBeforeSending_data()
{
    QTest::addColumn<int>("registered"); // -1: the store can't tell
    QTest::addColumn<Purpose>("purpose");
    QTest::addColumn<bool>("offered"); // the other flow is offered; else the check failed
    QTest::newRow("sign in, no account") << 0 << Purpose::SignIn << true;
    QTest::newRow("sign up, registered") << 1 << Purpose::SignUp << true;
    QTest::newRow("sign up, accounts down") << -1 << Purpose::SignUp << false;
    QTest::newRow("sign in, accounts down") << -1 << Purpose::SignIn << false;
}

void tst_VerificationFlow::accountRulesBeforeSending()
{
    QFETCH(int, registered);
    QFETCH(Purpose, purpose);
    QFETCH(bool, offered);
    Fixture f;
    f.accounts.registered = registered < 0 ? std::nullopt : std::optional(registered == 1);
    QVERIFY(f.flow.request(Number, purpose));
    // At once, and nothing is sent.
    QCOMPARE(f.otherFlow.size(), offered ? 1 : 0);
    QCOMPARE(f.accountCheckFailed.size(), offered ? 0 : 1);
    QCOMPARE(f.started.size(), 0);
    QVERIFY(!f.flow.isRequesting());
    QCOMPARE(f.flow.step(), Step::Number);
    QTest::qWait(10);
    QVERIFY(f.sender.sent.isEmpty());
    QCOMPARE(f.store.store->activeCodes(), 0u);
    if (!offered)
        return;
    QCOMPARE(f.otherFlow.at(0).at(0).value<PhoneNumber>(), Number);
    QCOMPARE(f.otherFlow.at(0).at(1).value<Purpose>(), purpose);
    // Taking the offer sends.
    const Purpose other = purpose == Purpose::SignIn ? Purpose::SignUp : Purpose::SignIn;
    QVERIFY(f.sendCode(other));
    QCOMPARE(f.sender.sent.last().purpose, other);
}

void tst_VerificationFlow::accountStepAfterTheCode_data()
{
    using R = AccountStore::Result;
    QTest::addColumn<Purpose>("purpose");
    QTest::addColumn<AccountStore::Result>("answer"); // to createAccount() or recordSignIn()
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<int>("creates");
    QTest::addColumn<int>("signIns");
    QTest::newRow("sign in") << Purpose::SignIn << R::Ok << "signed in" << 0 << 1;
    // An account created meanwhile belongs to the person who has the code.
    QTest::newRow("sign up raced") << Purpose::SignUp << R::AlreadyExists << "signed in" << 1 << 1;
    QTest::newRow("sign up not saved")
        << Purpose::SignUp << R::StorageError << "not saved" << 1 << 0;
    QTest::newRow("sign in not saved")
        << Purpose::SignIn << R::StorageError << "not saved" << 0 << 1;
    QTest::newRow("sign in, account gone") << Purpose::SignIn << R::NotFound << "offer" << 0 << 1;
}

void tst_VerificationFlow::accountStepAfterTheCode()
{
    QFETCH(Purpose, purpose);
    QFETCH(AccountStore::Result, answer);
    QFETCH(QString, outcome);
    QFETCH(int, creates);
    QFETCH(int, signIns);
    Fixture f;
    f.accounts.registered = purpose == Purpose::SignIn;
    f.accounts.createResult = answer;
    f.accounts.signInResult = purpose == Purpose::SignIn ? answer : AccountStore::Result::Ok;
    QVERIFY(f.sendCode(purpose));
    QCOMPARE(f.sender.sent.last().purpose, purpose);
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.accepted.size(), 1);
    QCOMPARE(f.accounts.creates, creates);
    QCOMPARE(f.accounts.signIns, signIns);
    QCOMPARE(f.verified.size(), outcome == u"signed in" ? 1 : 0);
    QCOMPARE(f.notSaved.size(), outcome == u"not saved" ? 1 : 0);
    QCOMPARE(f.otherFlow.size(), outcome == u"offer" ? 1 : 0);
    if (outcome == u"signed in") {
        QCOMPARE(f.verified.at(0).at(1).value<Purpose>(), purpose);
        QCOMPARE(f.verified.at(0).at(2).toBool(), false);
        QCOMPARE(f.flow.step(), Step::Verified);
        QCOMPARE(f.flow.purpose(), purpose);
        return;
    }
    if (outcome == u"not saved")
        QCOMPARE(f.notSaved.at(0).at(0).value<Purpose>(), purpose);
    else
        QCOMPARE(f.otherFlow.at(0).at(1).value<Purpose>(), Purpose::SignIn);
    QCOMPARE(f.flow.step(), Step::Number); // back to the number
}

void tst_VerificationFlow::wrongCodeThenRight()
{
    Fixture f;
    QVERIFY(f.sendCode());
    QVERIFY(f.flow.check(f.wrongCode()));
    QVERIFY(!f.flow.check(f.lastCode())); // one check at a time
    QTRY_COMPARE(f.wrong.size(), 1);
    QCOMPARE(f.wrong.at(0).at(0).toInt(), 4);
    QVERIFY(f.flow.check(f.wrongCode()));
    QTRY_COMPARE(f.wrong.size(), 2);
    QCOMPARE(f.wrong.at(1).at(0).toInt(), 3);
    QCOMPARE(f.flow.step(), Step::Code);
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.verified.size(), 1);
    QCOMPARE(f.checkAnswers(), 3);
}

void tst_VerificationFlow::tooManyAttempts()
{
    Fixture f;
    QVERIFY(f.sendCode());
    for (int i = 0; i < 5; ++i) {
        QVERIFY(f.flow.check(f.wrongCode()));
        QTRY_COMPARE(f.checkAnswers(), i + 1);
    }
    QCOMPARE(f.wrong.size(), 4);
    QCOMPARE(f.tooMany.size(), 1);
    // The code is void: even the right one fails now; a new code works.
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.tooMany.size(), 2);
    QCOMPARE(f.accepted.size(), 0);
    f.clock.advance(30s);
    QVERIFY(f.flow.resend(Channel::WhatsApp));
    QTRY_COMPARE(f.sent.size(), 2);
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.verified.size(), 1);
}

void tst_VerificationFlow::codeNotCheckable()
{
    Fixture f;
    QVERIFY(f.sendCode());
    QVERIFY(f.flow.check(QStringLiteral("123")));
    QTRY_COMPARE(f.checkFailed.size(), 1);
    QCOMPARE(f.checkFailed.last().at(0).value<VerifyResult>().status,
             VerifyResult::Status::Malformed);

    f.engine.cancel(Number); // gone behind the flow's back
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.checkFailed.size(), 2);
    QCOMPARE(f.checkFailed.last().at(0).value<VerifyResult>().status, VerifyResult::Status::NoCode);
}

void tst_VerificationFlow::expiry()
{
    Fixture f;
    QVERIFY(f.sendCode());
    f.clock.advance(5min + 1s);
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.expired.size(), 1);
    QCOMPARE(f.checkAnswers(), 1);
    QCOMPARE(f.flow.step(), Step::Code); // a new code can be asked for
}

void tst_VerificationFlow::resendWithCooldown()
{
    Fixture f;
    QVERIFY(!f.flow.resend(Channel::WhatsApp)); // nothing to resend yet
    QVERIFY(f.sendCode());
    const QString first = f.lastCode();

    f.clock.advance(18s);
    QVERIFY(f.flow.resend(Channel::WhatsApp));
    QTRY_COMPARE(f.refused.size(), 1);
    QCOMPARE(f.lastRefusal().status, RS::CoolingDown);
    QCOMPARE(f.lastRefusal().retryAfter, 12s);
    QCOMPARE(f.sender.sent.size(), 1);
    QCOMPARE(f.flow.step(), Step::Code); // the first code still works meanwhile

    f.clock.advance(12s);
    QVERIFY(f.flow.resend(Channel::WhatsApp));
    QTRY_COMPARE(f.sent.size(), 2);
    QCOMPARE(f.started.size(), 3);
    const SentCode again = f.lastSent();
    QVERIFY(again.resent);
    QCOMPARE(again.number, Number);
    QVERIFY(again.nextSendAt == f.clock.now() + 60s); // the next cooldown is longer

    // Only the newest code works.
    if (first != f.lastCode()) {
        QVERIFY(f.flow.check(first));
        QTRY_COMPARE(f.wrong.size(), 1);
    }
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.verified.size(), 1);
}

void tst_VerificationFlow::smsChannel()
{
    // The number has no WhatsApp: refused, then SMS instead.
    Fixture f;
    f.sender.nextResult.error = SendError::NotWhatsAppUser;
    QVERIFY(f.flow.request(Number, Purpose::SignUp));
    QTRY_COMPARE(f.refused.size(), 1);
    QCOMPARE(f.lastRefusal().status, RS::SendFailed);
    QCOMPARE(f.lastRefusal().send.error, SendError::NotWhatsAppUser);
    QCOMPARE(f.flow.step(), Step::Number);
    f.sender.nextResult = {};
    QVERIFY(f.sendCode(Purpose::SignUp, Channel::Sms));
    QCOMPARE(f.sender.sent.last().channel, Channel::Sms);
    QCOMPARE(f.lastSent().channel, Channel::Sms);

    f.clock.advance(60s); // two sends so far
    QVERIFY(f.flow.resend(Channel::WhatsApp));
    QTRY_COMPARE(f.sent.size(), 2);
    QCOMPARE(f.lastSent().channel, Channel::WhatsApp);

    // Without an SMS sender, SMS is refused and nothing is sent.
    f.sender.smsSupported = false;
    f.clock.advance(120s);
    QVERIFY(f.flow.resend(Channel::Sms));
    QTRY_COMPARE(f.refused.size(), 2);
    QCOMPARE(f.lastRefusal().status, RS::ChannelUnavailable);
    QCOMPARE(f.lastRefusal().channel, Channel::Sms);
    QCOMPARE(f.sender.sent.size(), 3);
}

void tst_VerificationFlow::deliveryStatus()
{
    Fixture f;
    QVERIFY(f.sendCode());
    f.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Delivered);
    QTRY_COMPARE(f.delivery.size(), 1);
    QCOMPARE(f.delivery.at(0).at(0).value<DeliveryStatus>(), DeliveryStatus::Delivered);

    // Another number's message is none of this flow's business.
    requestAndWait(f.engine, Other);
    f.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Read);
    QTest::qWait(10);
    QCOMPARE(f.delivery.size(), 1);
}

void tst_VerificationFlow::cancel()
{
    Fixture f;
    QVERIFY(f.sendCode());
    QCOMPARE(f.store.store->activeCodes(), 1u);
    f.flow.cancel();
    QCOMPARE(f.flow.step(), Step::Number);
    QCOMPARE(f.flow.number(), PhoneNumber());
    QTRY_COMPARE(f.store.store->activeCodes(), 0u); // cancelled in the engine
    QVERIFY(!f.flow.check(f.lastCode()));
    QVERIFY(!f.flow.resend(Channel::WhatsApp));

    // A check on its way when the flow is cancelled is not answered.
    f.clock.advance(30s);
    QVERIFY(f.sendCode());
    QVERIFY(f.flow.check(f.lastCode()));
    f.flow.cancel();
    QTest::qWait(20);
    QCOMPARE(f.checkAnswers(), 0);
    QVERIFY(!f.flow.isChecking());

    // A send on its way when the flow is cancelled: its code is cancelled when it comes.
    f.clock.advance(60s);
    QVERIFY(f.flow.request(Number, Purpose::SignUp));
    f.flow.cancel();
    QVERIFY(!f.flow.isRequesting());
    QTRY_COMPARE(f.sender.sent.size(), 3); // the code went out
    QTRY_COMPARE(f.store.store->activeCodes(), 0u);
    QCOMPARE(f.sent.size(), 2);
    QCOMPARE(f.refused.size(), 0);

    // The same for a resend, and after a reset.
    f.clock.advance(120s);
    QVERIFY(f.sendCode());
    f.clock.advance(240s);
    QVERIFY(f.flow.resend(Channel::WhatsApp));
    f.flow.reset();
    QTRY_COMPARE(f.sender.sent.size(), 5);
    QTRY_COMPARE(f.store.store->activeCodes(), 0u);
    QCOMPARE(f.sent.size(), 3);
    QCOMPARE(f.flow.step(), Step::Number);
}

void tst_VerificationFlow::staleAnswersAreIgnored()
{
    // A request abandoned for another number: its answer is ignored and its code cancelled;
    // the code of the number asked for now stays.
    Fixture f;
    QVERIFY(f.flow.request(Other, Purpose::SignUp));
    f.flow.cancel();
    QVERIFY(f.sendCode());
    QTRY_COMPARE(f.store.store->activeCodes(), 1u);
    QCOMPARE(f.sent.size(), 1);
    QCOMPARE(f.flow.number(), Number);

    // Answers to someone else's requests on the same engine are not this flow's: ignored, and
    // their codes left alone.
    QCOMPARE(requestAndWait(f.engine, Third).status, RS::Sent);
    QCOMPARE(f.sent.size(), 1);
    QCOMPARE(f.store.store->activeCodes(), 2u);
    verifyAndWait(f.engine, Third, QStringLiteral("000000"));
    QCOMPARE(f.checkAnswers(), 0);

    // Two flows on one engine: each sees its own answers only.
    Flow second(f.backend);
    QSignalSpy secondSent(&second, &Flow::codeSent);
    QVERIFY(second.request(Fourth, Purpose::SignUp));
    QTRY_COMPARE(secondSent.size(), 1);
    QCOMPARE(f.sent.size(), 1);
    QCOMPARE(f.store.store->activeCodes(), 3u);
    QCOMPARE(f.flow.number(), Number);
    QCOMPARE(second.number(), Fourth);
}

void tst_VerificationFlow::accountsAnsweringLater()
{
    Fixture f;
    f.backend.holdAccounts = true;
    QVERIFY(f.flow.request(Number, Purpose::SignUp));
    QVERIFY(f.flow.isRequesting());
    QVERIFY(!f.flow.request(Number, Purpose::SignUp));
    QCOMPARE(f.started.size(), 0);
    QCOMPARE(f.backend.held.size(), 1u);
    f.backend.release();
    QCOMPARE(f.started.size(), 1);
    QTRY_COMPARE(f.sent.size(), 1);

    // The account is created when the server says so.
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.accepted.size(), 1);
    QVERIFY(f.flow.isChecking());
    QCOMPARE(f.verified.size(), 0);
    f.backend.release();
    QCOMPARE(f.verified.size(), 1);
    QCOMPARE(f.accounts.creates, 1);

    // An answer for a look-up abandoned meanwhile is ignored.
    f.flow.reset();
    QVERIFY(f.flow.request(Other, Purpose::SignIn));
    f.flow.reset();
    f.backend.release();
    QCOMPARE(f.otherFlow.size(), 0);
    QCOMPARE(f.started.size(), 1);
    QVERIFY(!f.flow.isRequesting());
}

void tst_VerificationFlow::verifiedUntilReset()
{
    Fixture f;
    QVERIFY(f.sendCode());
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.verified.size(), 1);
    f.flow.cancel(); // closing the window afterwards changes nothing
    QCOMPARE(f.flow.step(), Step::Verified);
    QVERIFY(!f.flow.request(Other, Purpose::SignUp));
    QVERIFY(!f.flow.check(f.lastCode()));
    f.flow.reset();
    QCOMPARE(f.flow.step(), Step::Number);
    QVERIFY(f.flow.request(Other, Purpose::SignUp));
    QTRY_COMPARE(f.sent.size(), 2);
}

void tst_VerificationFlow::serviceAppliesTheAccountRules()
{
    // A verification server that doesn't say beforehand whether a number has an account.
    Fixture f;
    f.backend.tellsAccounts = false;
    f.backend.codeMeansAccount = false;
    f.accounts.registered = std::nullopt; // never asked: it would fail the request
    QVERIFY(f.sendCode(Purpose::SignIn));
    QCOMPARE(f.accountCheckFailed.size(), 0);
    QVERIFY(f.lastSent().accountUnknown); // "a code is on its way if the number has an account"
    f.flow.cancel();
    f.clock.advance(1min);
    QVERIFY(f.sendCode(Purpose::SignUp));
    QVERIFY(f.lastSent().accountUnknown); // "... if the number has no account yet"

    // A right code whose number no longer fits (the account came meanwhile): the other flow.
    f.backend.refuseApproval = true;
    QVERIFY(f.flow.check(f.lastCode()));
    QTRY_COMPARE(f.otherFlow.size(), 1);
    QCOMPARE(f.otherFlow.last().at(1).value<Purpose>(), Purpose::SignUp);
    QCOMPARE(f.flow.step(), Step::Number);
    QVERIFY(!f.flow.isChecking());
    QCOMPARE(f.verified.size(), 0);
    f.backend.refuseApproval = false;

    // With registration hints the server refuses the code itself: offered as before a send.
    f.backend.refuseForAccount = true;
    QVERIFY(f.flow.request(Number, Purpose::SignIn));
    QVERIFY(f.flow.isRequesting());
    QTRY_COMPARE(f.otherFlow.size(), 2);
    QCOMPARE(f.otherFlow.last().at(0).value<PhoneNumber>(), Number);
    QCOMPARE(f.otherFlow.last().at(1).value<Purpose>(), Purpose::SignIn);
    QVERIFY(!f.flow.isRequesting());
    QCOMPARE(f.flow.step(), Step::Number);
    QCOMPARE(f.refused.size(), 0);

    // A refusal for a request given up meanwhile is nobody's business.
    QVERIFY(f.flow.request(Number, Purpose::SignUp));
    f.flow.cancel();
    QTest::qWait(20);
    QCOMPARE(f.otherFlow.size(), 2);
    QVERIFY(f.flow.request(Number, Purpose::SignUp)); // and a new request is taken
    QTRY_COMPARE(f.otherFlow.size(), 3);
}

QTEST_GUILESS_MAIN(tst_VerificationFlow)
#include "tst_verificationflow.moc"
