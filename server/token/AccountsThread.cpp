#include "server/token/AccountsThread.h"

#include <QTimer>

namespace waotp::server {

std::unique_ptr<AccountsThread> AccountsThread::open(const AccountDatabaseLocation &location,
                                                     QString *error)
{
    std::unique_ptr<AccountsThread> accounts(new AccountsThread);
    AccountsThread *self = accounts.get();
    // The connection is closed where it was opened.
    self->m_thread =
        std::make_unique<JobThread>(std::function<void()>(), [self] { self->m_accounts.reset(); });
    QString why;
    self->m_thread->runAndWait(
        [self, &location, &why] { self->m_accounts = ServerAccounts::open(location, &why); });
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
    m_completions.clear();
    m_registrations.clear();
    m_readiness.clear();
}

void AccountsThread::complete(const PhoneNumber &number, Purpose flow, QObject *context,
                              std::function<void(std::optional<AccountOutcome>)> done)
{
    const quint64 job = m_completions.add(context, std::move(done));
    // The thread by its address: the unique_ptr is null while it stops.
    m_thread->post([this, thread = m_thread.get(), job, number, flow] {
        auto outcome = m_accounts->complete(number, flow);
        thread->answer(
            [this, job, outcome = std::move(outcome)] { m_completions.finish(job, outcome); });
    });
}

void AccountsThread::isRegistered(const PhoneNumber &number, QObject *context,
                                  std::function<void(std::optional<bool>)> done)
{
    const quint64 job = m_registrations.add(context, std::move(done));
    m_thread->post([this, thread = m_thread.get(), job, number] {
        const auto registered = m_accounts->isRegistered(number);
        thread->answer([this, job, registered] { m_registrations.finish(job, registered); });
    });
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
