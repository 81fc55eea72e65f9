#pragma once

#include "server/JobThread.h"
#include "server/token/ServerAccounts.h"

#include "engine/TimerQueue.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace waotp::server {

/// How a call to the account database ended for its caller.
enum class DatabaseWait {
    Answered, ///< the database answered within the deadline
    TimedOut, ///< no answer within the deadline
    QueueFull, ///< refused at once: as many calls as allowed wait for the database already
};

/// A call's answer: its value when the database Answered, else the value's default.
template<typename T> struct DatabaseAnswer
{
    DatabaseWait wait = DatabaseWait::Answered;
    T value {};
    /// TimedOut while it ran: it goes on, and its result goes to the call's late callback.
    bool running = false;
};

/// The account database's deadline and queue (database_timeout, database_queue_limit).
struct DatabaseLimits
{
    /// How long a caller waits for an answer (the call's wait in the queue included), and the
    /// readiness probe for its own; on PostgreSQL the server's statement_timeout is a little
    /// longer (AccountsThread::statementTimeout()).
    std::chrono::milliseconds deadline {5000};
    /// Calls waiting for the database at once (the one running included); more are refused.
    int queueLimit = 1000;
};

/// The server's accounts (ServerAccounts) on a database thread of their own: the connection is
/// opened, used and closed there (a QtSql rule), so that a slow database, a lock another
/// process holds, a PostgreSQL round trip or an SQLite checkpoint's sync never stops the event
/// loop. Each call returns at once; its answer comes later on the caller's event loop, unless
/// its context object is gone by then. Calls are run in the order they were made, except that
/// completions made while the thread is busy go together, at the place of the first of them:
/// on SQLite one transaction, one commit (ServerAccounts::completeAll()), each answered only
/// once it is committed (a commit is most of what a sign-in costs SQLite); on PostgreSQL each
/// is still its own statement, started in its turn.
///
/// Deadline: a call not answered within DatabaseLimits::deadline is answered TimedOut then. If
/// it has not started by that time it never runs (nothing is done for a caller that is gone);
/// if it is running, it finishes (a statement is not cut in the middle by the client: on
/// PostgreSQL the server's statement_timeout ends it) and its result goes to the call's
/// @p late callback. Queue: with DatabaseLimits::queueLimit calls waiting already, a call is
/// answered QueueFull at once (on the event loop, after the call returns) and never runs.
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
    /// open() with @p limits; on PostgreSQL, the connection's statement_timeout
    /// (statementTimeout()) and, unless the location names its own, connect_timeout follow the
    /// deadline.
    static std::unique_ptr<AccountsThread> open(const AccountDatabaseLocation &location,
                                                const DatabaseLimits &limits, QString *error);
    ~AccountsThread() override;

    /// ServerAccounts::complete() on the database thread; @p late: its outcome if it ran past
    /// the deadline (the caller was answered TimedOut).
    void complete(const PhoneNumber &number, Purpose flow, QObject *context,
                  std::function<void(DatabaseAnswer<std::optional<AccountOutcome>>)> done,
                  std::function<void(std::optional<AccountOutcome>)> late = {});
    /// ServerAccounts::isRegistered() on the database thread.
    void isRegistered(const PhoneNumber &number, QObject *context,
                      std::function<void(DatabaseAnswer<std::optional<bool>>)> done);
    /// Whether the database answers (ServerAccounts::isReady() on the database thread): false
    /// if it has not answered within readinessWait(). Callers while a probe runs share its
    /// answer.
    void isReady(QObject *context, std::function<void(bool)> done);
    /// PostgreSQL's statement_timeout for @p deadline: a fifth more, at least 200 ms more, so
    /// that the caller is answered TimedOut first (and the calls queued behind are given up)
    /// and the statement is ended by the server a moment later.
    static std::chrono::milliseconds statementTimeout(std::chrono::milliseconds deadline);
    /// The readiness probe's wait: the deadline.
    std::chrono::milliseconds readinessWait() const { return m_limits.deadline; }
    const DatabaseLimits &limits() const { return m_limits; }
    /// Calls waiting for the database now (the one running included).
    int waiting() const { return m_waiting; }
    /// Calls the database thread has started so far (tests).
    quint64 started() const { return m_started.load(std::memory_order_relaxed); }
    /// Runs @p work with the accounts on their thread and waits for it (tests).
    void runAndWait(const std::function<void(ServerAccounts &)> &work);

private:
    /// The calls in flight of one result type, by number, in the caller's thread.
    template<typename T> struct Calls
    {
        struct Call
        {
            QPointer<QObject> context;
            std::function<void(DatabaseAnswer<T>)> done; // empty once answered TimedOut
            std::function<void(T)> late;
            std::shared_ptr<std::atomic<int>> state; // Queued, Running or Abandoned
        };
        std::unordered_map<quint64, Call> waiting;
        quint64 last = 0;
    };
    enum State { Queued, Running, Abandoned };

    AccountsThread() = default;
    /// Counts a call in, with its deadline, and gives its number in @p id and its state; nullptr
    /// (and @p done answered QueueFull) if the queue is full.
    template<typename T>
    std::shared_ptr<std::atomic<int>> admit(Calls<T> &calls, QObject *context,
                                            std::function<void(DatabaseAnswer<T>)> &done,
                                            std::function<void(T)> &late, quint64 *id);
    template<typename T>
    void call(Calls<T> &calls, std::function<T(ServerAccounts &)> work, QObject *context,
              std::function<void(DatabaseAnswer<T>)> done, std::function<void(T)> late);
    template<typename T> void expire(Calls<T> &calls, quint64 id);
    template<typename T> void finish(Calls<T> &calls, quint64 id, T value);
    void probed(bool ready);
    /// On the database thread: the completions waiting, in one ServerAccounts::completeAll().
    void completeBatch(JobThread *thread);

    DatabaseLimits m_limits;
    // Every call's deadline on one timer: a Qt timer each, thousands alive at once, made every
    // timer start and stop of the thread walk their list.
    TimerQueue m_deadlines;
    int m_waiting = 0;
    std::atomic<quint64> m_started {0};
    std::unique_ptr<ServerAccounts> m_accounts; // used on the database thread only
    Calls<std::optional<AccountOutcome>> m_completions;
    /// A completion waiting for the database thread.
    struct Completion
    {
        quint64 id;
        std::shared_ptr<std::atomic<int>> state;
        ServerAccounts::Completion what;
    };
    std::mutex m_batchMutex;
    std::vector<Completion> m_batch; // made here, taken by the database thread
    Calls<std::optional<bool>> m_registrations;
    JobAnswers<bool> m_readiness;
    std::vector<quint64> m_readinessWaiting; // answered by the probe in flight, if one is
    std::unique_ptr<JobThread> m_thread; // last: stopped first
};

} // namespace waotp::server
