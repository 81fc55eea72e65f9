// The Redis store as a fleet sees it: two engine instances (two kiosks, each with its own
// connection and sender) share one real redis-server started for the test.
#include "EngineSpy.h"
#include "FakeClock.h"
#include "FakeSender.h"
#include "RedisServer.h"
#include "engine/OtpEngine.h"
#include "network/redis/RedisCodeStore.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;
using RS = CodeRequestResult::Status;
using VS = VerifyResult::Status;

namespace {

const QByteArray Secret = QByteArrayLiteral("test-fleet-secret-0000");

/// One kiosk: its own connection to the shared server, its own sender and engine.
struct Kiosk
{
    std::unique_ptr<RedisCodeStore> store;
    std::unique_ptr<FakeSender> sender;
    std::unique_ptr<OtpEngine> engine;
};

/// Runs one command on @p client and waits for its reply.
RedisReply call(RedisClient &client, const QList<QByteArray> &args)
{
    auto reply = std::make_shared<std::optional<RedisReply>>();
    client.command(args, [reply](const RedisReply &r) { *reply = r; });
    const QDeadlineTimer deadline(10000);
    while (!*reply && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return reply->value_or(RedisReply {});
}

/// Runs the event loop until @p done() holds (or ten seconds pass), without sleeping past it.
template<typename Predicate> bool waitUntil(Predicate done)
{
    const QDeadlineTimer deadline(10000);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return done();
}

} // namespace

class tst_RedisStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void endpointFromUrl_data();
    void endpointFromUrl();
    void tlsIsRefusedClearly();
    void codeSentOnOneVerifiesOnTheOther();
    void attemptsAreShared();
    void cooldownIsShared();
    void hourlyCapIsShared();
    void verifiesOnceUnderRace();
    void codeExpiresWithRedisTtl();
    void noPlainNumberOrCodeIsStored();
    void failsClosedWhenRedisStops();
    void failsClosedWhenRedisHangs();
    void logsInWithPassword();
    void worksAsTheReadmesAclUser();
    void wrongCodesAreSharedAndExpire();

private:
    Kiosk makeKiosk(OtpPolicy policy = {}, RedisStoreOptions options = fastOptions(),
                    const QString &url = {});
    static RedisStoreOptions fastOptions();

    RedisServer m_server;
    std::unique_ptr<RedisClient> m_admin;
    FakeClock m_clock;
    const PhoneNumber m_number = number(u"9876543210");
};

RedisStoreOptions tst_RedisStore::fastOptions()
{
    RedisStoreOptions o;
    // Short enough to keep the failure tests quick, long enough for a loaded CI machine.
    o.connection.connectTimeout = 1000ms;
    o.connection.commandTimeout = 1000ms;
    o.connection.reconnectMin = 50ms;
    o.connection.reconnectMax = 200ms;
    return o;
}

Kiosk tst_RedisStore::makeKiosk(OtpPolicy policy, RedisStoreOptions options, const QString &url)
{
    auto made = RedisCodeStore::create(url.isEmpty() ? m_server.url() : url, std::move(options));
    if (auto *error = std::get_if<QString>(&made))
        qFatal("cannot make a Redis store: %s", qPrintable(*error));
    Kiosk k;
    k.store = std::move(std::get<std::unique_ptr<RedisCodeStore>>(made));
    k.sender = std::make_unique<FakeSender>();
    k.engine =
        std::make_unique<OtpEngine>(m_clock, *k.store, CodeHasher(Secret), *k.sender, policy);
    return k;
}

void tst_RedisStore::initTestCase()
{
    if (!m_server.start())
        QFAIL(qPrintable(m_server.errorString()));
    m_admin = std::make_unique<RedisClient>(
        std::get<RedisEndpoint>(RedisEndpoint::fromUrl(m_server.url())));
}

void tst_RedisStore::init()
{
    if (!m_server.isRunning())
        QVERIFY(m_server.start());
    m_server.resume();
    QCOMPARE(call(*m_admin, {"FLUSHALL"}).string, QByteArray("OK"));
}

void tst_RedisStore::cleanup()
{
    m_server.resume();
}

void tst_RedisStore::endpointFromUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("db");
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QString>("error"); // a part of the message, empty if the URL is good

    QTest::newRow("host and port")
        << QStringLiteral("redis://127.0.0.1:6380/2") << QStringLiteral("127.0.0.1") << 6380 << 2
        << QByteArray() << QByteArray() << QString();
    QTest::newRow("defaults") << QStringLiteral("redis://127.0.0.1") << QStringLiteral("127.0.0.1")
                              << 6379 << 0 << QByteArray() << QByteArray() << QString();
    QTest::newRow("loopback, no password")
        << QStringLiteral("redis://127.8.9.10:7000") << QStringLiteral("127.8.9.10") << 7000 << 0
        << QByteArray() << QByteArray() << QString();
    QTest::newRow("ipv6 loopback, no password")
        << QStringLiteral("redis://[::1]/2") << QStringLiteral("::1") << 6379 << 2 << QByteArray()
        << QByteArray() << QString();
    // Beyond this machine: a password, or an ACL user.
    QTest::newRow("remote, no password")
        << QStringLiteral("redis://cache.local") << QString() << 0 << 0 << QByteArray()
        << QByteArray() << QStringLiteral("needs a password");
    QTest::newRow("remote address, no password")
        << QStringLiteral("redis://10.0.0.5:6379/0") << QString() << 0 << 0 << QByteArray()
        << QByteArray() << QStringLiteral("redis://USER:PASSWORD@host");
    QTest::newRow("localhost by name, no password")
        << QStringLiteral("redis://localhost") << QString() << 0 << 0 << QByteArray()
        << QByteArray() << QStringLiteral("only a loopback address");
    QTest::newRow("remote acl user")
        << QStringLiteral("redis://waotp:s3cret@10.0.0.5:6379/0") << QStringLiteral("10.0.0.5")
        << 6379 << 0 << QByteArray("waotp") << QByteArray("s3cret") << QString();
    QTest::newRow("password only")
        << QStringLiteral("redis://:s3cret@cache.local/") << QStringLiteral("cache.local") << 6379
        << 0 << QByteArray() << QByteArray("s3cret") << QString();
    QTest::newRow("acl user, ipv6, escaped")
        << QStringLiteral("redis://kiosk:p%40ss@[::1]:7000/1") << QStringLiteral("::1") << 7000 << 1
        << QByteArray("kiosk") << QByteArray("p@ss") << QString();
    QTest::newRow("other scheme") << QStringLiteral("http://cache.local") << QString() << 0 << 0
                                  << QByteArray() << QByteArray()
                                  << QStringLiteral("unsupported scheme");
    QTest::newRow("no host") << QStringLiteral("redis:///0") << QString() << 0 << 0 << QByteArray()
                             << QByteArray() << QStringLiteral("no host");
    QTest::newRow("bad db") << QStringLiteral("redis://:topsecret@cache.local/x") << QString() << 0
                            << 0 << QByteArray() << QByteArray()
                            << QStringLiteral("database number");
    QTest::newRow("not a url") << QStringLiteral("cache.local:6379") << QString() << 0 << 0
                               << QByteArray() << QByteArray() << QStringLiteral("unsupported");
}

void tst_RedisStore::endpointFromUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(int, db);
    QFETCH(QByteArray, user);
    QFETCH(QByteArray, password);
    QFETCH(QString, error);

    const auto parsed = RedisEndpoint::fromUrl(url);
    if (!error.isEmpty()) {
        const QString *message = std::get_if<QString>(&parsed);
        QVERIFY(message);
        QVERIFY2(message->contains(error), qPrintable(*message));
        QVERIFY(!message->contains(u"topsecret")); // never echo a password
        return;
    }
    const RedisEndpoint *e = std::get_if<RedisEndpoint>(&parsed);
    QVERIFY(e);
    QCOMPARE(e->host, host);
    QCOMPARE(int(e->port), port);
    QCOMPARE(e->db, db);
    QCOMPARE(e->username, user);
    QCOMPARE(e->password, password);
    QVERIFY(!e->displayName().contains(u"s3cret"));
}

void tst_RedisStore::tlsIsRefusedClearly()
{
    const auto made =
        RedisCodeStore::create(QStringLiteral("rediss://:topsecret@cache.local:6380"));
    const QString *error = std::get_if<QString>(&made);
    QVERIFY(error);
    QVERIFY2(error->contains(u"TLS") && error->contains(u"hiredis"), qPrintable(*error));
    QVERIFY(!error->contains(u"topsecret"));
}

void tst_RedisStore::codeSentOnOneVerifiesOnTheOther()
{
    Kiosk a = makeKiosk();
    Kiosk b = makeKiosk();
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    const QString code = a.sender->sent.last().code;
    QCOMPARE(verifyAndWait(*b.engine, m_number, code).status, VS::Verified);
    QCOMPARE(verifyAndWait(*a.engine, m_number, code).status, VS::NoCode); // single use, fleet-wide
    QVERIFY(b.sender->sent.isEmpty());
}

void tst_RedisStore::attemptsAreShared()
{
    Kiosk a = makeKiosk();
    Kiosk b = makeKiosk();
    requestAndWait(*a.engine, m_number);
    const QString code = a.sender->sent.last().code;
    const QString wrong = wrongCode(code);
    // Walking to the next kiosk does not buy fresh attempts.
    for (int left = 4; left >= 1; --left) {
        OtpEngine &engine = left % 2 ? *a.engine : *b.engine;
        const VerifyResult r = verifyAndWait(engine, m_number, wrong);
        QCOMPARE(r.status, VS::WrongCode);
        QCOMPARE(r.attemptsLeft, left);
    }
    QCOMPARE(verifyAndWait(*b.engine, m_number, wrong).status, VS::TooManyAttempts);
    QCOMPARE(verifyAndWait(*a.engine, m_number, code).status, VS::TooManyAttempts);
}

void tst_RedisStore::cooldownIsShared()
{
    Kiosk a = makeKiosk();
    Kiosk b = makeKiosk();
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    const CodeRequestResult r = requestAndWait(*b.engine, m_number);
    QCOMPARE(r.status, RS::CoolingDown);
    QCOMPARE(r.retryAfter, 30s); // the server's clock moved a little: still rounds up to 30 s
    QCOMPARE(r.sendsInWindow, 1);
    QVERIFY(b.sender->sent.isEmpty());
}

void tst_RedisStore::hourlyCapIsShared()
{
    OtpPolicy p;
    p.firstResendCooldown = 0ms;
    p.maxResendCooldown = 0ms;
    p.maxSendsPerHour = 3;
    Kiosk a = makeKiosk(p);
    Kiosk b = makeKiosk(p);
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    QCOMPARE(requestAndWait(*b.engine, m_number).status, RS::Sent);
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    const CodeRequestResult r = requestAndWait(*b.engine, m_number);
    QCOMPARE(r.status, RS::HourlyLimit);
    QVERIFY(r.retryAfter > 59min && r.retryAfter <= 1h);
    QCOMPARE(a.sender->sent.size() + b.sender->sent.size(), 3);
}

void tst_RedisStore::verifiesOnceUnderRace()
{
    Kiosk a = makeKiosk();
    Kiosk b = makeKiosk();
    QSignalSpy checkedA(a.engine.get(), &OtpEngine::codeChecked);
    QSignalSpy checkedB(b.engine.get(), &OtpEngine::codeChecked);
    for (int round = 0; round < 200; ++round) {
        const PhoneNumber n = number(QStringLiteral("98765%1").arg(round, 5, 10, QLatin1Char('0')));
        QCOMPARE(requestAndWait(*a.engine, n).status, RS::Sent);
        const QString code = a.sender->sent.last().code;
        checkedA.clear();
        checkedB.clear();
        // Both kiosks submit the right code in the same event-loop turn.
        a.engine->verifyCode(n, code);
        b.engine->verifyCode(n, code);
        QVERIFY(waitUntil([&] { return checkedA.size() == 1 && checkedB.size() == 1; }));
        const VS ra = checkedA.first().at(2).value<VerifyResult>().status;
        const VS rb = checkedB.first().at(2).value<VerifyResult>().status;
        QVERIFY2(
            (ra == VS::Verified) != (rb == VS::Verified),
            qPrintable(QStringLiteral("round %1: %2 and %3").arg(round).arg(int(ra)).arg(int(rb))));
        QVERIFY(ra == VS::NoCode || rb == VS::NoCode);
    }
}

void tst_RedisStore::codeExpiresWithRedisTtl()
{
    OtpPolicy p;
    p.codeLifetime = 300ms;
    p.firstResendCooldown = 0ms;
    Kiosk a = makeKiosk(p); // the server's clock: real time
    Kiosk b = makeKiosk(p);
    const PhoneNumber idle = number(u"9876500001");
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    QCOMPARE(requestAndWait(*a.engine, idle).status, RS::Sent);
    const QString code = a.sender->sent.first().code;

    const CodeHasher hasher(Secret);
    const QByteArray idleKey = a.store->codeKey(hasher.subjectKey(idle.e164()));
    const qint64 ttl = call(*m_admin, {"PTTL", idleKey}).integer;
    QVERIFY2(ttl > 0 && ttl <= 600, qPrintable(QString::number(ttl))); // Redis will drop it

    QTest::qWait(400);
    QCOMPARE(verifyAndWait(*b.engine, m_number, code).status, VS::Expired);
    QCOMPARE(verifyAndWait(*b.engine, m_number, code).status, VS::NoCode);
    // Nobody touches the other number's code: Redis removes it by itself.
    QTRY_COMPARE_WITH_TIMEOUT(call(*m_admin, {"EXISTS", idleKey}).integer, qint64(0), 5000);
    QCOMPARE(verifyAndWait(*b.engine, idle, a.sender->sent.last().code).status, VS::NoCode);
    // The send history stays for the window (the hourly cap), with its own TTL.
    const qint64 historyTtl =
        call(*m_admin, {"PTTL", a.store->sendsKey(hasher.subjectKey(idle.e164()))}).integer;
    QVERIFY(historyTtl > 0 && historyTtl <= 3'600'000);
}

void tst_RedisStore::noPlainNumberOrCodeIsStored()
{
    RedisStoreOptions options = fastOptions();
    options.keyPrefix = "kiosk-fleet:";
    Kiosk a = makeKiosk({}, options);
    Kiosk b = makeKiosk({}, options);
    const PhoneNumber other = number(u"+14155552671");
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    QCOMPARE(requestAndWait(*b.engine, other).status, RS::Sent);
    const QString mine = a.sender->sent.last().code;
    const QString theirs = b.sender->sent.last().code;
    QCOMPARE(verifyAndWait(*b.engine, m_number, wrongCode(mine)).status, VS::WrongCode);
    QCOMPARE(requestAndWait(*b.engine, m_number).status, RS::CoolingDown);

    QList<QByteArray> needles;
    for (const PhoneNumber &n : {m_number, other}) {
        const QByteArray e164 = n.e164().toUtf8();
        needles << e164 << e164.mid(1) << n.international().toUtf8();
    }
    needles << QByteArray("9876543210") << mine.toUtf8() << theirs.toUtf8();

    QByteArrayList keys;
    QByteArray cursor = "0";
    do {
        const RedisReply r = call(*m_admin, {"SCAN", cursor, "COUNT", "1000"});
        QCOMPARE(r.type, RedisReply::Type::Array);
        cursor = r.elements.at(0).string;
        for (const RedisReply &k : r.elements.at(1).elements)
            keys << k.string;
    } while (cursor != "0");
    // A code and a history per number, the wrong code guessed at one of them, two indexes.
    QCOMPARE(keys.size(), 7);

    for (const QByteArray &key : std::as_const(keys)) {
        QVERIFY2(key.startsWith("kiosk-fleet:"), key.constData());
        QByteArray seen = key;
        const QByteArray type = call(*m_admin, {"TYPE", key}).string;
        RedisReply values;
        if (type == "hash")
            values = call(*m_admin, {"HGETALL", key});
        else if (type == "zset")
            values = call(*m_admin, {"ZRANGE", key, "0", "-1", "WITHSCORES"});
        else
            QFAIL(qPrintable(QStringLiteral("unexpected key type %1").arg(QLatin1String(type))));
        for (const RedisReply &v : std::as_const(values.elements))
            seen += ' ' + v.string;
        seen += ' ' + call(*m_admin, {"DUMP", key}).string;
        for (const QByteArray &needle : std::as_const(needles))
            QVERIFY2(!seen.contains(needle), key.constData());
        // Everything expires by itself.
        QVERIFY2(call(*m_admin, {"PTTL", key}).integer > 0, key.constData());
    }
}

void tst_RedisStore::failsClosedWhenRedisStops()
{
    Kiosk a = makeKiosk();
    QSignalSpy availability(a.store.get(), &RedisCodeStore::availabilityChanged);
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    const QString code = a.sender->sent.last().code;

    m_server.stop();
    const PhoneNumber next = number(u"9876500002");
    QCOMPARE(requestAndWait(*a.engine, next).status, RS::Unavailable);
    QCOMPARE(a.sender->sent.size(), 1); // nothing was sent
    QCOMPARE(verifyAndWait(*a.engine, m_number, code).status, VS::Unavailable);
    QVERIFY(!a.store->isConnected());
    QVERIFY(availability.contains(QVariantList {false}));

    QVERIFY(m_server.start()); // same port, empty (nothing is saved)
    CodeRequestResult r;
    for (int i = 0; i < 50 && r.status != RS::Sent; ++i) {
        r = requestAndWait(*a.engine, next);
        if (r.status != RS::Sent)
            QTest::qWait(100);
    }
    QCOMPARE(r.status, RS::Sent);
    QCOMPARE(a.sender->sent.size(), 2);
    QCOMPARE(verifyAndWait(*a.engine, next, a.sender->sent.last().code).status, VS::Verified);
    QCOMPARE(availability.last(), QVariantList {true});
}

void tst_RedisStore::failsClosedWhenRedisHangs()
{
    Kiosk a = makeKiosk();
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    const QString code = a.sender->sent.last().code;

    m_server.pause(); // the connection stays open; nothing is answered
    // A wrong guess, not the right code: a command already written may still run once the
    // server wakes up, although its answer came too late to count.
    QCOMPARE(verifyAndWait(*a.engine, m_number, wrongCode(code)).status, VS::Unavailable);
    QCOMPARE(requestAndWait(*a.engine, number(u"9876500003")).status, RS::Unavailable);
    QCOMPARE(a.sender->sent.size(), 1);

    m_server.resume();
    VerifyResult r;
    for (int i = 0; i < 50 && r.status == VS::Unavailable; ++i) {
        r = verifyAndWait(*a.engine, m_number, code);
        if (r.status == VS::Unavailable)
            QTest::qWait(100);
    }
    QCOMPARE(r.status, VS::Verified); // the code survived the hang
}

void tst_RedisStore::logsInWithPassword()
{
    RedisServer locked({QStringLiteral("--requirepass"), QStringLiteral("test-redis-pass-0000")});
    QVERIFY2(locked.start(), qPrintable(locked.errorString()));
    const QString base = QStringLiteral("redis://:%1@127.0.0.1:%2/3");

    Kiosk good = makeKiosk({}, fastOptions(),
                           base.arg(QStringLiteral("test-redis-pass-0000")).arg(locked.port()));
    QCOMPARE(requestAndWait(*good.engine, m_number).status, RS::Sent);

    static QStringList logged;
    logged.clear();
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType, const QMessageLogContext &, const QString &message) { logged << message; });
    Kiosk bad = makeKiosk({}, fastOptions(),
                          base.arg(QStringLiteral("wrong-pass-0000")).arg(locked.port()));
    const RS status = requestAndWait(*bad.engine, number(u"9876500004")).status;
    qInstallMessageHandler(previous);
    QCOMPARE(status, RS::Unavailable);
    QVERIFY(bad.sender->sent.isEmpty());
    QVERIFY(!bad.store->isConnected());
    QVERIFY2(logged.join(u'\n').contains(u"Redis refused AUTH"), qPrintable(logged.join(u'\n')));
    for (const QString &line : std::as_const(logged))
        QVERIFY2(!line.contains(u"pass-0000"), qPrintable(line)); // secrets never reach a log
}

// The ACL line of the README, run on a real Redis 7: the store does all it does as that user, and
// that user can do nothing else.
void tst_RedisStore::worksAsTheReadmesAclUser()
{
    const QList<QByteArray> acl =
        readmeAclLine(QStringLiteral(WAOTP_README), "waotp", "test-acl-pass-0000");
    QVERIFY2(!acl.isEmpty(), "no ACL SETUSER line in the README");
    QCOMPARE(call(*m_admin, acl).string, QByteArray("OK"));
    const auto dropUser = qScopeGuard([this] { call(*m_admin, {"ACL", "DELUSER", "waotp"}); });

    static QStringList logged;
    logged.clear();
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType, const QMessageLogContext &, const QString &message) { logged << message; });
    const auto restore = qScopeGuard([previous] { qInstallMessageHandler(previous); });

    const QString url =
        QStringLiteral("redis://waotp:test-acl-pass-0000@127.0.0.1:%1").arg(m_server.port());
    OtpPolicy policy;
    policy.firstResendCooldown = 0ms;
    Kiosk a = makeKiosk(policy, fastOptions(), url); // the server's clock: TIME in the scripts
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    const QString code = a.sender->sent.last().code;
    for (int i = 0; i < 4; ++i)
        QCOMPARE(verifyAndWait(*a.engine, m_number, wrongCode(code)).status, VS::WrongCode);
    QCOMPARE(verifyAndWait(*a.engine, m_number, code).status, VS::Verified);
    QCOMPARE(requestAndWait(*a.engine, m_number).status, RS::Sent);
    a.engine->cancel(m_number);
    QCOMPARE(verifyAndWait(*a.engine, m_number, a.sender->sent.last().code).status, VS::NoCode);
    // As after SCRIPT FLUSH: the scripts go again whole, with EVAL.
    QCOMPARE(call(*m_admin, {"SCRIPT", "FLUSH"}).string, QByteArray("OK"));
    const PhoneNumber third = number(u"9876500008");
    QCOMPARE(requestAndWait(*a.engine, third).status, RS::Sent);
    QCOMPARE(verifyAndWait(*a.engine, third, a.sender->sent.last().code).status, VS::Verified);
    a.engine->sweep();
    // Twilio Verify's path: each check counted before it goes out, given back when right.
    Kiosk v = makeKiosk(policy, fastOptions(), url);
    v.sender->ownsCodes = true;
    const PhoneNumber other = number(u"9876500009");
    QCOMPARE(requestAndWait(*v.engine, other).status, RS::Sent);
    QCOMPARE(verifyAndWait(*v.engine, other, QStringLiteral("424242")).status, VS::Verified);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(requestAndWait(*v.engine, number(QStringLiteral("98765000%1").arg(i + 10))).status,
                 RS::Sent);
    QTRY_VERIFY(a.store->trackedSubjects() > 0);
    for (const QString &line : std::as_const(logged))
        QVERIFY2(!line.contains(u"NOPERM") && !line.contains(u"refused"), qPrintable(line));

    // Nothing else: other keys, other commands.
    RedisClient user(std::get<RedisEndpoint>(RedisEndpoint::fromUrl(url)));
    QVERIFY(call(user, {"GET", "other:key"}).string.startsWith("NOPERM"));
    QVERIFY(call(user, {"GET", "waotp:index:codes"}).string.startsWith("NOPERM"));
    QVERIFY(call(user, {"FLUSHALL"}).string.startsWith("NOPERM"));
    QVERIFY(call(user, {"SCRIPT", "FLUSH"}).string.startsWith("NOPERM"));
    QVERIFY(call(user, {"EVAL", "return redis.call('FLUSHALL')", "0"}).isError());
    QVERIFY(
        call(user, {"EVAL", "return redis.call('SET', KEYS[1], 'x')", "1", "other:key"}).isError());
    QCOMPARE(call(*m_admin, {"EXISTS", "other:key"}).integer, qint64(0));
}

// Wrong codes counted on one kiosk hold the number back on the other, and leave after a day.
void tst_RedisStore::wrongCodesAreSharedAndExpire()
{
    OtpPolicy p;
    p.firstResendCooldown = 0ms;
    p.maxResendCooldown = 0ms;
    Kiosk a = makeKiosk(p);
    Kiosk b = makeKiosk(p);
    for (Kiosk *k : {&a, &b}) {
        QCOMPARE(requestAndWait(*k->engine, m_number).status, RS::Sent);
        const QString wrong = wrongCode(k->sender->sent.last().code);
        for (int i = 0; i < 5; ++i)
            verifyAndWait(*k->engine, m_number, wrong);
    }
    const CodeRequestResult r = requestAndWait(*a.engine, m_number);
    QCOMPARE(r.status, RS::FailureBackoff);
    QVERIFY(r.retryAfter > 55s && r.retryAfter <= 60s);
    const CodeHasher hasher(Secret);
    const QByteArray key = a.store->failuresKey(hasher.subjectKey(m_number.e164()));
    QCOMPARE(call(*m_admin, {"ZCARD", key}).integer, qint64(10));
    const qint64 ttl = call(*m_admin, {"PTTL", key}).integer;
    QVERIFY2(ttl > 86'000'000 && ttl <= 86'400'000, qPrintable(QString::number(ttl)));
}

QTEST_GUILESS_MAIN(tst_RedisStore)
#include "tst_redisstore.moc"
