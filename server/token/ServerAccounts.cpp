#include "server/token/ServerAccounts.h"

#include "server/token/RandomId.h"
#include "server/token/WalCheckpointer.h"

#include "engine/PostgresAccountStore.h"
#include "engine/SqliteAccountStore.h"

#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

Q_LOGGING_CATEGORY(lcServerAccounts, "waotp.server.accounts", QtInfoMsg)

namespace waotp::server {

namespace {

// PostgreSQL: a sign-in is one statement in autocommit, atomic by itself, that writes the account
// and its id and answers the id (and, for signIn(), whether it made the account: a row that an
// insert made has no xmax, one it updated on conflict has). The id is written on conflict too
// (the same value), so that its row comes back even when another server wrote it a moment ago,
// after this statement's snapshot. Two servers signing up one number at once: the second insert
// waits for the first and then finds the account.
//
// %1: the store's SQL for a bound time. Bound in order: the number, the time, the time, a new id
// (a sign-in of an account: the time, the number, a new id).
constexpr char16_t WithIdOf[] = u"INSERT INTO server_account_ids (e164, account_id) "
                                u"SELECT e164, ? FROM account ON CONFLICT (e164) "
                                u"DO UPDATE SET account_id = server_account_ids.account_id ";
constexpr char16_t SignUpStatement[] =
    u"WITH account AS (INSERT INTO accounts (e164, created_at, last_sign_in_at) "
    u"VALUES (?, %1, %1) ON CONFLICT (e164) DO NOTHING RETURNING e164) "
    u"%2RETURNING account_id, true";
constexpr char16_t SignInStatement[] =
    u"WITH account AS (UPDATE accounts SET last_sign_in_at = %1 WHERE e164 = ? RETURNING e164) "
    u"%2RETURNING account_id, false";
constexpr char16_t SignInOrUpStatement[] =
    u"WITH account AS (INSERT INTO accounts (e164, created_at, last_sign_in_at) "
    u"VALUES (?, %1, %1) ON CONFLICT (e164) "
    u"DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at "
    u"RETURNING e164, xmax = 0 AS created) "
    u"%2RETURNING account_id, (SELECT created FROM account)";

} // namespace

std::unique_ptr<ServerAccounts> ServerAccounts::open(const QString &path, QString *error)
{
    return open(AccountDatabaseLocation::sqlite(path), error);
}

std::unique_ptr<ServerAccounts> ServerAccounts::open(const AccountDatabaseLocation &location,
                                                     QString *error)
{
    std::unique_ptr<ServerAccounts> accounts(new ServerAccounts);
    if (!accounts->initialise(location)) {
        if (error)
            *error = accounts->m_lastError;
        return nullptr;
    }
    return accounts;
}

ServerAccounts::~ServerAccounts() = default;

void ServerAccounts::written()
{
    // Inside a transaction (a completion of completeAll()'s) nothing is committed yet, and a
    // checkpoint on this connection would fail ("database table is locked") and use up the
    // catch-up asked for: the transaction's own commit reports it.
    if (!m_checkpointer || m_store->isInTransaction())
        return;
    m_checkpointer->written();
    if (!m_checkpointer->takeCatchUp())
        return;
    // What the checkpoint thread's last checkpoint did not reach: the pages of the commits made
    // while it ran. Its failure loses nothing (the thread's next checkpoint copies them).
    QSqlQuery q(m_store->connection());
    if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")))
        qCWarning(lcServerAccounts).noquote()
            << "the writer's checkpoint failed:" << databaseErrorText(q.lastError());
}

bool ServerAccounts::fail(const QString &what, const QString &detail)
{
    m_lastError = what + u": " + detail;
    qCWarning(lcServerAccounts).noquote() << m_lastError;
    return false;
}

bool ServerAccounts::initialise(const AccountDatabaseLocation &location)
{
    QString error;
    m_store = openAccountStore(location, &error);
    if (!m_store) {
        m_lastError = error;
        return false;
    }
    m_db = m_store->connection();
    // SQLite only: a commit is not synced to disk by itself, only at checkpoints. FULL would
    // sync every approval on the event loop (about 5 ms on a virtual disk), and that capped
    // sign-ins at some hundreds a second.
    if (auto *sqlite = dynamic_cast<SqliteAccountStore *>(m_store.get())) {
        if (!sqlite->setSyncEachCommit(false)) {
            m_lastError = sqlite->lastError();
            return false;
        }
        // The checkpoints (a copy of the WAL's new pages into the file, and two syncs) on a
        // thread of their own: made by the commit that crosses SQLite's mark, every 1,000
        // pages, they stopped every completion queued behind it for some milliseconds.
        if (sqlite->isPlainFile()) {
            QString why;
            m_checkpointer = WalCheckpointer::start(sqlite->path(), CheckpointGather, &why);
            if (!m_checkpointer)
                return fail(QStringLiteral("cannot open %1").arg(location.display()), why);
            if (!sqlite->setAutoCheckpointPages(WalCheckpointer::WriterCheckpointPages)) {
                m_lastError = sqlite->lastError();
                return false;
            }
        }
    }
    if (!m_store->inLockedTransaction([this] { return assignMissingIds(); }))
        return false;
    written(); // what opening the database wrote (its schema, the ids)
    if (!m_store->location().isPostgres())
        return true;
    // Made and prepared now, so that the first sign-in sends no PREPARE of its own.
    const auto statement = [this](const char16_t *sql) {
        return QString::fromUtf16(sql).arg(m_store->timeParameter(), QString::fromUtf16(WithIdOf));
    };
    m_signUp = statement(SignUpStatement);
    m_signIn = statement(SignInStatement);
    m_signInOrUp = statement(SignInOrUpStatement);
    for (const QString *sql : {&m_signUp, &m_signIn, &m_signInOrUp}) {
        if (!m_store->prepare(*sql))
            return fail(QStringLiteral("cannot prepare %1").arg(m_store->location().display()),
                        m_store->lastError());
    }
    return true;
}

std::optional<AccountOutcome> ServerAccounts::inOneStatement(const PhoneNumber &number,
                                                             std::optional<Purpose> flow)
{
    if (number.isNull())
        return std::nullopt;
    const qint64 now = m_store->nowMs();
    const QString id = QString::fromLatin1(randomId());
    const QVariantList values = flow == Purpose::SignIn
        ? QVariantList {now, number.e164(), id}
        : QVariantList {number.e164(), now, now, id};
    const QString &sql = !flow ? m_signInOrUp : *flow == Purpose::SignUp ? m_signUp : m_signIn;
    const quint64 lostBefore = m_store->lostConnections();
    QSqlQuery *q = m_store->execute(sql, values);
    if (!q) {
        fail(QStringLiteral("cannot record a sign-in"), m_store->lastError());
        return std::nullopt;
    }
    AccountOutcome out;
    const bool found = q->next();
    if (found) {
        out.id = q->value(0).toString();
        out.created = q->value(1).toBool();
    }
    q->finish();
    // A sign-up run twice (the connection was lost, perhaps after the first run was
    // committed): an account whose id is the one this call made was made by this call's first
    // run (a sign-up writes its id only with the account it makes). Without this, the second
    // run finds that account and refuses it as someone else's. (A sign-in that may make the
    // account also writes its id to an account that has none, so it cannot tell: it says
    // "existing".)
    if (!found && flow == Purpose::SignUp && m_store->lostConnections() != lostBefore) {
        QSqlQuery *made = m_store->execute(
            QStringLiteral("SELECT account_id FROM server_account_ids WHERE e164 = ?"),
            {number.e164()});
        if (!made) {
            fail(QStringLiteral("cannot record a sign-in"), m_store->lastError());
            return std::nullopt; // cannot tell: a failure, not a refusal
        }
        const bool own = made->next() && made->value(0).toString() == id;
        made->finish();
        if (own) {
            out.id = id;
            out.created = true;
            return out;
        }
    }
    if (!found) {
        // Nothing written: the flow refuses the number.
        out.refusal = flow == Purpose::SignUp ? AccountOutcome::Refusal::AccountExists
                                              : AccountOutcome::Refusal::NoAccount;
    }
    return out;
}

bool ServerAccounts::assignMissingIds()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS server_account_ids ("
                               "  e164 TEXT PRIMARY KEY NOT NULL,"
                               "  account_id TEXT NOT NULL UNIQUE"
                               ")%1")
                    .arg(m_store->location().isPostgres() ? QString()
                                                          : QStringLiteral(" WITHOUT ROWID"))))
        return fail(QStringLiteral("cannot prepare %1").arg(m_store->location().display()),
                    databaseErrorText(q.lastError()));
    QStringList missing;
    if (!q.exec(QStringLiteral("SELECT a.e164 FROM accounts a LEFT JOIN server_account_ids i "
                               "ON i.e164 = a.e164 WHERE i.e164 IS NULL")))
        return fail(QStringLiteral("cannot assign account ids"), databaseErrorText(q.lastError()));
    while (q.next())
        missing.append(q.value(0).toString());
    QSqlQuery insert(m_db);
    // A sign-in on another server does not wait for this lock: it may give one of these its id
    // meanwhile, and that id stays.
    insert.prepare(QStringLiteral("INSERT INTO server_account_ids (e164, account_id) VALUES (?, ?) "
                                  "ON CONFLICT (e164) DO NOTHING"));
    for (const QString &e164 : std::as_const(missing)) {
        insert.addBindValue(e164);
        insert.addBindValue(QString::fromLatin1(randomId()));
        if (!insert.exec())
            return fail(QStringLiteral("cannot assign account ids"),
                        databaseErrorText(insert.lastError()));
    }
    if (!missing.isEmpty())
        qCInfo(lcServerAccounts).noquote()
            << QStringLiteral("gave %1 existing accounts their id").arg(missing.size());
    return true;
}

std::optional<QString> ServerAccounts::accountId(const QString &e164)
{
    QSqlQuery *q = m_store->execute(
        QStringLiteral("SELECT account_id FROM server_account_ids WHERE e164 = ?"), {e164});
    if (!q) {
        fail(QStringLiteral("cannot read account ids"), m_store->lastError());
        return std::nullopt;
    }
    std::optional<QString> id;
    if (q->next())
        id = q->value(0).toString();
    q->finish();
    return id;
}

std::optional<QString> ServerAccounts::assignId(const QString &e164)
{
    // The id written, or none when the number has one already (then read).
    QSqlQuery *q =
        m_store->execute(QStringLiteral("INSERT INTO server_account_ids (e164, account_id) "
                                        "VALUES (?, ?) ON CONFLICT (e164) DO NOTHING "
                                        "RETURNING account_id"),
                         {e164, QString::fromLatin1(randomId())});
    if (!q) {
        fail(QStringLiteral("cannot write account ids"), m_store->lastError());
        return std::nullopt;
    }
    std::optional<QString> id;
    if (q->next())
        id = q->value(0).toString();
    q->finish();
    if (!id)
        return accountId(e164);
    written(); // an import's accounts reach the disk as a sign-in's do
    return id;
}

std::optional<AccountOutcome>
ServerAccounts::inOneTransaction(const std::function<std::optional<AccountOutcome>()> &work)
{
    // One commit for the account and its id: the store's own calls would commit each (two or
    // three commits per approval, each synced on SQLite with FULL).
    std::optional<AccountOutcome> out;
    bool storeFailed = false;
    const bool committed = m_store->inWriteTransaction([&] {
        out = work();
        storeFailed = !out;
        return out.has_value();
    });
    written();
    if (committed)
        return out;
    if (!storeFailed) // the commit itself failed
        fail(QStringLiteral("cannot record a sign-in"), m_store->lastError());
    return std::nullopt;
}

std::optional<AccountOutcome> ServerAccounts::storeFailed()
{
    m_lastError = m_store->lastError();
    return std::nullopt;
}

std::optional<AccountOutcome> ServerAccounts::signIn(const PhoneNumber &number)
{
    if (m_store->location().isPostgres())
        return inOneStatement(number, std::nullopt);
    return inOneTransaction([&]() -> std::optional<AccountOutcome> {
        AccountOutcome out;
        switch (m_store->recordSignIn(number)) {
        case AccountStore::Result::Ok:
            break;
        case AccountStore::Result::NotFound:
            switch (m_store->createAccount(number)) {
            case AccountStore::Result::Ok:
                out.created = true;
                break;
            case AccountStore::Result::AlreadyExists: // made by another process meanwhile
                break;
            case AccountStore::Result::NotFound:
            case AccountStore::Result::StorageError:
                return storeFailed();
            }
            break;
        case AccountStore::Result::AlreadyExists:
        case AccountStore::Result::StorageError:
            return storeFailed();
        }
        return withId(out, number);
    });
}

std::optional<AccountOutcome> ServerAccounts::withId(AccountOutcome out, const PhoneNumber &number)
{
    // One statement in the usual cases: an account made now gets its id written (and read back
    // by the same statement), an existing one has its id read. An account made by another
    // program, which has none yet, gets it now.
    std::optional<QString> id;
    if (!out.created)
        id = accountId(number.e164());
    if (!id)
        id = assignId(number.e164());
    if (!id)
        return std::nullopt;
    out.id = *id;
    return out;
}

std::optional<AccountOutcome> ServerAccounts::complete(const PhoneNumber &number, Purpose flow)
{
    if (m_store->location().isPostgres())
        return inOneStatement(number, flow);
    return inOneTransaction([&]() -> std::optional<AccountOutcome> {
        using Result = AccountStore::Result;
        AccountOutcome out;
        const Result r = flow == Purpose::SignUp ? m_store->createAccount(number)
                                                 : m_store->recordSignIn(number);
        switch (r) {
        case Result::Ok:
            out.created = flow == Purpose::SignUp;
            break;
        case Result::AlreadyExists:
            out.refusal = AccountOutcome::Refusal::AccountExists;
            return out;
        case Result::NotFound:
            out.refusal = AccountOutcome::Refusal::NoAccount;
            return out;
        case Result::StorageError:
            return storeFailed();
        }
        return withId(out, number);
    });
}

std::vector<std::optional<AccountOutcome>>
ServerAccounts::completeAll(const std::vector<Completion> &completions)
{
    std::vector<std::optional<AccountOutcome>> out(completions.size());
    // Each in turn; with @p stopAtFailure, up to the first that cannot be stored.
    const auto completeEach = [&](bool stopAtFailure) {
        for (std::size_t i = 0; i < completions.size(); ++i) {
            out[i] = complete(completions[i].number, completions[i].flow);
            if (!out[i] && stopAtFailure)
                return false;
        }
        return true;
    };
    const bool together = completions.size() > 1 && completesTogether();
    if (together && m_store->inWriteTransaction([&] { return completeEach(true); })) {
        written(); // one commit for all: the completions inside it reported nothing
        return out;
    }
    completeEach(false); // each on its own (and reported by its own commit): after a rollback,
                         // the one that failed fails alone
    return out;
}

std::optional<bool> ServerAccounts::isRegistered(const PhoneNumber &number) const
{
    return m_store->isRegistered(number);
}

bool ServerAccounts::setStatementTimeout(std::chrono::milliseconds limit)
{
    auto *postgres = dynamic_cast<PostgresAccountStore *>(m_store.get());
    if (!postgres || postgres->setStatementTimeout(limit))
        return true;
    return fail(QStringLiteral("cannot set statement_timeout"), postgres->lastError());
}

bool ServerAccounts::isReady() const
{
    if (!m_store->isReachable())
        return false;
    // Reads both tables without scanning either.
    QSqlQuery q(m_db);
    return q.exec(QStringLiteral("SELECT (SELECT 1 FROM accounts LIMIT 1), "
                                 "(SELECT 1 FROM server_account_ids LIMIT 1)"))
        && q.next();
}

} // namespace waotp::server
