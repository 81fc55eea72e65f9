#pragma once

#include "server/JobThread.h"
#include "server/token/ServerAccounts.h"

#include <QObject>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace waotp::server {

/// The server's accounts (ServerAccounts) on a database thread of their own: the connection is
/// opened, used and closed there (a QtSql rule), so that a slow database, a lock another
/// process holds, a PostgreSQL round trip or an SQLite checkpoint's sync never stops the event
/// loop. Each call returns at once; its answer comes later on the caller's event loop, unless
/// its context object is gone by then. Calls are run in the order they were made.
///
/// Closing (the destructor): the statement running finishes, calls not yet run are dropped with
/// their callbacks (in the caller's thread), the connection is closed on its thread and the
/// thread joined. From the thread that opened it only.
class AccountsThread : public QObject
{
public:
    /// Opens the database at @p location on a new thread, waiting for it (see
    /// ServerAccounts::open()). nullptr and a sentence in @p error on failure.
    static std::unique_ptr<AccountsThread> open(const AccountDatabaseLocation &location,
                                                QString *error);
    ~AccountsThread() override;

    /// ServerAccounts::complete() on the database thread.
    void complete(const PhoneNumber &number, Purpose flow, QObject *context,
                  std::function<void(std::optional<AccountOutcome>)> done);
    /// ServerAccounts::isRegistered() on the database thread.
    void isRegistered(const PhoneNumber &number, QObject *context,
                      std::function<void(std::optional<bool>)> done);
    /// Whether the database answers (ServerAccounts::isReady() on the database thread): false
    /// if it has not answered within readinessWait(). Callers while a probe runs share its
    /// answer.
    void isReady(QObject *context, std::function<void(bool)> done);
    static constexpr std::chrono::milliseconds readinessWait() { return std::chrono::seconds(2); }
    /// Runs @p work with the accounts on their thread and waits for it (tests).
    void runAndWait(const std::function<void(ServerAccounts &)> &work);

private:
    AccountsThread() = default;
    void probed(bool ready);

    std::unique_ptr<ServerAccounts> m_accounts; // used on the database thread only
    JobAnswers<std::optional<AccountOutcome>> m_completions;
    JobAnswers<std::optional<bool>> m_registrations;
    JobAnswers<bool> m_readiness;
    std::vector<quint64> m_readinessWaiting; // answered by the probe in flight, if one is
    std::unique_ptr<JobThread> m_thread; // last: stopped first
};

} // namespace waotp::server
