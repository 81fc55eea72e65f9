// The verification dialog against a real engine and store, a fake sender and a fake clock: what
// it says when a send fails, a code is wrong or a request comes too soon.
#include "Announcer.h"
#include "DialogTest.h"
#include "EngineSpy.h"
#include "ExpiryLabel.h"
#include "ResendButton.h"
#include "Toast.h"
#include "VerifyPage.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_DialogErrors : public DialogTest
{
    Q_OBJECT
private Q_SLOTS:
    void accountStoreDown();
    void sendErrors_data();
    void sendErrors();
    void notWhatsAppOffersSms();
    void wrongCode();
    void tooManyAttempts();
    void resendTooSoonIsRefused();
    void wrongCodesHoldTheResendBack();
    void wrongCodesStopTheChecks();
    void backToTheSameNumberCoolsDown();
    void pasteWithoutCodeHints();
    void noCodeOutsideDemoMode();
};

namespace {
class BrokenAccounts final : public AccountStore
{
public:
    std::optional<bool> isRegistered(const PhoneNumber &) const override { return std::nullopt; }
    Result createAccount(const PhoneNumber &) override { return Result::StorageError; }
    Result recordSignIn(const PhoneNumber &) override { return Result::StorageError; }
};
} // namespace

void tst_DialogErrors::accountStoreDown()
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

void tst_DialogErrors::sendErrors_data()
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

void tst_DialogErrors::sendErrors()
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

void tst_DialogErrors::notWhatsAppOffersSms()
{
    DialogOptions options;
    options.smsFallbackAvailable = true;
    m_f->openDialog(options);
    UiFixture &f = *m_f;
    f.sender.nextResult.error = SendError::NotWhatsAppUser;
    QTest::keyClicks(f.phonePage()->phoneEdit(), QLatin1String(Number));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QTRY_VERIFY(f.phonePage()->smsButton()->isVisible());
    f.sender.nextResult = {};
    QTest::mouseClick(f.phonePage()->smsButton(), Qt::LeftButton);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    QCOMPARE(f.sender.sent.last().channel, Channel::Sms);
    QCOMPARE(f.verifyPage()->instructionLabel()->accessibleName(),
             QStringLiteral("Enter the 6-digit code we sent to %1 by SMS").arg(InText));
}

void tst_DialogErrors::wrongCode()
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

void tst_DialogErrors::tooManyAttempts()
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
    // A server that says when a resend is allowed (Retry-After) holds the button until then.
    f.verifyPage()->showVerifyFailure({VerifyResult::Status::TooManyAttempts, 0, {}, 45s});
    QVERIFY(!f.verifyPage()->resendButton()->isEnabled());
    f.clock.advance(44s);
    f.verifyPage()->tick();
    QVERIFY(!f.verifyPage()->resendButton()->isEnabled());
    f.clock.advance(1s);
    f.verifyPage()->tick();
    QVERIFY(f.verifyPage()->resendButton()->isEnabled());
    QTest::mouseClick(f.verifyPage()->resendButton(), Qt::LeftButton);
    QTRY_COMPARE(f.sender.sent.size(), 2);
    QTRY_VERIFY(f.codeInput()->isEnabled());
    QCOMPARE(f.verifyPage()->messageText(), QString());
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
}

void tst_DialogErrors::resendTooSoonIsRefused()
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

// After ten wrong codes the next code waits longer than the resend cooldown: the button counts
// the whole wait down.
void tst_DialogErrors::wrongCodesHoldTheResendBack()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    for (int round = 0; round < 2; ++round) {
        f.clock.advance(round == 0 ? 0s : 10s);
        for (int i = 0; i < 5; ++i)
            QVERIFY(f.enterCode(f.wrongCode()));
        QVERIFY(f.verifyPage()->isCodeDead());
        f.clock.advance(round == 0 ? 30s : 50s); // the cooldown after one send, then two
        f.verifyPage()->tick();
        QVERIFY(f.verifyPage()->resendButton()->isEnabled());
        QTest::mouseClick(f.verifyPage()->resendButton(), Qt::LeftButton);
        if (round == 0)
            QTRY_VERIFY(f.sender.sent.size() == 2 && f.codeInput()->isEnabled());
    }
    // A minute after the latest wrong code, ten seconds from now.
    QTRY_COMPARE(f.verifyPage()->messageText(), QStringLiteral("Try again in 0:10"));
    QCOMPARE(f.verifyPage()->resendButton()->displayText(), QStringLiteral("Resend code in 0:10"));
    QVERIFY(!f.verifyPage()->resendButton()->isEnabled());
    QCOMPARE(f.sender.sent.size(), 2);
    f.clock.advance(10s);
    f.verifyPage()->tick();
    QTest::mouseClick(f.verifyPage()->resendButton(), Qt::LeftButton);
    QTRY_COMPARE(f.sender.sent.size(), 3);
}

// At the limit of wrong codes (two here) even the right code is not checked: the code is dead
// and the page says how long to wait.
void tst_DialogErrors::wrongCodesStopTheChecks()
{
    OtpPolicy policy;
    policy.maxFailures = 2;
    m_f = std::make_unique<UiFixture>(DialogOptions {}, policy);
    m_f->dialog->show();
    QVERIFY(QTest::qWaitForWindowActive(m_f->dialog.get()));
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QVERIFY(f.enterCode(f.wrongCode()));
    QVERIFY(f.enterCode(f.wrongCode()));
    f.clock.advance(1min);
    f.typeCode(f.lastCode());
    QTRY_VERIFY(f.verifyPage()->isCodeDead());
    QCOMPARE(f.verifyPage()->messageText(), QStringLiteral("Try again in 23:59:00"));
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
}

void tst_DialogErrors::backToTheSameNumberCoolsDown()
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

void tst_DialogErrors::pasteWithoutCodeHints()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QGuiApplication::clipboard()->setText(QStringLiteral("see you at 5"));
    QTest::keyClick(f.codeInput()->box(0), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(f.verifyPage()->messageText(), QStringLiteral("No 6-digit code in the pasted text"));
    QCOMPARE(f.codeInput()->code(), QString());
}

void tst_DialogErrors::noCodeOutsideDemoMode()
{
    UiFixture &f = *m_f;
    QLabel *badge = f.dialog->findChild<QLabel *>(QStringLiteral("demoBadge"));
    QVERIFY(badge && !badge->isVisible());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("outside demo mode")));
    f.dialog->showDemoCode(number(u"9876543210"), QStringLiteral("123456"));
    QVERIFY(!f.dialog->toast()->text().contains(QLatin1String("123456")));
}

QTEST_MAIN(tst_DialogErrors)
#include "tst_dialogerrors.moc"
