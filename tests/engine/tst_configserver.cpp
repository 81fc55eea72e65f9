// Server mode in the configuration: WAOTP_SERVER_URL and its rule (https, or http to a loopback
// address written as one), the refusal of Twilio credentials and a shared store beside it, the
// settings it leaves unused, and how --check-config reports it.
#include "ConfigTestSupport.h"
#include "engine/Config.h"
#include "engine/ConfigReport.h"
#include "engine/ServerUrl.h"

#include <QTest>

using namespace waotp;
using namespace waotp::test;

class tst_ConfigServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void urlRule_data();
    void urlRule();
    void endpointsUnderTheUrl();
    void serverMode();
    void twilioCredentialsRefused();
    void sharedStoreRefused();
    void unusedSettingsWarned();
};

void tst_ConfigServer::initTestCase()
{
    QVERIFY(useTestConfigLocation());
}

void tst_ConfigServer::urlRule_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("https") << QStringLiteral("https://auth.example.com") << true;
    QTest::newRow("https with a path") << QStringLiteral("https://example.com/waotp") << true;
    QTest::newRow("https port") << QStringLiteral("https://auth.example.com:8443") << true;
    QTest::newRow("http 127.0.0.1") << QStringLiteral("http://127.0.0.1:8470") << true;
    QTest::newRow("http 127.8.9.10") << QStringLiteral("http://127.8.9.10:8470") << true;
    QTest::newRow("http ::1") << QStringLiteral("http://[::1]:8470") << true;
    QTest::newRow("http 127.1 (QUrl reads it as 127.0.0.1)")
        << QStringLiteral("http://127.1:1") << true;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:8470") << false;
    QTest::newRow("http LOCALHOST") << QStringLiteral("http://LOCALHOST:8470") << false;
    QTest::newRow("http lookalike") << QStringLiteral("http://127.0.0.1.example.com") << false;
    QTest::newRow("http mapped v6") << QStringLiteral("http://[::ffff:127.0.0.1]:1") << false;
    QTest::newRow("http private") << QStringLiteral("http://10.0.0.5:8470") << false;
    QTest::newRow("http 128") << QStringLiteral("http://128.0.0.1") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://auth.example.com") << false;
    QTest::newRow("user info") << QStringLiteral("https://u:p@auth.example.com") << false;
    QTest::newRow("query") << QStringLiteral("https://auth.example.com/?x=1") << false;
    QTest::newRow("fragment") << QStringLiteral("https://auth.example.com/#x") << false;
    QTest::newRow("no host") << QStringLiteral("https:///path") << false;
    QTest::newRow("no scheme") << QStringLiteral("auth.example.com") << false;
}

void tst_ConfigServer::urlRule()
{
    QFETCH(QString, url);
    QString why;
    QTEST(isAllowedServerUrl(QUrl(url, QUrl::StrictMode), &why), "allowed");
    QFETCH(bool, allowed);
    QCOMPARE(why.isEmpty(), allowed);
}

void tst_ConfigServer::endpointsUnderTheUrl()
{
    QCOMPARE(serverEndpoint(QUrl(QStringLiteral("https://a.example")), u"/readyz").toString(),
             QStringLiteral("https://a.example/readyz"));
    QCOMPARE(serverEndpoint(QUrl(QStringLiteral("https://a.example/waotp/")), u"/v1/verifications")
                 .toString(),
             QStringLiteral("https://a.example/waotp/v1/verifications"));
}

void tst_ConfigServer::serverMode()
{
    const ConfigResult r = loadConfig(source({{"WAOTP_SERVER_URL", "https://auth.example.com/"}}));
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.config.mode(), AppConfig::Mode::Server);
    QCOMPARE(r.config.serverUrl, QUrl(QStringLiteral("https://auth.example.com")));
    QVERIFY(r.config.secrets().isEmpty());
    const QString report = describeConfig(r);
    QVERIFY2(report.contains(u"Mode: server: the verification server at https://auth.example.com "
                             u"sends and checks the codes and keeps the accounts; no secret on "
                             u"this machine"),
             qPrintable(report));
    QVERIFY(report.contains(u"WAOTP_SERVER_URL"));

    const ConfigResult refused = loadConfig(source({{"WAOTP_SERVER_URL", "http://localhost:1"}}));
    QVERIFY(!refused.ok());
    QVERIFY2(refused.errors.constFirst().startsWith(u"WAOTP_SERVER_URL: plain http is allowed only "
                                                    u"to a loopback address written as one"),
             qPrintable(refused.errors.constFirst()));
    QCOMPARE(refused.config.mode(), AppConfig::Mode::Demo); // the refused URL is not used
}

void tst_ConfigServer::twilioCredentialsRefused()
{
    const ConfigResult r = loadConfig(source({{"WAOTP_SERVER_URL", "https://auth.example.com"},
                                              {"TWILIO_ACCOUNT_SID", qPrintable(Sid)},
                                              {"TWILIO_AUTH_TOKEN", qPrintable(Token)},
                                              {"TWILIO_WHATSAPP_FROM", "+14155238886"}}));
    QVERIFY(!r.ok());
    QCOMPARE(r.errors,
             QStringList {QStringLiteral(
                 "WAOTP_SERVER_URL and Twilio credentials can't go together: the server holds "
                 "the Twilio credentials. Drop TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN from this "
                 "machine's settings (or drop WAOTP_SERVER_URL to send the codes from here).")});
    QVERIFY(!r.errors.constFirst().contains(Token)); // named, never quoted
}

void tst_ConfigServer::sharedStoreRefused()
{
    const ConfigResult r =
        loadConfig(source({{"WAOTP_SERVER_URL", "https://auth.example.com"},
                           {"WAOTP_STORE", "redis://10.0.0.5:6379/0"},
                           {"WAOTP_STORE_SECRET", "0123456789abcdef0123456789abcdef"}}));
    QVERIFY(!r.ok());
    QCOMPARE(r.errors,
             QStringList {QStringLiteral("With WAOTP_SERVER_URL the server keeps the "
                                         "codes: drop WAOTP_STORE, WAOTP_STORE_SECRET "
                                         "from this machine's settings.")});
    // The store "memory" holds nothing: it is fine.
    QVERIFY(loadConfig(source({{"WAOTP_SERVER_URL", "https://auth.example.com"},
                               {"WAOTP_STORE", "memory"}}))
                .ok());
}

void tst_ConfigServer::unusedSettingsWarned()
{
    const ConfigResult r = loadConfig(source({{"WAOTP_SERVER_URL", "https://auth.example.com"},
                                              {"WAOTP_CODE_LIFETIME", "2m"},
                                              {"TWILIO_WHATSAPP_FROM", "+14155238886"}}));
    QVERIFY(r.ok());
    QCOMPARE(r.warnings,
             QStringList {QStringLiteral("TWILIO_WHATSAPP_FROM, WAOTP_CODE_LIFETIME set, but the "
                                         "server's settings apply with WAOTP_SERVER_URL: not used "
                                         "here.")});
}

QTEST_GUILESS_MAIN(tst_ConfigServer)
#include "tst_configserver.moc"
