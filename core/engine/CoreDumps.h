#pragma once

// A process that holds secrets (Twilio's credentials, a store secret) and live codes keeps its
// memory out of core dumps.

#include <QString>

namespace waotp {

struct AppConfig;

/// Makes the process write no core file (RLIMIT_CORE 0, soft and hard, so no child of it raises
/// it again) and not dumpable (PR_SET_DUMPABLE 0: no core dump even through a core pattern pipe,
/// no ptrace attach by other processes of the user, /proc/PID's files owned by root). False with
/// the reason in @p error if either fails.
bool disableCoreDumps(QString *error = nullptr);

/// Calls disableCoreDumps() when @p config holds secrets (live mode's credentials, a store
/// secret or a store password); a failure is logged as a warning.
void disableCoreDumpsIfSecret(const AppConfig &config);

} // namespace waotp
