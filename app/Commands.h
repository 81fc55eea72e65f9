#pragma once

namespace waotp {

struct Options;

/// The command @p options ask for (Options::isCommand()): --stats or --check-config. Returns
/// its exit code. Needs a QCoreApplication.
int runCommand(const Options &options);

/// `waotp --stats`: prints the statistics of the data directory (the demo ones with --demo)
/// and returns the exit code. Needs a QCoreApplication.
int runStatsCommand(const Options &options);

/// `waotp --check-config`: prints the effective configuration (secrets masked) and, in live
/// mode, asks Twilio whether the credentials work. Returns 0 if all is well, else 2. Needs a
/// QCoreApplication (it runs the event loop for the online check).
int runCheckConfigCommand(const Options &options);

} // namespace waotp
