// waotp-server in live mode against the loopback fake Twilio: the code travels only in the
// message to Twilio (one request per send), Twilio's refusals become the API's errors, Verify
// owns the codes when configured, a send the flow refuses reaches Twilio not at all (and cannot
// be told from a real one), and no secret reaches the log (Qt's, or the access log).
#include "FakeClock.h"
#include "FakeTwilioServer.h"
#include "PyJwt.h"
#include "TwilioLogCapture.h"
#include "server/Server.h"
#include "server/api/VerificationApi.h"
#include "server/monitor/AccessLog.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QTcpSocket>
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
    qint64 elapsedMs = 0;
};

const QByteArray Registered = "+919876543210";
const QByteArray Unregistered = "+919876500001";

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
    void failedResendShowsTheFailure();
    void verifyOwnsTheCodes();
    void verifyWrongCodesAtOnceEachCount();
    void deleteCancelsAtTwilio();
    void silentSendsGoNowhere();
    void silentSendsFailWhileTwilioFails();
    void aFailedResendTellsNoNumberFromAnother();
    void silentSendsInVerifyMode();
    void nothingSecretIsLogged();
    void readmeBackendCheck();

private:
    void startServer(const TwilioSettings &twilio);
    /// Starts the server with Twilio Verify and creates a verification.
    Reply createWithVerify();
    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {});
    Reply create(const QByteArray &phone, const char *flow);
    void signUp(const QByteArray &phone);
    QString codeSentTo(int message) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeTwilioServer> m_twilio;
    FakeClock m_clock;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QStringList m_codesSent;
    QStringList m_accessLog; // every line of every server's access log
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
    QVERIFY(m_server->accessLog());
    m_server->accessLog()->setSink([this](QByteArrayView block) {
        m_accessLog += QString::fromUtf8(block).split(u'\n', Qt::SkipEmptyParts);
    });
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

Reply tst_ServerLive::call(const QByteArray &method, const QString &path, const QByteArray &body)
{
    QNetworkRequest request(QUrl(m_server->url().toString() + path));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = m_nam->sendCustomRequest(request, method, body);
    Reply r;
    if (QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000)) {
        r.elapsedMs = timer.elapsed();
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.json = QJsonDocument::fromJson(reply->readAll()).object();
        r.retryAfter = reply->rawHeader("Retry-After");
    }
    delete reply;
    return r;
}

Reply tst_ServerLive::create(const QByteArray &phone, const char *flow)
{
    return call("POST", QStringLiteral("/v1/verifications"),
                "{\"phone\":\"" + phone + "\",\"flow\":\"" + flow + "\"}");
}

// Registers @p phone through the API, with the code Twilio was given.
void tst_ServerLive::signUp(const QByteArray &phone)
{
    const Reply created = create(phone, "signup");
    QCOMPARE(created.status, 201);
    const QString code = codeSentTo(int(m_twilio->messageCreates().size()) - 1);
    m_codesSent.append(code);
    const Reply approved =
        call("POST",
             QStringLiteral("/v1/verifications/%1/check").arg(created.json.value(u"id").toString()),
             "{\"code\":\"" + code.toLatin1() + "\"}");
    QCOMPARE(approved.status, 200);
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
    // Our sender's error, yet one the number chosen brings about: the server stays ready.
    QTest::newRow("From cannot reach the number")
        << 400 << 21606 << 502 << "provider_error" << 21606;
    QTest::newRow("Twilio fails") << 500 << 20500 << 502 << "provider_error" << 20500;
    QTest::newRow("Twilio rate limits") << 429 << 20429 << 503 << "provider_unavailable" << 20429;
    QTest::newRow("Twilio unavailable") << 503 << 20503 << 503 << "provider_unavailable" << 20503;
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
    // Credentials Twilio refuses make the server not ready: no send can succeed.
    const Reply ready = call("GET", QStringLiteral("/readyz"));
    if (twilioCode == 20003) {
        QCOMPARE(ready.status, 503);
        QCOMPARE(ready.json.value(u"not_ready").toArray(), QJsonArray {QStringLiteral("twilio")});
    } else {
        QCOMPARE(ready.status, 200);
    }
    QCOMPARE(m_server->api().verifications().size(), 0);
    // After a failed send the next one may go at once.
    m_twilio->clearCreateError();
    const Reply again = call("POST", QStringLiteral("/v1/verifications"),
                             R"({"phone":"+919876543210","flow":"signup"})");
    QCOMPARE(again.status, 201);
    m_codesSent.append(codeSentTo(int(m_twilio->messageCreates().size()) - 1));
    QCOMPARE(call("GET", QStringLiteral("/readyz")).status, 200);
}

// Twilio refuses a resend: the code the verification had is void (the engine cancels the
// number's code), so the verification says it failed, and may be sent again at once.
void tst_ServerLive::failedResendShowsTheFailure()
{
    startServer(m_twilio->settings());
    const Reply created = create("+919876543210", "signup");
    QCOMPARE(created.status, 201);
    const QString code = codeSentTo(0);
    m_codesSent.append(code);
    const QString path = u"/v1/verifications/" + created.json.value(u"id").toString();
    m_clock.advance(std::chrono::seconds(created.json.value(u"resend_in").toInt()));

    m_twilio->setCreateError(400, 21211, QStringLiteral("refused"));
    const Reply refused = call("POST", path + u"/resend");
    QCOMPARE(refused.status, 422);
    QCOMPARE(refused.json.value(u"error").toString(), QStringLiteral("send_failed"));
    m_twilio->clearCreateError();

    const Reply shown = call("GET", path);
    QCOMPARE(shown.status, 200);
    QCOMPARE(shown.json.value(u"status").toString(), QStringLiteral("failed"));
    QCOMPARE(shown.json.value(u"delivery").toString(), QStringLiteral("failed"));
    QCOMPARE(shown.json.value(u"delivery_error").toInt(), 21211);
    QCOMPARE(shown.json.value(u"resend_in").toInt(), 0);
    QCOMPARE(call("POST", path + u"/check", "{\"code\":\"" + code.toLatin1() + "\"}").status, 404);

    const Reply resent = call("POST", path + u"/resend");
    QCOMPARE(resent.status, 201);
    m_codesSent.append(codeSentTo(int(m_twilio->messageCreates().size()) - 1));
    const Reply again = call("GET", path);
    QCOMPARE(again.json.value(u"status").toString(), QStringLiteral("pending"));
    QVERIFY(again.json.value(u"delivery").toString() != u"failed");
    QVERIFY(!again.json.contains(u"delivery_error"));

    // A verification that is over keeps what it was: a failed send for its number voids no
    // code of its.
    const QString newCode = codeSentTo(int(m_twilio->messageCreates().size()) - 1);
    QCOMPARE(call("POST", path + u"/check", "{\"code\":\"" + newCode.toLatin1() + "\"}").status,
             200);
    m_twilio->setCreateError(400, 21211, QStringLiteral("refused"));
    QCOMPARE(create("+919876543210", "signin").status, 422);
    m_twilio->clearCreateError();
    const Reply approved = call("GET", path);
    QCOMPARE(approved.json.value(u"status").toString(), QStringLiteral("approved"));
    QVERIFY(approved.json.value(u"delivery").toString() != u"failed");
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

// Two wrong codes checked at Twilio at the same time: each takes an attempt (both were answered
// from the attempts the verification had when they began, and one was lost).
void tst_ServerLive::verifyWrongCodesAtOnceEachCount()
{
    // Twilio allows more checks than the server: the server's count is the one that holds.
    m_twilio->verifyMaxChecks = 60;
    const Reply created = createWithVerify();
    QCOMPARE(created.status, 201);
    const QString path =
        QStringLiteral("/v1/verifications/%1").arg(created.json.value(u"id").toString());
    int expected = created.json.value(u"attempts_left").toInt();
    QCOMPARE(expected, 5);
    const QUrl url = m_server->url();
    for (int round = 0; round < 2; ++round) {
        const int checksBefore = int(m_twilio->verificationChecks().size());
        // Both requests are in the server's sockets before its event loop runs again (it runs
        // in this thread): both checks start before Twilio answers either.
        QTcpSocket sockets[2];
        for (QTcpSocket &socket : sockets) {
            socket.connectToHost(url.host(), quint16(url.port()));
            QVERIFY(socket.waitForConnected(5000));
        }
        const QByteArray body = R"({"code":"000000"})";
        for (QTcpSocket &socket : sockets) {
            socket.write("POST " + path.toLatin1()
                         + "/check HTTP/1.1\r\nHost: " + url.host().toLatin1()
                         + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                           "Content-Length: "
                         + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            QVERIFY(socket.waitForBytesWritten(5000));
        }
        QTRY_VERIFY(sockets[0].state() == QAbstractSocket::UnconnectedState
                    && sockets[1].state() == QAbstractSocket::UnconnectedState);
        QSet<int> left;
        for (QTcpSocket &socket : sockets) {
            const QByteArray answer = socket.readAll();
            QVERIFY2(answer.startsWith("HTTP/1.1 422 "), answer.constData());
            left.insert(QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4))
                            .object()
                            .value(u"attempts_left")
                            .toInt());
        }
        QCOMPARE(m_twilio->verificationChecks().size(), checksBefore + 2); // both went to Twilio
        QCOMPARE(left, (QSet<int> {expected - 1, expected - 2}));
        expected -= 2;
        QCOMPARE(call("GET", path).json.value(u"attempts_left").toInt(), expected);
    }
    const Reply last = call("POST", path + u"/check", R"({"code":"000000"})");
    QCOMPARE(last.status, 429);
    QCOMPARE(last.json.value(u"error").toString(), QStringLiteral("too_many_attempts"));
    // Used up: the right code no longer approves.
    const Reply right =
        call("POST", path + u"/check", "{\"code\":\"" + m_twilio->verifyCode.toLatin1() + "\"}");
    QCOMPARE(right.status, 429);
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

void tst_ServerLive::silentSendsGoNowhere()
{
    startServer(m_twilio->settings());
    // Twilio takes its time to accept a message: a silent send takes as long.
    m_twilio->setOverride([](const test::HttpRequest &r) -> std::optional<test::HttpResponse> {
        if (r.method != "POST" || !r.path().endsWith(u"/Messages.json"))
            return std::nullopt;
        static int serial = 1000;
        test::HttpResponse answer = test::HttpResponse::json(
            201,
            {{QStringLiteral("sid"),
              QStringLiteral("SM%1").arg(++serial, 32, 16, QLatin1Char('0'))},
             {QStringLiteral("status"), QStringLiteral("queued")}});
        answer.delay = 400ms;
        return answer;
    });
    signUp(Registered);
    const Reply real = create(Registered, "signin");
    QCOMPARE(real.status, 201);
    const qsizetype sends = m_twilio->messageCreates().size();

    const Reply silent = create(Unregistered, "signin");
    QCOMPARE(silent.status, 201);
    QCOMPARE(m_twilio->messageCreates().size(), sends); // nothing went to Twilio
    QCOMPARE(silent.json.keys(), real.json.keys());
    for (const char16_t *key : {u"status", u"delivery", u"channel", u"flow"})
        QCOMPARE(silent.json.value(key), real.json.value(key));
    QVERIFY2(real.elapsedMs >= 400, qPrintable(QString::number(real.elapsedMs)));
    QVERIFY2(silent.elapsedMs >= 400 && silent.elapsedMs < 2000,
             qPrintable(QString::number(silent.elapsedMs)));
    // Any code fails as a wrong one.
    const Reply checked =
        call("POST",
             QStringLiteral("/v1/verifications/%1/check").arg(silent.json.value(u"id").toString()),
             R"({"code":"123456"})");
    QCOMPARE(checked.status, 422);
    QCOMPARE(checked.json.value(u"error").toString(), QStringLiteral("wrong_code"));
    // Not one request to Twilio named the number.
    for (const test::HttpRequest &r : m_twilio->http().requests()) {
        QVERIFY(!r.formValue(QStringLiteral("To")).contains(QString::fromLatin1(Unregistered)));
        QVERIFY(!r.target.contains(QUrl::toPercentEncoding(QString::fromLatin1(Unregistered))));
    }
}

void tst_ServerLive::silentSendsFailWhileTwilioFails()
{
    startServer(m_twilio->settings());
    signUp(Registered);
    m_twilio->setCreateError(500, 20500, QStringLiteral("Twilio is down"));
    const Reply real = create(Registered, "signin");
    QCOMPARE(real.status, 502);
    const qsizetype requests = m_twilio->messageCreates().size();
    const Reply silent = create(Unregistered, "signin");
    QCOMPARE(silent.status, 502); // as a real one would now
    QCOMPARE(silent.json.value(u"error"), real.json.value(u"error"));
    QCOMPARE(silent.json.value(u"provider_code"), real.json.value(u"provider_code"));
    QCOMPARE(m_twilio->messageCreates().size(), requests);
    // Once Twilio accepts real sends again, silent ones "succeed" again.
    m_twilio->clearCreateError();
    QCOMPARE(create(Registered, "signin").status, 201);
    QCOMPARE(create("+919876500002", "signin").status, 201);
}

// A resend refused while Twilio fails voids the code of a real verification and of a silent
// one alike: what follows (a check, GET) says the same for both.
void tst_ServerLive::aFailedResendTellsNoNumberFromAnother()
{
    startServer(m_twilio->settings());
    signUp(Registered);
    const Reply real = create(Registered, "signin");
    const Reply silent = create(Unregistered, "signin");
    QCOMPARE(real.status, 201);
    QCOMPARE(silent.status, 201);
    const QString realPath = u"/v1/verifications/" + real.json.value(u"id").toString();
    const QString silentPath = u"/v1/verifications/" + silent.json.value(u"id").toString();
    m_codesSent.append(codeSentTo(int(m_twilio->messageCreates().size()) - 1));
    m_clock.advance(std::chrono::seconds(real.json.value(u"resend_in").toInt()));

    m_twilio->setCreateError(500, 20500, QStringLiteral("Twilio is down"));
    QCOMPARE(call("POST", realPath + u"/resend").status, 502);
    QCOMPARE(call("POST", silentPath + u"/resend").status, 502); // as a real one would now
    m_twilio->clearCreateError();

    const QByteArray guess = R"({"code":"000000"})";
    const Reply realCheck = call("POST", realPath + u"/check", guess);
    const Reply silentCheck = call("POST", silentPath + u"/check", guess);
    QCOMPARE(realCheck.status, 404);
    QCOMPARE(silentCheck.status, realCheck.status);
    QCOMPARE(silentCheck.json, realCheck.json);
    const Reply realShown = call("GET", realPath);
    const Reply silentShown = call("GET", silentPath);
    for (const char *key : {"status", "delivery", "resend_in", "attempts_left"})
        QCOMPARE(silentShown.json.value(QLatin1String(key)),
                 realShown.json.value(QLatin1String(key)));
}

void tst_ServerLive::silentSendsInVerifyMode()
{
    TwilioSettings twilio = m_twilio->settings();
    twilio.verifyServiceSid = FakeTwilioServer::verifyServiceSid();
    startServer(twilio);
    const Reply created = create(Registered, "signup");
    QCOMPARE(created.status, 201);
    QCOMPARE(
        call("POST",
             QStringLiteral("/v1/verifications/%1/check").arg(created.json.value(u"id").toString()),
             "{\"code\":\"" + m_twilio->verifyCode.toLatin1() + "\"}")
            .status,
        200);
    const qsizetype requests = m_twilio->http().requests().size();

    const Reply silent = create(Unregistered, "signin");
    QCOMPARE(silent.status, 201);
    const QString check =
        QStringLiteral("/v1/verifications/%1/check").arg(silent.json.value(u"id").toString());
    // Twilio's own code (the fake gives every number the same one) is wrong here too.
    for (int left = 4; left >= 1; --left) {
        const Reply r =
            call("POST", check, "{\"code\":\"" + m_twilio->verifyCode.toLatin1() + "\"}");
        QCOMPARE(r.status, 422);
        QCOMPARE(r.json.value(u"attempts_left").toInt(), left);
    }
    QCOMPARE(call("POST", check, R"({"code":"000000"})").json.value(u"error").toString(),
             QStringLiteral("too_many_attempts"));
    QCOMPARE(m_twilio->http().requests().size(), requests); // not one request to Twilio
}

void tst_ServerLive::nothingSecretIsLogged()
{
    const QStringList lines = TwilioLogCapture::messages() + m_accessLog;
    QVERIFY(m_accessLog.size() >= 20);
    for (const QString &line : std::as_const(m_accessLog)) {
        QVERIFY2(!line.contains(QString::fromLatin1(Registered)), qPrintable(line));
        QVERIFY2(!line.contains(QString::fromLatin1(Unregistered)), qPrintable(line));
    }
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

void tst_ServerLive::readmeBackendCheck()
{
    // The platform's check as README.md prints it accepts a live token once, for its session.
    startServer(m_twilio->settings());
    const Reply created = call("POST", QStringLiteral("/v1/verifications"),
                               R"({"phone":"+919876543210","flow":"signup","nonce":"session-1"})");
    QCOMPARE(created.status, 201);
    const QString code = codeSentTo(0);
    m_codesSent.append(code);
    const Reply approved =
        call("POST",
             QStringLiteral("/v1/verifications/%1/check").arg(created.json.value(u"id").toString()),
             "{\"code\":\"" + code.toLatin1() + "\"}");
    QCOMPARE(approved.status, 200);
    const QByteArray token = approved.json.value(u"token").toString().toLatin1();
    const QList<ReadmeCheck> checks =
        waotp::test::readmeBackendCheck(m_server->url().toString(),
                                        {{token, QStringLiteral("session-2")}, // another session
                                         {token, QStringLiteral("session-1")},
                                         {token, QStringLiteral("session-1")}}); // a replay
    QCOMPARE(checks.size(), 3);
    QVERIFY2(!checks[0].ok, "a token of another login session");
    QVERIFY2(checks[1].ok, qPrintable(checks[1].error));
    QCOMPARE(checks[1].phone, QStringLiteral("+919876543210"));
    QCOMPARE(checks[1].subject, approved.json.value(u"account_id").toString());
    QVERIFY2(!checks[2].ok, "the same token twice");
}

QTEST_GUILESS_MAIN(tst_ServerLive)
#include "tst_serverlive.moc"
