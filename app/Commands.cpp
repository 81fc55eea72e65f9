#include "Commands.h"

#include "AppContext.h"
#include "CommandLine.h"
#include "NetworkModule.h"
#include "engine/Config.h"
#include "engine/ConfigReport.h"
#include "engine/CoreDumps.h"
#include "engine/LogRedaction.h"
#include "engine/Stats.h"

#include <QCoreApplication>
#include <QEventLoop>

#include <cstdio>

namespace waotp {

namespace {
void print(std::FILE *stream, const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fflush(stream);
}
} // namespace

int runCommand(const Options &options)
{
    return options.stats ? runStatsCommand(options) : runCheckConfigCommand(options);
}

int runStatsCommand(const Options &options)
{
    const StatsFile file(statsPath(dataDirectory(options), options.demo));
    QString error;
    const auto counts = file.read(&error);
    if (!counts) {
        print(stderr, QStringLiteral("waotp: %1\n").arg(error));
        return ExitError;
    }
    if (options.demo)
        print(stdout, QStringLiteral("Demo mode\n"));
    print(stdout, formatStats(*counts));
    return ExitOk;
}

int runCheckConfigCommand(const Options &options)
{
    const ConfigResult result = loadConfig(configSource(options));
    installRedactingMessageHandler(result.config.secrets());
    disableCoreDumpsIfSecret(result.config);
    print(stdout, describeConfig(result));
    if (!result.ok())
        return ExitError;
    if (isDemoRun(options, result.config))
        return ExitOk;

    QString error;
    const std::unique_ptr<NetworkBackend> network = loadNetworkBackend(&error);
    if (!network) {
        print(stderr, QStringLiteral("waotp: %1\n").arg(error));
        return ExitError;
    }
    bool ok = false;
    QEventLoop loop;
    const auto done = [&](const QString &who) {
        return [&, who](bool passed, const QString &words) {
            ok = passed;
            print(stdout, QStringLiteral("%1: %2\n").arg(who, words));
            loop.quit();
        };
    };
    if (result.config.mode() == AppConfig::Mode::Server) // is it ready, does it publish keys
        network->checkServer(result.config.serverUrl, &loop, done(QStringLiteral("Server")));
    else
        network->checkOnline(result.config, &loop, done(QStringLiteral("Twilio")));
    loop.exec();
    return ok ? ExitOk : ExitError;
}

} // namespace waotp
