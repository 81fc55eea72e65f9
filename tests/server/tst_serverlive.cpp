// waotp-server in live mode against the loopback fake Twilio: the code travels only in the
// message to Twilio (one request per send), Twilio's refusals become the API's errors, Verify
// owns the codes when configured, and no secret reaches the log.
#include "FakeClock.h"
#include "FakeTwilioServer.h"
#include "TwilioLogCapture.h"
#include "server/Server.h"
#include "server/api/VerificationApi.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

struct Reply
{
    int status = 0;
    QJsonObject json;
    QByteArray retryAfter;
};

} // namespace

class tst_ServerLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void codeTravelsOnlyToTwilio();
    void refusals_data();
    void refusals();
    void verifyOwnsTheCodes();
    void deleteCancelsAtTwilio();
    void nothingSecretIsLogged();

private:
    void startServer(const TwilioSettings &twilio);
    /// Starts the server with Twilio Verify and creates a verification.
    Reply createWithVerify();
    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {});
    QString codeSentTo(int message) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeTwilioServer> m_twilio;
    FakeClock m_clock;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QStringList m_codesSent;
};

void tst_ServerLive::initTestCase()
{
    TwilioLogCapture::install();
}

void tst_ServerLive::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_twilio = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_twilio->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void tst_ServerLive::cleanup()
{
    m_nam.reset();
    m_server.reset();
    m_twilio.reset();
}

void tst_ServerLive::startServer(const TwilioSettings &twilio)
{
    ServerSetup setup;
    setup.config.twilio = twilio;
    setup.settings.listenPort = 0;
    setup.settings.dataDir = m_dir->filePath(QStringLiteral("data"));
    setup.settings.signingKeyDir = m_dir->filePath(QStringLiteral("data/keys"));
    QString error;
    m_server = Server::create(setup, m_clock, &error);
    QVERIFY2(m_server, qPrintable(error));
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

Reply tst_ServerLive::call(const QByteArray &method, const QString &path, const QByteArray &body)
{
    QNetworkRequest request(QUrl(m_server->url().toString() + path));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = m_nam->sendCustomRequest(request, method, body);
    Reply r;
    if (QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000)) {
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.json = QJsonDocument::fromJson(reply->readAll()).object();
        r.retryAfter = reply->rawHeader("Retry-After");
    }
    delete reply;
    return r;
}

QString tst_ServerLive::codeSentTo(int message) const
{
    const QString body =
        m_twilio->messageCreates().value(message).formValue(QStringLiteral("Body"));
    return QRegularExpression(QStringLiteral("\\b([0-9]{6})\\b")).match(body).captured(1);
}

void tst_ServerLive::codeTravelsOnlyToTwilio()
{
    startServer(m_twilio->settings());
    const Reply created = call("POST", QStringLiteral("/v1/verifications"),
                               R"({"phone":"+919876543210","flow":"signup"})");
    QCOMPARE(created.status, 201);
    QVERIFY(!created.json.contains(u"demo_code"));
    QVERIFY(!created.json.contains(u"demo"));
    QCOMPARE(m_twilio->messageCreates().size(), 1); // exactly one request per send
    const auto sent = m_twilio->messageCreates().first();
    QCOMPARE(sent.formValue(QStringLiteral("To")), QStringLiteral("whatsapp:+919876543210"));
    const QString code = codeSentTo(0);
    QCOMPARE(code.size(), 6);
    m_codesSent.append(code);

    const QString id = created.json.value(u"id").toString();
    const Reply approved = call("POST", QStringLiteral("/v1/verifications/%1/check").arg(id),
                                "{\"code\":\"" + code.toLatin1() + "\"}");
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.json.value(u"account").toString(), QStringLiteral("created"));
    QVERIFY(!approved.json.contains(u"demo"));
    const QByteArray payload = QByteArray::fromBase64(
        approved.json.value(u"token").toString().toLatin1().split('.').value(1),
        QByteArray::Base64UrlEncoding);
    QVERIFY(!QJsonDocument::fromJson(payload).object().contains(u"demo"));
    QCOMPARE(m_twilio->messageCreates().size(), 1);
}

void tst_ServerLive::refusals_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("twilioCode");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("providerCode");
    QTest::newRow("invalid number") << 400 << 21211 << 422 << "send_failed" << 21211;
    QTest::newRow("opted out") << 400 << 21610 << 422 << "send_failed" << 21610;
    QTest::newRow("not on WhatsApp") << 400 << 63003 << 422 << "send_failed" << 63003;
    QTest::newRow("bad credentials") << 401 << 20003 << 502 << "provider_error" << 20003;
    QTest::newRow("Twilio fails") << 500 << 20500 << 502 << "provider_error" << 20500;
    QTest::newRow("Twilio rate limits") << 429 << 20429 << 503 << "provider_unavailable" << 20429;
}

void tst_ServerLive::refusals()
{
    QFETCH(int, httpStatus);
    QFETCH(int, twilioCode);
    QFETCH(int, status);
    QFETCH(QString, error);
    QFETCH(int, providerCode);
    startServer(m_twilio->settings());
    m_twilio->setCreateError(httpStatus, twilioCode, QStringLiteral("refused"),
                             {{"Retry-After", "7"}});
    const Reply r = call("POST", QStringLiteral("/v1/verifications"),
                         R"({"phone":"+919876543210","flow":"signup"})");
    QCOMPARE(r.status, status);
    QCOMPARE(r.json.value(u"error").toString(), error);
    QCOMPARE(r.json.value(u"provider_code").toInt(), providerCode);
    if (status == 503) {
        QVERIFY(!r.retryAfter.isEmpty());
        QVERIFY(r.json.value(u"retry_after").toInt() > 0);
    }
    QCOMPARE(m_server->api().verifications().size(), 0);
    // After a failed send the next one may go at once.
    m_twilio->clearCreateError();
    const Reply again = call("POST", QStringLiteral("/v1/verifications"),
                             R"({"phone":"+919876543210","flow":"signup"})");
    QCOMPARE(again.status, 201);
    m_codesSent.append(codeSentTo(int(m_twilio->messageCreates().size()) - 1));
}

Reply tst_ServerLive::createWithVerify()
{
    TwilioSettings twilio = m_twilio->settings();
    twilio.verifyServiceSid = FakeTwilioServer::verifyServiceSid();
    startServer(twilio);
    return call("POST", QStringLiteral("/v1/verifications"),
                R"({"phone":"+919876543210","flow":"signup"})");
}

void tst_ServerLive::verifyOwnsTheCodes()
{
    const Reply created = createWithVerify();
    QCOMPARE(created.status, 201);
    QCOMPARE(m_twilio->verificationCreates().size(), 1);
    const QString id = created.json.value(u"id").toString();
    Reply r =
        call("POST", QStringLiteral("/v1/verifications/%1/check").arg(id), R"({"code":"000000"})");
    QCOMPARE(r.status, 422);
    r = call("POST", QStringLiteral("/v1/verifications/%1/check").arg(id),
             "{\"code\":\"" + m_twilio->verifyCode.toLatin1() + "\"}");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("approved"));
    m_codesSent.append(m_twilio->verifyCode);
}

void tst_ServerLive::deleteCancelsAtTwilio()
{
    const Reply created = createWithVerify();
    QCOMPARE(created.status, 201);
    const QString id = created.json.value(u"id").toString();
    QCOMPARE(call("DELETE", QStringLiteral("/v1/verifications/%1").arg(id)).status, 204);
    QTRY_COMPARE(m_twilio->verificationUpdates().size(), 1);
    QCOMPARE(m_twilio->verificationUpdates().first().formValue(QStringLiteral("Status")),
             QStringLiteral("canceled"));
    QCOMPARE(m_twilio->verificationUpdates().first().path(),
             QStringLiteral("/v2/Services/%1/Verifications/%2")
                 .arg(FakeTwilioServer::verifyServiceSid(),
                      m_twilio->verificationUpdates().first().path().section(u'/', -1)));
    QVERIFY(m_twilio->verificationUpdates().first().path().section(u'/', -1).startsWith(u"VE"));
}

void tst_ServerLive::nothingSecretIsLogged()
{
    const QStringList lines = TwilioLogCapture::messages();
    QVERIFY(!lines.isEmpty());
    QStringList secrets {
        FakeTwilioServer::authToken(),
        QString::fromLatin1((FakeTwilioServer::accountSid() + u':' + FakeTwilioServer::authToken())
                                .toUtf8()
                                .toBase64())};
    secrets += m_codesSent; // outside demo mode no code is ever logged
    QVERIFY(m_codesSent.size() >= 3);
    for (const QString &line : lines) {
        for (const QString &secret : std::as_const(secrets))
            QVERIFY2(!line.contains(secret), qPrintable(line));
    }
}

QTEST_GUILESS_MAIN(tst_ServerLive)
#include "tst_serverlive.moc"
