// CORS through a real HTTP client against the server in demo mode: only origins in
// allowed_origins (none by default) get Access-Control-Allow-Origin and their preflights
// answered, only on the verification endpoints; any other origin gets no CORS header at all.
#include "ServerApiFixture.h"
#include "server/api/Cors.h"

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {
const QByteArray App = "https://app.example.com";
const QByteArray Evil = "https://evil.example.com";

bool hasCorsHeader(const Reply &r)
{
    for (const auto &[name, value] : r.headers) {
        if (name.toLower().startsWith("access-control-"))
            return true;
    }
    return false;
}
} // namespace

class tst_ApiCors : public QObject, public ServerApiFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { setUpServer(); }
    void cleanup() { tearDownServer(); }

    void origins_data();
    void origins();
    void noOriginsByDefault();
    void allowedOriginGetsItsAnswers();
    void preflight();
    void otherOriginsGetNothing();

private:
    void allowApp()
    {
        startServer([](ServerSettings &s) { s.allowedOrigins = {App}; });
    }
    Reply from(const QByteArray &origin, const QByteArray &method, const QString &path,
               const QByteArray &body = {}, server::HttpHeaders more = {})
    {
        more.append({"Origin", origin});
        return call(method, path, body, "application/json", more);
    }
};

void tst_ApiCors::origins_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("origin"); // empty: refused
    QTest::newRow("plain") << "https://app.example.com"
                           << "https://app.example.com";
    QTest::newRow("upper case") << "HTTPS://App.Example.COM"
                                << "https://app.example.com";
    QTest::newRow("default port") << "https://app.example.com:443"
                                  << "https://app.example.com";
    QTest::newRow("other port") << "http://localhost:3000"
                                << "http://localhost:3000";
    QTest::newRow("trailing slash") << "https://app.example.com/"
                                    << "https://app.example.com";
    QTest::newRow("a path") << "https://app.example.com/login"
                            << "";
    QTest::newRow("a query") << "https://app.example.com?x=1"
                             << "";
    QTest::newRow("wildcard") << "*"
                              << "";
    QTest::newRow("wildcard host") << "https://*.example.com"
                                   << "";
    QTest::newRow("user info") << "https://me@app.example.com"
                               << "";
    QTest::newRow("not http") << "ftp://app.example.com"
                              << "";
    QTest::newRow("no scheme") << "app.example.com"
                               << "";
}

void tst_ApiCors::origins()
{
    QFETCH(QString, text);
    QFETCH(QString, origin);
    const auto made = normalizedOrigin(text);
    QCOMPARE(made.has_value(), !origin.isEmpty());
    if (made)
        QCOMPARE(QString::fromLatin1(*made), origin);
}

void tst_ApiCors::noOriginsByDefault()
{
    const Reply created = from(App, "POST", QStringLiteral("/v1/verifications"),
                               R"({"phone":"+919876543210","flow":"signup"})");
    QCOMPARE(created.status, 201);
    QVERIFY(!hasCorsHeader(created));
    const Reply preflight = from(App, "OPTIONS", QStringLiteral("/v1/verifications"), {},
                                 {{"Access-Control-Request-Method", "POST"}});
    QCOMPARE(preflight.status, 405);
    QVERIFY(!hasCorsHeader(preflight));
}

void tst_ApiCors::allowedOriginGetsItsAnswers()
{
    allowApp();
    const Reply created = from(App, "POST", QStringLiteral("/v1/verifications"),
                               R"({"phone":"+919876543210","flow":"signup"})");
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("Access-Control-Allow-Origin"), App);
    QCOMPARE(created.header("Vary"), QByteArray("Origin"));
    QCOMPARE(created.header("Access-Control-Expose-Headers"),
             QByteArray("Retry-After, X-Request-Id"));
    // Errors too (a page must read them), and every verification endpoint.
    const QString id = created.string(u"id");
    const Reply wrong =
        from(App, "POST", QStringLiteral("/v1/verifications/%1/check").arg(id), R"({"code":"12"})");
    QCOMPARE(wrong.status, 400);
    QCOMPARE(wrong.header("Access-Control-Allow-Origin"), App);
    const Reply cooling = from(App, "POST", QStringLiteral("/v1/verifications/%1/resend").arg(id));
    QCOMPARE(cooling.status, 429);
    QCOMPARE(cooling.header("Access-Control-Allow-Origin"), App);
    QCOMPARE(from(App, "GET", QStringLiteral("/v1/verifications/") + id)
                 .header("Access-Control-Allow-Origin"),
             App);
    // The service endpoints are not for pages.
    for (const char *path : {"/healthz", "/readyz", "/.well-known/jwks.json", "/metrics"}) {
        const Reply r = from(App, "GET", QString::fromLatin1(path));
        QCOMPARE(r.status, 200);
        QVERIFY2(!hasCorsHeader(r), path);
    }
}

void tst_ApiCors::preflight()
{
    allowApp();
    Reply r = from(App, "OPTIONS", QStringLiteral("/v1/verifications"), {},
                   {{"Access-Control-Request-Method", "POST"},
                    {"Access-Control-Request-Headers", "content-type"}});
    QCOMPARE(r.status, 204);
    QVERIFY(r.body.isEmpty());
    QCOMPARE(r.header("Access-Control-Allow-Origin"), App);
    QCOMPARE(r.header("Access-Control-Allow-Methods"), QByteArray("POST"));
    QCOMPARE(r.header("Access-Control-Allow-Headers"), QByteArray("Content-Type, X-Request-Id"));
    QCOMPARE(r.header("Access-Control-Max-Age"), QByteArray("600"));
    QCOMPARE(r.header("Vary"), QByteArray("Origin"));
    r = from(App, "OPTIONS", QStringLiteral("/v1/verifications/abc"), {},
             {{"Access-Control-Request-Method", "DELETE"}});
    QCOMPARE(r.status, 204);
    QCOMPARE(r.header("Access-Control-Allow-Methods"), QByteArray("GET, HEAD, DELETE"));
    // A method the endpoint does not take is not pre-approved.
    r = from(App, "OPTIONS", QStringLiteral("/v1/verifications"), {},
             {{"Access-Control-Request-Method", "DELETE"}});
    QCOMPARE(r.status, 405);
    QVERIFY(!hasCorsHeader(r));
    QCOMPARE(m_server->api().verifications().size(), 0);
}

void tst_ApiCors::otherOriginsGetNothing()
{
    allowApp();
    for (const QByteArray &origin :
         {Evil, QByteArray("http://app.example.com"), QByteArray("https://app.example.com:8443"),
          QByteArray("null")}) {
        const Reply created = from(origin, "POST", QStringLiteral("/v1/verifications"),
                                   R"({"phone":"+919876543210","flow":"signup"})");
        QVERIFY(created.status == 201 || created.status == 429);
        QVERIFY2(!hasCorsHeader(created), origin.constData());
        const Reply preflight = from(origin, "OPTIONS", QStringLiteral("/v1/verifications"), {},
                                     {{"Access-Control-Request-Method", "POST"}});
        QCOMPARE(preflight.status, 405);
        QVERIFY2(!hasCorsHeader(preflight), origin.constData());
    }
}

QTEST_GUILESS_MAIN(tst_ApiCors)
#include "tst_apicors.moc"
