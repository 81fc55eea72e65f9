#include "server/JobThread.h"

#include <future>

#include <pthread.h>
#include <sched.h>

namespace waotp::server {

void becomeWorkerThread(const char *name)
{
    pthread_setname_np(pthread_self(), name);
#ifdef SCHED_BATCH
    // The event loop hands a worker a job and goes on with other clients; under the default
    // policy the worker's wake-up often took the event loop's core at once (bench/server's
    // sign-ins on two cores: the event loop was preempted 0.58 times a sign-in, 0.32 times as
    // it is now, and the workers slept a third as often). A failure changes only the scheduling.
    const sched_param normal {};
    pthread_setschedparam(pthread_self(), SCHED_BATCH, &normal);
#endif
}

JobThread::JobThread(const char *name, std::function<void()> atStart, std::function<void()> atExit)
    : m_name(name), m_atStart(std::move(atStart)), m_atExit(std::move(atExit)),
      m_receiver(std::make_unique<QObject>()), m_thread([this] { run(); })
{ }

JobThread::~JobThread()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join(); // nothing is posted to the receiver after this
    m_jobs.clear();
    *m_alive = false; // answers being delivered stop after the one that destroyed this
    m_receiver.reset(); // and the answers it has not delivered are dropped with it
    m_answers.clear();
}

void JobThread::post(std::function<void()> job)
{
    {
        const std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void JobThread::answer(std::function<void()> answer)
{
    bool first = false;
    {
        const std::lock_guard lock(m_answersMutex);
        first = m_answers.empty();
        m_answers.push_back(std::move(answer));
    }
    if (first)
        QMetaObject::invokeMethod(
            m_receiver.get(), [this] { deliverAnswers(); }, Qt::QueuedConnection);
}

void JobThread::deliverAnswers()
{
    std::vector<std::function<void()>> answers;
    {
        const std::lock_guard lock(m_answersMutex);
        answers.swap(m_answers);
    }
    const std::shared_ptr<bool> alive = m_alive;
    for (std::function<void()> &answer : answers) {
        answer();
        if (!*alive)
            return; // the rest are dropped with this
    }
}

void JobThread::runAndWait(std::function<void()> job)
{
    std::promise<void> done;
    post([&job, &done] {
        job();
        done.set_value();
    });
    done.get_future().wait();
}

void JobThread::run()
{
    becomeWorkerThread(m_name);
    if (m_atStart)
        m_atStart();
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_stopping)
                break;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job();
    }
    if (m_atExit)
        m_atExit();
}

} // namespace waotp::server
