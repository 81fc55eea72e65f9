// waotp: sign up or sign in by phone number with a one-time code on WhatsApp.
#include "Application.h"
#include "CommandLine.h"
#include "Commands.h"

#include <QApplication>

#include <fontconfig/fontconfig.h>

#include <cstdio>
#include <thread>

using namespace waotp;

namespace {
int report(const ParsedCommandLine &parsed)
{
    const QByteArray text = parsed.text.toLocal8Bit();
    if (parsed.action == ParsedCommandLine::Action::Fail)
        std::fprintf(stderr, "waotp: %s\nTry 'waotp --help'.\n", text.constData());
    else
        std::fputs(text.constData(), stdout);
    return parsed.exitCode();
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("waotp"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WAOTP_VERSION));

    // Parsed before any application object exists, so --help, --version, --stats,
    // --check-config and mistakes work without a display.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    ParsedCommandLine parsed = parseCommandLine(arguments);
    const bool maybeQtOption = parsed.error == CommandLineError::Syntax;
    if (parsed.action != ParsedCommandLine::Action::Run && !maybeQtOption)
        return report(parsed);
    if (parsed.action == ParsedCommandLine::Action::Run && parsed.options.isCommand()) {
        QCoreApplication app(argc, argv);
        return runCommand(parsed.options);
    }

    // fontconfig's configuration and font list, which the first text layout needs, load on
    // another thread while this one connects to the display, when there is a third core for it
    // (on two it only competed with the rest: measured slower). FcInit() is thread-safe but
    // does not make a second caller wait: one that comes while the configuration is still
    // loading loads all of it again itself. So the window waits for this thread before its
    // first text (runApplication's beforeWindow), and Qt finds it made.
    std::jthread fontConfig;
    if (std::thread::hardware_concurrency() >= 3)
        fontConfig = std::jthread([] { FcInit(); });

    QApplication app(argc, argv);
    // Lets the desktop match the window to io.waotp.Waotp.desktop (its icon and name).
    QGuiApplication::setDesktopFileName(QStringLiteral("io.waotp.Waotp"));
    // QApplication took its own options (-platform, -reverse, ...) out of the list.
    parsed = parseCommandLine(QCoreApplication::arguments());
    if (parsed.action != ParsedCommandLine::Action::Run)
        return report(parsed);
    if (parsed.options.isCommand())
        return runCommand(parsed.options);
    return runApplication(app, parsed.options, [&fontConfig] {
        if (fontConfig.joinable())
            fontConfig.join();
    });
}
