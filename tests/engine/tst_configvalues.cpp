// Configuration values: the defaults, each setting's validation and ranges, and what live mode
// needs.
#include "ConfigTestSupport.h"
#include "engine/Config.h"
#include "engine/ConfigReport.h"

#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_ConfigValues : public QObject
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
    void policyAndDurations();
    void weakerThanDefaultWarns_data();
    void weakerThanDefaultWarns();
};

void tst_ConfigValues::initTestCase()
{
    QVERIFY(useTestConfigLocation());
}

void tst_ConfigValues::defaultsAreDemoMode()
{
    const ConfigResult r = loadConfig(source());
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QVERIFY(!r.fileRead); // a missing default file is fine
    QCOMPARE(r.config.mode(), AppConfig::Mode::Demo);
    QCOMPARE(r.config.brand, QStringLiteral("waotp"));
    QCOMPARE(r.config.defaultRegion, QStringLiteral("IN"));
    QCOMPARE(r.config.kioskIdleTimeout, 60s);
    QCOMPARE(r.config.policy.codeLifetime, std::chrono::milliseconds(5min));
    QCOMPARE(r.sources.value(QStringLiteral("TWILIO_AUTH_TOKEN")), QStringLiteral("default"));
}

void tst_ConfigValues::originalSystemsSidIsRefused()
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

void tst_ConfigValues::validation_data()
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
    QTest::newRow("messaging service sid is MG")
        << QStringLiteral("TWILIO_MESSAGING_SERVICE_SID")
        << QStringLiteral("MG0123456789abcdef0123456789abcdeg")
        << QStringLiteral("TWILIO_MESSAGING_SERVICE_SID must be 'MG' followed by 32 hexadecimal "
                          "digits (got 34 characters starting with 'MG')");
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
    const QString notTwilio = QStringLiteral(
        "TWILIO_API_BASE_URL: the host must be twilio.com or a name under it (such as "
        "api.dublin.ie1.twilio.com), or a loopback address such as 127.0.0.1 or [::1] (got '%1')");
    QTest::newRow("base url http elsewhere")
        << QStringLiteral("TWILIO_API_BASE_URL") << QStringLiteral("http://example.com")
        << notTwilio.arg(u"http://example.com");
    QTest::newRow("base url https elsewhere")
        << QStringLiteral("TWILIO_API_BASE_URL") << QStringLiteral("https://example.com/2010-04-01")
        << notTwilio.arg(u"https://example.com/2010-04-01");
    QTest::newRow("base url look-alike")
        << QStringLiteral("TWILIO_API_BASE_URL") << QStringLiteral("https://eviltwilio.com")
        << notTwilio.arg(u"https://eviltwilio.com");
    QTest::newRow("base url localhost")
        << QStringLiteral("TWILIO_API_BASE_URL") << QStringLiteral("http://localhost:4010")
        << notTwilio.arg(u"http://localhost:4010");
    QTest::newRow("base url user info")
        << QStringLiteral("TWILIO_API_BASE_URL")
        << QStringLiteral("https://user:pass@api.twilio.com")
        << QStringLiteral("TWILIO_API_BASE_URL: credentials do not belong in the URL (got "
                          "'https://api.twilio.com')");
    QTest::newRow("base url odd port")
        << QStringLiteral("TWILIO_API_BASE_URL") << QStringLiteral("https://api.twilio.com:8443")
        << QStringLiteral("TWILIO_API_BASE_URL: Twilio's hosts answer on port 443 only (got "
                          "'https://api.twilio.com:8443')");
    QTest::newRow("base url http to twilio")
        << QStringLiteral("TWILIO_API_BASE_URL") << QStringLiteral("http://api.twilio.com")
        << QStringLiteral("TWILIO_API_BASE_URL: plain http is allowed only to a loopback "
                          "address; use https (got 'http://api.twilio.com')");
    QTest::newRow("base url regional edge")
        << QStringLiteral("TWILIO_API_BASE_URL")
        << QStringLiteral("https://api.dublin.ie1.twilio.com") << QString();
    QTest::newRow("base url loopback") << QStringLiteral("TWILIO_API_BASE_URL")
                                       << QStringLiteral("http://127.0.0.1:4010") << QString();
    QTest::newRow("base url loopback v6") << QStringLiteral("TWILIO_API_BASE_URL")
                                          << QStringLiteral("http://[::1]:4010") << QString();
    QTest::newRow("country")
        << QStringLiteral("WAOTP_DEFAULT_COUNTRY") << QStringLiteral("XX")
        << QStringLiteral("WAOTP_DEFAULT_COUNTRY must be a two-letter country code such as IN or "
                          "US (got 'XX')");
    QTest::newRow("country lower case")
        << QStringLiteral("WAOTP_DEFAULT_COUNTRY") << QStringLiteral("br") << QString();
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
        << QStringLiteral("WAOTP_CODE_LIFETIME must be between 30 and 600 seconds (got 5)");
    // The bounds of NIST SP 800-63B: a code lives 10 minutes at most; and no more than 10
    // attempts per code or 10 sends an hour. Past them a setting is refused, not obeyed.
    QTest::newRow("lifetime over ten minutes")
        << QStringLiteral("WAOTP_CODE_LIFETIME") << QStringLiteral("11m")
        << QStringLiteral("WAOTP_CODE_LIFETIME must be between 30 and 600 seconds (got 660)");
    QTest::newRow("lifetime of ten hours")
        << QStringLiteral("WAOTP_CODE_LIFETIME") << QStringLiteral("10h")
        << QStringLiteral("WAOTP_CODE_LIFETIME must be between 30 and 600 seconds (got 36000)");
    QTest::newRow("lifetime of ten minutes")
        << QStringLiteral("WAOTP_CODE_LIFETIME") << QStringLiteral("10m") << QString();
    QTest::newRow("attempts over ten")
        << QStringLiteral("WAOTP_MAX_ATTEMPTS") << QStringLiteral("11")
        << QStringLiteral("WAOTP_MAX_ATTEMPTS must be a whole number from 1 to 10 (got '11')");
    QTest::newRow("sends per hour over ten")
        << QStringLiteral("WAOTP_MAX_SENDS_PER_HOUR") << QStringLiteral("11")
        << QStringLiteral(
               "WAOTP_MAX_SENDS_PER_HOUR must be a whole number from 1 to 10 (got '11')");
    QTest::newRow("a hundred sends per hour")
        << QStringLiteral("WAOTP_MAX_SENDS_PER_HOUR") << QStringLiteral("100")
        << QStringLiteral(
               "WAOTP_MAX_SENDS_PER_HOUR must be a whole number from 1 to 10 (got '100')");
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

void tst_ConfigValues::validation()
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

void tst_ConfigValues::whatsappPrefixIsAccepted()
{
    const ConfigResult r = loadConfig(source({{"TWILIO_ACCOUNT_SID", Sid.toLatin1().constData()},
                                              {"TWILIO_AUTH_TOKEN", "test-auth-token-0000"},
                                              {"TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886"}}));
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.config.mode(), AppConfig::Mode::Live);
    QCOMPARE(r.config.twilio.whatsappFrom, QStringLiteral("+14155238886"));
}

void tst_ConfigValues::liveNeedsAWayToSend_data()
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
        << QStringLiteral("TWILIO_WHATSAPP_FROM or TWILIO_MESSAGING_SERVICE_SID is required to "
                          "send codes by WhatsApp (or set TWILIO_VERIFY_SERVICE_SID to let Twilio "
                          "Verify send them).");
    QTest::newRow("messaging service is enough")
        << QStringList {sid, QStringLiteral("TWILIO_AUTH_TOKEN=x1234"),
                        QStringLiteral(
                            "TWILIO_MESSAGING_SERVICE_SID=MG0123456789abcdef0123456789ABCDEF")}
        << QString();
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

void tst_ConfigValues::liveNeedsAWayToSend()
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

void tst_ConfigValues::demoModeWarnsAboutUnusedSettings()
{
    const ConfigResult r = loadConfig(source({{"TWILIO_WHATSAPP_FROM", "+14155238886"}}));
    QVERIFY(r.ok());
    QCOMPARE(r.config.mode(), AppConfig::Mode::Demo);
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY(r.warnings.first().contains(u"demo mode"));
}

void tst_ConfigValues::policyAndDurations()
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

void tst_ConfigValues::weakerThanDefaultWarns_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("warning"); // empty: no warning
    QTest::newRow("lifetime") << QStringLiteral("WAOTP_CODE_LIFETIME") << QStringLiteral("10m")
                              << QStringLiteral("WAOTP_CODE_LIFETIME (600 s) is weaker than the "
                                                "default (300 s): each code can be guessed for "
                                                "longer.");
    QTest::newRow("attempts") << QStringLiteral("WAOTP_MAX_ATTEMPTS") << QStringLiteral("10")
                              << QStringLiteral(
                                     "WAOTP_MAX_ATTEMPTS (10) is weaker than the default "
                                     "(5): more guesses per code.");
    QTest::newRow("first cooldown")
        << QStringLiteral("WAOTP_RESEND_COOLDOWN") << QStringLiteral("10s")
        << QStringLiteral("WAOTP_RESEND_COOLDOWN (10 s) is weaker than the default (30 s): new "
                          "codes, and guesses, come faster.");
    QTest::newRow("longest cooldown")
        << QStringLiteral("WAOTP_MAX_RESEND_COOLDOWN") << QStringLiteral("5m")
        << QStringLiteral("WAOTP_MAX_RESEND_COOLDOWN (300 s) is weaker than the default (900 s): "
                          "new codes, and guesses, come faster.");
    QTest::newRow("sends per hour")
        << QStringLiteral("WAOTP_MAX_SENDS_PER_HOUR") << QStringLiteral("10")
        << QStringLiteral("WAOTP_MAX_SENDS_PER_HOUR (10) is weaker than the default (5): more "
                          "codes, and guesses, per hour.");
    // The default itself, and anything stricter, say nothing.
    QTest::newRow("default lifetime")
        << QStringLiteral("WAOTP_CODE_LIFETIME") << QStringLiteral("5m") << QString();
    QTest::newRow("shorter lifetime")
        << QStringLiteral("WAOTP_CODE_LIFETIME") << QStringLiteral("2m") << QString();
    QTest::newRow("fewer attempts")
        << QStringLiteral("WAOTP_MAX_ATTEMPTS") << QStringLiteral("3") << QString();
    QTest::newRow("longer cooldown")
        << QStringLiteral("WAOTP_RESEND_COOLDOWN") << QStringLiteral("1m") << QString();
    QTest::newRow("fewer sends") << QStringLiteral("WAOTP_MAX_SENDS_PER_HOUR")
                                 << QStringLiteral("2") << QString();
}

void tst_ConfigValues::weakerThanDefaultWarns()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, warning);
    ConfigSource from = source();
    from.environment.insert(key, value);
    const ConfigResult r = loadConfig(from);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    if (warning.isEmpty())
        QCOMPARE(r.warnings, QStringList());
    else
        QCOMPARE(r.warnings, QStringList {warning});
    QVERIFY(describeConfig(r).contains(warning));
}

QTEST_GUILESS_MAIN(tst_ConfigValues)
#include "tst_configvalues.moc"
