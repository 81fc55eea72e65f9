// End to end in demo mode, with the real engine, store and demo sender: type a number, send,
// read the code from the demo toast, type it, reach the success page.
#include "FakeClock.h"
#include "OtpCodeInput.h"
#include "PhoneEntryPage.h"
#include "SuccessPage.h"
#include "Toast.h"
#include "VerificationDialog.h"
#include "VerifyPage.h"
#include "engine/AccountStore.h"
#include "engine/DemoSender.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace std::chrono_literals;

class tst_DemoFlow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void signUpThenSignIn();
    void undeliveredScenario();
};

namespace {

struct Demo
{
    test::FakeClock clock; // moved on by hand between runs, past the resend cooldown
    MemoryCodeStore store;
    DemoSender sender;
    MemoryAccountStore accounts;
    OtpEngine engine {clock, store, CodeHasher(), sender};

    explicit Demo(DemoSender::Scenario scenario = DemoSender::Scenario::Read) : sender(scenario)
    {
        sender.setStepDelay(1ms);
    }
};

// Only what a person sees: the digits in the toast.
QString codeFromToast(const VerificationDialog &dialog)
{
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("Demo code: (\\d{6})")).match(dialog.toast()->text());
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

void tst_DemoFlow::signUpThenSignIn()
{
    Demo demo;
    for (const Purpose flow : {Purpose::SignUp, Purpose::SignIn}) {
        DialogOptions options;
        options.demoMode = true;
        options.initialFlow = flow;
        VerificationDialog dialog(demo.engine, demo.accounts, demo.clock, options);
        dialog.setSuccessDelay(0ms);
        QObject::connect(&demo.sender, &DemoSender::codeShown, &dialog,
                         &VerificationDialog::showDemoCode);
        QSignalSpy verified(&dialog, &VerificationDialog::verified);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));

        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("98765 43210"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QTRY_COMPARE(dialog.currentPage(), static_cast<QWidget *>(dialog.verifyPage()));
        QTRY_VERIFY(!codeFromToast(dialog).isEmpty());
        const QString code = codeFromToast(dialog);
        // The demo sender plays WhatsApp's delivery receipts: up to blue ticks.
        QTRY_COMPARE(dialog.verifyPage()->deliveryStatus(), DeliveryStatus::Read);

        for (const QChar digit : code)
            QTest::keyClick(QApplication::focusWidget(), digit.toLatin1());
        QTRY_COMPARE(dialog.currentPage(), static_cast<QWidget *>(dialog.successPage()));
        QCOMPARE(dialog.successPage()->title(),
                 flow == Purpose::SignUp ? QStringLiteral("Account created")
                                         : QStringLiteral("Welcome back"));
        QTRY_COMPARE(accepted.size(), 1);
        QCOMPARE(verified.size(), 1);
        QCOMPARE(dialog.verifiedNumber().e164(), QStringLiteral("+919876543210"));
        QCOMPARE(dialog.accountCreated(), flow == Purpose::SignUp);
        demo.clock.advance(1min);
    }
    QCOMPARE(demo.store.activeCodes(), 0u);
}

void tst_DemoFlow::undeliveredScenario()
{
    Demo demo(DemoSender::Scenario::Undelivered);
    DialogOptions options;
    options.demoMode = true;
    options.smsFallbackAvailable = true;
    VerificationDialog dialog(demo.engine, demo.accounts, demo.clock, options);
    dialog.setSuccessDelay(0ms);
    QObject::connect(&demo.sender, &DemoSender::codeShown, &dialog,
                     &VerificationDialog::showDemoCode);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QTest::keyClicks(dialog.phonePage()->phoneEdit(), QStringLiteral("9876543210"));
    QTest::mouseClick(dialog.phonePage()->sendButton(), Qt::LeftButton);
    QTRY_VERIFY(dialog.verifyPage()->smsButton()->isVisible());
    QTest::mouseClick(dialog.verifyPage()->smsButton(), Qt::LeftButton);
    QTRY_COMPARE(dialog.verifyPage()->channel(), Channel::Sms);
    // The toast now shows the new code (the old one no longer works).
    const QString code = codeFromToast(dialog);
    QVERIFY(!code.isEmpty());
    for (const QChar digit : code)
        QTest::keyClick(
            dialog.verifyPage()->codeInput()->box(dialog.verifyPage()->codeInput()->currentIndex()),
            digit.toLatin1());
    QTRY_COMPARE(dialog.currentPage(), static_cast<QWidget *>(dialog.successPage()));
}

QTEST_MAIN(tst_DemoFlow)
#include "tst_demoflow.moc"
