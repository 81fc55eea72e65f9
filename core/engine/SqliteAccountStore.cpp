#include "engine/SqliteAccountStore.h"

#include "engine/FileSafety.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

namespace waotp {

namespace {

// Each step moves the schema from version (index) to version (index + 1) and runs in the same
// transaction as the user_version bump, so a crash leaves the database at one version or the
// next, never in between. Append steps (here and in PostgresAccountStore.cpp); never edit a
// released one.
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
static_assert(std::size(Migrations) == SqlAccountStore::SchemaVersion);

} // namespace

std::unique_ptr<SqliteAccountStore> SqliteAccountStore::open(const QString &path, QString *error,
                                                             WallClock wallClock)
{
    std::unique_ptr<SqliteAccountStore> store(
        new SqliteAccountStore(AccountDatabaseLocation::sqlite(path), std::move(wallClock)));
    if (!store->initialise(QStringLiteral("QSQLITE"))) {
        if (error)
            *error = store->lastError();
        return nullptr;
    }
    return store;
}

bool SqliteAccountStore::configure()
{
    // The file is made private (0600) before SQLite opens it; SQLite gives its -wal and -shm
    // files the same mode.
    QString why;
    const QString file = path();
    if (isPlainFile() && !ensurePrivateFile(file, &why))
        return fail(QStringLiteral("cannot open %1").arg(location().display()), why);
    m_db.setDatabaseName(file);
    // Another process (a second window, `waotp --stats`) may hold the write lock for a moment.
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    return true;
}

bool SqliteAccountStore::isPlainFile() const
{
    const QString file = path();
    return !file.isEmpty() && file != u":memory:" && !file.startsWith(u"file:");
}

bool SqliteAccountStore::afterOpen() const
{
    {
        QSqlQuery q(m_db);
        // Switching a new, empty file to WAL needs the write lock; SQLite does not wait for it
        // there (no busy handler), so a second process opening the same new file at that moment
        // retries for up to the busy timeout.
        bool switched = q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) && q.next();
        for (int retry = 0; !switched && retry < 500
             && q.lastError().nativeErrorCode() == QLatin1String("5"); // SQLITE_BUSY
             ++retry) {
            QThread::msleep(10);
            switched = q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) && q.next();
        }
        if (!switched)
            return fail(QStringLiteral("cannot switch %1 to WAL").arg(path()),
                        databaseErrorText(q.lastError()));
        if (q.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0)
            return fail(QStringLiteral("cannot switch %1 to WAL").arg(path()),
                        QStringLiteral("journal mode is %1").arg(q.value(0).toString()));
    }
    return exec(synchronousPragma()) && exec(QStringLiteral("PRAGMA foreign_keys=ON"))
        && exec(QStringLiteral("PRAGMA wal_autocheckpoint=%1").arg(m_autoCheckpointPages));
}

QString SqliteAccountStore::synchronousPragma() const
{
    // FULL syncs the WAL on every commit: a verified sign-up is on disk before we report it.
    return m_syncEachCommit ? QStringLiteral("PRAGMA synchronous=FULL")
                            : QStringLiteral("PRAGMA synchronous=NORMAL");
}

bool SqliteAccountStore::setSyncEachCommit(bool sync)
{
    m_syncEachCommit = sync; // also after the connection is opened again
    return exec(synchronousPragma());
}

bool SqliteAccountStore::setAutoCheckpointPages(int pages)
{
    m_autoCheckpointPages = pages; // also after the connection is opened again
    return exec(QStringLiteral("PRAGMA wal_autocheckpoint=%1").arg(pages));
}

bool SqliteAccountStore::beginLocked()
{
    // IMMEDIATE takes the write lock before anything is read, so two processes opening a
    // fresh file cannot both run the same migration step.
    return exec(QStringLiteral("BEGIN IMMEDIATE"));
}

int SqliteAccountStore::readSchemaVersion() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        m_lastError = databaseErrorText(q.lastError());
        return -1;
    }
    return q.value(0).toInt();
}

bool SqliteAccountStore::writeSchemaVersion(int version)
{
    return exec(QStringLiteral("PRAGMA user_version=%1").arg(version));
}

QStringList SqliteAccountStore::migration(int version) const
{
    return QString::fromUtf16(Migrations[version]).split(u';', Qt::SkipEmptyParts);
}

bool SqliteAccountStore::checkIntegrity() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA integrity_check")) || !q.next())
        return fail(QStringLiteral("cannot check %1").arg(path()),
                    databaseErrorText(q.lastError()));
    const QString answer = q.value(0).toString();
    if (answer != u"ok" || q.next())
        return fail(QStringLiteral("%1 is damaged").arg(path()), answer);
    return true;
}

} // namespace waotp
