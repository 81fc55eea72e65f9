// Twilio's status callbacks: the signature (Twilio's published example, the URL's port, anything
// changed), and waotp-server in live mode against the loopback fake Twilio with a public URL:
// every send asks for callbacks instead of being polled, a signed callback moves the delivery of
// the verification its message belongs to and wakes its long polls, anything else gets 403.
#include "FakeClock.h"
#include "FakeTwilioServer.h"
#include "server/Server.h"
#include "server/api/TwilioSignature.h"
#include "server/api/VerificationApi.h"
#include "server/monitor/Metrics.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

const QString PublicUrl = QStringLiteral("https://auth.example.com");
const QString CallbackUrl = QStringLiteral("https://auth.example.com/v1/twilio/status");

struct Reply
{
    int status = 0;
    QJsonObject json;
};

FormParams exampleParams()
{
    return {{QStringLiteral("CallSid"), QStringLiteral("CA1234567890ABCDE")},
            {QStringLiteral("Caller"), QStringLiteral("+12349013030")},
            {QStringLiteral("Digits"), QStringLiteral("1234")},
            {QStringLiteral("From"), QStringLiteral("+12349013030")},
            {QStringLiteral("To"), QStringLiteral("+18005551212")}};
}

// The signature as the test computes it, apart from the server's code: Twilio's recipe.
QByteArray signatureOf(const QString &url, const QList<std::pair<QString, QString>> &params,
                       const QString &token)
{
    QStringList pieces;
    for (const auto &[name, value] : params)
        pieces.append(name + value);
    pieces.sort();
    return QMessageAuthenticationCode::hash((url + pieces.join(QString())).toUtf8(), token.toUtf8(),
                                            QCryptographicHash::Sha1)
        .toBase64();
}

} // namespace

class tst_TwilioStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void twilioExampleVector();
    void urlPortVariants();
    void anythingChangedIsRefused();
    void formBodies_data();
    void formBodies();

    void sendsAskForCallbacksInsteadOfPolling();
    void callbackMovesTheDelivery();
    void callbackFindsItsOwnVerification();
    void failedDeliveryAllowsAnotherSendAtOnce();
    void silentSignInMovesAsReportedOnesDo_data();
    void silentSignInMovesAsReportedOnesDo();
    void badSignaturesAreRefused_data();
    void badSignaturesAreRefused();
    void withoutPublicUrlDeliveryIsPolled();
    void queuedMessageFindsItsVerification();
    void callbackUrlNamesTheVerification();
    void callbackNamingItsSendMovesOnlyThatSend();
    void callbackNamingNoSendOfOursFallsBackToTheMessage();

private:
    void startServer(bool publicUrl = true, int sendsPerSecond = 0);
    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {});
    QString createVerification(const char *phone = "+919876543210");
    int postCallback(const QList<std::pair<QString, QString>> &params, const QByteArray &signature,
                     const QString &query = {});
    int callback(const QString &sid, const QString &status, int errorCode = 0,
                 const QString &url = CallbackUrl);
    QString callbackUrlOf(int message) const;
    static QString sidOf(int message)
    {
        return QStringLiteral("SM%1").arg(message, 32, 16, QLatin1Char('0'));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeTwilioServer> m_twilio;
    FakeClock m_clock;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void tst_TwilioStatus::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_twilio = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_twilio->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void tst_TwilioStatus::cleanup()
{
    m_nam.reset();
    m_server.reset();
    m_twilio.reset();
}

void tst_TwilioStatus::twilioExampleVector()
{
    // https://www.twilio.com/docs/usage/security#validating-requests
    const QString url = QStringLiteral("https://mycompany.com/myapp.php?foo=1&bar=2");
    QCOMPARE(twilioSignature("12345", url, exampleParams()),
             QByteArray("0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    QCOMPARE(signatureOf(url, exampleParams(), QStringLiteral("12345")),
             QByteArray("0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    QVERIFY(isValidTwilioSignature("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "12345", url, exampleParams()));
    // The order the parameters came in does not matter: they are sorted.
    FormParams shuffled = exampleParams();
    std::reverse(shuffled.begin(), shuffled.end());
    QVERIFY(isValidTwilioSignature("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "12345", url, shuffled));
}

void tst_TwilioStatus::urlPortVariants()
{
    // Twilio may sign the URL with the scheme's default port written out, or without it.
    const FormParams params {{QStringLiteral("MessageSid"), sidOf(1)},
                             {QStringLiteral("MessageStatus"), QStringLiteral("sent")}};
    const QByteArray withPort =
        signatureOf(QStringLiteral("https://auth.example.com:443/v1/twilio/status"), params,
                    QStringLiteral("token"));
    QVERIFY(isValidTwilioSignature(withPort, "token", CallbackUrl, params));
    const QByteArray withoutPort = signatureOf(CallbackUrl, params, QStringLiteral("token"));
    QVERIFY(isValidTwilioSignature(withoutPort, "token",
                                   QStringLiteral("https://auth.example.com:443/v1/twilio/status"),
                                   params));
    // Another port is another URL.
    QVERIFY(!isValidTwilioSignature(
        signatureOf(QStringLiteral("https://auth.example.com:8443/v1/twilio/status"), params,
                    QStringLiteral("token")),
        "token", CallbackUrl, params));
}

void tst_TwilioStatus::anythingChangedIsRefused()
{
    const QString url = QStringLiteral("https://mycompany.com/myapp.php?foo=1&bar=2");
    const QByteArray good = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
    QVERIFY(!isValidTwilioSignature(good, "12346", url, exampleParams())); // another token
    QVERIFY(!isValidTwilioSignature(good, "12345", url + u'3', exampleParams()));
    FormParams changed = exampleParams();
    changed[2].second = QStringLiteral("1235");
    QVERIFY(!isValidTwilioSignature(good, "12345", url, changed));
    FormParams added = exampleParams();
    added.append({QStringLiteral("MessageStatus"), QStringLiteral("delivered")});
    QVERIFY(!isValidTwilioSignature(good, "12345", url, added));
    QVERIFY(!isValidTwilioSignature("0/KCTR6DLpKmkAf8muzZqo1nDgQ", "12345", url,
                                    exampleParams())); // cut short
    QVERIFY(!isValidTwilioSignature({}, "12345", url, exampleParams()));
    QVERIFY(!isValidTwilioSignature(good, {}, url, exampleParams())); // no token: nothing valid
}

void tst_TwilioStatus::formBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::newRow("plain") << QByteArray("MessageStatus=sent&MessageSid=SM1") << true
                           << "MessageSid"
                           << "SM1";
    QTest::newRow("plus and escapes")
        << QByteArray("To=whatsapp%3A%2B919876543210&Body=a+b%20c") << true << "Body"
        << "a b c";
    QTest::newRow("escaped plus") << QByteArray("To=%2B15005550006") << true << "To"
                                  << "+15005550006";
    QTest::newRow("no value") << QByteArray("ErrorCode=&A=1") << true << "ErrorCode"
                              << "";
    QTest::newRow("empty pairs") << QByteArray("&&A=1&") << true << "A"
                                 << "1";
    QTest::newRow("UTF-8") << QByteArray("Body=%E0%A4%95") << true << "Body"
                           << QString::fromUtf8("\xe0\xa4\x95");
    QTest::newRow("not UTF-8") << QByteArray("Body=%FF%FE") << false << ""
                               << "";
    QTest::newRow("no name") << QByteArray("=1") << false << ""
                             << "";
}

void tst_TwilioStatus::formBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(QString, name);
    QFETCH(QString, value);
    const std::optional<FormParams> params = parseForm(body);
    QCOMPARE(params.has_value(), ok);
    if (ok)
        QCOMPARE(formValue(*params, name), value);
}

void tst_TwilioStatus::startServer(bool publicUrl, int sendsPerSecond)
{
    ServerSetup setup;
    setup.config.twilio = m_twilio->settings();
    setup.settings.listenPort = 0;
    if (publicUrl)
        setup.settings.publicUrl = QUrl(PublicUrl);
    setup.settings.dataDir = m_dir->filePath(QStringLiteral("data"));
    setup.settings.signingKeyDir = m_dir->filePath(QStringLiteral("data/keys"));
    setup.settings.accessLog = false;
    setup.settings.maxSendsPerSecond = sendsPerSecond;
    QString error;
    m_server = Server::create(setup, m_clock, &error);
    QVERIFY2(m_server, qPrintable(error));
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

Reply tst_TwilioStatus::call(const QByteArray &method, const QString &path, const QByteArray &body)
{
    QNetworkRequest request(QUrl(m_server->url().toString() + path));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = m_nam->sendCustomRequest(request, method, body);
    Reply r;
    if (QTest::qWaitFor([reply] { return reply->isFinished(); }, 40000)) {
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.json = QJsonDocument::fromJson(reply->readAll()).object();
    }
    delete reply;
    return r;
}

QString tst_TwilioStatus::createVerification(const char *phone)
{
    const Reply r = call("POST", QStringLiteral("/v1/verifications"),
                         "{\"phone\":\"" + QByteArray(phone) + "\",\"flow\":\"signup\"}");
    if (r.status != 201)
        qWarning() << "create answered" << r.status << r.json;
    return r.json.value(u"id").toString();
}

int tst_TwilioStatus::postCallback(const QList<std::pair<QString, QString>> &params,
                                   const QByteArray &signature, const QString &query)
{
    QByteArray body;
    for (const auto &[name, value] : params) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    QNetworkRequest request(QUrl(m_server->url().toString() + u"/v1/twilio/status"
                                 + (query.isEmpty() ? QString() : u'?' + query)));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArray("application/x-www-form-urlencoded"));
    if (!signature.isNull())
        request.setRawHeader("X-Twilio-Signature", signature);
    request.setRawHeader("User-Agent", "TwilioProxy/1.1");
    QNetworkReply *reply = m_nam->post(request, body);
    int status = 0;
    if (QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return status;
}

// A callback as Twilio sends one for a WhatsApp message to @p url (the StatusCallback it was
// given), signed with the account's token.
int tst_TwilioStatus::callback(const QString &sid, const QString &status, int errorCode,
                               const QString &url)
{
    QList<std::pair<QString, QString>> params {
        {QStringLiteral("AccountSid"), FakeTwilioServer::accountSid()},
        {QStringLiteral("ApiVersion"), QStringLiteral("2010-04-01")},
        {QStringLiteral("ChannelPrefix"), QStringLiteral("whatsapp")},
        {QStringLiteral("From"), QStringLiteral("whatsapp:+14155238886")},
        {QStringLiteral("MessageSid"), sid},
        {QStringLiteral("MessageStatus"), status},
        {QStringLiteral("SmsSid"), sid},
        {QStringLiteral("SmsStatus"), status},
        {QStringLiteral("To"), QStringLiteral("whatsapp:+919876543210")},
    };
    if (errorCode != 0)
        params.append({QStringLiteral("ErrorCode"), QString::number(errorCode)});
    const QString query = QUrl(url).query(QUrl::FullyEncoded);
    return postCallback(params, signatureOf(url, params, FakeTwilioServer::authToken()), query);
}

// The StatusCallback the server gave Twilio with message @p message (1 the first).
QString tst_TwilioStatus::callbackUrlOf(int message) const
{
    return m_twilio->messageCreates().at(message - 1).formValue(QStringLiteral("StatusCallback"));
}

void tst_TwilioStatus::sendsAskForCallbacksInsteadOfPolling()
{
    startServer();
    QCOMPARE(m_server->statusCallbackUrl(), CallbackUrl);
    QVERIFY(!createVerification().isEmpty());
    QCOMPARE(m_twilio->messageCreates().size(), 1);
    QVERIFY(callbackUrlOf(1).startsWith(CallbackUrl + u"?v="));
    QTest::qWait(1300); // the first poll would have come after a second
    QCOMPARE(m_twilio->messageFetches(), 0);
}

void tst_TwilioStatus::callbackMovesTheDelivery()
{
    startServer();
    const QString id = createVerification();
    const QString path = QStringLiteral("/v1/verifications/") + id;
    QCOMPARE(call("GET", path).json.value(u"delivery").toString(), QStringLiteral("queued"));

    // A long poll is answered by the callback, not by its time running out.
    QNetworkReply *waiting =
        m_nam->get(QNetworkRequest(QUrl(m_server->url().toString() + path + u"?wait=30")));
    QTest::qWait(100);
    QVERIFY(!waiting->isFinished());
    QCOMPARE(callback(sidOf(1), QStringLiteral("sent")), 204);
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 5000);
    QCOMPARE(QJsonDocument::fromJson(waiting->readAll()).object().value(u"delivery").toString(),
             QStringLiteral("sent"));
    delete waiting;

    QCOMPARE(callback(sidOf(1), QStringLiteral("delivered")), 204);
    QCOMPARE(call("GET", path).json.value(u"delivery").toString(), QStringLiteral("delivered"));
    // Callbacks may come out of order: a late "sent" does not take the delivery back.
    QCOMPARE(callback(sidOf(1), QStringLiteral("sent")), 204);
    QCOMPARE(call("GET", path).json.value(u"delivery").toString(), QStringLiteral("delivered"));
    QCOMPARE(callback(sidOf(1), QStringLiteral("read")), 204);
    QCOMPARE(call("GET", path).json.value(u"delivery").toString(), QStringLiteral("read"));
    // A message nobody knows is accepted and changes nothing.
    QCOMPARE(callback(sidOf(99), QStringLiteral("failed"), 30008), 204);
    QCOMPARE(call("GET", path).json.value(u"status").toString(), QStringLiteral("pending"));
    QVERIFY(m_server->metrics().render().contains(
        "waotp_twilio_status_callbacks_total{result=\"accepted\"} 5"));
}

void tst_TwilioStatus::callbackFindsItsOwnVerification()
{
    startServer();
    const QString first = createVerification();
    m_clock.advance(30s);
    const QString second = createVerification(); // the same number: replaces the first
    QVERIFY(!second.isEmpty());
    QVERIFY(first != second);
    // The first message's callback moves the first verification, not the number's current one.
    QCOMPARE(callback(sidOf(1), QStringLiteral("undelivered"), 63024), 204);
    const Reply old = call("GET", QStringLiteral("/v1/verifications/") + first);
    QCOMPARE(old.json.value(u"delivery").toString(), QStringLiteral("undelivered"));
    QCOMPARE(old.json.value(u"delivery_error").toInt(), 63024);
    const Reply current = call("GET", QStringLiteral("/v1/verifications/") + second);
    QCOMPARE(current.json.value(u"delivery").toString(), QStringLiteral("queued"));
    QCOMPARE(current.json.value(u"status").toString(), QStringLiteral("pending"));

    // After a resend, the callbacks of the verification's earlier message no longer move it.
    m_clock.advance(60s);
    const Reply resent = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(second));
    QCOMPARE(resent.status, 201);
    QCOMPARE(callback(sidOf(2), QStringLiteral("failed"), 30008), 204);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + second).json.value(u"delivery"),
             QJsonValue(QStringLiteral("queued")));
    QCOMPARE(callback(sidOf(3), QStringLiteral("delivered")), 204);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + second).json.value(u"delivery"),
             QJsonValue(QStringLiteral("delivered")));
}

void tst_TwilioStatus::failedDeliveryAllowsAnotherSendAtOnce()
{
    startServer();
    const QString id = createVerification();
    Reply r = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id));
    QCOMPARE(r.status, 429); // the cooldown
    QCOMPARE(callback(sidOf(1), QStringLiteral("undelivered"), 63024), 204);
    const Reply shown = call("GET", QStringLiteral("/v1/verifications/") + id);
    QCOMPARE(shown.json.value(u"status").toString(), QStringLiteral("failed"));
    QCOMPARE(shown.json.value(u"delivery_error").toInt(), 63024);
    // Not delivered: the person may ask again at once (the engine heard of it), and the
    // verification says so.
    QCOMPARE(shown.json.value(u"resend_in").toInt(), 0);
    r = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id));
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(u"delivery").toString(), QStringLiteral("queued"));
}

void tst_TwilioStatus::silentSignInMovesAsReportedOnesDo_data()
{
    QTest::addColumn<int>("sendsPerSecond");
    QTest::newRow("sent at once") << 0;
    // One send a second: the second waits for its slot, and is answered before Twilio gives
    // its message's SID.
    QTest::newRow("through the send-rate governor") << 1;
}

void tst_TwilioStatus::silentSignInMovesAsReportedOnesDo()
{
    // Real sends reported by callback: their jobs track nothing, the callbacks move them.
    QFETCH(int, sendsPerSecond);
    startServer(true, sendsPerSecond);
    QVERIFY(!createVerification().isEmpty());
    int reported = 1; // the message whose callbacks come
    if (sendsPerSecond > 0) {
        QVERIFY(!createVerification("+919876543211").isEmpty()); // waits for its slot
        m_clock.advance(1s);
        QTRY_COMPARE_WITH_TIMEOUT(m_twilio->messageCreates().size(), 2, 10000);
        reported = 2;
    }
    QTest::qWait(200); // the jobs' tracking ends (nothing is polled)

    // A sign-in for a number without an account sends nothing, and moves as real ones do: a
    // delivery stuck at "queued" would tell that the number has no account. Before the real
    // ones' callbacks, their samples are not replayed (they would stop at "queued").
    const auto deliveryOfSilentSignIn = [this](const char *phone) {
        const Reply silent = call("POST", QStringLiteral("/v1/verifications"),
                                  R"({"phone":")" + QByteArray(phone) + R"(","flow":"signin"})");
        if (silent.status != 201)
            return QStringList {QString::number(silent.status)};
        m_clock.advance(1s); // its turn, under the governor
        const QString path =
            QStringLiteral("/v1/verifications/") + silent.json.value(u"id").toString();
        QStringList seen {call("GET", path).json.value(u"delivery").toString()};
        QElapsedTimer timer;
        timer.start();
        while (seen.last() != u"delivered" && timer.elapsed() < 10000)
            seen.append(call("GET", path + u"?wait=5").json.value(u"delivery").toString());
        return seen;
    };
    QStringList seen = deliveryOfSilentSignIn("+919876500001");
    QVERIFY2(seen.last() == u"delivered", qPrintable(seen.join(u',')));

    // Once the callbacks came, the real message's sample is replayed.
    QCOMPARE(callback(sidOf(reported), QStringLiteral("sent")), 204);
    QCOMPARE(callback(sidOf(reported), QStringLiteral("delivered")), 204);
    seen = deliveryOfSilentSignIn("+919876500002");
    QVERIFY2(seen.last() == u"delivered", qPrintable(seen.join(u',')));
    QVERIFY2(seen.contains(QStringLiteral("sent")) || seen.first() == u"delivered",
             qPrintable(seen.join(u',')));
    QCOMPARE(m_twilio->messageCreates().size(), reported);
}

void tst_TwilioStatus::badSignaturesAreRefused_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("token");
    QTest::addColumn<bool>("tamper");
    QTest::addColumn<bool>("withSignature");
    QTest::newRow("no signature") << CallbackUrl << FakeTwilioServer::authToken() << false << false;
    QTest::newRow("another token")
        << CallbackUrl << QStringLiteral("not-the-token") << false << true;
    QTest::newRow("another URL") << QStringLiteral("https://evil.example.com/v1/twilio/status")
                                 << FakeTwilioServer::authToken() << false << true;
    QTest::newRow("the API key secret")
        << CallbackUrl << FakeTwilioServer::apiKeySecret() << false << true;
    QTest::newRow("a parameter changed")
        << CallbackUrl << FakeTwilioServer::authToken() << true << true;
}

void tst_TwilioStatus::badSignaturesAreRefused()
{
    QFETCH(QString, url);
    QFETCH(QString, token);
    QFETCH(bool, tamper);
    QFETCH(bool, withSignature);
    startServer();
    const QString id = createVerification();
    QList<std::pair<QString, QString>> params {
        {QStringLiteral("MessageSid"), sidOf(1)},
        {QStringLiteral("MessageStatus"), QStringLiteral("failed")},
        {QStringLiteral("ErrorCode"), QStringLiteral("30008")},
    };
    const QByteArray signature = withSignature ? signatureOf(url, params, token) : QByteArray();
    if (tamper)
        params[1].second = QStringLiteral("delivered");
    QCOMPARE(postCallback(params, signature), 403);
    const Reply shown = call("GET", QStringLiteral("/v1/verifications/") + id);
    QCOMPARE(shown.json.value(u"delivery").toString(), QStringLiteral("queued"));
    QCOMPARE(shown.json.value(u"status").toString(), QStringLiteral("pending"));
    QVERIFY(m_server->metrics().render().contains(
        "waotp_twilio_status_callbacks_total{result=\"refused\"} 1"));
}

void tst_TwilioStatus::withoutPublicUrlDeliveryIsPolled()
{
    startServer(false);
    QVERIFY(m_server->statusCallbackUrl().isEmpty());
    const QString id = createVerification();
    QVERIFY(
        m_twilio->messageCreates().first().formValue(QStringLiteral("StatusCallback")).isEmpty());
    // Nothing could have been signed for a URL the server does not have.
    QCOMPARE(callback(sidOf(1), QStringLiteral("delivered")), 403);
    // Polling is the fallback (the fake Twilio reports sent, then delivered).
    QTRY_COMPARE_WITH_TIMEOUT(
        call("GET", QStringLiteral("/v1/verifications/") + id).json.value(u"delivery").toString(),
        QStringLiteral("delivered"), 10000);
    QVERIFY(m_twilio->messageFetches() > 0);
}

void tst_TwilioStatus::queuedMessageFindsItsVerification()
{
    // One send a second: the second create waits for its slot, and its message is named only
    // when it goes out. Twilio's callbacks for it must still find its verification.
    startServer(true, 1);
    QVERIFY(!createVerification().isEmpty());
    const Reply queued = call("POST", QStringLiteral("/v1/verifications"),
                              R"({"phone":"+919876543211","flow":"signup"})");
    QCOMPARE(queued.status, 201);
    QCOMPARE(queued.json.value(u"queue_position").toInt(), 1);
    const QString id = queued.json.value(u"id").toString();
    QCOMPARE(m_twilio->messageCreates().size(), 1);
    m_clock.advance(1s);
    QTRY_COMPARE_WITH_TIMEOUT(m_twilio->messageCreates().size(), 2, 10000);
    QCOMPARE(m_twilio->messageCreates().at(1).formValue(QStringLiteral("To")),
             QStringLiteral("whatsapp:+919876543211"));
    QCOMPARE(callback(sidOf(2), QStringLiteral("delivered")), 204);
    QTRY_COMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).json.value(u"delivery"),
                 QJsonValue(QStringLiteral("delivered")));
}

// With the process's store too, the callback URL names the verification and the send in `v`, in
// the form a shared store gives it (the same URL whichever store a deployment uses): sealed,
// base64url, nothing of the id or the number readable.
void tst_TwilioStatus::callbackUrlNamesTheVerification()
{
    startServer();
    const QString id = createVerification();
    QVERIFY(!id.isEmpty());
    m_clock.advance(60s);
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id)).status, 201);
    QCOMPARE(m_twilio->messageCreates().size(), 2);
    QSet<QString> refs;
    for (int message = 1; message <= 2; ++message) {
        const QUrl url(callbackUrlOf(message), QUrl::StrictMode);
        QVERIFY(url.isValid());
        QCOMPARE(url.toString(QUrl::RemoveQuery), CallbackUrl);
        const QUrlQuery query(url);
        QCOMPARE(query.queryItems().size(), 1);
        const QString ref = query.queryItemValue(QStringLiteral("v"));
        QVERIFY(ref.size() > 40);
        static const QRegularExpression base64Url(QStringLiteral("^[A-Za-z0-9_-]+$"));
        QVERIFY(base64Url.match(ref).hasMatch());
        QVERIFY(!ref.contains(id));
        QVERIFY(!ref.contains(QStringLiteral("9876543210")));
        refs.insert(ref);
    }
    QCOMPARE(refs.size(), 2); // each send has its own
}

// A callback to the URL the server gave (signed over it, `v` included) moves the verification
// that URL names, and only while its message is the verification's current code.
void tst_TwilioStatus::callbackNamingItsSendMovesOnlyThatSend()
{
    startServer();
    const QString first = createVerification();
    m_clock.advance(30s);
    const QString second = createVerification(); // the same number: replaces the first
    QVERIFY(first != second && !second.isEmpty());
    QCOMPARE(callback(sidOf(1), QStringLiteral("undelivered"), 63024, callbackUrlOf(1)), 204);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + first).json.value(u"delivery"),
             QJsonValue(QStringLiteral("undelivered")));
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + second).json.value(u"delivery"),
             QJsonValue(QStringLiteral("queued")));

    // The signature covers the query: the same callback signed over the bare URL is refused.
    QList<std::pair<QString, QString>> params {
        {QStringLiteral("MessageSid"), sidOf(2)},
        {QStringLiteral("MessageStatus"), QStringLiteral("failed")},
    };
    QCOMPARE(postCallback(params, signatureOf(CallbackUrl, params, FakeTwilioServer::authToken()),
                          QUrl(callbackUrlOf(2)).query(QUrl::FullyEncoded)),
             403);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + second).json.value(u"delivery"),
             QJsonValue(QStringLiteral("queued")));

    // After a resend, a callback naming the verification about its earlier message changes
    // nothing; the new message's moves it.
    m_clock.advance(60s);
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(second)).status, 201);
    QCOMPARE(callback(sidOf(2), QStringLiteral("failed"), 30008, callbackUrlOf(2)), 204);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + second).json.value(u"delivery"),
             QJsonValue(QStringLiteral("queued")));
    QCOMPARE(callback(sidOf(3), QStringLiteral("delivered"), 0, callbackUrlOf(3)), 204);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + second).json.value(u"delivery"),
             QJsonValue(QStringLiteral("delivered")));
    // Another verification's `v` with this message: not its send, nothing moves.
    QCOMPARE(callback(sidOf(3), QStringLiteral("read"), 0, callbackUrlOf(1)), 204);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + second).json.value(u"delivery"),
             QJsonValue(QStringLiteral("delivered")));
}

// A `v` this server cannot open (a URL given under another store, or by an earlier run) is not
// an error: the message is then found by its SID, as for callbacks without `v`.
void tst_TwilioStatus::callbackNamingNoSendOfOursFallsBackToTheMessage()
{
    startServer();
    const QString id = createVerification();
    const QString foreign =
        CallbackUrl + u"?v=" + u"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    QCOMPARE(callback(sidOf(1), QStringLiteral("sent"), 0, foreign), 204);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).json.value(u"delivery"),
             QJsonValue(QStringLiteral("sent")));
    QCOMPARE(callback(sidOf(1), QStringLiteral("delivered")), 204); // no `v` at all
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).json.value(u"delivery"),
             QJsonValue(QStringLiteral("delivered")));
}

QTEST_GUILESS_MAIN(tst_TwilioStatus)
#include "tst_twiliostatus.moc"
