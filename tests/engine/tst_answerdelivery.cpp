// How the engine's answers reach the event loop (AnswerDelivery, through OtpEngine): after the
// call returns, exactly once, in the order they became ready, never after the engine is gone,
// on any thread. Run against the store WAOTP_TEST_STORE names (memory by default), like
// tst_otpengine.
#include "EngineSpy.h"
#include "FakeClock.h"
#include "FakeSender.h"
#include "TestStore.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"

#include <QAbstractEventDispatcher>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <functional>
#include <memory>
#include <thread>
#include <vector>

using namespace waotp;
using namespace waotp::test;
using RS = CodeRequestResult::Status;
using VS = VerifyResult::Status;

namespace {

/// An in-memory store whose checks answer only when told to, in any order: what a networked
/// store does. Answers still held when it goes are given then (each callback runs once).
class DeferredStore final : public CodeStore
{
public:
    ~DeferredStore() override { answerAll(); }

    void issue(const Digest &subject, const std::optional<Digest> &codeMac, TimePoint now,
               const OtpPolicy &policy, std::function<void(IssueOutcome)> done) override
    {
        m_inner.issue(subject, codeMac, now, policy, std::move(done));
    }
    void previewIssue(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                      std::function<void(IssueOutcome)> done) override
    {
        m_inner.previewIssue(subject, now, policy, std::move(done));
    }
    void check(const Digest &subject, const Digest &codeMac, TimePoint now, const OtpPolicy &policy,
               std::function<void(CheckOutcome)> done) override
    {
        m_inner.check(subject, codeMac, now, policy,
                      [this, done = std::move(done)](const CheckOutcome &o) {
                          held.push_back([done, o] { done(o); });
                      });
    }
    void reserveGuess(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                      std::function<void(GuessReservation)> done) override
    {
        m_inner.reserveGuess(subject, now, policy, std::move(done));
    }
    void releaseGuess(const Digest &subject, const std::string &ticket,
                      std::function<void(bool ok)> done) override
    {
        m_inner.releaseGuess(subject, ticket, std::move(done));
    }
    void cancel(const Digest &subject, std::function<void(bool ok)> done) override
    {
        m_inner.cancel(subject, std::move(done));
    }
    void sweep(TimePoint now, const OtpPolicy &policy) override { m_inner.sweep(now, policy); }
    std::size_t activeCodes() const override { return m_inner.activeCodes(); }
    std::size_t trackedSubjects() const override { return m_inner.trackedSubjects(); }

    void answer(std::size_t i)
    {
        std::function<void()> f = std::exchange(held[i], nullptr);
        f();
    }
    void answerAll()
    {
        for (std::size_t i = 0; i < held.size(); ++i) {
            if (held[i])
                answer(i);
        }
    }

    std::vector<std::function<void()>> held; // answered ones are empty

private:
    MemoryCodeStore m_inner;
};

QList<quint64> ids(const QSignalSpy &spy)
{
    QList<quint64> out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).toULongLong());
    return out;
}

} // namespace

class tst_AnswerDelivery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void answersAfterReturning();
    void answersInOrderAndNeverAfterDestruction();
    void burstIsAnsweredInOrderAfterReturning();
    void requestAndCheckAnswersShareOneOrder();
    void lateStoreAnswersComeAsTheyAreReady();
    void storeAnswersAfterTheEngineIsGone();
    void slotThatDestroysTheEngineStopsDelivery();
    void slotThatVerifiesAgainIsAnsweredNextPass();
    void answersInAWorkerThread();
    void answersWithoutAnEventDispatcher();

private:
    FakeClock m_clock;
    TestStore m_store;
    std::unique_ptr<FakeSender> m_sender;
    std::unique_ptr<OtpEngine> m_engine;
    const PhoneNumber m_number = number(u"9876543210");
};

void tst_AnswerDelivery::init()
{
    m_store = makeTestStore();
    m_sender = std::make_unique<FakeSender>();
    m_engine = std::make_unique<OtpEngine>(m_clock, *m_store.store, m_store.hasher, *m_sender);
}

void tst_AnswerDelivery::cleanup()
{
    m_engine.reset();
    m_sender.reset();
    m_store.store.reset();
}

void tst_AnswerDelivery::answersAfterReturning()
{
    QSignalSpy requested(m_engine.get(), &OtpEngine::codeRequested);
    QSignalSpy checked(m_engine.get(), &OtpEngine::codeChecked);
    const quint64 a = m_engine->requestCode(m_number, Purpose::SignUp);
    const quint64 b = m_engine->verifyCode(m_number, QStringLiteral("12"));
    QCOMPARE(requested.size(), 0);
    QCOMPARE(checked.size(), 0);
    QVERIFY(a != b);
    QTRY_COMPARE(requested.size(), 1);
    QTRY_COMPARE(checked.size(), 1);
    QTest::qWait(20);
    QCOMPARE(requested.size(), 1); // exactly one answer each
    QCOMPARE(checked.size(), 1);
}

void tst_AnswerDelivery::answersInOrderAndNeverAfterDestruction()
{
    QSignalSpy checked(m_engine.get(), &OtpEngine::codeChecked);
    const quint64 a = m_engine->verifyCode(m_number, QStringLiteral("12"));
    const quint64 b = m_engine->verifyCode(m_number, QStringLiteral("1234567"));
    const quint64 c = m_engine->verifyCode(m_number, QStringLiteral("123456"));
    QTRY_COMPARE(checked.size(), 3);
    // Answered at once, in call order (a networked store answers c when it replies).
    QCOMPARE(checked.at(0).at(0).toULongLong(), a);
    QCOMPARE(checked.at(0).at(2).value<VerifyResult>().status, VS::Malformed);
    QCOMPARE(checked.at(1).at(0).toULongLong(), b);
    QCOMPARE(checked.at(1).at(1).value<PhoneNumber>(), m_number);
    QCOMPARE(checked.at(2).at(0).toULongLong(), c);
    QCOMPARE(checked.at(2).at(2).value<VerifyResult>().status, VS::NoCode);

    // An answer still on its way when the engine goes is dropped with it.
    m_engine->verifyCode(m_number, QStringLiteral("12"));
    m_engine.reset();
    QTest::qWait(20);
}

void tst_AnswerDelivery::burstIsAnsweredInOrderAfterReturning()
{
    QSignalSpy checked(m_engine.get(), &OtpEngine::codeChecked);
    QList<quint64> sent;
    for (int i = 0; i < 64; ++i)
        sent.append(
            m_engine->verifyCode(number(QStringLiteral("98765%1").arg(i, 5, 10, QLatin1Char('0'))),
                                 QStringLiteral("123456")));
    QCOMPARE(checked.size(), 0); // never before the calls return
    if (m_store.name == u"memory") {
        // Every answer was ready at once: one pass of the loop delivers them all.
        QCoreApplication::processEvents();
        QCOMPARE(checked.size(), 64);
    }
    QTRY_COMPARE(checked.size(), 64);
    QCOMPARE(ids(checked), sent);
    for (const QList<QVariant> &args : checked)
        QCOMPARE(args.at(2).value<VerifyResult>().status, VS::NoCode);
    QTest::qWait(20);
    QCOMPARE(checked.size(), 64); // once each
}

void tst_AnswerDelivery::requestAndCheckAnswersShareOneOrder()
{
    m_sender->smsSupported = false;
    QStringList answers;
    connect(m_engine.get(), &OtpEngine::codeRequested, this,
            [&](quint64 id) { answers.append(u"requested " + QString::number(id)); });
    connect(m_engine.get(), &OtpEngine::codeChecked, this,
            [&](quint64 id) { answers.append(u"checked " + QString::number(id)); });
    // All three are ready at once (malformed, channel unavailable, malformed).
    const quint64 a = m_engine->verifyCode(m_number, QStringLiteral("12"));
    const quint64 b = m_engine->requestCode(m_number, Purpose::SignIn, Channel::Sms);
    const quint64 c = m_engine->verifyCode(m_number, QStringLiteral("1"));
    QVERIFY(answers.isEmpty());
    QTRY_COMPARE(answers.size(), 3);
    QCOMPARE(answers,
             QStringList({u"checked " + QString::number(a), u"requested " + QString::number(b),
                          u"checked " + QString::number(c)}));
}

void tst_AnswerDelivery::lateStoreAnswersComeAsTheyAreReady()
{
    DeferredStore store;
    OtpEngine engine(m_clock, store, CodeHasher(), *m_sender);
    QSignalSpy checked(&engine, &OtpEngine::codeChecked);
    const quint64 a = engine.verifyCode(m_number, QStringLiteral("123456"));
    const quint64 b = engine.verifyCode(m_number, QStringLiteral("123456"));
    const quint64 c = engine.verifyCode(m_number, QStringLiteral("123456"));
    QCOMPARE(store.held.size(), std::size_t(3));
    QTest::qWait(10);
    QCOMPARE(checked.size(), 0); // the store has not answered
    store.answer(2);
    store.answer(0);
    QCOMPARE(checked.size(), 0); // answered from the loop, not from the store's callback
    QTRY_COMPARE(checked.size(), 2);
    const quint64 d = engine.verifyCode(m_number, QStringLiteral("12")); // malformed: ready now
    store.answer(1);
    QTRY_COMPARE(checked.size(), 4);
    QCOMPARE(ids(checked), QList<quint64>({c, a, d, b}));
    QCOMPARE(checked.at(3).at(2).value<VerifyResult>().status, VS::NoCode);
    QCOMPARE(checked.at(3).at(1).value<PhoneNumber>(), m_number);
}

void tst_AnswerDelivery::storeAnswersAfterTheEngineIsGone()
{
    DeferredStore store;
    auto engine = std::make_unique<OtpEngine>(m_clock, store, CodeHasher(), *m_sender);
    int answers = 0;
    connect(engine.get(), &OtpEngine::codeChecked, this, [&answers] { ++answers; });
    for (int i = 0; i < 3; ++i)
        engine->verifyCode(m_number, QStringLiteral("123456"));
    store.answer(1); // ready, not yet delivered
    engine.reset();
    store.answerAll(); // after the engine: ignored, nothing leaks (ASan checks)
    QTest::qWait(20);
    QCOMPARE(answers, 0);
}

void tst_AnswerDelivery::slotThatDestroysTheEngineStopsDelivery()
{
    int answers = 0;
    connect(m_engine.get(), &OtpEngine::codeChecked, this, [&] {
        ++answers;
        m_engine.reset();
    });
    for (int i = 0; i < 3; ++i)
        m_engine->verifyCode(m_number, QStringLiteral("12"));
    QTest::qWait(20);
    QCOMPARE(answers, 1);
    QVERIFY(!m_engine);
}

void tst_AnswerDelivery::slotThatVerifiesAgainIsAnsweredNextPass()
{
    // A slot that verifies again (the store answers at once) must not keep the loop in one
    // delivery: its answer waits for the next pass.
    QList<quint64> answered;
    QList<quint64> asked;
    connect(m_engine.get(), &OtpEngine::codeChecked, this, [&](quint64 id) {
        answered.append(id);
        if (asked.size() < 100)
            asked.append(m_engine->verifyCode(m_number, QStringLiteral("12")));
    });
    asked.append(m_engine->verifyCode(m_number, QStringLiteral("12")));
    QCoreApplication::processEvents();
    QCOMPARE(answered.size(), 1);
    QCoreApplication::processEvents();
    QCOMPARE(answered.size(), 2);
    QTRY_COMPARE(answered.size(), 100);
    QCOMPARE(answered, asked);
}

void tst_AnswerDelivery::answersInAWorkerThread()
{
    // Engine, store and sender live in a thread that runs its own event loops (a Redis store's
    // socket, too, when the suite runs against Redis).
    struct
    {
        RS sent {};
        VerifyResult wrong;
        VS right {};
        QList<quint64> burstAsked;
        QList<quint64> burstAnswered;
        bool timersInWorker = false;
    } seen;
    QThread *worker = QThread::create([&] {
        TestStore store = makeTestStore();
        FakeSender sender;
        OtpEngine engine(m_clock, *store.store, store.hasher, sender);
        seen.timersInWorker = QAbstractEventDispatcher::instance() != nullptr;
        seen.sent = requestAndWait(engine, m_number).status;
        const QString code = sender.sent.last().code;
        const QString wrong = wrongCode(code);
        seen.wrong = verifyAndWait(engine, m_number, wrong);
        seen.right = verifyAndWait(engine, m_number, code).status;
        QSignalSpy checked(&engine, &OtpEngine::codeChecked);
        for (int i = 0; i < 16; ++i)
            seen.burstAsked.append(engine.verifyCode(m_number, QStringLiteral("123456")));
        for (int i = 0; i < 100 && checked.size() < 16; ++i)
            checked.wait(50);
        seen.burstAnswered = ids(checked);
    });
    worker->start();
    QVERIFY(worker->wait(20000));
    delete worker;
    QVERIFY(seen.timersInWorker);
    QCOMPARE(seen.sent, RS::Sent);
    QCOMPARE(seen.wrong.status, VS::WrongCode);
    QCOMPARE(seen.wrong.attemptsLeft, 4);
    QCOMPARE(seen.right, VS::Verified);
    QCOMPARE(seen.burstAnswered, seen.burstAsked);
}

void tst_AnswerDelivery::answersWithoutAnEventDispatcher()
{
    // A thread that never ran a Qt event loop has no dispatcher, so no timer: the answers
    // fall back to posted events, delivered when that thread sends its posted events.
    bool hadDispatcher = true;
    int beforeDelivery = -1;
    QList<VS> statuses;
    std::thread plain([&] {
        MemoryCodeStore store;
        FakeSender sender;
        OtpEngine engine(m_clock, store, CodeHasher(), sender);
        hadDispatcher = QAbstractEventDispatcher::instance() != nullptr;
        QObject::connect(&engine, &OtpEngine::codeChecked,
                         [&](quint64, const PhoneNumber &, const VerifyResult &r) {
                             statuses.append(r.status);
                         });
        engine.verifyCode(m_number, QStringLiteral("12"));
        engine.verifyCode(m_number, QStringLiteral("123456"));
        beforeDelivery = int(statuses.size());
        QCoreApplication::sendPostedEvents();
    });
    plain.join();
    QVERIFY(!hadDispatcher);
    QCOMPARE(beforeDelivery, 0);
    QCOMPARE(statuses, QList<VS>({VS::Malformed, VS::NoCode}));
}

QTEST_GUILESS_MAIN(tst_AnswerDelivery)
#include "tst_answerdelivery.moc"
