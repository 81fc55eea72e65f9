// The verification dialog against a real engine and store, a fake sender and a fake clock: its
// pages, and the ways between them from opening to starting over.
#include "Announcer.h"
#include "DialogTest.h"
#include "EngineSpy.h"
#include "NumericKeypad.h"
#include "SuccessPage.h"
#include "VerifyPage.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_DialogPages : public DialogTest
{
    Q_OBJECT
private Q_SLOTS:
    void signUpCreatesTheAccount();
    void signInWelcomesBack();
    void signInWithoutAccountOffersSignUp();
    void signUpWithAccountOffersSignIn();
    void enterSendsAndBusyState();
    void editNumberCancelsTheCode();
    void closingCancelsTheCode();
    void initialOptions();
    void sendCodeSlotIgnoresInvalidNumbers();
    void resetStartsOver();
    void kioskKeypadAndEscape();
    void pagesAreBuiltWhenNeeded();
};

void tst_DialogPages::signUpCreatesTheAccount()
{
    UiFixture &f = *m_f;
    QSignalSpy verified(f.dialog.get(), &VerificationDialog::verified);
    QSignalSpy accepted(f.dialog.get(), &QDialog::accepted);
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QCOMPARE(f.sender.sent.size(), 1);
    QCOMPARE(f.sender.sent.last().purpose, Purpose::SignUp);
    QCOMPARE(f.sender.sent.last().channel, Channel::WhatsApp);
    QCOMPARE(f.verifyPage()->instructionLabel()->accessibleName(),
             QStringLiteral("Enter the 6-digit code we sent to %1 on WhatsApp").arg(InText));
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

void tst_DialogPages::signInWelcomesBack()
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

void tst_DialogPages::signInWithoutAccountOffersSignUp()
{
    UiFixture &f = *m_f;
    QSignalSpy announced(f.dialog->announcer(), &Announcer::announced);
    f.phonePage()->setFlow(Purpose::SignIn);
    QTest::keyClicks(f.phonePage()->phoneEdit(), QLatin1String(Number));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
    QCOMPARE(f.phonePage()->messageText(),
             QStringLiteral("There's no account for %1 yet.").arg(InText));
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

void tst_DialogPages::signUpWithAccountOffersSignIn()
{
    UiFixture &f = *m_f;
    f.accounts.createAccount(number(u"9876543210"));
    QTest::keyClicks(f.phonePage()->phoneEdit(), QLatin1String(Number));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QCOMPARE(f.phonePage()->messageText(),
             QStringLiteral("%1 already has an account.").arg(InText));
    QVERIFY(f.sender.sent.isEmpty());
    QCOMPARE(f.phonePage()->switchFlowButton()->text(), QStringLiteral("Sign in instead"));
    QTest::mouseClick(f.phonePage()->switchFlowButton(), Qt::LeftButton);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    QCOMPARE(f.sender.sent.last().purpose, Purpose::SignIn);
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->successPage()->title(), QStringLiteral("Welcome back"));
}

void tst_DialogPages::enterSendsAndBusyState()
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

void tst_DialogPages::editNumberCancelsTheCode()
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

void tst_DialogPages::closingCancelsTheCode()
{
    UiFixture &f = *m_f;
    QSignalSpy rejected(f.dialog.get(), &QDialog::rejected);
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QTest::keyClick(f.codeInput()->box(0), Qt::Key_Escape);
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(f.store.activeCodes(), 0u);

    // Closed while the send is still on its way.
    f.openDialog({});
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("9123456789"));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QVERIFY(f.phonePage()->isBusy());
    f.dialog->reject();
    QCOMPARE(f.store.activeCodes(), 1u);
    QTRY_COMPARE(f.store.activeCodes(), 0u);
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
}

void tst_DialogPages::initialOptions()
{
    DialogOptions options;
    options.initialFlow = Purpose::SignIn;
    options.initialPhone = QStringLiteral("+1 415 555 2671");
    options.defaultRegion = QStringLiteral("GB");
    options.locale = QStringLiteral("pt-BR");
    m_f->openDialog(options);
    UiFixture &f = *m_f;
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

void tst_DialogPages::sendCodeSlotIgnoresInvalidNumbers()
{
    UiFixture &f = *m_f;
    f.dialog->sendCode(); // empty
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("98765"));
    f.dialog->sendCode(); // too short
    QCoreApplication::processEvents();
    QVERIFY(f.sender.sent.isEmpty());
    QVERIFY(!f.phonePage()->isBusy());
}

void tst_DialogPages::resetStartsOver()
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

void tst_DialogPages::kioskKeypadAndEscape()
{
    DialogOptions options;
    options.kiosk = true;
    m_f->openDialog(options);
    UiFixture &f = *m_f;
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

void tst_DialogPages::pagesAreBuiltWhenNeeded()
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

QTEST_MAIN(tst_DialogPages)
#include "tst_dialogpages.moc"
