#pragma once

#include "engine/SqlAccountStore.h"

#include <QString>

#include <memory>

namespace waotp {

/// Accounts in an embedded SQLite database (QtSql, driver QSQLITE): the desktop app's store
/// and waotp-server's default.
///
/// The database runs in WAL mode with `synchronous=FULL`, so a committed sign-up survives the
/// process being killed (or the machine losing power) right after createAccount() returns.
/// Every write is one `BEGIN IMMEDIATE` transaction; several processes may share a file. The
/// schema version lives in `PRAGMA user_version`.
class SqliteAccountStore final : public SqlAccountStore
{
public:
    /// Opens (creating if needed, with mode 0600) the database at @p path and migrates it to
    /// SchemaVersion. An existing file of the user's that others may read is made 0600.
    /// Returns nullptr and sets @p error (a sentence for the log or the terminal) on failure.
    static std::unique_ptr<SqliteAccountStore> open(const QString &path, QString *error = nullptr,
                                                    WallClock wallClock = {});

    /// Whether each commit is synced to disk (`synchronous=FULL`, the default) or only at WAL
    /// checkpoints (`synchronous=NORMAL`: a commit survives the process being killed, a power
    /// cut may lose the last ones, the file stays consistent). False, with lastError() set, if
    /// SQLite refuses it.
    bool setSyncEachCommit(bool sync);
    /// SQLite's automatic checkpoint mark, in WAL pages (`wal_autocheckpoint`; 1,000 unless
    /// set), kept when the connection is opened again. False, with lastError() set, if SQLite
    /// refuses it.
    bool setAutoCheckpointPages(int pages);
    /// Runs `PRAGMA integrity_check`; true if SQLite answers "ok".
    bool checkIntegrity() const;
    QString path() const { return location().sqlitePath; }
    /// Whether path() names a file of its own: not empty, `:memory:` or a `file:` URI.
    bool isPlainFile() const;

private:
    using SqlAccountStore::SqlAccountStore;

    bool configure() override;
    bool afterOpen() const override;
    bool beginLocked() override;
    bool beginWrite() override { return beginLocked(); }
    int readSchemaVersion() const override;
    bool writeSchemaVersion(int version) override;
    QStringList migration(int version) const override;
    QString timeFromMs() const override { return QStringLiteral("?"); }
    QString timeToMs(const QString &column) const override { return column; }
    bool lockEachWrite() const override { return true; }
    QString synchronousPragma() const;

    bool m_syncEachCommit = true;
    int m_autoCheckpointPages = 1000;
};

} // namespace waotp
