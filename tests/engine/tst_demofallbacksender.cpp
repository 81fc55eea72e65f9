// allow_demo_fallback: off by default (a failure never reveals a code); on, a failed live send
// shows the code instead and says so with demoFallbackUsed().
#include "EngineSpy.h"
#include "FakeClock.h"
#include "FakeTwilioServer.h"
#include "TwilioLogCapture.h"
#include "engine/CodeGenerator.h"
#include "engine/CodeHasher.h"
#include "engine/DemoFallbackSender.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"
#include "network/SenderFactory.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace waotp;
using namespace waotp::test;
using RS = CodeRequestResult::Status;
using VS = VerifyResult::Status;

class tst_DemoFallbackSender : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void offByDefaultNeverRevealsTheCode();
    void onShowsTheCodeWhenTwilioFails();
    void noFallbackForAnInvalidNumber();
    void liveSuccessIsPassedThrough();
    void verifyFallbackChecksLocally();
    void isNotDemoMode();

private:
    AppConfig config(bool fallback, bool verify = false) const;
    QString codeSentTo(const HttpRequest &request) const;

    std::unique_ptr<FakeTwilioServer> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    FakeClock m_clock;
    const PhoneNumber m_number = number(u"9876543210");
};

void tst_DemoFallbackSender::initTestCase()
{
    TwilioLogCapture::install();
    qRegisterMetaType<SendResult>();
}

void tst_DemoFallbackSender::init()
{
    m_fake = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_fake->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_fake->setStatusScript({QStringLiteral("read")});
}

void tst_DemoFallbackSender::cleanup()
{
    m_nam.reset();
    m_fake.reset();
}

AppConfig tst_DemoFallbackSender::config(bool fallback, bool verify) const
{
    AppConfig c;
    c.twilio = m_fake->settings();
    if (verify)
        c.twilio.verifyServiceSid = FakeTwilioServer::verifyServiceSid();
    c.allowDemoFallback = fallback;
    return c;
}

QString tst_DemoFallbackSender::codeSentTo(const HttpRequest &request) const
{
    const QString body = request.formValue(QStringLiteral("Body"));
    return body.mid(body.indexOf(u" is ") + 4, 6);
}

void tst_DemoFallbackSender::offByDefaultNeverRevealsTheCode()
{
    QVERIFY(!AppConfig().allowDemoFallback);
    m_fake->setCreateError(500, 0, QStringLiteral("Internal error"));
    auto sender = makeLiveSender(config(false), m_nam.get(), fastTimings());
    QVERIFY(sender);
    QVERIFY(!qobject_cast<DemoFallbackSender *>(sender.get()));
    MemoryCodeStore store;
    OtpEngine engine(m_clock, store, CodeHasher(), *sender);
    TwilioLogCapture::clear();
    const CodeRequestResult r = requestAndWait(engine, m_number);
    QCOMPARE(r.status, RS::SendFailed);
    QCOMPARE(r.send.error, SendError::Server);
    const QString code = codeSentTo(m_fake->messageCreates().first());
    QVERIFY(isWellFormedCode(code));
    for (const QString &line : TwilioLogCapture::messages())
        QVERIFY2(!line.contains(code), qPrintable(line));
    // The failed code is void: it does not verify.
    QVERIFY(verifyAndWait(engine, m_number, code).status != VS::Verified);
}

void tst_DemoFallbackSender::onShowsTheCodeWhenTwilioFails()
{
    m_fake->setCreateError(503, 0, QStringLiteral("Service unavailable"));
    auto sender = makeLiveSender(config(true), m_nam.get(), fastTimings());
    auto *fallback = qobject_cast<DemoFallbackSender *>(sender.get());
    QVERIFY(fallback);
    QSignalSpy used(fallback, &DemoFallbackSender::demoFallbackUsed);
    QSignalSpy shown(fallback, &DemoFallbackSender::codeShown);
    MemoryCodeStore store;
    OtpEngine engine(m_clock, store, CodeHasher(), *sender);
    TwilioLogCapture::clear();
    const CodeRequestResult r = requestAndWait(engine, m_number);
    QCOMPARE(r.status, RS::Sent);
    QCOMPARE(used.size(), 1);
    QCOMPARE(used.first().at(0).value<PhoneNumber>(), m_number);
    QCOMPARE(used.first().at(1).value<SendResult>().error, SendError::Server);
    QCOMPARE(shown.size(), 1);
    const QString code = shown.first().at(1).toString();
    QCOMPARE(code, codeSentTo(m_fake->messageCreates().first()));
    bool logged = false;
    for (const QString &line : TwilioLogCapture::messages())
        logged = logged || line.contains(QStringLiteral("[demo] code for"));
    QVERIFY(logged);
    QCOMPARE(verifyAndWait(engine, m_number, code).status, VS::Verified);
}

void tst_DemoFallbackSender::noFallbackForAnInvalidNumber()
{
    m_fake->setCreateError(400, 21211, QStringLiteral("invalid"));
    auto sender = makeLiveSender(config(true), m_nam.get(), fastTimings());
    auto *fallback = qobject_cast<DemoFallbackSender *>(sender.get());
    QSignalSpy used(fallback, &DemoFallbackSender::demoFallbackUsed);
    QSignalSpy shown(fallback, &DemoFallbackSender::codeShown);
    MemoryCodeStore store;
    OtpEngine engine(m_clock, store, CodeHasher(), *sender);
    const CodeRequestResult r = requestAndWait(engine, m_number);
    QCOMPARE(r.status, RS::SendFailed);
    QCOMPARE(r.send.error, SendError::InvalidNumber);
    QCOMPARE(used.size(), 0);
    QCOMPARE(shown.size(), 0);
}

void tst_DemoFallbackSender::liveSuccessIsPassedThrough()
{
    auto sender = makeLiveSender(config(true), m_nam.get(), fastTimings());
    auto *fallback = qobject_cast<DemoFallbackSender *>(sender.get());
    QSignalSpy used(fallback, &DemoFallbackSender::demoFallbackUsed);
    OutgoingCode c;
    c.to = m_number;
    c.code = QStringLiteral("123456");
    SendJobRecorder job(sender->send(c));
    QVERIFY(job.waitTrackingEnded());
    QVERIFY(job.result.ok());
    QVERIFY(job.result.messageId.startsWith(u"SM"));
    QCOMPARE(job.statusList(),
             (QList<DeliveryStatus> {DeliveryStatus::Queued, DeliveryStatus::Read}));
    QCOMPARE(used.size(), 0);
}

void tst_DemoFallbackSender::verifyFallbackChecksLocally()
{
    m_fake->setVerifyError(503, 0, QStringLiteral("down"));
    auto sender = makeLiveSender(config(true, true), m_nam.get(), fastTimings());
    auto *fallback = qobject_cast<DemoFallbackSender *>(sender.get());
    QVERIFY(fallback);
    QVERIFY(sender->generatesCodes());
    QSignalSpy shown(fallback, &DemoFallbackSender::codeShown);
    MemoryCodeStore store;
    OtpEngine engine(m_clock, store, CodeHasher(), *sender);
    QCOMPARE(requestAndWait(engine, m_number).status, RS::Sent);
    QCOMPARE(shown.size(), 1);
    const QString code = shown.first().at(1).toString();
    QVERIFY(isWellFormedCode(code));
    const QString wrong = wrongCode(code);
    const VerifyResult w = verifyAndWait(engine, m_number, wrong);
    QCOMPARE(w.status, VS::WrongCode);
    QCOMPARE(w.attemptsLeft, 4);
    QCOMPARE(verifyAndWait(engine, m_number, code).status, VS::Verified);
    QCOMPARE(m_fake->verificationChecks().size(), 0); // checked here, not at Twilio
}

void tst_DemoFallbackSender::isNotDemoMode()
{
    auto sender = makeLiveSender(config(true), m_nam.get(), fastTimings());
    QVERIFY(!sender->isDemo());
    MemoryCodeStore store;
    OtpEngine engine(m_clock, store, CodeHasher(), *sender);
    QVERIFY(!engine.setAcceptAnyCode(true));
}

QTEST_GUILESS_MAIN(tst_DemoFallbackSender)
#include "tst_demofallbacksender.moc"
