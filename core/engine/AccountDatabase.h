#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace waotp {

/// Where the accounts live: an embedded SQLite file (the default), or a PostgreSQL database
/// that several servers share.
///
/// A PostgreSQL database is named by a URL, `postgresql://[user@][host][:port]/dbname`, with
/// libpq's own names for a few options in its query: `host` (a socket directory, for
/// `postgresql:///db?host=/run/postgresql`), `passfile`, `sslmode`, `sslrootcert`, `sslcert`,
/// `sslkey`, `connect_timeout` and `application_name`. The URL never holds a password: it is
/// shown in logs and reports. A password comes from passwordFile (a file that holds only the
/// password), from a pgpass file (`?passfile=` or libpq's own `PGPASSFILE`), or is not needed
/// (trust or peer authentication).
struct AccountDatabaseLocation
{
    enum class Kind { Sqlite, PostgreSql };
    Kind kind = Kind::Sqlite;

    QString sqlitePath; ///< Kind::Sqlite: the database file

    // Kind::PostgreSql. Empty (or -1) leaves the value to libpq's defaults and PG* variables.
    QString host; ///< a host name, an address, or a socket directory (starts with '/')
    int port = -1;
    QString user;
    QString databaseName;
    QString passwordFile; ///< a file that holds the password and nothing else
    /// libpq connection options from the URL's query, as `key=value` pairs ("sslmode=require").
    QStringList options;

    static AccountDatabaseLocation sqlite(const QString &path);
    /// Reads a `postgresql://` (or `postgres://`) URL. std::nullopt, and a sentence saying why
    /// in @p error, if it is not one waotp accepts (one with a password included).
    static std::optional<AccountDatabaseLocation> parsePostgres(const QString &url,
                                                                QString *error = nullptr);

    bool isPostgres() const { return kind == Kind::PostgreSql; }
    /// The location as a person reads it: "SQLite /path/accounts.sqlite", or the URL (which has
    /// no password).
    QString display() const;
    /// "sqlite" or "postgresql".
    QString kindName() const;
};

/// Reads the password in @p path: the file's text without its line end. std::nullopt, and why
/// in @p error, if it cannot be read, is empty, or may be read by others than its owner.
std::optional<QString> readDatabasePasswordFile(const QString &path, QString *error);

} // namespace waotp
