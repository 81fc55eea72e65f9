// Overwriting plain copies of secrets and codes: the only copy is overwritten in place; bytes
// shared with another copy, or not owned at all, are left to their owners.
#include "engine/Wipe.h"

#include <QTest>

using namespace waotp;

class tst_Wipe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void onlyCopyIsOverwritten();
    void sharedBytesAreLeftAlone();
    void bytesNotOwnedAreLeftAlone();
    void wipeEmpties();
};

void tst_Wipe::onlyCopyIsOverwritten()
{
    QByteArray bytes = QByteArray("Body=123456").append('!');
    const char *where = bytes.constData();
    QVERIFY(overwrite(bytes));
    QCOMPARE(bytes, QByteArray(12, '\0'));
    QCOMPARE(bytes.constData(), where); // in place, not a fresh copy

    QString text = QStringLiteral("Your code is %1.").arg(u"123456");
    QVERIFY(overwrite(text));
    QCOMPARE(text, QString(text.size(), QChar(0)));
}

void tst_Wipe::sharedBytesAreLeftAlone()
{
    QByteArray mine = QByteArray("123456").append('7');
    const QByteArray theirs = mine;
    QVERIFY(!overwrite(mine));
    QCOMPARE(theirs, QByteArray("1234567"));
    QCOMPARE(mine, QByteArray("1234567"));

    QString text = QStringLiteral("123456").append(u'7');
    const QString other = text;
    QVERIFY(!overwrite(text));
    QCOMPARE(other, QStringLiteral("1234567"));
}

void tst_Wipe::bytesNotOwnedAreLeftAlone()
{
    static const char raw[] = "123456";
    QByteArray view = QByteArray::fromRawData(raw, 6);
    QVERIFY(!overwrite(view));
    QCOMPARE(QByteArray(raw), QByteArray("123456"));
    QString literal = QStringLiteral("123456");
    QVERIFY(!overwrite(literal)); // static data
    QCOMPARE(literal, QStringLiteral("123456"));
}

void tst_Wipe::wipeEmpties()
{
    QByteArray bytes = QByteArray("secret").append('!');
    wipe(bytes);
    QVERIFY(bytes.isEmpty());
    QString text = QStringLiteral("secret").append(u'!');
    wipe(text);
    QVERIFY(text.isEmpty());
}

QTEST_GUILESS_MAIN(tst_Wipe)
#include "tst_wipe.moc"
