// waotp-server's API through a real HTTP client (QNetworkAccessManager, and a bare socket for
// what a real client would not send), against the server on a free port of 127.0.0.1 in demo
// mode, with the engine on a fake clock: every status and error of the API, the limits, and
// tokens checked by PyJWT against the JWK Set the server publishes.
#include "FakeClock.h"
#include "PyJwt.h"
#include "RawHttpClient.h"
#include "server/Server.h"
#include "server/api/VerificationApi.h"
#include "server/http/HttpServer.h"

#include "engine/DemoSender.h"
#include "engine/OtpEngine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    QString string(QStringView key) const { return json.value(key).toString(); }
    int integer(QStringView key) const { return json.value(key).toInt(-1); }
};

} // namespace

class tst_ServerApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void createCheckToken();
    void secondSignInIsTheSameAccount();
    void tamperedTokenIsRefused();
    void wrongCode();
    void tooManyAttempts();
    void expired();
    void notFound();
    void cancel();
    void malformedCode();
    void badRequests_data();
    void badRequests();
    void resendCooldownThenNewCode();
    void newVerificationReplacesTheOld();
    void getShowsTheCreateShape();
    void longPollAnswersWhenTheDeliveryMoves();
    void longPollAnswersAtTheEnd();
    void longPollClientGoes();
    void healthAndReadiness();
    void jwks();
    void bodyOverTheCap();
    void halfRequestIsCutOff();
    void headerFlood();
    void countryAllowlist();
    void sendsPerClient();
    void checksPerClient();
    void clientBehindATrustedProxy();
    void forwardedForFromAnyoneIsIgnored();

private:
    using Tweak = std::function<void(ServerSettings &)>;
    void startServer(const Tweak &tweak = {});
    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {},
               const QByteArray &contentType = "application/json", const HttpHeaders &headers = {});
    Reply create(const QString &phone = QStringLiteral("+919876543210"),
                 const QJsonObject &more = {});
    Reply check(const QString &id, const QString &code);
    QString url() const { return m_server->url().toString(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void tst_ServerApi::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock = std::make_unique<FakeClock>();
    m_nam = std::make_unique<QNetworkAccessManager>();
    startServer();
}

void tst_ServerApi::cleanup()
{
    m_nam.reset();
    m_server.reset();
    m_clock.reset();
}

void tst_ServerApi::startServer(const Tweak &tweak)
{
    m_server.reset();
    ServerSetup setup;
    setup.demo = true;
    setup.settings.listenAddress = QHostAddress(QHostAddress::LocalHost);
    setup.settings.listenPort = 0;
    setup.settings.dataDir = m_dir->filePath(QStringLiteral("data"));
    setup.settings.signingKeyDir = m_dir->filePath(QStringLiteral("data/keys"));
    setup.settings.allowedCountries = {QStringLiteral("IN"), QStringLiteral("US")};
    if (tweak)
        tweak(setup.settings);
    QString error;
    m_server = Server::create(setup, *m_clock, &error);
    QVERIFY2(m_server, qPrintable(error));
    QVERIFY2(m_server->start(&error), qPrintable(error));
    qobject_cast<DemoSender *>(&m_server->sender())->setStepDelay(20ms);
}

Reply tst_ServerApi::call(const QByteArray &method, const QString &path, const QByteArray &body,
                          const QByteArray &contentType, const HttpHeaders &headers)
{
    QNetworkRequest request(QUrl(url() + path));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_nam->sendCustomRequest(request, method, body);
    Reply r;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 40000)) {
        reply->abort();
        delete reply;
        return r;
    }
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    r.headers = reply->rawHeaderPairs();
    r.error = reply->error();
    delete reply;
    return r;
}

Reply tst_ServerApi::create(const QString &phone, const QJsonObject &more)
{
    QJsonObject body = more;
    body.insert(QStringLiteral("phone"), phone);
    return call("POST", QStringLiteral("/v1/verifications"), QJsonDocument(body).toJson());
}

Reply tst_ServerApi::check(const QString &id, const QString &code)
{
    return call("POST", QStringLiteral("/v1/verifications/%1/check").arg(id),
                QJsonDocument(QJsonObject {{QStringLiteral("code"), code}}).toJson());
}

void tst_ServerApi::createCheckToken()
{
    const Reply created = create(QStringLiteral("98765 43210"),
                                 {{QStringLiteral("nonce"), QStringLiteral("session-42")},
                                  {QStringLiteral("flow"), QStringLiteral("signup")}});
    QCOMPARE(created.status, 201);
    const QString id = created.string(u"id");
    QVERIFY2(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{22,}$")).match(id).hasMatch(),
             qPrintable(id));
    QCOMPARE(created.string(u"phone"), QStringLiteral("+919876543210"));
    QCOMPARE(created.string(u"channel"), QStringLiteral("whatsapp"));
    QCOMPARE(created.string(u"flow"), QStringLiteral("signup"));
    QCOMPARE(created.string(u"status"), QStringLiteral("pending"));
    QCOMPARE(created.string(u"delivery"), QStringLiteral("queued"));
    QCOMPARE(created.integer(u"expires_in"), 300);
    QCOMPARE(created.integer(u"resend_in"), 30);
    QCOMPARE(created.integer(u"attempts_left"), 5);
    QCOMPARE(created.json.value(u"demo"), QJsonValue(true));
    const QString code = created.string(u"demo_code");
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9]{6}$")).match(code).hasMatch(),
             qPrintable(code));

    const Reply approved = check(id, code);
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.string(u"status"), QStringLiteral("approved"));
    QCOMPARE(approved.string(u"phone"), QStringLiteral("+919876543210"));
    QCOMPARE(approved.string(u"account"), QStringLiteral("created"));
    QCOMPARE(approved.integer(u"expires_in"), 300);
    QCOMPARE(approved.json.value(u"demo"), QJsonValue(true));
    const QString accountId = approved.string(u"account_id");
    QCOMPARE(accountId.size(), 22);
    const QByteArray token = approved.string(u"token").toLatin1();

    // The platform's side: the JWK Set from the server, the token checked by PyJWT.
    const Reply jwks = call("GET", QStringLiteral("/.well-known/jwks.json"));
    QCOMPARE(jwks.status, 200);
    const PyJwtResult r = verifyWithPyJwt(jwks.json, token, QStringLiteral("waotp"), url());
    QVERIFY2(r.accepted, qPrintable(r.refusal));
    const QJsonObject &c = r.claims;
    QCOMPARE(c.value(u"iss").toString(), url());
    QCOMPARE(c.value(u"aud").toString(), QStringLiteral("waotp"));
    QCOMPARE(c.value(u"sub").toString(), accountId);
    QCOMPARE(c.value(u"phone_number").toString(), QStringLiteral("+919876543210"));
    QCOMPARE(c.value(u"phone_number_verified"), QJsonValue(true));
    QCOMPARE(c.value(u"amr").toArray(), QJsonArray {QStringLiteral("otp")});
    QCOMPARE(c.value(u"channel").toString(), QStringLiteral("whatsapp"));
    QCOMPARE(c.value(u"account").toString(), QStringLiteral("created"));
    QCOMPARE(c.value(u"nonce").toString(), QStringLiteral("session-42"));
    QCOMPARE(c.value(u"demo"), QJsonValue(true));
    QCOMPARE(c.value(u"exp").toInteger() - c.value(u"iat").toInteger(), 300);
    QCOMPARE(c.value(u"auth_time").toInteger(), c.value(u"iat").toInteger());
    QCOMPARE(c.value(u"jti").toString().size(), 22);
    QCOMPARE(r.header.value(u"kid"), jwks.json.value(u"keys").toArray().first()[u"kid"]);

    // Single use: the same code again finds nothing; the verification says how it ended.
    QCOMPARE(check(id, code).status, 404);
    const Reply shown = call("GET", QStringLiteral("/v1/verifications/") + id);
    QCOMPARE(shown.status, 200);
    QCOMPARE(shown.string(u"status"), QStringLiteral("approved"));
    QVERIFY(!shown.json.contains(u"demo_code"));
}

void tst_ServerApi::secondSignInIsTheSameAccount()
{
    Reply created = create();
    const Reply first = check(created.string(u"id"), created.string(u"demo_code"));
    QCOMPARE(first.string(u"account"), QStringLiteral("created"));
    m_clock->advance(31s); // past the resend cooldown
    created = create();
    QCOMPARE(created.status, 201);
    const Reply second = check(created.string(u"id"), created.string(u"demo_code"));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.string(u"account"), QStringLiteral("existing"));
    QCOMPARE(second.string(u"account_id"), first.string(u"account_id"));
    QVERIFY(second.string(u"token") != first.string(u"token"));
}

void tst_ServerApi::tamperedTokenIsRefused()
{
    const Reply created = create();
    const Reply approved = check(created.string(u"id"), created.string(u"demo_code"));
    const QByteArray token = approved.string(u"token").toLatin1();
    const QJsonObject jwks = call("GET", QStringLiteral("/.well-known/jwks.json")).json;
    QJsonObject payload = payloadOf(token);
    payload.insert(QStringLiteral("demo"), false);
    const PyJwtResult r =
        verifyWithPyJwt(jwks, withPayload(token, payload), QStringLiteral("waotp"), url());
    QVERIFY(!r.accepted);
    QVERIFY2(r.refusal.contains(u"InvalidSignatureError"), qPrintable(r.refusal));
}

void tst_ServerApi::wrongCode()
{
    const Reply created = create();
    const QString id = created.string(u"id");
    const QString wrong = created.string(u"demo_code") == u"000000" ? QStringLiteral("111111")
                                                                    : QStringLiteral("000000");
    for (int left = 4; left >= 1; --left) {
        const Reply r = check(id, wrong);
        QCOMPARE(r.status, 422);
        QCOMPARE(r.string(u"error"), QStringLiteral("wrong_code"));
        QCOMPARE(r.integer(u"attempts_left"), left);
        QVERIFY(!r.string(u"message").isEmpty());
        QCOMPARE(r.json.value(u"demo"), QJsonValue(true));
    }
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).integer(u"attempts_left"), 1);
    QCOMPARE(check(id, created.string(u"demo_code")).status, 200); // the last attempt still works
}

void tst_ServerApi::tooManyAttempts()
{
    const Reply created = create();
    const QString id = created.string(u"id");
    const QString code = created.string(u"demo_code");
    const QString wrong = code == u"000000" ? QStringLiteral("111111") : QStringLiteral("000000");
    for (int i = 0; i < 4; ++i)
        QCOMPARE(check(id, wrong).status, 422);
    m_clock->advance(10s);
    Reply r = check(id, wrong); // the fifth
    QCOMPARE(r.status, 429);
    QCOMPARE(r.string(u"error"), QStringLiteral("too_many_attempts"));
    QCOMPARE(r.integer(u"retry_after"), 20); // until a resend is allowed
    QCOMPARE(r.header("Retry-After"), QByteArray("20"));
    // And every later check, the right code included, until a resend.
    r = check(id, code);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.string(u"error"), QStringLiteral("too_many_attempts"));
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).string(u"status"),
             QStringLiteral("failed"));

    m_clock->advance(20s);
    const Reply resent = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id));
    QCOMPARE(resent.status, 201);
    QCOMPARE(resent.string(u"id"), id);
    QCOMPARE(resent.integer(u"attempts_left"), 5);
    QCOMPARE(resent.string(u"status"), QStringLiteral("pending"));
    QCOMPARE(check(id, resent.string(u"demo_code")).status, 200);
}

void tst_ServerApi::expired()
{
    const Reply created = create();
    const QString id = created.string(u"id");
    m_clock->advance(299s);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).integer(u"expires_in"), 1);
    m_clock->advance(1s);
    const Reply r = check(id, created.string(u"demo_code"));
    QCOMPARE(r.status, 410);
    QCOMPARE(r.string(u"error"), QStringLiteral("expired"));
    const Reply shown = call("GET", QStringLiteral("/v1/verifications/") + id);
    QCOMPARE(shown.string(u"status"), QStringLiteral("expired"));
    QCOMPARE(shown.integer(u"expires_in"), 0);
    // A resend gives the same verification a new code.
    const Reply resent = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id));
    QCOMPARE(resent.status, 201);
    QCOMPARE(check(id, resent.string(u"demo_code")).status, 200);
}

void tst_ServerApi::notFound()
{
    const QString unknown = QStringLiteral("AAAAAAAAAAAAAAAAAAAAAA");
    Reply r = check(unknown, QStringLiteral("123456"));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.string(u"error"), QStringLiteral("not_found"));
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + unknown).status, 404);
    QCOMPARE(call("DELETE", QStringLiteral("/v1/verifications/") + unknown).status, 404);
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(unknown)).status, 404);
}

void tst_ServerApi::cancel()
{
    const Reply created = create();
    const QString id = created.string(u"id");
    const Reply deleted = call("DELETE", QStringLiteral("/v1/verifications/") + id);
    QCOMPARE(deleted.status, 204);
    QVERIFY(deleted.body.isEmpty());
    QCOMPARE(check(id, created.string(u"demo_code")).status, 404);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).string(u"status"),
             QStringLiteral("canceled"));
    QCOMPARE(call("DELETE", QStringLiteral("/v1/verifications/") + id).status, 404);
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id)).status, 404);
}

void tst_ServerApi::malformedCode()
{
    const QString id = create().string(u"id");
    for (const QString &code : {QStringLiteral("12345"), QStringLiteral("1234567"),
                                QStringLiteral("12a456"), QString()}) {
        const Reply r = check(id, code);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.string(u"error"), QStringLiteral("malformed_code"));
    }
    // Not counted as attempts.
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).integer(u"attempts_left"), 5);
}

void tst_ServerApi::badRequests_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("detail"); // "member=value" expected in the answer, or empty
    const QString create = QStringLiteral("/v1/verifications");
    const QByteArray json = "application/json";
    QTest::newRow("malformed JSON") << QByteArray("POST") << create << QByteArray("{\"phone\":")
                                    << json << 400 << "malformed_json"
                                    << "";
    QTest::newRow("not an object")
        << QByteArray("POST") << create << QByteArray("[1]") << json << 400 << "malformed_json"
        << "";
    QTest::newRow("wrong type") << QByteArray("POST") << create << QByteArray(R"({"phone":1})")
                                << json << 400 << "wrong_type"
                                << "field=phone";
    QTest::newRow("missing phone")
        << QByteArray("POST") << create << QByteArray(R"({"country":"IN"})") << json << 400
        << "missing_field"
        << "field=phone";
    QTest::newRow("unknown flow") << QByteArray("POST") << create
                                  << QByteArray(R"({"phone":"9876543210","flow":"login"})") << json
                                  << 400 << "invalid_value"
                                  << "field=flow";
    QTest::newRow("unknown channel")
        << QByteArray("POST") << create << QByteArray(R"({"phone":"9876543210","channel":"fax"})")
        << json << 400 << "invalid_value"
        << "field=channel";
    QTest::newRow("invalid phone")
        << QByteArray("POST") << create << QByteArray(R"({"phone":"12"})") << json << 400
        << "invalid_phone"
        << "reason=too_short";
    QTest::newRow("landline") << QByteArray("POST") << create
                              << QByteArray(R"({"phone":"+91 11 2345 6789"})") << json << 400
                              << "invalid_phone"
                              << "reason=not_mobile";
    QTest::newRow("form body") << QByteArray("POST") << create << QByteArray("phone=9876543210")
                               << QByteArray("application/x-www-form-urlencoded") << 415
                               << "unsupported_media_type"
                               << "";
    QTest::newRow("check, wrong type")
        << QByteArray("POST") << QStringLiteral("/v1/verifications/x/check")
        << QByteArray(R"({"code":123456})") << json << 400 << "wrong_type"
        << "field=code";
    QTest::newRow("bad wait") << QByteArray("GET") << QStringLiteral("/v1/verifications/x?wait=31")
                              << QByteArray() << json << 400 << "invalid_parameter"
                              << "parameter=wait";
    QTest::newRow("no route") << QByteArray("GET") << QStringLiteral("/v2/things") << QByteArray()
                              << json << 404 << "no_route"
                              << "";
    QTest::newRow("wrong method") << QByteArray("PUT") << QStringLiteral("/v1/verifications/x")
                                  << QByteArray() << json << 405 << "method_not_allowed"
                                  << "";
}

void tst_ServerApi::badRequests()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, error);
    QFETCH(QString, detail);
    const Reply r = call(method, path, body, contentType);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(r.string(u"error"), error);
    QVERIFY(!r.string(u"message").isEmpty());
    QCOMPARE(r.json.value(u"demo"), QJsonValue(true));
    if (!detail.isEmpty()) {
        const QStringList pair = detail.split(u'=');
        QCOMPARE(r.string(pair.at(0)), pair.at(1));
    }
    if (status == 405)
        QCOMPARE(r.header("Allow"), QByteArray("GET, DELETE"));
    QCOMPARE(m_server->api().verifications().size(), 0);
}

void tst_ServerApi::resendCooldownThenNewCode()
{
    const Reply created = create();
    const QString id = created.string(u"id");
    const QString oldCode = created.string(u"demo_code");
    m_clock->advance(10s);
    Reply r = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.string(u"error"), QStringLiteral("rate_limited"));
    QCOMPARE(r.integer(u"retry_after"), 20);
    QCOMPARE(r.header("Retry-After"), QByteArray("20"));
    // A new verification of the same number is the same send: the same cooldown.
    r = create();
    QCOMPARE(r.status, 429);
    QCOMPARE(r.integer(u"retry_after"), 20);

    m_clock->advance(20s);
    r = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id), R"({"channel":"sms"})");
    QCOMPARE(r.status, 201);
    QCOMPARE(r.string(u"id"), id);
    QCOMPARE(r.string(u"channel"), QStringLiteral("sms"));
    QCOMPARE(r.integer(u"resend_in"), 60); // the cooldown doubles
    const QString newCode = r.string(u"demo_code");
    if (newCode != oldCode) {
        const Reply stale = check(id, oldCode);
        QCOMPARE(stale.status, 422); // the old code is void
    }
    QCOMPARE(check(id, newCode).status, 200);
}

void tst_ServerApi::newVerificationReplacesTheOld()
{
    const Reply first = create();
    m_clock->advance(30s);
    const Reply second = create();
    QCOMPARE(second.status, 201);
    QVERIFY(second.string(u"id") != first.string(u"id"));
    QCOMPARE(
        call("GET", QStringLiteral("/v1/verifications/") + first.string(u"id")).string(u"status"),
        QStringLiteral("canceled"));
    QCOMPARE(check(first.string(u"id"), second.string(u"demo_code")).status, 404);
    QCOMPARE(check(second.string(u"id"), second.string(u"demo_code")).status, 200);
}

void tst_ServerApi::getShowsTheCreateShape()
{
    const Reply created = create(QStringLiteral("+14155552671"),
                                 {{QStringLiteral("channel"), QStringLiteral("sms")}});
    QCOMPARE(created.status, 201);
    m_clock->advance(12s);
    const Reply r = call("GET", QStringLiteral("/v1/verifications/") + created.string(u"id"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.string(u"id"), created.string(u"id"));
    QCOMPARE(r.string(u"phone"), QStringLiteral("+14155552671"));
    QCOMPARE(r.string(u"channel"), QStringLiteral("sms"));
    QCOMPARE(r.string(u"flow"), QStringLiteral("signin"));
    QCOMPARE(r.string(u"status"), QStringLiteral("pending"));
    QCOMPARE(r.integer(u"expires_in"), 288);
    QCOMPARE(r.integer(u"resend_in"), 18);
    QCOMPARE(r.integer(u"attempts_left"), 5);
    QVERIFY(!r.json.contains(u"demo_code")); // only in the answer that issued it
    QVERIFY(
        QStringList({QStringLiteral("queued"), QStringLiteral("sent"), QStringLiteral("delivered")})
            .contains(r.string(u"delivery")));
}

void tst_ServerApi::longPollAnswersWhenTheDeliveryMoves()
{
    qobject_cast<DemoSender *>(&m_server->sender())->setStepDelay(300ms);
    const Reply created = create();
    QCOMPARE(created.string(u"delivery"), QStringLiteral("queued"));
    QElapsedTimer timer;
    timer.start();
    const Reply r =
        call("GET", QStringLiteral("/v1/verifications/%1?wait=10").arg(created.string(u"id")));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.string(u"delivery"), QStringLiteral("sent"));
    QVERIFY2(timer.elapsed() >= 150 && timer.elapsed() < 5000,
             qPrintable(QString::number(timer.elapsed())));
}

void tst_ServerApi::longPollAnswersAtTheEnd()
{
    const Reply created = create();
    QTRY_COMPARE(call("GET", QStringLiteral("/v1/verifications/") + created.string(u"id"))
                     .string(u"delivery"),
                 QStringLiteral("delivered"));
    // Nothing moves any more: the answer comes when the wait is over.
    QElapsedTimer timer;
    timer.start();
    const Reply r =
        call("GET", QStringLiteral("/v1/verifications/%1?wait=1").arg(created.string(u"id")));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.string(u"delivery"), QStringLiteral("delivered"));
    QVERIFY2(timer.elapsed() >= 900, qPrintable(QString::number(timer.elapsed())));
    // A check answers the waiting clients at once.
    QNetworkReply *waiting = m_nam->get(QNetworkRequest(
        QUrl(url() + QStringLiteral("/v1/verifications/%1?wait=30").arg(created.string(u"id")))));
    QTest::qWait(100);
    timer.restart();
    QCOMPARE(check(created.string(u"id"), created.string(u"demo_code")).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 5000);
    QVERIFY(timer.elapsed() < 5000);
    QCOMPARE(QJsonDocument::fromJson(waiting->readAll()).object().value(u"status").toString(),
             QStringLiteral("approved"));
    delete waiting;
}

void tst_ServerApi::longPollClientGoes()
{
    const Reply created = create();
    const int before = m_server->http().connectionCount(); // the client's kept-alive ones
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->http().serverPort()));
    client.send("GET /v1/verifications/" + created.string(u"id").toLatin1()
                + "?wait=30 HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_server->http().connectionCount(), before + 1);
    QTest::qWait(100);
    client.socket().abort();
    QTRY_COMPARE(m_server->http().connectionCount(), before);
    // The server goes on: the delivery still moves, and nothing is written to a closed socket.
    QTRY_COMPARE(call("GET", QStringLiteral("/v1/verifications/") + created.string(u"id"))
                     .string(u"delivery"),
                 QStringLiteral("delivered"));
}

void tst_ServerApi::healthAndReadiness()
{
    Reply r = call("GET", QStringLiteral("/healthz"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.string(u"status"), QStringLiteral("ok"));
    r = call("GET", QStringLiteral("/readyz"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.string(u"status"), QStringLiteral("ready"));
}

void tst_ServerApi::jwks()
{
    const Reply r = call("GET", QStringLiteral("/.well-known/jwks.json"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Cache-Control"), QByteArray("public, max-age=600"));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/jwk-set+json"));
    const QJsonArray keys = r.json.value(u"keys").toArray();
    QCOMPARE(keys.size(), 1);
    QCOMPARE(keys.first()[u"alg"].toString(), QStringLiteral("ES256"));
    QVERIFY(!keys.first().toObject().contains(u"d"));
}

void tst_ServerApi::bodyOverTheCap()
{
    const QByteArray megabyte = R"({"phone":")" + QByteArray(1024 * 1024, '9') + "\"}";
    const Reply r = call("POST", QStringLiteral("/v1/verifications"), megabyte);
    QCOMPARE(r.status, 413);
    QCOMPARE(r.string(u"error"), QStringLiteral("body_too_large"));
    QCOMPARE(r.header("Connection"), QByteArray("close"));
    QCOMPARE(m_server->api().verifications().size(), 0);
    QCOMPARE(call("GET", QStringLiteral("/healthz")).status, 200); // and the server goes on
}

void tst_ServerApi::halfRequestIsCutOff()
{
    startServer([](ServerSettings &s) { s.http.readTimeout = 300ms; });
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->http().serverPort()));
    client.send("POST /v1/verifications HTTP/1.1\r\nContent-Type: application/json\r\n"
                "Content-Length: 40\r\n\r\n{\"phone\":\"98");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 408);
    QCOMPARE(QJsonDocument::fromJson(r->body).object().value(u"error").toString(),
             QStringLiteral("request_timeout"));
    QVERIFY(client.closedByServer());
    QCOMPARE(m_server->api().verifications().size(), 0);
}

void tst_ServerApi::headerFlood()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->http().serverPort()));
    QByteArray flood = "GET /healthz HTTP/1.1\r\n";
    for (int i = 0; i < 5000; ++i)
        flood += "Cookie: c" + QByteArray::number(i) + "=1\r\n";
    client.send(flood + "\r\n");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 431);
    QCOMPARE(QJsonDocument::fromJson(r->body).object().value(u"error").toString(),
             QStringLiteral("headers_too_large"));
    QVERIFY(client.closedByServer());
}

void tst_ServerApi::countryAllowlist()
{
    startServer([](ServerSettings &s) { s.allowedCountries.clear(); }); // the default: IN only
    Reply r = create(QStringLiteral("+49 151 23456789"));
    QCOMPARE(r.status, 403);
    QCOMPARE(r.string(u"error"), QStringLiteral("country_not_allowed"));
    QCOMPARE(r.string(u"country"), QStringLiteral("DE"));
    QCOMPARE(create(QStringLiteral("+1 415 555 2671")).status, 403);
    QCOMPARE(create(QStringLiteral("98765 43210")).status, 201);

    startServer([](ServerSettings &s) { s.allCountries = true; });
    QCOMPARE(create(QStringLiteral("+49 151 23456789")).status, 201);
}

void tst_ServerApi::sendsPerClient()
{
    startServer([](ServerSettings &s) { s.sendsPerIp = {3, 1min}; });
    for (const char *phone : {"+919876543210", "+919876543211", "+919876543212"})
        QCOMPARE(create(QString::fromLatin1(phone)).status, 201);
    Reply r = create(QStringLiteral("+919876543213"));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.string(u"error"), QStringLiteral("rate_limited"));
    QCOMPARE(r.string(u"scope"), QStringLiteral("ip"));
    QCOMPARE(r.integer(u"retry_after"), 20);
    QCOMPARE(r.header("Retry-After"), QByteArray("20"));
    // A resend counts too.
    m_clock->advance(20s);
    const QString id = create(QStringLiteral("+919876543213")).string(u"id");
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id)).string(u"scope"),
             QStringLiteral("ip"));
    // Refused requests do not use up the allowance; bad ones are not counted at all.
    QCOMPARE(create(QStringLiteral("12")).status, 400);
    m_clock->advance(20s);
    QCOMPARE(create(QStringLiteral("+919876543214")).status, 201);
}

void tst_ServerApi::checksPerClient()
{
    startServer([](ServerSettings &s) { s.checksPerIp = {2, 1min}; });
    const Reply created = create();
    const QString id = created.string(u"id");
    const QString wrong = created.string(u"demo_code") == u"000000" ? QStringLiteral("111111")
                                                                    : QStringLiteral("000000");
    QCOMPARE(check(id, wrong).status, 422);
    QCOMPARE(check(id, wrong).status, 422);
    const Reply r = check(id, created.string(u"demo_code"));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.string(u"scope"), QStringLiteral("ip"));
    QCOMPARE(r.integer(u"retry_after"), 30);
    // The refused check was not an attempt on the code.
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).integer(u"attempts_left"), 3);
    m_clock->advance(30s);
    QCOMPARE(check(id, created.string(u"demo_code")).status, 200);
}

void tst_ServerApi::clientBehindATrustedProxy()
{
    startServer([](ServerSettings &s) {
        s.sendsPerIp = {1, 1min};
        s.trustedProxies = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.1/32"))};
    });
    const auto from = [this](const char *client, const char *phone) {
        return call("POST", QStringLiteral("/v1/verifications"),
                    "{\"phone\":\"" + QByteArray(phone) + "\"}", "application/json",
                    {{"X-Forwarded-For", client}})
            .status;
    };
    QCOMPARE(from("203.0.113.5", "+919876543210"), 201);
    QCOMPARE(from("203.0.113.6", "+919876543211"), 201); // another client
    QCOMPARE(from("203.0.113.5", "+919876543212"), 429);
    QCOMPARE(from("1.2.3.4, 203.0.113.5", "+919876543212"), 429); // a forged hop changes nothing
}

void tst_ServerApi::forwardedForFromAnyoneIsIgnored()
{
    startServer([](ServerSettings &s) { s.sendsPerIp = {1, 1min}; });
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications"), R"({"phone":"+919876543210"})",
                  "application/json", {{"X-Forwarded-For", "203.0.113.5"}})
                 .status,
             201);
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications"), R"({"phone":"+919876543211"})",
                  "application/json", {{"X-Forwarded-For", "203.0.113.6"}})
                 .status,
             429);
}

QTEST_GUILESS_MAIN(tst_ServerApi)
#include "tst_serverapi.moc"
