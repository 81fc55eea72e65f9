// The account store on both of its databases (every test runs once on SQLite and once on a
// PostgreSQL cluster the test starts): the account rules, the schema and its migrations, two
// processes starting or signing up at once, and verified sign-ups surviving a killed process.
#include "engine/PostgresAccountStore.h"
#include "engine/SqliteAccountStore.h"

#include "PostgresCluster.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cstdio>
#include <cstring>
#include <sys/stat.h>

using namespace waotp;
using waotp::test::PostgresCluster;
using Result = AccountStore::Result;

namespace {

PhoneNumber parsed(const QString &e164)
{
    const auto r = PhoneNumber::parse(e164, u"IN");
    if (!r.ok())
        qFatal("test number %s does not parse", qPrintable(e164));
    return *r.number;
}

// Indian mobile numbers +9198xxxxxxxx: valid and distinct for 0 <= i < 10^8.
QString numberFor(qint64 i)
{
    return QStringLiteral("+9198%1").arg(i, 8, 10, QLatin1Char('0'));
}

// A location as text, for a worker process: a PostgreSQL URL, or an SQLite file's path.
AccountDatabaseLocation locationFrom(const QString &text)
{
    if (text.startsWith(u"postgresql:"))
        return *AccountDatabaseLocation::parsePostgres(text);
    return AccountDatabaseLocation::sqlite(text);
}

QString locationText(const AccountDatabaseLocation &location)
{
    return location.isPostgres() ? location.display() : location.sqlitePath;
}

// The process the kill test kills: signs up numbers from @p first on, one transaction each, and
// prints each number once createAccount() has returned Ok.
int signUpWorker(const QString &where, qint64 first)
{
    QString error;
    auto store = openAccountStore(locationFrom(where), &error);
    if (!store) {
        std::fprintf(stderr, "worker: %s\n", qPrintable(error));
        return 3;
    }
    for (qint64 i = first;; ++i) {
        const QString e164 = numberFor(i);
        if (store->createAccount(parsed(e164)) != Result::Ok) {
            std::fprintf(stderr, "worker: sign-up failed: %s\n", qPrintable(store->lastError()));
            return 4;
        }
        std::printf("%s\n", qPrintable(e164));
        std::fflush(stdout);
    }
}

} // namespace

class tst_AccountStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase_data();
    void init();

    void freshDatabaseIsAtCurrentSchema();
    void signUpCreatesOnce();
    void signInNeedsAnAccount();
    void signInUpdatesOnlyTheTime();
    void nullNumberIsRefused();
    void accountsSurviveReopening();
    void twoConnectionsShareTheDatabase();
    void storesOnlyNumberAndTimes();
    void migratesVersionOne();
    void refusesNewerSchema();
    void refusesTablesItDidNotMake();
    void unreachableDatabaseIsAnError();
    void twoStoresOpeningAtOnceMigrateOnce();
    void twoStoresSigningUpAtOnceCreateOneAccount();
    void reconnectsAfterTheServerRestarts();
    void filesArePrivate();
    void killedMidSignUpLosesNothing();

private:
    bool isPostgres() const { return m_location.isPostgres(); }
    /// A new, empty database of this run's kind.
    AccountDatabaseLocation freshLocation();
    std::unique_ptr<SqlAccountStore> open(QString *error = nullptr, bool withClock = true)
    {
        return openAccountStore(m_location, error,
                                withClock ? m_clock : SqlAccountStore::WallClock());
    }
    /// Runs SQL on the database through a connection of its own, as an older or newer waotp
    /// (or another tool) would have left it; the rows of the last statement, one per line.
    std::optional<QString> raw(const QStringList &statements);
    /// A statement for each kind: SQLite's or PostgreSQL's.
    QString either(const char *sqlite, const char *postgres) const
    {
        return QString::fromUtf8(isPostgres() ? postgres : sqlite);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    PostgresCluster *m_cluster = nullptr;
    QString m_database; ///< PostgreSQL: the test's database
    AccountDatabaseLocation m_location;
    int m_files = 0;
    QDateTime m_now = QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC);
    SqlAccountStore::WallClock m_clock = [this] { return m_now; };
};

void tst_AccountStore::initTestCase_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgresql") << true;
}

AccountDatabaseLocation tst_AccountStore::freshLocation()
{
    QFETCH_GLOBAL(bool, postgres);
    if (!postgres)
        return AccountDatabaseLocation::sqlite(
            m_dir->filePath(QStringLiteral("accounts-%1.sqlite").arg(++m_files)));
    m_cluster = PostgresCluster::shared();
    if (!m_cluster)
        qFatal("no PostgreSQL cluster (see the warning above)");
    const auto database = m_cluster->createDatabase();
    if (!database)
        qFatal("%s", qPrintable(m_cluster->errorString()));
    m_database = *database;
    return *AccountDatabaseLocation::parsePostgres(m_cluster->url(m_database));
}

void tst_AccountStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_now = QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC);
    m_location = freshLocation();
}

std::optional<QString> tst_AccountStore::raw(const QStringList &statements)
{
    if (isPostgres())
        return m_cluster->psql(m_database, statements.join(u';'));
    const QString name = QStringLiteral("raw");
    std::optional<QString> out = QString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_location.sqlitePath);
        if (!db.open())
            out.reset();
        for (const QString &sql : statements) {
            QSqlQuery q(db);
            if (out && !q.exec(sql)) {
                qWarning() << sql << q.lastError().text();
                out.reset();
            }
            QStringList rows;
            while (out && q.next())
                rows.append(q.value(0).toString());
            if (out)
                out = rows.join(u'\n');
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

void tst_AccountStore::freshDatabaseIsAtCurrentSchema()
{
    QString error;
    auto store = open(&error, false);
    QVERIFY2(store, qPrintable(error));
    QCOMPARE(store->schemaVersion(), SqlAccountStore::SchemaVersion);
    QCOMPARE(store->accountCount(), 0);
    QVERIFY(store->isReachable());
    if (isPostgres()) {
        // Each step is recorded once.
        QCOMPARE(raw({QStringLiteral("SELECT version FROM waotp_schema ORDER BY 1")}),
                 QStringLiteral("1\n2"));
        return;
    }
    QVERIFY(static_cast<SqliteAccountStore *>(store.get())->checkIntegrity());
    // WAL is a property of the file: a second connection sees it too.
    QCOMPARE(raw({QStringLiteral("PRAGMA journal_mode")}), QStringLiteral("wal"));
}

void tst_AccountStore::signUpCreatesOnce()
{
    auto store = open();
    QVERIFY(store);
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    QCOMPARE(store->isRegistered(n), std::optional<bool>(false));
    QCOMPARE(store->createAccount(n), Result::Ok);
    QCOMPARE(store->isRegistered(n), std::optional<bool>(true));

    m_now = m_now.addSecs(60);
    QCOMPARE(store->createAccount(n), Result::AlreadyExists);
    QCOMPARE(store->accountCount(), 1);
    const auto record = store->account(n.e164());
    QVERIFY(record);
    QCOMPARE(record->createdAt, QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC));
    QCOMPARE(record->lastSignInAt, record->createdAt); // a refused sign-up changes nothing
}

void tst_AccountStore::signInNeedsAnAccount()
{
    auto store = open();
    QVERIFY(store);
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    QCOMPARE(store->recordSignIn(n), Result::NotFound);
    QCOMPARE(store->accountCount(), 0); // signing in never creates an account
    QVERIFY(!store->account(n.e164()));
}

void tst_AccountStore::signInUpdatesOnlyTheTime()
{
    auto store = open();
    QVERIFY(store);
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    const PhoneNumber other = parsed(QStringLiteral("+14155552671"));
    QCOMPARE(store->createAccount(n), Result::Ok);
    QCOMPARE(store->createAccount(other), Result::Ok);
    const QDateTime created = m_now;

    m_now = m_now.addDays(3).addMSecs(123); // milliseconds are kept
    QCOMPARE(store->recordSignIn(n), Result::Ok);
    const auto record = store->account(n.e164());
    QVERIFY(record);
    QCOMPARE(record->e164, n.e164());
    QCOMPARE(record->createdAt, created);
    QCOMPARE(record->lastSignInAt, m_now);
    QCOMPARE(store->account(other.e164())->lastSignInAt, created);
}

void tst_AccountStore::nullNumberIsRefused()
{
    auto store = open();
    QVERIFY(store);
    QCOMPARE(store->createAccount(PhoneNumber()), Result::StorageError);
    QCOMPARE(store->recordSignIn(PhoneNumber()), Result::NotFound);
    QCOMPARE(store->accountCount(), 0);
}

void tst_AccountStore::accountsSurviveReopening()
{
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    {
        auto store = open();
        QVERIFY(store);
        QCOMPARE(store->createAccount(n), Result::Ok);
    }
    auto store = open();
    QVERIFY(store);
    QCOMPARE(store->isRegistered(n), std::optional<bool>(true));
    QCOMPARE(store->createAccount(n), Result::AlreadyExists);
}

void tst_AccountStore::twoConnectionsShareTheDatabase()
{
    auto a = open();
    auto b = open();
    QVERIFY(a && b);
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    QCOMPARE(a->createAccount(n), Result::Ok);
    QCOMPARE(b->isRegistered(n), std::optional<bool>(true));
    QCOMPARE(b->createAccount(n), Result::AlreadyExists);
    QCOMPARE(b->recordSignIn(n), Result::Ok);
}

void tst_AccountStore::storesOnlyNumberAndTimes()
{
    {
        auto store = open();
        QVERIFY(store);
        QCOMPARE(store->createAccount(parsed(QStringLiteral("+919876543210"))), Result::Ok);
    }
    const auto tables =
        raw({either("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")});
    // Beside the accounts, PostgreSQL keeps the schema's versions in a table.
    QCOMPARE(tables, either("accounts", "accounts\nwaotp_schema"));
    const auto columns = raw(
        {either("SELECT name FROM pragma_table_info('accounts')",
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'accounts' "
                "ORDER BY ordinal_position")});
    QCOMPARE(columns, QStringLiteral("e164\ncreated_at\nlast_sign_in_at"));
}

void tst_AccountStore::migratesVersionOne()
{
    // A database as the first schema version was: no last sign-in column.
    const qint64 ms = m_now.toMSecsSinceEpoch();
    QVERIFY(isPostgres()
                ? raw({QStringLiteral("CREATE TABLE accounts (e164 text PRIMARY KEY, "
                                      "created_at timestamptz NOT NULL)"),
                       QStringLiteral("INSERT INTO accounts VALUES ('+919876543210', "
                                      "to_timestamp(%1 / 1000.0))")
                           .arg(ms),
                       QStringLiteral("CREATE TABLE waotp_schema (version integer PRIMARY KEY, "
                                      "applied_at timestamptz NOT NULL DEFAULT now())"),
                       QStringLiteral("INSERT INTO waotp_schema (version) VALUES (1)")})
                : raw({QStringLiteral("CREATE TABLE accounts (e164 TEXT PRIMARY KEY NOT NULL, "
                                      "created_at INTEGER NOT NULL) WITHOUT ROWID"),
                       QStringLiteral("INSERT INTO accounts VALUES ('+919876543210', %1)").arg(ms),
                       QStringLiteral("PRAGMA user_version=1")}));

    QString error;
    QTest::ignoreMessage(QtInfoMsg, "account database migrated from schema version 1 to 2");
    auto store = open(&error);
    QVERIFY2(store, qPrintable(error));
    QCOMPARE(store->schemaVersion(), 2);
    const auto record = store->account(QStringLiteral("+919876543210"));
    QVERIFY(record);
    QCOMPARE(record->createdAt, m_now);
    QCOMPARE(record->lastSignInAt, m_now); // a sign-up counts as the first sign-in
    m_now = m_now.addSecs(5);
    QCOMPARE(store->recordSignIn(parsed(QStringLiteral("+919876543210"))), Result::Ok);
    QCOMPARE(store->account(QStringLiteral("+919876543210"))->lastSignInAt, m_now);
}

void tst_AccountStore::refusesNewerSchema()
{
    QVERIFY(raw({QStringLiteral("CREATE TABLE accounts (e164 TEXT PRIMARY KEY)"),
                 either("PRAGMA user_version=99",
                        "CREATE TABLE waotp_schema (version integer PRIMARY KEY, "
                        "applied_at timestamptz NOT NULL DEFAULT now())"),
                 either("SELECT 1", "INSERT INTO waotp_schema (version) VALUES (99)")}));
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("schema version 99")));
    QVERIFY(!open(&error));
    QVERIFY2(error.contains(u"newer waotp"), qPrintable(error));
}

void tst_AccountStore::refusesTablesItDidNotMake()
{
    // Not a database of ours: a file of something else, or another program's accounts table.
    if (isPostgres()) {
        QVERIFY(raw({QStringLiteral("CREATE TABLE accounts (id serial PRIMARY KEY)")}));
    } else {
        QFile f(m_location.sqlitePath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
    }
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(".")));
    QVERIFY(!open(&error));
    QVERIFY(!error.isEmpty());
    if (isPostgres()) // the other table is left as it was
        QCOMPARE(raw({QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE "
                                     "table_name = 'accounts'")}),
                 QStringLiteral("1"));
}

void tst_AccountStore::unreachableDatabaseIsAnError()
{
    QList<AccountDatabaseLocation> unusable;
    if (isPostgres()) {
        AccountDatabaseLocation location = m_location;
        location.databaseName = QStringLiteral("no_such_database");
        unusable << location;
        location = m_location;
        location.port = 1; // nobody listens there
        unusable << location;
    } else {
        unusable << AccountDatabaseLocation::sqlite(
            m_dir->filePath(QStringLiteral("no/such/dir/a.sqlite")));
    }
    for (const AccountDatabaseLocation &location : std::as_const(unusable)) {
        QString error;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open")));
        QVERIFY(!openAccountStore(location, &error));
        QVERIFY2(error.startsWith(u"cannot open " + location.display()), qPrintable(error));
        if (isPostgres()) // libpq's own reason follows
            QVERIFY2(error.contains(u"no_such_database") || error.contains(u"refused"),
                     qPrintable(error));
    }
}

void tst_AccountStore::twoStoresOpeningAtOnceMigrateOnce()
{
    // Each round a fresh database, opened by two threads released at the same moment.
    for (int round = 0; round < 8; ++round) {
        const AccountDatabaseLocation location = round == 0 ? m_location : freshLocation();
        QSemaphore ready, go;
        QString errors[2];
        int versions[2] = {-1, -1};
        std::unique_ptr<QThread> threads[2];
        for (int i = 0; i < 2; ++i) {
            threads[i].reset(QThread::create([&, i] {
                ready.release();
                go.acquire();
                QString error;
                auto store = openAccountStore(location, &error);
                errors[i] = store ? QString() : error;
                versions[i] = store ? store->schemaVersion() : -1;
            }));
            threads[i]->start();
        }
        ready.acquire(2);
        go.release(2);
        for (auto &thread : threads)
            QVERIFY(thread->wait(60000));
        for (int i = 0; i < 2; ++i) {
            QVERIFY2(errors[i].isEmpty(), qPrintable(errors[i]));
            QCOMPARE(versions[i], SqlAccountStore::SchemaVersion);
        }
        if (location.isPostgres())
            QCOMPARE(m_cluster->psql(location.databaseName,
                                     QStringLiteral("SELECT version FROM waotp_schema ORDER BY 1")),
                     QStringLiteral("1\n2"));
    }
}

void tst_AccountStore::twoStoresSigningUpAtOnceCreateOneAccount()
{
    // Two servers verify the same numbers at the same moment: each number gets one account,
    // and exactly one of the two sign-ups is told it made it.
    constexpr int Numbers = 200;
    QSemaphore ready, go;
    QList<Result> results[2];
    QString errors[2];
    std::unique_ptr<QThread> threads[2];
    for (int i = 0; i < 2; ++i) {
        threads[i].reset(QThread::create([&, i] {
            QString error;
            auto store = openAccountStore(m_location, &error);
            ready.release();
            go.acquire();
            if (!store) {
                errors[i] = error;
                return;
            }
            for (int n = 0; n < Numbers; ++n)
                results[i].append(store->createAccount(parsed(numberFor(n))));
        }));
        threads[i]->start();
    }
    ready.acquire(2);
    go.release(2);
    for (auto &thread : threads)
        QVERIFY(thread->wait(120000));
    QVERIFY2(errors[0].isEmpty() && errors[1].isEmpty(), qPrintable(errors[0] + errors[1]));
    for (int n = 0; n < Numbers; ++n) {
        const QList<Result> both {results[0].at(n), results[1].at(n)};
        QVERIFY2(both.count(Result::Ok) == 1 && both.count(Result::AlreadyExists) == 1,
                 qPrintable(numberFor(n)));
    }
    auto store = open();
    QVERIFY(store);
    QCOMPARE(store->accountCount(), Numbers);
}

void tst_AccountStore::reconnectsAfterTheServerRestarts()
{
    if (!isPostgres())
        QSKIP("an SQLite file has no connection to lose");
    auto store = open();
    QVERIFY(store);
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    QCOMPARE(store->createAccount(n), Result::Ok);

    // A restart between two uses: the statement that finds the connection lost runs again on
    // a new one.
    m_cluster->stop();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("was lost")));
    QCOMPARE(store->isRegistered(n), std::optional<bool>(true));

    // While the server is down: errors, not "no account"; then back without a new store.
    m_cluster->stop();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("was lost")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open.*refused")));
    QVERIFY(!store->isReachable());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open.*refused")));
    QCOMPARE(store->isRegistered(n), std::nullopt);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
    QVERIFY(store->isReachable());
    QCOMPARE(store->isRegistered(n), std::optional<bool>(true)); // prepared again
    QCOMPARE(store->createAccount(parsed(QStringLiteral("+14155552671"))), Result::Ok);
    QCOMPARE(store->accountCount(), 2);
}

void tst_AccountStore::filesArePrivate()
{
    if (isPostgres())
        QSKIP("PostgreSQL keeps its files itself");
    const auto modeOf = [](const QString &path) {
        struct stat st = {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? unsigned(st.st_mode) & 07777u
                                                                     : 0xffffu;
    };
    // Whatever the umask, the database and the -wal and -shm files SQLite makes beside it (with
    // the database's mode) are the user's alone: they hold who signed up.
    const QString dbPath = m_location.sqlitePath;
    const mode_t umask = ::umask(022);
    auto store = open();
    QVERIFY(store);
    QCOMPARE(store->createAccount(parsed(QStringLiteral("+919876543210"))), Result::Ok);
    for (const char *suffix : {"", "-wal", "-shm"}) {
        const QString path = dbPath + QLatin1String(suffix);
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));
        QCOMPARE(modeOf(path), 0600u);
    }
    store.reset();

    // A database an earlier version left readable by others is made private when opened.
    QVERIFY(QFile::setPermissions(
        dbPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("readable by others")));
    store = open();
    QVERIFY(store);
    QCOMPARE(modeOf(dbPath), 0600u);
    ::umask(umask);
}

void tst_AccountStore::killedMidSignUpLosesNothing()
{
    QStringList confirmed;
    // Five rounds, each killed at a different point of a steady stream of sign-ups.
    for (int round = 0; round < 5; ++round) {
        QProcess worker;
        worker.setProgram(QCoreApplication::applicationFilePath());
        worker.setArguments({QStringLiteral("--signup-worker"), locationText(m_location),
                             QString::number(qint64(round) * 1'000'000)});
        worker.start();
        QVERIFY2(worker.waitForStarted(), qPrintable(worker.errorString()));

        const int killAfter = 20 + 17 * round;
        QByteArray out;
        while (out.count('\n') < killAfter) {
            QVERIFY2(worker.state() == QProcess::Running || worker.bytesAvailable(),
                     worker.readAllStandardError().constData());
            worker.waitForReadyRead(10'000);
            out += worker.readAllStandardOutput();
        }
        worker.kill(); // SIGKILL: no destructor, no close, no checkpoint
        QVERIFY(worker.waitForFinished(10'000));
        QCOMPARE(worker.exitStatus(), QProcess::CrashExit);
        out += worker.readAllStandardOutput();
        const QByteArray errors = worker.readAllStandardError();
        QVERIFY2(!errors.contains("worker:"), errors.constData());

        // Only whole lines were confirmed; a torn last line was not.
        const qsizetype end = out.lastIndexOf('\n');
        for (const QByteArray &line : out.left(end).split('\n'))
            confirmed.append(QString::fromLatin1(line));
        QVERIFY(confirmed.size() >= killAfter);
    }

    QString error;
    auto store = open(&error);
    QVERIFY2(store, qPrintable(error));
    if (!isPostgres()) {
        auto *sqlite = static_cast<SqliteAccountStore *>(store.get());
        QVERIFY2(sqlite->checkIntegrity(), qPrintable(store->lastError()));
    }
    QCOMPARE(store->schemaVersion(), SqlAccountStore::SchemaVersion);
    for (const QString &e164 : std::as_const(confirmed))
        QVERIFY2(store->account(e164).has_value(), qPrintable(e164 + u" was lost"));
    // Sign-ups committed but not yet printed when the kill came may exist as well.
    QVERIFY(store->accountCount() >= confirmed.size());
    QCOMPARE(store->createAccount(parsed(numberFor(99'999'999))), Result::Ok);
}

int main(int argc, char *argv[])
{
    if (argc == 4 && std::strcmp(argv[1], "--signup-worker") == 0) {
        QCoreApplication app(argc, argv);
        return signUpWorker(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toLongLong());
    }
    QCoreApplication app(argc, argv);
    tst_AccountStore tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_accountstore.moc"
