// waotp-server's API through a real HTTP client (QNetworkAccessManager, and a bare socket for
// what a real client would not send), against the server in demo mode on a fake clock: every
// error and refusal of the API, and the HTTP layer's.
#include "RawHttpClient.h"
#include "ServerApiFixture.h"

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_ApiErrors : public QObject, public ServerApiFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { setUpServer(); }
    void cleanup() { tearDownServer(); }

    void wrongCode();
    void headAnswersAsGetWithoutABody();
    void tooManyAttempts();
    void expired();
    void notFound();
    void malformedCode();
    void badRequests_data();
    void badRequests();
    void bodyOverTheCap();
    void halfRequestIsCutOff();
    void headerFlood();
};

void tst_ApiErrors::wrongCode()
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

void tst_ApiErrors::tooManyAttempts()
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

void tst_ApiErrors::expired()
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

void tst_ApiErrors::notFound()
{
    const QString unknown = QStringLiteral("AAAAAAAAAAAAAAAAAAAAAA");
    Reply r = check(unknown, QStringLiteral("123456"));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.string(u"error"), QStringLiteral("not_found"));
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + unknown).status, 404);
    QCOMPARE(call("DELETE", QStringLiteral("/v1/verifications/") + unknown).status, 404);
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(unknown)).status, 404);
}

void tst_ApiErrors::malformedCode()
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

void tst_ApiErrors::badRequests_data()
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

void tst_ApiErrors::badRequests()
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
        QCOMPARE(r.header("Allow"), QByteArray("GET, HEAD, DELETE"));
    QCOMPARE(m_server->api().verifications().size(), 0);
}

// HEAD where GET is taken: GET's status and header fields, no body; elsewhere 405 naming GET
// and HEAD where they are.
void tst_ApiErrors::headAnswersAsGetWithoutABody()
{
    const Reply get = call("GET", QStringLiteral("/healthz"));
    std::unique_ptr<QNetworkReply> head(
        m_nam->head(QNetworkRequest(QUrl(url() + QStringLiteral("/healthz")))));
    QTRY_VERIFY(head->isFinished());
    QCOMPARE(head->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(head->rawHeader("Content-Length"), QByteArray::number(get.body.size()));
    QVERIFY(head->readAll().isEmpty());
    std::unique_ptr<QNetworkReply> refused(
        m_nam->head(QNetworkRequest(QUrl(url() + QStringLiteral("/v1/verifications")))));
    QTRY_VERIFY(refused->isFinished());
    QCOMPARE(refused->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 405);
    QCOMPARE(refused->rawHeader("Allow"), QByteArray("POST"));
    QVERIFY(refused->readAll().isEmpty());
    QCOMPARE(call("GET", QStringLiteral("/healthz")).status, 200); // the connection goes on
}

void tst_ApiErrors::bodyOverTheCap()
{
    const QByteArray megabyte = R"({"phone":")" + QByteArray(1024 * 1024, '9') + "\"}";
    const Reply r = call("POST", QStringLiteral("/v1/verifications"), megabyte);
    QCOMPARE(r.status, 413);
    QCOMPARE(r.string(u"error"), QStringLiteral("body_too_large"));
    QCOMPARE(r.header("Connection"), QByteArray("close"));
    QCOMPARE(m_server->api().verifications().size(), 0);
    QCOMPARE(call("GET", QStringLiteral("/healthz")).status, 200); // and the server goes on
}

void tst_ApiErrors::halfRequestIsCutOff()
{
    startServer([](ServerSettings &s) { s.http.readTimeout = 300ms; });
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->http().serverPort()));
    client.send("POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 40\r\n\r\n{\"phone\":\"98");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 408);
    QCOMPARE(QJsonDocument::fromJson(r->body).object().value(u"error").toString(),
             QStringLiteral("request_timeout"));
    QVERIFY(client.closedByServer());
    QCOMPARE(m_server->api().verifications().size(), 0);
}

void tst_ApiErrors::headerFlood()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->http().serverPort()));
    QByteArray flood = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
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

QTEST_GUILESS_MAIN(tst_ApiErrors)
#include "tst_apierrors.moc"
