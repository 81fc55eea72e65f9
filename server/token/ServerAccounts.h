#pragma once

#include "engine/CodeSender.h"
#include "engine/PhoneNumber.h"
#include "engine/SqlAccountStore.h"

#include <QSqlDatabase>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace waotp::server {

class WalCheckpointer;

/// The account a verified number signs in to.
struct AccountOutcome
{
    /// What the flow refuses: a sign-in without an account, a sign-up with one.
    enum class Refusal { None, NoAccount, AccountExists };
    QString id; ///< the account's stable random id (the token's "sub"); empty when refused
    bool created = false; ///< true if this verification created the account
    Refusal refusal = Refusal::None;
};

/// The server's accounts: the account database (SqlAccountStore, in SQLite or PostgreSQL:
/// numbers, creation and last sign-in times) plus a table of the server's own in the same
/// database, server_account_ids, that gives every account a stable random id. Accounts that
/// exist when the server opens the database get theirs then, in one transaction holding the
/// store's schema lock (several servers may start at once); an account made later by another
/// program gets its id when it first signs in here (an insert that keeps the first id written).
///
/// A sign-in (or a completed flow) is one transaction: the account, created or its sign-in
/// recorded, and its id are committed together, once per approval. On PostgreSQL that is one
/// statement in autocommit (prepared when the database is opened): one round trip per
/// approval, whatever the flow's answer. On SQLite the server's
/// connection runs in WAL mode with synchronous=NORMAL: a sign-in survives the process being
/// killed; its checkpoints run on a thread of their own (WalCheckpointer), which syncs the
/// commits to disk about a tenth of a second after they are made, so a power cut may lose about
/// that much (the file stays consistent).
/// PostgreSQL keeps its own settings (synchronous_commit is the database's to choose).
///
/// Use from the thread that opened it (a QtSql rule).
class ServerAccounts
{
public:
    /// Opens (creating if needed) the SQLite database at @p path. nullptr and a sentence in
    /// @p error on failure.
    static std::unique_ptr<ServerAccounts> open(const QString &path, QString *error);
    /// Opens the database at @p location (SQLite or PostgreSQL), as open(path) does.
    static std::unique_ptr<ServerAccounts> open(const AccountDatabaseLocation &location,
                                                QString *error);
    ~ServerAccounts();
    ServerAccounts(const ServerAccounts &) = delete;
    ServerAccounts &operator=(const ServerAccounts &) = delete;

    /// Records the verified sign-in of @p number: creates the account if there is none (a
    /// sign-in of an unknown number included), else records the sign-in. std::nullopt if the
    /// database cannot be used.
    std::optional<AccountOutcome> signIn(const PhoneNumber &number);
    /// Completes the verified @p flow of @p number: a sign-up creates the account (refused with
    /// AccountExists if there is one), a sign-in records the sign-in (refused with NoAccount if
    /// there is none). std::nullopt if the database cannot be used.
    std::optional<AccountOutcome> complete(const PhoneNumber &number, Purpose flow);
    /// A flow to complete: complete()'s arguments.
    struct Completion
    {
        PhoneNumber number;
        Purpose flow = Purpose::SignIn;
    };
    /// complete() for each of @p completions, in their order, with each one's answer in its
    /// place. On SQLite all in one transaction: one commit for them all (a commit, not a
    /// statement, is most of a sign-in's cost there). Nothing is answered before it is
    /// committed; if one of them cannot be stored or the commit fails, none is kept and each is
    /// completed again in a transaction of its own, so that one failure fails only its own.
    /// On PostgreSQL each is its own statement in autocommit.
    std::vector<std::optional<AccountOutcome>>
    completeAll(const std::vector<Completion> &completions);
    /// True if completeAll() completes in one transaction (SQLite).
    bool completesTogether() const { return !m_store->location().isPostgres(); }
    /// True if @p number has an account; std::nullopt if the database cannot answer.
    std::optional<bool> isRegistered(const PhoneNumber &number) const;
    /// The id of @p e164's account, std::nullopt if it has none or on an error.
    std::optional<QString> accountId(const QString &e164);
    /// The id of @p e164's account, given now if it has none yet (an account made by another
    /// program, or imported). std::nullopt on an error.
    std::optional<QString> assignId(const QString &e164);
    /// The accounts themselves (numbers and times), in SQLite or PostgreSQL.
    SqlAccountStore &store() { return *m_store; }
    /// The last error of store().
    QString storeError() const { return m_store->lastError(); }
    /// On PostgreSQL, has the server end a statement that runs longer than @p limit
    /// (statement_timeout, kept when the connection is opened again); nothing on SQLite. False,
    /// with lastError(), if it cannot be set.
    bool setStatementTimeout(std::chrono::milliseconds limit);
    /// True if the database answers (a lost connection is opened again first).
    bool isReady() const;
    QString lastError() const { return m_lastError; }

private:
    ServerAccounts() = default;
    bool initialise(const AccountDatabaseLocation &location);
    bool assignMissingIds();
    /// @p out with the id of @p number's account (made if it has none yet).
    std::optional<AccountOutcome> withId(AccountOutcome out, const PhoneNumber &number);
    /// signIn() (no @p flow) or complete() on PostgreSQL, as one statement.
    std::optional<AccountOutcome> inOneStatement(const PhoneNumber &number,
                                                 std::optional<Purpose> flow);
    /// Runs @p work in one write transaction, committed if it gives an outcome.
    std::optional<AccountOutcome>
    inOneTransaction(const std::function<std::optional<AccountOutcome>()> &work);
    /// std::nullopt, with the store's error as lastError().
    std::optional<AccountOutcome> storeFailed();
    bool fail(const QString &what, const QString &detail);
    /// After a write transaction: its checkpoint follows (SQLite files).
    void written();
    /// How long the checkpoint thread gathers commits before a checkpoint.
    static constexpr std::chrono::milliseconds CheckpointGather {100};

    std::unique_ptr<SqlAccountStore> m_store;
    QSqlDatabase m_db; ///< the store's connection
    /// PostgreSQL: the statements of complete() by flow, and of signIn().
    QString m_signUp, m_signIn, m_signInOrUp;
    QString m_lastError;
    std::unique_ptr<WalCheckpointer> m_checkpointer; // SQLite files only; stopped first
};

} // namespace waotp::server
