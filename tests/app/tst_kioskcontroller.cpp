// Kiosk mode around the real dialog: fullscreen and frameless, nothing closes it, and it starts
// over after a success and after idleness. Time comes from a FakeClock; the controller's timer
// is not waited for: the test calls checkTimers() after moving the clock.
#include "FakeClock.h"
#include "FakeSender.h"
#include "KioskController.h"
#include "OtpCodeInput.h"
#include "PhoneEntryPage.h"
#include "SuccessPage.h"
#include "VerificationDialog.h"
#include "VerifyPage.h"
#include "engine/AccountStore.h"
#include "engine/MemoryCodeStore.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;
using Reason = KioskController::ResetReason;

class tst_KioskController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void fullscreenAndFrameless();
    void escapeDoesNothing_data();
    void escapeDoesNothing();
    void closeRequestIsRefused();
    void idleResetsAfterTheTimeout();
    void inputPostponesTheIdleReset();
    void idleResetForgetsTheCode();
    void idleTimeoutZeroNeverResets();
    void successResetsAfterAFewSeconds();
    void aFinishedDialogStartsOver();

private:
    void start(KioskController::Timings timings = {});
    void typePhone();
    void goToCodePage();
    QString phoneText() const { return m_dialog->phonePage()->phoneEdit()->text(); }

    FakeClock m_clock;
    std::unique_ptr<MemoryCodeStore> m_store;
    std::unique_ptr<FakeSender> m_sender;
    std::unique_ptr<OtpEngine> m_engine;
    std::unique_ptr<MemoryAccountStore> m_accounts;
    std::unique_ptr<VerificationDialog> m_dialog;
    std::unique_ptr<KioskController> m_kiosk;
};

void tst_KioskController::init()
{
    m_store = std::make_unique<MemoryCodeStore>();
    m_sender = std::make_unique<FakeSender>();
    m_engine = std::make_unique<OtpEngine>(m_clock, *m_store, CodeHasher(), *m_sender);
    m_accounts = std::make_unique<MemoryAccountStore>();
    DialogOptions options;
    options.kiosk = true;
    options.defaultRegion = QStringLiteral("IN");
    m_dialog = std::make_unique<VerificationDialog>(*m_engine, *m_accounts, m_clock, options);
}

void tst_KioskController::cleanup()
{
    m_kiosk.reset();
    m_dialog.reset();
    m_engine.reset();
    m_sender.reset();
    m_store.reset();
    m_accounts.reset();
}

void tst_KioskController::start(KioskController::Timings timings)
{
    m_kiosk = std::make_unique<KioskController>(*m_dialog, m_clock, timings);
    m_kiosk->start();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void tst_KioskController::typePhone()
{
    QTest::keyClicks(m_dialog->phonePage()->phoneEdit(), QStringLiteral("9876543210"));
    QVERIFY(!phoneText().isEmpty());
}

void tst_KioskController::goToCodePage()
{
    typePhone();
    m_dialog->sendCode();
    QTRY_COMPARE(m_dialog->currentPage(), static_cast<QWidget *>(m_dialog->verifyPage()));
    QCOMPARE(m_store->activeCodes(), 1u);
}

void tst_KioskController::fullscreenAndFrameless()
{
    start();
    QVERIFY(m_dialog->isVisible());
    QVERIFY(m_dialog->windowState().testFlag(Qt::WindowFullScreen));
    QVERIFY(m_dialog->windowFlags().testFlag(Qt::FramelessWindowHint));
    QVERIFY(m_dialog->options().kiosk);
}

void tst_KioskController::escapeDoesNothing_data()
{
    QTest::addColumn<bool>("toTheField");
    QTest::newRow("Escape on the dialog") << false;
    QTest::newRow("Escape in the phone field") << true;
}

void tst_KioskController::escapeDoesNothing()
{
    QFETCH(bool, toTheField);
    start();
    typePhone();
    const QString typed = phoneText();
    QSignalSpy finished(m_dialog.get(), &QDialog::finished);
    QSignalSpy resets(m_kiosk.get(), &KioskController::resetDone);
    QWidget *target =
        toTheField ? static_cast<QWidget *>(m_dialog->phonePage()->phoneEdit()) : m_dialog.get();
    QTest::keyClick(target, Qt::Key_Escape);
    QVERIFY(m_dialog->isVisible());
    QCOMPARE(finished.size(), 0);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(phoneText(), typed); // "nothing": not even a reset
}

void tst_KioskController::closeRequestIsRefused()
{
    start();
    QSignalSpy finished(m_dialog.get(), &QDialog::finished);
    // The window manager turns its close button and Alt+F4 into this request.
    QVERIFY(!m_dialog->close());
    QVERIFY(m_dialog->isVisible());
    QCOMPARE(finished.size(), 0);
}

void tst_KioskController::idleResetsAfterTheTimeout()
{
    KioskController::Timings timings;
    timings.idleTimeout = 60s;
    start(timings);
    QSignalSpy resets(m_kiosk.get(), &KioskController::resetDone);
    typePhone();

    m_clock.advance(59s);
    m_kiosk->checkTimers();
    QCOMPARE(resets.size(), 0);
    QVERIFY(!phoneText().isEmpty());

    m_clock.advance(1s);
    m_kiosk->checkTimers();
    QCOMPARE(resets.size(), 1);
    QCOMPARE(resets.at(0).at(0).value<Reason>(), Reason::Idle);
    QVERIFY(phoneText().isEmpty());
    QCOMPARE(m_dialog->currentPage(), static_cast<QWidget *>(m_dialog->phonePage()));
    QVERIFY(m_dialog->isVisible());

    // Once reset, the idle time starts again.
    m_kiosk->checkTimers();
    QCOMPARE(resets.size(), 1);
}

void tst_KioskController::inputPostponesTheIdleReset()
{
    KioskController::Timings timings;
    timings.idleTimeout = 60s;
    start(timings);
    QSignalSpy resets(m_kiosk.get(), &KioskController::resetDone);
    typePhone();
    m_clock.advance(50s);
    QTest::keyClick(m_dialog->phonePage()->phoneEdit(), Qt::Key_Backspace);
    m_clock.advance(50s);
    m_kiosk->checkTimers();
    QCOMPARE(resets.size(), 0);
    QTest::mouseClick(m_dialog->phonePage()->phoneEdit(), Qt::LeftButton);
    m_clock.advance(59s);
    m_kiosk->checkTimers();
    QCOMPARE(resets.size(), 0);
    m_clock.advance(1s);
    m_kiosk->checkTimers();
    QCOMPARE(resets.size(), 1);
}

void tst_KioskController::idleResetForgetsTheCode()
{
    start();
    goToCodePage();
    m_clock.advance(m_kiosk->timings().idleTimeout);
    m_kiosk->checkTimers();
    QCOMPARE(m_dialog->currentPage(), static_cast<QWidget *>(m_dialog->phonePage()));
    QVERIFY(phoneText().isEmpty());
    QCOMPARE(m_store->activeCodes(), 0u); // the previous person's code is void
}

void tst_KioskController::idleTimeoutZeroNeverResets()
{
    KioskController::Timings timings;
    timings.idleTimeout = 0s;
    start(timings);
    QSignalSpy resets(m_kiosk.get(), &KioskController::resetDone);
    typePhone();
    m_clock.advance(24h);
    m_kiosk->checkTimers();
    QCOMPARE(resets.size(), 0);
    QVERIFY(!phoneText().isEmpty());
}

void tst_KioskController::successResetsAfterAFewSeconds()
{
    KioskController::Timings timings;
    timings.successResetDelay = 5s;
    start(timings);
    QSignalSpy resets(m_kiosk.get(), &KioskController::resetDone);
    QSignalSpy verified(m_dialog.get(), &VerificationDialog::verified);
    goToCodePage();
    m_dialog->verifyPage()->codeInput()->setCode(m_sender->sent.last().code);
    QTRY_COMPARE(verified.size(), 1);
    QCOMPARE(m_dialog->currentPage(), static_cast<QWidget *>(m_dialog->successPage()));
    QCOMPARE(m_accounts->isRegistered(m_dialog->verifiedNumber()), std::optional<bool>(true));

    m_clock.advance(4s);
    m_kiosk->checkTimers();
    QCOMPARE(resets.size(), 0);
    QCOMPARE(m_dialog->currentPage(), static_cast<QWidget *>(m_dialog->successPage()));

    m_clock.advance(1s);
    m_kiosk->checkTimers();
    QCOMPARE(resets.size(), 1);
    QCOMPARE(resets.at(0).at(0).value<Reason>(), Reason::Success);
    QCOMPARE(m_dialog->currentPage(), static_cast<QWidget *>(m_dialog->phonePage()));
    QVERIFY(phoneText().isEmpty());
    QVERIFY(m_dialog->verifiedNumber().isNull());
    QVERIFY(m_dialog->isVisible());
}

void tst_KioskController::aFinishedDialogStartsOver()
{
    start();
    QSignalSpy resets(m_kiosk.get(), &KioskController::resetDone);
    typePhone();
    m_dialog->reject(); // e.g. a Cancel button: a kiosk starts over instead of closing
    QCOMPARE(resets.size(), 1);
    QCOMPARE(resets.at(0).at(0).value<Reason>(), Reason::Closed);
    QVERIFY(m_dialog->isVisible());
    QVERIFY(m_dialog->windowState().testFlag(Qt::WindowFullScreen));
    QVERIFY(phoneText().isEmpty());
}

QTEST_MAIN(tst_KioskController)
#include "tst_kioskcontroller.moc"
