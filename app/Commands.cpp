#include "Commands.h"

#include "AppContext.h"
#include "CommandLine.h"
#include "Config.h"
#include "LogRedaction.h"
#include "Stats.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QNetworkAccessManager>

#include <cstdio>

namespace waotp {

namespace {
void print(std::FILE *stream, const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fflush(stream);
}
} // namespace

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
    print(stdout, describeConfig(result));
    if (!result.ok())
        return ExitError;
    if (options.demo || result.config.mode() == AppConfig::Mode::Demo)
        return ExitOk;

    QNetworkAccessManager nam;
    OnlineCheck check(result.config, &nam);
    bool ok = false;
    QEventLoop loop;
    QObject::connect(&check, &OnlineCheck::finished, &loop, [&](bool passed, const QString &words) {
        ok = passed;
        print(stdout, QStringLiteral("Twilio: %1\n").arg(words));
        loop.quit();
    });
    check.start();
    loop.exec();
    return ok ? ExitOk : ExitError;
}

} // namespace waotp
