// The Redis store against a server that answers what the test tells it to: a loopback TCP server
// speaking RESP. Every reply its scripts could not have given (a wrong type or shape, an unknown
// status, a duration or count out of range, an integer that would overflow the clock) must fail
// closed: Unavailable, never a success, and no count taken from it.
#include "network/redis/RedisCodeStore.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <limits>
#include <memory>
#include <optional>

using namespace waotp;
using namespace std::chrono_literals;

namespace {

/// Reads the commands hiredis writes (arrays of bulk strings) and answers SCRIPT LOAD with the
/// script's SHA1, anything else with the reply the test set.
class FakeRedis : public QObject
{
    Q_OBJECT
public:
    FakeRedis()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { read(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const
    {
        return QStringLiteral("redis://127.0.0.1:%1").arg(m_server.serverPort());
    }

    /// The raw RESP the next script call is answered with.
    QByteArray reply;
    QList<QList<QByteArray>> commands;

private:
    void read(QTcpSocket *s)
    {
        QByteArray &buffer = m_buffers[s];
        buffer += s->readAll();
        while (true) {
            qsizetype used = 0;
            const auto command = parse(buffer, &used);
            if (!command)
                return;
            buffer.remove(0, used);
            commands.append(*command);
            s->write(answer(*command));
        }
    }

    QByteArray answer(const QList<QByteArray> &command) const
    {
        const QByteArray name = command.value(0).toUpper();
        if (name == "SCRIPT") {
            const QByteArray sha =
                QCryptographicHash::hash(command.value(2), QCryptographicHash::Sha1).toHex();
            return "$" + QByteArray::number(sha.size()) + "\r\n" + sha + "\r\n";
        }
        if (name == "EVALSHA" || name == "EVAL")
            return reply;
        return "+OK\r\n";
    }

    // One command (*N, then N bulk strings), or nothing while it is incomplete.
    static std::optional<QList<QByteArray>> parse(const QByteArray &b, qsizetype *used)
    {
        const auto line = [&b](qsizetype from, qsizetype *next) -> std::optional<qint64> {
            const qsizetype end = b.indexOf("\r\n", from);
            if (end < 0)
                return std::nullopt;
            *next = end + 2;
            return b.mid(from + 1, end - from - 1).toLongLong();
        };
        qsizetype at = 0;
        const auto count = b.startsWith('*') ? line(0, &at) : std::nullopt;
        if (!count)
            return std::nullopt;
        QList<QByteArray> args;
        for (qint64 i = 0; i < *count; ++i) {
            qsizetype data = 0;
            const auto size = line(at, &data);
            if (!size || b.size() < data + *size + 2)
                return std::nullopt;
            args.append(b.mid(data, *size));
            at = data + *size + 2;
        }
        *used = at;
        return args;
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

/// A RESP array of integers.
QByteArray ints(std::initializer_list<qint64> values)
{
    QByteArray out = "*" + QByteArray::number(qsizetype(values.size())) + "\r\n";
    for (qint64 v : values)
        out += ":" + QByteArray::number(v) + "\r\n";
    return out;
}

template<typename Predicate> bool waitUntil(Predicate done)
{
    const QDeadlineTimer deadline(10000);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return done();
}

const Digest Subject = [] {
    Digest d {};
    d.fill(0x11);
    return d;
}();
const Digest Mac = [] {
    Digest d {};
    d.fill(0x22);
    return d;
}();
const auto Now = std::chrono::steady_clock::time_point(1000h);

} // namespace

Q_DECLARE_METATYPE(IssueOutcome::Status)
Q_DECLARE_METATYPE(CheckOutcome::Status)
Q_DECLARE_METATYPE(GuessReservation::Status)

class tst_RedisReplies : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void issueReplies_data();
    void issueReplies();
    void checkReplies_data();
    void checkReplies();
    void reservationReplies_data();
    void reservationReplies();
    void countsComeOnlyFromSensibleReplies();

private:
    /// What the store makes of @p reply to the script @p op runs (op takes the callback).
    template<typename Outcome, typename Op> Outcome answerTo(const QByteArray &reply, Op op)
    {
        m_redis->reply = reply;
        std::optional<Outcome> out;
        op([&out](const Outcome &o) { out = o; });
        if (!waitUntil([&] { return out.has_value(); }))
            qFatal("the store did not answer");
        return *out;
    }

    std::unique_ptr<FakeRedis> m_redis;
    std::unique_ptr<RedisCodeStore> m_store;
    const OtpPolicy m_policy; // the defaults: 5 min codes, 5 attempts, 100 wrong codes a day
};

void tst_RedisReplies::init()
{
    m_redis = std::make_unique<FakeRedis>();
    QVERIFY(m_redis->listen());
    auto made = RedisCodeStore::create(m_redis->url());
    QVERIFY(std::holds_alternative<std::unique_ptr<RedisCodeStore>>(made));
    m_store = std::move(std::get<std::unique_ptr<RedisCodeStore>>(made));
    QVERIFY(waitUntil([this] { return m_store->isConnected(); }));
}

void tst_RedisReplies::cleanup()
{
    m_store.reset();
    m_redis.reset();
}

void tst_RedisReplies::issueReplies_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<IssueOutcome::Status>("status");
    QTest::addColumn<qint64>("ms"); // issued: until the code expires; refused: the wait
    using S = IssueOutcome::Status;
    constexpr qint64 Max = std::numeric_limits<qint64>::max();
    constexpr qint64 Min = std::numeric_limits<qint64>::min();

    QTest::newRow("issued") << ints({0, 300000, 1, 30000, 1, 1}) << S::Issued << qint64(300000);
    QTest::newRow("cooling down") << ints({1, 12000, 1, 12000, 0, 1}) << S::CoolingDown
                                  << qint64(12000);
    QTest::newRow("hourly limit") << ints({2, 3599000, 5, 3599000, 0, 1}) << S::HourlyLimit
                                  << qint64(3599000);
    QTest::newRow("wrong codes") << ints({3, 86400000, 2, 86400000, 0, 1}) << S::FailureBackoff
                                 << qint64(86400000);

    // Values that would move the clock anywhere at all.
    QTest::newRow("wait overflows") << ints({1, Max, 1, Max, 0, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("wait underflows") << ints({1, Min, 1, Min, 0, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("negative wait") << ints({2, -5, 1, -5, 0, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("no wait") << ints({1, 0, 1, 0, 0, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("wait past a day")
        << ints({3, 86400001, 1, 86400001, 0, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("waits disagree")
        << ints({1, 1000, 1, 2000, 0, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("issued, next send overflows")
        << ints({0, 300000, 1, Max, 1, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("issued, lifetime not asked for")
        << ints({0, 36000000, 1, 30000, 1, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("issued, lifetime overflows")
        << ints({0, Max, 1, 30000, 1, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("issued, no send counted")
        << ints({0, 300000, 0, 30000, 1, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("negative sends")
        << ints({1, 1000, -1, 1000, 0, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("unknown status")
        << ints({4, 1000, 1, 1000, 0, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("negative status")
        << ints({-1, 300000, 1, 30000, 1, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("negative count")
        << ints({0, 300000, 1, 30000, -1, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("absurd count") << ints({0, 300000, 1, 30000, 1, Max}) << S::Unavailable
                                  << qint64(0);

    // Replies of another shape or type.
    QTest::newRow("short") << ints({0, 300000, 1, 30000, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("long") << ints({0, 300000, 1, 30000, 1, 1, 1}) << S::Unavailable << qint64(0);
    QTest::newRow("empty array") << QByteArray("*0\r\n") << S::Unavailable << qint64(0);
    QTest::newRow("a string among the integers")
        << QByteArray("*6\r\n:0\r\n$6\r\n300000\r\n:1\r\n:30000\r\n:1\r\n:1\r\n") << S::Unavailable
        << qint64(0);
    QTest::newRow("nested array") << QByteArray(
        "*6\r\n*1\r\n:0\r\n:300000\r\n:1\r\n:30000\r\n:1\r\n:1\r\n")
                                  << S::Unavailable << qint64(0);
    QTest::newRow("nil") << QByteArray("$-1\r\n") << S::Unavailable << qint64(0);
    QTest::newRow("nil array") << QByteArray("*-1\r\n") << S::Unavailable << qint64(0);
    QTest::newRow("status") << QByteArray("+OK\r\n") << S::Unavailable << qint64(0);
    QTest::newRow("integer") << QByteArray(":0\r\n") << S::Unavailable << qint64(0);
    QTest::newRow("error") << QByteArray("-ERR no\r\n") << S::Unavailable << qint64(0);
    // Not an integer hiredis can read: a protocol error, the connection is dropped.
    QTest::newRow("integer past 64 bits")
        << QByteArray("*6\r\n:0\r\n:300000\r\n:1\r\n:99999999999999999999\r\n:1\r\n:1\r\n")
        << S::Unavailable << qint64(0);
}

void tst_RedisReplies::issueReplies()
{
    QFETCH(QByteArray, reply);
    QFETCH(IssueOutcome::Status, status);
    QFETCH(qint64, ms);
    const auto out = answerTo<IssueOutcome>(
        reply, [this](auto done) { m_store->issue(Subject, Mac, Now, m_policy, std::move(done)); });
    QCOMPARE(out.status, status);
    if (status == IssueOutcome::Status::Issued) {
        QCOMPARE(out.expiresAt, Now + std::chrono::milliseconds(ms));
        QCOMPARE(out.nextSendAt, Now + 30s);
    } else {
        QCOMPARE(out.retryAfter, std::chrono::milliseconds(ms));
        if (status != IssueOutcome::Status::Unavailable)
            QCOMPARE(out.nextSendAt, Now + std::chrono::milliseconds(ms));
    }
}

void tst_RedisReplies::checkReplies_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<CheckOutcome::Status>("status");
    QTest::addColumn<int>("left");
    QTest::addColumn<qint64>("retryMs");
    using S = CheckOutcome::Status;
    constexpr qint64 Max = std::numeric_limits<qint64>::max();

    QTest::newRow("verified") << ints({0, 0, 0, 0, 1}) << S::Verified << 0 << qint64(0);
    QTest::newRow("wrong") << ints({1, 4, 0, 1, 1}) << S::WrongCode << 4 << qint64(0);
    QTest::newRow("expired") << ints({2, 0, 0, 0, 1}) << S::Expired << 0 << qint64(0);
    QTest::newRow("no code") << ints({3, 0, 0, 0, 1}) << S::NoCode << 0 << qint64(0);
    QTest::newRow("too many") << ints({4, 0, 0, 1, 1}) << S::TooManyAttempts << 0 << qint64(0);
    QTest::newRow("guess limit") << ints({5, 0, 3600000, 1, 1}) << S::GuessLimit << 0
                                 << qint64(3600000);

    QTest::newRow("more attempts left than allowed")
        << ints({1, 5, 0, 1, 1}) << S::Unavailable << 0 << qint64(0);
    QTest::newRow("wrong with none left")
        << ints({1, 0, 0, 1, 1}) << S::Unavailable << 0 << qint64(0);
    QTest::newRow("attempts overflow int")
        << ints({1, Max, 0, 1, 1}) << S::Unavailable << 0 << qint64(0);
    QTest::newRow("verified, with attempts")
        << ints({0, 3, 0, 0, 1}) << S::Unavailable << 0 << qint64(0);
    QTest::newRow("guess limit past a day")
        << ints({5, 0, 86400001, 1, 1}) << S::Unavailable << 0 << qint64(0);
    QTest::newRow("guess limit, wait overflows")
        << ints({5, 0, Max, 1, 1}) << S::Unavailable << 0 << qint64(0);
    QTest::newRow("guess limit, no wait")
        << ints({5, 0, 0, 1, 1}) << S::Unavailable << 0 << qint64(0);
    QTest::newRow("unknown status") << ints({6, 0, 0, 1, 1}) << S::Unavailable << 0 << qint64(0);
    QTest::newRow("old shape") << ints({0, 0, 0, 1}) << S::Unavailable << 0 << qint64(0);
    QTest::newRow("string") << QByteArray("$8\r\nverified\r\n") << S::Unavailable << 0 << qint64(0);
    QTest::newRow("error") << QByteArray("-NOPERM no\r\n") << S::Unavailable << 0 << qint64(0);
}

void tst_RedisReplies::checkReplies()
{
    QFETCH(QByteArray, reply);
    QFETCH(CheckOutcome::Status, status);
    QFETCH(int, left);
    QFETCH(qint64, retryMs);
    const auto out = answerTo<CheckOutcome>(
        reply, [this](auto done) { m_store->check(Subject, Mac, Now, m_policy, std::move(done)); });
    QCOMPARE(out.status, status);
    QCOMPARE(out.attemptsLeft, left);
    QCOMPARE(out.retryAfter, std::chrono::milliseconds(retryMs));
}

void tst_RedisReplies::reservationReplies_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<GuessReservation::Status>("status");
    QTest::addColumn<QByteArray>("ticket");
    using S = GuessReservation::Status;
    constexpr qint64 Max = std::numeric_limits<qint64>::max();

    QTest::newRow("reserved") << ints({0, 0, 1700000000000, 3, 0, 1}) << S::Reserved
                              << QByteArray("1700000000000-3");
    QTest::newRow("limit") << ints({1, 5000, 0, 0, 0, 1}) << S::GuessLimit << QByteArray();
    QTest::newRow("negative member")
        << ints({0, 0, 1700000000000, -3, 0, 1}) << S::Unavailable << QByteArray();
    QTest::newRow("member past any count")
        << ints({0, 0, 1700000000000, 201, 0, 1}) << S::Unavailable << QByteArray();
    QTest::newRow("time past Lua's integers")
        << ints({0, 0, Max, 3, 0, 1}) << S::Unavailable << QByteArray();
    QTest::newRow("limit past a day")
        << ints({1, 86400001, 0, 0, 0, 1}) << S::Unavailable << QByteArray();
    QTest::newRow("unknown status") << ints({2, 0, 0, 0, 0, 1}) << S::Unavailable << QByteArray();
    QTest::newRow("nil") << QByteArray("$-1\r\n") << S::Unavailable << QByteArray();
}

void tst_RedisReplies::reservationReplies()
{
    QFETCH(QByteArray, reply);
    QFETCH(GuessReservation::Status, status);
    QFETCH(QByteArray, ticket);
    const auto out = answerTo<GuessReservation>(reply, [this](auto done) {
        m_store->reserveGuess(Subject, Now, m_policy, std::move(done));
    });
    QCOMPARE(out.status, status);
    QCOMPARE(QByteArray::fromStdString(out.ticket), ticket);
}

void tst_RedisReplies::countsComeOnlyFromSensibleReplies()
{
    const auto sweep = [this](const QByteArray &reply) {
        m_redis->reply = reply;
        const qsizetype before = m_redis->commands.size();
        m_store->sweep(Now, m_policy);
        return waitUntil([&] { return m_redis->commands.size() > before; });
    };
    QVERIFY(sweep(ints({7, 9})));
    QTRY_COMPARE(m_store->activeCodes(), std::size_t(7));
    QCOMPARE(m_store->trackedSubjects(), std::size_t(9));
    for (const QByteArray &bad : {ints({-1, 9}), ints({7, std::numeric_limits<qint64>::max()}),
                                  ints({7}), QByteArray("*2\r\n:1\r\n$1\r\n1\r\n")}) {
        QVERIFY(sweep(bad));
        // Replies come in order: when the cancel's is read, so was the sweep's.
        QVERIFY(!answerTo<bool>(bad, [this](auto done) { m_store->cancel(Subject, done); }));
        QCOMPARE(m_store->activeCodes(), std::size_t(7));
        QCOMPARE(m_store->trackedSubjects(), std::size_t(9));
    }
}

QTEST_GUILESS_MAIN(tst_RedisReplies)
#include "tst_redisreplies.moc"
