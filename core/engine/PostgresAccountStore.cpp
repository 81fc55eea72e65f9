#include "engine/PostgresAccountStore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace waotp {

namespace {

// The same steps as SqliteAccountStore's, in PostgreSQL's words: version N means the same
// tables on both. Each runs in the transaction that records its version. Append steps (here
// and in SqliteAccountStore.cpp); never edit a released one.
constexpr const char16_t *Migrations[] = {
    // 0 -> 1: numbers and their creation time.
    u"CREATE TABLE accounts ("
    u"  e164 text PRIMARY KEY CHECK (e164 ~ '^[+][1-9][0-9]{0,14}$'),"
    u"  created_at timestamptz NOT NULL"
    u")",
    // 1 -> 2: remember the last sign-in; a sign-up counts as one.
    u"ALTER TABLE accounts ADD COLUMN last_sign_in_at timestamptz;"
    u"UPDATE accounts SET last_sign_in_at = created_at",
};
static_assert(std::size(Migrations) == SqlAccountStore::SchemaVersion);

// A value for a libpq connection string: quoted, with \ and ' escaped.
QString conninfoValue(const QString &value)
{
    QString escaped = value;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + escaped + u'\'';
}

} // namespace

std::unique_ptr<PostgresAccountStore>
PostgresAccountStore::open(const AccountDatabaseLocation &location, QString *error,
                           WallClock wallClock)
{
    std::unique_ptr<PostgresAccountStore> store(
        new PostgresAccountStore(location, std::move(wallClock)));
    if (!store->initialise(QStringLiteral("QPSQL"))) {
        if (error)
            *error = store->lastError();
        return nullptr;
    }
    return store;
}

bool PostgresAccountStore::configure()
{
    const AccountDatabaseLocation &where = location();
    m_db.setHostName(where.host);
    m_db.setPort(where.port);
    m_db.setUserName(where.user);
    m_db.setDatabaseName(where.databaseName);
    if (!where.passwordFile.isEmpty()) {
        // Read at each start, so a changed password needs a restart and no new setting.
        QString why;
        const std::optional<QString> password = readDatabasePasswordFile(where.passwordFile, &why);
        if (!password)
            return fail(QStringLiteral("cannot open %1").arg(where.display()), why);
        m_db.setPassword(*password);
    }
    QStringList options;
    bool timeout = false;
    bool name = false;
    for (const QString &option : where.options) {
        const qsizetype eq = option.indexOf(u'=');
        const QString key = option.left(eq);
        timeout = timeout || key == u"connect_timeout";
        name = name || key == u"application_name";
        options.append(key + u'=' + conninfoValue(option.mid(eq + 1)));
    }
    // A server that does not answer must not hold a start (or a request) for long.
    if (!timeout)
        options.append(QStringLiteral("connect_timeout=10"));
    if (!name) // how the connections show in pg_stat_activity
        options.append(QStringLiteral("application_name=waotp"));
    m_db.setConnectOptions(options.join(u';'));
    return true;
}

bool PostgresAccountStore::afterOpen() const
{
    // Notices ("relation already exists, skipping") are not for the log.
    if (!exec(QStringLiteral("SET client_min_messages TO warning")))
        return false;
    return m_statementTimeout.count() == 0
        || exec(QStringLiteral("SET statement_timeout = %1").arg(m_statementTimeout.count()));
}

bool PostgresAccountStore::setStatementTimeout(std::chrono::milliseconds limit)
{
    m_statementTimeout = limit;
    return exec(limit.count() == 0
                    ? QStringLiteral("SET statement_timeout TO DEFAULT")
                    : QStringLiteral("SET statement_timeout = %1").arg(limit.count()));
}

bool PostgresAccountStore::beginLocked()
{
    // The lock is held until the transaction ends, committed or not; a second server waits.
    if (!exec(QStringLiteral("BEGIN")))
        return false;
    if (exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(SchemaLockKey)))
        return true;
    QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    return false;
}

int PostgresAccountStore::readSchemaVersion() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT to_regclass('waotp_schema') IS NOT NULL")) || !q.next()) {
        m_lastError = databaseErrorText(q.lastError());
        return -1;
    }
    if (!q.value(0).toBool())
        return 0; // an empty database
    if (!q.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM waotp_schema"))
        || !q.next()) {
        m_lastError = databaseErrorText(q.lastError());
        return -1;
    }
    return q.value(0).toInt();
}

bool PostgresAccountStore::writeSchemaVersion(int version)
{
    // The first step makes the table; under the lock, so only one server does.
    return exec(QStringLiteral("CREATE TABLE IF NOT EXISTS waotp_schema ("
                               "  version integer PRIMARY KEY,"
                               "  applied_at timestamptz NOT NULL DEFAULT now())"))
        && exec(QStringLiteral("INSERT INTO waotp_schema (version) VALUES (%1)").arg(version));
}

QStringList PostgresAccountStore::migration(int version) const
{
    return QString::fromUtf16(Migrations[version]).split(u';', Qt::SkipEmptyParts);
}

QString PostgresAccountStore::timeFromMs() const
{
    return QStringLiteral("to_timestamp(CAST(? AS bigint) / 1000.0)");
}

QString PostgresAccountStore::timeToMs(const QString &column) const
{
    return QStringLiteral("CAST(round(extract(epoch FROM %1) * 1000) AS bigint)").arg(column);
}

} // namespace waotp
