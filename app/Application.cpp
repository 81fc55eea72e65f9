#include "Application.h"

#include "AppContext.h"
#include "CommandLine.h"
#include "DemoAutomation.h"
#include "KioskController.h"
#include "ScriptResult.h"
#include "Theme.h"
#include "Translations.h"
#include "VerificationDialog.h"
#include "engine/AccountStore.h"
#include "engine/Config.h"
#include "engine/CoreDumps.h"
#include "engine/LogRedaction.h"
#include "engine/PhoneNumber.h"
#include "engine/RemoteVerificationBackend.h"

#include <QApplication>
#include <QEventLoop>
#include <QLocale>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>
#include <thread>
#include <utility>

Q_LOGGING_CATEGORY(lcRun, "waotp.app", QtInfoMsg)

namespace waotp {

namespace {

int fail(const QString &message)
{
    std::fputs(QStringLiteral("waotp: %1\n").arg(message).toLocal8Bit().constData(), stderr);
    return ExitError;
}

// The configuration's warnings are logged; its errors end the run.
std::optional<QString> configProblem(const ConfigResult &config)
{
    for (const QString &warning : config.warnings)
        qCWarning(lcRun).noquote() << "configuration:" << warning;
    if (config.ok())
        return std::nullopt;
    return QStringLiteral("the configuration has errors (see waotp --check-config):\n  ")
        + config.errors.join(QStringLiteral("\n  "));
}

// A script must never take a demonstration for a verification. Run from a script (under sudo
// or systemd, HOME and the configuration may not be what its author thought), a configuration
// without credentials is an error, not demo mode: demo mode only with --demo.
std::optional<QString> scriptModeProblem(const Options &options, const ConfigResult &config)
{
    if (!options.printResult || options.demo || config.config.mode() != AppConfig::Mode::Demo)
        return std::nullopt;
    QString file = QStringLiteral("none");
    if (!config.filePath.isEmpty())
        file =
            QString::fromLatin1(config.fileRead ? "'%1'" : "'%1', not found").arg(config.filePath);
    return QStringLiteral(
               "--print-result needs Twilio settings, and none were found (configuration file: "
               "%1). Set TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID and "
               "TWILIO_API_KEY_SECRET), and TWILIO_WHATSAPP_FROM, TWILIO_MESSAGING_SERVICE_SID or "
               "TWILIO_VERIFY_SERVICE_SID, in the environment or the file (--config FILE); or use "
               "a verification server (--server URL); or add --demo to demonstrate without "
               "sending anything (the result then says \"mode\":\"demo\")")
        .arg(file);
}

// The checks of the command line and the environment that need the configuration: the mode of
// a script, the demo options, --phone (parsed into @p phone) and the QA automation (read into
// @p automation).
std::optional<QString> runProblem(const Options &options, const ConfigResult &loaded,
                                  std::optional<PhoneNumber> *phone,
                                  DemoAutomation::Mode *automation)
{
    if (!options.nonce.isEmpty() && loaded.config.mode() != AppConfig::Mode::Server)
        return QStringLiteral("--nonce goes into the token of a verification server; it needs "
                              "--server or server_url (WAOTP_SERVER_URL)");
    if (auto problem = scriptModeProblem(options, loaded))
        return problem;
    const AppConfig &config = loaded.config;
    QString problem;
    if (checkMode(options, isDemoRun(options, config), &problem) != CommandLineError::None)
        return problem;
    if (checkPhone(options, config.defaultRegion, phone, &problem) != CommandLineError::None)
        return problem;
    // The automation verifies without a person: like a script, only in demo mode asked for.
    *automation = DemoAutomation::modeFromEnvironment(QProcessEnvironment::systemEnvironment());
    // In server mode only the server can say whether it is a demo one (serverAllowsAutomation()).
    const bool server = !options.demo && config.mode() == AppConfig::Mode::Server;
    if (*automation != DemoAutomation::Mode::None && !options.demo && !server)
        return QStringLiteral("WAOTP_DEMO_AUTOFILL and WAOTP_DEMO_AUTOCANCEL work only in "
                              "demo mode, with --demo");
    return std::nullopt;
}

// For scripts (--print-result with --phone) the account rule is checked before anything is
// shown or sent: signing in needs an account, signing up must not have one.
std::optional<QString> accountProblem(AppContext &context, const Options &options,
                                      const std::optional<PhoneNumber> &phone)
{
    if (!options.printResult || !phone || context.isServerMode())
        return std::nullopt; // a verification server applies the account rules itself
    QString error;
    if (!context.openAccounts(&error))
        return error;
    const std::optional<bool> registered = context.accounts().isRegistered(*phone);
    if (!registered)
        return QStringLiteral("the account database cannot be read");
    if (options.flow == Purpose::SignIn && !*registered)
        return QStringLiteral("no account uses this number; sign up first (--flow signup)");
    if (options.flow == Purpose::SignUp && *registered)
        return QStringLiteral("this number already has an account; sign in (--flow signin)");
    return std::nullopt;
}

// The QA automation types codes a server reveals: only a demo server does, and it says so in
// every answer. The server is asked before anything is sent; a live one (or none) refuses it.
std::optional<QString> serverAllowsAutomation(RemoteVerificationBackend &server)
{
    std::optional<QString> problem = QStringLiteral("no answer");
    QEventLoop loop;
    QObject::connect(&server, &RemoteVerificationBackend::serviceKnown, &loop, [&](bool demo) {
        problem = demo ? std::nullopt : std::optional(QStringLiteral("it is a live server"));
        loop.quit();
    });
    QObject::connect(&server, &RemoteVerificationBackend::serviceUnreachable, &loop,
                     [&](const QString &why) {
                         problem = why;
                         loop.quit();
                     });
    server.probe();
    loop.exec();
    if (!problem)
        return std::nullopt;
    return QStringLiteral("WAOTP_DEMO_AUTOFILL and WAOTP_DEMO_AUTOCANCEL work only in demo mode "
                          "or against a demo server (waotp-server --demo); the server at %1: %2")
        .arg(server.serverUrl().toDisplayString(), *problem);
}

// Unless a script checked it first (accountProblem()), the account database opens when first
// used (a code is requested or verified): the window does not wait for the SQLite driver, and a
// run that sends nothing does not load it. A database that cannot be used ends the run as
// before, with status 2 and the reason; @p failed says so after the event loop.
void endOnAccountsFailure(AppContext &context, bool &failed)
{
    QObject::connect(&context, &AppContext::accountsFailed, &context,
                     [&failed](const QString &why) {
                         failed = true;
                         fail(why);
                         QCoreApplication::exit(ExitError);
                     });
}

// What the dialog verified. It counts even if the window is closed during the success page.
struct Verified
{
    PhoneNumber number;
    Purpose flow = Purpose::SignUp;
    bool accountCreated = false;
};

void recordVerified(VerificationDialog &dialog, Verified &verified)
{
    QObject::connect(&dialog, &VerificationDialog::verified, &dialog,
                     [&verified](const PhoneNumber &number, Purpose flow, bool created) {
                         verified.number = number;
                         verified.flow = flow;
                         verified.accountCreated = created;
                     });
}

// A kiosk shows the dialog for good and starts over after each person. Otherwise the dialog is
// a window, and closing it ends the run: verified or cancelled.
std::unique_ptr<KioskController> openDialog(QApplication &app, VerificationDialog &dialog,
                                            const AppContext &context, const Verified &verified)
{
    if (context.options().kiosk) {
        KioskController::Timings timings;
        timings.idleTimeout = context.config().kioskIdleTimeout;
        auto kiosk = std::make_unique<KioskController>(dialog, context.clock(), timings);
        kiosk->start();
        return kiosk;
    }
    QObject::connect(&dialog, &QDialog::finished, &app, [&verified](int) {
        QCoreApplication::exit(verified.number.isNull() ? ExitCancelled : ExitOk);
    });
    dialog.show();
    return nullptr;
}

// --print-result: the outcome on stdout (and what went wrong on stderr), and its exit code.
int printScriptResult(const ScriptResult &script, const Verified &verified)
{
    const ScriptResult::Outcome outcome =
        script.finish(verified.number, verified.flow, verified.accountCreated);
    std::fputs(outcome.stdoutText.constData(), stdout);
    std::fflush(stdout);
    std::fputs(outcome.stderrText.toLocal8Bit().constData(), stderr);
    return outcome.exitCode;
}

// Calls a function once, from the event loop, after @p widget's first paint.
class FirstPaintWatcher final : public QObject
{
public:
    FirstPaintWatcher(QWidget &widget, std::function<void()> then)
        : m_widget(widget), m_then(std::move(then))
    {
        m_widget.installEventFilter(this);
    }
    ~FirstPaintWatcher() override { m_widget.removeEventFilter(this); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == &m_widget && event->type() == QEvent::Paint && m_then) {
            m_widget.removeEventFilter(this);
            QTimer::singleShot(0, this, std::exchange(m_then, {}));
        }
        return false;
    }

private:
    QWidget &m_widget;
    std::function<void()> m_then;
};

} // namespace

int runApplication(QApplication &app, const Options &options,
                   const std::function<void()> &beforeWindow)
{
    const ConfigResult config = loadConfig(configSource(options));
    // Only a demo logs its code ("[demo] code for ..."); in live mode no message shows one, not
    // even a text of Twilio's that quotes the message it refused.
    installRedactingMessageHandler(config.config.secrets(),
                                   isDemoRun(options, config.config) ? CodesInLog::Shown
                                                                     : CodesInLog::Masked);
    disableCoreDumpsIfSecret(config.config);
    if (const auto problem = configProblem(config))
        return fail(*problem);
    std::optional<PhoneNumber> phone;
    DemoAutomation::Mode automation = DemoAutomation::Mode::None;
    if (const auto problem = runProblem(options, config, &phone, &automation))
        return fail(*problem);

    installTranslators(app, options.lang);
    applyTheme(app, options.theme);

    QString error;
    const auto context = AppContext::create(options, config.config, &error);
    if (!context)
        return fail(error);
    const RunMode mode = context->isServerMode() ? RunMode::Server
        : context->isDemo()                      ? RunMode::Demo
                                                 : RunMode::Live;
    ScriptResult script(context->backend(), mode, context->clock());
    if (const auto problem = accountProblem(*context, options, phone))
        return fail(*problem);
    RemoteVerificationBackend *server = context->remote();
    if (server && automation != DemoAutomation::Mode::None) {
        if (const auto problem = serverAllowsAutomation(*server))
            return fail(*problem);
    } else if (server) {
        server->probe(); // a demo server shows its badge before the first code
    }
    bool accountsFailed = false;
    endOnAccountsFailure(*context, accountsFailed);

    if (beforeWindow)
        beforeWindow();
    VerificationDialog dialog(context->backend(), context->clock(),
                              context->dialogOptions(QLocale().bcp47Name()));
    context->attach(dialog);
    Verified verified {{}, options.flow};
    recordVerified(dialog, verified);
    DemoAutomation automator(automation, dialog, context->backend());
    QObject::connect(context.get(), &AppContext::codeShown, &automator,
                     &DemoAutomation::onCodeShown);
    const std::unique_ptr<KioskController> kiosk = openDialog(app, dialog, *context, verified);

    // libphonenumber's metadata (tens of milliseconds) loads on another thread once the window
    // has painted its first frame: the frame neither waits for it nor shares a core with it,
    // and the first keystroke finds it loaded. (The library makes its instance once,
    // thread-safely: a caller that comes first waits for it.)
    std::jthread phoneMetadata;
    FirstPaintWatcher firstPaint(dialog, [&phoneMetadata] {
        phoneMetadata = std::jthread([] { PhoneNumber::loadMetadata(); });
    });

    // A script that names the number wants the code sent at once, like a person pressing Send.
    const bool sendNow = options.printResult && phone.has_value();
    if (sendNow)
        QTimer::singleShot(0, &dialog, &VerificationDialog::sendCode);
    automator.start(!sendNow);

    const int code = app.exec();
    if (server) // a code left pending when the window closed is void on the server too
        server->finishCancellations(std::chrono::seconds(3));
    if (accountsFailed)
        return ExitError;
    // Nothing used it: the database is still checked (and created) by every run.
    if (!context->openAccounts(&error))
        return fail(error);
    return options.printResult ? printScriptResult(script, verified) : code;
}

} // namespace waotp
