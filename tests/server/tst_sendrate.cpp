// waotp-server's send-rate governor against the loopback fake Twilio, in real time:
// max_sends_per_second = 5 and 50 creates at once (the fake never sees more than 5 in any
// second, none is lost, the queue positions and waits each answer gave are honest, /metrics
// shows the queue); a queue too small refuses the excess with 503 send_queue_full and
// Retry-After; Twilio's 429 / 20429 slows the rate down and the send is retried, not failed;
// and the same 50 creates spread over three waotp-server processes sharing one Redis.
#include "FakeClock.h"
#include "FakeTwilioServer.h"
#include "RedisServer.h"
#include "WaotpServerProcess.h"
#include "server/Server.h"
#include "server/api/VerificationApi.h"

#include "engine/SendGovernor.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

namespace {

struct Answer
{
    int status = 0;
    QJsonObject json;
    QByteArray retryAfter;
    QString phone;
    Steady::time_point at; ///< when the answer arrived
};

QString phone(int i)
{
    return QStringLiteral("+9198765%1").arg(10000 + i);
}

qint64 ms(Steady::duration d)
{
    return std::chrono::duration_cast<milliseconds>(d).count();
}

// The creates the fake Twilio received, by arrival: no six within a second. The slots are
// exactly 1/rate apart (tst_sendgovernor, tst_redissendrate); a send leaves at its slot and
// arrives a moment later, and on a loaded machine (the test, the servers and the fake share two
// cores) that moment varies by tens of milliseconds (32 ms seen with a build running): 100 ms
// are allowed for it.
void checkRate(const QList<test::HttpRequest> &creates, int perSecond)
{
    for (qsizetype i = 0; i + perSecond < creates.size(); ++i) {
        const qint64 gap = ms(creates[i + perSecond].received - creates[i].received);
        QVERIFY2(
            gap >= 1000 - 100,
            qPrintable(
                QStringLiteral("sends %1 to %2 within %3 ms").arg(i).arg(i + perSecond).arg(gap)));
    }
}

// Waits for @p count creates at the fake Twilio; checks that no more than @p perSecond came in
// any second, and that each went to another number (none lost, none twice).
QList<test::HttpRequest> allCreates(const FakeTwilioServer &twilio, int count, int perSecond)
{
    if (!QTest::qWaitFor([&] { return twilio.messageCreates().size() >= count; }, 15000))
        QTest::qFail("not every send reached Twilio", __FILE__, __LINE__);
    const QList<test::HttpRequest> creates = twilio.messageCreates();
    checkRate(creates, perSecond);
    QSet<QString> to;
    for (const test::HttpRequest &r : creates)
        to.insert(r.formValue(QStringLiteral("To")));
    if (to.size() != count)
        QTest::qFail(qPrintable(QStringLiteral("%1 numbers reached Twilio").arg(to.size())),
                     __FILE__, __LINE__);
    return creates;
}

// Honest places in line: between its answer and its own arrival at Twilio, as many sends
// arrived as its queue_position said were ahead of it (one more or less for a send that was on
// the wire at that moment), and it arrived about when its queue_wait said (whole seconds,
// rounded up). Returns how many answers were queued.
int checkPlaces(const QList<Answer> &answers, const QList<test::HttpRequest> &creates,
                bool checkWait)
{
    QHash<QString, qsizetype> arrival;
    for (qsizetype i = 0; i < creates.size(); ++i)
        arrival.insert(creates[i].formValue(QStringLiteral("To")).mid(9), i);
    int queued = 0;
    for (const Answer &a : answers) {
        if (!a.json.contains(u"queue_position"))
            continue;
        ++queued;
        const int position = a.json.value(u"queue_position").toInt();
        const qsizetype own = arrival.value(a.phone, -1);
        if (own < 0 || position < 1) {
            QTest::qFail("a queued send never arrived", __FILE__, __LINE__);
            return queued;
        }
        qsizetype ahead = 0;
        for (qsizetype i = 0; i < own; ++i)
            ahead += creates[i].received > a.at ? 1 : 0;
        if (std::abs(ahead - (position - 1)) > 1) {
            QTest::qFail(qPrintable(QStringLiteral("%1 at position %2, but %3 went before it")
                                        .arg(a.phone)
                                        .arg(position)
                                        .arg(ahead)),
                         __FILE__, __LINE__);
            return queued;
        }
        const qint64 waited = ms(creates[own].received - a.at);
        const qint64 said = a.json.value(u"queue_wait").toInteger() * 1000;
        if (checkWait && (waited > said + 300 || waited < said - 1000 - 300)) {
            QTest::qFail(qPrintable(QStringLiteral("position %1: said %2 ms, waited %3 ms")
                                        .arg(position)
                                        .arg(said)
                                        .arg(waited)),
                         __FILE__, __LINE__);
            return queued;
        }
    }
    return queued;
}

} // namespace

class tst_SendRate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void fiftyCreatesAtFivePerSecond();
    void smallQueueRefusesWith503();
    void twilioRateLimitSlowsDownAndRetries();
    void threeInstancesShareTheRate();
    void silentSendsWaitInLine();
    void cancelledOrReplacedSendsNeverGoOut();
    void aStopInMemoryGivesTheQueueUpAtOnce();
    void aVerifyCodeCancelledOnItsWayIsCancelledAtTwilio();

private:
    void startServer(int perSecond, int queueLimit, const Clock *clock = nullptr,
                     bool verify = false);
    Answer call(const QByteArray &method, const QString &path, const QJsonObject &body = {});
    /// Creates a verification of each of @p phones at once (sign-ups, or @p flows), spread
    /// over the servers of @p spread if given.
    QList<Answer> createAll(const QUrl &base, const QList<QString> &phones,
                            const QList<QUrl> &spread = {}, const QStringList &flows = {});
    QByteArray get(const QUrl &url);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeTwilioServer> m_twilio;
    SteadyClock m_clock;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void tst_SendRate::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_twilio = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_twilio->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void tst_SendRate::cleanup()
{
    m_nam.reset();
    m_server.reset();
    m_twilio.reset();
}

void tst_SendRate::startServer(int perSecond, int queueLimit, const Clock *clock, bool verify)
{
    ServerSetup setup;
    setup.config.twilio = m_twilio->settings();
    if (verify)
        setup.config.twilio.verifyServiceSid = FakeTwilioServer::verifyServiceSid();
    setup.settings.listenPort = 0;
    setup.settings.dataDir = m_dir->filePath(QStringLiteral("data"));
    setup.settings.signingKeyDir = m_dir->filePath(QStringLiteral("data/keys"));
    setup.settings.accessLog = false;
    setup.settings.sendsPerIp = RateLimit {1000, std::chrono::minutes(5)};
    setup.settings.maxSendsPerMinute = 0;
    setup.settings.maxSendsPerSecond = perSecond;
    setup.settings.sendQueueLimit = queueLimit;
    setup.config.policy.firstResendCooldown = 0s;
    QString error;
    m_server = Server::create(setup, clock ? *clock : m_clock, &error);
    QVERIFY2(m_server, qPrintable(error));
    QVERIFY(m_server->governor());
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

QList<Answer> tst_SendRate::createAll(const QUrl &base, const QList<QString> &phones,
                                      const QList<QUrl> &spread, const QStringList &flows)
{
    QList<Answer> answers(phones.size());
    int left = int(phones.size());
    for (qsizetype i = 0; i < phones.size(); ++i) {
        const QUrl server = spread.isEmpty() ? base : spread.at(i % spread.size());
        QNetworkRequest request(QUrl(server.toString() + u"/v1/verifications"));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        const QJsonObject body {{QStringLiteral("phone"), phones[i]},
                                {QStringLiteral("flow"), flows.value(i, QStringLiteral("signup"))}};
        QNetworkReply *reply = m_nam->post(request, QJsonDocument(body).toJson());
        answers[i].phone = phones[i];
        connect(reply, &QNetworkReply::finished, this, [reply, &answers, &left, i] {
            Answer &a = answers[i];
            a.at = Steady::now();
            a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            a.json = QJsonDocument::fromJson(reply->readAll()).object();
            a.retryAfter = reply->rawHeader("Retry-After");
            reply->deleteLater();
            --left;
        });
    }
    if (!QTest::qWaitFor([&left] { return left == 0; }, 30000))
        qWarning("not every create was answered");
    return answers;
}

Answer tst_SendRate::call(const QByteArray &method, const QString &path, const QJsonObject &body)
{
    QNetworkRequest request(QUrl(m_server->url().toString() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = m_nam->sendCustomRequest(
        request, method, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson());
    Answer a;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        reply->abort();
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.json = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return a;
}

QByteArray tst_SendRate::get(const QUrl &url)
{
    QNetworkReply *reply = m_nam->get(QNetworkRequest(url));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        return {};
    const QByteArray body = reply->readAll();
    delete reply;
    return body;
}

void tst_SendRate::fiftyCreatesAtFivePerSecond()
{
    startServer(5, 1000);
    QList<QString> phones;
    for (int i = 0; i < 50; ++i)
        phones.append(phone(i));
    const Steady::time_point start = Steady::now();
    const QList<Answer> answers = createAll(m_server->url(), phones);

    // Every create is answered at once: 201, and those that wait say where and for how long.
    int atOnce = 0;
    for (const Answer &a : answers) {
        QCOMPARE(a.status, 201);
        QCOMPARE(a.json.value(u"delivery").toString(), QStringLiteral("queued"));
        QVERIFY2(ms(a.at - start) < 3000, qPrintable(QString::number(ms(a.at - start))));
        if (!a.json.contains(u"queue_position"))
            ++atOnce;
    }
    QVERIFY(atOnce >= 1 && atOnce <= 2);
    // While they wait, /metrics shows the queue.
    const QByteArray metrics = get(QUrl(m_server->url().toString() + u"/metrics"));
    QVERIFY2(metrics.contains("waotp_send_queue_length "), metrics.constData());
    QVERIFY(!metrics.contains("waotp_send_queue_length 0\n"));

    // All 50 reach Twilio, at 5 per second: about ten seconds.
    const QList<test::HttpRequest> creates = allCreates(*m_twilio, 50, 5);
    QCOMPARE(creates.size(), 50);
    const int queued = checkPlaces(answers, creates, true);
    QCOMPARE(queued + atOnce, 50);
    const QByteArray after = get(QUrl(m_server->url().toString() + u"/metrics"));
    QVERIFY(after.contains("waotp_send_queue_length 0\n"));
    QVERIFY2(
        after.contains(QByteArray(QByteArray("waotp_send_queue_sends_total{result=\"queued\"} ")
                                  + QByteArray::number(queued) + '\n')),
        after.constData());
    QVERIFY(after.contains("waotp_send_queue_refused_total{reason=\"full\"} 0\n"));
    QVERIFY(after.contains("waotp_send_queue_wait_seconds_count "));
}

void tst_SendRate::smallQueueRefusesWith503()
{
    startServer(2, 3);
    QList<QString> phones;
    for (int i = 0; i < 8; ++i)
        phones.append(phone(100 + i));
    const QList<Answer> answers = createAll(m_server->url(), phones);
    int accepted = 0;
    int refused = 0;
    for (const Answer &a : answers) {
        if (a.status == 201) {
            ++accepted;
            continue;
        }
        QCOMPARE(a.status, 503);
        QCOMPARE(a.json.value(u"error").toString(), QStringLiteral("send_queue_full"));
        QVERIFY(a.retryAfter.toInt() >= 1);
        QCOMPARE(a.json.value(u"retry_after").toInt(), a.retryAfter.toInt());
        ++refused;
    }
    QCOMPARE(accepted, 4); // one at once, three in the queue
    QCOMPARE(refused, 4);
    // The queued ones all go; the refused ones never do.
    QTRY_COMPARE_WITH_TIMEOUT(m_twilio->messageCreates().size(), 4, 5000);
    QTest::qWait(600);
    QCOMPARE(m_twilio->messageCreates().size(), 4);
    const QByteArray metrics = get(QUrl(m_server->url().toString() + u"/metrics"));
    QVERIFY2(metrics.contains("waotp_send_queue_refused_total{reason=\"full\"} 4\n"),
             metrics.constData());
}

void tst_SendRate::twilioRateLimitSlowsDownAndRetries()
{
    startServer(5, 100);
    // Twilio refuses the first send for its concurrency (20429, Retry-After: 1), then accepts.
    int seen = 0;
    m_twilio->setOverride([&seen](const test::HttpRequest &r) -> std::optional<test::HttpResponse> {
        if (r.method != "POST" || ++seen > 1)
            return std::nullopt;
        return FakeTwilioServer::error(429, 20429, QStringLiteral("Too Many Requests"),
                                       {{"Retry-After", "1"}});
    });
    const QList<Answer> answers = createAll(m_server->url(), {phone(200), phone(201)});
    // Neither fails. The second waits its slot (it came while the first was with Twilio); the
    // first is back in line after Twilio's pause (behind the second's slot, which the pause
    // then moves behind it: the second goes last).
    QCOMPARE(answers[0].status, 201);
    QCOMPARE(answers[0].json.value(u"queue_wait").toInt(), 1);
    QVERIFY(answers[0].json.value(u"queue_position").toInt() >= 1);
    QCOMPARE(answers[1].status, 201);
    QCOMPARE(answers[1].json.value(u"queue_position").toInt(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(m_twilio->messageCreates().size(), 3, 5000);
    const QList<test::HttpRequest> creates = m_twilio->messageCreates();
    QCOMPARE(creates[1].formValue(QStringLiteral("To")),
             creates[0].formValue(QStringLiteral("To")));
    // Retry-After honoured, then the halved rate (one every 400 ms).
    QVERIFY2(ms(creates[1].received - creates[0].received) >= 1000 - 100,
             qPrintable(QString::number(ms(creates[1].received - creates[0].received))));
    QVERIFY2(ms(creates[2].received - creates[1].received) >= 400 - 100,
             qPrintable(QString::number(ms(creates[2].received - creates[1].received))));
    const QByteArray metrics = get(QUrl(m_server->url().toString() + u"/metrics"));
    QVERIFY(metrics.contains("waotp_send_queue_slowdowns_total 1\n"));
    // The first after the 429, the second for the pause that came after its slot was given.
    QVERIFY(metrics.contains("waotp_send_queue_retries_total 2\n"));
    // The person sees a code on its way, never a failure.
    const QString id = answers[0].json.value(u"id").toString();
    const QJsonObject v =
        QJsonDocument::fromJson(get(QUrl(m_server->url().toString() + u"/v1/verifications/" + id)))
            .object();
    QVERIFY2(v.value(u"delivery").toString() != u"failed", QJsonDocument(v).toJson().constData());
}

void tst_SendRate::threeInstancesShareTheRate()
{
    RedisServer redis;
    if (!redis.start())
        QSKIP(qPrintable(redis.errorString()));
    QHash<QString, QString> env {
        {QStringLiteral("TWILIO_ACCOUNT_SID"), FakeTwilioServer::accountSid()},
        {QStringLiteral("TWILIO_AUTH_TOKEN"), FakeTwilioServer::authToken()},
        {QStringLiteral("TWILIO_WHATSAPP_FROM"), FakeTwilioServer::whatsappFrom()},
        {QStringLiteral("TWILIO_API_BASE_URL"), m_twilio->baseUrl().toString()},
        {QStringLiteral("WAOTP_STORE"), redis.url()},
        {QStringLiteral("WAOTP_STORE_SECRET"),
         QStringLiteral("test-store-secret-0000000000000000")},
        {QStringLiteral("WAOTP_MAX_SENDS_PER_SECOND"), QStringLiteral("5")},
        {QStringLiteral("WAOTP_MAX_SENDS_PER_MINUTE"), QStringLiteral("0")},
        {QStringLiteral("WAOTP_SENDS_PER_IP"), QStringLiteral("off")},
        {QStringLiteral("WAOTP_ACCESS_LOG"), QStringLiteral("off")},
    };
    std::vector<std::unique_ptr<WaotpServerProcess>> servers;
    QList<QUrl> urls;
    for (int i = 0; i < 3; ++i) {
        servers.push_back(std::make_unique<WaotpServerProcess>(
            QStringLiteral(WAOTP_SERVER_BINARY), m_dir->filePath(QStringLiteral("data%1").arg(i))));
        QVERIFY2(servers.back()->start({}, env), servers.back()->log().constData());
        urls.append(servers.back()->url());
    }
    QList<QString> phones;
    for (int i = 0; i < 50; ++i)
        phones.append(phone(300 + i));
    const QList<Answer> answers = createAll({}, phones, urls);
    int queued = 0;
    for (const Answer &a : answers) {
        QCOMPARE(a.status, 201);
        if (a.json.contains(u"queue_position"))
            ++queued;
    }
    QVERIFY(queued >= 45);
    const QList<test::HttpRequest> creates = allCreates(*m_twilio, 50, 5);
    QCOMPARE(creates.size(), 50);
    // The places in line count the sends of every instance.
    QCOMPARE(checkPlaces(answers, creates, true), queued);
    for (auto &s : servers)
        QVERIFY(s->stop());
}

void tst_SendRate::silentSendsWaitInLine()
{
    // Sign-ins of numbers without an account (sent nowhere) between sign-ups (sent): every
    // answer takes its own place in one line, so queue_position does not tell them apart. On a
    // fake clock, so that no slot passes while the answers are given.
    FakeClock clock;
    startServer(5, 1000, &clock);
    SendGovernor &governor = *m_server->governor();
    QList<QString> phones;
    QStringList flows;
    for (int i = 0; i < 20; ++i) {
        phones.append(phone(i));
        flows.append(i % 2 ? QStringLiteral("signin") : QStringLiteral("signup"));
    }
    const QList<Answer> answers = createAll(m_server->url(), phones, {}, flows);
    QMap<int, int> signUpsAt; // queue position (0: went at once) -> sign-ups there
    QList<int> positions;
    int silentQueued = 0;
    for (qsizetype i = 0; i < answers.size(); ++i) {
        const Answer &a = answers[i];
        QCOMPARE(a.status, 201);
        QCOMPARE(a.json.keys().contains(u"demo_code"), false);
        const int position = a.json.value(u"queue_position").toInt();
        if (a.json.contains(u"queue_position")) {
            positions.append(position);
            silentQueued += i % 2;
        }
        signUpsAt[position] += i % 2 ? 0 : 1;
    }
    std::sort(positions.begin(), positions.end());
    QVERIFY2(positions.size() >= 18, qPrintable(QString::number(positions.size())));
    QCOMPARE(positions.first(), 1);
    for (qsizetype i = 1; i < positions.size(); ++i)
        QCOMPARE(positions[i], positions[i - 1] + 1); // one line, no place skipped or shared
    QVERIFY2(silentQueued >= 9, qPrintable(QString::number(silentQueued)));

    // Slot by slot (1/5 s each), exactly the sign-ups whose place has come reach Twilio: the
    // silent ones hold their slots, so ten sends take the time of twenty.
    int due = signUpsAt.value(0);
    QVERIFY(QTest::qWaitFor([&] { return m_twilio->messageCreates().size() == due; }, 5000));
    for (int slot = 1; slot <= positions.last(); ++slot) {
        clock.advance(200ms);
        governor.wake();
        due += signUpsAt.value(slot);
        QVERIFY2(QTest::qWaitFor([&] { return m_twilio->messageCreates().size() >= due; }, 5000),
                 qPrintable(QStringLiteral("slot %1: %2 of %3 sends")
                                .arg(slot)
                                .arg(m_twilio->messageCreates().size())
                                .arg(due)));
        QCOMPARE(m_twilio->messageCreates().size(), due);
    }
    QCOMPARE(due, 10);
    QTest::qWait(300); // time for a silent send that would wrongly go out after all
    const QList<test::HttpRequest> creates = m_twilio->messageCreates();
    QCOMPARE(creates.size(), 10);
    for (const test::HttpRequest &r : creates)
        QVERIFY(flows.at(phones.indexOf(r.formValue(QStringLiteral("To")).mid(9))) == u"signup");
}

// At one send a second, on a fake clock: of five sends waiting in line, one is cancelled, one
// replaced by a resend and one by a new verification of its number. When their slots come the
// old codes are dropped (Twilio never sees them), the sends behind move up, and a send asked
// for afterwards is told its place among the sends that really wait.
void tst_SendRate::cancelledOrReplacedSendsNeverGoOut()
{
    FakeClock clock;
    startServer(1, 100, &clock);
    SendGovernor &governor = *m_server->governor();
    QList<Answer> answers;
    for (int i = 0; i < 5; ++i) {
        answers.append(call("POST", QStringLiteral("/v1/verifications"),
                            {{QStringLiteral("phone"), phone(i)},
                             {QStringLiteral("flow"), QStringLiteral("signup")}}));
        QCOMPARE(answers[i].status, 201);
        QCOMPARE(answers[i].json.value(u"queue_position").toInt(), i); // absent for the first
    }
    QVERIFY(QTest::qWaitFor([&] { return m_twilio->messageCreates().size() == 1; }, 5000));
    const auto id = [&](int i) { return answers[i].json.value(u"id").toString(); };

    // 1 is cancelled, 2 sent again, 3 asked for anew: the new codes take the last places.
    QCOMPARE(call("DELETE", u"/v1/verifications/"_qs + id(1)).status, 204);
    const Answer resent = call("POST", u"/v1/verifications/%1/resend"_qs.arg(id(2)));
    QCOMPARE(resent.status, 201);
    QCOMPARE(resent.json.value(u"queue_position").toInt(), 5);
    const Answer renewed = call(
        "POST", QStringLiteral("/v1/verifications"),
        {{QStringLiteral("phone"), phone(3)}, {QStringLiteral("flow"), QStringLiteral("signup")}});
    QCOMPARE(renewed.status, 201);
    QCOMPARE(renewed.json.value(u"queue_position").toInt(), 6);
    QCOMPARE(governor.stats().waiting, 6);

    // The first slot: 1, 2 and 3 are dropped in turn, 4 takes it.
    clock.advance(1s);
    governor.wake();
    QVERIFY(QTest::qWaitFor([&] { return m_twilio->messageCreates().size() == 2; }, 5000));
    QCOMPARE(m_twilio->messageCreates().last().formValue(QStringLiteral("To")),
             u"whatsapp:"_qs + phone(4));
    QCOMPARE(governor.stats().droppedInQueue, quint64(3));
    QCOMPARE(governor.stats().waiting, 2);
    // Two really wait: a new send is third, three seconds away.
    const Answer after = call(
        "POST", QStringLiteral("/v1/verifications"),
        {{QStringLiteral("phone"), phone(5)}, {QStringLiteral("flow"), QStringLiteral("signup")}});
    QCOMPARE(after.json.value(u"queue_position").toInt(), 3);
    QCOMPARE(after.json.value(u"queue_wait").toInt(), 3);
    for (int slot = 0; slot < 3; ++slot) {
        clock.advance(1s);
        governor.wake();
    }
    QVERIFY(QTest::qWaitFor([&] { return m_twilio->messageCreates().size() == 5; }, 5000));
    QTest::qWait(200); // time for a dropped send that would wrongly go out after all
    QStringList to;
    for (const test::HttpRequest &r : m_twilio->messageCreates())
        to.append(r.formValue(QStringLiteral("To")).mid(9));
    QCOMPARE(to, (QStringList {phone(0), phone(4), phone(2), phone(3), phone(5)}));
    QCOMPARE(governor.stats().droppedInQueue, quint64(3));
    QVERIFY(get(QUrl(m_server->url().toString() + u"/metrics"))
                .contains("waotp_send_queue_dropped_total 3\n"));
    // GET tells the same story: cancelled, replaced, pending with its new code.
    const auto status = [&](const QString &verification) {
        return call("GET", u"/v1/verifications/"_qs + verification).json.value(u"status");
    };
    QCOMPARE(status(id(1)).toString(), u"canceled"_qs);
    QCOMPARE(status(id(2)).toString(), u"pending"_qs);
    QCOMPARE(status(id(3)).toString(), u"canceled"_qs);
    QCOMPARE(status(renewed.json.value(u"id").toString()).toString(), u"pending"_qs);
}

// Verifications in memory end with the instance: a stop does not send their queued codes.
void tst_SendRate::aStopInMemoryGivesTheQueueUpAtOnce()
{
    startServer(1, 100);
    const QList<Answer> answers = createAll(m_server->url(), {phone(1), phone(2), phone(3)});
    for (const Answer &a : answers)
        QCOMPARE(a.status, 201);
    QTRY_COMPARE(m_twilio->messageCreates().size(), 1);
    QCOMPARE(m_server->governor()->owed(), 2);
    bool stopped = false;
    m_server->stop([&stopped] { stopped = true; }, 60s);
    QTRY_VERIFY_WITH_TIMEOUT(stopped, 10000); // not at the deadline
    QCOMPARE(m_server->governor()->owed(), 0);
    QCOMPARE(m_server->governor()->stats().waiting, 0);
    QTest::qWait(1200); // the next slot's time
    QCOMPARE(m_twilio->messageCreates().size(), 1);
}

// Twilio Verify makes the code: a verification cancelled after its queued send left the line,
// before Twilio answered it, is cancelled at Twilio once Twilio names it (until then the server
// cannot name it; left there, the code would stay valid at Twilio for its 10 minutes).
void tst_SendRate::aVerifyCodeCancelledOnItsWayIsCancelledAtTwilio()
{
    FakeClock clock;
    startServer(1, 100, &clock, true);
    const auto create = [this](int i) {
        return call("POST", QStringLiteral("/v1/verifications"),
                    {{QStringLiteral("phone"), phone(i)},
                     {QStringLiteral("flow"), QStringLiteral("signup")}});
    };
    QCOMPARE(create(0).status, 201); // takes this second's slot
    const Answer queued = create(1);
    QCOMPARE(queued.status, 201);
    QCOMPARE(queued.json.value(u"queue_position").toInt(), 1);

    // Its slot: the server asks Twilio, which takes its time to answer.
    m_twilio->verificationCreateDelay = 3000ms;
    clock.advance(1s);
    m_server->governor()->wake();
    QVERIFY(QTest::qWaitFor([&] { return m_twilio->verificationCreates().size() == 2; }, 5000));
    QCOMPARE(call("DELETE", u"/v1/verifications/"_qs + queued.json.value(u"id").toString()).status,
             204);
    QVERIFY(m_twilio->verificationUpdates().isEmpty()); // Twilio has not named it yet

    QVERIFY(QTest::qWaitFor([&] { return !m_twilio->verificationUpdates().isEmpty(); }, 5000));
    QTest::qWait(200); // time for a second cancel that should not come
    const QList<test::HttpRequest> updates = m_twilio->verificationUpdates();
    QCOMPARE(updates.size(), 1);
    QVERIFY2(updates.first().path().contains(u"/Verifications/VE"),
             qPrintable(updates.first().path()));
    QCOMPARE(updates.first().formValue(QStringLiteral("Status")), u"canceled"_qs);
    // The other verification, still open, keeps its code at Twilio.
}

QTEST_GUILESS_MAIN(tst_SendRate)
#include "tst_sendrate.moc"
