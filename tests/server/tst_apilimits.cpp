// waotp-server's API through a real HTTP client (QNetworkAccessManager, and a bare socket for a
// client that goes away), against the server in demo mode on a fake clock: the long polls, the
// country allowlist, the per-client limits (with and without a trusted proxy), the limits on a
// number's wrong codes, and the server's own send budget per minute and per day.
#include "RawHttpClient.h"
#include "ServerApiFixture.h"
#include "server/monitor/Metrics.h"

#include <QElapsedTimer>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_ApiLimits : public QObject, public ServerApiFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_policy = {}; // a test's own policy ends with it
        setUpServer();
    }
    void cleanup() { tearDownServer(); }

    void longPollAnswersWhenTheDeliveryMoves();
    void longPollAnswersAtTheEnd();
    void longPollClientGoes();
    void countryAllowlist();
    void sendsPerClient();
    void checksPerClient();
    void clientBehindATrustedProxy();
    void forwardedForFromAnyoneIsIgnored();
    void wrongCodesHoldTheSendBack();
    void wrongCodesStopTheChecks();
    void tooManyAttemptsWaitsForTheWrongCodes();
    void resendInCountsTheHourlyCap();
    void resendInOfAnApprovalCountsTheNextCooldown();
    void sendBudgetPerMinute();
    void sendBudgetPerDay();

private:
    /// @p r refuses with 429 rate_limited of @p scope, to wait @p seconds.
    static void checkRateLimited(const Reply &r, QStringView scope, int seconds)
    {
        QCOMPARE(r.status, 429);
        QCOMPARE(r.string(u"error"), QStringLiteral("rate_limited"));
        QCOMPARE(r.string(u"scope"), scope.toString());
        QCOMPARE(r.integer(u"retry_after"), seconds);
        QCOMPARE(r.header("Retry-After"), QByteArray::number(seconds));
    }
    /// A well-formed code that is not the demo code of @p created.
    static QString wrongCodeFor(const Reply &created)
    {
        return created.string(u"demo_code") == u"000000" ? QStringLiteral("111111")
                                                         : QStringLiteral("000000");
    }
};

void tst_ApiLimits::longPollAnswersWhenTheDeliveryMoves()
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

void tst_ApiLimits::longPollAnswersAtTheEnd()
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

void tst_ApiLimits::longPollClientGoes()
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

void tst_ApiLimits::countryAllowlist()
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

void tst_ApiLimits::sendsPerClient()
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
    // Until its wait is over, the client is answered before the account database is asked.
    const quint64 asked = m_server->accounts().started();
    m_clock->advance(5s);
    for (int i = 0; i < 20; ++i) {
        r = create(QStringLiteral("+91987654330") + QString::number(i % 10));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.string(u"scope"), QStringLiteral("ip"));
        QCOMPARE(r.integer(u"retry_after"), 15);
    }
    QCOMPARE(m_server->accounts().started(), asked);
    // A resend counts too.
    m_clock->advance(15s);
    const QString id = create(QStringLiteral("+919876543213")).string(u"id");
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id)).string(u"scope"),
             QStringLiteral("ip"));
    // Refused requests do not use up the allowance; bad ones are not counted at all.
    QCOMPARE(create(QStringLiteral("12")).status, 400);
    m_clock->advance(20s);
    QCOMPARE(create(QStringLiteral("+919876543214")).status, 201);
}

void tst_ApiLimits::checksPerClient()
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

void tst_ApiLimits::clientBehindATrustedProxy()
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

void tst_ApiLimits::forwardedForFromAnyoneIsIgnored()
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

// From the 10th wrong code in 24 hours, a resend waits a minute after the latest: 429 with
// Retry-After, its own scope.
void tst_ApiLimits::wrongCodesHoldTheSendBack()
{
    Reply created = create();
    const QString id = created.string(u"id");
    for (int round = 0; round < 2; ++round) {
        const QString wrong = wrongCodeFor(created);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(check(id, wrong).status, 422);
        QCOMPARE(check(id, wrong).string(u"error"), QStringLiteral("too_many_attempts"));
        if (round == 0) {
            m_clock->advance(30s);
            created = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id));
            QCOMPARE(created.status, 201);
        }
    }
    checkRateLimited(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id)),
                     u"wrong_codes", 60);
    m_clock->advance(60s);
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id)).status, 201);
}

// The check that uses up a code's attempts, and every check after it, says when a resend is
// allowed: after the 10th wrong code that is the backoff's minute from the latest, later than the
// cooldown here. GET's resend_in says the same, and the resend then goes.
void tst_ApiLimits::tooManyAttemptsWaitsForTheWrongCodes()
{
    Reply created = create();
    const QString id = created.string(u"id");
    const auto usedUp = [](const Reply &r, int seconds) {
        QCOMPARE(r.status, 429);
        QCOMPARE(r.string(u"error"), QStringLiteral("too_many_attempts"));
        QCOMPARE(r.integer(u"retry_after"), seconds);
        QCOMPARE(r.header("Retry-After"), QByteArray::number(seconds));
    };
    for (int i = 0; i < 4; ++i)
        QCOMPARE(check(id, wrongCodeFor(created)).status, 422);
    // Five wrong codes: the cooldown (30 s after the send) alone holds the resend.
    m_clock->advance(10s);
    usedUp(check(id, wrongCodeFor(created)), 20);
    m_clock->advance(20s);
    created = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id));
    QCOMPARE(created.status, 201);
    QCOMPARE(created.integer(u"resend_in"), 60); // the second send's cooldown
    for (int i = 0; i < 4; ++i)
        QCOMPARE(check(id, wrongCodeFor(created)).status, 422);
    // The tenth, 20 s later: the resend waits until a minute after it, 20 s past the cooldown.
    m_clock->advance(20s);
    usedUp(check(id, wrongCodeFor(created)), 60);
    m_clock->advance(15s);
    usedUp(check(id, created.string(u"demo_code")), 45); // nothing compared: the code is void
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).integer(u"resend_in"), 45);
    m_clock->advance(44s);
    checkRateLimited(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id)),
                     u"wrong_codes", 1);
    m_clock->advance(1s);
    QCOMPARE(call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id)).status, 201);
}

// An approval ends the cooldown, not the hourly cap: resend_in says when the cap lets the number
// have its next send.
void tst_ApiLimits::resendInCountsTheHourlyCap()
{
    m_policy.maxSendsPerHour = 2;
    startServer();
    for (int i = 0; i < 2; ++i) {
        // A sign-up, then a sign-in with the account it made.
        const Reply created =
            create(QStringLiteral("+919876543210"),
                   {{QStringLiteral("flow"),
                     i == 0 ? QStringLiteral("signup") : QStringLiteral("signin")}});
        QCOMPARE(created.status, 201);
        QCOMPARE(check(created.string(u"id"), created.string(u"demo_code")).status, 200);
        const Reply shown =
            call("GET", QStringLiteral("/v1/verifications/") + created.string(u"id"));
        QCOMPARE(shown.string(u"status"), QStringLiteral("approved"));
        QCOMPARE(shown.integer(u"resend_in"), i == 0 ? 0 : 3600 - 10);
        m_clock->advance(10s);
    }
    checkRateLimited(create(), u"hourly_limit", 3600 - 20);
}

// An approval lets the next send go at once; once that send has gone, the approved
// verification's resend_in says the cooldown it started, as a create finds it.
void tst_ApiLimits::resendInOfAnApprovalCountsTheNextCooldown()
{
    startServer();
    const Reply first = create();
    QCOMPARE(check(first.string(u"id"), first.string(u"demo_code")).status, 200);
    const QString path = QStringLiteral("/v1/verifications/") + first.string(u"id");
    QCOMPARE(call("GET", path).integer(u"resend_in"), 0);
    const Reply next = create(QStringLiteral("+919876543210"),
                              {{QStringLiteral("flow"), QStringLiteral("signin")}});
    QCOMPARE(next.status, 201);
    const int cooldown = next.integer(u"resend_in");
    QVERIFY(cooldown > 10);
    m_clock->advance(10s);
    const Reply shown = call("GET", path);
    QCOMPARE(shown.string(u"status"), QStringLiteral("approved"));
    QCOMPARE(shown.integer(u"resend_in"), cooldown - 10);
    checkRateLimited(create(), u"cooldown", cooldown - 10);
}

// At the limit of wrong codes a check is refused without being compared, the right code too:
// 429 until the oldest wrong code is a day old. (Three here instead of a hundred.)
void tst_ApiLimits::wrongCodesStopTheChecks()
{
    m_policy.maxFailures = 3;
    startServer();
    const Reply created = create();
    const QString id = created.string(u"id");
    for (int i = 0; i < 3; ++i)
        QCOMPARE(check(id, wrongCodeFor(created)).status, 422);
    m_clock->advance(1min);
    checkRateLimited(check(id, created.string(u"demo_code")), u"wrong_codes", 24 * 3600 - 60);
    // The code was not used up: it still has its attempts.
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).integer(u"attempts_left"), 2);
}

void tst_ApiLimits::sendBudgetPerMinute()
{
    startServer([](ServerSettings &s) {
        s.maxSendsPerMinute = 3;
        s.maxSendsPerDay = 0;
    });
    QCOMPARE(create(QStringLiteral("+919876500001")).status, 201);
    QCOMPARE(create(QStringLiteral("+919876500002")).status, 201);
    // A silent send counts too: a budget only real sends used up would tell them apart.
    QCOMPARE(create(QStringLiteral("+919876500003"),
                    {{QStringLiteral("flow"), QStringLiteral("signin")}})
                 .status,
             201);
    Reply r = create(QStringLiteral("+919876500004"));
    QCOMPARE(r.status, 503);
    QCOMPARE(r.string(u"error"), QStringLiteral("send_budget_exhausted"));
    QCOMPARE(r.string(u"scope"), QStringLiteral("minute"));
    QCOMPARE(r.integer(u"retry_after"), 60); // until the first three are a minute old
    QCOMPARE(r.header("Retry-After"), QByteArray("60"));
    QCOMPARE(m_server->api().verifications().size(), 3);
    // Any minute holds at most three: a bucket would have had one more by now.
    m_clock->advance(20s);
    r = create(QStringLiteral("+919876500004"));
    QCOMPARE(r.status, 503);
    QCOMPARE(r.integer(u"retry_after"), 40);

    m_clock->advance(40s);
    QCOMPARE(create(QStringLiteral("+919876500004")).status, 201);
    m_clock->advance(20s);
    // A send the engine refuses (the number's cooldown) gives its share of the budget back.
    QCOMPARE(create(QStringLiteral("+919876500004")).status, 429);
    QCOMPARE(create(QStringLiteral("+919876500005")).status, 201);
    QCOMPARE(create(QStringLiteral("+919876500006")).status, 201);
    r = create(QStringLiteral("+919876500007"));
    QCOMPARE(r.status, 503);
    QCOMPARE(r.integer(u"retry_after"), 40); // the send at 60 s leaves the window at 120 s
    QVERIFY(m_server->metrics().render().contains(
        "waotp_rate_limited_total{scope=\"budget_minute\"} 3"));
}

void tst_ApiLimits::sendBudgetPerDay()
{
    startServer([](ServerSettings &s) {
        s.maxSendsPerMinute = 0;
        s.maxSendsPerDay = 2;
    });
    const QString id = create(QStringLiteral("+919876500001")).string(u"id");
    QCOMPARE(create(QStringLiteral("+919876500002")).status, 201);
    m_clock->advance(1min);
    Reply r = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id)); // a resend too
    QCOMPARE(r.status, 503);
    QCOMPARE(r.string(u"scope"), QStringLiteral("day"));
    QCOMPARE(r.integer(u"retry_after"), 24 * 3600 - 60);
    m_clock->advance(12h); // a bucket would have refilled one; these 24 hours hold two
    QCOMPARE(create(QStringLiteral("+919876500003")).status, 503);
    m_clock->advance(12h - 1min);
    QCOMPARE(create(QStringLiteral("+919876500003")).status, 201);
    QCOMPARE(create(QStringLiteral("+919876500004")).status, 201);
    QCOMPARE(create(QStringLiteral("+919876500005")).status, 503);
}

QTEST_GUILESS_MAIN(tst_ApiLimits)
#include "tst_apilimits.moc"
