#include "server/JobThread.h"

#include <QCoreApplication>
#include <QEvent>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

#include <pthread.h>
#include <sched.h>
#include <thread>

using namespace waotp::server;

namespace {

// Counts the queued calls (QEvent::MetaCall) that reach objects of this thread.
class MetaCallCounter : public QObject
{
public:
    int count = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::MetaCall)
            ++count;
        return false;
    }
};

} // namespace

class tst_JobThread : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jobsRunInOrderOnTheirThread();
    void aWorkerIsNamedAndScheduledAsBatch();
    void answersGivenTogetherComeOnOneEvent();
    void anAnswerThatDestroysItDropsTheRest();
    void destroyedWithAnswersWaiting();
};

void tst_JobThread::jobsRunInOrderOnTheirThread()
{
    JobThread thread("waotp-test");
    std::vector<int> ran;
    std::vector<int> answered;
    std::atomic<QThread *> where = nullptr;
    for (int i = 0; i < 20; ++i) {
        thread.post([&, i] {
            where = QThread::currentThread();
            ran.push_back(i);
            thread.answer([&answered, i] {
                QCOMPARE(QThread::currentThread(), qApp->thread());
                answered.push_back(i);
            });
        });
    }
    QTRY_COMPARE(answered.size(), std::size_t(20));
    QVERIFY(where.load() != qApp->thread());
    for (int i = 0; i < 20; ++i) {
        QCOMPARE(ran[i], i);
        QCOMPARE(answered[i], i);
    }
}

// A job runs on a thread of the given name, scheduled as a batch thread (so that waking it does
// not take the core from the event loop), while the owner's thread keeps its own policy.
void tst_JobThread::aWorkerIsNamedAndScheduledAsBatch()
{
#ifndef SCHED_BATCH
    QSKIP("no SCHED_BATCH on this system");
#else
    // Where a thread cannot take SCHED_BATCH (a sandbox that forbids it), a worker keeps the
    // policy it inherits: nothing to check.
    int probe = -1;
    std::thread([&probe] {
        const sched_param normal {};
        probe = pthread_setschedparam(pthread_self(), SCHED_BATCH, &normal);
    }).join();
    if (probe != 0)
        QSKIP("this system does not let a thread take SCHED_BATCH");
    const int owners = sched_getscheduler(0);
    JobThread thread("waotp-batch");
    std::atomic<int> policy = -1;
    char name[16] = {};
    thread.runAndWait([&] {
        policy = sched_getscheduler(0);
        pthread_getname_np(pthread_self(), name, sizeof name);
    });
    QCOMPARE(policy.load(), SCHED_BATCH);
    QCOMPARE(QByteArray(name), QByteArray("waotp-batch"));
    QCOMPARE(sched_getscheduler(0), owners); // the owner's own is left as it was
#endif
}

// While the owner is busy, the answers of 100 jobs wait for it; they then come on one event,
// in order, not on 100.
void tst_JobThread::answersGivenTogetherComeOnOneEvent()
{
    JobThread thread("waotp-test");
    QSemaphore answeredAll;
    std::vector<int> answered;
    constexpr int Count = 100;
    for (int i = 0; i < Count; ++i) {
        thread.post([&, i] {
            thread.answer([&answered, i] { answered.push_back(i); });
            if (i == Count - 1)
                answeredAll.release();
        });
    }
    answeredAll.acquire(); // the owner busy until every job has answered
    MetaCallCounter counter;
    qApp->installEventFilter(&counter);
    QTRY_COMPARE(answered.size(), std::size_t(Count));
    qApp->removeEventFilter(&counter);
    QCOMPARE(counter.count, 1);
    for (int i = 0; i < Count; ++i)
        QCOMPARE(answered[i], i);
}

// An answer may destroy its thread (its owner closing): the answers after it are dropped, and
// what they hold is destroyed on the owner's thread.
void tst_JobThread::anAnswerThatDestroysItDropsTheRest()
{
    auto thread = std::make_unique<JobThread>("waotp-test");
    QSemaphore answeredAll;
    int answered = 0;
    auto held = std::make_shared<int>(0);
    for (int i = 0; i < 10; ++i) {
        thread->post([&, i, held] {
            thread->answer([&, i, held] {
                ++answered;
                if (i == 4)
                    thread.reset();
            });
            if (i == 9)
                answeredAll.release();
        });
    }
    answeredAll.acquire();
    QTRY_VERIFY(!thread);
    QCOMPARE(answered, 5);
    QTest::qWait(20);
    QCOMPARE(answered, 5);
    QCOMPARE(held.use_count(), 1); // nothing of the dropped answers is left
}

void tst_JobThread::destroyedWithAnswersWaiting()
{
    int answered = 0;
    auto held = std::make_shared<int>(0);
    {
        JobThread thread("waotp-test");
        thread.runAndWait([&] {
            for (int i = 0; i < 10; ++i)
                thread.answer([&answered, held] { ++answered; });
        });
    }
    QCoreApplication::processEvents();
    QCOMPARE(answered, 0);
    QCOMPARE(held.use_count(), 1);
}

QTEST_GUILESS_MAIN(tst_JobThread)
#include "tst_jobthread.moc"
