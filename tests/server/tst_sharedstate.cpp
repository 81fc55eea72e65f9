// Two waotp-server instances sharing one redis-server (started by the test on a free loopback
// port): a verification created through one is seen, checked, resent and cancelled through the
// other; the per-client limits and the send budget count across both; two right checks at once
// give one approval and one token; a long poll at one is woken by a change made at the other
// (an approval, a cancel, a Twilio status callback); Redis gone answers 503 and /readyz says
// not ready. Also the verification store itself against Redis.
#include "FakeClock.h"
#include "FakeTwilioServer.h"
#include "RedisServer.h"
#include "server/Server.h"
#include "server/api/RedisVerificationStore.h"
#include "server/api/VerificationApi.h"

#include "engine/DemoSender.h"
#include "engine/SendGovernor.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "RawHttpClient.h"

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

const QString PublicUrl = QStringLiteral("https://auth.example.com");
const QString CallbackUrl = QStringLiteral("https://auth.example.com/v1/twilio/status");
const QByteArray Secret = "test-store-secret-0123456789abcdef";

// Two instances of the store on one Redis, the ids of the changes the second hears of, and a
// client of its own that reads Redis directly.
struct StorePair
{
    StorePair(const RedisEndpoint &endpoint, const Clock &clock)
        : store(endpoint, "waotp:", Secret, 10min, clock),
          other(endpoint, "waotp:", Secret, 10min, clock), probe(endpoint)
    {
        other.setChangedHandler([this](const QByteArray &id) { heard.insert(id); });
    }
    StorePair(const StorePair &) = delete; // the handler holds this
    StorePair &operator=(const StorePair &) = delete;

    QSet<QByteArray> heard; // first: the handler that fills it is destroyed with other
    RedisVerificationStore store;
    RedisVerificationStore other;
    RedisClient probe;
};

struct Reply
{
    int status = 0;
    QJsonObject json;
    QString string(QStringView key) const { return json.value(key).toString(); }
};

QByteArray createBody(const QString &phone)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("phone"), phone},
                                      {QStringLiteral("flow"), QStringLiteral("signup")}})
        .toJson();
}

QByteArray checkBody(const QString &code)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("code"), code}}).toJson();
}

Reply readReply(QNetworkReply *reply)
{
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.json = QJsonDocument::fromJson(reply->readAll()).object();
    return r;
}

// Twilio's recipe for X-Twilio-Signature, apart from the server's code.
QByteArray signatureOf(const QString &url, const QList<std::pair<QString, QString>> &params)
{
    QStringList pieces;
    for (const auto &[name, value] : params)
        pieces.append(name + value);
    pieces.sort();
    return QMessageAuthenticationCode::hash((url + pieces.join(QString())).toUtf8(),
                                            FakeTwilioServer::authToken().toUtf8(),
                                            QCryptographicHash::Sha1)
        .toBase64();
}

/// @p command's reply from @p client (waits for it).
RedisReply ask(RedisClient &client, const QList<QByteArray> &command)
{
    RedisReply reply;
    bool read = false;
    client.command(command, [&](const RedisReply &r) {
        reply = r;
        read = true;
    });
    if (!QTest::qWaitFor([&read] { return read; }, 5000))
        qWarning() << "unanswered:" << command;
    return reply;
}

/// The script calls (EVALSHA, EVAL) Redis has run so far (INFO commandstats).
qint64 scriptCalls(RedisClient &client)
{
    qint64 calls = 0;
    for (const QByteArray &line : ask(client, {"INFO", "commandstats"}).string.split('\n')) {
        if (!line.startsWith("cmdstat_evalsha:") && !line.startsWith("cmdstat_eval:"))
            continue;
        const qsizetype at = line.indexOf("calls=") + 6;
        calls += line.mid(at, line.indexOf(',', at) - at).toLongLong();
    }
    return calls;
}

/// The answers of store operations made at once, each by its index.
struct StoreAnswers
{
    struct Answer
    {
        bool done = false;
        VerificationStore::Result result = VerificationStore::Result::Unavailable;
        Verification v;
        bool current = false;
    };
    QList<Answer> answers;
    /// A callback for the next answer.
    VerificationStore::Done next()
    {
        const qsizetype i = answers.size();
        answers.append(Answer {});
        return [this, i](VerificationStore::Result r, const Verification &v, bool current) {
            QVERIFY2(!answers[i].done, "answered twice");
            answers[i] = {true, r, v, current};
        };
    }
    bool allDone() const
    {
        return std::all_of(answers.cbegin(), answers.cend(),
                           [](const Answer &a) { return a.done; });
    }
};

/// Makes every pass of the event loop take @p perPass longer while it lives, as a server that is
/// busy with other work: what the threads beside the loop answer meanwhile comes in together.
class BusyLoop
{
public:
    explicit BusyLoop(std::chrono::milliseconds perPass)
    {
        m_timer.setInterval(0);
        QObject::connect(&m_timer, &QTimer::timeout, [perPass] {
            QElapsedTimer spent;
            spent.start();
            while (spent.elapsed() < perPass.count()) { }
        });
        m_timer.start();
    }

private:
    QTimer m_timer;
};

} // namespace

class tst_SharedState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void storeAgainstRedis();
    void storeWritesOfOnePassGoAsOneCall();
    void storeScriptsOfOnePassGoAsOneCall();
    void storePassesKeepTheirBoundAndFailEachStep();
    void createdAtOneSeenAtTheOther();
    void resendAndAttemptsCountAcross();
    void tooManyAttemptsWaitsForTheWrongCodesAcross();
    void perClientLimitCountsAcross();
    void sendBudgetCountsAcross();
    void refusedSendGivesItsBudgetBack();
    void twoRightChecksAtOnceApproveOnce();
    void longPollWokenByTheOtherInstance();
    void statusCallbackAtOneWakesTheOther();
    void statusCallbackOfAnOlderSendIgnored();
    void statusCallbackWithAlteredReference();
    void failedSendsStoredBeforeTheSend();
    void resendSendsTheVerificationsMessage();
    void aFailedResendTellsNoNumberFromAnother();
    void lostSubscriptionAnswersWaiters();
    void redisGoneAnswers503();
    void redisFrozenAnswers503();
    void worksAsTheReadmesAclUser();
    void noNumberInClearInRedis();
    void redisCallsPerRequest();
    void queuedSendCancelledAtTheOtherNeverGoesOut();
    void stoppingInstanceSendsItsQueueOrGivesItUp();
    void verifyModeAcrossInstances();
    void verifyModeSilenceIsTheStores();
    void failureWaivesTheCooldownAtEveryInstance();
    void redisCallsPerSendWithTheGovernor();
    void createsAtOnceAnsweredEachOnItsOwn();
    void subSecondResendAtTheOtherReplacesTheQueuedCode();
    void sendRefusedAfterItsSlotGivesTheSlotBack();
    void verifyModeWrongCodesAtOnceEachCount();
    void deliveryReportsOfOnePassAreOneCall();
    void rightChecksAtOnceShareTheirCalls();
    void requestsAtOnceShareTheirCalls();
    void approvalCutShortStartsAnewAtOnce();

private:
    using Tweak = std::function<void(ServerSetup &)>;
    std::unique_ptr<Server> startServer(const Tweak &tweak = {});
    void startPair(const Tweak &tweak = {});
    /// Starts the fake Twilio; false if it cannot listen.
    bool startTwilio()
    {
        m_twilio = std::make_unique<FakeTwilioServer>();
        return m_twilio->listen();
    }
    /// Live mode at the fake Twilio, status callbacks at PublicUrl; then @p more.
    Tweak liveWithCallbacks(const Tweak &more = {})
    {
        return [this, more](ServerSetup &s) {
            s.demo = false;
            s.config.twilio = m_twilio->settings();
            s.settings.publicUrl = QUrl(PublicUrl);
            if (more)
                more(s);
        };
    }
    QNetworkReply *send(Server &server, const QByteArray &method, const QString &path,
                        const QByteArray &body = {}, const QByteArray &forwardedFor = {});
    Reply call(Server &server, const QByteArray &method, const QString &path,
               const QByteArray &body = {});
    Reply create(Server &server, const QString &phone = QStringLiteral("+919876543210"))
    {
        return call(server, "POST", QStringLiteral("/v1/verifications"), createBody(phone));
    }
    /// A status callback as Twilio posts it to @p url (the StatusCallback it was given), signed
    /// over @p signedUrl (by default @p url).
    int statusCallback(Server &server, const QString &sid, const QString &status,
                       const QString &url = CallbackUrl, const QString &signedUrl = {});
    /// The StatusCallback URL of the last message Twilio was asked to send.
    QString lastStatusCallbackUrl() const
    {
        const auto sent = m_twilio->messageCreates();
        return sent.isEmpty() ? QString() : sent.last().formValue(QStringLiteral("StatusCallback"));
    }
    class Monitor;
    /// The servers started from now on run in real time (the shared send rate is kept by
    /// Redis's clock); the guard stops them, before the clock they use goes, and gives the next
    /// ones the test's clock again.
    [[nodiscard]] auto onRealTime()
    {
        m_serverClock = &m_steady;
        return qScopeGuard([this] {
            m_a.reset();
            m_b.reset();
            m_serverClock = &m_clock;
        });
    }

    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<QTemporaryDir> m_dir;
    FakeClock m_clock;
    SteadyClock m_steady;
    const Clock *m_serverClock = &m_clock; ///< the clock of the servers a test starts
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<FakeTwilioServer> m_twilio;
    std::unique_ptr<Server> m_a;
    std::unique_ptr<Server> m_b;
    int m_servers = 0;
};

void tst_SharedState::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    if (!m_redis->start())
        QSKIP(
            qPrintable(QStringLiteral("redis-server cannot run here: ") + m_redis->errorString()));
}

void tst_SharedState::init()
{
    if (!m_redis->isRunning())
        QVERIFY(m_redis->start());
    // Each test starts from an empty server.
    m_dir = std::make_unique<QTemporaryDir>();
    m_nam = std::make_unique<QNetworkAccessManager>();
    RedisClient flush(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())));
    bool done = false;
    flush.command({"FLUSHALL"}, [&done](const RedisReply &) { done = true; });
    QTRY_VERIFY(done);
}

void tst_SharedState::cleanup()
{
    m_a.reset();
    m_b.reset();
    m_twilio.reset();
    m_nam.reset();
}

std::unique_ptr<Server> tst_SharedState::startServer(const Tweak &tweak)
{
    ServerSetup setup;
    setup.demo = true;
    setup.settings.listenAddress = QHostAddress(QHostAddress::LocalHost);
    setup.settings.listenPort = 0;
    // Each instance has a data directory of its own and shares the signing keys.
    setup.settings.dataDir = m_dir->filePath(QStringLiteral("data%1").arg(++m_servers));
    setup.settings.signingKeyDir = m_dir->filePath(QStringLiteral("keys"));
    setup.settings.allowedCountries = {QStringLiteral("IN"), QStringLiteral("US")};
    setup.settings.accessLog = false;
    setup.config.store = m_redis->url();
    setup.config.storeSecret = Secret;
    if (tweak)
        tweak(setup);
    QString error;
    auto server = Server::create(setup, *m_serverClock, &error);
    if (!server) {
        qWarning() << error;
        return nullptr;
    }
    if (!server->start(&error)) {
        qWarning() << error;
        return nullptr;
    }
    if (auto *demo = qobject_cast<DemoSender *>(&server->sender()))
        demo->setStepDelay(20ms);
    // Up when its shared state is.
    if (!QTest::qWaitFor([&server] { return server->api().isAvailable(); }, 5000))
        qWarning() << "the shared state did not come up";
    return server;
}

void tst_SharedState::startPair(const Tweak &tweak)
{
    m_a = startServer(tweak);
    m_b = startServer(tweak);
    QVERIFY(m_a && m_b);
}

QNetworkReply *tst_SharedState::send(Server &server, const QByteArray &method, const QString &path,
                                     const QByteArray &body, const QByteArray &forwardedFor)
{
    QNetworkRequest request(QUrl(server.url().toString() + path));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!forwardedFor.isEmpty())
        request.setRawHeader("X-Forwarded-For", forwardedFor);
    return m_nam->sendCustomRequest(request, method, body);
}

Reply tst_SharedState::call(Server &server, const QByteArray &method, const QString &path,
                            const QByteArray &body)
{
    QNetworkReply *reply = send(server, method, path, body);
    Reply r;
    if (QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000))
        r = readReply(reply);
    delete reply;
    return r;
}

void tst_SharedState::storeAgainstRedis()
{
    const auto endpoint = std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url()));
    RedisVerificationStore store(endpoint, "waotp:", Secret, 10min, m_clock);
    RedisVerificationStore other(endpoint, "waotp:", Secret, 10min, m_clock);
    QList<QByteArray> heard;
    other.setChangedHandler([&heard](const QByteArray &id) { heard.append(id); });
    QTRY_VERIFY(store.isAvailable() && other.isAvailable());

    struct Answer
    {
        bool done = false;
        VerificationStore::Result result = VerificationStore::Result::Unavailable;
        Verification v;
        bool current = false;
    };
    const auto wait = [](auto operation) {
        Answer a;
        operation([&a](VerificationStore::Result r, const Verification &v, bool current) {
            a = {true, r, v, current};
        });
        if (!QTest::qWaitFor([&a] { return a.done; }, 5000))
            qWarning() << "no answer";
        return a;
    };
    Verification v;
    v.id = "id-one";
    v.number = *PhoneNumber::parse(u"+919876543210", u"").number;
    v.flow = Purpose::SignIn;
    v.locale = QStringLiteral("hi");
    v.nonce = QStringLiteral("n-1");
    v.attemptsLeft = 5;
    v.expiresAt = m_clock.now() + 5min;
    v.nextSendAt = m_clock.now() + 30s;
    v.messageSid = QStringLiteral("SM1");
    using R = VerificationStore::Result;
    Answer a = wait([&](auto done) { store.add(v, done); });
    QCOMPARE(a.result, R::Ok);
    QVERIFY(a.current);
    QCOMPARE(a.v.number.e164(), QStringLiteral("+919876543210"));
    QCOMPARE(a.v.nonce, QStringLiteral("n-1"));
    QCOMPARE(a.v.flow, Purpose::SignIn);
    // The times come back on the engine's clock, within Redis' millisecond.
    QVERIFY(qAbs((a.v.expiresAt - v.expiresAt).count()) < std::chrono::nanoseconds(50ms).count());
    QTRY_VERIFY(heard.contains("id-one"));

    // Read by another instance; the number is not in clear in any key.
    a = wait([&](auto done) { other.find("id-one", done); });
    QCOMPARE(a.result, R::Ok);
    QCOMPARE(a.v.attemptsLeft, 5);
    QVERIFY(!store.numberKey(v.number).contains("9876543210"));
    QCOMPARE(wait([&](auto done) { other.find("nope", done); }).result, R::NotFound);

    // Delivery by message: only forward.
    QCOMPARE(wait([&](auto done) {
                 other.deliveryOfMessage(QStringLiteral("SM1"), DeliveryStatus::Delivered, 0, done);
             }).result,
             R::Ok);
    QCOMPARE(wait([&](auto done) {
                 other.deliveryOfMessage(QStringLiteral("SM1"), DeliveryStatus::Sent, 0, done);
             }).result,
             R::NotFound);
    QCOMPARE(wait([&](auto done) { store.find("id-one", done); }).v.delivery,
             DeliveryStatus::Delivered);

    // A second verification of the number replaces the first (cancelled, its change heard).
    Verification second = v;
    second.id = "id-two";
    second.messageSid.clear();
    heard.clear();
    QCOMPARE(wait([&](auto done) { store.add(second, done); }).result, R::Ok);
    QTRY_VERIFY(heard.contains("id-one") && heard.contains("id-two"));
    a = wait([&](auto done) { other.find("id-one", done); });
    QVERIFY(a.v.canceled);
    QVERIFY(!a.current);

    // The second's code waited for its slot, then went out as SM2: callbacks find it.
    a = wait([&](auto done) { other.messageOfNumber(v.number, QStringLiteral("SM2"), done); });
    QCOMPARE(a.result, R::Ok);
    QCOMPARE(a.v.id, QByteArray("id-two"));
    QCOMPARE(a.v.messageSid, QStringLiteral("SM2"));
    a = wait([&](auto done) {
        store.deliveryOfMessage(QStringLiteral("SM2"), DeliveryStatus::Delivered, 0, done);
    });
    QCOMPARE(a.result, R::Ok);
    QCOMPARE(a.v.id, QByteArray("id-two"));
    QCOMPARE(a.v.delivery, DeliveryStatus::Delivered);

    // Exactly one approval.
    Answer first, late;
    store.approve("id-two", [&first](auto r, const auto &, bool) { first = {true, r, {}, false}; });
    other.approve("id-two", [&late](auto r, const auto &, bool) { late = {true, r, {}, false}; });
    QTRY_VERIFY(first.done && late.done);
    QCOMPARE(int(first.result) + int(late.result), int(R::Ok) + int(R::NotFound));
    QCOMPARE(wait([&](auto done) { other.cancel("id-two", done); }).result, R::NotFound);
    // No open verification of the number: a late message finds nothing to join.
    QCOMPARE(wait([&](auto done) {
                 store.messageOfNumber(v.number, QStringLiteral("SM3"), done);
             }).result,
             R::NotFound);

    // The keys expire with the code's lifetime plus the retention.
    bool ttlRead = false;
    qint64 ttl = 0;
    store.client().command({"PTTL", store.verificationKey("id-two")},
                           [&](const RedisReply &r) { ttl = r.integer, ttlRead = true; });
    QTRY_VERIFY(ttlRead);
    QVERIFY2(ttl > (14min).count() * 1 && ttl <= std::chrono::milliseconds(15min).count(),
             qPrintable(QString::number(ttl)));
}

// The delivery reports and approval confirmations asked in one pass of the event loop go to
// Redis as one script call, each with its own effect (the change published to every instance,
// the keys' lifetime kept), and each caller gets its own answer: a write of a verification
// that is gone, expired or no longer its send's answers NotFound, one whose key holds something
// else fails alone, and the rest stand.
void tst_SharedState::storeWritesOfOnePassGoAsOneCall()
{
    StorePair pair(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())), m_clock);
    QTRY_VERIFY(pair.store.isAvailable() && pair.other.isAvailable());
    auto &[heard, store, other, probe] = pair;
    using R = VerificationStore::Result;

    // Four of each kind: by number, by message SID, by send, and approvals to confirm.
    constexpr int Each = 4;
    QList<Verification> vs;
    for (int i = 0; i < 4 * Each + 1; ++i) {
        Verification v;
        v.id = "batch-" + QByteArray::number(i);
        v.number = *PhoneNumber::parse(
                        QStringLiteral("+9198765400%1").arg(i, 2, 10, QLatin1Char('0')), u"")
                        .number;
        v.attemptsLeft = 5;
        v.expiresAt = m_clock.now() + 5min;
        v.nextSendAt = m_clock.now() + 30s;
        v.messageSid = QStringLiteral("SMbatch%1").arg(i);
        StoreAnswers added;
        store.add(v, added.next());
        QTRY_VERIFY(added.allDone());
        QCOMPARE(added.answers[0].result, R::Ok);
        vs.append(v);
    }
    const auto key = [&store](const Verification &v) { return store.verificationKey(v.id); };
    for (int i = 2 * Each; i < 3 * Each; ++i)
        ask(probe, {"HSET", key(vs[i]), "st", "send-tag-" + QByteArray::number(i)});
    for (int i = 3 * Each; i < 4 * Each; ++i)
        ask(probe, {"HSET", key(vs[i]), "ok", "2"}); // as checkCode() leaves a right code
    // One gone by its expiry, one whose key holds something else than a verification.
    const Verification &expired = vs[4 * Each];
    ask(probe, {"HSET", key(expired), "ok", "2"});
    ask(probe, {"PEXPIRE", key(expired), "1"});
    QTRY_COMPARE(ask(probe, {"EXISTS", key(expired)}).integer, 0);
    ask(probe, {"SET", store.verificationKey("batch-broken"), "not a hash"});
    QTRY_VERIFY(heard.contains(expired.id)); // the adds' own changes heard
    heard.clear();

    const qint64 before = scriptCalls(probe);
    StoreAnswers a;
    for (int i = 0; i < Each; ++i)
        store.deliveryOfNumber(vs[i].number, DeliveryStatus::Sent, 0, a.next());
    // The same verification twice in one pass: in the order asked.
    store.deliveryOfNumber(vs[0].number, DeliveryStatus::Delivered, 0, a.next());
    for (int i = Each; i < 2 * Each; ++i)
        store.deliveryOfMessage(vs[i].messageSid, DeliveryStatus::Delivered, 0, a.next());
    for (int i = 2 * Each; i < 3 * Each; ++i)
        store.deliveryOfSend(vs[i].id, "send-tag-" + QByteArray::number(i),
                             DeliveryStatus::Undelivered, 63024, a.next());
    store.confirmApproval("batch-broken", a.next());
    for (int i = 3 * Each; i < 4 * Each; ++i)
        store.confirmApproval(vs[i].id, a.next());
    store.confirmApproval(expired.id, a.next());
    store.confirmApproval("batch-gone", a.next());
    store.deliveryOfSend(vs[0].id, "another-send-tag", DeliveryStatus::Read, 0, a.next());
    store.deliveryOfMessage(QStringLiteral("SMnone"), DeliveryStatus::Read, 0, a.next());
    store.deliveryOfNumber(*PhoneNumber::parse(u"+919876549999", u"").number, DeliveryStatus::Sent,
                           0, a.next());
    QTRY_VERIFY(a.allDone());
    QCOMPARE(scriptCalls(probe) - before, qint64(1));

    qsizetype at = 0;
    const auto next = [&a, &at] { return a.answers[at++]; };
    for (int i = 0; i < Each; ++i) {
        const auto answer = next();
        QCOMPARE(answer.result, R::Ok);
        QCOMPARE(answer.v.id, vs[i].id);
        QVERIFY(answer.current);
        QCOMPARE(answer.v.delivery, DeliveryStatus::Sent);
        QCOMPARE(answer.v.number.e164(), vs[i].number.e164());
    }
    QCOMPARE(next().v.delivery, DeliveryStatus::Delivered);
    for (int i = Each; i < 2 * Each; ++i) {
        const auto answer = next();
        QCOMPARE(answer.result, R::Ok);
        QCOMPARE(answer.v.id, vs[i].id);
        QCOMPARE(answer.v.delivery, DeliveryStatus::Delivered);
    }
    for (int i = 2 * Each; i < 3 * Each; ++i) {
        const auto answer = next();
        QCOMPARE(answer.result, R::Ok);
        QCOMPARE(answer.v.delivery, DeliveryStatus::Undelivered);
        QCOMPARE(answer.v.deliveryError, 63024);
    }
    QCOMPARE(next().result, R::Unavailable); // its step failed: alone
    for (int i = 3 * Each; i < 4 * Each; ++i) {
        const auto answer = next();
        QCOMPARE(answer.result, R::Ok);
        QVERIFY(answer.v.approved);
    }
    for (int i = 0; i < 5; ++i)
        QCOMPARE(next().result, R::NotFound);
    QCOMPARE(at, a.answers.size());

    // Every change was published (heard at the other instance) and is there for it to read,
    // with the keys' lifetime kept (the code's lifetime plus the retention).
    QTRY_COMPARE(heard.size(), 4 * Each);
    for (int i = 0; i < 4 * Each; ++i) {
        QVERIFY(heard.contains(vs[i].id));
        StoreAnswers found;
        other.find(vs[i].id, found.next());
        QTRY_VERIFY(found.allDone());
        const Verification &v = found.answers[0].v;
        QCOMPARE(v.delivery,
                 i == 0             ? DeliveryStatus::Delivered
                     : i < Each     ? DeliveryStatus::Sent
                     : i < 2 * Each ? DeliveryStatus::Delivered
                     : i < 3 * Each ? DeliveryStatus::Undelivered
                                    : DeliveryStatus::Queued);
        QCOMPARE(v.approved, i >= 3 * Each);
        const qint64 ttl = ask(probe, {"PTTL", key(vs[i])}).integer;
        QVERIFY2(ttl > std::chrono::milliseconds(14min).count()
                     && ttl <= std::chrono::milliseconds(15min).count(),
                 qPrintable(QString::number(ttl)));
    }
}

// Every script asked for in one pass goes in the same call as the delivery reports and the
// approvals made final, in the order asked, each with the effect and the answer its own script
// gives: a verification added is found, changed, cancelled and reported on by the steps after
// it in the same call; one asked for alone goes as its own script.
void tst_SharedState::storeScriptsOfOnePassGoAsOneCall()
{
    StorePair pair(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())), m_clock);
    QTRY_VERIFY(pair.store.isAvailable() && pair.other.isAvailable());
    auto &[heard, store, other, probe] = pair;
    using R = VerificationStore::Result;

    const auto make = [this](const QByteArray &id, const QString &e164) {
        Verification v;
        v.id = id;
        v.number = *PhoneNumber::parse(e164, u"").number;
        v.attemptsLeft = 5;
        v.expiresAt = m_clock.now() + 5min;
        v.nextSendAt = m_clock.now() + 30s;
        v.messageSid = QStringLiteral("SM") + QString::fromLatin1(id);
        return v;
    };
    const Verification a = make("pass-a", QStringLiteral("+919876543201"));
    const Verification b = make("pass-b", QStringLiteral("+919876543202"));

    const qint64 before = scriptCalls(probe);
    StoreAnswers x;
    store.find(a.id, x.next()); // 0: not there yet
    store.add(a, x.next()); // 1
    store.find(a.id, x.next()); // 2: there
    store.attemptsLeft(a.id, 3, false, x.next()); // 3
    store.wrongCode(a.id, 5, x.next()); // 4: one fewer than 3
    store.deliveryOfNumber(a.number, DeliveryStatus::Sent, 0, x.next()); // 5
    store.cancel(b.id, x.next()); // 6: not there yet
    store.add(b, x.next()); // 7
    store.confirmApproval(b.id, x.next()); // 8: not approved
    store.cancel(b.id, x.next()); // 9
    store.deliveryOfMessage(b.messageSid, DeliveryStatus::Delivered, 0, x.next()); // 10: closed
    store.find(b.id, x.next()); // 11
    store.deliveryOfMessage(a.messageSid, DeliveryStatus::Delivered, 0, x.next()); // 12
    store.find(a.id, x.next()); // 13
    QTRY_VERIFY(x.allDone());
    QCOMPARE(scriptCalls(probe) - before, qint64(1));

    const auto &r = x.answers;
    QCOMPARE(r[0].result, R::NotFound);
    QCOMPARE(r[1].result, R::Ok);
    QVERIFY(r[1].current);
    QCOMPARE(r[2].result, R::Ok);
    QCOMPARE(r[2].v.number.e164(), a.number.e164());
    QCOMPARE(r[2].v.attemptsLeft, 5);
    QCOMPARE(r[3].v.attemptsLeft, 3);
    QCOMPARE(r[4].result, R::Ok);
    QCOMPARE(r[4].v.attemptsLeft, 2);
    QCOMPARE(r[5].result, R::Ok);
    QCOMPARE(r[5].v.delivery, DeliveryStatus::Sent);
    QCOMPARE(r[6].result, R::NotFound);
    QCOMPARE(r[7].result, R::Ok);
    QCOMPARE(r[8].result, R::NotFound);
    QCOMPARE(r[9].result, R::Ok);
    QVERIFY(r[9].v.canceled);
    QCOMPARE(r[10].v.delivery, DeliveryStatus::Delivered); // a report still moves it on
    QCOMPARE(r[11].result, R::Ok);
    QVERIFY(r[11].v.canceled);
    QCOMPARE(r[12].v.delivery, DeliveryStatus::Delivered);
    QCOMPARE(r[13].result, R::Ok);
    QCOMPARE(r[13].v.attemptsLeft, 2);
    QCOMPARE(r[13].v.delivery, DeliveryStatus::Delivered);
    QVERIFY(!r[13].v.canceled);
    QTRY_VERIFY(heard.contains(a.id) && heard.contains(b.id));

    // Alone: its own script, one call, seeing what the pass left.
    const qint64 between = scriptCalls(probe);
    StoreAnswers alone;
    other.find(b.id, alone.next());
    QTRY_VERIFY(alone.allDone());
    QCOMPARE(scriptCalls(probe) - between, qint64(1));
    QCOMPARE(alone.answers[0].result, R::Ok);
    QVERIFY(alone.answers[0].v.canceled);
    QCOMPARE(alone.answers[0].v.delivery, DeliveryStatus::Delivered);
}

// More scripts in one pass than a call carries go in several calls; a call that fails (NOSCRIPT
// aside, which sends the script whole as every script is) fails each of its steps, as each
// step's own call would have; so does a store destroyed with steps not yet sent.
void tst_SharedState::storePassesKeepTheirBoundAndFailEachStep()
{
    const auto endpoint = std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url()));
    auto store =
        std::make_unique<RedisVerificationStore>(endpoint, "waotp:", Secret, 10min, m_clock);
    QTRY_VERIFY(store->isAvailable());
    RedisClient probe(endpoint);
    using R = VerificationStore::Result;

    qint64 before = scriptCalls(probe);
    StoreAnswers many;
    for (qsizetype i = 0; i < 2 * RedisVerificationStore::MaxPerCall + 1; ++i)
        store->confirmApproval("none-" + QByteArray::number(i), many.next());
    QTRY_VERIFY(many.allDone());
    QCOMPARE(scriptCalls(probe) - before, qint64(3));
    for (const StoreAnswers::Answer &a : std::as_const(many.answers))
        QCOMPARE(a.result, R::NotFound);

    // Redis forgot its scripts: the pass script goes whole (EVAL) and answers as before.
    Verification v;
    v.id = "bound-one";
    v.number = *PhoneNumber::parse(u"+919876543210", u"").number;
    v.expiresAt = m_clock.now() + 5min;
    v.nextSendAt = m_clock.now() + 30s;
    StoreAnswers added;
    store->add(v, added.next());
    QTRY_VERIFY(added.allDone());
    ask(probe, {"SCRIPT", "FLUSH"});
    StoreAnswers reloaded;
    store->deliveryOfNumber(v.number, DeliveryStatus::Sent, 0, reloaded.next());
    store->confirmApproval("none", reloaded.next());
    QTRY_VERIFY(reloaded.allDone());
    QCOMPARE(reloaded.answers[0].result, R::Ok);
    QCOMPARE(reloaded.answers[0].v.delivery, DeliveryStatus::Sent);
    QCOMPARE(reloaded.answers[1].result, R::NotFound);

    // Writes not yet sent when the store goes: each answered, Unavailable.
    StoreAnswers dropped;
    store->deliveryOfNumber(v.number, DeliveryStatus::Delivered, 0, dropped.next());
    store->confirmApproval(v.id, dropped.next());
    store.reset();
    QVERIFY(dropped.allDone());
    for (const StoreAnswers::Answer &a : std::as_const(dropped.answers))
        QCOMPARE(a.result, R::Unavailable);

    // Redis gone: each write of the call fails, Unavailable (nothing changed), as alone.
    store = std::make_unique<RedisVerificationStore>(endpoint, "waotp:", Secret, 10min, m_clock);
    QTRY_VERIFY(store->isAvailable());
    m_redis->stop();
    StoreAnswers failed;
    store->deliveryOfNumber(v.number, DeliveryStatus::Delivered, 0, failed.next());
    store->deliveryOfSend(v.id, "tag", DeliveryStatus::Delivered, 0, failed.next());
    store->deliveryOfMessage(QStringLiteral("SM1"), DeliveryStatus::Delivered, 0, failed.next());
    store->confirmApproval(v.id, failed.next());
    QTRY_VERIFY(failed.allDone());
    for (const StoreAnswers::Answer &a : std::as_const(failed.answers))
        QCOMPARE(a.result, R::Unavailable);
    QVERIFY(m_redis->start());
    // And the next pass's writes go again once it is back.
    QTRY_VERIFY_WITH_TIMEOUT(store->isAvailable(), 10000);
    StoreAnswers again;
    store->confirmApproval("none", again.next());
    QTRY_VERIFY(again.allDone());
    QCOMPARE(again.answers[0].result, R::NotFound);
}

void tst_SharedState::createdAtOneSeenAtTheOther()
{
    startPair();
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    const QString id = created.string(u"id");
    const QString path = QStringLiteral("/v1/verifications/") + id;
    const Reply seen = call(*m_b, "GET", path);
    QCOMPARE(seen.status, 200);
    QCOMPARE(seen.string(u"phone"), QStringLiteral("+919876543210"));
    QCOMPARE(seen.string(u"status"), QStringLiteral("pending"));
    QVERIFY(seen.json.value(u"expires_in").toInt() > 0);

    const QString code = created.string(u"demo_code");
    const Reply approved = call(*m_b, "POST", path + u"/check", checkBody(code));
    QCOMPARE(approved.status, 200);
    QVERIFY(!approved.string(u"token").isEmpty());
    QCOMPARE(call(*m_a, "GET", path).string(u"status"), QStringLiteral("approved"));
    QCOMPARE(call(*m_a, "POST", path + u"/check", checkBody(code)).status, 404);
}

void tst_SharedState::resendAndAttemptsCountAcross()
{
    startPair();
    const Reply created = create(*m_a);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    // The cooldown of the first send holds at the other instance.
    const Reply early = call(*m_b, "POST", path + u"/resend", "{}");
    QCOMPARE(early.status, 429);
    // Wrong codes at both count against the same attempts.
    const QString wrong = created.string(u"demo_code") == u"000000" ? QStringLiteral("111111")
                                                                    : QStringLiteral("000000");
    const Reply firstWrong = call(*m_a, "POST", path + u"/check", checkBody(wrong));
    QCOMPARE(firstWrong.status, 422);
    const int left = firstWrong.json.value(u"attempts_left").toInt();
    const Reply secondWrong = call(*m_b, "POST", path + u"/check", checkBody(wrong));
    QCOMPARE(secondWrong.status, 422);
    QCOMPARE(secondWrong.json.value(u"attempts_left").toInt(), left - 1);
    QCOMPARE(call(*m_a, "GET", path).json.value(u"attempts_left").toInt(), left - 1);
    // Cancelled at B: gone at A.
    QCOMPARE(call(*m_b, "DELETE", path).status, 204);
    QCOMPARE(call(*m_a, "POST", path + u"/check", checkBody(wrong)).status, 404);
    QCOMPARE(call(*m_a, "GET", path).string(u"status"), QStringLiteral("canceled"));
}

// Wrong codes at both instances: the check that uses the attempts up, and every later one,
// wait for the backoff after the tenth when it ends after the cooldown, and so does GET. On
// Redis's clock: a second's cooldown, and 8 s of backoff.
void tst_SharedState::tooManyAttemptsWaitsForTheWrongCodesAcross()
{
    startPair([](ServerSetup &s) {
        s.config.policy.firstResendCooldown = 1s;
        s.config.policy.firstFailureBackoff = 8s;
    });
    Reply created = create(*m_a);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    const auto wait = [](const Reply &r) { return r.json.value(u"retry_after").toInt(-1); };
    for (int round = 0; round < 2; ++round) {
        const QString wrong = created.string(u"demo_code") == u"000000" ? QStringLiteral("111111")
                                                                        : QStringLiteral("000000");
        for (int i = 0; i < 4; ++i)
            QCOMPARE(call(i % 2 ? *m_a : *m_b, "POST", path + u"/check", checkBody(wrong)).status,
                     422);
        const Reply usedUp = call(*m_b, "POST", path + u"/check", checkBody(wrong));
        QCOMPARE(usedUp.status, 429);
        QCOMPARE(usedUp.string(u"error"), QStringLiteral("too_many_attempts"));
        if (round == 0) { // the cooldown alone
            QVERIFY2(wait(usedUp) <= 1, qPrintable(QString::number(wait(usedUp))));
            QTest::qWait(1100);
            created = call(*m_a, "POST", path + u"/resend", "{}");
            QCOMPARE(created.status, 201);
        } else { // the tenth wrong code: 8 s, where the second send's cooldown is 2 s
            QVERIFY2(wait(usedUp) >= 7 && wait(usedUp) <= 8,
                     qPrintable(QString::number(wait(usedUp))));
        }
    }
    // Later checks (nothing compared), GET and the resend itself say the same.
    const Reply later =
        call(*m_a, "POST", path + u"/check", checkBody(created.string(u"demo_code")));
    QCOMPARE(later.string(u"error"), QStringLiteral("too_many_attempts"));
    QVERIFY2(wait(later) >= 7 && wait(later) <= 8, qPrintable(QString::number(wait(later))));
    const int shown = call(*m_b, "GET", path).json.value(u"resend_in").toInt();
    QVERIFY2(shown >= 7 && shown <= 8, qPrintable(QString::number(shown)));
    const Reply resend = call(*m_b, "POST", path + u"/resend", "{}");
    QCOMPARE(resend.status, 429);
    QCOMPARE(resend.string(u"scope"), QStringLiteral("wrong_codes"));
    QVERIFY2(wait(resend) >= 7 && wait(resend) <= 8, qPrintable(QString::number(wait(resend))));
}

void tst_SharedState::perClientLimitCountsAcross()
{
    startPair([](ServerSetup &s) {
        s.settings.sendsPerIp = {3, 10min};
        s.settings.checksPerIp = {2, 10min};
    });
    QCOMPARE(create(*m_a, QStringLiteral("+919876543210")).status, 201);
    QCOMPARE(create(*m_b, QStringLiteral("+919876543211")).status, 201);
    const Reply third = create(*m_a, QStringLiteral("+919876543212"));
    QCOMPARE(third.status, 201);
    // The fourth send is refused whichever instance it reaches.
    for (Server *s : {m_b.get(), m_a.get()}) {
        const Reply refused = create(*s, QStringLiteral("+919876543213"));
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.string(u"scope"), QStringLiteral("ip"));
        QVERIFY(refused.json.value(u"retry_after").toInt() > 0);
    }
    const QString path = QStringLiteral("/v1/verifications/") + third.string(u"id") + u"/check";
    QCOMPARE(call(*m_a, "POST", path, checkBody(QStringLiteral("000001"))).status / 100, 4);
    QVERIFY(call(*m_b, "POST", path, checkBody(QStringLiteral("000001"))).status != 429);
    const Reply refused = call(*m_a, "POST", path, checkBody(QStringLiteral("000001")));
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.string(u"scope"), QStringLiteral("ip"));
    // No client address in clear in Redis.
    QByteArray keys;
    bool read = false;
    m_a->api().verifications(); // (the keys are read through a connection of the test's own)
    RedisClient probe(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())));
    probe.command({"KEYS", "*"}, [&](const RedisReply &r) {
        for (const RedisReply &k : r.elements)
            keys += k.string + ' ';
        read = true;
    });
    QTRY_VERIFY(read);
    QVERIFY2(keys.contains("waotp:rl:s:"), keys.constData());
    QVERIFY(!keys.contains("127.0.0.1"));
    QVERIFY(!keys.contains("9876543210"));
}

void tst_SharedState::sendBudgetCountsAcross()
{
    startPair([](ServerSetup &s) { s.settings.maxSendsPerMinute = 2; });
    QCOMPARE(create(*m_a, QStringLiteral("+919876543210")).status, 201);
    QCOMPARE(create(*m_b, QStringLiteral("+919876543211")).status, 201);
    for (Server *s : {m_a.get(), m_b.get()}) {
        const Reply refused = create(*s, QStringLiteral("+919876543212"));
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.string(u"error"), QStringLiteral("send_budget_exhausted"));
        QCOMPARE(refused.string(u"scope"), QStringLiteral("minute"));
        // Until the first send is a minute old (a bucket would say half of that: 60 s / 2).
        const int retryAfter = refused.json.value(u"retry_after").toInt();
        QVERIFY2(retryAfter >= 50 && retryAfter <= 60, qPrintable(QString::number(retryAfter)));
    }
}

// A send the code store refuses (the number's cooldown) takes nothing from the budget, though
// both are counted in one script.
void tst_SharedState::refusedSendGivesItsBudgetBack()
{
    startPair([](ServerSetup &s) { s.settings.maxSendsPerMinute = 2; });
    QCOMPARE(create(*m_a, QStringLiteral("+919876543210")).status, 201);
    for (Server *s : {m_b.get(), m_a.get()}) {
        const Reply cooling = create(*s, QStringLiteral("+919876543210"));
        QCOMPARE(cooling.status, 429);
        QVERIFY(cooling.string(u"scope") != u"ip");
    }
    QCOMPARE(create(*m_b, QStringLiteral("+919876543211")).status, 201);
    const Reply refused = create(*m_a, QStringLiteral("+919876543212"));
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.string(u"error"), QStringLiteral("send_budget_exhausted"));
}

void tst_SharedState::twoRightChecksAtOnceApproveOnce()
{
    startPair();
    for (int round = 0; round < 5; ++round) {
        const QString phone = QStringLiteral("+91987654320%1").arg(round);
        const Reply created = create(*m_a, phone);
        QCOMPARE(created.status, 201);
        const QString path =
            QStringLiteral("/v1/verifications/") + created.string(u"id") + u"/check";
        const QByteArray body = checkBody(created.string(u"demo_code"));
        QNetworkReply *atA = send(*m_a, "POST", path, body);
        QNetworkReply *atB = send(*m_b, "POST", path, body);
        QTRY_VERIFY(atA->isFinished() && atB->isFinished());
        const Reply a = readReply(atA);
        const Reply b = readReply(atB);
        delete atA;
        delete atB;
        QCOMPARE(int(a.status == 200) + int(b.status == 200), 1);
        const Reply &won = a.status == 200 ? a : b;
        const Reply &lost = a.status == 200 ? b : a;
        QVERIFY(!won.string(u"token").isEmpty());
        QVERIFY(lost.string(u"token").isEmpty());
        QCOMPARE(lost.status / 100, 4);
        QCOMPARE(call(*m_b, "GET", QStringLiteral("/v1/verifications/") + created.string(u"id"))
                     .string(u"status"),
                 QStringLiteral("approved"));
    }
}

void tst_SharedState::longPollWokenByTheOtherInstance()
{
    startPair();
    const Reply created = create(*m_a);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    // The demo's deliveries are changes: they are over first.
    QTRY_COMPARE(call(*m_b, "GET", path).string(u"delivery"), QStringLiteral("delivered"));
    // Nothing changes: answered when the wait is over, with the verification as it is.
    QElapsedTimer took;
    took.start();
    const Reply quiet = call(*m_b, "GET", path + u"?wait=1");
    QCOMPARE(quiet.status, 200);
    QCOMPARE(quiet.string(u"status"), QStringLiteral("pending"));
    QVERIFY(took.elapsed() >= 900);
    QNetworkReply *waiting = send(*m_b, "GET", path + u"?wait=25");
    QTest::qWait(300);
    QVERIFY(!waiting->isFinished());
    took.restart();
    QCOMPARE(call(*m_a, "POST", path + u"/check", checkBody(created.string(u"demo_code"))).status,
             200);
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 5000);
    QVERIFY(took.elapsed() < 2000);
    QCOMPARE(readReply(waiting).string(u"status"), QStringLiteral("approved"));
    delete waiting;
}

int tst_SharedState::statusCallback(Server &server, const QString &sid, const QString &status,
                                    const QString &url, const QString &signedUrl)
{
    const QList<std::pair<QString, QString>> params {
        {QStringLiteral("AccountSid"), FakeTwilioServer::accountSid()},
        {QStringLiteral("MessageSid"), sid},
        {QStringLiteral("MessageStatus"), status},
    };
    QByteArray body;
    for (const auto &[name, value] : params) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    const QString pathAndQuery = url.mid(PublicUrl.size());
    QNetworkRequest request(QUrl(server.url().toString() + pathAndQuery, QUrl::StrictMode));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArray("application/x-www-form-urlencoded"));
    request.setRawHeader("X-Twilio-Signature",
                         signatureOf(signedUrl.isEmpty() ? url : signedUrl, params));
    QNetworkReply *reply = m_nam->post(request, body);
    int code = 0;
    if (QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return code;
}

void tst_SharedState::statusCallbackAtOneWakesTheOther()
{
    QVERIFY(startTwilio());
    const Tweak live = liveWithCallbacks();
    m_a = startServer(live);
    m_b = startServer(live);
    auto c = startServer(live);
    QVERIFY(m_a && m_b && c);
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    QCOMPARE(call(*c, "GET", path).string(u"delivery"), QStringLiteral("queued"));
    // Sent through A, reported to B, waited for at C.
    QNetworkReply *waiting = send(*c, "GET", path + u"?wait=25");
    QTest::qWait(300);
    QVERIFY(!waiting->isFinished());
    const QString sid = QStringLiteral("SM%1").arg(1, 32, 16, QLatin1Char('0'));
    // The callback URL names the verification's send, sealed: neither its id nor the number.
    const QString url = lastStatusCallbackUrl();
    QVERIFY2(url.startsWith(CallbackUrl + u"?v="), qPrintable(url));
    QVERIFY(!url.contains(created.string(u"id")));
    QVERIFY(!url.contains(QStringLiteral("9876543210")));
    QElapsedTimer took;
    took.start();
    QCOMPARE(statusCallback(*m_b, sid, QStringLiteral("delivered"), url), 204);
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 5000);
    QVERIFY(took.elapsed() < 2000);
    QCOMPARE(readReply(waiting).string(u"delivery"), QStringLiteral("delivered"));
    delete waiting;
    QCOMPARE(call(*m_a, "GET", path).string(u"delivery"), QStringLiteral("delivered"));
    // A callback without the send's reference (a message sent before the callbacks named
    // their sends) finds nothing by this message's SID: no SID is kept.
    QCOMPARE(statusCallback(*m_b, sid, QStringLiteral("undelivered")), 204);
    QCOMPARE(call(*m_a, "GET", path).string(u"delivery"), QStringLiteral("delivered"));
}

// A resend at another instance makes the first message's callbacks news of nothing.
void tst_SharedState::statusCallbackOfAnOlderSendIgnored()
{
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) { s.config.policy.firstResendCooldown = 0s; }));
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    const QString first = lastStatusCallbackUrl();
    QCOMPARE(call(*m_b, "POST", path + u"/resend", "{}").status, 201);
    const QString second = lastStatusCallbackUrl();
    QVERIFY(second.startsWith(CallbackUrl + u"?v="));
    QVERIFY(first != second);
    const QString sid = QStringLiteral("SM%1").arg(1, 32, 16, QLatin1Char('0'));
    QCOMPARE(statusCallback(*m_a, sid, QStringLiteral("undelivered"), first), 204);
    QCOMPARE(call(*m_a, "GET", path).string(u"delivery"), QStringLiteral("queued"));
    QCOMPARE(statusCallback(*m_a, sid, QStringLiteral("delivered"), second), 204);
    QCOMPARE(call(*m_b, "GET", path).string(u"delivery"), QStringLiteral("delivered"));
}

// The signature covers the URL's reference: an altered one is refused; one that opens nothing
// moves nothing.
void tst_SharedState::statusCallbackWithAlteredReference()
{
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks());
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    const QString url = lastStatusCallbackUrl();
    QString altered = url;
    const qsizetype at = altered.size() - 5;
    altered[at] = altered[at] == u'A' ? u'B' : u'A';
    const QString sid = QStringLiteral("SM%1").arg(1, 32, 16, QLatin1Char('0'));
    const QString failed = QStringLiteral("undelivered");
    // Signed over the URL Twilio was given, posted to another: refused.
    QCOMPARE(statusCallback(*m_b, sid, failed, altered, url), 403);
    // Signed as posted (whoever holds the auth token), but the reference opens nothing.
    QCOMPARE(statusCallback(*m_b, sid, failed, altered), 204);
    QCOMPARE(statusCallback(*m_b, sid, failed, CallbackUrl + u"?v=" + QString(136, u'A')), 204);
    QCOMPARE(call(*m_a, "GET", path).string(u"delivery"), QStringLiteral("queued"));
    QCOMPARE(statusCallback(*m_b, sid, failed, url), 204);
    QCOMPARE(call(*m_a, "GET", path).string(u"delivery"), QStringLiteral("undelivered"));
}

// The verification is stored before the message goes out: a send that fails leaves no new
// verification behind, and a resend that fails shows the failure and may go again at once.
void tst_SharedState::failedSendsStoredBeforeTheSend()
{
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) {
        s.settings.maxSendsPerMinute = 10;
        s.config.policy.firstResendCooldown = 0s; // the resend below reaches Twilio at once
    }));
    const auto verificationKeys = [this] {
        RedisClient probe(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())));
        int count = -1;
        probe.command({"KEYS", "waotp:v:*"},
                      [&count](const RedisReply &r) { count = int(r.elements.size()); });
        if (!QTest::qWaitFor([&count] { return count >= 0; }, 5000))
            qWarning() << "KEYS unanswered";
        return count;
    };
    m_twilio->setCreateError(500, 20500, QStringLiteral("Internal Server Error"));
    const Reply failed = create(*m_a);
    QVERIFY2(failed.status >= 500, qPrintable(QString::number(failed.status)));
    QCOMPARE(verificationKeys(), 0);
    m_twilio->clearCreateError();
    const Reply created = create(*m_b);
    QCOMPARE(created.status, 201);
    QCOMPARE(verificationKeys(), 1);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    m_twilio->setCreateError(500, 20500, QStringLiteral("Internal Server Error"));
    const Reply resendFailed = call(*m_a, "POST", path + u"/resend", "{}");
    QVERIFY(resendFailed.status >= 500);
    const Reply shown = call(*m_b, "GET", path);
    QCOMPARE(shown.string(u"delivery"), QStringLiteral("failed"));
    QCOMPARE(shown.json.value(u"resend_in").toInt(), 0);
    m_twilio->clearCreateError();
    QCOMPARE(call(*m_b, "POST", path + u"/resend", "{}").status, 201);
    QCOMPARE(call(*m_a, "GET", path).string(u"delivery"), QStringLiteral("queued"));
}

// A resend at another instance, in one script, without looking the verification up first:
// its message is the verification's (flow, channel), and a silent send's resend is silent.
void tst_SharedState::resendSendsTheVerificationsMessage()
{
    m_twilio = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_twilio->listen());
    startPair([this](ServerSetup &s) {
        s.demo = false;
        s.config.twilio = m_twilio->settings();
        s.config.twilio.smsFrom = QStringLiteral("+15005550006");
        s.config.policy.firstResendCooldown = 0s;
    });
    const QByteArray body =
        QJsonDocument(QJsonObject {{QStringLiteral("phone"), QStringLiteral("+919876543210")},
                                   {QStringLiteral("flow"), QStringLiteral("signup")},
                                   {QStringLiteral("channel"), QStringLiteral("sms")},
                                   {QStringLiteral("locale"), QStringLiteral("hi")}})
            .toJson();
    const Reply created = call(*m_a, "POST", QStringLiteral("/v1/verifications"), body);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    const Reply resent = call(*m_b, "POST", path + u"/resend", "{}");
    QCOMPARE(resent.status, 201);
    QCOMPARE(resent.string(u"channel"), QStringLiteral("sms"));
    const auto messages = m_twilio->messageCreates();
    QCOMPARE(messages.size(), 2);
    const QString to = QStringLiteral("To");
    QCOMPARE(messages[1].formValue(to), QStringLiteral("+919876543210")); // SMS: no "whatsapp:"
    const auto words = [](const QString &text) {
        QString w = text;
        w.remove(QRegularExpression(QStringLiteral("[0-9]")));
        return w;
    };
    const QString first = messages[0].formValue(QStringLiteral("Body"));
    QCOMPARE(words(messages[1].formValue(QStringLiteral("Body"))), words(first));
    QVERIFY2(first.contains(u"sign-up"), qPrintable(first)); // the verification's flow
    // A sign-in for a number without an account is a silent send, and so is its resend.
    const Reply silent =
        call(*m_a, "POST", QStringLiteral("/v1/verifications"),
             QJsonDocument(QJsonObject {{QStringLiteral("phone"), QStringLiteral("+919876543211")},
                                        {QStringLiteral("flow"), QStringLiteral("signin")}})
                 .toJson());
    QCOMPARE(silent.status, 201);
    const QString silentPath = QStringLiteral("/v1/verifications/") + silent.string(u"id");
    QCOMPARE(call(*m_b, "POST", silentPath + u"/resend", "{}").status, 201);
    QCOMPARE(call(*m_a, "POST", silentPath + u"/resend", "{}").status, 201);
    QCOMPARE(m_twilio->messageCreates().size(), 2);
    // A verification that is no longer open is not resent.
    QCOMPARE(call(*m_a, "DELETE", path).status, 204);
    QCOMPARE(call(*m_b, "POST", path + u"/resend", "{}").status, 404);
    QCOMPARE(m_twilio->messageCreates().size(), 2);
}

// A resend refused while Twilio fails voids a real verification's code and a silent one's
// alike: a check in the store's script says not_found for both.
void tst_SharedState::aFailedResendTellsNoNumberFromAnother()
{
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) { s.config.policy.firstResendCooldown = 0s; }));
    const auto post = [this](Server &at, const QString &path, const char *phone, const char *flow) {
        return call(at, "POST", path,
                    QJsonDocument(QJsonObject {{QStringLiteral("phone"), QLatin1String(phone)},
                                               {QStringLiteral("flow"), QLatin1String(flow)}})
                        .toJson());
    };
    const QString verifications = QStringLiteral("/v1/verifications");
    const Reply signUp = post(*m_a, verifications, "+919876543210", "signup");
    QCOMPARE(signUp.status, 201);
    const QString sent = m_twilio->messageCreates().last().formValue(QStringLiteral("Body"));
    const QString code = QRegularExpression(QStringLiteral("[0-9]{6}")).match(sent).captured();
    // At the instance that signs in below: each of the pair has accounts of its own.
    QCOMPARE(call(*m_a, "POST", verifications + u'/' + signUp.string(u"id") + u"/check",
                  "{\"code\":\"" + code.toLatin1() + "\"}")
                 .status,
             200);
    const Reply real = post(*m_a, verifications, "+919876543210", "signin");
    const Reply silent = post(*m_a, verifications, "+919876543211", "signin");
    QCOMPARE(real.status, 201);
    QCOMPARE(silent.status, 201);
    QCOMPARE(m_twilio->messageCreates().size(), 2); // the sign-up's and the real sign-in's
    const QString realPath = verifications + u'/' + real.string(u"id");
    const QString silentPath = verifications + u'/' + silent.string(u"id");

    m_twilio->setCreateError(500, 20500, QStringLiteral("Internal Server Error"));
    const Reply realResend = call(*m_a, "POST", realPath + u"/resend", "{}");
    QVERIFY2(realResend.status >= 500, qPrintable(QString::number(realResend.status)));
    QCOMPARE(call(*m_a, "POST", silentPath + u"/resend", "{}").status, realResend.status);
    m_twilio->clearCreateError();

    const QByteArray guess = R"({"code":"000000"})";
    const Reply realCheck = call(*m_b, "POST", realPath + u"/check", guess);
    const Reply silentCheck = call(*m_b, "POST", silentPath + u"/check", guess);
    QCOMPARE(realCheck.status, 404);
    QCOMPARE(silentCheck.status, realCheck.status);
    QCOMPARE(silentCheck.json, realCheck.json);
}

void tst_SharedState::lostSubscriptionAnswersWaiters()
{
    startPair();
    const Reply created = create(*m_a);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    // The demo delivery ends first: no change of its may wake the waiter below.
    QTRY_COMPARE_WITH_TIMEOUT(call(*m_b, "GET", path).string(u"delivery"),
                              QStringLiteral("delivered"), 5000);
    QNetworkReply *waiting = send(*m_b, "GET", path + u"?wait=25");
    QTest::qWait(300);
    QVERIFY(!waiting->isFinished());
    // Redis drops every subscriber: changes published until they are back are not heard, so
    // the waiters are answered with what is there once the subscription is back.
    RedisClient admin(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())));
    bool killed = false;
    admin.command({"CLIENT", "KILL", "TYPE", "pubsub"},
                  [&killed](const RedisReply &r) { killed = r.integer >= 2; });
    QTRY_VERIFY(killed);
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 5000);
    const Reply answered = readReply(waiting);
    delete waiting;
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.string(u"status"), QStringLiteral("pending"));
    // Subscribed again: a change at A wakes a new long poll at B.
    QTRY_VERIFY(m_b->api().isAvailable());
    waiting = send(*m_b, "GET", path + u"?wait=25");
    QTest::qWait(300);
    QVERIFY(!waiting->isFinished());
    QCOMPARE(call(*m_a, "DELETE", path).status, 204);
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 2000);
    QCOMPARE(readReply(waiting).string(u"status"), QStringLiteral("canceled"));
    delete waiting;
}

void tst_SharedState::redisGoneAnswers503()
{
    startPair();
    const Reply created = create(*m_a);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    QCOMPARE(call(*m_b, "GET", QStringLiteral("/readyz")).status, 200);
    m_redis->stop();
    QTRY_VERIFY(!m_b->api().isAvailable());
    const Reply ready = call(*m_b, "GET", QStringLiteral("/readyz"));
    QCOMPARE(ready.status, 503);
    QVERIFY(ready.json.value(u"not_ready").toArray().contains(QStringLiteral("store")));
    QElapsedTimer took;
    took.start();
    for (const auto &[method, p, body] :
         {std::tuple<QByteArray, QString, QByteArray> {"GET", path, {}},
          {"POST", path + u"/check", checkBody(QStringLiteral("123456"))},
          {"DELETE", path, {}},
          {"POST", QStringLiteral("/v1/verifications"),
           createBody(QStringLiteral("+919876543219"))}}) {
        const Reply r = call(*m_b, method, p, body);
        QCOMPARE(r.status, 503);
        QCOMPARE(r.string(u"error"), QStringLiteral("store_unavailable"));
    }
    QVERIFY(took.elapsed() < 10000);
    // Back: ready again (its data is gone: nothing was saved).
    QVERIFY(m_redis->start());
    QTRY_VERIFY_WITH_TIMEOUT(m_b->api().isAvailable(), 10000);
    QCOMPARE(call(*m_b, "GET", QStringLiteral("/readyz")).status, 200);
    QCOMPARE(create(*m_b, QStringLiteral("+919876543218")).status, 201);
}

void tst_SharedState::redisFrozenAnswers503()
{
    startPair();
    const Reply created = create(*m_a);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    // A server that no longer answers: refused once the command timeout is over, not held.
    m_redis->pause();
    QElapsedTimer took;
    took.start();
    const Reply r = call(*m_b, "GET", path);
    QCOMPARE(r.status, 503);
    QCOMPARE(r.string(u"error"), QStringLiteral("store_unavailable"));
    QVERIFY(!r.json.value(u"retry_after").isUndefined());
    QVERIFY2(took.elapsed() < 5000, qPrintable(QString::number(took.elapsed())));
    QCOMPARE(call(*m_b, "GET", QStringLiteral("/readyz")).status, 503);
    m_redis->resume();
    QTRY_VERIFY_WITH_TIMEOUT(m_b->api().isAvailable(), 10000);
    QCOMPARE(call(*m_b, "GET", path).string(u"status"), QStringLiteral("pending"));
}

// The server's ACL line of the README, on a real Redis 7: two instances do all they do as that
// user (scripts, the subscription, the limits), and nothing is refused.
void tst_SharedState::worksAsTheReadmesAclUser()
{
    const QList<QByteArray> acl =
        readmeAclLine(QStringLiteral(WAOTP_README), "waotp-server", "test-acl-pass-0000");
    QVERIFY2(!acl.isEmpty(), "no ACL SETUSER waotp-server line in the README");
    RedisClient admin(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())));
    QByteArray answer;
    admin.command(acl, [&answer](const RedisReply &r) { answer = r.string; });
    QTRY_VERIFY(!answer.isEmpty());
    QCOMPARE(answer, QByteArray("OK"));

    static QStringList logged;
    logged.clear();
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType, const QMessageLogContext &, const QString &message) { logged << message; });
    const auto restore = qScopeGuard([previous] { qInstallMessageHandler(previous); });
    const QString url =
        QStringLiteral("redis://waotp-server:test-acl-pass-0000@127.0.0.1:%1").arg(m_redis->port());
    startPair([&url](ServerSetup &s) {
        s.config.store = url;
        s.settings.sendsPerIp = {10, 10min};
        s.settings.checksPerIp = {10, 10min};
        s.settings.maxSendsPerMinute = 10;
    });
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    QNetworkReply *waiting = send(*m_b, "GET", path + u"?wait=25");
    QTest::qWait(300);
    QCOMPARE(call(*m_b, "POST", path + u"/check", checkBody(QStringLiteral("000000"))).status / 100,
             4);
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 5000);
    delete waiting;
    QCOMPARE(call(*m_a, "POST", path + u"/check", checkBody(created.string(u"demo_code"))).status,
             200);
    QCOMPARE(call(*m_b, "DELETE", path).status, 404);
    QCOMPARE(create(*m_b, QStringLiteral("+919876543211")).status, 201);
    // A send the number's cooldown refuses gives its share of the budget back, in the script.
    const Reply cooling = create(*m_a, QStringLiteral("+919876543211"));
    QCOMPARE(cooling.status, 429);
    QCOMPARE(cooling.string(u"scope"), QStringLiteral("cooldown"));
    for (const QString &line : std::as_const(logged)) {
        if (line.contains(u"refused by the store, retry in")) // the cooldown's, above
            continue;
        QVERIFY2(!line.contains(u"NOPERM") && !line.contains(u"refused")
                     && !line.contains(u"failed"),
                 qPrintable(line));
    }
}

// What Redis was asked from outside (MONITOR, read through redis-cli), section by section: the
// commands between ECHO "section:<name>" and the next ECHO, as "evalsha:1" (sorted; commands
// run inside scripts, marked "lua", left out).
class tst_SharedState::Monitor
{
public:
    explicit Monitor(quint16 port)
        : m_probe(std::get<RedisEndpoint>(
            RedisEndpoint::fromUrl(QStringLiteral("redis://127.0.0.1:%1").arg(port))))
    {
        m_process.start(QStringLiteral("redis-cli"),
                        {QStringLiteral("-p"), QString::number(port), QStringLiteral("monitor")});
        if (!QTest::qWaitFor([this] { return m_process.bytesAvailable() > 0; }, 5000))
            qWarning() << "redis-cli monitor did not start";
    }
    ~Monitor()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    /// Starts section @p name.
    void section(const QByteArray &name)
    {
        bool done = false;
        m_probe.command({"ECHO", "section:" + name}, [&done](const RedisReply &) { done = true; });
        if (!QTest::qWaitFor([&done] { return done; }, 5000))
            qWarning() << "ECHO unanswered";
    }
    /// The commands of each section so far.
    QHash<QByteArray, QByteArray> sections()
    {
        section("end");
        const bool ended = QTest::qWaitFor(
            [this] {
                m_out += m_process.readAll();
                return m_out.contains("\"section:end\"");
            },
            5000);
        if (!ended)
            qWarning() << "MONITOR did not show the end";
        QHash<QByteArray, QList<QByteArray>> words;
        QByteArray current;
        QHash<QByteArray, int> counts;
        const auto close = [&] {
            if (current.isEmpty()) {
                counts.clear(); // before the first section
                return;
            }
            QList<QByteArray> list;
            for (auto it = counts.cbegin(); it != counts.cend(); ++it)
                list.append(it.key() + ':' + QByteArray::number(it.value()));
            std::sort(list.begin(), list.end());
            words.insert(current, list);
            counts.clear();
        };
        m_inScripts.clear();
        for (const QByteArray &line : m_out.split('\n')) {
            const qsizetype bracket = line.indexOf("] \"");
            if (bracket >= 0 && line.contains("[0 lua]") && !current.isEmpty())
                ++m_inScripts[current];
            if (bracket < 0 || line.contains("[0 lua]"))
                continue;
            const qsizetype from = bracket + 3;
            const QByteArray command = line.mid(from, line.indexOf('"', from) - from).toLower();
            if (command == "echo") {
                close();
                const qsizetype at = line.indexOf("\"section:");
                current = line.mid(at + 9, line.indexOf('"', at + 9) - at - 9);
                continue;
            }
            ++counts[command];
        }
        close();
        QHash<QByteArray, QByteArray> out;
        for (auto it = words.cbegin(); it != words.cend(); ++it)
            out.insert(it.key(), it.value().join(' '));
        return out;
    }
    /// After sections(): how many commands the scripts of each section ran.
    int inScripts(const QByteArray &section) const { return m_inScripts.value(section); }

private:
    QProcess m_process;
    RedisClient m_probe;
    QByteArray m_out;
    QHash<QByteArray, int> m_inScripts;
};

// Nothing in Redis holds the number in clear: neither a key's name nor any value, whatever its
// type, after a sign-up went through every step (create, wrong code, resend, right code).
void tst_SharedState::noNumberInClearInRedis()
{
    startPair([](ServerSetup &s) {
        s.settings.sendsPerIp = {10, 10min};
        s.settings.checksPerIp = {10, 10min};
        s.settings.maxSendsPerMinute = 10;
        s.config.policy.firstResendCooldown = 100ms; // Redis' clock decides: a real wait
        s.settings.allCountries = true; // a short number from elsewhere, below
    });
    const QString phone = QStringLiteral("+919876543210");
    const Reply created = create(*m_a, phone);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    QCOMPARE(call(*m_b, "GET", path).string(u"phone"), phone);
    QCOMPARE(call(*m_b, "POST", path + u"/check", checkBody(QStringLiteral("00000a"))).status, 400);
    const QString wrong = created.string(u"demo_code") == u"000000" ? QStringLiteral("111111")
                                                                    : QStringLiteral("000000");
    QCOMPARE(call(*m_b, "POST", path + u"/check", checkBody(wrong)).status, 422);
    // A second verification of the same number, then the first one's GET still answers.
    QTest::qWait(300);
    const Reply second = create(*m_b, phone);
    QCOMPARE(second.status, 201);
    QCOMPARE(call(*m_a, "POST",
                  QStringLiteral("/v1/verifications/") + second.string(u"id") + u"/check",
                  checkBody(second.string(u"demo_code")))
                 .status,
             200);
    QCOMPARE(call(*m_a, "GET", path).string(u"phone"), phone);
    // An id names its number only sealed: two ids of one number differ, and a short number's id
    // is as long as a long one's, so the length tells nothing either.
    QVERIFY(second.string(u"id") != created.string(u"id"));
    const Reply shortNumber = create(*m_a, QStringLiteral("+3546111234")); // Iceland: 7 digits
    QCOMPARE(shortNumber.status, 201);
    QCOMPARE(shortNumber.string(u"id").size(), created.string(u"id").size());
    QVERIFY2(created.string(u"id").size() >= 22, qPrintable(created.string(u"id")));

    RedisClient probe(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())));
    const auto ask = [&probe](const QList<QByteArray> &command) {
        RedisReply reply;
        bool read = false;
        probe.command(command, [&](const RedisReply &r) {
            reply = r;
            read = true;
        });
        if (!QTest::qWaitFor([&read] { return read; }, 5000))
            qWarning() << "unanswered:" << command;
        return reply;
    };
    const std::function<void(const RedisReply &, QByteArray &)> flatten =
        [&flatten](const RedisReply &r, QByteArray &out) {
            out += r.string + ' ' + QByteArray::number(r.integer) + ' ';
            for (const RedisReply &e : r.elements)
                flatten(e, out);
        };
    QByteArray everything;
    QByteArray cursor = "0";
    int keys = 0;
    do {
        const RedisReply page = ask({"SCAN", cursor, "COUNT", "1000"});
        QCOMPARE(page.elements.size(), 2);
        cursor = page.elements[0].string;
        for (const RedisReply &key : page.elements[1].elements) {
            ++keys;
            const QByteArray type = ask({"TYPE", key.string}).string;
            everything += key.string + " (" + type + "): ";
            if (type == "string")
                flatten(ask({"GET", key.string}), everything);
            else if (type == "hash")
                flatten(ask({"HGETALL", key.string}), everything);
            else if (type == "zset")
                flatten(ask({"ZRANGE", key.string, "0", "-1", "WITHSCORES"}), everything);
            else if (type == "set")
                flatten(ask({"SMEMBERS", key.string}), everything);
            else if (type == "list")
                flatten(ask({"LRANGE", key.string, "0", "-1"}), everything);
            else
                QFAIL(qPrintable(QStringLiteral("a key of an unexpected type: ")
                                 + QString::fromLatin1(type)));
            everything += '\n';
        }
    } while (cursor != "0");
    QVERIFY2(keys >= 4, everything.constData());
    QVERIFY2(everything.contains("waotp:v:"), everything.constData());
    for (const QByteArray &digits : {QByteArray("9876543210"), QByteArray("919876543210")})
        QVERIFY2(!everything.contains(digits), everything.constData());
}

// How many Redis commands each API request makes, as Redis saw them (MONITOR): one script call
// for a create, a resend, a GET, a check (wrong or right) and a cancel; a right check alone
// causes one call more, its approval's confirmation.
void tst_SharedState::redisCallsPerRequest()
{
    startPair([](ServerSetup &s) {
        s.settings.sendsPerIp = {10, 10min};
        s.settings.checksPerIp = {10, 10min};
        s.settings.maxSendsPerMinute = 10;
        s.config.policy.firstResendCooldown = 100ms; // Redis' clock decides: a real wait
    });
    // The demo's deliveries come later than the requests: each is a call of its own, as a
    // provider's status callback is a request of its own.
    for (Server *server : {m_a.get(), m_b.get()})
        qobject_cast<DemoSender *>(&server->sender())->setStepDelay(1min);
    // Connecting loaded the scripts; what comes now is the requests' own.
    Monitor monitor(m_redis->port());
    monitor.section("create");
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    monitor.section("get");
    QCOMPARE(call(*m_b, "GET", path).status, 200);
    const QString wrong = created.string(u"demo_code") == u"000000" ? QStringLiteral("111111")
                                                                    : QStringLiteral("000000");
    monitor.section("wrong-check");
    QCOMPARE(call(*m_b, "POST", path + u"/check", checkBody(wrong)).status, 422);
    QTest::qWait(300);
    monitor.section("resend");
    const Reply resent = call(*m_a, "POST", path + u"/resend", "{}");
    QCOMPARE(resent.status, 201);
    monitor.section("right-check");
    QCOMPARE(call(*m_b, "POST", path + u"/check", checkBody(resent.string(u"demo_code"))).status,
             200);
    monitor.section("other");
    const Reply other = create(*m_b, QStringLiteral("+919876543211"));
    QCOMPARE(other.status, 201);
    monitor.section("cancel");
    QCOMPARE(
        call(*m_a, "DELETE", QStringLiteral("/v1/verifications/") + other.string(u"id")).status,
        204);
    const QHash<QByteArray, QByteArray> calls = monitor.sections();
    for (const char *name : {"create", "get", "wrong-check", "resend", "right-check", "cancel"})
        qInfo().noquote() << "Redis calls of" << name << ":" << calls.value(name) << "("
                          << monitor.inScripts(name) << "commands in scripts)";
    QCOMPARE(calls.value("get"), QByteArray("evalsha:1"));
    QCOMPARE(calls.value("wrong-check"), QByteArray("evalsha:1"));
    // A right code: the check, then the approval made final once its token is out. On a busy
    // server each call is shared with the other scripts of its pass (other requests', delivery
    // reports, other checks' confirmations: rightChecksAtOnceShareTheirCalls); this check is
    // alone, so each is a call of its own.
    QCOMPARE(calls.value("right-check"), QByteArray("evalsha:2"));
    QCOMPARE(calls.value("cancel"), QByteArray("evalsha:1"));
    // A send: the limits, the code and the verification in one script, before the message goes
    // out (status callbacks name the verification and the send, not the message). A resend
    // does not look the verification up first: the script applies the flow's rule and takes
    // the message's flow, channel and language from it.
    QCOMPARE(calls.value("create"), QByteArray("evalsha:1"));
    QCOMPARE(calls.value("resend"), QByteArray("evalsha:1"));
}

// Sends wait for their slot of the shared rate at A; at B one is cancelled and the number of
// another starts anew. When their slots come A drops both (it asks the shared store): Twilio
// receives the first send, and the new one from B, and nothing else. In real time (the shared
// rate is kept by Redis's clock): about three seconds.
void tst_SharedState::queuedSendCancelledAtTheOtherNeverGoesOut()
{
    const auto realTime = onRealTime();
    m_twilio = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_twilio->listen());
    const auto queued = [this](ServerSetup &s) {
        s.demo = false;
        s.config.twilio = m_twilio->settings();
        s.settings.maxSendsPerSecond = 1;
        s.settings.sendQueueLimit = 100;
        s.config.policy.firstResendCooldown = 0s; // a number may start anew at once
    };
    startPair(queued);
    const QStringList phones {QStringLiteral("+919876543210"), QStringLiteral("+919876543211"),
                              QStringLiteral("+919876543212")};
    QList<Reply> created;
    for (const QString &phone : phones) {
        created.append(create(*m_a, phone));
        QCOMPARE(created.last().status, 201);
    }
    QCOMPARE(created[1].json.value(u"queue_position").toInt(), 1);
    QCOMPARE(created[2].json.value(u"queue_position").toInt(), 2);
    QVERIFY(QTest::qWaitFor([&] { return m_twilio->messageCreates().size() == 1; }, 5000));

    QCOMPARE(call(*m_b, "DELETE", u"/v1/verifications/"_qs + created[1].string(u"id")).status, 204);
    const Reply renewed = create(*m_b, phones[2]);
    QCOMPARE(renewed.status, 201);
    QCOMPARE(renewed.json.value(u"queue_position").toInt(), 3);

    QVERIFY(QTest::qWaitFor([&] { return m_twilio->messageCreates().size() >= 2; }, 10000));
    QTRY_COMPARE(m_a->governor()->stats().droppedInQueue, quint64(2));
    QTest::qWait(300); // time for a dropped send that would wrongly go out after all
    QStringList to;
    for (const test::HttpRequest &r : m_twilio->messageCreates())
        to.append(r.formValue(QStringLiteral("To")).mid(9));
    QCOMPARE(to, (QStringList {phones[0], phones[2]}));
    QCOMPARE(m_b->governor()->stats().droppedInQueue, quint64(0));
    QCOMPARE(call(*m_a, "GET", u"/v1/verifications/"_qs + renewed.string(u"id")).string(u"status"),
             QStringLiteral("pending"));
}

// A stopping instance's queued sends are the other instances' to answer for: those whose slot
// comes within the stop's deadline go, the rest are given up, and their verifications say so
// in the store before the instance is gone (a resend may then go at once, anywhere).
void tst_SharedState::stoppingInstanceSendsItsQueueOrGivesItUp()
{
    const auto realTime = onRealTime();
    m_twilio = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_twilio->listen());
    startPair([this](ServerSetup &s) {
        s.demo = false;
        s.config.twilio = m_twilio->settings();
        s.settings.maxSendsPerSecond = 1;
        s.settings.sendQueueLimit = 100;
        s.config.policy.firstResendCooldown = 0s; // a number may start anew at once
    });
    QStringList phones;
    QList<Reply> created;
    for (int i = 0; i < 4; ++i) {
        phones.append(QStringLiteral("+91987654321%1").arg(i));
        created.append(create(*m_a, phones.last()));
        QCOMPARE(created.last().status, 201);
    }
    QCOMPARE(created[3].json.value(u"queue_position").toInt(), 3);
    // The third number starts anew at the other instance: its send there waits its turn too.
    const Reply anew = create(*m_b, phones[2]);
    QCOMPARE(anew.status, 201);
    QVERIFY(QTest::qWaitFor([&] { return m_twilio->messageCreates().size() == 1; }, 5000));

    // Slots a second apart: the second comes within the deadline, the third and fourth after.
    bool stopped = false;
    m_a->stop([&stopped] { stopped = true; }, 1200ms);
    QTRY_VERIFY_WITH_TIMEOUT(stopped, 10000);
    QStringList to;
    for (const test::HttpRequest &r : m_twilio->messageCreates())
        to.append(r.formValue(QStringLiteral("To")).mid(9));
    QCOMPARE(to.first(2), phones.first(2));
    QVERIFY(!to.mid(2).contains(phones[3]));
    QCOMPARE(m_a->governor()->owed(), 0);

    const QString given = u"/v1/verifications/"_qs + created[3].string(u"id");
    const Reply shown = call(*m_b, "GET", given);
    QCOMPARE(shown.string(u"status"), QStringLiteral("failed"));
    QCOMPARE(shown.string(u"delivery"), QStringLiteral("failed"));
    QCOMPARE(shown.json.value(u"resend_in").toInt(), 0);
    QVERIFY(
        call(*m_b, "GET", u"/v1/verifications/"_qs + created[1].string(u"id")).string(u"delivery")
        != u"failed");
    // The send given up for the third number was not the current one's: that one is untouched.
    const Reply current = call(*m_b, "GET", u"/v1/verifications/"_qs + anew.string(u"id"));
    QCOMPARE(current.string(u"status"), QStringLiteral("pending"));
    QVERIFY(current.string(u"delivery") != u"failed");
    QCOMPARE(call(*m_b, "POST", given + u"/resend").status, 201);
}

// Twilio Verify owns the codes: the verification's SID, which only the sending instance heard,
// is stored with the verification. A DELETE at the other instance cancels that very SID at
// Twilio, and the other instance checks codes as well as the sending one.
// With Twilio Verify, whether a verification's code went out is the store's to say, not the
// memory of the instance that sent it: a silent sign-in checked at the other instance is a wrong
// code there too, Twilio unasked; and a real code sent after it is checked at Twilio at the
// instance that made the silent send.
void tst_SharedState::verifyModeSilenceIsTheStores()
{
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) {
        s.config.twilio.verifyServiceSid = FakeTwilioServer::verifyServiceSid();
        s.config.policy.firstResendCooldown = 0ms;
    }));
    const QString phone = QStringLiteral("+919876543219");
    const Reply silent =
        call(*m_b, "POST", QStringLiteral("/v1/verifications"),
             QJsonDocument(QJsonObject {{QStringLiteral("phone"), phone},
                                        {QStringLiteral("flow"), QStringLiteral("signin")}})
                 .toJson());
    QCOMPARE(silent.status, 201);
    QCOMPARE(m_twilio->verificationCreates().size(), 0);
    const QString silentPath = QStringLiteral("/v1/verifications/") + silent.string(u"id");
    for (int left : {4, 3}) {
        const Reply wrong =
            call(left == 4 ? *m_a : *m_b, "POST", silentPath + u"/check", checkBody(u"000000"_qs));
        QCOMPARE(wrong.status, 422);
        QCOMPARE(wrong.string(u"error"), QStringLiteral("wrong_code"));
        QCOMPARE(wrong.json.value(u"attempts_left").toInt(), left);
    }
    QCOMPARE(m_twilio->verificationChecks().size(), 0);

    const Reply real = create(*m_a, phone); // a sign-up: the code goes out
    QCOMPARE(real.status, 201);
    QCOMPARE(m_twilio->verificationCreates().size(), 1);
    const Reply approved =
        call(*m_b, "POST", QStringLiteral("/v1/verifications/") + real.string(u"id") + u"/check",
             checkBody(m_twilio->verifyCode));
    QCOMPARE(approved.status, 200);
    QCOMPARE(m_twilio->verificationChecks().size(), 1);
}

void tst_SharedState::verifyModeAcrossInstances()
{
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) {
        s.config.twilio.verifyServiceSid = FakeTwilioServer::verifyServiceSid();
    }));
    const auto sidOfCreate = [this](qsizetype i) {
        // The fake's SIDs count its verifications: VE followed by the serial in hex.
        return QStringLiteral("VE%1").arg(i + 1, 32, 16, QLatin1Char('0'));
    };
    // Storing the SID is one Redis call more than a create of a code of the server's own.
    Monitor monitor(m_redis->port());
    monitor.section("create");
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    QCOMPARE(m_twilio->verificationCreates().size(), 1);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    monitor.section("cancel");
    QCOMPARE(call(*m_b, "DELETE", path).status, 204);
    monitor.section("after");
    const QHash<QByteArray, QByteArray> calls = monitor.sections();
    QCOMPARE(calls.value("create"), QByteArray("evalsha:2"));
    QCOMPARE(calls.value("cancel"), QByteArray("evalsha:1"));
    QTRY_COMPARE(m_twilio->verificationUpdates().size(), 1);
    const test::HttpRequest cancel = m_twilio->verificationUpdates().first();
    QCOMPARE(cancel.formValue(QStringLiteral("Status")), QStringLiteral("canceled"));
    QCOMPARE(cancel.path().section(u'/', -1), sidOfCreate(0));

    // Checks at both instances: the wrong codes count against the same attempts, the right
    // one approves.
    const Reply second = create(*m_a, QStringLiteral("+919876543211"));
    QCOMPARE(second.status, 201);
    const QString secondPath = QStringLiteral("/v1/verifications/") + second.string(u"id");
    const Reply wrong = call(*m_a, "POST", secondPath + u"/check", checkBody(u"000000"_qs));
    QCOMPARE(wrong.status, 422);
    QCOMPARE(wrong.json.value(u"attempts_left").toInt(), 4);
    const Reply wrongAtB = call(*m_b, "POST", secondPath + u"/check", checkBody(u"000000"_qs));
    QCOMPARE(wrongAtB.status, 422);
    QCOMPARE(wrongAtB.json.value(u"attempts_left").toInt(), 3);
    const Reply approved =
        call(*m_b, "POST", secondPath + u"/check", checkBody(m_twilio->verifyCode));
    QCOMPARE(approved.status, 200);
    QVERIFY(!approved.string(u"token").isEmpty());
    QCOMPARE(call(*m_a, "GET", secondPath).string(u"status"), QStringLiteral("approved"));
    // Approved: nothing left to cancel at Twilio.
    QCOMPARE(call(*m_a, "DELETE", secondPath).status, 404);
    QTest::qWait(200);
    QCOMPARE(m_twilio->verificationUpdates().size(), 1);

    // The SID is stored with the verification, never beside the number in clear.
    RedisClient probe(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())));
    QByteArray stored;
    bool read = false;
    probe.command({"HGET", "waotp:v:" + second.string(u"id").toLatin1(), "sid"},
                  [&](const RedisReply &r) {
                      stored = r.string;
                      read = true;
                  });
    QTRY_VERIFY(read);
    QCOMPARE(QString::fromLatin1(stored), sidOfCreate(1));
}

// After a failed delivery or send the person may try again at once, whichever instance they
// reach: the store holds the waiver, not the memory of the instance that heard of the failure.
// Once a code went out again, the cooldown holds at every instance, that one included.
void tst_SharedState::failureWaivesTheCooldownAtEveryInstance()
{
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) {
        s.config.policy.firstResendCooldown = 1s; // Redis' clock decides: a real wait
        s.config.policy.maxSendsPerHour = 10;
    }));
    const Reply created = create(*m_b);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    QCOMPARE(call(*m_a, "POST", path + u"/resend", "{}").status, 429);
    // The delivery failed, as reported to A.
    const QString sid = QStringLiteral("SM%1").arg(1, 32, 16, QLatin1Char('0'));
    QCOMPARE(statusCallback(*m_a, sid, QStringLiteral("undelivered"), lastStatusCallbackUrl()),
             204);
    QCOMPARE(call(*m_b, "POST", path + u"/resend", "{}").status, 201);
    const Reply again = call(*m_a, "POST", path + u"/resend", "{}");
    QCOMPARE(again.status, 429);
    QVERIFY(again.json.value(u"retry_after").toInt() > 0);

    // A resend that fails at Twilio, at A: the next one may go at once at B, and then not at A.
    QTest::qWait(2100); // the cooldown after two sends
    m_twilio->setCreateError(500, 20500, QStringLiteral("Internal Server Error"));
    QVERIFY(call(*m_a, "POST", path + u"/resend", "{}").status >= 500);
    m_twilio->clearCreateError();
    QCOMPARE(call(*m_b, "POST", path + u"/resend", "{}").status, 201);
    QCOMPARE(call(*m_a, "POST", path + u"/resend", "{}").status, 429);
    QCOMPARE(m_twilio->messageCreates().size(), 4);

    // A new verification whose send fails at A: the person starts anew at B at once.
    const QString other = QStringLiteral("+919876543211");
    m_twilio->setCreateError(500, 20500, QStringLiteral("Internal Server Error"));
    QVERIFY(create(*m_a, other).status >= 500);
    m_twilio->clearCreateError();
    const Reply anew = create(*m_b, other);
    QCOMPARE(anew.status, 201);
    QCOMPARE(create(*m_a, other).status, 429);
    // Approved at A: the person may sign in again at once at B.
    QString code = m_twilio->messageCreates().last().formValue(QStringLiteral("Body"));
    code.remove(QRegularExpression(QStringLiteral("[^0-9]")));
    QCOMPARE(call(*m_a, "POST", u"/v1/verifications/"_qs + anew.string(u"id") + u"/check",
                  checkBody(code.left(6)))
                 .status,
             200);
    QCOMPARE(create(*m_b, other).status, 201);
}

// With the shared send rate, a send within the rate still costs one Redis call: its slot is
// taken in the script that issues its code and stores the verification. A send that waits for
// its slot costs one call more when the slot comes (is its code still wanted?). In real time
// (the shared rate is kept by Redis's clock): about a second.
void tst_SharedState::redisCallsPerSendWithTheGovernor()
{
    const auto realTime = onRealTime();
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) {
        s.settings.maxSendsPerSecond = 1;
        s.settings.sendQueueLimit = 10;
        s.config.policy.firstResendCooldown = 0s;
    }));
    Monitor monitor(m_redis->port());
    monitor.section("create");
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json.value(u"queue_position").toInt(), 0);
    QCOMPARE(m_twilio->messageCreates().size(), 1);
    monitor.section("queued");
    const Reply queued =
        call(*m_b, "POST", u"/v1/verifications/"_qs + created.string(u"id") + u"/resend", "{}");
    QCOMPARE(queued.status, 201);
    QCOMPARE(queued.json.value(u"queue_position").toInt(), 1);
    QCOMPARE(m_twilio->messageCreates().size(), 1);
    monitor.section("slot");
    QVERIFY(QTest::qWaitFor([this] { return m_twilio->messageCreates().size() == 2; }, 5000));
    QTest::qWait(100);
    monitor.section("after");
    const QHash<QByteArray, QByteArray> calls = monitor.sections();
    for (const char *name : {"create", "queued", "slot"})
        qInfo().noquote() << "Redis calls of" << name << ":" << calls.value(name) << "("
                          << monitor.inScripts(name) << "commands in scripts)";
    QCOMPARE(calls.value("create"), QByteArray("evalsha:1"));
    QCOMPARE(calls.value("queued"), QByteArray("evalsha:1"));
    QCOMPARE(calls.value("slot"), QByteArray("evalsha:1"));
}

// Two creates of one number at once, from two clients: the first is over its client's limit.
// Whether both reach one instance (where the second waits for the first's send) or one each,
// each gets its own answer: the first 429 (its client's limit, with Retry-After), the second its
// send.
void tst_SharedState::createsAtOnceAnsweredEachOnItsOwn()
{
    // Twilio (no delivery report meanwhile: Redis sees the requests' calls only).
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) {
        s.settings.sendsPerIp = {1, 10min};
        s.settings.trustedProxies = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.1/32"))};
    }));
    const QUrl verifications(QStringLiteral("/v1/verifications"));
    Monitor monitor(m_redis->port());
    for (int round = 0; round < 6; ++round) {
        // A client new each round, its one send used up on another number.
        const QByteArray over = "203.0.113." + QByteArray::number(10 + round);
        const QByteArray fresh = "198.51.100." + QByteArray::number(10 + round);
        QNetworkReply *spend = send(*m_a, "POST", verifications.path(),
                                    createBody(QStringLiteral("+91987654330%1").arg(round)), over);
        QTRY_VERIFY(spend->isFinished());
        QCOMPARE(readReply(spend).status, 201);
        delete spend;
        const QByteArray body = createBody(QStringLiteral("+91987654320%1").arg(round));
        Server &second = round % 2 == 0 ? *m_a : *m_b;
        monitor.section("pair" + QByteArray::number(round));
        QNetworkReply *first = send(*m_a, "POST", verifications.path(), body, over);
        QNetworkReply *other = send(second, "POST", verifications.path(), body, fresh);
        QTRY_VERIFY(first->isFinished() && other->isFinished());
        monitor.section("after");
        const Reply refused = readReply(first);
        const Reply sent = readReply(other);
        const int retryAfter = first->rawHeader("Retry-After").toInt();
        delete first;
        delete other;
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.string(u"scope"), QStringLiteral("ip"));
        QVERIFY(retryAfter > 0);
        QCOMPARE(sent.status, 201);
        QVERIFY(!sent.string(u"id").isEmpty());
    }
    // One script call each, at one instance (where one waited for the other) as at two.
    const QHash<QByteArray, QByteArray> calls = monitor.sections();
    for (const QByteArray name : {"pair0", "pair1"}) {
        qInfo().noquote() << "Redis calls of" << name << ":" << calls.value(name);
        QCOMPARE(calls.value(name), QByteArray("evalsha:2"));
    }
}

// A resend cooldown below a second: a resend at the other instance a moment after the first
// send, while that send waits for its slot, is another code. The waiting one is dropped when
// its slot comes; the number gets the new code only.
void tst_SharedState::subSecondResendAtTheOtherReplacesTheQueuedCode()
{
    const auto realTime = onRealTime();
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) {
        s.settings.maxSendsPerSecond = 1;
        s.settings.sendQueueLimit = 10;
        s.config.policy.firstResendCooldown = 100ms;
        s.config.policy.maxResendCooldown = 200ms;
    }));
    const QString first = QStringLiteral("+919876543210");
    const QString second = QStringLiteral("+919876543211");
    QCOMPARE(create(*m_a, first).status, 201);
    const Reply queued = create(*m_a, second);
    QCOMPARE(queued.status, 201);
    QCOMPARE(queued.json.value(u"queue_position").toInt(), 1);
    QTest::qWait(150); // past the cooldown, well within the second
    const Reply resent =
        call(*m_b, "POST", u"/v1/verifications/"_qs + queued.string(u"id") + u"/resend", "{}");
    QCOMPARE(resent.status, 201);
    QVERIFY(resent.json.value(u"queue_position").toInt() >= 1);
    QTRY_COMPARE_WITH_TIMEOUT(m_a->governor()->stats().droppedInQueue, quint64(1), 5000);
    QVERIFY(QTest::qWaitFor([this] { return m_twilio->messageCreates().size() >= 2; }, 5000));
    QTest::qWait(300); // time for a replaced send that would wrongly go out after all
    QStringList to;
    for (const test::HttpRequest &r : m_twilio->messageCreates())
        to.append(r.formValue(QStringLiteral("To")).mid(9));
    QCOMPARE(to, (QStringList {first, second}));
    QCOMPARE(m_b->governor()->stats().droppedInQueue, quint64(0));
}

// A resend whose slot of the shared send rate was taken in its script, then refused by the
// engine before any message (the verification's channel, SMS, is not sent by this instance):
// its slot goes back, and the next send takes the place it would have had without it.
void tst_SharedState::sendRefusedAfterItsSlotGivesTheSlotBack()
{
    const auto realTime = onRealTime();
    QVERIFY(startTwilio());
    const auto governed = [](ServerSetup &s) {
        s.settings.maxSendsPerSecond = 1;
        s.settings.sendQueueLimit = 10;
        s.config.policy.firstResendCooldown = 0s;
    };
    m_a = startServer(liveWithCallbacks([governed](ServerSetup &s) {
        governed(s);
        s.config.twilio.smsFrom = FakeTwilioServer::smsFrom();
    }));
    m_b = startServer(liveWithCallbacks(governed)); // WhatsApp only
    QVERIFY(m_a && m_b);
    const QByteArray sms =
        QJsonDocument(QJsonObject {{QStringLiteral("phone"), QStringLiteral("+919876543210")},
                                   {QStringLiteral("flow"), QStringLiteral("signup")},
                                   {QStringLiteral("channel"), QStringLiteral("sms")}})
            .toJson();
    const Reply created = call(*m_a, "POST", QStringLiteral("/v1/verifications"), sms);
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json.value(u"queue_position").toInt(), 0);

    // The slots still to come, as every instance sees them.
    RedisClient probe(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())));
    const auto slotsToCome = [&probe] {
        qint64 n = -1;
        bool read = false;
        probe.command({"ZCOUNT", "waotp:sendrate:slots",
                       "(" + QByteArray::number(QDateTime::currentMSecsSinceEpoch()), "+inf"},
                      [&](const RedisReply &r) {
                          n = r.integer;
                          read = true;
                      });
        return QTest::qWaitFor([&read] { return read; }, 5000) ? n : qint64(-1);
    };
    Monitor monitor(m_redis->port());
    monitor.section("refused");
    const Reply refused =
        call(*m_b, "POST", u"/v1/verifications/"_qs + created.string(u"id") + u"/resend", "{}");
    QTest::qWait(100); // the code's cancel, which the answer does not wait for
    monitor.section("after");
    const QByteArray calls = monitor.sections().value("refused");
    qInfo().noquote() << "Redis calls of the refused resend:" << calls;
    // The resend, then its code cancelled, its budget given back, and the verification marked
    // failed with the slot given back in the same script.
    QCOMPARE(calls, QByteArray("evalsha:4"));
    QCOMPARE(refused.status, 422);
    QCOMPARE(refused.string(u"error"), QStringLiteral("channel_unavailable"));
    QCOMPARE(slotsToCome(), qint64(0));
    // Within the second of the first send, the next one is first in line (not second, behind a
    // slot nobody uses).
    const Reply next = create(*m_b, QStringLiteral("+919876543211"));
    QCOMPARE(next.status, 201);
    QVERIFY(next.json.value(u"queue_position").toInt() <= 1);
    QVERIFY(slotsToCome() <= 1);
}

// Twilio Verify: wrong codes sent to both instances at once each take an attempt (counted in
// one script on the verification as it is then), and one script call counts each.
void tst_SharedState::verifyModeWrongCodesAtOnceEachCount()
{
    QVERIFY(startTwilio());
    startPair(liveWithCallbacks([](ServerSetup &s) {
        s.config.twilio.verifyServiceSid = FakeTwilioServer::verifyServiceSid();
        s.settings.checksPerIp = {100, 10min};
    }));
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    int expected = created.json.value(u"attempts_left").toInt();
    QCOMPARE(expected, 5);
    for (int round = 0; round < 2; ++round) {
        QNetworkReply *atA = send(*m_a, "POST", path + u"/check", checkBody(u"000000"_qs));
        QNetworkReply *atB = send(*m_b, "POST", path + u"/check", checkBody(u"000000"_qs));
        QTRY_VERIFY(atA->isFinished() && atB->isFinished());
        const Reply a = readReply(atA);
        const Reply b = readReply(atB);
        delete atA;
        delete atB;
        QCOMPARE(a.status, 422);
        QCOMPARE(b.status, 422);
        QCOMPARE(a.string(u"error"), QStringLiteral("wrong_code"));
        // One saw the other's attempt taken already.
        const QSet<int> left {a.json.value(u"attempts_left").toInt(),
                              b.json.value(u"attempts_left").toInt()};
        QCOMPARE(left, (QSet<int> {expected - 1, expected - 2}));
        expected -= 2;
        QCOMPARE(call(*m_b, "GET", path).json.value(u"attempts_left").toInt(), expected);
    }
    // The last attempt: used up at any instance.
    const Reply last = call(*m_b, "POST", path + u"/check", checkBody(u"000000"_qs));
    QCOMPARE(last.status, 429);
    QCOMPARE(last.string(u"error"), QStringLiteral("too_many_attempts"));
    const Reply after = call(*m_a, "POST", path + u"/check", checkBody(m_twilio->verifyCode));
    QCOMPARE(after.status, 429);
    QVERIFY(after.string(u"token").isEmpty());

    Monitor monitor(m_redis->port());
    const Reply other = create(*m_b, QStringLiteral("+919876543211"));
    QCOMPARE(other.status, 201);
    const QString otherPath = QStringLiteral("/v1/verifications/") + other.string(u"id");
    monitor.section("wrong-check");
    QCOMPARE(call(*m_a, "POST", otherPath + u"/check", checkBody(u"000000"_qs)).status, 422);
    monitor.section("after");
    const QByteArray calls = monitor.sections().value("wrong-check");
    qInfo().noquote() << "Redis calls of a wrong code with Twilio Verify:" << calls;
    // The verification, the client's checks, the number's wrong codes, then the attempt.
    QCOMPARE(calls, QByteArray("evalsha:4"));
}

// The demo sender's delivery reports of many verifications in one pass of the event loop (as
// its steps come due together on a busy server) cost one script call: each shows at the other
// instance, to a GET and to the long polls waiting there.
void tst_SharedState::deliveryReportsOfOnePassAreOneCall()
{
    startPair([](ServerSetup &s) {
        s.settings.sendsPerIp = {20, 10min};
        s.settings.maxSendsPerMinute = 20;
    });
    // The demo's own steps come later than the test: it makes them itself, below.
    for (Server *server : {m_a.get(), m_b.get()})
        qobject_cast<DemoSender *>(&server->sender())->setStepDelay(1min);
    QList<PhoneNumber> numbers;
    QStringList paths;
    for (int i = 0; i < 10; ++i) {
        const QString phone = QStringLiteral("+91987654321%1").arg(i);
        const Reply created = create(*m_a, phone);
        QCOMPARE(created.status, 201);
        numbers.append(*PhoneNumber::parse(phone, u"").number);
        paths.append(QStringLiteral("/v1/verifications/") + created.string(u"id"));
    }
    QList<QNetworkReply *> waiting;
    auto deleteWaiting = qScopeGuard([&waiting] { qDeleteAll(waiting); });
    for (int i = 0; i < 3; ++i)
        waiting.append(send(*m_b, "GET", paths[i] + u"?wait=25"));
    QTest::qWait(300);
    for (QNetworkReply *w : std::as_const(waiting))
        QVERIFY(!w->isFinished());

    Monitor monitor(m_redis->port());
    monitor.section("reports");
    for (const PhoneNumber &n : std::as_const(numbers))
        Q_EMIT m_a->engine().deliveryStatusChanged(n, DeliveryStatus::Sent, 0);
    for (int i = 0; i < 5; ++i)
        Q_EMIT m_a->engine().deliveryStatusChanged(numbers[i], DeliveryStatus::Delivered, 0);
    for (QNetworkReply *w : std::as_const(waiting))
        QTRY_VERIFY_WITH_TIMEOUT(w->isFinished(), 5000);
    monitor.section("after");
    const QByteArray calls = monitor.sections().value("reports");
    qInfo().noquote() << "Redis calls of 15 delivery reports in one pass:" << calls;
    // One for the 15 reports, and the reads of the three long polls they woke at B: one call
    // for those woken in the same pass there.
    QVERIFY2(calls.startsWith("evalsha:"), calls.constData());
    const int scripts = calls.mid(8).toInt();
    QVERIFY2(scripts >= 2 && scripts <= 4, calls.constData());
    for (QNetworkReply *w : std::as_const(waiting)) {
        const Reply answered = readReply(w);
        QCOMPARE(answered.status, 200);
        QCOMPARE(answered.string(u"delivery"), QStringLiteral("delivered"));
    }
    for (int i = 0; i < 10; ++i)
        QCOMPARE(call(*m_b, "GET", paths[i]).string(u"delivery"),
                 i < 5 ? QStringLiteral("delivered") : QStringLiteral("sent"));
}

// Right codes checked at once on a busy server: the checks read in one pass of the event loop
// go to Redis in one call, and so do the approvals made final once their tokens exist (one
// call per pass rather than two per check). Every check gets its token, and GET at the other
// instance shows each approved.
void tst_SharedState::rightChecksAtOnceShareTheirCalls()
{
    constexpr int Checks = 20;
    startPair([](ServerSetup &s) {
        s.settings.sendsPerIp = {Checks, 10min};
        s.settings.checksPerIp = {Checks, 10min};
        s.settings.maxSendsPerMinute = Checks;
    });
    for (Server *server : {m_a.get(), m_b.get()})
        qobject_cast<DemoSender *>(&server->sender())->setStepDelay(1min);
    QList<QByteArray> checks;
    QStringList paths;
    for (int i = 0; i < Checks; ++i) {
        const Reply created =
            create(*m_a, QStringLiteral("+9198765433%1").arg(i, 2, 10, QLatin1Char('0')));
        QCOMPARE(created.status, 201);
        paths.append(QStringLiteral("/v1/verifications/") + created.string(u"id"));
        const QByteArray body = checkBody(created.string(u"demo_code"));
        checks.append("POST " + paths.last().toLatin1()
                      + "/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < Checks; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>());
        QVERIFY(clients.back()->connectTo(m_b->url().port()));
    }
    Monitor monitor(m_redis->port());
    monitor.section("checks");
    {
        const BusyLoop busy(5ms);
        for (int i = 0; i < Checks; ++i)
            clients[size_t(i)]->send(checks[i]);
        for (int i = 0; i < Checks; ++i) {
            const auto answered = clients[size_t(i)]->read(20000);
            QVERIFY(answered);
            QCOMPARE(answered->status, 200);
            QVERIFY(QJsonDocument::fromJson(answered->body).object().contains(u"token"));
        }
    }
    monitor.section("after");
    const QByteArray calls = monitor.sections().value("checks");
    qInfo().noquote() << "Redis calls of" << Checks << "right checks at once:" << calls;
    QVERIFY2(calls.startsWith("evalsha:"), calls.constData());
    const int scripts = calls.mid(8).toInt();
    // At least two (an approval is made final only after its check's call), far fewer than one
    // per check.
    QVERIFY2(scripts >= 2 && scripts <= Checks / 4, calls.constData());
    for (const QString &path : std::as_const(paths))
        QCOMPARE(call(*m_a, "GET", path).string(u"status"), QStringLiteral("approved"));
}

// Creates, resends and cancels at once on a busy server, with the shared send rate: the scripts
// of one pass go in one call, each with its own effect (the limits, the code store, the send
// rate's slot and the code's cancel each as alone). Every create and resend gets its code, a
// resend's code replaces the first, and each cancel shows at the other instance.
void tst_SharedState::requestsAtOnceShareTheirCalls()
{
    constexpr int Each = 10;
    startPair([](ServerSetup &s) {
        s.settings.sendsPerIp = {2 * Each, 10min};
        s.settings.checksPerIp = {2 * Each, 10min};
        s.settings.maxSendsPerMinute = 2 * Each;
        s.settings.maxSendsPerSecond = 1000;
        s.config.policy.firstResendCooldown = 100ms;
        s.config.policy.maxResendCooldown = 200ms;
    });
    for (Server *server : {m_a.get(), m_b.get()})
        qobject_cast<DemoSender *>(&server->sender())->setStepDelay(1min);
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < Each; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>());
        QVERIFY(clients.back()->connectTo(m_a->url().port()));
    }
    const auto request = [](const QByteArray &method, const QString &path,
                            const QByteArray &body) -> QByteArray {
        return method + ' ' + path.toLatin1()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              "Content-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    };
    Monitor monitor(m_redis->port());
    // Each round's requests sent at once, the server busy 5 ms a pass; their answers.
    const auto atOnce = [&](const QByteArray &name, const QList<QByteArray> &requests) {
        QList<RawHttpClient::Response> answers;
        monitor.section(name);
        {
            const BusyLoop busy(5ms);
            for (int i = 0; i < Each; ++i)
                clients[size_t(i)]->send(requests[i]);
            for (int i = 0; i < Each; ++i) {
                const auto answered = clients[size_t(i)]->read(20000);
                if (!answered)
                    return QList<RawHttpClient::Response> {};
                answers.append(*answered);
            }
        }
        monitor.section("after-" + name);
        return answers;
    };
    const auto json = [](const RawHttpClient::Response &r) {
        return QJsonDocument::fromJson(r.body).object();
    };

    QList<QByteArray> creates;
    for (int i = 0; i < Each; ++i)
        creates.append(
            request("POST", QStringLiteral("/v1/verifications"),
                    createBody(QStringLiteral("+9198765434%1").arg(i, 2, 10, QLatin1Char('0')))));
    const auto created = atOnce("creates", creates);
    QCOMPARE(created.size(), Each);
    QStringList paths, firstCodes;
    for (const auto &r : created) {
        QCOMPARE(r.status, 201);
        paths.append(QStringLiteral("/v1/verifications/") + json(r).value(u"id").toString());
        firstCodes.append(json(r).value(u"demo_code").toString());
        QCOMPARE(firstCodes.last().size(), 6);
    }

    QTest::qWait(300); // the resend cooldown, on Redis' clock
    QList<QByteArray> resends;
    for (const QString &path : std::as_const(paths))
        resends.append(request("POST", path + u"/resend", "{}"));
    const auto resent = atOnce("resends", resends);
    QCOMPARE(resent.size(), Each);
    QStringList codes;
    for (const auto &r : resent) {
        QCOMPARE(r.status, 201);
        codes.append(json(r).value(u"demo_code").toString());
        QCOMPARE(codes.last().size(), 6);
    }

    // The first codes are void (checked at the other instance), then everything is cancelled.
    for (int i = 0; i < Each; ++i) {
        if (firstCodes[i] == codes[i])
            continue; // the new code happened to be the same
        QCOMPARE(call(*m_b, "POST", paths[i] + u"/check", checkBody(firstCodes[i])).status, 422);
    }
    QList<QByteArray> cancels;
    for (const QString &path : std::as_const(paths))
        cancels.append(request("DELETE", path, {}));
    const auto cancelled = atOnce("cancels", cancels);
    QCOMPARE(cancelled.size(), Each);
    for (const auto &r : cancelled)
        QCOMPARE(r.status, 204);

    const QHash<QByteArray, QByteArray> calls = monitor.sections();
    for (const QByteArray name : {"creates", "resends", "cancels"}) {
        const QByteArray c = calls.value(name);
        qInfo().noquote() << "Redis calls of" << Each << name << "at once:" << c;
        QVERIFY2(c.startsWith("evalsha:"), c.constData());
        QVERIFY2(c.mid(8).toInt() >= 1 && c.mid(8).toInt() <= Each / 2, c.constData());
    }
    for (int i = 0; i < Each; ++i) {
        QCOMPARE(call(*m_b, "GET", paths[i]).string(u"status"), QStringLiteral("canceled"));
        QCOMPARE(call(*m_b, "POST", paths[i] + u"/check", checkBody(codes[i])).status, 404);
    }
}

// An instance that stopped between a right code and its token (killed, say) leaves the approval
// not final: closed to checks and shown pending at every instance. The person who typed the
// code starts anew at once, at any instance, as after an approval: the cooldown is waived.
void tst_SharedState::approvalCutShortStartsAnewAtOnce()
{
    startPair();
    const Reply created = create(*m_a);
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    QCOMPARE(create(*m_b).status, 429); // the first send's cooldown holds
    RedisClient probe(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_redis->url())));
    // As checkCode() leaves a right code until its token is out.
    ask(probe, {"HSET", "waotp:v:" + created.string(u"id").toLatin1(), "ok", "2"});
    QCOMPARE(call(*m_b, "POST", path + u"/check", checkBody(created.string(u"demo_code"))).status,
             404);
    QCOMPARE(call(*m_b, "GET", path).string(u"status"), QStringLiteral("pending"));
    const Reply anew = create(*m_b);
    QCOMPARE(anew.status, 201);
    QVERIFY(anew.string(u"id") != created.string(u"id"));
    const QString code = anew.string(u"demo_code");
    QCOMPARE(call(*m_a, "POST", u"/v1/verifications/"_qs + anew.string(u"id") + u"/check",
                  checkBody(code))
                 .status,
             200);
}

QTEST_GUILESS_MAIN(tst_SharedState)
#include "tst_sharedstate.moc"
