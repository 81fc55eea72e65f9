// Configuration: sources and precedence, validation messages, the config file's permissions,
// the --check-config report and the online credentials check.
#include "FakeTwilioServer.h"
#include "TwilioLogCapture.h"
#include "engine/Config.h"
#include "engine/ConfigReport.h"
#include "network/twilio/TwilioHttp.h"
#include "network/twilio/TwilioOnlineCheck.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {
const QString Sid = QStringLiteral("AC0123456789abcdef0123456789abcdef");
const QString Token = QStringLiteral("test-auth-token-0000");

ConfigSource source(std::initializer_list<std::pair<const char *, const char *>> env = {},
                    const QString &file = QStringLiteral("-"))
{
    ConfigSource s;
    s.environment = QProcessEnvironment();
    for (const auto &[k, v] : env)
        s.environment.insert(QString::fromLatin1(k), QString::fromUtf8(v));
    // "-": no file at all (a path that cannot exist, given explicitly, is an error; so point the
    // default location at an empty test directory instead).
    if (file != u"-")
        s.filePath = file;
    return s;
}
} // namespace

class tst_Config : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void defaultsAreDemoMode();
    void originalSystemsSidIsRefused();
    void validation_data();
    void validation();
    void whatsappPrefixIsAccepted();
    void liveNeedsAWayToSend_data();
    void liveNeedsAWayToSend();
    void demoModeWarnsAboutUnusedSettings();
    void precedence();
    void fileKeysBothForms();
    void missingExplicitFileIsAnError();
    void fileWithSecretMustBeOwnerOnly_data();
    void fileWithSecretMustBeOwnerOnly();
    void unknownSettings();
    void policyAndDurations();
    void describeMasksSecrets();
    void describeSaysWhyNot();
    void secretsForRedaction();
    void onlineCheck_data();
    void onlineCheck();
    void onlineCheckUnreachable();
    void onlineCheckInDemoMode();

private:
    QString writeFile(const QByteArray &content, QFile::Permissions permissions);
    QTemporaryDir m_dir;
};

void tst_Config::initTestCase()
{
    TwilioLogCapture::install();
    QStandardPaths::setTestModeEnabled(true); // the default file lives in a test location
    QVERIFY(m_dir.isValid());
    const QString defaultFile = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
        + QStringLiteral("/waotp.ini");
    QVERIFY(!QFile::exists(defaultFile));
}

QString tst_Config::writeFile(const QByteArray &content, QFile::Permissions permissions)
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

void tst_Config::defaultsAreDemoMode()
{
    const ConfigResult r = loadConfig(source());
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QVERIFY(!r.fileRead); // a missing default file is fine
    QCOMPARE(r.config.mode(), AppConfig::Mode::Demo);
    QCOMPARE(r.config.brand, QStringLiteral("waotp"));
    QCOMPARE(r.config.defaultRegion, QStringLiteral("IN"));
    QVERIFY(!r.config.allowDemoFallback);
    QCOMPARE(r.config.kioskIdleTimeout, 60s);
    QCOMPARE(r.config.policy.codeLifetime, std::chrono::milliseconds(5min));
    QCOMPARE(r.sources.value(QStringLiteral("TWILIO_AUTH_TOKEN")), QStringLiteral("default"));
}

void tst_Config::originalSystemsSidIsRefused()
{
    const ConfigResult r = loadConfig(source({{"TWILIO_ACCOUNT_SID", "TG7KJB9URQCE98FAGL9BN687"},
                                              {"TWILIO_AUTH_TOKEN", "test-auth-token-0000"},
                                              {"TWILIO_WHATSAPP_FROM", "+14155238886"}}));
    QVERIFY(!r.ok());
    QVERIFY(r.errors.contains(QStringLiteral(
        "TWILIO_ACCOUNT_SID must be 'AC' followed by 32 hexadecimal digits (got 24 characters "
        "starting with 'TG')")));
    QVERIFY(describeConfig(r).contains(u"the app will not start"));
}

void tst_Config::validation_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("error"); // empty: valid
    QTest::newRow("account sid ok") << QStringLiteral("TWILIO_ACCOUNT_SID") << Sid << QString();
    QTest::newRow("account sid upper hex")
        << QStringLiteral("TWILIO_ACCOUNT_SID")
        << QStringLiteral("AC0123456789ABCDEF0123456789ABCDEF") << QString();
    QTest::newRow("account sid not hex")
        << QStringLiteral("TWILIO_ACCOUNT_SID")
        << QStringLiteral("ACzz23456789abcdef0123456789abcdef")
        << QStringLiteral("TWILIO_ACCOUNT_SID must be 'AC' followed by 32 hexadecimal digits (got "
                          "34 characters starting with 'AC')");
    QTest::newRow("verify sid is VA")
        << QStringLiteral("TWILIO_VERIFY_SERVICE_SID") << Sid
        << QStringLiteral("TWILIO_VERIFY_SERVICE_SID must be 'VA' followed by 32 hexadecimal "
                          "digits (got 34 characters starting with 'AC')");
    QTest::newRow("content sid is HX")
        << QStringLiteral("TWILIO_CONTENT_SID") << QStringLiteral("HX123")
        << QStringLiteral("TWILIO_CONTENT_SID must be 'HX' followed by 32 hexadecimal digits (got "
                          "5 characters starting with 'HX')");
    QTest::newRow("api key is SK")
        << QStringLiteral("TWILIO_API_KEY_SID") << QStringLiteral("SK123")
        << QStringLiteral("TWILIO_API_KEY_SID must be 'SK' followed by 32 hexadecimal digits (got "
                          "5 characters starting with 'SK')");
    QTest::newRow("sender not E.164")
        << QStringLiteral("TWILIO_SMS_FROM") << QStringLiteral("4155238886")
        << QStringLiteral("TWILIO_SMS_FROM must be a phone number in E.164 form, like +14155238886 "
                          "(got '4155238886')");
    QTest::newRow("sender with spaces")
        << QStringLiteral("TWILIO_SMS_FROM") << QStringLiteral("+1 415 523 8886") << QString();
    QTest::newRow("base url http elsewhere")
        << QStringLiteral("TWILIO_API_BASE_URL") << QStringLiteral("http://example.com")
        << QStringLiteral("TWILIO_API_BASE_URL: plain http is allowed only to a loopback address; "
                          "use https (got 'http://example.com')");
    QTest::newRow("base url loopback") << QStringLiteral("TWILIO_API_BASE_URL")
                                       << QStringLiteral("http://127.0.0.1:4010") << QString();
    QTest::newRow("country")
        << QStringLiteral("WAOTP_DEFAULT_COUNTRY") << QStringLiteral("XX")
        << QStringLiteral("WAOTP_DEFAULT_COUNTRY must be a two-letter country code such as IN or "
                          "US (got 'XX')");
    QTest::newRow("country lower case")
        << QStringLiteral("WAOTP_DEFAULT_COUNTRY") << QStringLiteral("br") << QString();
    QTest::newRow("bool") << QStringLiteral("WAOTP_ALLOW_DEMO_FALLBACK") << QStringLiteral("maybe")
                          << QStringLiteral("WAOTP_ALLOW_DEMO_FALLBACK must be true or false (got "
                                            "'maybe')");
    QTest::newRow("store") << QStringLiteral("WAOTP_STORE") << QStringLiteral("mysql://db")
                           << QStringLiteral("WAOTP_STORE must be 'memory' or a redis:// URL (got "
                                             "'mysql://db')");
    QTest::newRow("store redis") << QStringLiteral("WAOTP_STORE")
                                 << QStringLiteral("redis://127.0.0.1:6379/0") << QString();
    QTest::newRow("store secret too short")
        << QStringLiteral("WAOTP_STORE_SECRET") << QStringLiteral("hunter2")
        << QStringLiteral("WAOTP_STORE_SECRET must be at least 32 characters, the same on every "
                          "machine (got 7; make one with: openssl rand -hex 32)");
    QTest::newRow("store secret 32")
        << QStringLiteral("WAOTP_STORE_SECRET") << QString(32, u'k') << QString();
    QTest::newRow("lifetime too short")
        << QStringLiteral("WAOTP_CODE_LIFETIME") << QStringLiteral("5")
        << QStringLiteral("WAOTP_CODE_LIFETIME must be between 30 and 36000 seconds (got 5)");
    QTest::newRow("attempts")
        << QStringLiteral("WAOTP_MAX_ATTEMPTS") << QStringLiteral("lots")
        << QStringLiteral("WAOTP_MAX_ATTEMPTS must be a whole number from 1 to 10 (got 'lots')");
    QTest::newRow("kiosk timeout")
        << QStringLiteral("WAOTP_KIOSK_IDLE_TIMEOUT") << QStringLiteral("5")
        << QStringLiteral(
               "WAOTP_KIOSK_IDLE_TIMEOUT must be 0 (off) or at least 10 seconds (got 5)");
    QTest::newRow("brand two lines") << QStringLiteral("WAOTP_BRAND") << QStringLiteral("A\nB")
                                     << QStringLiteral("WAOTP_BRAND must be one line of at most 40 "
                                                       "characters.");
}

void tst_Config::validation()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, error);
    // A valid live configuration, with the value under test on the command line.
    ConfigSource s = source({{"TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"},
                             {"TWILIO_AUTH_TOKEN", "test-auth-token-0000"},
                             {"TWILIO_WHATSAPP_FROM", "+14155238886"}});
    s.overrides.insert(key, value);
    if (key == u"TWILIO_API_KEY_SID")
        s.overrides.insert(QStringLiteral("TWILIO_API_KEY_SECRET"), QStringLiteral("secret-0000"));
    const ConfigResult r = loadConfig(s);
    if (error.isEmpty())
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(u'\n')));
    else
        QCOMPARE(r.errors, QStringList {error});
}

void tst_Config::whatsappPrefixIsAccepted()
{
    const ConfigResult r = loadConfig(source({{"TWILIO_ACCOUNT_SID", Sid.toLatin1().constData()},
                                              {"TWILIO_AUTH_TOKEN", "test-auth-token-0000"},
                                              {"TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886"}}));
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.config.mode(), AppConfig::Mode::Live);
    QCOMPARE(r.config.twilio.whatsappFrom, QStringLiteral("+14155238886"));
}

void tst_Config::liveNeedsAWayToSend_data()
{
    QTest::addColumn<QStringList>("settings"); // KEY=value
    QTest::addColumn<QString>("error");
    const QString sid = QStringLiteral("TWILIO_ACCOUNT_SID=") + Sid;
    const QString from = QStringLiteral("TWILIO_WHATSAPP_FROM=+14155238886");
    QTest::newRow("token without sid")
        << QStringList {QStringLiteral("TWILIO_AUTH_TOKEN=x1234"), from}
        << QStringLiteral("TWILIO_ACCOUNT_SID is required with Twilio credentials.");
    QTest::newRow("sid without token")
        << QStringList {sid, from}
        << QStringLiteral("Set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET "
                          "(recommended by Twilio).");
    QTest::newRow("key without secret")
        << QStringList {sid, from,
                        QStringLiteral("TWILIO_API_KEY_SID=SK00000000000000000000000000000000")}
        << QStringLiteral("TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together: set both or "
                          "neither.");
    QTest::newRow("no sender")
        << QStringList {sid, QStringLiteral("TWILIO_AUTH_TOKEN=x1234")}
        << QStringLiteral("TWILIO_WHATSAPP_FROM is required to send codes by WhatsApp (or set "
                          "TWILIO_VERIFY_SERVICE_SID to let Twilio Verify send them).");
    QTest::newRow("api key pair is enough")
        << QStringList {sid, from,
                        QStringLiteral("TWILIO_API_KEY_SID=SK00000000000000000000000000000000"),
                        QStringLiteral("TWILIO_API_KEY_SECRET=secret-0000")}
        << QString();
    QTest::newRow("verify is enough")
        << QStringList {sid, QStringLiteral("TWILIO_AUTH_TOKEN=x1234"),
                        QStringLiteral(
                            "TWILIO_VERIFY_SERVICE_SID=VA00000000000000000000000000000000")}
        << QString();
}

void tst_Config::liveNeedsAWayToSend()
{
    QFETCH(QStringList, settings);
    QFETCH(QString, error);
    ConfigSource s = source();
    for (const QString &kv : settings)
        s.overrides.insert(kv.section(u'=', 0, 0), kv.section(u'=', 1));
    const ConfigResult r = loadConfig(s);
    QCOMPARE(r.config.mode(), AppConfig::Mode::Live);
    if (error.isEmpty())
        QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    else
        QVERIFY2(r.errors.contains(error), qPrintable(r.errors.join(u'\n')));
}

void tst_Config::demoModeWarnsAboutUnusedSettings()
{
    const ConfigResult r = loadConfig(source({{"TWILIO_WHATSAPP_FROM", "+14155238886"}}));
    QVERIFY(r.ok());
    QCOMPARE(r.config.mode(), AppConfig::Mode::Demo);
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY(r.warnings.first().contains(u"demo mode"));
}

void tst_Config::precedence()
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

void tst_Config::fileKeysBothForms()
{
    const QString file = writeFile("TWILIO_ACCOUNT_SID=" + Sid.toLatin1()
                                       + "\n[twilio]\nauth_token=test-auth-token-0000\n"
                                         "whatsapp_from=+14155238886\n"
                                         "[app]\nbrand=Acme, Inc\nallow_demo_fallback=yes\n",
                                   QFile::ReadOwner | QFile::WriteOwner);
    const ConfigResult r = loadConfig(source({}, file));
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.config.twilio.accountSid, Sid);
    QCOMPARE(r.config.twilio.authToken, Token);
    QCOMPARE(r.config.brand, QStringLiteral("Acme, Inc")); // a comma is not a list
    QVERIFY(r.config.allowDemoFallback);
    QCOMPARE(r.config.mode(), AppConfig::Mode::Live);
}

void tst_Config::missingExplicitFileIsAnError()
{
    const QString path = m_dir.filePath(QStringLiteral("nope.ini"));
    const ConfigResult r = loadConfig(source({}, path));
    QVERIFY(!r.ok());
    QVERIFY(r.errors.first().contains(u"does not exist"));
}

void tst_Config::fileWithSecretMustBeOwnerOnly_data()
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

void tst_Config::fileWithSecretMustBeOwnerOnly()
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

void tst_Config::unknownSettings()
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

void tst_Config::policyAndDurations()
{
    ConfigResult r = loadConfig(source({{"WAOTP_CODE_LIFETIME", "10m"},
                                        {"WAOTP_MAX_ATTEMPTS", "3"},
                                        {"WAOTP_RESEND_COOLDOWN", "45s"},
                                        {"WAOTP_MAX_RESEND_COOLDOWN", "1h"},
                                        {"WAOTP_MAX_SENDS_PER_HOUR", "8"},
                                        {"WAOTP_KIOSK_IDLE_TIMEOUT", "0"}}));
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.config.policy.codeLifetime, std::chrono::milliseconds(10min));
    QCOMPARE(r.config.policy.maxAttempts, 3);
    QCOMPARE(r.config.policy.firstResendCooldown, std::chrono::milliseconds(45s));
    QCOMPARE(r.config.policy.maxResendCooldown, std::chrono::milliseconds(1h));
    QCOMPARE(r.config.policy.maxSendsPerHour, 8);
    QCOMPARE(r.config.kioskIdleTimeout, 0s);

    r = loadConfig(source({{"WAOTP_RESEND_COOLDOWN", "10m"}, {"WAOTP_MAX_RESEND_COOLDOWN", "5m"}}));
    QVERIFY(r.errors.contains(QStringLiteral("WAOTP_MAX_RESEND_COOLDOWN (300 s) must not be "
                                             "shorter than WAOTP_RESEND_COOLDOWN (600 s).")));
}

void tst_Config::describeMasksSecrets()
{
    ConfigSource s = source({{"TWILIO_ACCOUNT_SID", Sid.toLatin1().constData()},
                             {"TWILIO_AUTH_TOKEN", "test-auth-token-0000"},
                             {"TWILIO_WHATSAPP_FROM", "+14155238886"},
                             {"TWILIO_SMS_FROM", "+15005550006"},
                             {"WAOTP_STORE", "redis://:store-password-0000@127.0.0.1:6379"},
                             {"WAOTP_STORE_SECRET", "store-secret-0000-0000-0000-0000-0000"}});
    const ConfigResult r = loadConfig(s);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    const QString text = describeConfig(r);
    QVERIFY(text.contains(u"Mode: live: WhatsApp codes through the Twilio Messages API from "
                          u"+14155238886"));
    QVERIFY(text.contains(u"SMS fallback from +15005550006"));
    QVERIFY(text.contains(u"demo fallback off"));
    QVERIFY(text.contains(Sid));
    QVERIFY(text.contains(u"set (hidden)"));
    QVERIFY(text.contains(u"(environment)"));
    QVERIFY(text.contains(u"Result: OK"));
    for (const QString &secret : r.config.secrets())
        QVERIFY2(!text.contains(secret), qPrintable(secret));
    QVERIFY(!text.contains(u"store-password-0000"));
    QVERIFY(!text.contains(u"store-secret-0000"));
    QVERIFY(!text.contains(u"0000-0000-0000-0000"));
    QVERIFY(!text.contains(Token));

    const QString demo = describeConfig(loadConfig(source()));
    QVERIFY(demo.contains(u"Mode: demo"));
}

void tst_Config::describeSaysWhyNot()
{
    const ConfigResult r = loadConfig(source({{"TWILIO_ACCOUNT_SID", "TG7KJB9URQCE98FAGL9BN687"},
                                              {"TWILIO_AUTH_TOKEN", "test-auth-token-0000"}}));
    const QString text = describeConfig(r);
    QVERIFY(text.contains(u"Errors:"));
    QVERIFY(text.contains(u"got 24 characters starting with 'TG'"));
    QVERIFY(text.contains(QStringLiteral("Result: %1 error(s)").arg(r.errors.size())));
    QVERIFY(!text.contains(Token));
}

void tst_Config::secretsForRedaction()
{
    AppConfig c;
    c.twilio.accountSid = Sid;
    c.twilio.authToken = Token;
    c.storeSecret = "store-secret-0000";
    const QStringList secrets = c.secrets();
    QVERIFY(secrets.contains(Token));
    QVERIFY(secrets.contains(QString::fromLatin1((Sid + u':' + Token).toUtf8().toBase64())));
    QVERIFY(secrets.contains(QStringLiteral("store-secret-0000")));
    QVERIFY(!secrets.contains(Sid)); // an identifier, not a secret
}

void tst_Config::onlineCheck_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("verifySid");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("words");
    const QString token = FakeTwilioServer::authToken();
    const QString active = QStringLiteral("active");
    const QString full = QStringLiteral("Full");
    QTest::newRow("works") << token << active << full << QString() << true
                           << QStringLiteral("Twilio accepted the credentials: account "
                                             "AC00000000000000000000000000000000 (\"waotp test "
                                             "account\") is active.");
    QTest::newRow("trial") << token << active << QStringLiteral("Trial") << QString() << true
                           << QStringLiteral("It is a trial account");
    QTest::newRow("suspended") << token << QStringLiteral("suspended") << full << QString() << false
                               << QStringLiteral("is suspended: it cannot send messages");
    QTest::newRow("wrong token") << QStringLiteral("wrong-token-0000") << active << full
                                 << QString() << false
                                 << QStringLiteral("Twilio rejected the credentials (HTTP 401, "
                                                   "error 20003). Check TWILIO_ACCOUNT_SID and "
                                                   "TWILIO_AUTH_TOKEN.");
    QTest::newRow("verify service")
        << token << active << full << FakeTwilioServer::verifyServiceSid() << true
        << QStringLiteral("The Verify service "
                          "VA00000000000000000000000000000000 (\"waotp "
                          "test\") exists.");
    QTest::newRow("unknown verify service")
        << token << active << full << QStringLiteral("VA11111111111111111111111111111111") << false
        << QStringLiteral("But Twilio Verify knows no service");
}

void tst_Config::onlineCheck()
{
    QFETCH(QString, token);
    QFETCH(QString, status);
    QFETCH(QString, type);
    QFETCH(QString, verifySid);
    QFETCH(bool, ok);
    QFETCH(QString, words);
    FakeTwilioServer fake;
    QVERIFY(fake.listen());
    fake.accountStatus = status;
    fake.accountType = type;
    AppConfig c;
    c.twilio = fake.settings();
    c.twilio.authToken = token;
    c.twilio.verifyServiceSid = verifySid;
    QNetworkAccessManager nam;
    OnlineCheck check(c, &nam);
    check.setTimings(fastTimings());
    QSignalSpy finished(&check, &OnlineCheck::finished);
    check.start();
    QCOMPARE(finished.size(), 0);
    QVERIFY(finished.wait());
    QCOMPARE(finished.first().at(0).toBool(), ok);
    const QString said = finished.first().at(1).toString();
    QVERIFY2(said.contains(words), qPrintable(said));
    QVERIFY(!said.contains(FakeTwilioServer::authToken())); // the Account resource holds it
    QCOMPARE(fake.http().requests().first().path(),
             QStringLiteral("/2010-04-01/Accounts/%1.json").arg(FakeTwilioServer::accountSid()));
    QTest::qWait(10);
    QCOMPARE(finished.size(), 1);
}

void tst_Config::onlineCheckUnreachable()
{
    HttpTestServer closed;
    QVERIFY(closed.listen());
    AppConfig c;
    c.twilio.accountSid = Sid;
    c.twilio.authToken = Token;
    c.twilio.whatsappFrom = QStringLiteral("+14155238886");
    c.twilio.apiBaseUrl = closed.baseUrl();
    closed.setHandler([](const HttpRequest &) { return HttpResponse::hang(); });
    QNetworkAccessManager nam;
    OnlineCheck check(c, &nam);
    TwilioTimings t = fastTimings();
    t.transferTimeout = 200ms;
    check.setTimings(t);
    QSignalSpy finished(&check, &OnlineCheck::finished);
    check.start();
    QVERIFY(finished.wait());
    QVERIFY(!finished.first().at(0).toBool());
    QVERIFY(finished.first().at(1).toString().contains(u"did not answer in time"));
}

void tst_Config::onlineCheckInDemoMode()
{
    QNetworkAccessManager nam;
    OnlineCheck check(AppConfig(), &nam);
    QSignalSpy finished(&check, &OnlineCheck::finished);
    check.start();
    QCOMPARE(finished.size(), 0);
    QVERIFY(finished.wait());
    QVERIFY(!finished.first().at(0).toBool());
    QVERIFY(finished.first().at(1).toString().contains(u"demo mode"));
}

QTEST_GUILESS_MAIN(tst_Config)
#include "tst_config.moc"
