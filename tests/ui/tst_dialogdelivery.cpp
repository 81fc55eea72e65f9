// The verification dialog against a real engine and store, a fake sender and a fake clock: the
// code after it is sent: its delivery, expiry and resend, the notices, and the clipboard.
#include "Announcer.h"
#include "DialogTest.h"
#include "ExpiryLabel.h"
#include "ResendButton.h"
#include "SuccessPage.h"
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

class tst_DialogDelivery : public DialogTest
{
    Q_OBJECT
private Q_SLOTS:
    void expiresByTheClock();
    void expiredByTheEngine();
    void countdownTicksOnlyWhileVisible();
    void resendCooldownAndNewCode();
    void deliveryTicks();
    void failedDeliveryOffersSms();
    void failedDeliveryWithoutSms();
    void pastedCodeIsClearedFromTheClipboard();
    void typedCodeLeavesTheClipboard();
    void demoToastAndBadge();
    void codeSentToast();
};

void tst_DialogDelivery::expiresByTheClock()
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

void tst_DialogDelivery::expiredByTheEngine()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    f.clock.advance(5min + 1s); // no tick yet: the engine notices first
    QVERIFY(f.enterCode(f.lastCode()));
    QCOMPARE(f.verifyPage()->messageText(), QStringLiteral("Code expired"));
    QVERIFY(!f.codeInput()->isEnabled());
}

void tst_DialogDelivery::countdownTicksOnlyWhileVisible()
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

void tst_DialogDelivery::resendCooldownAndNewCode()
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

void tst_DialogDelivery::deliveryTicks()
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

void tst_DialogDelivery::failedDeliveryOffersSms()
{
    DialogOptions options;
    options.smsFallbackAvailable = true;
    m_f->openDialog(options);
    UiFixture &f = *m_f;
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

void tst_DialogDelivery::failedDeliveryWithoutSms()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    f.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Failed, 63003);
    QTRY_COMPARE(
        f.verifyPage()->messageText(),
        QStringLiteral("The code wasn't delivered. Check the number, or resend the code."));
    QVERIFY(!f.verifyPage()->smsButton()->isVisible());
}

void tst_DialogDelivery::pastedCodeIsClearedFromTheClipboard()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QGuiApplication::clipboard()->setText(
        QStringLiteral("Your code is %1. Do not share it.").arg(f.lastCode()));
    QTest::keyClick(f.codeInput()->box(0), Qt::Key_V, Qt::ControlModifier);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    QCOMPARE(QGuiApplication::clipboard()->text(), QString());
}

void tst_DialogDelivery::typedCodeLeavesTheClipboard()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QGuiApplication::clipboard()->setText(f.lastCode()); // copied, but typed by hand
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    QCOMPARE(QGuiApplication::clipboard()->text(), f.lastCode());
}

void tst_DialogDelivery::demoToastAndBadge()
{
    DialogOptions options;
    options.demoMode = true;
    m_f->openDialog(options);
    UiFixture &f = *m_f;
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

void tst_DialogDelivery::codeSentToast()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QLatin1String(Number)));
    QCOMPARE(f.dialog->toast()->text(), QStringLiteral("Code sent on WhatsApp"));
}

QTEST_MAIN(tst_DialogDelivery)
#include "tst_dialogdelivery.moc"
