#pragma once

#include <QObject>
#include <QPointer>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace waotp::server {

/// Called first on a thread that works for the event loop (a JobThread, the SQLite checkpoints):
/// names it @p name (at most 15 bytes) and, on Linux, schedules it as a batch thread
/// (SCHED_BATCH): it keeps its share of the CPU, but waking it does not take the core from a
/// thread that is running, such as the event loop answering clients.
void becomeWorkerThread(const char *name);

/// One thread of its own that runs jobs one after the other, in the order they were posted, for
/// the thread that made it (its owner, which runs a Qt event loop): the owner's event loop goes
/// on while a job runs. A job hands its answer back through answer(), which runs on the owner's
/// event loop.
///
/// Stopping (the destructor, from the owner's thread): the job running finishes, the jobs not
/// yet started are dropped, @p atExit runs on the thread, the thread is joined, and answers not
/// yet delivered are dropped. A job captures what it needs by value and nothing that must be
/// destroyed on the owner's thread (the owner keeps that, see JobAnswers).
class JobThread
{
public:
    /// @p name is the thread's (at most 15 bytes; shown by `top -H`, `ps -L`, perf and gdb).
    /// @p atStart runs on the thread before any job, @p atExit after the last one (for what
    /// belongs to the thread, e.g. a database connection).
    explicit JobThread(const char *name, std::function<void()> atStart = {},
                       std::function<void()> atExit = {});
    ~JobThread();
    JobThread(const JobThread &) = delete;
    JobThread &operator=(const JobThread &) = delete;

    /// Runs @p job on the thread after the jobs posted before it. From the owner's thread.
    void post(std::function<void()> job);
    /// Runs @p answer on the owner's event loop, unless this is gone by then. From a job.
    /// Answers given while the owner has not come to the first of them yet are run together,
    /// in order, on one event (one wake-up of the owner, not one each).
    void answer(std::function<void()> answer);
    /// Runs @p job on the thread and waits for it (start-up, tests).
    void runAndWait(std::function<void()> job);

private:
    void run();
    /// On the owner's event loop: the answers given so far, in order, until one of them
    /// destroys this.
    void deliverAnswers();

    const char *m_name;
    std::function<void()> m_atStart;
    std::function<void()> m_atExit;
    std::unique_ptr<QObject> m_receiver; // in the owner's thread: answers are posted to it
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    bool m_stopping = false;
    std::mutex m_answersMutex;
    std::vector<std::function<void()>> m_answers; // given by jobs, not yet delivered
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); // false once destroyed
    std::thread m_thread; // last: starts once the rest is ready
};

/// The callbacks of the jobs a JobThread runs, kept in the owner's thread by number: the job
/// carries only its number and its data, and its answer calls the callback here, unless the
/// callback's context object is gone. What a callback captures (an exchange, a reply) is so
/// destroyed in the owner's thread, called or not.
template<typename Result> class JobAnswers
{
public:
    using Callback = std::function<void(Result)>;

    /// A number for a job whose answer goes to @p done, unless @p context is gone by then.
    quint64 add(QObject *context, Callback done)
    {
        const quint64 job = ++m_last;
        m_waiting.emplace(job, Waiting {context, std::move(done)});
        return job;
    }
    /// Gives @p result to job @p job's callback.
    void finish(quint64 job, Result result)
    {
        const auto it = m_waiting.find(job);
        if (it == m_waiting.end())
            return;
        Waiting waiting = std::move(it->second);
        m_waiting.erase(it);
        if (waiting.context)
            waiting.done(std::move(result));
    }
    bool isEmpty() const { return m_waiting.empty(); }
    void clear() { m_waiting.clear(); }

private:
    struct Waiting
    {
        QPointer<QObject> context;
        Callback done;
    };
    std::unordered_map<quint64, Waiting> m_waiting;
    quint64 m_last = 0;
};

} // namespace waotp::server
