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
#include "engine/LogRedaction.h"
#include "engine/PhoneNumber.h"

#include <QApplication>
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

// For scripts the account rule is checked before anything is shown or sent: signing in needs
// an account, signing up must not have one.
std::optional<QString> accountProblem(AccountStore &accounts, const PhoneNumber &number,
                                      Purpose flow)
{
    const std::optional<bool> registered = accounts.isRegistered(number);
    if (!registered)
        return QStringLiteral("the account database cannot be read");
    if (flow == Purpose::SignIn && !*registered)
        return QStringLiteral("no account uses this number; sign up first (--flow signup)");
    if (flow == Purpose::SignUp && *registered)
        return QStringLiteral("this number already has an account; sign in (--flow signin)");
    return std::nullopt;
}

} // namespace

namespace {
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
    installRedactingMessageHandler(config.config.secrets());
    for (const QString &warning : config.warnings)
        qCWarning(lcRun).noquote() << "configuration:" << warning;
    if (!config.ok())
        return fail(QStringLiteral("the configuration has errors (see waotp --check-config):\n  ")
                    + config.errors.join(QStringLiteral("\n  ")));

    const bool demo = isDemoRun(options, config.config);
    QString problem;
    if (checkMode(options, demo, &problem) != CommandLineError::None)
        return fail(problem);
    std::optional<PhoneNumber> phone;
    if (checkPhone(options, config.config.defaultRegion, &phone, &problem)
        != CommandLineError::None)
        return fail(problem);

    const DemoAutomation::Mode automation =
        DemoAutomation::modeFromEnvironment(QProcessEnvironment::systemEnvironment());
    if (automation != DemoAutomation::Mode::None && !demo)
        return fail(QStringLiteral("WAOTP_DEMO_AUTOFILL and WAOTP_DEMO_AUTOCANCEL work only in "
                                   "demo mode"));

    installTranslators(app, options.lang);
    applyTheme(app, options.theme);

    QString error;
    const auto context = AppContext::create(options, config.config, &error);
    if (!context)
        return fail(error);

    ScriptResult script(context->engine());
    if (options.printResult && phone) {
        if (!context->openAccounts(&error))
            return fail(error);
        if (const auto why = accountProblem(context->accounts(), *phone, options.flow))
            return fail(*why);
    }
    // Otherwise the account database opens when first used (a code is requested or verified):
    // the window does not wait for the SQLite driver, and a run that sends nothing does not
    // load it. A database that cannot be used ends the run as before, with status 2 and the
    // reason.
    bool accountsFailed = false;
    QObject::connect(context.get(), &AppContext::accountsFailed, context.get(),
                     [&accountsFailed](const QString &why) {
                         accountsFailed = true;
                         fail(why);
                         QCoreApplication::exit(ExitError);
                     });

    if (beforeWindow)
        beforeWindow();
    VerificationDialog dialog(context->engine(), context->accounts(), context->clock(),
                              context->dialogOptions(QLocale().bcp47Name()));
    context->attach(dialog);
    // Verified counts even if the window is closed during the success page.
    PhoneNumber verifiedNumber;
    Purpose verifiedFlow = options.flow;
    bool accountCreated = false;
    QObject::connect(&dialog, &VerificationDialog::verified, &dialog,
                     [&](const PhoneNumber &number, Purpose flow, bool created) {
                         verifiedNumber = number;
                         verifiedFlow = flow;
                         accountCreated = created;
                     });

    DemoAutomation automator(automation, dialog, context->engine());
    QObject::connect(context.get(), &AppContext::codeShown, &automator,
                     &DemoAutomation::onCodeShown);

    std::unique_ptr<KioskController> kiosk;
    if (options.kiosk) {
        KioskController::Timings timings;
        timings.idleTimeout = context->config().kioskIdleTimeout;
        kiosk = std::make_unique<KioskController>(dialog, context->clock(), timings);
        kiosk->start();
    } else {
        QObject::connect(&dialog, &QDialog::finished, &app, [&verifiedNumber](int) {
            QCoreApplication::exit(verifiedNumber.isNull() ? ExitCancelled : ExitOk);
        });
        dialog.show();
    }

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
    if (accountsFailed)
        return ExitError;
    // Nothing used it: the database is still checked (and created) by every run.
    if (!context->openAccounts(&error))
        return fail(error);
    if (!options.printResult)
        return code;
    const ScriptResult::Outcome outcome =
        script.finish(verifiedNumber, verifiedFlow, accountCreated);
    std::fputs(outcome.stdoutText.constData(), stdout);
    std::fflush(stdout);
    std::fputs(outcome.stderrText.toLocal8Bit().constData(), stderr);
    return outcome.exitCode;
}

} // namespace waotp
