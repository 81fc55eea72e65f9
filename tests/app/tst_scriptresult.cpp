// What --print-result prints and returns: the JSON line, the exit codes and the failure reasons.
#include "CommandLine.h"
#include "EngineSpy.h"
#include "FakeClock.h"
#include "FakeSender.h"
#include "ScriptResult.h"
#include "engine/MemoryCodeStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;
using RS = CodeRequestResult::Status;

Q_DECLARE_METATYPE(waotp::CodeRequestResult::Status)
Q_DECLARE_METATYPE(waotp::SendError)
Q_DECLARE_METATYPE(waotp::Purpose)

class tst_ScriptResult : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonLine_data();
    void jsonLine();
    void reasons_data();
    void reasons();
    void verified();
    void cancelled();
    void failedThenCancelled();
    void failureForgottenAfterASend();

private:
    FakeClock m_clock;
    MemoryCodeStore m_store;
    FakeSender m_sender;
    OtpEngine m_engine {m_clock, m_store, CodeHasher(), m_sender};
};

void tst_ScriptResult::jsonLine_data()
{
    QTest::addColumn<Purpose>("flow");
    QTest::addColumn<bool>("created");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("sign-up") << Purpose::SignUp << true
                             << QByteArray(
                                    R"({"verified":true,"phone":"+919876543210","flow":"signup",)"
                                    R"("account":"created"})"
                                    "\n");
    QTest::newRow("sign-in") << Purpose::SignIn << false
                             << QByteArray(
                                    R"({"verified":true,"phone":"+919876543210","flow":"signin",)"
                                    R"("account":"existing"})"
                                    "\n");
}

void tst_ScriptResult::jsonLine()
{
    QFETCH(Purpose, flow);
    QFETCH(bool, created);
    QFETCH(QByteArray, expected);
    const QByteArray line = resultLine(number(u"9876543210"), flow, created);
    QCOMPARE(line, expected);
    // One line of valid JSON, whatever parses it.
    QCOMPARE(line.count('\n'), 1);
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.value(QStringLiteral("verified")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("phone")).toString(), QStringLiteral("+919876543210"));
}

void tst_ScriptResult::reasons_data()
{
    QTest::addColumn<RS>("status");
    QTest::addColumn<SendError>("error");
    QTest::addColumn<int>("providerCode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("invalid") << RS::SendFailed << SendError::InvalidNumber << 21211
                             << QStringLiteral(
                                    "the number was refused as invalid (Twilio error 21211)");
    QTest::newRow("not whatsapp") << RS::SendFailed << SendError::NotWhatsAppUser << 63003
                                  << QStringLiteral(
                                         "the number has no WhatsApp account (Twilio error 63003)");
    QTest::newRow("opted out") << RS::SendFailed << SendError::OptedOut << 21610
                               << QStringLiteral("the recipient has opted out of messages "
                                                 "(Twilio error 21610)");
    QTest::newRow("network") << RS::SendFailed << SendError::Network << 0
                             << QStringLiteral("Twilio cannot be reached (network)");
    QTest::newRow("cooldown") << RS::CoolingDown << SendError::None << 0
                              << QStringLiteral(
                                     "a code was sent a moment ago; a new one is allowed in 30 s");
    QTest::newRow("hourly") << RS::HourlyLimit << SendError::None << 0
                            << QStringLiteral(
                                   "too many codes for this number this hour; retry in 30 s");
    QTest::newRow("store") << RS::Unavailable << SendError::None << 0
                           << QStringLiteral("the code store is unavailable; nothing was sent");
    QTest::newRow("sent") << RS::Sent << SendError::None << 0 << QString();
}

void tst_ScriptResult::reasons()
{
    QFETCH(RS, status);
    QFETCH(SendError, error);
    QFETCH(int, providerCode);
    QFETCH(QString, expected);
    CodeRequestResult r;
    r.status = status;
    r.send.error = error;
    r.send.providerCode = providerCode;
    r.retryAfter = 30s;
    QCOMPARE(failureReason(r), expected);
}

void tst_ScriptResult::verified()
{
    ScriptResult script(m_engine);
    const auto o = script.finish(number(u"9876543210"), Purpose::SignUp, true);
    QCOMPARE(o.exitCode, int(ExitOk));
    QVERIFY(o.stdoutText.startsWith(R"({"verified":true,)"));
    QVERIFY(o.stderrText.isEmpty());
}

void tst_ScriptResult::cancelled()
{
    ScriptResult script(m_engine);
    const auto o = script.finish(PhoneNumber(), Purpose::SignUp, false);
    QCOMPARE(o.exitCode, int(ExitCancelled));
    QVERIFY(o.stdoutText.isEmpty());
    QVERIFY(o.stderrText.isEmpty());
}

void tst_ScriptResult::failedThenCancelled()
{
    ScriptResult script(m_engine);
    m_sender.nextResult.error = SendError::OptedOut;
    m_sender.nextResult.providerCode = 21610;
    QCOMPARE(requestAndWait(m_engine, number(u"9876543210")).status, RS::SendFailed);
    const auto o = script.finish(PhoneNumber(), Purpose::SignIn, false);
    QCOMPARE(o.exitCode, int(ExitError));
    QVERIFY(o.stdoutText.isEmpty());
    QCOMPARE(o.stderrText,
             QStringLiteral("waotp: the recipient has opted out of messages (Twilio error "
                            "21610)\n"));
}

void tst_ScriptResult::failureForgottenAfterASend()
{
    // A person who fixes the problem (another number, SMS) and then cancels just cancelled.
    ScriptResult script(m_engine);
    m_sender.nextResult.error = SendError::Network;
    QCOMPARE(requestAndWait(m_engine, number(u"9876543210")).status, RS::SendFailed);
    QVERIFY(script.lastFailure());
    m_sender.nextResult = SendResult();
    QCOMPARE(requestAndWait(m_engine, number(u"9876543210")).status, RS::Sent);
    QVERIFY(!script.lastFailure());
    QCOMPARE(script.finish(PhoneNumber(), Purpose::SignUp, false).exitCode, int(ExitCancelled));
}

QTEST_GUILESS_MAIN(tst_ScriptResult)
#include "tst_scriptresult.moc"
