#pragma once

#include "Theme.h"
#include "engine/CodeSender.h"
#include "engine/DemoSender.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace waotp {

/// The process exit codes. Scripts rely on them (`--print-result`, like pinentry).
enum ExitCode : int {
    ExitOk = 0, ///< verified (or a command such as --stats succeeded)
    ExitCancelled = 1, ///< the person closed the dialog, whatever error it showed before
    /// The app ended the run itself: a bad command line or configuration, an unusable database
    /// or code store, a missing network module; reason on stderr.
    ExitError = 2,
};

/// What the command line asks for, typed and validated.
struct Options
{
    bool demo = false; ///< --demo: demo mode even with credentials
    bool demoAcceptAnyCode = false; ///< --demo-accept-any-code (demo mode only)
    /// --demo-scenario NAME (demo mode only); unset: delivered.
    std::optional<DemoSender::Scenario> demoScenario;
    Purpose flow = Purpose::SignUp; ///< --flow signup|signin
    QString phone; ///< --phone NUMBER, as typed (checked by checkPhone() once the region is known)
    QString country; ///< --country XX, upper case, a region libphonenumber knows
    QString serverUrl; ///< --server URL: a verification server (WAOTP_SERVER_URL)
    /// --nonce VALUE: copied into the server's token, binding it to the platform's login session
    QString nonce;
    QString configFile; ///< --config FILE
    QString dataDir; ///< --data-dir DIR
    QString lang; ///< --lang CODE, e.g. "hi" or "pt_BR"; empty: the system locale
    Theme theme = Theme::System; ///< --theme light|dark
    bool kiosk = false; ///< --kiosk
    bool printResult = false; ///< --print-result
    bool checkConfig = false; ///< --check-config: report the configuration and exit
    bool stats = false; ///< --stats: print the statistics and exit

    /// True for the options that run a command and exit instead of opening the dialog.
    bool isCommand() const { return checkConfig || stats; }
};

/// Why a command line was refused.
enum class CommandLineError {
    None,
    Syntax, ///< unknown option or missing value (QCommandLineParser's words)
    UnexpectedArgument, ///< waotp takes no positional arguments
    BadFlow,
    BadTheme,
    BadCountry,
    BadLanguage,
    BadScenario, ///< the message lists the valid names
    BadPhone, ///< --phone does not parse (checkPhone())
    BadNonce, ///< --nonce empty, longer than 128 characters or with control characters
    NeedsDemoMode, ///< --demo-accept-any-code or --demo-scenario outside demo mode (checkMode())
    Conflict, ///< two options that cannot go together
};

/// The outcome of parseCommandLine().
struct ParsedCommandLine
{
    enum class Action { Run, ShowHelp, ShowVersion, Fail };
    Action action = Action::Fail;
    Options options;
    CommandLineError error = CommandLineError::None;
    /// The help or version text (for stdout), or the error (for stderr, without "waotp: ").
    QString text;

    int exitCode() const { return action == Action::Fail ? ExitError : ExitOk; }
};

/// Parses @p arguments (argv, program name first). Pure: reads no file, no environment.
ParsedCommandLine parseCommandLine(const QStringList &arguments);

/// The checks that need the configuration: --demo-accept-any-code and --demo-scenario are
/// refused unless the app runs in demo mode (@p demoMode: --demo, or no Twilio credentials).
/// Returns CommandLineError::None or sets @p message.
CommandLineError checkMode(const Options &options, bool demoMode, QString *message);

/// Checks --phone against the default region (--country, else the configuration's). On success
/// @p number holds the parsed number (left alone when --phone was not given).
CommandLineError checkPhone(const Options &options, const QString &defaultRegion,
                            std::optional<PhoneNumber> *number, QString *message);

/// "signup" / "signin", the names --flow takes and --print-result prints.
QString flowName(Purpose flow);

} // namespace waotp
