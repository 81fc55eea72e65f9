#include "server/token/AccountsThread.h"

#include <QTimer>

namespace waotp::server {

namespace {

// On PostgreSQL, a connection attempt is bounded by the deadline too (libpq counts whole
// seconds, at least 2), unless the location says otherwise.
AccountDatabaseLocation withConnectTimeout(AccountDatabaseLocation location,
                                           std::chrono::milliseconds deadline)
{
    if (!location.isPostgres())
        return location;
    for (const QString &option : std::as_const(location.options)) {
        if (option.startsWith(u"connect_timeout="))
            return location;
    }
    const qint64 seconds = std::max<qint64>(2, (deadline.count() + 999) / 1000);
    location.options.append(QStringLiteral("connect_timeout=%1").arg(seconds));
    return location;
}

} // namespace

std::chrono::milliseconds AccountsThread::statementTimeout(std::chrono::milliseconds deadline)
{
    return deadline + std::max(deadline / 5, std::chrono::milliseconds(200));
}

std::unique_ptr<AccountsThread> AccountsThread::open(const AccountDatabaseLocation &location,
                                                     QString *error)
{
    return open(location, DatabaseLimits(), error);
}

std::unique_ptr<AccountsThread> AccountsThread::open(const AccountDatabaseLocation &location,
                                                     const DatabaseLimits &limits, QString *error)
{
    std::unique_ptr<AccountsThread> accounts(new AccountsThread);
    AccountsThread *self = accounts.get();
    self->m_limits = limits;
    // The connection is closed where it was opened.
    self->m_thread = std::make_unique<JobThread>("waotp-accounts", std::function<void()>(),
                                                 [self] { self->m_accounts.reset(); });
    QString why;
    const AccountDatabaseLocation where = withConnectTimeout(location, limits.deadline);
    self->m_thread->runAndWait([self, &where, &why, &limits] {
        self->m_accounts = ServerAccounts::open(where, &why);
        // After the start-up's schema steps, which may wait for another server's.
        if (self->m_accounts
            && !self->m_accounts->setStatementTimeout(statementTimeout(limits.deadline))) {
            why = self->m_accounts->lastError();
            self->m_accounts.reset();
        }
    });
    if (!self->m_accounts) {
        if (error)
            *error = why;
        return nullptr;
    }
    return accounts;
}

AccountsThread::~AccountsThread()
{
    m_thread.reset(); // joined, the connection closed: nothing more is answered
    m_completions.waiting.clear();
    m_registrations.waiting.clear();
    m_readiness.clear();
}

template<typename T>
void AccountsThread::call(Calls<T> &calls, std::function<T(ServerAccounts &)> work,
                          QObject *context, std::function<void(DatabaseAnswer<T>)> done,
                          std::function<void(T)> late)
{
    if (m_waiting >= m_limits.queueLimit) {
        // Answered after the call returns, as every other answer is.
        QMetaObject::invokeMethod(
            context,
            [done = std::move(done)] {
                done({DatabaseWait::QueueFull, T {}, false});
            },
            Qt::QueuedConnection);
        return;
    }
    ++m_waiting;
    const quint64 id = ++calls.last;
    auto state = std::make_shared<std::atomic<int>>(Queued);
    calls.waiting.emplace(
        id, typename Calls<T>::Call {context, std::move(done), std::move(late), state});
    m_deadlines.callAfter(m_limits.deadline, this, [this, &calls, id] { expire(calls, id); });
    // The thread by its address: the unique_ptr is null while it stops.
    m_thread->post([this, thread = m_thread.get(), &calls, id, state, work = std::move(work)] {
        int queued = Queued;
        if (!state->compare_exchange_strong(queued, Running))
            return; // given up while it waited
        T value = work(*m_accounts);
        thread->answer([this, &calls, id, value = std::move(value)] { finish(calls, id, value); });
    });
}

template<typename T> void AccountsThread::expire(Calls<T> &calls, quint64 id)
{
    const auto it = calls.waiting.find(id);
    if (it == calls.waiting.end() || !it->second.done)
        return; // answered already
    auto done = std::exchange(it->second.done, {});
    const QPointer<QObject> context = it->second.context;
    int queued = Queued;
    const bool abandoned = it->second.state->compare_exchange_strong(queued, Abandoned);
    if (abandoned) {
        // It never runs: nothing comes late.
        calls.waiting.erase(it);
        --m_waiting;
    }
    if (context)
        done({DatabaseWait::TimedOut, T {}, !abandoned});
}

template<typename T> void AccountsThread::finish(Calls<T> &calls, quint64 id, T value)
{
    --m_waiting;
    const auto it = calls.waiting.find(id);
    if (it == calls.waiting.end())
        return;
    typename Calls<T>::Call call = std::move(it->second);
    calls.waiting.erase(it);
    if (!call.context)
        return;
    if (call.done)
        call.done({DatabaseWait::Answered, std::move(value), false});
    else if (call.late)
        call.late(std::move(value));
}

void AccountsThread::complete(
    const PhoneNumber &number, Purpose flow, QObject *context,
    std::function<void(DatabaseAnswer<std::optional<AccountOutcome>>)> done,
    std::function<void(std::optional<AccountOutcome>)> late)
{
    call<std::optional<AccountOutcome>>(
        m_completions,
        [number, flow](ServerAccounts &accounts) { return accounts.complete(number, flow); },
        context, std::move(done), std::move(late));
}

void AccountsThread::isRegistered(const PhoneNumber &number, QObject *context,
                                  std::function<void(DatabaseAnswer<std::optional<bool>>)> done)
{
    call<std::optional<bool>>(
        m_registrations,
        [number](ServerAccounts &accounts) { return accounts.isRegistered(number); }, context,
        std::move(done), {});
}

void AccountsThread::isReady(QObject *context, std::function<void(bool)> done)
{
    const quint64 job = m_readiness.add(context, std::move(done));
    // A database that does not answer in time is not ready, whatever it answers later.
    QTimer::singleShot(readinessWait(), this, [this, job] { m_readiness.finish(job, false); });
    m_readinessWaiting.push_back(job);
    if (m_readinessWaiting.size() > 1)
        return; // a probe is on its way
    m_thread->post([this, thread = m_thread.get()] {
        const bool ready = m_accounts->isReady();
        thread->answer([this, ready] { probed(ready); });
    });
}

void AccountsThread::probed(bool ready)
{
    const std::vector<quint64> waiting = std::exchange(m_readinessWaiting, {});
    for (const quint64 job : waiting)
        m_readiness.finish(job, ready);
}

void AccountsThread::runAndWait(const std::function<void(ServerAccounts &)> &work)
{
    m_thread->runAndWait([this, &work] { work(*m_accounts); });
}

} // namespace waotp::server
