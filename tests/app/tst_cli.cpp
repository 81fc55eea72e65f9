// The real waotp binary, run as a script would run it: options and their errors, --stats,
// --check-config, and --print-result in all three outcomes, driven end to end in demo mode
// (only ever with --demo) under the offscreen platform by the QA automation
// (WAOTP_DEMO_AUTOFILL / _AUTOCANCEL); and
// live mode's --check-config against the loopback fake Twilio, through the network module the
// binary loads (tst_networkmodule signs in through that module).
#include "FakeTwilioServer.h"
#include "ProgramRun.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using waotp::test::FakeTwilioServer;
using waotp::test::isolatedEnvironment;
using waotp::test::runProgram;

namespace {

using Environment = QHash<QString, QString>;

using Run = waotp::test::ProgramRun;

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void version();
    void helpListsEveryOption();
    void badOptions_data();
    void badOptions();
    void demoOptionsNeedDemoMode_data();
    void demoOptionsNeedDemoMode();
    void optionsAccepted_data();
    void optionsAccepted();
    void checkConfigInDemoMode();
    void checkConfigShowsTheCountry();
    void checkConfigReportsErrors();
    void checkConfigBoundsThePolicy();
    void badConfigStopsTheApp();
    void badPhoneStopsTheApp();

    void printResultVerified();
    void printResultCancelled();
    void printResultCancelledAfterAnError_data();
    void printResultCancelledAfterAnError();
    void printResultNeedsTwilioOrDemo_data();
    void printResultNeedsTwilioOrDemo();
    void signInNeedsAnAccount();
    void signUpRefusesAnAccount();
    void automationIsRefusedInLiveMode();
    void automationNeedsTheDemoOption();
    void retiredDemoFallbackIsIgnored();

    void dataDirIsPrivate();
    void statsCountWithoutNumbers();

    void liveCheckConfigAsksTwilio();
    void liveModeWithoutTheNetworkModule();

private:
    Run run(const QStringList &args, const QHash<QString, QString> &env = {});
    QHash<QString, QString> liveEnvironment(const FakeTwilioServer &twilio) const;
    QProcessEnvironment environment(const QHash<QString, QString> &env) const;
    Run demo(const QStringList &args, const char *automation = "WAOTP_DEMO_AUTOFILL");
    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_Cli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QProcessEnvironment tst_Cli::environment(const QHash<QString, QString> &env) const
{
    return isolatedEnvironment(m_dir->path(), env);
}

QHash<QString, QString> tst_Cli::liveEnvironment(const FakeTwilioServer &twilio) const
{
    return {
        {QStringLiteral("TWILIO_ACCOUNT_SID"), FakeTwilioServer::accountSid()},
        {QStringLiteral("TWILIO_AUTH_TOKEN"), FakeTwilioServer::authToken()},
        {QStringLiteral("TWILIO_WHATSAPP_FROM"), FakeTwilioServer::whatsappFrom()},
        {QStringLiteral("TWILIO_API_BASE_URL"), twilio.baseUrl().toString()},
    };
}

Run tst_Cli::run(const QStringList &args, const QHash<QString, QString> &env)
{
    return runProgram(QStringLiteral(WAOTP_BINARY), args, environment(env));
}

Run tst_Cli::demo(const QStringList &args, const char *automation)
{
    return run(QStringList {QStringLiteral("--demo"), QStringLiteral("--data-dir"), dataDir()}
                   + args,
               {{QString::fromLatin1(automation), QStringLiteral("1")}});
}

void tst_Cli::version()
{
    const Run r = run({QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("waotp " WAOTP_VERSION "\n"));
}

void tst_Cli::helpListsEveryOption()
{
    const Run r = run({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("Usage: waotp [options]"));
    for (const char *option :
         {"--demo", "--demo-accept-any-code", "--demo-scenario", "--flow", "--phone", "--country",
          "--server", "--config", "--data-dir", "--lang", "--theme", "--kiosk", "--print-result",
          "--check-config", "--stats", "--version", "--help"})
        QVERIFY2(r.out.contains(option), option);
}

void tst_Cli::badOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("unknown") << QStringList {QStringLiteral("--colour")}
                             << QByteArray("waotp: Unknown option 'colour'.\nTry 'waotp --help'.");
    QTest::newRow("missing value")
        << QStringList {QStringLiteral("--phone")} << QByteArray("Missing value after '--phone'");
    QTest::newRow("flow") << QStringList {QStringLiteral("--flow"), QStringLiteral("login")}
                          << QByteArray("--flow takes signup or signin, not 'login'");
    QTest::newRow("theme") << QStringList {QStringLiteral("--theme"), QStringLiteral("blue")}
                           << QByteArray("--theme takes light, dark or system");
    QTest::newRow("country") << QStringList {QStringLiteral("--country"), QStringLiteral("XX")}
                             << QByteArray("--country takes a two-letter country code");
    QTest::newRow("lang") << QStringList {QStringLiteral("--lang"), QStringLiteral("xx-YY-ZZ")}
                          << QByteArray("--lang takes a language code");
    QTest::newRow("scenario") << QStringList {QStringLiteral("--demo"),
                                              QStringLiteral("--demo-scenario"),
                                              QStringLiteral("lost")}
                              << QByteArray("unknown demo scenario 'lost'; choose one of: "
                                            "delivered, read,");
    QTest::newRow("kiosk and script")
        << QStringList {QStringLiteral("--kiosk"), QStringLiteral("--print-result")}
        << QByteArray("--kiosk never ends");
    QTest::newRow("positional") << QStringList {QStringLiteral("9876543210")}
                                << QByteArray("unexpected argument '9876543210'");
}

void tst_Cli::badOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void tst_Cli::demoOptionsNeedDemoMode_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    const QStringList any {QStringLiteral("--demo-accept-any-code")};
    const QStringList scenario {QStringLiteral("--demo-scenario"), QStringLiteral("slow")};
    QTest::newRow("accept any code, live") << any << 2;
    QTest::newRow("scenario, live") << scenario << 2;
    // With --demo the same options are fine: the automation cancels at once.
    QTest::newRow("accept any code, --demo") << (QStringList {QStringLiteral("--demo")} + any) << 1;
    QTest::newRow("scenario, --demo") << (QStringList {QStringLiteral("--demo")} + scenario) << 1;
}

void tst_Cli::demoOptionsNeedDemoMode()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    // Placeholder credentials: live mode. The Twilio host is a closed local port, so nothing
    // could leave the machine even if a request were made.
    const QHash<QString, QString> live {
        {QStringLiteral("TWILIO_ACCOUNT_SID"), QStringLiteral("AC") + QString(32, u'0')},
        {QStringLiteral("TWILIO_AUTH_TOKEN"), QStringLiteral("test-auth-token-0000")},
        {QStringLiteral("TWILIO_WHATSAPP_FROM"), QStringLiteral("+14155550100")},
        {QStringLiteral("TWILIO_API_BASE_URL"), QStringLiteral("http://127.0.0.1:9")},
        {QStringLiteral("WAOTP_DEMO_AUTOCANCEL"), QStringLiteral("1")},
    };
    const Run r = run(args
                          + QStringList {QStringLiteral("--print-result"),
                                         QStringLiteral("--data-dir"), dataDir()},
                      live);
    QCOMPARE(r.exitCode, exitCode);
    if (exitCode == 2) {
        QVERIFY2(r.err.contains("works only in demo mode"), r.err.constData());
        QVERIFY(!r.err.contains("test-auth-token-0000"));
    }
}

void tst_Cli::optionsAccepted_data()
{
    QTest::addColumn<QStringList>("args");
    auto row = [](const char *name, QStringList args) { QTest::newRow(name) << args; };
    row("lang hi", {QStringLiteral("--lang"), QStringLiteral("hi")});
    row("lang ar", {QStringLiteral("--lang"), QStringLiteral("ar")});
    row("lang pt-BR", {QStringLiteral("--lang"), QStringLiteral("pt-BR")});
    row("theme dark", {QStringLiteral("--theme"), QStringLiteral("dark")});
    row("theme light", {QStringLiteral("--theme"), QStringLiteral("light")});
    row("flow signin", {QStringLiteral("--flow"), QStringLiteral("signin")});
    row("country and phone",
        {QStringLiteral("--country"), QStringLiteral("us"), QStringLiteral("--phone"),
         QStringLiteral("(415) 555-2671")});
    row("accept any code", {QStringLiteral("--demo-accept-any-code")});
    row("scenario", {QStringLiteral("--demo-scenario"), QStringLiteral("read")});
    row("config file", {QStringLiteral("--config"), QStringLiteral(WAOTP_TEST_CONFIG)});
}

void tst_Cli::optionsAccepted()
{
    // Each option as a person would give it; the QA automation closes the window at once.
    QFETCH(QStringList, args);
    const Run r = demo(args, "WAOTP_DEMO_AUTOCANCEL");
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(!r.err.contains("waotp:"), r.err.constData());
}

void tst_Cli::checkConfigShowsTheCountry()
{
    const Run r =
        run({QStringLiteral("--check-config"), QStringLiteral("--country"), QStringLiteral("BR")});
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromUtf8(r.out);
    static const QRegularExpression line(QStringLiteral("WAOTP_DEFAULT_COUNTRY +BR "));
    QVERIFY2(out.contains(line), qPrintable(out));
}

void tst_Cli::checkConfigInDemoMode()
{
    const Run r = run({QStringLiteral("--check-config")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Result: OK"), r.out.constData());
}

void tst_Cli::checkConfigReportsErrors()
{
    const Run r = run({QStringLiteral("--check-config"), QStringLiteral("--config"),
                       m_dir->filePath(QStringLiteral("missing.ini"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains("error(s)"), r.out.constData());
}

void tst_Cli::checkConfigBoundsThePolicy()
{
    // Weaker than the default but allowed: said, and the run goes on.
    Run r = run({QStringLiteral("--check-config")},
                {{QStringLiteral("WAOTP_MAX_ATTEMPTS"), QStringLiteral("8")}});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("WAOTP_MAX_ATTEMPTS (8) is weaker than the default (5)"),
             r.out.constData());
    // Past the bounds: refused.
    r = run({QStringLiteral("--check-config")},
            {{QStringLiteral("WAOTP_CODE_LIFETIME"), QStringLiteral("1h")}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains("WAOTP_CODE_LIFETIME must be between 30 and 600 seconds (got 3600)"),
             r.out.constData());
    r = run({QStringLiteral("--demo"), QStringLiteral("--data-dir"), dataDir()},
            {{QStringLiteral("WAOTP_MAX_SENDS_PER_HOUR"), QStringLiteral("50")},
             {QStringLiteral("WAOTP_DEMO_AUTOCANCEL"), QStringLiteral("1")}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("WAOTP_MAX_SENDS_PER_HOUR must be a whole number from 1 to 10"),
             r.err.constData());
}

void tst_Cli::badConfigStopsTheApp()
{
    const Run r = demo({QStringLiteral("--config"), m_dir->filePath(QStringLiteral("none.ini"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("waotp: the configuration has errors"), r.err.constData());
}

void tst_Cli::badPhoneStopsTheApp()
{
    const Run r = demo(
        {QStringLiteral("--print-result"), QStringLiteral("--phone"), QStringLiteral("12345")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("waotp: --phone is not a number that can receive WhatsApp"),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void tst_Cli::printResultVerified()
{
    const Run r =
        demo({QStringLiteral("--print-result"), QStringLiteral("--phone"),
              QStringLiteral("98765 43210"), QStringLiteral("--country"), QStringLiteral("IN")});
    QCOMPARE(r.exitCode, 0);
    // Nothing but the JSON line on stdout; the logs (and the demo code) are on stderr.
    QCOMPARE(r.out,
             QByteArray(R"({"verified":true,"phone":"+919876543210","flow":"signup",)"
                        R"("account":"created","mode":"demo"})"
                        "\n"));
    QVERIFY(r.err.contains("[demo] code for +91 ••••• •3210"));

    // The account exists now: signing in works and says so.
    const Run again =
        demo({QStringLiteral("--print-result"), QStringLiteral("--flow"), QStringLiteral("signin"),
              QStringLiteral("--phone"), QStringLiteral("+919876543210")});
    QCOMPARE(again.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(again.out).object();
    QCOMPARE(o.value(QStringLiteral("flow")).toString(), QStringLiteral("signin"));
    QCOMPARE(o.value(QStringLiteral("account")).toString(), QStringLiteral("existing"));
    QCOMPARE(o.value(QStringLiteral("phone")).toString(), QStringLiteral("+919876543210"));
    QCOMPARE(o.value(QStringLiteral("mode")).toString(), QStringLiteral("demo"));
}

void tst_Cli::printResultCancelled()
{
    const Run r = demo(
        {QStringLiteral("--print-result"), QStringLiteral("--phone"), QStringLiteral("9876543210")},
        "WAOTP_DEMO_AUTOCANCEL");
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
}

void tst_Cli::printResultCancelledAfterAnError_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("invalid-number")
        << QStringLiteral("invalid-number")
        << QByteArray("the number was refused as invalid (Twilio error 21211)\n");
    QTest::newRow("not-whatsapp") << QStringLiteral(
        "not-whatsapp") << QByteArray("the number has no WhatsApp account (Twilio error 63003)\n");
    QTest::newRow("opted-out") << QStringLiteral("opted-out")
                               << QByteArray("the recipient has opted out of messages (Twilio "
                                             "error 21610)\n");
    QTest::newRow("rate-limited") << QStringLiteral("rate-limited")
                                  << QByteArray("(Twilio error 20429)\n");
    QTest::newRow("network-down") << QStringLiteral("network-down")
                                  << QByteArray("Twilio cannot be reached (network)\n");
}

void tst_Cli::printResultCancelledAfterAnError()
{
    // The window shows the error and the automation closes it, as a person would: a cancel
    // (exit 1), whatever the error; stderr repeats it.
    QFETCH(QString, scenario);
    QFETCH(QByteArray, reason);
    const Run r = demo({QStringLiteral("--print-result"), QStringLiteral("--phone"),
                        QStringLiteral("9876543210"), QStringLiteral("--demo-scenario"), scenario});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("\nwaotp: cancelled after an error: "), r.err.constData());
    QVERIFY2(r.err.endsWith(reason), r.err.constData());
}

void tst_Cli::printResultNeedsTwilioOrDemo_data()
{
    QTest::addColumn<Environment>("env");
    QTest::newRow("nothing") << Environment();
    // The QA automation would verify any number with nobody at the screen.
    QTest::newRow("autofill") << Environment {
        {QStringLiteral("WAOTP_DEMO_AUTOFILL"), QStringLiteral("1")}};
    // Settings that do not make live mode (no credentials) are no credentials.
    QTest::newRow("sender only") << Environment {
        {QStringLiteral("TWILIO_WHATSAPP_FROM"), QStringLiteral("+14155550100")},
        {QStringLiteral("WAOTP_DEMO_AUTOFILL"), QStringLiteral("1")}};
}

void tst_Cli::printResultNeedsTwilioOrDemo()
{
    // No Twilio credentials (say, sudo or systemd read another HOME): a script gets an error
    // naming what is missing, never a demonstration that passes for a verification.
    QFETCH(Environment, env);
    const Run r = run({QStringLiteral("--print-result"), QStringLiteral("--phone"),
                       QStringLiteral("9876543210"), QStringLiteral("--data-dir"), dataDir()},
                      env);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("waotp: --print-result needs Twilio settings"), r.err.constData());
    for (const char *name :
         {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY_SID", "TWILIO_API_KEY_SECRET",
          "TWILIO_WHATSAPP_FROM", "TWILIO_VERIFY_SERVICE_SID", "--demo", "waotp.ini"})
        QVERIFY2(r.err.contains(name), name);
    QVERIFY(!r.err.contains("[demo] code"));
    QVERIFY(!QFileInfo::exists(dataDir())); // refused before anything was made

    // The same with --demo is a demonstration, and says so.
    const Run shown = demo({QStringLiteral("--print-result"), QStringLiteral("--phone"),
                            QStringLiteral("9876543210")});
    QCOMPARE(shown.exitCode, 0);
    QVERIFY2(shown.out.endsWith(R"("mode":"demo"})"
                                "\n"),
             shown.out.constData());
}

void tst_Cli::signInNeedsAnAccount()
{
    const Run r =
        demo({QStringLiteral("--print-result"), QStringLiteral("--flow"), QStringLiteral("signin"),
              QStringLiteral("--phone"), QStringLiteral("9876543210")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("waotp: no account uses this number"), r.err.constData());
    QVERIFY(!r.err.contains("[demo] code")); // checked before any message is sent
}

void tst_Cli::signUpRefusesAnAccount()
{
    const QStringList signUp {QStringLiteral("--print-result"), QStringLiteral("--phone"),
                              QStringLiteral("9876543210")};
    QCOMPARE(demo(signUp).exitCode, 0);
    const Run r = demo(signUp);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("waotp: this number already has an account"), r.err.constData());
    QVERIFY(!r.err.contains("[demo] code"));
}

void tst_Cli::automationIsRefusedInLiveMode()
{
    const Run r =
        run({QStringLiteral("--print-result"), QStringLiteral("--data-dir"), dataDir()},
            {{QStringLiteral("TWILIO_ACCOUNT_SID"), QStringLiteral("AC") + QString(32, u'0')},
             {QStringLiteral("TWILIO_AUTH_TOKEN"), QStringLiteral("test-auth-token-0000")},
             {QStringLiteral("TWILIO_WHATSAPP_FROM"), QStringLiteral("+14155550100")},
             {QStringLiteral("TWILIO_API_BASE_URL"), QStringLiteral("http://127.0.0.1:9")},
             {QStringLiteral("WAOTP_DEMO_AUTOFILL"), QStringLiteral("1")}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("work only in demo mode, with --demo"), r.err.constData());
}

void tst_Cli::automationNeedsTheDemoOption()
{
    // Without credentials the window opens in demo mode, but the automation, which verifies
    // with nobody at the screen, needs demo mode asked for.
    for (const char *automation : {"WAOTP_DEMO_AUTOFILL", "WAOTP_DEMO_AUTOCANCEL"}) {
        const Run r = run({QStringLiteral("--phone"), QStringLiteral("9876543210"),
                           QStringLiteral("--data-dir"), dataDir()},
                          {{QString::fromLatin1(automation), QStringLiteral("1")}});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("work only in demo mode, with --demo"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
}

void tst_Cli::retiredDemoFallbackIsIgnored()
{
    // A kiosk configured with the removed demo fallback still starts; the setting is named in a
    // warning and never acted on.
    const QHash<QString, QString> env {
        {QStringLiteral("WAOTP_ALLOW_DEMO_FALLBACK"), QStringLiteral("true")}};
    const QByteArray warning = "WAOTP_ALLOW_DEMO_FALLBACK is no longer supported and is ignored";
    const Run check = run({QStringLiteral("--check-config")}, env);
    QCOMPARE(check.exitCode, 0);
    QVERIFY2(check.out.contains(warning), check.out.constData());

    const Run started = run({QStringLiteral("--demo"), QStringLiteral("--print-result"),
                             QStringLiteral("--data-dir"), dataDir()},
                            {{QStringLiteral("WAOTP_ALLOW_DEMO_FALLBACK"), QStringLiteral("yes")},
                             {QStringLiteral("WAOTP_DEMO_AUTOCANCEL"), QStringLiteral("1")}});
    QCOMPARE(started.exitCode, 1);
    QVERIFY2(started.err.contains(warning), started.err.constData());
}

void tst_Cli::dataDirIsPrivate()
{
    // Without --data-dir: the platform's data directory, created private.
    const Run r = run({QStringLiteral("--demo"), QStringLiteral("--print-result")},
                      {{QStringLiteral("WAOTP_DEMO_AUTOCANCEL"), QStringLiteral("1")}});
    QCOMPARE(r.exitCode, 1);
    const QFileInfo dir(m_dir->filePath(QStringLiteral("share/waotp")));
    QVERIFY2(dir.isDir(), qPrintable(dir.filePath()));
    QCOMPARE(dir.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::ExeOther),
             QFile::Permissions());
    QVERIFY(QFileInfo::exists(dir.filePath() + u"/demo-accounts.sqlite"));
    QVERIFY(!QFileInfo::exists(dir.filePath() + u"/accounts.sqlite")); // demo stays apart
}

void tst_Cli::statsCountWithoutNumbers()
{
    const QStringList verify {QStringLiteral("--print-result"), QStringLiteral("--phone"),
                              QStringLiteral("9876543210")};
    QCOMPARE(demo(verify).exitCode, 0);
    QCOMPARE(demo({QStringLiteral("--print-result"), QStringLiteral("--phone"),
                   QStringLiteral("9876511111"), QStringLiteral("--demo-scenario"),
                   QStringLiteral("network-down")})
                 .exitCode,
             1);

    const Run r = run({QStringLiteral("--stats"), QStringLiteral("--demo"),
                       QStringLiteral("--data-dir"), dataDir()});
    QCOMPARE(r.exitCode, 0);
    const QString text = QString::fromUtf8(r.out);
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral("codes sent +1\n"))),
             qPrintable(text));
    QVERIFY(text.contains(QRegularExpression(QStringLiteral("verified +1\n"))));
    QVERIFY(text.contains(QRegularExpression(QStringLiteral("failed +1\n"))));
    QVERIFY(!text.contains(u"3210"));

    // The live statistics are separate and still empty.
    const Run live = run({QStringLiteral("--stats"), QStringLiteral("--data-dir"), dataDir()});
    QCOMPARE(live.exitCode, 0);
    QVERIFY(live.out.startsWith("Nothing counted yet."));
}

QTEST_GUILESS_MAIN(tst_Cli)
void tst_Cli::liveCheckConfigAsksTwilio()
{
    // The fake answers in this process, so the binary runs while the event loop turns.
    FakeTwilioServer twilio;
    QVERIFY(twilio.listen());
    QProcess p;
    p.setProcessEnvironment(environment(liveEnvironment(twilio)));
    p.start(QStringLiteral(WAOTP_BINARY), {QStringLiteral("--check-config")});
    QTRY_COMPARE_WITH_TIMEOUT(p.state(), QProcess::NotRunning, 60'000);
    const QByteArray out = p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(out.contains("Twilio: ") && out.contains(FakeTwilioServer::accountSid().toLatin1()),
             out.constData());
    QVERIFY2(!err.contains("network module"), err.constData());
    QVERIFY(!out.contains(FakeTwilioServer::authToken().toLatin1()));
    QVERIFY(!err.contains(FakeTwilioServer::authToken().toLatin1()));
}

void tst_Cli::liveModeWithoutTheNetworkModule()
{
    // A copy of the binary away from its network module: live mode says what is missing and
    // stops; demo mode does not need the module.
    const QString lonely = m_dir->filePath(QStringLiteral("bin/waotp"));
    QVERIFY(QDir().mkpath(QFileInfo(lonely).path()));
    QVERIFY(QFile::copy(QStringLiteral(WAOTP_BINARY), lonely));
    FakeTwilioServer twilio;
    QVERIFY(twilio.listen());
    QProcess p;
    p.setProcessEnvironment(environment(liveEnvironment(twilio)));
    p.start(lonely,
            {QStringLiteral("--phone"), QStringLiteral("9876543210"), QStringLiteral("--data-dir"),
             dataDir()});
    QTRY_COMPARE_WITH_TIMEOUT(p.state(), QProcess::NotRunning, 60'000);
    QCOMPARE(p.exitCode(), 2);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("the network module ") && err.contains("waotp-network.so is missing"),
             err.constData());
    QVERIFY(twilio.messageCreates().isEmpty());

    p.setProcessEnvironment(
        environment({{QStringLiteral("WAOTP_DEMO_AUTOCANCEL"), QStringLiteral("1")}}));
    p.start(lonely,
            {QStringLiteral("--demo"), QStringLiteral("--print-result"),
             QStringLiteral("--data-dir"), dataDir()});
    QTRY_COMPARE_WITH_TIMEOUT(p.state(), QProcess::NotRunning, 60'000);
    QCOMPARE(p.exitCode(), 1); // cancelled, as without automation a person would
    QVERIFY(!p.readAllStandardError().contains("network module"));
}

#include "tst_cli.moc"
