#include "CommandLine.h"

#include "engine/PhoneNumber.h"
#include "engine/RemoteVerificationBackend.h" // MaxNonceLength

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

namespace waotp {

namespace {

// The words of the command line, for translators under the context "waotp::CommandLine".
struct CommandLineText
{
    Q_DECLARE_TR_FUNCTIONS(waotp::CommandLine)
};

struct Definitions
{
    QCommandLineOption demo {
        QStringLiteral("demo"),
        CommandLineText::tr("Demo mode, even with credentials: nothing is sent, the code is "
                            "shown on screen.")};
    QCommandLineOption acceptAny {
        QStringLiteral("demo-accept-any-code"),
        CommandLineText::tr("Demo mode only: any 6-digit code is accepted.")};
    QCommandLineOption scenario {
        QStringLiteral("demo-scenario"),
        CommandLineText::tr("Demo mode only: replay an answer of Twilio. One of: %1.")
            .arg(DemoSender::scenarioNames().join(QStringLiteral(", "))),
        QStringLiteral("name")};
    QCommandLineOption flow {
        QStringLiteral("flow"),
        CommandLineText::tr("Start on sign up or sign in: signup (default) or signin."),
        QStringLiteral("signup|signin")};
    QCommandLineOption phone {QStringLiteral("phone"),
                              CommandLineText::tr("Fill in the phone number."),
                              QStringLiteral("number")};
    QCommandLineOption country {
        QStringLiteral("country"),
        CommandLineText::tr("The default country, as an ISO 3166 code such as IN or US."),
        QStringLiteral("XX")};
    QCommandLineOption server {
        QStringLiteral("server"),
        CommandLineText::tr("Send and check the codes through the verification server at this "
                            "URL (waotp-server): no secret on this machine."),
        QStringLiteral("url")};
    QCommandLineOption nonce {
        QStringLiteral("nonce"),
        CommandLineText::tr("With --print-result in server mode: a value of your platform's "
                            "login session (up to 128 characters), copied into the token."),
        QStringLiteral("value")};
    QCommandLineOption config {QStringLiteral("config"),
                               CommandLineText::tr("Read the settings from this file."),
                               QStringLiteral("file")};
    QCommandLineOption dataDir {
        QStringLiteral("data-dir"),
        CommandLineText::tr("Keep the account database and statistics in this directory."),
        QStringLiteral("dir")};
    QCommandLineOption lang {
        QStringLiteral("lang"),
        CommandLineText::tr("The language of the window, e.g. en, hi, es, pt_BR, ar."),
        QStringLiteral("code")};
    QCommandLineOption theme {QStringLiteral("theme"),
                              CommandLineText::tr("Colours: system (default), light or dark."),
                              QStringLiteral("light|dark")};
    QCommandLineOption kiosk {
        QStringLiteral("kiosk"),
        CommandLineText::tr("Kiosk mode: fullscreen, on-screen keypad, resets itself.")};
    QCommandLineOption printResult {
        QStringLiteral("print-result"),
        CommandLineText::tr(
            "For scripts: print one JSON line on success (exit 0); exit 1 if cancelled, 2 on "
            "error.")};
    QCommandLineOption checkConfig {
        QStringLiteral("check-config"),
        CommandLineText::tr("Check the configuration (and the Twilio credentials) and "
                            "exit.")};
    QCommandLineOption stats {
        QStringLiteral("stats"),
        CommandLineText::tr("Print how many codes were sent, delivered, verified, failed, "
                            "expired and rate-limited, and exit.")};
};

/// A refusal of the command line, if any.
using Refusal = std::optional<ParsedCommandLine>;

ParsedCommandLine failure(CommandLineError error, const QString &text)
{
    ParsedCommandLine r;
    r.action = ParsedCommandLine::Action::Fail;
    r.error = error;
    r.text = text;
    return r;
}

ParsedCommandLine answer(ParsedCommandLine::Action action, const QString &text)
{
    ParsedCommandLine r;
    r.action = action;
    r.text = text;
    return r;
}

bool isKnownLanguage(const QString &code)
{
    static const QRegularExpression shape(
        QStringLiteral("^[a-z]{2,3}([_-]([A-Z]{2}|[0-9]{3}|[A-Z][a-z]{3}))?$"));
    return shape.match(code).hasMatch() && QLocale(code).language() != QLocale::C;
}

/// The options Qt adds itself.
struct BuiltInOptions
{
    QCommandLineOption help;
    QCommandLineOption version;
};

BuiltInOptions setUp(QCommandLineParser &parser, const Definitions &d)
{
    parser.setApplicationDescription(CommandLineText::tr(
        "Sign up or sign in by phone number with a one-time code on WhatsApp."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    BuiltInOptions builtIn {parser.addHelpOption(), parser.addVersionOption()};
    parser.addOptions({d.demo, d.acceptAny, d.scenario, d.flow, d.phone, d.country, d.server,
                       d.nonce, d.config, d.dataDir, d.lang, d.theme, d.kiosk, d.printResult,
                       d.checkConfig, d.stats});
    return builtIn;
}

/// --help and --version answer at once; waotp takes no positional argument.
std::optional<ParsedCommandLine> answerAtOnce(const QCommandLineParser &parser,
                                              const BuiltInOptions &builtIn)
{
    if (parser.isSet(builtIn.help)) {
        // Without an application object Qt cannot know the program's name.
        return answer(ParsedCommandLine::Action::ShowHelp,
                      parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                QStringLiteral("waotp")));
    }
    if (parser.isSet(builtIn.version))
        return answer(ParsedCommandLine::Action::ShowVersion,
                      QStringLiteral("waotp %1\n").arg(QStringLiteral(WAOTP_VERSION)));
    if (!parser.positionalArguments().isEmpty())
        return failure(CommandLineError::UnexpectedArgument,
                       CommandLineText::tr("unexpected argument '%1' (waotp takes options only)")
                           .arg(parser.positionalArguments().constFirst()));
    return std::nullopt;
}

/// The switches and the values taken as they are.
Options readPlainOptions(const QCommandLineParser &parser, const Definitions &d)
{
    Options o;
    o.demo = parser.isSet(d.demo);
    o.demoAcceptAnyCode = parser.isSet(d.acceptAny);
    o.kiosk = parser.isSet(d.kiosk);
    o.printResult = parser.isSet(d.printResult);
    o.checkConfig = parser.isSet(d.checkConfig);
    o.stats = parser.isSet(d.stats);
    o.phone = parser.value(d.phone).trimmed();
    o.serverUrl = parser.value(d.server).trimmed();
    o.configFile = parser.value(d.config);
    o.dataDir = parser.value(d.dataDir);
    return o;
}

// The values chosen from a set, each checked.

Refusal readScenario(const QCommandLineParser &parser, const Definitions &d, Options &o)
{
    if (!parser.isSet(d.scenario))
        return std::nullopt;
    const QString name = parser.value(d.scenario);
    o.demoScenario = DemoSender::scenarioFromName(name);
    if (!o.demoScenario)
        return failure(CommandLineError::BadScenario,
                       CommandLineText::tr("unknown demo scenario '%1'; choose one of: %2")
                           .arg(name, DemoSender::scenarioNames().join(QStringLiteral(", "))));
    return std::nullopt;
}

Refusal readFlow(const QCommandLineParser &parser, const Definitions &d, Options &o)
{
    if (!parser.isSet(d.flow))
        return std::nullopt;
    const QString flow = parser.value(d.flow);
    if (flow == u"signup")
        o.flow = Purpose::SignUp;
    else if (flow == u"signin")
        o.flow = Purpose::SignIn;
    else
        return failure(CommandLineError::BadFlow,
                       CommandLineText::tr("--flow takes signup or signin, not '%1'").arg(flow));
    return std::nullopt;
}

Refusal readCountry(const QCommandLineParser &parser, const Definitions &d, Options &o)
{
    if (!parser.isSet(d.country))
        return std::nullopt;
    o.country = parser.value(d.country).toUpper();
    if (o.country.size() != 2 || PhoneNumber::callingCodeForRegion(o.country) == 0)
        return failure(CommandLineError::BadCountry,
                       CommandLineText::tr(
                           "--country takes a two-letter country code such as IN or US, not '%1'")
                           .arg(parser.value(d.country)));
    return std::nullopt;
}

Refusal readLanguage(const QCommandLineParser &parser, const Definitions &d, Options &o)
{
    if (!parser.isSet(d.lang))
        return std::nullopt;
    o.lang = parser.value(d.lang);
    if (!isKnownLanguage(o.lang))
        return failure(
            CommandLineError::BadLanguage,
            CommandLineText::tr("--lang takes a language code such as en, hi or pt_BR, not '%1'")
                .arg(o.lang));
    return std::nullopt;
}

Refusal readNonce(const QCommandLineParser &parser, const Definitions &d, Options &o)
{
    if (!parser.isSet(d.nonce))
        return std::nullopt;
    o.nonce = parser.value(d.nonce);
    const auto isControl = [](char32_t c) { return c < 0x20 || (c >= 0x7f && c < 0xa0); };
    const QList<uint> characters = o.nonce.toUcs4();
    if (characters.isEmpty() || characters.size() > MaxNonceLength
        || std::any_of(characters.cbegin(), characters.cend(), isControl))
        return failure(CommandLineError::BadNonce,
                       CommandLineText::tr("--nonce takes 1 to %1 characters, none of them a "
                                           "control character")
                           .arg(MaxNonceLength));
    return std::nullopt;
}

Refusal readTheme(const QCommandLineParser &parser, const Definitions &d, Options &o)
{
    if (!parser.isSet(d.theme))
        return std::nullopt;
    const auto theme = themeFromName(parser.value(d.theme));
    if (!theme)
        return failure(CommandLineError::BadTheme,
                       CommandLineText::tr("--theme takes light, dark or system, not '%1'")
                           .arg(parser.value(d.theme)));
    o.theme = *theme;
    return std::nullopt;
}

/// The options that cannot go together.
Refusal checkConflicts(const Options &o)
{
    if (o.kiosk && o.printResult)
        return failure(
            CommandLineError::Conflict,
            CommandLineText::tr("--kiosk never ends, so it cannot go with --print-result"));
    if (o.demo && !o.serverUrl.isEmpty())
        return failure(CommandLineError::Conflict,
                       CommandLineText::tr("--demo runs without a server; for a demonstration "
                                           "of server mode, give --server the URL of "
                                           "waotp-server --demo"));
    if (!o.nonce.isEmpty() && !o.printResult)
        return failure(CommandLineError::Conflict,
                       CommandLineText::tr("--nonce goes into the token that --print-result "
                                           "prints; add --print-result"));
    if (!o.nonce.isEmpty() && o.demo)
        return failure(CommandLineError::Conflict,
                       CommandLineText::tr("--nonce goes into a verification server's token, "
                                           "and --demo runs without a server"));
    if (o.checkConfig && o.stats)
        return failure(
            CommandLineError::Conflict,
            CommandLineText::tr("--check-config and --stats are separate commands; give one"));
    return std::nullopt;
}

} // namespace

QString flowName(Purpose flow)
{
    return flow == Purpose::SignIn ? QStringLiteral("signin") : QStringLiteral("signup");
}

ParsedCommandLine parseCommandLine(const QStringList &arguments)
{
    Definitions d;
    QCommandLineParser parser;
    const BuiltInOptions builtIn = setUp(parser, d);
    if (!parser.parse(arguments))
        return failure(CommandLineError::Syntax, parser.errorText());
    if (std::optional<ParsedCommandLine> early = answerAtOnce(parser, builtIn))
        return *early;

    Options o = readPlainOptions(parser, d);
    for (const auto read :
         {readScenario, readFlow, readCountry, readLanguage, readTheme, readNonce}) {
        if (Refusal refused = read(parser, d, o))
            return *refused;
    }
    if (Refusal refused = checkConflicts(o))
        return *refused;

    ParsedCommandLine r;
    r.action = ParsedCommandLine::Action::Run;
    r.error = CommandLineError::None;
    r.options = o;
    return r;
}

CommandLineError checkMode(const Options &options, bool demoMode, QString *message)
{
    if (demoMode)
        return CommandLineError::None;
    const char *option = options.demoAcceptAnyCode ? "--demo-accept-any-code"
        : options.demoScenario                     ? "--demo-scenario"
                                                   : nullptr;
    if (!option)
        return CommandLineError::None;
    if (message)
        *message = CommandLineText::tr(
                       "%1 works only in demo mode, and Twilio credentials are configured; add "
                       "--demo to run without sending anything")
                       .arg(QLatin1StringView(option));
    return CommandLineError::NeedsDemoMode;
}

CommandLineError checkPhone(const Options &options, const QString &defaultRegion,
                            std::optional<PhoneNumber> *number, QString *message)
{
    if (options.phone.isEmpty())
        return CommandLineError::None;
    const QString region = options.country.isEmpty() ? defaultRegion : options.country;
    const PhoneParseResult parsed = PhoneNumber::parse(options.phone, region);
    if (!parsed.ok()) {
        if (message)
            *message = CommandLineText::tr("--phone is not a number that can receive WhatsApp: %1")
                           .arg(describe(parsed.error));
        return CommandLineError::BadPhone;
    }
    if (number)
        *number = parsed.number;
    return CommandLineError::None;
}

} // namespace waotp
