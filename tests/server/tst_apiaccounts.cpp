// waotp-server's rule on accounts, through a real HTTP client against the server in demo mode:
// a sign-in needs an account and a sign-up must not have one. By default a send the rule refuses
// answers exactly like a real one (status, shape, delivery moving on, cooldowns, wrong codes) but
// sends nothing; registration_hints answers no_account / account_exists instead.
#include "RawHttpClient.h"
#include "RedisServer.h"
#include "ServerApiFixture.h"
#include "server/monitor/Metrics.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <future>
#include <thread>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

const QString Registered = QStringLiteral("+919876543210");
const QString Unregistered = QStringLiteral("+919876500001");

QJsonObject flow(const char *name)
{
    return {{QStringLiteral("flow"), QString::fromLatin1(name)}};
}

QStringList keysOf(const QJsonObject &o)
{
    QStringList keys = o.keys();
    keys.removeAll(QStringLiteral("demo_code")); // a demo server's only: it shows real codes
    keys.removeAll(QStringLiteral("id"));
    return keys;
}

// Holds the account database's write lock from another connection on a thread of its own (as
// another program would) until release(), so that the server's next write waits for it.
class WriteLock
{
public:
    explicit WriteLock(const QString &path)
        : m_thread([this, path] {
              const QString name = QStringLiteral("locker");
              {
                  QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                  db.setDatabaseName(path);
                  QSqlQuery q(db);
                  m_taken.set_value(db.open() && q.exec(QStringLiteral("BEGIN EXCLUSIVE")));
                  m_release.get_future().wait();
                  q.exec(QStringLiteral("COMMIT"));
              }
              QSqlDatabase::removeDatabase(name);
          })
    { }
    ~WriteLock()
    {
        release();
        m_thread.join();
    }
    bool taken() { return m_takenFuture.get(); }
    void release()
    {
        if (!m_released) {
            m_released = true;
            m_release.set_value();
        }
    }

private:
    std::promise<bool> m_taken;
    std::future<bool> m_takenFuture = m_taken.get_future();
    std::promise<void> m_release;
    bool m_released = false;
    std::thread m_thread; // last: starts once the rest is ready
};

} // namespace

class tst_ApiAccounts : public QObject, public ServerApiFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup() { tearDownServer(); }

    void signInWithoutAccountLooksReal();
    void signUpWithAccountLooksReal();
    void silentSendsKeepTheNumbersRules();
    void silentCodesNeverVerify();
    void registrationHints();
    void flowIsEnforcedAtApproval();
    void answersOthersWhileTheDatabaseWaits();
    void checkKeepsItsCodeWhenTheDatabaseMissesTheDeadline();
    void heldCodeCountsWrongCodes();
    void resentCodeReplacesAHeldOne_data() { approvedOnlyWithItsToken_data(); }
    void resentCodeReplacesAHeldOne();
    void approvedOnlyWithItsToken_data();
    void approvedOnlyWithItsToken();
    void createAnswersWhenTheDatabaseMissesTheDeadline();
    void queueLimitRefusesAtOnce();
    void closesWithADatabaseCallInFlight();
    void pipelinedAnswersKeepTheirOrder();

private:
    QNetworkReply *startCheck(const Reply &created);
    QNetworkReply *startCreate(const QString &phone, const char *flowName);
    void useDatabaseLimits(std::chrono::milliseconds deadline, int queueLimit = 1000);
    quint64 databaseRefused(const char *reason);
    void registerNumber(const QString &phone);
    bool onDatabase(const char *statement, const QString &phone) const;
    bool hasAccount(const QString &phone) const;
    void deleteAccount(const QString &phone) const;
    void insertAccount(const QString &phone) const;
    int messagesShown() const { return m_shown; }
    int m_shown = 0;
};

void tst_ApiAccounts::init()
{
    m_store.clear();
    m_policy = {};
    setUpServer();
    // Steps far apart, so that a long poll never starts after the step it waits for.
    qobject_cast<DemoSender *>(&m_server->sender())->setStepDelay(300ms);
    registerNumber(Registered);
    m_shown = 0;
    connect(qobject_cast<DemoSender *>(&m_server->sender()), &DemoSender::codeShown, this,
            [this] { ++m_shown; });
}

void tst_ApiAccounts::registerNumber(const QString &phone)
{
    const Reply created = create(phone, flow("signup"));
    QCOMPARE(created.status, 201);
    QCOMPARE(check(created.string(u"id"), created.string(u"demo_code")).status, 200);
    QVERIFY(hasAccount(phone));
}

// Runs @p statement with @p phone bound on the server's account database, as another program
// would; true if it succeeded and (for a query) found a row.
bool tst_ApiAccounts::onDatabase(const char *statement, const QString &phone) const
{
    bool done = false;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("elsewhere"));
        db.setDatabaseName(m_dir->filePath(QStringLiteral("data/accounts.sqlite")));
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(QString::fromLatin1(statement));
            q.addBindValue(phone);
            done = q.exec() && (!q.isSelect() || q.next());
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("elsewhere"));
    return done;
}

bool tst_ApiAccounts::hasAccount(const QString &phone) const
{
    return onDatabase("SELECT 1 FROM accounts WHERE e164 = ?", phone);
}

void tst_ApiAccounts::deleteAccount(const QString &phone) const
{
    QVERIFY(onDatabase("DELETE FROM accounts WHERE e164 = ?", phone));
}

void tst_ApiAccounts::insertAccount(const QString &phone) const
{
    QVERIFY(onDatabase("INSERT INTO accounts (e164, created_at, last_sign_in_at) VALUES (?, 0, 0)",
                       phone));
}

void tst_ApiAccounts::signInWithoutAccountLooksReal()
{
    m_clock->advance(1h); // the registration's send has left the hour: both are first sends
    const Reply real = create(Registered, flow("signin"));
    const Reply silent = create(Unregistered, flow("signin"));
    QCOMPARE(real.status, 201);
    QCOMPARE(silent.status, 201);
    QCOMPARE(keysOf(silent.json), keysOf(real.json));
    for (const char16_t *key : {u"channel", u"flow", u"status", u"delivery"})
        QCOMPARE(silent.string(key), real.string(key));
    for (const char16_t *key : {u"expires_in", u"resend_in", u"attempts_left"})
        QCOMPARE(silent.integer(key), real.integer(key));
    QVERIFY(!silent.json.contains(u"demo_code")); // nothing was sent: there is no code to show
    QVERIFY(!real.json.contains(u"registration_hints"));
    QCOMPARE(messagesShown(), 1); // the real one's

    // The delivery moves on as a real message's does, each step waking a long poll.
    const QString path = QStringLiteral("/v1/verifications/") + silent.string(u"id");
    QStringList seen {call("GET", path).string(u"delivery")};
    QElapsedTimer timer;
    timer.start();
    while (seen.last() != u"delivered" && timer.elapsed() < 10000)
        seen.append(call("GET", path + u"?wait=5").string(u"delivery"));
    QCOMPARE(seen.last(), QStringLiteral("delivered"));
    QVERIFY2(seen.contains(QStringLiteral("sent")) || seen.first() == u"delivered",
             qPrintable(seen.join(u',')));
    QCOMPARE(call("GET", path).string(u"status"), QStringLiteral("pending"));
    QCOMPARE(m_server->metrics().render().count("waotp_silent_sends_total{flow=\"signin\"} 1"), 1);
}

void tst_ApiAccounts::signUpWithAccountLooksReal()
{
    m_clock->advance(1h); // past the registration's sends
    const Reply silent = create(Registered, flow("signup"));
    const Reply real = create(Unregistered, flow("signup"));
    QCOMPARE(silent.status, 201);
    QCOMPARE(keysOf(silent.json), keysOf(real.json));
    QCOMPARE(silent.string(u"flow"), QStringLiteral("signup"));
    QCOMPARE(messagesShown(), 1);
    // Every code is wrong for it, down to the attempt limit, as a wrong code is for a real one.
    const QString id = silent.string(u"id");
    for (int left = 4; left >= 1; --left) {
        const Reply r = check(id, QStringLiteral("%1").arg(left, 6, 10, QLatin1Char('0')));
        QCOMPARE(r.status, 422);
        QCOMPARE(r.string(u"error"), QStringLiteral("wrong_code"));
        QCOMPARE(r.integer(u"attempts_left"), left);
    }
    const Reply last = check(id, QStringLiteral("000000"));
    QCOMPARE(last.status, 429);
    QCOMPARE(last.string(u"error"), QStringLiteral("too_many_attempts"));
    QCOMPARE(check(id, QStringLiteral("000000")).string(u"error"),
             QStringLiteral("too_many_attempts"));
    QVERIFY(hasAccount(Registered));
}

void tst_ApiAccounts::silentSendsKeepTheNumbersRules()
{
    // The number's cooldown and hourly cap count silent sends as real ones.
    const Reply first = create(Unregistered, flow("signin"));
    QCOMPARE(first.status, 201);
    m_clock->advance(10s);
    Reply r = create(Unregistered, flow("signin"));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.string(u"scope"), QStringLiteral("cooldown"));
    QCOMPARE(r.integer(u"retry_after"), 20);
    r = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(first.string(u"id")));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.integer(u"retry_after"), 20);
    m_clock->advance(20s);
    r = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(first.string(u"id")));
    QCOMPARE(r.status, 201);
    QCOMPARE(r.string(u"id"), first.string(u"id"));
    QCOMPARE(r.integer(u"resend_in"), 60);
    QVERIFY(!r.json.contains(u"demo_code"));
    QCOMPARE(messagesShown(), 0);
}

void tst_ApiAccounts::silentCodesNeverVerify()
{
    // Even the code the store holds (which nobody was sent) is refused as a wrong one.
    QString code;
    connect(qobject_cast<DemoSender *>(&m_server->sender()), &DemoSender::codeShown, this,
            [&code](const PhoneNumber &, const QString &shown) { code = shown; });
    const Reply silent = create(Unregistered, flow("signin"));
    QVERIFY(code.isEmpty());
    // A guess that matches the stored code, as the demo engine's "accept any code" makes every
    // guess.
    QVERIFY(m_server->engine().setAcceptAnyCode(true));
    Reply r = check(silent.string(u"id"), QStringLiteral("123456"));
    QCOMPARE(r.status, 422);
    QCOMPARE(r.string(u"error"), QStringLiteral("wrong_code"));
    QCOMPARE(r.integer(u"attempts_left"), 4);
    r = check(silent.string(u"id"), QStringLiteral("123456")); // the store has no code now
    QCOMPARE(r.status, 422);
    QCOMPARE(r.integer(u"attempts_left"), 3);
    QVERIFY(!hasAccount(Unregistered));
}

void tst_ApiAccounts::registrationHints()
{
    startServer([](ServerSettings &s) { s.registrationHints = true; });
    Reply r = create(Unregistered, flow("signin"));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.string(u"error"), QStringLiteral("no_account"));
    QVERIFY(!r.string(u"message").isEmpty());
    r = create(Registered, flow("signup"));
    QCOMPARE(r.status, 409);
    QCOMPARE(r.string(u"error"), QStringLiteral("account_exists"));
    QCOMPARE(m_server->api().verifications().size(), 0);
    QCOMPARE(messagesShown(), 0);
    // The flows that fit still work.
    r = create(Registered, flow("signin"));
    QCOMPARE(r.status, 201);
    // Every verification answer says so, for a client that has not met a refusal yet.
    QCOMPARE(r.json.value(u"registration_hints"), QJsonValue(true));
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + r.string(u"id"))
                 .json.value(u"registration_hints"),
             QJsonValue(true));
    const Reply approved = check(r.string(u"id"), r.string(u"demo_code"));
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.string(u"account"), QStringLiteral("existing"));
}

void tst_ApiAccounts::flowIsEnforcedAtApproval()
{
    // The account goes away between the code and its check: the sign-in creates none.
    const Reply signIn = create(Registered, flow("signin"));
    QCOMPARE(signIn.status, 201);
    deleteAccount(Registered);
    Reply r = check(signIn.string(u"id"), signIn.string(u"demo_code"));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.string(u"error"), QStringLiteral("no_account"));
    QVERIFY(!hasAccount(Registered));
    QCOMPARE(
        call("GET", QStringLiteral("/v1/verifications/") + signIn.string(u"id")).string(u"status"),
        QStringLiteral("canceled"));

    // An account appears between a sign-up's code and its check: the sign-up signs nobody in.
    const Reply signUp = create(Registered, flow("signup")); // no account now: a real send
    QCOMPARE(signUp.status, 201);
    QVERIFY(signUp.json.contains(u"demo_code"));
    insertAccount(Registered); // made by another program meanwhile
    r = check(signUp.string(u"id"), signUp.string(u"demo_code"));
    QCOMPARE(r.status, 409);
    QCOMPARE(r.string(u"error"), QStringLiteral("account_exists"));
}

QNetworkReply *tst_ApiAccounts::startCheck(const Reply &created)
{
    QNetworkRequest request(
        QUrl(url() + QStringLiteral("/v1/verifications/%1/check").arg(created.string(u"id"))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    const QJsonObject body {{QStringLiteral("code"), created.string(u"demo_code")}};
    return m_nam->post(request, QJsonDocument(body).toJson());
}

QNetworkReply *tst_ApiAccounts::startCreate(const QString &phone, const char *flowName)
{
    QNetworkRequest request(QUrl(url() + QStringLiteral("/v1/verifications")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QJsonObject body = flow(flowName);
    body.insert(QStringLiteral("phone"), phone);
    return m_nam->post(request, QJsonDocument(body).toJson());
}

// A server like init()'s on the same data, with the account database's deadline and queue.
void tst_ApiAccounts::useDatabaseLimits(std::chrono::milliseconds deadline, int queueLimit)
{
    startServer([deadline, queueLimit](ServerSettings &s) {
        s.databaseTimeout = deadline;
        s.databaseQueueLimit = queueLimit;
    });
}

// waotp_database_refused_total{reason="…"} of /metrics.
quint64 tst_ApiAccounts::databaseRefused(const char *reason)
{
    const Reply metrics = call("GET", QStringLiteral("/metrics"));
    const QByteArray line =
        QByteArray("waotp_database_refused_total{reason=\"") + reason + QByteArray("\"} ");
    const qsizetype at = metrics.body.indexOf(line);
    if (at < 0)
        return quint64(-1);
    const qsizetype end = metrics.body.indexOf('\n', at);
    return metrics.body.mid(at + line.size(), end - at - line.size()).toULongLong();
}

// The account database works on its own thread: while a sign-in waits for the database (here
// another program's write lock), the event loop answers everyone else. The sign-in gets 503
// database_unavailable at the deadline, /readyz says the database is not ready after the same
// wait, and the same code signs in once the lock is gone.
void tst_ApiAccounts::answersOthersWhileTheDatabaseWaits()
{
    useDatabaseLimits(2s);
    const Reply created = create(Registered, flow("signin"));
    QCOMPARE(created.status, 201);
    WriteLock lock(m_dir->filePath(QStringLiteral("data/accounts.sqlite")));
    QVERIFY(lock.taken());
    std::unique_ptr<QNetworkReply> checking(startCheck(created));
    QTest::qWait(300); // the check reaches the database and waits there

    QElapsedTimer took;
    took.start();
    QCOMPARE(call("GET", QStringLiteral("/healthz")).status, 200);
    QCOMPARE(call("GET", QStringLiteral("/.well-known/jwks.json")).status, 200);
    QVERIFY2(took.elapsed() < 1000, qPrintable(QString::number(took.elapsed())));
    QVERIFY(!checking->isFinished());
    // A database that does not answer within the deadline is not ready.
    took.restart();
    const Reply waiting = call("GET", QStringLiteral("/readyz"));
    QCOMPARE(waiting.status, 503);
    QCOMPARE(waiting.json.value(u"not_ready").toArray(), QJsonArray {QStringLiteral("database")});
    QVERIFY(took.elapsed() >= 1900);
    QTRY_VERIFY_WITH_TIMEOUT(checking->isFinished(), 10000);
    QCOMPARE(checking->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    QCOMPARE(QJsonDocument::fromJson(checking->readAll()).object().value(u"error").toString(),
             QStringLiteral("database_unavailable"));

    lock.release();
    // Until the statement given up on has finished (a moment), a check is told to come back.
    Reply approved = check(created.string(u"id"), created.string(u"demo_code"));
    for (int tries = 0; approved.status == 503 && tries < 100; ++tries) {
        QTest::qWait(50);
        approved = check(created.string(u"id"), created.string(u"demo_code"));
    }
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.string(u"status"), QStringLiteral("approved"));
    QVERIFY(!approved.string(u"token").isEmpty());
    QCOMPARE(call("GET", QStringLiteral("/readyz")).status, 200);
}

// A sign-up whose statement waits for another program's lock past the deadline: 503
// database_unavailable with Retry-After, the verification still open. The statement goes on
// and creates the account once the lock is gone; the same code then gets the token of that
// account (created, not account_exists), and the code is used up after it.
void tst_ApiAccounts::checkKeepsItsCodeWhenTheDatabaseMissesTheDeadline()
{
    useDatabaseLimits(300ms);
    const Reply created = create(Unregistered, flow("signup"));
    QCOMPARE(created.status, 201);
    const QString id = created.string(u"id");
    const QString code = created.string(u"demo_code");
    {
        WriteLock lock(m_dir->filePath(QStringLiteral("data/accounts.sqlite")));
        QVERIFY(lock.taken());
        QElapsedTimer took;
        took.start();
        const Reply refused = check(id, code);
        QVERIFY2(took.elapsed() >= 250, qPrintable(QString::number(took.elapsed())));
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.string(u"error"), QStringLiteral("database_unavailable"));
        QCOMPARE(refused.header("Retry-After"), QByteArray("1"));
        QCOMPARE(refused.json.value(u"retry_after").toInt(), 1);
        QCOMPARE(databaseRefused("timeout"), quint64(1));
        QCOMPARE(databaseRefused("queue_full"), quint64(0));
        // Still open and unapproved.
        const Reply shown = call("GET", QStringLiteral("/v1/verifications/%1").arg(id));
        QCOMPARE(shown.status, 200);
        QCOMPARE(shown.string(u"status"), QStringLiteral("pending"));
        QVERIFY(!hasAccount(Unregistered));
    }
    // The statement given up on finishes once the lock is gone.
    QTRY_VERIFY_WITH_TIMEOUT(hasAccount(Unregistered), 10000);
    const Reply approved = check(id, code);
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.string(u"status"), QStringLiteral("approved"));
    QCOMPARE(approved.string(u"account"), QStringLiteral("created"));
    QVERIFY(!approved.string(u"token").isEmpty());
    QCOMPARE(check(id, code).status, 404); // single use
}

void tst_ApiAccounts::approvedOnlyWithItsToken_data()
{
    QTest::addColumn<bool>("redis");
    QTest::newRow("memory") << false;
    QTest::newRow("redis") << true;
}

// A right code approves the verification only once its account and token exist: while the
// check waits for the database, GET shows it pending (a shared store, where the check's own
// script marks the code used, included), and an approval taken back when the database missed
// its deadline is never shown.
void tst_ApiAccounts::approvedOnlyWithItsToken()
{
    QFETCH(bool, redis);
    if (redis) {
        RedisServer *server = RedisServer::shared();
        if (!server)
            QSKIP("redis-server cannot run here");
        m_store = server->url();
    }
    const QString database = m_dir->filePath(QStringLiteral("data/accounts.sqlite"));
    const auto shownWhileChecking = [this](QNetworkReply *checking, const QString &path) {
        QStringList shown;
        for (int i = 0; i < 6 && !checking->isFinished(); ++i) {
            QTest::qWait(50);
            shown.append(call("GET", path).string(u"status"));
        }
        return shown;
    };

    // Approved once the token is out.
    useDatabaseLimits(5s);
    const Reply created = create(QStringLiteral("+919876500002"), flow("signup"));
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/verifications/") + created.string(u"id");
    {
        WriteLock lock(database);
        QVERIFY(lock.taken());
        QNetworkReply *checking = startCheck(created);
        const QStringList shown = shownWhileChecking(checking, path);
        QVERIFY(!checking->isFinished());
        QCOMPARE(shown, QStringList(6, QStringLiteral("pending")));
        lock.release();
        QTRY_VERIFY_WITH_TIMEOUT(checking->isFinished(), 10000);
        QCOMPARE(checking->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(!QJsonDocument::fromJson(checking->readAll())
                     .object()
                     .value(u"token")
                     .toString()
                     .isEmpty());
        delete checking;
    }
    QCOMPARE(call("GET", path).string(u"status"), QStringLiteral("approved"));

    // An approval taken back (the database missed its deadline) is never shown; the same code
    // approves it later.
    useDatabaseLimits(500ms);
    const Reply second = create(QStringLiteral("+919876500003"), flow("signup"));
    QCOMPARE(second.status, 201);
    const QString secondPath = QStringLiteral("/v1/verifications/") + second.string(u"id");
    {
        WriteLock lock(database);
        QVERIFY(lock.taken());
        QNetworkReply *checking = startCheck(second);
        const QStringList shown = shownWhileChecking(checking, secondPath);
        QVERIFY(!shown.isEmpty());
        QCOMPARE(shown, QStringList(shown.size(), QStringLiteral("pending")));
        QTRY_VERIFY_WITH_TIMEOUT(checking->isFinished(), 10000);
        QCOMPARE(checking->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
        delete checking;
        QCOMPARE(call("GET", secondPath).string(u"status"), QStringLiteral("pending"));
    }
    QTRY_VERIFY_WITH_TIMEOUT(hasAccount(QStringLiteral("+919876500003")), 10000);
    QCOMPARE(check(second.string(u"id"), second.string(u"demo_code")).status, 200);
    QCOMPARE(call("GET", secondPath).string(u"status"), QStringLiteral("approved"));
}

// A resend after a right code was held (a sign-in: its statement given up on, then finished)
// sends a new code that replaces the held one: the new code approves the verification, the held
// one no longer does.
void tst_ApiAccounts::resentCodeReplacesAHeldOne()
{
    QFETCH(bool, redis);
    if (redis) {
        RedisServer *server = RedisServer::shared();
        if (!server)
            QSKIP("redis-server cannot run here");
        m_store = server->url();
        m_policy.firstResendCooldown = 1s; // on Redis' clock: waited for below
    }
    useDatabaseLimits(300ms);
    const Reply created = create(Registered, flow("signin"));
    QCOMPARE(created.status, 201);
    const QString id = created.string(u"id");
    const QString held = created.string(u"demo_code");
    {
        WriteLock lock(m_dir->filePath(QStringLiteral("data/accounts.sqlite")));
        QVERIFY(lock.taken());
        QCOMPARE(check(id, held).status, 503);
    }
    m_clock->advance(std::chrono::minutes(2)); // past the resend cooldown, within the lifetime
    if (redis)
        QTest::qWait(1100);
    const Reply resent = call("POST", QStringLiteral("/v1/verifications/%1/resend").arg(id));
    QCOMPARE(resent.status, 201);
    const QString code = resent.string(u"demo_code");
    QVERIFY(!code.isEmpty());
    if (code != held) {
        const Reply old = check(id, held);
        QCOMPARE(old.status, 422);
        QCOMPARE(old.string(u"error"), QStringLiteral("wrong_code"));
    }
    const Reply approved = check(id, code);
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.string(u"account"), QStringLiteral("existing"));
    QVERIFY(!approved.string(u"token").isEmpty());
}

// Wrong codes against a held right code count down the verification's attempts, down to the
// last one, which voids it.
void tst_ApiAccounts::heldCodeCountsWrongCodes()
{
    useDatabaseLimits(300ms);
    const Reply created = create(Registered, flow("signin"));
    QCOMPARE(created.status, 201);
    const QString id = created.string(u"id");
    const QString code = created.string(u"demo_code");
    const QString wrong = code == u"000000" ? QStringLiteral("111111") : QStringLiteral("000000");
    const int attempts = created.json.value(u"attempts_left").toInt();
    QVERIFY(attempts > 1);
    {
        WriteLock lock(m_dir->filePath(QStringLiteral("data/accounts.sqlite")));
        QVERIFY(lock.taken());
        QCOMPARE(check(id, code).status, 503);
    }
    for (int left = attempts - 1; left > 0; --left) {
        const Reply r = check(id, wrong);
        QCOMPARE(r.status, 422);
        QCOMPARE(r.json.value(u"attempts_left").toInt(), left);
    }
    QCOMPARE(check(id, wrong).status, 429);
    QCOMPARE(check(id, code).status, 429); // void now, the right code too
}

// A create whose account lookup waits behind a sign-in held by a lock: 503
// database_unavailable at the deadline; its lookup is dropped from the queue, and the same
// create succeeds once the database answers.
void tst_ApiAccounts::createAnswersWhenTheDatabaseMissesTheDeadline()
{
    useDatabaseLimits(300ms);
    const Reply signIn = create(Registered, flow("signin"));
    QCOMPARE(signIn.status, 201);
    {
        WriteLock lock(m_dir->filePath(QStringLiteral("data/accounts.sqlite")));
        QVERIFY(lock.taken());
        std::unique_ptr<QNetworkReply> checking(startCheck(signIn));
        QTest::qWait(100); // the sign-in holds the database thread
        const Reply refused = create(Unregistered, flow("signup"));
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.string(u"error"), QStringLiteral("database_unavailable"));
        QCOMPARE(refused.header("Retry-After"), QByteArray("1"));
        QTRY_VERIFY_WITH_TIMEOUT(checking->isFinished(), 10000);
        QCOMPARE(checking->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
        QCOMPARE(databaseRefused("timeout"), quint64(2));
    }
    const Reply created = create(Unregistered, flow("signup"));
    QCOMPARE(created.status, 201);
    QCOMPARE(check(created.string(u"id"), created.string(u"demo_code")).status, 200);
    QCOMPARE(check(signIn.string(u"id"), signIn.string(u"demo_code")).status, 200);
}

// With database_queue_limit calls waiting for the database, the next request gets 503
// database_unavailable at once, and never reaches the database; those in the queue are
// answered once it is free.
void tst_ApiAccounts::queueLimitRefusesAtOnce()
{
    useDatabaseLimits(5s, 2);
    const Reply signIn = create(Registered, flow("signin"));
    QCOMPARE(signIn.status, 201);
    WriteLock lock(m_dir->filePath(QStringLiteral("data/accounts.sqlite")));
    QVERIFY(lock.taken());
    std::unique_ptr<QNetworkReply> checking(startCheck(signIn)); // 1: runs, waits for the lock
    QTest::qWait(100);
    std::unique_ptr<QNetworkReply> queued(startCreate(Unregistered, "signup")); // 2: waits
    QTest::qWait(100);
    QElapsedTimer took;
    took.start();
    const Reply refused = create(QStringLiteral("+919876500002"), flow("signup"));
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.string(u"error"), QStringLiteral("database_unavailable"));
    QVERIFY2(took.elapsed() < 2500, qPrintable(QString::number(took.elapsed())));
    QCOMPARE(databaseRefused("queue_full"), quint64(1));
    QCOMPARE(databaseRefused("timeout"), quint64(0));
    QVERIFY(!checking->isFinished());
    QVERIFY(!queued->isFinished());

    lock.release();
    QTRY_VERIFY_WITH_TIMEOUT(checking->isFinished() && queued->isFinished(), 10000);
    QCOMPARE(checking->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(queued->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
}

// The server closes while a sign-in waits for the database and a create waits behind it: the
// statement running ends, the create's is dropped, nothing is answered after the close (the
// clients lose their connections) and nothing is used after it is gone (run under ASan).
void tst_ApiAccounts::closesWithADatabaseCallInFlight()
{
    const Reply created = create(Registered, flow("signin"));
    QCOMPARE(created.status, 201);
    auto lock =
        std::make_unique<WriteLock>(m_dir->filePath(QStringLiteral("data/accounts.sqlite")));
    QVERIFY(lock->taken());
    std::unique_ptr<QNetworkReply> checking(startCheck(created));
    QTest::qWait(300); // the check reaches the database and waits there
    QNetworkRequest request(QUrl(url() + QStringLiteral("/v1/verifications")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    std::unique_ptr<QNetworkReply> creating(
        m_nam->post(request,
                    QJsonDocument(QJsonObject {{QStringLiteral("phone"), Unregistered},
                                               {QStringLiteral("flow"), QStringLiteral("signup")}})
                        .toJson()));
    QTest::qWait(100); // the create's question waits behind the check's
    QVERIFY(!checking->isFinished());
    QVERIFY(!creating->isFinished());

    // Released a moment after the close has begun (the close waits for the statement running).
    std::thread releaser([&lock] {
        std::this_thread::sleep_for(300ms);
        lock->release();
    });
    m_server.reset();
    releaser.join();
    lock.reset();
    QTRY_VERIFY(checking->isFinished());
    QTRY_VERIFY(creating->isFinished());
    QVERIFY(checking->error() != QNetworkReply::NoError);
    QVERIFY(creating->error() != QNetworkReply::NoError);
    QTest::qWait(100); // nothing arrives late
}

// Requests pipelined on one connection are answered in their order, although the sign-in's
// answer comes from the database and signing threads while the next ones are ready at once.
void tst_ApiAccounts::pipelinedAnswersKeepTheirOrder()
{
    const Reply created = create(Registered, flow("signin"));
    QCOMPARE(created.status, 201);
    WriteLock lock(m_dir->filePath(QStringLiteral("data/accounts.sqlite")));
    QVERIFY(lock.taken());
    const QByteArray check =
        QJsonDocument(QJsonObject {{QStringLiteral("code"), created.string(u"demo_code")}})
            .toJson(QJsonDocument::Compact);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->http().serverPort()));
    client.send("POST /v1/verifications/" + created.string(u"id").toLatin1()
                + "/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Content-Length: "
                + QByteArray::number(check.size()) + "\r\n\r\n" + check
                + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(!client.read(300)); // the first is not answered yet, nor the ones behind it

    lock.release();
    const auto first = client.read(10000);
    QVERIFY(first);
    QCOMPARE(first->status, 200);
    QCOMPARE(QJsonDocument::fromJson(first->body).object().value(u"status").toString(),
             QStringLiteral("approved"));
    const auto second = client.read();
    QVERIFY(second);
    QCOMPARE(QJsonDocument::fromJson(second->body).object().value(u"status").toString(),
             QStringLiteral("ok"));
    const auto third = client.read();
    QVERIFY(third);
    QVERIFY(QJsonDocument::fromJson(third->body).object().contains(u"keys"));
}

QTEST_GUILESS_MAIN(tst_ApiAccounts)
#include "tst_apiaccounts.moc"
