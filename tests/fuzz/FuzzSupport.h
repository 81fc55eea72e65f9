#pragma once

// Shared by the fuzz targets: each target is built twice, as a libFuzzer executable (clang,
// WAOTP_BUILD_FUZZERS) and as a corpus replay test (any compiler, FuzzReplayMain.cpp).

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace waotp::fuzz {

/// A QCoreApplication for the targets that need an event loop (made once, never destroyed
/// before exit: libFuzzer has no teardown hook).
inline void ensureApplication()
{
    if (QCoreApplication::instance())
        return;
    static int argc = 1;
    static char name[] = "waotp-fuzz";
    static char *argv[] = {name, nullptr};
    static QCoreApplication *app = new QCoreApplication(argc, argv);
    Q_UNUSED(app);
}

/// True when WAOTP_FUZZ_VERBOSE is set: the targets then print their log (to study an input).
inline bool verbose()
{
    static const bool on = qEnvironmentVariableIsSet("WAOTP_FUZZ_VERBOSE");
    return on;
}

/// Prints @p message when verbose().
inline void echo(const QString &message)
{
    if (verbose())
        std::fprintf(stderr, "%s\n", qPrintable(message));
}

/// Handles a log line: printed if verbose(), or if fatal (a failed Q_ASSERT, a qFatal), since
/// that is why the input is about to crash.
inline void logLine(QtMsgType type, const QString &message)
{
    if (type == QtFatalMsg && !verbose())
        std::fprintf(stderr, "%s\n", qPrintable(message));
    echo(message);
}

/// Silences Qt's logging (the targets log on every input, and a terminal is slow), unless
/// verbose() or fatal.
inline void quietLogging()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        logLine(type, message);
    });
}

/// Reports a broken invariant and aborts, so that libFuzzer (and the replay test) flag it.
[[noreturn]] inline void fail(const char *what)
{
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

/// Reads the input as text two ways, so that both valid UTF-8 and arbitrary UTF-16 (lone
/// surrogates included) reach the code under test.
inline QString decodeText(const std::uint8_t *data, std::size_t size, bool utf16)
{
    if (utf16)
        return QString(reinterpret_cast<const QChar *>(data), qsizetype(size / 2));
    return QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace waotp::fuzz
