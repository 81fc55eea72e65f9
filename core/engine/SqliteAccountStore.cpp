#include "engine/SqliteAccountStore.h"

#include "engine/FileSafety.h"

#include <QAtomicInteger>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

Q_LOGGING_CATEGORY(lcAccounts, "waotp.accounts", QtInfoMsg)

namespace waotp {

namespace {

// Each step moves the schema from version (index) to version (index + 1) and runs in the same
// transaction as the user_version bump, so a crash leaves the database at one version or the
// next, never in between. Append steps; never edit a released one.
constexpr const char16_t *Migrations[] = {
    // 0 -> 1: the first release: numbers and their creation time.
    u"CREATE TABLE accounts ("
    u"  e164 TEXT PRIMARY KEY NOT NULL CHECK (e164 GLOB '+[1-9]*' AND length(e164) <= 16),"
    u"  created_at INTEGER NOT NULL"
    u") WITHOUT ROWID",
    // 1 -> 2: remember the last sign-in; a sign-up counts as one.
    u"ALTER TABLE accounts ADD COLUMN last_sign_in_at INTEGER;"
    u"UPDATE accounts SET last_sign_in_at = created_at",
};
static_assert(std::size(Migrations) == SqliteAccountStore::SchemaVersion);

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("waotp-accounts-%1").arg(counter.fetchAndAddRelaxed(1));
}

QDateTime fromMs(const QVariant &v)
{
    if (v.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

} // namespace

SqliteAccountStore::SqliteAccountStore(QString path, QString connectionName, WallClock wallClock)
    : m_path(std::move(path)), m_connectionName(std::move(connectionName)),
      m_wallClock(wallClock ? std::move(wallClock) : WallClock(&QDateTime::currentDateTimeUtc))
{ }

std::unique_ptr<SqliteAccountStore> SqliteAccountStore::open(const QString &path, QString *error,
                                                             WallClock wallClock)
{
    std::unique_ptr<SqliteAccountStore> store(
        new SqliteAccountStore(path, nextConnectionName(), std::move(wallClock)));
    if (!store->initialise()) {
        if (error)
            *error = store->m_lastError;
        return nullptr;
    }
    return store;
}

SqliteAccountStore::~SqliteAccountStore()
{
    const bool registered = m_db.isValid();
    if (registered) {
        m_db.close();
        m_db = QSqlDatabase(); // drop our handle first, or removeDatabase() warns
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool SqliteAccountStore::fail(const QString &what, const QString &detail) const
{
    m_lastError = what + u": " + detail;
    qCWarning(lcAccounts).noquote() << m_lastError;
    return false;
}

bool SqliteAccountStore::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        return fail(QStringLiteral("account database"), q.lastError().text());
    return true;
}

bool SqliteAccountStore::initialise()
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return fail(QStringLiteral("account database"),
                    QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed"));
    // The file is made private (0600) before SQLite opens it; SQLite gives its -wal and -shm
    // files the same mode.
    QString why;
    const bool inMemory = m_path.isEmpty() || m_path == u":memory:" || m_path.startsWith(u"file:");
    if (!inMemory && !ensurePrivateFile(m_path, &why))
        return fail(QStringLiteral("cannot open %1").arg(m_path), why);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_path);
    // Another process (a second window, `waotp --stats`) may hold the write lock for a moment.
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open())
        return fail(QStringLiteral("cannot open %1").arg(m_path), m_db.lastError().text());

    {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next())
            return fail(QStringLiteral("cannot switch %1 to WAL").arg(m_path),
                        q.lastError().text());
        if (q.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0)
            return fail(QStringLiteral("cannot switch %1 to WAL").arg(m_path),
                        QStringLiteral("journal mode is %1").arg(q.value(0).toString()));
    }
    // FULL syncs the WAL on every commit: a verified sign-up is on disk before we report it.
    if (!exec(QStringLiteral("PRAGMA synchronous=FULL"))
        || !exec(QStringLiteral("PRAGMA foreign_keys=ON")))
        return false;
    return migrate();
}

int SqliteAccountStore::schemaVersion() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

bool SqliteAccountStore::migrate()
{
    int initialVersion = -1;
    for (;;) {
        // IMMEDIATE takes the write lock before reading the version, so two processes opening
        // a fresh file cannot both run the same step.
        if (!exec(QStringLiteral("BEGIN IMMEDIATE")))
            return false;
        const int version = schemaVersion();
        if (version < 0) {
            exec(QStringLiteral("ROLLBACK"));
            return fail(QStringLiteral("cannot read the schema version of %1").arg(m_path),
                        m_db.lastError().text());
        }
        if (version > SchemaVersion) {
            exec(QStringLiteral("ROLLBACK"));
            return fail(QStringLiteral("cannot use %1").arg(m_path),
                        QStringLiteral("it has schema version %1, this build knows up to %2 "
                                       "(written by a newer waotp?)")
                            .arg(version)
                            .arg(SchemaVersion));
        }
        if (initialVersion < 0)
            initialVersion = version;
        if (version == SchemaVersion)
            return exec(QStringLiteral("COMMIT"));

        const QStringList statements =
            QString::fromUtf16(Migrations[version]).split(u';', Qt::SkipEmptyParts);
        bool ok = true;
        for (const QString &sql : statements)
            ok = ok && exec(sql);
        ok = ok && exec(QStringLiteral("PRAGMA user_version=%1").arg(version + 1));
        if (!ok) {
            const QString error = m_lastError;
            exec(QStringLiteral("ROLLBACK"));
            return fail(QStringLiteral("cannot migrate %1 to schema version %2")
                            .arg(m_path)
                            .arg(version + 1),
                        error);
        }
        if (!exec(QStringLiteral("COMMIT")))
            return false;
        if (initialVersion > 0) // a fresh file is not news
            qCInfo(lcAccounts).noquote()
                << QStringLiteral("account database migrated to schema version %1")
                       .arg(version + 1);
    }
}

std::optional<bool> SqliteAccountStore::isRegistered(const PhoneNumber &number) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT 1 FROM accounts WHERE e164 = ?"));
    q.addBindValue(number.e164());
    if (!q.exec()) {
        fail(QStringLiteral("cannot read accounts"), q.lastError().text());
        return std::nullopt;
    }
    return q.next();
}

AccountStore::Result SqliteAccountStore::createAccount(const PhoneNumber &number)
{
    if (number.isNull())
        return Result::StorageError;
    if (!exec(QStringLiteral("BEGIN IMMEDIATE")))
        return Result::StorageError;
    const qint64 now = m_wallClock().toMSecsSinceEpoch();
    int inserted = -1;
    {
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("INSERT INTO accounts (e164, created_at, last_sign_in_at) "
                                 "VALUES (?, ?, ?) ON CONFLICT (e164) DO NOTHING"));
        q.addBindValue(number.e164());
        q.addBindValue(now);
        q.addBindValue(now);
        if (q.exec())
            inserted = q.numRowsAffected();
        else
            fail(QStringLiteral("cannot create an account"), q.lastError().text());
    }
    if (inserted < 0 || !exec(QStringLiteral("COMMIT"))) {
        exec(QStringLiteral("ROLLBACK"));
        return Result::StorageError;
    }
    return inserted == 1 ? Result::Ok : Result::AlreadyExists;
}

AccountStore::Result SqliteAccountStore::recordSignIn(const PhoneNumber &number)
{
    if (!exec(QStringLiteral("BEGIN IMMEDIATE")))
        return Result::StorageError;
    int updated = -1;
    {
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("UPDATE accounts SET last_sign_in_at = ? WHERE e164 = ?"));
        q.addBindValue(m_wallClock().toMSecsSinceEpoch());
        q.addBindValue(number.e164());
        if (q.exec())
            updated = q.numRowsAffected();
        else
            fail(QStringLiteral("cannot record a sign-in"), q.lastError().text());
    }
    if (updated < 0 || !exec(QStringLiteral("COMMIT"))) {
        exec(QStringLiteral("ROLLBACK"));
        return Result::StorageError;
    }
    return updated == 1 ? Result::Ok : Result::NotFound;
}

std::optional<AccountRecord> SqliteAccountStore::account(const QString &e164) const
{
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("SELECT e164, created_at, last_sign_in_at FROM accounts WHERE e164 = ?"));
    q.addBindValue(e164);
    if (!q.exec()) {
        fail(QStringLiteral("cannot read accounts"), q.lastError().text());
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return AccountRecord {q.value(0).toString(), fromMs(q.value(1)), fromMs(q.value(2))};
}

qint64 SqliteAccountStore::accountCount() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM accounts")) || !q.next()) {
        fail(QStringLiteral("cannot count accounts"), q.lastError().text());
        return -1;
    }
    return q.value(0).toLongLong();
}

bool SqliteAccountStore::checkIntegrity() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA integrity_check")) || !q.next())
        return fail(QStringLiteral("cannot check %1").arg(m_path), q.lastError().text());
    const QString answer = q.value(0).toString();
    if (answer != u"ok" || q.next())
        return fail(QStringLiteral("%1 is damaged").arg(m_path), answer);
    return true;
}

} // namespace waotp
