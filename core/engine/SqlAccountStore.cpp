#include "engine/SqlAccountStore.h"

#include "engine/PostgresAccountStore.h"
#include "engine/SqliteAccountStore.h"

#include <QAtomicInteger>
#include <QLoggingCategory>
#include <QScopedValueRollback>
#include <QSqlError>
#include <QVariant>

Q_LOGGING_CATEGORY(lcAccounts, "waotp.accounts", QtInfoMsg)

namespace waotp {

namespace {

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

QString databaseErrorText(const QSqlError &error)
{
    // The database's own words (libpq's may span lines), else the driver's.
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.driverText().trimmed();
    text.replace(QStringLiteral("\n\t"), QStringLiteral(" "));
    text.replace(u'\n', QStringLiteral("; "));
    return text;
}

SqlAccountStore::SqlAccountStore(AccountDatabaseLocation location, WallClock wallClock)
    : m_location(std::move(location)), m_connectionName(nextConnectionName()),
      m_wallClock(wallClock ? std::move(wallClock) : WallClock(&QDateTime::currentDateTimeUtc))
{ }

SqlAccountStore::~SqlAccountStore()
{
    m_prepared.clear(); // the queries go before their connection
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase(); // drop our handle first, or removeDatabase() warns
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool SqlAccountStore::fail(const QString &what, const QString &detail) const
{
    m_lastError = what + u": " + detail;
    qCWarning(lcAccounts).noquote() << m_lastError;
    return false;
}

bool SqlAccountStore::exec(const QString &sql) const
{
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        return fail(QStringLiteral("account database"), databaseErrorText(q.lastError()));
    return true;
}

bool SqlAccountStore::initialise(const QString &driver)
{
    if (!QSqlDatabase::isDriverAvailable(driver))
        return fail(QStringLiteral("account database"),
                    QStringLiteral("the Qt driver %1 is not installed (Debian: %2)")
                        .arg(driver,
                             driver == u"QPSQL" ? QStringLiteral("libqt6sql6-psql")
                                                : QStringLiteral("libqt6sql6-sqlite")));
    m_db = QSqlDatabase::addDatabase(driver, m_connectionName);
    if (!configure())
        return false;
    return reopen() && migrate();
}

bool SqlAccountStore::reopen() const
{
    m_prepared.clear(); // prepared in a session that is gone
    QSqlDatabase db = m_db; // the same connection
    db.close();
    if (!db.open())
        return fail(QStringLiteral("cannot open %1").arg(m_location.display()),
                    databaseErrorText(db.lastError()));
    return afterOpen();
}

bool SqlAccountStore::answers() const
{
    return m_db.isOpen() && QSqlQuery(m_db).exec(QStringLiteral("SELECT 1"));
}

void SqlAccountStore::dropConnection() const
{
    ++m_lostConnections;
    qCWarning(lcAccounts).noquote()
        << QStringLiteral("the connection to %1 was lost; connecting again")
               .arg(m_location.display());
    m_prepared.clear();
    QSqlDatabase(m_db).close(); // QPSQL may have closed it already
}

bool SqlAccountStore::isReachable() const
{
    const bool wasOpen = m_db.isOpen();
    if (answers())
        return true;
    if (wasOpen)
        dropConnection();
    return reopen();
}

QSqlQuery *SqlAccountStore::run(const QString &sql, const QVariantList &values) const
{
    for (int attempt = 0;; ++attempt) {
        if (!m_db.isOpen() && !reopen())
            return nullptr;
        std::shared_ptr<QSqlQuery> &q = m_prepared[sql];
        bool ok = true;
        if (!q) {
            q = std::make_shared<QSqlQuery>(m_db);
            ok = q->prepare(sql);
        }
        if (ok) {
            for (int i = 0; i < values.size(); ++i)
                q->bindValue(i, values.at(i));
            ok = q->exec();
        }
        if (ok)
            return q.get();
        const QString error = databaseErrorText(q->lastError());
        m_prepared.remove(sql);
        // If the connection still answers, the statement was the problem. Inside a
        // transaction a retry would run outside it: let the transaction fail instead.
        if (attempt > 0 || m_inTransaction || answers()) {
            fail(QStringLiteral("account database"), error);
            return nullptr;
        }
        dropConnection();
    }
}

bool SqlAccountStore::prepare(const QString &sql)
{
    if (!m_db.isOpen() && !reopen())
        return false;
    std::shared_ptr<QSqlQuery> &q = m_prepared[sql];
    if (q)
        return true;
    q = std::make_shared<QSqlQuery>(m_db);
    if (q->prepare(sql))
        return true;
    const QString error = databaseErrorText(q->lastError());
    m_prepared.remove(sql);
    return fail(QStringLiteral("account database"), error);
}

bool SqlAccountStore::commitOrRollback(bool ok)
{
    if (ok && exec(QStringLiteral("COMMIT")))
        return true;
    const QString error = m_lastError;
    QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    m_lastError = error;
    return false;
}

bool SqlAccountStore::inLockedTransaction(const std::function<bool()> &work)
{
    if (!beginLocked())
        return false;
    bool ok = false;
    {
        const QScopedValueRollback inside(m_inTransaction, true);
        ok = work();
    }
    return commitOrRollback(ok);
}

bool SqlAccountStore::inWriteTransaction(const std::function<bool()> &work)
{
    if (m_inTransaction)
        return work();
    if (!m_db.isOpen() && !reopen())
        return false;
    if (!beginWrite()) {
        // As run() does: a connection that no longer answers is opened again, once.
        if (answers())
            return false;
        dropConnection();
        if (!reopen() || !beginWrite())
            return false;
    }
    bool ok = false;
    {
        const QScopedValueRollback inside(m_inTransaction, true);
        ok = work();
    }
    return commitOrRollback(ok);
}

int SqlAccountStore::schemaVersion() const
{
    return readSchemaVersion();
}

bool SqlAccountStore::migrate()
{
    // Every missing step in one transaction under the lock: a second process starting at the
    // same time waits, then finds the schema complete.
    int initialVersion = -1;
    const bool ok = inLockedTransaction([&] {
        initialVersion = readSchemaVersion();
        if (initialVersion < 0)
            return fail(
                QStringLiteral("cannot read the schema version of %1").arg(m_location.display()),
                m_lastError);
        if (initialVersion > SchemaVersion)
            return fail(QStringLiteral("cannot use %1").arg(m_location.display()),
                        QStringLiteral("it has schema version %1, this build knows up to %2 "
                                       "(written by a newer waotp?)")
                            .arg(initialVersion)
                            .arg(SchemaVersion));
        for (int version = initialVersion; version < SchemaVersion; ++version) {
            const QStringList statements = migration(version);
            for (const QString &sql : statements) {
                if (QSqlQuery q(m_db); !q.exec(sql))
                    return fail(QStringLiteral("cannot migrate %1 to schema version %2")
                                    .arg(m_location.display())
                                    .arg(version + 1),
                                databaseErrorText(q.lastError()));
            }
            if (!writeSchemaVersion(version + 1))
                return false;
        }
        return true;
    });
    if (ok && initialVersion > 0 && initialVersion < SchemaVersion) // a fresh one is not news
        qCInfo(lcAccounts).noquote()
            << QStringLiteral("account database migrated from schema version %1 to %2")
                   .arg(initialVersion)
                   .arg(SchemaVersion);
    return ok;
}

std::optional<bool> SqlAccountStore::isRegistered(const PhoneNumber &number) const
{
    QSqlQuery *q = run(QStringLiteral("SELECT 1 FROM accounts WHERE e164 = ?"), {number.e164()});
    if (!q)
        return std::nullopt;
    const bool found = q->next();
    q->finish();
    return found;
}

AccountStore::Result SqlAccountStore::createAccount(const PhoneNumber &number)
{
    if (number.isNull())
        return Result::StorageError;
    const qint64 now = m_wallClock().toMSecsSinceEpoch();
    const QString sql = QStringLiteral("INSERT INTO accounts (e164, created_at, last_sign_in_at) "
                                       "VALUES (?, %1, %1) ON CONFLICT (e164) DO NOTHING")
                            .arg(timeFromMs());
    int inserted = -1;
    const auto insert = [&] {
        if (QSqlQuery *q = run(sql, {number.e164(), now, now})) {
            inserted = q->numRowsAffected();
            q->finish();
        }
        return inserted >= 0;
    };
    if (!(lockEachWrite() && !m_inTransaction ? inLockedTransaction(insert) : insert()))
        return Result::StorageError;
    return inserted == 1 ? Result::Ok : Result::AlreadyExists;
}

AccountStore::Result SqlAccountStore::recordSignIn(const PhoneNumber &number)
{
    const QString sql =
        QStringLiteral("UPDATE accounts SET last_sign_in_at = %1 WHERE e164 = ?").arg(timeFromMs());
    int updated = -1;
    const auto update = [&] {
        if (QSqlQuery *q = run(sql, {m_wallClock().toMSecsSinceEpoch(), number.e164()})) {
            updated = q->numRowsAffected();
            q->finish();
        }
        return updated >= 0;
    };
    if (!(lockEachWrite() && !m_inTransaction ? inLockedTransaction(update) : update()))
        return Result::StorageError;
    return updated == 1 ? Result::Ok : Result::NotFound;
}

std::optional<AccountRecord> SqlAccountStore::account(const QString &e164) const
{
    QSqlQuery *q = run(QStringLiteral("SELECT e164, %1, %2 FROM accounts WHERE e164 = ?")
                           .arg(timeToMs(QStringLiteral("created_at")),
                                timeToMs(QStringLiteral("last_sign_in_at"))),
                       {e164});
    if (!q)
        return std::nullopt;
    std::optional<AccountRecord> record;
    if (q->next())
        record = AccountRecord {q->value(0).toString(), fromMs(q->value(1)), fromMs(q->value(2))};
    q->finish();
    return record;
}

qint64 SqlAccountStore::accountCount() const
{
    QSqlQuery *q = run(QStringLiteral("SELECT count(*) FROM accounts"), {});
    if (!q || !q->next())
        return -1;
    const qint64 count = q->value(0).toLongLong();
    q->finish();
    return count;
}

std::unique_ptr<SqlAccountStore> openAccountStore(const AccountDatabaseLocation &location,
                                                  QString *error,
                                                  SqlAccountStore::WallClock wallClock)
{
    if (location.isPostgres())
        return PostgresAccountStore::open(location, error, std::move(wallClock));
    return SqliteAccountStore::open(location.sqlitePath, error, std::move(wallClock));
}

} // namespace waotp
