// TimerQueue: many single-shot calls on one Qt timer, in deadline order, dropped with their
// context.
#include "engine/TimerQueue.h"

#include <QAbstractEventDispatcher>
#include <QElapsedTimer>
#include <QPointer>
#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

using namespace std::chrono_literals;
using waotp::TimerQueue;

class TestTimerQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsInDeadlineOrder()
    {
        TimerQueue queue;
        QObject context;
        QList<char> order;
        queue.callAfter(60ms, &context, [&] { order.append('A'); });
        queue.callAfter(20ms, &context, [&] { order.append('B'); });
        queue.callAfter(40ms, &context, [&] { order.append('C'); });
        queue.callAfter(20ms, &context, [&] { order.append('D'); });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 4, 5000);
        QCOMPARE(order, (QList<char> {'B', 'D', 'C', 'A'}));
        QCOMPARE(queue.pending(), std::size_t(0));
    }

    void equalDelaysRunInTheOrderScheduled()
    {
        TimerQueue queue;
        QObject context;
        QList<int> order;
        for (int i = 0; i < 500; ++i)
            queue.callAfter(5ms, &context, [&order, i] { order.append(i); });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 500, 5000);
        for (int i = 0; i < 500; ++i)
            QCOMPARE(order.at(i), i);
    }

    void neverRunsEarly()
    {
        TimerQueue queue;
        QObject context;
        QElapsedTimer clock;
        clock.start();
        qint64 ranAfter = -1;
        queue.callAfter(80ms, &context, [&] { ranAfter = clock.elapsed(); });
        QTRY_VERIFY_WITH_TIMEOUT(ranAfter >= 0, 5000);
        QVERIFY2(ranAfter >= 80, qPrintable(QString::number(ranAfter)));
    }

    void oneQtTimerForThousandsOfCalls()
    {
        TimerQueue queue;
        QObject context;
        int ran = 0;
        for (int i = 0; i < 5000; ++i)
            queue.callAfter(std::chrono::milliseconds(100 + i % 50), &context, [&] { ++ran; });
        QCOMPARE(queue.pending(), std::size_t(5000));
        auto *dispatcher = QAbstractEventDispatcher::instance();
        QCOMPARE(dispatcher->registeredTimers(&queue).size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(ran, 5000, 10000);
        QCOMPARE(queue.pending(), std::size_t(0));
        QCOMPARE(dispatcher->registeredTimers(&queue).size(), 0); // nothing waits, no timer
    }

    void dropsTheCallsOfAContextDestroyedFirst()
    {
        TimerQueue queue;
        QObject kept;
        auto gone = std::make_unique<QObject>();
        int keptRan = 0, goneRan = 0;
        queue.callAfter(20ms, gone.get(), [&] { ++goneRan; });
        queue.callAfter(30ms, &kept, [&] { ++keptRan; });
        gone.reset();
        QTRY_COMPARE_WITH_TIMEOUT(keptRan, 1, 5000);
        QCOMPARE(goneRan, 0);
        QCOMPARE(queue.pending(), std::size_t(0));
    }

    void anEarlierCallArmsTheTimerAgain()
    {
        TimerQueue queue;
        QObject context;
        bool soon = false, late = false;
        queue.callAfter(10min, &context, [&] { late = true; });
        queue.callAfter(10ms, &context, [&] { soon = true; });
        QTRY_VERIFY_WITH_TIMEOUT(soon, 5000);
        QVERIFY(!late);
        QCOMPARE(queue.pending(), std::size_t(1));
    }

    void callsScheduledByACallWaitForTheLoop()
    {
        // A call that schedules itself again with no delay does not keep the loop in one pass:
        // an event posted meanwhile is delivered before the chain ends.
        TimerQueue queue;
        QObject context;
        int rounds = 0, roundWhenPostedRan = -1;
        std::function<void()> again = [&] {
            if (++rounds == 1)
                QMetaObject::invokeMethod(
                    &context, [&] { roundWhenPostedRan = rounds; }, Qt::QueuedConnection);
            if (rounds < 50)
                queue.callAfter(0ms, &context, again);
        };
        queue.callAfter(0ms, &context, again);
        QTRY_COMPARE_WITH_TIMEOUT(rounds, 50, 5000);
        QVERIFY(roundWhenPostedRan >= 1);
        QVERIFY2(roundWhenPostedRan < 50, qPrintable(QString::number(roundWhenPostedRan)));
    }

    void aCallMayDestroyTheQueue()
    {
        auto *queue = new TimerQueue;
        QPointer<TimerQueue> watch(queue);
        QObject context;
        int ran = 0;
        queue->callAfter(10ms, &context, [&] {
            ++ran;
            delete queue;
        });
        queue->callAfter(10ms, &context, [&] { ++ran; }); // due in the same pass: dropped
        QTRY_VERIFY_WITH_TIMEOUT(watch.isNull(), 5000);
        QTest::qWait(50);
        QCOMPARE(ran, 1);
    }

    void followsItsParentToAnotherThread()
    {
        QThread thread;
        thread.start();
        QObject owner;
        auto *queue = new TimerQueue(&owner);
        owner.moveToThread(&thread);
        std::atomic<QThread *> ranOn {nullptr};
        QMetaObject::invokeMethod(queue, [queue, &owner, &ranOn] {
            queue->callAfter(10ms, &owner, [&ranOn] { ranOn = QThread::currentThread(); });
        });
        QTRY_VERIFY_WITH_TIMEOUT(ranOn.load() != nullptr, 5000);
        QCOMPARE(ranOn.load(), &thread);
        QMetaObject::invokeMethod(
            &owner, [&owner] { owner.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
};

QTEST_GUILESS_MAIN(TestTimerQueue)
#include "tst_timerqueue.moc"
