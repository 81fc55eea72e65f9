// Statistics: which engine answers count as what, the file format, and counting from a live
// engine without ever writing a number.
#include "EngineSpy.h"
#include "FakeClock.h"
#include "FakeSender.h"
#include "engine/MemoryCodeStore.h"
#include "engine/Stats.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;
using RS = CodeRequestResult::Status;
using VS = VerifyResult::Status;
using Event = std::optional<StatsEvent>;

Q_DECLARE_METATYPE(waotp::CodeRequestResult::Status)
Q_DECLARE_METATYPE(waotp::VerifyResult::Status)
Q_DECLARE_METATYPE(waotp::SendError)
Q_DECLARE_METATYPE(std::optional<waotp::StatsEvent>)

class tst_Stats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void requestEvents_data();
    void requestEvents();
    void deliveryEvents_data();
    void deliveryEvents();
    void verifyEvents_data();
    void verifyEvents();

    void jsonRoundTrip();
    void badJson_data();
    void badJson();
    void summaryListsEveryCount();

    void missingFileIsZero();
    void addKeepsTheFirstDate();
    void twoWritersAddUp();
    void damagedFileIsKept();

    void recordsAnEngine();
    void heldBackHasItsOwnCount();
    void readAfterDeliveredCountsOnce();
    void readAloneCountsAsDelivered();
    void fileHoldsNoNumber();

private:
    QString statsPath() const { return m_dir->filePath(QStringLiteral("stats.json")); }
    std::unique_ptr<QTemporaryDir> m_dir;
    const QDateTime m_t0 = QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC);
};

void tst_Stats::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_Stats::requestEvents_data()
{
    QTest::addColumn<RS>("status");
    QTest::addColumn<SendError>("error");
    QTest::addColumn<StatsEvent>("expected");
    QTest::newRow("sent") << RS::Sent << SendError::None << StatsEvent::Sent;
    QTest::newRow("cooling down") << RS::CoolingDown << SendError::None << StatsEvent::RateLimited;
    QTest::newRow("hourly limit") << RS::HourlyLimit << SendError::None << StatsEvent::RateLimited;
    QTest::newRow("after wrong codes")
        << RS::FailureBackoff << SendError::None << StatsEvent::HeldBack;
    QTest::newRow("twilio 20429") << RS::SendFailed << SendError::RateLimited
                                  << StatsEvent::RateLimited;
    QTest::newRow("invalid number")
        << RS::SendFailed << SendError::InvalidNumber << StatsEvent::Failed;
    QTest::newRow("network") << RS::SendFailed << SendError::Network << StatsEvent::Failed;
    QTest::newRow("store down") << RS::Unavailable << SendError::None << StatsEvent::Failed;
    QTest::newRow("no sms") << RS::ChannelUnavailable << SendError::None << StatsEvent::Failed;
}

void tst_Stats::requestEvents()
{
    QFETCH(RS, status);
    QFETCH(SendError, error);
    QFETCH(StatsEvent, expected);
    CodeRequestResult r;
    r.status = status;
    r.send.error = error;
    QCOMPARE(statsEventFor(r), expected);
}

void tst_Stats::deliveryEvents_data()
{
    QTest::addColumn<DeliveryStatus>("status");
    QTest::addColumn<Event>("expected");
    QTest::newRow("unknown") << DeliveryStatus::Unknown << Event();
    QTest::newRow("queued") << DeliveryStatus::Queued << Event();
    QTest::newRow("sent") << DeliveryStatus::Sent << Event();
    QTest::newRow("delivered") << DeliveryStatus::Delivered << Event(StatsEvent::Delivered);
    QTest::newRow("read") << DeliveryStatus::Read << Event(StatsEvent::Delivered);
    QTest::newRow("failed") << DeliveryStatus::Failed << Event(StatsEvent::Failed);
    QTest::newRow("undelivered") << DeliveryStatus::Undelivered << Event(StatsEvent::Failed);
}

void tst_Stats::deliveryEvents()
{
    QFETCH(DeliveryStatus, status);
    QFETCH(Event, expected);
    QCOMPARE(statsEventFor(status), expected);
}

void tst_Stats::verifyEvents_data()
{
    QTest::addColumn<VS>("status");
    QTest::addColumn<Event>("expected");
    QTest::newRow("verified") << VS::Verified << Event(StatsEvent::Verified);
    QTest::newRow("expired") << VS::Expired << Event(StatsEvent::Expired);
    QTest::newRow("wrong") << VS::WrongCode << Event();
    QTest::newRow("no code") << VS::NoCode << Event();
    QTest::newRow("too many") << VS::TooManyAttempts << Event();
    QTest::newRow("malformed") << VS::Malformed << Event();
    QTest::newRow("unavailable") << VS::Unavailable << Event();
    QTest::newRow("guess limit") << VS::GuessLimit << Event(StatsEvent::HeldBack);
}

void tst_Stats::verifyEvents()
{
    QFETCH(VS, status);
    QFETCH(Event, expected);
    VerifyResult r;
    r.status = status;
    QCOMPARE(statsEventFor(r), expected);
}

void tst_Stats::jsonRoundTrip()
{
    StatsCounts c;
    QVERIFY(c.isEmpty());
    c.add(StatsEvent::Sent, m_t0);
    c.add(StatsEvent::Sent, m_t0.addSecs(9));
    c.add(StatsEvent::RateLimited, m_t0.addSecs(10));
    QCOMPARE(c.sent, 2u);
    QCOMPARE(c.count(StatsEvent::RateLimited), 1u);
    QCOMPARE(c.since, m_t0);
    QString error;
    const auto back = statsFromJson(statsToJson(c), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, c);
    QCOMPARE(statsFromJson(statsToJson(StatsCounts {})), std::optional(StatsCounts {}));
}

void tst_Stats::badJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("truncated") << QByteArray(R"({"format":1,"sent":)");
    QTest::newRow("array") << QByteArray("[1,2]");
    QTest::newRow("no format") << QByteArray(R"({"sent":1})");
    QTest::newRow("future format") << QByteArray(R"({"format":2,"sent":1})");
    QTest::newRow("negative") << QByteArray(R"({"format":1,"sent":-1})");
    QTest::newRow("fraction") << QByteArray(R"({"format":1,"sent":1.5})");
    QTest::newRow("text count") << QByteArray(R"({"format":1,"sent":"3"})");
    QTest::newRow("bad date") << QByteArray(R"({"format":1,"since":"yesterday"})");
}

void tst_Stats::badJson()
{
    QFETCH(QByteArray, json);
    QString error;
    QVERIFY(!statsFromJson(json, &error));
    QVERIFY(!error.isEmpty());
}

void tst_Stats::summaryListsEveryCount()
{
    QCOMPARE(formatStats({}).section(u'\n', 0, 0), QStringLiteral("Nothing counted yet."));
    StatsCounts c;
    c.add(StatsEvent::Sent, m_t0);
    for (int i = 0; i < 12; ++i)
        c.add(StatsEvent::Delivered, m_t0);
    c.add(StatsEvent::Expired, m_t0);
    const QStringList lines = formatStats(c).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 8);
    QCOMPARE(lines.at(0), QStringLiteral("Since 2024-05-01 10:00 UTC"));
    const QStringList expected {QStringLiteral("codes sent 1"),
                                QStringLiteral("delivered 12"),
                                QStringLiteral("verified 0"),
                                QStringLiteral("failed 0"),
                                QStringLiteral("expired 1"),
                                QStringLiteral("rate-limited 0"),
                                QStringLiteral("held back after wrong codes 0")};
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(lines.at(i + 1).simplified(), expected.at(i));
}

void tst_Stats::missingFileIsZero()
{
    StatsFile file(statsPath());
    QCOMPARE(file.read(), std::optional(StatsCounts {}));
    QVERIFY(!QFile::exists(statsPath()));
}

void tst_Stats::addKeepsTheFirstDate()
{
    StatsFile file(statsPath());
    QVERIFY(file.add(StatsEvent::Sent, m_t0));
    QVERIFY(file.add(StatsEvent::Verified, m_t0.addDays(1)));
    const auto c = file.read();
    QVERIFY(c);
    QCOMPARE(c->sent, 1u);
    QCOMPARE(c->verified, 1u);
    QCOMPARE(c->since, m_t0);
}

void tst_Stats::twoWritersAddUp()
{
    StatsFile a(statsPath());
    StatsFile b(statsPath());
    for (int i = 0; i < 10; ++i) {
        QVERIFY(a.add(StatsEvent::Sent, m_t0));
        QVERIFY(b.add(StatsEvent::Sent, m_t0));
    }
    QCOMPARE(a.read()->sent, 20u);
}

void tst_Stats::damagedFileIsKept()
{
    QFile f(statsPath());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"format\":1,\"sent\":");
    f.close();
    StatsFile file(statsPath());
    QString error;
    QVERIFY(!file.read(&error));
    QVERIFY2(error.contains(u"damaged"), qPrintable(error));
    QVERIFY(!file.add(StatsEvent::Sent, m_t0, &error));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("{\"format\":1,\"sent\":"));
}

namespace {
struct Rig
{
    explicit Rig(OtpPolicy policy = {}) : engine(clock, store, CodeHasher(), sender, policy) { }
    FakeClock clock;
    MemoryCodeStore store;
    FakeSender sender;
    OtpEngine engine;
};
} // namespace

void tst_Stats::recordsAnEngine()
{
    Rig rig;
    StatsRecorder recorder(rig.engine, StatsFile(statsPath()), nullptr, [this] { return m_t0; });
    const PhoneNumber n = number(u"9876543210");

    QCOMPARE(requestAndWait(rig.engine, n).status, RS::Sent);
    rig.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Queued);
    rig.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Delivered);
    QCOMPARE(requestAndWait(rig.engine, n).status, RS::CoolingDown);
    QCOMPARE(verifyAndWait(rig.engine, n, rig.sender.sent.last().code).status, VS::Verified);

    rig.clock.advance(1min);
    QCOMPARE(requestAndWait(rig.engine, n).status, RS::Sent);
    rig.clock.advance(6min);
    QCOMPARE(verifyAndWait(rig.engine, n, rig.sender.sent.last().code).status, VS::Expired);

    rig.clock.advance(10min);
    rig.sender.nextResult.error = SendError::InvalidNumber;
    QCOMPARE(requestAndWait(rig.engine, n).status, RS::SendFailed);

    StatsCounts expected;
    expected.sent = 2;
    expected.delivered = 1;
    expected.verified = 1;
    expected.rateLimited = 1;
    expected.expired = 1;
    expected.failed = 1;
    expected.since = m_t0;
    QCOMPARE(recorder.sessionCounts(), expected);
    QCOMPARE(StatsFile(statsPath()).read(), std::optional(expected));
}

void tst_Stats::heldBackHasItsOwnCount()
{
    OtpPolicy p;
    p.maxAttempts = 2;
    p.failureBackoffFrom = 2;
    p.maxFailures = 3;
    Rig rig(p);
    StatsRecorder recorder(rig.engine, StatsFile(statsPath()), nullptr, [this] { return m_t0; });
    const PhoneNumber n = number(u"9876543210");
    QCOMPARE(requestAndWait(rig.engine, n).status, RS::Sent);
    const QString wrong = wrongCode(rig.sender.sent.last().code);
    QCOMPARE(verifyAndWait(rig.engine, n, wrong).status, VS::WrongCode);
    QCOMPARE(verifyAndWait(rig.engine, n, wrong).status, VS::TooManyAttempts);
    rig.clock.advance(30s);
    QCOMPARE(requestAndWait(rig.engine, n).status, RS::FailureBackoff);
    rig.clock.advance(1min);
    QCOMPARE(requestAndWait(rig.engine, n).status, RS::Sent);
    QCOMPARE(verifyAndWait(rig.engine, n, wrongCode(rig.sender.sent.last().code)).status,
             VS::WrongCode);
    QCOMPARE(verifyAndWait(rig.engine, n, rig.sender.sent.last().code).status, VS::GuessLimit);
    QCOMPARE(recorder.sessionCounts().heldBack, 2u);
    QCOMPARE(recorder.sessionCounts().rateLimited, 0u);
    QCOMPARE(StatsFile(statsPath()).read()->heldBack, 2u);
}

void tst_Stats::readAfterDeliveredCountsOnce()
{
    Rig rig;
    StatsRecorder recorder(rig.engine, StatsFile(statsPath()));
    QSignalSpy counted(&recorder, &StatsRecorder::counted);
    QCOMPARE(requestAndWait(rig.engine, number(u"9876543210")).status, RS::Sent);
    rig.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Sent);
    rig.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Delivered);
    rig.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Read);
    QCOMPARE(recorder.sessionCounts().delivered, 1u);
    QCOMPARE(counted.size(), 2); // sent, delivered
}

void tst_Stats::readAloneCountsAsDelivered()
{
    Rig rig;
    StatsRecorder recorder(rig.engine, StatsFile(statsPath()));
    QCOMPARE(requestAndWait(rig.engine, number(u"9876543210")).status, RS::Sent);
    rig.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Sent);
    rig.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Read);
    QCOMPARE(recorder.sessionCounts().delivered, 1u);

    // A second message to the same number: its own delivered and read count once more.
    rig.clock.advance(1min);
    QCOMPARE(requestAndWait(rig.engine, number(u"9876543210")).status, RS::Sent);
    rig.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Delivered);
    rig.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Read);
    QCOMPARE(recorder.sessionCounts().delivered, 2u);
}

void tst_Stats::fileHoldsNoNumber()
{
    Rig rig;
    StatsRecorder recorder(rig.engine, StatsFile(statsPath()));
    const PhoneNumber n = number(u"9876543210");
    QCOMPARE(requestAndWait(rig.engine, n).status, RS::Sent);
    const QString code = rig.sender.sent.last().code;
    QCOMPARE(verifyAndWait(rig.engine, n, code).status, VS::Verified);
    QFile f(statsPath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray content = f.readAll();
    QVERIFY(content.contains("\"verified\": 1"));
    QVERIFY(!content.contains("3210"));
    QVERIFY(!content.contains(code.toLatin1()));
}

QTEST_GUILESS_MAIN(tst_Stats)
#include "tst_stats.moc"
