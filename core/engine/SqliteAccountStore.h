#pragma once

#include "engine/AccountStore.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

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

/// Accounts in an embedded SQLite database (QtSql, driver QSQLITE).
///
/// One table keyed by E.164 number with the creation and last sign-in times. The database runs
/// in WAL mode with `synchronous=FULL`, so a committed sign-up survives the process being killed
/// (or the machine losing power) right after createAccount() returns. Every write is one
/// `BEGIN IMMEDIATE` transaction; several processes may share a file. The schema version lives
/// in `PRAGMA user_version` and older databases are migrated step by step when opened.
///
/// Use from the thread that opened it (a QtSql rule).
class SqliteAccountStore final : public AccountStore
{
public:
    /// The schema this build writes. Databases with a higher version are refused.
    static constexpr int SchemaVersion = 2;

    /// The wall clock that stamps createdAt and lastSignInAt (injectable for tests).
    using WallClock = std::function<QDateTime()>;

    /// Opens (creating if needed, with mode 0600) the database at @p path and migrates it to
    /// SchemaVersion. An existing file of the user's that others may read is made 0600.
    /// Returns nullptr and sets @p error (a sentence for the log or the terminal) on failure.
    static std::unique_ptr<SqliteAccountStore> open(const QString &path, QString *error = nullptr,
                                                    WallClock wallClock = {});

    ~SqliteAccountStore() override;
    SqliteAccountStore(const SqliteAccountStore &) = delete;
    SqliteAccountStore &operator=(const SqliteAccountStore &) = delete;

    std::optional<bool> isRegistered(const PhoneNumber &number) const override;
    Result createAccount(const PhoneNumber &number) override;
    Result recordSignIn(const PhoneNumber &number) override;

    /// The account of @p e164, std::nullopt if there is none or the database cannot be read.
    std::optional<AccountRecord> account(const QString &e164) const;
    /// How many accounts exist; -1 if the database cannot be read.
    qint64 accountCount() const;
    /// The schema version of the open database (SchemaVersion once open() succeeded).
    int schemaVersion() const;
    /// Runs `PRAGMA integrity_check`; true if SQLite answers "ok".
    bool checkIntegrity() const;
    /// The last database error, for the log (never holds a phone number).
    QString lastError() const { return m_lastError; }
    QString path() const { return m_path; }

private:
    SqliteAccountStore(QString path, QString connectionName, WallClock wallClock);
    bool initialise();
    bool migrate();
    bool exec(const QString &sql);
    bool fail(const QString &what, const QString &detail) const;

    QString m_path;
    QString m_connectionName;
    WallClock m_wallClock;
    QSqlDatabase m_db;
    mutable QString m_lastError;
};

} // namespace waotp
