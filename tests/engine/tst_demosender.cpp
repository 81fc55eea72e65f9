#include "engine/DemoSender.h"

#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace waotp;
using namespace std::chrono_literals;
using Scenario = DemoSender::Scenario;

namespace {
OutgoingCode outgoing()
{
    OutgoingCode c;
    c.to = *PhoneNumber::parse(u"9876543210", u"IN").number;
    c.code = QStringLiteral("123456");
    return c;
}

QStringList g_messages;
void captureMessages(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_messages.append(message);
}
} // namespace

Q_DECLARE_METATYPE(waotp::DemoSender::Scenario)
Q_DECLARE_METATYPE(waotp::SendError)

class tst_DemoSender : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deliversAndLogs();
    void readScenario();
    void undelivered();
    void refusals_data();
    void refusals();
    void slowIsLate();
    void names();
    void messageIds();
    void jobsBelongToTheSender();
};

void tst_DemoSender::deliversAndLogs()
{
    DemoSender sender;
    sender.setStepDelay(1ms);
    QVERIFY(sender.isDemo());
    QSignalSpy shown(&sender, &DemoSender::codeShown);
    g_messages.clear();
    const QtMessageHandler old = qInstallMessageHandler(captureMessages);
    SendJob *job = sender.send(outgoing());
    QSignalSpy finished(job, &SendJob::finished);
    QSignalSpy status(job, &SendJob::deliveryStatusChanged);
    QSignalSpy done(job, &SendJob::trackingFinished);
    QCOMPARE(finished.size(), 0); // never from inside send()
    QVERIFY(finished.wait());
    qInstallMessageHandler(old);
    QVERIFY(job->result().ok());
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.first().at(1).toString(), QStringLiteral("123456"));
    QVERIFY(g_messages.contains(
        QStringLiteral("[demo] code for +91 \u2022\u2022\u2022\u2022\u2022 \u20223210: 123456")));
    QTRY_COMPARE(done.size(), 1);
    QCOMPARE(status.size(), 3);
    QCOMPARE(status.at(0).at(0).value<DeliveryStatus>(), DeliveryStatus::Queued);
    QCOMPARE(status.at(1).at(0).value<DeliveryStatus>(), DeliveryStatus::Sent);
    QCOMPARE(status.at(2).at(0).value<DeliveryStatus>(), DeliveryStatus::Delivered);
}

void tst_DemoSender::readScenario()
{
    DemoSender sender(Scenario::Read);
    sender.setStepDelay(1ms);
    SendJob *job = sender.send(outgoing());
    QSignalSpy status(job, &SendJob::deliveryStatusChanged);
    QSignalSpy done(job, &SendJob::trackingFinished);
    QTRY_COMPARE(done.size(), 1);
    QCOMPARE(status.last().at(0).value<DeliveryStatus>(), DeliveryStatus::Read);
}

void tst_DemoSender::undelivered()
{
    DemoSender sender(Scenario::Undelivered);
    sender.setStepDelay(1ms);
    SendJob *job = sender.send(outgoing());
    QSignalSpy status(job, &SendJob::deliveryStatusChanged);
    QSignalSpy done(job, &SendJob::trackingFinished);
    QTRY_COMPARE(done.size(), 1);
    QCOMPARE(status.last().at(0).value<DeliveryStatus>(), DeliveryStatus::Undelivered);
    QCOMPARE(status.last().at(1).toInt(), 63024);
}

void tst_DemoSender::refusals_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<SendError>("error");
    QTest::addColumn<int>("code");
    QTest::newRow("invalid-number") << Scenario::InvalidNumber << SendError::InvalidNumber << 21211;
    QTest::newRow("not-whatsapp") << Scenario::NotWhatsApp << SendError::NotWhatsAppUser << 63003;
    QTest::newRow("opted-out") << Scenario::OptedOut << SendError::OptedOut << 21610;
    QTest::newRow("rate-limited") << Scenario::RateLimited << SendError::RateLimited << 20429;
    QTest::newRow("network-down") << Scenario::NetworkDown << SendError::Network << 0;
}

void tst_DemoSender::refusals()
{
    QFETCH(Scenario, scenario);
    QFETCH(SendError, error);
    QFETCH(int, code);
    DemoSender sender(scenario);
    QSignalSpy shown(&sender, &DemoSender::codeShown);
    SendJob *job = sender.send(outgoing());
    QSignalSpy finished(job, &SendJob::finished);
    QVERIFY(finished.wait());
    QCOMPARE(job->result().error, error);
    QCOMPARE(job->result().providerCode, code);
    QCOMPARE(shown.size(), 0); // a refused code is never revealed
}

void tst_DemoSender::slowIsLate()
{
    DemoSender sender(Scenario::Slow);
    sender.setSlowDelay(300ms);
    SendJob *job = sender.send(outgoing());
    QSignalSpy finished(job, &SendJob::finished);
    QVERIFY(!finished.wait(100));
    QVERIFY(finished.wait(2000));
    QVERIFY(job->result().ok());
}

void tst_DemoSender::names()
{
    const QStringList names = DemoSender::scenarioNames();
    QCOMPARE(names.size(), 9);
    for (const QString &n : names)
        QVERIFY(DemoSender::scenarioFromName(n).has_value());
    QCOMPARE(DemoSender::scenarioFromName(u"read"), Scenario::Read);
    QVERIFY(!DemoSender::scenarioFromName(u"nope").has_value());
}

void tst_DemoSender::messageIds()
{
    // Shaped like Twilio's and never the same twice, even when a job's memory is reused.
    DemoSender sender;
    sender.setStepDelay(1ms);
    QStringList ids;
    for (int i = 0; i < 3; ++i) {
        SendJob *job = sender.send(outgoing());
        QSignalSpy finished(job, &SendJob::finished);
        QVERIFY(finished.wait());
        ids.append(job->result().messageId);
        delete job;
    }
    static const QRegularExpression twilioShape(QStringLiteral("^SM[0-9a-f]{32}$"));
    for (const QString &id : ids)
        QVERIFY2(twilioShape.match(id).hasMatch(), qPrintable(id));
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 3);
}

// A job in flight is the sender's without being one of its QObject children (leaving a list of
// thousands of children costs a walk and a copy of it): it goes with the sender, and one that
// ends before goes alone.
void tst_DemoSender::jobsBelongToTheSender()
{
    auto sender = std::make_unique<DemoSender>();
    sender->setStepDelay(1ms);
    const QObjectList before = sender->children();
    QList<QPointer<SendJob>> jobs;
    for (int i = 0; i < 100; ++i)
        jobs.append(sender->send(outgoing()));
    QCOMPARE(sender->children(), before);
    QTRY_VERIFY(jobs.first().isNull()); // ended, deleted on its own
    sender->setStepDelay(1h);
    SendJob *waiting = sender->send(outgoing());
    QSignalSpy finished(waiting, &SendJob::finished);
    QVERIFY(finished.wait());
    const QPointer<SendJob> inFlight(waiting);
    QVERIFY(!inFlight.isNull());
    sender.reset();
    QVERIFY(inFlight.isNull()); // went with its sender
    QVERIFY(std::all_of(jobs.begin(), jobs.end(), [](const auto &j) { return j.isNull(); }));
}

QTEST_GUILESS_MAIN(tst_DemoSender)
#include "tst_demosender.moc"
