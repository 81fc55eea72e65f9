#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace waotp::server {

/// The exit codes of waotp-server.
enum ServerExitCode : int {
    ServerExitOk = 0,
    ServerExitRuntime = 1, ///< it ran and then failed
    ServerExitCannotStart = 2, ///< a bad command line or configuration; the reason on stderr
};

/// What the command line asks for.
struct ServerOptions
{
    bool demo = false; ///< --demo: the demo sender (codes in the answers), loopback only
    bool checkConfig = false; ///< --check-config: report the settings and exit
    QString configFile; ///< --config FILE
    bool rotateKey = false; ///< --rotate-key: add a signing key (see SigningKeys) and exit
    QString importAccounts; ///< --import-accounts FILE: the app's account database to import
    /// --listen, --data-dir and --public-url, keyed by the environment name of their setting.
    QHash<QString, QString> overrides;
};

/// The outcome of parseServerCommandLine().
struct ParsedServerCommandLine
{
    enum class Action { Run, ShowHelp, ShowVersion, Fail };
    Action action = Action::Fail;
    ServerOptions options;
    /// The help or version text (stdout), or the error (stderr, without "waotp-server: ").
    QString text;

    int exitCode() const { return action == Action::Fail ? ServerExitCannotStart : ServerExitOk; }
};

/// Parses @p arguments (argv, program name first). Pure: reads no file, no environment.
ParsedServerCommandLine parseServerCommandLine(const QStringList &arguments);

} // namespace waotp::server
