#include "CodeExtraction.h"

#include <QTest>

using namespace waotp;

class tst_CodeExtraction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void extract_data();
    void extract();
    void longTextIsCheap();
};

void tst_CodeExtraction::extract_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code"); // empty: no code

    QTest::newRow("plain") << QStringLiteral("123456") << QStringLiteral("123456");
    QTest::newRow("leading zeros") << QStringLiteral("000042") << QStringLiteral("000042");
    QTest::newRow("space") << QStringLiteral("123 456") << QStringLiteral("123456");
    QTest::newRow("dash") << QStringLiteral("123-456") << QStringLiteral("123456");
    QTest::newRow("no-break space") << QStringLiteral("123\u00A0456") << QStringLiteral("123456");
    QTest::newRow("spaced out") << QStringLiteral("1 2 3 4 5 6") << QStringLiteral("123456");
    QTest::newRow("pairs") << QStringLiteral("12-34-56") << QStringLiteral("123456");
    QTest::newRow("surrounding white space")
        << QStringLiteral("  123456\n") << QStringLiteral("123456");
    QTest::newRow("sentence") << QStringLiteral("Your code is 123456. Do not share it.")
                              << QStringLiteral("123456");
    QTest::newRow("sentence, grouped")
        << QStringLiteral("Your code is 123 456. Valid for 5 minutes.") << QStringLiteral("123456");
    QTest::newRow("whatsapp template")
        << QStringLiteral("*654321* is your verification code. For your security, do not share "
                          "this code.")
        << QStringLiteral("654321");
    QTest::newRow("prefixed") << QStringLiteral("G-482913") << QStringLiteral("482913");
    QTest::newRow("with minutes") << QStringLiteral("Code 987654 expires in 10 minutes")
                                  << QStringLiteral("987654");
    QTest::newRow("same code twice")
        << QStringLiteral("123456 (123456)") << QStringLiteral("123456");
    QTest::newRow("arabic-indic digits")
        << QStringLiteral("\u0661\u0662\u0663\u0664\u0665\u0666") << QStringLiteral("123456");
    QTest::newRow("fullwidth digits")
        << QStringLiteral("\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16") << QStringLiteral("123456");

    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("letters") << QStringLiteral("abcdef") << QString();
    QTest::newRow("five digits") << QStringLiteral("12345") << QString();
    QTest::newRow("seven digits") << QStringLiteral("1234567") << QString();
    QTest::newRow("phone number") << QStringLiteral("+91 98765 43210") << QString();
    QTest::newRow("phone in sentence") << QStringLiteral("Call 9876543210 now") << QString();
    QTest::newRow("two different codes") << QStringLiteral("123456 or 654321") << QString();
    QTest::newRow("three groups") << QStringLiteral("Call 123 456 789") << QString();
    QTest::newRow("spaced seven") << QStringLiteral("1 2 3 4 5 6 7") << QString();
    QTest::newRow("minutes only") << QStringLiteral("Valid for 5 minutes") << QString();
    QTest::newRow("wide gap") << QStringLiteral("Room 123   Floor 456") << QString();
}

void tst_CodeExtraction::extract()
{
    QFETCH(QString, text);
    QFETCH(QString, code);
    const std::optional<QString> found = extractCode(text);
    if (code.isEmpty()) {
        QVERIFY2(!found, qPrintable(found.value_or(QString())));
    } else {
        QVERIFY(found);
        QCOMPARE(*found, code);
    }
}

void tst_CodeExtraction::longTextIsCheap()
{
    // A clipboard can hold megabytes; only the start is read, and a code there is still found.
    QString text = QStringLiteral("Your code is 246810. ");
    text += QString(1'000'000, QLatin1Char('7'));
    QCOMPARE(extractCode(text).value_or(QString()), QStringLiteral("246810"));
}

QTEST_APPLESS_MAIN(tst_CodeExtraction)
#include "tst_codeextraction.moc"
