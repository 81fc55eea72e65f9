// Screen readers, keyboard-only use, large text and right-to-left layouts.
#include "Announcer.h"
#include "AssistiveTechnology.h"
#include "CountryPicker.h"
#include "ExpiryLabel.h"
#include "NumericKeypad.h"
#include "ResendButton.h"
#include "Theme.h"
#include "Toast.h"
#include "UiFixture.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

struct SeenEvent
{
    QObject *object;
    QAccessible::Event type;
};
QList<SeenEvent> g_events;

void recordEvent(QAccessibleEvent *event)
{
    g_events.append({event->object(), event->type()});
}

int countEvents(QObject *object, QAccessible::Event type)
{
    return int(std::count_if(g_events.cbegin(), g_events.cend(), [&](const SeenEvent &e) {
        return e.object == object && e.type == type;
    }));
}

QString accessibleText(QWidget *w, QAccessible::Text t)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
    return iface ? iface->text(t) : QString();
}

// The widgets a person can operate: everything that takes focus, and the keypad's keys.
QList<QWidget *> controls(QWidget *root)
{
    QList<QWidget *> out;
    const auto widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(root) || w->isWindow())
            continue;
        if ((w->focusPolicy() & Qt::TabFocus) || qobject_cast<QAbstractButton *>(w))
            out.append(w);
    }
    return out;
}

} // namespace

class tst_Accessibility : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void everyControlIsNamedAndDescribed();
    void codeBoxesAreOneGroup();
    void countdownAnnouncesOnlyMilestones();
    void resendCountsDownSilently();
    void errorsAndToastsAreAnnounced();
    void phoneErrorsAreAnnounced();
    void keyboardOnlyFlow();
    void assistiveTechnologyOnlyFlow_data();
    void assistiveTechnologyOnlyFlow();
    void firstBoxSaysWhereTheCodeWent();
    void firstBoxSaysWhenTheCodeExpires_data();
    void firstBoxSaysWhenTheCodeExpires();
    void tabOrderOnThePhonePage();
    void focusIsVisible();
    void largeText_data();
    void largeText();
    void rightToLeft();

private:
    void checkNothingClipped(QWidget *page);
    std::unique_ptr<UiFixture> m_f;
};

void tst_Accessibility::initTestCase()
{
    applyTheme(*qApp, Theme::Light); // as the app does: sizes and focus rings come from it
    // Qt passes events on only while an assistive technology is active, never offscreen: the
    // announcer's events are recorded where it sends them.
    Announcer::setEventSink(recordEvent);
}

void tst_Accessibility::init()
{
    g_events.clear();
    DialogOptions options;
    options.smsFallbackAvailable = true;
    m_f = std::make_unique<UiFixture>(options);
    m_f->dialog->show();
    QVERIFY(QTest::qWaitForWindowActive(m_f->dialog.get()));
}

void tst_Accessibility::cleanup()
{
    m_f.reset();
}

void tst_Accessibility::everyControlIsNamedAndDescribed()
{
    UiFixture &f = *m_f;
    auto check = [](QWidget *root, const char *where) {
        const QList<QWidget *> list = controls(root);
        QVERIFY(!list.isEmpty());
        for (QWidget *w : list) {
            const QString id =
                QStringLiteral("%1: %2 %3")
                    .arg(QLatin1String(where), QLatin1String(w->metaObject()->className()),
                         w->objectName());
            QVERIFY2(!accessibleText(w, QAccessible::Name).isEmpty(), qPrintable(id));
            QVERIFY2(!accessibleText(w, QAccessible::Description).isEmpty(), qPrintable(id));
        }
    };
    f.phonePage()->showAccountHint(QStringLiteral("x"), QStringLiteral("Sign up instead"));
    f.phonePage()->showSmsOffer(true);
    check(f.phonePage(), "phone page");
    f.phonePage()->clearMessages();

    CountryPicker *picker = f.phonePage()->countryPicker();
    picker->showPopup();
    check(picker->searchEdit()->window(), "country popup");
    picker->hidePopup();

    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    f.verifyPage()->setDeliveryStatus(DeliveryStatus::Undelivered, true);
    check(f.verifyPage(), "code page");

    f.dialog->setSuccessDelay(1h);
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    check(f.dialog->successPage(), "success page");

    DialogOptions kiosk;
    kiosk.kiosk = true;
    f.makeDialog(kiosk);
    f.dialog->show();
    check(f.dialog->keypad(), "keypad");
}

void tst_Accessibility::codeBoxesAreOneGroup()
{
    OtpCodeInput *input = m_f->codeInput();
    QAccessibleInterface *group = QAccessible::queryAccessibleInterface(input);
    QVERIFY(group);
    QCOMPARE(group->role(), QAccessible::Grouping);
    QCOMPARE(group->text(QAccessible::Name), QStringLiteral("Verification code"));
    QVERIFY(!group->text(QAccessible::Description).isEmpty());
    QCOMPARE(group->childCount(), OtpCodeInput::Length);
    for (int i = 0; i < OtpCodeInput::Length; ++i) {
        QAccessibleInterface *box = group->child(i);
        QCOMPARE(box->role(), QAccessible::EditableText);
        QCOMPARE(box->text(QAccessible::Name),
                 QStringLiteral("Verification code, digit %1 of 6").arg(i + 1));
    }
}

void tst_Accessibility::countdownAnnouncesOnlyMilestones()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    ExpiryLabel *expiry = f.verifyPage()->expiryLabel();
    QLabel *message = f.verifyPage()->messageLabel();
    QSignalSpy announced(f.dialog->announcer(), &Announcer::announced);
    g_events.clear();

    // Every second of the code's life, as the page's timer would do it.
    for (int second = 1; second <= 300; ++second) {
        f.clock.advance(1s);
        f.verifyPage()->tick();
        if (second == 150) // a screen reader asks at any time and hears the live text
            QCOMPARE(accessibleText(expiry, QAccessible::Name),
                     QStringLiteral("Code expires in 2:30"));
    }
    QCOMPARE(countEvents(expiry, QAccessible::Alert), 3); // 1:00, 0:30, 0:10
    QCOMPARE(countEvents(expiry, QAccessible::NameChanged), 3); // not 300
    // QLabel::setText() tells screen readers about a new name only for a label without an
    // accessible name of its own: the countdown has one, so the seconds pass silently.
    QVERIFY(!expiry->accessibleName().isEmpty());
    QCOMPARE(countEvents(message, QAccessible::Alert), 1); // "Code expired"
    QStringList said;
    for (const QList<QVariant> &args : announced)
        said << args.at(0).toString();
    QCOMPARE(
        said,
        (QStringList {QStringLiteral("Resend code"), QStringLiteral("Code expires in 1:00"),
                      QStringLiteral("Code expires in 0:30"),
                      QStringLiteral("Code expires in 0:10"), QStringLiteral("Code expired")}));
}

void tst_Accessibility::resendCountsDownSilently()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    ResendButton *resend = f.verifyPage()->resendButton();
    g_events.clear();
    for (int second = 1; second < 30; ++second) {
        f.clock.advance(1s);
        f.verifyPage()->tick();
        QCOMPARE(accessibleText(resend, QAccessible::Name), QStringLiteral("Resend code"));
    }
    QCOMPARE(countEvents(resend, QAccessible::NameChanged), 0);
    QCOMPARE(resend->displayText(), QStringLiteral("Resend code in 0:01"));
    f.clock.advance(1s);
    f.verifyPage()->tick();
    QCOMPARE(countEvents(resend, QAccessible::Alert), 1); // "it can be used now"
}

void tst_Accessibility::errorsAndToastsAreAnnounced()
{
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    Toast *toast = f.dialog->toast();
    QCOMPARE(accessibleText(toast, QAccessible::Name), QStringLiteral("Code sent on WhatsApp"));
    QCOMPARE(countEvents(toast, QAccessible::Alert), 1);

    g_events.clear();
    QVERIFY(f.enterCode(f.wrongCode()));
    QLabel *message = f.verifyPage()->messageLabel();
    QCOMPARE(countEvents(message, QAccessible::Alert), 1);
    QCOMPARE(accessibleText(message, QAccessible::Name),
             QStringLiteral("Wrong code — 4 attempts left"));
}

void tst_Accessibility::phoneErrorsAreAnnounced()
{
    UiFixture &f = *m_f;
    QSignalSpy announced(f.dialog->announcer(), &Announcer::announced);
    QLineEdit *edit = f.phonePage()->phoneEdit();
    QTest::keyClicks(edit, QStringLiteral("12345"));
    QCOMPARE(announced.size(), 0); // not while typing
    QTest::keyClick(edit, Qt::Key_Tab); // editing finished: the field says what is wrong
    QCOMPARE(announced.size(), 1);
    QVERIFY(!announced.last().at(0).toString().isEmpty());
}

void tst_Accessibility::keyboardOnlyFlow()
{
    UiFixture &f = *m_f;
    f.dialog->setSuccessDelay(1h);
    // The phone field has the focus when the dialog opens.
    QCOMPARE(QApplication::focusWidget(), f.phonePage()->phoneEdit());
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("9876543210"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    QCOMPARE(QApplication::focusWidget(), f.codeInput()->box(0));

    // Shift+Tab reaches "Edit number"; Enter presses the focused button.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab);
    QCOMPARE(QApplication::focusWidget(), f.verifyPage()->editNumberButton());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QCOMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
    QCOMPARE(QApplication::focusWidget(), f.phonePage()->phoneEdit());
    f.clock.advance(1min); // past the resend cooldown
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));

    for (const QChar c : f.lastCode())
        QTest::keyClick(QApplication::focusWidget(), c.toLatin1());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    QCOMPARE(QApplication::focusWidget(), f.dialog->successPage()->continueButton());
    QSignalSpy accepted(f.dialog.get(), &QDialog::accepted);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QCOMPARE(accepted.size(), 1);
}

void tst_Accessibility::assistiveTechnologyOnlyFlow_data()
{
    QTest::addColumn<bool>("allInFirstBox");
    QTest::newRow("one digit per box") << false;
    QTest::newRow("all six into the first box") << true;
}

void tst_Accessibility::assistiveTechnologyOnlyFlow()
{
    // Voice control or a screen reader through AT-SPI: text set with EditableText, buttons
    // pressed with their Press action, no key and no click.
    QFETCH(bool, allInFirstBox);
    UiFixture &f = *m_f;
    f.dialog->setSuccessDelay(1h);
    QPushButton *send = f.phonePage()->sendButton();
    QVERIFY(!accessibleActions(send).contains(QAccessibleActionInterface::pressAction()));
    QVERIFY(assistiveInsertText(f.phonePage()->phoneEdit(), 0, QStringLiteral("9876543210")));
    QVERIFY(accessibleActions(send).contains(QAccessibleActionInterface::pressAction()));
    QVERIFY(assistivePress(send));
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    QCOMPARE(f.sender.sent.size(), 1);
    QCOMPARE(f.sender.sent.last().to.e164(), QStringLiteral("+919876543210"));

    QSignalSpy entered(f.verifyPage(), &VerifyPage::codeEntered);
    const QString code = f.lastCode();
    OtpCodeInput *input = f.codeInput();
    if (allInFirstBox) {
        QVERIFY(assistiveSetText(input->box(0), code));
    } else {
        for (int i = 0; i < OtpCodeInput::Length; ++i) {
            QVERIFY(assistiveSetText(input->box(i), code.mid(i, 1)));
            if (i + 1 < OtpCodeInput::Length)
                QCOMPARE(QApplication::focusWidget(), input->box(i + 1));
        }
    }
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    QCOMPARE(entered.size(), 1); // submitted exactly once
    QCOMPARE(entered.at(0).at(0).toString(), code);
    QSignalSpy accepted(f.dialog.get(), &QDialog::accepted);
    QVERIFY(assistivePress(f.dialog->successPage()->continueButton()));
    QTRY_COMPARE(accepted.size(), 1); // Press is an animated click
}

void tst_Accessibility::firstBoxSaysWhereTheCodeWent()
{
    // A screen reader that lands on the first box says where the code went and for how long
    // it lasts (the number masked as everywhere else, kept in one left-to-right piece).
    UiFixture &f = *m_f;
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    QLineEdit *first = f.codeInput()->box(0);
    QCOMPARE(QApplication::focusWidget(), first);
    const QString masked = phoneNumberInText(u"+91 \u2022\u2022\u2022\u2022\u2022 \u20223210");
    QCOMPARE(accessibleText(first, QAccessible::Description),
             QStringLiteral("Code sent to %1 on WhatsApp, expires in 5 minutes").arg(masked));

    f.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Undelivered, 63024);
    QTRY_VERIFY(f.verifyPage()->smsButton()->isVisible());
    QVERIFY(assistivePress(f.verifyPage()->smsButton()));
    QTRY_COMPARE(f.verifyPage()->channel(), Channel::Sms);
    QCOMPARE(accessibleText(first, QAccessible::Description),
             QStringLiteral("Code sent to %1 by SMS, expires in 5 minutes").arg(masked));
    for (int i = 1; i < OtpCodeInput::Length; ++i)
        QVERIFY(!accessibleText(f.codeInput()->box(i), QAccessible::Description)
                     .contains(QLatin1String("WhatsApp")));

    // Back on the phone page and off again with another number: no stale number is read.
    QVERIFY(assistivePress(f.verifyPage()->editNumberButton()));
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.phonePage()));
    QVERIFY(!accessibleText(first, QAccessible::Description).contains(masked));
    QVERIFY(f.sendTo(QStringLiteral("9123456789")));
    QCOMPARE(accessibleText(first, QAccessible::Description),
             QStringLiteral("Code sent to %1 on WhatsApp, expires in 5 minutes")
                 .arg(phoneNumberInText(u"+91 \u2022\u2022\u2022\u2022\u2022 \u20226789")));
}

void tst_Accessibility::firstBoxSaysWhenTheCodeExpires_data()
{
    QTest::addColumn<int>("lifetimeSeconds");
    QTest::addColumn<QString>("expires");
    QTest::newRow("1 minute") << 60 << QStringLiteral("expires in 1 minute");
    QTest::newRow("90 seconds") << 90 << QStringLiteral("expires in 2 minutes");
    QTest::newRow("10 minutes") << 600 << QStringLiteral("expires in 10 minutes");
}

void tst_Accessibility::firstBoxSaysWhenTheCodeExpires()
{
    QFETCH(int, lifetimeSeconds);
    QFETCH(QString, expires);
    OtpPolicy policy;
    policy.codeLifetime = std::chrono::seconds(lifetimeSeconds);
    UiFixture f({}, policy);
    f.dialog->show();
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    QVERIFY2(accessibleText(f.codeInput()->box(0), QAccessible::Description)
                 .endsWith(QLatin1String(", ") + expires),
             qPrintable(accessibleText(f.codeInput()->box(0), QAccessible::Description)));
}

void tst_Accessibility::tabOrderOnThePhonePage()
{
    UiFixture &f = *m_f;
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("9876543210"));
    // The toggle is one stop, like a radio group: arrows move between its two choices.
    f.phonePage()->flowButton(Purpose::SignUp)->setFocus();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right);
    QCOMPARE(QApplication::focusWidget(), f.phonePage()->flowButton(Purpose::SignIn));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
    QCOMPARE(f.phonePage()->flow(), Purpose::SignIn);
    const QList<QWidget *> expected {
        f.phonePage()->countryPicker()->button(),
        f.phonePage()->phoneEdit(),
        f.phonePage()->sendButton(),
    };
    for (QWidget *next : expected) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), next);
    }
}

void tst_Accessibility::focusIsVisible()
{
    // A focused control must look different from an unfocused one.
    UiFixture &f = *m_f;
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("9876543210"));
    QWidget *parking = f.phonePage()->flowButton(Purpose::SignIn);
    const QList<QWidget *> widgets {
        f.phonePage()->phoneEdit(),
        f.phonePage()->sendButton(),
        f.phonePage()->flowButton(Purpose::SignUp),
        f.phonePage()->countryPicker()->button(),
    };
    for (QWidget *w : widgets) {
        parking->setFocus();
        const QImage unfocused = w->grab().toImage();
        w->setFocus(Qt::TabFocusReason);
        QVERIFY(w->hasFocus());
        const QImage focused = w->grab().toImage();
        QVERIFY2(focused != unfocused, qPrintable(w->objectName()));
    }
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    QWidget *box = f.codeInput()->box(0);
    const QImage focusedBox = box->grab().toImage();
    f.verifyPage()->editNumberButton()->setFocus(Qt::TabFocusReason);
    QVERIFY(box->grab().toImage() != focusedBox);
    const QImage focusedLink = f.verifyPage()->editNumberButton()->grab().toImage();
    box->setFocus();
    QVERIFY(f.verifyPage()->editNumberButton()->grab().toImage() != focusedLink);
}

void tst_Accessibility::checkNothingClipped(QWidget *page)
{
    const auto widgets = page->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(page) || w->isWindow())
            continue;
        const QString id =
            QLatin1String(w->metaObject()->className()) + QLatin1Char(' ') + w->objectName();
        // Inside its parent...
        QVERIFY2(w->parentWidget()->rect().contains(w->geometry()), qPrintable(id));
        // ...and at least as big as it needs to be.
        const QSize need = w->minimumSizeHint();
        if (need.isValid()) {
            QVERIFY2(w->width() >= need.width() && w->height() >= need.height(),
                     qPrintable(id
                                + QStringLiteral(" %1x%2 < %3x%4")
                                      .arg(w->width())
                                      .arg(w->height())
                                      .arg(need.width())
                                      .arg(need.height())));
        }
        if (auto *label = qobject_cast<QLabel *>(w);
            label && label->wordWrap() && !label->text().isEmpty()) {
            QVERIFY2(label->height() >= label->heightForWidth(label->width()), qPrintable(id));
        } else if (auto *button = qobject_cast<QAbstractButton *>(w)) {
            QVERIFY2(button->width() >= button->sizeHint().width(), qPrintable(id));
        }
    }
}

void tst_Accessibility::largeText_data()
{
    QTest::addColumn<bool>("kiosk");
    QTest::newRow("desktop") << false;
    QTest::newRow("kiosk") << true;
}

void tst_Accessibility::largeText()
{
    QFETCH(bool, kiosk);
    UiFixture &f = *m_f;
    DialogOptions options;
    options.kiosk = kiosk;
    options.demoMode = true;
    f.makeDialog(options);
    QFont big = f.dialog->font();
    big.setPointSizeF(big.pointSizeF() * 2); // 200% text
    f.dialog->setFont(big);
    f.dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.dialog.get()));
    QCOMPARE(f.phonePage()->phoneEdit()->font().pointSizeF(), big.pointSizeF());
    QVERIFY(f.codeInput()->box(0)->font().pointSizeF() > big.pointSizeF());

    f.phonePage()->showAccountHint(QStringLiteral("There's no account for +91 98765 43210 yet."),
                                   QStringLiteral("Sign up instead"));
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("9876543210"));
    QCoreApplication::processEvents();
    checkNothingClipped(f.phonePage());

    f.phonePage()->clearMessages();
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    f.verifyPage()->setDeliveryStatus(DeliveryStatus::Read, false);
    f.verifyPage()->showMessage(QStringLiteral("Wrong code — 4 attempts left"));
    QCoreApplication::processEvents();
    checkNothingClipped(f.verifyPage());
    if (kiosk)
        checkNothingClipped(f.dialog->keypad());

    f.dialog->setSuccessDelay(1h);
    f.verifyPage()->showMessage(QString());
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    QCoreApplication::processEvents();
    checkNothingClipped(f.dialog->successPage());
}

void tst_Accessibility::rightToLeft()
{
    UiFixture &f = *m_f;
    f.dialog->setLayoutDirection(Qt::RightToLeft);
    QCoreApplication::processEvents(); // layouts follow the direction on their next pass
    // The send button still follows the phone row, which runs right to left...
    QWidget *picker = f.phonePage()->countryPicker();
    QVERIFY(picker->mapTo(f.dialog.get(), QPoint()).x()
            > f.phonePage()->phoneEdit()->mapTo(f.dialog.get(), QPoint()).x());
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    // ...but a code is written left to right, and the number stays in one piece.
    OtpCodeInput *input = f.codeInput();
    QCOMPARE(input->layoutDirection(), Qt::LeftToRight);
    for (int i = 1; i < OtpCodeInput::Length; ++i)
        QVERIFY(input->box(i - 1)->x() < input->box(i)->x());
    QVERIFY(f.verifyPage()->instructionLabel()->text().contains(QChar(0x2066)));
    f.typeCode(f.lastCode());
    QCOMPARE(input->box(0)->text(), f.lastCode().left(1));
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
}

QTEST_MAIN(tst_Accessibility)
#include "tst_accessibility.moc"
