// The flow on a verification server (ServerVerificationBackend under VerificationFlow), against
// a loopback fake of waotp-server's API: what is asked of the server, the countdowns from its
// answers, the account rules it applies itself, delivery by long polls, and every way a server
// can fail (no connection, TLS, a hang, a 5xx, an answer that is not the API's).
#include "FakeClock.h"
#include "FakeVerificationApi.h"
#include "network/serverclient/ServerCheck.h"
#include "network/serverclient/ServerVerificationBackend.h"

#include "engine/VerificationFlow.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

constexpr int Wait = 10000; // ms, for anything that should come at once

ServerTimings shortTimings()
{
    ServerTimings t;
    t.requestTimeout = 700ms;
    t.pollWait = 1s;
    t.pollSlack = 500ms;
    t.minPollInterval = 300ms;
    t.maxPollBackoff = 1s;
    return t;
}

PhoneNumber number()
{
    return PhoneNumber::parse(QStringLiteral("+919876543210"), QStringLiteral("IN"))
        .number.value_or(PhoneNumber());
}

} // namespace

Q_DECLARE_METATYPE(HttpResponse)

class tst_ServerBackend : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void nonceGoesWithEveryCreate();
    void signUpWrongCodeThenRight();
    void deadlinesFromWhenTheAnswerCame();
    void signInWithoutHints();
    void signInRefusedByHints_data();
    void signInRefusedByHints();
    void approvalRefusedForTheAccount();
    void expiredAndTooManyAttempts();
    void resendWithCooldown();
    void resendOfAForgottenVerification();
    void resendAnsweredAfterACancel_data();
    void resendAnsweredAfterACancel();
    void smsAfterAFailedDelivery();
    void deliveryByLongPoll();
    void noTightPolling();
    void cancelDeletes();
    void exitWaitsForCancelsNoLongerThanAllowed();
    void exitWaitsForACodeOnItsWay();
    void sendFailures_data();
    void sendFailures();
    void unreachable();
    void tlsFailure();
    void checkFailures_data();
    void checkFailures();
    void serverGoesAwayMidFlow();
    void demoCodesOnlyFromADemoServer();
    void probe();
    void serverCheck_data();
    void serverCheck();

private:
    void makeBackend(const QUrl &url);
    SentCode requestAndWait(Purpose purpose = Purpose::SignUp);
    CodeRequestResult refusedRequest();

    FakeClock m_clock;
    std::unique_ptr<FakeVerificationApi> m_api;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<ServerVerificationBackend> m_backend;
    std::unique_ptr<VerificationFlow> m_flow;
};

void tst_ServerBackend::init()
{
    m_api = std::make_unique<FakeVerificationApi>();
    QVERIFY(m_api->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
    makeBackend(m_api->url());
}

void tst_ServerBackend::cleanup()
{
    m_flow.reset();
    m_backend.reset();
    m_nam.reset();
    m_api.reset();
}

void tst_ServerBackend::makeBackend(const QUrl &url)
{
    m_flow.reset();
    m_backend =
        std::make_unique<ServerVerificationBackend>(url, m_clock, m_nam.get(), shortTimings());
    m_flow = std::make_unique<VerificationFlow>(*m_backend);
    m_flow->setLocale(QStringLiteral("hi"));
}

SentCode tst_ServerBackend::requestAndWait(Purpose purpose)
{
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    if (!m_flow->request(number(), purpose))
        return {};
    if (!sent.wait(Wait))
        return {};
    return sent.constFirst().constFirst().value<SentCode>();
}

CodeRequestResult tst_ServerBackend::refusedRequest()
{
    QSignalSpy refused(m_flow.get(), &VerificationFlow::requestRefused);
    if (!m_flow->request(number(), Purpose::SignUp) || !refused.wait(Wait))
        return {};
    return refused.constFirst().constFirst().value<CodeRequestResult>();
}

void tst_ServerBackend::nonceGoesWithEveryCreate()
{
    m_backend->setNonce(QStringLiteral("session-42"));
    requestAndWait();
    const QList<HttpRequest> creates = m_api->requests("POST", QStringLiteral("/v1/verifications"));
    QCOMPARE(creates.size(), 1);
    QCOMPARE(FakeVerificationApi::body(creates.constFirst()).value(u"nonce").toString(),
             QStringLiteral("session-42"));
}

void tst_ServerBackend::signUpWrongCodeThenRight()
{
    const SentCode sent = requestAndWait();
    QCOMPARE(sent.number, number());
    QCOMPARE(sent.attempts, 5);
    QVERIFY(sent.accountUnknown); // a server without registration hints sends only if it fits
    const QList<HttpRequest> creates = m_api->requests("POST", QStringLiteral("/v1/verifications"));
    QCOMPARE(creates.size(), 1);
    const QJsonObject body = FakeVerificationApi::body(creates.constFirst());
    QCOMPARE(body.value(u"phone").toString(), QStringLiteral("+919876543210"));
    QCOMPARE(body.value(u"flow").toString(), QStringLiteral("signup"));
    QCOMPARE(body.value(u"channel").toString(), QStringLiteral("whatsapp"));
    QCOMPARE(body.value(u"locale").toString(), QStringLiteral("hi"));
    QVERIFY(!body.contains(u"nonce")); // none set
    QCOMPARE(creates.constFirst().header("Content-Type"), QByteArray("application/json"));

    QSignalSpy wrong(m_flow.get(), &VerificationFlow::wrongCode);
    QVERIFY(m_flow->check(QStringLiteral("000000")));
    QVERIFY(wrong.wait(Wait));
    QCOMPARE(wrong.constFirst().constFirst().toInt(), 4);

    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    QSignalSpy token(m_backend.get(), &RemoteVerificationBackend::tokenIssued);
    QVERIFY(m_flow->check(QStringLiteral("123456")));
    QVERIFY(verified.wait(Wait));
    QCOMPARE(verified.constFirst().at(0).value<PhoneNumber>(), number());
    QCOMPARE(verified.constFirst().at(1).value<Purpose>(), Purpose::SignUp);
    QCOMPARE(verified.constFirst().at(2).toBool(), true); // the server created the account
    QCOMPARE(token.size(), 1);
    QVERIFY(m_backend->lastToken());
    QCOMPARE(m_backend->lastToken()->token.count('.'), 2);
    QCOMPARE(m_backend->lastToken()->expiresAt, m_clock.now() + 300s);
    QCOMPARE(m_api->requests("POST", QStringLiteral("/check")).size(), 2);
    QVERIFY(m_backend->verificationId(number()).isEmpty()); // used up: nothing to cancel
}

void tst_ServerBackend::deadlinesFromWhenTheAnswerCame()
{
    // The answer takes 7 s (on the clock) to come: the countdowns start when it arrives.
    const Clock::TimePoint asked = m_clock.now();
    m_api->expiresIn = 120;
    m_api->resendIn = 45;
    m_api->setOverride([this](const HttpRequest &) -> std::optional<HttpResponse> {
        m_clock.advance(7s);
        return std::nullopt;
    });
    const SentCode sent = requestAndWait();
    QCOMPARE(sent.expiresAt, asked + 7s + 120s);
    QCOMPARE(sent.nextSendAt, asked + 7s + 45s);
}

void tst_ServerBackend::signInWithoutHints()
{
    // The server doesn't say whether the number has an account: a code is on its way if it has.
    QVERIFY(!m_backend->findsAccounts());
    SentCode sent = requestAndWait(Purpose::SignIn);
    QVERIFY(sent.accountUnknown);
    QCOMPARE(FakeVerificationApi::body(m_api->requests("POST").constFirst()).value(u"flow"),
             QStringLiteral("signin"));
    m_flow->cancel();

    // A server that says it gives registration hints: a sent code means an account.
    m_api->extra.insert(QStringLiteral("registration_hints"), true);
    sent = requestAndWait(Purpose::SignIn);
    QVERIFY(!sent.accountUnknown);
}

void tst_ServerBackend::signInRefusedByHints_data()
{
    QTest::addColumn<Purpose>("purpose");
    QTest::addColumn<HttpResponse>("answer");
    QTest::newRow("sign in, no account")
        << Purpose::SignIn << FakeVerificationApi::error(404, QStringLiteral("no_account"));
    QTest::newRow("sign up, account exists")
        << Purpose::SignUp << FakeVerificationApi::error(409, QStringLiteral("account_exists"));
}

void tst_ServerBackend::signInRefusedByHints()
{
    QFETCH(Purpose, purpose);
    QFETCH(HttpResponse, answer);
    m_api->setOverride([answer](const HttpRequest &) { return answer; });
    QSignalSpy offered(m_flow.get(), &VerificationFlow::otherFlowOffered);
    QSignalSpy refused(m_flow.get(), &VerificationFlow::requestRefused);
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QVERIFY(m_flow->request(number(), purpose));
    QVERIFY(offered.wait(Wait));
    QCOMPARE(offered.constFirst().at(1).value<Purpose>(), purpose);
    QCOMPARE(refused.size(), 0);
    QCOMPARE(sent.size(), 0);
    QCOMPARE(m_flow->step(), VerificationFlow::Step::Number);
    QVERIFY(!m_flow->isRequesting());
    QVERIFY(m_backend->sentCodeMeansAccount()); // learnt: this server gives hints
}

void tst_ServerBackend::approvalRefusedForTheAccount()
{
    // The right code, but the account came or went since it was sent: no approval, the other
    // flow is offered, and the code is used up.
    requestAndWait(Purpose::SignIn);
    m_api->setOverride([](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.path().endsWith(u"/check"))
            return FakeVerificationApi::error(404, QStringLiteral("no_account"));
        return std::nullopt;
    });
    QSignalSpy offered(m_flow.get(), &VerificationFlow::otherFlowOffered);
    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(QStringLiteral("123456")));
    QVERIFY(offered.wait(Wait));
    QCOMPARE(offered.constFirst().at(1).value<Purpose>(), Purpose::SignIn);
    QCOMPARE(verified.size(), 0);
    QCOMPARE(m_flow->step(), VerificationFlow::Step::Number);
    QVERIFY(!m_backend->lastToken());
    QVERIFY(m_backend->verificationId(number()).isEmpty());
}

void tst_ServerBackend::expiredAndTooManyAttempts()
{
    requestAndWait();
    m_api->setOverride([](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.path().endsWith(u"/check"))
            return FakeVerificationApi::error(410, QStringLiteral("expired"));
        return std::nullopt;
    });
    QSignalSpy expired(m_flow.get(), &VerificationFlow::codeExpired);
    QVERIFY(m_flow->check(QStringLiteral("123456")));
    QVERIFY(expired.wait(Wait));

    m_api->setOverride({});
    QSignalSpy tooMany(m_flow.get(), &VerificationFlow::tooManyAttempts);
    m_api->attempts = 1;
    QVERIFY(m_flow->check(QStringLiteral("000000")));
    QVERIFY(tooMany.wait(Wait));
    // With when a resend is allowed (the server's Retry-After).
    m_api->setOverride([](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.path().endsWith(u"/check"))
            return FakeVerificationApi::error(429, QStringLiteral("too_many_attempts"), {}, 75);
        return std::nullopt;
    });
    tooMany.clear();
    QVERIFY(m_flow->check(QStringLiteral("000000")));
    QVERIFY(tooMany.wait(Wait));
    QCOMPARE(tooMany.constFirst().constFirst().toInt(), 75);
}

void tst_ServerBackend::resendWithCooldown()
{
    requestAndWait();
    m_api->setOverride([](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.path().endsWith(u"/resend"))
            return FakeVerificationApi::error(
                429, QStringLiteral("rate_limited"),
                {{QStringLiteral("scope"), QStringLiteral("cooldown")}}, 17);
        return std::nullopt;
    });
    QSignalSpy refused(m_flow.get(), &VerificationFlow::requestRefused);
    QVERIFY(m_flow->resend(Channel::WhatsApp));
    QVERIFY(refused.wait(Wait));
    const auto result = refused.constFirst().constFirst().value<CodeRequestResult>();
    QCOMPARE(result.status, CodeRequestResult::Status::CoolingDown);
    QCOMPARE(result.retryAfter, 17s);
    QCOMPARE(result.nextSendAt, m_clock.now() + 17s);
    QCOMPARE(m_flow->step(), VerificationFlow::Step::Code); // the code being entered still counts

    m_api->setOverride({});
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QVERIFY(m_flow->resend(Channel::WhatsApp));
    QVERIFY(sent.wait(Wait));
    QVERIFY(sent.constFirst().constFirst().value<SentCode>().resent);
    QCOMPARE(m_api->requests("POST", QStringLiteral("/v1/verifications")).size(), 1);
    QCOMPARE(m_api->requests("POST", QStringLiteral("/resend")).size(), 2);
}

void tst_ServerBackend::resendAnsweredAfterACancel_data()
{
    QTest::addColumn<bool>("deletedFirst");
    QTest::newRow("the DELETE came first: 404") << true;
    QTest::newRow("the resend came first: 201") << false;
}

// The person presses Resend, then goes back before its answer: the verification is deleted
// once, and nothing starts afresh (no new verification, no second message, no second DELETE).
void tst_ServerBackend::resendAnsweredAfterACancel()
{
    QFETCH(bool, deletedFirst);
    requestAndWait();
    m_api->setOverride([deletedFirst, this](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (!r.path().endsWith(u"/resend"))
            return std::nullopt;
        HttpResponse late = deletedFirst
            ? FakeVerificationApi::error(404, QStringLiteral("not_found"))
            : HttpResponse::raw(201,
                                QJsonDocument(m_api->shape(QStringLiteral("whatsapp")))
                                    .toJson(QJsonDocument::Compact),
                                "application/json");
        late.delay = 200ms;
        return late;
    });
    QSignalSpy answered(m_backend.get(), &VerificationBackend::codeRequested);
    QVERIFY(m_flow->resend(Channel::WhatsApp));
    m_flow->cancel();
    QVERIFY(answered.wait(Wait));
    QTest::qWait(300); // what would follow it: a create, a DELETE, a poll
    QCOMPARE(m_api->requests("POST", QStringLiteral("/v1/verifications")).size(), 1);
    QCOMPARE(m_api->requests("DELETE").size(), 1);
    QVERIFY(m_backend->verificationId(number()).isEmpty());
}

void tst_ServerBackend::resendOfAForgottenVerification()
{
    requestAndWait();
    bool forgotten = true;
    m_api->setOverride([&forgotten](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.path().endsWith(u"/resend") && forgotten)
            return FakeVerificationApi::error(404, QStringLiteral("not_found"));
        return std::nullopt;
    });
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QVERIFY(m_flow->resend(Channel::WhatsApp));
    QVERIFY(sent.wait(Wait));
    QVERIFY(sent.constFirst().constFirst().value<SentCode>().resent);
    QCOMPARE(m_api->requests("POST", QStringLiteral("/v1/verifications")).size(), 2);
}

void tst_ServerBackend::smsAfterAFailedDelivery()
{
    m_api->delivery = QStringLiteral("queued");
    QSignalSpy delivery(m_flow.get(), &VerificationFlow::deliveryStatusChanged);
    requestAndWait();
    m_api->delivery = QStringLiteral("undelivered");
    m_api->deliveryError = 63016;
    m_api->status = QStringLiteral("failed");
    QVERIFY(delivery.wait(Wait));
    QCOMPARE(delivery.constLast().at(0).value<DeliveryStatus>(), DeliveryStatus::Undelivered);
    QCOMPARE(delivery.constLast().at(1).toInt(), 63016);

    m_api->status = QStringLiteral("pending");
    m_api->deliveryError = 0;
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QVERIFY(m_flow->resend(Channel::Sms));
    QVERIFY(sent.wait(Wait));
    QCOMPARE(sent.constFirst().constFirst().value<SentCode>().channel, Channel::Sms);
    QCOMPARE(
        FakeVerificationApi::body(m_api->requests("POST", QStringLiteral("/resend")).constLast())
            .value(u"channel")
            .toString(),
        QStringLiteral("sms"));
}

void tst_ServerBackend::deliveryByLongPoll()
{
    // The server holds each poll until the delivery changes (here: 400 ms later).
    m_api->pollDelay = 400ms;
    QSignalSpy delivery(m_flow.get(), &VerificationFlow::deliveryStatusChanged);
    requestAndWait();
    m_api->delivery = QStringLiteral("delivered");
    QVERIFY(delivery.wait(Wait));
    QCOMPARE(delivery.constLast().at(0).value<DeliveryStatus>(), DeliveryStatus::Delivered);
    m_api->delivery = QStringLiteral("read");
    QVERIFY(delivery.wait(Wait));
    QCOMPARE(delivery.constLast().at(0).value<DeliveryStatus>(), DeliveryStatus::Read);
    // Read is the end of it: no more polls.
    const int polls = m_backend->pollCount();
    QTest::qWait(900);
    QCOMPARE(m_backend->pollCount(), polls);
    const QList<HttpRequest> gets = m_api->requests("GET");
    QVERIFY(!gets.isEmpty());
    QVERIFY2(gets.constFirst().target.endsWith("?wait=1"), gets.constFirst().target.constData());
}

void tst_ServerBackend::noTightPolling()
{
    // A server that answers every poll at once, with nothing new: asked every 300 ms at most.
    requestAndWait();
    QTest::qWait(1300);
    QVERIFY2(m_backend->pollCount() <= 5, qPrintable(QString::number(m_backend->pollCount())));
    QVERIFY(m_backend->pollCount() >= 2);

    // A server that is down: asked 1 s, then 2 s... later (here capped at 1 s).
    m_api->setOverride([](const HttpRequest &) { return HttpResponse::drop(); });
    const int before = m_backend->pollCount();
    QTest::qWait(2200);
    QVERIFY2(m_backend->pollCount() - before <= 4,
             qPrintable(QString::number(m_backend->pollCount() - before)));
}

void tst_ServerBackend::cancelDeletes()
{
    requestAndWait();
    const QByteArray id = m_backend->verificationId(number());
    QCOMPARE(id, m_api->id);
    m_flow->cancel(); // Edit number, a closed window, a kiosk reset
    m_backend->finishCancellations(5s);
    const QList<HttpRequest> deletes = m_api->requests("DELETE");
    QCOMPARE(deletes.size(), 1);
    QCOMPARE(deletes.constFirst().path(),
             QStringLiteral("/v1/verifications/") + QString::fromLatin1(id));
    QVERIFY(m_backend->verificationId(number()).isEmpty());

    // A code that arrives after the person went back is cancelled as well.
    QSignalSpy requested(m_backend.get(), &VerificationBackend::codeRequested);
    QVERIFY(m_flow->request(number(), Purpose::SignUp));
    m_flow->cancel();
    QVERIFY(requested.wait(Wait));
    m_backend->finishCancellations(5s);
    QCOMPARE(m_api->requests("DELETE").size(), 2);
}

// The window closes while the first code is being asked for: its answer is waited for at exit,
// and the code it brings is cancelled on the server.
void tst_ServerBackend::exitWaitsForACodeOnItsWay()
{
    m_api->setOverride([this](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.method != "POST" || !r.path().endsWith(u"/v1/verifications"))
            return std::nullopt;
        QJsonObject created = m_api->shape(QStringLiteral("whatsapp"));
        created.insert(QStringLiteral("phone"), number().e164());
        created.insert(QStringLiteral("flow"), QStringLiteral("signup"));
        HttpResponse late = HttpResponse::raw(
            201, QJsonDocument(created).toJson(QJsonDocument::Compact), "application/json");
        late.delay = 300ms;
        return late;
    });
    QVERIFY(m_flow->request(number(), Purpose::SignUp));
    m_flow->cancel(); // the window closes
    m_backend->finishCancellations(5s); // the process is about to exit
    QCOMPARE(m_api->requests("DELETE").size(), 1);
}

void tst_ServerBackend::exitWaitsForCancelsNoLongerThanAllowed()
{
    requestAndWait();
    m_api->setOverride([](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.method == "DELETE")
            return HttpResponse::hang();
        return std::nullopt;
    });
    m_flow->cancel();
    QElapsedTimer waited;
    waited.start();
    m_backend->finishCancellations(300ms); // a process about to exit
    QVERIFY2(waited.elapsed() >= 250 && waited.elapsed() < 3000,
             qPrintable(QString::number(waited.elapsed())));
    QCOMPARE(m_api->requests("DELETE").size(), 1);
    waited.restart();
    m_backend->finishCancellations(5s); // the DELETE has timed out meanwhile, or does so now
    QVERIFY(waited.elapsed() < 3000);
}

void tst_ServerBackend::sendFailures_data()
{
    using S = CodeRequestResult::Status;
    QTest::addColumn<HttpResponse>("answer");
    QTest::addColumn<CodeRequestResult::Status>("status");
    QTest::addColumn<SendError>("error");
    QTest::addColumn<QString>("words");

    QTest::newRow("hang") << HttpResponse::hang() << S::SendFailed << SendError::Server
                          << QStringLiteral("no answer in time");
    QTest::newRow("drop") << HttpResponse::drop() << S::SendFailed << SendError::Network
                          << QStringLiteral("cannot be reached");
    QTest::newRow("500 html") << HttpResponse::raw(500, "<h1>Internal Server Error</h1>",
                                                   "text/html")
                              << S::SendFailed << SendError::Server
                              << QStringLiteral("not the API's JSON (HTTP 500)");
    QTest::newRow("503 store") << FakeVerificationApi::error(
        503, QStringLiteral("store_unavailable"), {}, 5)
                               << S::Unavailable << SendError::Server
                               << QStringLiteral("HTTP 503, store_unavailable");
    QTest::newRow("429 address") << FakeVerificationApi::error(
        429, QStringLiteral("rate_limited"), {{QStringLiteral("scope"), QStringLiteral("ip")}}, 42)
                                 << S::SendFailed << SendError::RateLimited
                                 << QStringLiteral("wait 42 s");
    QTest::newRow("not json") << HttpResponse::raw(201, "hello", "text/plain") << S::SendFailed
                              << SendError::BadResponse
                              << QStringLiteral("not the API's JSON (HTTP 201)");
    HttpResponse truncated = HttpResponse::raw(201, QByteArray(200, '{'), "application/json");
    truncated.action = HttpResponse::Action::Truncate;
    QTest::newRow("cut short") << truncated << S::SendFailed << SendError::BadResponse << QString();
    HttpResponse huge = HttpResponse::raw(201, {}, "application/json");
    huge.streamBytes = 1024 * 1024;
    QTest::newRow("huge") << huge << S::SendFailed << SendError::BadResponse
                          << QStringLiteral("larger than 64 KiB");
    HttpResponse redirect = HttpResponse::raw(302, {});
    redirect.headers.append(std::pair<QByteArray, QByteArray>("Location", "http://example.com/"));
    QTest::newRow("redirect") << redirect << S::SendFailed << SendError::BadResponse
                              << QStringLiteral("HTTP 302");
}

void tst_ServerBackend::sendFailures()
{
    QFETCH(HttpResponse, answer);
    m_api->setOverride([answer](const HttpRequest &) { return answer; });
    QSignalSpy refused(m_flow.get(), &VerificationFlow::requestRefused);
    QVERIFY(m_flow->request(number(), Purpose::SignUp));
    QVERIFY(refused.wait(Wait));
    const auto result = refused.constFirst().constFirst().value<CodeRequestResult>();
    QTEST(result.status, "status");
    QTEST(result.send.error, "error");
    QFETCH(QString, words);
    QVERIFY2(!result.send.detail.isEmpty() && result.send.detail.contains(words),
             qPrintable(result.send.detail));
    QCOMPARE(m_flow->step(), VerificationFlow::Step::Number);
    // Never sent twice behind the person's back (a second code, the first one void).
    QCOMPARE(m_api->requests("POST", QStringLiteral("/v1/verifications")).size(), 1);

    // The person tries again once the server is well.
    m_api->setOverride({});
    QCOMPARE(requestAndWait().number, number());
}

void tst_ServerBackend::unreachable()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close(); // nothing listens there now
    makeBackend(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    const CodeRequestResult result = refusedRequest();
    QCOMPARE(result.send.error, SendError::Network);
    QVERIFY2(result.send.detail.contains(u"cannot be reached: the connection was refused"),
             qPrintable(result.send.detail));
}

void tst_ServerBackend::tlsFailure()
{
    QSslCertificate certificate;
    QSslKey key;
    QString why;
    if (!HttpTestServer::makeSelfSignedCertificate(&certificate, &key, &why))
        QSKIP(qPrintable(why));
    HttpTestServer tls([](const HttpRequest &) { return HttpResponse::raw(200, "{}"); });
    QVERIFY(tls.listenTls(certificate, key));
    makeBackend(tls.baseUrl()); // https, with a certificate nobody trusts
    const CodeRequestResult result = refusedRequest();
    QCOMPARE(result.send.error, SendError::Network);
    QVERIFY2(result.send.detail.contains(u"cannot be reached securely: the TLS handshake failed"),
             qPrintable(result.send.detail));
    QCOMPARE(tls.requestCount(), 0); // nothing was said over it
}

void tst_ServerBackend::checkFailures_data()
{
    QTest::addColumn<HttpResponse>("answer");
    QTest::addColumn<SendError>("error");
    QTest::newRow("drop") << HttpResponse::drop() << SendError::Network;
    QTest::newRow("hang") << HttpResponse::hang() << SendError::Server;
    QTest::newRow("502") << HttpResponse::raw(502, "Bad Gateway") << SendError::Server;
    QTest::newRow("429 address") << FakeVerificationApi::error(
        429, QStringLiteral("rate_limited"), {{QStringLiteral("scope"), QStringLiteral("ip")}}, 90)
                                 << SendError::RateLimited;
}

void tst_ServerBackend::checkFailures()
{
    QFETCH(HttpResponse, answer);
    requestAndWait();
    m_api->setOverride([answer](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.path().endsWith(u"/check"))
            return answer;
        return std::nullopt;
    });
    QSignalSpy failed(m_flow.get(), &VerificationFlow::checkFailed);
    QVERIFY(m_flow->check(QStringLiteral("123456")));
    QVERIFY(failed.wait(Wait));
    const auto result = failed.constFirst().constFirst().value<VerifyResult>();
    QCOMPARE(result.status, VerifyResult::Status::Unavailable);
    QTEST(result.providerError.error, "error");
    if (result.providerError.error == SendError::RateLimited)
        QCOMPARE(result.providerError.retryAfter, 90s);
    // One check, not a second one after a dropped connection (it would be not_found).
    QCOMPARE(m_api->requests("POST", QStringLiteral("/check")).size(), 1);

    // Checked again once the server answers: the code is still there.
    m_api->setOverride({});
    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(QStringLiteral("123456")));
    QVERIFY(verified.wait(Wait));
}

void tst_ServerBackend::serverGoesAwayMidFlow()
{
    requestAndWait();
    m_api.reset(); // the server is gone; its port refuses connections
    QSignalSpy failed(m_flow.get(), &VerificationFlow::checkFailed);
    QVERIFY(m_flow->check(QStringLiteral("123456")));
    QVERIFY(failed.wait(Wait));
    QCOMPARE(failed.constFirst().constFirst().value<VerifyResult>().providerError.error,
             SendError::Network);
    QSignalSpy refused(m_flow.get(), &VerificationFlow::requestRefused);
    QVERIFY(m_flow->resend(Channel::WhatsApp));
    QVERIFY(refused.wait(Wait));
    QCOMPARE(m_flow->step(), VerificationFlow::Step::Code);
    m_flow->cancel(); // its DELETE fails too: nothing hangs
    m_backend->finishCancellations(5s);
}

void tst_ServerBackend::demoCodesOnlyFromADemoServer()
{
    QSignalSpy shown(m_backend.get(), &RemoteVerificationBackend::codeShown);
    QSignalSpy known(m_backend.get(), &RemoteVerificationBackend::serviceKnown);
    // A "demo_code" from a server that doesn't say it is a demo one is not shown.
    m_api->setOverride([this](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.method != "POST")
            return std::nullopt;
        QJsonObject o = m_api->shape(QStringLiteral("whatsapp"));
        o.insert(QStringLiteral("demo_code"), QStringLiteral("654321"));
        return HttpResponse::json(201, o);
    });
    requestAndWait();
    QCOMPARE(shown.size(), 0);
    QCOMPARE(known.size(), 1);
    QCOMPARE(known.constFirst().constFirst().toBool(), false);
    QVERIFY(!m_backend->isDemoService());
    m_flow->cancel();

    m_api->setOverride({});
    m_api->extra.insert(QStringLiteral("demo"), true);
    requestAndWait();
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.constFirst().at(1).toString(), m_api->code);
    QVERIFY(m_backend->isDemoService());
}

void tst_ServerBackend::probe()
{
    m_api->extra.insert(QStringLiteral("demo"), true);
    QSignalSpy known(m_backend.get(), &RemoteVerificationBackend::serviceKnown);
    m_backend->probe();
    QVERIFY(known.wait(Wait));
    QCOMPARE(known.constFirst().constFirst().toBool(), true);
    QCOMPARE(m_api->requests("GET", QStringLiteral("/healthz")).size(), 1);

    m_api->setOverride([](const HttpRequest &) { return HttpResponse::raw(200, "<html>"); });
    QSignalSpy unreachable(m_backend.get(), &RemoteVerificationBackend::serviceUnreachable);
    m_backend->probe();
    QVERIFY(unreachable.wait(Wait));
    QVERIFY(unreachable.constFirst().constFirst().toString().contains(u"not the API's JSON"));
}

void tst_ServerBackend::serverCheck_data()
{
    QTest::addColumn<HttpResponse>("ready");
    QTest::addColumn<HttpResponse>("keys");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("words");
    const QJsonObject key {{QStringLiteral("kty"), QStringLiteral("EC")},
                           {QStringLiteral("crv"), QStringLiteral("P-256")},
                           {QStringLiteral("kid"), QStringLiteral("k1")},
                           {QStringLiteral("x"), QStringLiteral("xx")},
                           {QStringLiteral("y"), QStringLiteral("yy")}};
    const HttpResponse ready =
        HttpResponse::json(200, {{QStringLiteral("status"), QStringLiteral("ready")}});
    const HttpResponse oneKey =
        HttpResponse::json(200, {{QStringLiteral("keys"), QJsonArray {key}}});
    QJsonObject secret = key;
    secret.insert(QStringLiteral("d"), QStringLiteral("private"));
    QTest::newRow("good") << ready << oneKey << true
                          << QStringLiteral("is ready and publishes 1 signing key(s)");
    QTest::newRow("not ready") << FakeVerificationApi::error(
        503, QStringLiteral("not_ready"),
        {{QStringLiteral("not_ready"), QJsonArray {QStringLiteral("database")}}}, 5)
                               << oneKey << false << QStringLiteral("not ready (database)");
    QTest::newRow("no keys") << ready
                             << HttpResponse::json(200, {{QStringLiteral("keys"), QJsonArray()}})
                             << false << QStringLiteral("publishes no signing key");
    QTest::newRow("private key") << ready
                                 << HttpResponse::json(
                                        200, {{QStringLiteral("keys"), QJsonArray {secret}}})
                                 << false << QStringLiteral("not a public P-256 signing key");
    QTest::newRow("not the api") << HttpResponse::raw(200, "It works!") << oneKey << false
                                 << QStringLiteral("not the API's JSON");
}

void tst_ServerBackend::serverCheck()
{
    QFETCH(HttpResponse, ready);
    QFETCH(HttpResponse, keys);
    m_api->setOverride([&](const HttpRequest &r) -> std::optional<HttpResponse> {
        if (r.path() == u"/readyz")
            return ready;
        if (r.path() == u"/.well-known/jwks.json")
            return keys;
        return std::nullopt;
    });
    ServerCheck check(m_api->url(), m_nam.get(), shortTimings());
    QSignalSpy finished(&check, &ServerCheck::finished);
    check.start();
    QVERIFY(finished.wait(Wait));
    QTEST(finished.constFirst().at(0).toBool(), "ok");
    QFETCH(QString, words);
    QVERIFY2(finished.constFirst().at(1).toString().contains(words),
             qPrintable(finished.constFirst().at(1).toString()));
}

QTEST_GUILESS_MAIN(tst_ServerBackend)
#include "tst_serverbackend.moc"
