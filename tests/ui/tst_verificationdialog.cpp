// The whole modal against a real engine and store, a fake sender and a fake clock.
#include "Announcer.h"
#include "EngineSpy.h"
#include "ExpiryLabel.h"
#include "NumericKeypad.h"
#include "ResendButton.h"
#include "SuccessPage.h"
#include "Toast.h"
#include "UiFixture.h"
#include "VerifyPage.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {
constexpr auto Number = "9876543210";
const QString International = QStringLiteral("+91 98765 43210");
} // namespace

class tst_VerificationDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void signUpCreatesTheAccount();
    void signInWelcomesBack();
    void signInWithoutAccountOffersSignUp();
    void signUpWithAccountOffersSignIn();
    void accountStoreDown();
    void enterSendsAndBusyState();
    void sendErrors_data();
    void sendErrors();
    void notWhatsAppOffersSms();
    void wrongCode();
    void tooManyAttempts();
    void expiresByTheClock();
    void expiredByTheEngine();
    void countdownTicksOnlyWhileVisible();
    void resendCooldownAndNewCode();
    void resendTooSoonIsRefused();
    void editNumberCancelsTheCode();
    void backToTheSameNumberCoolsDown();
    void closingCancelsTheCode();
    void deliveryTicks();
    void failedDeliveryOffersSms();
    void failedDeliveryWithoutSms();
    void pastedCodeIsClearedFromTheClipboard();
    void typedCodeLeavesTheClipboard();
    void pasteWithoutCodeHints();
    void demoToastAndBadge();
    void noCodeOutsideDemoMode();
    void demoFallbackBanner();
    void codeSentToast();
    void initialOptions();
    void sendCodeSlotIgnoresInvalidNumbers();
    void resetStartsOver();
    void kioskKeypadAndEscape();
    void pagesAreBuiltWhenNeeded();

private:
    std::unique_ptr<UiFixture> m_f;
};

void tst_VerificationDialog::init()
{
    QGuiApplication::clipboard()->clear();
    m_f = std::make_unique<UiFixture>();
    m_f->dialog->show();
    QVERIFY(QTest::qWaitForWindowActive(m_f->dialog.get()));
}

void tst_VerificationDialog::cleanup()
{
    m_f.reset();
}

void tst_VerificationDialog::signUpCreatesTheAccount()
{
    UiFixture &f = *m_f;
    QSignalSpy verified(f.dialog.get(), &VerificationDialog::verified);
    QSignalSpy accepted(f.dialog.get(), &QDialog::accepted);
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QCOMPARE(f.sender.sent.size(), 1);
    QCOMPARE(f.sender.sent.last().purpose, Purpose::SignUp);
    QCOMPARE(f.sender.sent.last().channel, Channel::WhatsApp);
    QCOMPARE(f.verifyPage()->instructionLabel()->accessibleName(),
             QStringLiteral("Enter the 6-digit code we sent to %1 on WhatsApp").arg(International));
    QCOMPARE(QApplication::focusWidget(), f.codeInput()->box(0));

    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    QCOMPARE(f.dialog->successPage()->title(), QStringLiteral("Account created"));
    QCOMPARE(verified.size(), 1);
    QCOMPARE(verified.at(0).at(0).value<PhoneNumber>().e164(), QStringLiteral("+919876543210"));
    QCOMPARE(verified.at(0).at(1).value<Purpose>(), Purpose::SignUp);
    QCOMPARE(verified.at(0).at(2).toBool(), true);
    QTRY_COMPARE(accepted.size(), 1);
    QCOMPARE(f.dialog->result(), int(QDialog::Accepted));
    QCOMPARE(f.dialog->verifiedNumber().international(), International);
    QVERIFY(f.dialog->accountCreated());
    QCOMPARE(f.dialog->flow(), Purpose::SignUp);
    QCOMPARE(f.accounts.isRegistered(f.dialog->verifiedNumber()), std::optional<bool>(true));
    QCOMPARE(f.store.activeCodes(), 0u); // single use
}

void tst_VerificationDialog::signInWelcomesBack()
{
    UiFixture &f = *m_f;
    f.accounts.createAccount(number(u"9876543210"));
    QSignalSpy verified(f.dialog.get(), &VerificationDialog::verified);
    QTest::mouseClick(f.phonePage()->flowButton(Purpose::SignIn), Qt::LeftButton);
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QCOMPARE(f.sender.sent.last().purpose, Purpose::SignIn);
    f.typeCode(f.lastCode());
    QTRY_COMPARE(verified.size(), 1);
    QCOMPARE(f.dialog->successPage()->title(), QStringLiteral("Welcome back"));
    QCOMPARE(verified.at(0).at(1).value<Purpose>(), Purpose::SignIn);
    QCOMPARE(verified.at(0).at(2).toBool(), false);
    QVERIFY(!f.dialog->accountCreated());
    QCOMPARE(f.dialog->flow(), Purpose::SignIn);
}

void tst_VerificationDialog::signInWithoutAccountOffersSignUp()
{
    UiFixture &f = *m_f;
    QSignalSpy announced(f.dialog->announcer(), &Announcer::announced);
    f.phonePage()->setFlow(Purpose::SignIn);
    QTest::keyClicks(f.phonePage()->phoneEdit(), QLatin1String(Number));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
    QCOMPARE(f.phonePage()->messageText(),
             QStringLiteral("There's no account for %1 yet.").arg(International));
    QVERIFY(f.sender.sent.isEmpty()); // nothing was sent
    QCOMPARE(announced.size(), 1);
    QVERIFY(f.phonePage()->switchFlowButton()->isVisible());
    QCOMPARE(f.phonePage()->switchFlowButton()->text(), QStringLiteral("Sign up instead"));

    QTest::mouseClick(f.phonePage()->switchFlowButton(), Qt::LeftButton);
    QCOMPARE(f.phonePage()->flow(), Purpose::SignUp);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    QCOMPARE(f.sender.sent.size(), 1);
    QCOMPARE(f.sender.sent.last().purpose, Purpose::SignUp);
}

void tst_VerificationDialog::signUpWithAccountOffersSignIn()
{
    UiFixture &f = *m_f;
    f.accounts.createAccount(number(u"9876543210"));
    QTest::keyClicks(f.phonePage()->phoneEdit(), QLatin1String(Number));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QCOMPARE(f.phonePage()->messageText(),
             QStringLiteral("%1 already has an account.").arg(International));
    QVERIFY(f.sender.sent.isEmpty());
    QCOMPARE(f.phonePage()->switchFlowButton()->text(), QStringLiteral("Sign in instead"));
    QTest::mouseClick(f.phonePage()->switchFlowButton(), Qt::LeftButton);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    QCOMPARE(f.sender.sent.last().purpose, Purpose::SignIn);
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->successPage()->title(), QStringLiteral("Welcome back"));
}

namespace {
class BrokenAccounts final : public AccountStore
{
public:
    std::optional<bool> isRegistered(const PhoneNumber &) const override { return std::nullopt; }
    Result createAccount(const PhoneNumber &) override { return Result::StorageError; }
    Result recordSignIn(const PhoneNumber &) override { return Result::StorageError; }
};
} // namespace

void tst_VerificationDialog::accountStoreDown()
{
    UiFixture &f = *m_f;
    BrokenAccounts broken;
    VerificationDialog dialog(*f.engine, broken, f.clock, {});
    dialog.show();
    QTest::keyClicks(dialog.phonePage()->phoneEdit(), QLatin1String(Number));
    QTest::mouseClick(dialog.phonePage()->sendButton(), Qt::LeftButton);
    QCOMPARE(dialog.phonePage()->messageText(),
             QStringLiteral("Your account can't be checked right now. Try again in a moment."));
    QVERIFY(f.sender.sent.isEmpty()); // fail closed
}

void tst_VerificationDialog::enterSendsAndBusyState()
{
    UiFixture &f = *m_f;
    QTest::keyClicks(f.phonePage()->phoneEdit(), QLatin1String(Number));
    QTest::keyClick(f.phonePage()->phoneEdit(), Qt::Key_Return);
    // The send is on its way: busy until the engine answers from the event loop.
    QVERIFY(f.phonePage()->isBusy());
    QVERIFY(!f.phonePage()->sendButton()->isEnabled());
    QCOMPARE(f.phonePage()->sendButton()->text(), QStringLiteral("Sending…"));
    QTest::keyClick(f.phonePage()->phoneEdit(), Qt::Key_Return); // impatient: nothing more
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    QCOMPARE(f.sender.sent.size(), 1);
    QVERIFY(!f.phonePage()->isBusy());
}

void tst_VerificationDialog::sendErrors_data()
{
    QTest::addColumn<SendError>("error");
    QTest::addColumn<int>("retryAfter");
    QTest::addColumn<QString>("message");
    QTest::newRow("network") << SendError::Network << 0
                             << QStringLiteral("No connection. Check your internet and try again.");
    QTest::newRow("not whatsapp") << SendError::NotWhatsAppUser << 0
                                  << QStringLiteral("This number can't receive WhatsApp messages.");
    QTest::newRow("misconfigured")
        << SendError::Misconfigured << 0
        << QStringLiteral("Service misconfigured. Please contact support.");
    QTest::newRow("rate limited") << SendError::RateLimited << 42
                                  << QStringLiteral("Too many requests. Try again in 0:42.");
    QTest::newRow("invalid number")
        << SendError::InvalidNumber << 0
        << QStringLiteral("This isn't a valid phone number. Check it and try again.");
    QTest::newRow("opted out") << SendError::OptedOut << 0
                               << QStringLiteral("This number has opted out of our messages.");
    QTest::newRow("server")
        << SendError::Server << 0
        << QStringLiteral("The messaging service isn't responding. Try again in a moment.");
    QTest::newRow("timeout") << SendError::Timeout << 0
                             << QStringLiteral(
                                    "WhatsApp didn't answer in time. Try again in a moment.");
    QTest::newRow("region") << SendError::RegionNotEnabled << 0
                            << QStringLiteral("We can't send codes to this country yet.");
}

void tst_VerificationDialog::sendErrors()
{
    QFETCH(SendError, error);
    QFETCH(int, retryAfter);
    QFETCH(QString, message);
    UiFixture &f = *m_f;
    QSignalSpy announced(f.dialog->announcer(), &Announcer::announced);
    f.sender.nextResult.error = error;
    f.sender.nextResult.retryAfter = std::chrono::seconds(retryAfter);
    QTest::keyClicks(f.phonePage()->phoneEdit(), QLatin1String(Number));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QTRY_VERIFY(!f.phonePage()->isBusy());
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
    QCOMPARE(f.phonePage()->messageText(), message);
    QVERIFY(f.phonePage()->sendButton()->isEnabled()); // try again
    QVERIFY(!f.phonePage()->smsButton()->isVisible()); // no SMS configured
    QVERIFY(announced.size() >= 1);
    QCOMPARE(announced.last().at(0).toString(), message);
}

void tst_VerificationDialog::notWhatsAppOffersSms()
{
    DialogOptions options;
    options.smsFallbackAvailable = true;
    m_f->makeDialog(options);
    UiFixture &f = *m_f;
    f.dialog->show();
    f.sender.nextResult.error = SendError::NotWhatsAppUser;
    QTest::keyClicks(f.phonePage()->phoneEdit(), QLatin1String(Number));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QTRY_VERIFY(f.phonePage()->smsButton()->isVisible());
    f.sender.nextResult = {};
    QTest::mouseClick(f.phonePage()->smsButton(), Qt::LeftButton);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    QCOMPARE(f.sender.sent.last().channel, Channel::Sms);
    QCOMPARE(f.verifyPage()->instructionLabel()->accessibleName(),
             QStringLiteral("Enter the 6-digit code we sent to %1 by SMS").arg(International));
}

void tst_VerificationDialog::wrongCode()
{
    UiFixture &f = *m_f;
    QSignalSpy announced(f.dialog->announcer(), &Announcer::announced);
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QVERIFY(f.enterCode(f.wrongCode()));
    QCOMPARE(f.verifyPage()->messageText(), QStringLiteral("Wrong code — 4 attempts left"));
    QCOMPARE(f.codeInput()->code(), QString()); // cleared
    QVERIFY(f.codeInput()->hasError()); // red
    QCOMPARE(QApplication::focusWidget(), f.codeInput()->box(0));
    QCOMPARE(announced.last().at(0).toString(), QStringLiteral("Wrong code — 4 attempts left"));

    QVERIFY(f.enterCode(f.wrongCode()));
    QCOMPARE(f.verifyPage()->messageText(), QStringLiteral("Wrong code — 3 attempts left"));
    // The next digit starts over: no red, no stale message.
    f.typeCode(QStringLiteral("1"));
    QVERIFY(!f.codeInput()->hasError());
    QCOMPARE(f.verifyPage()->messageText(), QString());
    f.codeInput()->clear();

    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
}

void tst_VerificationDialog::tooManyAttempts()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    for (int i = 0; i < 4; ++i)
        QVERIFY(f.enterCode(f.wrongCode()));
    QCOMPARE(f.verifyPage()->messageText(), QStringLiteral("Wrong code — 1 attempt left"));
    QVERIFY(f.enterCode(f.wrongCode()));
    QCOMPARE(f.verifyPage()->messageText(),
             QStringLiteral("Too many attempts. Request a new code."));
    QVERIFY(f.verifyPage()->isCodeDead());
    QVERIFY(!f.codeInput()->isEnabled());
    QVERIFY(!f.verifyPage()->expiryLabel()->isVisible());
    // The right code no longer helps; a new one does.
    f.typeCode(f.lastCode());
    QCOMPARE(f.codeInput()->code(), QString());
    f.clock.advance(30s);
    f.verifyPage()->tick();
    QVERIFY(f.verifyPage()->resendButton()->isEnabled());
    QTest::mouseClick(f.verifyPage()->resendButton(), Qt::LeftButton);
    QTRY_COMPARE(f.sender.sent.size(), 2);
    QTRY_VERIFY(f.codeInput()->isEnabled());
    QCOMPARE(f.verifyPage()->messageText(), QString());
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
}

void tst_VerificationDialog::expiresByTheClock()
{
    UiFixture &f = *m_f;
    QSignalSpy announced(f.dialog->announcer(), &Announcer::announced);
    QVERIFY(f.sendTo(QLatin1String(Number)));
    f.typeCode(QStringLiteral("12"));
    f.clock.advance(5min);
    f.verifyPage()->tick();
    QCOMPARE(f.verifyPage()->messageText(), QStringLiteral("Code expired"));
    QVERIFY(!f.codeInput()->isEnabled());
    QVERIFY(f.verifyPage()->isCodeDead());
    // Resend is the obvious next step: enabled and focused.
    QVERIFY(f.verifyPage()->resendButton()->isEnabled());
    QCOMPARE(QApplication::focusWidget(), f.verifyPage()->resendButton());
    QCOMPARE(announced.last().at(0).toString(), QStringLiteral("Code expired"));
    QVERIFY(!f.verifyPage()->isTicking()); // nothing left to count
}

void tst_VerificationDialog::expiredByTheEngine()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    f.clock.advance(5min + 1s); // no tick yet: the engine notices first
    QVERIFY(f.enterCode(f.lastCode()));
    QCOMPARE(f.verifyPage()->messageText(), QStringLiteral("Code expired"));
    QVERIFY(!f.codeInput()->isEnabled());
}

void tst_VerificationDialog::countdownTicksOnlyWhileVisible()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    ExpiryLabel *expiry = f.verifyPage()->expiryLabel();
    QCOMPARE(expiry->text(), QStringLiteral("Code expires in 5:00"));
    QVERIFY(f.verifyPage()->isTicking());
    QCOMPARE(f.verifyPage()->nextTickIn(), std::optional(std::chrono::milliseconds(1000)));

    f.clock.advance(1s);
    f.verifyPage()->tick();
    QCOMPARE(expiry->text(), QStringLiteral("Code expires in 4:59"));
    QCOMPARE(f.verifyPage()->resendButton()->displayText(), QStringLiteral("Resend code in 0:29"));

    // Half a second later the timer wakes exactly when the shown second changes.
    f.clock.advance(500ms);
    f.verifyPage()->tick();
    QCOMPARE(expiry->text(), QStringLiteral("Code expires in 4:59"));
    QCOMPARE(f.verifyPage()->nextTickIn(), std::optional(std::chrono::milliseconds(500)));

    f.clock.advance(2min + 28s + 500ms);
    f.verifyPage()->tick();
    QCOMPARE(expiry->text(), QStringLiteral("Code expires in 2:30"));
    QCOMPARE(f.verifyPage()->resendButton()->displayText(), QStringLiteral("Resend code"));

    // Hidden: no timer at all.
    f.dialog->hide();
    QVERIFY(!f.verifyPage()->isTicking());
    f.clock.advance(30s);
    f.dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.dialog.get()));
    QCOMPARE(expiry->text(), QStringLiteral("Code expires in 2:00")); // caught up at once
    QVERIFY(f.verifyPage()->isTicking());

    // Leaving the page stops it too.
    QTest::mouseClick(f.verifyPage()->editNumberButton(), Qt::LeftButton);
    QVERIFY(!f.verifyPage()->isTicking());
}

void tst_VerificationDialog::resendCooldownAndNewCode()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    const QString first = f.lastCode();
    ResendButton *resend = f.verifyPage()->resendButton();
    QCOMPARE(resend->displayText(), QStringLiteral("Resend code in 0:30"));
    QVERIFY(!resend->isEnabled());
    f.clock.advance(30s);
    f.verifyPage()->tick();
    QCOMPARE(resend->displayText(), QStringLiteral("Resend code"));
    QVERIFY(resend->isEnabled());

    f.typeCode(QStringLiteral("12"));
    QTest::mouseClick(resend, Qt::LeftButton);
    QCOMPARE(resend->displayText(), QStringLiteral("Sending…"));
    QTRY_COMPARE(f.sender.sent.size(), 2);
    QTRY_VERIFY(!resend->isBusy());
    // The next cooldown is longer; the boxes start empty; the countdown starts again.
    QCOMPARE(resend->displayText(), QStringLiteral("Resend code in 1:00"));
    QCOMPARE(f.codeInput()->code(), QString());
    QCOMPARE(f.verifyPage()->expiryLabel()->text(), QStringLiteral("Code expires in 5:00"));
    QCOMPARE(f.dialog->toast()->text(), QStringLiteral("New code sent on WhatsApp"));

    f.clock.advance(1min);
    f.verifyPage()->tick();
    QTest::mouseClick(resend, Qt::LeftButton);
    QTRY_COMPARE(f.sender.sent.size(), 3);
    QTRY_COMPARE(resend->displayText(), QStringLiteral("Resend code in 2:00"));

    // Only the newest code works.
    if (first != f.lastCode()) {
        QVERIFY(f.enterCode(first));
        QVERIFY(f.verifyPage()->messageText().startsWith(QLatin1String("Wrong code")));
    }
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
}

void tst_VerificationDialog::resendTooSoonIsRefused()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    // A click that races the cooldown (the button was enabled a moment early).
    f.verifyPage()->resendButton()->setNextSendAt(f.clock.now(), f.clock.now());
    f.clock.advance(18s);
    QTest::mouseClick(f.verifyPage()->resendButton(), Qt::LeftButton);
    QTRY_COMPARE(f.verifyPage()->messageText(), QStringLiteral("Try again in 0:12"));
    QCOMPARE(f.verifyPage()->resendButton()->displayText(), QStringLiteral("Resend code in 0:12"));
    QCOMPARE(f.sender.sent.size(), 1);
}

void tst_VerificationDialog::editNumberCancelsTheCode()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QCOMPARE(f.store.activeCodes(), 1u);
    QTest::mouseClick(f.verifyPage()->editNumberButton(), Qt::LeftButton);
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
    QCOMPARE(f.phonePage()->phoneText(), QStringLiteral("98765 43210")); // kept for editing
    QCOMPARE(QApplication::focusWidget(), f.phonePage()->phoneEdit());
    QCOMPARE(f.store.activeCodes(), 0u); // cancelled in the engine

    // Another number works straight away.
    QVERIFY(f.sendTo(QStringLiteral("9123456789")));
    QCOMPARE(f.sender.sent.last().to.e164(), QStringLiteral("+919123456789"));
}

void tst_VerificationDialog::backToTheSameNumberCoolsDown()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QTest::mouseClick(f.verifyPage()->editNumberButton(), Qt::LeftButton);
    f.clock.advance(10s);
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QTRY_VERIFY(!f.phonePage()->isBusy());
    QCOMPARE(f.phonePage()->messageText(), QStringLiteral("Try again in 0:20"));
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
}

void tst_VerificationDialog::closingCancelsTheCode()
{
    UiFixture &f = *m_f;
    QSignalSpy rejected(f.dialog.get(), &QDialog::rejected);
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QTest::keyClick(f.codeInput()->box(0), Qt::Key_Escape);
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(f.store.activeCodes(), 0u);

    // Closed while the send is still on its way.
    f.makeDialog({});
    f.dialog->show();
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("9123456789"));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QVERIFY(f.phonePage()->isBusy());
    f.dialog->reject();
    QCOMPARE(f.store.activeCodes(), 1u);
    QTRY_COMPARE(f.store.activeCodes(), 0u);
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
}

void tst_VerificationDialog::deliveryTicks()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QLabel *ticks = f.verifyPage()->deliveryLabel();
    FakeSender::Job *job = f.sender.jobs.last();
    const struct
    {
        DeliveryStatus status;
        QString text;
        QString look;
    } steps[] = {
        {DeliveryStatus::Queued, QStringLiteral("\u25F7 Sending"), QStringLiteral("pending")},
        {DeliveryStatus::Sent, QStringLiteral("\u2713 Sent"), QStringLiteral("pending")},
        {DeliveryStatus::Delivered, QStringLiteral("\u2713\u2713 Delivered"),
         QStringLiteral("pending")},
        {DeliveryStatus::Read, QStringLiteral("\u2713\u2713 Read"), QStringLiteral("read")},
    };
    for (const auto &step : steps) {
        job->updateDeliveryStatus(step.status);
        QTRY_COMPARE(ticks->text(), step.text);
        QCOMPARE(ticks->property("status").toString(), step.look); // blue when read
    }
    QCOMPARE(ticks->accessibleName(), QStringLiteral("Message status: Read"));
    QVERIFY(!f.verifyPage()->smsButton()->isVisible());
}

void tst_VerificationDialog::failedDeliveryOffersSms()
{
    DialogOptions options;
    options.smsFallbackAvailable = true;
    m_f->makeDialog(options);
    UiFixture &f = *m_f;
    f.dialog->show();
    QSignalSpy announced(f.dialog->announcer(), &Announcer::announced);
    QVERIFY(f.sendTo(QLatin1String(Number)));
    f.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Undelivered, 63024);
    QTRY_VERIFY(f.verifyPage()->smsButton()->isVisible());
    QCOMPARE(f.verifyPage()->deliveryLabel()->text(), QStringLiteral("\u2715 Not delivered"));
    QCOMPARE(f.verifyPage()->messageText(),
             QStringLiteral("The code wasn't delivered on WhatsApp. Resend it, or get it by SMS."));
    QCOMPARE(announced.last().at(0).toString(), f.verifyPage()->messageText());
    QVERIFY(f.verifyPage()->resendButton()->isEnabled()); // the cooldown is waived

    QTest::mouseClick(f.verifyPage()->smsButton(), Qt::LeftButton);
    QTRY_COMPARE(f.sender.sent.size(), 2);
    QCOMPARE(f.sender.sent.last().channel, Channel::Sms);
    QTRY_COMPARE(f.verifyPage()->channel(), Channel::Sms);
    QVERIFY(!f.verifyPage()->smsButton()->isVisible());
    QCOMPARE(f.dialog->toast()->text(), QStringLiteral("New code sent by SMS"));
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
}

void tst_VerificationDialog::failedDeliveryWithoutSms()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    f.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Failed, 63003);
    QTRY_COMPARE(
        f.verifyPage()->messageText(),
        QStringLiteral("The code wasn't delivered. Check the number, or resend the code."));
    QVERIFY(!f.verifyPage()->smsButton()->isVisible());
}

void tst_VerificationDialog::pastedCodeIsClearedFromTheClipboard()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QGuiApplication::clipboard()->setText(
        QStringLiteral("Your code is %1. Do not share it.").arg(f.lastCode()));
    QTest::keyClick(f.codeInput()->box(0), Qt::Key_V, Qt::ControlModifier);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    QCOMPARE(QGuiApplication::clipboard()->text(), QString());
}

void tst_VerificationDialog::typedCodeLeavesTheClipboard()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QGuiApplication::clipboard()->setText(f.lastCode()); // copied, but typed by hand
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    QCOMPARE(QGuiApplication::clipboard()->text(), f.lastCode());
}

void tst_VerificationDialog::pasteWithoutCodeHints()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QGuiApplication::clipboard()->setText(QStringLiteral("see you at 5"));
    QTest::keyClick(f.codeInput()->box(0), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(f.verifyPage()->messageText(), QStringLiteral("No 6-digit code in the pasted text"));
    QCOMPARE(f.codeInput()->code(), QString());
}

void tst_VerificationDialog::demoToastAndBadge()
{
    DialogOptions options;
    options.demoMode = true;
    m_f->makeDialog(options);
    UiFixture &f = *m_f;
    f.dialog->show();
    QLabel *badge = f.dialog->findChild<QLabel *>(QStringLiteral("demoBadge"));
    QVERIFY(badge && badge->isVisible());
    QSignalSpy announced(f.dialog->announcer(), &Announcer::announced);
    QVERIFY(f.sendTo(QLatin1String(Number)));
    f.dialog->showDemoCode(f.sender.sent.last().to, QStringLiteral("123456"));
    QCOMPARE(f.dialog->toast()->text(), QStringLiteral("Demo code: 123456"));
    QVERIFY(f.dialog->toast()->isVisible());
    QCOMPARE(announced.last().at(0).toString(), QStringLiteral("Demo code: 123456"));
    // In a window no larger than its contents the toast covers no control.
    f.dialog->resize(f.dialog->minimumSizeHint());
    QTest::qWait(0);
    const QRect toast = f.dialog->toast()->geometry();
    for (QWidget *control : f.verifyPage()->findChildren<QWidget *>()) {
        if (!control->isVisible() || control->focusPolicy() == Qt::NoFocus)
            continue;
        const QRect where(control->mapTo(f.dialog.get(), QPoint()), control->size());
        QVERIFY2(!where.intersects(toast), qPrintable(control->objectName()));
    }
    // "Code sent" never hides a demo code...
    f.dialog->toast()->showMessage(QStringLiteral("Code sent on WhatsApp"));
    QCOMPARE(f.dialog->toast()->text(), QStringLiteral("Demo code: 123456"));
    // ...and the toast goes away by itself, without blocking anything meanwhile.
    QVERIFY(f.dialog->toast()->testAttribute(Qt::WA_TransparentForMouseEvents));
    QVERIFY(f.dialog->toast()->dismissTimer()->isActive());
    f.dialog->toast()->dismissTimer()->start(0); // its time is up
    QTRY_VERIFY(!f.dialog->toast()->isVisible());
    QVERIFY(badge->isVisible()); // the badge stays
    QVERIFY(!f.dialog->toast()->dismissTimer()->isActive());
}

void tst_VerificationDialog::noCodeOutsideDemoMode()
{
    UiFixture &f = *m_f;
    QLabel *badge = f.dialog->findChild<QLabel *>(QStringLiteral("demoBadge"));
    QVERIFY(badge && !badge->isVisible());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("outside demo mode")));
    f.dialog->showDemoCode(number(u"9876543210"), QStringLiteral("123456"));
    QVERIFY(!f.dialog->toast()->text().contains(QLatin1String("123456")));
}

void tst_VerificationDialog::demoFallbackBanner()
{
    UiFixture &f = *m_f;
    QLabel *banner = f.dialog->findChild<QLabel *>(QStringLiteral("fallbackBanner"));
    QVERIFY(banner && !banner->isVisible());
    f.dialog->showDemoFallbackNotice();
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(QLatin1String("Demo fallback")));
}

void tst_VerificationDialog::codeSentToast()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QCOMPARE(f.dialog->toast()->text(), QStringLiteral("Code sent on WhatsApp"));
}

void tst_VerificationDialog::initialOptions()
{
    DialogOptions options;
    options.initialFlow = Purpose::SignIn;
    options.initialPhone = QStringLiteral("+1 415 555 2671");
    options.defaultRegion = QStringLiteral("GB");
    options.locale = QStringLiteral("pt-BR");
    m_f->makeDialog(options);
    UiFixture &f = *m_f;
    f.dialog->show();
    QCOMPARE(f.phonePage()->flow(), Purpose::SignIn);
    QVERIFY(f.phonePage()->flowButton(Purpose::SignIn)->isChecked());
    QCOMPARE(f.phonePage()->phoneText(), QStringLiteral("+1 415-555-2671"));
    QCOMPARE(f.phonePage()->region(), QStringLiteral("US"));
    f.accounts.createAccount(*f.phonePage()->number());
    f.dialog->sendCode(); // what the app does for a valid --phone
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    QCOMPARE(f.sender.sent.last().locale, QStringLiteral("pt-BR"));
    QCOMPARE(f.sender.sent.last().purpose, Purpose::SignIn);
}

void tst_VerificationDialog::sendCodeSlotIgnoresInvalidNumbers()
{
    UiFixture &f = *m_f;
    f.dialog->sendCode(); // empty
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("98765"));
    f.dialog->sendCode(); // too short
    QCoreApplication::processEvents();
    QVERIFY(f.sender.sent.isEmpty());
    QVERIFY(!f.phonePage()->isBusy());
}

void tst_VerificationDialog::resetStartsOver()
{
    UiFixture &f = *m_f;
    f.phonePage()->setFlow(Purpose::SignIn);
    f.phonePage()->setRegion(QStringLiteral("US"));
    f.phonePage()->setFlow(Purpose::SignUp);
    f.phonePage()->setRegion(QStringLiteral("IN"));
    QVERIFY(f.sendTo(QLatin1String(Number)));
    f.typeCode(QStringLiteral("123"));
    f.dialog->reset();
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
    QCOMPARE(f.phonePage()->phoneText(), QString());
    QCOMPARE(f.phonePage()->flow(), Purpose::SignUp);
    QCOMPARE(f.phonePage()->region(), QStringLiteral("IN"));
    QCOMPARE(f.codeInput()->code(), QString());
    QCOMPARE(f.store.activeCodes(), 0u);
    QVERIFY(!f.verifyPage()->isTicking());
    QVERIFY(!f.phonePage()->sendButton()->isEnabled());

    // A send still on its way when the kiosk resets leaves no live code behind.
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("9123456789"));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QVERIFY(f.phonePage()->isBusy());
    f.dialog->reset();
    QCOMPARE(f.sender.sent.size(), 2);
    QCOMPARE(f.store.activeCodes(), 1u); // issued; the answer has not come back yet
    QTRY_COMPARE(f.store.activeCodes(), 0u);
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
    QVERIFY(!f.phonePage()->isBusy());
}

void tst_VerificationDialog::kioskKeypadAndEscape()
{
    DialogOptions options;
    options.kiosk = true;
    m_f->makeDialog(options);
    UiFixture &f = *m_f;
    f.dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.dialog.get()));
    NumericKeypad *keypad = f.dialog->keypad();
    QVERIFY(keypad && keypad->isVisible());
    auto key = [keypad](QChar c) {
        auto *button = keypad->findChild<QAbstractButton *>(QStringLiteral("keypadKey%1").arg(c));
        QVERIFY(button);
        QVERIFY(button->width() >= NumericKeypad::MinimumKeySize);
        QVERIFY(button->height() >= NumericKeypad::MinimumKeySize);
        QCOMPARE(button->focusPolicy(), Qt::NoFocus);
        QTest::mouseClick(button, Qt::LeftButton);
    };
    for (const QChar c : QString::fromLatin1(Number))
        key(c);
    QCOMPARE(f.phonePage()->phoneText(), QStringLiteral("98765 43210"));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    for (const QChar c : f.lastCode().left(5))
        key(c);
    QTest::mouseClick(keypad->findChild<QAbstractButton *>(QStringLiteral("keypadBackspace")),
                      Qt::LeftButton);
    QCOMPARE(f.codeInput()->code(), f.lastCode().left(4));
    // Escape on a kiosk starts over instead of closing.
    QTest::keyClick(f.codeInput()->box(0), Qt::Key_Escape);
    QVERIFY(f.dialog->isVisible());
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
    QCOMPARE(f.store.activeCodes(), 0u);
}

QTEST_MAIN(tst_VerificationDialog)
void tst_VerificationDialog::pagesAreBuiltWhenNeeded()
{
    // Without the fixture's makeDialog(), which asks for the code page at once.
    UiFixture &f = *m_f;
    f.dialog.reset();
    VerificationDialog dialog(*f.engine, f.accounts, f.clock, DialogOptions {});
    dialog.setSuccessDelay(1h);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    // The window opens with the phone page only.
    QVERIFY(!dialog.findChild<VerifyPage *>());
    QVERIFY(!dialog.findChild<SuccessPage *>());
    QCOMPARE(QApplication::focusWidget(), dialog.phonePage()->phoneEdit());

    // Asking for a code builds the code page (hidden) while the request is on its way; the
    // focus stays where it was.
    QTest::keyClicks(dialog.phonePage()->phoneEdit(), QLatin1String(Number));
    dialog.sendCode(); // the answer comes from the event loop
    VerifyPage *verifyPage = dialog.findChild<VerifyPage *>();
    QVERIFY(verifyPage);
    QVERIFY(!verifyPage->isVisible());
    QCOMPARE(QApplication::focusWidget(), dialog.phonePage()->phoneEdit());
    // The role fonts apply as to the pages built with the window.
    const auto *codeTitle = verifyPage->findChild<QLabel *>(QStringLiteral("verifyTitleLabel"));
    const auto *phoneTitle =
        dialog.phonePage()->findChild<QLabel *>(QStringLiteral("phoneTitleLabel"));
    QVERIFY(codeTitle && phoneTitle);
    QCOMPARE(codeTitle->font().pointSizeF(), phoneTitle->font().pointSizeF());
    QVERIFY(codeTitle->font().pointSizeF() > dialog.font().pointSizeF());
    QVERIFY(codeTitle->font().bold());
    QTRY_COMPARE(dialog.currentPage(), static_cast<QWidget *>(verifyPage));
    QCOMPARE(QApplication::focusWidget(), verifyPage->codeInput()->box(0));
    QVERIFY(!dialog.findChild<SuccessPage *>());

    // Checking a code builds the success page; the right code shows it.
    OtpCodeInput *input = verifyPage->codeInput();
    for (const QChar c : f.lastCode())
        QTest::keyClick(input->box(input->currentIndex()), c.toLatin1());
    QTRY_COMPARE(dialog.currentPage(), static_cast<QWidget *>(dialog.successPage()));
    QCOMPARE(dialog.findChildren<VerifyPage *>().size(), 1);
    QCOMPARE(dialog.findChildren<SuccessPage *>().size(), 1);
}

#include "tst_verificationdialog.moc"
