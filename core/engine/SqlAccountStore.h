#pragma once

#include "engine/AccountDatabase.h"
#include "engine/AccountStore.h"

#include <QDateTime>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <functional>
#include <memory>
#include <optional>

namespace waotp {

/// What the store knows about one account: its number and two times, nothing else.
struct AccountRecord
{
    QString e164;
    QDateTime createdAt; ///< UTC, when the sign-up's code was verified
    QDateTime lastSignInAt; ///< UTC, the last verified sign-up or sign-in
};

/// Accounts in an SQL database through QtSql: the rules both databases share.
///
/// One table, `accounts`, keyed by E.164 number, with the creation and last sign-in times.
/// The schema has a version, the same on every database: opening a store applies the missing
/// steps (each in the transaction that records its version) while holding the database's write
/// lock, so two processes opening a fresh database at once do not race; a database with a
/// newer version is refused. A sign-up is one insert that does nothing on a number that exists,
/// so two of them at once create one account.
///
/// SqliteAccountStore and PostgresAccountStore supply the connection, the lock and the few
/// statements that differ. Use a store from the thread that opened it (a QtSql rule).
class SqlAccountStore : public AccountStore
{
public:
    /// The schema this build writes. Databases with a higher version are refused.
    static constexpr int SchemaVersion = 2;

    /// The wall clock that stamps createdAt and lastSignInAt (injectable for tests).
    using WallClock = std::function<QDateTime()>;

    ~SqlAccountStore() override;
    SqlAccountStore(const SqlAccountStore &) = delete;
    SqlAccountStore &operator=(const SqlAccountStore &) = delete;

    std::optional<bool> isRegistered(const PhoneNumber &number) const override;
    Result createAccount(const PhoneNumber &number) override;
    Result recordSignIn(const PhoneNumber &number) override;

    /// The account of @p e164, std::nullopt if there is none or the database cannot be read.
    std::optional<AccountRecord> account(const QString &e164) const;
    /// How many accounts exist; -1 if the database cannot be read.
    qint64 accountCount() const;
    /// The schema version of the open database (SchemaVersion once open() succeeded).
    int schemaVersion() const;
    /// True if the database answers. A connection that was lost is opened again first.
    bool isReachable() const;
    /// Runs @p work in one transaction that holds the lock the migrations take: commits if it
    /// returns true, rolls back otherwise. For tables kept beside the accounts (waotp-server's
    /// account ids) that must be made or filled once when several processes start together.
    bool inLockedTransaction(const std::function<bool()> &work);
    /// Runs @p work as one write transaction: the writes of several calls (createAccount(),
    /// recordSignIn(), execute()) are committed together, once, if it returns true, and rolled
    /// back otherwise. Inside it those calls start no transaction of their own, and a nested
    /// call runs @p work in the transaction already open. A connection found lost at the start
    /// is opened again; one lost inside fails the transaction.
    bool inWriteTransaction(const std::function<bool()> &work);
    /// True inside inWriteTransaction() or inLockedTransaction(): what is written is not
    /// committed yet.
    bool isInTransaction() const { return m_inTransaction; }
    /// Runs @p sql with @p values bound, for tables kept beside the accounts: prepared once per
    /// connection, opened again (and run once more) on a lost connection outside a transaction.
    /// The query, valid until the next call with the same @p sql, or nullptr with lastError()
    /// set.
    QSqlQuery *execute(const QString &sql, const QVariantList &values = {})
    {
        return run(sql, values);
    }
    /// How many lost connections were found (and opened again). When this grows across an
    /// execute(), its statement ran once more on the new connection, and the first run may have
    /// been committed although its answer was lost.
    quint64 lostConnections() const { return m_lostConnections; }
    /// Prepares @p sql for execute() now (on PostgreSQL a PREPARE the first execute() would
    /// otherwise send), so that each later execute() is one statement. False with lastError().
    bool prepare(const QString &sql);
    /// The SQL that stores a bound time (milliseconds since the epoch, see nowMs()), and now by
    /// the store's wall clock: for statements of their own that stamp an account.
    QString timeParameter() const { return timeFromMs(); }
    qint64 nowMs() const { return m_wallClock().toMSecsSinceEpoch(); }
    /// The connection, for tables kept beside the accounts. Same thread rule as the store.
    QSqlDatabase connection() const { return m_db; }
    const AccountDatabaseLocation &location() const { return m_location; }
    /// The last database error, for the log (never holds a phone number or a password).
    QString lastError() const { return m_lastError; }

protected:
    SqlAccountStore(AccountDatabaseLocation location, WallClock wallClock);

    /// Connects and migrates; false with lastError() set on failure.
    bool initialise(const QString &driver);
    bool fail(const QString &what, const QString &detail) const;
    bool exec(const QString &sql) const;

    /// The connection's settings before it is opened (file, host, options), and what runs on
    /// it once opened (pragmas, session settings). False, with lastError() set, on failure.
    virtual bool configure() = 0;
    virtual bool afterOpen() const = 0;
    /// Starts a transaction holding the database's write lock.
    virtual bool beginLocked() = 0;
    /// Starts a transaction for writes (inWriteTransaction()).
    virtual bool beginWrite() = 0;
    /// Inside the locked transaction: the schema version (0 for an empty database), -1 on
    /// an error.
    virtual int readSchemaVersion() const = 0;
    virtual bool writeSchemaVersion(int version) = 0;
    /// The statements that move the schema from @p version to @p version + 1.
    virtual QStringList migration(int version) const = 0;
    /// The SQL that turns a bound count of milliseconds since the epoch into a stored time, and
    /// a stored time @p column back.
    virtual QString timeFromMs() const = 0;
    virtual QString timeToMs(const QString &column) const = 0;
    /// Whether a write is wrapped in a locked transaction (SQLite takes its lock up front).
    virtual bool lockEachWrite() const = 0;

    QSqlDatabase m_db;
    mutable QString m_lastError;

private:
    bool migrate();
    /// Runs @p sql with @p values bound; on a lost connection opens it again and runs it once
    /// more. The query stays prepared for the next call.
    QSqlQuery *run(const QString &sql, const QVariantList &values) const;
    bool reopen() const;
    bool answers() const;
    void dropConnection() const;
    bool commitOrRollback(bool ok);

    AccountDatabaseLocation m_location;
    QString m_connectionName;
    WallClock m_wallClock;
    mutable QHash<QString, std::shared_ptr<QSqlQuery>> m_prepared;
    mutable quint64 m_lostConnections = 0;
    bool m_inTransaction = false;
};

/// The text of a database error for a log line: the database's words, on one line.
QString databaseErrorText(const QSqlError &error);

/// Opens the account store at @p location: SqliteAccountStore or PostgresAccountStore.
/// nullptr, with a sentence in @p error, on failure.
std::unique_ptr<SqlAccountStore> openAccountStore(const AccountDatabaseLocation &location,
                                                  QString *error = nullptr,
                                                  SqlAccountStore::WallClock wallClock = {});

} // namespace waotp
