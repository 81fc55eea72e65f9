// The SQLite account store: the account rules, the schema and its migrations, and durability of
// verified sign-ups when the process is killed mid-write.
#include "engine/SqliteAccountStore.h"

#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <cstring>
#include <sys/stat.h>

using namespace waotp;
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

// Runs SQL on a database file through a connection of its own, as an older or newer waotp
// (or another tool) would have left it.
bool rawExec(const QString &path, const QStringList &statements)
{
    const QString name = QStringLiteral("raw-%1").arg(quintptr(&statements));
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        ok = db.open();
        for (const QString &sql : statements) {
            QSqlQuery q(db);
            if (ok && !q.exec(sql)) {
                qWarning() << sql << q.lastError().text();
                ok = false;
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

unsigned modeOf(const QString &path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? unsigned(st.st_mode) & 07777u
                                                                 : 0xffffu;
}

// The process the kill test kills: signs up numbers from @p first on, one transaction each, and
// prints each number once createAccount() has returned Ok.
int signUpWorker(const QString &path, qint64 first)
{
    QString error;
    auto store = SqliteAccountStore::open(path, &error);
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

class tst_SqliteAccountStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void freshDatabaseIsWalAtCurrentSchema();
    void signUpCreatesOnce();
    void signInNeedsAnAccount();
    void signInUpdatesOnlyTheTime();
    void nullNumberIsRefused();
    void accountsSurviveReopening();
    void twoConnectionsShareTheFile();
    void storesOnlyNumberAndTimes();
    void migratesVersionOne();
    void refusesNewerSchema();
    void refusesAFileThatIsNotADatabase();
    void missingDirectoryIsAnError();
    void filesArePrivate();
    void killedMidSignUpLosesNothing();

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("accounts.sqlite")); }
    std::unique_ptr<QTemporaryDir> m_dir;
    QDateTime m_now = QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC);
    SqliteAccountStore::WallClock m_clock = [this] { return m_now; };
};

void tst_SqliteAccountStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_SqliteAccountStore::freshDatabaseIsWalAtCurrentSchema()
{
    QString error;
    auto store = SqliteAccountStore::open(dbPath(), &error);
    QVERIFY2(store, qPrintable(error));
    QCOMPARE(store->schemaVersion(), SqliteAccountStore::SchemaVersion);
    QCOMPARE(store->accountCount(), 0);
    QVERIFY(store->checkIntegrity());
    // WAL is a property of the file: a second connection sees it too.
    const QString name = QStringLiteral("probe");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
    }
    QSqlDatabase::removeDatabase(name);
}

void tst_SqliteAccountStore::signUpCreatesOnce()
{
    auto store = SqliteAccountStore::open(dbPath(), nullptr, m_clock);
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

void tst_SqliteAccountStore::signInNeedsAnAccount()
{
    auto store = SqliteAccountStore::open(dbPath(), nullptr, m_clock);
    QVERIFY(store);
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    QCOMPARE(store->recordSignIn(n), Result::NotFound);
    QCOMPARE(store->accountCount(), 0); // signing in never creates an account
    QVERIFY(!store->account(n.e164()));
}

void tst_SqliteAccountStore::signInUpdatesOnlyTheTime()
{
    auto store = SqliteAccountStore::open(dbPath(), nullptr, m_clock);
    QVERIFY(store);
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    const PhoneNumber other = parsed(QStringLiteral("+14155552671"));
    QCOMPARE(store->createAccount(n), Result::Ok);
    QCOMPARE(store->createAccount(other), Result::Ok);
    const QDateTime created = m_now;

    m_now = m_now.addDays(3);
    QCOMPARE(store->recordSignIn(n), Result::Ok);
    const auto record = store->account(n.e164());
    QVERIFY(record);
    QCOMPARE(record->e164, n.e164());
    QCOMPARE(record->createdAt, created);
    QCOMPARE(record->lastSignInAt, m_now);
    QCOMPARE(store->account(other.e164())->lastSignInAt, created);
}

void tst_SqliteAccountStore::nullNumberIsRefused()
{
    auto store = SqliteAccountStore::open(dbPath());
    QVERIFY(store);
    QCOMPARE(store->createAccount(PhoneNumber()), Result::StorageError);
    QCOMPARE(store->recordSignIn(PhoneNumber()), Result::NotFound);
    QCOMPARE(store->accountCount(), 0);
}

void tst_SqliteAccountStore::accountsSurviveReopening()
{
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    {
        auto store = SqliteAccountStore::open(dbPath());
        QVERIFY(store);
        QCOMPARE(store->createAccount(n), Result::Ok);
    }
    auto store = SqliteAccountStore::open(dbPath());
    QVERIFY(store);
    QCOMPARE(store->isRegistered(n), std::optional<bool>(true));
    QCOMPARE(store->createAccount(n), Result::AlreadyExists);
}

void tst_SqliteAccountStore::twoConnectionsShareTheFile()
{
    auto a = SqliteAccountStore::open(dbPath());
    auto b = SqliteAccountStore::open(dbPath());
    QVERIFY(a && b);
    const PhoneNumber n = parsed(QStringLiteral("+919876543210"));
    QCOMPARE(a->createAccount(n), Result::Ok);
    QCOMPARE(b->isRegistered(n), std::optional<bool>(true));
    QCOMPARE(b->createAccount(n), Result::AlreadyExists);
    QCOMPARE(b->recordSignIn(n), Result::Ok);
}

void tst_SqliteAccountStore::storesOnlyNumberAndTimes()
{
    {
        auto store = SqliteAccountStore::open(dbPath());
        QVERIFY(store);
        QCOMPARE(store->createAccount(parsed(QStringLiteral("+919876543210"))), Result::Ok);
    }
    const QString name = QStringLiteral("schema");
    QStringList tables, columns;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        tables = db.tables();
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT name FROM pragma_table_info('accounts')")));
        while (q.next())
            columns.append(q.value(0).toString());
    }
    QSqlDatabase::removeDatabase(name);
    QCOMPARE(tables, QStringList {QStringLiteral("accounts")});
    QCOMPARE(columns,
             (QStringList {QStringLiteral("e164"), QStringLiteral("created_at"),
                           QStringLiteral("last_sign_in_at")}));
}

void tst_SqliteAccountStore::migratesVersionOne()
{
    // A database as the first release wrote it: no last sign-in column.
    QVERIFY(rawExec(dbPath(),
                    {QStringLiteral("CREATE TABLE accounts (e164 TEXT PRIMARY KEY NOT NULL, "
                                    "created_at INTEGER NOT NULL) WITHOUT ROWID"),
                     QStringLiteral("INSERT INTO accounts VALUES ('+919876543210', %1)")
                         .arg(m_now.toMSecsSinceEpoch()),
                     QStringLiteral("PRAGMA user_version=1")}));

    QString error;
    auto store = SqliteAccountStore::open(dbPath(), &error, m_clock);
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

void tst_SqliteAccountStore::refusesNewerSchema()
{
    QVERIFY(rawExec(dbPath(),
                    {QStringLiteral("CREATE TABLE accounts (e164 TEXT PRIMARY KEY)"),
                     QStringLiteral("PRAGMA user_version=99")}));
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("schema version 99")));
    QVERIFY(!SqliteAccountStore::open(dbPath(), &error));
    QVERIFY2(error.contains(u"newer waotp"), qPrintable(error));
}

void tst_SqliteAccountStore::refusesAFileThatIsNotADatabase()
{
    QFile f(dbPath());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4096, 'x'));
    f.close();
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(".")));
    QVERIFY(!SqliteAccountStore::open(dbPath(), &error));
    QVERIFY(!error.isEmpty());
}

void tst_SqliteAccountStore::missingDirectoryIsAnError()
{
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open")));
    QVERIFY(
        !SqliteAccountStore::open(m_dir->filePath(QStringLiteral("no/such/dir/a.sqlite")), &error));
    QVERIFY2(error.startsWith(u"cannot open"), qPrintable(error));
}

void tst_SqliteAccountStore::filesArePrivate()
{
    // Whatever the umask, the database and the -wal and -shm files SQLite makes beside it (with
    // the database's mode) are the user's alone: they hold who signed up.
    const mode_t umask = ::umask(022);
    auto store = SqliteAccountStore::open(dbPath());
    QVERIFY(store);
    QCOMPARE(store->createAccount(parsed(QStringLiteral("+919876543210"))), Result::Ok);
    for (const char *suffix : {"", "-wal", "-shm"}) {
        const QString path = dbPath() + QLatin1String(suffix);
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));
        QCOMPARE(modeOf(path), 0600u);
    }
    store.reset();

    // A database an earlier version left readable by others is made private when opened.
    QVERIFY(QFile::setPermissions(
        dbPath(), QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("readable by others")));
    store = SqliteAccountStore::open(dbPath());
    QVERIFY(store);
    QCOMPARE(modeOf(dbPath()), 0600u);
    ::umask(umask);
}

void tst_SqliteAccountStore::killedMidSignUpLosesNothing()
{
    QStringList confirmed;
    // Five rounds, each killed at a different point of a steady stream of sign-ups.
    for (int round = 0; round < 5; ++round) {
        QProcess worker;
        worker.setProgram(QCoreApplication::applicationFilePath());
        worker.setArguments({QStringLiteral("--signup-worker"), dbPath(),
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
    auto store = SqliteAccountStore::open(dbPath(), &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY2(store->checkIntegrity(), qPrintable(store->lastError()));
    QCOMPARE(store->schemaVersion(), SqliteAccountStore::SchemaVersion);
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
    tst_SqliteAccountStore tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_sqliteaccountstore.moc"
