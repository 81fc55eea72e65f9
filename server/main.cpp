// waotp-server: phone number verification over HTTP, codes by WhatsApp, answers as tokens.
#include "server/Server.h"
#include "server/ServerCommandLine.h"
#include "server/ServerCommands.h"
#include "server/ServerSettings.h"

#include "engine/Config.h"
#include "engine/ConfigReport.h"
#include "engine/CoreDumps.h"
#include "engine/LogRedaction.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <functional>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

using namespace waotp;
using namespace waotp::server;

namespace {

int fail(const QString &text, int code = ServerExitCannotStart)
{
    std::fprintf(stderr, "waotp-server: %s\n", text.toLocal8Bit().constData());
    return code;
}

// SIGINT and SIGTERM end the event loop, so that everything is closed in order. The handler
// only writes a byte to a socket pair; the loop reads it.
int signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(signalFds[0], &byte, 1);
}

// The first SIGINT or SIGTERM calls @p stop (which quits the application once the server has
// stopped gracefully); a second one quits at once.
bool quitOnSignals(QCoreApplication &app, std::function<void()> stop)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalFds) != 0)
        return false;
    auto *notifier = new QSocketNotifier(signalFds[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app, stop] {
        char byte;
        [[maybe_unused]] const ssize_t n = ::read(signalFds[1], &byte, 1);
        static bool stopping = false;
        if (std::exchange(stopping, true) || !stop)
            app.quit();
        else
            stop();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0
        && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

const char *MissingTwilio =
    "no Twilio settings and no --demo: nothing could send codes. Set TWILIO_ACCOUNT_SID with "
    "TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET) and "
    "TWILIO_WHATSAPP_FROM, TWILIO_MESSAGING_SERVICE_SID or TWILIO_VERIFY_SERVICE_SID "
    "(environment or --config FILE), or run with --demo";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("waotp-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WAOTP_VERSION));

    const ParsedServerCommandLine parsed = parseServerCommandLine(QCoreApplication::arguments());
    if (parsed.action == ParsedServerCommandLine::Action::Fail) {
        std::fprintf(stderr, "waotp-server: %s\nTry 'waotp-server --help'.\n",
                     parsed.text.toLocal8Bit().constData());
        return parsed.exitCode();
    }
    if (parsed.action != ParsedServerCommandLine::Action::Run) {
        std::fputs(parsed.text.toLocal8Bit().constData(), stdout);
        return parsed.exitCode();
    }
    const ServerOptions &options = parsed.options;

    ConfigSource source;
    source.filePath = options.configFile;
    ConfigResult config = loadConfig(source);
    disableCoreDumpsIfSecret(config.config);
    config.warnings = withoutServerKeyWarnings(config.warnings, config.filePath);
    ServerSettingsSource serverSource;
    serverSource.overrides = options.overrides;
    serverSource.filePath = config.filePath;
    serverSource.fileUsable = config.fileRead;
    const ServerSettingsResult settings = loadServerSettings(serverSource);
    const bool demo = options.demo;

    if (options.checkConfig) {
        // The report speaks of the server: what it would say at start is an error here too.
        ConfigResult shown = config;
        const bool twilio = config.config.mode() == AppConfig::Mode::Live;
        if (!demo && !twilio && shown.ok())
            shown.errors.append(QString::fromLatin1(MissingTwilio));
        // What the start would refuse before it builds anything, found without changing it.
        ServerSettingsResult checked = settings;
        if (settings.ok())
            checked.errors += Server::startProblems(settings.settings, demo);
        const bool startable = shown.ok() && checked.ok();
        const char *mode = !startable
            ? "none: the configuration has errors, the server will not start"
            : demo ? "demo (--demo): nothing is sent; each code is in its answer (demo_code), and "
                     "every answer and token says \"demo\": true"
                   : nullptr;
        std::fputs(describeConfig(shown, mode ? QString::fromLatin1(mode) : QString())
                       .toLocal8Bit()
                       .constData(),
                   stdout);
        std::fputs(describeServerSettings(checked).toLocal8Bit().constData(), stdout);
        std::fputs(!startable ? "Server mode: none: it will not start (see the errors above)\n"
                       : demo ? "Server mode: demo (--demo)\n"
                              : "Server mode: live\n",
                   stdout);
        return startable ? ServerExitOk : ServerExitCannotStart;
    }
    for (const QString &w : std::as_const(config.warnings))
        std::fprintf(stderr, "waotp-server: warning: %s\n", w.toLocal8Bit().constData());
    if (!config.ok() || !settings.ok()) {
        for (const QString &e : config.errors + settings.errors)
            std::fprintf(stderr, "waotp-server: %s\n", e.toLocal8Bit().constData());
        return ServerExitCannotStart;
    }
    if (options.rotateKey || !options.importAccounts.isEmpty()) {
        QTextStream out(stdout), err(stderr);
        return options.rotateKey
            ? runRotateKey(settings.settings, out, err)
            : runImportAccounts(settings.settings, options.importAccounts, out, err);
    }
    if (!demo && config.config.mode() == AppConfig::Mode::Demo)
        return fail(QString::fromLatin1(MissingTwilio));

    // The access log has a line for each request; the engine's line for each code sent and the
    // demo sender's would double it, at a few microseconds each through Qt's message handler.
    // QT_LOGGING_RULES, read after these rules, can turn them back on.
    QLoggingCategory::setFilterRules(
        QStringLiteral("waotp.engine.sends.info=false\nwaotp.demo.info=false"));
    installRedactingMessageHandler(config.config.secrets());
    std::unique_ptr<Server> server;
    const auto stop = [&app, &server] {
        if (server)
            server->stop([&app] { app.quit(); });
        else
            app.quit();
    };
    if (!quitOnSignals(app, stop))
        return fail(QStringLiteral("cannot handle SIGINT and SIGTERM"), ServerExitRuntime);
    SteadyClock clock;
    ServerSetup setup;
    setup.settings = settings.settings;
    setup.config = config.config;
    setup.demo = demo;
    QString error;
    server = Server::create(setup, clock, &error);
    if (!server || !server->start(&error))
        return fail(error);
    const int status = app.exec();
    server.reset();
    return status;
}
