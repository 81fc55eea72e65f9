// Settings that are no longer supported: a configuration that still sets one loads, the setting
// is never acted on, and a warning names it (the app, waotp-server and --check-config show it).
#include "ConfigTestSupport.h"
#include "engine/Config.h"
#include "engine/ConfigReport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using namespace waotp::test;

class tst_ConfigRetired : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void demoFallbackFromTheEnvironment_data();
    void demoFallbackFromTheEnvironment();
    void demoFallbackFromTheFile_data();
    void demoFallbackFromTheFile();
    void unsetSaysNothing();
    void reportShowsTheWarningNotTheSetting();

private:
    QString writeFile(const QByteArray &content);
    QTemporaryDir m_dir;
    int m_files = 0;
};

namespace {

const char *const Retired = "WAOTP_ALLOW_DEMO_FALLBACK";

/// The warnings that mention @p name.
QStringList warningsAbout(const ConfigResult &r, const QString &name)
{
    QStringList out;
    for (const QString &w : r.warnings) {
        if (w.contains(name))
            out.append(w);
    }
    return out;
}

} // namespace

void tst_ConfigRetired::initTestCase()
{
    QVERIFY(useTestConfigLocation());
    QVERIFY(m_dir.isValid());
}

QString tst_ConfigRetired::writeFile(const QByteArray &content)
{
    // A kiosk's file as its packaging installs it: the owner's only.
    QFile file(m_dir.filePath(QStringLiteral("kiosk-%1.ini").arg(++m_files)));
    const bool written = file.open(QIODevice::WriteOnly | QIODevice::NewOnly)
        && file.write(content) == content.size()
        && file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    return written ? file.fileName() : QString();
}

void tst_ConfigRetired::demoFallbackFromTheEnvironment_data()
{
    QTest::addColumn<QByteArray>("value");
    // Whatever the value, even one the old reader refused: the setting is not read at all.
    for (const char *value : {"true", "yes", "1", "false", "maybe"})
        QTest::newRow(value) << QByteArray(value);
}

void tst_ConfigRetired::demoFallbackFromTheEnvironment()
{
    QFETCH(QByteArray, value);
    const ConfigResult r = loadConfig(source({{"TWILIO_ACCOUNT_SID", Sid.toLatin1().constData()},
                                              {"TWILIO_AUTH_TOKEN", "test-auth-token-0000"},
                                              {"TWILIO_WHATSAPP_FROM", "+14155238886"},
                                              {Retired, value.constData()}}));
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.config.mode(), AppConfig::Mode::Live);
    const QStringList warnings = warningsAbout(r, QString::fromLatin1(Retired));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().startsWith(u"WAOTP_ALLOW_DEMO_FALLBACK is no longer supported and "
                                         u"is ignored: a failed send is never shown as a code"),
             qPrintable(warnings.first()));
    QVERIFY(warnings.first().contains(u"--demo-scenario"));
}

void tst_ConfigRetired::demoFallbackFromTheFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("section key") << QByteArray("[app]\nbrand=Acme\nallow_demo_fallback=yes\n");
    QTest::newRow("environment name") << QByteArray("WAOTP_ALLOW_DEMO_FALLBACK=true\n"
                                                    "[app]\nbrand=Acme\n");
}

void tst_ConfigRetired::demoFallbackFromTheFile()
{
    // An existing kiosk's file: it is still read, the rest of it applies.
    QFETCH(QByteArray, content);
    const QString file = writeFile(content);
    QVERIFY(!file.isEmpty());
    const ConfigResult r = loadConfig(source({}, file));
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QVERIFY(r.fileRead);
    QCOMPARE(r.config.brand, QStringLiteral("Acme"));
    const QStringList warnings = warningsAbout(r, QStringLiteral("allow_demo_fallback"))
        + warningsAbout(r, QString::fromLatin1(Retired));
    QCOMPARE(warnings.size(), 1); // one warning, not also an "unknown setting"
    QVERIFY2(warnings.first().startsWith(
                 QStringLiteral("app/allow_demo_fallback in '%1' is no longer supported and is "
                                "ignored")
                     .arg(file)),
             qPrintable(warnings.first()));
    for (const QString &w : r.warnings)
        QVERIFY2(!w.startsWith(u"Unknown setting"), qPrintable(w));
}

void tst_ConfigRetired::unsetSaysNothing()
{
    const ConfigResult r = loadConfig(source());
    QVERIFY(r.ok());
    QVERIFY(warningsAbout(r, QString::fromLatin1(Retired)).isEmpty());
}

void tst_ConfigRetired::reportShowsTheWarningNotTheSetting()
{
    const ConfigResult r = loadConfig(source({{Retired, "true"}}));
    const QString text = describeConfig(r);
    const qsizetype warnings = text.indexOf(u"\nWarnings:\n");
    QVERIFY2(warnings > 0, qPrintable(text));
    // Named once, among the warnings: it is not listed as a setting in effect.
    QCOMPARE(text.count(QString::fromLatin1(Retired)), 1);
    QVERIFY(text.indexOf(QString::fromLatin1(Retired)) > warnings);
    QVERIFY(text.contains(u"Result: OK"));
}

QTEST_GUILESS_MAIN(tst_ConfigRetired)
#include "tst_configretired.moc"
