#pragma once

#include "engine/SqlAccountStore.h"

#include <chrono>
#include <memory>

namespace waotp {

/// Accounts in a PostgreSQL database (QtSql, driver QPSQL), shared by several servers.
///
/// The tables live in the connection's default schema (`public`); the user needs the right to
/// create tables there (own the database) for the first start and each migration. The schema
/// version is the highest row of `waotp_schema`. Migrations run in one transaction holding
/// `pg_advisory_xact_lock`, so servers starting together apply each step once. Times are
/// `timestamptz`. A connection lost (a restarted database, a failover) is opened again on the
/// next use, and the statement that found it lost runs once more.
class PostgresAccountStore final : public SqlAccountStore
{
public:
    /// The advisory lock key of the schema: "waotp" and 1.
    static constexpr qint64 SchemaLockKey = 0x77616f7470000001;

    /// Connects to @p location (a PostgreSQL one) and migrates its schema to SchemaVersion.
    /// nullptr, with a sentence in @p error, on failure (an unreachable server, a refused
    /// password, a missing database, a newer schema).
    static std::unique_ptr<PostgresAccountStore> open(const AccountDatabaseLocation &location,
                                                      QString *error = nullptr,
                                                      WallClock wallClock = {});

    /// Has the server end any statement of this connection that runs longer than @p limit
    /// (PostgreSQL's statement_timeout; 0: none, the database's own setting), now and on each
    /// connection opened again. False, with lastError(), if it cannot be set.
    bool setStatementTimeout(std::chrono::milliseconds limit);

private:
    using SqlAccountStore::SqlAccountStore;

    bool configure() override;
    bool afterOpen() const override;
    bool beginLocked() override;
    bool beginWrite() override { return exec(QStringLiteral("BEGIN")); }
    int readSchemaVersion() const override;
    bool writeSchemaVersion(int version) override;
    QStringList migration(int version) const override;
    QString timeFromMs() const override;
    QString timeToMs(const QString &column) const override;
    bool lockEachWrite() const override { return false; }

    std::chrono::milliseconds m_statementTimeout {0};
};

} // namespace waotp
