// The transport under the Twilio clients, against a loopback server that misbehaves on purpose:
// hangs, dropped connections, cut-off and malformed answers, a 20 MB answer, a self-signed TLS
// certificate, redirects. Also the URL policy and the form encoding.
#include "FakeTwilioServer.h"
#include "HttpTestServer.h"
#include "TwilioLogCapture.h"
#include "network/OneShotBody.h"
#include "network/twilio/TwilioHttp.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslError>
#include <QTest>

#include <memory>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(waotp::SendError)

class tst_TwilioHttp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void formEncoding_data();
    void formEncoding();
    void urlPolicy_data();
    void urlPolicy();
    void serviceHosts();
    void refusesPlainHttpToTheInternet();
    void okAnswer();
    void hangingServerTimesOut();
    void droppedConnectionIsNotResent();
    void qtWouldResendARewindableBody();
    void bodyIsOverwrittenOnceWritten();
    void malformedJson_data();
    void malformedJson();
    void cutOffAnswer();
    void hugeAnswerIsAbandoned();
    void hugeAnswerWithoutLength();
    void selfSignedCertificateIsRefused();
    void redirectIsNotFollowed();
    void contextDestroyedAbortsQuietly();
    void answersAfterReturning();

private:
    TwilioReply postAndWait(TwilioHttp &http,
                            const FormFields &form = {
                                {QStringLiteral("To"), QStringLiteral("+1")}});
    TwilioSettings settingsFor(const HttpTestServer &server) const;

    std::unique_ptr<HttpTestServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void tst_TwilioHttp::initTestCase()
{
    TwilioLogCapture::install();
}

void tst_TwilioHttp::init()
{
    m_server = std::make_unique<HttpTestServer>();
    QVERIFY(m_server->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void tst_TwilioHttp::cleanup()
{
    m_nam.reset();
    m_server.reset();
}

TwilioSettings tst_TwilioHttp::settingsFor(const HttpTestServer &server) const
{
    TwilioSettings s;
    s.accountSid = FakeTwilioServer::accountSid();
    s.authToken = FakeTwilioServer::authToken();
    s.apiBaseUrl = server.baseUrl();
    return s;
}

TwilioReply tst_TwilioHttp::postAndWait(TwilioHttp &http, const FormFields &form)
{
    std::optional<TwilioReply> answer;
    QObject context;
    http.post(TwilioService::Api, QStringLiteral("/2010-04-01/Accounts/AC0/Messages.json"), form,
              &context, [&answer](const TwilioReply &r) { answer = r; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 10000))
        qFatal("no answer");
    return *answer;
}

void tst_TwilioHttp::formEncoding_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("plus") << QStringLiteral("+919876543210") << QByteArray("%2B919876543210");
    QTest::newRow("colon") << QStringLiteral("whatsapp:+1") << QByteArray("whatsapp%3A%2B1");
    QTest::newRow("space") << QStringLiteral("Your code") << QByteArray("Your%20code");
    QTest::newRow("json") << QStringLiteral("{\"1\":\"654321\"}")
                          << QByteArray("%7B%221%22%3A%22654321%22%7D");
    QTest::newRow("unreserved kept") << QStringLiteral("a-b.c_d~e") << QByteArray("a-b.c_d~e");
    QTest::newRow("ampersand and equals") << QStringLiteral("a&b=c") << QByteArray("a%26b%3Dc");
    QTest::newRow("utf-8") << QStringLiteral("\u0915\u094B\u0921") // कोड
                           << QByteArray("%E0%A4%95%E0%A5%8B%E0%A4%A1");
}

void tst_TwilioHttp::formEncoding()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, encoded);
    QCOMPARE(formEncode({{QStringLiteral("Body"), value}}), QByteArray("Body=") + encoded);
    QCOMPARE(formEncode({{QStringLiteral("A"), QStringLiteral("1")},
                         {QStringLiteral("B"), QStringLiteral("2")}}),
             QByteArray("A=1&B=2"));
}

void tst_TwilioHttp::urlPolicy_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("https") << QStringLiteral("https://api.dublin.ie1.twilio.com") << true;
    QTest::newRow("http loopback v4") << QStringLiteral("http://127.0.0.1:8080") << true;
    QTest::newRow("http loopback 127/8") << QStringLiteral("http://127.0.0.2:8080") << true;
    QTest::newRow("http loopback v6") << QStringLiteral("http://[::1]:8080") << true;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:8080") << false;
    QTest::newRow("https localhost") << QStringLiteral("https://localhost") << false;
    QTest::newRow("https loopback") << QStringLiteral("https://127.0.0.1:8443") << true;
    QTest::newRow("http loopback short form") << QStringLiteral("http://127.1:8080") << true;
    QTest::newRow("http loopback hex") << QStringLiteral("http://0x7f.0.0.1") << true;
    QTest::newRow("http loopback integer") << QStringLiteral("http://2130706433") << true;
    QTest::newRow("http loopback v6 long") << QStringLiteral("http://[0:0:0:0:0:0:0:1]") << true;
    QTest::newRow("http loopback v4-mapped") << QStringLiteral("http://[::ffff:127.0.0.1]") << true;
    QTest::newRow("http v4-compatible") << QStringLiteral("http://[::127.0.0.1]") << false;
    QTest::newRow("http name like loopback")
        << QStringLiteral("http://127.0.0.1.example.com") << false;
    QTest::newRow("http trailing dot") << QStringLiteral("http://127.0.0.1.") << false;
    // Not octal (8 and 9 are no octal digits), so QUrl keeps these as names for DNS.
    QTest::newRow("http name 127.0.0.08") << QStringLiteral("http://127.0.0.08") << false;
    QTest::newRow("http name 127.08.0.1") << QStringLiteral("http://127.08.0.1") << false;
    QTest::newRow("http name 127.0.0.019") << QStringLiteral("http://127.0.0.019") << false;
    QTest::newRow("http loopback octal") << QStringLiteral("http://0177.0.0.01") << true;
    QTest::newRow("http 128.0.0.1") << QStringLiteral("http://128.0.0.1") << false;
    QTest::newRow("http v6 other") << QStringLiteral("http://[::2]") << false;
    QTest::newRow("http to twilio") << QStringLiteral("http://api.twilio.com") << false;
    QTest::newRow("https twilio.com") << QStringLiteral("https://twilio.com") << true;
    QTest::newRow("https upper case") << QStringLiteral("https://API.Twilio.COM") << true;
    QTest::newRow("https port 443") << QStringLiteral("https://api.twilio.com:443/") << true;
    QTest::newRow("https path prefix") << QStringLiteral("https://api.twilio.com/proxy/") << true;
    QTest::newRow("https odd port") << QStringLiteral("https://api.twilio.com:8443") << false;
    QTest::newRow("https elsewhere") << QStringLiteral("https://example.com") << false;
    QTest::newRow("https suffix look-alike") << QStringLiteral("https://eviltwilio.com") << false;
    QTest::newRow("https twilio.com.evil")
        << QStringLiteral("https://api.twilio.com.evil.example") << false;
    QTest::newRow("https trailing dot") << QStringLiteral("https://api.twilio.com.") << false;
    QTest::newRow("https twilio-com") << QStringLiteral("https://api.twilio-com.net") << false;
    QTest::newRow("https user info") << QStringLiteral("https://evil@api.twilio.com") << false;
    QTest::newRow("https address") << QStringLiteral("https://192.0.2.1") << false;
    QTest::newRow("https v6 address") << QStringLiteral("https://[2001:db8::1]") << false;
    QTest::newRow("http private address") << QStringLiteral("http://10.0.0.1") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://127.0.0.1") << false;
    QTest::newRow("credentials in URL") << QStringLiteral("https://u:p@api.twilio.com") << false;
    QTest::newRow("query") << QStringLiteral("https://api.twilio.com/?a=b") << false;
    QTest::newRow("no host") << QStringLiteral("https://") << false;
}

void tst_TwilioHttp::urlPolicy()
{
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    QString why;
    QCOMPARE(isAllowedTwilioUrl(QUrl(url), &why), allowed);
    QCOMPARE(why.isEmpty(), allowed);
}

void tst_TwilioHttp::serviceHosts()
{
    TwilioSettings s;
    TwilioHttp real(s, m_nam.get());
    QCOMPARE(real.url(TwilioService::Api, QStringLiteral("/2010-04-01/Accounts/AC1.json")),
             QUrl(QStringLiteral("https://api.twilio.com/2010-04-01/Accounts/AC1.json")));
    QCOMPARE(real.url(TwilioService::Verify, QStringLiteral("/v2/Services/VA1")),
             QUrl(QStringLiteral("https://verify.twilio.com/v2/Services/VA1")));
    // One override for every host, with or without a path prefix.
    s.apiBaseUrl = QUrl(QStringLiteral("https://api.dublin.ie1.twilio.com/twilio/"));
    TwilioHttp edge(s, m_nam.get());
    QCOMPARE(edge.url(TwilioService::Verify, QStringLiteral("/v2/Services/VA1")),
             QUrl(QStringLiteral("https://api.dublin.ie1.twilio.com/twilio/v2/Services/VA1")));
    QCOMPARE(edge.url(TwilioService::Api, QStringLiteral("/x")),
             QUrl(QStringLiteral("https://api.dublin.ie1.twilio.com/twilio/x")));
}

void tst_TwilioHttp::refusesPlainHttpToTheInternet()
{
    TwilioSettings s = settingsFor(*m_server);
    s.apiBaseUrl = QUrl(QStringLiteral("http://192.0.2.1:9"));
    TwilioHttp http(s, m_nam.get(), fastTimings());
    const TwilioReply r = postAndWait(http);
    QCOMPARE(r.result.error, SendError::Misconfigured);
    QVERIFY(r.result.detail.contains(u"loopback"));
    QVERIFY(!r.result.detail.contains(FakeTwilioServer::authToken()));
}

void tst_TwilioHttp::okAnswer()
{
    m_server->setHandler([](const HttpRequest &) {
        QJsonObject o;
        o.insert(QStringLiteral("sid"), QStringLiteral("SM1"));
        return HttpResponse::json(201, o);
    });
    TwilioHttp http(settingsFor(*m_server), m_nam.get(), fastTimings());
    const TwilioReply r = postAndWait(http);
    QVERIFY2(r.result.ok(), qPrintable(r.result.detail));
    QCOMPARE(r.result.httpStatus, 201);
    QCOMPARE(r.json.value(u"sid").toString(), QStringLiteral("SM1"));
    const HttpRequest got = m_server->requests().first();
    QCOMPARE(got.version, QByteArray("HTTP/1.1"));
    QCOMPARE(got.header("Authorization"),
             "Basic "
                 + (FakeTwilioServer::accountSid() + u':' + FakeTwilioServer::authToken())
                       .toUtf8()
                       .toBase64());
    QCOMPARE(got.header("Content-Length"), QByteArray::number(got.body.size()));
    QVERIFY(got.header("User-Agent").startsWith("waotp/"));
}

void tst_TwilioHttp::hangingServerTimesOut()
{
    m_server->setHandler([](const HttpRequest &) { return HttpResponse::hang(); });
    TwilioTimings t = fastTimings();
    t.transferTimeout = 300ms;
    TwilioHttp http(settingsFor(*m_server), m_nam.get(), t);
    const TwilioReply r = postAndWait(http);
    QCOMPARE(r.result.error, SendError::Timeout);
    QVERIFY(r.result.detail.contains(u"may have gone out"));
    QTest::qWait(50);
    QCOMPARE(m_server->requestCount(), 1); // not sent again after the timeout
}

void tst_TwilioHttp::droppedConnectionIsNotResent()
{
    m_server->setHandler([](const HttpRequest &) { return HttpResponse::drop(); });
    TwilioHttp http(settingsFor(*m_server), m_nam.get(), fastTimings());
    const TwilioReply r = postAndWait(http);
    QCOMPARE(r.result.error, SendError::Network);
    QTest::qWait(100);
    // Qt resends a request whose connection closed before any answer, if it can rewind the
    // body. A message must not go out twice: exactly one request.
    QCOMPARE(m_server->requestCount(), 1);
}

void tst_TwilioHttp::qtWouldResendARewindableBody()
{
    // The hazard the previous test guards against, shown with a plain QByteArray body.
    m_server->setHandler([](const HttpRequest &) { return HttpResponse::drop(); });
    QNetworkRequest request(m_server->baseUrl());
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    QNetworkReply *reply = m_nam->post(request, QByteArray("To=%2B1"));
    QTRY_VERIFY(reply->isFinished());
    reply->deleteLater();
    QVERIFY2(m_server->requestCount() > 1,
             "Qt no longer resends: the one-shot body may no longer be needed");
}

void tst_TwilioHttp::bodyIsOverwrittenOnceWritten()
{
    // The body holds the code; once Qt has read all of it, it cannot be sent again (the device
    // does not rewind), so its bytes are overwritten at once rather than when the reply ends.
    const QByteArray text("To=whatsapp%3A%2B919876543210&Body=Your%20code%20is%20123456");
    OneShotBody body(QByteArray(text.constData(), text.size()), nullptr);
    const char *where = body.retained().constData();
    QCOMPARE(body.read(10), text.left(10));
    QCOMPARE(body.retained(), text); // not yet: Qt may still need the rest
    QVERIFY(!body.reset()); // and never from the start again
    QCOMPARE(body.readAll(), text.mid(10));
    QCOMPARE(body.retained(), QByteArray(text.size(), '\0'));
    QCOMPARE(body.retained().constData(), where); // the same bytes, overwritten in place
    QCOMPARE(body.size(), text.size());
    QVERIFY(body.atEnd());
}

void tst_TwilioHttp::malformedJson_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not json") << QByteArray("<html>hello</html>");
    QTest::newRow("cut json") << QByteArray("{\"sid\": \"SM1\", \"status\": \"que");
    QTest::newRow("array") << QByteArray("[1, 2, 3]");
    QTest::newRow("empty") << QByteArray();
}

void tst_TwilioHttp::malformedJson()
{
    QFETCH(QByteArray, body);
    m_server->setHandler(
        [&](const HttpRequest &) { return HttpResponse::raw(201, body, "application/json"); });
    TwilioHttp http(settingsFor(*m_server), m_nam.get(), fastTimings());
    const TwilioReply r = postAndWait(http);
    QCOMPARE(r.result.error, SendError::BadResponse);
    QCOMPARE(r.result.httpStatus, 201);
    QVERIFY(r.result.detail.contains(u"may have been sent"));
}

void tst_TwilioHttp::cutOffAnswer()
{
    m_server->setHandler([](const HttpRequest &) {
        HttpResponse r = HttpResponse::raw(201, "{\"sid\": \"SM1\", \"status\": \"queued\"}",
                                           "application/json");
        r.action = HttpResponse::Action::Truncate;
        return r;
    });
    TwilioHttp http(settingsFor(*m_server), m_nam.get(), fastTimings());
    const TwilioReply r = postAndWait(http);
    QCOMPARE(r.result.error, SendError::BadResponse);
    QVERIFY(r.json.isEmpty());
    QCOMPARE(m_server->requestCount(), 1);
}

void tst_TwilioHttp::hugeAnswerIsAbandoned()
{
    m_server->setHandler([](const HttpRequest &) {
        HttpResponse r = HttpResponse::raw(201, {}, "application/json");
        r.streamBytes = 20 * 1024 * 1024;
        return r;
    });
    TwilioHttp http(settingsFor(*m_server), m_nam.get(), fastTimings());
    const TwilioReply r = postAndWait(http);
    QCOMPARE(r.result.error, SendError::BadResponse);
    QVERIFY(r.result.detail.contains(u"larger than"));
    // The client stopped early: the server could not push the whole 20 MB.
    QTest::qWait(50);
    QVERIFY(m_server->streamedBytes() < 20 * 1024 * 1024);
}

void tst_TwilioHttp::hugeAnswerWithoutLength()
{
    // No Content-Length to refuse up front: the cap applies to what arrives.
    m_server->setHandler([](const HttpRequest &) {
        HttpResponse r = HttpResponse::raw(200, {}, "application/json");
        r.streamBytes = 20 * 1024 * 1024;
        r.headers.emplaceBack("Content-Length", QByteArray::number(100)); // lies
        return r;
    });
    TwilioTimings t = fastTimings();
    t.maxResponseBytes = 50;
    TwilioHttp http(settingsFor(*m_server), m_nam.get(), t);
    const TwilioReply r = postAndWait(http);
    QCOMPARE(r.result.error, SendError::BadResponse);
    QVERIFY(r.result.detail.contains(u"larger than 50 bytes"));
}

void tst_TwilioHttp::selfSignedCertificateIsRefused()
{
    QSslCertificate certificate;
    QSslKey key;
    QString error;
    if (!HttpTestServer::makeSelfSignedCertificate(&certificate, &key, &error))
        QSKIP(qPrintable(QStringLiteral("cannot make a test certificate: ") + error));
    HttpTestServer tls([](const HttpRequest &) {
        QJsonObject o;
        o.insert(QStringLiteral("sid"), QStringLiteral("SM1"));
        return HttpResponse::json(201, o);
    });
    QVERIFY(tls.listenTls(certificate, key));

    TwilioHttp http(settingsFor(tls), m_nam.get(), fastTimings());
    const TwilioReply r = postAndWait(http);
    QCOMPARE(r.result.error, SendError::Network);
    QVERIFY2(r.result.detail.contains(u"TLS"), qPrintable(r.result.detail));
    QCOMPARE(tls.requestCount(), 0); // nothing, credentials included, went over the wire

    // Control: the server works for a client that trusts its certificate.
    QNetworkRequest request(tls.baseUrl());
    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    trusting.addCaCertificate(certificate);
    request.setSslConfiguration(trusting);
    QNetworkReply *reply = m_nam->get(request);
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    reply->deleteLater();
    QCOMPARE(tls.requestCount(), 1);
}

void tst_TwilioHttp::redirectIsNotFollowed()
{
    HttpTestServer elsewhere([](const HttpRequest &) { return HttpResponse::raw(200, "{}"); });
    QVERIFY(elsewhere.listen());
    m_server->setHandler([&](const HttpRequest &) {
        HttpResponse r = HttpResponse::raw(302, {});
        r.headers.emplaceBack("Location", elsewhere.baseUrl().toEncoded() + "/steal");
        return r;
    });
    TwilioHttp http(settingsFor(*m_server), m_nam.get(), fastTimings());
    const TwilioReply r = postAndWait(http);
    QCOMPARE(r.result.error, SendError::BadResponse);
    QCOMPARE(r.result.httpStatus, 302);
    QTest::qWait(50);
    QCOMPARE(elsewhere.requestCount(), 0);
}

void tst_TwilioHttp::contextDestroyedAbortsQuietly()
{
    m_server->setHandler([](const HttpRequest &) { return HttpResponse::hang(); });
    TwilioHttp http(settingsFor(*m_server), m_nam.get(), fastTimings());
    bool called = false;
    auto context = std::make_unique<QObject>();
    http.post(TwilioService::Api, QStringLiteral("/x"), {}, context.get(),
              [&called](const TwilioReply &) { called = true; });
    QTRY_COMPARE(m_server->requestCount(), 1);
    context.reset();
    QTest::qWait(50);
    QVERIFY(!called);
}

void tst_TwilioHttp::answersAfterReturning()
{
    TwilioSettings s = settingsFor(*m_server);
    s.apiBaseUrl = QUrl(QStringLiteral("http://192.0.2.1:9")); // refused before any request
    TwilioHttp http(s, m_nam.get(), fastTimings());
    bool called = false;
    QObject context;
    http.get(TwilioService::Api, QStringLiteral("/x"), &context,
             [&called](const TwilioReply &) { called = true; });
    QVERIFY(!called);
    QTRY_VERIFY(called);
}

QTEST_GUILESS_MAIN(tst_TwilioHttp)
#include "tst_twiliohttp.moc"
