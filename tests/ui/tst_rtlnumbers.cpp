// A phone number inside right-to-left text, with the Arabic translation: on the code page, the
// success page and in the phone page's account hint the number is one left-to-right run that
// never wraps, and so is the country picker's calling code. Each label's text is laid out the
// way QLabel lays it out (its font, alignment, direction and wrapping) at its width on a dialog
// of a usual size and at every narrower width down to a third of it. Pictures of the pages go
// to <build>/screenshots/ar-*.png.
#include "CountryPicker.h"
#include "Theme.h"
#include "Toast.h"
#include "UiFixture.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QDir>
#include <QGlyphRun>
#include <QLabel>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QToolButton>
#include <QTranslator>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

// The label's text laid out as QLabel does it, @p width wide. A paragraph takes its direction
// from its text (a rich text label's document, a plain one's QString::isRightToLeft()), not
// from the layout: an Arabic sentence is right to left, a number on its own left to right.
std::unique_ptr<QTextDocument> layOut(const QLabel *label, int width)
{
    auto doc = std::make_unique<QTextDocument>();
    doc->setDefaultFont(label->font());
    doc->setDocumentMargin(0);
    QTextOption option;
    option.setAlignment(label->alignment());
    option.setTextDirection(Qt::LayoutDirectionAuto);
    option.setWrapMode(label->wordWrap() ? QTextOption::WordWrap : QTextOption::ManualWrap);
    doc->setDefaultTextOption(option);
    const bool rich = label->textFormat() == Qt::RichText
        || (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()));
    if (rich)
        doc->setHtml(label->text());
    else
        doc->setPlainText(label->text());
    doc->setTextWidth(label->wordWrap() ? width : -1);
    doc->documentLayout(); // lays it out
    return doc;
}

struct Glyph
{
    int line;
    qreal x;
};

// Where each character of @p number (its digits, plus and dashes) is in @p doc: the line it is
// on and the x of its leading edge. Empty if the number is not in the text.
QList<Glyph> placeNumber(const QTextDocument &doc, const QString &number)
{
    const QString text = doc.toRawText(); // keeps the no-break spaces and the isolates
    // The number's characters in order, whatever joins its groups in the text.
    QList<int> positions;
    for (qsizetype from = 0; from < text.size() && positions.isEmpty(); ++from) {
        QList<int> found;
        qsizetype at = from;
        for (const QChar c : number) {
            if (c.isSpace())
                continue;
            while (at < text.size() && text.at(at) != c && !text.at(at).isDigit()
                   && text.at(at) != u'+')
                ++at; // separators, isolates, word joiners
            if (at >= text.size() || text.at(at) != c)
                break;
            found.append(int(at++));
        }
        if (found.size() == number.size() - number.count(u' '))
            positions = found;
    }
    QList<Glyph> out;
    for (const int pos : std::as_const(positions)) {
        const QTextBlock block = doc.findBlock(pos);
        const int inBlock = pos - block.position();
        // The glyph itself: a cursor position where a left-to-right run meets right-to-left
        // text has two x's.
        const QList<QGlyphRun> glyph = block.layout()->glyphRuns(inBlock, 1);
        if (glyph.isEmpty())
            return {};
        out.append({block.layout()->lineForTextPosition(inBlock).lineNumber(),
                    glyph.first().boundingRect().center().x()});
    }
    return out;
}

} // namespace

class tst_RtlNumbers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void numberInArabicText_data();
    void numberInArabicText();

private:
    void checkNumber(const QLabel *label, const QString &number);
    void save(QWidget *w, const QString &name);
    QTranslator m_arabic;
};

void tst_RtlNumbers::initTestCase()
{
    // As `waotp --lang ar` starts: the Arabic translation, right to left.
    QVERIFY(m_arabic.load(QStringLiteral(":/i18n/waotp_ar.qm")));
    QVERIFY(QCoreApplication::installTranslator(&m_arabic));
    QLocale::setDefault(QLocale(QLocale::Arabic));
    QGuiApplication::setLayoutDirection(Qt::RightToLeft);
    applyTheme(*qApp, Theme::Light);
    QVERIFY(QDir().mkpath(QStringLiteral(WAOTP_SCREENSHOT_DIR)));
}

void tst_RtlNumbers::cleanupTestCase()
{
    QCoreApplication::removeTranslator(&m_arabic);
}

void tst_RtlNumbers::checkNumber(const QLabel *label, const QString &number)
{
    const QString id = label->objectName() + QLatin1Char(' ') + number;
    const int full = label->contentsRect().width();
    QVERIFY2(full > 100, qPrintable(id));
    const int step = label->wordWrap() ? 1 : full;
    for (int width = full; width >= full / 3; width -= step) {
        const auto doc = layOut(label, width);
        const QList<Glyph> glyphs = placeNumber(*doc, number);
        const QString where = id + QStringLiteral(" at %1 px").arg(width);
        QVERIFY2(!glyphs.isEmpty(), qPrintable(where + QStringLiteral(": number not found")));
        for (qsizetype i = 1; i < glyphs.size(); ++i) {
            // One line...
            QVERIFY2(glyphs.at(i).line == glyphs.first().line,
                     qPrintable(where + QStringLiteral(": wraps at character %1").arg(i)));
            // ...read left to right: "+91 98765 43210", never "43210 98765 +91".
            QVERIFY2(glyphs.at(i).x > glyphs.at(i - 1).x,
                     qPrintable(
                         where + QStringLiteral(": character %1 is left of %2").arg(i).arg(i - 1)));
        }
    }
}

void tst_RtlNumbers::save(QWidget *w, const QString &name)
{
    const QPixmap shot = w->grab();
    QVERIFY(!shot.isNull());
    QVERIFY(shot.save(QStringLiteral(WAOTP_SCREENSHOT_DIR "/") + name + QStringLiteral(".png")));
}

void tst_RtlNumbers::numberInArabicText_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("international");
    QTest::addColumn<QString>("masked");
    QTest::newRow("in") << QStringLiteral("9876543210") << QStringLiteral("+91 98765 43210")
                        << QStringLiteral("+91 \u2022\u2022\u2022\u2022\u2022 \u20223210");
    QTest::newRow("br") << QStringLiteral("+5511912345678") << QStringLiteral("+55 11 91234-5678")
                        << QStringLiteral("+55 \u2022\u2022 \u2022\u2022\u2022\u2022\u2022-5678");
    QTest::newRow("us") << QStringLiteral("+14155552671") << QStringLiteral("+1 415-555-2671")
                        << QStringLiteral("+1 \u2022\u2022\u2022-\u2022\u2022\u2022-2671");
}

void tst_RtlNumbers::numberInArabicText()
{
    QFETCH(QString, typed);
    QFETCH(QString, international);
    QFETCH(QString, masked);
    const QString row = QString::fromLatin1(QTest::currentDataTag());
    DialogOptions options;
    options.initialFlow = Purpose::SignIn;
    UiFixture f(options);
    f.dialog->resize(460, 640);
    f.dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.dialog.get()));
    QCOMPARE(f.dialog->layoutDirection(), Qt::RightToLeft);

    // Signing in without an account: "there is no account for <number> yet".
    QTest::keyClicks(f.phonePage()->phoneEdit(), typed);
    QVERIFY(f.phonePage()->sendButton()->isEnabled());
    f.phonePage()->sendButton()->click();
    QTRY_VERIFY(f.phonePage()->switchFlowButton()->isVisible());
    QCoreApplication::processEvents();
    checkNumber(f.phonePage()->messageLabel(), international);
    save(f.dialog.get(), QStringLiteral("ar-no-account-") + row);
    // The country picker shows the calling code as "+91", not "91+".
    const QString callingCode = phoneNumberInText(international.section(QLatin1Char(' '), 0, 0));
    QVERIFY(f.phonePage()->countryPicker()->button()->text().contains(callingCode));
    QVERIFY(f.phonePage()->countryPicker()->button()->accessibleName().contains(callingCode));

    // Sign up instead: "enter the 6-digit code we sent to <number> on WhatsApp".
    f.phonePage()->switchFlowButton()->click();
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.verifyPage()));
    f.dialog->toast()->dismiss();
    QCoreApplication::processEvents();
    QVERIFY(!f.verifyPage()->instructionLabel()->text().contains(QLatin1String("Enter")));
    checkNumber(f.verifyPage()->instructionLabel(), international);
    save(f.dialog.get(), QStringLiteral("ar-code-") + row);
    // Screen readers get the same run in the instruction and on the first box.
    QVERIFY(f.verifyPage()->instructionLabel()->accessibleName().contains(
        phoneNumberInText(international)));
    QVERIFY(f.codeInput()->box(0)->accessibleDescription().contains(phoneNumberInText(masked)));

    // The success page shows the number on a line of its own, still left to right.
    f.dialog->setSuccessDelay(1h);
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    f.dialog->toast()->dismiss();
    QCoreApplication::processEvents();
    const QLabel *numberLabel = f.dialog->successPage()->numberLabel();
    checkNumber(numberLabel, international);
    QCOMPARE(numberLabel->accessibleName(), phoneNumberInText(international));
    save(f.dialog.get(), QStringLiteral("ar-success-") + row);
}

QTEST_MAIN(tst_RtlNumbers)
#include "tst_rtlnumbers.moc"
