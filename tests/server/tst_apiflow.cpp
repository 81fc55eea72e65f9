// waotp-server's API through a real HTTP client, against the server on a free port of 127.0.0.1 in
// demo mode, with the engine on a fake clock: the happy path (create, check, token), tokens
// checked by PyJWT against the JWK Set the server publishes, and a verification's life (resend,
// replace, show, cancel).
#include "PyJwt.h"
#include "ServerApiFixture.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_ApiFlow : public QObject, public ServerApiFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { setUpServer(); }
    void cleanup() { tearDownServer(); }

    void createCheckToken();
    void secondSignInIsTheSameAccount();
    void tamperedTokenIsRefused();
    void cancel();
    void resendCooldownThenNewCode();
    void newVerificationReplacesTheOld();
    void getShowsTheCreateShape();
    void healthAndReadiness();
    void jwks();
};

void tst_ApiFlow::createCheckToken()
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
    // The approval ended the number's cooldown: a new verification may start at once.
    QCOMPARE(shown.integer(u"resend_in"), 0);
    QCOMPARE(create().status, 201);
}

void tst_ApiFlow::secondSignInIsTheSameAccount()
{
    Reply created = create();
    const Reply first = check(created.string(u"id"), created.string(u"demo_code"));
    QCOMPARE(first.string(u"account"), QStringLiteral("created"));
    // An approval ends the resend cooldown: signing in again may start at once.
    created = create(QStringLiteral("+919876543210"),
                     {{QStringLiteral("flow"), QStringLiteral("signin")}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.string(u"flow"), QStringLiteral("signin"));
    const Reply second = check(created.string(u"id"), created.string(u"demo_code"));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.string(u"account"), QStringLiteral("existing"));
    QCOMPARE(second.string(u"account_id"), first.string(u"account_id"));
    QVERIFY(second.string(u"token") != first.string(u"token"));
}

void tst_ApiFlow::tamperedTokenIsRefused()
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

void tst_ApiFlow::cancel()
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

void tst_ApiFlow::resendCooldownThenNewCode()
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

void tst_ApiFlow::newVerificationReplacesTheOld()
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

void tst_ApiFlow::getShowsTheCreateShape()
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
    QCOMPARE(r.string(u"flow"), QStringLiteral("signup"));
    QCOMPARE(r.string(u"status"), QStringLiteral("pending"));
    QCOMPARE(r.integer(u"expires_in"), 288);
    QCOMPARE(r.integer(u"resend_in"), 18);
    QCOMPARE(r.integer(u"attempts_left"), 5);
    QVERIFY(!r.json.contains(u"demo_code")); // only in the answer that issued it
    QVERIFY(
        QStringList({QStringLiteral("queued"), QStringLiteral("sent"), QStringLiteral("delivered")})
            .contains(r.string(u"delivery")));
}

void tst_ApiFlow::healthAndReadiness()
{
    Reply r = call("GET", QStringLiteral("/healthz"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.string(u"status"), QStringLiteral("ok"));
    r = call("GET", QStringLiteral("/readyz"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.string(u"status"), QStringLiteral("ready"));
}

void tst_ApiFlow::jwks()
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

QTEST_GUILESS_MAIN(tst_ApiFlow)
#include "tst_apiflow.moc"
