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
std::shared_ptr<std::atomic<int>>
AccountsThread::admit(Calls<T> &calls, QObject *context,
                      std::function<void(DatabaseAnswer<T>)> &done, std::function<void(T)> &late,
                      quint64 *id)
{
    if (m_waiting >= m_limits.queueLimit) {
        // Answered after the call returns, as every other answer is.
        QMetaObject::invokeMethod(
            context,
            [done = std::move(done)] {
                done({DatabaseWait::QueueFull, T {}, false});
            },
            Qt::QueuedConnection);
        return nullptr;
    }
    ++m_waiting;
    *id = ++calls.last;
    auto state = std::make_shared<std::atomic<int>>(Queued);
    calls.waiting.emplace(
        *id, typename Calls<T>::Call {context, std::move(done), std::move(late), state});
    m_deadlines.callAfter(m_limits.deadline, this, [this, &calls, id = *id] { expire(calls, id); });
    return state;
}

template<typename T>
void AccountsThread::call(Calls<T> &calls, std::function<T(ServerAccounts &)> work,
                          QObject *context, std::function<void(DatabaseAnswer<T>)> done,
                          std::function<void(T)> late)
{
    quint64 id = 0;
    auto state = admit(calls, context, done, late, &id);
    if (!state)
        return;
    // The thread by its address: the unique_ptr is null while it stops.
    m_thread->post([this, thread = m_thread.get(), &calls, id, state, work = std::move(work)] {
        int queued = Queued;
        if (!state->compare_exchange_strong(queued, Running))
            return; // given up while it waited
        m_started.fetch_add(1, std::memory_order_relaxed);
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
    quint64 id = 0;
    auto state = admit(m_completions, context, done, late, &id);
    if (!state)
        return;
    bool first = false;
    {
        const std::lock_guard lock(m_batchMutex);
        first = m_batch.empty();
        m_batch.push_back({id, std::move(state), {number, flow}});
    }
    // The completions made until the thread comes to them go together (completeBatch()).
    if (first)
        m_thread->post([this, thread = m_thread.get()] { completeBatch(thread); });
}

void AccountsThread::completeBatch(JobThread *thread)
{
    std::vector<Completion> batch;
    {
        const std::lock_guard lock(m_batchMutex);
        batch.swap(m_batch);
    }
    const auto start = [this](Completion &completion) {
        int queued = Queued;
        if (!completion.state->compare_exchange_strong(queued, Running))
            return false; // given up while it waited
        m_started.fetch_add(1, std::memory_order_relaxed);
        return true;
    };
    std::vector<quint64> ids;
    std::vector<std::optional<AccountOutcome>> values;
    ids.reserve(batch.size());
    values.reserve(batch.size());
    if (m_accounts->completesTogether()) {
        // One transaction: they all start now.
        std::vector<ServerAccounts::Completion> work;
        work.reserve(batch.size());
        for (Completion &completion : batch) {
            if (!start(completion))
                continue;
            work.push_back(std::move(completion.what));
            ids.push_back(completion.id);
        }
        values = m_accounts->completeAll(work);
    } else {
        // A statement each: each starts when its turn comes, and one that waited past its
        // deadline meanwhile never runs.
        for (Completion &completion : batch) {
            if (!start(completion))
                continue;
            ids.push_back(completion.id);
            values.push_back(m_accounts->complete(completion.what.number, completion.what.flow));
        }
    }
    if (ids.empty())
        return;
    thread->answer([this, ids = std::move(ids), values = std::move(values)]() mutable {
        for (std::size_t i = 0; i < ids.size(); ++i)
            finish(m_completions, ids[i], std::move(values[i]));
    });
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
