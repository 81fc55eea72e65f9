// Secrets never reach a log. Runs every Twilio path (success and each failure) against the
// loopback fake with all of the app's debug logging on and without the redacting handler (that
// is the app's safety net, not what is tested here), then looks for the auth token, the API key
// secret and their Basic forms in everything logged. Then scans the logs the other Twilio tests
// wrote in this test run (WAOTP_TEST_LOG_DIR).
#include "EngineSpy.h"
#include "FakeClock.h"
#include "FakeTwilioServer.h"
#include "TwilioLogCapture.h"
#include "engine/Config.h"
#include "engine/ConfigReport.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"
#include "network/SenderFactory.h"
#include "network/twilio/TwilioOnlineCheck.h"

#include <QDir>
#include <QDirIterator>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

QStringList secretForms()
{
    const QString token = FakeTwilioServer::authToken();
    const QString keySecret = FakeTwilioServer::apiKeySecret();
    return {
        token, keySecret,
        QString::fromLatin1((FakeTwilioServer::accountSid() + u':' + token).toUtf8().toBase64()),
        QString::fromLatin1(
            (FakeTwilioServer::apiKeySid() + u':' + keySecret).toUtf8().toBase64())};
}

/// The lines of @p lines that hold a secret.
QStringList leaks(const QStringList &lines)
{
    QStringList out;
    const QStringList secrets = secretForms();
    for (const QString &line : lines) {
        for (const QString &secret : secrets) {
            if (line.contains(secret)) {
                out.append(line);
                break;
            }
        }
    }
    return out;
}

} // namespace

class tst_SecretScan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void scanFindsALeak();
    void everyPathLogsNoSecret();
    void otherTwilioTestsLoggedNoSecret();

private:
    void runMessages(FakeTwilioServer &fake, const AppConfig &config);
    void runVerify(FakeTwilioServer &fake, const AppConfig &config);
    void runOnlineCheck(const AppConfig &config);
};

void tst_SecretScan::initTestCase()
{
    TwilioLogCapture::install();
}

void tst_SecretScan::scanFindsALeak()
{
    // The scan would see a leak: one logged on purpose is found.
    TwilioLogCapture::clear();
    qWarning("Authorization: Basic %s", qPrintable(secretForms().at(2)));
    QCOMPARE(leaks(TwilioLogCapture::messages()).size(), 1);
    TwilioLogCapture::clear();
}

void tst_SecretScan::runMessages(FakeTwilioServer &fake, const AppConfig &config)
{
    QNetworkAccessManager nam;
    TwilioTimings t = fastTimings();
    t.transferTimeout = 300ms;
    t.trackingLimit = 300ms;
    auto sender = makeLiveSender(config, &nam, t);
    QVERIFY(sender);
    FakeClock clock;
    MemoryCodeStore store;
    OtpEngine engine(clock, store, CodeHasher(), *sender);
    int n = 0;
    auto send = [&](Channel channel = Channel::WhatsApp) {
        const PhoneNumber to = number(QStringLiteral("98765%1").arg(++n, 5, 10, QLatin1Char('0')));
        const CodeRequestResult r = requestAndWait(engine, to, channel);
        QTest::qWait(30); // let tracking log what it logs
        return r;
    };

    fake.setStatusScript(
        {QStringLiteral("sent"), QStringLiteral("delivered"), QStringLiteral("read")});
    send();
    fake.setStatusScript({QStringLiteral("failed")}, 63016);
    send();
    fake.setStatusScript({QStringLiteral("undelivered")}, 63024);
    send();
    send(Channel::Sms);
    for (int code :
         {20003, 20429, 21211, 21408, 21608, 63007, 21610, 21614, 63016, 63003, 63024, 30008}) {
        fake.setCreateError(code == 20003       ? 401
                                : code == 20429 ? 429
                                                : 400,
                            code, QStringLiteral("error for +919876500000"),
                            {{"Retry-After", "5"}});
        send();
    }
    fake.clearCreateError();
    const QList<HttpResponse> broken {
        HttpResponse::hang(),
        HttpResponse::drop(),
        HttpResponse::raw(500, "oops"),
        HttpResponse::raw(503, "busy"),
        HttpResponse::raw(201, "{not json", "application/json"),
        [] {
            HttpResponse r = HttpResponse::raw(201, "{\"sid\": \"SM1\"}", "application/json");
            r.action = HttpResponse::Action::Truncate;
            return r;
        }(),
        [] {
            HttpResponse r = HttpResponse::raw(201, {}, "application/json");
            r.streamBytes = 20 * 1024 * 1024;
            return r;
        }(),
        [] {
            HttpResponse r = HttpResponse::raw(302, {});
            r.headers.emplaceBack("Location", "http://127.0.0.1:9/elsewhere");
            return r;
        }(),
    };
    for (const HttpResponse &response : broken) {
        fake.setOverride([response](const HttpRequest &) { return response; });
        send();
    }
    fake.setOverride({});
}

void tst_SecretScan::runVerify(FakeTwilioServer &fake, const AppConfig &config)
{
    QNetworkAccessManager nam;
    auto sender = makeLiveSender(config, &nam, fastTimings());
    QVERIFY(sender);
    FakeClock clock;
    MemoryCodeStore store;
    OtpEngine engine(clock, store, CodeHasher(), *sender);
    const PhoneNumber to = number(u"9876543210");
    requestAndWait(engine, to);
    verifyAndWait(engine, to, QStringLiteral("000000"));
    verifyAndWait(engine, to, fake.verifyCode);
    requestAndWait(engine, to);
    fake.expireVerifications();
    verifyAndWait(engine, to, fake.verifyCode);
    fake.setVerifyError(400, 60200);
    requestAndWait(engine, number(u"9876543211"));
    fake.clearVerifyError();
}

void tst_SecretScan::runOnlineCheck(const AppConfig &config)
{
    QNetworkAccessManager nam;
    OnlineCheck check(config, &nam);
    check.setTimings(fastTimings());
    QSignalSpy done(&check, &OnlineCheck::finished);
    check.start();
    QVERIFY(done.wait());
    qInfo().noquote() << done.first().at(1).toString(); // what --check-config --online prints
}

void tst_SecretScan::everyPathLogsNoSecret()
{
    TwilioLogCapture::clear();
    FakeTwilioServer fake;
    QVERIFY(fake.listen());

    AppConfig config;
    config.twilio = fake.settings();
    config.twilio.smsFrom = FakeTwilioServer::smsFrom();
    runMessages(fake, config);

    AppConfig withKey = config;
    withKey.twilio.authToken.clear();
    withKey.twilio.apiKeySid = FakeTwilioServer::apiKeySid();
    withKey.twilio.apiKeySecret = FakeTwilioServer::apiKeySecret();
    runMessages(fake, withKey);

    AppConfig verify = config;
    verify.twilio.verifyServiceSid = FakeTwilioServer::verifyServiceSid();
    runVerify(fake, verify);

    runOnlineCheck(verify); // the Account resource Twilio returns holds the auth token
    AppConfig wrong = config;
    wrong.twilio.authToken = QStringLiteral("wrong-token-0000");
    runOnlineCheck(wrong);

    ConfigSource source;
    source.environment = QProcessEnvironment();
    source.environment.insert(QStringLiteral("TWILIO_ACCOUNT_SID"), FakeTwilioServer::accountSid());
    source.environment.insert(QStringLiteral("TWILIO_AUTH_TOKEN"), FakeTwilioServer::authToken());
    source.environment.insert(QStringLiteral("TWILIO_API_KEY_SECRET"),
                              FakeTwilioServer::apiKeySecret());
    qInfo().noquote() << describeConfig(loadConfig(source)); // what --check-config prints

    // The secrets did travel (the scan looks for the right strings)...
    bool tokenOnTheWire = false;
    for (const HttpRequest &r : fake.http().requests())
        tokenOnTheWire =
            tokenOnTheWire || r.header("Authorization").contains(secretForms().at(2).toLatin1());
    QVERIFY(tokenOnTheWire);
    // ... and much was logged, none of it a secret.
    const QStringList logged = TwilioLogCapture::messages();
    QVERIFY2(logged.size() > 50, qPrintable(QString::number(logged.size())));
    const QStringList found = leaks(logged);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

void tst_SecretScan::otherTwilioTestsLoggedNoSecret()
{
    const QString dir = qEnvironmentVariable("WAOTP_TEST_LOG_DIR");
    if (dir.isEmpty())
        QSKIP("WAOTP_TEST_LOG_DIR is not set: run through ctest to scan the other tests' logs");
    int files = 0;
    qsizetype lines = 0;
    QStringList found;
    for (QDirIterator it(dir, {QStringLiteral("*.log")}, QDir::Files); it.hasNext();) {
        const QString path = it.next();
        if (path.endsWith(u"tst_secretscan.log"))
            continue; // scanFindsALeak logs a secret on purpose
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList content = QString::fromUtf8(f.readAll()).split(u'\n');
        lines += content.size();
        ++files;
        for (const QString &line : leaks(content))
            found.append(QFileInfo(path).fileName() + QStringLiteral(": ") + line);
    }
    if (files == 0)
        QSKIP("no logs of the other Twilio tests yet");
    qInfo("scanned %d logs, %lld lines", files, static_cast<long long>(lines));
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

QTEST_GUILESS_MAIN(tst_SecretScan)
#include "tst_secretscan.moc"
