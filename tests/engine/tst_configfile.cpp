// Configuration sources: their precedence, the config file's keys, the permissions a file with a
// secret must have, and the files that are not read at all.
#include "ConfigTestSupport.h"
#include "engine/Config.h"
#include "engine/ConfigReport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_ConfigFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void precedence();
    void fileKeysBothForms();
    void missingExplicitFileIsAnError();
    void fileWithSecretMustBeOwnerOnly_data();
    void fileWithSecretMustBeOwnerOnly();
    void unknownSettings();
    void fileOthersCanChangeIsRefused();
    void linkedFileIsRefused();
    void unparsableFileIsRefused();

private:
    QString writeFile(const QByteArray &content, QFile::Permissions permissions);
    QTemporaryDir m_dir;
};

void tst_ConfigFile::initTestCase()
{
    QVERIFY(useTestConfigLocation());
    QVERIFY(m_dir.isValid());
}

QString tst_ConfigFile::writeFile(const QByteArray &content, QFile::Permissions permissions)
{
    static int n = 0;
    const QString path = m_dir.filePath(QStringLiteral("waotp-%1.ini").arg(++n));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qFatal("cannot write the test config");
    f.close();
    f.setPermissions(permissions);
    return path;
}

void tst_ConfigFile::precedence()
{
    const QString file =
        writeFile("[app]\nbrand=FromFile\ndefault_country=US\n"
                  "kiosk_idle_timeout=2m\n",
                  QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    ConfigSource s = source({{"WAOTP_BRAND", "FromEnv"}, {"WAOTP_DEFAULT_COUNTRY", "GB"}}, file);
    s.overrides.insert(QStringLiteral("WAOTP_BRAND"), QStringLiteral("FromLine"));
    const ConfigResult r = loadConfig(s);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QVERIFY(r.fileRead);
    QCOMPARE(r.config.brand, QStringLiteral("FromLine"));
    QCOMPARE(r.config.defaultRegion, QStringLiteral("GB"));
    QCOMPARE(r.config.kioskIdleTimeout, 120s);
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_BRAND")), QStringLiteral("command line"));
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_DEFAULT_COUNTRY")),
             QStringLiteral("environment"));
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_KIOSK_IDLE_TIMEOUT")), QStringLiteral("file"));
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_STORE")), QStringLiteral("default"));
}

void tst_ConfigFile::fileKeysBothForms()
{
    const QString file = writeFile("TWILIO_ACCOUNT_SID=" + Sid.toLatin1()
                                       + "\n[twilio]\nauth_token=test-auth-token-0000\n"
                                         "whatsapp_from=+14155238886\n"
                                         "[app]\nbrand=Acme, Inc\n",
                                   QFile::ReadOwner | QFile::WriteOwner);
    const ConfigResult r = loadConfig(source({}, file));
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.config.twilio.accountSid, Sid);
    QCOMPARE(r.config.twilio.authToken, Token);
    QCOMPARE(r.config.brand, QStringLiteral("Acme, Inc")); // a comma is not a list
    QCOMPARE(r.config.mode(), AppConfig::Mode::Live);
}

void tst_ConfigFile::missingExplicitFileIsAnError()
{
    const QString path = m_dir.filePath(QStringLiteral("nope.ini"));
    const ConfigResult r = loadConfig(source({}, path));
    QVERIFY(!r.ok());
    QVERIFY(r.errors.first().contains(u"does not exist"));
}

void tst_ConfigFile::fileWithSecretMustBeOwnerOnly_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("permissions");
    QTest::addColumn<QString>("error");
    const QByteArray secret = "[twilio]\naccount_sid=" + Sid.toLatin1()
        + "\nauth_token=test-auth-token-0000\nwhatsapp_from=+14155238886\n";
    const int owner = int(QFile::ReadOwner | QFile::WriteOwner);
    QTest::newRow("secret, 0600") << secret << owner << QString();
    QTest::newRow("secret, 0644")
        << secret << int(owner | QFile::ReadGroup | QFile::ReadOther)
        << QStringLiteral("Permissions 0644 for '%1' are too open. The file holds "
                          "TWILIO_AUTH_TOKEN, so it must be readable by its owner only; it is "
                          "ignored. Fix it with: chmod 600 '%1'");
    QTest::newRow("secret, 0640") << secret << int(owner | QFile::ReadGroup)
                                  << QStringLiteral("Permissions 0640 for '%1' are too open.");
    QTest::newRow("store secret, 0604")
        << QByteArray("[app]\nstore_secret=abcdefgh\n") << int(owner | QFile::ReadOther)
        << QStringLiteral("Permissions 0604 for '%1' are too open. The file holds "
                          "WAOTP_STORE_SECRET");
    QTest::newRow("no secret, 0644")
        << QByteArray("[app]\nbrand=Acme\n") << int(owner | QFile::ReadGroup | QFile::ReadOther)
        << QString();
}

void tst_ConfigFile::fileWithSecretMustBeOwnerOnly()
{
#ifndef Q_OS_UNIX
    QSKIP("POSIX permissions only");
#endif
    QFETCH(QByteArray, content);
    QFETCH(int, permissions);
    QFETCH(QString, error);
    const QString path = writeFile(content, QFile::Permissions(permissions));
    const ConfigResult r = loadConfig(source({}, path));
    if (error.isEmpty()) {
        QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
        QVERIFY(r.fileRead);
        return;
    }
    QVERIFY(!r.ok());
    QVERIFY2(r.errors.first().startsWith(error.arg(path)), qPrintable(r.errors.first()));
    QVERIFY(!r.fileRead);
    // Nothing from a refused file is used, its secret least of all.
    QVERIFY(r.config.twilio.authToken.isEmpty());
    QVERIFY(r.config.storeSecret.isEmpty());
    QVERIFY(!describeConfig(r).contains(Token));
}

void tst_ConfigFile::unknownSettings()
{
    const QString file =
        writeFile("[twilio]\naccount_sdi=AC1\n", QFile::ReadOwner | QFile::WriteOwner);
    ConfigSource s = source({}, file);
    s.overrides.insert(QStringLiteral("TWILIO_TOKEN"), QStringLiteral("x"));
    const ConfigResult r = loadConfig(s);
    QVERIFY(r.errors.contains(QStringLiteral("Unknown setting 'TWILIO_TOKEN'.")));
    QVERIFY(r.warnings.contains(
        QStringLiteral("Unknown setting 'twilio/account_sdi' in '%1' is ignored.").arg(file)));
}

void tst_ConfigFile::fileOthersCanChangeIsRefused()
{
    // Without a secret too: whoever may write the file chooses where the codes go.
    const QString path = writeFile("[app]\nbrand=Acme\n[twilio]\napi_base_url=http://127.0.0.1:1\n",
                                   QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup
                                       | QFile::WriteGroup | QFile::ReadOther);
    const ConfigResult r = loadConfig(source({}, path));
    QCOMPARE(r.errors,
             QStringList {QStringLiteral("Permissions 0664 for '%1' are too open: others could "
                                         "change the settings; it is ignored. Fix it with: chmod "
                                         "go-w '%1'")
                              .arg(path)});
    QVERIFY(!r.fileRead);
    QCOMPARE(r.config.brand, QStringLiteral("waotp"));
    QVERIFY(r.config.twilio.apiBaseUrl.isEmpty());
}

void tst_ConfigFile::linkedFileIsRefused()
{
    const QString target = writeFile("[app]\nbrand=Acme\n", QFile::ReadOwner | QFile::WriteOwner);
    const QString link = m_dir.filePath(QStringLiteral("link.ini"));
    QVERIFY(QFile::link(target, link));
    const ConfigResult r = loadConfig(source({}, link));
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors.first().startsWith(
                 QStringLiteral("The configuration file '%1' is a symbolic link").arg(link)),
             qPrintable(r.errors.first()));
    QCOMPARE(r.config.brand, QStringLiteral("waotp"));
}

void tst_ConfigFile::unparsableFileIsRefused()
{
    const QString path = writeFile("[app\nbrand=Acme\n[twilio]\nauth_token=\"open\n",
                                   QFile::ReadOwner | QFile::WriteOwner);
    const ConfigResult r = loadConfig(source({}, path));
    QCOMPARE(r.errors,
             QStringList {QStringLiteral("The configuration file '%1' cannot be parsed (is it an "
                                         "INI file?): line 1: a section without its ']'; line 4: "
                                         "a quote that is not closed.")
                              .arg(path)});
    QVERIFY(!r.fileRead);
    QCOMPARE(r.config.brand, QStringLiteral("waotp"));

    // A line without '=' is only ignored, as it always was.
    const QString stray =
        writeFile("[app]\nbrand=Acme\noops\n", QFile::ReadOwner | QFile::WriteOwner);
    const ConfigResult ok = loadConfig(source({}, stray));
    QVERIFY2(ok.ok(), qPrintable(ok.errors.join(u'\n')));
    QCOMPARE(ok.config.brand, QStringLiteral("Acme"));
    QVERIFY(ok.warnings.contains(QStringLiteral("The configuration file '%1', line 3: no '=', so "
                                                "it is ignored")
                                     .arg(stray)));
}

QTEST_GUILESS_MAIN(tst_ConfigFile)
#include "tst_configfile.moc"
