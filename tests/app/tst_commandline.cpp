// The command line, parsed as a pure function: every option, every value it refuses, and the
// checks that need the configuration (demo mode, the phone number).
#include "CommandLine.h"

#include <QTest>

using namespace waotp;
using Action = ParsedCommandLine::Action;
using Error = CommandLineError;

using Switch = bool Options::*;
Q_DECLARE_METATYPE(waotp::ParsedCommandLine::Action)
Q_DECLARE_METATYPE(waotp::CommandLineError)
Q_DECLARE_METATYPE(waotp::DemoSender::Scenario)
Q_DECLARE_METATYPE(waotp::Theme)
Q_DECLARE_METATYPE(Switch)

namespace {
ParsedCommandLine parse(QStringList args)
{
    args.prepend(QStringLiteral("waotp"));
    return parseCommandLine(args);
}
} // namespace

class tst_CommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void everyValue();
    void switches_data();
    void switches();
    void equalsForm();
    void scenarios_data();
    void scenarios();
    void countryIsUpperCased();
    void languages_data();
    void languages();
    void themes_data();
    void themes();
    void help();
    void version_data();
    void version();
    void errors_data();
    void errors();
    void nonceUpTo128Characters();
    void unknownScenarioListsTheValidOnes();
    void modeChecks_data();
    void modeChecks();
    void phoneChecks_data();
    void phoneChecks();
    void flowNames();
};

void tst_CommandLine::defaults()
{
    const ParsedCommandLine r = parse({});
    QCOMPARE(r.action, Action::Run);
    QCOMPARE(r.error, Error::None);
    QCOMPARE(r.exitCode(), 0);
    const Options &o = r.options;
    QVERIFY(!o.demo && !o.demoAcceptAnyCode && !o.kiosk && !o.printResult);
    QVERIFY(!o.checkConfig && !o.stats && !o.isCommand());
    QVERIFY(!o.demoScenario);
    QCOMPARE(o.flow, Purpose::SignUp);
    QCOMPARE(o.theme, Theme::System);
    QVERIFY(o.phone.isEmpty() && o.country.isEmpty() && o.configFile.isEmpty());
    QVERIFY(o.dataDir.isEmpty() && o.lang.isEmpty());
}

void tst_CommandLine::everyValue()
{
    const ParsedCommandLine r = parse(
        {QStringLiteral("--demo"), QStringLiteral("--demo-accept-any-code"),
         QStringLiteral("--demo-scenario"), QStringLiteral("undelivered"), QStringLiteral("--flow"),
         QStringLiteral("signin"), QStringLiteral("--phone"), QStringLiteral(" +91 98765 43210 "),
         QStringLiteral("--country"), QStringLiteral("IN"), QStringLiteral("--config"),
         QStringLiteral("/etc/waotp/kiosk.ini"), QStringLiteral("--data-dir"),
         QStringLiteral("/var/lib/waotp"), QStringLiteral("--lang"), QStringLiteral("hi"),
         QStringLiteral("--theme"), QStringLiteral("dark"), QStringLiteral("--print-result")});
    QCOMPARE(r.action, Action::Run);
    const Options &o = r.options;
    QVERIFY(o.demo);
    QVERIFY(o.demoAcceptAnyCode);
    QCOMPARE(o.demoScenario, std::optional(DemoSender::Scenario::Undelivered));
    QCOMPARE(o.flow, Purpose::SignIn);
    QCOMPARE(o.phone, QStringLiteral("+91 98765 43210"));
    QCOMPARE(o.country, QStringLiteral("IN"));
    QCOMPARE(o.configFile, QStringLiteral("/etc/waotp/kiosk.ini"));
    QCOMPARE(o.dataDir, QStringLiteral("/var/lib/waotp"));
    QCOMPARE(o.lang, QStringLiteral("hi"));
    QCOMPARE(o.theme, Theme::Dark);
    QVERIFY(o.printResult);
    QVERIFY(!o.kiosk);
}

void tst_CommandLine::switches_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<Switch>("member");
    QTest::newRow("demo") << QStringLiteral("--demo") << &Options::demo;
    QTest::newRow("accept any") << QStringLiteral("--demo-accept-any-code")
                                << &Options::demoAcceptAnyCode;
    QTest::newRow("kiosk") << QStringLiteral("--kiosk") << &Options::kiosk;
    QTest::newRow("print result") << QStringLiteral("--print-result") << &Options::printResult;
    QTest::newRow("check config") << QStringLiteral("--check-config") << &Options::checkConfig;
    QTest::newRow("stats") << QStringLiteral("--stats") << &Options::stats;
}

void tst_CommandLine::switches()
{
    QFETCH(QString, option);
    QFETCH(Switch, member);
    const ParsedCommandLine r = parse({option});
    QCOMPARE(r.action, Action::Run);
    QVERIFY(r.options.*member);
    // ... and no other switch.
    Options other = r.options;
    other.*member = false;
    QVERIFY(!other.demo && !other.demoAcceptAnyCode && !other.kiosk && !other.printResult
            && !other.checkConfig && !other.stats);
    QCOMPARE(r.options.isCommand(), option == u"--check-config" || option == u"--stats");
}

void tst_CommandLine::equalsForm()
{
    // The kiosk launcher passes --data-dir=$STATE_DIRECTORY.
    const ParsedCommandLine r =
        parse({QStringLiteral("--kiosk"), QStringLiteral("--data-dir=/var/lib/waotp-kiosk"),
               QStringLiteral("--flow=signin")});
    QCOMPARE(r.action, Action::Run);
    QCOMPARE(r.options.dataDir, QStringLiteral("/var/lib/waotp-kiosk"));
    QCOMPARE(r.options.flow, Purpose::SignIn);
}

void tst_CommandLine::scenarios_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<DemoSender::Scenario>("scenario");
    using S = DemoSender::Scenario;
    QTest::newRow("delivered") << QStringLiteral("delivered") << S::Delivered;
    QTest::newRow("read") << QStringLiteral("read") << S::Read;
    QTest::newRow("undelivered") << QStringLiteral("undelivered") << S::Undelivered;
    QTest::newRow("invalid-number") << QStringLiteral("invalid-number") << S::InvalidNumber;
    QTest::newRow("not-whatsapp") << QStringLiteral("not-whatsapp") << S::NotWhatsApp;
    QTest::newRow("opted-out") << QStringLiteral("opted-out") << S::OptedOut;
    QTest::newRow("rate-limited") << QStringLiteral("rate-limited") << S::RateLimited;
    QTest::newRow("network-down") << QStringLiteral("network-down") << S::NetworkDown;
    QTest::newRow("slow") << QStringLiteral("slow") << S::Slow;
}

void tst_CommandLine::scenarios()
{
    QFETCH(QString, name);
    QFETCH(DemoSender::Scenario, scenario);
    const ParsedCommandLine r =
        parse({QStringLiteral("--demo"), QStringLiteral("--demo-scenario"), name});
    QCOMPARE(r.action, Action::Run);
    QCOMPARE(r.options.demoScenario, std::optional(scenario));
}

void tst_CommandLine::countryIsUpperCased()
{
    const ParsedCommandLine r = parse({QStringLiteral("--country"), QStringLiteral("br")});
    QCOMPARE(r.action, Action::Run);
    QCOMPARE(r.options.country, QStringLiteral("BR"));
}

void tst_CommandLine::languages_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<bool>("valid");
    QTest::newRow("en") << QStringLiteral("en") << true;
    QTest::newRow("hi") << QStringLiteral("hi") << true;
    QTest::newRow("es") << QStringLiteral("es") << true;
    QTest::newRow("pt_BR") << QStringLiteral("pt_BR") << true;
    QTest::newRow("pt-BR") << QStringLiteral("pt-BR") << true;
    QTest::newRow("ar") << QStringLiteral("ar") << true;
    QTest::newRow("es-419") << QStringLiteral("es-419") << true;
    QTest::newRow("zh-Hant") << QStringLiteral("zh-Hant") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("unknown language") << QStringLiteral("zz") << false;
    QTest::newRow("a word") << QStringLiteral("english") << false;
    QTest::newRow("upper case") << QStringLiteral("EN") << false;
    QTest::newRow("path") << QStringLiteral("../../etc/passwd") << false;
}

void tst_CommandLine::languages()
{
    QFETCH(QString, lang);
    QFETCH(bool, valid);
    const ParsedCommandLine r = parse({QStringLiteral("--lang"), lang});
    QCOMPARE(r.action, valid ? Action::Run : Action::Fail);
    if (valid)
        QCOMPARE(r.options.lang, lang);
    else
        QCOMPARE(r.error, Error::BadLanguage);
}

void tst_CommandLine::themes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Theme>("theme");
    QTest::newRow("light") << QStringLiteral("light") << Theme::Light;
    QTest::newRow("dark") << QStringLiteral("dark") << Theme::Dark;
    QTest::newRow("system") << QStringLiteral("system") << Theme::System;
}

void tst_CommandLine::themes()
{
    QFETCH(QString, name);
    QFETCH(Theme, theme);
    const ParsedCommandLine r = parse({QStringLiteral("--theme"), name});
    QCOMPARE(r.action, Action::Run);
    QCOMPARE(r.options.theme, theme);
}

void tst_CommandLine::help()
{
    for (const QString &flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
        const ParsedCommandLine r = parse({QStringLiteral("--demo"), flag});
        QCOMPARE(r.action, Action::ShowHelp);
        QCOMPARE(r.exitCode(), 0);
        for (const char *option :
             {"--demo", "--demo-accept-any-code", "--demo-scenario", "--flow", "--phone",
              "--country", "--config", "--data-dir", "--lang", "--theme", "--kiosk",
              "--print-result", "--check-config", "--stats", "--version", "--help"})
            QVERIFY2(r.text.contains(QLatin1StringView(option)), option);
        // Every scenario is named, so QA can find them without the README.
        for (const QString &name : DemoSender::scenarioNames())
            QVERIFY2(r.text.contains(name), qPrintable(name));
    }
}

void tst_CommandLine::version_data()
{
    QTest::addColumn<QString>("flag");
    QTest::newRow("long") << QStringLiteral("--version");
    QTest::newRow("short") << QStringLiteral("-v");
}

void tst_CommandLine::version()
{
    QFETCH(QString, flag);
    const ParsedCommandLine r = parse({flag});
    QCOMPARE(r.action, Action::ShowVersion);
    QCOMPARE(r.text, QStringLiteral("waotp " WAOTP_VERSION "\n"));
    QCOMPARE(r.exitCode(), 0);
}

void tst_CommandLine::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<CommandLineError>("error");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, QStringList args, Error error, const char *message) {
        QTest::newRow(name) << args << error << QString::fromUtf8(message);
    };
    row("unknown option", {QStringLiteral("--colour")}, Error::Syntax, "Unknown option 'colour'");
    row("missing phone", {QStringLiteral("--phone")}, Error::Syntax,
        "Missing value after '--phone'");
    row("missing flow", {QStringLiteral("--demo"), QStringLiteral("--flow")}, Error::Syntax,
        "Missing value after '--flow'");
    row("positional", {QStringLiteral("9876543210")}, Error::UnexpectedArgument,
        "unexpected argument '9876543210'");
    row("bad flow", {QStringLiteral("--flow"), QStringLiteral("login")}, Error::BadFlow,
        "--flow takes signup or signin, not 'login'");
    row("bad theme", {QStringLiteral("--theme"), QStringLiteral("blue")}, Error::BadTheme,
        "--theme takes light, dark or system, not 'blue'");
    row("unknown country", {QStringLiteral("--country"), QStringLiteral("XX")}, Error::BadCountry,
        "not 'XX'");
    row("three letters", {QStringLiteral("--country"), QStringLiteral("IND")}, Error::BadCountry,
        "not 'IND'");
    row("calling code", {QStringLiteral("--country"), QStringLiteral("91")}, Error::BadCountry,
        "not '91'");
    row("bad lang", {QStringLiteral("--lang"), QStringLiteral("klingon")}, Error::BadLanguage,
        "--lang takes a language code");
    row("bad scenario", {QStringLiteral("--demo-scenario"), QStringLiteral("lost")},
        Error::BadScenario, "unknown demo scenario 'lost'");
    row("kiosk and print", {QStringLiteral("--kiosk"), QStringLiteral("--print-result")},
        Error::Conflict, "--kiosk never ends");
    row("two commands", {QStringLiteral("--stats"), QStringLiteral("--check-config")},
        Error::Conflict, "separate commands");
    const QString print = QStringLiteral("--print-result");
    const QString nonce = QStringLiteral("--nonce");
    row("empty nonce", {print, nonce, QString()}, Error::BadNonce, "1 to 128 characters");
    row("long nonce", {print, nonce, QString(129, u'n')}, Error::BadNonce, "1 to 128");
    row("nonce with a newline", {print, nonce, QStringLiteral("a\nb")}, Error::BadNonce,
        "control character");
    row("nonce without print", {nonce, QStringLiteral("s1")}, Error::Conflict,
        "add --print-result");
    row("nonce in demo", {print, QStringLiteral("--demo"), nonce, QStringLiteral("s1")},
        Error::Conflict, "--demo runs without a server");
}

void tst_CommandLine::nonceUpTo128Characters()
{
    // 128 code points, some outside the BMP: counted as characters, not UTF-16 units.
    const QString longest = QString(64, u'n') + QString::fromUtf8("\xF0\x9F\x94\x91").repeated(64);
    const ParsedCommandLine r =
        parse({QStringLiteral("--print-result"), QStringLiteral("--nonce"), longest});
    QCOMPARE(r.action, Action::Run);
    QCOMPARE(r.options.nonce, longest);
}

void tst_CommandLine::errors()
{
    QFETCH(QStringList, args);
    QFETCH(CommandLineError, error);
    QFETCH(QString, message);
    const ParsedCommandLine r = parse(args);
    QCOMPARE(r.action, Action::Fail);
    QCOMPARE(r.error, error);
    QCOMPARE(r.exitCode(), 2);
    QVERIFY2(r.text.contains(message), qPrintable(r.text));
}

void tst_CommandLine::unknownScenarioListsTheValidOnes()
{
    const ParsedCommandLine r =
        parse({QStringLiteral("--demo-scenario"), QStringLiteral("offline")});
    QCOMPARE(r.error, Error::BadScenario);
    QVERIFY(r.text.contains(
        QStringLiteral("delivered, read, undelivered, invalid-number, not-whatsapp, opted-out, "
                       "rate-limited, network-down, slow")));
}

void tst_CommandLine::modeChecks_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("demoMode");
    QTest::addColumn<CommandLineError>("error");
    QTest::addColumn<QString>("message");
    const QStringList any {QStringLiteral("--demo-accept-any-code")};
    const QStringList scenario {QStringLiteral("--demo-scenario"), QStringLiteral("slow")};
    QTest::newRow("any code, demo") << any << true << Error::None << QString();
    QTest::newRow("any code, live") << any << false << Error::NeedsDemoMode
                                    << QStringLiteral("--demo-accept-any-code works only in demo");
    QTest::newRow("scenario, demo") << scenario << true << Error::None << QString();
    QTest::newRow("scenario, live") << scenario << false << Error::NeedsDemoMode
                                    << QStringLiteral("--demo-scenario works only in demo");
    QTest::newRow("nothing, live") << QStringList() << false << Error::None << QString();
}

void tst_CommandLine::modeChecks()
{
    QFETCH(QStringList, args);
    QFETCH(bool, demoMode);
    QFETCH(CommandLineError, error);
    QFETCH(QString, message);
    const ParsedCommandLine r = parse(args);
    QCOMPARE(r.action, Action::Run);
    QString text;
    QCOMPARE(checkMode(r.options, demoMode, &text), error);
    QVERIFY2(text.contains(message), qPrintable(text));
    if (error == Error::None)
        QVERIFY(text.isEmpty());
}

void tst_CommandLine::phoneChecks_data()
{
    QTest::addColumn<QString>("phone");
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("configRegion");
    QTest::addColumn<QString>("e164"); // empty: refused
    QTest::newRow("national, config region")
        << QStringLiteral("98765 43210") << QString() << QStringLiteral("IN")
        << QStringLiteral("+919876543210");
    QTest::newRow("--country wins") << QStringLiteral("(415) 555-2671") << QStringLiteral("US")
                                    << QStringLiteral("IN") << QStringLiteral("+14155552671");
    QTest::newRow("international") << QStringLiteral("+91 98765 43210") << QStringLiteral("US")
                                   << QStringLiteral("US") << QStringLiteral("+919876543210");
    QTest::newRow("wrong region") << QStringLiteral("98765 43210") << QString()
                                  << QStringLiteral("US") << QString();
    QTest::newRow("letters") << QStringLiteral("call me") << QString() << QStringLiteral("IN")
                             << QString();
    QTest::newRow("landline") << QStringLiteral("+91 11 2345 6789") << QString()
                              << QStringLiteral("IN") << QString();
}

void tst_CommandLine::phoneChecks()
{
    QFETCH(QString, phone);
    QFETCH(QString, country);
    QFETCH(QString, configRegion);
    QFETCH(QString, e164);
    QStringList args {QStringLiteral("--phone"), phone};
    if (!country.isEmpty())
        args << QStringLiteral("--country") << country;
    const ParsedCommandLine r = parse(args);
    QCOMPARE(r.action, Action::Run);
    std::optional<PhoneNumber> number;
    QString message;
    const CommandLineError error = checkPhone(r.options, configRegion, &number, &message);
    if (e164.isEmpty()) {
        QCOMPARE(error, Error::BadPhone);
        QVERIFY2(message.startsWith(u"--phone is not a number"), qPrintable(message));
        QVERIFY(!message.contains(phone)); // the number stays out of logs
        QVERIFY(!number);
    } else {
        QCOMPARE(error, Error::None);
        QVERIFY(number);
        QCOMPARE(number->e164(), e164);
    }
}

void tst_CommandLine::flowNames()
{
    QCOMPARE(flowName(Purpose::SignUp), QStringLiteral("signup"));
    QCOMPARE(flowName(Purpose::SignIn), QStringLiteral("signin"));
    // No --phone: nothing to check.
    std::optional<PhoneNumber> number;
    QCOMPARE(checkPhone(parse({}).options, QStringLiteral("IN"), &number, nullptr), Error::None);
    QVERIFY(!number);
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
