// The INI parser of configuration files: the same values as QSettings for what configuration
// files hold (compared with QSettings itself), and the lines it refuses or ignores.
#include "engine/IniText.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;

class tst_IniText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameAsQSettings_data();
    void sameAsQSettings();
    void valuesKeepTheirCommas();
    void problems_data();
    void problems();
};

void tst_IniText::sameAsQSettings_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("sections") << QByteArray(
        "[twilio]\naccount_sid=AC1\nauth_token = abc \n[app]\nbrand=Acme\n");
    QTest::newRow("general") << QByteArray("TWILIO_AUTH_TOKEN=t\n[General]\nWAOTP_BRAND=B\n"
                                           "[general]\nWAOTP_STORE=memory\n");
    QTest::newRow("comments") << QByteArray("; a comment\n[app]\n  ; indented\nbrand=A ; note\n");
    QTest::newRow("quotes") << QByteArray("[app]\nbrand=\" spaced ; kept \"\nx = \"a\"\n");
    QTest::newRow("escapes") << QByteArray("a=x\\ty\\\\z\\\"q\nb=\\x41\\101\\n\nc=\\q\n");
    QTest::newRow("continued line") << QByteArray("a=one\\\n  two\nb=2\n");
    QTest::newRow("crlf and cr") << QByteArray("[app]\r\nbrand=A\r\nstore=memory\rx=1\r\n");
    QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF[app]\nbrand=B\n");
    QTest::newRow("utf-8") << QByteArray("[app]\nbrand=caf\xC3\xA9 \xE0\xA4\x95\n");
    QTest::newRow("empty values") << QByteArray("[app]\nbrand=\nstore=  \n");
    QTest::newRow("last one counts") << QByteArray("[s]\nk=1\nk=2\n[s]\nk=3\n");
    QTest::newRow("nested section") << QByteArray("[twilio/sub]\nk=3\n");
    QTest::newRow("at signs") << QByteArray("a=@@x\nb=@foo\n");
    QTest::newRow("spaces inside") << QByteArray("a=a   b  \n  key with space = 1\n");
    QTest::newRow("secret with symbols")
        << QByteArray("[app]\nstore_secret=\"p@ss;w=rd#1\"\nstore=redis://:pw@127.0.0.1:6379\n");
}

void tst_IniText::sameAsQSettings()
{
    QFETCH(QByteArray, text);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.ini"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
    f.close();
    QSettings settings(path, QSettings::IniFormat);
    QCOMPARE(settings.status(), QSettings::NoError);
    QMap<QString, QString> expected;
    for (const QString &key : settings.allKeys())
        expected.insert(key, settings.value(key).toString());

    const IniText ini = parseIni(text);
    QVERIFY2(ini.errors.isEmpty(), qPrintable(ini.errors.join(u'\n')));
    QCOMPARE(ini.values, expected);
}

void tst_IniText::valuesKeepTheirCommas()
{
    // QSettings makes a list of "a, b" (the configuration joined it again with ", "): here the
    // value is the text as written.
    const IniText ini = parseIni("[app]\nbrand=Acme, Inc\ncountries=IN,US , BR\n");
    QCOMPARE(ini.values.value(QStringLiteral("app/brand")), QStringLiteral("Acme, Inc"));
    QCOMPARE(ini.values.value(QStringLiteral("app/countries")), QStringLiteral("IN,US , BR"));
}

void tst_IniText::problems_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("errors");
    QTest::addColumn<QStringList>("warnings");
    QTest::newRow("open section") << QByteArray(
        "a=1\n[twilio\nb=2\n") << QStringList {QStringLiteral("line 2: a section without its ']'")}
                                  << QStringList();
    QTest::newRow("open quote") << QByteArray(
        "a=\"one\nb=2\n") << QStringList {QStringLiteral("line 1: a quote that is not closed")}
                                << QStringList();
    QTest::newRow("no equals sign")
        << QByteArray("[app]\nbrand\n") << QStringList()
        << QStringList {QStringLiteral("line 2: no '=', so it is ignored")};
    QTest::newRow("no key") << QByteArray("b=1\n\n=2\n") << QStringList()
                            << QStringList {QStringLiteral("line 3: a value without a key is "
                                                           "ignored")};
    QTest::newRow("hash comment") << QByteArray("#x=1\n") << QStringList() << QStringList();
}

void tst_IniText::problems()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, errors);
    QFETCH(QStringList, warnings);
    const IniText ini = parseIni(text);
    QCOMPARE(ini.errors, errors);
    QCOMPARE(ini.warnings, warnings);
}

QTEST_GUILESS_MAIN(tst_IniText)
#include "tst_initext.moc"
