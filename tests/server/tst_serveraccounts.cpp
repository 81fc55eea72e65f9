// The server's accounts: the account database plus a stable random id per account, given to
// existing accounts when the server first opens the database. Every test runs on SQLite and on
// a PostgreSQL cluster the test starts.
#include "server/token/AccountImport.h"
#include "server/token/AccountsThread.h"
#include "server/token/ServerAccounts.h"
#include "server/token/WalCheckpointer.h"

#include "engine/SqliteAccountStore.h"

#include "PostgresCluster.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QtEndian>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

using namespace waotp;
using namespace waotp::server;
using waotp::test::PostgresCluster;

namespace {

PhoneNumber number(const char *text)
{
    return *PhoneNumber::parse(QString::fromLatin1(text), u"IN").number;
}

// A TCP proxy on 127.0.0.1 in front of the PostgreSQL cluster, on a thread of its own (the store
// blocks the test's thread while it waits for an answer). Once armed, the first request that
// carries the marker goes through, and its answer does not: both connections close instead, as
// when the network fails after the database committed.
class AnswerCuttingProxy
{
public:
    explicit AnswerCuttingProxy(quint16 upstream) : m_upstream(upstream)
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof a;
        if (::bind(m_listener, reinterpret_cast<sockaddr *>(&a), size) != 0
            || ::listen(m_listener, 16) != 0
            || ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&a), &size) != 0)
            return;
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { run(); });
    }
    ~AnswerCuttingProxy()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        ::close(m_listener);
    }
    quint16 port() const { return m_port; }
    void cutTheAnswerTo(const QByteArray &marker)
    {
        std::lock_guard lock(m_mutex);
        m_marker = marker;
    }
    int cuts() const { return m_cuts; }

private:
    struct Pair
    {
        int client;
        int server;
        bool cutNext = false;
    };
    void run()
    {
        std::vector<Pair> pairs;
        char buffer[65536];
        while (!m_stop) {
            std::vector<pollfd> fds {{m_listener, POLLIN, 0}};
            for (const Pair &p : pairs) {
                fds.push_back({p.client, POLLIN, 0});
                fds.push_back({p.server, POLLIN, 0});
            }
            if (::poll(fds.data(), fds.size(), 20) <= 0)
                continue;
            const std::size_t polled = pairs.size(); // a pair accepted now has no entry in fds
            if (fds[0].revents & POLLIN) {
                const int client = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
                const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                sockaddr_in a {};
                a.sin_family = AF_INET;
                a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                a.sin_port = htons(m_upstream);
                if (client >= 0
                    && ::connect(server, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0) {
                    pairs.push_back({client, server});
                } else {
                    ::close(client);
                    ::close(server);
                }
            }
            std::vector<Pair> open;
            for (std::size_t i = 0; i < pairs.size(); ++i) {
                Pair p = pairs[i];
                bool closed = false;
                for (int side = 0; side < 2 && !closed && i < polled; ++side) {
                    if (!(fds[1 + 2 * i + side].revents & (POLLIN | POLLHUP | POLLERR)))
                        continue;
                    const int from = side == 0 ? p.client : p.server;
                    const int to = side == 0 ? p.server : p.client;
                    const ssize_t n = ::read(from, buffer, sizeof buffer);
                    if (side == 0 && n > 0) {
                        std::lock_guard lock(m_mutex);
                        if (!m_marker.isEmpty()
                            && QByteArrayView(buffer, n).contains(QByteArrayView(m_marker))) {
                            m_marker.clear();
                            p.cutNext = true;
                        }
                    }
                    if (n > 0 && side == 1 && p.cutNext) {
                        ++m_cuts;
                        closed = true;
                    } else if (n <= 0 || ::send(to, buffer, std::size_t(n), MSG_NOSIGNAL) != n) {
                        closed = true;
                    }
                }
                if (closed) {
                    ::close(p.client);
                    ::close(p.server);
                } else {
                    open.push_back(p);
                }
            }
            pairs = std::move(open);
        }
        for (const Pair &p : pairs) {
            ::close(p.client);
            ::close(p.server);
        }
    }

    quint16 m_upstream;
    quint16 m_port = 0;
    int m_listener = -1;
    std::thread m_thread;
    std::atomic<bool> m_stop = false;
    std::atomic<int> m_cuts = 0;
    std::mutex m_mutex;
    QByteArray m_marker;
};

// Runs @p work on two threads released at the same moment; waits for both.
template<class Work> bool atOnce(Work work)
{
    QSemaphore ready, go;
    std::unique_ptr<QThread> threads[2];
    for (int i = 0; i < 2; ++i) {
        threads[i].reset(QThread::create([&, i] {
            ready.release();
            go.acquire();
            work(i);
        }));
        threads[i]->start();
    }
    ready.acquire(2);
    go.release(2);
    bool ok = true;
    for (auto &thread : threads)
        ok = thread->wait(60000) && ok;
    return ok;
}

// The checkpoint sequence in a WAL file's header (its fourth big-endian word): SQLite counts it
// up each time the WAL restarts from its start. -1 without a header.
qint64 walRestarts(const QString &walPath)
{
    QFile wal(walPath);
    if (!wal.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray header = wal.read(16);
    return header.size() < 16 ? -1 : qFromBigEndian<quint32>(header.constData() + 12);
}

// The accounts that the database file @p path holds by itself, without its WAL: those the
// checkpoints have copied into it (read from a copy of the file alone). -1 if the copy cannot
// be read (no table yet).
int accountsInTheFileAlone(const QString &path, const QString &scratch)
{
    QFile::remove(scratch);
    QFile::remove(scratch + u"-wal");
    QFile::remove(scratch + u"-shm");
    if (!QFile::copy(path, scratch))
        return -1;
    int count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), u"file-alone"_qs);
        db.setDatabaseName(scratch);
        QSqlQuery q(db);
        if (db.open() && q.exec(QStringLiteral("SELECT count(*) FROM accounts")) && q.next())
            count = q.value(0).toInt();
    }
    QSqlDatabase::removeDatabase(u"file-alone"_qs);
    return count;
}

} // namespace

class tst_ServerAccounts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase_data();
    void init();

    void signInCreatesThenFinds();
    void completeFollowsTheFlow();
    void idsAreStableAndDistinct();
    void existingAccountsGetTheirIds();
    void accountsMadeElsewhereGetAnIdOnSignIn();
    void theAppStillOpensTheDatabase();
    void twoServersShareTheDatabase();
    void twoServersStartingAtOnceGiveOneIdEach();
    void twoServersSigningInAtOnceAgree();
    void aSignInIsOneTransaction();
    void aSignInIsOneStatementOnPostgres();
    void aSignUpWhoseAnswerWasLostIsStillItsOwn();
    void syncedLessOnSqliteOnly();
    void callsPastTheDeadlineAreGivenUp();
    void completionsGoTogether();
    void aCompletionThatFailsFailsAlone();
    void commitsReachTheFileWithoutTheWriter();
    void importedAccountsReachTheFile();
    void aWriterThatNeverPausesHasItsWalRestarted_data();
    void aWriterThatNeverPausesHasItsWalRestarted();
    void aCheckpointerThatCannotOpenSaysWhy();

private:
    std::unique_ptr<ServerAccounts> open(QString *error = nullptr)
    {
        return ServerAccounts::open(m_location, error);
    }
    std::unique_ptr<SqlAccountStore> appStore(QString *error = nullptr)
    {
        return openAccountStore(m_location, error);
    }

    bool isPostgres() const { return m_location.isPostgres(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    AccountDatabaseLocation m_location;
    QString m_database; ///< PostgreSQL: the test's database
};

void tst_ServerAccounts::initTestCase_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgresql") << true;
}

void tst_ServerAccounts::init()
{
    QFETCH_GLOBAL(bool, postgres);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    if (!postgres) {
        m_location =
            AccountDatabaseLocation::sqlite(m_dir->filePath(QStringLiteral("accounts.sqlite")));
        return;
    }
    PostgresCluster *cluster = PostgresCluster::shared();
    QVERIFY(cluster);
    const auto database = cluster->createDatabase();
    QVERIFY2(database, qPrintable(cluster->errorString()));
    m_database = *database;
    m_location = *AccountDatabaseLocation::parsePostgres(cluster->url(*database));
}

void tst_ServerAccounts::signInCreatesThenFinds()
{
    QString error;
    auto accounts = open(&error);
    QVERIFY2(accounts, qPrintable(error));
    QVERIFY(accounts->isReady());
    const auto first = accounts->signIn(number("+919876543210"));
    QVERIFY(first);
    QVERIFY(first->created);
    QCOMPARE(first->id.size(), 22);
    const auto again = accounts->signIn(number("+919876543210"));
    QVERIFY(again);
    QVERIFY(!again->created);
    QCOMPARE(again->id, first->id);
}

void tst_ServerAccounts::completeFollowsTheFlow()
{
    QString error;
    auto accounts = open(&error);
    QVERIFY2(accounts, qPrintable(error));
    const PhoneNumber n = number("+919876543210");
    QCOMPARE(accounts->isRegistered(n), std::optional(false));
    // A sign-in makes no account.
    auto r = accounts->complete(n, Purpose::SignIn);
    QVERIFY(r);
    QCOMPARE(r->refusal, AccountOutcome::Refusal::NoAccount);
    QVERIFY(r->id.isEmpty());
    QCOMPARE(accounts->isRegistered(n), std::optional(false));
    // A sign-up does, once.
    r = accounts->complete(n, Purpose::SignUp);
    QVERIFY(r);
    QCOMPARE(r->refusal, AccountOutcome::Refusal::None);
    QVERIFY(r->created);
    const QString id = r->id;
    QCOMPARE(id.size(), 22);
    QCOMPARE(accounts->isRegistered(n), std::optional(true));
    r = accounts->complete(n, Purpose::SignUp);
    QVERIFY(r);
    QCOMPARE(r->refusal, AccountOutcome::Refusal::AccountExists);
    QVERIFY(r->id.isEmpty());
    // Then sign-ins find it.
    r = accounts->complete(n, Purpose::SignIn);
    QVERIFY(r);
    QCOMPARE(r->refusal, AccountOutcome::Refusal::None);
    QVERIFY(!r->created);
    QCOMPARE(r->id, id);
}

void tst_ServerAccounts::idsAreStableAndDistinct()
{
    QString a, b;
    {
        auto accounts = open();
        QVERIFY(accounts);
        a = accounts->signIn(number("+919876543210"))->id;
        b = accounts->signIn(number("+14155552671"))->id;
    }
    QVERIFY(a != b);
    auto accounts = open();
    QVERIFY(accounts);
    QCOMPARE(accounts->accountId(QStringLiteral("+919876543210")), std::optional(a));
    QCOMPARE(accounts->signIn(number("+14155552671"))->id, b);
    QCOMPARE(accounts->accountId(QStringLiteral("+12025550123")), std::nullopt);
}

void tst_ServerAccounts::existingAccountsGetTheirIds()
{
    // A database as the desktop app (or another program) leaves it: accounts, no ids.
    {
        auto app = appStore();
        QVERIFY(app);
        QCOMPARE(app->createAccount(number("+919876543210")), AccountStore::Result::Ok);
        QCOMPARE(app->createAccount(number("+14155552671")), AccountStore::Result::Ok);
    }
    QString error;
    auto accounts = open(&error);
    QVERIFY2(accounts, qPrintable(error));
    const auto a = accounts->accountId(QStringLiteral("+919876543210"));
    const auto b = accounts->accountId(QStringLiteral("+14155552671"));
    QVERIFY(a && b && *a != *b);
    const auto signedIn = accounts->signIn(number("+919876543210"));
    QVERIFY(signedIn);
    QVERIFY(!signedIn->created);
    QCOMPARE(signedIn->id, *a);
}

void tst_ServerAccounts::accountsMadeElsewhereGetAnIdOnSignIn()
{
    auto accounts = open();
    QVERIFY(accounts);
    {
        auto app = appStore();
        QVERIFY(app);
        QCOMPARE(app->createAccount(number("+919876543210")), AccountStore::Result::Ok);
    }
    QCOMPARE(accounts->accountId(QStringLiteral("+919876543210")), std::nullopt);
    const auto signedIn = accounts->signIn(number("+919876543210"));
    QVERIFY(signedIn);
    QVERIFY(!signedIn->created);
    QCOMPARE(accounts->accountId(QStringLiteral("+919876543210")), std::optional(signedIn->id));
}

void tst_ServerAccounts::theAppStillOpensTheDatabase()
{
    {
        auto accounts = open();
        QVERIFY(accounts);
        QVERIFY(accounts->signIn(number("+919876543210")));
    }
    QString error;
    auto app = appStore(&error);
    QVERIFY2(app, qPrintable(error));
    QCOMPARE(app->schemaVersion(), SqlAccountStore::SchemaVersion);
    QCOMPARE(app->isRegistered(number("+919876543210")), std::optional<bool>(true));
    if (auto *sqlite = dynamic_cast<SqliteAccountStore *>(app.get()))
        QVERIFY(sqlite->checkIntegrity());
}

void tst_ServerAccounts::twoServersShareTheDatabase()
{
    auto one = open();
    auto two = open();
    QVERIFY(one && two);
    const auto a = one->signIn(number("+919876543210"));
    const auto b = two->signIn(number("+919876543210"));
    QVERIFY(a && b);
    QVERIFY(a->created);
    QVERIFY(!b->created);
    QCOMPARE(b->id, a->id);
}

void tst_ServerAccounts::twoServersStartingAtOnceGiveOneIdEach()
{
    {
        auto app = appStore();
        QVERIFY(app);
        for (const char *e164 : {"+919876543210", "+14155552671", "+919812345678"})
            QCOMPARE(app->createAccount(number(e164)), AccountStore::Result::Ok);
    }
    QString errors[2];
    std::optional<QString> ids[2];
    QVERIFY(atOnce([&](int i) {
        auto accounts = open(&errors[i]);
        if (accounts)
            ids[i] = accounts->accountId(QStringLiteral("+14155552671"));
    }));
    QVERIFY2(errors[0].isEmpty() && errors[1].isEmpty(), qPrintable(errors[0] + errors[1]));
    QVERIFY(ids[0]);
    QCOMPARE(ids[1], ids[0]); // given once, by whichever server came first
}

void tst_ServerAccounts::twoServersSigningInAtOnceAgree()
{
    // Two servers verify the same new numbers at the same moment: one account and one id per
    // number, and only one of the two is told it created the account.
    constexpr int Numbers = 50;
    QList<std::optional<AccountOutcome>> outcomes[2];
    QVERIFY(atOnce([&](int i) {
        auto accounts = open();
        for (int n = 0; accounts && n < Numbers; ++n)
            outcomes[i].append(accounts->signIn(
                *PhoneNumber::parse(QStringLiteral("+91981234%1").arg(n, 4, 10, QLatin1Char('0')),
                                    u"IN")
                     .number));
    }));
    QCOMPARE(outcomes[0].size(), Numbers);
    QCOMPARE(outcomes[1].size(), Numbers);
    for (int n = 0; n < Numbers; ++n) {
        const auto &a = outcomes[0].at(n);
        const auto &b = outcomes[1].at(n);
        QVERIFY(a && b);
        QCOMPARE(a->id, b->id);
        QVERIFY(a->created != b->created);
    }
}

// The account, its sign-in time and its id are committed together: when the id cannot be
// written, the account is not made either (the store's own calls would have committed it).
void tst_ServerAccounts::aSignInIsOneTransaction()
{
    auto accounts = open();
    QVERIFY(accounts);
    auto app = appStore();
    QVERIFY(app);
    // Another program's trigger makes every new id fail.
    const QStringList refuse = isPostgres()
        ? QStringList {QStringLiteral("CREATE FUNCTION refuse_ids() RETURNS trigger "
                                      "LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'refused'; "
                                      "END$$"),
                       QStringLiteral("CREATE TRIGGER refuse_ids BEFORE INSERT ON "
                                      "server_account_ids FOR EACH ROW EXECUTE FUNCTION "
                                      "refuse_ids()")}
        : QStringList {QStringLiteral("CREATE TRIGGER refuse_ids BEFORE INSERT ON "
                                      "server_account_ids BEGIN SELECT RAISE(ABORT, 'refused'); "
                                      "END")};
    for (const QString &sql : refuse) {
        QSqlQuery q(app->connection());
        QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
    }
    QVERIFY(!accounts->signIn(number("+919876543210")));
    QVERIFY(accounts->lastError().contains(u"refused"));
    QVERIFY(!accounts->complete(number("+14155552671"), Purpose::SignUp));
    QCOMPARE(app->isRegistered(number("+919876543210")), std::optional<bool>(false));
    QCOMPARE(app->isRegistered(number("+14155552671")), std::optional<bool>(false));

    QVERIFY(
        QSqlQuery(app->connection())
            .exec(QStringLiteral("DROP TRIGGER refuse_ids%1")
                      .arg(isPostgres() ? QStringLiteral(" ON server_account_ids") : QString())));
    const auto first = accounts->signIn(number("+919876543210"));
    QVERIFY(first && first->created);
    QCOMPARE(accounts->accountId(QStringLiteral("+919876543210")), std::optional(first->id));
    const auto record = app->account(QStringLiteral("+919876543210"));
    QVERIFY(record);
    QCOMPARE(record->lastSignInAt, record->createdAt);
    const auto signUp = accounts->complete(number("+14155552671"), Purpose::SignUp);
    QVERIFY(signUp && signUp->created && !signUp->id.isEmpty());
    const auto again = accounts->signIn(number("+919876543210"));
    QVERIFY(again && !again->created);
    QCOMPARE(again->id, first->id);
}

// On PostgreSQL every approval, whatever the flow answers, is one statement the server sends
// (counted in the server's own log of statements, so a PREPARE or a BEGIN would count too),
// and still writes the account and its id together.
void tst_ServerAccounts::aSignInIsOneStatementOnPostgres()
{
    if (!isPostgres())
        QSKIP("SQLite keeps its one write transaction (aSignInIsOneTransaction)");
    PostgresCluster *cluster = PostgresCluster::shared();
    QVERIFY(cluster->logStatements(m_database));
    QString error;
    auto accounts = open(&error);
    QVERIFY2(accounts, qPrintable(error));
    auto app = appStore();
    QVERIFY(app);

    using Refusal = AccountOutcome::Refusal;
    const auto statements = [&](const auto &call) {
        const qint64 from = cluster->logSize();
        const std::optional<AccountOutcome> out = call();
        const QStringList sent = cluster->statementsSince(from, m_database);
        if (sent.size() != 1) // every call below is one statement: show what went instead
            qWarning().noquote() << sent.join(u'\n');
        return std::pair(out, sent.size());
    };
    const PhoneNumber newcomer = number("+919876543210");
    const auto [signUp, signUpSent] =
        statements([&] { return accounts->complete(newcomer, Purpose::SignUp); });
    QCOMPARE(signUpSent, 1);
    QVERIFY(signUp && signUp->created && signUp->refusal == Refusal::None);
    QCOMPARE(accounts->accountId(newcomer.e164()), std::optional(signUp->id));
    const auto record = app->account(newcomer.e164());
    QVERIFY(record && record->createdAt.isValid());
    QCOMPARE(record->lastSignInAt, record->createdAt);

    const auto [again, againSent] =
        statements([&] { return accounts->complete(newcomer, Purpose::SignUp); });
    QCOMPARE(againSent, 1);
    QVERIFY(again && again->refusal == Refusal::AccountExists && again->id.isEmpty());

    const auto [signIn, signInSent] =
        statements([&] { return accounts->complete(newcomer, Purpose::SignIn); });
    QCOMPARE(signInSent, 1);
    QVERIFY(signIn && !signIn->created && signIn->refusal == Refusal::None);
    QCOMPARE(signIn->id, signUp->id);

    const PhoneNumber stranger = number("+14155552671");
    const auto [unknown, unknownSent] =
        statements([&] { return accounts->complete(stranger, Purpose::SignIn); });
    QCOMPARE(unknownSent, 1);
    QVERIFY(unknown && unknown->refusal == Refusal::NoAccount && unknown->id.isEmpty());
    QCOMPARE(app->isRegistered(stranger), std::optional<bool>(false));
    QCOMPARE(accounts->accountId(stranger.e164()), std::nullopt);

    // signIn() makes a missing account and finds an existing one.
    const auto [made, madeSent] = statements([&] { return accounts->signIn(stranger); });
    QCOMPARE(madeSent, 1);
    QVERIFY(made && made->created && !made->id.isEmpty());
    const auto [found, foundSent] = statements([&] { return accounts->signIn(stranger); });
    QCOMPARE(foundSent, 1);
    QVERIFY(found && !found->created);
    QCOMPARE(found->id, made->id);

    // An account another program made, without an id, gets one on its first sign-in.
    const PhoneNumber elsewhere = number("+919812345678");
    QCOMPARE(app->createAccount(elsewhere), AccountStore::Result::Ok);
    const auto [late, lateSent] =
        statements([&] { return accounts->complete(elsewhere, Purpose::SignIn); });
    QCOMPARE(lateSent, 1);
    QVERIFY(late && !late->created && late->id.size() == 22);
    QCOMPARE(accounts->accountId(elsewhere.e164()), std::optional(late->id));
}

// On SQLite the server's connection syncs at checkpoints only (synchronous=NORMAL, 1); the app's
// stays FULL (2). PostgreSQL's settings are left alone.
// PostgreSQL commits a sign-up and the connection fails before its answer arrives: the store
// connects again and runs the statement once more, which now finds the account. It is still
// the sign-up's own account, made now (not "already exists", which would refuse the person the
// account their own code just made), with the id the first run wrote.
void tst_ServerAccounts::aSignUpWhoseAnswerWasLostIsStillItsOwn()
{
    if (!isPostgres())
        QSKIP("SQLite has no connection to lose");
    PostgresCluster *cluster = PostgresCluster::shared();
    AnswerCuttingProxy proxy(cluster->port());
    QVERIFY(proxy.port() != 0);
    const auto location =
        AccountDatabaseLocation::parsePostgres(QStringLiteral("postgresql://%1@127.0.0.1:%2/%3")
                                                   .arg(PostgresCluster::superuser())
                                                   .arg(proxy.port())
                                                   .arg(m_database));
    QVERIFY(location);
    QString error;
    auto accounts = ServerAccounts::open(*location, &error);
    QVERIFY2(accounts, qPrintable(error));

    const PhoneNumber newcomer = number("+919876543210");
    proxy.cutTheAnswerTo(newcomer.e164().toLatin1());
    const auto out = accounts->complete(newcomer, Purpose::SignUp);
    QCOMPARE(proxy.cuts(), 1);
    QVERIFY2(out, qPrintable(accounts->lastError()));
    QCOMPARE(out->refusal, AccountOutcome::Refusal::None);
    QVERIFY(out->created);
    QCOMPARE(accounts->accountId(newcomer.e164()), std::optional(out->id));
    // And the next sign-up of the number is someone else's, as ever, lost answer or not.
    auto again = accounts->complete(newcomer, Purpose::SignUp);
    QVERIFY(again);
    QCOMPARE(again->refusal, AccountOutcome::Refusal::AccountExists);
    proxy.cutTheAnswerTo(newcomer.e164().toLatin1());
    again = accounts->complete(newcomer, Purpose::SignUp);
    QCOMPARE(proxy.cuts(), 2);
    QVERIFY(again);
    QCOMPARE(again->refusal, AccountOutcome::Refusal::AccountExists);
}

void tst_ServerAccounts::syncedLessOnSqliteOnly()
{
    QString error;
    auto accounts = open(&error);
    QVERIFY2(accounts, qPrintable(error));
    QSqlQuery q(accounts->store().connection());
    if (isPostgres()) {
        QVERIFY(q.exec(QStringLiteral("SHOW synchronous_commit")) && q.next());
        QCOMPARE(q.value(0).toString(), u"on"_qs);
        return;
    }
    QVERIFY(q.exec(QStringLiteral("PRAGMA synchronous")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    auto app = appStore();
    QVERIFY(app);
    QSqlQuery appQuery(app->connection());
    QVERIFY(appQuery.exec(QStringLiteral("PRAGMA synchronous")) && appQuery.next());
    QCOMPARE(appQuery.value(0).toInt(), 2);
}

// SQLite: the commits are copied from the WAL into the database file (and synced) by the
// checkpoint thread a moment after they are made; the writer's own checkpoint, which stops the
// commits behind it, waits for ten times SQLite's usual mark. Without the thread, ten sign-ups
// (some dozens of pages) stay in the WAL until a commit crosses the mark.
void tst_ServerAccounts::commitsReachTheFileWithoutTheWriter()
{
    if (isPostgres())
        QSKIP("SQLite's WAL");
    QString error;
    auto accounts = open(&error);
    QVERIFY2(accounts, qPrintable(error));
    QSqlQuery q(accounts->store().connection());
    QVERIFY(q.exec(QStringLiteral("PRAGMA wal_autocheckpoint")) && q.next());
    QCOMPARE(q.value(0).toInt(), WalCheckpointer::WriterCheckpointPages);
    q.finish();
    const QString path = m_location.sqlitePath;
    const QString scratch = m_dir->filePath(QStringLiteral("alone.sqlite"));
    QTRY_VERIFY(accountsInTheFileAlone(path, scratch) == 0); // the schema's checkpoint
    for (int i = 0; i < 10; ++i) {
        const auto out = accounts->complete(
            number(qPrintable(QStringLiteral("+9198765432%1").arg(i, 2, 10, QLatin1Char('0')))),
            Purpose::SignUp);
        QVERIFY(out && out->created);
    }
    QTRY_COMPARE_WITH_TIMEOUT(accountsInTheFileAlone(path, scratch), 10, 5000);
}

// --import-accounts beside a running server on the same SQLite file: the accounts it adds reach
// the database file as a sign-in's do (its checkpoint thread is told), not only the WAL, where
// they would wait for the server's next sign-in.
void tst_ServerAccounts::importedAccountsReachTheFile()
{
    if (isPostgres())
        QSKIP("SQLite's WAL");
    const QString appDb = m_dir->filePath(QStringLiteral("app.sqlite"));
    {
        QString error;
        auto app = SqliteAccountStore::open(appDb, &error);
        QVERIFY2(app, qPrintable(error));
        for (int i = 0; i < 10; ++i)
            QCOMPARE(app->createAccount(number(qPrintable(
                         QStringLiteral("+9198765432%1").arg(i, 2, 10, QLatin1Char('0'))))),
                     AccountStore::Result::Ok);
    }
    QString error;
    auto accounts = open(&error);
    QVERIFY2(accounts, qPrintable(error));
    const QString path = m_location.sqlitePath;
    const QString scratch = m_dir->filePath(QStringLiteral("alone.sqlite"));
    QTRY_VERIFY(accountsInTheFileAlone(path, scratch) == 0); // the schema's checkpoint
    const auto imported = importAccounts(appDb, *accounts);
    QVERIFY(std::holds_alternative<AccountImportReport>(imported));
    QCOMPARE(std::get<AccountImportReport>(imported).added, 10);
    QTRY_COMPARE_WITH_TIMEOUT(accountsInTheFileAlone(path, scratch), 10, 5000);
}

void tst_ServerAccounts::aWriterThatNeverPausesHasItsWalRestarted_data()
{
    QTest::addColumn<bool>("together");
    QTest::newRow("one by one") << false;
    QTest::newRow("together") << true; // completeAll(): one transaction for 20
}

// Sign-ups one after the other, with no pause for the checkpoint thread to find the WAL copied
// to its end: the writer still has its WAL restarted, on the thread's word, and kept within a
// few times the mark from which it catches up; also when it commits several completions
// together, each of which ends inside the transaction (where a checkpoint cannot run, and the
// thread's word must wait for the commit). The writer's own automatic checkpoint, which would
// restart the WAL at WriterCheckpointPages by itself, is moved out of the way: every restart
// here is a catch-up's.
void tst_ServerAccounts::aWriterThatNeverPausesHasItsWalRestarted()
{
    if (isPostgres())
        QSKIP("SQLite's WAL");
    QFETCH(bool, together);
    QTest::failOnWarning(QRegularExpression(QStringLiteral("checkpoint.*failed")));
    QString error;
    auto accounts = open(&error);
    QVERIFY2(accounts, qPrintable(error));
    auto *sqlite = dynamic_cast<SqliteAccountStore *>(&accounts->store());
    QVERIFY(sqlite && sqlite->setAutoCheckpointPages(1'000'000));
    const QString wal = m_location.sqlitePath + u"-wal";
    const qint64 before = walRestarts(wal);
    QVERIFY(before >= 0);
    int signedUp = 0;
    QElapsedTimer elapsed;
    elapsed.start();
    while (walRestarts(wal) < before + 3 && elapsed.elapsed() < 60'000) {
        std::vector<ServerAccounts::Completion> batch;
        for (int i = 0; i < 20; ++i, ++signedUp)
            batch.push_back(
                {number(
                     qPrintable(QStringLiteral("+91987%1").arg(signedUp, 7, 10, QLatin1Char('0')))),
                 Purpose::SignUp});
        std::vector<std::optional<AccountOutcome>> outs;
        if (together) {
            outs = accounts->completeAll(batch);
        } else {
            for (const ServerAccounts::Completion &c : batch)
                outs.push_back(accounts->complete(c.number, c.flow));
        }
        for (const std::optional<AccountOutcome> &out : outs)
            QVERIFY(out && out->created);
    }
    QVERIFY2(
        walRestarts(wal) >= before + 3,
        qPrintable(QStringLiteral("%1 sign-ups in %2 ms").arg(signedUp).arg(elapsed.elapsed())));
    // A page is 4 KiB and a 24-byte header. Here, 5,000 to 8,000 pages at most.
    const qint64 largest = QFileInfo(wal).size() / (4096 + 24);
    QVERIFY2(largest < 4 * WalCheckpointer::CatchUpPages, qPrintable(QString::number(largest)));
}

void tst_ServerAccounts::aCheckpointerThatCannotOpenSaysWhy()
{
    if (isPostgres())
        QSKIP("SQLite's WAL");
    QString error;
    // A directory where the database file should be.
    const auto checkpointer =
        WalCheckpointer::start(m_dir->path(), std::chrono::milliseconds(10), &error);
    QVERIFY(!checkpointer);
    QVERIFY2(error.contains(u"cannot open " + m_dir->path() + u" for its checkpoints"),
             qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ServerAccounts)
// The database thread's deadline and queue, with another connection holding a lock the first
// call waits for: that call is answered TimedOut at the deadline and goes on (its result comes
// late; PostgreSQL ends it itself, statement_timeout), the one queued behind it is answered
// TimedOut too and never runs, and one over the queue limit is answered QueueFull at once.
void tst_ServerAccounts::callsPastTheDeadlineAreGivenUp()
{
    DatabaseLimits limits;
    limits.deadline = std::chrono::milliseconds(300);
    limits.queueLimit = 2;
    QString error;
    auto accounts = AccountsThread::open(m_location, limits, &error);
    QVERIFY2(accounts, qPrintable(error));
    const QString name = QStringLiteral("locker");
    QSqlDatabase db = QSqlDatabase::addDatabase(
        isPostgres() ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE"), name);
    if (isPostgres()) {
        PostgresCluster *cluster = PostgresCluster::shared();
        db.setHostName(cluster->socketDirectory());
        db.setPort(cluster->port());
        db.setUserName(PostgresCluster::superuser());
        db.setDatabaseName(m_database);
    } else {
        db.setDatabaseName(m_location.sqlitePath);
    }
    QVERIFY2(db.open(), qPrintable(db.lastError().text()));
    QSqlQuery lock(db);
    QVERIFY(lock.exec(isPostgres() ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN EXCLUSIVE")));
    if (isPostgres())
        QVERIFY(lock.exec(QStringLiteral("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")));

    const PhoneNumber first = number("+919876543210"), queued = number("+919876500001");
    using Outcome = std::optional<AccountOutcome>;
    std::optional<DatabaseAnswer<Outcome>> firstAnswer, queuedAnswer, overAnswer;
    std::optional<Outcome> late;
    accounts->complete(
        first, Purpose::SignUp, this, [&](const DatabaseAnswer<Outcome> &a) { firstAnswer = a; },
        [&](const Outcome &o) { late = o; });
    // Behind the first once it runs (made before, it would run with it: completionsGoTogether).
    QTRY_COMPARE_WITH_TIMEOUT(accounts->started(), quint64(1), 200);
    accounts->complete(
        queued, Purpose::SignUp, this, [&](const DatabaseAnswer<Outcome> &a) { queuedAnswer = a; },
        [&](const Outcome &o) { late = o; });
    QCOMPARE(accounts->waiting(), 2);
    accounts->complete(number("+919876500002"), Purpose::SignUp, this,
                       [&](const DatabaseAnswer<Outcome> &a) { overAnswer = a; });
    QTRY_VERIFY_WITH_TIMEOUT(overAnswer.has_value(), 100);
    QCOMPARE(overAnswer->wait, DatabaseWait::QueueFull);
    QVERIFY(!firstAnswer && !queuedAnswer);

    QTRY_VERIFY_WITH_TIMEOUT(firstAnswer && queuedAnswer, 5000);
    QCOMPARE(firstAnswer->wait, DatabaseWait::TimedOut);
    QVERIFY(firstAnswer->running);
    QCOMPARE(queuedAnswer->wait, DatabaseWait::TimedOut);
    QVERIFY(!queuedAnswer->running);
    QCOMPARE(accounts->waiting(), 1); // the first, still running
    if (isPostgres()) {
        // Ended by the server while the lock is held.
        QTRY_VERIFY_WITH_TIMEOUT(late.has_value(), 5000);
        QVERIFY(!late->has_value());
    }
    QVERIFY(lock.exec(QStringLiteral("COMMIT")));
    QTRY_VERIFY_WITH_TIMEOUT(late.has_value(), 10000);
    QCOMPARE(accounts->waiting(), 0);
    std::optional<bool> firstRegistered, queuedRegistered;
    accounts->runAndWait([&](ServerAccounts &a) {
        firstRegistered = a.isRegistered(first);
        queuedRegistered = a.isRegistered(queued);
    });
    QCOMPARE(queuedRegistered, std::optional<bool>(false)); // never ran
    if (isPostgres()) {
        QCOMPARE(firstRegistered, std::optional<bool>(false));
        QString timeout;
        accounts->runAndWait([&](ServerAccounts &a) {
            QSqlQuery q(a.store().connection());
            if (q.exec(QStringLiteral("SHOW statement_timeout")) && q.next())
                timeout = q.value(0).toString();
        });
        QCOMPARE(timeout, QStringLiteral("500ms")); // statementTimeout()
    } else {
        // The statement ran once the lock was gone; its result came late.
        QVERIFY(late->has_value() && (*late)->created);
        QCOMPARE(firstRegistered, std::optional<bool>(true));
    }
    lock = QSqlQuery();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(name);
}

#include "tst_serveraccounts.moc"

// Completions made while the database thread is busy are committed together on SQLite: 50
// sign-ups waiting behind another connection's lock leave fewer WAL frames than commits (each
// commit writes its pages again), each with its own account and id. On PostgreSQL each is its
// own statement, as before.
void tst_ServerAccounts::completionsGoTogether()
{
    auto accounts = AccountsThread::open(m_location, DatabaseLimits(), nullptr);
    QVERIFY(accounts);
    auto app = appStore();
    QVERIFY(app);
    QSqlQuery locker(app->connection());
    if (!isPostgres())
        QVERIFY(locker.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
    QVERIFY(
        locker.exec(isPostgres() ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN EXCLUSIVE")));
    if (isPostgres())
        QVERIFY(locker.exec(QStringLiteral("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")));

    using Outcome = std::optional<AccountOutcome>;
    constexpr int Count = 50;
    std::vector<std::optional<DatabaseAnswer<Outcome>>> answers(Count);
    const auto signUp = [&](int i) {
        accounts->complete(
            number(QByteArray("+9198765" + QByteArray::number(10000 + i)).constData()),
            Purpose::SignUp, this,
            [&answers, i](const DatabaseAnswer<Outcome> &a) { answers[i] = a; });
    };
    signUp(0);
    QTRY_COMPARE_WITH_TIMEOUT(accounts->started(), quint64(1), 1000); // waits for the lock
    for (int i = 1; i < Count; ++i)
        signUp(i);
    QVERIFY(locker.exec(QStringLiteral("COMMIT")));
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(answers.begin(), answers.end(), [](const auto &a) { return a.has_value(); }),
        5000);
    QSet<QString> ids;
    for (const auto &answer : answers) {
        QCOMPARE(answer->wait, DatabaseWait::Answered);
        QVERIFY(answer->value && answer->value->created);
        ids.insert(answer->value->id);
    }
    QCOMPARE(ids.size(), Count);
    QVERIFY(locker.exec(QStringLiteral("SELECT count(*) FROM accounts")) && locker.next());
    QCOMPARE(locker.value(0).toInt(), Count);
    if (isPostgres())
        return;
    // busy, frames in the WAL, frames checkpointed. Busy (and -1 frames) while the server's own
    // checkpoint runs; the WAL keeps its frames until a write restarts it, and none comes.
    int frames = -1;
    const auto walFrames = [&locker, &frames] {
        if (!locker.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")) || !locker.next()
            || locker.value(0).toInt() != 0)
            return false;
        frames = locker.value(1).toInt();
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(walFrames(), 5000);
    qInfo() << "WAL frames for" << Count << "sign-ups:" << frames;
    QVERIFY2(frames > 0 && frames < Count, qPrintable(QString::number(frames)));
}

// One completion the database refuses (another program's trigger) fails alone: the others made
// with it are committed and answered as if each had been on its own.
void tst_ServerAccounts::aCompletionThatFailsFailsAlone()
{
    auto accounts = open();
    QVERIFY(accounts);
    auto app = appStore();
    QVERIFY(app);
    const PhoneNumber first = number("+919876543210"), refused = number("+14155552671"),
                      last = number("+919812345678");
    const QStringList refuse = isPostgres()
        ? QStringList {QStringLiteral("CREATE FUNCTION refuse_one() RETURNS trigger "
                                      "LANGUAGE plpgsql AS $$BEGIN IF NEW.e164 = '%1' THEN "
                                      "RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END$$")
                           .arg(refused.e164()),
                       QStringLiteral("CREATE TRIGGER refuse_one BEFORE INSERT ON "
                                      "server_account_ids FOR EACH ROW EXECUTE FUNCTION "
                                      "refuse_one()")}
        : QStringList {QStringLiteral("CREATE TRIGGER refuse_one BEFORE INSERT ON "
                                      "server_account_ids WHEN NEW.e164 = '%1' BEGIN "
                                      "SELECT RAISE(ABORT, 'refused'); END")
                           .arg(refused.e164())};
    for (const QString &sql : refuse) {
        QSqlQuery q(app->connection());
        QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
    }
    using Refusal = AccountOutcome::Refusal;
    const auto out = accounts->completeAll({{first, Purpose::SignUp},
                                            {refused, Purpose::SignUp},
                                            {last, Purpose::SignUp},
                                            {first, Purpose::SignUp},
                                            {last, Purpose::SignIn}});
    QCOMPARE(out.size(), std::size_t(5));
    QVERIFY(out[0] && out[0]->created && !out[0]->id.isEmpty());
    QVERIFY(!out[1]);
    QVERIFY(out[2] && out[2]->created && !out[2]->id.isEmpty());
    QVERIFY(out[3] && out[3]->refusal == Refusal::AccountExists);
    QVERIFY(out[4] && !out[4]->created && out[4]->id == out[2]->id);
    QCOMPARE(app->isRegistered(first), std::optional<bool>(true));
    QCOMPARE(app->isRegistered(refused), std::optional<bool>(false));
    QCOMPARE(app->isRegistered(last), std::optional<bool>(true));
    QCOMPARE(accounts->accountId(first.e164()), std::optional(out[0]->id));
}
