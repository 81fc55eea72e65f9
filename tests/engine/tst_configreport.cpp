// The --check-config report, the secrets kept out of it and the logs, and the online credentials
// check against the fake Twilio.
#include "ConfigTestSupport.h"
#include "FakeTwilioServer.h"
#include "TwilioLogCapture.h"
#include "engine/Config.h"
#include "engine/ConfigReport.h"
#include "network/twilio/TwilioHttp.h"
#include "network/twilio/TwilioOnlineCheck.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_ConfigReport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void describeMasksSecrets();
    void describeSaysWhyNot();
    void secretsForRedaction();
    void onlineCheck_data();
    void onlineCheck();
    void onlineCheckUnreachable();
    void onlineCheckInDemoMode();
};

void tst_ConfigReport::initTestCase()
{
    TwilioLogCapture::install();
    QVERIFY(useTestConfigLocation());
}

void tst_ConfigReport::describeMasksSecrets()
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
    QVERIFY(!text.contains(u"demo fallback")); // removed: a failed send never shows a code
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

void tst_ConfigReport::describeSaysWhyNot()
{
    const ConfigResult r = loadConfig(source({{"TWILIO_ACCOUNT_SID", "TG7KJB9URQCE98FAGL9BN687"},
                                              {"TWILIO_AUTH_TOKEN", "test-auth-token-0000"}}));
    const QString text = describeConfig(r);
    QVERIFY(text.contains(u"Errors:"));
    QVERIFY(text.contains(u"got 24 characters starting with 'TG'"));
    QVERIFY(text.contains(QStringLiteral("Result: %1 error(s)").arg(r.errors.size())));
    QVERIFY(!text.contains(Token));
}

void tst_ConfigReport::secretsForRedaction()
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

void tst_ConfigReport::onlineCheck_data()
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

void tst_ConfigReport::onlineCheck()
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

void tst_ConfigReport::onlineCheckUnreachable()
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

void tst_ConfigReport::onlineCheckInDemoMode()
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

QTEST_GUILESS_MAIN(tst_ConfigReport)
#include "tst_configreport.moc"
