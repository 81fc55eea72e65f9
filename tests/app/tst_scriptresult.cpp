// What --print-result prints and returns: the JSON line (with the mode, demo or live), the exit
// codes (a cancel is a cancel, whatever error came before) and the failure reasons.
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
Q_DECLARE_METATYPE(waotp::RunMode)

class tst_ScriptResult : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonLine_data();
    void jsonLine();
    void modeNames();
    void reasons_data();
    void reasons();
    void verified();
    void cancelled();
    void failedThenCancelled_data();
    void failedThenCancelled();
    void failureForgottenAfterASend();
    void serverLine();

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
    QTest::addColumn<RunMode>("mode");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("sign-up, live")
        << Purpose::SignUp << true << RunMode::Live
        << QByteArray(R"({"verified":true,"phone":"+919876543210","flow":"signup",)"
                      R"("account":"created","mode":"live"})"
                      "\n");
    QTest::newRow("sign-in, live")
        << Purpose::SignIn << false << RunMode::Live
        << QByteArray(R"({"verified":true,"phone":"+919876543210","flow":"signin",)"
                      R"("account":"existing","mode":"live"})"
                      "\n");
    QTest::newRow("sign-up, demo")
        << Purpose::SignUp << true << RunMode::Demo
        << QByteArray(R"({"verified":true,"phone":"+919876543210","flow":"signup",)"
                      R"("account":"created","mode":"demo"})"
                      "\n");
}

void tst_ScriptResult::jsonLine()
{
    QFETCH(Purpose, flow);
    QFETCH(bool, created);
    QFETCH(RunMode, mode);
    QFETCH(QByteArray, expected);
    const QByteArray line = resultLine(number(u"9876543210"), flow, created, mode);
    QCOMPARE(line, expected);
    // One line of valid JSON, whatever parses it.
    QCOMPARE(line.count('\n'), 1);
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.value(QStringLiteral("verified")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("phone")).toString(), QStringLiteral("+919876543210"));
    QCOMPARE(o.value(QStringLiteral("mode")).toString().toLatin1(), runModeName(mode));
}

void tst_ScriptResult::modeNames()
{
    QCOMPARE(runModeName(RunMode::Demo), QByteArray("demo"));
    QCOMPARE(runModeName(RunMode::Live), QByteArray("live"));
    // The mode travels from the constructor to the line.
    for (const RunMode mode : {RunMode::Demo, RunMode::Live}) {
        const ScriptResult script(m_engine, mode);
        const QByteArray line =
            script.finish(number(u"9876543210"), Purpose::SignUp, true).stdoutText;
        const QByteArray end = R"(,"mode":")" + runModeName(mode) + "\"}\n";
        QVERIFY2(line.endsWith(end), line.constData());
    }
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
    ScriptResult script(m_engine, RunMode::Live);
    const auto o = script.finish(number(u"9876543210"), Purpose::SignUp, true);
    QCOMPARE(o.exitCode, int(ExitOk));
    QVERIFY(o.stdoutText.startsWith(R"({"verified":true,)"));
    QVERIFY(o.stderrText.isEmpty());
}

void tst_ScriptResult::cancelled()
{
    ScriptResult script(m_engine, RunMode::Live);
    const auto o = script.finish(PhoneNumber(), Purpose::SignUp, false);
    QCOMPARE(o.exitCode, int(ExitCancelled));
    QVERIFY(o.stdoutText.isEmpty());
    QVERIFY(o.stderrText.isEmpty());
}

void tst_ScriptResult::failedThenCancelled_data()
{
    QTest::addColumn<SendError>("error");
    QTest::addColumn<int>("providerCode");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("phone"); // one per row: the engine's hourly cap counts every send
    QTest::newRow("opted out") << SendError::OptedOut << 21610
                               << QStringLiteral("the recipient has opted out of messages "
                                                 "(Twilio error 21610)")
                               << QStringLiteral("9876500001");
    QTest::newRow("invalid") << SendError::InvalidNumber << 21211
                             << QStringLiteral(
                                    "the number was refused as invalid (Twilio error 21211)")
                             << QStringLiteral("9876500002");
    QTest::newRow("credentials") << SendError::Misconfigured << 20003
                                 << QStringLiteral("the Twilio credentials or sender are not "
                                                   "accepted (Twilio error 20003)")
                                 << QStringLiteral("9876500003");
    QTest::newRow("network") << SendError::Network << 0
                             << QStringLiteral("Twilio cannot be reached (network)")
                             << QStringLiteral("9876500004");
}

void tst_ScriptResult::failedThenCancelled()
{
    // The window showed the error and the person closed it: a cancel (they could still have
    // corrected it), with the error repeated on stderr.
    QFETCH(SendError, error);
    QFETCH(int, providerCode);
    QFETCH(QString, reason);
    QFETCH(QString, phone);
    ScriptResult script(m_engine, RunMode::Live);
    m_sender.nextResult.error = error;
    m_sender.nextResult.providerCode = providerCode;
    QCOMPARE(requestAndWait(m_engine, number(phone)).status, RS::SendFailed);
    m_sender.nextResult = SendResult();
    const auto o = script.finish(PhoneNumber(), Purpose::SignIn, false);
    QCOMPARE(o.exitCode, int(ExitCancelled));
    QVERIFY(o.stdoutText.isEmpty());
    QCOMPARE(o.stderrText, QStringLiteral("waotp: cancelled after an error: %1\n").arg(reason));
}

void tst_ScriptResult::failureForgottenAfterASend()
{
    // A person who fixes the problem (another number, SMS) and then cancels just cancelled.
    ScriptResult script(m_engine, RunMode::Live);
    m_sender.nextResult.error = SendError::Network;
    QCOMPARE(requestAndWait(m_engine, number(u"9876543210")).status, RS::SendFailed);
    QVERIFY(script.lastFailure());
    m_sender.nextResult = SendResult();
    QCOMPARE(requestAndWait(m_engine, number(u"9876543210")).status, RS::Sent);
    QVERIFY(!script.lastFailure());
    QCOMPARE(script.finish(PhoneNumber(), Purpose::SignUp, false).exitCode, int(ExitCancelled));
}

void tst_ScriptResult::serverLine()
{
    VerificationToken token;
    token.number = number(u"9876543210");
    token.accountCreated = false;
    token.token = "eyJh.eyJz.c2ln";
    token.expiresAt = m_clock.now() + 300s;
    // What is left of the token's life when the line is printed, whole seconds.
    QCOMPARE(serverResultLine(token, Purpose::SignIn, m_clock.now() + 1500ms),
             QByteArray(R"({"verified":true,"phone":"+919876543210","flow":"signin",)"
                        R"("account":"existing","mode":"server","token":"eyJh.eyJz.c2ln",)"
                        R"("expires_in":298})"
                        "\n"));
    token.demo = true;
    token.accountCreated = true;
    const QByteArray demo = serverResultLine(token, Purpose::SignUp, m_clock.now() + 400s);
    QVERIFY(demo.endsWith(R"("account":"created","mode":"demo","token":"eyJh.eyJz.c2ln",)"
                          R"("expires_in":0,"demo":true})"
                          "\n"));
    QVERIFY(QJsonDocument::fromJson(demo).isObject());
}

QTEST_GUILESS_MAIN(tst_ScriptResult)
#include "tst_scriptresult.moc"
