// The six-box code input on its own, driven by keys, clicks, pastes and input methods.
#include "AssistiveTechnology.h"
#include "OtpCodeInput.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QInputMethodEvent>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;

class tst_OtpCodeInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void typingAdvances();
    void lettersAreIgnored();
    void unicodeDigitsBecomeAscii();
    void backspaceClearsAndMovesBack();
    void deleteClearsInPlace();
    void arrowsHomeEnd();
    void clickingABoxSelectsIt();
    void typingOverReplaces();
    void paste_data();
    void paste();
    void pasteWithoutCodeIsIgnored_data();
    void pasteWithoutCodeIsIgnored();
    void pasteFromAnyBox();
    void inputMethodCommit();
    void textFromAssistiveTechnology_data();
    void textFromAssistiveTechnology();
    void textFromAssistiveTechnologyIsCleanedUp();
    void autoSubmitsOnce();
    void editingResubmits();
    void enterResubmitsOnlyWhenAllowed();
    void readOnlyIgnoresInput();
    void errorLookUntilNextDigit();
    void clearFocusesFirst();
    void tabIsOneStop();
    void keypadSlots();
    void rightToLeftStaysLeftToRight();

private:
    void type(const QString &keys);
    QLineEdit *current() const { return m_input->box(m_input->currentIndex()); }

    QWidget *m_window = nullptr;
    OtpCodeInput *m_input = nullptr;
};

void tst_OtpCodeInput::init()
{
    m_window = new QWidget;
    m_input = new OtpCodeInput(m_window);
    m_input->setShakeDuration(0);
    m_window->resize(480, 120);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window));
    m_input->setFocus();
    QGuiApplication::clipboard()->clear();
}

void tst_OtpCodeInput::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

void tst_OtpCodeInput::type(const QString &keys)
{
    // Into whichever box has the cursor, one key at a time: what a keyboard does.
    for (const QChar c : keys)
        QTest::keyClick(current(), c.toLatin1());
}

void tst_OtpCodeInput::typingAdvances()
{
    QCOMPARE(m_input->currentIndex(), 0);
    QCOMPARE(QApplication::focusWidget(), m_input->box(0));
    type(QStringLiteral("12"));
    QCOMPARE(m_input->code(), QStringLiteral("12"));
    QCOMPARE(m_input->currentIndex(), 2);
    QCOMPARE(QApplication::focusWidget(), m_input->box(2));
    QCOMPARE(m_input->box(0)->text(), QStringLiteral("1"));
    QCOMPARE(m_input->box(1)->text(), QStringLiteral("2"));
}

void tst_OtpCodeInput::lettersAreIgnored()
{
    type(QStringLiteral("1a-b 2"));
    QCOMPARE(m_input->code(), QStringLiteral("12"));
    QCOMPARE(m_input->currentIndex(), 2);
}

void tst_OtpCodeInput::unicodeDigitsBecomeAscii()
{
    // An Arabic keyboard types Arabic-Indic digits.
    QKeyEvent press(QEvent::KeyPress, 0, Qt::NoModifier, QStringLiteral("\u0663"));
    QApplication::sendEvent(current(), &press);
    QCOMPARE(m_input->code(), QStringLiteral("3"));
}

void tst_OtpCodeInput::backspaceClearsAndMovesBack()
{
    type(QStringLiteral("123456"));
    QCOMPARE(m_input->currentIndex(), 5);
    QTest::keyClick(current(), Qt::Key_Backspace); // clears the filled last box, stays
    QCOMPARE(m_input->code(), QStringLiteral("12345"));
    QCOMPARE(m_input->currentIndex(), 5);
    QTest::keyClick(current(), Qt::Key_Backspace); // empty box: back one and clear it
    QCOMPARE(m_input->code(), QStringLiteral("1234"));
    QCOMPARE(m_input->currentIndex(), 4);
    type(QStringLiteral("9"));
    QCOMPARE(m_input->code(), QStringLiteral("12349"));
    QCOMPARE(m_input->currentIndex(), 5);
    for (int i = 0; i < 10; ++i)
        QTest::keyClick(current(), Qt::Key_Backspace);
    QCOMPARE(m_input->code(), QString());
    QCOMPARE(m_input->currentIndex(), 0);
}

void tst_OtpCodeInput::deleteClearsInPlace()
{
    type(QStringLiteral("1234"));
    QTest::keyClick(current(), Qt::Key_Left);
    QTest::keyClick(current(), Qt::Key_Left);
    QCOMPARE(m_input->currentIndex(), 2);
    QTest::keyClick(current(), Qt::Key_Delete);
    QCOMPARE(m_input->currentIndex(), 2);
    QCOMPARE(m_input->box(2)->text(), QString());
    QCOMPARE(m_input->box(3)->text(), QStringLiteral("4")); // nothing shifts
}

void tst_OtpCodeInput::arrowsHomeEnd()
{
    type(QStringLiteral("123"));
    QTest::keyClick(current(), Qt::Key_Left);
    QCOMPARE(m_input->currentIndex(), 2);
    QTest::keyClick(current(), Qt::Key_Home);
    QCOMPARE(m_input->currentIndex(), 0);
    QCOMPARE(QApplication::focusWidget(), m_input->box(0));
    QTest::keyClick(current(), Qt::Key_Left); // stays at the first box
    QCOMPARE(m_input->currentIndex(), 0);
    QTest::keyClick(current(), Qt::Key_Right);
    QCOMPARE(m_input->currentIndex(), 1);
    QTest::keyClick(current(), Qt::Key_End);
    QCOMPARE(m_input->currentIndex(), 5);
    QTest::keyClick(current(), Qt::Key_Right);
    QCOMPARE(m_input->currentIndex(), 5);
    QCOMPARE(m_input->code(), QStringLiteral("123")); // moving changes nothing
}

void tst_OtpCodeInput::clickingABoxSelectsIt()
{
    type(QStringLiteral("1234"));
    QTest::mouseClick(m_input->box(1), Qt::LeftButton);
    QCOMPARE(m_input->currentIndex(), 1);
    QCOMPARE(QApplication::focusWidget(), m_input->box(1));
}

void tst_OtpCodeInput::typingOverReplaces()
{
    type(QStringLiteral("1234"));
    QTest::mouseClick(m_input->box(1), Qt::LeftButton);
    type(QStringLiteral("9"));
    QCOMPARE(m_input->code(), QStringLiteral("1934"));
    QCOMPARE(m_input->currentIndex(), 2);
}

void tst_OtpCodeInput::paste_data()
{
    QTest::addColumn<QString>("clipboard");
    QTest::newRow("digits") << QStringLiteral("123456");
    QTest::newRow("space") << QStringLiteral("123 456");
    QTest::newRow("dash") << QStringLiteral("123-456");
    QTest::newRow("message") << QStringLiteral("Your code is 123456. Do not share it.");
}

void tst_OtpCodeInput::paste()
{
    QFETCH(QString, clipboard);
    QSignalSpy completed(m_input, &OtpCodeInput::completed);
    QGuiApplication::clipboard()->setText(clipboard);
    QTest::keyClick(current(), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(m_input->code(), QStringLiteral("123456"));
    QVERIFY(m_input->codeWasPasted());
    QCOMPARE(completed.size(), 1);
    QCOMPARE(completed.at(0).at(0).toString(), QStringLiteral("123456"));
}

void tst_OtpCodeInput::pasteWithoutCodeIsIgnored_data()
{
    QTest::addColumn<QString>("clipboard");
    QTest::newRow("empty") << QString();
    QTest::newRow("words") << QStringLiteral("hello");
    QTest::newRow("too short") << QStringLiteral("12345");
    QTest::newRow("phone number") << QStringLiteral("+91 98765 43210");
}

void tst_OtpCodeInput::pasteWithoutCodeIsIgnored()
{
    QFETCH(QString, clipboard);
    type(QStringLiteral("12"));
    QSignalSpy ignored(m_input, &OtpCodeInput::pasteIgnored);
    QSignalSpy completed(m_input, &OtpCodeInput::completed);
    QGuiApplication::clipboard()->setText(clipboard);
    QTest::keyClick(current(), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(ignored.size(), 1);
    QCOMPARE(completed.size(), 0);
    QCOMPARE(m_input->code(), QStringLiteral("12")); // what was typed stays
}

void tst_OtpCodeInput::pasteFromAnyBox()
{
    type(QStringLiteral("99"));
    QTest::keyClick(current(), Qt::Key_End);
    QGuiApplication::clipboard()->setText(QStringLiteral("246 810"));
    QTest::keyClick(current(), Qt::Key_Insert, Qt::ShiftModifier); // the other paste shortcut
    QCOMPARE(m_input->code(), QStringLiteral("246810"));
    QCOMPARE(m_input->currentIndex(), 5);
}

void tst_OtpCodeInput::inputMethodCommit()
{
    QSignalSpy completed(m_input, &OtpCodeInput::completed);
    QInputMethodEvent one;
    one.setCommitString(QStringLiteral("7"));
    QApplication::sendEvent(current(), &one);
    QCOMPARE(m_input->code(), QStringLiteral("7"));
    // A one-time-code autofill commits the whole code at once.
    QInputMethodEvent all;
    all.setCommitString(QStringLiteral("135790"));
    QApplication::sendEvent(current(), &all);
    QCOMPARE(m_input->code(), QStringLiteral("135790"));
    QCOMPARE(completed.size(), 1);
}

void tst_OtpCodeInput::textFromAssistiveTechnology_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QString>("text"); // for "first box": everything set into the first box
    QTest::newRow("one digit per box, SetTextContents") << QStringLiteral("per box") << QString();
    QTest::newRow("one digit per box, InsertText") << QStringLiteral("insert") << QString();
    QTest::newRow("all six into the first box")
        << QStringLiteral("first box") << QStringLiteral("864209");
    QTest::newRow("spaced out into the first box")
        << QStringLiteral("first box") << QStringLiteral("864 209");
    QTest::newRow("a whole message into the first box")
        << QStringLiteral("first box") << QStringLiteral("WhatsApp 2FA: 864209 is your code");
    QTest::newRow("one digit, then the rest into the second box")
        << QStringLiteral("then the rest") << QStringLiteral("64209");
}

void tst_OtpCodeInput::textFromAssistiveTechnology()
{
    // A screen reader, voice control or autofill through AT-SPI sets the text of the boxes
    // without a key press: the boxes behave as if the digits were typed.
    QFETCH(QString, how);
    QFETCH(QString, text);
    const QString code = QStringLiteral("864209");
    m_input->setError(true);
    QSignalSpy completed(m_input, &OtpCodeInput::completed);
    if (how == QLatin1String("first box")) {
        QVERIFY(assistiveSetText(m_input->box(0), text));
        QCOMPARE(m_input->currentIndex(), OtpCodeInput::Length - 1);
    } else if (how == QLatin1String("then the rest")) {
        QVERIFY(assistiveSetText(m_input->box(0), code.left(1)));
        QCOMPARE(m_input->currentIndex(), 1);
        QVERIFY(assistiveSetText(m_input->box(1), text));
        QCOMPARE(m_input->currentIndex(), OtpCodeInput::Length - 1);
    } else {
        for (int i = 0; i < OtpCodeInput::Length; ++i) {
            const QString digit = code.mid(i, 1);
            QVERIFY(how == QLatin1String("insert") ? assistiveInsertText(m_input->box(i), 0, digit)
                                                   : assistiveSetText(m_input->box(i), digit));
            QVERIFY(!m_input->hasError()); // the first digit starts over
            // Each digit moves on to the next box, as typing does.
            QCOMPARE(m_input->currentIndex(), std::min(i + 1, OtpCodeInput::Length - 1));
            QCOMPARE(QApplication::focusWidget(), current());
            QCOMPARE(completed.size(), i + 1 == OtpCodeInput::Length ? 1 : 0);
        }
    }
    QVERIFY(!m_input->hasError());
    QCOMPARE(m_input->code(), code);
    for (int i = 0; i < OtpCodeInput::Length; ++i)
        QCOMPARE(m_input->box(i)->text().size(), 1);
    QCOMPARE(completed.size(), 1); // exactly once
    QCOMPARE(completed.at(0).at(0).toString(), code);
    QVERIFY(!m_input->codeWasPasted()); // nothing to clear from the clipboard

    // The same digit set again changes nothing and submits nothing.
    QVERIFY(assistiveSetText(m_input->box(5), QStringLiteral("9")));
    QCOMPARE(completed.size(), 1);
}

void tst_OtpCodeInput::textFromAssistiveTechnologyIsCleanedUp()
{
    QSignalSpy completed(m_input, &OtpCodeInput::completed);
    type(QStringLiteral("12"));
    // Letters are not digits; a deleted digit leaves its box empty, the cursor there.
    QVERIFY(assistiveSetText(m_input->box(2), QStringLiteral("x")));
    QCOMPARE(m_input->box(2)->text(), QString());
    QVERIFY(assistiveDeleteText(m_input->box(1)));
    QCOMPARE(m_input->code(), QStringLiteral("1"));
    QCOMPARE(m_input->currentIndex(), 1);
    // Read-only (the code is being checked): the boxes keep what they show.
    type(QStringLiteral("2"));
    m_input->setReadOnly(true);
    QVERIFY(assistiveSetText(m_input->box(2), QStringLiteral("3")));
    QVERIFY(assistiveSetText(m_input->box(0), QStringLiteral("456789")));
    QVERIFY(assistiveDeleteText(m_input->box(1)));
    QCOMPARE(m_input->code(), QStringLiteral("12"));
    QCOMPARE(completed.size(), 0);
}

void tst_OtpCodeInput::autoSubmitsOnce()
{
    QSignalSpy completed(m_input, &OtpCodeInput::completed);
    type(QStringLiteral("12345"));
    QCOMPARE(completed.size(), 0);
    type(QStringLiteral("6"));
    QCOMPARE(completed.size(), 1);
    QCOMPARE(completed.at(0).at(0).toString(), QStringLiteral("123456"));
    // The last box keeps the focus; typing the same digit again sends nothing new.
    type(QStringLiteral("6"));
    QCOMPARE(completed.size(), 1);
    QVERIFY(m_input->isComplete());
}

void tst_OtpCodeInput::editingResubmits()
{
    QSignalSpy completed(m_input, &OtpCodeInput::completed);
    type(QStringLiteral("123456"));
    QTest::mouseClick(m_input->box(2), Qt::LeftButton);
    type(QStringLiteral("9")); // a different code: that one is submitted too
    QCOMPARE(completed.size(), 2);
    QCOMPARE(completed.at(1).at(0).toString(), QStringLiteral("129456"));
}

void tst_OtpCodeInput::enterResubmitsOnlyWhenAllowed()
{
    QSignalSpy completed(m_input, &OtpCodeInput::completed);
    type(QStringLiteral("123456"));
    QTest::keyClick(current(), Qt::Key_Return);
    QCOMPARE(completed.size(), 1);
    m_input->allowResubmit(); // the check could not be made
    QTest::keyClick(current(), Qt::Key_Return);
    QCOMPARE(completed.size(), 2);
}

void tst_OtpCodeInput::readOnlyIgnoresInput()
{
    type(QStringLiteral("12"));
    m_input->setReadOnly(true);
    type(QStringLiteral("34"));
    QTest::keyClick(current(), Qt::Key_Backspace);
    QGuiApplication::clipboard()->setText(QStringLiteral("123456"));
    QTest::keyClick(current(), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(m_input->code(), QStringLiteral("12"));
    m_input->setReadOnly(false);
    type(QStringLiteral("3"));
    QCOMPARE(m_input->code(), QStringLiteral("123"));
}

void tst_OtpCodeInput::errorLookUntilNextDigit()
{
    type(QStringLiteral("111111"));
    m_input->clear();
    m_input->setError(true);
    QVERIFY(m_input->hasError());
    QVERIFY(m_input->box(0)->property("error").toBool());
    QVERIFY(m_input->box(5)->property("error").toBool());
    type(QStringLiteral("2"));
    QVERIFY(!m_input->hasError());
    QVERIFY(!m_input->box(0)->property("error").toBool());
}

void tst_OtpCodeInput::clearFocusesFirst()
{
    type(QStringLiteral("1234"));
    m_input->clear();
    QCOMPARE(m_input->code(), QString());
    QCOMPARE(m_input->currentIndex(), 0);
    QCOMPARE(QApplication::focusWidget(), m_input->box(0));
    QVERIFY(!m_input->codeWasPasted());
}

void tst_OtpCodeInput::tabIsOneStop()
{
    auto *after = new QLineEdit(m_window); // next in the focus chain
    after->show();
    type(QStringLiteral("12"));
    QTest::keyClick(current(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), after);
    QTest::keyClick(after, Qt::Key_Backtab);
    QCOMPARE(QApplication::focusWidget(), m_input->box(2)); // back where the cursor was
}

void tst_OtpCodeInput::keypadSlots()
{
    QSignalSpy completed(m_input, &OtpCodeInput::completed);
    for (const QChar c : QStringLiteral("10293"))
        m_input->typeDigit(c);
    m_input->backspace();
    m_input->typeDigit(QLatin1Char('x'));
    QCOMPARE(m_input->code(), QStringLiteral("1029"));
    m_input->typeDigit(QLatin1Char('8'));
    m_input->typeDigit(QLatin1Char('7'));
    QCOMPARE(completed.size(), 1);
    QCOMPARE(completed.at(0).at(0).toString(), QStringLiteral("102987"));
}

void tst_OtpCodeInput::rightToLeftStaysLeftToRight()
{
    m_window->setLayoutDirection(Qt::RightToLeft);
    QCoreApplication::processEvents();
    QCOMPARE(m_input->layoutDirection(), Qt::LeftToRight);
    for (int i = 1; i < OtpCodeInput::Length; ++i)
        QVERIFY(m_input->box(i - 1)->geometry().right() < m_input->box(i)->geometry().left());
    type(QStringLiteral("12"));
    QCOMPARE(m_input->box(0)->text(), QStringLiteral("1")); // the first digit is on the left
    QTest::keyClick(current(), Qt::Key_Left); // Left still means the previous digit
    QCOMPARE(m_input->currentIndex(), 1);
}

QTEST_MAIN(tst_OtpCodeInput)
#include "tst_otpcodeinput.moc"
