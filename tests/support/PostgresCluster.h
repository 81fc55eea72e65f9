#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace waotp::test {

/// A throw-away PostgreSQL cluster for tests (Debian's `postgresql`): made by initdb in a
/// temporary directory, served on 127.0.0.1 at a free port and on a socket in that directory,
/// trusting every local connection, with fsync off. The server is a child of the test: it is
/// stopped by the destructor, and if the test process dies first it is told to quit at once
/// (the parent-death signal), so no cluster outlives its test.
///
/// PostgreSQL refuses to run as root: a test running as root (CI) runs initdb and the server
/// as the `postgres` user the package made. initdb takes a second or two: use one cluster per
/// test process (shared()) and a database per test (createDatabase()).
class PostgresCluster
{
public:
    PostgresCluster();
    ~PostgresCluster();
    PostgresCluster(const PostgresCluster &) = delete;
    PostgresCluster &operator=(const PostgresCluster &) = delete;

    /// Makes the cluster (once) and starts its server (on the port it had before, if any).
    /// False, with errorString(), if it did not come up.
    bool start();
    /// Stops the server ("fast": open sessions are ended). The data stays for start().
    void stop();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    /// The directory of the server's socket (for `?host=`).
    QString socketDirectory() const { return m_dir.path(); }
    /// The cluster's superuser.
    static QString superuser() { return QStringLiteral("postgres"); }
    /// `postgresql://USER@127.0.0.1:PORT/DATABASE`
    QString url(const QString &database, const QString &user = superuser()) const;

    /// Creates an empty database with a name of its own, owned by @p owner (default: the
    /// superuser); std::nullopt on failure.
    std::optional<QString> createDatabase(const QString &owner = {});
    /// Runs @p sql through psql in @p database as the superuser; the rows it prints (one per
    /// line, columns separated by '|'), or std::nullopt with errorString() set.
    std::optional<QString> psql(const QString &database, const QString &sql);
    /// Adds a login role with @p password that must give it over TCP (scram-sha-256): every
    /// other role is still trusted.
    bool addPasswordRole(const QString &role, const QString &password);

    /// Logs every statement that sessions of @p database opened from now on send (its
    /// `log_statement`), for statementsSince().
    bool logStatements(const QString &database);
    /// Where the server's log is now; statementsSince() reads from there on.
    qint64 logSize() const;
    /// The statements the server logged since @p offset (logSize()) for sessions of
    /// @p database named @p application (their `application_name`): each as PostgreSQL names it
    /// ("statement: …", "execute <name>: …"), one per round trip that carried SQL.
    QStringList statementsSince(qint64 offset, const QString &database,
                                const QString &application = QStringLiteral("waotp")) const;

    QString errorString() const { return m_error; }

    /// A cluster shared by the whole test process, started on first use (nullptr, with a
    /// warning, if it cannot run here).
    static PostgresCluster *shared();

private:
    bool initdb();
    bool startOn(quint16 port);
    QString dataDirectory() const { return m_dir.filePath(QStringLiteral("data")); }
    std::unique_ptr<QProcess> process(const QString &program) const;

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_server;
    quint16 m_port = 0;
    bool m_made = false;
    int m_databases = 0;
    QString m_error;
};

} // namespace waotp::test
