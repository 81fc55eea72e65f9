// The phone page and its country picker on their own.
#include "AssistiveTechnology.h"
#include "CountryPicker.h"
#include "PhoneEntryPage.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace waotp;
using namespace waotp::test;

class tst_PhoneEntryPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void formatsAsYouType_data();
    void formatsAsYouType();
    void backspaceOverASeparator();
    void validation_data();
    void validation();
    void tooShortWaitsForTheEndOfTyping();
    void enterSubmitsAValidNumber();
    void enterOnAnInvalidNumberExplains();
    void flowToggle();
    void busyState();
    void textFromAssistiveTechnology_data();
    void textFromAssistiveTechnology();
    void busyRefusesTextFromAssistiveTechnology();
    void messages();
    void keypad();
    void numberWithCountryCodeMovesThePicker();
    void pickerSearch_data();
    void pickerSearch();
    void pickerKeyboard();
    void pickerChangeReformats();
    void flags();
    void flagImages();
    void flagOnTheButton();

private:
    PhoneEntryPage *m_page = nullptr;
};

void tst_PhoneEntryPage::init()
{
    m_page = new PhoneEntryPage(QStringLiteral("IN"));
    m_page->resize(440, 520);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowActive(m_page));
    m_page->focusPhone();
}

void tst_PhoneEntryPage::cleanup()
{
    delete m_page;
    m_page = nullptr;
}

void tst_PhoneEntryPage::formatsAsYouType_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("shown");
    QTest::newRow("IN partial") << QStringLiteral("IN") << QStringLiteral("98765")
                                << QStringLiteral("98765");
    QTest::newRow("IN full") << QStringLiteral("IN") << QStringLiteral("9876543210")
                             << QStringLiteral("98765 43210");
    QTest::newRow("IN with letters")
        << QStringLiteral("IN") << QStringLiteral("98a765x43210") << QStringLiteral("98765 43210");
    QTest::newRow("US") << QStringLiteral("US") << QStringLiteral("4155552671")
                        << QStringLiteral("(415) 555-2671");
    QTest::newRow("international") << QStringLiteral("IN") << QStringLiteral("+447400123456")
                                   << QStringLiteral("+44 7400 123456");
}

void tst_PhoneEntryPage::formatsAsYouType()
{
    QFETCH(QString, region);
    QFETCH(QString, typed);
    QFETCH(QString, shown);
    m_page->setRegion(region);
    QTest::keyClicks(m_page->phoneEdit(), typed);
    QCOMPARE(m_page->phoneText(), shown);
    QCOMPARE(m_page->phoneEdit()->cursorPosition(), shown.size());
}

void tst_PhoneEntryPage::backspaceOverASeparator()
{
    QTest::keyClicks(m_page->phoneEdit(), QStringLiteral("9876543210"));
    QCOMPARE(m_page->phoneText(), QStringLiteral("98765 43210"));
    // Put the cursor right after the space and press Backspace: the 5 goes, not just the space.
    m_page->phoneEdit()->setCursorPosition(6);
    QTest::keyClick(m_page->phoneEdit(), Qt::Key_Backspace);
    QCOMPARE(m_page->phoneText(), QStringLiteral("98764 3210"));
    QCOMPARE(m_page->phoneEdit()->cursorPosition(), 4);
}

void tst_PhoneEntryPage::validation_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("error"); // after the field is left
    QTest::newRow("valid IN") << QStringLiteral("IN") << QStringLiteral("9876543210") << true
                              << QString();
    QTest::newRow("valid with 0") << QStringLiteral("IN") << QStringLiteral("09876543210") << true
                                  << QString();
    QTest::newRow("too short") << QStringLiteral("IN") << QStringLiteral("98765") << false
                               << QStringLiteral("This number is too short.");
    QTest::newRow("too long") << QStringLiteral("IN") << QStringLiteral("98765432101234") << false
                              << QStringLiteral("This number is too long.");
    QTest::newRow("unknown country code")
        << QStringLiteral("IN") << QStringLiteral("+999123456789") << false
        << QStringLiteral("This country code does not exist.");
    QTest::newRow("landline") << QStringLiteral("IN") << QStringLiteral("01123456789") << false
                              << QStringLiteral(
                                     "This is a landline number; WhatsApp needs a mobile number.");
}

void tst_PhoneEntryPage::validation()
{
    QFETCH(QString, region);
    QFETCH(QString, typed);
    QFETCH(bool, valid);
    QFETCH(QString, error);
    m_page->setRegion(region);
    QTest::keyClicks(m_page->phoneEdit(), typed);
    QCOMPARE(m_page->number().has_value(), valid);
    QCOMPARE(m_page->sendButton()->isEnabled(), valid);
    Q_EMIT m_page->phoneEdit()->editingFinished(); // the field is left
    QCOMPARE(m_page->validationText(), error);
    QCOMPARE(m_page->phoneEdit()->property("error").toBool(), !error.isEmpty());
}

void tst_PhoneEntryPage::tooShortWaitsForTheEndOfTyping()
{
    QSignalSpy announced(m_page, &PhoneEntryPage::announcementDue);
    QTest::keyClicks(m_page->phoneEdit(), QStringLiteral("987"));
    QCOMPARE(m_page->validationText(), QString()); // nobody types ten digits at once
    QCOMPARE(announced.size(), 0);
    Q_EMIT m_page->phoneEdit()->editingFinished();
    QCOMPARE(m_page->validationText(), QStringLiteral("This number is too short."));
    QCOMPARE(announced.size(), 1);
    QCOMPARE(announced.at(0).at(1).toString(), QStringLiteral("This number is too short."));
    QCOMPARE(m_page->phoneEdit()->accessibleDescription(),
             QStringLiteral("This number is too short."));
    QTest::keyClicks(m_page->phoneEdit(), QStringLiteral("6543210"));
    QCOMPARE(m_page->validationText(), QString());
}

void tst_PhoneEntryPage::enterSubmitsAValidNumber()
{
    QSignalSpy send(m_page, &PhoneEntryPage::sendRequested);
    QTest::keyClicks(m_page->phoneEdit(), QStringLiteral("9876543210"));
    QTest::keyClick(m_page->phoneEdit(), Qt::Key_Return);
    QCOMPARE(send.size(), 1);
    QCOMPARE(m_page->number()->e164(), QStringLiteral("+919876543210"));
}

void tst_PhoneEntryPage::enterOnAnInvalidNumberExplains()
{
    QSignalSpy send(m_page, &PhoneEntryPage::sendRequested);
    QTest::keyClicks(m_page->phoneEdit(), QStringLiteral("98765"));
    QTest::keyClick(m_page->phoneEdit(), Qt::Key_Return);
    QCOMPARE(send.size(), 0);
    QCOMPARE(m_page->validationText(), QStringLiteral("This number is too short."));
}

void tst_PhoneEntryPage::flowToggle()
{
    QSignalSpy changed(m_page, &PhoneEntryPage::flowChanged);
    QCOMPARE(m_page->flow(), Purpose::SignUp);
    QVERIFY(m_page->flowButton(Purpose::SignUp)->isChecked());
    QTest::mouseClick(m_page->flowButton(Purpose::SignIn), Qt::LeftButton);
    QCOMPARE(m_page->flow(), Purpose::SignIn);
    QVERIFY(!m_page->flowButton(Purpose::SignUp)->isChecked());
    QCOMPARE(changed.size(), 1);
    QTest::mouseClick(m_page->flowButton(Purpose::SignIn), Qt::LeftButton); // already chosen
    QCOMPARE(changed.size(), 1);
    m_page->setFlow(Purpose::SignUp);
    QVERIFY(m_page->flowButton(Purpose::SignUp)->isChecked());
    QCOMPARE(changed.size(), 2);
}

void tst_PhoneEntryPage::busyState()
{
    QTest::keyClicks(m_page->phoneEdit(), QStringLiteral("9876543210"));
    m_page->setBusy(true);
    QCOMPARE(m_page->sendButton()->text(), QStringLiteral("Sending…"));
    QVERIFY(!m_page->sendButton()->isEnabled());
    QVERIFY(m_page->phoneEdit()->isReadOnly());
    QVERIFY(!m_page->countryPicker()->isEnabled());
    QVERIFY(!m_page->flowButton(Purpose::SignIn)->isEnabled());
    QSignalSpy send(m_page, &PhoneEntryPage::sendRequested);
    QTest::keyClick(m_page->phoneEdit(), Qt::Key_Return);
    QCOMPARE(send.size(), 0);
    m_page->setBusy(false);
    QCOMPARE(m_page->sendButton()->text(), QStringLiteral("Send code on WhatsApp"));
    QVERIFY(m_page->sendButton()->isEnabled());
}

void tst_PhoneEntryPage::textFromAssistiveTechnology_data()
{
    QTest::addColumn<QString>("before"); // typed first
    QTest::addColumn<bool>("insert"); // InsertText at the end, or SetTextContents
    QTest::addColumn<QString>("set");
    QTest::newRow("set into an empty field") << QString() << false << QStringLiteral("9876543210");
    QTest::newRow("replace a typed number")
        << QStringLiteral("12345") << false << QStringLiteral("98765-43210");
    QTest::newRow("insert the rest") << QStringLiteral("98765") << true << QStringLiteral("43210");
}

void tst_PhoneEntryPage::textFromAssistiveTechnology()
{
    QFETCH(QString, before);
    QFETCH(bool, insert);
    QFETCH(QString, set);
    QLineEdit *edit = m_page->phoneEdit();
    QTest::keyClicks(edit, before);
    QPushButton *send = m_page->sendButton();
    // A disabled button has no Press action for an assistive technology to find.
    QVERIFY(!send->isEnabled());
    QVERIFY(!accessibleActions(send).contains(QAccessibleActionInterface::pressAction()));

    QSignalSpy edited(edit, &QLineEdit::textEdited);
    QSignalSpy changed(edit, &QLineEdit::textChanged);
    QSignalSpy numberChanged(m_page, &PhoneEntryPage::numberChanged);
    QVERIFY(insert ? assistiveInsertText(edit, int(edit->text().size()), set)
                   : assistiveSetText(edit, set));
    QCOMPARE(edited.size(), 0); // no key was pressed: Qt sets the text
    // Formatted, validated and ready to send, as if typed; the formatter's own change of the
    // text does not start another round.
    QCOMPARE(m_page->phoneText(), QStringLiteral("98765 43210"));
    QVERIFY(m_page->number());
    QCOMPARE(numberChanged.size(), 1);
    QVERIFY2(changed.size() <= 2, qPrintable(QString::number(changed.size())));
    QVERIFY(send->isEnabled());
    QVERIFY(accessibleActions(send).contains(QAccessibleActionInterface::pressAction()));
    QSignalSpy sendRequested(m_page, &PhoneEntryPage::sendRequested);
    QVERIFY(assistivePress(send));
    QTRY_COMPARE(sendRequested.size(), 1); // Press is an animated click

    // Deleting the text through the same interface disables the button again.
    QVERIFY(assistiveDeleteText(edit));
    QCOMPARE(m_page->phoneText(), QString());
    QVERIFY(!send->isEnabled());
    QVERIFY(!accessibleActions(send).contains(QAccessibleActionInterface::pressAction()));
}

void tst_PhoneEntryPage::busyRefusesTextFromAssistiveTechnology()
{
    // While the code is on its way the field is read-only: the number being sent stays shown.
    QTest::keyClicks(m_page->phoneEdit(), QStringLiteral("9876543210"));
    m_page->setBusy(true);
    QVERIFY(assistiveSetText(m_page->phoneEdit(), QStringLiteral("9123456789")));
    QCOMPARE(m_page->phoneText(), QStringLiteral("98765 43210"));
    QCOMPARE(m_page->number()->e164(), QStringLiteral("+919876543210"));
    m_page->setBusy(false);
    QVERIFY(assistiveSetText(m_page->phoneEdit(), QStringLiteral("9123456789")));
    QCOMPARE(m_page->number()->e164(), QStringLiteral("+919123456789"));
}

void tst_PhoneEntryPage::messages()
{
    QSignalSpy switchFlow(m_page, &PhoneEntryPage::switchFlowRequested);
    m_page->showAccountHint(QStringLiteral("No account."), QStringLiteral("Sign up instead"));
    QCOMPARE(m_page->messageText(), QStringLiteral("No account."));
    QVERIFY(m_page->switchFlowButton()->isVisible());
    QTest::mouseClick(m_page->switchFlowButton(), Qt::LeftButton);
    QCOMPARE(switchFlow.size(), 1);
    m_page->showSendError(QStringLiteral("No connection."));
    QCOMPARE(m_page->messageText(), QStringLiteral("No connection."));
    QVERIFY(!m_page->switchFlowButton()->isVisible());
    m_page->clearMessages();
    QCOMPARE(m_page->messageText(), QString());
    // Choosing the other flow clears an offer that no longer applies.
    m_page->showAccountHint(QStringLiteral("No account."), QStringLiteral("Sign up instead"));
    QTest::mouseClick(m_page->flowButton(Purpose::SignIn), Qt::LeftButton);
    QCOMPARE(m_page->messageText(), QString());
}

void tst_PhoneEntryPage::keypad()
{
    for (const QChar c : QStringLiteral("98765432109"))
        m_page->typeDigit(c);
    m_page->backspace();
    QCOMPARE(m_page->phoneText(), QStringLiteral("98765 43210"));
    QVERIFY(m_page->number());
    m_page->phoneEdit()->setCursorPosition(0);
    m_page->backspace(); // nothing before the cursor
    QCOMPARE(m_page->phoneText(), QStringLiteral("98765 43210"));
}

void tst_PhoneEntryPage::numberWithCountryCodeMovesThePicker()
{
    QSignalSpy region(m_page->countryPicker(), &CountryPicker::regionChanged);
    QTest::keyClicks(m_page->phoneEdit(), QStringLiteral("+447400123456"));
    QVERIFY(m_page->number());
    QCOMPARE(m_page->region(), QStringLiteral("GB"));
    QCOMPARE(m_page->number()->e164(), QStringLiteral("+447400123456"));
}

void tst_PhoneEntryPage::pickerSearch_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("first");
    QTest::newRow("name") << QStringLiteral("indi") << QStringLiteral("IN");
    QTest::newRow("name, any case") << QStringLiteral("GERMANY") << QStringLiteral("DE");
    QTest::newRow("native name") << QStringLiteral("deutschland") << QStringLiteral("DE");
    QTest::newRow("native, without accents") << QStringLiteral("cote d") << QStringLiteral("CI");
    QTest::newRow("word start") << QStringLiteral("ind") << QStringLiteral("IN");
    QTest::newRow("calling code") << QStringLiteral("+44") << QStringLiteral("GG");
    QTest::newRow("calling code, no plus") << QStringLiteral("91") << QStringLiteral("IN");
    QTest::newRow("region code") << QStringLiteral("br") << QStringLiteral("BR");
}

void tst_PhoneEntryPage::pickerSearch()
{
    QFETCH(QString, query);
    QFETCH(QString, first);
    CountryPicker *picker = m_page->countryPicker();
    QTest::mouseClick(picker->button(), Qt::LeftButton);
    QTRY_VERIFY(picker->isPopupVisible());
    QTest::keyClicks(picker->searchEdit(), query);
    const QModelIndex current = picker->listView()->currentIndex();
    QVERIFY(current.isValid());
    // "+44" matches the United Kingdom and the islands that share its code.
    QString regions;
    for (int row = 0; row < picker->listView()->model()->rowCount(); ++row)
        regions += picker->listView()->model()->index(row, 0).data().toString() + QLatin1Char('|');
    QTest::keyClick(picker->searchEdit(), Qt::Key_Return);
    QVERIFY(!picker->isPopupVisible());
    if (query == QLatin1String("+44")) {
        QVERIFY2(regions.contains(QLatin1String("United Kingdom")), qPrintable(regions));
        QVERIFY(!regions.contains(QLatin1String("India")));
    } else {
        QCOMPARE(picker->region(), first);
    }
}

void tst_PhoneEntryPage::pickerKeyboard()
{
    CountryPicker *picker = m_page->countryPicker();
    picker->button()->setFocus();
    QTest::keyClick(picker->button(), Qt::Key_Space);
    QTRY_VERIFY(picker->isPopupVisible());
    QCOMPARE(QApplication::focusWidget(), picker->searchEdit());
    QTest::keyClicks(picker->searchEdit(), QStringLiteral("united"));
    QTest::keyClick(picker->searchEdit(), Qt::Key_Down);
    const QString chosen = picker->listView()->currentIndex().data().toString();
    QTest::keyClick(picker->searchEdit(), Qt::Key_Enter);
    QVERIFY(!picker->isPopupVisible());
    QVERIFY(chosen.contains(QLatin1String("United")));
    QVERIFY(picker->region() != QLatin1String("IN"));
    // Escape closes without choosing.
    const QString before = picker->region();
    picker->showPopup();
    QTest::keyClicks(picker->searchEdit(), QStringLiteral("japan"));
    QTest::keyClick(picker->searchEdit(), Qt::Key_Escape);
    QVERIFY(!picker->isPopupVisible());
    QCOMPARE(picker->region(), before);
}

void tst_PhoneEntryPage::pickerChangeReformats()
{
    QTest::keyClicks(m_page->phoneEdit(), QStringLiteral("4155552671"));
    QVERIFY(!m_page->number()); // not an Indian number
    m_page->setRegion(QStringLiteral("US"));
    QCOMPARE(m_page->phoneText(), QStringLiteral("(415) 555-2671"));
    QVERIFY(m_page->number());
    QCOMPARE(m_page->number()->e164(), QStringLiteral("+14155552671"));
    QVERIFY(m_page->countryPicker()->button()->accessibleName().contains(QLatin1String("+1")));
}

// Counts the pixels that are neither transparent nor grey: the flag's colours.
int colouredPixels(const QImage &image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() > 128 && c.hsvSaturation() > 80)
                ++n;
        }
    }
    return n;
}

void tst_PhoneEntryPage::flagImages()
{
    QVERIFY(flagImage(QStringLiteral("1"), 20, 1.0).isNull());
    QVERIFY(flagImage(QString(), 20, 1.0).isNull());
    QVERIFY(flagImage(QStringLiteral("IN"), 0, 1.0).isNull());
    if (!flagsAvailable()) {
        QVERIFY(flagImage(QStringLiteral("IN"), 20, 1.0).isNull());
        QSKIP("no colour emoji font (Debian: fonts-noto-color-emoji)");
    }

    // Drawn on another thread, the same pixels as on this one, in the announced box.
    prefetchFlag(QStringLiteral("fr"), 22, 2.0);
    const QImage threaded = flagImage(QStringLiteral("FR"), 22, 2.0);
    const QImage here = drawFlag(QStringLiteral("FR"), 22, 2.0);
    QCOMPARE(threaded.deviceIndependentSize().toSize(), flagSize(22));
    QCOMPARE(threaded.devicePixelRatio(), 2.0);
    QCOMPARE(threaded.size(), here.size());
    QVERIFY(threaded == here);
    QVERIFY(drawFlag(QStringLiteral("1"), 22, 2.0).isNull());
    // A real flag, not an empty box: blue, white and red fill a good part of it.
    QVERIFY2(colouredPixels(threaded) > threaded.width() * threaded.height() / 4,
             qPrintable(QString::number(colouredPixels(threaded))));

    // Asked again: the same image, not drawn again. Twice the pixel size: twice as tall.
    QCOMPARE(flagImage(QStringLiteral("FR"), 22, 2.0).cacheKey(), threaded.cacheKey());
    const QImage big = flagImage(QStringLiteral("FR"), 44, 2.0);
    QVERIFY(qAbs(big.height() - 2 * threaded.height()) <= 4);
}

void tst_PhoneEntryPage::flagOnTheButton()
{
    QToolButton *button = m_page->countryPicker()->button();
    QVERIFY(button->text().contains(QLatin1String("+91")));
    if (!flagsAvailable()) {
        QVERIFY(button->icon().isNull());
        QVERIFY(button->text().startsWith(QLatin1String("IN")));
        QSKIP("no colour emoji font (Debian: fonts-noto-color-emoji)");
    }
    QVERIFY(!button->icon().isNull());
    QVERIFY(!button->text().contains(QLatin1String("IN")));
    const QSize small = button->iconSize();
    // The icon paints the drawn flag (waiting for it if it is still being drawn).
    const int pixelSize = textPixelSize(button->font(), button);
    QCOMPARE(small, flagSize(pixelSize));
    const QImage drawn = drawFlag(QStringLiteral("IN"), pixelSize, 1.0);
    QCOMPARE(button->icon().pixmap(small, 1.0).toImage().convertToFormat(drawn.format()), drawn);
    QVERIFY(colouredPixels(button->icon().pixmap(small, 1.0).toImage()) > 0);
    QVERIFY(small.height() >= button->fontMetrics().height() - 2);

    const qint64 india = button->icon().cacheKey();
    m_page->setRegion(QStringLiteral("US"));
    QVERIFY(button->text().contains(QLatin1String("+1")));
    QVERIFY(button->icon().cacheKey() != india);

    // Larger text, a larger flag.
    QFont bigger = button->font();
    bigger.setPointSizeF(bigger.pointSizeF() * 2);
    button->setFont(bigger);
    QVERIFY(button->iconSize().height() > small.height() * 3 / 2);
}

void tst_PhoneEntryPage::flags()
{
    const QString flag = flagFor(QStringLiteral("IN"));
    if (flagsAvailable())
        QCOMPARE(flag, QStringLiteral("\U0001F1EE\U0001F1F3"));
    else
        QCOMPARE(flag, QStringLiteral("IN")); // no colour emoji font: the code instead
    QCOMPARE(flagFor(QStringLiteral("1")), QStringLiteral("1"));
    const QList<Country> countries = allCountries();
    QVERIFY(countries.size() > 200);
    const auto india = std::find_if(countries.cbegin(), countries.cend(),
                                    [](const Country &c) { return c.region == u"IN"; });
    QVERIFY(india != countries.cend());
    QCOMPARE(india->name, QStringLiteral("India"));
    QCOMPARE(india->callingCode, 91);
}

QTEST_MAIN(tst_PhoneEntryPage)
#include "tst_phoneentrypage.moc"
