#pragma once

#include <QString>
#include <QStringList>

namespace waotp::test {

/// Captures every message the process logs, debug ones of the app's categories included, for
/// the secret scan: keeps them in memory and, when WAOTP_TEST_LOG_DIR is set, appends them to
/// <dir>/<test name>.log, where tst_secretscan reads them after the Twilio tests have run.
/// Messages still reach Qt Test's own handler (debug ones excepted, to keep the output short).
class TwilioLogCapture
{
public:
    /// Installs the capture (once per process).
    static void install();
    /// Everything captured so far in this process.
    static QStringList messages();
    static void clear();
};

} // namespace waotp::test
